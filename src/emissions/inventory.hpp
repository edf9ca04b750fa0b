// The sectoral emission inventory as read from the user's files: point stacks, road links with
// their emission factors, gridded area cells, temporal profiles and speciation. Reading and
// checking only (every error names file, line or variable, and the reason); putting the inventory
// on the grid is EmissionModel's job.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "emissions/sectors.hpp"
#include "emissions/speciation.hpp"
#include "emissions/temporal_profiles.hpp"
#include "grid/projection.hpp"
#include "plume_rise_kernels.hpp"

namespace lantian {

struct PointStack {
    std::string id, name;
    Sector sector = Sector::industry;
    double lon = 0, lat = 0;                 // degrees
    kernels::StackParameters stack{};
    char grade = 0;                          // 'A', 'B', 'C' or 0 (not graded)
    PollutantValues annual_t{};              // t/yr, internal pollutants (PMC = PM10 − PM2.5)
    std::string origin;                      // "file:line"
};

struct RoadLink {
    std::string id, name, road_class;
    std::vector<LonLat> path;                // ≥ 2 vertices
    std::map<std::string, double> vkt_km_day;// vehicle-km per day by vehicle class
    PollutantValues annual_t{};              // t/yr = 365 × Σ_class vkt × EF (g/km) / 1e6
    double length_m = 0;                     // great-circle length of the polyline
    std::string origin;
};

// One cell of a gridded area sector: a longitude-latitude rectangle with annual totals.
struct AreaCell {
    Sector sector = Sector::residential;
    double lon0 = 0, lat0 = 0, lon1 = 0, lat1 = 0;  // degrees, lon0 < lon1, lat0 < lat1
    PollutantValues annual_t{};
    std::string origin;                      // "file:line" or "file: variable[j, i]"
};

struct Inventory {
    std::vector<PointStack> points;
    std::vector<RoadLink> roads;
    std::vector<AreaCell> areas;
    TemporalProfiles profiles = TemporalProfiles::builtin();
    Speciation speciation = Speciation::builtin();
};

// Days per year used to turn a road link's daily vehicle-km into an annual total.
inline constexpr double kRoadDaysPerYear = 365.0;

// Reads every file named in [inventory] (paths against the config's folder). ConfigError on any
// malformed input: "file:line: column: value: reason", "file: variable: reason".
Inventory load_inventory(const Config& cfg);

// The readers, for tests and tools.
std::vector<PointStack> read_point_stacks(const std::string& path);
// Emission factors g/km: key (vehicle_class, road_class or "*") -> pollutant values (internal).
using RoadFactorTable = std::map<std::pair<std::string, std::string>, PollutantValues>;
RoadFactorTable read_road_factors(const std::string& path);
std::vector<RoadLink> read_road_links(const std::string& path, const RoadFactorTable& factors);
std::vector<AreaCell> read_area_csv(const std::string& path);
std::vector<AreaCell> read_area_netcdf(const std::string& path);

}  // namespace lantian
