// Emergency emission-reduction lists (应急减排清单): which sources cut which pollutants by how much
// at each alert level, read from a bureau's CSV, and what each level's measures remove from the
// inventory. Reading, resolving and accounting only; running scenarios is the simulation's job.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "emissions/inventory.hpp"
#include "config/alert_levels.hpp"  // AlertLevel, MeasureLevel

namespace lantian {

struct ReductionRow {
    // Target: a plant id, or any of a region, a sector and a performance grade (all of those given
    // must match), or everything. Specificity decides between rows of one level: plant 100, grade
    // 10, sector 5, region 3, added up (so plant > sector+grade > grade > sector > region > all).
    std::string plant;
    std::optional<Sector> sector;
    char grade = 0;
    std::string region;
    int specificity = 0;
    std::array<bool, kPollutants> pollutants{};  // internal pollutants the cut applies to
    double cut = 0;                      // fraction removed, 0..1
    MeasureLevel level = MeasureLevel::always;
    double start_epoch_s = -1, end_epoch_s = -1;  // optional window (UTC); < 0 = open
    std::string target_text;
    int line = 0;
};

struct ReductionList {
    std::string path, name;
    std::vector<ReductionRow> rows;
};

// Whether a row is in force at time t (seconds since 1970 UTC): always for a row without a window,
// otherwise when start ≤ t < end (an open side, < 0, never excludes). Scenarios ask it for the
// middle of each hour, so a row is on or off for whole hours.
bool row_active(const ReductionRow& row, double t_epoch_s);

// Reads a list (columns target,pollutants,cut,level[,start,end]). ConfigError "file:line: column:
// value: reason" for unknown targets kinds, sectors, grades, pollutants or levels, cuts outside
// [0, 1], bad times, and rows that overlap (same target, level and pollutant).
ReductionList read_reduction_list(const std::string& path);

// The cut (0..1) of one pollutant of a source at an alert level: among the rows in force at that
// level (level ≤ alert, or always) that match the source, the highest level wins, and within it
// the most specific target (plant > sector+grade > grade > sector > all).
struct SourceKey {
    std::string id;           // plant id ("" for roads and area cells)
    Sector sector;
    char grade = 0;
    std::string region;       // the named area holding the source ("" = none)
};
double reduction_cut(const ReductionList& list, const SourceKey& source, int pollutant, MeasureLevel alert);

// What a list removes at each level: totals and cuts in t/day (annual / 365) for SO2, NOx, PM
// (PM2.5 + coarse = PM10) and VOC, over every source of the inventory.
struct CutSummary {
    static constexpr int kGroups = 4;                     // SO2, NOx, PM, VOC
    std::array<double, kGroups> total_t_day{};
    std::array<std::array<double, kGroups>, 4> cut_t_day{};  // by MeasureLevel
    std::vector<std::string> warnings;                    // rows that match nothing
};
class RegionSet;
// regions: the named areas (nullptr = none; region targets then match nothing).
CutSummary summarise_cuts(const ReductionList& list, const Inventory& inventory, const RegionSet* regions = nullptr);
std::string cut_table(const ReductionList& list, const CutSummary& summary);

// Alert-triggered measures: the level in force in each hour, from the alert level of each local
// day (days[d] covers [day_start_epoch_s + 24 h d, +24 h)). A level's measures start lead_time_h
// after the start of the first day at that level or above and stop at the end of the last such
// day of the run of alert days.
std::vector<MeasureLevel> hourly_measures(const std::vector<AlertLevel>& days, double lead_time_h);

}  // namespace lantian
