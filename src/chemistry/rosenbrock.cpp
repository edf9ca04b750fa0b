// Set-up of the stiff chemistry solver: the compiled stoichiometry, the Jacobian sparsity, the
// Markowitz ordering and the symbolic LU (docs/chemistry-solver.md); the loops are in
// kernels/rosenbrock_kernels.cpp.
#include "chemistry/rosenbrock.hpp"

#include <cmath>

#include <algorithm>
#include <cstdint>
#include <map>
#include <sstream>

#include "thread_scratch.hpp"

namespace lantian::chem {

namespace {

using Pattern = std::vector<std::vector<char>>;

// One step of symbolic Gaussian elimination with diagonal pivot p: p leaves the active set and every
// active i with a_ip ≠ 0 gains the pattern of row p (fill-in) over the active columns.
void eliminate_one(Pattern& a, std::vector<char>& active, int p) {
    const std::size_t n = a.size(), pp = static_cast<std::size_t>(p);
    active[pp] = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!active[i] || !a[i][pp]) continue;
        for (std::size_t j = 0; j < n; ++j)
            if (active[j] && a[pp][j]) a[i][j] = 1;
    }
}

// Symbolic elimination in the order `order` (original indices): afterwards `a` is the pattern of L + U.
void eliminate(Pattern& a, const std::vector<int>& order) {
    std::vector<char> active(a.size(), 1);
    for (int p : order) eliminate_one(a, active, p);
}

int count(const Pattern& a) {
    int s = 0;
    for (const auto& r : a) s += static_cast<int>(std::count(r.begin(), r.end(), 1));
    return s;
}

// Markowitz ordering (as KPP orders its species, Sandu et al. 1996): at each elimination step the
// pivot p among the remaining rows minimises (r_p − 1)(c_p − 1), with r_p and c_p the nonzeros of
// its row and column in the remaining submatrix (fill-in so far included); ties go to the lowest
// index, so the order is a function of the mechanism alone.
std::vector<int> markowitz(Pattern a) {
    const int n = static_cast<int>(a.size());
    std::vector<char> active(static_cast<std::size_t>(n), 1);
    std::vector<int> order;
    for (int step = 0; step < n; ++step) {
        int best = -1;
        long best_cost = 0;
        for (int p = 0; p < n; ++p) {
            if (!active[static_cast<std::size_t>(p)]) continue;
            long r = 0, c = 0;
            for (int j = 0; j < n; ++j) {
                if (!active[static_cast<std::size_t>(j)]) continue;
                r += a[static_cast<std::size_t>(p)][static_cast<std::size_t>(j)];
                c += a[static_cast<std::size_t>(j)][static_cast<std::size_t>(p)];
            }
            const long cost = (r - 1) * (c - 1);
            if (best < 0 || cost < best_cost) {
                best = p;
                best_cost = cost;
            }
        }
        order.push_back(best);
        eliminate_one(a, active, best);
    }
    return order;
}

}  // namespace

double* RosenbrockWorkspace::scratch(std::size_t doubles) {
    if (buffer_.size() < doubles + 8) buffer_.assign(doubles + 8, 0.0);
    const auto addr = reinterpret_cast<std::uintptr_t>(buffer_.data());
    const std::size_t shift = ((64 - addr % 64) % 64) / sizeof(double);
    return buffer_.data() + shift;
}

// Rodas3 (Sandu et al. 1997, Table 4; Hairer & Wanner 1996, IV.7): 4 stages, order 3 with an
// embedded order-2 solution, stiffly accurate (y_{n+1} is the last stage argument plus K_4, so the
// error estimate is K_4 alone) and L-stable. Stage 2 has the same argument as stage 1 (a_21 = 0),
// so a step costs 3 evaluations of f, 1 Jacobian and 1 LU.
kernels::RosenbrockTableau RosenbrockSolver::rodas3() {
    kernels::RosenbrockTableau t;
    t.stages = 4;
    t.order = 3;
    t.gamma = 0.5;
    // a_21, a_31, a_32, a_41, a_42, a_43
    const double a[6] = {0.0, 2.0, 0.0, 2.0, 0.0, 1.0};
    // c_21, c_31, c_32, c_41, c_42, c_43
    const double c[6] = {4.0, 1.0, -1.0, 1.0, -1.0, -8.0 / 3.0};
    const double m[4] = {2.0, 0.0, 1.0, 1.0};
    const double e[4] = {0.0, 0.0, 0.0, 1.0};
    const bool nf[4] = {true, false, true, true};
    std::copy(a, a + 6, t.a);
    std::copy(c, c + 6, t.c);
    std::copy(m, m + 4, t.m);
    std::copy(e, e + 4, t.e);
    std::copy(nf, nf + 4, t.new_f);
    return t;
}

// ROS2 in the same stage convention as Rodas3 above (Verwer, Spee, Blom and Hundsdorfer 1999, SIAM
// J. Sci. Comput. 20, 1456; the coefficients as tabulated for atmospheric chemistry by Sandu et al.
// 1997): γ = 1 + 1/√2, a_21 = 1/γ, c_21 = −2/γ, m = (3/(2γ), 1/(2γ)), e = (1/(2γ), 1/(2γ)); the
// embedded first-order solution gives an error estimate of order 2.
kernels::RosenbrockTableau RosenbrockSolver::ros2() {
    kernels::RosenbrockTableau t;
    const double g = 1.0 + 1.0 / std::sqrt(2.0);
    t.stages = 2;
    t.order = 2;
    t.gamma = g;
    t.a[0] = 1.0 / g;
    t.c[0] = -2.0 / g;
    t.m[0] = 3.0 / (2.0 * g);
    t.m[1] = 1.0 / (2.0 * g);
    t.e[0] = 1.0 / (2.0 * g);
    t.e[1] = 1.0 / (2.0 * g);
    t.new_f[0] = true;
    t.new_f[1] = true;
    return t;
}

RosenbrockSolver::RosenbrockSolver(const ReactionSystem& system, SolverOptions options)
    : system_(system), options_(options), tableau_(options.method == RosenbrockMethod::ros2 ? ros2() : rodas3()) {
    const int n = system_.nspecies();
    const int nr = system_.nreactions();
    if (n == 0) throw std::invalid_argument("chemistry solver: the reaction system has no species");
    if (!(options_.rtol > 0) || !(options_.atol_molec_cm3 > 0) || !(options_.h_min_s > 0) || options_.max_steps < 1)
        throw std::invalid_argument("chemistry solver: rtol, atol_molec_cm3 and h_min_s must be > 0 and max_steps >= 1");
    auto check = [&](int s, const CompiledReaction& r) {
        if (s < 0 || s >= n) throw std::invalid_argument("chemistry solver: " + r.label + " names species index " + std::to_string(s) + " outside 0.." + std::to_string(n - 1));
    };
    // Net stoichiometry ν⁺ − ν⁻ per reaction and species (original indices).
    std::vector<std::map<int, double>> net(static_cast<std::size_t>(nr));
    for (int r = 0; r < nr; ++r) {
        const auto& re = system_.reactions[static_cast<std::size_t>(r)];
        for (int s : re.reactants) { check(s, re); net[static_cast<std::size_t>(r)][s] -= 1.0; }
        for (const auto& p : re.products) { check(p.species, re); net[static_cast<std::size_t>(r)][p.species] += p.coefficient; }
    }
    // Jacobian pattern: J_il ≠ 0 when l is a reactant of a reaction that changes i; diagonal always.
    Pattern a(static_cast<std::size_t>(n), std::vector<char>(static_cast<std::size_t>(n), 0));
    for (int i = 0; i < n; ++i) a[static_cast<std::size_t>(i)][static_cast<std::size_t>(i)] = 1;
    for (int r = 0; r < nr; ++r)
        for (int l : system_.reactions[static_cast<std::size_t>(r)].reactants)
            for (const auto& [i, v] : net[static_cast<std::size_t>(r)])
                if (v != 0) a[static_cast<std::size_t>(i)][static_cast<std::size_t>(l)] = 1;
    jac_nnz_ = count(a);
    {
        Pattern b = a;
        std::vector<int> identity(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) identity[static_cast<std::size_t>(i)] = i;
        eliminate(b, identity);
        lu_nnz_identity_ = count(b);
    }
    order_ = markowitz(a);
    position_.assign(static_cast<std::size_t>(n), 0);
    for (int p = 0; p < n; ++p) position_[static_cast<std::size_t>(order_[static_cast<std::size_t>(p)])] = p;
    Pattern lu = a;
    eliminate(lu, order_);

    // CSR of the LU pattern in solver order; pos[i][j] its entry index (−1: structurally zero).
    std::vector<std::vector<int>> pos(static_cast<std::size_t>(n), std::vector<int>(static_cast<std::size_t>(n), -1));
    row_ptr_.assign(1, 0);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            if (!lu[static_cast<std::size_t>(order_[static_cast<std::size_t>(i)])][static_cast<std::size_t>(order_[static_cast<std::size_t>(j)])]) continue;
            pos[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = static_cast<int>(col_.size());
            if (i == j) diag_.push_back(static_cast<int>(col_.size()));
            col_.push_back(j);
        }
        row_ptr_.push_back(static_cast<int>(col_.size()));
    }
    // Numeric LU operations, row by row (Doolittle): for k < i in row i,
    //   a_ik ← a_ik / a_kk;  a_ij ← a_ij − a_ik a_kj for j > k in row k.
    for (int i = 0; i < n; ++i) {
        for (int q = row_ptr_[static_cast<std::size_t>(i)]; q < diag_[static_cast<std::size_t>(i)]; ++q) {
            const int k = col_[static_cast<std::size_t>(q)];
            div_target_.push_back(q);
            div_pivot_.push_back(diag_[static_cast<std::size_t>(k)]);
            int nsub = 0;
            for (int u = diag_[static_cast<std::size_t>(k)] + 1; u < row_ptr_[static_cast<std::size_t>(k) + 1]; ++u) {
                const int j = col_[static_cast<std::size_t>(u)];
                sub_target_.push_back(pos[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]);
                sub_source_.push_back(u);
                ++nsub;
            }
            div_nsub_.push_back(nsub);
        }
    }
    // Reactants in solver indices; f terms grouped by solver species; Jacobian terms.
    react_ptr_.assign(1, 0);
    for (int r = 0; r < nr; ++r) {
        for (int s : system_.reactions[static_cast<std::size_t>(r)].reactants) react_species_.push_back(position_[static_cast<std::size_t>(s)]);
        react_ptr_.push_back(static_cast<int>(react_species_.size()));
    }
    f_ptr_.assign(1, 0);
    for (int i = 0; i < n; ++i) {
        const int s = order_[static_cast<std::size_t>(i)];
        for (int r = 0; r < nr; ++r) {
            const auto it = net[static_cast<std::size_t>(r)].find(s);
            if (it == net[static_cast<std::size_t>(r)].end() || it->second == 0) continue;
            f_reaction_.push_back(r);
            f_coef_.push_back(it->second);
        }
        f_ptr_.push_back(static_cast<int>(f_reaction_.size()));
    }
    for (int r = 0; r < nr; ++r)
        for (int q = react_ptr_[static_cast<std::size_t>(r)]; q < react_ptr_[static_cast<std::size_t>(r) + 1]; ++q)
            for (const auto& [s, v] : net[static_cast<std::size_t>(r)]) {
                if (v == 0) continue;
                j_lu_.push_back(pos[static_cast<std::size_t>(position_[static_cast<std::size_t>(s)])][static_cast<std::size_t>(react_species_[static_cast<std::size_t>(q)])]);
                j_partial_.push_back(q);
                j_coef_.push_back(v);
            }
}

kernels::RosenbrockPlan RosenbrockSolver::plan() const {
    kernels::RosenbrockPlan p;
    p.nspecies = system_.nspecies();
    p.nreactions = system_.nreactions();
    p.order = order_.data();
    p.react_ptr = react_ptr_.data();
    p.react_species = react_species_.data();
    p.f_ptr = f_ptr_.data();
    p.f_reaction = f_reaction_.data();
    p.f_coef = f_coef_.data();
    p.njterms = static_cast<int>(j_lu_.size());
    p.j_lu = j_lu_.data();
    p.j_partial = j_partial_.data();
    p.j_coef = j_coef_.data();
    p.nnz = static_cast<int>(col_.size());
    p.row_ptr = row_ptr_.data();
    p.col = col_.data();
    p.diag = diag_.data();
    p.ndiv = static_cast<int>(div_target_.size());
    p.div_target = div_target_.data();
    p.div_pivot = div_pivot_.data();
    p.div_nsub = div_nsub_.data();
    p.sub_target = sub_target_.data();
    p.sub_source = sub_source_.data();
    return p;
}

SolveStats RosenbrockSolver::integrate(double dt_s, int ncells, double* c, const double* k, const double* emission,
                                       RosenbrockWorkspace& ws, double* clipped, double* h_carry_s) const {
    const int n = system_.nspecies();
    SolveStats stats;
    stats.clipped_molec_cm3.assign(static_cast<std::size_t>(n), 0.0);
    if (ncells <= 0 || !(dt_s > 0)) return stats;
    const kernels::RosenbrockPlan p = plan();
    const std::size_t cells = static_cast<std::size_t>(ncells);
    ws.clipped.assign(cells * static_cast<std::size_t>(n), 0.0);
    ws.failed.assign(cells, -1);
    ws.steps.assign(cells, 0);
    ws.rejected.assign(cells, 0);
    const std::size_t per_thread = kernels::rosenbrock_scratch_doubles(p, tableau_);

    kernels::RosenbrockControl ctl;
    ctl.dt_s = dt_s;
    ctl.rtol = options_.rtol;
    ctl.atol = options_.atol_molec_cm3;
    ctl.h_min_s = options_.h_min_s;
    ctl.h_start_s = options_.h_start_s;
    ctl.fixed_step_s = options_.fixed_step_s;
    ctl.max_steps = options_.max_steps;
    kernels::RosenbrockViews v;
    v.ncells = ncells;
    v.c = c;
    v.k = k;
    v.emission = emission;
    v.clipped = ws.clipped.data();
    v.failed_species = ws.failed.data();
    v.steps = ws.steps.data();
    v.rejected = ws.rejected.data();
    v.h_carry_s = h_carry_s;
    v.scratch = ws.scratch(per_thread * static_cast<std::size_t>(kernels::max_threads()));
    kernels::rosenbrock_integrate(p, tableau_, ctl, v);

    // Sums in cell order: the same for any thread count.
    for (std::size_t cell = 0; cell < cells; ++cell) {
        stats.steps += ws.steps[cell];
        stats.rejected += ws.rejected[cell];
        stats.max_cell_steps = std::max(stats.max_cell_steps, ws.steps[cell]);
        for (int s = 0; s < n; ++s) stats.clipped_molec_cm3[static_cast<std::size_t>(s)] += ws.clipped[cell * static_cast<std::size_t>(n) + static_cast<std::size_t>(s)];
        if (ws.failed[cell] >= 0)
            stats.failures.push_back({static_cast<int>(cell), ws.failed[cell], system_.species[static_cast<std::size_t>(ws.failed[cell])]});
    }
    if (clipped) std::copy(ws.clipped.begin(), ws.clipped.end(), clipped);
    if (!stats.failures.empty()) {
        std::ostringstream msg;
        msg << "chemistry solver: " << stats.failures.size() << " cell(s) failed to integrate over " << dt_s
            << " s (step below h_min = " << options_.h_min_s << " s or more than " << options_.max_steps << " steps):";
        for (std::size_t i = 0; i < std::min<std::size_t>(stats.failures.size(), 5); ++i)
            msg << " cell " << stats.failures[i].cell << " (" << stats.failures[i].species_name << ")";
        if (stats.failures.size() > 5) msg << " ...";
        throw ChemistrySolverError(msg.str(), std::move(stats));
    }
    return stats;
}

}  // namespace lantian::chem
