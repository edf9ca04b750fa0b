// First-order conversion loops of the linear chemistry; see the header.
#include "chemistry_kernels.hpp"

#include <cmath>

namespace lantian::kernels {

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
                if (v.q_to != nullptr) v.q_to[c] = static_cast<real>(v.q_to[c] + done * v.mass_ratio);
                converted[i] += v.air_mass_kg[c] * done;
            }
    }
}

}  // namespace lantian::kernels
