// End to end through the real binary: the default example runs and its file opens in ncdump and
// cdo; outputs are identical for 1 and 2 threads; bad input exits 2 naming the key; an interrupted
// run leaves a file marked incomplete, never one that looks complete.
#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "support/test_support.hpp"

using lantian::test::run_command;
using lantian::test::scratch_dir;

namespace {

const std::string kBinary = LANTIAN_BINARY;
const std::string kExample = std::string(LANTIAN_SOURCE_DIR) + "/configs/episode_baotou.ini";

std::string global_text(const std::string& path, const std::string& name) {
    int nc = -1;
    REQUIRE(nc_open(path.c_str(), NC_NOWRITE, &nc) == NC_NOERR);
    std::size_t len = 0;
    REQUIRE(nc_inq_attlen(nc, NC_GLOBAL, name.c_str(), &len) == NC_NOERR);
    std::string text(len, '\0');
    nc_get_att_text(nc, NC_GLOBAL, name.c_str(), text.data());
    nc_close(nc);
    return text;
}

}  // namespace

TEST_CASE("The default example runs and its output opens in ncdump and cdo", "[regression][e2e]") {
    const std::string dir = scratch_dir("example");
    const std::string out = dir + "/episode.nc";
    std::string log;
    const int rc = run_command("OMP_NUM_THREADS=2 " + kBinary + " run " + kExample + " run.hours=6 output.file=" + out +
                                   " output.fields_3d=true",
                               log);
    INFO(log);
    REQUIRE(rc == 0);
    CHECK_THAT(log, Catch::Contains("mass budget"));
    REQUIRE(std::filesystem::exists(out));
    CHECK_FALSE(std::filesystem::exists(out + ".partial"));
    CHECK(global_text(out, "lantian_status") == "complete");
    CHECK_THAT(global_text(out, "lantian_config"), Catch::Contains("hours = 6"));
    CHECK(lantian::test::read_nc_floats(out, "time").size() == 6);
    const std::vector<float> pm = lantian::test::read_nc_floats(out, "PM25");
    CHECK(pm.size() == 6u * 64 * 100);
    for (float v : pm) REQUIRE((std::isfinite(v) && v >= 0.0f));
    CHECK(*std::max_element(pm.begin(), pm.end()) > 25.0f);  // sources raise PM2.5 above the 20 background
    CHECK(lantian::test::read_nc_floats(out, "PM25_3d").size() == 6u * 16 * 64 * 100);

    std::string dump;
    CHECK(run_command("ncdump -h " + out, dump) == 0);
    CHECK_THAT(dump, Catch::Contains("grid_mapping_name = \"lambert_conformal_conic\""));
    std::string cdo;
    CHECK(run_command("cdo -s sinfon " + out, cdo) == 0);
    CHECK_THAT(cdo, Catch::Contains("PM25"));
}

TEST_CASE("Output is bit-for-bit identical with 1 and 2 OpenMP threads", "[regression][threads]") {
    const std::string dir = scratch_dir("threads");
    std::string log;
    for (int threads : {1, 2}) {
        const int rc = run_command("OMP_NUM_THREADS=" + std::to_string(threads) + " " + kBinary + " run " + kExample +
                                       " run.hours=3 --no-progress output.file=" + dir + "/t" + std::to_string(threads) + ".nc",
                                   log);
        INFO(log);
        REQUIRE(rc == 0);
    }
    for (const char* var : {"SO2", "NO2", "CO", "PM25", "PMC"}) {
        INFO(var);
        const auto one = lantian::test::read_nc_floats(dir + "/t1.nc", var);
        const auto two = lantian::test::read_nc_floats(dir + "/t2.nc", var);
        REQUIRE(one.size() == two.size());
        CHECK(std::memcmp(one.data(), two.data(), one.size() * sizeof(float)) == 0);
    }
}

TEST_CASE("Bad configuration exits with code 2 and names the key, file and reason", "[regression][badinput]") {
    const std::string dir = scratch_dir("badcfg");
    struct Case {
        const char* args;     // appended to "lantian run"
        const char* expect;   // must appear in the message
    };
    const std::string cfg = kExample;
    const std::vector<Case> cases = {
        {"grid.nx=abc", "grid.nx"},                         // wrong type
        {"grid.nx=2", "grid.nx"},                           // out of range
        {"grid.bogus=1", "grid.bogus"},                     // unknown key
        {"transport.advection=spline", "transport.advection"},  // value not allowed
        {"sources.points=nope.csv", "nope.csv"},           // missing referenced file
        {"run.cfl=1.5", "run.cfl"},                         // out of range
        {"output.interval_h=7", "output.interval_h"},      // does not divide the run
        {"run.hours=2000000000", "run.hours"},             // beyond a leap year: no disk would hold it
    };
    for (const Case& c : cases) {
        INFO(c.args);
        std::string log;
        const int rc = run_command(kBinary + " run " + cfg + " " + c.args + " --no-progress", log);
        INFO(log);
        CHECK(rc == 2);
        CHECK_THAT(log, Catch::Contains(c.expect));
    }
    std::string log;
    CHECK(run_command(kBinary + " run " + dir + "/absent.ini", log) == 2);
    CHECK_THAT(log, Catch::Contains("absent.ini"));
    std::ofstream(dir + "/bad.ini") << "[grid]\nnx = 100\n\n[met]\nspeed_m_s = fast\n";
    CHECK(run_command(kBinary + " run " + dir + "/bad.ini", log) == 2);
    CHECK_THAT(log, Catch::Contains("bad.ini:5") && Catch::Contains("met.speed_m_s"));
    std::ofstream(dir + "/pts.csv") << "id,name,lon,lat,height_m,SO2_g_s\nA,a,110.7,40.6,-5,1\n";
    CHECK(run_command(kBinary + " run " + cfg + " sources.points=" + dir + "/pts.csv", log) == 2);
    CHECK_THAT(log, Catch::Contains("pts.csv:2: height_m: -5"));
}

TEST_CASE("An interrupted run exits non-zero and leaves a file marked incomplete", "[regression][signal]") {
    const std::string dir = scratch_dir("sigterm");
    const std::string out = dir + "/run.nc";
    std::string log;
    // Start a long run (a finer grid than the example, several minutes of work), let it write for
    // three seconds after the file appears, then SIGTERM it.
    const std::string script = "cd " + dir + " && (" + kBinary + " run " + kExample + " --no-progress output.file=" + out +
                               " run.hours=240 grid.nx=200 grid.ny=128 grid.dx_m=2000 & pid=$!; "
                               "for i in $(seq 1 300); do [ -f " + out + ".partial ] && break; sleep 0.1; done; sleep 3; "
                               "kill -TERM $pid; wait $pid; echo exit=$?)";
    run_command(script, log);
    INFO(log);
    CHECK_THAT(log, Catch::Contains("exit=1"));
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK_FALSE(std::filesystem::exists(out + ".partial"));
    const std::string incomplete = dir + "/run.incomplete.nc";
    REQUIRE(std::filesystem::exists(incomplete));
    CHECK_THAT(global_text(incomplete, "lantian_status"), Catch::StartsWith("incomplete"));
    CHECK(lantian::test::read_nc_floats(incomplete, "time").size() >= 1);  // the hours done are kept
}

TEST_CASE("--print-config shows every resolved key and --help explains the command", "[regression][cli]") {
    std::string log;
    REQUIRE(run_command(kBinary + " run " + kExample + " grid.nx=80 --print-config", log) == 0);
    CHECK_THAT(log, Catch::Contains("[grid]") && Catch::Contains("nx = 80") && Catch::Contains("[output]"));
    REQUIRE(run_command(kBinary + " run --help", log) == 0);
    CHECK_THAT(log, Catch::Contains("section.key=value"));
    CHECK(run_command(kBinary + " frobnicate", log) == 2);
}

TEST_CASE("Lat-lon and near-field Cartesian grids run end to end and open in cdo", "[regression][e2e]") {
    const std::string dir = scratch_dir("projections");
    struct Case {
        const char* name;
        const char* args;
        const char* grid_mapping;
    };
    const Case cases[] = {
        {"latlon", "grid.projection=latlon grid.nx=60 grid.ny=40 grid.dlon_deg=0.06 grid.dlat_deg=0.05", "latitude_longitude"},
        // A 5 m near-field grid around a stack, driven by a station-style surface layer.
        {"cartesian", "grid.projection=cartesian grid.nx=80 grid.ny=40 grid.dx_m=5 grid.center_lon=109.77 grid.center_lat=40.655 "
                      "grid.nz=12 grid.first_layer_m=2 grid.top_m=200 met.source=surface_layer met.speed_m_s=3 "
                      "met.mo_length_m=-100 met.pblh_m=600 sources.areas= run.hours=1 run.max_dt_s=60",
         "azimuthal_equidistant"},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const std::string out = dir + "/" + c.name + ".nc";
        std::string log;
        const int rc = run_command(kBinary + " run " + kExample + " --no-progress run.hours=2 receptors.stations= receptors.cities= " + c.args +
                                                   " output.file=" + out,
                                   log);
        INFO(log);
        REQUIRE(rc == 0);
        std::string dump;
        CHECK(run_command("ncdump -h " + out, dump) == 0);
        CHECK_THAT(dump, Catch::Contains(c.grid_mapping));
        CHECK(run_command("cdo -s sinfon " + out, dump) == 0);
        for (float v : lantian::test::read_nc_floats(out, "SO2")) REQUIRE((std::isfinite(v) && v >= 0.0f));
    }
}
