// Weather on the model grid at one instant: what transport, mixing and removal read.
// Plain data with sizes from the grid; filled by a MetSource, interpolated in time by MetTimeline (interpolate_into).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace lantian {

class Grid;

// The fields of a MetState, for its revision numbers (below) and for loops over every field.
enum class MetField : int {
    rho, temperature, rh, u_face, v_face, kz_face, cloud_fraction, cloud_water, pblh, ustar, mo_length, precip,
    u10, v10, t2, terrain, snow_cover, soil_moisture, erodible, clay, count
};
inline constexpr int kMetFields = static_cast<int>(MetField::count);

struct MetState {
    // 3-D, row-major (k, j, i)
    std::vector<double> rho_kg_m3;      // nz*ny*nx, air density at cell centres
    std::vector<double> temperature_k;  // nz*ny*nx
    std::vector<double> rh_frac;        // nz*ny*nx, relative humidity (0..1, over water)
    std::vector<double> u_face_x_m_s;   // nz*ny*(nx+1), grid-x wind on x-faces
    std::vector<double> v_face_y_m_s;   // nz*(ny+1)*nx, grid-y wind on y-faces
    std::vector<double> kz_face_z_m2_s; // (nz+1)*ny*nx, eddy diffusivity on layer faces (0 at ground and top)
    std::vector<double> cloud_fraction;   // nz*ny*nx, 0..1 (WRF CLDFRA; 0 where the weather has no clouds)
    std::vector<double> cloud_water_kg_kg;// nz*ny*nx, cloud liquid water mixing ratio (WRF QCLOUD; 0 likewise)
    // 2-D, row-major (j, i)
    std::vector<double> pblh_m;         // boundary-layer height
    std::vector<double> ustar_m_s;      // friction velocity
    std::vector<double> mo_length_m;    // Monin–Obukhov length (>0 stable, <0 unstable)
    std::vector<double> precip_mm_h;    // precipitation rate
    std::vector<double> u10_m_s, v10_m_s;  // 10 m wind at centres (grid-relative)
    std::vector<double> t2_k;           // 2 m temperature
    std::vector<double> terrain_m;      // terrain height above sea level
    std::vector<double> snow_cover;     // 0..1, ground under snow (WRF SNOWC; 0 where the weather does not say)
    // Land surface for wind-blown dust (docs/dust.md); −1 where the weather does not say (idealized
    // weather, WRF files without the field, or any WRF file when dust.windblown is off).
    std::vector<double> soil_moisture_m3_m3;  // top-layer volumetric water (WRF SMOIS, first soil layer)
    std::vector<double> erodible_fraction;    // 0..1, from WRF LU_INDEX and ISLTYP (met/land_surface.hpp)
    std::vector<double> clay_fraction;        // 0..1, from WRF ISLTYP (met/land_surface.hpp)

    // Revision of each field: a number that changes whenever the field's values may have changed
    // (0 = unknown). Whatever a process derives from the weather (face mass fluxes, conductances,
    // exchange coefficients) it may keep while the revisions of its inputs and its other arguments
    // stay the same: weather work is then done only where the weather changed (MetTimeline keeps the
    // revision of a field that is the same in both snapshots of its interval; docs/architecture.md).
    std::array<std::uint64_t, kMetFields> revision{};
    std::uint64_t rev(MetField f) const { return revision[static_cast<int>(f)]; }

    std::vector<double>& field(MetField f);
    const std::vector<double>& field(MetField f) const;
    void resize(const Grid& grid);
};

// A revision number never handed out before (thread-safe).
std::uint64_t new_met_revision();


// out = (1 − w) a + w b in one pass (out sized like a and b); every field gets a new revision.
// Fields marked in `keep` are left alone (the caller knows out already holds them: the same in a and b).
void interpolate_into(MetState& out, const MetState& a, const MetState& b, double w,
                      const std::array<bool, kMetFields>* keep = nullptr);

}  // namespace lantian
