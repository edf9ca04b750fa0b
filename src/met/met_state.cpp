// Sizing and time interpolation of MetState.
#include "met/met_state.hpp"

#include <atomic>
#include <cmath>
#include <cstdlib>

#include "grid/grid.hpp"
#include "met_kernels.hpp"

namespace lantian {

std::uint64_t new_met_revision() {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

std::vector<double>& MetState::field(MetField f) {
    switch (f) {
    case MetField::rho: return rho_kg_m3;
    case MetField::temperature: return temperature_k;
    case MetField::rh: return rh_frac;
    case MetField::u_face: return u_face_x_m_s;
    case MetField::v_face: return v_face_y_m_s;
    case MetField::kz_face: return kz_face_z_m2_s;
    case MetField::cloud_fraction: return cloud_fraction;
    case MetField::cloud_water: return cloud_water_kg_kg;
    case MetField::pblh: return pblh_m;
    case MetField::ustar: return ustar_m_s;
    case MetField::mo_length: return mo_length_m;
    case MetField::precip: return precip_mm_h;
    case MetField::u10: return u10_m_s;
    case MetField::v10: return v10_m_s;
    case MetField::t2: return t2_k;
    case MetField::terrain: return terrain_m;
    case MetField::snow_cover: return snow_cover;
    case MetField::soil_moisture: return soil_moisture_m3_m3;
    case MetField::erodible: return erodible_fraction;
    case MetField::clay: return clay_fraction;
    case MetField::count: break;
    }
    std::abort();  // not a field
}
const std::vector<double>& MetState::field(MetField f) const { return const_cast<MetState*>(this)->field(f); }

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

void interpolate_into(MetState& out, const MetState& a, const MetState& b, double w,
                      const std::array<bool, kMetFields>* keep) {
    for (int f = 0; f < kMetFields; ++f) {
        const auto field = static_cast<MetField>(f);
        if (keep != nullptr && (*keep)[f]) continue;
        const std::vector<double>& x = a.field(field);
        const std::vector<double>& y = b.field(field);
        std::vector<double>& o = out.field(field);
        o.resize(x.size());
        out.revision[f] = new_met_revision();
        if (field == MetField::mo_length) {
            // L passes through ±∞ at neutral, not through 0: interpolate 1/L.
            for (std::size_t c = 0; c < x.size(); ++c) {
                const double inv = (1.0 - w) / x[c] + w / y[c];
                o[c] = std::fabs(inv) < 1e-8 ? 1e8 : 1.0 / inv;
            }
        } else {
            // −1 (absent) in both stays −1 exactly: a + w (b − a) with a = b.
            kernels::lerp(x.size(), x.data(), y.data(), w, o.data());
        }
    }
}

}  // namespace lantian
