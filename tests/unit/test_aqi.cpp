// HJ 633-2012 AQI and the alert rules, against the standard's table and worked examples.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>

#include "config/config.hpp"
#include "report/alerts.hpp"
#include "report/aqi.hpp"
#include "report/report.hpp"

using namespace lantian;
using aqi::Index;

namespace {
struct TableRow {
    Index index;
    double c[8];  // breakpoints of HJ 633-2012 Table 1; NaN where none
};
constexpr double kNo = NAN;
const TableRow kBreakpoints[] = {
    {Index::so2_24h, {0, 50, 150, 475, 800, 1600, 2100, 2620}},
    {Index::so2_1h, {0, 150, 500, 650, 800, kNo, kNo, kNo}},
    {Index::no2_24h, {0, 40, 80, 180, 280, 565, 750, 940}},
    {Index::no2_1h, {0, 100, 200, 700, 1200, 2340, 3090, 3840}},
    {Index::pm10_24h, {0, 50, 150, 250, 350, 420, 500, 600}},
    {Index::co_24h, {0, 2, 4, 14, 24, 36, 48, 60}},
    {Index::co_1h, {0, 5, 10, 35, 60, 90, 120, 150}},
    {Index::o3_1h, {0, 160, 200, 300, 400, 800, 1000, 1200}},
    {Index::o3_8h, {0, 100, 160, 215, 265, 800, kNo, kNo}},
    {Index::pm25_24h, {0, 35, 75, 115, 150, 250, 350, 500}},
};
constexpr int kIaqi[8] = {0, 50, 100, 150, 200, 300, 400, 500};
}  // namespace

TEST_CASE("IAQI equals the standard's index at every breakpoint and interpolates linearly between", "[unit][aqi]") {
    for (const TableRow& r : kBreakpoints) {
        for (int k = 0; k < 8; ++k) {
            if (std::isnan(r.c[k])) continue;
            INFO("index " << static_cast<int>(r.index) << " breakpoint " << r.c[k]);
            CHECK(aqi::iaqi(r.index, r.c[k]) == kIaqi[k]);
            if (k == 0 || std::isnan(r.c[k])) continue;
            // Midway between two breakpoints: midway between their indices (exact), rounded up.
            const double mid = 0.5 * (r.c[k - 1] + r.c[k]);
            CHECK(*aqi::iaqi_exact(r.index, mid) == Approx(0.5 * (kIaqi[k - 1] + kIaqi[k])));
            // A quarter of the way: rounded up to the next integer.
            const double q = r.c[k - 1] + 0.3 * (r.c[k] - r.c[k - 1]);
            CHECK(aqi::iaqi(r.index, q) == static_cast<int>(std::ceil(kIaqi[k - 1] + 0.3 * (kIaqi[k] - kIaqi[k - 1]) - 1e-9)));
        }
    }
    CHECK(aqi::iaqi(Index::pm25_24h, 100) == 132);  // 100 + 50/40 × 25 = 131.25 → 132
    CHECK(aqi::iaqi(Index::pm25_24h, 600) == 500);  // beyond the table
}

TEST_CASE("The standard's special rules for 1-h SO2 and 8-h O3 above 800", "[unit][aqi]") {
    CHECK_FALSE(aqi::iaqi(Index::so2_1h, 801).has_value());
    CHECK_FALSE(aqi::iaqi(Index::o3_8h, 801).has_value());
    aqi::Concentrations hour;
    hour.so2_1h = 900;    // no 1-h index: the 24-h SO2 decides
    hour.so2_24h = 900;   // between 800 (200) and 1600 (300): 200 + 100/800 × 100 = 212.5 → 213
    CHECK(aqi::hourly_aqi(hour).aqi == 213);
    aqi::Concentrations day;
    day.o3_8h = 900;      // no 8-h index: the daily maximum 1-h O3 decides
    day.o3_1h = 900;      // between 800 (300) and 1000 (400): 300 + 100/200 × 100 = 350
    const auto r = aqi::daily_aqi(day);
    CHECK(r.aqi == 350);
    CHECK(r.primary == std::vector<std::string>{"O3"});
}

TEST_CASE("Daily AQI, category and primary pollutant for worked examples", "[unit][aqi]") {
    aqi::Concentrations d;  // a winter haze day
    d.pm25_24h = 160;       // 200 + 10 = 210
    d.pm10_24h = 200;       // 125
    d.so2_24h = 30;         // 30
    d.no2_24h = 60;         // 75
    d.co_24h = 1.5;         // 37.5 → 38
    auto r = aqi::daily_aqi(d);
    CHECK(r.aqi == 210);
    CHECK(r.category == 5);
    CHECK(aqi::category_name_zh(r.category) == "重度污染");
    CHECK(aqi::category_name_en(r.category) == "Heavily polluted");
    CHECK(aqi::category_level(r.category) == "V");
    CHECK(r.primary == std::vector<std::string>{"PM2.5"});
    // Two pollutants at the same index are both primary.
    aqi::Concentrations tie;
    tie.pm25_24h = 75;
    tie.pm10_24h = 150;
    r = aqi::daily_aqi(tie);
    CHECK(r.aqi == 100);
    CHECK(r.primary.size() == 2);
    // No primary pollutant on an excellent day.
    aqi::Concentrations clean;
    clean.pm25_24h = 20;
    clean.no2_24h = 30;
    r = aqi::daily_aqi(clean);
    CHECK(r.aqi == 38);  // NO2: 37.5 → 38
    CHECK(r.primary.empty());
    CHECK(aqi::category_name_zh(1) == "优");
    // A day at exactly 200 is not a heavy-pollution day; 201 is.
    aqi::Concentrations at200;
    at200.pm25_24h = 150;
    CHECK(aqi::daily_aqi(at200).aqi == 200);
    CHECK_FALSE(aqi::heavy_pollution(aqi::daily_aqi(at200).aqi));
    aqi::Concentrations at201;
    at201.pm25_24h = 150.5;  // 200.5 → 201
    CHECK(aqi::daily_aqi(at201).aqi == 201);
    CHECK(aqi::heavy_pollution(aqi::daily_aqi(at201).aqi));
    CHECK(aqi::category_of(200) == 4);
    CHECK(aqi::category_of(201) == 5);
    CHECK(aqi::category_of(301) == 6);
}

TEST_CASE("Alert levels follow the default rules for table-driven AQI sequences", "[unit][alerts]") {
    const AlertRules rules = parse_alert_rules("aqi > 200 for 2 days", "aqi > 200 for 3 days",
                                               "aqi > 200 for 4 days with 2 days aqi > 300 or aqi >= 500 for 1 day");
    using L = AlertLevel;
    struct Case {
        std::vector<int> aqi;
        std::vector<L> expected;
    };
    const Case cases[] = {
        {{150, 210, 190, 250, 120}, {L::none, L::none, L::none, L::none, L::none}},               // no 2 days in a row
        {{150, 210, 230, 120}, {L::none, L::yellow, L::yellow, L::none}},                          // 2 days: yellow
        {{200, 201, 201, 80}, {L::none, L::yellow, L::yellow, L::none}},                           // 200 is not above 200
        {{210, 250, 230, 90}, {L::orange, L::orange, L::orange, L::none}},                         // 3 days: orange
        {{210, 250, 230, 240, 90}, {L::orange, L::orange, L::orange, L::orange, L::none}},         // 4 days, none > 300
        {{210, 310, 330, 240, 90}, {L::red, L::red, L::red, L::red, L::none}},                     // 4 days, 2 > 300: red
        {{90, 500, 90}, {L::none, L::red, L::none}},                                               // one day at 500
        {{210, 220, 90, 210, 220, 230}, {L::yellow, L::yellow, L::none, L::orange, L::orange, L::orange}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.aqi);
        const auto got = alert_levels(c.aqi, rules);
        REQUIRE(got.size() == c.expected.size());
        for (std::size_t d = 0; d < got.size(); ++d) CHECK(alert_name(got[d]) == alert_name(c.expected[d]));
    }
    // A bureau's own rule: yellow from one day above 150.
    const AlertRules strict = parse_alert_rules("aqi > 150 for 1 day", "aqi > 200 for 2 days", "aqi > 300 for 2 days");
    CHECK(alert_levels({160, 90}, strict)[0] == L::yellow);
}

TEST_CASE("Alert rules that do not parse are refused naming the key", "[unit][alerts]") {
    const std::pair<const char*, const char*> bad[] = {
        {"aqi > 200 for two days", "alerts.red = aqi > 200 for two days: 'two' is not a number"},
        {"aqi < 200 for 2 days", "'<' is not > or >="},
        {"pm25 > 200 for 2 days", "unexpected 'pm25'"},
        {"aqi > 200 for 2 days and aqi > 300 for 1 day", "unexpected 'and'"},
        {"aqi > 200 for 2", "ends too early"},
        {"aqi > 900 for 2 days", "the AQI threshold must be in [0, 500]"},
        {"aqi > 200 for 2 days with 3 days aqi > 300", "'with' asks for more days than the run has"},
        {"", "is empty"},
        // Found by tests/fuzz/fuzz_alert_rules (docs/fuzzing.md): a day count beyond int was
        // converted to int before its check (undefined behaviour); a NaN threshold passed the range.
        {"aqi > 200 for 32222222222222222222222222222222222222222222222222222222222222222 days",
         "the number of days must be a whole number in 1..366"},
        {"aqi > 200 for 1e10 days", "the number of days must be a whole number in 1..366"},
        {"aqi > 200 for nan days", "the number of days must be a whole number in 1..366"},
        {"aqi > 200 for 367 days", "the number of days must be a whole number in 1..366"},
        {"aqi > 200 for 4 days with -1e300 days aqi > 300", "the number of days after 'with' must be a whole number"},
        {"aqi > nan for 2 days", "the AQI threshold must be in [0, 500]"},
        {"aqi > inf for 2 days", "the AQI threshold must be in [0, 500]"},
    };
    for (const auto& [text, expected] : bad) {
        INFO(text);
        try {
            parse_alert_rule("alerts.red", text);
            FAIL("accepted");
        } catch (const ConfigError& e) {
            CHECK_THAT(e.what(), Catch::Contains(expected));
        }
    }
    CHECK(parse_alert_rule("alerts.red", "aqi > 200 for 366 days").front().days == 366);
}

TEST_CASE("Rolling 24-h daily AQI catches an episode that crosses midnight; calendar days do not", "[unit][alerts]") {
    // Two days of hourly PM2.5 at one city: clean except 24 polluted hours from 12:00 local on day 1
    // to 12:00 on day 2. Calendar means: about half the episode each day; the rolling mean sees all of it.
    SeriesFile s;
    s.reference_epoch_s = 1768003200.0 - 8 * 3600.0;  // 2026-01-10 00:00 Beijing time
    s.names = {"City"};
    s.kinds = {1};
    s.lat = {40.6};
    s.lon = {110.0};
    std::vector<double> pm(48);
    for (int t = 0; t < 48; ++t) {
        s.hours.push_back(t + 1.0);  // records close hours 00–01 … 23–24 local
        pm[t] = (t >= 12 && t < 36) ? 300.0 : 20.0;
    }
    s.data["PM25_total"] = pm;
    s.data["PM10_total"] = pm;
    for (const char* v : {"SO2", "NO2", "CO"}) s.data[v] = std::vector<double>(48, 0.0);
    const AlertRules rules = parse_alert_rules("aqi > 300 for 1 day", "aqi > 400 for 1 day", "aqi >= 500 for 1 day");
    AlertsConfig calendar;
    calendar.utc_offset_h = 8;
    const auto days = daily_rows(s, 0, calendar, rules);
    REQUIRE(days.size() == 2);
    CHECK(days[0].date == "2026-01-10");
    CHECK(days[0].complete);
    CHECK(days[0].pm25 == Approx(160.0));     // 12 h at 300, 12 h at 20
    CHECK(days[0].aqi.aqi == 210);             // 200 + (160 − 150) × 100/100
    CHECK(alert_name(days[0].alert) == "none");
    AlertsConfig rolling = calendar;
    rolling.daily = DailyMode::rolling24;
    const auto roll = daily_rows(s, 0, rolling, rules);
    CHECK(roll[1].alert_aqi == 350);           // the 24 polluted hours: PM2.5 300 → IAQI 300 + 50 = 350
    CHECK(alert_name(roll[1].alert) == "yellow");
    CHECK(roll[1].aqi.aqi == days[1].aqi.aqi);  // the table keeps the calendar AQI
}

// ---- Ozone (issue 14, item 7) --------------------------------------------------------------------
// Hand-computed from HJ 633-2012 Table 1: IAQI = (IAQI_hi − IAQI_lo)/(BP_hi − BP_lo) (C − BP_lo) + IAQI_lo,
// rounded up. O3 1-h breakpoints 0/160/200/300/400/800/1000/1200, 8-h 0/100/160/215/265/800 µg m-3.

namespace {
constexpr double kNaN = NAN;

// A one-receptor hourly series starting at local midnight (UTC+8): record t (hours = t + 1) closes
// the hour ending at local (t + 1):00.
SeriesFile local_day_series(const std::vector<double>& o3, double pm25) {
    SeriesFile s;
    s.reference_epoch_s = 1751328000.0 - 8 * 3600.0;  // 2025-07-01T00:00+08:00
    s.names = {"city"};
    s.kinds = {1};
    s.lat = {40};
    s.lon = {116};
    for (std::size_t t = 0; t < o3.size(); ++t) s.hours.push_back(static_cast<double>(t + 1));
    if (!o3.empty()) s.data["O3"] = o3;
    s.data["PM25"] = std::vector<double>(o3.size(), pm25);
    return s;
}
}  // namespace

TEST_CASE("O3 1-h and 8-h IAQI at and between the breakpoints of HJ 633-2012", "[unit][aqi][o3]") {
    // At the breakpoints.
    CHECK(aqi::iaqi(Index::o3_1h, 160) == 50);
    CHECK(aqi::iaqi(Index::o3_1h, 200) == 100);
    CHECK(aqi::iaqi(Index::o3_1h, 800) == 300);
    CHECK(aqi::iaqi(Index::o3_1h, 1200) == 500);
    CHECK(aqi::iaqi(Index::o3_8h, 100) == 50);
    CHECK(aqi::iaqi(Index::o3_8h, 265) == 200);
    CHECK(aqi::iaqi(Index::o3_8h, 800) == 300);
    // Between: 1-h 180 → 50 + 50/40 × 20 = 75; 250 → 100 + 50/100 × 50 = 125; 1100 → 400 + 100/200 × 100 = 450.
    CHECK(*aqi::iaqi_exact(Index::o3_1h, 180) == Approx(75.0));
    CHECK(aqi::iaqi(Index::o3_1h, 250) == 125);
    CHECK(aqi::iaqi(Index::o3_1h, 1100) == 450);
    // 1-h 161 → 50 + 50/40 × 1 = 51.25 → 52 (rounded up).
    CHECK(aqi::iaqi(Index::o3_1h, 161) == 52);
    // 8-h 130 → 50 + 50/60 × 30 = 75; 240 → 150 + 50/50 × 25 = 175; 500 → 200 + 100/535 × 235 = 243.93 → 244.
    CHECK(aqi::iaqi(Index::o3_8h, 130) == 75);
    CHECK(aqi::iaqi(Index::o3_8h, 240) == 175);
    CHECK(*aqi::iaqi_exact(Index::o3_8h, 500) == Approx(200.0 + 100.0 / 535.0 * 235.0));
    CHECK(aqi::iaqi(Index::o3_8h, 500) == 244);
    // Beyond the 1-h table: 500; no 8-h index above 800.
    CHECK(aqi::iaqi(Index::o3_1h, 1500) == 500);
    CHECK_FALSE(aqi::iaqi(Index::o3_8h, 800.5).has_value());
}

TEST_CASE("Daily AQI counts both O3 indicators; above 800 the 8-h one gives way to the 1-h one", "[unit][aqi][o3]") {
    aqi::Concentrations d;
    d.o3_8h = 120;  // 50 + 50/60 × 20 = 66.7 → 67
    d.o3_1h = 350;  // 150 + 50/100 × 50 = 175: the 1-h maximum is a daily indicator too
    auto r = aqi::daily_aqi(d);
    CHECK(r.aqi == 175);
    CHECK(r.primary == std::vector<std::string>{"O3"});
    // 8-h 800 still has an index (300) and beats the 1-h 700 (250 + 50 = 275 → 275).
    d.o3_8h = 800;
    d.o3_1h = 700;
    CHECK(aqi::daily_aqi(d).aqi == 300);
    // 8-h 801: no 8-h index; the 1-h 700 decides (275), not the 8-h value (which would be > 300).
    d.o3_8h = 801;
    r = aqi::daily_aqi(d);
    CHECK(r.aqi == 275);
    CHECK(r.category == 5);
    // Without ozone (linear runs) the AQI is that of the other pollutants alone.
    aqi::Concentrations no_o3;
    no_o3.pm25_24h = 100;  // 132
    CHECK(aqi::daily_aqi(no_o3).aqi == 132);
    CHECK(aqi::daily_aqi(no_o3).primary == std::vector<std::string>{"PM2.5"});
    // Hourly AQI: 1-h O3 250 (125) dominates NO2 1-h 150 (75).
    aqi::Concentrations hour;
    hour.o3_1h = 250;
    hour.no2_1h = 150;
    r = aqi::hourly_aqi(hour);
    CHECK(r.aqi == 125);
    CHECK(r.primary == std::vector<std::string>{"O3"});
}

TEST_CASE("MDA8 uses the 8-h windows ending 08:00-24:00 and needs 6 of 8 hours", "[unit][aqi][o3]") {
    std::array<double, 24> h;
    h.fill(50.0);
    // The window ending 08:00 (hours ending 01:00–08:00, slots 0–7) is part of the day.
    for (int k = 0; k < 8; ++k) h[k] = 200.0;
    aqi::O3Day d = aqi::o3_day(h);
    CHECK(d.windows == 17);
    CHECK(d.mda8 == Approx(200.0));
    CHECK(d.max_1h == 200.0);
    CHECK(d.hours == 24);
    // The window ending 24:00 (slots 16–23) too.
    h.fill(50.0);
    for (int k = 16; k < 24; ++k) h[k] = 120.0;
    CHECK(aqi::o3_day(h).mda8 == Approx(120.0));
    // Validity: only slots 10–15 present (6 values): the windows ending 16, 17, 18 hold all six.
    h.fill(kNaN);
    const double six[6] = {60, 80, 100, 120, 140, 160};
    for (int k = 0; k < 6; ++k) h[10 + k] = six[k];
    d = aqi::o3_day(h);
    CHECK(d.windows == 3);
    CHECK(d.mda8 == Approx(110.0));
    // Slot 9 = 400 adds the window ending 15 (slots 7–14: 400 + 60 … 140 = 900 / 6 = 150) and makes
    // the windows ending 16 and 17 hold 7 values: (400 + 660) / 7 = 151.43, the maximum.
    h[9] = 400;
    d = aqi::o3_day(h);
    CHECK(d.windows == 4);
    CHECK(d.mda8 == Approx(1060.0 / 7.0));
    // Five values: no valid window, no MDA8.
    h.fill(kNaN);
    for (int k = 0; k < 5; ++k) h[10 + k] = six[k];
    d = aqi::o3_day(h);
    CHECK(d.windows == 0);
    CHECK(std::isnan(d.mda8));
    CHECK(d.max_1h == 140.0);
    // Running means of a series: NaN until 6 values, then the mean of the last 8 finite ones.
    const std::vector<double> series{8, 8, 8, 8, 8, 8, 16, 16, 16, 16};
    const auto run = aqi::o3_8h_running(series);
    CHECK(std::isnan(run[4]));
    CHECK(run[5] == Approx(8.0));
    CHECK(run[7] == Approx(10.0));   // (6 × 8 + 2 × 16) / 8
    CHECK(run[9] == Approx(12.0));   // values 2–9: (4 × 8 + 4 × 16) / 8
}

TEST_CASE("Daily rows: O3 1-h maximum, MDA8 within the local day, O3 as primary pollutant", "[unit][aqi][o3]") {
    const AlertRules rules = parse_alert_rules("aqi > 200 for 2 days", "aqi > 200 for 3 days", "aqi > 200 for 4 days");
    AlertsConfig alerts;  // UTC+8
    // Day 1: 40 µg m-3 except 240 in the hours ending 11:00–18:00 (one 8-h window of 240);
    // day 2: 40 all day except 300 in the hours ending 01:00–03:00: the running means ending at
    // 01:00–07:00 of day 2 reach back into day 1 but are not windows of either day.
    std::vector<double> o3(48, 40.0);
    for (int k = 10; k < 18; ++k) o3[k] = 240.0;
    for (int k = 24; k < 27; ++k) o3[k] = 300.0;
    const SeriesFile s = local_day_series(o3, 30.0);  // PM2.5 30: IAQI 42.9 → 43
    const auto rows = daily_rows(s, 0, alerts, rules);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].date == "2025-07-01");
    CHECK(rows[0].o3_1h_max == 240.0);
    CHECK(rows[0].o3_mda8 == Approx(240.0));
    CHECK(rows[0].o3_windows == 17);
    // MDA8 240 → 175 beats the 1-h 240 (100 + 50/100 × 40 = 120) and PM2.5 (43).
    CHECK(rows[0].aqi.aqi == 175);
    CHECK(rows[0].aqi.primary == std::vector<std::string>{"O3"});
    // Day 2: the window ending 08:00 holds 3 × 300 + 5 × 40 = 1100 / 8 = 137.5 (the largest of the day);
    // the 1-h 300 gives 150, the MDA8 137.5 gives 50 + 50/60 × 37.5 = 81.25 → 82, so 150 (1-h O3).
    CHECK(rows[1].o3_mda8 == Approx(137.5));
    CHECK(rows[1].o3_1h_max == 300.0);
    CHECK(rows[1].aqi.aqi == 150);
    CHECK(rows[1].aqi.primary == std::vector<std::string>{"O3"});
    // Without O3 in the series (linear runs): no ozone values and the AQI of PM2.5 alone.
    SeriesFile pm = local_day_series(std::vector<double>(48, 0.0), 30.0);
    pm.data.erase("O3");
    const auto plain = daily_rows(pm, 0, alerts, rules);
    REQUIRE(plain.size() == 2);
    CHECK(std::isnan(plain[0].o3_mda8));
    CHECK(std::isnan(plain[0].o3_1h_max));
    CHECK(plain[0].aqi.aqi == 43);
    CHECK(plain[0].aqi.primary.empty());
}
