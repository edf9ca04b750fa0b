// Evaluation statistics against hand computation, their edge cases, and the observation reader.
#include <catch2/catch.hpp>
#include <cmath>

#include "config/config.hpp"
#include "report/evaluation.hpp"
#include "report/report.hpp"
#include "support/test_support.hpp"

using namespace lantian;

TEST_CASE("Evaluation metrics equal hand-computed values for a small series", "[unit][evaluation]") {
    const std::vector<double> obs{10, 20, 30, 40}, model{12, 18, 36, 30};
    const Metrics m = compute_metrics(model, obs);
    // Differences M − O: 2, −2, 6, −10; ΣO = 100.
    CHECK(m.n == 4);
    CHECK(m.mb == Approx(-1.0));                       // −4/4
    CHECK(m.nmb == Approx(-0.04));                     // −4/100
    CHECK(m.nme == Approx(0.20));                      // 20/100
    CHECK(m.rmse == Approx(std::sqrt(144.0 / 4)));     // (4+4+36+100)/4 = 36 → 6
    // MFB = (2/4) Σ (M−O)/(M+O) = 0.5 (2/22 − 2/38 + 6/66 − 10/70)
    CHECK(m.mfb == Approx(0.5 * (2.0 / 22 - 2.0 / 38 + 6.0 / 66 - 10.0 / 70)));
    CHECK(m.mfe == Approx(0.5 * (2.0 / 22 + 2.0 / 38 + 6.0 / 66 + 10.0 / 70)));
    CHECK(m.fac2 == 1.0);
    // R: means 25 and 24; Σ(m−m̄)(o−ō) = (−12)(−15) + (−6)(−5) + (12)(5) + (6)(15) = 360;
    // Σ(m−m̄)² = 144+36+144+36 = 360; Σ(o−ō)² = 225+25+25+225 = 500 → R = 360/√(360·500)
    CHECK(m.r == Approx(360.0 / std::sqrt(360.0 * 500.0)));
}

TEST_CASE("FAC2 and MFB handle zeros and factors of two at the edge", "[unit][evaluation]") {
    // O = 0, M = 0: within a factor of 2 and no fractional bias; O = 0, M > 0: outside, MFB +2.
    Metrics m = compute_metrics({0, 5}, {0, 0});
    CHECK(m.fac2 == Approx(0.5));
    CHECK(m.mfb == Approx(0.5 * 2.0 * 1.0));  // (2/2)(0 + 1)
    CHECK(m.nmb == 0.0);                      // ΣO = 0: undefined, reported as 0
    // Exactly half and exactly double count as within.
    m = compute_metrics({5, 20, 41}, {10, 10, 20});
    CHECK(m.fac2 == Approx(2.0 / 3.0));
    // NaN pairs are skipped; a constant series has R = 0.
    m = compute_metrics({1, std::nan(""), 1}, {2, 3, 4});
    CHECK(m.n == 2);
    CHECK(m.r == 0.0);
    CHECK(flag_nmb(0.05) == "goal");
    CHECK(flag_nmb(-0.2) == "criteria");
    CHECK(flag_nmb(0.35) == "outside");
    CHECK(flag_nme(0.4) == "criteria");
    CHECK(flag_r(0.75) == "goal");
    CHECK(flag_r(0.3) == "outside");
    CHECK(flag_mfb(-0.5) == "criteria");
    CHECK(flag_mfe(0.8) == "outside");
}

TEST_CASE("Observations are read with local or UTC times and unit conversion; bad rows are refused", "[unit][evaluation]") {
    const std::string dir = test::scratch_dir("obs");
    const std::string ok = test::write_text_file(dir, "obs.csv",
                                                 "station,time,pollutant,value,unit\n"
                                                 "BT,2026-01-10T09:00:00+08:00,PM2.5,85,ug/m3\n"
                                                 "BT,2026-01-10T01:00:00Z,CO,1200,ug/m3\n"
                                                 "BT,2026-01-10 02:00:00,CO,1.5,mg/m3\n"
                                                 "BT,2026-01-10 03:00:00,NO2,NA,ug/m3\n");
    const auto obs = read_observations(ok);
    REQUIRE(obs.size() == 3);  // the NA row is a missing value
    CHECK(obs[0].epoch_s == obs[1].epoch_s);  // 09:00 at +08:00 is 01:00 UTC
    CHECK(obs[1].value == Approx(1.2));       // CO in mg m-3
    CHECK(obs[2].value == Approx(1.5));
    const std::pair<const char*, const char*> bad[] = {
        {"station,time,pollutant,value,unit\nBT,2026-13-10 01:00:00,PM2.5,5,ug/m3\n", "obs.csv:2: time: 2026-13-10 01:00:00: month 13"},
        {"station,time,pollutant,value,unit\nBT,yesterday,PM2.5,5,ug/m3\n", "obs.csv:2: time: yesterday: expected YYYY-MM-DD"},
        {"station,time,pollutant,value,unit\nBT,2026-01-10 01:00:00,PM2.5,5,ppb\n", "obs.csv:2: unit: ppb: unknown unit"},
        {"station,time,pollutant,value,unit\nBT,2026-01-10 01:00:00,PM1,5,ug/m3\n", "obs.csv:2: pollutant: PM1: unknown pollutant"},
        {"station,time,pollutant,value,unit\nBT,2026-01-10 01:00:00,PM2.5,-3,ug/m3\n", "obs.csv:2: value: -3: must be >= 0"},
        {"station,time,value,unit\n", "obs.csv:1: header: missing column 'pollutant'"},
        // Offsets: exactly ±HH:MM within -12:00..+14:00 (sscanf took "+99999:00" and "+08:00junk").
        {"station,time,pollutant,value,unit\nBT,2026-01-10T01:00:00+99999:00,PM2.5,5,ug/m3\n",
         "obs.csv:2: time: 2026-01-10T01:00:00+99999:00: offset '+99999:00' is not ±HH:MM"},
        {"station,time,pollutant,value,unit\nBT,2026-01-10T01:00:00+08:00junk,PM2.5,5,ug/m3\n", "is not ±HH:MM"},
        {"station,time,pollutant,value,unit\nBT,2026-01-10T01:00:00+8,PM2.5,5,ug/m3\n", "is not ±HH:MM"},
        {"station,time,pollutant,value,unit\nBT,2026-01-10T01:00:00+15:00,PM2.5,5,ug/m3\n",
         "offset '+15:00' is not a time-zone offset (-12:00 to +14:00)"},
        {"station,time,pollutant,value,unit\nBT,2026-01-10T01:00:00-05:60,PM2.5,5,ug/m3\n", "is not a time-zone offset"},
    };
    for (const auto& [text, expected] : bad) {
        INFO(text);
        try {
            read_observations(test::write_text_file(dir, "obs.csv", text));
            FAIL("accepted");
        } catch (const ConfigError& e) {
            CHECK_THAT(e.what(), Catch::Contains(expected));
        }
    }
}

TEST_CASE("O3 hourly and MDA8 metrics, the 40 ppb cutoff and O3 in the AQI category hits", "[unit][evaluation][o3]") {
    // Two local days (UTC+8) of hourly records; observed O3 100 on day 1 and 60 on day 2, modelled
    // 110 and 45: MDA8 pairs (110, 100) and (45, 60).
    SeriesFile s;
    s.reference_epoch_s = 1751328000.0 - 8 * 3600.0;  // 2025-07-01T00:00+08:00
    s.names = {"st"};
    s.kinds = {0};
    s.lat = {40};
    s.lon = {116};
    std::vector<double> model;
    std::vector<Observation> obs;
    for (int t = 0; t < 48; ++t) {
        s.hours.push_back(t + 1.0);
        model.push_back(t < 24 ? 110.0 : 45.0);
        obs.push_back({"st", "O3", s.reference_epoch_s + (t + 1) * 3600.0, t < 24 ? 100.0 : 60.0});
    }
    s.data["O3"] = model;
    const Evaluation e = evaluate(s, obs, AlertsConfig{});
    std::map<std::string, Metrics> by;
    for (const auto& row : e.rows) {
        CHECK(row.pollutant == "O3");
        by[row.averaging] = row.m;
    }
    REQUIRE(by.count("hourly"));
    REQUIRE(by.count("MDA8"));
    REQUIRE(by.count("MDA8>=40ppb"));
    CHECK_FALSE(by.count("daily"));
    CHECK(by["hourly"].n == 48);
    CHECK(by["hourly"].mb == Approx(-2.5));                  // (24 × 10 − 24 × 15) / 48
    const Metrics& d = by["MDA8"];
    CHECK(d.n == 2);
    CHECK(d.mean_obs == Approx(80.0));
    CHECK(d.mb == Approx(-2.5));                             // (10 − 15) / 2
    CHECK(d.nmb == Approx(-5.0 / 160.0));
    CHECK(d.nme == Approx(25.0 / 160.0));
    CHECK(d.rmse == Approx(std::sqrt((100.0 + 225.0) / 2.0)));
    CHECK(d.r == Approx(1.0));
    // Only day 1 is observed at ≥ 40 ppb (78.5 µg m-3): NMB = NME = 10 %.
    CHECK(kO3CutoffUgM3 == Approx(78.48).epsilon(1e-3));
    const Metrics& c = by["MDA8>=40ppb"];
    CHECK(c.n == 1);
    CHECK(c.nmb == Approx(0.10));
    CHECK(flag_o3_nmb(c.nmb) == "criteria");  // ±5 % goal, ±15 % criteria
    CHECK(flag_o3_nme(c.nme) == "goal");      // 15 % goal
    CHECK(flag_o3_nmb(0.20) == "outside");
    CHECK(flag_o3_r(0.8) == "goal");
    CHECK(flag_o3_r(0.6) == "criteria");
    CHECK(flag_o3_r(0.4) == "outside");
    // AQI categories from O3 alone: day 1 observed MDA8 100 → 50 (I), modelled 110 → 58.3 → 59 (II):
    // a miss; day 2 both category I: a hit; the next day (day 2) model I / observed I.
    REQUIRE(e.hits.size() == 1);
    CHECK(e.hits[0].days == 2);
    CHECK(e.hits[0].hits == 1);
    CHECK(e.hits[0].next_day_model == 1);
    CHECK(e.hits[0].next_day_obs == 1);
    // A run without O3 (linear) reports it and makes no O3 rows.
    SeriesFile linear = s;
    linear.data.erase("O3");
    const Evaluation none = evaluate(linear, obs, AlertsConfig{});
    CHECK(none.rows.empty());
    CHECK(none.hits.empty());
    REQUIRE(none.warnings.size() == 1);
    CHECK(none.warnings[0].find("O3") != std::string::npos);
}
