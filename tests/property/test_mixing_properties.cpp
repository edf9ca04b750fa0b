// Properties of mixing, emission and deposition, and of the whole step's mass ledger.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "processes/mixing.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;
using lantian::test::Harness;
using lantian::test::WindXY;

namespace {
EmissionTable no_emissions(const Grid& g, int nspec) {
    return make_emission_table(g.columns(), nspec, {});
}
}  // namespace

TEST_CASE("Vertical mixing conserves mass, keeps values positive and relaxes to a uniform column",
          "[property][mixing]") {
    Harness h(test::cartesian(6, 5, 1000.0, {0, 20, 50, 100, 200, 400, 800, 1500}), 1);
    MetState met = test::hand_made_met(h.grid, 1.0, [](double, double, double) { return WindXY{0, 0}; }, 50.0);
    // Density falling with height, so air mass per layer differs from thickness.
    for (int k = 0; k < h.grid.nz(); ++k)
        for (std::size_t c = 0; c < h.grid.columns(); ++c)
            met.rho_kg_m3[k * h.grid.columns() + c] = 1.2 * std::exp(-h.grid.z_center()[k] / 8000.0);
    h.set_air_mass(met);
    for (std::size_t c = 0; c < h.grid.columns(); ++c) h.state.q[c] = 1000.0f;  // all in the lowest layer
    const double m0 = h.mass_ug(0);
    h.processes.push_back(std::make_unique<VerticalMixing>(h.grid, 1, no_emissions(h.grid, 1), std::vector<double>{0.0}, true));
    h.step(met, 60.0);
    const real min_after_one = *std::min_element(h.state.q.begin(), h.state.q.end());
    CHECK(min_after_one >= 0.0f);
    for (int n = 0; n < 400; ++n) h.step(met, 600.0);
    // 1e-6: single-precision storage, see the advection conservation test.
    CHECK(std::fabs(h.mass_ug(0) - m0) / m0 < 1e-6);
    // Well mixed: equal mixing ratio in every layer, equal to the mass-weighted mean.
    double total_air = 0;
    for (double m : h.state.air_mass_kg) total_air += m;
    const double mean = m0 / total_air;
    for (real q : h.state.q) CHECK(std::fabs(q - mean) / mean < 1e-4);
}

TEST_CASE("Dry deposition removes exactly what the ledger books", "[property][mixing][ledger]") {
    Harness h(test::cartesian(5, 4, 1000.0, {0, 30, 100, 300}), 2);
    const MetState met = test::hand_made_met(h.grid, 1.0, [](double, double, double) { return WindXY{0, 0}; }, 5.0);
    h.set_air_mass(met);
    std::fill(h.state.q.begin(), h.state.q.end(), 10.0f);
    const double m0 = h.mass_ug(0), m1 = h.mass_ug(1);
    h.processes.push_back(std::make_unique<VerticalMixing>(h.grid, 2, no_emissions(h.grid, 2), std::vector<double>{0.01, 0.0}, true));
    for (int n = 0; n < 50; ++n) h.step(met, 300.0);
    const double removed = (m0 - h.mass_ug(0)) * 1e-9;
    CAPTURE(removed, h.ledger[0].kg("deposited"));
    CHECK(removed > 0.05 * m0 * 1e-9);  // a real loss
    CHECK(std::fabs(removed - h.ledger[0].kg("deposited")) / removed < 1e-5);
    CHECK(h.mass_ug(1) == Approx(m1).epsilon(1e-6));  // no deposition velocity, no loss
    CHECK(h.ledger[1].kg("deposited") == 0.0);
}

TEST_CASE("The mass ledger closes with sources, deposition and open boundaries", "[property][ledger]") {
    Config cfg;
    cfg.run.hours = 6;
    cfg.grid = test::cartesian(40, 30, 2000.0, {});
    cfg.grid.layer_faces_m.clear();
    cfg.grid.nz = 8;
    cfg.met.source = MetKind::uniform;
    cfg.met.speed_m_s = 6.0;
    cfg.met.direction_deg = 240.0;
    cfg.met.kz_mode = KzMode::similarity;
    cfg.species.names = {"SO2", "PM25"};
    cfg.species.background_ug_m3 = {{"SO2", 5.0}, {"PM25", 12.0}};
    cfg.species.deposition_velocity_m_s = {{"SO2", 0.008}, {"PM25", 0.002}};
    Simulation probe(cfg);
    PointSource stack{"S1", "stack", probe.grid().lon()[15 * 40 + 8], probe.grid().lat()[15 * 40 + 8], 150.0,
                      {{"SO2", 300.0}, {"PM25", 40.0}}};
    AreaSource town{"A1", "town", 109.95, 39.95, 110.05, 40.05, {{"PM25", 80.0}}};
    Simulation sim(cfg, {stack}, {town});
    sim.run(false);
    for (int s = 0; s < 2; ++s) {
        const SpeciesLedger& l = sim.ledger()[s];
        INFO(sim.ledger().table());
        CHECK(l.kg("emitted") > 0);
        CHECK(l.kg("deposited") > 0);
        CHECK(l.inflow_total_kg() > 0);
        CHECK(l.outflow_total_kg() > 0);
        const double scale = l.initial_kg + l.kg("emitted") + l.inflow_total_kg();
        // 1e-6: float storage rounding over ~100 steps; a missing term would be ≥ 1e-3 of the scale.
        CHECK(std::fabs(l.residual_kg()) / scale < 1e-6);
    }
    // Emitted mass = rate × time exactly (both sources inside the domain).
    CHECK(sim.ledger()[0].kg("emitted") == Approx(300.0e-3 * 6 * 3600).epsilon(1e-9));
    CHECK(sim.ledger()[1].kg("emitted") == Approx((40.0 + 80.0) * 1e-3 * 6 * 3600).epsilon(1e-9));
}
