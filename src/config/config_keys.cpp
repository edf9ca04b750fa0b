// The config key table and everything it drives: one row per key (type, default via the typed
// structs, unit, meaning, allowed names, range, whether it names a file), the enum name tables,
// value parsing and formatting, option registration for Boost.Program_options, and the INI and
// Markdown writers. Every key is declared once, in build_key_table(); no other code may list keys.
#include "config/config_keys.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "config/config_parser.hpp"

namespace lantian {
namespace key_table_detail {

namespace po = boost::program_options;


// ---- Enum tables: one per enum, names <-> values ---------------------------------------------

template <class E>
struct EnumName {
    E value;
    std::string_view name;
};

constexpr std::array<EnumName<Projection>, 5> projection_names{{
    {Projection::lambert, "lambert"},
    {Projection::latlon, "latlon"},
    {Projection::cartesian, "cartesian"},
    {Projection::polar, "polar_stereographic"},
    {Projection::mercator, "mercator"},
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

constexpr std::array<EnumName<DepositionSeason>, 6> deposition_season_names{{
    {DepositionSeason::auto_, "auto"},
    {DepositionSeason::midsummer, "midsummer"},
    {DepositionSeason::autumn, "autumn"},
    {DepositionSeason::late_autumn, "late_autumn"},
    {DepositionSeason::winter_snow, "winter_snow"},
    {DepositionSeason::transitional, "transitional"},
}};

constexpr std::array<EnumName<BoundarySeason>, 5> boundary_season_names{{
    {BoundarySeason::auto_, "auto"},
    {BoundarySeason::winter, "winter"},
    {BoundarySeason::spring, "spring"},
    {BoundarySeason::summer, "summer"},
    {BoundarySeason::autumn, "autumn"},
}};

constexpr std::array<EnumName<DailyMode>, 2> daily_mode_names{{
    {DailyMode::calendar, "calendar"},
    {DailyMode::rolling24, "rolling24"},
}};

constexpr std::array<EnumName<EpisodeSeason>, 3> episode_season_names{{
    {EpisodeSeason::winter, "winter"},
    {EpisodeSeason::summer, "summer"},
    {EpisodeSeason::spring, "spring"},
}};

constexpr std::array<EnumName<ChemistrySolver>, 2> chemistry_solver_names{{
    {ChemistrySolver::rodas3, "rodas3"},
    {ChemistrySolver::ros2, "ros2"},
}};

constexpr std::array<EnumName<ChemistryMechanism>, 2> chemistry_mechanism_names{{
    {ChemistryMechanism::linear, "linear"},
    {ChemistryMechanism::cb6r3, "cb6r3"},
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
constexpr const auto& enum_names(ChemistryMechanism) { return chemistry_mechanism_names; }
constexpr const auto& enum_names(ChemistrySolver) { return chemistry_solver_names; }
constexpr std::array<EnumName<AerosolEquilibriumMode>, 3> aerosol_equilibrium_names{{
    {AerosolEquilibriumMode::automatic, "auto"},
    {AerosolEquilibriumMode::on, "on"},
    {AerosolEquilibriumMode::off, "off"},
}};
constexpr const auto& enum_names(AerosolEquilibriumMode) { return aerosol_equilibrium_names; }
constexpr std::array<EnumName<AerosolBranchChoice>, 2> aerosol_branch_names{{
    {AerosolBranchChoice::stable, "stable"},
    {AerosolBranchChoice::metastable, "metastable"},
}};
constexpr const auto& enum_names(AerosolBranchChoice) { return aerosol_branch_names; }
constexpr const auto& enum_names(EpisodeSeason) { return episode_season_names; }
constexpr const auto& enum_names(DailyMode) { return daily_mode_names; }
constexpr const auto& enum_names(LandClass) { return land_class_names; }
constexpr const auto& enum_names(DepositionSeason) { return deposition_season_names; }
constexpr const auto& enum_names(BoundarySeason) { return boundary_season_names; }
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
constexpr std::array<SectionInfo, 22> sections{{
    {"run", "Time span, time-step control and labels."},
    {"grid", "Horizontal projection and size, vertical layers."},
    {"met", "Meteorology: which source, the parameters of the idealized flows, and the boundary layer."},
    {"transport", "Advection, diffusion and lateral boundaries."},
    {"nest", "One-way nesting: inflow and initial state from a parent (outer) domain's state file, and the "
             "inner domains an outer run drives in the same command (docs/nesting.md)."},
    {"species", "Transported species, their background, dry deposition and initial values."},
    {"sources", "Constant-rate releases (tracer studies and tests): point and box sources in g/s, no sector, no "
                "time profile. Sectoral inventories go in [inventory]."},
    {"inventory", "Sectoral emission inventory: point stacks with plume rise, road links, gridded area sectors, "
                  "temporal profiles and speciation (formats in docs/input-formats.md)."},
    {"dust", "Wind-blown dust from erodible land into species DUST, booked as sector `dust_windblown` "
             "(docs/dust.md). Off by default."},
    {"removal", "Dry deposition (resistance model), gravitational settling and wet scavenging."},
    {"chemistry", "Chemistry: the linear mechanism (SO2 → SO4, NO2 → NO3, NH3 → NH4, first order with weather-dependent rates) or the CB6r3 photochemical mechanism (O3, NOx, VOCs)."},
    {"receptors", "Stations and cities whose hourly series are written (CSV and CF timeSeries NetCDF) and "
                  "reported by `lantian report`."},
    {"alerts", "Heavy-pollution alert levels from the forecast's daily AQI (HJ 633-2012)."},
    {"dust_days", "Dust-affected hours and days in `lantian report`: a documented proxy of the Ministry's provisions "
                  "for sand-dust weather (环办监测〔2016〕120号), which remove PM10 and PM2.5 from the assessment of "
                  "dust-affected days (docs/dust-days.md)."},
    {"scenarios", "Emission-reduction scenarios run together with the base case in one simulation."},
    {"regions", "Named areas: targets of reduction lists (`region:NAME`) and tag groups (`tags.by = region`)."},
    {"tags", "Source apportionment of the base case by emission sector, region or reduction-list group."},
    {"output", "Gridded output file."},
    {"parallel", "MPI runs: the domain decomposition, scenario rank groups and how output is written "
                 "(docs/parallel.md). A single-rank run ignores them."},
    {"checkpoint", "Checkpoints for `lantian run --restart FILE`: written at an interval and when the run is "
                   "stopped by SIGTERM or SIGINT."},
    {"forecast", "The daily forecast cycle, `lantian forecast CYCLE.ini --date YYYY-MM-DD`: where cycles are kept, "
                 "the weather and observation files of a date, warm and cold starts, and the products "
                 "(docs/forecast-cycle.md)."},
    {"assimilation", "Optimal interpolation of the station observations at the start of a forecast cycle "
                     "(docs/assimilation.md)."},
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
    t.push_back(bind("run.hours", &C::run, &RunConfig::hours,
                     {"h", "Length of the run; at most 8784 h (one leap year: inventories are annual totals and "
                           "profiles describe one year, so a longer run is a typo, e.g. an extra digit, whose output "
                           "would fill the disk). A restart may extend it.",
                      above(0).at_most(8784)}));
    t.push_back(bind("run.max_dt_s", &C::run, &RunConfig::max_dt_s,
                     {"s", "Upper bound of the adaptive time step.", above(0)}));
    t.push_back(bind("run.min_dt_s", &C::run, &RunConfig::min_dt_s,
                     {"s", "Floor of the CFL time step: when the winds would need a shorter step, the run stops "
                           "with exit 1, naming the cell, the face and the wind, instead of running for ever. The "
                           "floor applied is the smaller of this and the step a 150 m s-1 wind (the largest "
                           "plausible wind, docs/input-formats.md) allows across the narrowest cell, so fine "
                           "near-field grids run in any plausible wind. At most `run.max_dt_s`; a restart may "
                           "change it.",
                      above(0)}));
    t.push_back(bind("run.cfl", &C::run, &RunConfig::cfl,
                     {"", "Horizontal Courant limit of the split advection scheme.", above(0).at_most(1)}));
    t.push_back(bind("run.title", &C::run, &RunConfig::title,
                     {"", "Title written to output files and logs (a `#` starts a comment, so do not use one)."}));
    t.push_back(bind("run.log_interval_h", &C::run, &RunConfig::log_interval_h,
                     {"h", "Simulated hours between progress log lines (an integer).", at_least(1)}));
    t.push_back(bind("run.initial_state", &C::run, &RunConfig::initial_state,
                     {"", "Warm start: a state file (`output.state_file` of an earlier run, or any Lantian gridded "
                          "output with `NAME_3d` variables), relative to the config file, holding a record at "
                          "`run.start`; regridded conservatively to this grid (docs/forecast-cycle.md, Warm start). "
                          "Empty = start from the background. `lantian run --initial-state FILE` sets it; not "
                          "together with `--restart`.",
                      std::nullopt, true}));
    // [grid]
    t.push_back(bind("grid.projection", &C::grid, &GridConfig::projection,
                     {"", "Horizontal projection, computed by PROJ on WRF's sphere (R = 6370 km): `lambert` "
                          "(Lambert conformal conic, WRF MAP_PROJ = 1), `polar_stereographic` (WRF MAP_PROJ = 2; "
                          "the pole of the hemisphere of `grid.truelat1`), `mercator` (WRF MAP_PROJ = 3), "
                          "`latlon` (regular longitude-latitude), `cartesian` (flat x/y in metres, azimuthal "
                          "equidistant about the domain centre)."}));
    t.push_back(bind("grid.nx", &C::grid, &GridConfig::nx, {"", "Cells in x (west-east).", between(4, 20000)}));
    t.push_back(bind("grid.ny", &C::grid, &GridConfig::ny, {"", "Cells in y (south-north).", between(4, 20000)}));
    t.push_back(bind("grid.dx_m", &C::grid, &GridConfig::dx_m,
                     {"m", "Cell size in x (all but latlon).", above(0)}));
    t.push_back(bind("grid.dy_m", &C::grid, &GridConfig::dy_m,
                     {"m", "Cell size in y (all but latlon); 0 = same as `grid.dx_m`.", at_least(0)}));
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
                      "First true latitude (lambert: nonzero, |value| < 90, in the same hemisphere as "
                      "`grid.truelat2`); the latitude of true scale of polar_stereographic (nonzero; its sign "
                      "picks the pole) and mercator (|value| < 90).",
                      between(-90, 90)}));
    t.push_back(bind("grid.truelat2", &C::grid, &GridConfig::truelat2,
                     {"degrees_north", "Second true latitude (lambert); same rules as `grid.truelat1`.",
                      between(-90, 90)}));
    t.push_back(bind("grid.stand_lon", &C::grid, &GridConfig::stand_lon,
                     {"degrees_east",
                      "Standard longitude (lambert: the central meridian; polar_stereographic: the meridian "
                      "parallel to the y axis; mercator: the central meridian); the default 1e+09 means "
                      "`grid.center_lon`.",
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
    t.push_back(bind("met.kz_scale", &C::met, &MetConfig::kz_scale,
                     {"", "Factor on the vertical diffusivity of every interior layer face, after the floor "
                          "(sensitivity studies; 1 = as computed).", between(0.1, 10)}));
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
    t.push_back(bind("met.episode_season", &C::met, &MetConfig::episode_season,
                     {"", "Climate of the episode source: `winter` (2 m temperature about −15 °C, day 08–17 solar "
                          "time, boundary layer 150 m at night and up to 750 m by day, snow in the front) or "
                          "`summer` (about +22 °C rising to +32 °C, day 05–19, 250 m at night and up to 2250 m "
                          "by day, rain in the front) or `spring` (the dust season: about 0 °C at night and +10 °C "
                          "by day, day 06–18, 200 m at night and up to 1600 m by day, 2000 m and no precipitation "
                          "in the front)."}));
    t.push_back(bind("met.episode_cycle_h", &C::met, &MetConfig::episode_cycle_h,
                     {"h", "One build-up plus cold-front clearing (episode).", above(0)}));
    t.push_back(bind("met.episode_origin", &C::met, &MetConfig::episode_origin,
                     {"", "Time (UTC, ISO 8601) from which the episode's cycles are counted, so that runs starting on "
                          "different days (the daily forecast cycle) see the same weather at the same time; empty = "
                          "the run's start."}));
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
    // [nest]
    t.push_back(bind("nest.parent_file", &C::nest, &NestConfig::parent_file,
                     {"", "The parent (outer) domain's state file, relative to the config file: the parent run's "
                          "`output.state_file` with a record every hour (`lantian run` writes it itself for the "
                          "domains of `nest.inner`). Every species of this run, on every lateral face, layer and "
                          "the top, flows in with the parent's mixing ratio interpolated in space and time; the "
                          "flux is this domain's own winds times it. Empty = not nested (inflow from the "
                          "background). docs/nesting.md."}));
    t.push_back(bind("nest.margin_cells", &C::nest, &NestConfig::margin_cells,
                     {"cells", "Parent cells that must lie between this domain's boundary and the parent's edges "
                               "(the parent's own inflow zone).",
                      between(0, 50)}));
    t.push_back(bind("nest.initial_state", &C::nest, &NestConfig::initial_state,
                     {"", "Start from the parent's state at `run.start`, interpolated to this grid (with "
                          "`nest.parent_file`; `run.initial_state` wins when set)."}));
    t.push_back(bind("nest.inner", &C::nest, &NestConfig::inner,
                     {"", "Config files of inner domains, separated by spaces, relative to this config: `lantian "
                          "run` runs this (outer) domain first, writing its hourly state, then each inner domain "
                          "with `nest.parent_file` set to it. Empty = none.", std::nullopt, true}));
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
    t.push_back(bind("species.boundary_climatology", &C::species, &SpeciesConfig::boundary_climatology,
                     {"", "Seasonal climatology of the lateral and top inflow and of the initial state: a CSV "
                          "(species,season,height_m,value,unit; docs/boundary-climatology.md), relative to the "
                          "config file, e.g. configs/boundary/climatology_north_china.csv. A species of the run "
                          "with rows for the season takes that profile, unless `species.background_ug_m3` names "
                          "it; empty = the background as before.",
                      std::nullopt, true}));
    t.push_back(bind("species.boundary_season", &C::species, &SpeciesConfig::boundary_season,
                     {"", "Season of the climatology's profiles: `auto` (from the start month and the hemisphere "
                          "of the domain centre: Dec-Feb winter, Mar-May spring, Jun-Aug summer, Sep-Nov autumn; "
                          "six months shifted south of the equator), `winter`, `spring`, `summer`, `autumn`."}));
    t.push_back(bind("species.boundary_elevation_m", &C::species, &SpeciesConfig::boundary_elevation_m,
                     {"m", "Ground elevation (above sea level) of the U.S. Standard Atmosphere (1976) whose air "
                          "density turns the climatology's µg m-3 rows into mixing ratios (the density at this "
                          "elevation plus the row's height above ground).",
                      between(-500, 6000)}));
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
                     {"", "CSV mapping inventory pollutants to model species; empty = the built-in defaults: "
                          "configs/profiles/speciation.csv, or configs/profiles/speciation_cb6r3.csv (NO/NO2 split, "
                          "VOC into CB6 species) when `chemistry.mechanism = cb6r3`.", std::nullopt, true}));
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
    t.push_back(bind("inventory.biogenic", &C::inventory, &InventoryConfig::biogenic,
                     {"", "Biogenic isoprene (ISOP) and monoterpenes (TERP) from a MEGAN-style temperature and light "
                          "dependence with emission factors of `removal.land_class`, emitted into the surface layer "
                          "as sector `biogenic`. Acts only when `chemistry.mechanism = cb6r3` (and the species are "
                          "in the run); see docs/emissions-photochemistry.md."}));
    t.push_back(bind("inventory.biogenic_scale", &C::inventory, &InventoryConfig::biogenic_scale,
                     {"1", "Factor on the biogenic emission factors (sensitivity to their uncertainty, about a "
                           "factor of 2).", between(0, 10)}));
    // [dust]
    t.push_back(bind("dust.windblown", &C::dust, &DustConfig::windblown,
                     {"", "Emit wind-blown dust (Marticorena & Bergametti 1995 flux above a Shao & Lu 2000 threshold "
                          "friction velocity raised by soil moisture, Fécan et al. 1999; none under snow or on frozen "
                          "soil) into species DUST at the surface, booked as sector `dust_windblown`. The run must "
                          "carry DUST. See docs/dust.md."}));
    t.push_back(bind("dust.scale", &C::dust, &DustConfig::scale,
                     {"1", "Factor on the wind-blown dust flux: the calibration knob of the scheme (its absolute flux is uncertain; docs/dust.md).",
                      between(0, 100)}));
    t.push_back(bind("dust.erodible_fraction", &C::dust, &DustConfig::erodible_fraction,
                     {"1", "Erodible share of every cell where the weather has no land use (WRF `LU_INDEX`); -1 = not "
                           "set: from `LU_INDEX` (table in docs/dust.md), 1 with idealized weather, and an error "
                           "when WRF files lack `LU_INDEX`.", between(0, 1).or_exactly(-1)}));
    t.push_back(bind("dust.clay_fraction", &C::dust, &DustConfig::clay_fraction,
                     {"1", "Clay mass fraction of the soil where the weather has no soil type (WRF `ISLTYP`); -1 = not "
                           "set: from `ISLTYP` (table in docs/dust.md), 0.05 with idealized weather, and an error "
                           "when WRF files lack `ISLTYP`.", between(0, 1).or_exactly(-1)}));
    t.push_back(bind("dust.soil_moisture_m3_m3", &C::dust, &DustConfig::soil_moisture_m3_m3,
                     {"m3 m-3", "Volumetric water of the top soil layer where the weather has none (WRF `SMOIS`); -1 = "
                                "not set: from `SMOIS`, 0.01 with idealized weather, and an error when WRF files lack "
                                "`SMOIS`.", between(0, 0.7).or_exactly(-1)}));
    t.push_back(bind("dust.particle_diameter_um", &C::dust, &DustConfig::particle_diameter_um,
                     {"µm", "Particle diameter of the threshold friction velocity (Shao & Lu 2000); 75 µm is near "
                            "the most easily lifted size.", between(10, 1000)}));
    t.push_back(bind("dust.snow_cover_threshold", &C::dust, &DustConfig::snow_cover_threshold,
                     {"1", "No wind-blown dust where the snow cover (WRF `SNOWC`) is at least this.", above(0).at_most(1)}));
    t.push_back(bind("dust.bulk_density_kg_m3", &C::dust, &DustConfig::bulk_density_kg_m3,
                     {"kg m-3", "Dry bulk density of the soil, to turn volumetric into gravimetric water for Fécan "
                                "et al. (1999).", between(800, 2200)}));
    t.push_back(bind("dust.erodible_box", &C::dust, &DustConfig::erodible_box,
                     {"degrees", "Where wind-blown dust may rise: `lon_min lat_min lon_max lat_max`; cells whose centre "
                                 "lies outside emit none, whatever their land use (e.g. an erodible desert in part of "
                                 "an idealized domain). Empty = everywhere.",
                      between(-180, 360)}));
    // [removal]
    t.push_back(bind("removal.land_class", &C::removal, &RemovalConfig::land_class,
                     {"", "Land class of the surface for the dry-deposition surface resistance: urban, cropland, "
                          "grassland, forest, water, desert, snow."}));
    t.push_back(bind("removal.season", &C::removal, &RemovalConfig::season,
                     {"", "Season of the Wesely (1989) surface resistances of gases whose species-table r_c cells "
                          "are empty: `auto` (from the start month and the hemisphere of the domain centre: "
                          "Dec-Feb winter_snow, Mar-May transitional, Jun-Aug midsummer, Sep-Nov autumn; six "
                          "months shifted south of the equator), `midsummer`, `autumn`, `late_autumn`, "
                          "`winter_snow`, `transitional`. `removal.land_class = snow` always uses winter_snow. "
                          "Explicit r_c values of the table do not change with the season (docs/removal.md)."}));
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
    t.push_back(bind("chemistry.mechanism", &C::chemistry, &ChemistryConfig::mechanism,
                     {"", "`linear`: first-order conversions, scenarios and tags superpose exactly. `cb6r3`: the Carbon "
                          "Bond 6 r3 photochemical mechanism (O3, NOx, VOCs; docs/chemistry-solver.md); tags and "
                          "superposition are refused (non-linear chemistry), scenarios run as brute-force copies."}));
    t.push_back(bind("chemistry.mechanism_file", &C::chemistry, &ChemistryConfig::mechanism_file,
                     {"", "Photochemical mode: the mechanism file (docs/mechanism-format.md); empty = the built-in "
                          "copy of configs/mechanisms/cb6r3.txt."}));
    t.push_back(bind("chemistry.photolysis_file", &C::chemistry, &ChemistryConfig::photolysis_file,
                     {"", "Photochemical mode: the photolysis table (docs/photolysis.md); empty = the built-in copy of "
                          "configs/mechanisms/cb6r3_photolysis.txt."}));
    t.push_back(bind("chemistry.solver", &C::chemistry, &ChemistryConfig::solver,
                     {"", "Photochemical mode: the Rosenbrock method, `rodas3` (4 stages, order 3) or `ros2` (2 stages, "
                          "order 2, about half the work per internal step; docs/chemistry-solver.md)."}));
    t.push_back(bind("chemistry.rtol", &C::chemistry, &ChemistryConfig::rtol,
                     {"1", "Photochemical mode: relative tolerance of the Rosenbrock solver's local error estimate.",
                      between(1e-8, 0.1)}));
    t.push_back(bind("chemistry.atol_ppb", &C::chemistry, &ChemistryConfig::atol_ppb,
                     {"ppb", "Photochemical mode: absolute tolerance of the solver's local error estimate, as a mixing "
                             "ratio (converted to molecules cm-3 at 298.15 K and 1013.25 hPa: 1 ppb = 2.46e10 cm-3); "
                             "values the solver leaves between −(atol + rtol·|c|) and 0 are set to 0 and booked in the "
                             "ledger term `chemistry_clipping`, lower ones fail the internal step.",
                      between(1e-12, 1)}));
    t.push_back(bind("chemistry.background_file", &C::chemistry, &ChemistryConfig::background_file,
                     {"", "Photochemical mode: background and inflow profiles (species, height_m, ppb; "
                          "docs/input-formats.md) for the mechanism's species not named in "
                          "`species.background_ug_m3`; empty = the built-in configs/mechanisms/cb6r3_background.csv."}));
    t.push_back(bind("chemistry.aerosol_equilibrium", &C::chemistry, &ChemistryConfig::aerosol_equilibrium,
                     {"", "Photochemical mode: the sulfate–nitrate–ammonium–water gas–particle equilibrium in every "
                          "cell each step (docs/aerosol-equilibrium.md). `auto`: on when the run carries SO4, NH3, NH4 "
                          "and NO3 (with the mechanism's HNO3); `on`: the same, and a run without those species is "
                          "refused; `off`: none (particulate NH4 and NO3 then only move with transport and removal)."}));
    t.push_back(bind("chemistry.aerosol_branch", &C::chemistry, &ChemistryConfig::aerosol_branch,
                     {"", "Photochemical mode, aerosol equilibrium: `stable` (salts are solid below their "
                          "deliquescence RH, liquid above, mixed between the mutual and the single-salt DRH) or "
                          "`metastable` (particles stay liquid at any RH: the upper branch of the hysteresis loop)."}));
    t.push_back(bind("chemistry.aqueous_sulfate", &C::chemistry, &ChemistryConfig::aqueous_sulfate,
                     {"", "Photochemical mode with the aerosol equilibrium: SO2 oxidation by H2O2 and O3 in cloud "
                          "water and aerosol water (pH from the charge balance) and SO2 uptake on haze particles "
                          "(docs/aerosol-equilibrium.md)."}));
    t.push_back(bind("chemistry.so2_uptake_gamma_dry", &C::chemistry, &ChemistryConfig::so2_uptake_gamma_dry,
                     {"1", "Uptake coefficient of SO2 on fine particles at RH ≤ 50% (heterogeneous sulfate, linear in "
                           "RH up to `so2_uptake_gamma_wet` at 90%).", between(0, 1)}));
    t.push_back(bind("chemistry.so2_uptake_gamma_wet", &C::chemistry, &ChemistryConfig::so2_uptake_gamma_wet,
                     {"1", "Uptake coefficient of SO2 on fine particles at RH ≥ 90%.", between(0, 1)}));
    t.push_back(bind("chemistry.aerosol_dry_radius_um", &C::chemistry, &ChemistryConfig::aerosol_dry_radius_um,
                     {"µm", "Surface-area radius of the dry fine particles (their wet radius grows with the aerosol "
                            "water): sets the surface for the SO2 uptake.", between(0.01, 5)}));
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
    // [dust_days]
    t.push_back(bind("dust_days.model_share_min", &C::dust_days, &DustDaysConfig::model_share_min,
                     {"", "An hour is dust-affected by the model when its dust share of PM10 (`DUST` / `PM10_total` of the "
                          "receptor series) is at least this (fraction; used for the hours without both observed PM2.5 "
                          "and PM10).", between(0, 1)}));
    t.push_back(bind("dust_days.obs_ratio_max", &C::dust_days, &DustDaysConfig::obs_ratio_max,
                     {"", "An hour with observed PM2.5 and PM10 (`lantian report --observations`) is dust-affected when "
                          "the observed PM2.5/PM10 ratio is at most this (coarse-dominated air) and observed PM10 exceeds "
                          "`dust_days.obs_pm10_min_ug_m3`; observed evidence decides such hours.", between(0, 1)}));
    t.push_back(bind("dust_days.obs_pm10_min_ug_m3", &C::dust_days, &DustDaysConfig::obs_pm10_min_ug_m3,
                     {"µg m-3", "Observed PM10 must exceed this for an observed hour to be dust-affected (GB 3095-2012 "
                                "grade II 24-h PM10 limit = 150).", at_least(0)}));
    t.push_back(bind("dust_days.min_hours", &C::dust_days, &DustDaysConfig::min_hours,
                     {"h", "A local day (`alerts.utc_offset_h`) with at least this many dust-affected hours is a "
                           "dust-affected day; its PM10 and PM2.5 leave the assessment.", between(1, 24)}));
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
                           "evaluated by superposition; 0 = no split. Otherwise at least 1 h: every period adds a "
                           "full set of tracers, so a tiny period would exhaust memory.",
                      at_least(1).or_exactly(0)}));
    t.push_back(bind("tags.lists", &C::tags, &TagsConfig::lists,
                     {"", "Reduction lists (CSV, relative to the config file) whose targets define the tag groups "
                          "with `tags.by = lists`.", std::nullopt, true}));
    t.push_back(bind("tags.species", &C::tags, &TagsConfig::species,
                     {"", "The species whose tags are carried, separated by spaces (e.g. `PM25 SO2`); empty = every "
                          "species. Each tagged species costs one tracer per tag group, the others none. The "
                          "precursors that linear chemistry turns into a tagged species are tagged too (SO4 brings "
                          "SO2, NO3 brings NO2, NH4 brings NH3), so that the tags keep summing to the bulk. "
                          "Species without tags have no tag output, and `lantian scenarios` refuses a list that "
                          "cuts what feeds them (docs/output.md, Tags)."}));
    // [output]
    t.push_back(bind("output.file", &C::output, &OutputConfig::file, {"", "Output NetCDF file (not empty), relative to the current directory (not the config file); "
                                                                               "written as FILE.partial and renamed when complete."}));
    t.push_back(bind("output.interval_h", &C::output, &OutputConfig::interval_h,
                     {"h", "Time between output records; must divide `run.hours` into a whole number of records. At "
                           "least 0.01 h (36 s): a shorter interval is a typo that would write 100 records per hour.",
                      at_least(0.01)}));
    t.push_back(bind("output.species", &C::output, &OutputConfig::species,
                     {"", "Species whose concentrations are written (gridded, 3-D and receptor series), separated by "
                          "spaces; empty = every species in linear mode, and in photochemical mode O3 NO NO2 SO2 CO "
                          "HNO3 PAN H2O2 FORM HONO ISOP TERP plus the species of `species.names`. PM2.5, PM10 and "
                          "the budgets always cover every species."}));
    t.push_back(bind("output.fields_3d", &C::output, &OutputConfig::fields_3d,
                     {"", "Also write 3-D concentrations: `true` or `false`."}));
    t.push_back(bind("output.deflate_level", &C::output, &OutputConfig::deflate_level,
                     {"", "NetCDF deflate (compression) level.", between(0, 9)}));
    t.push_back(bind("output.state_file", &C::output, &OutputConfig::state_file,
                     {"", "State file for a later warm start (`run.initial_state`): the 3-D concentration "
                          "(`NAME_3d`, ug m-3) of every species of the first scenario at `output.state_hours`, in the "
                          "layout of the gridded output; relative to the current directory like `output.file`. "
                          "Empty = none."}));
    t.push_back(bind("output.state_hours", &C::output, &OutputConfig::state_hours,
                     {"h", "Hours since the start at which the state file gets a record, separated by spaces, "
                           "e.g. `24 48 72`: each a multiple of `output.interval_h`, from 0 (the initial state) to "
                           "`run.hours`, increasing. Needs `output.state_file`. A parent domain of nesting writes "
                           "every hour from 0.",
                      at_least(0)}));
    t.push_back(bind("output.aerosol_diagnostics", &C::output, &OutputConfig::aerosol_diagnostics,
                     {"", "Also write the diagnostics of the aerosol equilibrium: `true` or `false`. `aerosol_water` "
                          "(ug m-3): the liquid water in the ambient particles, not part of PM2.5 or PM10, which "
                          "stay dry mass as the monitors report them; `aerosol_ph` (1): the pH of that water, "
                          "−log10(γ_H m_H), _FillValue where the particles hold no water. Lowest layer in the "
                          "gridded file, `NAME_3d` with `output.fields_3d`, and series at the receptors (pH: of "
                          "the receptor's own cell, not averaged); the first scenario's file only "
                          "(docs/output.md). Needs chemistry.mechanism = cb6r3 with SO4 NO3 NH4 NH3 in "
                          "species.names."}));
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

    // [forecast]
    t.push_back(bind("forecast.cycles_dir", &C::forecast, &ForecastConfig::cycles_dir,
                     {"", "Folder of the cycle folders `YYYYMMDD/` and of the running `verification.csv`, relative to "
                          "the config file (created when missing)."}));
    t.push_back(bind("forecast.days", &C::forecast, &ForecastConfig::days,
                     {"d", "Lead days forecast after the cycle date (lead day 1 = the next Beijing calendar day); the "
                           "run ends when the last one is complete.",
                      between(1, 15)}));
    t.push_back(bind("forecast.start_hour_bjt", &C::forecast, &ForecastConfig::start_hour_bjt,
                     {"h", "Beijing-time hour of the cycle date at which the run starts and the observations are "
                           "analysed (8 = 00 UTC).",
                      between(0, 23)}));
    t.push_back(bind("forecast.weather", &C::forecast, &ForecastConfig::weather,
                     {"", "Weather files of a cycle, a glob pattern relative to the config file with `{date}` "
                          "(UTC date of the start, YYYY-MM-DD), `{yyyymmdd}` and `{n}` (domain number, 1), e.g. "
                          "`wrf/wrfout_d0{n}_{date}_*`; they replace `met.files` (met.source = wrf). Empty = the weather "
                          "as `[met]` gives it. No file matching is an error (exit 2)."}));
    t.push_back(bind("forecast.observations", &C::forecast, &ForecastConfig::observations,
                     {"", "Hourly station observations: files or glob patterns relative to the config file, `{date}` "
                          "and `{yyyymmdd}` replaced by each date from the oldest cycle kept to the cycle date "
                          "(docs/observations.md); dates without a file are skipped. Empty = no analysis and no "
                          "verification."}));
    t.push_back(bind("forecast.observations_format", &C::forecast, &ForecastConfig::observations_format,
                     {"", "`long` (Lantian's station,time,pollutant,value,unit) or `national` (the network's wide "
                          "daily files: date,hour,type,one column per station code)."}));
    t.push_back(bind("forecast.stations", &C::forecast, &ForecastConfig::stations,
                     {"", "Station list CSV (code,name,city,lon,lat, or the national list's Chinese header); its "
                          "stations inside the domain become receptors. Empty = `receptors.stations`.",
                      std::nullopt, true}));
    t.push_back(bind("forecast.keep_days", &C::forecast, &ForecastConfig::keep_days,
                     {"d", "Cycle folders older than this many days before the cycle date are removed (their "
                           "verification rows stay in the archive); 0 = keep all.",
                      at_least(0)}));
    t.push_back(bind("forecast.search_days", &C::forecast, &ForecastConfig::search_days,
                     {"d", "How many earlier cycles are searched, newest first, for a state valid at the start.",
                      between(0, 30)}));
    t.push_back(bind("forecast.spinup_h", &C::forecast, &ForecastConfig::spinup_h,
                     {"h", "Spin-up of a cold start (no earlier state): the run starts this long before the cycle "
                           "from the background, when the weather covers it; 0 = start from the background.",
                      between(0, 240)}));
    t.push_back(bind("forecast.analysis", &C::forecast, &ForecastConfig::analysis,
                     {"", "Correct the initial surface fields by optimal interpolation of the observations "
                          "(`[assimilation]`)."}));
    t.push_back(bind("forecast.verification", &C::forecast, &ForecastConfig::verification,
                     {"", "Score the earlier cycles against the observations now available (docs/verification.md)."}));
    t.push_back(bind("forecast.bulletin", &C::forecast, &ForecastConfig::bulletin,
                     {"", "Write the bulletin (HTML page and PNG screenshot, docs/bulletin.md)."}));
    t.push_back(bind("forecast.borders", &C::forecast, &ForecastConfig::borders,
                     {"", "Administrative boundaries of the bulletin maps (GeoJSON, or CSV polygons), as the bureau "
                          "approved them; empty = the illustrative outlines of Debian's gmt-dcw, labelled as such.",
                      std::nullopt, true}));
    t.push_back(bind("forecast.title", &C::forecast, &ForecastConfig::title,
                     {"", "Title of the bulletin (English line; the Chinese heading is fixed)."}));
    // [assimilation]
    t.push_back(bind("assimilation.pollutants", &C::assimilation, &AssimilationConfig::pollutants,
                     {"", "Pollutants analysed, of PM2.5, PM10, SO2, NO2, CO, O3 (O3 in photochemical runs); those "
                          "the run cannot represent are skipped with a note."}));
    t.push_back(bind("assimilation.correlation_length_km", &C::assimilation, &AssimilationConfig::correlation_length_km,
                     {"km", "Horizontal correlation length L of the background errors, exp(-d/L).", above(0)}));
    t.push_back(bind("assimilation.sigma_b_fraction", &C::assimilation, &AssimilationConfig::sigma_b_fraction,
                     {"1", "Background error standard deviation as a fraction of the background value.",
                      between(0, 10)}));
    t.push_back(bind("assimilation.sigma_b_min", &C::assimilation, &AssimilationConfig::sigma_b_min,
                     {"µg m-3 (CO mg m-3)", "Floor of the background error per pollutant, " + per_species_form +
                                                "; pollutants not named keep their defaults (docs/assimilation.md).",
                      at_least(0)}));
    t.push_back(bind("assimilation.sigma_o", &C::assimilation, &AssimilationConfig::sigma_o,
                     {"µg m-3 (CO mg m-3)", "Observation error (instrument and representativeness) per pollutant, " +
                                                per_species_form + "; pollutants not named keep their defaults.",
                      at_least(0)}));
    t.push_back(bind("assimilation.qc_k", &C::assimilation, &AssimilationConfig::qc_k,
                     {"1", "Background check: an observation is rejected when |O − B| > qc_k sqrt(σb² + σo²).",
                      above(0)}));
    t.push_back(bind("assimilation.full_fraction", &C::assimilation, &AssimilationConfig::full_fraction,
                     {"1", "The surface increment is carried in full up to this fraction of the boundary-layer "
                           "height, then tapers to 0 at its top.",
                      between(0.01, 1)}));
    t.push_back(bind("assimilation.min_depth_m", &C::assimilation, &AssimilationConfig::min_depth_m,
                     {"m", "The depth over which the surface increment is spread is the boundary-layer height, at "
                           "least this: a shallow morning layer lies under the residual layer of the day before, whose "
                           "pollution shares the surface error's history.",
                      between(0, 5000)}));
    t.push_back(bind("assimilation.window_h", &C::assimilation, &AssimilationConfig::window_h,
                     {"h", "Observations analysed: per station and pollutant the latest hourly value whose hour ends "
                           "in [start − window_h, start] (0 = only the hour ending at the start).",
                      between(0, 24)}));

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

}  // namespace key_table_detail

using namespace key_table_detail;

std::string projection_name(Projection p) { return std::string(enum_to_name(p)); }

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
std::string_view to_string(DepositionSeason value) { return enum_to_name(value); }
std::string_view to_string(BoundarySeason value) { return enum_to_name(value); }

}  // namespace lantian
