// Settling and scavenging loops; see the header.
#include "removal_kernels.hpp"

#include <algorithm>
#include <cmath>

namespace lantian::kernels {

void settle(const SettlingViews& v) {
    const int nx = v.nx, ny = v.ny, nz = v.nz;
    const int i0 = v.window.i0, i1 = v.window.i_end(nx);
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
#pragma omp parallel for schedule(static)
    for (int j = v.window.j0; j < v.window.j_end(ny); ++j) {
        for (int i = i0; i < i1; ++i) {
            const std::size_t col = static_cast<std::size_t>(j) * nx + i;
            // Flux through the bottom face of each layer (µg), from the layer above it.
            double incoming = 0;  // from layer k+1 into layer k
            for (int k = nz - 1; k >= 0; --k) {
                const std::size_t c = k * plane + col;
                const double mass = v.air_mass_kg[c] * v.q[c];
                const double out = mass * v.fraction_per_layer[k];
                v.q[c] = static_cast<real>((mass - out + incoming) / v.air_mass_kg[c]);
                incoming = out;
            }
            v.settled_ug[col] = incoming;
        }
    }
}

void scavenge(const ScavengingViews& v) {
    const int nx = v.nx, ny = v.ny, nz = v.nz;
    const int i0 = v.window.i0, i1 = v.window.i_end(nx);
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
#pragma omp parallel for schedule(static)
    for (int j = v.window.j0; j < v.window.j_end(ny); ++j) {
        for (int i = i0; i < i1; ++i) {
            const std::size_t col = static_cast<std::size_t>(j) * nx + i;
            const double p = v.precip_mm_h[col];
            double removed = 0;
            if (p > 0) {
            // Λ = min(a P^b, c P) (s-1); with c infinite, exactly a P^b
            const double lambda = std::min(v.a_s * std::pow(p, v.b), v.c_s_per_mm_h * p);
            const double keep = std::exp(-lambda * v.dt_s);
            for (int k = 0; k < nz; ++k) {
                const std::size_t c = k * plane + col;
                const double q = v.q[c];
                const double q_new = q * keep;
                v.q[c] = static_cast<real>(q_new);
                removed += v.air_mass_kg[c] * (q - static_cast<double>(v.q[c]));
            }
            }
            v.removed_ug[col] = removed;
        }
    }
}

}  // namespace lantian::kernels
