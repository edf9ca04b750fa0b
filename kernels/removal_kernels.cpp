// Settling and scavenging loops; see the header.
#include "removal_kernels.hpp"

#include <algorithm>
#include <cmath>

namespace lantian::kernels {

// Both loops walk a row of columns in chunks of kChunk neighbouring columns, layer by layer, so that
// every access is contiguous and the arithmetic vectorises across the columns; each column's
// arithmetic and its order are those of one column at a time.
namespace {
constexpr int kChunk = 64;
}

void settle(const SettlingViews& v) {
    const int nx = v.nx, ny = v.ny, nz = v.nz;
    const int i0 = v.window.i0, i1 = v.window.i_end(nx);
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
#pragma omp parallel for schedule(static)
    for (int j = v.window.j0; j < v.window.j_end(ny); ++j) {
        for (int ic = i0; ic < i1; ic += kChunk) {
            const int w = std::min(kChunk, i1 - ic);
            const std::size_t col0 = static_cast<std::size_t>(j) * nx + ic;
            // Flux through the bottom face of each layer (µg), from the layer above it.
            double incoming[kChunk];  // from layer k+1 into layer k
            for (int b = 0; b < w; ++b) incoming[b] = 0;
            for (int k = nz - 1; k >= 0; --k) {
                const double fraction = v.fraction_per_layer[k];
                const double* m = v.air_mass_kg + k * plane + col0;
                real* q = v.q + k * plane + col0;
#pragma omp simd
                for (int b = 0; b < w; ++b) {
                    const double mass = m[b] * q[b];
                    const double out = mass * fraction;
                    q[b] = static_cast<real>((mass - out + incoming[b]) / m[b]);
                    incoming[b] = out;
                }
            }
            for (int b = 0; b < w; ++b) v.settled_ug[col0 + b] = incoming[b];
        }
    }
}

namespace {
inline double column_keep(const ScavengingViews& v, double p) {
    if (!(p > 0)) return 1.0;
    // Λ = min(a P^b, c P) (s-1); with c infinite, exactly a P^b
    const double lambda = std::min(v.a_s * std::pow(p, v.b), v.c_s_per_mm_h * p);
    return std::exp(-lambda * v.dt_s);
}
}  // namespace

void scavenging_keep(const ScavengingViews& v, double* keep_out) {
    const int nx = v.nx, ny = v.ny;
    const int i0 = v.window.i0, i1 = v.window.i_end(nx);
#pragma omp parallel for schedule(static)
    for (int j = v.window.j0; j < v.window.j_end(ny); ++j)
        for (int i = i0; i < i1; ++i) {
            const std::size_t col = static_cast<std::size_t>(j) * nx + i;
            keep_out[col] = column_keep(v, v.precip_mm_h[col]);
        }
}

void scavenge(const ScavengingViews& v) {
    const int nx = v.nx, ny = v.ny, nz = v.nz;
    const int i0 = v.window.i0, i1 = v.window.i_end(nx);
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
#pragma omp parallel for schedule(static)
    for (int j = v.window.j0; j < v.window.j_end(ny); ++j) {
        for (int ic = i0; ic < i1; ic += kChunk) {
            const int w = std::min(kChunk, i1 - ic);
            const std::size_t col0 = static_cast<std::size_t>(j) * nx + ic;
            double keep[kChunk], removed[kChunk];
            bool rain = false;
            for (int b = 0; b < w; ++b) {
                removed[b] = 0;
                keep[b] = v.keep ? v.keep[col0 + b] : column_keep(v, v.precip_mm_h[col0 + b]);
                rain = rain || v.precip_mm_h[col0 + b] > 0;
            }
            if (rain)
                for (int k = 0; k < nz; ++k) {
                    const double* m = v.air_mass_kg + k * plane + col0;
                    real* qk = v.q + k * plane + col0;
#pragma omp simd
                    for (int b = 0; b < w; ++b) {
                        // keep = 1 (no rain) leaves q exactly as it is and removes exactly 0.
                        const double q = qk[b];
                        const real q_new = static_cast<real>(q * keep[b]);
                        qk[b] = q_new;
                        removed[b] += m[b] * (q - static_cast<double>(q_new));
                    }
                }
            for (int b = 0; b < w; ++b) v.removed_ug[col0 + b] = removed[b];
        }
    }
}

}  // namespace lantian::kernels
