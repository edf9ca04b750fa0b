// Region membership.
#include "scenarios/regions.hpp"

namespace lantian {

RegionSet::RegionSet(const RegionsConfig& cfg) {
    ReceptorsConfig as_cities;
    as_cities.cities = cfg.areas;
    areas_ = parse_receptors(as_cities);
}

std::string RegionSet::region_of(double lon, double lat) const {
    for (const Receptor& a : areas_)
        if (city_contains(a, lon, lat)) return a.name;
    return "";
}

std::string RegionSet::region_of(const std::vector<LonLat>& path) const {
    if (path.empty()) return "";
    double lon = 0, lat = 0;
    for (const auto& v : path) {
        lon += v.lon_deg / path.size();
        lat += v.lat_deg / path.size();
    }
    return region_of(lon, lat);
}

std::vector<std::string> RegionSet::names() const {
    std::vector<std::string> out;
    for (const auto& a : areas_) out.push_back(a.name);
    return out;
}

bool RegionSet::has(const std::string& name) const {
    for (const auto& a : areas_)
        if (a.name == name) return true;
    return false;
}

}  // namespace lantian
