// The grammar of receptors.stations, receptors.cities and regions.areas: each item's text to a
// named point, circle or polygon in lon/lat. Parsing only; sampling a grid, the geometry of cities
// and the series files are output/receptors.hpp.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/lon_lat.hpp"

namespace lantian {

struct ReceptorSpec {
    enum class Kind { station, city };
    std::string name;
    Kind kind = Kind::station;
    double lon = 0, lat = 0;          // the point, or the city's centre (polygon: vertex mean)
    double radius_km = 0;             // circle cities
    std::vector<LonLat> polygon;      // polygon cities (≥ 3 vertices)
};

// Parses receptors.stations (NAME:lon:lat) and receptors.cities (NAME:lon:lat:radius_km or
// NAME:lon/lat;lon/lat;…), stations first; ConfigError "receptors.KEY: 'ITEM': reason".
std::vector<ReceptorSpec> parse_receptor_specs(const ReceptorsConfig& cfg);

}  // namespace lantian
