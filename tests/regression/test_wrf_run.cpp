// A whole run driven by the shipped WRF file: it completes, closes its ledger, and its output opens
// in ncdump and cdo on WRF's Lambert grid.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "met/met_source.hpp"
#include "met/wrf_met.hpp"
#include "processes/advection.hpp"
#include "processes/mixing.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {
const std::string kExample = std::string(LANTIAN_SOURCE_DIR) + "/configs/wrf_example.ini";
Config wrf_config() { return load_config(kExample, {}); }
}  // namespace

TEST_CASE("A run driven by the shipped WRF file completes with the ledger closed", "[regression][wrf]") {
    Simulation sim(wrf_config());
    const RunSummary s = sim.run(false);
    CHECK(s.simulated_h == Approx(9.0));
    for (int k = 0; k < sim.ledger().size(); ++k) {
        const SpeciesLedger& r = sim.ledger()[k];
        INFO(sim.ledger().species()[k]);
        CHECK(r.kg("emitted") > 0);
        CHECK(r.outflow_total_kg() > 0);
        // 1e-7: every process rounds the stored tracers to float (6e-8 relative, unbiased); the books
        // are summed in double over 54 steps of 6 processes.
        CHECK(std::fabs(r.residual_kg()) < 1e-7 * (r.initial_kg + r.kg("emitted") + r.inflow_total_kg()));
    }
    // Through the binary: the file opens in ncdump and cdo, on WRF's Lambert grid.
    const std::string dir = test::scratch_dir("wrf_run");
    std::string log;
    REQUIRE(test::run_command(std::string(LANTIAN_BINARY) + " run " + kExample + " --no-progress output.file=" + dir + "/w.nc", log) == 0);
    REQUIRE(test::run_command("ncdump -h " + dir + "/w.nc", log) == 0);
    CHECK_THAT(log, Catch::Contains("lambert_conformal_conic") && Catch::Contains("standard_parallel = 30., 35.") &&
                        Catch::Contains("longitude_of_central_meridian = 87."));
    CHECK(test::run_command("cdo -s sinfon " + dir + "/w.nc", log) == 0);
}

