// Orchestration of settling and wet scavenging; loops in kernels/removal_kernels.
#include "processes/removal.hpp"

#include <algorithm>
#include <cmath>

#include "removal_kernels.hpp"

namespace lantian {

namespace {
constexpr double kKgPerUg = 1e-9;
// Solubility-limited scavenging of gases (henry_scavenging; equation in the header).
constexpr double kGasConstant = 0.082057;  // L atm mol-1 K-1
constexpr double kScavengingT = 283.0;     // K
constexpr double kCloudWater = 5e-7;       // liquid water volume fraction (0.5 g m-3)
constexpr double kDrainedDepth = 3000.0;   // m, H_s
constexpr double kSolubleA = 2.0e-5;       // s-1, a_sol
constexpr double kSolubleB = 0.62;         // b_sol
constexpr double kMmPerHourInMPerS = 1.0 / 3.6e6;
}  // namespace

WetScavenging::Coefficients henry_scavenging(int species, double henry_m_atm) {
    // W = H* R T / (1 + H* R T L); Λ_eq = W P / H_s, P (m s-1) = P (mm h-1) / 3.6e6
    const double hrt = henry_m_atm * kGasConstant * kScavengingT;
    const double w = hrt / (1.0 + hrt * kCloudWater);
    return {species, kSolubleA, kSolubleB, w / kDrainedDepth * kMmPerHourInMPerS};
}

double scavenging_rate_s(const WetScavenging::Coefficients& c, double p) {
    return p > 0 ? std::min(c.a_s * std::pow(p, c.b), c.c_s_per_mm_h * p) : 0.0;
}

Settling::Settling(const Grid& grid, std::vector<int> species, std::vector<double> velocity_m_s)
    : gv_(grid_views(grid, false)), species_(std::move(species)), velocity_m_s_(std::move(velocity_m_s)),
      dz_(grid.dz()), fraction_(dz_.size(), 0.0), column_ug_(grid.columns(), 0.0) {}

void Settling::step_impl(StepContext& ctx) {
    const Parallel& par = ctx.parallel();
    sums_.assign(species_.size(), ExactSum{});
    for (std::size_t n = 0; n < species_.size(); ++n) {
        const double vs = velocity_m_s_[n];
        // Sub-steps so that no layer loses more than its content in one: v_s Δt_sub ≤ Δz_min / 2.
        const double dz_min = *std::min_element(dz_.begin(), dz_.end());
        const int nsub = std::max(1, static_cast<int>(std::ceil(2.0 * vs * ctx.dt_s / dz_min)));
        kernels::SettlingViews v;
        v.nx = gv_.nx;
        v.ny = gv_.ny;
        v.nz = gv_.nz;
        for (int k = 0; k < v.nz; ++k) fraction_[k] = vs * ctx.dt_s / nsub / dz_[k];
        v.fraction_per_layer = fraction_.data();
        v.air_mass_kg = ctx.state.air_mass_kg.data();
        v.q = ctx.state.species(species_[n]);
        v.settled_ug = column_ug_.data();
        v.window = par.window();
        for (int sub = 0; sub < nsub; ++sub) {
            kernels::settle(v);
            add_columns(sums_[n], column_ug_.data(), gv_.nx, gv_.ny, v.window);
        }
    }
    par.reduce(sums_);
    for (std::size_t n = 0; n < species_.size(); ++n) ctx.ledger[species_[n]].term_kg[term(0)] += sums_[n].to_double() * kKgPerUg;
}

WetScavenging::WetScavenging(const Grid& grid, std::vector<Coefficients> coefficients)
    : gv_(grid_views(grid, false)), coefficients_(std::move(coefficients)), column_ug_(grid.columns(), 0.0) {
    // Tracers of the same coefficients (a species, its scenario copies and source tags) share
    // exp(−Λ Δt): computed once per step (a pow and an exp per raining column).
    std::vector<std::size_t> first;
    for (std::size_t n = 0; n < coefficients_.size(); ++n) {
        const Coefficients& c = coefficients_[n];
        std::size_t law = 0;
        while (law < first.size() && !(coefficients_[first[law]].a_s == c.a_s && coefficients_[first[law]].b == c.b &&
                                      coefficients_[first[law]].c_s_per_mm_h == c.c_s_per_mm_h))
            ++law;
        if (law == first.size()) {
            first.push_back(n);
            keep_.emplace_back(grid.columns(), 1.0);
        }
        law_of_.push_back(static_cast<int>(law));
    }
}

void WetScavenging::step_impl(StepContext& ctx) {
    const Parallel& par = ctx.parallel();
    sums_.assign(coefficients_.size(), ExactSum{});
    std::vector<bool> done(keep_.size(), false);
    for (std::size_t n = 0; n < coefficients_.size(); ++n) {
        const Coefficients& c = coefficients_[n];
        const auto law = static_cast<std::size_t>(law_of_[n]);
        kernels::ScavengingViews v;
        v.nx = gv_.nx;
        v.ny = gv_.ny;
        v.nz = gv_.nz;
        v.dt_s = ctx.dt_s;
        v.a_s = c.a_s;
        v.b = c.b;
        v.c_s_per_mm_h = c.c_s_per_mm_h;
        v.precip_mm_h = ctx.met_mid.precip_mm_h.data();
        v.air_mass_kg = ctx.state.air_mass_kg.data();
        v.q = ctx.state.species(c.species);
        v.removed_ug = column_ug_.data();
        v.window = par.window();
        if (!done[law]) {
            kernels::scavenging_keep(v, keep_[law].data());
            done[law] = true;
        }
        v.keep = keep_[law].data();
        kernels::scavenge(v);
        add_columns(sums_[n], column_ug_.data(), gv_.nx, gv_.ny, v.window);
    }
    par.reduce(sums_);
    for (std::size_t n = 0; n < coefficients_.size(); ++n)
        ctx.ledger[coefficients_[n].species].term_kg[term(0)] += sums_[n].to_double() * kKgPerUg;
}

}  // namespace lantian
