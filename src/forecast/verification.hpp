// Verification across forecast cycles: every cycle's forecast_daily.csv rows (lead day ≥ 1) against
// the observed day at the station, or at the city (the mean of its stations), once observations
// for that day exist. Observed daily values follow GB 3095-2012 (validity of daily statistics) and
// HJ 633-2012 (daily AQI); the scores are the Chinese operational ones (AQI category accuracy, AQI
// range and level-range accuracy, CNEMC's target of 80 % for the 24-hour forecast), the heavy-day
// contingency scores (POD, FAR, CSI) and NMB/NME/R of daily PM2.5 and O3 MDA8.
// Rules, formulas, files and columns: docs/verification.md.
#pragma once

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "forecast/forecast_archive.hpp"
#include "report/evaluation.hpp"
#include "report/report.hpp"

namespace lantian {

constexpr int kValidDailyHours = 20;       // GB 3095-2012: a daily statistic needs ≥ 20 hourly values
constexpr double kAccuracyTarget = 0.80;   // the 24-hour AQI category accuracy asked of a bureau
constexpr int kMaxScoredLeadDay = 10;

// A station's city, for the cities' observed values (the --stations list).
struct StationCity {
    std::string station;  // the station code or name as in the observations
    std::string city;     // the city receptor's name in the run
};
// CSV with columns `station` (or `code`) and `city`; other columns are ignored. ConfigError
// "path:line: …" for an empty cell or a station listed twice.
std::vector<StationCity> read_station_cities(const std::string& path);

// One observed local day at a station or city. Concentrations NaN where not valid or not observed.
struct ObservedDay {
    std::string receptor, kind, date;  // kind "station" or "city"
    bool valid = false;                // see observed_days()
    int stations = 0;                  // stations averaged (1 for a station)
    double pm25 = std::nan(""), pm10 = std::nan(""), so2 = std::nan(""), no2 = std::nan(""), co = std::nan("");
    double o3_1h_max = std::nan(""), o3_mda8 = std::nan("");
    aqi::AqiResult aqi;
    bool heavy = false;                // AQI > 200
};

// Observed days of every station in the observations (hourly, hour-ending UTC times) by local date
// (UTC + utc_offset_h; an hour belongs to the day of its middle). A station's pollutants are the
// ones it has any value of; a day is valid when each of them has ≥ 20 hourly values that day (24-h
// means; for O3 the day's largest hourly value and its MDA8, which must exist). Duplicate hours: the
// last value given counts. Sorted by (station, date).
std::vector<ObservedDay> station_days(const std::vector<Observation>& obs, int utc_offset_h = 8);
// A city's day: per pollutant the mean over its stations with a valid day, then the AQI of the
// means; valid when at least one station's day is. Cities without listed stations have none.
std::vector<ObservedDay> city_days(const std::vector<ObservedDay>& stations, const std::vector<StationCity>& map);

// One row of verification.csv.
struct VerificationRow {
    std::string cycle, receptor, kind, date;
    int lead_day = 0;
    int forecast_aqi = 0, observed_aqi = 0;
    int forecast_category = 1, observed_category = 1;
    std::string forecast_primary, observed_primary;  // "" = none
    double forecast_pm25 = std::nan(""), observed_pm25 = std::nan("");
    double forecast_o3_mda8 = std::nan(""), observed_o3_mda8 = std::nan("");
    int aqi_low = 0, aqi_high = 0, category_low = 1, category_high = 1;
    bool category_hit = false;     // forecast category == observed category
    bool range_hit = false;        // aqi_low ≤ observed AQI ≤ aqi_high
    bool level_range_hit = false;  // category_low ≤ observed category ≤ category_high
    bool forecast_heavy = false, observed_heavy = false;  // AQI > 200
};

// Pairs forecast days (lead day ≥ 1, hours ≥ 20) with valid observed days of the same receptor
// (kind and name) and date. Sorted by (cycle, kind, receptor, lead day): deterministic.
std::vector<VerificationRow> verification_rows(const std::vector<ForecastDay>& archive,
                                               const std::vector<ObservedDay>& observed);
std::string verification_csv(const std::vector<VerificationRow>& rows);
// Reads verification.csv back (the rows of pruned cycles are kept from it); ConfigError file:line.
std::vector<VerificationRow> read_verification_csv(const std::string& path);

// Scores of one receptor (or all together) at one lead day. Rates are fractions; NaN = undefined
// (no pair, or a zero denominator), written as an empty cell.
struct Scores {
    std::string receptor, kind;  // receptor "(all)" with kind "all", "station" or "city" for the aggregates
    int lead_day = 0;
    int n = 0, category_hits = 0, range_hits = 0, level_range_hits = 0;
    double category_hit_rate = std::nan(""), range_hit_rate = std::nan(""), level_range_hit_rate = std::nan("");
    int heavy_hits = 0, heavy_misses = 0, heavy_false_alarms = 0, heavy_correct_negatives = 0;
    double pod = std::nan(""), far = std::nan(""), csi = std::nan("");
    Metrics pm25, o3_mda8;       // compute_metrics of the pairs (n = 0: none)
    double pm25_r = std::nan(""), o3_mda8_r = std::nan("");  // R, NaN when fewer than 2 pairs or a constant series
};
// Per receptor × lead day 1..10 (those present), then the aggregates (all receptors, all stations,
// all cities) × lead day.
std::vector<Scores> score(const std::vector<VerificationRow>& rows);
std::string summary_csv(const std::vector<Scores>& scores);
// Console text: the 24-hour accuracy (lead day 1, exact category and level range) against 80 %,
// and one line per lead day of the aggregate over all receptors.
std::string summary_text(const std::vector<Scores>& scores);

struct VerifyOptions {
    std::string cycles_dir;
    std::vector<Observation> observations;
    std::vector<StationCity> stations;       // optional
    std::string cycle;                       // YYYYMMDD whose verification/ gets the summary; "" = the latest
    int utc_offset_h = 8;                    // local time of the dates (Beijing)
    bool plots = true;
    std::string python = "/usr/bin/python3";
    std::string plot_script;                 // default: LANTIAN_VERIFICATION_PLOT_SCRIPT (env, then the source tree's)
};
struct VerifyResult {
    int cycles = 0;                          // cycle folders with a forecast_daily.csv
    std::size_t rows = 0;                    // rows of verification.csv
    std::string archive_csv, summary_csv, plot;  // paths written ("" plot when none)
    std::string text;                        // for the console
};
// Scans cycles_dir/YYYYMMDD/forecast_daily.csv, writes cycles_dir/verification.csv (every cycle) and
// cycles_dir/<cycle>/verification/summary.csv (the cycles up to and including <cycle>) and the skill
// plot there. ConfigError for bad input (no cycle folder, a bad table, a cycle folder whose rows
// name another cycle); std::runtime_error when a file cannot be written or the plot fails.
VerifyResult verify_cycles(const VerifyOptions& options);

}  // namespace lantian
