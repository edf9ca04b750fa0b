// Map projections of the model grid: Lambert conformal conic on a sphere (WRF's conventions),
// plain latitude-longitude, and azimuthal equidistant for local Cartesian grids in metres.
// Pure geometry: no grid sizes, no files.
#pragma once

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
    // center_* is the projection origin; stand_lon the central meridian (Lambert).
    MapProjection(Projection kind, double center_lon, double center_lat, double truelat1 = 30.0,
                  double truelat2 = 60.0, double stand_lon = 0.0);

    XY forward(LonLat p) const;
    LonLat inverse(XY p) const;
    // Map scale factor m = (distance on the map) / (distance on the sphere); 1 for cartesian, for
    // latlon the factor along a parallel (1/cos φ, per radian of longitude times R).
    double map_factor(double lat_deg) const;

    Projection kind() const { return kind_; }
    double cone() const { return n_; }

private:
    Projection kind_;
    double lon0_, lat0_;   // origin (degrees)
    double stand_lon_;     // central meridian (degrees)
    double n_ = 1.0;       // cone constant (Lambert)
    double f_ = 1.0;       // Lambert F
    double rho0_ = 0.0;    // Lambert ρ at the origin latitude
};

}  // namespace lantian
