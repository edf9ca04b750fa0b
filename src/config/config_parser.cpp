// The key table and everything it drives: option registration for Boost.Program_options, the
// INI pre-scan that maps keys to line numbers, overrides, the validator, and the INI and Markdown
// writers. Every key is declared once, in key_table(); no other code may list keys. Data files
// named by keys are only checked for existence here, never read.
#include "config/config_parser.hpp"

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

namespace po = boost::program_options;
namespace fs = std::filesystem;

// A value that does not parse as its key's type; the caller adds file, line, key and value.
class BadValue : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// ---- Enum tables: one per enum, names <-> values ---------------------------------------------

template <class E>
struct EnumName {
    E value;
    std::string_view name;
};

constexpr std::array<EnumName<Projection>, 3> projection_names{{
    {Projection::lambert, "lambert"},
    {Projection::latlon, "latlon"},
    {Projection::cartesian, "cartesian"},
}};
constexpr std::array<EnumName<MetKind>, 7> met_kind_names{{
    {MetKind::episode, "episode"},
    {MetKind::uniform, "uniform"},
    {MetKind::rotation, "rotation"},
    {MetKind::swirl, "swirl"},
    {MetKind::ridge, "ridge"},
    {MetKind::surface_layer, "surface_layer"},
    {MetKind::wrf, "wrf"},
}};
constexpr std::array<EnumName<HorizontalDiffusion>, 3> horizontal_diffusion_names{{
    {HorizontalDiffusion::off, "off"},
    {HorizontalDiffusion::constant, "constant"},
    {HorizontalDiffusion::smagorinsky, "smagorinsky"},
}};
constexpr std::array<EnumName<KzMode>, 2> kz_mode_names{{
    {KzMode::similarity, "similarity"},
    {KzMode::constant, "constant"},
}};
constexpr std::array<EnumName<ParallelIo>, 2> parallel_io_names{{
    {ParallelIo::gather, "gather"},
    {ParallelIo::collective, "collective"},
}};

constexpr std::array<EnumName<BoundaryKind>, 2> boundary_names{{
    {BoundaryKind::open, "open"},
    {BoundaryKind::periodic, "periodic"},
}};

constexpr std::array<EnumName<PlumeRise>, 2> plume_rise_names{{
    {PlumeRise::briggs, "briggs"},
    {PlumeRise::off, "off"},
}};

constexpr std::array<EnumName<LandClass>, 7> land_class_names{{
    {LandClass::urban, "urban"},
    {LandClass::cropland, "cropland"},
    {LandClass::grassland, "grassland"},
    {LandClass::forest, "forest"},
    {LandClass::water, "water"},
    {LandClass::desert, "desert"},
    {LandClass::snow, "snow"},
}};

constexpr std::array<EnumName<DailyMode>, 2> daily_mode_names{{
    {DailyMode::calendar, "calendar"},
    {DailyMode::rolling24, "rolling24"},
}};

constexpr std::array<EnumName<TagKind>, 5> tag_kind_names{{
    {TagKind::none, "none"},
    {TagKind::sector, "sector"},
    {TagKind::lists, "lists"},
    {TagKind::region, "region"},
    {TagKind::sector_region, "sector_region"},
}};

constexpr const auto& enum_names(Projection) { return projection_names; }
constexpr const auto& enum_names(TagKind) { return tag_kind_names; }
constexpr const auto& enum_names(DailyMode) { return daily_mode_names; }
constexpr const auto& enum_names(LandClass) { return land_class_names; }
constexpr const auto& enum_names(PlumeRise) { return plume_rise_names; }
constexpr const auto& enum_names(MetKind) { return met_kind_names; }
constexpr const auto& enum_names(kernels::Reconstruction) { return kernels::kSchemeNames; }  // owned by the kernels
constexpr const auto& enum_names(HorizontalDiffusion) { return horizontal_diffusion_names; }
constexpr const auto& enum_names(KzMode) { return kz_mode_names; }
constexpr const auto& enum_names(BoundaryKind) { return boundary_names; }
constexpr const auto& enum_names(ParallelIo) { return parallel_io_names; }

template <class E>
std::string_view enum_to_name(E value) {
    for (const auto& entry : enum_names(E{}))
        if (entry.value == value) return entry.name;
    return "invalid";
}

template <class E>
std::vector<std::string> enum_name_list() {
    std::vector<std::string> names;
    for (const auto& entry : enum_names(E{})) names.emplace_back(entry.name);
    return names;
}

// ---- Text helpers ------------------------------------------------------------------------------

bool is_blank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string trim(const std::string& text) {
    std::size_t begin = 0, end = text.size();
    while (begin < end && is_blank(text[begin])) ++begin;
    while (end > begin && is_blank(text[end - 1])) --end;
    return text.substr(begin, end - begin);
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (std::size_t k = 0; k < items.size(); ++k) out += (k ? separator : "") + items[k];
    return out;
}

// Items separated by commas and/or white space; empty items are skipped.
std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::string item;
    for (const char c : text) {
        if (c == ',' || is_blank(c)) {
            if (!item.empty()) items.push_back(std::move(item));
            item.clear();
        } else {
            item += c;
        }
    }
    if (!item.empty()) items.push_back(std::move(item));
    return items;
}

// Shortest text that reads back as the same double (std::to_chars round-trip guarantee).
std::string format_number(double value) {
    char text[64];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

// A finite decimal number, whole text consumed; an optional leading '+' is accepted.
double parse_real(std::string text, const std::string& reason) {
    if (!text.empty() && text.front() == '+' && text.size() > 1 && text[1] != '-') text.erase(0, 1);
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || ptr != end || !std::isfinite(value)) throw BadValue(reason);
    return value;
}

// ---- Parse and format, one overload per field type ---------------------------------------------

constexpr char must_be_number[] = "must be a number";
constexpr char must_be_map[] = "must be NAME:value pairs separated by spaces or commas (NAME=value also works)";

void parse_value(const std::string& text, int& out) {
    int value = 0;
    const char* begin = text.data() + (!text.empty() && text.front() == '+' ? 1 : 0);
    const char* end = text.data() + text.size();
    const auto [ptr, error] = std::from_chars(begin, end, value);
    if (begin == end || error != std::errc() || ptr != end) throw BadValue("must be an integer");
    out = value;
}

void parse_value(const std::string& text, double& out) { out = parse_real(text, must_be_number); }

void parse_value(const std::string& text, bool& out) {
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "true" || lower == "on" || lower == "yes" || lower == "1") {
        out = true;
    } else if (lower == "false" || lower == "off" || lower == "no" || lower == "0") {
        out = false;
    } else {
        throw BadValue("must be true or false (also on/off, yes/no, 1/0)");
    }
}

void parse_value(const std::string& text, std::string& out) { out = text; }

template <class E>
    requires std::is_enum_v<E>
void parse_value(const std::string& text, E& out) {
    for (const auto& entry : enum_names(E{})) {
        if (entry.name == text) {
            out = entry.value;
            return;
        }
    }
    throw BadValue("must be one of " + join(enum_name_list<E>(), ", "));
}

void parse_value(const std::string& text, std::vector<double>& out) {
    std::vector<double> values;
    for (const auto& item : split_list(text))
        values.push_back(parse_real(item, "must be a list of numbers separated by spaces or commas"));
    out = std::move(values);
}

void parse_value(const std::string& text, std::vector<std::string>& out) { out = split_list(text); }

// "SO2:5 NO2:10" or "SO2=5, NO2=10"; blanks around ':' or '=' are allowed.
void parse_value(const std::string& text, std::map<std::string, double>& out) {
    std::map<std::string, double> values;
    const auto is_separator = [](char c) { return c == ',' || is_blank(c); };
    std::size_t pos = 0;
    const std::size_t size = text.size();
    while (true) {
        while (pos < size && is_separator(text[pos])) ++pos;
        if (pos == size) break;
        const std::size_t name_begin = pos;
        while (pos < size && text[pos] != ':' && text[pos] != '=' && !is_separator(text[pos])) ++pos;
        const std::string name = text.substr(name_begin, pos - name_begin);
        while (pos < size && is_blank(text[pos])) ++pos;
        if (name.empty() || pos == size || (text[pos] != ':' && text[pos] != '=')) throw BadValue(must_be_map);
        ++pos;
        while (pos < size && is_blank(text[pos])) ++pos;
        const std::size_t number_begin = pos;
        while (pos < size && !is_separator(text[pos])) ++pos;
        const double value = parse_real(text.substr(number_begin, pos - number_begin), must_be_map);
        if (!values.emplace(name, value).second) throw BadValue(name + " is given twice");
    }
    out = std::move(values);
}

std::string format_value(int value) { return std::to_string(value); }
std::string format_value(double value) { return format_number(value); }
std::string format_value(bool value) { return value ? "true" : "false"; }
std::string format_value(const std::string& value) { return value; }

template <class E>
    requires std::is_enum_v<E>
std::string format_value(E value) {
    return std::string(enum_to_name(value));
}

std::string format_value(const std::vector<double>& values) {
    std::vector<std::string> items;
    for (const double value : values) items.push_back(format_number(value));
    return join(items, " ");
}

std::string format_value(const std::vector<std::string>& values) { return join(values, " "); }

std::string format_value(const std::map<std::string, double>& values) {
    std::vector<std::string> items;
    for (const auto& [name, value] : values) items.push_back(name + ":" + format_number(value));
    return join(items, " ");
}

// The numbers a key holds, for range checks; none for text, enums and flags.
template <class T>
std::vector<double> numbers_of(const T& value) {
    if constexpr (std::is_same_v<T, int> || std::is_same_v<T, double>) {
        return {static_cast<double>(value)};
    } else if constexpr (std::is_same_v<T, std::vector<double>>) {
        return value;
    } else if constexpr (std::is_same_v<T, std::map<std::string, double>>) {
        std::vector<double> numbers;
        for (const auto& entry : value) numbers.push_back(entry.second);
        return numbers;
    } else {
        return {};
    }
}

// ---- Ranges ------------------------------------------------------------------------------------

constexpr double unbounded = std::numeric_limits<double>::infinity();

// An interval every number of a key must lie in, plus an optional sentinel that is also allowed.
struct Range {
    double lo = -unbounded;
    double hi = unbounded;
    bool lo_open = false;
    bool hi_open = false;
    std::optional<double> sentinel;

    Range at_most(double value) const {
        Range r = *this;
        r.hi = value;
        r.hi_open = false;
        return r;
    }
    Range below(double value) const {
        Range r = *this;
        r.hi = value;
        r.hi_open = true;
        return r;
    }
    Range or_exactly(double value) const {
        Range r = *this;
        r.sentinel = value;
        return r;
    }
    bool contains(double value) const {
        if (sentinel && value == *sentinel) return true;
        const bool above_lo = lo_open ? value > lo : value >= lo;
        const bool below_hi = hi_open ? value < hi : value <= hi;
        return above_lo && below_hi;
    }
    // "must be >= 4 and <= 20000"
    std::string describe() const {
        std::vector<std::string> parts;
        if (std::isfinite(lo)) parts.push_back((lo_open ? "> " : ">= ") + format_number(lo));
        if (std::isfinite(hi)) parts.push_back((hi_open ? "< " : "<= ") + format_number(hi));
        std::string text = "must be " + join(parts, " and ");
        if (sentinel) text += " (or exactly " + format_number(*sentinel) + ")";
        return text;
    }
};

Range at_least(double value) {
    Range r;
    r.lo = value;
    return r;
}
Range above(double value) {
    Range r;
    r.lo = value;
    r.lo_open = true;
    return r;
}
Range between(double lo, double hi) { return at_least(lo).at_most(hi); }

// ---- The key table -----------------------------------------------------------------------------

struct KeyDescriptor {
    std::string key;                    // "section.key"
    std::string unit;                   // "" = dimensionless or text
    std::string meaning;                // one or two sentences for docs and --help
    std::vector<std::string> allowed;   // enum names; empty = not an enum
    std::optional<Range> range;         // applies to every number the key holds
    bool names_file = false;            // a path resolved against the config folder; must exist if set
    bool holds_list = false;            // a list or per-species map: the range applies to each value
    std::function<std::string(const Config&)> get;             // current value as INI text
    std::function<void(Config&, const std::string&)> set;      // from INI text; throws BadValue
    std::function<std::vector<double>(const Config&)> numbers; // what the range applies to

    std::string section() const { return key.substr(0, key.find('.')); }
    std::string name() const { return key.substr(key.find('.') + 1); }
};

struct KeyInfo {
    std::string unit;
    std::string meaning;
    std::optional<Range> range = std::nullopt;
    bool names_file = false;
};

template <class Section, class T>
KeyDescriptor bind(std::string key, Section Config::*section, T Section::*field, KeyInfo info) {
    KeyDescriptor d;
    d.key = std::move(key);
    d.unit = std::move(info.unit);
    d.meaning = std::move(info.meaning);
    d.range = info.range;
    d.names_file = info.names_file;
    if constexpr (std::is_enum_v<T>) d.allowed = enum_name_list<T>();
    d.holds_list = std::is_same_v<T, std::vector<double>> || std::is_same_v<T, std::map<std::string, double>>;
    d.get = [section, field](const Config& c) { return format_value(c.*section.*field); };
    d.set = [section, field](Config& c, const std::string& text) { parse_value(text, c.*section.*field); };
    d.numbers = [section, field](const Config& c) { return numbers_of(c.*section.*field); };
    return d;
}

struct SectionInfo {
    std::string_view name;
    std::string_view summary;
};

// Sections in file order; to_ini and the docs follow it.
constexpr std::array<SectionInfo, 17> sections{{
    {"run", "Time span, time-step control and labels."},
    {"grid", "Horizontal projection and size, vertical layers."},
    {"met", "Meteorology: which source, the parameters of the idealized flows, and the boundary layer."},
    {"transport", "Advection, diffusion and lateral boundaries."},
    {"species", "Transported species, their background, dry deposition and initial values."},
    {"sources", "Constant-rate releases (tracer studies and tests): point and box sources in g/s, no sector, no "
                "time profile. Sectoral inventories go in [inventory]."},
    {"inventory", "Sectoral emission inventory: point stacks with plume rise, road links, gridded area sectors, "
                  "temporal profiles and speciation (formats in docs/input-formats.md)."},
    {"removal", "Dry deposition (resistance model), gravitational settling and wet scavenging."},
    {"chemistry", "Linear (first-order) chemistry: SO2 → SO4, NO2 → NO3, NH3 → NH4, with weather-dependent rates."},
    {"receptors", "Stations and cities whose hourly series are written (CSV and CF timeSeries NetCDF) and "
                  "reported by `lantian report`."},
    {"alerts", "Heavy-pollution alert levels from the forecast's daily AQI (HJ 633-2012)."},
    {"scenarios", "Emission-reduction scenarios run together with the base case in one simulation."},
    {"regions", "Named areas: targets of reduction lists (`region:NAME`) and tag groups (`tags.by = region`)."},
    {"tags", "Source apportionment of the base case by emission sector, region or reduction-list group."},
    {"output", "Gridded output file."},
    {"parallel", "MPI runs: the domain decomposition, scenario rank groups and how output is written "
                 "(docs/parallel.md). A single-rank run ignores them."},
    {"checkpoint", "Checkpoints for `lantian run --restart FILE`: written at an interval and when the run is "
                   "stopped by SIGTERM or SIGINT."},
}};

const std::string per_species_form = "`NAME:value` (or `NAME=value`) separated by spaces or commas";

// transport.advection's meaning, from the kernels' list of schemes so the docs follow it.
std::string advection_meaning() {
    std::vector<std::string> items;
    for (const auto& scheme : kernels::kSchemeNames)
        items.push_back("`" + std::string(scheme.name) + "` = " + std::string(scheme.summary));
    return "Advection scheme: " + join(items, "; ") + ".";
}

std::vector<KeyDescriptor> build_key_table() {
    using C = Config;
    std::vector<KeyDescriptor> t;
    // [run]
    t.push_back(bind("run.start", &C::run, &RunConfig::start,
                     {"UTC", "Start of the run, ISO 8601 `YYYY-MM-DDTHH:MM:SS` (a space may replace `T`; a `Z` "
                             "suffix is allowed)."}));
    t.push_back(bind("run.hours", &C::run, &RunConfig::hours, {"h", "Length of the run.", above(0)}));
    t.push_back(bind("run.max_dt_s", &C::run, &RunConfig::max_dt_s,
                     {"s", "Upper bound of the adaptive time step.", above(0)}));
    t.push_back(bind("run.cfl", &C::run, &RunConfig::cfl,
                     {"", "Horizontal Courant limit of the split advection scheme.", above(0).at_most(1)}));
    t.push_back(bind("run.title", &C::run, &RunConfig::title,
                     {"", "Title written to output files and logs (a `#` starts a comment, so do not use one)."}));
    t.push_back(bind("run.log_interval_h", &C::run, &RunConfig::log_interval_h,
                     {"h", "Simulated hours between progress log lines (an integer).", at_least(1)}));
    // [grid]
    t.push_back(bind("grid.projection", &C::grid, &GridConfig::projection,
                     {"", "Horizontal projection: `lambert` (Lambert conformal, as in WRF), `latlon` (regular "
                          "longitude-latitude), `cartesian` (flat x/y in metres)."}));
    t.push_back(bind("grid.nx", &C::grid, &GridConfig::nx, {"", "Cells in x (west-east).", between(4, 20000)}));
    t.push_back(bind("grid.ny", &C::grid, &GridConfig::ny, {"", "Cells in y (south-north).", between(4, 20000)}));
    t.push_back(bind("grid.dx_m", &C::grid, &GridConfig::dx_m,
                     {"m", "Cell size in x (lambert, cartesian).", above(0)}));
    t.push_back(bind("grid.dy_m", &C::grid, &GridConfig::dy_m,
                     {"m", "Cell size in y (lambert, cartesian); 0 = same as `grid.dx_m`.", at_least(0)}));
    t.push_back(bind("grid.dlon_deg", &C::grid, &GridConfig::dlon_deg,
                     {"degrees", "Cell size in longitude (latlon).", above(0)}));
    t.push_back(bind("grid.dlat_deg", &C::grid, &GridConfig::dlat_deg,
                     {"degrees", "Cell size in latitude (latlon).", above(0)}));
    t.push_back(bind("grid.center_lon", &C::grid, &GridConfig::center_lon,
                     {"degrees_east", "Longitude of the domain centre.", between(-180, 360)}));
    t.push_back(bind("grid.center_lat", &C::grid, &GridConfig::center_lat,
                     {"degrees_north", "Latitude of the domain centre.", above(-89).below(89)}));
    t.push_back(bind("grid.truelat1", &C::grid, &GridConfig::truelat1,
                     {"degrees_north",
                      "First true latitude (lambert); for lambert grids nonzero, |value| < 90, and in the same "
                      "hemisphere as `grid.truelat2`.",
                      between(-90, 90)}));
    t.push_back(bind("grid.truelat2", &C::grid, &GridConfig::truelat2,
                     {"degrees_north", "Second true latitude (lambert); same rules as `grid.truelat1`.",
                      between(-90, 90)}));
    t.push_back(bind("grid.stand_lon", &C::grid, &GridConfig::stand_lon,
                     {"degrees_east", "Standard longitude (lambert); the default 1e+09 means `grid.center_lon`.",
                      between(-180, 360).or_exactly(GridConfig{}.stand_lon)}));
    t.push_back(bind("grid.layer_faces_m", &C::grid, &GridConfig::layer_faces_m,
                     {"m", "Explicit layer faces above ground, separated by spaces or commas: start at 0, strictly "
                           "increasing, at least 2 faces. Empty = stretched layers from `grid.nz`, "
                           "`grid.first_layer_m` and `grid.top_m`.",
                      at_least(0)}));
    t.push_back(bind("grid.nz", &C::grid, &GridConfig::nz,
                     {"", "Number of stretched layers (used when `grid.layer_faces_m` is empty).", between(1, 200)}));
    t.push_back(bind("grid.first_layer_m", &C::grid, &GridConfig::first_layer_m,
                     {"m", "Thickness of the lowest stretched layer; below `grid.top_m`.", above(0)}));
    t.push_back(bind("grid.top_m", &C::grid, &GridConfig::top_m,
                     {"m", "Model top above ground (stretched layers).", above(0)}));
    // [met]
    t.push_back(bind("met.source", &C::met, &MetConfig::source,
                     {"", "Meteorology: `episode` (idealized winter episode: stagnation, then a NW cold front), "
                          "`uniform` (constant wind), `rotation` (solid-body rotation), `swirl` (reversing "
                          "deformational flow), `ridge` (flow over a ridge), `surface_layer` (uniform wind with a "
                          "similarity boundary layer from surface parameters), `wrf` (WRF output files, `met.files`; "
                          "the horizontal grid is then the WRF grid or a window of it)."}));
    t.push_back(bind("met.interval_s", &C::met, &MetConfig::interval_s,
                     {"s", "Time between met snapshots (interpolated linearly in time).", above(0)}));
    t.push_back(bind("met.speed_m_s", &C::met, &MetConfig::speed_m_s,
                     {"m s-1", "Wind speed (uniform, ridge; at `met.ref_height_m` for surface_layer).",
                      at_least(0)}));
    t.push_back(bind("met.direction_deg", &C::met, &MetConfig::direction_deg,
                     {"degrees", "Direction the wind blows FROM, meteorological convention (270 = westerly).",
                      between(0, 360)}));
    t.push_back(bind("met.period_h", &C::met, &MetConfig::period_h,
                     {"h", "rotation: time of one revolution; swirl: reversal period.", above(0)}));
    t.push_back(bind("met.ridge_height_m", &C::met, &MetConfig::ridge_height_m,
                     {"m", "Ridge height (ridge).", at_least(0)}));
    t.push_back(bind("met.ridge_halfwidth_m", &C::met, &MetConfig::ridge_halfwidth_m,
                     {"m", "Ridge half-width (ridge).", above(0)}));
    t.push_back(bind("met.ridge_amplitude", &C::met, &MetConfig::ridge_amplitude,
                     {"", "Relative wind speed-up over the ridge crest (ridge).", at_least(0)}));
    t.push_back(bind("met.ridge_oscillation_h", &C::met, &MetConfig::ridge_oscillation_h,
                     {"h", "Period of the time variation of the ridge flow (ridge).", above(0)}));
    t.push_back(bind("met.temperature_k", &C::met, &MetConfig::temperature_k,
                     {"K", "Surface air temperature.", between(150, 350)}));
    t.push_back(bind("met.surface_pressure_pa", &C::met, &MetConfig::surface_pressure_pa,
                     {"Pa", "Surface pressure.", between(30000, 110000)}));
    t.push_back(bind("met.kz_mode", &C::met, &MetConfig::kz_mode,
                     {"", "Vertical diffusivity: `similarity` (from u*, Monin-Obukhov length and PBL height) or "
                          "`constant` (`met.kz_m2_s`)."}));
    t.push_back(bind("met.kz_m2_s", &C::met, &MetConfig::kz_m2_s,
                     {"m2 s-1", "Vertical diffusivity when `met.kz_mode` = constant.", at_least(0)}));
    t.push_back(bind("met.kz_min_m2_s", &C::met, &MetConfig::kz_min_m2_s,
                     {"m2 s-1", "Floor of the vertical diffusivity (above the boundary layer).", at_least(0)}));
    t.push_back(bind("met.ref_height_m", &C::met, &MetConfig::ref_height_m,
                     {"m", "Height at which `met.speed_m_s` is given.", above(0)}));
    t.push_back(bind("met.ustar_m_s", &C::met, &MetConfig::ustar_m_s,
                     {"m s-1", "Friction velocity; > 0 overrides `met.speed_m_s`.", at_least(0)}));
    t.push_back(bind("met.z0_m", &C::met, &MetConfig::z0_m, {"m", "Roughness length.", above(0)}));
    t.push_back(bind("met.mo_length_m", &C::met, &MetConfig::mo_length_m,
                     {"m", "Monin-Obukhov length: negative = unstable, positive = stable, large |L| = neutral; "
                           "must not be 0."}));
    t.push_back(bind("met.pblh_m", &C::met, &MetConfig::pblh_m, {"m", "Boundary-layer height.", above(0)}));
    t.push_back(bind("met.table", &C::met, &MetConfig::table,
                     {"", "Hourly CSV of surface parameters (surface_layer), relative to the config file; empty = "
                          "constant values.",
                      std::nullopt, true}));
    t.push_back(bind("met.episode_cycle_h", &C::met, &MetConfig::episode_cycle_h,
                     {"h", "One build-up plus cold-front clearing (episode).", above(0)}));
    t.push_back(bind("met.front_duration_h", &C::met, &MetConfig::front_duration_h,
                     {"h", "Hours of strong NW flow at the end of each cycle (episode); below "
                           "`met.episode_cycle_h`.",
                      at_least(0)}));
    t.push_back(bind("met.front_speed_m_s", &C::met, &MetConfig::front_speed_m_s,
                     {"m s-1", "Wind speed during the cold front (episode).", at_least(0)}));
    t.push_back(bind("met.stagnant_speed_m_s", &C::met, &MetConfig::stagnant_speed_m_s,
                     {"m s-1", "Wind speed during the stagnant build-up (episode).", at_least(0)}));
    t.push_back(bind("met.relative_humidity", &C::met, &MetConfig::relative_humidity,
                     {"", "Relative humidity (fraction) of the idealized sources; WRF supplies its own.", between(0, 1)}));
    t.push_back(bind("met.files", &C::met, &MetConfig::files,
                     {"", "WRF output files (wrfout) for `met.source = wrf`, separated by spaces; each may be a glob "
                          "pattern (`wrfout_d01_*`); relative to the config file. Times must increase across files "
                          "and cover the run."}));
    t.push_back(bind("met.i0", &C::met, &MetConfig::i0,
                     {"", "First WRF mass column of the model window (0-based).", at_least(0)}));
    t.push_back(bind("met.i1", &C::met, &MetConfig::i1,
                     {"", "Last WRF mass column of the window (0-based, inclusive); -1 = the last.", at_least(-1)}));
    t.push_back(bind("met.j0", &C::met, &MetConfig::j0,
                     {"", "First WRF mass row of the model window (0-based).", at_least(0)}));
    t.push_back(bind("met.j1", &C::met, &MetConfig::j1,
                     {"", "Last WRF mass row of the window (0-based, inclusive); -1 = the last.", at_least(-1)}));
    // [transport]
    t.push_back(bind("transport.advection", &C::transport, &TransportConfig::advection,
                     {"", advection_meaning()}));
    t.push_back(bind("transport.horizontal_diffusion", &C::transport, &TransportConfig::horizontal_diffusion,
                     {"", "Horizontal diffusion: `off`, `constant` (`transport.kh_m2_s`) or `smagorinsky` "
                          "(deformation-based, with `transport.kh_m2_s` as floor)."}));
    t.push_back(bind("transport.kh_m2_s", &C::transport, &TransportConfig::kh_m2_s,
                     {"m2 s-1", "Horizontal diffusivity (constant), also the floor for smagorinsky.", at_least(0)}));
    t.push_back(bind("transport.smagorinsky_c", &C::transport, &TransportConfig::smagorinsky_c,
                     {"", "Smagorinsky coefficient.", at_least(0)}));
    t.push_back(bind("transport.vertical_diffusion", &C::transport, &TransportConfig::vertical_diffusion,
                     {"", "Vertical mixing on or off: `true`/`false` (also `on`/`off`, `yes`/`no`, `1`/`0`)."}));
    t.push_back(bind("transport.boundary", &C::transport, &TransportConfig::boundary,
                     {"", "Lateral boundaries: `open` (background inflow, free outflow) or `periodic`."}));
    // [species]
    t.push_back(bind("species.names", &C::species, &SpeciesConfig::names,
                     {"", "Transported species, separated by spaces or commas; unique names of letters, digits "
                          "and `_`."}));
    t.push_back(bind("species.background_ug_m3", &C::species, &SpeciesConfig::background_ug_m3,
                     {"µg m-3", "Surface background per species, " + per_species_form +
                                    "; species not named get 0. Every name must be in `species.names`.",
                      at_least(0)}));
    t.push_back(bind("species.background_scale_height_m", &C::species, &SpeciesConfig::background_scale_height_m,
                     {"m", "Height scale of the background's decrease with height.", above(0)}));
    t.push_back(bind("species.deposition_velocity_m_s", &C::species, &SpeciesConfig::deposition_velocity_m_s,
                     {"m s-1", "Constant dry deposition velocity per species, " + per_species_form +
                                   "; species not named get 0. Every name must be in `species.names`.",
                      at_least(0)}));
    t.push_back(bind("species.initial_ug_m3", &C::species, &SpeciesConfig::initial_ug_m3,
                     {"µg m-3", "Uniform initial concentration per species, " + per_species_form +
                                    "; empty = start from the background. Every name must be in "
                                    "`species.names`.",
                      at_least(0)}));
    t.push_back(bind("species.table", &C::species, &SpeciesConfig::table,
                     {"", "CSV of species properties (molar mass, size class, PM2.5/PM10 shares, deposition and "
                          "scavenging parameters); empty = the built-in configs/species.csv.", std::nullopt, true}));
    // [sources]
    t.push_back(bind("sources.points", &C::sources, &SourcesConfig::points,
                     {"", "CSV of point sources (stacks), relative to the config file; empty = none.", std::nullopt,
                      true}));
    t.push_back(bind("sources.areas", &C::sources, &SourcesConfig::areas,
                     {"", "CSV of area sources, relative to the config file; empty = none.", std::nullopt, true}));
    // [inventory]
    t.push_back(bind("inventory.points", &C::inventory, &InventoryConfig::points,
                     {"", "CSV of point stacks (one row per stack: sector, location, stack parameters, t/yr per "
                          "pollutant); empty = none.", std::nullopt, true}));
    t.push_back(bind("inventory.roads", &C::inventory, &InventoryConfig::roads,
                     {"", "CSV of road links (polyline, road class, vehicle-km per day by vehicle class); empty = "
                          "none. Needs `inventory.road_factors`.", std::nullopt, true}));
    t.push_back(bind("inventory.road_factors", &C::inventory, &InventoryConfig::road_factors,
                     {"", "CSV of road emission factors (g per vehicle-km by vehicle class, road class and "
                          "pollutant).", std::nullopt, true}));
    t.push_back(bind("inventory.areas", &C::inventory, &InventoryConfig::areas,
                     {"", "Gridded area-sector files on regular longitude-latitude cells, `.csv` or CF `.nc`, "
                          "separated by spaces (paths without spaces); regridded conservatively.", std::nullopt, true}));
    t.push_back(bind("inventory.profiles", &C::inventory, &InventoryConfig::profiles,
                     {"", "CSV of temporal profiles (month x weekday x hour per sector); empty = the built-in "
                          "defaults (configs/profiles/temporal_profiles.csv).", std::nullopt, true}));
    t.push_back(bind("inventory.speciation", &C::inventory, &InventoryConfig::speciation,
                     {"", "CSV mapping inventory pollutants to model species; empty = the built-in defaults "
                          "(configs/profiles/speciation.csv).", std::nullopt, true}));
    t.push_back(bind("inventory.utc_offset_h", &C::inventory, &InventoryConfig::utc_offset_h,
                     {"h", "Local time of the temporal profiles = UTC + this (China Standard Time = 8).",
                      between(-12, 14)}));
    t.push_back(bind("inventory.plume_rise", &C::inventory, &InventoryConfig::plume_rise,
                     {"", "Plume rise of point stacks: `briggs` (recomputed from the weather at every weather "
                          "update) or `off` (release at the stack height)."}));
    t.push_back(bind("inventory.min_wind_m_s", &C::inventory, &InventoryConfig::min_wind_m_s,
                     {"m s-1", "Wind-speed floor of the plume-rise formulas.", above(0).at_most(10)}));
    t.push_back(bind("inventory.stack_tip_downwash", &C::inventory, &InventoryConfig::stack_tip_downwash,
                     {"", "Briggs stack-tip downwash (lower release when the exit velocity is below 1.5 x wind)."}));
    t.push_back(bind("inventory.min_dtheta_dz_k_m", &C::inventory, &InventoryConfig::min_dtheta_dz_k_m,
                     {"K m-1", "Floor of the potential-temperature lapse rate in the stable plume-rise branch.",
                      above(0).at_most(0.1)}));
    // [removal]
    t.push_back(bind("removal.land_class", &C::removal, &RemovalConfig::land_class,
                     {"", "Land class of the surface for the dry-deposition surface resistance: urban, cropland, "
                          "grassland, forest, water, desert, snow."}));
    t.push_back(bind("removal.dry_deposition", &C::removal, &RemovalConfig::dry_deposition,
                     {"", "Dry deposition by the resistance model (r_a + r_b + r_c; particles with settling); "
                          "`species.deposition_velocity_m_s` replaces it for the species it names."}));
    t.push_back(bind("removal.settling", &C::removal, &RemovalConfig::settling,
                     {"", "Gravitational settling of particles through the layers (Stokes velocity with slip "
                          "correction)."}));
    t.push_back(bind("removal.wet_scavenging", &C::removal, &RemovalConfig::wet_scavenging,
                     {"", "Wet scavenging Λ = a P^b with a, b from the species table and P the precipitation rate."}));
    // [chemistry]
    t.push_back(bind("chemistry.enabled", &C::chemistry, &ChemistryConfig::enabled,
                     {"", "Linear chemistry on/off (each conversion runs when both of its species are in "
                          "`species.names`)."}));
    t.push_back(bind("chemistry.so2_gas_per_h", &C::chemistry, &ChemistryConfig::so2_gas_per_h,
                     {"h-1", "Gas-phase SO2 → SO4 (OH) rate at overhead sun; scaled by cos(solar zenith).", between(0, 10)}));
    t.push_back(bind("chemistry.so2_het_per_h", &C::chemistry, &ChemistryConfig::so2_het_per_h,
                     {"h-1", "Heterogeneous SO2 → SO4 rate at saturation; × ((RH − threshold)/(1 − threshold))² above "
                             "the threshold.", between(0, 10)}));
    t.push_back(bind("chemistry.het_rh_threshold", &C::chemistry, &ChemistryConfig::het_rh_threshold,
                     {"", "Relative humidity (fraction) below which the heterogeneous SO2 path is off.", between(0, 0.99)}));
    t.push_back(bind("chemistry.no2_day_per_h", &C::chemistry, &ChemistryConfig::no2_day_per_h,
                     {"h-1", "Daytime NO2 → NO3 (OH) rate at overhead sun; scaled by cos(solar zenith).", between(0, 10)}));
    t.push_back(bind("chemistry.no2_night_per_h", &C::chemistry, &ChemistryConfig::no2_night_per_h,
                     {"h-1", "Night-time NO2 → NO3 (N2O5 hydrolysis) rate, × RH, when the sun is down.", between(0, 10)}));
    t.push_back(bind("chemistry.nh3_per_h", &C::chemistry, &ChemistryConfig::nh3_per_h,
                     {"h-1", "NH3 → NH4 uptake (neutralisation of sulfate and nitrate), × RH; first order in NH3.",
                      between(0, 10)}));
    // [receptors]
    t.push_back(bind("receptors.stations", &C::receptors, &ReceptorsConfig::stations,
                     {"", "Stations, `NAME:lon:lat` separated by spaces (names without spaces, colons or commas); "
                          "sampled by bilinear interpolation of the lowest layer."}));
    t.push_back(bind("receptors.cities", &C::receptors, &ReceptorsConfig::cities,
                     {"", "Cities, `NAME:lon:lat:radius_km` (a circle) or `NAME:lon/lat;lon/lat;lon/lat…` (a polygon), "
                          "separated by spaces; the mean of the cells whose centres lie inside."}));
    // [alerts]
    t.push_back(bind("alerts.yellow", &C::alerts, &AlertsConfig::yellow,
                     {"", "Yellow alert rule: clauses `aqi > T for N days [with M days aqi > T2]` joined by `or`."}));
    t.push_back(bind("alerts.orange", &C::alerts, &AlertsConfig::orange, {"", "Orange alert rule (same grammar)."}));
    t.push_back(bind("alerts.red", &C::alerts, &AlertsConfig::red, {"", "Red alert rule (same grammar)."}));
    t.push_back(bind("alerts.daily", &C::alerts, &AlertsConfig::daily,
                     {"", "Daily AQI for the alert rules: `calendar` (local calendar days) or `rolling24` (the "
                          "largest 24-h running mean ending within the day, so an episode crossing midnight counts)."}));
    t.push_back(bind("alerts.utc_offset_h", &C::alerts, &AlertsConfig::utc_offset_h,
                     {"h", "Local time of the daily means and the report's dates = UTC + this (Beijing time = 8).",
                      between(-12, 14)}));
    // [scenarios]
    t.push_back(bind("scenarios.base", &C::scenarios, &ScenariosConfig::base,
                     {"", "Run the unreduced inventory as scenario `base` (written to `output.file`)."}));
    t.push_back(bind("scenarios.runs", &C::scenarios, &ScenariosConfig::runs,
                     {"", "Reduction scenarios run in the same simulation, `NAME:LIST.csv:LEVEL` separated by spaces "
                          "(LEVEL = always, yellow, orange or red: that level's measures for the whole run; or `triggered`: "
                          "the measures of the alert level the base forecast itself reaches at `scenarios.trigger_city`, "
                          "from `scenarios.lead_time_h` after the start of each alert day to its end); each writes "
                          "`STEM_NAME.nc` beside `output.file`. Rows with time windows apply within them. Lists are "
                          "relative to the config file."}));
    t.push_back(bind("scenarios.trigger_city", &C::scenarios, &ScenariosConfig::trigger_city,
                     {"", "City (of `receptors.cities`) whose forecast alert level switches triggered scenarios; empty = "
                          "the first city."}));
    t.push_back(bind("scenarios.lead_time_h", &C::scenarios, &ScenariosConfig::lead_time_h,
                     {"h", "Delay between the start of an alert day and its measures in triggered scenarios.",
                      between(0, 48)}));
    // [regions]
    t.push_back(bind("regions.areas", &C::regions, &RegionsConfig::areas,
                     {"", "Named areas, `NAME:lon:lat:radius_km` (a circle) or `NAME:lon/lat;lon/lat;lon/lat…` (a "
                          "polygon), separated by spaces; a source belongs to the first area holding its location "
                          "(roads: the mean of their vertices; area cells: their centre)."}));
    // [tags]
    t.push_back(bind("tags.by", &C::tags, &TagsConfig::by,
                     {"", "Source apportionment of the base case: `none`; `sector` (one tag per emission sector); "
                          "`region` (one per area of `regions.areas`, plus `outside`); `sector_region` (one per sector "
                          "and area pair); or "
                          "`lists` (one tag per group of sources that the lists of `tags.lists` treat alike, so "
                          "every level of those lists can be evaluated by superposition); plus `fixed` and "
                          "`background` (initial state and boundary inflow). The tags sum to the bulk. Needs "
                          "`scenarios.base = true` and open boundaries."}));
    t.push_back(bind("tags.period_h", &C::tags, &TagsConfig::period_h,
                     {"h", "Split every emission tag by the period in which the mass was emitted (e.g. 24: one tag per "
                           "group and day of the run), so lists with time windows and alert-triggered measures can be "
                           "evaluated by superposition; 0 = no split.", at_least(0)}));
    t.push_back(bind("tags.lists", &C::tags, &TagsConfig::lists,
                     {"", "Reduction lists (CSV, relative to the config file) whose targets define the tag groups "
                          "with `tags.by = lists`.", std::nullopt, true}));
    // [output]
    t.push_back(bind("output.file", &C::output, &OutputConfig::file, {"", "Output NetCDF file (not empty), relative to the current directory (not the config file); "
                                                                               "written as FILE.partial and renamed when complete."}));
    t.push_back(bind("output.interval_h", &C::output, &OutputConfig::interval_h,
                     {"h", "Time between output records; must divide `run.hours` into a whole number of records.",
                      above(0)}));
    t.push_back(bind("output.fields_3d", &C::output, &OutputConfig::fields_3d,
                     {"", "Also write 3-D concentrations: `true` or `false`."}));
    t.push_back(bind("output.deflate_level", &C::output, &OutputConfig::deflate_level,
                     {"", "NetCDF deflate (compression) level.", between(0, 9)}));
    // [parallel]
    t.push_back(bind("parallel.px", &C::parallel, &ParallelConfig::px,
                     {"", "Blocks along x (columns i); 0 = chosen with `parallel.py` to give the shortest cut. "
                          "px × py must equal the ranks of each scenario group.",
                      at_least(0)}));
    t.push_back(bind("parallel.py", &C::parallel, &ParallelConfig::py,
                     {"", "Blocks along y (rows j); 0 = chosen.", at_least(0)}));
    t.push_back(bind("parallel.scenario_groups", &C::parallel, &ParallelConfig::scenario_groups,
                     {"", "Rank groups: the scenarios (base first, then `scenarios.runs`) are dealt out to this "
                          "many groups of equal size, each decomposing the grid over its ranks.",
                      at_least(1)}));
    t.push_back(bind("parallel.io", &C::parallel, &ParallelConfig::io,
                     {"", "Gridded output: `gather` (blocks gathered to the group's first rank, which writes) or "
                          "`collective` (every rank writes its block through HDF5 MPI-IO; needs the MPI build of "
                          "netCDF)."}));
    // [checkpoint]
    t.push_back(bind("checkpoint.interval_h", &C::checkpoint, &CheckpointConfig::interval_h,
                     {"h", "Simulated time between checkpoints (each replaces the last); 0 = only when stopped by "
                           "a signal.",
                      at_least(0)}));
    t.push_back(bind("checkpoint.file", &C::checkpoint, &CheckpointConfig::file,
                     {"", "Checkpoint file (HDF5), relative to the current directory like `output.file`; empty = "
                          "the output file's stem + `.checkpoint.h5` (scenario group N > 0 adds `_gN`)."}));

    // Keys must come grouped by section, in the order of `sections`, so the INI and docs read in order.
    std::size_t section_index = 0;
    for (const auto& d : t) {
        while (section_index < sections.size() && sections[section_index].name != d.section()) ++section_index;
        if (section_index == sections.size())
            throw std::logic_error("config key table: " + d.key + " is out of section order");
    }
    return t;
}

const std::vector<KeyDescriptor>& key_table() {
    static const std::vector<KeyDescriptor> table = build_key_table();
    return table;
}

const KeyDescriptor* find_key(const std::string& key) {
    for (const auto& d : key_table())
        if (d.key == key) return &d;
    return nullptr;
}

bool is_section(const std::string& name) {
    return std::any_of(sections.begin(), sections.end(), [&](const SectionInfo& s) { return s.name == name; });
}

std::string known_sections() {
    std::vector<std::string> names;
    for (const auto& s : sections) names.emplace_back(s.name);
    return join(names, ", ");
}

std::string unknown_key_reason(const std::string& section) {
    std::vector<std::string> names;
    for (const auto& d : key_table())
        if (d.section() == section) names.push_back(d.name());
    return "unknown key; known keys in [" + section + "]: " + join(names, ", ");
}

// Every key registered as a string: typing is done by the table, so file and command line agree.
const po::options_description& options() {
    static const std::unique_ptr<po::options_description> description = [] {
        auto d = std::make_unique<po::options_description>("Lantian configuration");
        for (const auto& k : key_table()) d->add_options()(k.key.c_str(), po::value<std::string>(), k.meaning.c_str());
        return d;
    }();
    return *description;
}

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
    if (c.met.source == MetKind::wrf && c.met.files.empty())
        fail("met.files", "is required with met.source = wrf (the wrfout files or a glob pattern)");
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
        for (const auto& entry : *values)
            if (std::find(names.begin(), names.end(), entry.first) == names.end())
                fail(key, entry.first + " is not in species.names (" + join(names, " ") + ")");
    }

    // [output]
    if (c.output.file.empty()) fail("output.file", "must name a file");
    constexpr double whole_records_tolerance = 1e-9;  // records per run: round-off of hours / interval
    const double records = c.run.hours / c.output.interval_h;
    if (std::abs(records - std::round(records)) > whole_records_tolerance)
        fail("output.interval_h",
             "must divide run.hours = " + format_number(c.run.hours) + " into a whole number of records");

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

    // [tags]
    if (c.tags.by != TagKind::none && !c.scenarios.base) fail("tags.by", "needs scenarios.base = true (tags apportion the base case)");
    if (c.tags.by == TagKind::lists && c.tags.lists.empty()) fail("tags.lists", "is required with tags.by = lists");
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

std::string to_ini(const Config& config) {
    std::string out;
    std::string section;
    for (const auto& d : key_table()) {
        if (d.section() != section) {
            if (!section.empty()) out += '\n';
            section = d.section();
            out += "[" + section + "]\n";
        }
        const std::string value = d.get(config);
        out += d.name() + (value.empty() ? " =" : " = " + value) + "\n";
    }
    return out;
}

std::string config_reference_markdown() {
    const Config defaults;
    const auto cell = [](std::string text) {
        std::string escaped;
        for (const char c : text) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
        return escaped;
    };
    std::string md = "## Key reference\n";
    for (const auto& s : sections) {
        md += "\n### [" + std::string(s.name) + "]\n\n" + std::string(s.summary) + "\n\n";
        md += "| key | default | unit | meaning |\n|---|---|---|---|\n";
        for (const auto& d : key_table()) {
            if (d.section() != s.name) continue;
            const std::string value = d.get(defaults);
            std::string meaning = d.meaning;
            if (!d.allowed.empty()) meaning += " Allowed: `" + join(d.allowed, "`, `") + "`.";
            if (d.range) {
                std::string rule = d.range->describe();  // "must be > 0"
                if (d.holds_list) {
                    rule = "Every value " + rule;
                } else {
                    rule.front() = 'M';
                }
                meaning += " " + rule + ".";
            }
            md += "| `" + d.key + "` | " + (value.empty() ? "*(empty)*" : "`" + cell(value) + "`") + " | " +
                  (d.unit.empty() ? "-" : cell(d.unit)) + " | " + cell(meaning) + " |\n";
        }
    }
    return md;
}

std::vector<std::string> config_keys() {
    std::vector<std::string> keys;
    for (const auto& d : key_table()) keys.push_back(d.key);
    return keys;
}

std::string_view to_string(Projection value) { return enum_to_name(value); }
std::string_view to_string(MetKind value) { return enum_to_name(value); }
std::string_view to_string(kernels::Reconstruction value) { return enum_to_name(value); }
std::string_view to_string(HorizontalDiffusion value) { return enum_to_name(value); }
std::string_view to_string(KzMode value) { return enum_to_name(value); }
std::string_view to_string(BoundaryKind value) { return enum_to_name(value); }
std::string_view to_string(PlumeRise value) { return enum_to_name(value); }
std::string_view to_string(TagKind value) { return enum_to_name(value); }
std::string_view to_string(DailyMode value) { return enum_to_name(value); }
std::string_view to_string(LandClass value) { return enum_to_name(value); }

}  // namespace lantian
