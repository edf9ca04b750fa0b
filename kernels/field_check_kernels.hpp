// The per-step guard against non-physical tracer values, as a hot loop: every mixing ratio of the
// window must be finite and >= 0. It only answers yes or no, in parallel and vectorised; the caller
// (Simulation::check_fields) looks for the first offending cell and words the error only when the
// answer is no.
#pragma once

#include "real.hpp"
#include "window.hpp"

namespace lantian::kernels {

// True when every q of the nfields fields (each nz*ny*nx, row-major (k, j, i), one after the other)
// inside the window satisfies 0 <= q <= the largest finite `real`; NaN and ±inf fail.
bool fields_physical(const real* q, int nfields, int nx, int ny, int nz, const Window& window);

}  // namespace lantian::kernels
