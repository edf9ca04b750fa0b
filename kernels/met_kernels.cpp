// WRF column fields and level-to-layer remap; see the header.
#include "met_kernels.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include "physical_constants.hpp"

namespace lantian::kernels {

namespace {
using phys::kGravity;
using phys::kKelvinAtZeroCelsius;
using phys::kWrfEpsilon;
using phys::kWrfP0;
using phys::kWrfTheta0;
constexpr double kRdOverCp = phys::kWrfRd / phys::kWrfCp;  // WRF's R_d / c_p
constexpr double kBoltonA = 611.2, kBoltonB = 17.67, kBoltonC = 29.65;  // Bolton (1980)
}  // namespace

int wrf_level_fields(const WrfLevelViews& v, int* bad_level) {
    const int nc = v.ncolumns, nl = v.nlevels;
    int bad_column = -1;
#pragma omp parallel for schedule(static) reduction(max : bad_column)
    for (int c = 0; c < nc; ++c) {
        double* zw = v.z_face_m + static_cast<std::size_t>(c) * (nl + 1);
        for (int k = 0; k <= nl; ++k) {
            const std::size_t x = static_cast<std::size_t>(k) * nc + c;
            zw[k] = (static_cast<double>(v.ph[x]) + v.phb[x]) / kGravity - v.hgt[c];
        }
        const double mu_d = static_cast<double>(v.mu[c]) + v.mub[c];
        for (int k = 0; k < nl; ++k) {
            const std::size_t x = static_cast<std::size_t>(k) * nc + c, y = static_cast<std::size_t>(c) * nl + k;
            const double dz = zw[k + 1] - zw[k];
            if (!(dz > 0)) bad_column = std::max(bad_column, c);
            const double q = v.qv[x];
            v.rho_kg_m3[y] = mu_d * (static_cast<double>(v.znw[k]) - v.znw[k + 1]) / kGravity * (1.0 + q) / dz;
            const double pressure = static_cast<double>(v.p[x]) + v.pb[x];
            const double t = (v.theta_pert[x] + kWrfTheta0) * std::exp(kRdOverCp * std::log(pressure / kWrfP0));
            v.temperature_k[y] = t;
            const double e = q * pressure / (kWrfEpsilon + q);
            const double es = kBoltonA * std::exp(kBoltonB * (t - kKelvinAtZeroCelsius) / (t - kBoltonC));
            v.rh_frac[y] = std::clamp(e / es, 0.0, 1.0);
        }
    }
    if (bad_column >= 0) {
        const double* zw = v.z_face_m + static_cast<std::size_t>(bad_column) * (nl + 1);
        for (int k = 0; k < nl; ++k)
            if (!(zw[k + 1] - zw[k] > 0)) {
                *bad_level = k;
                break;
            }
    }
    return bad_column;
}

void remap_levels(const LevelRemapViews& v) {
    const int nl = v.nlevels, nz = v.nlayers;
    const double* zf = v.layer_face_m;
#pragma omp parallel for schedule(static)
    for (int i = 0; i < v.n; ++i) {
        const double* za = v.z_face_m + static_cast<std::size_t>(v.col_a[i]) * (nl + 1);
        const double* zb = v.z_face_m + static_cast<std::size_t>(v.col_b[i]) * (nl + 1);
        const double* ra = v.rho_kg_m3 + static_cast<std::size_t>(v.col_a[i]) * nl;
        const double* rb = v.rho_kg_m3 + static_cast<std::size_t>(v.col_b[i]) * nl;
        auto z = [&](int k) { return 0.5 * (za[k] + zb[k]); };
        auto value = [&](int q) {
            const std::size_t at = v.value_offset[i] + static_cast<std::size_t>(q) * v.value_stride;
            return v.values_f ? static_cast<double>(v.values_f[at]) : v.values_d[at];
        };
        int k = 0;
        for (int l = 0; l < nz; ++l) {
            while (k < nl && z(k + 1) <= zf[l]) ++k;
            double mass = 0, sum = 0;
            for (int q = k; q < nl && z(q) < zf[l + 1]; ++q) {
                const double ov = std::max(0.0, std::min(zf[l + 1], z(q + 1)) - std::max(zf[l], z(q)));
                const double m = ov * 0.5 * (ra[q] + rb[q]);
                mass += m;
                sum += m * value(q);
            }
            const std::size_t out_at = v.out_offset[i] + static_cast<std::size_t>(l) * v.out_stride;
            v.out[out_at] = mass > 0 ? sum / mass : value(std::min(k, nl - 1));
            if (v.mass_out) v.mass_out[out_at] = mass;
        }
    }
}

void lerp(std::size_t n, const double* a, const double* b, double w, double* out) {
    const std::ptrdiff_t count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for schedule(static)
    for (std::ptrdiff_t c = 0; c < count; ++c) out[c] = a[c] + w * (b[c] - a[c]);
}

bool same_and_finite(std::size_t n, const double* a, const double* b) {
    // The values' bits, compared as integers: equal bits, and an exponent field that is not 0x7ff.
    constexpr std::uint64_t kExponent = 0x7ffULL << 52;
    const std::ptrdiff_t count = static_cast<std::ptrdiff_t>(n);
    int differ = 0;
#pragma omp parallel for schedule(static) reduction(| : differ)
    for (std::ptrdiff_t c = 0; c < count; ++c) {
        const std::uint64_t x = std::bit_cast<std::uint64_t>(a[c]), y = std::bit_cast<std::uint64_t>(b[c]);
        differ |= static_cast<int>(x != y) | static_cast<int>((x & kExponent) == kExponent);
    }
    return differ == 0;
}

}  // namespace lantian::kernels
