// Removal and linear chemistry against analytic solutions: a well-mixed box loses mass as
// exp(−v_d t / h) to dry deposition and as exp(−Λ t) to scavenging; SO2 → SO4 follows the
// first-order solution; settling conserves mass; sulfur and nitrogen are conserved by chemistry.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <vector>

#include "config/config_parser.hpp"
#include "chemistry/linear_mechanism.hpp"
#include "chemistry_kernels.hpp"
#include "processes/deposition.hpp"
#include "processes/mixing.hpp"
#include "processes/removal.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;
using lantian::test::Harness;
using lantian::test::WindXY;

namespace {
std::vector<double> faces(int nz, double top) {
    std::vector<double> f(nz + 1);
    for (int k = 0; k <= nz; ++k) f[k] = top * k / nz;
    return f;
}
MetState still_air(const Grid& g, double kz) {
    return test::hand_made_met(g, 1.2, [](double, double, double) { return WindXY{0, 0}; }, kz);
}
double total_mass(const Harness& h, int s) { return h.mass_ug(s); }
}  // namespace

TEST_CASE("A well-mixed box with constant deposition velocity decays as exp(-v t / h)", "[property][removal]") {
    const double h_m = 500, vd = 0.01, t_end = 12 * 3600.0, dt = 300;
    Harness box(test::cartesian(4, 4, 1000.0, faces(10, h_m)), 1);
    const MetState met = still_air(box.grid, 200.0);  // K_z 200 m2 s-1: mixed in minutes
    box.set_air_mass(met);
    std::fill(box.state.q.begin(), box.state.q.end(), real(100));
    box.processes.push_back(std::make_unique<VerticalMixing>(box.grid, 1, EmissionTable{}, std::vector<double>{vd}, true));
    const double m0 = total_mass(box, 0);
    for (double t = 0; t < t_end - 1; t += dt) box.step(met, dt);
    const double expected = m0 * std::exp(-vd * t_end / h_m);
    CAPTURE(total_mass(box, 0) / m0, expected / m0);
    CHECK(total_mass(box, 0) == Approx(expected).epsilon(0.01));  // 1%: implicit Euler and the mixing time
    CHECK(box.ledger[0].kg("deposited") * 1e9 == Approx(m0 - total_mass(box, 0)).epsilon(1e-6));
}

TEST_CASE("Wet scavenging decays as exp(-Lambda t) with Lambda = a P^b", "[property][removal]") {
    Harness box(test::cartesian(4, 4, 1000.0, faces(5, 2000)), 1);
    MetState met = still_air(box.grid, 0.0);
    for (auto& p : met.precip_mm_h) p = 2.0;
    box.set_air_mass(met);
    std::fill(box.state.q.begin(), box.state.q.end(), real(50));
    const double a = 1e-4, b = 0.8, lambda = a * std::pow(2.0, b);
    box.processes.push_back(std::make_unique<WetScavenging>(box.grid, std::vector<WetScavenging::Coefficients>{{0, a, b}}));
    const double m0 = total_mass(box, 0);
    for (int n = 0; n < 36; ++n) box.step(met, 600);
    const double expected = m0 * std::exp(-lambda * 36 * 600);
    CHECK(total_mass(box, 0) == Approx(expected).epsilon(1e-5));  // exact per step up to float storage
    CHECK(box.ledger[0].kg("wet_deposited") * 1e9 == Approx(m0 - total_mass(box, 0)).epsilon(1e-5));
    CHECK(total_mass(box, 0) < 0.5 * m0);  // the test is not vacuous
}

TEST_CASE("Settling moves mass down and out at the ground, conserving it", "[property][removal]") {
    Harness box(test::cartesian(4, 4, 1000.0, faces(10, 100)), 1);
    const MetState met = still_air(box.grid, 0.0);
    box.set_air_mass(met);
    std::fill(box.state.q.begin(), box.state.q.end(), real(80));
    const double vs = 0.01;  // m s-1
    box.processes.push_back(std::make_unique<Settling>(box.grid, std::vector<int>{0}, std::vector<double>{vs}));
    const double m0 = total_mass(box, 0);
    for (int n = 0; n < 60; ++n) box.step(met, 60);  // 1 h: 36 m fall
    const double settled = box.ledger[0].kg("settled") * 1e9;
    CHECK(settled > 0.3 * m0);
    CHECK(total_mass(box, 0) + settled == Approx(m0).epsilon(1e-6));
    // The top layer empties from above: it has lost v_s t / Δz of its content (upwind, no inflow).
    const std::size_t top = (box.grid.nz() - 1) * box.grid.columns();
    CHECK(box.state.q[top] == Approx(80 * std::pow(1 - vs * 60 / 10.0, 60)).epsilon(1e-4));
}

TEST_CASE("Settling works on every layer of a grid with more than 64 layers", "[property][removal]") {
    // 150 layers of 10 m (grid.nz goes to 200): the top layers empty from above and the layers in
    // between pass mass on (issue 13: layers from 64 up were ignored, and layer 63 acted as the top).
    Harness box(test::cartesian(4, 4, 1000.0, faces(150, 1500)), 1);
    const MetState met = still_air(box.grid, 0.0);
    box.set_air_mass(met);
    std::fill(box.state.q.begin(), box.state.q.end(), real(80));
    const double vs = 0.01;  // m s-1
    box.processes.push_back(std::make_unique<Settling>(box.grid, std::vector<int>{0}, std::vector<double>{vs}));
    const double m0 = total_mass(box, 0);
    for (int n = 0; n < 60; ++n) box.step(met, 60);  // 1 h: 36 m fall
    const std::size_t plane = box.grid.columns();
    const double top_expected = 80 * std::pow(1 - vs * 60 / 10.0, 60);
    CHECK(box.state.q[149 * plane] == Approx(top_expected).epsilon(1e-4));
    CHECK(box.state.q[148 * plane] < 80 * 0.9);                       // the layer below loses too
    CHECK(box.state.q[100 * plane] == Approx(80).epsilon(1e-5));       // in between: in = out
    CHECK(box.state.q[63 * plane] == Approx(80).epsilon(1e-5));        // not a top layer
    const double settled = box.ledger[0].kg("settled") * 1e9;
    CHECK(settled > 0);
    CHECK(total_mass(box, 0) + settled == Approx(m0).epsilon(1e-6));
}

TEST_CASE("SO2 to SO4 in a box follows the first-order solution and conserves sulfur", "[property][chemistry]") {
    Harness box(test::cartesian(4, 4, 1000.0, faces(4, 400)), 2);
    MetState met = still_air(box.grid, 0.0);
    for (auto& rh : met.rh_frac) rh = 0.9;
    box.set_air_mass(met);
    std::fill(box.state.q.begin(), box.state.q.begin() + box.state.field_size(), real(60));  // SO2
    std::fill(box.state.q.begin() + box.state.field_size(), box.state.q.end(), real(5));     // SO4
    ChemistryConfig cc;
    cc.so2_gas_per_h = 0;  // heterogeneous path only (no sun needed): k = k_het ((0.9 − 0.5)/0.5)²
    const double k = cc.so2_het_per_h / 3600.0 * 0.64;
    const LinearMechanism mechanism({"SO2", "SO4"}, cc, SpeciesPropertiesTable::builtin());
    REQUIRE(mechanism.conversions().size() == 1);
    box.processes.push_back(mechanism.make_process(box.grid, {{"SO2", "SO4"}, 1}));
    const double so2_0 = total_mass(box, 0), so4_0 = total_mass(box, 1);
    const double t = 24 * 3600.0;
    for (int n = 0; n < 96; ++n) box.step(met, 900);
    const double so2 = so2_0 * std::exp(-k * t);
    CHECK(total_mass(box, 0) == Approx(so2).epsilon(1e-5));
    CHECK(total_mass(box, 1) == Approx(so4_0 + (so2_0 - so2) * 96.06 / 64.07).epsilon(1e-5));
    // Sulfur: 32.06/64.07 of SO2 plus 32.06/96.06 of SO4 is what it was.
    const double s0 = so2_0 * 32.06 / 64.07 + so4_0 * 32.06 / 96.06;
    const double s1 = total_mass(box, 0) * 32.06 / 64.07 + total_mass(box, 1) * 32.06 / 96.06;
    CHECK(s1 == Approx(s0).epsilon(1e-6));
    CHECK(box.ledger[0].kg("chemistry") * 32.06 / 64.07 + box.ledger[1].kg("chemistry") * 32.06 / 96.06 ==
          Approx(0.0).margin(1e-9 * s0 * 1e-9));
}

TEST_CASE("A full run conserves sulfur and nitrogen through chemistry and closes every ledger", "[property][chemistry][ledger]") {
    Config cfg = load_config(std::string(LANTIAN_SOURCE_DIR) + "/configs/episode_baotou.ini",
                             {"run.hours=12", "grid.nx=40", "grid.ny=30", "met.relative_humidity=0.85", "receptors.stations=",
                              "receptors.cities="});
    Simulation sim(cfg);
    sim.run(false);
    const auto& names = cfg.species.names;
    auto index = [&](const std::string& n) { return static_cast<int>(std::find(names.begin(), names.end(), n) - names.begin()); };
    const auto& L = sim.ledger();
    // Element mass moved by chemistry (kg of S, kg of N): the gains equal the losses.
    const double s_net = L[index("SO2")].kg("chemistry") * 32.06 / 64.07 + L[index("SO4")].kg("chemistry") * 32.06 / 96.06;
    const double s_moved = -L[index("SO2")].kg("chemistry") * 32.06 / 64.07;
    const double n_net = L[index("NO2")].kg("chemistry") * 14.007 / 46.01 + L[index("NO3")].kg("chemistry") * 14.007 / 62.00 +
                         L[index("NH3")].kg("chemistry") * 14.007 / 17.03 + L[index("NH4")].kg("chemistry") * 14.007 / 18.04;
    const double n_moved = -L[index("NO2")].kg("chemistry") * 14.007 / 46.01 - L[index("NH3")].kg("chemistry") * 14.007 / 17.03;
    CAPTURE(s_net, s_moved, n_net, n_moved);
    CHECK(s_moved > 0);
    CHECK(n_moved > 0);
    CHECK(std::fabs(s_net) < 1e-9 * s_moved);  // round-off of the molar-mass ratios in double
    CHECK(std::fabs(n_net) < 1e-9 * n_moved);
    for (int s = 0; s < L.size(); ++s) {
        INFO(names[s]);
        const SpeciesLedger& r = L[s];
        CHECK(std::fabs(r.residual_kg()) < 1e-7 * (r.initial_kg + r.kg("emitted") + r.inflow_total_kg() + std::max(0.0, r.kg("chemistry"))));
    }
    CHECK(L[index("PMC")].kg("settled") > 0);
    CHECK(L[index("SO2")].kg("deposited") > 0);
}

TEST_CASE("Every reaction of the linear mechanism balances the elements its species declare", "[property][chemistry]") {
    const LinearMechanism m({"SO2", "SO4", "NO2", "NO3", "NH3", "NH4"}, ChemistryConfig{}, SpeciesPropertiesTable::builtin());
    REQUIRE(m.reactions().size() == 3);
    REQUIRE(m.conversions().size() == 3);
    for (const Reaction& r : m.reactions())
        for (const char* element : {"S", "N"}) {
            CAPTURE(r.label, element);
            CHECK(element_imbalance(m, r, element) == 0.0);
        }
    // The check can fail: a reaction that makes two SO4 from one SO2 creates sulfur.
    const Reaction wrong{"SO2 -> 2 SO4", {{"SO2", 1}}, {{"SO4", 2}}};
    CHECK(element_imbalance(m, wrong, "S") == 1.0);
    // Conversions whose product is not carried are left out and said so.
    const LinearMechanism partial({"SO2", "NO2", "NO3"}, ChemistryConfig{}, SpeciesPropertiesTable::builtin());
    CHECK(partial.conversions().size() == 1);
    REQUIRE(partial.skipped().size() == 1);
    CHECK(partial.skipped()[0].find("SO2 -> SO4") != std::string::npos);
}

TEST_CASE("the converted fraction is 1 - exp(-k dt) on both of its paths (series and expm1)", "[property][chemistry]") {
    // One column of layers whose relative humidity spans both paths: the heterogeneous rate makes
    // k Δt run from 0 (dry) through the series' limit (0.25) up to about 5.
    const int nx = 3, ny = 2, nz = 400;
    std::vector<double> cz = {0.8, -0.1, 0.0, 0.3, 1.0, -0.5};
    std::vector<double> rh(static_cast<std::size_t>(nx) * ny * nz), f(rh.size(), -7.0);
    for (std::size_t c = 0; c < rh.size(); ++c) rh[c] = static_cast<double>(c % 997) / 996.0;
    kernels::ConversionRateViews v;
    v.nx = nx;
    v.ny = ny;
    v.nz = nz;
    v.dt_s = 900.0;
    v.k_day_s = 2e-5;
    v.k_night_s = 1e-5;
    v.k_rh_s = 3e-6;
    v.k_het_s = 5e-3;
    v.rh_threshold = 0.5;
    v.cos_zenith = cz.data();
    v.rh_frac = rh.data();
    v.fraction = f.data();
    kernels::conversion_fraction(v);
    int series = 0, libm = 0;
    double worst = 0.0;
    for (std::size_t c = 0; c < rh.size(); ++c) {
        const double z = cz[c % (nx * ny)], h = rh[c];
        const double x_het = (h - 0.5) / 0.5;
        const double k = v.k_day_s * std::max(z, 0.0) + (z <= 0 ? v.k_night_s * h : 0.0) + v.k_rh_s * h +
                         (h > 0.5 ? v.k_het_s * x_het * x_het : 0.0);
        const double exact = -std::expm1(-k * v.dt_s);
        (k * v.dt_s <= 0.25 ? series : libm) += 1;
        REQUIRE(f[c] >= 0.0);
        REQUIRE(f[c] <= 1.0);
        worst = std::max(worst, std::fabs(f[c] - exact) / std::max(exact, 1e-300));
    }
    INFO("cells on the series " << series << ", on expm1 " << libm << ", worst relative difference " << worst);
    CHECK(series > 100);
    CHECK(libm > 100);
    CHECK(worst < 1e-15);
}
