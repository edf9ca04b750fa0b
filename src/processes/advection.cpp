// Advection orchestration: fluxes from the weather once per step, then three sweeps that move air
// and tracer mass together, x→y→z on even steps and z→y→x on odd ones (Strang-like alternation).
#include "processes/advection.hpp"

#include "thread_scratch.hpp"

#include <algorithm>
#include <cmath>

namespace lantian {

namespace {
// The lines of the sweep along `axis` that pass through the window, in a fixed order: x lines
// k*ny + j, y lines k*nx + i, z lines (columns) j*nx + i. window_line(r) is the r-th of the
// window_lines of them.
int window_lines(kernels::Axis axis, const kernels::Window& w, int nx, int ny, int nz) {
    const int ni = w.i_end(nx) - w.i0, nj = w.j_end(ny) - w.j0;
    return axis == kernels::Axis::x ? nz * nj : axis == kernels::Axis::y ? nz * ni : nj * ni;
}
int window_line(kernels::Axis axis, const kernels::Window& w, int nx, int ny, int r) {
    const int ni = w.i_end(nx) - w.i0, nj = w.j_end(ny) - w.j0;
    if (axis == kernels::Axis::x) return (r / nj) * ny + w.j0 + r % nj;
    if (axis == kernels::Axis::y) return (r / ni) * nx + w.i0 + r % ni;
    return (w.j0 + r / ni) * nx + w.i0 + r % ni;
}
// Inflow mixing ratio (µg kg-1) from the background profile's value at the boundary level: the
// fixed mixing ratio (BoundaryProfile::as_mixing_ratio), a tabulated mixing ratio as it is, or a
// concentration (µg m-3) divided by the density of the adjacent cell (kg m-3).
inline double background_inflow(bool fixed, double fixed_q, bool q_given, double profile_value, double rho_kg_m3) {
    // (the division taken whatever the case, then selected: a division under a condition keeps the
    // z sweep's loop over columns from vectorising)
    const double per_rho = profile_value / rho_kg_m3;
    return fixed ? fixed_q : (q_given ? profile_value : per_rho);
}
// Calls fn(line) for every such line, in that order (nested loops: no division per line, which
// the top boundary's books, one call per column and sweep, would feel).
template <class Fn>
void for_window_lines(kernels::Axis axis, const kernels::Window& w, int nx, int ny, int nz, Fn&& fn) {
    const int i0 = w.i0, i1 = w.i_end(nx), j0 = w.j0, j1 = w.j_end(ny);
    if (axis == kernels::Axis::x) {
        for (int k = 0; k < nz; ++k)
            for (int j = j0; j < j1; ++j) fn(k * ny + j);
    } else if (axis == kernels::Axis::y) {
        for (int k = 0; k < nz; ++k)
            for (int i = i0; i < i1; ++i) fn(k * nx + i);
    } else {
        for (int j = j0; j < j1; ++j)
            for (int i = i0; i < i1; ++i) fn(j * nx + i);
    }
}
}  // namespace

ProcessInfo Advection::info() const {
    ProcessInfo p{"advection", "transport", {"rho_kg_m3", "u_face_x_m_s", "v_face_y_m_s"}, {}, {}};
    for (const char* edge : kEdgeNames) {
        const std::string e(edge);
        p.ledger_terms.push_back({"inflow_" + e, TermKind::inflow, "", "mass entering through the " + e + " boundary"});
        p.ledger_terms.push_back({"outflow_" + e, TermKind::outflow, "", "mass leaving through the " + e + " boundary"});
    }
    return p;
}

double BoundaryProfile::at(int s, double z_m) const {
    return surface_ug_m3[s] * std::exp(-z_m / scale_height_m);
}

double BoundaryProfile::q_at(int s, double z_m) const {
    const auto& p = q_points[static_cast<std::size_t>(s)];
    if (z_m <= p.front().first) return p.front().second;
    for (std::size_t i = 1; i < p.size(); ++i)
        if (z_m <= p[i].first)
            return p[i - 1].second + (z_m - p[i - 1].first) / (p[i].first - p[i - 1].first) * (p[i].second - p[i - 1].second);
    return p.back().second;
}

Advection::Advection(const Grid& grid, int nspec, kernels::Reconstruction rec, BoundaryKind boundary, double cfl,
                     BoundaryProfile background)
    : gv_(grid_views(grid, boundary == BoundaryKind::periodic)), nspec_(nspec), rec_(rec), boundary_(boundary),
      cfl_(cfl), background_(std::move(background)) {
    const std::size_t nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
    flux_x_.resize(nz * ny * (nx + 1));
    flux_y_.resize(nz * (ny + 1) * nx);
    flux_z_.resize((nz + 1) * ny * nx);
    target_mass_.resize(nz * ny * nx);
    std::size_t max_lines = 0, max_scratch = 0;
    for (auto a : {kernels::Axis::x, kernels::Axis::y, kernels::Axis::z}) {
        max_lines = std::max<std::size_t>(max_lines, kernels::line_count(a, gv_.nx, gv_.ny, gv_.nz));
        max_scratch = std::max(max_scratch, kernels::sweep_scratch_doubles(a, gv_.nx, gv_.ny, gv_.nz, nspec));
    }
    substeps_.resize(max_lines);
    line_worst_.resize(max_lines);
    inflow_lo_.resize(max_lines * nspec);
    inflow_hi_.resize(max_lines * nspec);
    boundary_ug_.resize(4 * max_lines * nspec);
    scratch_.resize(max_scratch * kernels::max_threads());
    nbulk_ = nspec;
}

void Advection::set_tags(int nbulk, std::vector<int> bulk, std::vector<int> tags, int ntags, int background) {
    nbulk_ = nbulk;
    tag_bulk_ = std::move(bulk);
    tag_index_ = std::move(tags);
    ntags_ = ntags;
    background_tag_ = background;
    const std::size_t cells = static_cast<std::size_t>(gv_.nx) * gv_.ny * gv_.nz;
    mass_before_.resize(cells);
    bulk_before_.resize(cells * tag_bulk_.size());
    std::size_t max_lines = 0, max_scratch = 0;
    for (auto a : {kernels::Axis::x, kernels::Axis::y, kernels::Axis::z}) {
        max_lines = std::max<std::size_t>(max_lines, kernels::line_count(a, gv_.nx, gv_.ny, gv_.nz));
        max_scratch = std::max(max_scratch, kernels::tag_scratch_doubles(a, gv_.nx, gv_.ny, gv_.nz, ntags));
    }
    tag_boundary_ug_.resize(4 * max_lines * tag_bulk_.size() * ntags);
    tag_scratch_.resize(max_scratch * kernels::max_threads());
}

void Advection::step_impl(StepContext& ctx) {
    const MetState& mid = ctx.met_mid;
    // ∂m/∂t + ∇·(ρ u) = 0 with face fluxes F = ρ_face u_face L Δz Δt (kg), and the vertical flux
    // diagnosed so that the step ends on the air mass of the weather at t + Δt. Each is recomputed
    // only when what it follows from changed (WeatherCache): the horizontal fluxes with their weather
    // and Δt, the target with the density at t + Δt, the vertical flux with those two and the air
    // mass at the step's start, which is the previous step's target exactly (below).
    bool steady = true;  // fluxes and target as in the last step
    if (!flux_cache_.unchanged({mid.rev(MetField::rho), mid.rev(MetField::u_face), mid.rev(MetField::v_face)}, {ctx.dt_s})) {
        steady = false;
        kernels::horizontal_mass_fluxes(gv_, mid.rho_kg_m3.data(), mid.u_face_x_m_s.data(), mid.v_face_y_m_s.data(),
                                        ctx.dt_s, flux_x_.data(), flux_y_.data());
        flux_rev_ = new_met_revision();
    }
    if (!target_cache_.unchanged({ctx.met_end.rev(MetField::rho)}, {})) {
        steady = false;
        kernels::air_mass_from_density(gv_, ctx.met_end.rho_kg_m3.data(), target_mass_.data());
        target_rev_ = new_met_revision();
    }
    // (column by column: only this rank's columns are swept vertically)
    const kernels::Window window = ctx.parallel().window();
    if (!vertical_cache_.unchanged({flux_rev_, target_rev_, ctx.state.air_mass_rev},
                                   {static_cast<double>(window.i0), static_cast<double>(window.i1), static_cast<double>(window.j0),
                                    static_cast<double>(window.j1)}))
        kernels::vertical_mass_flux(gv_, flux_x_.data(), flux_y_.data(), ctx.state.air_mass_kg.data(), target_mass_.data(),
                                    flux_z_.data(), window);

    if (inflow_) inflow_->prepare(ctx.t_epoch_s + 0.5 * ctx.dt_s);

    using kernels::Axis;
    const int o = static_cast<int>(ctx.step_index % 2);
    const Axis order[3] = {o == 0 ? Axis::x : Axis::z, Axis::y, o == 0 ? Axis::z : Axis::x};
    // The last sweep writes the target itself rather than the swept mass, which equals it to
    // round-off: the step ends on the weather's air mass exactly, and the air mass takes its revision.
    //
    // Steady weather: a step that starts on the target (air_mass_rev) with the fluxes and target it
    // had before passes through the same air masses as the last step of its sweep order did, to the
    // bit (the same operations on the same values). The second such step records them; later ones
    // read them and write no air mass: the state holds the target already. The sub-step count of
    // every line, which follows from the same air mass and fluxes, is kept with them. One rank only
    // (a split run sweeps halos the kept masses would not hold).
    double* m = ctx.state.air_mass_kg.data();
    const double* end = target_mass_.data();
    const bool on_target = steady && ctx.state.air_mass_rev == target_rev_ && !ctx.parallel().split();
    const bool kept = on_target && steady_key_[o][0] == flux_rev_ && steady_key_[o][1] == target_rev_;
    const double* start[3] = {m, m, m};
    double* out[3] = {m, m, m};
    if (kept) {
        start[1] = steady_mass_[o][0].data();
        start[2] = steady_mass_[o][1].data();
        out[0] = out[1] = out[2] = nullptr;
    }
    // (tags need the air mass after each sweep: the next one's start, or the target after the last)
    const double* after[3] = {kept ? start[1] : m, kept ? start[2] : m, kept ? end : m};
    for (int n = 0; n < 3; ++n) {
        std::vector<int>& subs = steady_substeps_[o][n];
        if (on_target && !kept) subs.resize(static_cast<std::size_t>(kernels::line_count(order[n], gv_.nx, gv_.ny, gv_.nz)));
        sweep(order[n], ctx, start[n], out[n], n == 2 ? end : nullptr, after[n], kept ? subs.data() : nullptr,
              on_target && !kept ? subs.data() : nullptr);
        if (on_target && !kept && n < 2) {
            steady_mass_[o][n].resize(ctx.state.air_mass_kg.size());
            std::copy(ctx.state.air_mass_kg.begin(), ctx.state.air_mass_kg.end(), steady_mass_[o][n].begin());
        }
    }
    steady_key_[o][0] = on_target ? flux_rev_ : 0;
    steady_key_[o][1] = on_target ? target_rev_ : 0;
    ctx.state.air_mass_rev = target_rev_;
}

void Advection::sweep(kernels::Axis axis, StepContext& ctx, const double* start, double* out, const double* end,
                      const double* after, const int* kept_substeps, int* record_substeps) {
    using kernels::Axis;
    State& st = ctx.state;
    const Grid& g = ctx.grid;
    const int nx = g.nx(), ny = g.ny(), nz = g.nz();
    const int nlines = kernels::line_count(axis, nx, ny, nz);
    const double* flux = axis == Axis::x ? flux_x_.data() : axis == Axis::y ? flux_y_.data() : flux_z_.data();
    const Parallel& par = ctx.parallel();
    const kernels::Window window = par.window();
    int reach = 0;
    // One rank: each line's sub-steps are counted by the sweep from what it loads anyway.
    const bool count_in_sweep = !par.split();
    if (!count_in_sweep && axis == Axis::z) {
        kernels::count_substeps(axis, nx, ny, nz, start, flux, cfl_, substeps_.data(), line_worst_.data(), window);
    } else if (!count_in_sweep) {
        // A line crosses several blocks: its sub-steps follow its largest outflow fraction on any of
        // them (a max, so exact). The blocks then need 3 cells per sub-step of halo along the sweep.
        std::fill(line_worst_.begin(), line_worst_.begin() + nlines, 0.0);
        kernels::count_substeps(axis, nx, ny, nz, start, flux, cfl_, substeps_.data(), line_worst_.data(),
                                window);
        par.comm().max(line_worst_.data(), static_cast<std::size_t>(nlines));
        int most = 1;
        for (int line = 0; line < nlines; ++line) {
            substeps_[line] = kernels::substeps_for(line_worst_[line], cfl_);
            most = std::max(most, substeps_[line]);
        }
        reach = 3 * most + 1;
        par.exchange(st, axis == Axis::x ? reach : 0, axis == Axis::y ? reach : 0);
    }

    // The top is always open; lateral edges follow the configured boundary.
    const bool open = axis == Axis::z || boundary_ == BoundaryKind::open;
    if (open) {
        // Inflow mixing ratio q = c_background(z) / ρ of the adjacent cell, for the lines through
        // this rank's window. The profile c(z) per species at the layer centres, the ground and the top:
        const std::size_t plane = static_cast<std::size_t>(nx) * ny;
        const int levels = nz + 2;
        // (Bulk tracers only: tags take no inflow of their own, tag_sweep gives it to the background tag.)
        profile_.resize(static_cast<std::size_t>(nbulk_) * levels);
        for (int s = 0; s < nbulk_; ++s)
            for (int k = 0; k < levels; ++k) {
                const double z = k < nz ? g.z_center()[k] : (k == nz ? 0.0 : g.z_face()[nz]);
                profile_[static_cast<std::size_t>(s) * levels + k] =
                    background_.as_mixing_ratio ? 0.0 : (background_.tabulated(s) ? background_.q_at(s, z) : background_.at(s, z));
            }
        auto inflow = [&](int line) {
            // The line's end cells (cell_lo, cell_hi), their columns and layers (no division by the
            // plane: this runs for every line of every sweep).
            std::size_t cell_lo, cell_hi, col_lo, col_hi;
            int k_lo, k_hi, level_lo, level_hi;
            if (axis == Axis::x) {
                const int k = line / ny, j = line - k * ny;
                col_lo = static_cast<std::size_t>(j) * nx;
                col_hi = col_lo + nx - 1;
                k_lo = k_hi = level_lo = level_hi = k;
            } else if (axis == Axis::y) {
                const int k = line / nx, i = line - k * nx;
                col_lo = static_cast<std::size_t>(i);
                col_hi = col_lo + static_cast<std::size_t>(ny - 1) * nx;
                k_lo = k_hi = level_lo = level_hi = k;
            } else {
                col_lo = col_hi = static_cast<std::size_t>(line);
                k_lo = 0;
                k_hi = nz - 1;
                level_lo = nz;
                level_hi = nz + 1;
            }
            cell_lo = k_lo * plane + col_lo;
            cell_hi = k_hi * plane + col_hi;
            const double rho_lo = start[cell_lo] / (g.area_m2()[col_lo] * g.dz()[k_lo]);
            const double rho_hi = start[cell_hi] / (g.area_m2()[col_hi] * g.dz()[k_hi]);
            if (inflow_) {
                // A parent domain's mixing ratios (nesting): west/east by row, south/north by column, the top by column.
                for (int s = 0; s < nbulk_; ++s) {
                    double lo = 0, hi = 0;
                    if (axis == Axis::x) {
                        lo = inflow_->q(Edge4::west, s, line % ny, line / ny);
                        hi = inflow_->q(Edge4::east, s, line % ny, line / ny);
                    } else if (axis == Axis::y) {
                        lo = inflow_->q(Edge4::south, s, line % nx, line / nx);
                        hi = inflow_->q(Edge4::north, s, line % nx, line / nx);
                    } else {
                        hi = inflow_->q(Edge4::top, s, line, nz - 1);
                    }
                    inflow_lo_[static_cast<std::size_t>(s) * nlines + line] = static_cast<real>(lo);
                    inflow_hi_[static_cast<std::size_t>(s) * nlines + line] = static_cast<real>(hi);
                }
                return;
            }
            for (int s = 0; s < nbulk_; ++s) {
                const double* prof = profile_.data() + static_cast<std::size_t>(s) * levels;
                const bool q_given = background_.tabulated(s), fixed = background_.as_mixing_ratio;
                const double fixed_q = fixed ? background_.surface_ug_m3[s] : 0.0;
                const double lo = background_inflow(fixed, fixed_q, q_given, prof[level_lo], rho_lo);
                const double hi = background_inflow(fixed, fixed_q, q_given, prof[level_hi], rho_hi);
                inflow_lo_[static_cast<std::size_t>(s) * nlines + line] = static_cast<real>(lo);
                inflow_hi_[static_cast<std::size_t>(s) * nlines + line] = static_cast<real>(hi);
            }
        };
        if (axis == Axis::z && !inflow_) {
            // The same values for the columns (lines j*nx + i), a row of them at a time so that the
            // divisions vectorise: the ground (lo) and the top (hi) of each column.
            const int i0 = window.i0, i1 = window.i_end(nx);
            const double* area = g.area_m2().data();
            const double dz_lo = g.dz()[0], dz_hi = g.dz()[nz - 1];
            const double* m_lo = start;
            const double* m_hi = m_lo + static_cast<std::size_t>(nz - 1) * plane;
#pragma omp parallel for schedule(static)
            for (int j = window.j0; j < window.j_end(ny); ++j) {
                const std::size_t row = static_cast<std::size_t>(j) * nx;
                for (int s = 0; s < nbulk_; ++s) {
                    const double* prof = profile_.data() + static_cast<std::size_t>(s) * levels;
                    const bool q_given = background_.tabulated(s), fixed = background_.as_mixing_ratio;
                    const double fixed_q = fixed ? background_.surface_ug_m3[s] : 0.0;
                    real* lo_out = inflow_lo_.data() + static_cast<std::size_t>(s) * nlines + row;
                    real* hi_out = inflow_hi_.data() + static_cast<std::size_t>(s) * nlines + row;
#pragma omp simd
                    for (int i = i0; i < i1; ++i) {
                        const double rho_lo = m_lo[row + i] / (area[row + i] * dz_lo);
                        const double rho_hi = m_hi[row + i] / (area[row + i] * dz_hi);
                        lo_out[i] = static_cast<real>(background_inflow(fixed, fixed_q, q_given, prof[nz], rho_lo));
                        hi_out[i] = static_cast<real>(background_inflow(fixed, fixed_q, q_given, prof[nz + 1], rho_hi));
                    }
                }
            }
        } else {
            const int lines = window_lines(axis, window, nx, ny, nz);
#pragma omp parallel for schedule(static)
            for (int r = 0; r < lines; ++r) inflow(window_line(axis, window, nx, ny, r));
        }
        // (the sweep writes every boundary entry of the lines it sweeps: no clearing needed)
    }

    const bool tagged = !tag_bulk_.empty();
    if (tagged) {
        // The bulk before the sweep: its cell budgets give the face fluxes the tags share (the air
        // mass copied only if the sweep overwrites it).
        if (out != nullptr) std::copy(start, start + st.field_size(), mass_before_.begin());
        const std::size_t cells = st.field_size();
        for (std::size_t set = 0; set < tag_bulk_.size(); ++set)
            std::copy(st.species(tag_bulk_[set]), st.species(tag_bulk_[set]) + cells, bulk_before_.begin() + set * cells);
    }
    kernels::SweepViews v;
    v.nx = nx;
    v.ny = ny;
    v.nz = nz;
    v.nspec = nbulk_;
    v.air_mass_kg = start;
    v.air_mass_out_kg = out;
    v.end_air_mass_kg = end;
    v.q = st.q.data();
    v.face_flux_kg = flux;
    v.substeps = count_in_sweep ? kept_substeps : substeps_.data();
    v.substeps_counted = count_in_sweep ? record_substeps : nullptr;
    v.cfl_max = cfl_;
    v.inflow_lo = inflow_lo_.data();
    v.inflow_hi = inflow_hi_.data();
    v.edge = open ? kernels::Edge::open : kernels::Edge::periodic;
    v.reconstruction = rec_;
    v.boundary_ug = boundary_ug_.data();
    v.scratch = scratch_.data();
    v.scratch_per_thread = scratch_.size() / kernels::max_threads();
    v.window = window;
    v.reach = reach;
    kernels::advect_sweep(axis, v);
    if (tagged) {
        // (tag_sweep writes every book entry of the lines it sweeps: no clearing needed)
        kernels::TagSweepViews t;
        t.nx = nx;
        t.ny = ny;
        t.nz = nz;
        t.nsets = static_cast<int>(tag_bulk_.size());
        t.ntags = ntags_;
        t.background = background_tag_;
        t.nspec_bulk = nbulk_;
        t.bulk = tag_bulk_.data();
        t.tag = tag_index_.data();
        t.air_mass_old_kg = out != nullptr ? mass_before_.data() : start;
        t.air_mass_new_kg = after;
        t.q_old = bulk_before_.data();
        t.q = st.q.data();
        t.boundary_ug = boundary_ug_.data();
        t.tag_boundary_ug = tag_boundary_ug_.data();
        t.scratch = tag_scratch_.data();
        t.scratch_per_thread = tag_scratch_.size() / kernels::max_threads();
        t.window = window;
        if (par.split() && axis != Axis::z) {
            // The tags' face fluxes are a running sum along each line from its lo edge: the blocks
            // of a line take their turn, each starting from the flux the block below handed over,
            // so the sum is the single-rank one, operation for operation.
            const int px = par.decomposition().px(), rank = par.rank();
            const int cx = rank % px, cy = rank / px;
            const bool has_lo = axis == Axis::x ? cx > 0 : cy > 0;
            const bool has_hi = axis == Axis::x ? cx < px - 1 : cy < par.decomposition().py() - 1;
            const int step = axis == Axis::x ? 1 : px;
            const std::size_t words = tag_bulk_.size() * static_cast<std::size_t>(nlines);
            g_in_.resize(words);
            g_out_.resize(words);
            if (has_lo) par.comm().exchange({}, {{rank - step, &g_in_}});
            t.g_in = g_in_.data();
            t.g_out = g_out_.data();
            kernels::tag_sweep(axis, t);
            if (has_hi) par.comm().exchange({{rank + step, &g_out_}}, {});
        } else {
            kernels::tag_sweep(axis, t);
        }
    }
    if (!open) return;
    // Book the boundary fluxes (µg → kg), summed over lines in a fixed order.
    const Edge4 lo_edge = axis == Axis::x ? Edge4::west : axis == Axis::y ? Edge4::south : Edge4::top;
    const Edge4 hi_edge = axis == Axis::x ? Edge4::east : axis == Axis::y ? Edge4::north : Edge4::top;
    const std::size_t stride = static_cast<std::size_t>(nbulk_) * nlines;
    const std::size_t tag_stride = tag_bulk_.size() * ntags_ * nlines;
    // The lines through this rank's window (the kernel booked only ends at the grid's edges that the
    // window owns). Summed exactly, so the total is the same for any decomposition.
    std::vector<ExactSum>& sums_all = boundary_sums_;
    sums_all.assign(static_cast<std::size_t>(nspec_) * 4, ExactSum{});
    // (each species' four sums on one thread: exact, so the same for any thread count)
#pragma omp parallel for schedule(static)
    for (int s = 0; s < nspec_; ++s) {
        // Bulk tracers from the sweep's books; tags from their shares of them.
        const bool is_tag = s >= nbulk_;
        const std::size_t tag_slot =
            is_tag ? static_cast<std::size_t>(std::find(tag_index_.begin(), tag_index_.end(), s) - tag_index_.begin()) : 0;
        for (int part = (axis == Axis::z ? 2 : 0); part < 4; ++part) {
            const double* b = is_tag ? tag_boundary_ug_.data() + part * tag_stride + tag_slot * nlines
                                     : boundary_ug_.data() + part * stride + static_cast<std::size_t>(s) * nlines;
            ExactSum& sum = sums_all[static_cast<std::size_t>(s) * 4 + part];
            for_window_lines(axis, window, nx, ny, nz, [&](int line) {
                if (b[line] != 0.0) sum.add(b[line]);
            });
        }
    }
    par.reduce(sums_all);
    for (int s = 0; s < nspec_; ++s) {
        double sums[4];
        for (int part = 0; part < 4; ++part) sums[part] = sums_all[static_cast<std::size_t>(s) * 4 + part].to_double();
        std::vector<double>& led = ctx.ledger[s].term_kg;
        constexpr double kKgPerUg = 1e-9;
        // Terms 2e and 2e+1 are the inflow and outflow of edge e (info()).
        if (axis != Axis::z) {
            led[term(2 * static_cast<int>(lo_edge))] += sums[0] * kKgPerUg;
            led[term(2 * static_cast<int>(lo_edge) + 1)] += sums[1] * kKgPerUg;
        }
        led[term(2 * static_cast<int>(hi_edge))] += sums[2] * kKgPerUg;
        led[term(2 * static_cast<int>(hi_edge) + 1)] += sums[3] * kKgPerUg;
    }
}

}  // namespace lantian
