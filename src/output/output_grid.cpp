// Grid → OutputGrid: what a NetCDF file needs to know about the model grid.
#include "output/output_grid.hpp"

#include "grid/grid.hpp"

namespace lantian {

OutputGrid output_grid(const Grid& g) {
    OutputGrid o;
    o.projection = g.config().projection;
    o.nx = g.nx();
    o.ny = g.ny();
    o.nz = g.nz();
    o.x = g.x();
    o.y = g.y();
    o.lat = g.lat();
    o.lon = g.lon();
    o.z_center_m = g.z_center();
    o.z_face_m = g.z_face();
    o.center_lat = g.config().center_lat;
    o.center_lon = g.config().center_lon;
    o.stand_lon = g.config().stand_lon > 1e8 ? g.config().center_lon : g.config().stand_lon;
    o.truelat1 = g.config().truelat1;
    o.truelat2 = g.config().truelat2;
    o.earth_radius_m = kEarthRadiusM;
    o.crs_wkt = g.projection().crs_wkt();
    return o;
}

}  // namespace lantian
