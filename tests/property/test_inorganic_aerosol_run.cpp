// The inorganic aerosol in 3-D photochemical runs (issue 18; docs/aerosol-equilibrium.md): on the
// winter haze example the element books of S and N close to round-off with the equilibrium and the
// aqueous sulfate at work, the run is bit-identical for 1 and 2 threads, the aqueous and
// heterogeneous paths make sulfate in the humid low-light haze, and the aerosol water and pH
// diagnostics are filled where the particles are wet.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "config/config_parser.hpp"
#include "simulation/simulation.hpp"
#include "state/species_properties.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {

Config winter(std::vector<std::string> extra) {
    std::vector<std::string> o = {"grid.nx=10", "grid.ny=8", "grid.center_lon=109.95", "grid.center_lat=40.62",
                                  "receptors.stations=", "receptors.cities=", "output.aerosol_diagnostics=false"};
    o.insert(o.end(), extra.begin(), extra.end());
    return load_config(std::string(LANTIAN_SOURCE_DIR) + "/configs/winter_haze_baotou.ini", o);
}

int index_of(const Simulation& sim, const std::string& name) {
    const auto& sp = sim.layout().species;
    const auto it = std::find(sp.begin(), sp.end(), name);
    REQUIRE(it != sp.end());
    return static_cast<int>(it - sp.begin());
}

// kmol of S and of N that chemistry moved into (>0) or out of (<0) one species.
double kmol(const Simulation& sim, const std::string& name) {
    const SpeciesPropertiesTable table = SpeciesPropertiesTable::builtin();
    return sim.ledger()[index_of(sim, name)].kg("chemistry") / table.find(name)->molar_mass_g_mol;
}

}  // namespace

TEST_CASE("Winter haze: the aerosol equilibrium and aqueous sulfate keep S and N to round-off", "[property][aerosol]") {
    Simulation sim(winter({"run.hours=12"}));
    sim.run(false);
    // Particulate nitrate and ammonium formed from the gases (the equilibrium moved N both ways).
    const double no3 = kmol(sim, "NO3"), nh4 = kmol(sim, "NH4"), nh3 = kmol(sim, "NH3");
    const double so4 = kmol(sim, "SO4"), so2 = kmol(sim, "SO2"), sulf = kmol(sim, "SULF");
    CAPTURE(no3, nh4, nh3, so4, so2, sulf);
    CHECK(no3 > 0);
    CHECK(nh4 > 0);
    CHECK(nh3 < 0);
    CHECK(so4 > 0);
    CHECK(so2 < 0);
    // S: SO2 + SULF + SO4 (the mechanism's other S species: none). Single-precision storage per
    // step leaves round-off of the transfers.
    CHECK(std::fabs(so2 + sulf + so4) < 1e-5 * std::fabs(so4));
    // N: the full books, as the run's own element-book summary computes them.
    double n_net = 0, n_moved = 0;
    for (const char* s : {"NH3", "NH4", "NO3"}) {
        n_net += kmol(sim, s);
        n_moved += std::fabs(kmol(sim, s));
    }
    // NH3 ↔ NH4 and HNO3 ↔ NO3 are the only changes of NH3, NH4, NO3: NH3 + NH4 balance on their own.
    CHECK(std::fabs(kmol(sim, "NH3") + kmol(sim, "NH4")) < 1e-5 * std::fabs(kmol(sim, "NH4")));
    CAPTURE(n_net, n_moved);  // the net change is HNO3 made or taken up; reported with any failure
    CHECK(n_moved > 0);
    // Non-negative and finite everywhere; every tracer's books close.
    bool ok = true;
    for (real v : sim.state().q) ok = ok && std::isfinite(v) && v >= 0;
    CHECK(ok);
    for (int s = 0; s < sim.ledger().size(); ++s) {
        const SpeciesLedger& r = sim.ledger()[s];
        const double scale = r.initial_kg + r.kg("emitted") + r.inflow_total_kg() + std::fabs(r.kg("chemistry")) + 1e-12;
        CHECK(std::fabs(r.residual_kg()) < 1e-6 * scale);
    }
}

TEST_CASE("Winter haze with the aerosol equilibrium is bit-identical with 1 and 2 OpenMP threads", "[property][aerosol][threads]") {
    const Config cfg = winter({"run.hours=3"});
    const auto one = test::final_tracers_with_threads(cfg, 1);
    const auto two = test::final_tracers_with_threads(cfg, 2);
    REQUIRE(one.size() == two.size());
    CHECK(one == two);
}

TEST_CASE("Winter haze: aqueous and heterogeneous oxidation make sulfate; the equilibrium makes nitrate", "[property][aerosol]") {
    auto so4_made = [](std::vector<std::string> extra) {
        extra.push_back("run.hours=12");
        Simulation sim(winter(extra));
        sim.run(false);
        return std::pair{kmol(sim, "SO4"), kmol(sim, "NO3")};
    };
    const auto [so4_all, no3_all] = so4_made({});
    const auto [so4_gas, no3_gas] = so4_made({"chemistry.aqueous_sulfate=false"});
    const auto [so4_off, no3_off] = so4_made({"chemistry.aerosol_equilibrium=off"});
    CAPTURE(so4_all, so4_gas, so4_off, no3_all, no3_off);
    // In the low-light, humid winter haze the gas-phase OH path alone makes little sulfate.
    CHECK(so4_all > 1.5 * so4_gas);
    // Without the equilibrium, chemistry never turns HNO3 into particulate nitrate.
    CHECK(no3_off == 0);
    CHECK(no3_all > 0);
}

TEST_CASE("Winter haze: aerosol water and pH are written where the particles are wet", "[property][aerosol]") {
    Simulation sim(winter({"run.hours=2", "output.aerosol_diagnostics=true"}));
    sim.run(false);
    const real* water = sim.state().diagnostic(kAerosolWater);
    const real* ph = sim.state().diagnostic(kAerosolPh);
    REQUIRE(water);
    REQUIRE(ph);
    const std::size_t n = sim.state().field_size();
    std::size_t wet = 0;
    for (std::size_t c = 0; c < n; ++c) {
        REQUIRE(std::isfinite(water[c]));
        REQUIRE(water[c] >= 0);
        if (water[c] > 0) {
            ++wet;
            REQUIRE(ph[c] > -2);
            REQUIRE(ph[c] < 8);
        } else {
            REQUIRE(ph[c] == kDiagnosticFill);
        }
    }
    // At RH 80% and −15 °C the ammonium sulfate–nitrate particles are (partly) deliquesced.
    CHECK(wet > n / 2);
}
