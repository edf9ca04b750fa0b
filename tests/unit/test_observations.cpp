// Station observations for the forecast cycle (src/assimilation/observations.*): the lenient long
// reader's counts against hand counts, duplicates, the PM2.5/PM10 check, the caps, station lists in
// both headers, the national wide files to the long format, the latest values for the analysis and
// the `lantian observations` command. Fixtures are synthetic, written here into a scratch folder.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "assimilation/observations.hpp"
#include "config/config.hpp"
#include "config/time_utils.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {

long skipped(const ObservationReport& r, ObservationSkip s) { return r.skipped_of(s); }

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

template <typename F>
std::string config_error_of(F&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no ConfigError)";
}

const Observation* find(const std::vector<Observation>& v, const std::string& st, const std::string& p, double t) {
    for (const auto& o : v)
        if (o.station == st && o.pollutant == p && o.epoch_s == t) return &o;
    return nullptr;
}

}  // namespace

TEST_CASE("Long format: each skip reason is counted as by hand and values = accepted + skipped",
          "[unit][observations]") {
    const std::string dir = test::scratch_dir("obs_long");
    // Line numbers in the comments; the BOM before the comment line must be dropped.
    const std::string text =
        "\xEF\xBB\xBF# synthetic observations\n"                   // 1
        "station,time,pollutant,value,unit\n"                      // 2
        "A,2026-01-10T08:00:00+08:00,PM2.5,85,ug/m3\n"             // 3 accepted
        "A,2026-01-10T08:00:00+08:00,PM10,120,\xC2\xB5g/m3\n"      // 4 accepted (µ, micro sign)
        "A,2026-01-10T08:00:00+08:00,CO,1200,\xCE\xBCg/m3\n"       // 5 accepted, 1.2 mg m-3 (μ, Greek mu)
        "A,2026-01-10T00:00:00Z,CO,1.2,mg/m3\n"                    // 6 duplicate_identical (same hour in UTC)
        "A,2026-01-10T08:00:00+08:00,SO2,0.03,mg/m3\n"             // 7 accepted, 30 ug m-3
        "B,2026-01-10T08:00:00+08:00,NO2,40,ug/m3\n"               // 8 duplicate_conflicting
        "B,2026-01-10T08:00:00+08:00,NO2,45,ug/m3\n"               // 9 duplicate_conflicting
        "B,2026-01-10 00:00:00,NO2,40,ug/m3\n"                     // 10 duplicate_conflicting (no offset = UTC)
        "B,2026-01-10T08:00:00+08:00,PM2.5,300,ug/m3\n"            // 11 pm25_above_pm10
        "B,2026-01-10T08:00:00+08:00,PM10,100,ug/m3\n"             // 12 pm25_above_pm10
        "C,2026-01-10T08:00:00+08:00,pm25,55,ug/m3\n"              // 13 accepted (within tolerance)
        "C,2026-01-10T08:00:00+08:00,PM10,50,ug/m3\n"              // 14 accepted
        "C,2026-01-10T08:30:00+08:00,PM10,50,ug/m3\n"              // 15 bad_time (not on the hour)
        "C,yesterday,PM10,50,ug/m3\n"                              // 16 bad_time
        "C,2026-01-10T08:00:00+8,PM10,50,ug/m3\n"                  // 17 bad_time (offset)
        "C,2026-01-10T08:00:00+08:00,PM1,5,ug/m3\n"                // 18 unknown_pollutant
        "C,2026-01-10T08:00:00+08:00,O3,5,ppb\n"                   // 19 bad_unit
        "C,2026-01-10T08:00:00+08:00,O3,abc,ug/m3\n"               // 20 not_a_number
        "C,2026-01-10T08:00:00+08:00,O3,12x,ug/m3\n"               // 21 not_a_number
        "C,2026-01-10T08:00:00+08:00,O3,,ug/m3\n"                  // 22 missing_value
        "\n"                                                       // 23 blank
        "C,2026-01-10T08:00:00+08:00,O3,NA,\n"                     // 24 missing_value (unit not needed)
        "C,2026-01-10T08:00:00+08:00,O3,-3,ug/m3\n"                // 25 impossible_value (negative)
        "C,2026-01-10T08:00:00+08:00,SO2,inf,ug/m3\n"              // 26 impossible_value (not finite)
        "C,2026-01-10T08:00:00+08:00,CO,250,mg/m3\n"               // 27 impossible_value (above 200 mg m-3)
        "D,2026-03-15T08:00:00+08:00,PM10,9000,ug/m3\n"            // 28 accepted: a real dust-storm hour
        "D,2026-03-15T08:00:00+08:00,PM2.5,1500,ug/m3\n"           // 29 accepted
        "D,2026-03-15T09:00:00+08:00,PM10,25000,ug/m3\n"           // 30 impossible_value (above 20000)
        ",2026-01-10T08:00:00+08:00,O3,5,ug/m3\n"                  // 31 missing_station
        "C,2026-01-10T08:00:00+08:00,O3\n"                         // 32 malformed_row
        "C,2026-01-10T24:00:00+08:00,O3,60,ug/m3\n";               // 33 accepted: 24:00 = next day 00:00
    const std::string path = test::write_text_file(dir, "obs.csv", text);
    const ObservationSet set = read_observations_long(path);
    const ObservationReport& r = set.report;
    CHECK(r.lines == 30);  // 31 lines after the header, one of them blank
    CHECK(r.values == 30);
    CHECK(r.accepted == 9);
    CHECK(skipped(r, ObservationSkip::malformed_row) == 1);
    CHECK(skipped(r, ObservationSkip::missing_station) == 1);
    CHECK(skipped(r, ObservationSkip::bad_time) == 3);
    CHECK(skipped(r, ObservationSkip::unknown_pollutant) == 1);
    CHECK(skipped(r, ObservationSkip::bad_unit) == 1);
    CHECK(skipped(r, ObservationSkip::not_a_number) == 2);
    CHECK(skipped(r, ObservationSkip::missing_value) == 2);
    CHECK(skipped(r, ObservationSkip::impossible_value) == 4);
    CHECK(skipped(r, ObservationSkip::duplicate_identical) == 1);
    CHECK(skipped(r, ObservationSkip::duplicate_conflicting) == 3);
    CHECK(skipped(r, ObservationSkip::pm25_above_pm10) == 2);
    CHECK(r.pm_pairs_tolerated == 1);
    CHECK(r.values == r.accepted + r.skipped_total());
    REQUIRE(set.observations.size() == 9);

    // Examples name file:line, the column, the value and the reason.
    const auto& unit_ex = r.examples[static_cast<std::size_t>(ObservationSkip::bad_unit)];
    REQUIRE(unit_ex.size() == 1);
    CHECK_THAT(unit_ex[0], Catch::StartsWith(path + ":19: unit: ppb: unknown unit"));
    const auto& time_ex = r.examples[static_cast<std::size_t>(ObservationSkip::bad_time)];
    REQUIRE(time_ex.size() == 3);
    CHECK_THAT(time_ex[0], Catch::Contains("obs.csv:15: time:") && Catch::Contains("not on the hour"));
    CHECK_THAT(time_ex[2], Catch::Contains("obs.csv:17:") && Catch::Contains("is not ±HH:MM"));
    CHECK_THAT(r.examples[static_cast<std::size_t>(ObservationSkip::impossible_value)][3],
               Catch::Contains("obs.csv:30: value: 25000: above the plausibility cap 20000 ug m-3 of PM10"));
    CHECK_THAT(r.examples[static_cast<std::size_t>(ObservationSkip::duplicate_conflicting)][0],
               Catch::Contains("obs.csv:8, ") && Catch::Contains("obs.csv:10") && Catch::Contains("40 vs 45 vs 40"));
    CHECK_THAT(r.examples[static_cast<std::size_t>(ObservationSkip::pm25_above_pm10)][0],
               Catch::Contains("obs.csv:11 and ") && Catch::Contains("obs.csv:12: B at 2026-01-10T08:00:00+08:00: PM2.5 300 > PM10 100"));
    CHECK_THAT(r.examples[static_cast<std::size_t>(ObservationSkip::malformed_row)][0],
               Catch::Contains("obs.csv:32: expected 5 cells (as in the header), found 3"));

    // Values, units and times (the end of the hour, UTC).
    const double t0 = parse_iso_time_utc("2026-01-10T00:00:00");
    const Observation* co = find(set.observations, "A", "CO", t0);
    REQUIRE(co);
    CHECK(co->value == Approx(1.2));
    const Observation* so2 = find(set.observations, "A", "SO2", t0);
    REQUIRE(so2);
    CHECK(so2->value == Approx(30.0));
    CHECK(find(set.observations, "A", "PM10", t0)->value == 120.0);
    CHECK(find(set.observations, "B", "NO2", t0) == nullptr);    // conflicting: dropped
    CHECK(find(set.observations, "B", "PM2.5", t0) == nullptr);  // inconsistent pair: both dropped
    CHECK(find(set.observations, "B", "PM10", t0) == nullptr);
    CHECK(find(set.observations, "C", "PM2.5", t0)->value == 55.0);  // within tolerance: kept
    CHECK(find(set.observations, "D", "PM10", parse_iso_time_utc("2026-03-15T00:00:00"))->value == 9000.0);
    CHECK(find(set.observations, "C", "O3", parse_iso_time_utc("2026-01-10T16:00:00"))->value == 60.0);
    // Sorted by station, pollutant, time.
    for (std::size_t k = 1; k < set.observations.size(); ++k) {
        const auto& a = set.observations[k - 1];
        const auto& b = set.observations[k];
        CHECK(std::tie(a.station, a.pollutant, a.epoch_s) < std::tie(b.station, b.pollutant, b.epoch_s));
    }
    // The report printed by the CLI carries the counts and the examples.
    const std::string printed = format_observation_report(r);
    CHECK_THAT(printed, Catch::Contains("lines 30, values 30: accepted 9, skipped 21"));
    CHECK_THAT(printed, Catch::Contains("duplicate_conflicting") && Catch::Contains("obs.csv:19: unit: ppb"));
}

TEST_CASE("Long format: the PM tolerance and the number of examples are options", "[unit][observations]") {
    const std::string dir = test::scratch_dir("obs_opts");
    std::string text = "station,time,pollutant,value,unit\n"
                       "C,2026-01-10T08:00:00+08:00,PM2.5,55,ug/m3\n"
                       "C,2026-01-10T08:00:00+08:00,PM10,50,ug/m3\n";
    for (int k = 0; k < 8; ++k) text += "C,2026-01-10T0" + std::to_string(k) + ":00:00,O3,bad,ug/m3\n";
    const std::string path = test::write_text_file(dir, "obs.csv", text);
    ObservationReadOptions strict;
    strict.pm_tolerance_ug_m3 = 0;
    strict.pm_tolerance_fraction = 0;
    strict.max_examples = 2;
    const ObservationSet s = read_observations_long(path, strict);
    CHECK(s.report.skipped_of(ObservationSkip::pm25_above_pm10) == 2);
    CHECK(s.report.skipped_of(ObservationSkip::not_a_number) == 8);
    CHECK(s.report.examples[static_cast<std::size_t>(ObservationSkip::not_a_number)].size() == 2);
    CHECK(s.observations.empty());
    CHECK(read_observations_long(path).observations.size() == 2);  // default tolerance: 55 ≤ 50 + 10
}

TEST_CASE("Reads of several files add up: observations, files and every count", "[unit][observations]") {
    const std::string dir = test::scratch_dir("obs_append");
    const std::string a = test::write_text_file(dir, "a.csv", "station,time,pollutant,value,unit\n"
                                                               "A,2026-01-10T08:00:00+08:00,PM2.5,40,ug/m3\n"
                                                               "A,2026-01-10T09:00:00+08:00,PM2.5,bad,ug/m3\n");
    const std::string b = test::write_text_file(dir, "b.csv", "station,time,pollutant,value,unit\n"
                                                               "B,2026-01-10T08:00:00+08:00,NO2,30,ug/m3\n"
                                                               "B,2026-01-10T09:00:00+08:00,NO2,-3,ug/m3\n"
                                                               "B,2026-01-10T10:00:00+08:00,NO2,x,ug/m3\n");
    ObservationSet all;
    append_observations(all, read_observations_long(a));
    append_observations(all, read_observations_long(b), 1);
    CHECK(all.observations.size() == 2);
    CHECK(all.report.files == std::vector<std::string>{a, b});
    CHECK(all.report.lines == 5);
    CHECK(all.report.values == 5);
    CHECK(all.report.accepted == 2);
    CHECK(all.report.skipped_of(ObservationSkip::not_a_number) == 2);
    CHECK(all.report.skipped_of(ObservationSkip::impossible_value) == 1);
    CHECK(all.report.values == all.report.accepted + all.report.skipped_total());
    CHECK(all.report.examples[static_cast<std::size_t>(ObservationSkip::not_a_number)].size() == 1);  // max_examples = 1
}

TEST_CASE("A missing file or column is a ConfigError naming it", "[unit][observations]") {
    const std::string dir = test::scratch_dir("obs_errors");
    CHECK_THAT(config_error_of([&] { read_observations_long(dir + "/absent.csv"); }),
               Catch::Contains("absent.csv: cannot open file"));
    const std::string no_unit = test::write_text_file(dir, "no_unit.csv", "station,time,pollutant,value\nA,2026-01-10T01:00:00,PM10,1\n");
    CHECK_THAT(config_error_of([&] { read_observations_long(no_unit); }),
               Catch::Contains("no_unit.csv:1: header: missing column 'unit'"));
    const std::string empty = test::write_text_file(dir, "empty.csv", "# nothing\n\n");
    CHECK_THAT(config_error_of([&] { read_observations_long(empty); }), Catch::Contains("empty.csv: empty file"));
    const std::string twice = test::write_text_file(dir, "twice.csv", "station,time,pollutant,value,unit,value\n");
    CHECK_THAT(config_error_of([&] { read_observations_long(twice); }), Catch::Contains("column 'value' appears twice"));
    const std::string no_type = test::write_text_file(dir, "no_type.csv", "date,hour,1001A\n20260110,1,5\n");
    CHECK_THAT(config_error_of([&] { read_observations_national({no_type}); }),
               Catch::Contains("no_type.csv:1: header: missing column 'type'"));
    CHECK_THAT(config_error_of([&] { read_observations_national({no_type + ".gone"}); }),
               Catch::Contains("no_type.csv.gone: cannot open file"));
    CHECK_THAT(config_error_of([&] { read_station_list(dir + "/stations.csv"); }),
               Catch::Contains("stations.csv: cannot open file"));
}

TEST_CASE("Station lists: Lantian's header, the national Chinese header with a BOM, and bad rows", "[unit][observations]") {
    const std::string dir = test::scratch_dir("obs_stations");
    const auto own = read_station_list(test::write_text_file(
        dir, "own.csv", "code,name,city,lon,lat\n1001A,Kundulun,Baotou,109.83,40.66\nBT2,,Baotou,109.9,40.6\n"));
    REQUIRE(own.size() == 2);
    CHECK(own[0].code == "1001A");
    CHECK(own[0].name == "Kundulun");
    CHECK(own[0].lon_deg == 109.83);
    CHECK(own[1].lat_deg == 40.6);
    // The national list: BOM, Chinese column names, a further column (对照点) ignored.
    const std::string national_text =
        "\xEF\xBB\xBF监测点编码,监测点名称,城市,经度,纬度,对照点\n"
        "1001A,万寿西宫,北京,116.366,39.8673,N\n"
        "1002A,定陵,北京,116.17,40.2865,Y\n";
    const auto nat = read_station_list(test::write_text_file(dir, "national.csv", national_text));
    REQUIRE(nat.size() == 2);
    CHECK(nat[0].code == "1001A");
    CHECK(nat[0].name == "万寿西宫");
    CHECK(nat[0].city == "北京");
    CHECK(nat[1].lon_deg == 116.17);
    CHECK(nat[1].lat_deg == 40.2865);

    const std::pair<std::string, std::string> bad[] = {
        {"code,name,city,lon,lat\nA,a,c,100,40\nB,b,c,101,41\nA,x,c,102,42\n",
         "bad.csv:4: code: A: duplicate station code (first on line 2)"},
        {"监测点编码,监测点名称,城市,经度,纬度\n1001A,n,c,abc,40\n", "bad.csv:2: 经度: abc: not a number"},
        {"code,name,city,lon,lat\nA,a,c,100,95\n", "bad.csv:2: lat: 95: must be in [-90, 90] degrees"},
        {"code,name,city,lon,lat\nA,a,c,-200,40\n", "bad.csv:2: lon: -200: must be in [-180, 360] degrees"},
        {"code,name,city,lon,lat\nA,a,c,,40\n", "bad.csv:2: lon: (empty): a number is required"},
        {"code,name,city,lon,lat\n,a,c,100,40\n", "bad.csv:2: code: (empty): a station code is required"},
        {"code,name,lon,lat\nA,a,100,40\n", "bad.csv:1: header: missing column 'city'"},
        {"station,lon,lat\nA,100,40\n", "bad.csv:1: header: missing column 'code' (or '监测点编码'"},
        // GBK bytes of 监测点编码 (a list saved by a Chinese-locale spreadsheet).
        {"\xBC\xE0\xB2\xE2\xB5\xE3\xB1\xE0\xC2\xEB,name\n", "bad.csv:1: not UTF-8 text"},
    };
    for (const auto& [bad_text, expected] : bad) {
        const std::string text = bad_text;  // (clang 14 cannot capture a structured binding in a lambda)
        INFO(text);
        CHECK_THAT(config_error_of([&] { read_station_list(test::write_text_file(dir, "bad.csv", text)); }),
                   Catch::Contains(expected));
    }
}

TEST_CASE("National daily files: hourly types read, times hour-ending in Beijing time, round trip to the long format",
          "[unit][observations]") {
    const std::string dir = test::scratch_dir("obs_national");
    const std::string stations = test::write_text_file(
        dir, "stations.csv",
        "code,name,city,lon,lat\n1001A,a,X,116,40\n1002A,b,X,116,40\n1003A,c,X,116,40\n1004A,d,X,116,40\n");
    const std::string day1 = test::write_text_file(dir, "china_sites_20260110.csv",
                                                   "date,hour,type,1001A,1002A,1003A,9999A\n"  // 9999A: not listed
                                                   "20260110,0,AQI,50,60,70,80\n"               // ignored type
                                                   "20260110,0,PM2.5,35,,40,1\n"                // 1002A missing
                                                   "20260110,0,PM2.5_24h,30,31,32,1\n"          // ignored type
                                                   "20260110,0,PM10,60,70,20,1\n"               // 1003A: PM2.5 40 > PM10 20
                                                   "20260110,0,CO,0.8,1.1,0.9,1\n"              // mg m-3
                                                   "20260110,8,O3,50,-5,abc,1\n"                // impossible, not a number
                                                   "20260110,8,O3_8h,50,60,70,1\n"              // ignored type
                                                   "20260110,24,PM2.5,1,2,3,1\n"                // bad hour: 3 values
                                                   "20260110,9,NOX,1,2,3,1\n"                   // unknown type: 3 values
                                                   "20260110,9,SO2,5,6\n");                     // malformed: 3 values
    const std::string day2 = test::write_text_file(dir, "china_sites_20260111.csv",
                                                   "date,hour,type,1002A,1001A\n"
                                                   "20260111,0,PM2.5,20,35\n"
                                                   "20260110,0,CO,1.1,0.7\n");  // 1002A repeats, 1001A conflicts
    const ObservationSet set = read_observations_national({day1, day2}, read_station_list(stations));
    const ObservationReport& r = set.report;
    CHECK(r.files.size() == 2);
    CHECK(r.lines == 12);
    CHECK(r.ignored_type_rows == 3);
    CHECK(r.unlisted_columns == 1);
    CHECK(r.values == 25);
    CHECK(r.accepted == 8);
    CHECK(skipped(r, ObservationSkip::missing_value) == 1);
    CHECK(skipped(r, ObservationSkip::impossible_value) == 1);
    CHECK(skipped(r, ObservationSkip::not_a_number) == 1);
    CHECK(skipped(r, ObservationSkip::bad_time) == 3);
    CHECK(skipped(r, ObservationSkip::unknown_pollutant) == 3);
    CHECK(skipped(r, ObservationSkip::malformed_row) == 3);
    CHECK(skipped(r, ObservationSkip::duplicate_identical) == 1);
    CHECK(skipped(r, ObservationSkip::duplicate_conflicting) == 2);
    CHECK(skipped(r, ObservationSkip::pm25_above_pm10) == 2);
    CHECK(r.values == r.accepted + r.skipped_total());
    REQUIRE(r.warnings.size() == 1);
    CHECK_THAT(r.warnings[0], Catch::Contains("1 of the 4 listed stations have no column in the files: 1004A"));
    CHECK_THAT(r.examples[static_cast<std::size_t>(ObservationSkip::impossible_value)][0],
               Catch::Contains("china_sites_20260110.csv:7: 1002A (O3): -5: negative"));
    CHECK_THAT(r.examples[static_cast<std::size_t>(ObservationSkip::bad_time)][0],
               Catch::Contains("china_sites_20260110.csv:9: hour: 24: must be a whole hour 0 to 23"));

    // Hour 0 of 10 January is the hour ending at 00:00 Beijing time, 16:00 UTC on the 9th.
    const Observation* pm25 = find(set.observations, "1001A", "PM2.5", parse_iso_time_utc("2026-01-09T16:00:00"));
    REQUIRE(pm25);
    CHECK(pm25->value == 35.0);
    CHECK(find(set.observations, "1001A", "O3", parse_iso_time_utc("2026-01-10T00:00:00"))->value == 50.0);
    CHECK(find(set.observations, "1003A", "CO", parse_iso_time_utc("2026-01-09T16:00:00"))->value == 0.9);  // mg m-3

    const std::string out = dir + "/obs_long.csv";
    write_observations_long(out, set.observations);
    CHECK(read_all(out) ==
          "station,time,pollutant,value,unit\n"
          "1001A,2026-01-10T08:00:00+08:00,O3,50,ug/m3\n"
          "1001A,2026-01-10T00:00:00+08:00,PM10,60,ug/m3\n"
          "1001A,2026-01-10T00:00:00+08:00,PM2.5,35,ug/m3\n"
          "1001A,2026-01-11T00:00:00+08:00,PM2.5,35,ug/m3\n"
          "1002A,2026-01-10T00:00:00+08:00,CO,1.1,mg/m3\n"
          "1002A,2026-01-10T00:00:00+08:00,PM10,70,ug/m3\n"
          "1002A,2026-01-11T00:00:00+08:00,PM2.5,20,ug/m3\n"
          "1003A,2026-01-10T00:00:00+08:00,CO,0.9,mg/m3\n");
    // Read back by both readers: the same observations.
    const ObservationSet back = read_observations_long(out);
    CHECK(back.report.accepted == 8);
    CHECK(back.report.skipped_total() == 0);
    REQUIRE(back.observations.size() == set.observations.size());
    for (std::size_t k = 0; k < back.observations.size(); ++k) {
        CHECK(back.observations[k].station == set.observations[k].station);
        CHECK(back.observations[k].pollutant == set.observations[k].pollutant);
        CHECK(back.observations[k].epoch_s == set.observations[k].epoch_s);
        CHECK(back.observations[k].value == set.observations[k].value);
    }
    CHECK(read_observations(out).size() == 8);  // the strict reader of `lantian report` takes it too

    // What the readers could not read back is refused, not written.
    for (const std::string bad : {"", "a,b", "#1", " A"}) {
        INFO("station '" << bad << "'");
        CHECK_THROWS_AS(write_observations_long(dir + "/bad.csv", {Observation{bad, "PM10", 0, 1}}), std::runtime_error);
    }
    // Without a station list every station column is read (9999A too).
    const ObservationSet all = read_observations_national({day1});
    CHECK(all.report.unlisted_columns == 0);
    CHECK(find(all.observations, "9999A", "PM10", parse_iso_time_utc("2026-01-09T16:00:00")) != nullptr);
}

TEST_CASE("The latest observation per station and pollutant within a window ending at the analysis time",
          "[unit][observations]") {
    const double t = parse_iso_time_utc("2026-01-12T00:00:00");  // 08:00 Beijing time
    const std::vector<Observation> obs{
        {"A", "PM2.5", t - 7200, 10}, {"A", "PM2.5", t - 3600, 20}, {"A", "PM2.5", t, 30},
        {"A", "PM2.5", t + 3600, 40},  // after the analysis time: never used
        {"A", "PM10", t - 3600, 50},  {"B", "PM2.5", t - 3 * 3600, 60},
    };
    auto at = latest_observations(obs, t, 0);
    REQUIRE(at.size() == 1);
    CHECK(at[0].station == "A");
    CHECK(at[0].value == 30);
    at = latest_observations(obs, t, 2);
    REQUIRE(at.size() == 2);  // A PM10 (t − 1 h), A PM2.5 (t); B is 3 h old
    CHECK(at[0].pollutant == "PM10");
    CHECK(at[0].value == 50);
    CHECK(at[1].value == 30);
    at = latest_observations(obs, t, 3);
    REQUIRE(at.size() == 3);
    CHECK(at[2].station == "B");
    CHECK(at[2].epoch_s == t - 3 * 3600);
    CHECK(latest_observations(obs, std::nan(""), 3).empty());
    at = latest_observations(obs, t - 3600, 1);
    REQUIRE(at.size() == 2);
    CHECK(at[1].value == 20);  // A PM2.5 at t − 1 h, not the later ones
}

TEST_CASE("lantian observations check and import: the report, the written file, exit 2 for bad input",
          "[unit][observations]") {
    const std::string dir = test::scratch_dir("obs_cli");
    const std::string bin = LANTIAN_BINARY;
    const std::string obs = test::write_text_file(dir, "obs.csv",
                                                  "station,time,pollutant,value,unit\n"
                                                  "A,2026-01-10T08:00:00+08:00,PM10,120,ug/m3\n"
                                                  "A,2026-01-10T08:00:00+08:00,PM10,-1,ug/m3\n");
    std::string output;
    CHECK(test::run_command(bin + " observations check " + obs, output) == 0);
    CHECK_THAT(output, Catch::Contains("lines 2, values 2: accepted 1, skipped 1") &&
                           Catch::Contains("obs.csv:3: value: -1: negative"));
    CHECK(test::run_command(bin + " observations check " + dir + "/absent.csv", output) == 2);
    CHECK_THAT(output, Catch::Contains("absent.csv: cannot open file"));

    const std::string stations = test::write_text_file(dir, "stations.csv", "code,name,city,lon,lat\n1001A,a,X,116,40\n");
    const std::string day = test::write_text_file(dir, "china_sites_20260110.csv",
                                                  "date,hour,type,1001A,1002A\n20260110,8,PM2.5,35,36\n20260110,8,AQI,50,51\n");
    const std::string out = dir + "/imported.csv";
    CHECK(test::run_command(bin + " observations import --stations " + stations + " --output " + out + " " + day, output) == 0);
    CHECK_THAT(output, Catch::Contains("accepted 1") && Catch::Contains("wrote 1 observations to " + out));
    CHECK(read_all(out) == "station,time,pollutant,value,unit\n1001A,2026-01-10T08:00:00+08:00,PM2.5,35,ug/m3\n");
    CHECK(test::run_command(bin + " observations import --stations " + dir + "/nolist.csv --output " + out + " " + day,
                            output) == 2);
    CHECK_THAT(output, Catch::Contains("nolist.csv: cannot open file"));
    CHECK(test::run_command(bin + " observations import --output " + out + " " + day, output) == 2);
    CHECK(test::run_command(bin + " observations frobnicate", output) == 2);
}
