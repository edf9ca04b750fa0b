// The plausibility table of the weather readers (met/plausibility.hpp) and the time-step floor:
// each bound refuses an absurd value and accepts the real extreme it is documented to accept; the
// table in docs/input-formats.md is the one in the code; the surface-layer table is checked against
// it; a wind no time step can follow stops the run naming the cell and the wind (exit 1).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "config/config.hpp"
#include "flux_kernels.hpp"
#include "grid/grid.hpp"
#include "met/met_source.hpp"
#include "met/plausibility.hpp"
#include "processes/process.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

TEST_CASE("Every plausible range accepts the real extremes it documents and refuses absurd values", "[unit][met]") {
    struct Case {
        Quantity q;
        double real_extreme, absurd;
    };
    const Case cases[] = {
        {Quantity::wind_component, -95.0, 1e30},    // a jet-stream core; the broken wrfout of issue 13
        {Quantity::wind_component, 110.0, -151.0},
        {Quantity::wind_speed, 95.0, 200.0},
        {Quantity::air_temperature, 223.15, 400.0},  // −50 °C Inner Mongolian night
        {Quantity::air_temperature, 185.0, 100.0},   // tropopause / polar stratosphere
        {Quantity::temperature_2m, 223.15, 0.0},     // 0 K: a unit mix-up
        {Quantity::temperature_2m, 329.9, 373.15},   // Death Valley; boiling water
        {Quantity::pressure, 108480.0, 2e5},         // highest sea-level pressure measured
        {Quantity::pressure, 100.0, -5.0},           // a 1 hPa model top
        {Quantity::dry_column_pressure, 28000.0, 0.0},
        {Quantity::geopotential_height, 50000.0, 1e9},
        {Quantity::terrain_height, 8849.0, 20000.0},
        {Quantity::terrain_height, -430.0, -5000.0},
        {Quantity::eta, 0.0, 1.5},
        {Quantity::water_vapour, 0.037, 0.2},        // dew point 35 °C
        {Quantity::water_vapour, -1e-8, -0.01},
        {Quantity::pblh, 5800.0, 20000.0},           // Taklimakan afternoon
        {Quantity::pblh, 0.0, -10.0},
        {Quantity::ustar, 2.5, 8.0},                 // dust storm
        {Quantity::ustar, 0.0, -0.1},
        {Quantity::heat_flux, 800.0, 5000.0},        // desert afternoon
        {Quantity::heat_flux, -300.0, -2000.0},
        {Quantity::accumulated_precip, 26000.0, 1e6},
        {Quantity::precip_rate, 305.0, 3000.0},      // the one-hour record
    };
    for (const Case& c : cases) {
        const PlausibleRange& r = plausible_range(c.q);
        INFO(r.name << ": " << c.real_extreme << " / " << c.absurd);
        CHECK(is_plausible(c.q, c.real_extreme));
        CHECK_FALSE(is_plausible(c.q, c.absurd));
        CHECK_THAT(implausible_reason(c.q, c.absurd), Catch::Contains(std::string("outside the plausible ") + r.name + " range"));
    }
    // NaN is never plausible; every quantity has one row with lo < hi and its documentation.
    CHECK_FALSE(is_plausible(Quantity::wind_component, std::numeric_limits<double>::quiet_NaN()));
    CHECK_FALSE(is_plausible(Quantity::wind_component, std::numeric_limits<double>::infinity()));
    for (const PlausibleRange& r : plausibility_table()) {
        INFO(r.name);
        CHECK(r.lo < r.hi);
        CHECK(&plausible_range(r.quantity) == &r);
        CHECK(std::string(r.checked).size() > 3);
        CHECK(std::string(r.why).size() > 20);
    }
    CHECK(plausibility_table().size() == static_cast<std::size_t>(Quantity::snow_cover) + 1);
    CHECK(first_implausible(Quantity::ustar, 4, [](std::size_t k) { return k == 2 ? 9.0 : 0.3; }) == 2);
    CHECK(first_implausible(Quantity::ustar, 4, [](std::size_t) { return 0.3; }) == 4);
}

TEST_CASE("The plausibility table is documented in docs/input-formats.md as it is in the code", "[unit][met][docs]") {
    std::ifstream in(std::string(LANTIAN_SOURCE_DIR) + "/docs/input-formats.md");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    INFO("expected in docs/input-formats.md, section \"Plausibility checks\":\n" << plausibility_markdown());
    CHECK_THAT(text.str(), Catch::Contains("## Plausibility checks") && Catch::Contains(plausibility_markdown()));
}

TEST_CASE("The surface-layer table is checked against the plausibility table", "[unit][met]") {
    const std::string dir = test::scratch_dir("sl_plausible");
    Config cfg;
    cfg.grid = test::cartesian(6, 5, 100.0, {0, 10, 30, 60, 100, 200});
    cfg.met.source = MetKind::surface_layer;
    cfg.run.hours = 1;
    cfg.met.table = dir + "/met.csv";
    const double start = 1768003200.0;  // 2026-01-10T00:00:00Z
    const Grid grid(cfg.grid);
    auto table = [&](const std::string& second_row) {
        std::ofstream(cfg.met.table) << "time,speed_m_s,direction_deg,mo_length_m,pblh_m,ustar_m_s\n"
                                        "2026-01-10T00:00:00,2.0,270,1e9,500,0\n"
                                     << second_row << "\n";
    };
    // Real extremes pass: a 95 m/s wind, a 5.8 km desert boundary layer, a dust-storm u* of 2.5 m/s.
    table("2026-01-10T01:00:00,95,270,-50,5800,2.5");
    auto source = make_met_source(cfg, grid, start);
    MetState met;
    met.resize(grid);
    source->evaluate(3600.0, met);
    CHECK(met.pblh_m[0] == Approx(5800.0));
    CHECK(met.ustar_m_s[0] == Approx(2.5));
    struct Case {
        const char* row;
        const char* expect;
    };
    const Case cases[] = {
        {"2026-01-10T01:00:00,400,270,1e9,500,0",
         "met.csv:3: speed_m_s at 2026-01-10T01:00:00: 400 m s-1: outside the plausible wind speed range [0, 150] m s-1"},
        {"2026-01-10T01:00:00,2,270,1e9,25000,0",
         "met.csv:3: pblh_m at 2026-01-10T01:00:00: 25000 m: outside the plausible boundary-layer height range [0, 10000] m"},
        {"2026-01-10T01:00:00,2,270,1e9,500,8",
         "met.csv:3: ustar_m_s at 2026-01-10T01:00:00: 8 m s-1: outside the plausible friction velocity range [0, 5] m s-1"},
        {"2026-01-10T01:00:00,2,270,1e9,500,-0.5", "met.csv:3: ustar_m_s at 2026-01-10T01:00:00: -0.5 m s-1: outside"},
    };
    for (const Case& c : cases) {
        INFO(c.row);
        table(c.row);
        CHECK_THROWS_AS(make_met_source(cfg, grid, start), ConfigError);
        CHECK_THROWS_WITH(make_met_source(cfg, grid, start), Catch::Contains(c.expect));
    }
}

TEST_CASE("The face of the largest crossing rate is found where the reduction finds the rate", "[unit][kernels]") {
    const Grid grid(test::cartesian(7, 5, 1000.0, {0, 50, 150, 400}));
    const kernels::GridViews gv = grid_views(grid, false);
    MetState met;
    met.resize(grid);
    std::mt19937 rng(13);
    std::uniform_real_distribution<double> wind(-10.0, 10.0);
    for (double& u : met.u_face_x_m_s) u = wind(rng);
    for (double& v : met.v_face_y_m_s) v = wind(rng);
    const double rate = kernels::max_inverse_crossing_time(gv, met.u_face_x_m_s.data(), met.v_face_y_m_s.data());
    // One fast face on a y-face of layer 1 and one on an x-face at the east edge of layer 2.
    for (const auto& [x_face, k, j, i, w] : {std::tuple{false, 1, 3, 4, -40.0}, std::tuple{true, 2, 1, 7, 60.0}}) {
        if (x_face)
            met.u_face_x_m_s[(static_cast<std::size_t>(k) * 5 + j) * 8 + i] = w;
        else
            met.v_face_y_m_s[(static_cast<std::size_t>(k) * 6 + j) * 7 + i] = w;
        const kernels::CrossingPlace p =
            kernels::locate_max_inverse_crossing_time(gv, met.u_face_x_m_s.data(), met.v_face_y_m_s.data());
        CAPTURE(x_face, k, j, i);
        CHECK(p.rate_per_s == kernels::max_inverse_crossing_time(gv, met.u_face_x_m_s.data(), met.v_face_y_m_s.data()));
        CHECK(p.rate_per_s > rate);
        CHECK(p.x_face == x_face);
        CHECK(p.k == k);
        CHECK(p.j == j);
        CHECK(p.i == i);
        CHECK(p.wind_m_s == w);
        CHECK(p.distance_m == Approx(1000.0));
    }
}

namespace {
// A small Cartesian run in a uniform wind: dx metres, the wind from the west.
Config uniform_wind_run(double dx_m, double speed_m_s) {
    Config cfg;
    cfg.run.hours = 1;
    cfg.run.max_dt_s = 600;
    cfg.grid = test::cartesian(8, 6, dx_m, {0, 50, 150, 400});
    cfg.met.source = MetKind::uniform;
    cfg.met.speed_m_s = speed_m_s;
    cfg.met.direction_deg = 270;
    cfg.species.names = {"SO2"};
    cfg.species.background_ug_m3 = {{"SO2", 5.0}};
    cfg.receptors.stations.clear();
    cfg.receptors.cities.clear();
    return cfg;
}
}  // namespace

TEST_CASE("A time step below the floor stops the run naming the cell and the wind", "[unit][simulation]") {
    // 200 m/s across 100 m cells needs 0.9 × 100 / 200 = 0.45 s steps: below the floor, which is
    // here the 0.6 s a 150 m/s wind allows (smaller than run.min_dt_s = 1 s).
    {
        Simulation sim(uniform_wind_run(100.0, 200.0));
        try {
            sim.run(false);
            FAIL("a run needing 0.45 s steps was not stopped");
        } catch (const RunError& e) {
            const std::string m = e.what();
            CHECK_THAT(m, Catch::Contains("time step below the floor at 2026-01-10 00:00:00 (step 0): the wind 200 m s-1 (grid x)") &&
                              Catch::Contains("through the west face of cell (i=0, j=0, k=0), 100 m across, allows a step of at most 0.45 s") &&
                              Catch::Contains("below the floor of 0.6 s (the smaller of run.min_dt_s = 1 s and the 0.6 s a 150 m s-1 wind"));
        }
    }
    // On a 4 km grid the floor is run.min_dt_s itself: 4000 m/s (an idealized typo) needs 0.9 s.
    {
        Simulation sim(uniform_wind_run(4000.0, 4000.0));
        CHECK_THROWS_WITH(sim.run(false), Catch::Contains("allows a step of at most 0.9 s") &&
                                              Catch::Contains("below the floor of 1 s (the smaller of run.min_dt_s = 1 s"));
    }
    // Plausible winds run on any grid: 150 m/s on 100 m cells (0.6 s steps, below 1 s), and a 95 m/s
    // jet on a 4 km grid (38 s steps). A lower run.min_dt_s lets the 200 m/s flow run.
    auto short_run = [](Config cfg) {
        cfg.run.hours = 0.01;
        cfg.output.interval_h = 0.01;
        Simulation sim(cfg);
        return sim.run(false);
    };
    CHECK(short_run(uniform_wind_run(100.0, 150.0)).min_dt_s == Approx(0.6).epsilon(1e-6));
    Config lowered = uniform_wind_run(100.0, 200.0);
    lowered.run.min_dt_s = 0.1;
    CHECK(short_run(lowered).min_dt_s == Approx(0.45).epsilon(1e-6));
    {
        Simulation sim(uniform_wind_run(4000.0, 95.0));
        const RunSummary s = sim.run(false);
        CHECK(s.simulated_h == Approx(1.0));
        CHECK(s.min_dt_s == Approx(0.9 * 4000.0 / 95.0).epsilon(1e-2));
    }
    // Through the binary: exit 1 and the message, well within a hang guard.
    const std::string dir = test::scratch_dir("dt_floor");
    std::string log;
    const int rc = test::run_command(
        "timeout 60 " + std::string(LANTIAN_BINARY) + " run " + std::string(LANTIAN_SOURCE_DIR) +
            "/configs/episode_baotou.ini --no-progress run.hours=1 grid.projection=cartesian grid.nx=20 grid.ny=20 "
            "grid.dx_m=50 grid.center_lon=109.77 grid.center_lat=40.655 met.source=uniform met.speed_m_s=400 "
            "sources.areas= receptors.stations= receptors.cities= output.file=" + dir + "/floor.nc",
        log);
    INFO(log);
    CHECK(rc == 1);
    CHECK_THAT(log, Catch::Contains("time step below the floor") && Catch::Contains("the wind 400 m s-1"));
}

TEST_CASE("WeatherCache: unchanged only for the same known revisions and arguments", "[unit][met]") {
    WeatherCache cache;
    CHECK_FALSE(cache.unchanged({3, 4}, {300.0}));  // first call: compute
    CHECK(cache.unchanged({3, 4}, {300.0}));
    CHECK_FALSE(cache.unchanged({3, 5}, {300.0}));  // a field changed
    CHECK(cache.unchanged({3, 5}, {300.0}));
    CHECK_FALSE(cache.unchanged({3, 5}, {150.0}));  // Δt changed
    CHECK_FALSE(cache.unchanged({3, 5}, {300.0}));  // ... and back: the arrays hold the 150 s values
    CHECK_FALSE(cache.unchanged({0, 5}, {300.0}));  // an unknown revision is never unchanged
    CHECK_FALSE(cache.unchanged({0, 5}, {300.0}));
    cache.unchanged({1, 1}, {});
    cache.forget();
    CHECK_FALSE(cache.unchanged({1, 1}, {}));
}
