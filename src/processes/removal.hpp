// Removal inside the column: gravitational settling through the layers and wet scavenging by
// precipitation. Each books its own ledger term. Dry deposition at the ground is in
// processes/deposition.hpp, chemistry in chemistry/.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "processes/process.hpp"
#include "window.hpp"

namespace lantian {

class Settling final : public Process {
public:
    Settling(const Grid& grid, std::vector<int> species, std::vector<double> velocity_m_s);
    ProcessInfo info() const override {
        return {"gravitational settling", "removal", {}, {{"settled", TermKind::removal, "settled", "gravitational settling to the ground"}}, {}};
    }

protected:
    void step_impl(StepContext& ctx) override;

private:
    kernels::GridViews gv_;
    std::vector<int> species_;
    std::vector<double> velocity_m_s_;
    std::vector<double> dz_;         // nz, layer thickness (m)
    std::vector<double> fraction_;   // nz, v_s Δt_sub / Δz_k of the species being settled
    std::vector<double> column_ug_;  // per column (ny*nx), for the ledger
    std::vector<ExactSum> sums_;
};

class WetScavenging final : public Process {
public:
    struct Coefficients {
        int species;
        double a_s, b;  // Λ = min(a P^b, c P) (s-1, P in mm h-1)
        double c_s_per_mm_h = std::numeric_limits<double>::infinity();  // solubility limit; infinite = none
    };
    WetScavenging(const Grid& grid, std::vector<Coefficients> coefficients);
    ProcessInfo info() const override {
        return {"wet scavenging", "removal", {"precip_mm_h"}, {{"wet_deposited", TermKind::removal, "wet", "wet scavenging by precipitation"}}, {}};
    }

protected:
    void step_impl(StepContext& ctx) override;

private:
    kernels::GridViews gv_;
    std::vector<Coefficients> coefficients_;
    std::vector<int> law_of_;                 // per coefficient set: index of its (a, b, c) among the distinct ones
    std::vector<std::vector<double>> keep_;   // per distinct (a, b, c): exp(−Λ Δt) per column, each step
    std::vector<double> column_ug_;  // per column (ny*nx), for the ledger
    std::vector<ExactSum> sums_;
};

// Wet scavenging of a gas from its effective Henry's law constant H* (M atm-1), for species-table
// rows that leave scav_a_s empty (docs/removal.md):
//   Λ = min(a_sol P^b_sol, W P / H_s)
//   W = H* R T / (1 + H* R T L)     equilibrium ratio of the concentration in precipitation water to
//                                  that in air, limited by the liquid water L that holds the gas
//                                  (Hertel et al. 1995, Atmos. Environ. 29, 1267; Seinfeld and
//                                  Pandis 2016, §7.3 for the aqueous fraction H*RTL/(1 + H*RTL))
// with P in m s-1 in the second term, H_s = 3000 m the depth of air that precipitation drains,
// L = 5e-7 (0.5 g m-3 of cloud water), T = 283 K (no temperature dependence of H*), and the ceiling
// a_sol P^b_sol = 2e-5 P^0.62 s-1 of a gas whose uptake is limited by mass transfer, not solubility
// (the species table's SO2 coefficients). H* = 0 gives Λ = 0.
WetScavenging::Coefficients henry_scavenging(int species, double henry_m_atm);

// The Λ (s-1) that Coefficients give at a precipitation rate P (mm h-1), as the kernel computes it.
double scavenging_rate_s(const WetScavenging::Coefficients& c, double precip_mm_h);

}  // namespace lantian
