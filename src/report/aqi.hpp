// China's Air Quality Index after HJ 633-2012 (Technical Regulation on Ambient Air Quality Index):
// individual indices (IAQI) from breakpoints, the special rules, the AQI, its category and the
// primary pollutant(s). Pure functions of concentrations; nothing here reads files or fields.
#pragma once

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace lantian::aqi {

// The pollutant × averaging period pairs of HJ 633-2012 Table 1.
enum class Index {
    so2_24h, so2_1h, no2_24h, no2_1h, pm10_24h, co_24h, co_1h, o3_1h, o3_8h, pm25_24h
};

// Concentration in µg m-3 (CO in mg m-3) → IAQI, rounded up to an integer as the standard
// requires. nullopt where the standard gives no index: SO2 1-h above 800 µg m-3 (use the 24-h
// value), O3 8-h above 800 µg m-3 (use the 1-h value). Above the last breakpoint: 500.
std::optional<int> iaqi(Index index, double concentration);
// The same without rounding (for interpolation tests and plots).
std::optional<double> iaqi_exact(Index index, double concentration);

// Concentrations for one day (24-h means, daily maximum 1-h and 8-h values) or one hour; NaN =
// not available (e.g. no ozone in the model). µg m-3, CO in mg m-3.
struct Concentrations {
    double so2_24h = std::nan(""), no2_24h = std::nan(""), pm10_24h = std::nan(""), pm25_24h = std::nan(""),
           co_24h = std::nan("");
    double so2_1h = std::nan(""), no2_1h = std::nan(""), co_1h = std::nan(""), o3_1h = std::nan(""), o3_8h = std::nan("");
};

struct AqiResult {
    int aqi = 0;
    std::vector<std::string> primary;  // pollutants whose IAQI equals the AQI, when AQI > 50
    int category = 1;                  // 1..6 (I 优 … VI 严重污染)
};

// Daily AQI (HJ 633-2012 §4–5): the largest IAQI of the seven daily indicators, SO2, NO2, PM10,
// PM2.5, CO (24-h means) and O3 as both its daily maximum 1-h value (o3_1h) and its daily maximum
// 8-h running mean (o3_8h, MDA8). Table 1 note: an 8-h value above 800 µg m-3 has no IAQI, the
// 1-h O3 IAQI then stands for ozone. Ozone, from either period, is named "O3" as primary
// pollutant (the code names pollutants, not periods: SO2 from its 1-h or 24-h value is "SO2").
AqiResult daily_aqi(const Concentrations& c);
// Hourly (real-time) AQI: 1-h SO2 (24-h when the 1-h value exceeds 800), NO2, CO, O3 (1-h and the
// 8-h running mean ending at the hour), and PM10/PM2.5 as their 24-h moving means.
AqiResult hourly_aqi(const Concentrations& c);

// ---- Ozone averaging periods -------------------------------------------------------------------
// GB 3095-2012 Table 4 (data validity) and HJ 663-2013 §3 (terms): an 8-h running mean is the
// mean of 8 consecutive hourly values and needs at least 6 of them; the daily maximum 8-h mean
// (MDA8) is the largest of the 8-h running means of a natural day ending from 08:00 to 24:00
// local time, so its 17 windows lie within the day (the window ending 08:00 covers 00:00–08:00).
// (Clause numbers as the standards are commonly cited; their published text was not at hand to
// quote when this was written. Not implemented: any minimum count of valid windows per day.)
constexpr int kO3WindowHours = 8;
constexpr int kO3MinValidHours = 6;
constexpr int kO3FirstWindowEnd = 8;  // local hour of the end of the day's first 8-h window
constexpr int kO3LastWindowEnd = 24;

// The 8-h running means of a consecutive hourly series (µg m-3): element k is the mean of the
// finite values among k−7 … k, NaN when fewer than 6 are (hours before the series count as missing).
std::vector<double> o3_8h_running(const std::vector<double>& hourly_ug_m3);

struct O3Day {
    double max_1h = std::nan("");  // largest finite hourly value of the day (µg m-3), NaN when none
    double mda8 = std::nan("");    // MDA8 (µg m-3), NaN when no window of the day is valid
    int windows = 0;               // valid 8-h windows (of the 17 ending 08:00–24:00)
    int hours = 0;                 // finite hourly values
};
// One local day of hourly O3: hourly[h] is the mean of the hour ending at (h + 1):00 local time
// (hourly[23] ends at 24:00); NaN = missing.
O3Day o3_day(const std::array<double, 24>& hourly_ug_m3);

// Category names: "优"/"Excellent" … "严重污染"/"Severely polluted"; level "I" … "VI".
std::string category_name_zh(int category);
std::string category_name_en(int category);
std::string category_level(int category);
int category_of(int aqi);
// A heavy-pollution day has a daily AQI above 200 (so 200 is not, 201 is).
inline bool heavy_pollution(int daily_aqi) { return daily_aqi > 200; }

}  // namespace lantian::aqi
