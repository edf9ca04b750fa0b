// `lantian report` through the real binary on a short run with receptors: the daily table, valid
// PNG files, an HTML page that references them, and evaluation against observations. Bad receptors,
// observations, alert rules, species tables and run files: the hostile-input suite (tests/hostile).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "report/aqi.hpp"
#include "support/test_support.hpp"

using lantian::test::csv_rows;
using lantian::test::run_command;
using lantian::test::scratch_dir;

namespace {
const std::string kBinary = LANTIAN_BINARY;
const std::string kExample = std::string(LANTIAN_SOURCE_DIR) + "/configs/episode_baotou.ini";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Highest daily-mean PM2.5 (ug/m3) over the complete days of each city in a report's daily.csv.
std::map<std::string, double> city_peak_pm25(const std::string& daily_csv) {
    std::map<std::string, double> peak;
    for (auto& row : csv_rows(daily_csv)) {
        if (row["kind"] != "city" || row["complete"] != "1") continue;
        peak[row["receptor"]] = std::max(peak[row["receptor"]], std::stod(row["PM25_ug_m3"]));
    }
    return peak;
}
}  // namespace

TEST_CASE("lantian report makes the daily table, PNG maps and series and an HTML page", "[regression][report]") {
    const std::string dir = scratch_dir("report");
    const std::string out = dir + "/run.nc";
    std::string log;
    // 2 days on a coarse grid: the first local day is partial (the run starts at 08:00 Beijing time).
    // dust_days.model_share_min given at run time reaches the report through the stored config: the
    // example's dust share of PM10 is 0.10–0.21 at Ordos in every hour, below 0.14 elsewhere.
    REQUIRE(run_command("OMP_NUM_THREADS=2 " + kBinary + " run " + kExample +
                            " --no-progress run.hours=48 grid.nx=50 grid.ny=32 grid.dx_m=8000 dust_days.model_share_min=0.1 "
                            "output.file=" + out,
                        log) == 0);
    REQUIRE(std::filesystem::exists(dir + "/run_receptors.nc"));
    REQUIRE(std::filesystem::exists(dir + "/run_receptors.csv"));
    CHECK(run_command("ncdump -h " + dir + "/run_receptors.nc", log) == 0);
    CHECK_THAT(log, Catch::Contains("featureType = \"timeSeries\"") && Catch::Contains("cf_role = \"timeseries_id\""));
    // Observations: the model's own Baotou_Kundulun PM2.5 series at +10%, so NMB is −1/11 exactly.
    std::ofstream obs(dir + "/obs.csv");
    obs << "station,time,pollutant,value,unit\n";
    for (auto& row : csv_rows(dir + "/run_receptors.csv")) {
        if (row["receptor"] != "Baotou_Kundulun") continue;
        obs << "Baotou_Kundulun," << row["time_utc"] << ",PM2.5," << std::stod(row["PM25_total"]) * 1.1 << ",ug/m3\n";
    }
    obs.close();
    const int rc = run_command(kBinary + " report " + out + " --observations " + dir + "/obs.csv --output-dir " + dir + "/rep", log);
    INFO(log);
    REQUIRE(rc == 0);
    CHECK_THAT(log, Catch::Contains("Baotou (city)") && Catch::Contains("Hohhot (city)") && Catch::Contains("heavy-pollution day(s)"));
    CHECK_THAT(log, Catch::Contains("2026-01-10*"));  // the partial first day is marked
    CHECK_THAT(log, Catch::Contains("NMB   -9.1%"));
    // Daily CSV: one row per receptor and day, with AQI and alert columns.
    const std::string daily = slurp(dir + "/rep/daily.csv");
    CHECK_THAT(daily, Catch::Contains("receptor,kind,date,hours,complete,PM25_ug_m3") && Catch::Contains("Baotou,city,2026-01-11,24,1,"));
    // PNGs: real PNG files, referenced by the HTML page.
    const std::string html = slurp(dir + "/rep/index.html");
    int pngs = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir + "/rep")) {
        if (e.path().extension() != ".png") continue;
        ++pngs;
        const std::string bytes = slurp(e.path().string());
        CHECK(bytes.substr(1, 3) == "PNG");
        CHECK(bytes.size() > 5000);
        CHECK_THAT(html, Catch::Contains("src=\"" + e.path().filename().string() + "\""));
    }
    CHECK(pngs >= 4);  // a map of the full day and the series of 3 cities
    CHECK_THAT(html, Catch::Contains("<table>") && Catch::Contains("AQI category hit rate") && Catch::Contains("优 Excellent"));

    // Dust-affected days (proxy of 环办监测〔2016〕120号): the columns appended to daily.csv, the period table,
    // the HTML section. The model marks a receptor's hour when DUST/PM10_total >= 0.1 (the run's key).
    CHECK_THAT(daily, Catch::Contains(",alert_aqi,alert_level,dust_hours,dust_hours_observed,dust_day,aqi_without_dust,"
                                      "category_without_dust,primary_without_dust\n"));
    CHECK_THAT(html, Catch::Contains("Dust-affected days (proxy of 环办监测〔2016〕120号)") && Catch::Contains("&ge; 0.10"));
    std::map<std::string, std::map<std::string, std::string>> stats;  // receptor|basis -> row
    for (auto& row : csv_rows(dir + "/rep/dust_statistics.csv")) stats[row["receptor"] + "|" + row["basis"]] = row;
    CHECK(stats.size() == 14);  // 3 cities + 4 stations, two bases each
    bool ordos_seen = false;
    for (auto& row : csv_rows(dir + "/rep/daily.csv")) {
        if (row["receptor"] != "Ordos" || row["date"] != "2026-01-11") continue;
        ordos_seen = true;
        // Every hour of Ordos is dust by the model: the whole day is a dust day, its AQI without PM is
        // the AQI of SO2, NO2 and CO (from the table's 24-h means).
        CHECK(row["dust_hours"] == "24");
        CHECK(row["dust_hours_observed"] == "0");
        CHECK(row["dust_day"] == "1");
        lantian::aqi::Concentrations rest;
        rest.so2_24h = std::stod(row["SO2_ug_m3"]);
        rest.no2_24h = std::stod(row["NO2_ug_m3"]);
        rest.co_24h = std::stod(row["CO_mg_m3"]);
        CHECK(std::stoi(row["aqi_without_dust"]) == lantian::aqi::daily_aqi(rest).aqi);
        CHECK(std::stoi(row["aqi_without_dust"]) < std::stoi(row["AQI"]));
    }
    CHECK(ordos_seen);
    // Ordos: its one complete day is a dust day, so without dust no day's PM counts.
    CHECK(stats["Ordos|all"]["dust_days"] == "1");
    CHECK(stats["Ordos|all"]["pm_days"] == "1");
    CHECK(stats["Ordos|without_dust"]["pm_days"] == "0");
    CHECK(stats["Ordos|without_dust"]["PM25_mean_ug_m3"] == "-");
    CHECK(stats["Ordos|without_dust"]["days"] == "1");

    // Observed evidence: PM2.5 at +10% and PM10 = PM2.5 / 0.3 (coarse air) at Baotou_Kundulun, every
    // hour; an hour is dust exactly when its observed PM10 exceeds 150, whatever the model says.
    std::ofstream dust_obs(dir + "/obs_dust.csv");
    dust_obs << "station,time,pollutant,value,unit\n";
    int expected_dust_hours = 0;  // in the local day 2026-01-11: records ending at hours 17..40 after 00:00 UTC
    for (auto& row : csv_rows(dir + "/run_receptors.csv")) {
        if (row["receptor"] != "Baotou_Kundulun") continue;
        const double pm25 = std::stod(row["PM25_total"]) * 1.1, pm10 = pm25 / 0.3;
        dust_obs << "Baotou_Kundulun," << row["time_utc"] << ",PM2.5," << pm25 << ",ug/m3\n";
        dust_obs << "Baotou_Kundulun," << row["time_utc"] << ",PM10," << pm10 << ",ug/m3\n";
        const int h = std::stoi(row["hours"]);
        if (h >= 17 && h <= 40 && pm10 > 150) ++expected_dust_hours;
    }
    dust_obs.close();
    REQUIRE(expected_dust_hours >= 6);
    REQUIRE(run_command(kBinary + " report " + out + " --no-plots --observations " + dir + "/obs_dust.csv --output-dir " + dir +
                            "/rep_dust",
                        log) == 0);
    bool kundulun_seen = false;
    for (auto& row : csv_rows(dir + "/rep_dust/daily.csv")) {
        if (row["receptor"] != "Baotou_Kundulun" || row["date"] != "2026-01-11") continue;
        kundulun_seen = true;
        CHECK(std::stoi(row["dust_hours"]) == expected_dust_hours);
        CHECK(std::stoi(row["dust_hours_observed"]) == expected_dust_hours);
        CHECK(row["dust_day"] == "1");
    }
    CHECK(kundulun_seen);
}

TEST_CASE("N scenarios in one run equal N separate runs bit for bit", "[regression][scenarios]") {
    const std::string dir = scratch_dir("scenarios");
    const std::string common = " --no-progress run.hours=6 grid.nx=50 grid.ny=32 grid.dx_m=8000 ";
    const std::string list = std::string(LANTIAN_SOURCE_DIR) + "/configs/reduction_lists/baotou_emergency.csv";
    std::string log;
    REQUIRE(run_command("OMP_NUM_THREADS=2 " + kBinary + " run " + kExample + common + "output.file=" + dir +
                            "/together.nc 'scenarios.runs=red:" + list + ":red yellow:" + list + ":yellow'",
                        log) == 0);
    REQUIRE(run_command("OMP_NUM_THREADS=2 " + kBinary + " run " + kExample + common + "output.file=" + dir + "/base.nc", log) == 0);
    REQUIRE(run_command("OMP_NUM_THREADS=2 " + kBinary + " run " + kExample + common + "output.file=" + dir +
                            "/alone.nc scenarios.base=false 'scenarios.runs=red:" + list + ":red'",
                        log) == 0);
    // cdo diffv compares every variable record by record and prints nothing when all are identical
    // (a single differing bit of any field or budget term gives "N of M records differ").
    for (const auto& [a, b] : {std::pair{"together.nc", "base.nc"}, std::pair{"together_red.nc", "alone_red.nc"}}) {
        INFO(a << " vs " << b);
        REQUIRE(run_command("cdo diffv " + dir + "/" + a + " " + dir + "/" + b + " 2>/dev/null", log) == 0);
        CHECK(log.find("records differ") == std::string::npos);
    }
    // The red list really cuts: the base's time-mean SO2 exceeds the red scenario's somewhere.
    REQUIRE(run_command("cdo -s -O sub -selvar,SO2 " + dir + "/together.nc -selvar,SO2 " + dir + "/together_red.nc " + dir +
                            "/diff.nc 2>/dev/null",
                        log) == 0);
    REQUIRE(run_command("cdo -s output -fldmax -timmean " + dir + "/diff.nc 2>/dev/null > " + dir + "/max.txt", log) == 0);
    std::ifstream in(dir + "/max.txt");
    double max_diff = 0;
    in >> max_diff;
    CHECK(max_diff > 1.0);  // µg m-3
}

TEST_CASE("Superposed tags reproduce the brute-force red scenario within 1% of daily PM2.5 at every city", "[regression][superposition]") {
    // The demonstration case (coarser grid, two days), tagged by the demonstration list, with the
    // list's red level also run brute force in the same simulation.
    const std::string dir = scratch_dir("superpose");
    const std::string list = std::string(LANTIAN_SOURCE_DIR) + "/configs/reduction_lists/baotou_emergency.csv";
    std::string log;
    REQUIRE(run_command("OMP_NUM_THREADS=2 " + kBinary + " run " + kExample + " --no-progress run.hours=48 grid.nx=50 grid.ny=32 "
                            "grid.dx_m=8000 tags.by=lists tags.lists=" + list + " 'scenarios.runs=red:" + list + ":red' "
                            "output.file=" + dir + "/run.nc",
                        log) == 0);
    const int rc = run_command(kBinary + " scenarios --run " + dir + "/run.nc --lists " + list + " --levels red --csv " + dir + "/s.csv", log);
    INFO(log);
    REQUIRE(rc == 0);
    CHECK_THAT(log, Catch::Contains("baotou_emergency.csv at red") && Catch::Contains("Baotou") && Catch::Contains("evaluated in"));
    // Daily means of the brute-force scenario (its own report) against the superposition's table.
    REQUIRE(run_command(kBinary + " report " + dir + "/run_red.nc --no-plots --output-dir " + dir + "/red", log) == 0);
    auto brute_peak = city_peak_pm25(dir + "/red/daily.csv");
    int cities = 0;
    for (auto& row : csv_rows(dir + "/s.csv")) {
        const std::string& city = row["receptor"];
        const double peak = std::stod(row["peak_pm25_scenario"]);
        REQUIRE(brute_peak.count(city));
        const double rel = std::fabs(peak - brute_peak[city]) / brute_peak[city];
        WARN("superposition vs brute force, red list, " << city << ": peak daily PM2.5 " << peak << " vs " << brute_peak[city]
                                                      << " ug/m3 (" << 100 * rel << "%)");
        CHECK(rel <= 0.01);  // the bound: 1% of the daily-mean PM2.5 (the limiter is not linear)
        ++cities;
    }
    CHECK(cities == 3);
    // The page of the lists, and the base report's source contributions (stacked bars per city).
    CHECK(std::filesystem::exists(dir + "/s.html"));
    REQUIRE(run_command(kBinary + " report " + dir + "/run.nc --output-dir " + dir + "/base", log) == 0);
    CHECK_THAT(log, Catch::Contains("source contributions to daily-mean PM2.5"));
    CHECK(std::filesystem::exists(dir + "/base/contributions.csv"));
    CHECK_THAT(slurp(dir + "/base/index.html"), Catch::Contains("src=\"contributions_Baotou.png\""));
    // A list the tags cannot represent is refused, naming what it would need.
    const std::string odd = dir + "/odd.csv";
    std::ofstream(odd) << "target,pollutants,cut,level\nplant:PWR_SALAQI,SO2,0.5,red\n";
    CHECK(run_command(kBinary + " scenarios --run " + dir + "/run.nc --lists " + odd + " --levels red", log) == 2);
    CHECK_THAT(log, Catch::Contains("cuts differently for SO2") && Catch::Contains("tags.by = lists"));
}

TEST_CASE("An alert-triggered scenario switches its measures on when the base forecast's alert starts", "[regression][scenarios]") {
    // Baotou's daily AQI in this case: ~102 on 10 January (local), ~136 on the 11th, ~150 on the
    // (partial) 12th. With yellow =
    // "aqi > 130 for 1 day" the alert starts on the 11th; with a 6 h lead the measures start at
    // 06:00 local = 22:00 UTC on the 10th = hour 22 of the run (which starts 00:00 UTC).
    const std::string dir = scratch_dir("triggered");
    const std::string list = std::string(LANTIAN_SOURCE_DIR) + "/configs/reduction_lists/baotou_emergency.csv";
    std::string log;
    const int rc = run_command("OMP_NUM_THREADS=2 " + kBinary + " run " + kExample + " --no-progress run.hours=48 grid.nx=50 "
                               "grid.ny=32 grid.dx_m=8000 met.relative_humidity=0.6 met.stagnant_speed_m_s=1.0 "
                               "'alerts.yellow=aqi > 130 for 1 day' 'alerts.orange=aqi > 400 for 1 day' "
                               "'alerts.red=aqi >= 500 for 1 day' 'scenarios.runs=trig:" + list + ":triggered' "
                               "scenarios.lead_time_h=6 output.file=" + dir + "/run.nc",
                               log);
    INFO(log);
    REQUIRE(rc == 0);
    // In force from hour 22 to the end: the 11th is an alert day, and so is the partial 12th (AQI ~150).
    CHECK_THAT(log, Catch::Contains("measures in force in 26 of 48 hours"));
    // Baotou's PM2.5 series: identical before the measures, lower after them.
    auto series = [&](const std::string& file) {
        std::vector<std::string> values;
        for (auto& row : csv_rows(file))
            if (row["receptor"] == "Baotou") values.push_back(row["PM25_total"]);
        return values;
    };
    const auto base = series(dir + "/run_receptors.csv"), trig = series(dir + "/run_trig_receptors.csv");
    REQUIRE(base.size() == 48);
    REQUIRE(trig.size() == 48);
    for (int t = 0; t < 22; ++t) CHECK(base[t] == trig[t]);  // records 1..22 close the hours before the measures
    for (int t = 24; t < 48; ++t) CHECK(std::stod(trig[t]) < std::stod(base[t]));
}

TEST_CASE("Region targets and region tags: superposition equals brute force in linear advection", "[regression][superposition]") {
    const std::string dir = scratch_dir("regions");
    std::ofstream(dir + "/regional.csv") << "target,pollutants,cut,level\n"
                                            "region:Baotou+sector:residential,all,0.6,red\n"
                                            "region:Hohhot,SO2 NOx PM,0.3,red\n";
    const std::string regions = "'regions.areas=Baotou:109.93:40.62:40 Hohhot:111.70:40.83:35'";
    std::string log;
    // The cut summary knows the regions.
    REQUIRE(run_command(kBinary + " scenarios " + kExample + " " + regions + " --lists " + dir + "/regional.csv", log) == 0);
    {
        // The red row cuts SO2 (Hohhot's industry) and VOC (only Baotou's residential row cuts VOC).
        std::stringstream table(log);
        std::string line, level;
        double so2_t_d = 0, so2_pct = 0, nox_t_d = 0, nox_pct = 0, pm_t_d = 0, pm_pct = 0, voc_t_d = 0;
        bool found = false;
        while (std::getline(table, line)) {
            std::stringstream row(line);
            if (row >> level && level == "red") {
                row >> so2_t_d >> so2_pct >> nox_t_d >> nox_pct >> pm_t_d >> pm_pct >> voc_t_d;
                found = true;
            }
        }
        REQUIRE(found);
        CHECK(so2_t_d > 0);
        CHECK(voc_t_d > 0);
    }
    CHECK(run_command(kBinary + " scenarios " + kExample + " --lists " + dir + "/regional.csv", log) == 2);
    CHECK_THAT(log, Catch::Contains("regional.csv:2: target: region:Baotou+sector:residential: region Baotou is not in regions.areas"));
    REQUIRE(run_command("OMP_NUM_THREADS=2 " + kBinary + " run " + kExample + " --no-progress run.hours=48 grid.nx=50 grid.ny=32 "
                            "grid.dx_m=8000 transport.advection=upwind tags.by=sector_region " + regions +
                            " 'scenarios.runs=reg:" + dir + "/regional.csv:red' output.file=" + dir + "/run.nc",
                        log) == 0);
    REQUIRE(run_command(kBinary + " scenarios --run " + dir + "/run.nc --lists " + dir + "/regional.csv --levels red --csv " + dir +
                            "/s.csv",
                        log) == 0);
    REQUIRE(run_command(kBinary + " report " + dir + "/run_reg.nc --no-plots --output-dir " + dir + "/reg", log) == 0);
    auto brute = city_peak_pm25(dir + "/reg/daily.csv");
    int n = 0;
    for (auto& row : csv_rows(dir + "/s.csv")) {
        INFO(row["receptor"]);
        CHECK(std::stod(row["peak_pm25_scenario"]) == Approx(brute[row["receptor"]]).epsilon(2e-4));  // daily.csv keeps 2 decimals
        CHECK(std::stod(row["peak_pm25_base"]) > std::stod(row["peak_pm25_scenario"]));              // the list does cut
        ++n;
    }
    CHECK(n == 3);
}

TEST_CASE("Tags split by emission period evaluate an alert-triggered list by superposition", "[regression][superposition]") {
    // Day tags (tags.period_h = 24 from the run start, 00 UTC = 08:00 Beijing time). With a lead time
    // of 8 h the triggered measures start at 08:00 local = a period boundary, so the day tags can
    // represent them; the superposition equals the brute-force triggered run in linear advection.
    const std::string dir = scratch_dir("period_tags");
    const std::string list = std::string(LANTIAN_SOURCE_DIR) + "/configs/reduction_lists/baotou_emergency.csv";
    const std::string common = " --no-progress run.hours=48 grid.nx=50 grid.ny=32 grid.dx_m=8000 transport.advection=upwind "
                               "met.relative_humidity=0.6 met.stagnant_speed_m_s=1.0 "
                               "'alerts.yellow=aqi > 130 for 1 day' 'alerts.orange=aqi > 400 for 1 day' "
                               "'alerts.red=aqi >= 500 for 1 day' tags.by=lists tags.lists=" + list + " ";
    std::string log;
    REQUIRE(run_command("OMP_NUM_THREADS=2 " + kBinary + " run " + kExample + common + "tags.period_h=24 scenarios.lead_time_h=8 "
                            "'scenarios.runs=trig:" + list + ":triggered' output.file=" + dir + "/run.nc",
                        log) == 0);
    CHECK_THAT(log, Catch::Contains("measures in force in 24 of 48 hours"));
    REQUIRE(run_command(kBinary + " scenarios --run " + dir + "/run.nc --lists " + list + " --levels triggered --csv " + dir + "/s.csv",
                        log) == 0);
    REQUIRE(run_command(kBinary + " report " + dir + "/run_trig.nc --no-plots --output-dir " + dir + "/trig", log) == 0);
    auto brute = city_peak_pm25(dir + "/trig/daily.csv");
    int n = 0;
    for (auto& row : csv_rows(dir + "/s.csv")) {
        INFO(row["receptor"]);
        CHECK(std::stod(row["peak_pm25_scenario"]) == Approx(brute[row["receptor"]]).epsilon(2e-4));
        ++n;
    }
    CHECK(n == 3);
    // Without period tags the same evaluation is refused, saying what it needs.
    REQUIRE(run_command("OMP_NUM_THREADS=2 " + kBinary + " run " + kExample + common + "output.file=" + dir + "/plain.nc", log) == 0);
    CHECK(run_command(kBinary + " scenarios --run " + dir + "/plain.nc --lists " + list + " --levels triggered", log) == 2);
    CHECK_THAT(log, Catch::Contains("inside an emission period of the tags") && Catch::Contains("tags.period_h = 24"));
}

TEST_CASE("O3 in a run: the O3_8h series, its restart, the report's O3-1h/MDA8 columns and O3 evaluation", "[regression][report][o3]") {
    // A species named O3 (here a passive tracer of the linear run standing in for the photochemical
    // one) switches on the O3 products; the other species are those of the example.
    const std::string dir = scratch_dir("report_o3");
    const std::string species =
        " 'species.names=SO2 NO2 CO PM25 PMC NH3 DUST SO4 NO3 NH4 O3'"
        " 'species.background_ug_m3=SO2:8 NO2:10 CO:400 PM25:12 PMC:15 NH3:4 DUST:10 SO4:4 NO3:3 NH4:2 O3:60'";
    const std::string common = "OMP_NUM_THREADS=2 " + kBinary + " run " + kExample +
                               " --no-progress grid.nx=50 grid.ny=32 grid.dx_m=8000" + species;
    std::string log;
    REQUIRE(run_command(common + " run.hours=30 output.file=" + dir + "/full.nc", log) == 0);
    // O3_8h: NaN for the first 5 records, then the mean of the last (up to) 8 records of O3.
    std::map<std::string, std::vector<std::pair<double, std::string>>> by_receptor;  // O3, O3_8h text
    for (auto& row : csv_rows(dir + "/full_receptors.csv"))
        by_receptor[row["receptor"]].push_back({std::stod(row["O3"]), row["O3_8h"]});
    REQUIRE(by_receptor.size() == 7);
    for (const auto& [name, rows] : by_receptor) {
        INFO(name);
        REQUIRE(rows.size() == 30);
        for (std::size_t t = 0; t < rows.size(); ++t) {
            if (t < 5) {
                CHECK(rows[t].second == "nan");
                continue;
            }
            double sum = 0;
            const std::size_t first = t >= 7 ? t - 7 : 0;
            for (std::size_t u = first; u <= t; ++u) sum += rows[u].first;
            CHECK(std::stod(rows[t].second) == Approx(sum / static_cast<double>(t - first + 1)).epsilon(2e-5));
        }
    }
    // A run stopped at 12 h and restarted continues O3_8h as if it had not stopped.
    REQUIRE(run_command(common + " run.hours=12 checkpoint.interval_h=12 output.file=" + dir + "/part.nc", log) == 0);
    REQUIRE(run_command(common + " run.hours=30 output.file=" + dir + "/part.nc --restart " + dir + "/part.checkpoint.h5", log) == 0);
    CHECK(slurp(dir + "/part_receptors.csv") == slurp(dir + "/full_receptors.csv"));
    // The gridded O3_8h: missing (_FillValue) for the first 5 records, then the running mean of the
    // written O3; the restarted file holds the same values.
    auto gridded_o3_8h = [&](const std::string& run) {
        std::string text;
        REQUIRE(run_command("ncdump -v O3_8h -p 9 " + dir + "/" + run + ".nc | sed -n '/^ O3_8h =/,$p' | tr -d ' ;\\n'", text) == 0);
        return text;
    };
    const std::string full_field = gridded_o3_8h("full");
    // 50 × 32 columns of fill in each of the first 5 records, then numbers (no fill value leaks as a number).
    const std::size_t first_value = full_field.find_first_not_of("_,", 6);
    CHECK(full_field.substr(0, 6) == "O3_8h=");
    CHECK(first_value == 6 + 5 * 50 * 32 * 2);
    CHECK(full_field.find("e+") == std::string::npos);
    CHECK(gridded_o3_8h("part") == full_field);
    // The report: O3-1h max and MDA8 columns; O3 observations (the model's own at +10 %) evaluated.
    std::ofstream obs(dir + "/obs.csv");
    obs << "station,time,pollutant,value,unit\n";
    for (auto& row : csv_rows(dir + "/full_receptors.csv"))
        if (row["receptor"] == "Baotou_Kundulun") obs << "Baotou_Kundulun," << row["time_utc"] << ",O3," << std::stod(row["O3"]) * 1.1 << ",ug/m3\n";
    obs.close();
    const int rc = run_command(kBinary + " report " + dir + "/full.nc --no-plots --observations " + dir + "/obs.csv --output-dir " + dir + "/rep", log);
    INFO(log);
    REQUIRE(rc == 0);
    auto daily = csv_rows(dir + "/rep/daily.csv");
    REQUIRE(!daily.empty());
    REQUIRE(daily.front().count("O3_1h_max_ug_m3"));
    REQUIRE(daily.front().count("O3_MDA8_ug_m3"));
    bool some_mda8 = false;
    for (auto& row : daily) some_mda8 = some_mda8 || row["O3_MDA8_ug_m3"] != "-";
    CHECK(some_mda8);
    CHECK_THAT(slurp(dir + "/rep/index.html"), Catch::Contains("O3 MDA8"));
    std::map<std::string, double> nmb;
    for (auto& row : csv_rows(dir + "/rep/evaluation.csv"))
        if (row["pollutant"] == "O3") nmb[row["averaging"]] = std::stod(row["NMB"]);
    REQUIRE(nmb.count("hourly"));
    REQUIRE(nmb.count("MDA8"));
    CHECK(nmb["hourly"] == Approx(-1.0 / 11.0).epsilon(1e-4));
    CHECK(nmb["MDA8"] == Approx(-1.0 / 11.0).epsilon(1e-4));  // MDA8 scales with the series
}
