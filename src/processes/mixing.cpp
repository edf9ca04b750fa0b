// Orchestration of the mixing processes; loops live in kernels/diffusion_kernels and flux_kernels.
#include "processes/mixing.hpp"

#include "thread_scratch.hpp"

#include <algorithm>
#include <cmath>

namespace lantian {

namespace {
constexpr double kKgPerUg = 1e-9;
// Explicit diffusion is stable for Σ C / m ≤ 1/2 per sub-step; keep a margin.
constexpr double kExplicitLimit = 0.45;
}  // namespace

VerticalMixing::VerticalMixing(const Grid& grid, int nspec, EmissionTable emissions,
                               std::shared_ptr<const DryDeposition> deposition, bool diffuse)
    : gv_(grid_views(grid, false)), nspec_(nspec), emissions_(std::move(emissions)), deposition_model_(std::move(deposition)),
      diffuse_(diffuse) {
    const std::size_t nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
    exchange_.assign((nz + 1) * ny * nx, 0.0);
    deposition_.assign(nspec * ny * nx, 0.0);
    emitted_.assign(nspec * ny * grid.nx(), 0.0);
    deposited_.assign(nspec * ny * grid.nx(), 0.0);
    scratch_.assign(kernels::vertical_scratch_doubles(grid.nz(), grid.nx()) * kernels::max_threads(), 0.0);
}

VerticalMixing::VerticalMixing(const Grid& grid, int nspec, EmissionTable emissions,
                               std::vector<double> deposition_velocity_m_s, bool diffuse)
    : VerticalMixing(grid, nspec, std::move(emissions), DryDeposition::constant(grid, std::move(deposition_velocity_m_s)),
                     diffuse) {}

ProcessInfo VerticalMixing::info() const {
    return {"vertical mixing, emission and dry deposition", "transport",
            {"rho_kg_m3", "kz_face_z_m2_s", "ustar_m_s", "mo_length_m"},
            {{"emitted", TermKind::source, "emitted", "emitted by every source inside the domain"}, DryDeposition::ledger_term()},
            {}};
}

void VerticalMixing::step_impl(StepContext& ctx) {
    const MetState& met = ctx.met_mid;
    const std::size_t plane = static_cast<std::size_t>(gv_.nx) * gv_.ny;
    if (diffuse_ && !exchange_cache_.unchanged({met.rev(MetField::rho), met.rev(MetField::kz_face)}, {}))
        kernels::vertical_exchange(gv_, met.rho_kg_m3.data(), met.kz_face_z_m2_s.data(), exchange_.data(), ctx.parallel().window());
    // Deposition flux coefficient v_d ρ_0 A (kg s-1) per column and species (this rank's columns).
    const kernels::Window w = ctx.parallel().window();
    // The sun of the Wesely stomatal resistance at the middle of the step, like the weather.
    deposition_model_->flux_coefficients(met, gv_.area_m2, vd_field_, deposition_, w, ctx.t_epoch_s + 0.5 * ctx.dt_s);

    kernels::VerticalViews v;
    v.nx = gv_.nx;
    v.ny = gv_.ny;
    v.nz = gv_.nz;
    v.nspec = nspec_;
    v.dt_s = ctx.dt_s;
    v.air_mass_kg = ctx.state.air_mass_kg.data();
    v.exchange_kg_s = exchange_.data();
    v.deposition_kg_s = deposition_.data();
    v.emission_start = emissions_.start.empty() ? nullptr : emissions_.start.data();
    v.emissions = emissions_.entries.data();
    v.q = ctx.state.q.data();
    v.emitted_ug = emitted_.data();
    v.deposited_ug = deposited_.data();
    v.scratch = scratch_.data();
    v.scratch_per_thread = scratch_.size() / kernels::max_threads();
    const Parallel& par = ctx.parallel();
    v.window = par.window();
    kernels::vertical_diffusion(v);

    // Ledger: per-column masses summed exactly (the same total for any decomposition).
    sums_.assign(2 * static_cast<std::size_t>(nspec_), ExactSum{});
    fields_.resize(sums_.size());
    for (int s = 0; s < nspec_; ++s) {
        fields_[2 * s] = emitted_.data() + s * plane;
        fields_[2 * s + 1] = deposited_.data() + s * plane;
    }
    add_columns(sums_.data(), fields_.data(), static_cast<int>(fields_.size()), gv_.nx, gv_.ny, v.window);
    par.reduce(sums_);
    for (int s = 0; s < nspec_; ++s) {
        ctx.ledger[s].term_kg[term(0)] += sums_[2 * s].to_double() * kKgPerUg;      // emitted
        ctx.ledger[s].term_kg[term(1)] += sums_[2 * s + 1].to_double() * kKgPerUg;  // deposited
    }
}

HorizontalDiffusionProcess::HorizontalDiffusionProcess(const Grid& grid, int nspec, const TransportConfig& cfg)
    : gv_(grid_views(grid, cfg.boundary == BoundaryKind::periodic)), nspec_(nspec), cfg_(cfg) {
    const std::size_t nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
    kh_.assign(nz * ny * nx, 0.0);
    cond_x_.assign(nz * ny * (nx + 1), 0.0);
    cond_y_.assign(nz * (ny + 1) * nx, 0.0);
    work_.assign(3 * nx * kernels::max_threads(), real(0));
}

void HorizontalDiffusionProcess::step_impl(StepContext& ctx) {
    const MetState& met = ctx.met_mid;
    const bool smag = cfg_.horizontal_diffusion == HorizontalDiffusion::smagorinsky;
    const Parallel& par = ctx.parallel();
    // Decomposed: K_h and the conductances on the block grown by `margin` cells (enough for the
    // sub-steps' halo; grown again in the rare step that needs more), the stability limit over the
    // block itself.
    auto grown = [&](int by) { return par.grown_window(by, by); };
    int margin = std::max(margin_, 1);
    int nsub = 1;
    // K_h and the conductances for a (sub-)step of dt_s on the block grown by `by` cells, unless they
    // are what the arrays hold already; returns the stability measure max Σ C / m over the block.
    // (The measure is kept too while the air mass holds: ctx.state.air_mass_rev.)
    auto conductances = [&](double dt_s, int by) {
        const std::uint64_t mass_rev = ctx.state.air_mass_rev;
        if (conductance_cache_.unchanged({met.rev(MetField::u_face), met.rev(MetField::v_face), met.rev(MetField::rho)},
                                         {dt_s, static_cast<double>(by)})) {
            if (mass_rev != 0 && mass_rev == stability_mass_rev_) return stability_;
            stability_ = kernels::explicit_stability(gv_, cond_x_.data(), cond_y_.data(), ctx.state.air_mass_kg.data(), par.window());
        } else {
            kernels::horizontal_kh(gv_, met.u_face_x_m_s.data(), met.v_face_y_m_s.data(), smag, cfg_.kh_m2_s, cfg_.smagorinsky_c,
                                   kh_.data(), grown(by + 1));
            stability_ = kernels::horizontal_conductances(gv_, met.rho_kg_m3.data(), kh_.data(), ctx.state.air_mass_kg.data(), dt_s,
                                                          cond_x_.data(), cond_y_.data(), par.window(), grown(by));
        }
        stability_mass_rev_ = mass_rev;
        return stability_;
    };
    for (;;) {
        const double worst = par.max(conductances(ctx.dt_s, margin));
        nsub = std::max(1, static_cast<int>(std::ceil(worst / kExplicitLimit)));
        if (!par.split() || nsub <= margin) break;
        margin = nsub;
    }
    margin_ = margin;
    if (nsub > 1) conductances(ctx.dt_s / nsub, margin);
    last_substeps_ = nsub;
    kernels::HorizontalViews v;
    v.nx = gv_.nx;
    v.ny = gv_.ny;
    v.nz = gv_.nz;
    v.nspec = nspec_;
    v.periodic = gv_.periodic;
    v.substeps = nsub;
    v.air_mass_kg = ctx.state.air_mass_kg.data();
    v.conductance_x_kg = cond_x_.data();
    v.conductance_y_kg = cond_y_.data();
    v.q = ctx.state.q.data();
    v.work = work_.data();
    if (par.split()) {  // (nsub ≤ margin: the conductances cover the grown block)
        // The 5-point stencil reaches one cell per sub-step: a halo of nsub cells (with corners)
        // keeps the block exact while the ring around it goes stale.
        par.exchange(ctx.state, nsub, nsub);
        v.window = grown(nsub);
    }
    kernels::horizontal_diffusion(v);
}

}  // namespace lantian
