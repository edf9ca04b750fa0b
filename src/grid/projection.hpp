// Map projections of the model grid, on WRF's sphere: Lambert conformal conic, polar
// stereographic and Mercator (WRF's MAP_PROJ 1, 2, 3), plain latitude-longitude, and azimuthal
// equidistant for local Cartesian grids in metres. The transforms are PROJ's (proj.org); this
// class chooses the PROJ definition, keeps the PJ objects (one per thread: PROJ's objects are not
// thread-safe) and gives the map factors in closed form. Pure geometry: no grid sizes, no files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "config/lon_lat.hpp"
#include "physical_constants.hpp"  // kPi, kDegToRad

namespace lantian {

inline constexpr double kEarthRadiusM = 6370000.0;  // m, WRF's sphere

struct XY {
    double x;  // m (degrees of longitude for latlon)
    double y;  // m (degrees of latitude for latlon)
};

class MapProjection {
public:
    // What each parameter means per projection (degrees):
    //   lambert   +proj=lcc   lat_1 = truelat1, lat_2 = truelat2, lat_0 = center_lat, lon_0 = stand_lon
    //   polar     +proj=stere lat_0 = ±90 (the sign of truelat1), lat_ts = truelat1, lon_0 = stand_lon
    //   mercator  +proj=merc  lat_ts = truelat1, lon_0 = stand_lon
    //   cartesian +proj=aeqd  lat_0 = center_lat, lon_0 = center_lon
    //   latlon    x = longitude, y = latitude (no PROJ object)
    // all on the sphere of radius kEarthRadiusM, no false easting or northing: the origin of x/y is
    // the projection's (lambert: on stand_lon at center_lat; polar: the pole; mercator: the equator
    // on stand_lon). Throws std::invalid_argument when PROJ refuses the definition.
    MapProjection(Projection kind, double center_lon, double center_lat, double truelat1 = 30.0,
                  double truelat2 = 60.0, double stand_lon = 0.0);

    // Safe to call from several threads at once. A point the projection cannot represent (the
    // opposite pole of a cone) gives non-finite coordinates.
    XY forward(LonLat p) const;
    LonLat inverse(XY p) const;
    // Map scale factor m = (distance on the map) / (distance on the sphere), closed forms: 1 for
    // cartesian (as the model treats its local grids), for latlon the factor along a parallel
    // (1/cos φ, per radian of longitude times R). Depends on latitude alone for every projection.
    double map_factor(double lat_deg) const;
    // The scale along the parallel at p as PROJ computes it (proj_factors, numerical derivatives):
    // the check of map_factor (tests). NaN for latlon.
    double proj_parallel_scale(LonLat p) const;

    // The PROJ definition ("" for latlon) and the projected CRS as WKT2:2019 (proj_as_wkt).
    const std::string& proj_definition() const;
    std::string crs_wkt() const;

    Projection kind() const { return kind_; }
    double cone() const { return n_; }  // Lambert cone constant n (1 otherwise)

private:
    struct Definition;  // the PROJ string and its identity in the per-thread caches
    Projection kind_;
    double n_ = 1.0;          // cone constant (Lambert)
    double f_ = 1.0;          // Lambert F
    double true_lat_rad_ = 0; // the true latitude (polar, mercator), radians
    double pole_ = 1.0;       // +1 north, −1 south (polar)
    std::shared_ptr<const Definition> def_;
};

}  // namespace lantian
