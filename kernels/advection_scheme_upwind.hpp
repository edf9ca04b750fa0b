// Donor cell (first-order upwind) as an advection policy: each face carries the mixing ratio of its
// upwind cell. The smallest complete policy, and the template for a new one: it owns only the face
// values; loops over lines, species, sub-steps and the air-mass update belong to the sweeps.
#pragma once

#include <string_view>

#include "advection_schemes.hpp"
#include "real.hpp"

namespace lantian::kernels {

struct UpwindScheme {
    static constexpr std::string_view name = "upwind";

    // Tracer mass through every face of B interleaved lines ([cell][lane]: element c*B + b):
    //   G_f = F_f · q_up,   q_up = q_{f-1} if F_f > 0, else q_f   (µg = kg × µg kg-1)
    // Arguments as PpmScheme::tracer_fluxes (advection_scheme_ppm.hpp); the per-face weights a1, a2
    // (moments of the crossing fraction) and the work arrays are not needed by a constant profile.
    template <int B>
    static void tracer_fluxes(int n, const real* q, const double* flux_kg, const double* /*a1*/, const double* /*a2*/,
                              real* /*work*/, double* gflux_ug) {
        constexpr int G = kGhost;
        for (int f = 0; f <= n; ++f)
            for (int b = 0; b < B; ++b) {
                const double F = flux_kg[f * B + b];
                gflux_ug[f * B + b] = F * static_cast<double>(F > 0.0 ? q[(G + f - 1) * B + b] : q[(G + f) * B + b]);
            }
    }
};

}  // namespace lantian::kernels
