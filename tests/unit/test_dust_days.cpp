// Dust-affected hours and days (proxy of 环办监测〔2016〕120号): a synthetic receptor series with known
// dust hours is classified exactly, model-only and with observations; the period statistics with
// and without dust days equal the hand counts in the comments; a dust day's AQI without PM equals
// the AQI of the remaining pollutants; bad [dust_days] keys are refused.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "report/dust_days.hpp"
#include "report/report.hpp"

using lantian::DustEvidence;

namespace {

// One city receptor, 82 hourly records from 2026-03-15 00:00 Beijing time (UTC+8): three complete
// local days (2026-03-15/16/17, records 0–23, 24–47, 48–71) and a partial fourth (72–81, 10 hours).
// Background hours: PM2.5 60, PM10 100, DUST 10 (share 0.1); SO2 20, NO2 100 µg m-3, CO 1 mg m-3.
//   day 2: records 24–31 (8 h) dust by the model: DUST 800, PM10 1000 (share 0.8), PM2.5 120
//   day 3: records 48–52 (5 h) dust by the model: DUST 1200, PM10 2000 (share 0.6), PM2.5 600
//   day 4: all 10 records dust by the model: DUST 800, PM10 1000, PM2.5 200
lantian::SeriesFile synthetic_series() {
    lantian::SeriesFile s;
    s.reference_epoch_s = lantian::parse_iso_time_utc("2026-03-14T16:00:00");
    const std::size_t nt = 82;
    for (std::size_t t = 0; t < nt; ++t) s.hours.push_back(static_cast<double>(t + 1));
    s.names = {"Baotou"};
    s.kinds = {1};
    s.lat = {40.65};
    s.lon = {109.84};
    std::vector<double> pm25(nt, 60.0), pm10(nt, 100.0), dust(nt, 10.0);
    for (std::size_t t = 24; t < 32; ++t) {
        dust[t] = 800;
        pm10[t] = 1000;
        pm25[t] = 120;
    }
    for (std::size_t t = 48; t < 53; ++t) {
        dust[t] = 1200;
        pm10[t] = 2000;
        pm25[t] = 600;
    }
    for (std::size_t t = 72; t < nt; ++t) {
        dust[t] = 800;
        pm10[t] = 1000;
        pm25[t] = 200;
    }
    s.data["PM25_total"] = pm25;
    s.data["PM10_total"] = pm10;
    s.data["DUST"] = dust;
    s.data["SO2"] = std::vector<double>(nt, 20.0);
    s.data["NO2"] = std::vector<double>(nt, 100.0);
    s.data["CO"] = std::vector<double>(nt, 1.0);
    return s;
}

std::vector<lantian::DailyRow> rows_of(const lantian::SeriesFile& s, const lantian::DustDaysConfig& c,
                                       const lantian::ObservedPm* obs, std::vector<lantian::DustHour>* hours = nullptr) {
    const lantian::AlertsConfig alerts;  // UTC+8
    const auto rules = lantian::parse_alert_rules(alerts.yellow, alerts.orange, alerts.red);
    auto rows = lantian::daily_rows(s, 0, alerts, rules);
    auto h = lantian::mark_dust_days(rows, s, 0, c, alerts.utc_offset_h, obs);
    if (hours) *hours = h;
    return rows;
}

std::vector<lantian::DustDayValues> values_of(const std::vector<lantian::DailyRow>& rows) {
    std::vector<lantian::DustDayValues> v;
    for (const auto& d : rows) v.push_back({d.complete, d.dust_day, d.pm25, d.pm10, d.aqi.aqi, d.aqi_without_dust.aqi});
    return v;
}

lantian::Observation obs(const lantian::SeriesFile& s, std::size_t t, const std::string& pollutant, double value) {
    lantian::Observation o;
    o.station = "Baotou";
    o.pollutant = pollutant;
    o.epoch_s = s.reference_epoch_s + s.hours[t] * 3600.0;  // the end of the record's hour
    o.value = value;
    return o;
}

}  // namespace

TEST_CASE("Dust hours: the model's dust share and the observed PM2.5/PM10 ratio, observed evidence first", "[unit][dust_days]") {
    const lantian::DustDaysConfig c;  // share >= 0.5; observed ratio <= 0.35 with PM10 > 150
    const double nan = std::nan("");
    // Model only: the threshold is inclusive.
    CHECK(lantian::classify_dust_hour(c, 50, 100, nan, nan).dust);
    CHECK(lantian::classify_dust_hour(c, 50, 100, nan, nan).evidence == DustEvidence::model);
    CHECK_FALSE(lantian::classify_dust_hour(c, 49.9, 100, nan, nan).dust);
    CHECK(lantian::classify_dust_hour(c, 49.9, 100, nan, nan).evidence == DustEvidence::model);
    // No model evidence: no DUST in the run, or no PM10.
    CHECK(lantian::classify_dust_hour(c, nan, 100, nan, nan).evidence == DustEvidence::none);
    CHECK_FALSE(lantian::classify_dust_hour(c, 0, 0, nan, nan).dust);
    CHECK(lantian::classify_dust_hour(c, 0, 0, nan, nan).evidence == DustEvidence::none);
    // Observed: ratio inclusive, PM10 floor strict.
    CHECK(lantian::classify_dust_hour(c, nan, nan, 70, 200).dust);  // 0.35
    CHECK(lantian::classify_dust_hour(c, nan, nan, 70, 200).evidence == DustEvidence::observed);
    CHECK_FALSE(lantian::classify_dust_hour(c, nan, nan, 72, 200).dust);  // 0.36
    CHECK_FALSE(lantian::classify_dust_hour(c, nan, nan, 30, 150).dust);  // PM10 not above 150
    CHECK(lantian::classify_dust_hour(c, nan, nan, 30, 150.5).dust);
    // Observed evidence wins both ways.
    CHECK_FALSE(lantian::classify_dust_hour(c, 90, 100, 300, 500).dust);  // model 0.9, observed fine air
    CHECK(lantian::classify_dust_hour(c, 1, 100, 100, 400).dust);         // model 0.01, observed coarse air
    // Only one observed PM: the model decides.
    CHECK(lantian::classify_dust_hour(c, 90, 100, nan, 100).evidence == DustEvidence::model);
    CHECK(lantian::classify_dust_hour(c, 90, 100, 100, nan).dust);
    // The keys move the thresholds.
    lantian::DustDaysConfig strict;
    strict.model_share_min = 0.95;
    strict.obs_ratio_max = 0.2;
    strict.obs_pm10_min_ug_m3 = 500;
    CHECK_FALSE(lantian::classify_dust_hour(strict, 90, 100, nan, nan).dust);
    CHECK_FALSE(lantian::classify_dust_hour(strict, nan, nan, 100, 400).dust);
    CHECK(lantian::classify_dust_hour(strict, nan, nan, 100, 600).dust);
}

TEST_CASE("A dust day's AQI without PM10 and PM2.5 is the AQI of the remaining pollutants", "[unit][dust_days]") {
    lantian::aqi::Concentrations c;
    c.pm25_24h = 80;
    c.pm10_24h = 400;  // IAQI 200 + 50/70*100 = 271.4 -> 272
    c.so2_24h = 20;    // IAQI 20
    c.no2_24h = 100;   // IAQI 100 + 20/100*50 = 110
    c.co_24h = 1.0;    // IAQI 25
    CHECK(lantian::aqi::daily_aqi(c).aqi == 272);
    const auto without = lantian::daily_aqi_without_pm(c);
    CHECK(without.aqi == 110);
    CHECK(without.primary == std::vector<std::string>{"NO2"});
    lantian::aqi::Concentrations rest;
    rest.so2_24h = 20;
    rest.no2_24h = 100;
    rest.co_24h = 1.0;
    CHECK(without.aqi == lantian::aqi::daily_aqi(rest).aqi);
    // Ozone stays in: 1-h max 250 (IAQI 100 + 50/100·50 = 125), MDA8 150 (IAQI 50 + 50/60·50 = 91.7 -> 92).
    c.o3_1h = 250;
    c.o3_8h = 150;
    rest.o3_1h = 250;
    rest.o3_8h = 150;
    CHECK(lantian::daily_aqi_without_pm(c).aqi == lantian::aqi::daily_aqi(rest).aqi);
    CHECK(lantian::daily_aqi_without_pm(c).aqi == 125);
    CHECK(lantian::daily_aqi_without_pm(c).primary == std::vector<std::string>{"O3"});
}

TEST_CASE("A synthetic series: dust days from the model alone, and the statistics with and without them", "[unit][dust_days]") {
    const lantian::SeriesFile s = synthetic_series();
    const lantian::DustDaysConfig c;  // min_hours 6
    std::vector<lantian::DustHour> hours;
    const auto rows = rows_of(s, c, nullptr, &hours);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].date == "2026-03-15");
    CHECK(rows[3].date == "2026-03-18");
    // Hours: exactly records 24–31, 48–52 and 72–81, all by the model.
    for (std::size_t t = 0; t < hours.size(); ++t) {
        INFO("record " << t);
        CHECK(hours[t].dust == ((t >= 24 && t < 32) || (t >= 48 && t < 53) || t >= 72));
        CHECK(hours[t].evidence == DustEvidence::model);
    }
    CHECK(rows[0].dust_hours == 0);
    CHECK(rows[1].dust_hours == 8);
    CHECK(rows[2].dust_hours == 5);
    CHECK(rows[3].dust_hours == 10);
    for (const auto& d : rows) CHECK(d.dust_hours_observed == 0);
    CHECK_FALSE(rows[0].dust_day);
    CHECK(rows[1].dust_day);       // 8 >= 6
    CHECK_FALSE(rows[2].dust_day);  // 5 < 6
    CHECK(rows[3].dust_day);       // 10 >= 6, but the day is incomplete
    CHECK_FALSE(rows[3].complete);
    // Daily means: day 1 PM2.5 60, PM10 100; day 2 PM2.5 (8·120 + 16·60)/24 = 80, PM10 (8·1000 + 16·100)/24 = 400;
    // day 3 PM2.5 (5·600 + 19·60)/24 = 172.5, PM10 (5·2000 + 19·100)/24 = 495.833.
    CHECK(rows[1].pm25 == Approx(80));
    CHECK(rows[1].pm10 == Approx(400));
    CHECK(rows[2].pm25 == Approx(172.5));
    CHECK(rows[2].pm10 == Approx(11900.0 / 24));
    // AQI: day 1 = NO2's 110 (PM10 75, PM2.5 82); day 2 = PM10's 272; day 3 = PM10's 300 + 75.83/80·100 -> 395.
    CHECK(rows[0].aqi.aqi == 110);
    CHECK(rows[1].aqi.aqi == 272);
    CHECK(rows[2].aqi.aqi == 395);
    // Without dust: day 2 (a dust day) loses PM -> NO2's 110; the others keep theirs.
    CHECK(rows[0].aqi_without_dust.aqi == 110);
    CHECK(rows[1].aqi_without_dust.aqi == 110);
    CHECK(rows[1].aqi_without_dust.primary == std::vector<std::string>{"NO2"});
    CHECK(rows[2].aqi_without_dust.aqi == 395);

    // With dust days (the complete days 1–3): heavy days 2 (272, 395); PM2.5 mean (60 + 80 + 172.5)/3 =
    // 104.1667, PM10 (100 + 400 + 495.833)/3 = 331.944; PM2.5 > 75 on days 2, 3; PM10 > 150 on days 2, 3.
    const auto v = values_of(rows);
    const auto all = lantian::dust_period_statistics(v, false);
    CHECK(all.days == 3);
    CHECK(all.dust_days == 1);  // the incomplete day 4 is not counted
    CHECK(all.pm_days == 3);
    CHECK(all.heavy_days == 2);
    CHECK(all.mean_pm25 == Approx(312.5 / 3));
    CHECK(all.mean_pm10 == Approx((500 + 11900.0 / 24) / 3));
    CHECK(all.pm25_exceed_days == 2);
    CHECK(all.pm10_exceed_days == 2);
    // Without dust days: 3 days for AQI, heavy 1 (day 3; day 2 is 110 without PM); PM days 1 and 3:
    // PM2.5 (60 + 172.5)/2 = 116.25, PM10 (100 + 495.833)/2 = 297.917; exceedances day 3 only.
    const auto without = lantian::dust_period_statistics(v, true);
    CHECK(without.days == 3);
    CHECK(without.dust_days == 1);
    CHECK(without.pm_days == 2);
    CHECK(without.heavy_days == 1);
    CHECK(without.mean_pm25 == Approx(116.25));
    CHECK(without.mean_pm10 == Approx((100 + 11900.0 / 24) / 2));
    CHECK(without.pm25_exceed_days == 1);
    CHECK(without.pm10_exceed_days == 1);

    // dust_days.min_hours = 5 makes day 3 a dust day too: heavy days without dust 0, PM days 1 (day 1).
    lantian::DustDaysConfig five = c;
    five.min_hours = 5;
    const auto rows5 = rows_of(s, five, nullptr);
    CHECK(rows5[2].dust_day);
    CHECK(rows5[2].aqi_without_dust.aqi == 110);
    const auto w5 = lantian::dust_period_statistics(values_of(rows5), true);
    CHECK(w5.dust_days == 2);
    CHECK(w5.heavy_days == 0);
    CHECK(w5.pm_days == 1);
    CHECK(w5.mean_pm10 == Approx(100));
    CHECK(w5.pm10_exceed_days == 0);
}

TEST_CASE("A synthetic series with observations: observed hours decide, the others follow the model", "[unit][dust_days]") {
    const lantian::SeriesFile s = synthetic_series();
    std::vector<lantian::Observation> o;
    // Day 2: records 24–26 observed fine-dominated (300/500 = 0.6) -> not dust, so 5 model dust hours remain.
    for (std::size_t t = 24; t < 27; ++t) {
        o.push_back(obs(s, t, "PM2.5", 300));
        o.push_back(obs(s, t, "PM10", 500));
    }
    // Day 3: records 48–52 observed coarse (100/400 = 0.25) -> dust; record 53 too (50/200), though the
    // model's share there is 0.1; record 54 has PM10 only (the model decides: no); record 55 has PM10 150,
    // not above the floor (no).
    for (std::size_t t = 48; t < 54; ++t) {
        o.push_back(obs(s, t, "PM2.5", t < 53 ? 100 : 50));
        o.push_back(obs(s, t, "PM10", t < 53 ? 400 : 200));
    }
    o.push_back(obs(s, 54, "PM10", 1000));
    o.push_back(obs(s, 55, "PM2.5", 30));
    o.push_back(obs(s, 55, "PM10", 150));
    // Another station's and another pollutant's observations do not count.
    auto other = obs(s, 60, "PM2.5", 10);
    other.station = "Hohhot";
    o.push_back(other);
    o.push_back(obs(s, 60, "NO2", 10));
    const lantian::ObservedPm pm = lantian::observed_pm(s, o);
    CHECK(pm.pm25[24] == 300);
    CHECK(std::isnan(pm.pm25[54]));
    CHECK(pm.pm10[54] == 1000);
    CHECK(std::isnan(pm.pm25[60]));

    std::vector<lantian::DustHour> hours;
    const auto rows = rows_of(s, lantian::DustDaysConfig{}, &pm, &hours);
    for (std::size_t t = 0; t < hours.size(); ++t) {
        INFO("record " << t);
        const bool expect = (t >= 27 && t < 32) || (t >= 48 && t < 54) || t >= 72;
        CHECK(hours[t].dust == expect);
        const bool observed = (t >= 24 && t < 27) || (t >= 48 && t < 54) || t == 55;
        CHECK((hours[t].evidence == DustEvidence::observed) == observed);
    }
    CHECK(rows[1].dust_hours == 5);
    CHECK(rows[1].dust_hours_observed == 0);
    CHECK_FALSE(rows[1].dust_day);
    CHECK(rows[2].dust_hours == 6);
    CHECK(rows[2].dust_hours_observed == 6);
    CHECK(rows[2].dust_day);
    CHECK(rows[1].aqi_without_dust.aqi == 272);
    CHECK(rows[2].aqi_without_dust.aqi == 110);
    // Without dust days: heavy 1 (day 2's 272; day 3 is 110 without PM); PM days 1 and 2: PM2.5 (60 + 80)/2 = 70,
    // PM10 (100 + 400)/2 = 250; exceedances: day 2 (80 > 75, 400 > 150).
    const auto without = lantian::dust_period_statistics(values_of(rows), true);
    CHECK(without.dust_days == 1);
    CHECK(without.heavy_days == 1);
    CHECK(without.pm_days == 2);
    CHECK(without.mean_pm25 == Approx(70));
    CHECK(without.mean_pm10 == Approx(250));
    CHECK(without.pm25_exceed_days == 1);
    CHECK(without.pm10_exceed_days == 1);
}

TEST_CASE("[dust_days] keys: defaults, overrides and refused values", "[unit][dust_days][config]") {
    const lantian::Config d = lantian::load_config_text("", "cfg.ini");
    CHECK(d.dust_days.model_share_min == 0.5);
    CHECK(d.dust_days.obs_ratio_max == 0.35);
    CHECK(d.dust_days.obs_pm10_min_ug_m3 == 150);
    CHECK(d.dust_days.min_hours == 6);
    const lantian::Config c = lantian::load_config_text("[dust_days]\nmin_hours = 4\nmodel_share_min = 0.7\n", "cfg.ini",
                                                        {"dust_days.obs_ratio_max=0.3"});
    CHECK(c.dust_days.min_hours == 4);
    CHECK(c.dust_days.model_share_min == 0.7);
    CHECK(c.dust_days.obs_ratio_max == 0.3);
    for (const std::string bad : {"min_hours = 0", "min_hours = 25", "model_share_min = 1.5", "obs_ratio_max = -0.1",
                                  "obs_pm10_min_ug_m3 = -1", "min_hours = six"}) {
        INFO(bad);
        try {
            lantian::load_config_text("[dust_days]\n" + bad + "\n", "cfg.ini");
            FAIL("accepted");
        } catch (const lantian::ConfigError& e) {
            CHECK_THAT(e.what(), Catch::Contains("dust_days."));
        }
    }
}
