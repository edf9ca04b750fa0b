// The receptor grammar of [receptors] and [regions] declared in receptor_spec.hpp. Text to specs
// only: sampling a grid and writing series is output/receptors.cpp.
#include "config/receptor_spec.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace lantian {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string item;
    std::stringstream ss(s);
    while (std::getline(ss, item, sep)) out.push_back(item);
    if (!s.empty() && s.back() == sep) out.emplace_back();
    return out;
}

double number(const std::string& key, const std::string& item, const std::string& text, const std::string& what, double lo,
              double hi) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(v))
        throw ConfigError(key + ": '" + item + "': " + what + " '" + text + "' is not a number");
    if (v < lo || v > hi) throw ConfigError(key + ": '" + item + "': " + what + " " + text + " is outside [" +
                                            std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v;
}

}  // namespace

std::vector<ReceptorSpec> parse_receptor_specs(const ReceptorsConfig& cfg) {
    std::vector<ReceptorSpec> out;
    auto check_name = [&](const std::string& key, const std::string& item, const std::string& name) {
        if (name.empty()) throw ConfigError(key + ": '" + item + "': the name is empty");
        for (const auto& r : out)
            if (r.name == name) throw ConfigError(key + ": '" + item + "': the name " + name + " is used twice");
    };
    for (const std::string& item : cfg.stations) {
        const std::string key = "receptors.stations";
        const auto parts = split(item, ':');
        if (parts.size() != 3) throw ConfigError(key + ": '" + item + "': expected NAME:lon:lat");
        check_name(key, item, parts[0]);
        ReceptorSpec r;
        r.name = parts[0];
        r.lon = number(key, item, parts[1], "longitude", -180, 360);
        r.lat = number(key, item, parts[2], "latitude", -90, 90);
        out.push_back(r);
    }
    for (const std::string& item : cfg.cities) {
        const std::string key = "receptors.cities";
        const auto colon = item.find(':');
        if (colon == std::string::npos) throw ConfigError(key + ": '" + item + "': expected NAME:lon:lat:radius_km or NAME:lon/lat;lon/lat;…");
        ReceptorSpec r;
        r.kind = ReceptorSpec::Kind::city;
        r.name = item.substr(0, colon);
        check_name(key, item, r.name);
        const std::string rest = item.substr(colon + 1);
        if (rest.find('/') != std::string::npos) {
            for (const std::string& vertex : split(rest, ';')) {
                const auto xy = split(vertex, '/');
                if (xy.size() != 2) throw ConfigError(key + ": '" + item + "': vertex '" + vertex + "' is not lon/lat");
                r.polygon.push_back({number(key, item, xy[0], "longitude", -180, 360), number(key, item, xy[1], "latitude", -90, 90)});
            }
            if (r.polygon.size() < 3) throw ConfigError(key + ": '" + item + "': a polygon needs at least 3 vertices");
            for (const auto& v : r.polygon) {
                r.lon += v.lon_deg / r.polygon.size();
                r.lat += v.lat_deg / r.polygon.size();
            }
        } else {
            const auto parts = split(rest, ':');
            if (parts.size() != 3) throw ConfigError(key + ": '" + item + "': expected NAME:lon:lat:radius_km");
            r.lon = number(key, item, parts[0], "longitude", -180, 360);
            r.lat = number(key, item, parts[1], "latitude", -90, 90);
            r.radius_km = number(key, item, parts[2], "radius_km", 0.1, 1000);
        }
        out.push_back(r);
    }
    return out;
}

}  // namespace lantian
