// Inflow from the seasonal climatology (species.boundary_climatology): in a uniform westerly over a
// state that starts from the same profiles, the ledger's inflow_west is u ρ q(z) × face area × time
// summed over the layers, with q(z) the season's profile (µg m-3 over the standard atmosphere's
// density, ppb · M / M_air), and the initial mass is ρ q(z) × volume.
#include <catch2/catch.hpp>
#include <cmath>

#include "chemistry/background_profiles.hpp"
#include "config/config_parser.hpp"
#include "met/met_source.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

TEST_CASE("Climatological inflow: ledger inflow_west equals u rho q(z) area time by hand", "[property][climatology][ledger]") {
    const std::string dir = test::scratch_dir("climatology_inflow");
    // Winter rows differ, so the test also proves the run took spring (its April start).
    test::write_text_file(dir, "clim.csv",
                          "species,season,height_m,value,unit\n"
                          "PM25,spring,0,20,ug_m3\nPM25,spring,1500,5,ug_m3\n"
                          "PM25,winter,0,80,ug_m3\nPM25,winter,1500,50,ug_m3\n"
                          "CO,spring,0,200,ppb\nCO,spring,3000,120,ppb\n"
                          "CO,winter,0,400,ppb\nCO,winter,3000,300,ppb\n");
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-04-10T00:00:00\nhours = 3\nmax_dt_s = 600\n"
        "[grid]\nprojection = cartesian\nnx = 12\nny = 6\ndx_m = 4000\nnz = 6\nfirst_layer_m = 50\ntop_m = 2500\n"
        "[met]\nsource = uniform\nspeed_m_s = 5\ndirection_deg = 270\ntemperature_k = 285\n"
        "[transport]\nhorizontal_diffusion = off\nvertical_diffusion = false\n"
        "[species]\nnames = PM25 CO\nboundary_climatology = clim.csv\nboundary_elevation_m = 1000\n"
        "[removal]\ndry_deposition = false\nsettling = false\nwet_scavenging = false\n"
        "[chemistry]\nenabled = false\n"
        "[output]\ninterval_h = 1\n");
    const Config cfg = load_config(ini, {"output.file=" + dir + "/out.nc"});
    Simulation sim(cfg);
    sim.run(false);
    const Ledger& l = sim.ledger();
    const Grid& grid = sim.grid();
    const auto met_source = make_met_source(cfg, grid, sim.start_epoch_s());
    MetState met;
    met.resize(grid);
    met_source->evaluate(0.0, met);

    // The profiles by hand: linear in mixing ratio between the points, constant above the last.
    const double rho_s0 = standard_atmosphere_density_kg_m3(1000.0), rho_s1 = standard_atmosphere_density_kg_m3(2500.0);
    auto q_pm25 = [&](double z) {  // µg kg-1
        const double q0 = 20.0 / rho_s0, q1 = 5.0 / rho_s1;
        return z >= 1500.0 ? q1 : q0 + (q1 - q0) * z / 1500.0;
    };
    auto q_co = [&](double z) { return (200.0 + (120.0 - 200.0) * z / 3000.0) * 28.01 / 28.97; };

    const double u = 5.0, seconds = 3 * 3600.0;
    const double face_m = grid.ny() * grid.dy();  // the west edge's length (cartesian: no map factor)
    double want_pm25 = 0, want_co = 0, init_pm25 = 0, init_co = 0;
    for (int k = 0; k < grid.nz(); ++k) {
        const double z = grid.z_center()[k], dz = grid.dz()[k];
        const double rho = met.rho_kg_m3[static_cast<std::size_t>(k) * grid.columns()];  // uniform in the layer
        want_pm25 += u * rho * q_pm25(z) * face_m * dz * seconds;  // µg
        want_co += u * rho * q_co(z) * face_m * dz * seconds;
        const double volume = grid.columns() * grid.dx() * grid.dy() * dz;
        init_pm25 += rho * q_pm25(z) * volume;
        init_co += rho * q_co(z) * volume;
    }
    REQUIRE(l.species()[0] == "PM25");
    REQUIRE(l.species()[1] == "CO");
    // Float state: the inflow is exact up to single-precision rounding of q.
    CHECK(l[0].kg("inflow_west") == Approx(want_pm25 * 1e-9).epsilon(1e-6));
    CHECK(l[1].kg("inflow_west") == Approx(want_co * 1e-9).epsilon(1e-6));
    CHECK(l[0].initial_kg == Approx(init_pm25 * 1e-9).epsilon(1e-6));
    CHECK(l[1].initial_kg == Approx(init_co * 1e-9).epsilon(1e-6));
    // A westerly brings nothing through the other edges; what came in left through the east.
    CHECK(l[0].kg("inflow_east") == 0.0);
    CHECK(l[0].kg("inflow_south") == 0.0);
    CHECK(l[0].kg("outflow_east") == Approx(l[0].kg("inflow_west")).epsilon(1e-5));
    CHECK(std::abs(l[0].residual_kg()) <= 1e-7 * (l[0].initial_kg + l[0].inflow_total_kg()));

    // Without the climatology (today's behaviour) the background is species.background_ug_m3 (none: 0).
    Simulation plain(load_config(ini, {"output.file=" + dir + "/plain.nc", "species.boundary_climatology="}));
    plain.run(false);
    CHECK(plain.ledger()[0].kg("inflow_west") == 0.0);
    CHECK(plain.ledger()[0].initial_kg == 0.0);
}
