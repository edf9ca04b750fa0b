// The prognostic state: air mass per cell and tracer mixing ratios, species-major
// (species, k, j, i). Nothing else lives here: weather is in MetState, bookkeeping in the ledger.
#pragma once

#include <cstddef>
#include <vector>

#include "parallel/exact_sum.hpp"
#include "real.hpp"
#include "window.hpp"

namespace lantian {

struct State {
    int nx = 0, ny = 0, nz = 0, nspec = 0;
    std::vector<double> air_mass_kg;  // nz*ny*nx
    std::vector<real> q;              // nspec*nz*ny*nx, mixing ratio (µg kg-1)

    State() = default;
    State(int nx_, int ny_, int nz_, int nspec_)
        : nx(nx_), ny(ny_), nz(nz_), nspec(nspec_),
          air_mass_kg(static_cast<std::size_t>(nx_) * ny_ * nz_, 0.0),
          q(static_cast<std::size_t>(nspec_) * nx_ * ny_ * nz_, real(0)) {}

    std::size_t field_size() const { return static_cast<std::size_t>(nx) * ny * nz; }
    real* species(int s) { return q.data() + s * field_size(); }
    const real* species(int s) const { return q.data() + s * field_size(); }
    // Tracer mass of species s in the domain (µg): Σ m q over cells, summed exactly (so the same
    // for any split of the cells), and the exact sum over a window's columns.
    double tracer_mass_ug(int s) const;
    ExactSum tracer_mass_sum(int s, const kernels::Window& w) const;
};

}  // namespace lantian
