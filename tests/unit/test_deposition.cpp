// Dry deposition (processes/deposition.hpp): the resistance model's velocities against hand
// computation, the Stokes settling velocity, and passive tracers that do not deposit.
#include <catch2/catch.hpp>
#include <cmath>

#include "processes/deposition.hpp"
#include "support/test_support.hpp"

using namespace lantian;
using lantian::test::WindXY;

namespace {
MetState still_air(const Grid& g, double kz) {
    return test::hand_made_met(g, 1.2, [](double, double, double) { return WindXY{0, 0}; }, kz);
}
}  // namespace

TEST_CASE("Dry deposition velocities match hand-computed resistances", "[unit][removal]") {
    GridConfig gc = test::cartesian(4, 4, 1000.0, {0, 30, 100});
    const Grid g(gc);
    RemovalConfig rc;  // cropland
    rc.settling = false;
    const SpeciesPropertiesTable table = SpeciesPropertiesTable::builtin();
    const DryDeposition dep(g, {"SO2", "PMC", "TRACER"}, table, {}, rc, 0.1);
    MetState met = still_air(g, 1.0);
    for (auto& u : met.ustar_m_s) u = 0.3;
    for (auto& l : met.mo_length_m) l = 1e8;  // neutral
    std::vector<double> vd;
    dep.velocities(met, vd);
    // r_a = ln(15/0.1)/(0.4·0.3) = 41.755; r_b = 2/(0.4·0.3)·(Sc/Pr)^(2/3) = 23.184 with
    // Sc = 1.5e-5/(2.4e-5/1.89); r_c(cropland) = 200 s/m → v_d = 1/264.94 = 3.7744e-3 m/s.
    CHECK(vd[0] == Approx(3.774449604e-3).epsilon(1e-6));
    // Stokes velocity of 5 µm, 2000 kg m-3 particles with slip: C_c = 1.032682 → 1.554728e-3 m/s.
    CHECK(stokes_settling_velocity(5e-6, 2000) == Approx(1.554728425e-3).epsilon(1e-6));
    CHECK(dep.settling_velocity(1) == Approx(1.554728425e-3).epsilon(1e-6));
    CHECK(vd[2 * g.columns()] == 0.0);  // a passive tracer does not deposit
    // Stable air deposits less than neutral air (larger r_a).
    for (auto& l : met.mo_length_m) l = 20;
    std::vector<double> stable;
    dep.velocities(met, stable);
    CHECK(stable[0] < vd[0]);
}

