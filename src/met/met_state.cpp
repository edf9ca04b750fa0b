// Sizing and time interpolation of MetState.
#include "met/met_state.hpp"

#include <cmath>

#include "grid/grid.hpp"

namespace lantian {

void MetState::resize(const Grid& g) {
    const std::size_t nx = g.nx(), ny = g.ny(), nz = g.nz();
    rho_kg_m3.assign(nz * ny * nx, 0.0);
    temperature_k.assign(nz * ny * nx, 0.0);
    u_face_x_m_s.assign(nz * ny * (nx + 1), 0.0);
    v_face_y_m_s.assign(nz * (ny + 1) * nx, 0.0);
    kz_face_z_m2_s.assign((nz + 1) * ny * nx, 0.0);
    for (auto* f : {&pblh_m, &ustar_m_s, &mo_length_m, &precip_mm_h, &u10_m_s, &v10_m_s, &t2_k, &terrain_m})
        f->assign(ny * nx, 0.0);
}

namespace {
void blend_field(std::vector<double>& a, const std::vector<double>& b, double w) {
    const std::size_t n = a.size();
    for (std::size_t c = 0; c < n; ++c) a[c] += w * (b[c] - a[c]);
}
}  // namespace

void blend(MetState& a, const MetState& b, double w) {
    blend_field(a.rho_kg_m3, b.rho_kg_m3, w);
    blend_field(a.temperature_k, b.temperature_k, w);
    blend_field(a.u_face_x_m_s, b.u_face_x_m_s, w);
    blend_field(a.v_face_y_m_s, b.v_face_y_m_s, w);
    blend_field(a.kz_face_z_m2_s, b.kz_face_z_m2_s, w);
    blend_field(a.pblh_m, b.pblh_m, w);
    blend_field(a.ustar_m_s, b.ustar_m_s, w);
    // L passes through ±∞ at neutral, not through 0: interpolate 1/L.
    for (std::size_t c = 0; c < a.mo_length_m.size(); ++c) {
        const double inv = (1.0 - w) / a.mo_length_m[c] + w / b.mo_length_m[c];
        a.mo_length_m[c] = std::fabs(inv) < 1e-8 ? 1e8 : 1.0 / inv;
    }
    blend_field(a.precip_mm_h, b.precip_mm_h, w);
    blend_field(a.u10_m_s, b.u10_m_s, w);
    blend_field(a.v10_m_s, b.v10_m_s, w);
    blend_field(a.t2_k, b.t2_k, w);
    blend_field(a.terrain_m, b.terrain_m, w);
}

}  // namespace lantian
