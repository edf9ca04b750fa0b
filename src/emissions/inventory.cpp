// Readers of the inventory files (docs/input-formats.md). Strict: every malformed value is an
// error naming the file, line (or variable and index), column, value and reason.
#include "emissions/inventory.hpp"

#include <netcdf.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <tuple>

#include "config/config_parser.hpp"
#include "emissions/csv_table.hpp"
#include "emissions/gridding.hpp"
#include "output/netcdf_reader.hpp"

namespace lantian {

namespace {

constexpr double kMaxAnnualT = 1e8;       // t/yr; more than any single source on Earth emits
constexpr double kMaxStackHeightM = 600;  // m; the tallest chimneys are ~420 m
constexpr double kMaxDiameterM = 30;      // m
constexpr double kMinExitTempK = 200, kMaxExitTempK = 2000;
constexpr double kMaxExitVelocityMs = 100;
constexpr double kGramsPerTonne = 1e6;
constexpr double kPmTolerance = 1e-9;     // relative: PM10 may undercut PM2.5 by round-off only

std::string origin(const CsvTable& t, std::size_t r) { return t.path + ":" + std::to_string(t.line_numbers[r]); }

// Column index per reported pollutant for columns "<POLLUTANT><suffix>"; all seven required.
std::array<std::size_t, kPollutants> pollutant_columns(const CsvTable& t, const std::string& suffix) {
    std::array<std::size_t, kPollutants> cols{};
    for (int p = 0; p < kPollutants; ++p) cols[p] = t.require(std::string(kReportedPollutants[p]) + suffix);
    return cols;
}

// Reported values of a row turned into internal ones (PMC = PM10 − PM2.5).
PollutantValues row_pollutants(const CsvTable& t, std::size_t r, const std::array<std::size_t, kPollutants>& cols,
                               double hi) {
    PollutantValues reported{};
    for (int p = 0; p < kPollutants; ++p) reported[p] = t.number(r, cols[p], 0.0, hi, ">= 0 (and <= 1e8)", true, 0.0);
    PollutantValues internal = reported;
    const int i25 = static_cast<int>(Pollutant::PM25), i10 = static_cast<int>(Pollutant::PMC);
    const double coarse = reported[i10] - reported[i25];
    if (coarse < -kPmTolerance * reported[i25])
        t.fail(r, cols[i10], "PM10 must be >= PM2.5 (" + t.cell(r, cols[i25]) + "): PM10 includes PM2.5");
    internal[i10] = std::max(0.0, coarse);
    return internal;
}

Sector sector_cell(const CsvTable& t, std::size_t r, std::size_t col) {
    const auto s = sector_from_name(t.cell(r, col));
    if (!s) t.fail(r, col, "unknown sector (allowed: " + inventory_sector_list() + ")");
    return *s;
}

std::vector<LonLat> parse_path(const CsvTable& t, std::size_t r, std::size_t col) {
    std::vector<LonLat> vertices;
    std::stringstream ss(t.cell(r, col));
    std::string vertex;
    while (std::getline(ss, vertex, ';')) {
        std::istringstream v(vertex);
        double lon = 0, lat = 0;
        std::string rest;
        if (!(v >> lon >> lat) || (v >> rest) || !std::isfinite(lon) || !std::isfinite(lat))
            t.fail(r, col, "vertex '" + trim_blanks(vertex) + "' is not 'lon lat' (vertices separated by ';')");
        if (lon < -180 || lon > 360 || lat < -90 || lat > 90)
            t.fail(r, col, "vertex '" + trim_blanks(vertex) + "' is outside lon [-180, 360], lat [-90, 90]");
        vertices.push_back({lon, lat});
    }
    if (vertices.size() < 2) t.fail(r, col, "a road link needs at least 2 vertices 'lon lat;lon lat'");
    return vertices;
}

}  // namespace

std::vector<PointStack> read_point_stacks(const std::string& path) {
    const CsvTable t = read_csv_file(path);
    const std::size_t c_id = t.require("id"), c_name = t.require("name"), c_sector = t.require("sector"),
                      c_lon = t.require("lon"), c_lat = t.require("lat"), c_h = t.require("stack_height_m"),
                      c_d = t.require("diameter_m"), c_t = t.require("exit_temp_k"),
                      c_v = t.require("exit_velocity_m_s"), c_grade = t.require("grade");
    const auto cols = pollutant_columns(t, "_t_yr");
    std::vector<PointStack> out;
    std::map<std::string, int> seen;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        PointStack p;
        p.id = t.cell(r, c_id);
        if (p.id.empty()) t.fail(r, c_id, "must not be empty");
        if (const auto it = seen.find(p.id); it != seen.end())
            t.fail(r, c_id, "duplicate id (first on line " + std::to_string(it->second) + ")");
        seen[p.id] = t.line_numbers[r];
        p.name = t.cell(r, c_name);
        p.sector = sector_cell(t, r, c_sector);
        p.lon = t.number(r, c_lon, -180, 360, "in [-180, 360] degrees");
        p.lat = t.number(r, c_lat, -90, 90, "in [-90, 90] degrees");
        p.stack.height_m = t.number(r, c_h, 0, kMaxStackHeightM, "in [0, 600] m");
        p.stack.diameter_m = t.number(r, c_d, 0, kMaxDiameterM, "in (0, 30] m");
        if (p.stack.diameter_m <= 0) t.fail(r, c_d, "must be > 0");
        p.stack.exit_temp_k = t.number(r, c_t, kMinExitTempK, kMaxExitTempK, "in [200, 2000] K (kelvin, not Celsius)");
        p.stack.exit_velocity_m_s = t.number(r, c_v, 0, kMaxExitVelocityMs, "in [0, 100] m/s");
        const std::string& g = t.cell(r, c_grade);
        if (g == "A" || g == "B" || g == "C")
            p.grade = g[0];
        else if (!g.empty())
            t.fail(r, c_grade, "must be A, B, C or empty");
        p.annual_t = row_pollutants(t, r, cols, kMaxAnnualT);
        p.origin = origin(t, r);
        out.push_back(std::move(p));
    }
    return out;
}

RoadFactorTable read_road_factors(const std::string& path) {
    const CsvTable t = read_csv_file(path);
    const std::size_t c_vc = t.require("vehicle_class"), c_rc = t.require("road_class");
    const auto cols = pollutant_columns(t, "_g_km");
    RoadFactorTable out;
    std::map<std::pair<std::string, std::string>, int> seen;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& vc = t.cell(r, c_vc);
        const std::string& rc = t.cell(r, c_rc);
        if (vc.empty()) t.fail(r, c_vc, "must not be empty");
        if (rc.empty()) t.fail(r, c_rc, "must not be empty (use * for any road class)");
        const auto key = std::make_pair(vc, rc);
        if (const auto it = seen.find(key); it != seen.end())
            t.fail(r, c_rc, "factors for " + vc + " on " + rc + " already given on line " + std::to_string(it->second));
        seen[key] = t.line_numbers[r];
        out[key] = row_pollutants(t, r, cols, 1e4);
    }
    return out;
}

std::vector<RoadLink> read_road_links(const std::string& path, const RoadFactorTable& factors) {
    const CsvTable t = read_csv_file(path);
    const std::size_t c_id = t.require("id"), c_name = t.require("name"), c_rc = t.require("road_class"),
                      c_path = t.require("path");
    // Vehicle classes: columns vkt_<class>_km_day.
    const std::string prefix = "vkt_", suffix = "_km_day";
    std::vector<std::pair<std::size_t, std::string>> classes;
    std::set<std::string> known;
    for (const auto& [key, values] : factors) known.insert(key.first);
    for (std::size_t c = 0; c < t.header.size(); ++c) {
        const std::string& h = t.header[c];
        if (h.size() <= prefix.size() + suffix.size() || !h.starts_with(prefix) || !h.ends_with(suffix)) continue;
        const std::string vc = h.substr(prefix.size(), h.size() - prefix.size() - suffix.size());
        if (!known.count(vc))
            throw ConfigError(t.path + ":" + std::to_string(t.header_line) + ": header: column '" + h +
                              "': vehicle class '" + vc + "' has no emission factors in the road factor table");
        classes.emplace_back(c, vc);
    }
    if (classes.empty())
        throw ConfigError(t.path + ":" + std::to_string(t.header_line) +
                          ": header: no vehicle-km columns (expected vkt_<vehicle class>_km_day)");
    std::vector<RoadLink> out;
    std::map<std::string, int> seen;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        RoadLink link;
        link.id = t.cell(r, c_id);
        if (link.id.empty()) t.fail(r, c_id, "must not be empty");
        if (const auto it = seen.find(link.id); it != seen.end())
            t.fail(r, c_id, "duplicate id (first on line " + std::to_string(it->second) + ")");
        seen[link.id] = t.line_numbers[r];
        link.name = t.cell(r, c_name);
        link.road_class = t.cell(r, c_rc);
        if (link.road_class.empty()) t.fail(r, c_rc, "must not be empty");
        link.path = parse_path(t, r, c_path);
        link.length_m = polyline_length_m(link.path);
        for (const auto& [c, vc] : classes) {
            const double vkt = t.number(r, c, 0, 1e9, ">= 0 vehicle-km per day", true, 0.0);
            link.vkt_km_day[vc] = vkt;
            if (vkt == 0) continue;
            auto f = factors.find({vc, link.road_class});
            if (f == factors.end()) f = factors.find({vc, "*"});
            if (f == factors.end())
                t.fail(r, c, "no emission factor for vehicle class " + vc + " on road class " + link.road_class +
                                 " (and no '*' row)");
            for (int p = 0; p < kPollutants; ++p) link.annual_t[p] += kRoadDaysPerYear * vkt * f->second[p] / kGramsPerTonne;
        }
        link.origin = origin(t, r);
        out.push_back(std::move(link));
    }
    return out;
}

std::vector<AreaCell> read_area_csv(const std::string& path) {
    const CsvTable t = read_csv_file(path);
    const std::size_t c_sector = t.require("sector"), c_lon = t.require("lon"), c_lat = t.require("lat"),
                      c_dlon = t.require("dlon"), c_dlat = t.require("dlat");
    const auto cols = pollutant_columns(t, "_t_yr");
    std::vector<AreaCell> out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        AreaCell a;
        a.sector = sector_cell(t, r, c_sector);
        const double lon = t.number(r, c_lon, -180, 360, "in [-180, 360] degrees");
        const double lat = t.number(r, c_lat, -90, 90, "in [-90, 90] degrees");
        const double dlon = t.number(r, c_dlon, 0, 10, "in (0, 10] degrees");
        const double dlat = t.number(r, c_dlat, 0, 10, "in (0, 10] degrees");
        if (dlon <= 0) t.fail(r, c_dlon, "must be > 0");
        if (dlat <= 0) t.fail(r, c_dlat, "must be > 0");
        if (lat - dlat / 2 < -90 || lat + dlat / 2 > 90) t.fail(r, c_lat, "the cell reaches beyond a pole");
        a.lon0 = lon - dlon / 2;
        a.lon1 = lon + dlon / 2;
        a.lat0 = lat - dlat / 2;
        a.lat1 = lat + dlat / 2;
        a.annual_t = row_pollutants(t, r, cols, kMaxAnnualT);
        a.origin = origin(t, r);
        out.push_back(a);
    }
    return out;
}

namespace {

// A 1-D coordinate with regular spacing; returns its values.
std::vector<double> regular_axis(const NcReader& f, const std::vector<std::string>& names, int& dim_out, std::string& name_out) {
    for (const auto& name : names) {
        const auto found = f.find_var(name);
        if (!found) continue;
        const int var = *found;
        int ndims = 0;
        f.check(nc_inq_varndims(f.id(), var, &ndims), "variable '" + name + "'");
        if (ndims != 1) throw ConfigError(f.path() + ": variable '" + name + "': must be 1-D (a regular axis)");
        f.check(nc_inq_vardimid(f.id(), var, &dim_out), "variable '" + name + "'");
        std::size_t n = 0;
        f.check(nc_inq_dimlen(f.id(), dim_out, &n), "variable '" + name + "'");
        const std::vector<double> v = f.doubles(var, n);
        if (n < 2) throw ConfigError(f.path() + ": variable '" + name + "': needs at least 2 values to give the cell size");
        const double d = v[1] - v[0];
        for (std::size_t k = 0; k < n; ++k) {
            if (!std::isfinite(v[k])) throw ConfigError(f.path() + ": variable '" + name + "'[" + std::to_string(k) + "]: not finite");
            if (k > 0 && std::fabs((v[k] - v[k - 1]) - d) > 1e-6 * std::fabs(d) + 1e-9)
                throw ConfigError(f.path() + ": variable '" + name + "': spacing is not regular at index " + std::to_string(k) +
                                  " (regular longitude-latitude cells are required)");
        }
        if (d == 0) throw ConfigError(f.path() + ": variable '" + name + "': repeated values");
        name_out = name;
        return v;
    }
    throw ConfigError(f.path() + ": no coordinate variable " + names[0] + " (or " + names[1] + ")");
}

bool annual_units(const std::string& u) {
    static const std::set<std::string> ok{"t yr-1", "t/yr", "t year-1", "t a-1", "Mg yr-1", "t/year", "t yr^-1"};
    return ok.count(u) > 0;
}

}  // namespace

std::vector<AreaCell> read_area_netcdf(const std::string& path) {
    const NcReader f(path, "cannot open as NetCDF");
    int lon_dim = -1, lat_dim = -1;
    std::string lon_name, lat_name;
    const std::vector<double> lon = regular_axis(f, {"lon", "longitude"}, lon_dim, lon_name);
    const std::vector<double> lat = regular_axis(f, {"lat", "latitude"}, lat_dim, lat_name);
    const double dlon = std::fabs(lon[1] - lon[0]), dlat = std::fabs(lat[1] - lat[0]);
    const std::size_t nlon = lon.size(), nlat = lat.size();
    // The ranges of the CSV area cells (docs/input-formats.md), for every cell with its edges.
    for (const auto& [name, axis, lo, hi, half] : {std::tuple{lon_name, &lon, -180.0, 360.0, 0.0},
                                                   std::tuple{lat_name, &lat, -90.0, 90.0, dlat / 2}})
        for (std::size_t k = 0; k < axis->size(); ++k)
            if ((*axis)[k] - half < lo || (*axis)[k] + half > hi)
                throw ConfigError(path + ": variable '" + name + "'[" + std::to_string(k) + "] = " + std::to_string((*axis)[k]) +
                                  ": the cell must lie in [" + std::to_string(static_cast<int>(lo)) + ", " +
                                  std::to_string(static_cast<int>(hi)) + "] degrees" + (half > 0 ? " (it reaches beyond a pole)" : ""));

    int nvars = 0;
    f.check(nc_inq_nvars(f.id(), &nvars), "listing variables");
    // values[sector][reported pollutant] = nlat*nlon (empty = absent)
    std::array<std::array<std::vector<double>, kPollutants>, kInventorySectors> values;
    int found = 0;
    for (int var = 0; var < nvars; ++var) {
        char name_c[NC_MAX_NAME + 1];
        f.check(nc_inq_varname(f.id(), var, name_c), "variable names");
        const std::string name = name_c;
        const std::string here = path + ": variable '" + name + "'";
        const auto us = name.find('_');
        const auto sector = us == std::string::npos ? std::nullopt : sector_from_name(name.substr(0, us));
        int pollutant = -1;
        if (sector)
            for (int p = 0; p < kPollutants; ++p)
                if (kReportedPollutants[p] == name.substr(us + 1)) pollutant = p;
        int ndims = 0;
        f.check(nc_inq_varndims(f.id(), var, &ndims), "variable '" + name + "'");
        std::vector<int> dims(static_cast<std::size_t>(ndims));
        f.check(nc_inq_vardimid(f.id(), var, dims.data()), "variable '" + name + "'");
        const bool on_grid = ndims == 2 && dims[0] == lat_dim && dims[1] == lon_dim;
        // An emission field on other dimensions (transposed, with a time axis) would be dropped unseen.
        if (!on_grid && sector && pollutant >= 0)
            throw ConfigError(here + ": an emission field must be 2-D on (" + lat_name + ", " + lon_name + "), in that order");
        if (!on_grid) continue;  // not on the emission grid (bounds, masks, …)
        if (!sector || pollutant < 0)
            throw ConfigError(here + ": a field on (" + lat_name + ", " + lon_name +
                              ") must be named <sector>_<pollutant> with sector in " + inventory_sector_list() +
                              " and pollutant in SO2, NOx, CO, PM25, PM10, VOC, NH3");
        const std::string units = trim_blanks(std::string(f.text_att(var, "units").c_str()));
        if (units.empty()) throw ConfigError(here + ": no units attribute (expected t yr-1)");
        if (!annual_units(units))
            throw ConfigError(here + ": units '" + units + "': must be t yr-1 (tonnes per year per cell)");
        std::vector<double> v = f.doubles(var, nlat * nlon);
        double fill = NC_FILL_DOUBLE;
        const bool has_fill = nc_get_att_double(f.id(), var, "_FillValue", &fill) == NC_NOERR;
        nc_type type = NC_DOUBLE;
        f.check(nc_inq_vartype(f.id(), var, &type), "type of '" + name + "'");
        if (!has_fill) fill = type == NC_FLOAT ? static_cast<double>(NC_FILL_FLOAT) : NC_FILL_DOUBLE;
        for (std::size_t k = 0; k < v.size(); ++k) {
            if (v[k] == fill) {
                v[k] = 0;  // missing = no emission
                continue;
            }
            const std::string at = here + "[" + std::to_string(k / nlon) + ", " + std::to_string(k % nlon) + "]";
            if (!std::isfinite(v[k])) throw ConfigError(at + ": value is not finite");
            if (v[k] < 0) throw ConfigError(at + ": " + std::to_string(v[k]) + ": must be >= 0");
        }
        auto& slot = values[static_cast<int>(*sector)][pollutant];
        if (!slot.empty()) throw ConfigError(here + ": given twice");
        slot = std::move(v);
        ++found;
    }
    if (found == 0)
        throw ConfigError(path + ": no emission fields (expected variables <sector>_<pollutant>(" + lat_name + ", " +
                          lon_name + ") in t yr-1)");
    std::vector<AreaCell> out;
    const int i25 = static_cast<int>(Pollutant::PM25), i10 = static_cast<int>(Pollutant::PMC);
    for (int s = 0; s < kInventorySectors; ++s) {
        for (std::size_t j = 0; j < nlat; ++j)
            for (std::size_t i = 0; i < nlon; ++i) {
                const std::size_t k = j * nlon + i;
                PollutantValues reported{};
                bool any = false;
                for (int p = 0; p < kPollutants; ++p)
                    if (!values[s][p].empty()) {
                        reported[p] = values[s][p][k];
                        any = any || reported[p] > 0;
                    }
                if (!any) continue;
                AreaCell a;
                a.sector = static_cast<Sector>(s);
                a.lon0 = lon[i] - dlon / 2;
                a.lon1 = lon[i] + dlon / 2;
                a.lat0 = lat[j] - dlat / 2;
                a.lat1 = lat[j] + dlat / 2;
                a.annual_t = reported;
                const double coarse = reported[i10] - reported[i25];
                if (coarse < -1e-6 * reported[i25])
                    throw ConfigError(path + ": variable '" + std::string(sector_name(s)) + "_PM10'[" + std::to_string(j) +
                                      ", " + std::to_string(i) + "]: " + std::to_string(reported[i10]) +
                                      ": must be >= " + std::string(sector_name(s)) + "_PM25 (" +
                                      std::to_string(reported[i25]) + "): PM10 includes PM2.5");
                a.annual_t[i10] = std::max(0.0, coarse);
                a.origin = path + ": " + std::string(sector_name(s)) + "[" + std::to_string(j) + ", " + std::to_string(i) + "]";
                out.push_back(a);
            }
    }
    return out;
}

Inventory load_inventory(const Config& cfg) {
    const InventoryConfig& ic = cfg.inventory;
    Inventory inv;
    if (!ic.profiles.empty()) inv.profiles = TemporalProfiles(read_csv_file(resolve_path(cfg, ic.profiles)));
    inv.profiles.set_utc_offset_h(ic.utc_offset_h);
    // The built-in speciation follows the chemistry: the photochemical mode needs NO/NO2 and the VOC
    // species of its mechanism (configs/profiles/speciation_cb6r3.csv).
    if (!ic.speciation.empty())
        inv.speciation = Speciation(read_csv_file(resolve_path(cfg, ic.speciation)));
    else if (cfg.chemistry.mechanism == ChemistryMechanism::cb6r3)
        inv.speciation = Speciation::builtin_cb6r3();
    if (!ic.points.empty()) inv.points = read_point_stacks(resolve_path(cfg, ic.points));
    if (!ic.roads.empty())
        inv.roads = read_road_links(resolve_path(cfg, ic.roads), read_road_factors(resolve_path(cfg, ic.road_factors)));
    for (const auto& file : ic.areas) {
        const std::string path = resolve_path(cfg, file);
        auto cells = path.ends_with(".nc") || path.ends_with(".nc4") ? read_area_netcdf(path) : read_area_csv(path);
        inv.areas.insert(inv.areas.end(), cells.begin(), cells.end());
    }
    return inv;
}

}  // namespace lantian
