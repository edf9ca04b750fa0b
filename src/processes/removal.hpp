// Removal and linear chemistry (DESIGN §3): the dry-deposition resistance model that feeds the
// vertical solve's ground flux, gravitational settling through the layers, wet scavenging, and
// first-order conversions SO2 → SO4, NO2 → NO3, NH3 → NH4. Each books its own ledger line.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "processes/process.hpp"
#include "window.hpp"
#include "state/species_properties.hpp"

namespace lantian {

// Dry-deposition velocities from a resistance model, per species and column.
//   gases:      v_d = 1 / (r_a + r_b + r_c),   r_b = 2/(κ u*) (Sc/Pr)^(2/3)          (Wesely 1989)
//   particles:  v_d = 1 / (r_a + r_b + r_a r_b v_s) + v_s,
//               r_b = 1 / (u* (Sc^(−2/3) + 10^(−3/St))),  St = v_s u*² / (g ν)     (Seinfeld & Pandis 2016, §19.3)
//   r_a = [ln(z_r/z0) − ψ_h(z_r/L) + ψ_h(z0/L)] / (κ u*),  z_r the lowest layer's centre.
// With settling as its own process, the particles' ground flux uses v_d − v_s (settling brings
// the rest). Species in `constant_m_s` use that constant instead; species absent from the table
// (passive tracers) do not deposit.
class DryDeposition {
public:
    DryDeposition(const Grid& grid, const std::vector<std::string>& species, const SpeciesPropertiesTable& table,
                  const std::map<std::string, double>& constant_m_s, const RemovalConfig& cfg, double z0_m);
    // v_d (m s-1) into out[s*plane + column].
    // Columns of `window` only (the rest of `out` is left as it was; sized nspec*ny*nx).
    void velocities(const MetState& met, std::vector<double>& out, const kernels::Window& window = {}) const;
    // Stokes settling velocity with slip correction (m s-1) of a species; 0 for gases.
    double settling_velocity(int s) const { return settling_m_s_[s]; }

private:
    const Grid& grid_;
    int nspec_;
    std::vector<SpeciesProperties> props_;  // copies: the table need not outlive this
    std::vector<double> constant_;     // < 0: use the model
    std::vector<double> settling_m_s_;
    std::vector<double> schmidt_;      // particles: ν / D_Brownian; gases: ν / D_gas
    RemovalConfig cfg_;
    double z0_m_;
};

// Stokes settling velocity with the Cunningham slip correction (m s-1):
//   v_s = ρ_p d² g C_c / (18 μ),  C_c = 1 + (2λ/d)(1.257 + 0.4 e^{−1.1 d / (2λ)})
double stokes_settling_velocity(double diameter_m, double density_kg_m3);

class Settling final : public Process {
public:
    Settling(const Grid& grid, std::vector<int> species, std::vector<double> velocity_m_s);
    const char* name() const override { return "gravitational settling"; }

protected:
    void step_impl(StepContext& ctx) override;

private:
    kernels::GridViews gv_;
    std::vector<int> species_;
    std::vector<double> velocity_m_s_;
    std::vector<double> dz_, column_ug_;  // per column (ny*nx), for the ledger
    std::vector<ExactSum> sums_;
};

class WetScavenging final : public Process {
public:
    struct Coefficients {
        int species;
        double a_s, b;  // Λ = a P^b (s-1, P in mm h-1)
    };
    WetScavenging(const Grid& grid, std::vector<Coefficients> coefficients);
    const char* name() const override { return "wet scavenging"; }

protected:
    void step_impl(StepContext& ctx) override;

private:
    kernels::GridViews gv_;
    std::vector<Coefficients> coefficients_;
    std::vector<double> column_ug_;  // per column (ny*nx), for the ledger
    std::vector<ExactSum> sums_;
};

// First-order conversions with weather-dependent rates (kernels/removal_kernels.hpp gives the
// rate law). Rate sources: gas-phase SO2 + OH ~1% h-1 and NO2 + OH ~10% h-1 at midday
// (Seinfeld & Pandis 2016, ch. 6); heterogeneous sulfate of 10–20% h-1 in humid winter haze in
// northern China (Zheng et al. 2015, ACP 15, 2031; Wang et al. 2016, PNAS 113, 13630); night-time
// N2O5 hydrolysis; ammonia uptake as NH4 first order in NH3, which keeps the chemistry linear (the
// true neutralisation, NH4 ≤ 2 SO4 + NO3 in moles, is a non-linear min() that superposition cannot
// carry; NH4 can never exceed the NH3 it consumes).
class Chemistry final : public Process {
public:
    struct Conversion {
        int from, to;
        double mass_ratio;  // M_to / M_from
        double k_day_s, k_night_s, k_rh_s, k_het_s, rh_threshold;
        std::string label;  // "SO2 -> SO4"
    };
    // The conversions whose two species are both present; `skipped` receives the others.
    static std::vector<Conversion> conversions(const std::vector<std::string>& species, const ChemistryConfig& cfg,
                                               const SpeciesPropertiesTable& table, std::vector<std::string>& skipped);
    Chemistry(const Grid& grid, std::vector<Conversion> conversions);
    const char* name() const override { return "chemistry"; }

protected:
    void step_impl(StepContext& ctx) override;

private:
    const Grid& grid_;
    kernels::GridViews gv_;
    std::vector<Conversion> conversions_;
    std::vector<double> cos_zenith_, column_ug_;  // per column (ny*nx), for the ledger
    std::vector<ExactSum> sums_;
    std::vector<std::vector<double>> fraction_;  // per distinct rate law (label), shared by all scenarios
    std::vector<int> law_of_;                    // conversion → index into fraction_
    std::vector<std::size_t> law_first_;         // rate law → its first conversion
};

// Cosine of the solar zenith angle at a place and time (declination from the day of year, hour
// angle from UTC and longitude; no equation of time: ±4 min).
double cos_solar_zenith(double lat_deg, double lon_deg, double epoch_s);

}  // namespace lantian
