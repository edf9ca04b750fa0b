// Station observations for the forecast cycle (issue 15, item 3): the station list, a lenient
// reader of Lantian's long format, the importer of the national network's daily wide files, the
// writer of the long format, and the pick of the values the analysis uses. Formats, the time
// convention, every skip reason and the plausibility caps: docs/observations.md.
//
// Lenient means: a file that cannot be opened or lacks a required column is a ConfigError (exit 2),
// but a bad row or cell is skipped, counted by reason, and its first few occurrences are kept as
// examples "file:line: column: value: why". Every candidate value ends in exactly one bucket:
//
//     values = accepted + Σ skipped[reason]
//
// The strict reader of `lantian report --observations` (read_observations, src/report/report.cpp)
// is unchanged: there the first bad row stops the report.
//
// Times: an observation is the mean of the hour ENDING at its time (the national network's
// convention: the value stamped 16:00 is the mean of 15:00–16:00, Beijing time); Observation::epoch_s
// is that end, UTC seconds since 1970.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "report/report.hpp"  // Observation

namespace lantian {

// ---- station list ------------------------------------------------------------------------------

struct StationInfo {
    std::string code;      // the network's station code (e.g. "1001A"), unique in a list
    std::string name;      // may be empty
    std::string city;      // may be empty
    double lon_deg = 0;    // degrees east, in [-180, 360]
    double lat_deg = 0;    // degrees north, in [-90, 90]
};

// Reads a station list: Lantian's header `code,name,city,lon,lat`, or the national list's
// `监测点编码,监测点名称,城市,经度,纬度` (further columns such as `对照点` ignored); UTF-8 with or
// without a byte-order mark. ConfigError naming file:line (and the column) for: a file that cannot
// be opened, text that is not UTF-8 (the national list is sometimes saved as GBK), a missing column,
// an empty code, a duplicate code (naming the first line), a lon/lat that is not a number or out of range.
std::vector<StationInfo> read_station_list(const std::string& path);

// ---- the report of a lenient read ----------------------------------------------------------------

// Why a candidate value was not accepted. A value is counted under the first check it fails, in
// this order (per value, then duplicates over the whole set, then the PM2.5/PM10 pairs).
enum class ObservationSkip {
    malformed_row,          // a line whose number of cells differs from the header's
    missing_station,        // empty station (long format)
    bad_time,               // unparsable time or offset, not on the hour; national: bad date or hour
    unknown_pollutant,      // not PM2.5, PM10, SO2, NO2, CO, O3 (national: an unknown `type`)
    missing_value,          // empty, NA, NaN, -, —
    not_a_number,           // a value that does not parse as a number
    bad_unit,               // not ug/m3 (µg/m3, μg/m3, ug m-3, …) or mg/m3 (long format)
    impossible_value,       // negative, not finite, or above the pollutant's plausibility cap
    duplicate_identical,    // a repeat of (station, pollutant, hour) with the same value: one kept, the rest counted
    duplicate_conflicting,  // (station, pollutant, hour) given with different values: all of them dropped
    pm25_above_pm10,        // PM2.5 above PM10 at the same station and hour beyond the tolerance: both dropped
};
inline constexpr std::size_t kObservationSkipCount = 11;
const char* observation_skip_name(ObservationSkip s);  // "bad_time", …

struct ObservationReport {
    std::vector<std::string> files;
    long lines = 0;     // data lines read (header, comments and blank lines not counted)
    long values = 0;    // candidate values: long format one per line; national one per station cell
    long accepted = 0;  // values in ObservationSet::observations
    std::array<long, kObservationSkipCount> skipped{};                     // values, by reason
    std::array<std::vector<std::string>, kObservationSkipCount> examples;  // the first few, "file:line: …"
    long ignored_type_rows = 0;    // national: rows of AQI and averaged types (…_24h, O3_8h, …), by design
    long unlisted_columns = 0;     // national: station columns not in the station list (not read)
    long pm_pairs_tolerated = 0;   // PM2.5 above PM10 within the tolerance: both kept
    std::vector<std::string> warnings;

    long skipped_total() const;
    long skipped_of(ObservationSkip s) const { return skipped[static_cast<std::size_t>(s)]; }
};

// The counts report as printed by `lantian observations check|import`.
std::string format_observation_report(const ObservationReport& r);

struct ObservationSet {
    std::vector<Observation> observations;  // sorted by station, pollutant, epoch_s; one per key
    ObservationReport report;
};

// Plausibility caps of hourly values (µg m-3; CO mg m-3): above the cap a value is impossible
// (a unit mistake or a fill value), at or below it real, however extreme. Reasons in
// docs/observations.md.
double observation_cap(const std::string& pollutant);

struct ObservationReadOptions {
    std::size_t max_examples = 5;  // examples kept per skip reason
    // PM2.5 > PM10 at one station and hour: both kept while PM2.5 ≤ PM10 + max(abs, fraction · PM10),
    // both dropped (pm25_above_pm10) beyond.
    double pm_tolerance_ug_m3 = 10.0;
    double pm_tolerance_fraction = 0.15;
};

// ---- long format ---------------------------------------------------------------------------------

// `station,time,pollutant,value,unit` (columns by name, any order, further columns ignored); time
// ISO 8601 with an offset (2026-01-10T08:00:00+08:00 is Beijing time), no offset or Z = UTC.
// ConfigError only for a file that cannot be opened, is empty or lacks a required column.
ObservationSet read_observations_long(const std::string& path, const ObservationReadOptions& options = {});

// Adds `more` (another file's read) to `into`: its observations and every count of its report
// (examples up to `max_examples` per reason). Duplicates across the two are not looked for.
void append_observations(ObservationSet& into, ObservationSet&& more, std::size_t max_examples = 5);

// Writes the long format: times in Beijing time (+08:00), CO in mg/m3, the others in ug/m3, rows in
// the order given. Written to PATH.partial and renamed; std::runtime_error when it cannot be written.
void write_observations_long(const std::string& path, const std::vector<Observation>& observations);

// ---- national network daily files ----------------------------------------------------------------

// The daily wide files mirrored from the national network's real-time release
// (china_sites_YYYYMMDD.csv): header `date,hour,type,<station code>,…`; date YYYYMMDD and hour 0–23
// in Beijing time, hour h of date d the mean of the hour ending at h:00 of d (hour 0: 23:00–24:00 of
// the day before); `type` PM2.5, PM10, SO2, NO2, O3, CO are read (CO mg m-3, the others µg m-3), AQI
// and the averaged types (…_24h, O3_8h, O3_8h_24h) are ignored and counted; empty cells are missing.
// Only the stations of `stations` are read (all when it is empty). Duplicates and the PM2.5/PM10
// check run over all files together. ConfigError for a file that cannot be opened, is empty or lacks
// `date`, `hour` or `type`, or names a station column twice.
ObservationSet read_observations_national(const std::vector<std::string>& files,
                                          const std::vector<StationInfo>& stations = {},
                                          const ObservationReadOptions& options = {});

// ---- for the analysis ----------------------------------------------------------------------------

// Per station and pollutant the latest observation whose hour ends in
// [time_utc_s − window_h · 3600, time_utc_s] (window_h = 0: exactly at time_utc_s), sorted by
// station and pollutant. window_h ≥ 0 hours.
std::vector<Observation> latest_observations(const std::vector<Observation>& observations, double time_utc_s,
                                             int window_h = 0);

}  // namespace lantian
