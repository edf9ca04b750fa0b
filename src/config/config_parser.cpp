// Reading a configuration: the INI pre-scan that maps keys to line numbers, overrides from the
// command line, and the one validator that names the key, the value and what is allowed. The keys
// themselves are declared in config_keys.cpp. Data files named by keys are only checked for
// existence here, never read.
#include "config/config_parser.hpp"

#include "config/config_keys.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <type_traits>
#include <utility>

#include <boost/program_options.hpp>

#include "config/alert_levels.hpp"
#include "config/receptor_spec.hpp"
#include "config/scenario_spec.hpp"
#include "config/time_utils.hpp"

namespace lantian {

namespace {

using namespace key_table_detail;
namespace po = boost::program_options;
namespace fs = std::filesystem;

// ---- Reading -----------------------------------------------------------------------------------

// The INI text as Boost will see it (comments removed, one "[section]" or "key=value" per line, so
// line numbers are kept) and the line of every key. Rejects what Boost would reject, with lines.
struct ScannedIni {
    std::string boost_text;
    std::map<std::string, int> line_of;
};

ScannedIni scan_ini(const std::string& text, const std::string& file) {
    ScannedIni scanned;
    std::istringstream in(text);
    std::string raw;
    std::string section;
    int line = 0;
    while (std::getline(in, raw)) {
        ++line;
        if (line == 1) drop_utf8_bom(raw);
        std::string s = trim(raw);
        if (s.empty() || s.front() == ';' || s.front() == '#') {
            scanned.boost_text += '\n';
            continue;
        }
        s = trim(s.substr(0, s.find('#')));  // Boost's rule: '#' starts a comment anywhere on a line
        const std::string here = file + ":" + std::to_string(line) + ": ";
        if (s.front() == '[') {
            if (s.back() != ']') throw ConfigError(here + s + ": a section header must be [name]");
            section = trim(s.substr(1, s.size() - 2));
            if (!is_section(section))
                throw ConfigError(here + "[" + section + "]: unknown section; known sections: " + known_sections());
            scanned.boost_text += "[" + section + "]\n";
            continue;
        }
        const auto equals = s.find('=');
        if (equals == std::string::npos)
            throw ConfigError(here + s + ": expected [section], key = value, or a comment starting with ; or #");
        const std::string name = trim(s.substr(0, equals));
        const std::string value = trim(s.substr(equals + 1));
        if (name.empty()) throw ConfigError(here + "= " + value + ": missing key name before '='");
        if (section.empty())
            throw ConfigError(here + name + " = " + value + ": key outside any [section]; known sections: " +
                              known_sections());
        const std::string key = section + "." + name;
        if (!find_key(key)) throw ConfigError(here + key + " = " + value + ": " + unknown_key_reason(section));
        if (const auto first = scanned.line_of.find(key); first != scanned.line_of.end())
            throw ConfigError(here + key + " = " + value + ": duplicate key; already set at " + file + ":" +
                              std::to_string(first->second));
        scanned.line_of[key] = line;
        scanned.boost_text += name + "=" + value + "\n";
    }
    return scanned;
}

po::parsed_options parse_ini(const std::string& text, const std::string& label) {
    std::istringstream in(text);
    try {
        return po::parse_config_file(in, options(), false);
    } catch (const po::error& e) {
        throw ConfigError(label + ": " + e.what());
    }
}

// "section.key=value" -> INI text "[section]\nkey=value\n", after checking section and key.
std::string override_as_ini(const std::string& text, std::string& key_out) {
    const auto equals = text.find('=');
    if (equals == std::string::npos)
        throw ConfigError("command line: " + text + ": an override must be section.key=value (e.g. grid.nx=200)");
    const std::string key = trim(text.substr(0, equals));
    const std::string value = trim(text.substr(equals + 1));
    const std::string here = "command line: " + key + " = " + value + ": ";
    const auto dot = key.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == key.size())
        throw ConfigError(here + "an override must be section.key=value; the section is missing (e.g. grid.nx=200)");
    if (value.find('\n') != std::string::npos) throw ConfigError(here + "a value must fit on one line");
    const std::string section = key.substr(0, dot);
    if (!is_section(section))
        throw ConfigError(here + "unknown section [" + section + "]; known sections: " + known_sections());
    if (!find_key(key)) throw ConfigError(here + unknown_key_reason(section));
    key_out = key;
    return "[" + section + "]\n" + key.substr(dot + 1) + "=" + value + "\n";
}

Config load(const std::string& ini_text, const std::string& label, const std::vector<std::string>& overrides,
            bool check_files = true) {
    KeyLines where;
    where.file = label;
    po::variables_map stored;
    try {
        // Boost keeps the first value it stores, so overrides go in first, the last one on the
        // command line first of all (it wins among repeats), then the file.
        std::vector<po::parsed_options> parsed_overrides;
        for (const auto& text : overrides) {
            std::string key;
            parsed_overrides.push_back(parse_ini(override_as_ini(text, key), "command line"));
            where.command_line.insert(key);
        }
        for (auto it = parsed_overrides.rbegin(); it != parsed_overrides.rend(); ++it) po::store(*it, stored);
        const ScannedIni scanned = scan_ini(ini_text, label);
        where.file_line = scanned.line_of;
        po::store(parse_ini(scanned.boost_text, label), stored);
    } catch (const po::error& e) {
        throw ConfigError(label + ": " + e.what());
    }
    Config config;
    for (const auto& d : key_table()) {
        if (!stored.count(d.key)) continue;
        const auto& value = stored[d.key].as<std::string>();
        try {
            d.set(config, value);
        } catch (const BadValue& e) {
            throw ConfigError(where.prefix(d.key) + d.key + " = " + value + ": " + e.what());
        }
    }
    config.source_file = label;
    where.check_files = check_files;
    validate(config, where);
    return config;
}

bool is_species_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_';
    });
}

}  // namespace

// ---- Public ------------------------------------------------------------------------------------

std::string KeyLines::prefix(const std::string& key) const {
    if (command_line.count(key)) return "command line: ";
    if (const auto it = file_line.find(key); it != file_line.end()) return file + ":" + std::to_string(it->second) + ": ";
    return file.empty() ? std::string() : file + ": ";
}

Config load_config(const std::string& ini_path, const std::vector<std::string>& overrides) {
    std::string text;
    if (!ini_path.empty()) {
        std::ifstream in(ini_path, std::ios::binary);
        std::error_code ignored;
        if (!in || fs::is_directory(ini_path, ignored)) throw ConfigError(ini_path + ": cannot open config file");
        std::ostringstream contents;
        contents << in.rdbuf();
        text = contents.str();
    }
    return load(text, ini_path, overrides);
}

Config load_stored_config(const std::string& ini_text, const std::string& name_for_messages) {
    return load(ini_text, name_for_messages, {}, false);
}

Config load_config_text(const std::string& ini_text, const std::string& name_for_messages,
                        const std::vector<std::string>& overrides) {
    return load(ini_text, name_for_messages, overrides);
}

void validate(const Config& c, const KeyLines& where) {
    const auto fail = [&](const std::string& key, const std::string& reason) {
        throw ConfigError(where.prefix(key) + key + " = " + find_key(key)->get(c) + ": " + reason);
    };

    // Ranges from the table.
    for (const auto& d : key_table()) {
        if (!d.range) continue;
        for (const double value : d.numbers(c)) {
            if (d.range->contains(value)) continue;
            if (d.holds_list) fail(d.key, "every value " + d.range->describe() + "; " + format_number(value) + " is not");
            fail(d.key, d.range->describe());
        }
    }

    // [run]
    double start_s = 0.0;
    std::string reason;
    if (!try_parse_iso_time_utc(c.run.start, start_s, reason)) fail("run.start", reason);
    if (c.run.min_dt_s > c.run.max_dt_s)
        fail("run.min_dt_s", "must not exceed run.max_dt_s = " + format_number(c.run.max_dt_s));

    // [grid]
    if (c.grid.projection == Projection::lambert) {
        constexpr double pole_deg = 90.0;
        for (const auto& [key, latitude] : {std::pair{"grid.truelat1", c.grid.truelat1},
                                            std::pair{"grid.truelat2", c.grid.truelat2}}) {
            if (latitude == 0.0 || std::abs(latitude) >= pole_deg)
                fail(key, "a lambert grid needs 0 < |true latitude| < 90");
        }
        if ((c.grid.truelat1 > 0.0) != (c.grid.truelat2 > 0.0))
            fail("grid.truelat2", "must be in the same hemisphere as grid.truelat1 = " + format_number(c.grid.truelat1));
    }
    if (c.grid.projection == Projection::polar && c.grid.truelat1 == 0.0)
        fail("grid.truelat1", "a polar_stereographic grid needs a nonzero true latitude (its sign picks the pole)");
    if (c.grid.projection == Projection::mercator && std::abs(c.grid.truelat1) >= 90.0)
        fail("grid.truelat1", "a mercator grid needs |true latitude| < 90");
    const auto& faces = c.grid.layer_faces_m;
    if (!faces.empty()) {
        if (faces.size() < 2) fail("grid.layer_faces_m", "needs at least 2 faces (one layer)");
        if (faces.front() != 0.0) fail("grid.layer_faces_m", "the first face must be 0 (the ground)");
        for (std::size_t k = 1; k < faces.size(); ++k)
            if (!(faces[k] > faces[k - 1]))
                fail("grid.layer_faces_m", "faces must strictly increase (face " + std::to_string(k + 1) + " = " +
                                               format_number(faces[k]) + " is not above " +
                                               format_number(faces[k - 1]) + ")");
    }
    if (!(c.grid.first_layer_m < c.grid.top_m))
        fail("grid.first_layer_m", "must be below grid.top_m = " + format_number(c.grid.top_m));

    // [met]
    if (c.met.mo_length_m == 0.0) fail("met.mo_length_m", "must not be 0 (use a large |L| for neutral)");
    // (A forecast cycle's forecast.weather names the files of each date instead.)
    if (c.met.source == MetKind::wrf && c.met.files.empty() && c.forecast.weather.empty())
        fail("met.files", "is required with met.source = wrf (the wrfout files or a glob pattern; or forecast.weather in a cycle)");
    if (c.met.i1 >= 0 && c.met.i1 < c.met.i0) fail("met.i1", "must be >= met.i0 (or -1 for the last column)");
    if (c.met.j1 >= 0 && c.met.j1 < c.met.j0) fail("met.j1", "must be >= met.j0 (or -1 for the last row)");
    if (!(c.met.front_duration_h < c.met.episode_cycle_h))
        fail("met.front_duration_h", "must be below met.episode_cycle_h = " + format_number(c.met.episode_cycle_h));

    // [species]
    const auto& names = c.species.names;
    if (names.empty()) fail("species.names", "needs at least one species");
    for (std::size_t k = 0; k < names.size(); ++k) {
        if (!is_species_name(names[k]))
            fail("species.names", "'" + names[k] + "' is not a species name; use letters, digits and _");
        if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(k), names[k]) !=
            names.begin() + static_cast<std::ptrdiff_t>(k))
            fail("species.names", names[k] + " is listed twice");
    }
    for (const auto& [key, values] : {std::pair{"species.background_ug_m3", &c.species.background_ug_m3},
                                      std::pair{"species.deposition_velocity_m_s", &c.species.deposition_velocity_m_s},
                                      std::pair{"species.initial_ug_m3", &c.species.initial_ug_m3}}) {
        // Photochemical mode: the run's species are the mechanism's plus species.names, known only once
        // the mechanism file is read (with_mechanism_species checks these keys then).
        if (c.chemistry.mechanism != ChemistryMechanism::linear) break;
        for (const auto& entry : *values)
            if (std::find(names.begin(), names.end(), entry.first) == names.end())
                fail(key, entry.first + " is not in species.names (" + join(names, " ") + ")");
    }

    // [output]
    if (c.output.file.empty()) fail("output.file", "must name a file");
    if (c.chemistry.mechanism == ChemistryMechanism::linear)
        for (const auto& n : c.output.species)
            if (std::find(names.begin(), names.end(), n) == names.end())
                fail("output.species", n + " is not in species.names (" + join(names, " ") + ")");
    constexpr double whole_records_tolerance = 1e-9;  // records per run: round-off of hours / interval
    const double records = c.run.hours / c.output.interval_h;
    if (std::abs(records - std::round(records)) > whole_records_tolerance)
        fail("output.interval_h",
             "must divide run.hours = " + format_number(c.run.hours) + " into a whole number of records");
    if (!c.output.state_hours.empty() && c.output.state_file.empty())
        fail("output.state_hours", "needs output.state_file (the file the states go to)");
    if (!c.output.state_file.empty() && c.output.state_hours.empty())
        fail("output.state_file", "needs output.state_hours (when to write the state, e.g. 24 48)");
    if (!c.output.state_file.empty() && c.output.state_file == c.output.file)
        fail("output.state_file", "must differ from output.file");
    if (c.output.aerosol_diagnostics) {
        // Aerosol water and pH come from the sulfate–nitrate–ammonium equilibrium of the
        // photochemical mode, which needs its particle species and ammonia.
        if (c.chemistry.mechanism != ChemistryMechanism::cb6r3)
            fail("output.aerosol_diagnostics",
                 "needs chemistry.mechanism = cb6r3 (aerosol water and pH come from the aerosol equilibrium of the "
                 "photochemical mode; this run's chemistry is linear). Set output.aerosol_diagnostics = false, or "
                 "chemistry.mechanism = cb6r3");
        std::string missing;
        for (const char* n : {"SO4", "NO3", "NH4", "NH3"})
            if (std::find(names.begin(), names.end(), n) == names.end()) missing += std::string(missing.empty() ? "" : " ") + n;
        if (!missing.empty())
            fail("output.aerosol_diagnostics", "needs the species of the aerosol equilibrium in species.names: " + missing +
                                                   " missing (species.names = " + join(names, " ") + ")");
    }
    for (std::size_t k = 0; k < c.output.state_hours.size(); ++k) {
        const double h = c.output.state_hours[k];
        const double n = h / c.output.interval_h;
        if (std::abs(n - std::round(n)) > whole_records_tolerance)
            fail("output.state_hours", format_number(h) + " h is not a multiple of output.interval_h = " +
                                           format_number(c.output.interval_h) + " h (states go with output records)");
        if (h > c.run.hours * (1 + whole_records_tolerance))
            fail("output.state_hours", format_number(h) + " h is after the end of the run (run.hours = " +
                                           format_number(c.run.hours) + ")");
        if (k > 0 && !(h > c.output.state_hours[k - 1]))
            fail("output.state_hours", "hours must increase (" + format_number(h) + " after " +
                                           format_number(c.output.state_hours[k - 1]) + ")");
    }

    // [alerts], [receptors]: the texts parse
    for (const auto& [key, text] : {std::pair{"alerts.yellow", &c.alerts.yellow}, std::pair{"alerts.orange", &c.alerts.orange},
                                    std::pair{"alerts.red", &c.alerts.red}}) {
        try {
            parse_alert_rule(key, *text);
        } catch (const ConfigError& e) {
            fail(key, std::string(e.what()).substr(std::string(key).size() + 3 + text->size() + 2));
        }
    }
    try {
        parse_receptor_specs(c.receptors);
    } catch (const ConfigError& e) {
        const std::string m = e.what();  // "receptors.KEY: 'ITEM': reason"
        fail(m.substr(0, m.find(':')), m.substr(m.find(": ") + 2));
    }

    // [regions]
    try {
        ReceptorsConfig as_cities;
        as_cities.cities = c.regions.areas;
        parse_receptor_specs(as_cities);
    } catch (const ConfigError& e) {
        const std::string m = e.what();
        fail("regions.areas", m.substr(m.find(": ") + 2));
    }
    if ((c.tags.by == TagKind::region || c.tags.by == TagKind::sector_region) && c.regions.areas.empty())
        fail("tags.by", "needs regions.areas (the named areas to tag by)");

    // [dust]
    if (c.dust.windblown && std::find(c.species.names.begin(), c.species.names.end(), "DUST") == c.species.names.end())
        fail("dust.windblown", "needs species DUST in species.names (wind-blown dust is emitted into it); add DUST, "
                               "or set dust.windblown = false");
    if (const auto& box = c.dust.erodible_box; !box.empty()) {
        if (box.size() != 4) fail("dust.erodible_box", "needs 4 numbers: lon_min lat_min lon_max lat_max");
        if (!(box[0] < box[2])) fail("dust.erodible_box", "lon_min must be below lon_max");
        if (!(box[1] < box[3])) fail("dust.erodible_box", "lat_min must be below lat_max");
        if (box[1] < -90 || box[3] > 90) fail("dust.erodible_box", "latitudes must lie in -90..90");
    }

    // [tags]
    if (c.tags.by != TagKind::none && c.chemistry.mechanism != ChemistryMechanism::linear)
        fail("tags.by", "source tags need chemistry.mechanism = linear: with photochemistry (" +
                            std::string("cb6r3") +
                            ") O3 and secondary species depend non-linearly on all sources together, so a share per "
                            "source is not defined. Run each source group as a brute-force scenario instead "
                            "(scenarios.runs = NAME:LIST.csv:always with a list that removes it), or tag in linear mode");
    if (c.tags.by != TagKind::none && !c.scenarios.base) fail("tags.by", "needs scenarios.base = true (tags apportion the base case)");
    if (c.tags.by == TagKind::lists && c.tags.lists.empty()) fail("tags.lists", "is required with tags.by = lists");
    for (const auto& n : c.tags.species)
        if (std::find(names.begin(), names.end(), n) == names.end())
            fail("tags.species", n + " is not in species.names (" + join(names, " ") + ")");
    if (c.tags.by != TagKind::none && c.transport.boundary != BoundaryKind::open)
        fail("tags.by", "needs transport.boundary = open (tags share the fluxes through open edges)");

    // [scenarios]
    if (!c.scenarios.base && c.scenarios.runs.empty())
        fail("scenarios.base", "false needs at least one scenario in scenarios.runs");
    std::vector<std::string> scenario_names;
    for (const std::string& item : c.scenarios.runs) {
        ScenarioSpec spec;
        try {
            spec = parse_scenario_spec(item);
        } catch (const ConfigError& e) {
            fail("scenarios.runs", std::string(e.what()).substr(std::string("scenarios.runs: ").size()));  // "'ITEM': reason"
        }
        if (std::find(scenario_names.begin(), scenario_names.end(), spec.name) != scenario_names.end())
            fail("scenarios.runs", "'" + item + "': the name " + spec.name + " is used twice");
        scenario_names.push_back(spec.name);
        if (spec.triggered && c.receptors.cities.empty())
            fail("scenarios.runs", "'" + item + "': a triggered scenario needs a city (receptors.cities) whose alert triggers it");
        std::error_code error;
        if (where.check_files && !fs::exists(resolve_path(c, spec.list), error))
            fail("scenarios.runs", "'" + item + "': list not found (looked for " + resolve_path(c, spec.list) + ")");
    }

    // [nest]
    if (!c.nest.parent_file.empty() && c.transport.boundary != BoundaryKind::open)
        fail("nest.parent_file", "needs transport.boundary = open (the parent's fields flow in through the edges)");
    if (!c.nest.parent_file.empty() && !c.nest.inner.empty())
        fail("nest.inner", "a nested domain cannot drive inner domains in the same command (one level of nesting: "
                           "run it as the outer of a second command)");

    // [inventory]
    if (!c.inventory.roads.empty() && c.inventory.road_factors.empty())
        fail("inventory.road_factors", "is required when inventory.roads is set (the emission factors of the links)");

    // Files named by keys exist (a key may name several, separated by blanks).
    for (const auto& d : key_table()) {
        if (!d.names_file || !where.check_files) continue;
        for (const std::string& path : split_list(d.get(c))) {
            const std::string resolved = resolve_path(c, path);
            std::error_code error;
            if (!fs::exists(resolved, error)) fail(d.key, "file not found (looked for " + resolved + ")");
            if (fs::is_directory(resolved, error)) fail(d.key, "is a directory, not a file (" + resolved + ")");
        }
    }
}

std::string resolve_path(const Config& config, const std::string& path) {
    if (path.empty() || fs::path(path).is_absolute()) return path;
    const fs::path folder = fs::path(config.source_file).parent_path();
    return fs::absolute(folder / path).lexically_normal().string();
}

}  // namespace lantian
