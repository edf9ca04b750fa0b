// Turbulent mixing processes: vertical (implicit, with emissions and dry deposition as fluxes in
// the same solve; the deposition velocities come from processes/deposition) and horizontal
// (explicit, sub-stepped to stay stable).
#pragma once

#include <memory>
#include <vector>

#include "config/config.hpp"
#include "advection_kernels.hpp"
#include "diffusion_kernels.hpp"
#include "emissions/sources.hpp"
#include "processes/deposition.hpp"
#include "processes/process.hpp"

namespace lantian {

class VerticalMixing final : public Process {
public:
    // Dry deposition at the ground from `deposition` (its velocities and flux coefficients).
    VerticalMixing(const Grid& grid, int nspec, EmissionTable emissions, std::shared_ptr<const DryDeposition> deposition,
                   bool diffuse);
    // deposition_velocity_m_s: per species, constant dry-deposition velocity at the ground.
    VerticalMixing(const Grid& grid, int nspec, EmissionTable emissions, std::vector<double> deposition_velocity_m_s,
                   bool diffuse);
    ProcessInfo info() const override;
    // The rates the next step emits; the emission model rewrites them when they change.
    EmissionTable& emissions() { return emissions_; }

protected:
    void step_impl(StepContext& ctx) override;

private:
    kernels::GridViews gv_;
    int nspec_;
    EmissionTable emissions_;
    std::shared_ptr<const DryDeposition> deposition_model_;
    bool diffuse_;
    FieldVector<double> exchange_;  // (huge pages: state/field_vector.hpp)
    std::vector<double> deposition_, emitted_, deposited_, vd_field_;
    FieldVector<double> scratch_;  // (cache-line aligned: state/field_vector.hpp)
    std::vector<ExactSum> sums_;
    std::vector<const double*> fields_;  // what sums_ adds up, in its order
    WeatherCache exchange_cache_;  // exchange_ kept while ρ and K_z hold
};

class HorizontalDiffusionProcess final : public Process {
public:
    HorizontalDiffusionProcess(const Grid& grid, int nspec, const TransportConfig& cfg);
    ProcessInfo info() const override {
        return {"horizontal diffusion", "transport", {"rho_kg_m3", "u_face_x_m_s", "v_face_y_m_s"}, {}, {}};
    }
    int last_substeps() const { return last_substeps_; }

protected:
    void step_impl(StepContext& ctx) override;

private:
    kernels::GridViews gv_;
    int nspec_;
    TransportConfig cfg_;
    FieldVector<double> kh_, cond_x_, cond_y_;  // (huge pages: state/field_vector.hpp)
    FieldVector<real> work_;
    WeatherCache conductance_cache_;  // kh_, cond_x_, cond_y_ kept while the winds, ρ, Δt and margin hold
    double stability_ = 0.0;                 // max Σ C / m over the window for cond_x_, cond_y_ and ...
    std::uint64_t stability_mass_rev_ = 0;   // ... the air mass of this revision (State::air_mass_rev)
    int margin_ = 4;  // cells around the block with K_h and conductances (decomposed runs)
    int last_substeps_ = 1;
};

}  // namespace lantian
