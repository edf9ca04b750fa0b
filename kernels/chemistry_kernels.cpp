// First-order conversion loops of the linear chemistry; see the header.
#include "chemistry_kernels.hpp"

#include <cmath>

namespace lantian::kernels {

namespace {

// f = 1 − e^{−x} for 0 <= x <= kSeriesMax by its Taylor series, x − x²/2! + x³/3! − …, to the x^13
// term (Horner form, coefficients (−1)^(n+1)/n!): the first term left out, x^14/14! < 4e-20 x at
// x = 0.25, is far below double round-off, so this agrees with −expm1(−x) to a few ulp, and it is
// plain arithmetic, which vectorises (a libm call does not). Larger x (rare: a fast heterogeneous
// rate in a long step) take −expm1(−x).
constexpr double kSeriesMax = 0.25;
inline double one_minus_exp_series(double x) {
    constexpr double c[13] = {1.0,
                              -1.0 / 2.0,
                              1.0 / 6.0,
                              -1.0 / 24.0,
                              1.0 / 120.0,
                              -1.0 / 720.0,
                              1.0 / 5040.0,
                              -1.0 / 40320.0,
                              1.0 / 362880.0,
                              -1.0 / 3628800.0,
                              1.0 / 39916800.0,
                              -1.0 / 479001600.0,
                              1.0 / 6227020800.0};
    double p = c[12];
    for (int n = 11; n >= 0; --n) p = p * x + c[n];
    return p * x;
}

inline double conversion_rate(const ConversionRateViews& v, double cz, double rh) {
    double rate = v.k_day_s * (cz > 0 ? cz : 0.0) + (cz <= 0 ? v.k_night_s * rh : 0.0) + v.k_rh_s * rh;
    const double x = (rh - v.rh_threshold) / (1.0 - v.rh_threshold);
    return rate + (rh > v.rh_threshold ? v.k_het_s * x * x : 0.0);
}

}  // namespace

void conversion_fraction(const ConversionRateViews& v) {
    const int nx = v.nx, ny = v.ny, nz = v.nz;
    const int i0 = v.window.i0, i1 = v.window.i_end(nx);
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
#pragma omp parallel for schedule(static)
    for (int j = v.window.j0; j < v.window.j_end(ny); ++j)
        for (int k = 0; k < nz; ++k) {
            const double* cz = v.cos_zenith + static_cast<std::size_t>(j) * nx;
            const double* rh = v.rh_frac + k * plane + static_cast<std::size_t>(j) * nx;
            double* f = v.fraction + k * plane + static_cast<std::size_t>(j) * nx;
            // The series where k Δt is small (vectorised); a negative value marks the others, found
            // by a min reduction (GCC 12 does not vectorise the loop with a || reduction).
            double smallest = 0.0;
#pragma omp simd reduction(min : smallest)
            for (int i = i0; i < i1; ++i) {
                const double x = conversion_rate(v, cz[i], rh[i]) * v.dt_s;
                f[i] = x <= kSeriesMax ? one_minus_exp_series(x) : -1.0;
                smallest = std::min(smallest, f[i]);
            }
            if (smallest < 0.0)
                for (int i = i0; i < i1; ++i)
                    if (f[i] < 0.0) f[i] = -std::expm1(-conversion_rate(v, cz[i], rh[i]) * v.dt_s);
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
