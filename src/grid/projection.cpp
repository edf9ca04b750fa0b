// Projection formulas. Lambert conformal conic on a sphere after Snyder (1987), "Map Projections —
// A Working Manual", USGS PP 1395, eqs. 15-1 to 15-5 (the same as WRF's module_llxy); azimuthal
// equidistant after Snyder eqs. 25-2, 22-4 and 20-14 to 20-18.
#include "grid/projection.hpp"

#include <cmath>

namespace lantian {
namespace {
double tan_half(double lat_rad) { return std::tan(kPi / 4.0 + lat_rad / 2.0); }
double wrap_lon(double dlon_deg) {
    while (dlon_deg > 180.0) dlon_deg -= 360.0;
    while (dlon_deg < -180.0) dlon_deg += 360.0;
    return dlon_deg;
}
}  // namespace

MapProjection::MapProjection(Projection kind, double center_lon, double center_lat, double truelat1,
                             double truelat2, double stand_lon)
    : kind_(kind), lon0_(center_lon), lat0_(center_lat), stand_lon_(stand_lon) {
    if (kind_ == Projection::lambert) {
        const double p1 = truelat1 * kDegToRad, p2 = truelat2 * kDegToRad;
        // n = ln(cos φ1 / cos φ2) / ln(tan(π/4+φ2/2) / tan(π/4+φ1/2)); tangent cone: n = sin φ1
        if (std::fabs(truelat1 - truelat2) < 1e-9) {
            n_ = std::sin(p1);
        } else {
            n_ = std::log(std::cos(p1) / std::cos(p2)) / std::log(tan_half(p2) / tan_half(p1));
        }
        // F = cos φ1 tan^n(π/4+φ1/2) / n;  ρ = R F / tan^n(π/4+φ/2)
        f_ = std::cos(p1) * std::pow(tan_half(p1), n_) / n_;
        rho0_ = kEarthRadiusM * f_ / std::pow(tan_half(lat0_ * kDegToRad), n_);
    }
}

XY MapProjection::forward(LonLat p) const {
    switch (kind_) {
    case Projection::latlon:
        return {p.lon_deg, p.lat_deg};
    case Projection::lambert: {
        const double rho = kEarthRadiusM * f_ / std::pow(tan_half(p.lat_deg * kDegToRad), n_);
        const double theta = n_ * wrap_lon(p.lon_deg - stand_lon_) * kDegToRad;
        return {rho * std::sin(theta), rho0_ - rho * std::cos(theta)};
    }
    case Projection::cartesian:
    default: {
        const double phi = p.lat_deg * kDegToRad, phi1 = lat0_ * kDegToRad;
        const double dlam = wrap_lon(p.lon_deg - lon0_) * kDegToRad;
        const double cos_c = std::sin(phi1) * std::sin(phi) + std::cos(phi1) * std::cos(phi) * std::cos(dlam);
        const double c = std::acos(std::fmin(1.0, std::fmax(-1.0, cos_c)));
        const double k = (c < 1e-12) ? 1.0 : c / std::sin(c);
        return {kEarthRadiusM * k * std::cos(phi) * std::sin(dlam),
                kEarthRadiusM * k * (std::cos(phi1) * std::sin(phi) - std::sin(phi1) * std::cos(phi) * std::cos(dlam))};
    }
    }
}

LonLat MapProjection::inverse(XY p) const {
    switch (kind_) {
    case Projection::latlon:
        return {p.x, p.y};
    case Projection::lambert: {
        const double dy = rho0_ - p.y;
        double rho = std::copysign(std::sqrt(p.x * p.x + dy * dy), n_);
        const double theta = std::atan2(n_ > 0 ? p.x : -p.x, n_ > 0 ? dy : -dy);
        const double lat = 2.0 * std::atan(std::pow(kEarthRadiusM * f_ / rho, 1.0 / n_)) - kPi / 2.0;
        return {wrap_lon(stand_lon_ + theta / n_ / kDegToRad), lat / kDegToRad};
    }
    case Projection::cartesian:
    default: {
        const double phi1 = lat0_ * kDegToRad;
        const double rho = std::sqrt(p.x * p.x + p.y * p.y);
        if (rho < 1e-9) return {lon0_, lat0_};
        const double c = rho / kEarthRadiusM;
        const double lat = std::asin(std::cos(c) * std::sin(phi1) + p.y * std::sin(c) * std::cos(phi1) / rho);
        const double lon = lon0_ + std::atan2(p.x * std::sin(c),
                                              rho * std::cos(phi1) * std::cos(c) - p.y * std::sin(phi1) * std::sin(c)) /
                                       kDegToRad;
        return {wrap_lon(lon), lat / kDegToRad};
    }
    }
}

double MapProjection::map_factor(double lat_deg) const {
    switch (kind_) {
    case Projection::lambert: {
        // m = n ρ / (R cos φ)
        const double phi = lat_deg * kDegToRad;
        const double rho = kEarthRadiusM * f_ / std::pow(tan_half(phi), n_);
        return n_ * rho / (kEarthRadiusM * std::cos(phi));
    }
    case Projection::latlon:
        return 1.0 / std::cos(lat_deg * kDegToRad);
    case Projection::cartesian:
    default:
        return 1.0;
    }
}

}  // namespace lantian
