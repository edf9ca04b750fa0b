// Dust-affected hours and days: a documented, clearly labelled PROXY of the Ministry's
// supplementary provisions for assessing city air quality affected by sand-dust weather
// (环办监测〔2016〕120号). The provisions identify dust periods from satellite and dust-network
// evidence and then remove PM10 and PM2.5 (only those two) from the assessment of those periods.
// Lantian has neither of those evidences; it marks an hour from the model's dust share of PM10
// and, where stations observe PM2.5 and PM10, from the observed PM2.5/PM10 ratio of coarse-
// dominated dust air (docs/dust-days.md). Pure functions of numbers; nothing here reads files.
#pragma once

#include <cmath>
#include <vector>

#include "config/config.hpp"
#include "report/aqi.hpp"

namespace lantian {

// Which evidence decided an hour.
enum class DustEvidence { none, model, observed };

struct DustHour {
    bool dust = false;
    DustEvidence evidence = DustEvidence::none;  // none: neither the model nor observations could decide
};

// One hour at a receptor (µg m-3; NaN = not available).
//   observed evidence, used when both obs_pm25 and obs_pm10 are finite:
//       dust  ⇔  obs_pm10 > c.obs_pm10_min_ug_m3  and  obs_pm25 / obs_pm10 ≤ c.obs_ratio_max
//   otherwise the model, used when model_dust and model_pm10 are finite and model_pm10 > 0:
//       dust  ⇔  model_dust / model_pm10 ≥ c.model_share_min
// Observed evidence wins because the assessment concerns the measured concentrations: the model's
// dust may arrive early, late or not at all, and a station that sees no coarse-dominated air was
// not affected whatever the model says (and vice versa).
DustHour classify_dust_hour(const DustDaysConfig& c, double model_dust_ug_m3, double model_pm10_ug_m3,
                            double obs_pm25_ug_m3, double obs_pm10_ug_m3);

// A local day is dust-affected when it has at least c.min_hours dust-affected hours.
inline bool is_dust_day(const DustDaysConfig& c, int dust_hours) { return dust_hours >= c.min_hours; }

// The daily AQI (HJ 633-2012) of the day's concentrations without the PM10 and PM2.5 sub-indices:
// the provisions take only those two out of the assessment of a dust-affected day.
aqi::AqiResult daily_aqi_without_pm(aqi::Concentrations c);

// GB 3095-2012 grade II 24-h limits (µg m-3), the exceedance thresholds of the period statistics.
constexpr double kPm25Limit24hUgM3 = 75.0;
constexpr double kPm10Limit24hUgM3 = 150.0;

// One day of a receptor as the period statistics need it.
struct DustDayValues {
    bool complete = false;         // ≥ 20 hourly values (only complete days are counted)
    bool dust_day = false;
    double pm25 = std::nan(""), pm10 = std::nan("");  // 24-h means, µg m-3
    int aqi = 0;                   // daily AQI of all pollutants
    int aqi_without_dust = 0;      // the AQI without PM10/PM2.5 on a dust day, else = aqi
};

// Period statistics over the complete days, with dust days (basis "all") or without them
// (basis "without_dust", the provisions' assessment):
//   days        complete days (both bases: a dust day still counts for SO2, NO2, CO, O3)
//   dust_days   complete dust-affected days
//   pm_days     the days whose PM2.5/PM10 count: all complete days, or the complete non-dust days
//   heavy_days  days with AQI > 200: the AQI, or aqi_without_dust on dust days
//   mean_pm25, mean_pm10            mean of the pm_days' 24-h means (NaN when none)
//   pm25_exceed_days, pm10_exceed_days   pm_days whose 24-h mean exceeds 75 / 150 µg m-3
struct DustStatistics {
    int days = 0, dust_days = 0, pm_days = 0, heavy_days = 0;
    double mean_pm25 = std::nan(""), mean_pm10 = std::nan("");
    int pm25_exceed_days = 0, pm10_exceed_days = 0;
};
DustStatistics dust_period_statistics(const std::vector<DustDayValues>& days, bool without_dust);

}  // namespace lantian
