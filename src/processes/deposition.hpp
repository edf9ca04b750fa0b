// Dry deposition in one place: the velocities (a resistance model, or constants per species), the
// ground-flux coefficients v_d ρ_0 A that the implicit vertical solve applies (the solve itself is
// VerticalMixing, kernels/diffusion_kernels.hpp), and the ledger term that solve books. Also the
// particles' Stokes settling velocity, which both deposition and settling use.
#pragma once

#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "grid/grid.hpp"
#include "met/met_state.hpp"
#include "state/ledger.hpp"
#include "processes/wesely.hpp"
#include "state/species_properties.hpp"
#include "window.hpp"

namespace lantian {

// Dry-deposition velocities from a resistance model, per species and column.
//   gases:      v_d = 1 / (r_a + r_b + r_c),   r_b = 2/(κ u*) (Sc/Pr)^(2/3)          (Wesely 1989)
//               r_c: the species table's rc_<land class> value when given; an empty cell is the
//               Wesely (1989) surface resistance of the gas from its H* and f0 (processes/wesely.hpp)
//               for the season, with the clear-sky radiation of the column's sun and its 2 m
//               temperature. Gases with H* = f0 = 0 (radicals, operators) do not deposit.
//   particles:  v_d = 1 / (r_a + r_b + r_a r_b v_s) + v_s,
//               r_b = 1 / (u* (Sc^(−2/3) + 10^(−3/St))),  St = v_s u*² / (g ν)     (Seinfeld & Pandis 2016, §19.3)
//   r_a = [ln(z_r/z0) − ψ_h(z_r/L) + ψ_h(z0/L)] / (κ u*),  z_r the lowest layer's centre.
// With settling as its own process, the particles' ground flux uses v_d − v_s (settling brings
// the rest). Species in `constant_m_s` use that constant instead; species absent from the table
// (passive tracers) do not deposit.
class DryDeposition {
public:
    DryDeposition(const Grid& grid, const std::vector<std::string>& species, const SpeciesPropertiesTable& table,
                  const std::map<std::string, double>& constant_m_s, const RemovalConfig& cfg, double z0_m,
                  WeselySeason season = WeselySeason::winter_snow);
    // Constant velocities per species (m s-1), no resistance model (tests, benchmarks).
    static std::shared_ptr<const DryDeposition> constant(const Grid& grid, std::vector<double> velocity_m_s);

    // v_d (m s-1) into out[s*plane + column], for the columns of `window` (the rest of `out` is left
    // as it was; sized nspec*ny*nx). `epoch_s` (s since 1970 UTC) places the sun for the stomatal
    // resistance of the Wesely model; NaN uses kReferenceRadiation in every column.
    void velocities(const MetState& met, std::vector<double>& out, const kernels::Window& window = {},
                    double epoch_s = kNoTime) const;
    // Ground-flux coefficient of the implicit solve, v_d ρ_0 A (kg s-1), into out[s*plane + column]
    // for the columns of `window`; `scratch` holds the velocities.
    void flux_coefficients(const MetState& met, const double* area_m2, std::vector<double>& scratch, std::vector<double>& out,
                           const kernels::Window& window, double epoch_s = kNoTime) const;
    // Surface resistance r_c (s m-1) of species s in the run's land class and season under global
    // radiation G (W m-2) and surface temperature (°C): the table's value or the Wesely model's;
    // kWeselyNoPath for species that do not deposit.
    double surface_resistance(int s, double solar_w_m2, double t_surface_c) const;
    WeselySeason season() const { return season_; }

    static constexpr double kNoTime = std::numeric_limits<double>::quiet_NaN();
    static constexpr double kReferenceRadiation = 600.0;  // W m-2, G when no time is given
    // Stokes settling velocity with slip correction (m s-1) of a species; 0 for gases.
    double settling_velocity(int s) const { return settling_m_s_[s]; }
    int species() const { return nspec_; }

    // The ledger term of the mass the ground flux removes.
    static LedgerTerm ledger_term() { return {"deposited", TermKind::deposition, "deposited", "dry deposition at the ground"}; }

private:
    DryDeposition(const Grid& grid, int nspec) : grid_(grid), nspec_(nspec) {}
    const Grid& grid_;
    int nspec_;
    std::vector<SpeciesProperties> props_;  // copies: the table need not outlive this
    std::vector<double> constant_;          // < 0: use the model
    std::vector<double> settling_m_s_;
    std::vector<double> schmidt_;           // particles: ν / D_Brownian; gases: ν / D_gas
    bool any_model_ = false;                // some species use the resistance model
    RemovalConfig cfg_;
    double z0_m_ = 0.1;
    WeselySeason season_ = WeselySeason::winter_snow;
    WeselyCell cell_{};                     // Wesely's Table 1 for the land class and season
    std::vector<char> wesely_;              // per species: r_c from the Wesely model (empty rc_ cell)
    std::vector<WeselyGas> gas_;            // per species: H*, f0, D ratio
    bool any_wesely_ = false;
};

// Stokes settling velocity with the Cunningham slip correction (m s-1):
//   v_s = ρ_p d² g C_c / (18 μ),  C_c = 1 + (2λ/d)(1.257 + 0.4 e^{−1.1 d / (2λ)})
double stokes_settling_velocity(double diameter_m, double density_kg_m3);

}  // namespace lantian
