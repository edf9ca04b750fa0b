// Wind-blown dust rates per column; see the header.
#include "dust_kernels.hpp"

namespace lantian::kernels {

void dust_rates(const DustViews& v, double* rate_ug_s) {
    constexpr double kMicrogramsPerKg = 1e9;
#pragma omp parallel for schedule(static)
    for (int c = 0; c < v.ncolumns; ++c) {
        const DustColumn col{v.ustar_m_s[c],     v.rho_air_kg_m3[c],       v.t2_k[c],         v.snow_cover[c],
                             v.soil_moisture_m3_m3[c], v.erodible_fraction[c], v.clay_fraction[c]};
        rate_ug_s[static_cast<std::size_t>(c) * v.out_stride + v.out_offset] =
            dust_vertical_flux(col, v.parameters) * v.area_m2[c] * kMicrogramsPerKg;
    }
}

}  // namespace lantian::kernels
