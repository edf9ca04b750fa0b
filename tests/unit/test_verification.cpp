// Verification across forecast cycles (src/forecast/): the AQI range rule on a table of values,
// forecast_daily.csv round trip, observed-day validity, and a synthetic archive of three cycles,
// three stations and one city of two stations whose hits, misses and scores are counted by hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "config/time_utils.hpp"
#include "forecast/forecast_archive.hpp"
#include "forecast/verification.hpp"
#include "report/aqi.hpp"
#include "support/test_support.hpp"

using namespace lantian;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int count_lines(const std::string& text) {
    int n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

long long day_of(const std::string& date) {
    long long d = 0;
    REQUIRE(parse_date(date, d));
    return d;
}

// An archive row: the AQI gives category and range; 24 hours.
ForecastDay fday(const std::string& cycle, const std::string& receptor, const std::string& kind, int lead, int aqi_value,
                 double pm25, double o3_mda8 = std::nan("")) {
    ForecastDay f;
    f.cycle = cycle;
    f.receptor = receptor;
    f.kind = kind;
    f.lead_day = lead;
    f.date = format_date(day_of(cycle) + lead);
    f.hours = 24;
    f.pm25 = pm25;
    f.pm10 = f.so2 = f.no2 = f.co = 0;
    f.o3_mda8 = o3_mda8;
    f.aqi = aqi_value;
    f.category = aqi::category_of(aqi_value);
    f.primary = aqi_value > 50 ? "PM2.5" : "";
    f.range = aqi_range(aqi_value);
    return f;
}

// `hours` hourly values (the hours ending 01:00 … local, Beijing time) of a pollutant on a local date.
void add_day(std::vector<Observation>& obs, const std::string& station, const std::string& date, const std::string& p,
             double value, int hours = 24) {
    for (int h = 0; h < hours; ++h)
        obs.push_back({station, p, static_cast<double>(day_of(date)) * 86400.0 + (h + 1 - 8) * 3600.0, value});
}

const Scores& find_scores(const std::vector<Scores>& s, const std::string& receptor, const std::string& kind, int lead) {
    for (const auto& x : s)
        if (x.receptor == receptor && x.kind == kind && x.lead_day == lead) return x;
    FAIL("no scores for " << receptor << " " << kind << " lead " << lead);
    throw std::logic_error("unreachable");
}

// PM2.5 24-h means (µg m-3) whose IAQI is the AQI, HJ 633-2012: 35 → 50, 75 → 100, 115 → 150,
// 150 → 200, 250 → 300, and between: 95 → 100 + 20 × 50/40 = 125, 170 → 200 + 20 × 100/100 = 220,
// 200 → 250, 230 → 280. Stations A1, A2 (city Alpha) and B1; cycles 2026-01-10 (C1), 2026-01-11 (C2), and
// 2026-01-13 (C3, whose days have no observations).
//
// observed       01-10   01-11          01-12             01-13
//   A1           75/100  75 / 100 (2)   170 / 220 (5, H)  35 / 50 (1)
//   A2           -       115 / 150 (3)  230 / 280 (5, H)  55 for 19 h: invalid
//   B1 (+O3 100) -       150 / 200 (4)  250 / 300 (5, H)  -
//   Alpha        75/100  95 / 125 (3)   200 / 250 (5, H)  35 / 50 (1) (A1 alone on 01-10 and 01-13)
// (PM2.5 / AQI (category, H = heavy, AQI > 200); B1 has O3 100 µg m-3 all day: IAQI 50, MDA8 100.)
struct Scenario {
    std::vector<ForecastDay> c1, c2, c3;
    std::vector<Observation> obs;
    std::vector<StationCity> map{{"A1", "Alpha"}, {"A2", "Alpha"}};
    Scenario() {
        // forecast AQI, PM2.5; the verdicts: category / range / level range / heavy (hit, miss, FA, CN)
        c1 = {fday("2026-01-10", "A1", "station", 0, 95, 70),        // lead 0: never scored
              fday("2026-01-10", "A1", "station", 1, 90, 60),        // 80–100 vs 100: Y / Y / Y / CN
              fday("2026-01-10", "A1", "station", 2, 180, 140),      // 165–195 vs 220: N / N / N / miss
              fday("2026-01-10", "A2", "station", 1, 160, 120),      // 145–175 vs 150: N / Y / Y (3–4) / CN
              fday("2026-01-10", "A2", "station", 2, 250, 200),      // 225–275 vs 280: Y / N / Y / hit
              fday("2026-01-10", "B1", "station", 1, 220, 170, 90),  // 195–245 vs 200: N / Y / Y (4–5) / FA
              fday("2026-01-10", "B1", "station", 2, 310, 260, 120), // 280–340 vs 300: N / Y / Y (5–6) / hit
              fday("2026-01-10", "Alpha", "city", 1, 120, 90),       // 105–135 vs 125: Y / Y / Y / CN
              fday("2026-01-10", "Alpha", "city", 2, 190, 145)};     // 175–205 vs 250: N / N / Y (4–5) / miss
        c2 = {fday("2026-01-11", "A1", "station", 1, 205, 155),      // 180–230 vs 220: Y / Y / Y / hit
              fday("2026-01-11", "A1", "station", 2, 60, 40),        // 50–70 vs 50: N / Y / Y (1–2) / CN
              fday("2026-01-11", "A2", "station", 1, 150, 115),      // 135–165 vs 280: N / N / N / miss
              fday("2026-01-11", "A2", "station", 2, 70, 50),        // observed day invalid: no row
              fday("2026-01-11", "B1", "station", 1, 195, 150, 80),  // 180–210 vs 300: N / N / Y (4–5) / miss
              fday("2026-01-11", "B1", "station", 2, 100, 75),       // not observed: no row
              fday("2026-01-11", "Alpha", "city", 1, 230, 180),      // 205–255 vs 250: Y / Y / Y / hit
              fday("2026-01-11", "Alpha", "city", 2, 40, 25)};       // 30–50 vs 50: Y / Y / Y / CN
        c3 = {fday("2026-01-13", "A1", "station", 1, 100, 75), fday("2026-01-13", "Alpha", "city", 1, 100, 75)};
        add_day(obs, "A1", "2026-01-10", "PM2.5", 75);
        add_day(obs, "A1", "2026-01-11", "PM2.5", 75);
        add_day(obs, "A1", "2026-01-12", "PM2.5", 170);
        add_day(obs, "A1", "2026-01-13", "PM2.5", 35);
        add_day(obs, "A2", "2026-01-11", "PM2.5", 115);
        add_day(obs, "A2", "2026-01-12", "PM2.5", 230);
        add_day(obs, "A2", "2026-01-13", "PM2.5", 55, 19);
        add_day(obs, "B1", "2026-01-11", "PM2.5", 150);
        add_day(obs, "B1", "2026-01-12", "PM2.5", 250);
        add_day(obs, "B1", "2026-01-11", "O3", 100);
        add_day(obs, "B1", "2026-01-12", "O3", 100);
    }
    std::vector<ForecastDay> archive() const {
        std::vector<ForecastDay> a = c1;
        a.insert(a.end(), c2.begin(), c2.end());
        a.insert(a.end(), c3.begin(), c3.end());
        return a;
    }
    std::vector<ObservedDay> observed() const {
        auto days = station_days(obs);
        const auto cities = city_days(days, map);
        days.insert(days.end(), cities.begin(), cities.end());
        return days;
    }
};

}  // namespace

TEST_CASE("The AQI range rule gives the published-style ranges and labels", "[unit][verification]") {
    struct Case {
        int aqi, low, high;
        const char *en, *zh, *level;
    };
    // Width 20 (≤ 100), 30 (≤ 200), 50 (≤ 300), 60 above; low = the nearest multiple of 5 to A − W/2.
    const Case cases[] = {
        {0, 0, 20, "excellent", "优", "excellent"},                    // −10 → moved up to 0
        {7, 0, 20, "excellent", "优", "excellent"},
        {48, 40, 60, "excellent to good", "优至良", "excellent-good"},  // 38 → 40
        {75, 65, 85, "good", "良", "good"},
        {100, 90, 110, "good to light", "良至轻度污染", "good-light"},
        {101, 85, 115, "good to light", "良至轻度污染", "good-light"},  // 86 → 85
        {150, 135, 165, "light to moderate", "轻度至中度污染", "light-moderate"},
        {173, 160, 190, "moderate", "中度污染", "moderate"},           // 158 → 160
        {200, 185, 215, "moderate to heavy", "中度至重度污染", "moderate-heavy"},
        {201, 175, 225, "moderate to heavy", "中度至重度污染", "moderate-heavy"},
        {250, 225, 275, "heavy", "重度污染", "heavy"},
        {300, 275, 325, "heavy to severe", "重度至严重污染", "heavy-severe"},
        {301, 270, 330, "heavy to severe", "重度至严重污染", "heavy-severe"},  // 271 → 270
        {450, 420, 480, "severe", "严重污染", "severe"},
        {500, 440, 500, "severe", "严重污染", "severe"},                // 470–530 moved down
        {650, 440, 500, "severe", "严重污染", "severe"},                // clamped to 500 first
        {-5, 0, 20, "excellent", "优", "excellent"},
    };
    for (const auto& c : cases) {
        INFO("AQI " << c.aqi);
        const AqiRange r = aqi_range(c.aqi);
        CHECK(r.low == c.low);
        CHECK(r.high == c.high);
        CHECK(r.label_en == c.en);
        CHECK(r.label_zh == c.zh);
        CHECK(r.level_range == c.level);
        CHECK(r.category_low == aqi::category_of(c.low));
        CHECK(r.category_high == aqi::category_of(c.high));
    }
    // Every AQI: its range holds it, is exactly the width, on multiples of 5, within 0..500.
    for (int a = 0; a <= 500; ++a) {
        const AqiRange r = aqi_range(a);
        INFO("AQI " << a << ": " << r.low << "–" << r.high);
        CHECK((r.low <= a && a <= r.high));
        CHECK(r.high - r.low == aqi_range_width(a));
        CHECK((r.low % 5 == 0 && r.high % 5 == 0 && r.low >= 0 && r.high <= 500));
    }
}

namespace {
// Two receptors, from 2026-01-10 00:00 UTC (08:00 Beijing) for 64 hours: the local days
// 01-10 (16 hours, lead 0), 01-11 and 01-12 (24 hours each).
SeriesFile two_receptor_series() {
    SeriesFile s;
    s.reference_epoch_s = parse_iso_time_utc("2026-01-10T00:00:00");
    s.names = {"S1", "C1"};
    s.kinds = {0, 1};
    s.lat = {40, 41};
    s.lon = {110, 111};
    const std::size_t nt = 64;
    for (std::size_t t = 0; t < nt; ++t) s.hours.push_back(static_cast<double>(t + 1));
    for (const std::string v : {"PM25", "PM10_total", "SO2", "NO2", "CO", "O3"}) s.data[v].resize(2 * nt);
    for (std::size_t r = 0; r < 2; ++r)
        for (std::size_t t = 0; t < nt; ++t) {
            const double x = static_cast<double>(t) + 40.0 * static_cast<double>(r);
            s.data["PM25"][r * nt + t] = 30 + 2.5 * x + 0.123;
            s.data["PM10_total"][r * nt + t] = 50 + 3 * x;
            s.data["SO2"][r * nt + t] = 10;
            s.data["NO2"][r * nt + t] = 30 + 0.3 * x;
            s.data["CO"][r * nt + t] = 0.8;
            s.data["O3"][r * nt + t] = 60 + 40 * std::sin(static_cast<double>(t) * 0.26);
        }
    return s;
}
}  // namespace

TEST_CASE("forecast_daily.csv holds the daily rows of a run's series and reads back", "[unit][verification]") {
    const SeriesFile s = two_receptor_series();
    const AlertsConfig alerts;
    const AlertRules rules = parse_alert_rules(alerts.yellow, alerts.orange, alerts.red);
    const std::string dir = test::scratch_dir("forecast_daily");
    const std::string path = dir + "/forecast_daily.csv";
    write_forecast_daily(path, "2026-01-10", s, alerts, rules);
    CHECK_FALSE(fs::exists(path + ".partial"));
    const auto rows = read_forecast_daily(path);
    REQUIRE(rows.size() == 6);
    for (std::size_t r = 0; r < 2; ++r) {
        const auto daily = daily_rows(s, r, alerts, rules);
        REQUIRE(daily.size() == 3);
        for (std::size_t d = 0; d < 3; ++d) {
            const ForecastDay& f = rows[r * 3 + d];
            INFO(f.receptor << " " << f.date);
            CHECK(f.cycle == "2026-01-10");
            CHECK(f.receptor == s.names[r]);
            CHECK(f.kind == (r == 0 ? "station" : "city"));
            CHECK(f.date == daily[d].date);
            CHECK(f.lead_day == static_cast<int>(d));
            CHECK(f.hours == (d == 0 ? 16 : 24));
            CHECK(f.pm25 == Approx(daily[d].pm25).margin(0.005));
            CHECK(f.pm10 == Approx(daily[d].pm10).margin(0.005));
            CHECK(f.no2 == Approx(daily[d].no2).margin(0.005));
            CHECK(f.co == Approx(daily[d].co).margin(0.0005));
            CHECK(f.o3_mda8 == Approx(daily[d].o3_mda8).margin(0.005));
            CHECK(f.o3_1h_max == Approx(daily[d].o3_1h_max).margin(0.005));
            CHECK(f.aqi == daily[d].aqi.aqi);
            CHECK(f.category == daily[d].aqi.category);
            CHECK(f.alert == daily[d].alert);
            CHECK(f.range.low == aqi_range(f.aqi).low);
            CHECK(f.range.high == aqi_range(f.aqi).high);
        }
    }
    // The city's PM2.5 climbs past 150 µg m-3 on the last day: a real AQI above 200 and a range.
    CHECK(rows[5].aqi > 200);
    CHECK(rows[5].primary == "PM2.5");
    // The text is the same when written again from what was read (stable, no drift).
    const std::string text = slurp(path);
    CHECK(forecast_daily_csv(rows) == text);
    CHECK_THAT(text, Catch::StartsWith("cycle,receptor,kind,date,lead_day,hours,pm25,"));

    SECTION("a lead day that is not date − cycle is refused, naming the file and line") {
        std::string bad = text;
        bad.replace(bad.find("2026-01-11,1,"), 13, "2026-01-11,2,");
        const std::string p = test::write_text_file(dir, "bad.csv", bad);
        CHECK_THROWS_WITH(read_forecast_daily(p), Catch::Contains("bad.csv:3") && Catch::Contains("lead_day") &&
                                                       Catch::Contains("not date − cycle"));
    }
    SECTION("a category that is not the AQI's is refused") {
        std::string bad = text;
        const std::string from = "," + std::to_string(rows[0].aqi) + "," + std::to_string(rows[0].category) + ",";
        const std::string to = "," + std::to_string(rows[0].aqi) + "," + std::to_string(rows[0].category % 6 + 1) + ",";
        bad.replace(bad.find(from), from.size(), to);
        const std::string p = test::write_text_file(dir, "bad2.csv", bad);
        CHECK_THROWS_AS(read_forecast_daily(p), ConfigError);
        CHECK_THROWS_WITH(read_forecast_daily(p), Catch::Contains("bad2.csv:2") && Catch::Contains("category"));
    }
    SECTION("a bad cycle date is refused") {
        CHECK_THROWS_AS(write_forecast_daily(dir + "/x.csv", "2026-02-30", s, alerts, rules), ConfigError);
    }
}

TEST_CASE("Observations equal to the model's hours give the model's days: a perfect forecast scores perfectly",
          "[unit][verification]") {
    // The station S1 "observes" the series' own hourly values, stamped like the run's records (end
    // of the hour, UTC): the observed days must be the forecast's days, hour for hour.
    const SeriesFile s = two_receptor_series();
    const AlertsConfig alerts;
    const AlertRules rules = parse_alert_rules(alerts.yellow, alerts.orange, alerts.red);
    std::vector<Observation> obs;
    const std::pair<const char*, const char*> vars[] = {{"PM2.5", "PM25"}, {"PM10", "PM10_total"}, {"SO2", "SO2"},
                                                        {"NO2", "NO2"},    {"CO", "CO"},           {"O3", "O3"}};
    for (std::size_t t = 0; t < s.hours.size(); ++t)
        for (const auto& [pollutant, var] : vars)
            obs.push_back({"S1", pollutant, s.reference_epoch_s + s.hours[t] * 3600.0, s.value(var, 0, t)});
    const auto days = station_days(obs);
    const auto model = daily_rows(s, 0, alerts, rules);
    REQUIRE(days.size() == 3);
    CHECK_FALSE(days[0].valid);  // 01-10: the 16 hours after 08:00
    for (std::size_t d = 1; d < 3; ++d) {
        INFO(days[d].date);
        REQUIRE(days[d].valid);
        CHECK(days[d].date == model[d].date);
        CHECK(days[d].pm25 == Approx(model[d].pm25).epsilon(1e-12));
        CHECK(days[d].co == Approx(model[d].co).epsilon(1e-12));
        CHECK(days[d].o3_mda8 == Approx(model[d].o3_mda8).epsilon(1e-12));
        CHECK(days[d].o3_1h_max == model[d].o3_1h_max);
        CHECK(days[d].aqi.aqi == model[d].aqi.aqi);
        CHECK(days[d].aqi.primary == model[d].aqi.primary);
    }
    auto archive = forecast_days("2026-01-10", s, alerts, rules);
    for (auto& f : archive)  // the city is not observed here: score the station alone
        if (f.kind == "city") f.receptor = "unobserved";
    const auto rows = verification_rows(archive, days);
    REQUIRE(rows.size() == 2);  // S1, lead days 1 and 2
    for (const auto& v : rows) CHECK((v.category_hit && v.range_hit && v.level_range_hit && v.forecast_aqi == v.observed_aqi));
    const auto sc = score(rows);
    const Scores& all1 = find_scores(sc, "(all)", "all", 1);
    CHECK(all1.category_hit_rate == 1.0);
    CHECK(std::fabs(all1.pm25.nmb) < 1e-12);
    CHECK(std::fabs(all1.o3_mda8.nme) < 1e-12);
}

TEST_CASE("An observed day needs 20 hourly values of each pollutant the station reports", "[unit][verification]") {
    std::vector<Observation> obs;
    add_day(obs, "X", "2026-01-11", "PM2.5", 75, 20);   // 20 hours: valid
    add_day(obs, "X", "2026-01-12", "PM2.5", 75, 19);   // 19 hours: invalid
    add_day(obs, "Y", "2026-01-11", "PM2.5", 75, 24);   // PM2.5 complete, but CO has 19 hours: invalid
    add_day(obs, "Y", "2026-01-11", "CO", 1.0, 19);
    add_day(obs, "Y", "2026-01-12", "PM2.5", 75, 24);   // Y reports CO, none that day: invalid
    add_day(obs, "Z", "2026-01-11", "PM2.5", 100, 24);
    add_day(obs, "Z", "2026-01-11", "O3", 100, 24);     // MDA8 100 → IAQI 50; PM2.5 100 → 132
    const auto days = station_days(obs);
    REQUIRE(days.size() == 5);
    // Sorted by station, then date.
    CHECK((days[0].receptor == "X" && days[0].date == "2026-01-11" && days[0].valid));
    CHECK(days[0].pm25 == 75.0);
    CHECK(days[0].aqi.aqi == 100);
    CHECK((days[1].receptor == "X" && days[1].date == "2026-01-12" && !days[1].valid));
    CHECK_FALSE(days[2].valid);
    CHECK_FALSE(days[3].valid);
    CHECK(days[4].valid);
    CHECK(days[4].o3_mda8 == 100.0);
    CHECK(days[4].o3_1h_max == 100.0);
    // PM2.5 100: 100 + (100 − 75) × 50/40 = 131.25 → 132.
    CHECK(days[4].aqi.aqi == 132);
    // An hour belongs to the local day of its middle: the value stamped 00:00 Beijing time (the hour
    // 23:00–24:00) is the previous day's last.
    std::vector<Observation> edge;
    add_day(edge, "E", "2026-01-11", "PM2.5", 40, 24);
    edge.push_back({"E", "PM2.5", static_cast<double>(day_of("2026-01-12")) * 86400.0 + 3600.0 - 8 * 3600.0, 40});
    const auto e = station_days(edge);
    REQUIRE(e.size() == 2);
    CHECK((e[0].date == "2026-01-11" && e[0].valid));
    CHECK((e[1].date == "2026-01-12" && !e[1].valid));
}

TEST_CASE("Verification of a synthetic archive counts hits, misses and scores by hand", "[unit][verification]") {
    const Scenario sc;
    const auto observed = sc.observed();
    // The city's days: the mean of its stations' valid days.
    int city_rows = 0;
    for (const auto& d : observed) {
        if (d.kind != "city") continue;
        ++city_rows;
        if (d.date == "2026-01-11") CHECK((d.pm25 == 95.0 && d.aqi.aqi == 125 && d.stations == 2 && !d.heavy));
        if (d.date == "2026-01-10") CHECK((d.pm25 == 75.0 && d.aqi.aqi == 100 && d.stations == 1));
        if (d.date == "2026-01-12") CHECK((d.pm25 == 200.0 && d.aqi.aqi == 250 && d.heavy));
        if (d.date == "2026-01-13") CHECK((d.pm25 == 35.0 && d.aqi.aqi == 50 && d.stations == 1));
    }
    CHECK(city_rows == 4);

    const auto rows = verification_rows(sc.archive(), observed);
    // Lead 1: 4 (C1) + 4 (C2); lead 2: 4 (C1) + 2 (C2: A2 invalid, B1 unobserved); C3 and lead 0: none.
    REQUIRE(rows.size() == 14);
    for (const auto& v : rows) {
        CHECK(v.cycle != "2026-01-13");
        CHECK(v.lead_day >= 1);
    }
    // Deterministic order: cycle, kind ("city" < "station"), receptor, lead day.
    CHECK((rows[0].cycle == "2026-01-10" && rows[0].receptor == "Alpha" && rows[0].lead_day == 1));
    CHECK((rows[2].receptor == "A1" && rows[2].lead_day == 1));
    // The B1 day at AQI 200 exactly is not heavy; its forecast of 220 is a false alarm.
    const VerificationRow& b1 = rows[6];
    REQUIRE((b1.receptor == "B1" && b1.cycle == "2026-01-10" && b1.lead_day == 1));
    CHECK((b1.observed_aqi == 200 && !b1.observed_heavy && b1.forecast_heavy));
    CHECK((b1.aqi_low == 195 && b1.aqi_high == 245 && b1.range_hit && b1.level_range_hit && !b1.category_hit));
    CHECK((b1.forecast_o3_mda8 == 90.0 && b1.observed_o3_mda8 == 100.0));

    const auto scores = score(rows);
    const Scores& all1 = find_scores(scores, "(all)", "all", 1);
    CHECK(all1.n == 8);
    CHECK(all1.category_hits == 4);     // C1 A1, Alpha; C2 A1, Alpha
    CHECK(all1.category_hit_rate == 0.5);
    CHECK(all1.range_hits == 6);        // all of C1; C2 A1, Alpha
    CHECK(all1.range_hit_rate == 0.75);
    CHECK(all1.level_range_hits == 7);  // all but C2 A2
    CHECK(all1.level_range_hit_rate == 0.875);
    CHECK(all1.heavy_hits == 2);        // C2 A1, Alpha
    CHECK(all1.heavy_misses == 2);      // C2 A2, B1
    CHECK(all1.heavy_false_alarms == 1);  // C1 B1
    CHECK(all1.heavy_correct_negatives == 3);
    CHECK(all1.pod == 0.5);             // 2 / (2 + 2)
    CHECK(all1.far == 1.0 / 3.0);       // 1 / (2 + 1)
    CHECK(all1.csi == 0.4);             // 2 / (2 + 2 + 1)
    // PM2.5 pairs (forecast, observed): (60, 75) (120, 115) (170, 150) (90, 95) (155, 170) (115, 230)
    // (150, 250) (180, 200): ΣM = 1040, ΣO = 1285, Σ(M − O) = −245, Σ|M − O| = 295,
    // ΣMO = 178650, ΣM² = 147150, ΣO² = 234675.
    CHECK(all1.pm25.n == 8);
    CHECK(all1.pm25.nmb == Approx(-245.0 / 1285.0).epsilon(1e-12));
    CHECK(all1.pm25.nme == Approx(295.0 / 1285.0).epsilon(1e-12));
    const double r_hand = (8.0 * 178650 - 1040.0 * 1285) /
                          std::sqrt((8.0 * 147150 - 1040.0 * 1040) * (8.0 * 234675 - 1285.0 * 1285));
    CHECK(all1.pm25_r == Approx(r_hand).epsilon(1e-12));
    // O3 MDA8 at B1: (90, 100) and (80, 100): NMB = −30/200, NME = 30/200; R undefined (observed constant).
    CHECK(all1.o3_mda8.n == 2);
    CHECK(all1.o3_mda8.nmb == Approx(-0.15).epsilon(1e-12));
    CHECK(all1.o3_mda8.nme == Approx(0.15).epsilon(1e-12));
    CHECK(std::isnan(all1.o3_mda8_r));

    const Scores& all2 = find_scores(scores, "(all)", "all", 2);
    CHECK(all2.n == 6);
    CHECK(all2.category_hits == 2);      // C1 A2; C2 Alpha
    CHECK(all2.range_hits == 3);         // C1 B1; C2 A1, Alpha
    CHECK(all2.level_range_hits == 5);   // all but C1 A1
    CHECK(all2.heavy_hits == 2);         // C1 A2, B1
    CHECK(all2.heavy_misses == 2);       // C1 A1, Alpha
    CHECK(all2.heavy_false_alarms == 0);
    CHECK(all2.pod == 0.5);
    CHECK(all2.far == 0.0);              // 0 / (2 + 0)
    CHECK(all2.csi == 0.5);              // 2 / 4
    CHECK(all2.category_hit_rate == 2.0 / 6.0);
    CHECK(all2.range_hit_rate == 0.5);
    CHECK(all2.level_range_hit_rate == 5.0 / 6.0);
    // PM2.5: (140, 170) (200, 230) (260, 250) (145, 200) (40, 35) (25, 35): ΣO = 920, Σ(M − O) = −110, Σ|M − O| = 140.
    CHECK(all2.pm25.nmb == Approx(-110.0 / 920.0).epsilon(1e-12));
    CHECK(all2.pm25.nme == Approx(140.0 / 920.0).epsilon(1e-12));

    // Aggregates by kind: the city alone at lead 1 (C1 CN, C2 hit), stations at lead 1 (6 rows).
    const Scores& city1 = find_scores(scores, "(all)", "city", 1);
    CHECK((city1.n == 2 && city1.category_hits == 2 && city1.heavy_hits == 1 && city1.csi == 1.0));
    CHECK(find_scores(scores, "(all)", "station", 1).n == 6);
    // Per receptor: A2 at lead 1 (C1 CN, C2 miss): POD 0, FAR undefined (nothing forecast heavy), CSI 0.
    const Scores& a2 = find_scores(scores, "A2", "station", 1);
    CHECK((a2.n == 2 && a2.category_hits == 0 && a2.range_hits == 1 && a2.level_range_hits == 1));
    CHECK(a2.pod == 0.0);
    CHECK(std::isnan(a2.far));
    CHECK(a2.csi == 0.0);
    // A2 at lead 2: one pair only; R undefined.
    const Scores& a2_2 = find_scores(scores, "A2", "station", 2);
    CHECK(a2_2.n == 1);
    CHECK(std::isnan(a2_2.pm25_r));

    // No heavy day forecast or observed: POD, FAR and CSI are undefined, written empty.
    std::vector<VerificationRow> clean(2);
    for (auto& v : clean) {
        v.cycle = "2026-01-10";
        v.receptor = "Q";
        v.kind = "station";
        v.lead_day = 1;
        v.category_hit = v.range_hit = v.level_range_hit = true;
    }
    const auto sq = score(clean);
    CHECK((std::isnan(sq[0].pod) && std::isnan(sq[0].far) && std::isnan(sq[0].csi)));
    // n, hits and rates, heavy counts 0/0/0/2, POD/FAR/CSI empty, no PM2.5 pair.
    CHECK_THAT(summary_csv(sq), Catch::Contains("\nQ,station,1,2,2,1,2,1,2,1,0,0,0,2,,,,0,"));

    // The console summary: the 24-hour accuracy against the 80 % target.
    const std::string text = summary_text(scores);
    CHECK_THAT(text, Catch::Contains("AQI category 50.0% (below the 80% target)") &&
                         Catch::Contains("level range 87.5% (meets)"));
}

TEST_CASE("verify_cycles rewrites the archive whole: a rerun gives the same files", "[unit][verification]") {
    const Scenario sc;
    const std::string dir = test::scratch_dir("verify_cycles");
    fs::create_directories(dir + "/20260110");
    fs::create_directories(dir + "/20260111");
    fs::create_directories(dir + "/20260113");
    fs::create_directories(dir + "/notes");  // not a cycle folder: ignored
    write_forecast_daily(dir + "/20260110/forecast_daily.csv", sc.c1);
    write_forecast_daily(dir + "/20260111/forecast_daily.csv", sc.c2);
    write_forecast_daily(dir + "/20260113/forecast_daily.csv", sc.c3);
    VerifyOptions o;
    o.cycles_dir = dir;
    o.observations = sc.obs;
    o.stations = sc.map;
    o.plots = false;
    const VerifyResult first = verify_cycles(o);
    CHECK(first.cycles == 3);
    CHECK(first.rows == 14);
    CHECK(first.summary_csv == dir + "/20260113/verification/summary.csv");  // the latest cycle
    const std::string archive1 = slurp(dir + "/verification.csv"), summary1 = slurp(first.summary_csv);
    CHECK(count_lines(archive1) == 15);  // header + 14
    CHECK_THAT(summary1, Catch::Contains("\n(all),all,1,8,4,0.5,6,0.75,7,0.875,2,2,1,3,0.5,"));
    // Rerun of the cycle 2026-01-11 (its table written again) and of the verification.
    write_forecast_daily(dir + "/20260111/forecast_daily.csv", sc.c2);
    const VerifyResult second = verify_cycles(o);
    CHECK(slurp(dir + "/verification.csv") == archive1);
    CHECK(slurp(second.summary_csv) == summary1);
    CHECK_FALSE(fs::exists(dir + "/verification.csv.partial"));
    // The scores of an earlier cycle use the cycles up to it only: at 2026-01-10, C1's 8 rows.
    o.cycle = "20260110";
    const VerifyResult earlier = verify_cycles(o);
    CHECK_THAT(slurp(earlier.summary_csv), Catch::Contains("\n(all),all,1,4,2,0.5,4,1,4,1,0,0,1,3,,"));
    CHECK(slurp(dir + "/verification.csv") == archive1);  // the archive still holds every cycle
    // A folder whose rows name another cycle is refused.
    write_forecast_daily(dir + "/20260111/forecast_daily.csv", sc.c1);
    CHECK_THROWS_WITH(verify_cycles(o), Catch::Contains("20260111/forecast_daily.csv") &&
                                            Catch::Contains("a row of cycle 2026-01-10 in the folder of cycle 2026-01-11"));
    CHECK_THROWS_AS(read_station_cities(test::write_text_file(dir, "st.csv", "station,city\nA1,Alpha\nA1,Beta\n")),
                    ConfigError);
}
