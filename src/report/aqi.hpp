// China's Air Quality Index after HJ 633-2012 (Technical Regulation on Ambient Air Quality Index):
// individual indices (IAQI) from breakpoints, the special rules, the AQI, its category and the
// primary pollutant(s). Pure functions of concentrations; nothing here reads files or fields.
#pragma once

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

// Daily AQI (HJ 633-2012 §5): the largest IAQI of SO2, NO2, PM10, PM2.5, CO (24-h means), O3
// (daily maximum 8-h mean, or the daily maximum 1-h value when the 8-h value exceeds 800).
AqiResult daily_aqi(const Concentrations& c);
// Hourly AQI: 1-h SO2 (24-h when the 1-h value exceeds 800), NO2, CO, O3 (1-h and 8-h moving),
// and PM10/PM2.5 as their 24-h moving means.
AqiResult hourly_aqi(const Concentrations& c);

// Category names: "优"/"Excellent" … "严重污染"/"Severely polluted"; level "I" … "VI".
std::string category_name_zh(int category);
std::string category_name_en(int category);
std::string category_level(int category);
int category_of(int aqi);
// A heavy-pollution day has a daily AQI above 200 (so 200 is not, 201 is).
inline bool heavy_pollution(int daily_aqi) { return daily_aqi > 200; }

}  // namespace lantian::aqi
