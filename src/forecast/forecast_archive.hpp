// The forecast archive of a cycle (cycles/YYYYMMDD/forecast_daily.csv): one row per receptor and
// local date with the daily means, the daily AQI (HJ 633-2012), its category, primary pollutant,
// alert level, and the AQI range the forecast issues. The range rule is here too: a bureau does not
// publish "AQI 173" but "AQI 160–190, 中度污染". The verification (forecast/verification.hpp) reads
// these rows back, from every cycle, to score the forecasts against the observations.
// Rules and columns: docs/verification.md; the cycle folder: docs/forecast-cycle.md.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "config/alert_levels.hpp"
#include "config/config.hpp"
#include "report/report.hpp"

namespace lantian {

// ---- The AQI range rule --------------------------------------------------------------------------
// Width W of the issued range by the forecast AQI A (integer AQI):
//   A ≤ 100: 20;  100 < A ≤ 200: 30;  200 < A ≤ 300: 50;  A > 300: 60
// Placement: low = 5 × round((A − W/2) / 5) (never a tie: A − W/2 is an integer), high = low + W;
// a range below 0 is moved up to [0, W], one above 500 down to [500 − W, 500]. So the range is a
// multiple of 5 at both ends, exactly W wide, and holds A (|low + W/2 − A| ≤ 2 < W/2).
constexpr int kAqiRangeStep = 5;
int aqi_range_width(int aqi);

struct AqiRange {
    int low = 0, high = 0;                    // AQI, inclusive
    int category_low = 1, category_high = 1;  // HJ 633-2012 categories (1..6) of low and high
    std::string label_en;                     // "light to moderate", or "light" within one category
    std::string label_zh;                     // "轻度至中度污染", or "轻度污染" within one category
    std::string level_range;                  // "light-moderate", or "light" (the CSV form)
};
// The range issued for a forecast AQI (clamped to 0..500 first).
AqiRange aqi_range(int aqi);
// The categories and labels of a given range (0 ≤ low ≤ high ≤ 500), e.g. one a forecaster edited.
AqiRange aqi_range_of(int low, int high);

// Short English category words: "excellent", "good", "light", "moderate", "heavy", "severe".
std::string category_word_en(int category);

// ---- forecast_daily.csv --------------------------------------------------------------------------
struct ForecastDay {
    std::string cycle;     // YYYY-MM-DD, the cycle date (Beijing)
    std::string receptor;  // receptor name as in the run
    std::string kind;      // "station" or "city"
    std::string date;      // local date YYYY-MM-DD
    int lead_day = 0;      // date − cycle, days
    int hours = 0;         // hourly values behind the daily means
    double pm25 = 0, pm10 = 0, so2 = 0, no2 = 0;  // 24-h means, µg m-3
    double co = 0;                                 // 24-h mean, mg m-3
    double o3_1h_max = std::nan(""), o3_mda8 = std::nan("");  // µg m-3, NaN without O3
    int aqi = 0, category = 1;
    std::string primary;   // "PM2.5", "PM2.5+O3", or "" (AQI ≤ 50: none; written "-")
    AlertLevel alert = AlertLevel::none;
    AqiRange range;        // from aqi_range(aqi)
};

// Rows of a run's receptor series: every receptor (in file order) × local date with lead day ≥ 0
// (dates before cycle_date, e.g. a spin-up, are left out). daily_rows() gives the values.
// cycle_date: "YYYY-MM-DD" (ConfigError otherwise).
std::vector<ForecastDay> forecast_days(const std::string& cycle_date, const SeriesFile& series,
                                       const AlertsConfig& alerts, const AlertRules& rules);
// Writes forecast_days() to path, atomically (a temporary file in the same folder, then renamed).
// std::runtime_error when the file cannot be written.
void write_forecast_daily(const std::string& path, const std::string& cycle_date, const SeriesFile& series,
                          const AlertsConfig& alerts, const AlertRules& rules);
// The same for rows already made (tests, edits).
void write_forecast_daily(const std::string& path, const std::vector<ForecastDay>& rows);
std::string forecast_daily_csv(const std::vector<ForecastDay>& rows);
// Reads a forecast_daily.csv; ConfigError "path:line: column: value: reason" for a bad cell, a
// lead day that is not date − cycle, a category that is not the AQI's, or a level range that is
// not the one of aqi_low..aqi_high (the range itself may differ from the rule's: an edited range),
// or a second row of one cycle, kind, receptor and date.
std::vector<ForecastDay> read_forecast_daily(const std::string& path);

// ---- helpers shared with the verification ---------------------------------------------------------
// Writes text to path through path + ".partial" and a rename; std::runtime_error on failure.
void write_file_atomic(const std::string& path, const std::string& text);
// Day number (days since 1970-01-01) of "YYYY-MM-DD"; false when the text is not a valid date.
bool parse_date(const std::string& text, long long& days);
std::string format_date(long long days);

}  // namespace lantian
