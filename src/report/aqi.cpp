// HJ 633-2012 breakpoints and rules.
#include "report/aqi.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace lantian::aqi {

namespace {

constexpr std::array<double, 8> kIaqi{0, 50, 100, 150, 200, 300, 400, 500};

struct Breakpoints {
    Index index;
    const char* pollutant;
    std::array<double, 8> c;  // concentrations at IAQI 0, 50, …, 500; NaN where the table has none
    double no_index_above;    // the special rules: no IAQI above this (infinity = none)
};

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// HJ 633-2012 Table 1 (µg m-3; CO mg m-3).
const std::array<Breakpoints, 10> kTable{{
    {Index::so2_24h, "SO2", {0, 50, 150, 475, 800, 1600, 2100, 2620}, kInf},
    {Index::so2_1h, "SO2", {0, 150, 500, 650, 800, kNone, kNone, kNone}, 800},   // above 800: use 24 h
    {Index::no2_24h, "NO2", {0, 40, 80, 180, 280, 565, 750, 940}, kInf},
    {Index::no2_1h, "NO2", {0, 100, 200, 700, 1200, 2340, 3090, 3840}, kInf},
    {Index::pm10_24h, "PM10", {0, 50, 150, 250, 350, 420, 500, 600}, kInf},
    {Index::co_24h, "CO", {0, 2, 4, 14, 24, 36, 48, 60}, kInf},
    {Index::co_1h, "CO", {0, 5, 10, 35, 60, 90, 120, 150}, kInf},
    {Index::o3_1h, "O3", {0, 160, 200, 300, 400, 800, 1000, 1200}, kInf},
    {Index::o3_8h, "O3", {0, 100, 160, 215, 265, 800, kNone, kNone}, 800},       // above 800: use 1 h
    {Index::pm25_24h, "PM2.5", {0, 35, 75, 115, 150, 250, 350, 500}, kInf},
}};

const Breakpoints& row(Index index) { return kTable[static_cast<int>(index)]; }

void consider(std::optional<int> v, const char* name, int& best, std::vector<std::string>& primary) {
    if (!v) return;
    if (*v > best) {
        best = *v;
        primary.assign(1, name);
    } else if (*v == best && best > 0) {
        bool have = false;
        for (const auto& p : primary) have = have || p == name;
        if (!have) primary.push_back(name);
    }
}

AqiResult finish(int best, std::vector<std::string> primary) {
    AqiResult r;
    r.aqi = best;
    r.category = category_of(best);
    if (best > 50) r.primary = std::move(primary);  // HJ 633-2012 §6: no primary pollutant at AQI ≤ 50
    return r;
}

}  // namespace

std::optional<double> iaqi_exact(Index index, double c) {
    if (!std::isfinite(c)) return std::nullopt;
    const Breakpoints& b = row(index);
    if (c > b.no_index_above) return std::nullopt;
    c = std::max(0.0, c);
    for (int k = 1; k < 8; ++k) {
        if (std::isnan(b.c[k])) break;
        if (c <= b.c[k])
            // IAQI = (IAQI_hi − IAQI_lo) / (BP_hi − BP_lo) × (C − BP_lo) + IAQI_lo
            return (kIaqi[k] - kIaqi[k - 1]) / (b.c[k] - b.c[k - 1]) * (c - b.c[k - 1]) + kIaqi[k - 1];
    }
    return 500.0;  // above the last breakpoint
}

std::optional<int> iaqi(Index index, double c) {
    const auto v = iaqi_exact(index, c);
    if (!v) return std::nullopt;
    // "进位取整": results are rounded up; 1e-9 keeps exact breakpoints (e.g. 35 → 50) from rounding up.
    return static_cast<int>(std::ceil(*v - 1e-9));
}

AqiResult daily_aqi(const Concentrations& c) {
    int best = 0;
    std::vector<std::string> primary;
    consider(iaqi(Index::so2_24h, c.so2_24h), "SO2", best, primary);
    consider(iaqi(Index::no2_24h, c.no2_24h), "NO2", best, primary);
    consider(iaqi(Index::pm10_24h, c.pm10_24h), "PM10", best, primary);
    consider(iaqi(Index::pm25_24h, c.pm25_24h), "PM2.5", best, primary);
    consider(iaqi(Index::co_24h, c.co_24h), "CO", best, primary);
    // Both ozone indicators of the daily report; above 800 µg m-3 the 8-h one has no index
    // (iaqi gives nullopt) and the 1-h one alone stands for ozone.
    consider(iaqi(Index::o3_8h, c.o3_8h), "O3", best, primary);
    consider(iaqi(Index::o3_1h, c.o3_1h), "O3", best, primary);
    return finish(best, primary);
}

AqiResult hourly_aqi(const Concentrations& c) {
    int best = 0;
    std::vector<std::string> primary;
    const auto so2 = iaqi(Index::so2_1h, c.so2_1h);
    consider(so2 ? so2 : iaqi(Index::so2_24h, c.so2_24h), "SO2", best, primary);
    consider(iaqi(Index::no2_1h, c.no2_1h), "NO2", best, primary);
    consider(iaqi(Index::co_1h, c.co_1h), "CO", best, primary);
    consider(iaqi(Index::o3_1h, c.o3_1h), "O3", best, primary);
    consider(iaqi(Index::o3_8h, c.o3_8h), "O3", best, primary);
    consider(iaqi(Index::pm10_24h, c.pm10_24h), "PM10", best, primary);
    consider(iaqi(Index::pm25_24h, c.pm25_24h), "PM2.5", best, primary);
    return finish(best, primary);
}

std::vector<double> o3_8h_running(const std::vector<double>& hourly) {
    std::vector<double> out(hourly.size(), std::nan(""));
    for (std::size_t k = 0; k < hourly.size(); ++k) {
        double sum = 0;
        int n = 0;
        const std::size_t w = static_cast<std::size_t>(kO3WindowHours);
        const std::size_t first = k + 1 >= w ? k + 1 - w : 0;
        for (std::size_t u = first; u <= k; ++u)
            if (std::isfinite(hourly[u])) {
                sum += hourly[u];
                ++n;
            }
        if (n >= kO3MinValidHours) out[k] = sum / n;
    }
    return out;
}

O3Day o3_day(const std::array<double, 24>& hourly) {
    O3Day d;
    for (double v : hourly)
        if (std::isfinite(v)) {
            ++d.hours;
            d.max_1h = std::isnan(d.max_1h) ? v : std::max(d.max_1h, v);
        }
    // The window ending at local hour e holds the hours ending e−7 … e, i.e. hourly[e − 8 … e − 1].
    for (int e = kO3FirstWindowEnd; e <= kO3LastWindowEnd; ++e) {
        double sum = 0;
        int n = 0;
        for (int h = e - kO3WindowHours; h < e; ++h)
            if (std::isfinite(hourly[h])) {
                sum += hourly[h];
                ++n;
            }
        if (n < kO3MinValidHours) continue;
        ++d.windows;
        const double mean = sum / n;
        d.mda8 = std::isnan(d.mda8) ? mean : std::max(d.mda8, mean);
    }
    return d;
}

int category_of(int a) {
    if (a <= 50) return 1;
    if (a <= 100) return 2;
    if (a <= 150) return 3;
    if (a <= 200) return 4;
    if (a <= 300) return 5;
    return 6;
}

std::string category_name_zh(int c) {
    static const char* names[] = {"优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"};
    return names[std::clamp(c, 1, 6) - 1];
}
std::string category_name_en(int c) {
    static const char* names[] = {"Excellent", "Good", "Lightly polluted", "Moderately polluted", "Heavily polluted",
                                  "Severely polluted"};
    return names[std::clamp(c, 1, 6) - 1];
}
std::string category_level(int c) {
    static const char* names[] = {"I", "II", "III", "IV", "V", "VI"};
    return names[std::clamp(c, 1, 6) - 1];
}

}  // namespace lantian::aqi
