// Warm start end to end: a run writes its state (output.state_file at output.state_hours); a second
// run starting at that time on another grid (other centre, cell size and layers) starts from it
// (run.initial_state): its initial mass of every species is the first run's mass at that time, and
// its first record is not the background. The CLI refuses --initial-state with --restart.
#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

#include "config/config_parser.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {
const std::string kExample = std::string(LANTIAN_SOURCE_DIR) + "/configs/episode_baotou.ini";

}  // namespace

TEST_CASE("A warm start on another grid starts from the earlier run's state with its mass", "[property][warmstart]") {
    const std::string dir = test::scratch_dir("warmstart_run");
    const std::string state_file = dir + "/state.nc";
    // First run: 20 × 14 cells of 8 km, 3 h, the state at 2 h and 3 h.
    Simulation first(load_config(kExample, {"run.hours=3", "grid.nx=20", "grid.ny=14", "grid.dx_m=8000", "grid.nz=10",
                                            "receptors.stations=", "receptors.cities=", "output.file=" + dir + "/first.nc",
                                            "output.state_file=" + state_file, "output.state_hours=2 3"}));
    first.run(true);
    REQUIRE(std::filesystem::exists(state_file));
    REQUIRE_FALSE(std::filesystem::exists(state_file + ".partial"));
    CHECK(test::read_nc_floats(state_file, "time") == std::vector<float>{2.0f, 3.0f});
    CHECK(test::read_nc_floats(state_file, "SO4_3d").size() == 2u * 10 * 14 * 20);  // every species, not only output.species

    // Second run: 3 h later, a wider grid of 6 km cells around a shifted centre (another Lambert
    // central meridian), 12 layers to the same top, no background: all its initial mass is the state's.
    const std::vector<std::string> second_keys = {
        "run.start=2026-01-10T03:00:00", "run.hours=1", "grid.nx=32", "grid.ny=24", "grid.dx_m=6000", "grid.nz=12",
        "grid.center_lon=110.8", "species.background_ug_m3=", "receptors.stations=", "receptors.cities=",
        "output.file=" + dir + "/second.nc", "run.initial_state=" + state_file};
    Simulation second(load_config(kExample, second_keys));
    REQUIRE_THAT(second.initial_state_note(), Catch::Contains(state_file) && Catch::Contains("2026-01-10 03:00:00"));
    const auto& names = second.layout().species;
    double worst = 0;
    for (int s = 0; s < static_cast<int>(names.size()); ++s) {
        const double before = first.ledger()[first.tracer(0, s)].final_kg;
        const double after = second.ledger()[second.tracer(0, s)].initial_kg;
        INFO(names[s] << ": first run's final " << before << " kg, second run's initial " << after << " kg");
        REQUIRE(before > 0);
        worst = std::max(worst, std::fabs(after - before) / before);
    }
    CAPTURE(worst);
    // The state file stores float concentrations and the state float mixing ratios: each value
    // rounded twice (relative 6e-8 each), averaging out over the cells.
    CHECK(worst < 1e-6);

    // Its first record is the warm state carried on, not the background (here 0): compare with a
    // cold run of the same config.
    second.run(true);
    std::vector<std::string> cold_keys = second_keys;
    cold_keys.back() = "run.initial_state=";
    cold_keys[cold_keys.size() - 2] = "output.file=" + dir + "/cold.nc";
    Simulation cold(load_config(kExample, cold_keys));
    cold.run(true);
    const std::vector<float> warm_so4 = test::read_nc_floats(dir + "/second.nc", "SO4"), cold_so4 = test::read_nc_floats(dir + "/cold.nc", "SO4");
    double warm_sum = 0, cold_sum = 0;
    for (float v : warm_so4) warm_sum += v;
    for (float v : cold_so4) cold_sum += v;
    CHECK(warm_sum > 10 * cold_sum + 1.0);
}

TEST_CASE("lantian run refuses --initial-state with --restart, and a missing state file", "[property][warmstart]") {
    const std::string dir = test::scratch_dir("warmstart_cli");
    const std::string bin = LANTIAN_BINARY;
    std::string log;
    const std::string fake = test::write_text_file(dir, "state.nc", "x");
    CHECK(test::run_command(bin + " run " + kExample + " --initial-state " + fake + " --restart " + fake, log) == 2);
    CHECK_THAT(log, Catch::Contains("--restart") && Catch::Contains("initial state"));
    CHECK(test::run_command(bin + " run " + kExample + " --initial-state " + dir + "/none.nc", log) == 2);
    CHECK_THAT(log, Catch::Contains("none.nc") && Catch::Contains("not found"));
    // A state file with no record at the start: exit 2 naming it.
    CHECK(test::run_command(bin + " run " + kExample + " run.hours=1 output.file=" + dir + "/x.nc --initial-state " + fake, log) == 2);
    CHECK_THAT(log, Catch::Contains(fake));
}
