// `lantian verify` through the real binary: a folder of two cycles, observations in two files and a
// station list; the archive, the scores, the skill plot (scripts/verification_plot.py) and the exit
// codes of bad input. The counting itself: tests/unit/test_verification.cpp.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "forecast/forecast_archive.hpp"
#include "report/aqi.hpp"
#include "support/test_support.hpp"

using lantian::test::run_command;
using lantian::test::scratch_dir;
using lantian::test::write_text_file;

namespace {
const std::string kBinary = LANTIAN_BINARY;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

lantian::ForecastDay row(const std::string& cycle, const std::string& receptor, const std::string& kind, int lead,
                         int aqi_value, double pm25) {
    lantian::ForecastDay f;
    long long day = 0;
    lantian::parse_date(cycle, day);
    f.cycle = cycle;
    f.receptor = receptor;
    f.kind = kind;
    f.lead_day = lead;
    f.date = lantian::format_date(day + lead);
    f.hours = 24;
    f.pm25 = pm25;
    f.aqi = aqi_value;
    f.category = lantian::aqi::category_of(aqi_value);
    f.primary = "PM2.5";
    f.range = lantian::aqi_range(aqi_value);
    return f;
}

// 24 hourly PM2.5 values of a Beijing-time date, stamped at the end of each hour (+08:00).
std::string obs_day(const std::string& station, const std::string& date, double value) {
    long long day = 0;
    lantian::parse_date(date, day);
    std::ostringstream o;
    for (int h = 1; h <= 24; ++h) {
        const std::string d = h == 24 ? lantian::format_date(day + 1) : date;
        char hh[8];
        std::snprintf(hh, sizeof hh, "%02d", h % 24);
        o << station << "," << d << "T" << hh << ":00:00+08:00,PM2.5," << value << ",ug/m3\n";
    }
    return o.str();
}
}  // namespace

TEST_CASE("lantian verify writes the archive, the scores and the skill plot", "[regression][verification]") {
    const std::string dir = scratch_dir("verify_cli");
    const std::string cycles = dir + "/cycles";
    std::filesystem::create_directories(cycles + "/20260110");
    std::filesystem::create_directories(cycles + "/20260111");
    lantian::write_forecast_daily(cycles + "/20260110/forecast_daily.csv",
                                  {row("2026-01-10", "A1", "station", 1, 90, 60), row("2026-01-10", "A1", "station", 2, 180, 140),
                                   row("2026-01-10", "Alpha", "city", 1, 120, 90), row("2026-01-10", "Alpha", "city", 2, 190, 145)});
    lantian::write_forecast_daily(cycles + "/20260111/forecast_daily.csv",
                                  {row("2026-01-11", "A1", "station", 1, 205, 155), row("2026-01-11", "Alpha", "city", 1, 230, 180)});
    // A1: 75 (AQI 100) on 01-11, 170 (AQI 220) on 01-12; A2: 115 and 230. Alpha: 95 (125) and 200 (250).
    const std::string header = "station,time,pollutant,value,unit\n";
    const std::string obs1 = write_text_file(dir, "obs1.csv", header + obs_day("A1", "2026-01-11", 75) + obs_day("A2", "2026-01-11", 115));
    const std::string obs2 = write_text_file(dir, "obs2.csv", header + obs_day("A1", "2026-01-12", 170) + obs_day("A2", "2026-01-12", 230));
    const std::string stations = write_text_file(dir, "stations.csv", "station,city,lat,lon\nA1,Alpha,40.6,110.0\nA2,Alpha,40.7,110.1\n");
    std::string log;
    const int rc = run_command(kBinary + " verify " + cycles + " --observations " + obs1 + " " + obs2 + " --stations " + stations, log);
    INFO(log);
    REQUIRE(rc == 0);
    // Lead 1: C1 A1 (90 vs 100: hit), C1 Alpha (120 vs 125: hit), C2 A1 (205 vs 220: hit), C2 Alpha
    // (230 vs 250: hit); lead 2: C1 A1 (180 vs 220: miss), C1 Alpha (190 vs 250: miss).
    CHECK_THAT(log, Catch::Contains("6 forecast day(s) with an observed day") &&
                        Catch::Contains("AQI category 100.0% (meets the 80% target)"));
    const std::string archive = slurp(cycles + "/verification.csv");
    CHECK_THAT(archive, Catch::Contains("2026-01-10,Alpha,city,2026-01-11,1,120,125,3,3,PM2.5,PM2.5,90.00,95.00,,,105,135,3,3,1,1,1,0,0"));
    const std::string summary = slurp(cycles + "/20260111/verification/summary.csv");
    CHECK_THAT(summary, Catch::Contains("\n(all),all,1,4,4,1,4,1,4,1,2,0,0,2,1,0,1,"));
    const std::string png = slurp(cycles + "/20260111/verification/skill_by_lead.png");
    CHECK(png.substr(1, 3) == "PNG");
    CHECK(png.size() > 5000);

    SECTION("bad input exits 2 naming the problem") {
        CHECK(run_command(kBinary + " verify " + cycles, log) == 2);
        CHECK_THAT(log, Catch::Contains("--observations"));
        CHECK(run_command(kBinary + " verify " + dir + "/none --observations " + obs1, log) == 2);
        CHECK_THAT(log, Catch::Contains("not a folder of cycles"));
        const std::string bad = write_text_file(dir, "bad.csv", header + "A1,2026-01-11T01:00:00+08:00,PM1,10,ug/m3\n");
        CHECK(run_command(kBinary + " verify " + cycles + " --observations " + bad + " --no-plots", log) == 2);
        CHECK_THAT(log, Catch::Contains("bad.csv:2") && Catch::Contains("unknown pollutant"));
        CHECK(run_command(kBinary + " verify " + cycles + " --observations " + obs1 + " --cycle 2026011 --no-plots", log) == 2);
        CHECK_THAT(log, Catch::Contains("is not a date YYYYMMDD"));
    }
}
