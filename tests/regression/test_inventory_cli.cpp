// `lantian inventory` through the real binary: the printed totals equal the sums of the
// demonstration CSV files, the gridded NetCDF opens in ncdump/cdo and sums to the inside totals,
// sources outside the domain are listed, and bad input exits 2 naming file and line.
#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "support/test_support.hpp"

using lantian::test::run_command;
using lantian::test::csv_rows;
using lantian::test::scratch_dir;

namespace {

const std::string kBinary = LANTIAN_BINARY;
const std::string kExample = std::string(LANTIAN_SOURCE_DIR) + "/configs/episode_baotou.ini";
const std::string kInventory = std::string(LANTIAN_SOURCE_DIR) + "/configs/inventories/baotou/";
const std::vector<std::string> kPollutants = {"SO2", "NOx", "CO", "PM25", "PM10", "VOC", "NH3"};

double num(const std::string& s) { return s.empty() ? 0.0 : std::stod(s); }

// Totals sector -> pollutant -> t/yr, summed straight from the files (independent of the model).
std::map<std::string, std::map<std::string, double>> totals_from_files() {
    std::map<std::string, std::map<std::string, double>> t;
    for (const auto& r : csv_rows(kInventory + "points.csv"))
        for (const auto& p : kPollutants) t[r.at("sector")][p] += num(r.at(p + "_t_yr"));
    for (const auto& r : csv_rows(kInventory + "areas.csv"))
        for (const auto& p : kPollutants) t[r.at("sector")][p] += num(r.at(p + "_t_yr"));
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> factors;
    for (const auto& r : csv_rows(kInventory + "road_factors.csv")) factors[{r.at("vehicle_class"), r.at("road_class")}] = r;
    for (const auto& r : csv_rows(kInventory + "roads.csv"))
        for (const auto& [col, text] : r) {
            if (col.rfind("vkt_", 0) != 0) continue;
            const std::string vc = col.substr(4, col.size() - 4 - 7);
            auto f = factors.find({vc, r.at("road_class")});
            if (f == factors.end()) f = factors.find({vc, "*"});
            REQUIRE(f != factors.end());
            for (const auto& p : kPollutants) t["traffic"][p] += 365.0 * num(text) * num(f->second.at(p + "_g_km")) / 1e6;
        }
    return t;
}

// The first table of the output: sector -> numbers in pollutant order.
std::map<std::string, std::vector<double>> printed_totals(const std::string& log) {
    std::map<std::string, std::vector<double>> out;
    std::istringstream in(log);
    std::string line;
    bool in_table = false;
    while (std::getline(in, line)) {
        if (line.rfind("inventory totals", 0) == 0) {
            in_table = true;
            continue;
        }
        if (!in_table) continue;
        if (line.empty()) break;
        std::istringstream ls(line);
        std::string sector;
        ls >> sector;
        if (sector == "sector") continue;
        std::vector<double> v;
        double x;
        while (ls >> x) v.push_back(x);
        out[sector] = v;
    }
    return out;
}

double sum_variable(const std::string& path, const std::string& name) {
    int nc = -1, var = -1;
    REQUIRE(nc_open(path.c_str(), NC_NOWRITE, &nc) == NC_NOERR);
    REQUIRE(nc_inq_varid(nc, name.c_str(), &var) == NC_NOERR);
    std::vector<double> v(64 * 100);
    REQUIRE(nc_get_var_double(nc, var, v.data()) == NC_NOERR);
    nc_close(nc);
    double s = 0;
    for (double x : v) s += x;
    return s;
}

}  // namespace

TEST_CASE("lantian inventory prints the demonstration inventory's totals as summed from its CSV files",
          "[regression][inventory]") {
    const std::string dir = scratch_dir("inventory_cli");
    const std::string nc = dir + "/inv.nc";
    std::string log;
    const int rc = run_command(kBinary + " inventory " + kExample + " --output " + nc, log);
    INFO(log);
    REQUIRE(rc == 0);
    const auto expected = totals_from_files();
    const auto printed = printed_totals(log);
    std::map<std::string, double> column_total;
    for (const std::string sector : {"steel", "power", "traffic", "residential", "industry", "dust", "agriculture"}) {
        REQUIRE(printed.count(sector));
        REQUIRE(printed.at(sector).size() == kPollutants.size());
        for (std::size_t p = 0; p < kPollutants.size(); ++p) {
            INFO(sector << " " << kPollutants[p]);
            const double want = expected.count(sector) ? expected.at(sector).at(kPollutants[p]) : 0.0;
            CHECK(printed.at(sector)[p] == Approx(want).margin(0.051));  // printed to 0.1 t/yr
            column_total[kPollutants[p]] += want;
        }
    }
    CHECK(printed.at("steel")[0] == Approx(4500.0).margin(0.051));  // Baotou Steel SO2 as stated in its file
    CHECK_THAT(log, Catch::Contains("every source lies inside the domain"));

    // The gridded file: opens in ncdump and cdo, and its totals are the inventory's (all inside).
    std::string dump;
    REQUIRE(run_command("ncdump -h " + nc, dump) == 0);
    CHECK_THAT(dump, Catch::Contains("SO2_power(y, x)") && Catch::Contains("t yr-1") && Catch::Contains("lambert_conformal_conic"));
    REQUIRE(run_command("cdo -s sinfon " + nc, dump) == 0);
    for (const auto& p : kPollutants) {
        INFO(p);
        CHECK(sum_variable(nc, p + "_total") == Approx(column_total[p]).epsilon(1e-9));
    }
    CHECK(sum_variable(nc, "PM10_dust") == Approx(expected.at("dust").at("PM10")).epsilon(1e-9));
}

TEST_CASE("lantian inventory lists sources outside a smaller domain with their share", "[regression][inventory]") {
    const std::string dir = scratch_dir("inventory_small");
    std::string log;
    // A 60 km x 60 km window on Baotou: Hohhot, Tuoketuo and most of the basin lie outside.
    const int rc = run_command(kBinary + " inventory " + kExample + " grid.nx=15 grid.ny=15 grid.center_lon=109.9 "
                                         "grid.center_lat=40.6 --output " + dir + "/small.nc --max-outside 5",
                               log);
    INFO(log);
    REQUIRE(rc == 0);
    CHECK_THAT(log, Catch::Contains("source(s) outside the domain (wholly or in part)"));
    CHECK_THAT(log, Catch::Contains("... and "));
    CHECK_THAT(log, Catch::Contains("warning: inventory: ") && Catch::Contains("share emitted inside"));
    CHECK_THAT(log, Catch::Contains("share in (%)"));
}

// The VOC table of the output: species -> t/yr (lines after "VOC as emitted by species" up to "emitted").
static std::map<std::string, double> printed_voc(const std::string& log) {
    std::map<std::string, double> out;
    std::istringstream in(log);
    std::string line;
    bool in_table = false;
    while (std::getline(in, line)) {
        if (line.rfind("VOC as emitted by species", 0) == 0) {
            in_table = true;
            continue;
        }
        if (!in_table) continue;
        if (line.empty()) break;
        std::istringstream ls(line);
        std::string name;
        ls >> name;
        if (name == "species") continue;
        if (name == "not" || name == "VOC") ls >> line;  // "not emitted", "VOC total"
        if (name == "not") name = "not_emitted";
        double t = 0;
        ls >> t;
        out[name] = t;
    }
    return out;
}

TEST_CASE("lantian inventory in cb6r3 mode prints the VOC by species as the inventory's VOC times the profile",
          "[regression][inventory]") {
    const std::string dir = scratch_dir("inventory_cb6r3");
    std::string log;
    const int rc = run_command(kBinary + " inventory " + kExample + " chemistry.mechanism=cb6r3 --output " + dir + "/inv.nc", log);
    INFO(log);
    REQUIRE(rc == 0);
    // Expected, independently of the model: the files' VOC per sector (all sources lie inside) times
    // the fractions of configs/profiles/speciation_cb6r3.csv (sector rows replace the * rows).
    const auto totals = totals_from_files();
    std::map<std::string, std::map<std::string, double>> profile;  // sector -> species -> fraction
    for (const auto& r : csv_rows(std::string(LANTIAN_SOURCE_DIR) + "/configs/profiles/speciation_cb6r3.csv"))
        if (r.at("pollutant") == "VOC") profile[r.at("sector")][r.at("species")] = num(r.at("fraction"));
    std::map<std::string, double> want;
    double voc = 0;
    for (const std::string sector : {"steel", "power", "traffic", "residential", "industry", "dust", "agriculture"}) {
        const double t = totals.count(sector) ? totals.at(sector).at("VOC") : 0.0;
        voc += t;
        for (const auto& [species, f] : profile.count(sector) ? profile.at(sector) : profile.at("*")) want[species] += t * f;
    }
    REQUIRE(voc > 0);
    const auto printed = printed_voc(log);
    double assigned = 0;
    for (const auto& [species, t] : want) {
        INFO(species);
        if (t == 0) {  // a species only of sectors without VOC (ISOP, TERP of agriculture here) has no row
            CHECK(!printed.count(species));
            continue;
        }
        REQUIRE(printed.count(species));
        CHECK(printed.at(species) == Approx(t).margin(0.051));  // printed to 0.1 t/yr
        assigned += t;
    }
    CHECK(printed.at("VOC") == Approx(voc).margin(0.051));
    CHECK(printed.at("not_emitted") >= voc - assigned - 0.051);
    // The linear mode says VOC is not emitted.
    REQUIRE(run_command(kBinary + " inventory " + kExample + " --output " + dir + "/lin.nc", log) == 0);
    CHECK_THAT(log, Catch::Contains("VOC: ") && Catch::Contains("not emitted"));
    CHECK_THAT(log, !Catch::Contains("VOC as emitted by species"));
}

TEST_CASE("Bad inventory input exits 2 with file, line, column and reason", "[regression][inventory]") {
    const std::string dir = scratch_dir("inventory_bad");
    std::ofstream(dir + "/p.csv") << "id,name,sector,lon,lat,stack_height_m,diameter_m,exit_temp_k,exit_velocity_m_s,grade,"
                                     "SO2_t_yr,NOx_t_yr,CO_t_yr,PM25_t_yr,PM10_t_yr,VOC_t_yr,NH3_t_yr\n"
                                     "P1,plant,power,110,40.5,200,6,323,18,A,-1,1,1,1,1,1,1\n";
    std::string log;
    CHECK(run_command(kBinary + " inventory " + kExample + " inventory.points=" + dir + "/p.csv", log) == 2);
    CHECK_THAT(log, Catch::Contains("p.csv:2: SO2_t_yr: -1: must be >= 0"));
    CHECK(run_command(kBinary + " run " + kExample + " inventory.points=" + dir + "/p.csv --no-progress", log) == 2);
    CHECK_THAT(log, Catch::Contains("p.csv:2: SO2_t_yr: -1"));
    CHECK(run_command(kBinary + " run " + kExample + " inventory.road_factors= --no-progress", log) == 2);
    CHECK_THAT(log, Catch::Contains("inventory.road_factors") && Catch::Contains("required when inventory.roads is set"));
    CHECK(run_command(kBinary + " inventory " + kExample + " inventory.areas=" + dir + "/absent.nc", log) == 2);
    CHECK_THAT(log, Catch::Contains("inventory.areas") && Catch::Contains("file not found"));
}
