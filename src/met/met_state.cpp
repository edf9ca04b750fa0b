// Sizing and time interpolation of MetState.
#include "met/met_state.hpp"

#include <cmath>

#include "grid/grid.hpp"
#include "met_kernels.hpp"

namespace lantian {

void MetState::resize(const Grid& g) {
    const std::size_t nx = g.nx(), ny = g.ny(), nz = g.nz();
    rho_kg_m3.assign(nz * ny * nx, 0.0);
    temperature_k.assign(nz * ny * nx, 0.0);
    rh_frac.assign(nz * ny * nx, 0.0);
    u_face_x_m_s.assign(nz * ny * (nx + 1), 0.0);
    v_face_y_m_s.assign(nz * (ny + 1) * nx, 0.0);
    kz_face_z_m2_s.assign((nz + 1) * ny * nx, 0.0);
    cloud_fraction.assign(nz * ny * nx, 0.0);
    cloud_water_kg_kg.assign(nz * ny * nx, 0.0);
    for (auto* f : {&pblh_m, &ustar_m_s, &mo_length_m, &precip_mm_h, &u10_m_s, &v10_m_s, &t2_k, &terrain_m, &snow_cover})
        f->assign(ny * nx, 0.0);
    for (auto* f : {&soil_moisture_m3_m3, &erodible_fraction, &clay_fraction}) f->assign(ny * nx, -1.0);
}

void interpolate_into(MetState& out, const MetState& a, const MetState& b, double w) {
    auto mix = [w](std::vector<double>& o, const std::vector<double>& x, const std::vector<double>& y) {
        o.resize(x.size());
        kernels::lerp(x.size(), x.data(), y.data(), w, o.data());
    };
    mix(out.rho_kg_m3, a.rho_kg_m3, b.rho_kg_m3);
    mix(out.temperature_k, a.temperature_k, b.temperature_k);
    mix(out.rh_frac, a.rh_frac, b.rh_frac);
    mix(out.u_face_x_m_s, a.u_face_x_m_s, b.u_face_x_m_s);
    mix(out.v_face_y_m_s, a.v_face_y_m_s, b.v_face_y_m_s);
    mix(out.kz_face_z_m2_s, a.kz_face_z_m2_s, b.kz_face_z_m2_s);
    mix(out.pblh_m, a.pblh_m, b.pblh_m);
    mix(out.ustar_m_s, a.ustar_m_s, b.ustar_m_s);
    mix(out.precip_mm_h, a.precip_mm_h, b.precip_mm_h);
    mix(out.u10_m_s, a.u10_m_s, b.u10_m_s);
    mix(out.v10_m_s, a.v10_m_s, b.v10_m_s);
    mix(out.t2_k, a.t2_k, b.t2_k);
    mix(out.terrain_m, a.terrain_m, b.terrain_m);
    mix(out.cloud_fraction, a.cloud_fraction, b.cloud_fraction);
    mix(out.cloud_water_kg_kg, a.cloud_water_kg_kg, b.cloud_water_kg_kg);
    mix(out.snow_cover, a.snow_cover, b.snow_cover);
    // −1 (absent) in both stays −1 exactly: a + w (b − a) with a = b.
    mix(out.soil_moisture_m3_m3, a.soil_moisture_m3_m3, b.soil_moisture_m3_m3);
    mix(out.erodible_fraction, a.erodible_fraction, b.erodible_fraction);
    mix(out.clay_fraction, a.clay_fraction, b.clay_fraction);
    // L passes through ±∞ at neutral, not through 0: interpolate 1/L.
    out.mo_length_m.resize(a.mo_length_m.size());
    for (std::size_t c = 0; c < a.mo_length_m.size(); ++c) {
        const double inv = (1.0 - w) / a.mo_length_m[c] + w / b.mo_length_m[c];
        out.mo_length_m[c] = std::fabs(inv) < 1e-8 ? 1e8 : 1.0 / inv;
    }
}

}  // namespace lantian
