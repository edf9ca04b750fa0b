// Background profiles: the photochemical table and the seasonal climatology; see the header.
#include "chemistry/background_profiles.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "chemistry/builtin_mechanisms.hpp"
#include "chemistry/photochemical_mechanism.hpp"
#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "emissions/csv_table.hpp"

namespace lantian {

namespace {
constexpr double kAirMolarMass = 28.97;  // g mol-1, dry air
constexpr const char* kSeasonNames[4] = {"winter", "spring", "summer", "autumn"};

bool species_name_ok(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

BoundaryClimatology climatology_from_table(const CsvTable& t) {
    const std::size_t c_species = t.require("species"), c_season = t.require("season"), c_z = t.require("height_m"),
                      c_value = t.require("value"), c_unit = t.require("unit");
    if (t.header.size() != 5)
        for (std::size_t c = 0; c < t.header.size(); ++c)
            if (c != c_species && c != c_season && c != c_z && c != c_value && c != c_unit)
                throw ConfigError(t.path + ":" + std::to_string(t.header_line) + ": header: unknown column '" +
                                  t.header[c] + "' (species,season,height_m,value,unit)");
    BoundaryClimatology out;
    out.path = t.path;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& name = t.cell(r, c_species);
        if (!species_name_ok(name)) t.fail(r, c_species, "not a species name (letters, digits and _)");
        const std::string& season = t.cell(r, c_season);
        int k = 0;
        while (k < 4 && season != kSeasonNames[k]) ++k;
        if (k == 4) t.fail(r, c_season, "unknown season; use winter, spring, summer or autumn");
        const std::string& unit = t.cell(r, c_unit);
        if (unit != "ug_m3" && unit != "ppb") t.fail(r, c_unit, "unknown unit; use ug_m3 (µg m-3) or ppb (nmol mol-1)");
        const double z = t.number(r, c_z, 0, 1e5, "a height in [0, 100000] m above ground");
        const double v = t.number(r, c_value, 0, 1e7, "a value in [0, 1e7]");
        ClimatologyProfile& p = out.species[name][static_cast<std::size_t>(k)];
        if (p.points.empty()) {
            p.ppb = unit == "ppb";
            p.line = t.line_numbers[r];
        } else {
            if (p.ppb != (unit == "ppb"))
                t.fail(r, c_unit, "the unit of " + name + " in " + season + " changes within its profile (line " +
                                      std::to_string(p.line) + " has " + (p.ppb ? "ppb" : "ug_m3") + ")");
            if (!(z > p.points.back().first))
                t.fail(r, c_z, "heights of " + name + " in " + season + " must increase from row to row");
        }
        p.points.emplace_back(z, v);
    }
    return out;
}

BackgroundProfiles from_table(const CsvTable& t) {
    const std::size_t c_species = t.require("species"), c_z = t.require("height_m"), c_ppb = t.require("ppb");
    BackgroundProfiles out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& name = t.cell(r, c_species);
        if (name.empty()) t.fail(r, c_species, "empty species name");
        const double z = t.number(r, c_z, 0, 1e5, "a height in [0, 100000] m");
        const double ppb = t.number(r, c_ppb, 0, 1e7, "a mixing ratio in [0, 1e7] ppb");
        auto& points = out[name];
        if (!points.empty() && !(z > points.back().first))
            t.fail(r, c_z, "heights of " + name + " must increase from row to row");
        points.emplace_back(z, ppb);
    }
    return out;
}
}  // namespace

BackgroundProfiles parse_background_profiles(const std::string& csv_text, const std::string& label) {
    return from_table(parse_csv_text(csv_text, label));
}

BackgroundProfiles load_background_profiles(const Config& cfg) {
    if (cfg.chemistry.background_file.empty())
        return parse_background_profiles(builtin_cb6r3_background(), "built-in configs/mechanisms/cb6r3_background.csv");
    return from_table(read_csv_file(resolve_path(cfg, cfg.chemistry.background_file)));
}

BoundaryClimatology parse_boundary_climatology(const std::string& csv_text, const std::string& label) {
    return climatology_from_table(parse_csv_text(csv_text, label));
}

BoundaryClimatology read_boundary_climatology(const std::string& path) { return climatology_from_table(read_csv_file(path)); }

BoundarySeason resolve_boundary_season(BoundarySeason key, int start_month, double latitude_deg) {
    if (key != BoundarySeason::auto_) return key;
    int m = ((start_month - 1) % 12 + 12) % 12 + 1;  // 1..12
    if (latitude_deg < 0) m = (m + 5) % 12 + 1;       // southern hemisphere: six months on
    if (m == 12 || m <= 2) return BoundarySeason::winter;
    if (m <= 5) return BoundarySeason::spring;
    if (m <= 8) return BoundarySeason::summer;
    return BoundarySeason::autumn;
}

int season_index(BoundarySeason season) {
    switch (season) {
        case BoundarySeason::winter: return 0;
        case BoundarySeason::spring: return 1;
        case BoundarySeason::summer: return 2;
        case BoundarySeason::autumn: return 3;
        case BoundarySeason::auto_: break;
    }
    throw std::logic_error("season_index: the season must be resolved first");
}

double standard_atmosphere_density_kg_m3(double z_m) {
    // U.S. Standard Atmosphere (1976), z as geopotential height: T = T0 − L z,
    // p = p0 (T / T0)^(g / (R_d L)) up to 11 km; above, T = 216.65 K and p = p11 exp(−g (z − 11 km) /
    // (R_d T)) (the standard's 11–20 km layer, extended upwards). ρ = p / (R_d T).
    constexpr double kT0 = 288.15, kP0 = 101325.0, kLapse = 0.0065, kRd = 287.053, kG = 9.80665;
    constexpr double kExponent = kG / (kRd * kLapse);  // 5.2559
    const double z = std::min(z_m, 11000.0);
    const double t = kT0 - kLapse * z;
    double p = kP0 * std::pow(t / kT0, kExponent);
    if (z_m > 11000.0) p *= std::exp(-kG * (z_m - 11000.0) / (kRd * t));
    return p / (kRd * t);
}

std::vector<std::vector<std::pair<double, double>>> climatology_mixing_ratio_profiles(
    const BoundaryClimatology& clim, BoundarySeason season, const std::vector<std::string>& species,
    const SpeciesPropertiesTable& table, double elevation_m) {
    const int k = season_index(season);
    const std::set<std::string> run(species.begin(), species.end());
    for (const auto& [name, seasons] : clim.species)
        if (!run.count(name) && !table.find(name)) {
            int line = 0;
            for (const auto& p : seasons)
                if (!p.points.empty() && (line == 0 || p.line < line)) line = p.line;
            throw ConfigError(clim.path + ":" + std::to_string(line) + ": species: " + name +
                              ": unknown species (neither in species.names nor in the species table)");
        }
    std::vector<std::vector<std::pair<double, double>>> out(species.size());
    for (std::size_t s = 0; s < species.size(); ++s) {
        const auto it = clim.species.find(species[s]);
        if (it == clim.species.end()) continue;
        const ClimatologyProfile& p = it->second[static_cast<std::size_t>(k)];
        if (p.points.empty()) {
            int line = 0;
            for (const auto& other : it->second)
                if (!other.points.empty()) line = line == 0 ? other.line : std::min(line, other.line);
            throw ConfigError(clim.path + ":" + std::to_string(line) + ": species: " + species[s] + ": no rows for season " +
                              kSeasonNames[k] + " (the run's season; species.boundary_season)");
        }
        double factor = 0;  // ppb -> µg kg-1
        if (p.ppb) {
            const SpeciesProperties* props = table.find(species[s]);
            if (!props || props->molar_mass_g_mol <= 0)
                throw ConfigError(clim.path + ":" + std::to_string(p.line) + ": unit: ppb: " + species[s] +
                                  " has no molar mass in the species table; give it in ug_m3");
            factor = props->molar_mass_g_mol / kAirMolarMass;
        }
        for (const auto& [z, value] : p.points)
            out[s].emplace_back(z, p.ppb ? value * factor : value / standard_atmosphere_density_kg_m3(elevation_m + z));
    }
    return out;
}

std::vector<std::vector<std::pair<double, double>>> background_mixing_ratio_profiles(const Config& cfg, const Grid& grid,
                                                                                  const std::vector<std::string>& species) {
    std::vector<std::vector<std::pair<double, double>>> out(species.size());
    auto keeps_key = [&](const std::string& name) { return cfg.species.background_ug_m3.count(name) > 0; };
    if (!cfg.species.boundary_climatology.empty()) {
        const BoundaryClimatology clim = read_boundary_climatology(resolve_path(cfg, cfg.species.boundary_climatology));
        const SpeciesPropertiesTable table = cfg.species.table.empty()
                                                 ? SpeciesPropertiesTable::builtin()
                                                 : SpeciesPropertiesTable::from_file(resolve_path(cfg, cfg.species.table));
        // The start month (UTC) and the hemisphere of the domain centre, as removal.season does.
        const int month = civil_from_days(static_cast<long long>(std::floor(parse_iso_time_utc(cfg.run.start) / 86400.0))).month;
        const std::vector<double>& lat = grid.lat();
        const BoundarySeason season =
            resolve_boundary_season(cfg.species.boundary_season, month, lat.empty() ? 0.0 : lat[lat.size() / 2]);
        auto clim_points = climatology_mixing_ratio_profiles(clim, season, species, table, cfg.species.boundary_elevation_m);
        for (std::size_t s = 0; s < species.size(); ++s)
            if (!keeps_key(species[s])) out[s] = std::move(clim_points[s]);
    }
    if (cfg.chemistry.mechanism == ChemistryMechanism::linear) return out;
    const chem::Mechanism mech = load_mechanism(cfg);
    const BackgroundProfiles table = load_background_profiles(cfg);
    for (std::size_t s = 0; s < species.size(); ++s) {
        const auto it = table.find(species[s]);
        const int ms = mech.find_species(species[s]);
        if (it == table.end() || ms < 0 || keeps_key(species[s]) || !out[s].empty()) continue;
        const double molar_mass = mech.species[static_cast<std::size_t>(ms)].molar_mass_g_mol;
        for (const auto& [z, ppb] : it->second) out[s].emplace_back(z, ppb * molar_mass / kAirMolarMass);
    }
    return out;
}

double profile_ppb(const std::vector<std::pair<double, double>>& p, double z_m) {
    if (p.empty()) return 0.0;
    if (z_m <= p.front().first) return p.front().second;
    for (std::size_t i = 1; i < p.size(); ++i)
        if (z_m <= p[i].first) {
            const double w = (z_m - p[i - 1].first) / (p[i].first - p[i - 1].first);
            return p[i - 1].second + w * (p[i].second - p[i - 1].second);
        }
    return p.back().second;
}

}  // namespace lantian
