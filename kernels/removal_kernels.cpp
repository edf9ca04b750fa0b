// Settling, scavenging and conversion loops; see the header.
#include "removal_kernels.hpp"

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
            // Λ = a P^b (s-1)
            const double keep = std::exp(-v.a_s * std::pow(p, v.b) * v.dt_s);
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

void conversion_fraction(const ConversionRateViews& v) {
    const int nx = v.nx, ny = v.ny, nz = v.nz;
    const int i0 = v.window.i0, i1 = v.window.i_end(nx);
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
#pragma omp parallel for schedule(static)
    for (int j = v.window.j0; j < v.window.j_end(ny); ++j)
        for (int k = 0; k < nz; ++k)
            for (int i = i0; i < i1; ++i) {
                const std::size_t col = static_cast<std::size_t>(j) * nx + i, c = k * plane + col;
                const double cz = v.cos_zenith[col], rh = v.rh_frac[c];
                double rate = v.k_day_s * (cz > 0 ? cz : 0.0) + (cz <= 0 ? v.k_night_s * rh : 0.0) + v.k_rh_s * rh;
                if (rh > v.rh_threshold) {
                    const double x = (rh - v.rh_threshold) / (1.0 - v.rh_threshold);
                    rate += v.k_het_s * x * x;
                }
                v.fraction[c] = -std::expm1(-rate * v.dt_s);
            }
}

void convert(const ConversionViews& v) {
    const int nx = v.nx, ny = v.ny, nz = v.nz;
    const int i0 = v.window.i0, i1 = v.window.i_end(nx);
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
#pragma omp parallel for schedule(static)
    for (int j = v.window.j0; j < v.window.j_end(ny); ++j) {
        double* converted = v.converted_ug + static_cast<std::size_t>(j) * nx;
        for (int i = i0; i < i1; ++i) converted[i] = 0;
        for (int k = 0; k < nz; ++k)
            for (int i = i0; i < i1; ++i) {
                const std::size_t c = k * plane + static_cast<std::size_t>(j) * nx + i;
                const double q = v.q_from[c];
                const double lost = q * v.fraction[c];
                const real q_new = static_cast<real>(q - lost);
                // Book exactly what left the stored value, and give the product its element's share.
                const double done = q - static_cast<double>(q_new);
                v.q_from[c] = q_new;
                v.q_to[c] = static_cast<real>(v.q_to[c] + done * v.mass_ratio);
                converted[i] += v.air_mass_kg[c] * done;
            }
    }
}

}  // namespace lantian::kernels
