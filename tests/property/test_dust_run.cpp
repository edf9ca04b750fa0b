// A run with wind-blown dust books it as sector `dust_windblown` of DUST, and the booked mass equals
// the scheme's flux integrated over the domain's area and the run's time (constant weather); the
// dust is in the model (DUST mass grows by it, less what left or deposited). A run without it keeps
// its budget layout.
#include <catch2/catch.hpp>
#include <algorithm>

#include "config/config_parser.hpp"
#include "dust_kernels.hpp"
#include "emissions/dust.hpp"
#include "met/met_source.hpp"
#include "output/file_names.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

TEST_CASE("Wind-blown dust in a run: ledger sector dust_windblown equals the flux integrated over time and area",
          "[property][dust][ledger]") {
    const std::string dir = test::scratch_dir("dust_run");
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-04-10T00:00:00\nhours = 3\nmax_dt_s = 600\n"
        "[grid]\nprojection = lambert\nnx = 10\nny = 8\ndx_m = 4000\ncenter_lon = 106.0\ncenter_lat = 41.0\n"
        "nz = 6\nfirst_layer_m = 30\ntop_m = 2000\n"
        "[met]\nsource = uniform\nspeed_m_s = 2\nustar_m_s = 0.55\ntemperature_k = 285\n"
        "[species]\nnames = PM25 DUST\n"
        "[output]\ninterval_h = 1\n");
    const std::vector<std::string> dust_on = {"dust.windblown=true", "dust.erodible_fraction=0.6", "dust.clay_fraction=0.08",
                                              "dust.soil_moisture_m3_m3=0.03"};
    const Config cfg = load_config(ini, dust_on);
    Simulation sim(cfg);
    sim.run(false);
    const Ledger& l = sim.ledger();
    const auto names = l.term_names();
    REQUIRE(std::find(names.begin(), names.end(), "emitted_dust_windblown") != names.end());
    CHECK(std::find(names.begin(), names.end(), "emitted_biogenic") == names.end());

    // The scheme by hand from the weather the run sees (uniform and constant: u* = 0.55 m s-1 everywhere).
    const Grid& grid = sim.grid();
    const auto met_source = make_met_source(cfg, grid, sim.start_epoch_s());
    MetState met;
    met.resize(grid);
    met_source->evaluate(0.0, met);
    const DustOptions o = dust_options(cfg);
    double rate_kg_s = 0;
    for (std::size_t c = 0; c < grid.columns(); ++c) {
        REQUIRE(met.ustar_m_s[c] == 0.55);  // the idealized weather's u* is what the scheme uses
        const kernels::DustColumn col{met.ustar_m_s[c], met.rho_kg_m3[c], met.t2_k[c], met.snow_cover[c], 0.03, 0.6, 0.08};
        rate_kg_s += kernels::dust_vertical_flux(col, o.parameters) * grid.area_m2()[c];
    }
    REQUIRE(rate_kg_s > 0);
    const double want_kg = rate_kg_s * 3 * 3600.0;

    const int dust = 1, sector = static_cast<int>(Sector::dust_windblown);
    REQUIRE(l.species()[dust] == "DUST");
    // Σ over steps of rate × Δt with Σ Δt = 3 h: equal to round-off (relative 1e-9).
    CHECK(l[dust].emitted_by_sector_kg[sector] == Approx(want_kg).epsilon(1e-9));
    CHECK(l[dust].kg("emitted") == Approx(want_kg).epsilon(1e-9));
    CHECK(l[0].emitted_by_sector_kg[sector] == 0.0);
    CHECK(l[dust].emitted_by_sector_kg[static_cast<int>(Sector::dust)] == 0.0);
    // The books close as in the other emission runs (float state: 1e-7 of what passed through).
    CHECK(std::abs(l[dust].residual_kg()) <= 1e-7 * (l[dust].initial_kg + want_kg + l[dust].inflow_total_kg()));
    // The emitted mass is in the model: DUST's final mass is its initial plus what was emitted, less what left.
    CHECK(l[dust].final_kg > l[dust].initial_kg + 0.2 * want_kg);
    CHECK_THAT(l.table(), Catch::Contains("dust_windblown"));

    // Soil wet enough to raise the threshold above u* = 0.55 m s-1: no dust.
    {
        std::vector<std::string> wet = dust_on;
        wet.back() = "dust.soil_moisture_m3_m3=0.30";
        Simulation w(load_config(ini, wet));
        w.run(false);
        CHECK(w.ledger()[dust].emitted_by_sector_kg[sector] == 0.0);
    }
    // Frozen (T2 below 0 °C, moist soil): no dust.
    {
        std::vector<std::string> frozen = dust_on;
        frozen.push_back("met.temperature_k=268");
        Simulation f(load_config(ini, frozen));
        f.run(false);
        CHECK(f.ledger()[dust].emitted_by_sector_kg[sector] == 0.0);
    }
    // Off (the default): the budget has no such sector and DUST gets nothing.
    {
        Simulation off(load_config(ini));
        off.run(false);
        const auto n = off.ledger().term_names();
        CHECK(std::find(n.begin(), n.end(), "emitted_dust_windblown") == n.end());
        CHECK(off.ledger()[dust].kg("emitted") == 0.0);
    }
}

TEST_CASE("A wind-blown dust run stopped and restarted equals the uninterrupted one bit for bit",
          "[property][dust][restart]") {
    // The episode weather (a front with strong winds) changes u* every hour: the restarted run must
    // recompute the dust rates from the weather of the checkpoint's interval.
    const std::string dir = test::scratch_dir("dust_restart");
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-04-10T00:00:00\nhours = 4\nmax_dt_s = 600\n"
        "[grid]\nprojection = lambert\nnx = 10\nny = 8\ndx_m = 4000\ncenter_lon = 106.0\ncenter_lat = 41.0\n"
        "nz = 6\nfirst_layer_m = 30\ntop_m = 2000\n"
        "[met]\nsource = episode\nepisode_origin = 2026-04-06T06:00:00\n"  // 90 h into the cycle: the front ramps up

        "[species]\nnames = PM25 DUST\n"
        "[dust]\nwindblown = true\n"
        "[output]\ninterval_h = 1\n");
    const std::string a = dir + "/a.nc", b = dir + "/b.nc";
    {
        Simulation first(load_config(ini, {"run.hours=2", "output.file=" + a, "checkpoint.interval_h=2"}));
        first.run(true);
    }
    Simulation restarted(load_config(ini, {"output.file=" + a, "checkpoint.interval_h=2"}));
    restarted.restart_from(strip_nc_suffix(a) + ".checkpoint.h5");
    restarted.run(true);
    Simulation whole(load_config(ini, {"output.file=" + b}));
    whole.run(true);

    const int dust = 1, sector = static_cast<int>(Sector::dust_windblown);
    REQUIRE(whole.ledger()[dust].emitted_by_sector_kg[sector] > 0.0);
    for (int s = 0; s < whole.ledger().size(); ++s) {
        INFO(whole.ledger().species()[s]);
        CHECK(restarted.ledger().words(s) == whole.ledger().words(s));
    }
    CHECK(restarted.state().q == whole.state().q);
}
