// Biogenic emission rates per column; see the header.
#include "biogenic_kernels.hpp"

namespace lantian::kernels {

void biogenic_rates(const BiogenicViews& v, double* rate_ug_s) {
    constexpr double kSecondsPerHour = 3600.0;
    const std::size_t stride = static_cast<std::size_t>(v.rate_stride > 0 ? v.rate_stride : v.nclass);
#pragma omp parallel for schedule(static)
    for (int c = 0; c < v.ncolumns; ++c) {
        const double par = clear_sky_par_umol_m2_s(v.cos_zenith[c]);
        for (int b = 0; b < v.nclass; ++b) {
            const BiogenicClass& k = v.classes[b];
            rate_ug_s[static_cast<std::size_t>(c) * stride + b] =
                k.ef_ug_m2_h * v.scale * biogenic_gamma(k, v.t2_k[c], par) * v.area_m2[c] / kSecondsPerHour;
        }
    }
}

}  // namespace lantian::kernels
