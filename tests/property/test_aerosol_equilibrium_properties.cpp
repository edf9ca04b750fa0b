// A property of the sulfate–nitrate–ammonium equilibrium (kernels/aerosol_equilibrium) over a wide
// random range of air: every N and S conserved, amounts non-negative, the solve converged (moved
// here from tests/unit/test_aerosol_equilibrium.cpp: tests/check_labels.sh wants [property] cases
// in tests/property/). docs/aerosol-equilibrium.md.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "aerosol_equilibrium.hpp"

using namespace lantian::kernels;

namespace {
constexpr double kR = 8.314462618, kAtm = 101325.0;
double air_1atm(double T) { return kAtm / (kR * T); }
double mol(double ug, double molar_mass) { return ug * 1e-6 / molar_mass; }
}  // namespace

TEST_CASE("The equilibrium conserves every N and S and converges over a wide range of air", "[aerosol][property]") {
    std::mt19937 gen(18);
    std::uniform_real_distribution<double> T(245.0, 310.0), rh(0.05, 0.99), lg(-2.0, 2.0);
    int not_converged = 0, cases = 0;
    for (int n = 0; n < 3000; ++n) {
        EquilibriumInput in;
        in.T_K = T(gen);
        in.rh = rh(gen);
        in.air_mol_m3 = air_1atm(in.T_K);
        in.so4_mol_m3 = mol(std::pow(10.0, lg(gen)), 96.06);
        in.nh3_total_mol_m3 = mol(std::pow(10.0, lg(gen)), 17.03);
        in.hno3_total_mol_m3 = mol(std::pow(10.0, lg(gen)), 63.01);
        for (AerosolBranch b : {AerosolBranch::stable, AerosolBranch::metastable}) {
            EquilibriumResult r;
            solve_equilibrium(in, b, r);
            INFO("T " << in.T_K << " RH " << in.rh << " TS " << in.so4_mol_m3 << " TA " << in.nh3_total_mol_m3 << " TN "
                      << in.hno3_total_mol_m3 << " branch " << static_cast<int>(b));
            // The fixed point converges to 1e-8 but in rare concentrated free-acid solutions, where
            // the best iterate is used: its residual stays small (docs/aerosol-equilibrium.md).
            ++cases;
            if (!r.converged) {
                ++not_converged;
                REQUIRE(r.residual < 0.02);
            }
            REQUIRE(r.nh3_gas_mol_m3 >= 0);
            REQUIRE(r.hno3_gas_mol_m3 >= 0);
            REQUIRE(r.nh4_mol_m3 >= 0);
            REQUIRE(r.no3_mol_m3 >= 0);
            REQUIRE(r.nh3_gas_mol_m3 + r.nh4_mol_m3 == Approx(in.nh3_total_mol_m3).epsilon(1e-14));
            REQUIRE(r.hno3_gas_mol_m3 + r.no3_mol_m3 == Approx(in.hno3_total_mol_m3).epsilon(1e-14));
            REQUIRE(std::isfinite(r.water_kg_m3));
            if (r.water_kg_m3 > 0) REQUIRE(std::isfinite(r.ph));
        }
    }
    CHECK(not_converged <= cases / 1000);
}
