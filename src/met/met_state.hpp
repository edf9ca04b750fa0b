// Weather on the model grid at one instant: what transport, mixing and removal read.
// Plain data with sizes from the grid; filled by a MetSource, interpolated in time by MetTimeline (interpolate_into).
#pragma once

#include <vector>

namespace lantian {

class Grid;

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

    void resize(const Grid& grid);
};

// out = (1 − w) a + w b in one pass (out sized like a and b).
void interpolate_into(MetState& out, const MetState& a, const MetState& b, double w);

}  // namespace lantian
