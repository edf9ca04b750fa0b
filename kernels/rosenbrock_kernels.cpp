// Rosenbrock integration of batches of kLanes cells (see rosenbrock_kernels.hpp and
// docs/chemistry-solver.md). Every array of the scratch is [row][lane] with kLanes lanes, so each
// inner loop runs over the lanes with a fixed trip count and vectorises; all lanes run the same
// instructions, whatever cell they hold.
#include "rosenbrock_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "thread_scratch.hpp"

namespace lantian::kernels {

namespace {

constexpr int L = kLanes;
using Lane = double[L];

// Rows of the per-thread scratch block, in units of kLanes doubles.
struct Scratch {
    double* y;        // [n]    state at the start of the step
    double* ynew;     // [n]    candidate state
    double* ys;       // [n]    stage argument, then the error estimate
    double* f0;       // [n]    f(y)
    double* fs;       // [n]    f(stage argument)
    double* K;        // [s][n] stage vectors
    double* M;        // [nnz]  I/(hγ) − J, then its LU factors
    double* rate;     // [nr]   reaction rates (molec cm-3 s-1)
    double* part;     // [nocc] partial derivatives of the rates
    double* kk;       // [nr]   rate coefficients
    double* em;       // [n]    emissions (molec cm-3 s-1)
    double* clip;     // [n]    molec cm-3 added by clipping
};

std::size_t rows(const RosenbrockPlan& p, const RosenbrockTableau& t) {
    const std::size_t n = static_cast<std::size_t>(p.nspecies);
    const std::size_t nocc = static_cast<std::size_t>(p.react_ptr[p.nreactions]);
    return n * (7 + static_cast<std::size_t>(t.stages)) + static_cast<std::size_t>(p.nnz) +
           2 * static_cast<std::size_t>(p.nreactions) + nocc;
}

Scratch carve(double* base, const RosenbrockPlan& p, const RosenbrockTableau& t) {
    const std::size_t n = static_cast<std::size_t>(p.nspecies) * L;
    Scratch s{};
    double* q = base;
    auto take = [&q](std::size_t count) { double* r = q; q += count; return r; };
    s.y = take(n);
    s.ynew = take(n);
    s.ys = take(n);
    s.f0 = take(n);
    s.fs = take(n);
    s.K = take(n * static_cast<std::size_t>(t.stages));
    s.M = take(static_cast<std::size_t>(p.nnz) * L);
    s.rate = take(static_cast<std::size_t>(p.nreactions) * L);
    s.part = take(static_cast<std::size_t>(p.react_ptr[p.nreactions]) * L);
    s.kk = take(static_cast<std::size_t>(p.nreactions) * L);
    s.em = take(n);
    s.clip = take(n);
    return s;
}

inline double* row(double* a, int i) { return static_cast<double*>(__builtin_assume_aligned(a + static_cast<std::size_t>(i) * L, 64)); }
inline const double* row(const double* a, int i) {
    return static_cast<const double*>(__builtin_assume_aligned(a + static_cast<std::size_t>(i) * L, 64));
}

// r_r = k_r Π c_reactants
void rates(const RosenbrockPlan& p, const double* kk, const double* y, double* rate) {
    for (int r = 0; r < p.nreactions; ++r) {
        double* __restrict out = row(rate, r);
        const double* kr = row(kk, r);
        #pragma omp simd
        for (int l = 0; l < L; ++l) out[l] = kr[l];
        for (int q = p.react_ptr[r]; q < p.react_ptr[r + 1]; ++q) {
            const double* c = row(y, p.react_species[q]);
            #pragma omp simd
            for (int l = 0; l < L; ++l) out[l] *= c[l];
        }
    }
}

// f_i = E_i + Σ ν_ir r_r
void fun(const RosenbrockPlan& p, const double* rate, const double* em, double* f) {
    for (int i = 0; i < p.nspecies; ++i) {
        double* __restrict out = row(f, i);
        const double* e = row(em, i);
        #pragma omp simd
        for (int l = 0; l < L; ++l) out[l] = e[l];
        for (int q = p.f_ptr[i]; q < p.f_ptr[i + 1]; ++q) {
            const double* r = row(rate, p.f_reaction[q]);
            const double coef = p.f_coef[q];
            #pragma omp simd
            for (int l = 0; l < L; ++l) out[l] += coef * r[l];
        }
    }
}

// M = I/(hγ) − J(y), on the LU pattern.
void matrix(const RosenbrockPlan& p, const double* kk, const double* y, const double* ghinv, double* part, double* M) {
    for (int r = 0; r < p.nreactions; ++r) {
        const double* kr = row(kk, r);
        for (int occ = p.react_ptr[r]; occ < p.react_ptr[r + 1]; ++occ) {
            double* __restrict out = row(part, occ);
            #pragma omp simd
            for (int l = 0; l < L; ++l) out[l] = kr[l];
            for (int q = p.react_ptr[r]; q < p.react_ptr[r + 1]; ++q) {
                if (q == occ) continue;
                const double* c = row(y, p.react_species[q]);
                #pragma omp simd
                for (int l = 0; l < L; ++l) out[l] *= c[l];
            }
        }
    }
    std::memset(M, 0, sizeof(double) * static_cast<std::size_t>(p.nnz) * L);
    for (int t = 0; t < p.njterms; ++t) {
        double* __restrict out = row(M, p.j_lu[t]);
        const double* d = row(part, p.j_partial[t]);
        const double coef = p.j_coef[t];
        #pragma omp simd
        for (int l = 0; l < L; ++l) out[l] -= coef * d[l];
    }
    for (int i = 0; i < p.nspecies; ++i) {
        double* __restrict out = row(M, p.diag[i]);
        #pragma omp simd
        for (int l = 0; l < L; ++l) out[l] += ghinv[l];
    }
}

void factor(const RosenbrockPlan& p, double* M) {
    int u = 0;
    for (int d = 0; d < p.ndiv; ++d) {
        double* __restrict m = row(M, p.div_target[d]);
        const double* piv = row(M, p.div_pivot[d]);
        #pragma omp simd
        for (int l = 0; l < L; ++l) m[l] /= piv[l];
        for (int e = 0; e < p.div_nsub[d]; ++e, ++u) {
            double* __restrict a = row(M, p.sub_target[u]);
            const double* b = row(M, p.sub_source[u]);
            #pragma omp simd
            for (int l = 0; l < L; ++l) a[l] -= m[l] * b[l];
        }
    }
}

// x ← (LU)⁻¹ x: forward with the unit lower factor, backward with the upper one.
void solve(const RosenbrockPlan& p, const double* M, double* x) {
    for (int i = 0; i < p.nspecies; ++i) {
        double* __restrict xi = row(x, i);
        for (int q = p.row_ptr[i]; q < p.diag[i]; ++q) {
            const double* a = row(M, q);
            const double* xj = row(x, p.col[q]);
            #pragma omp simd
            for (int l = 0; l < L; ++l) xi[l] -= a[l] * xj[l];
        }
    }
    for (int i = p.nspecies - 1; i >= 0; --i) {
        double* __restrict xi = row(x, i);
        for (int q = p.diag[i] + 1; q < p.row_ptr[i + 1]; ++q) {
            const double* a = row(M, q);
            const double* xj = row(x, p.col[q]);
            #pragma omp simd
            for (int l = 0; l < L; ++l) xi[l] -= a[l] * xj[l];
        }
        const double* d = row(M, p.diag[i]);
        #pragma omp simd
        for (int l = 0; l < L; ++l) xi[l] /= d[l];
    }
}

void integrate_batch(const RosenbrockPlan& p, const RosenbrockTableau& tab, const RosenbrockControl& ctl,
                     const RosenbrockViews& v, int first, Scratch& s) {
    const int n = p.nspecies, nr = p.nreactions;
    const std::size_t nL = static_cast<std::size_t>(n) * L;
    int cell[L];
    bool real_cell[L];
    for (int l = 0; l < L; ++l) {
        real_cell[l] = first + l < v.ncells;
        cell[l] = real_cell[l] ? first + l : first;  // padding lanes repeat the batch's first cell
    }
    for (int i = 0; i < n; ++i) {
        const int sp = p.order[i];
        for (int l = 0; l < L; ++l) {
            const std::size_t at = static_cast<std::size_t>(cell[l]) * static_cast<std::size_t>(n) + static_cast<std::size_t>(sp);
            s.y[static_cast<std::size_t>(i) * L + l] = v.c[at];
            s.em[static_cast<std::size_t>(i) * L + l] = v.emission ? v.emission[at] : 0.0;
            s.clip[static_cast<std::size_t>(i) * L + l] = 0.0;
        }
    }
    for (int r = 0; r < nr; ++r)
        for (int l = 0; l < L; ++l)
            s.kk[static_cast<std::size_t>(r) * L + l] = v.k[static_cast<std::size_t>(cell[l]) * static_cast<std::size_t>(nr) + static_cast<std::size_t>(r)];

    const bool fixed = ctl.fixed_step_s > 0;
    alignas(64) Lane t, h, hh, ghinv, hinv, err2, worst_val;
    int worst[L], fail[L], attempts[L];
    bool done[L], last[L], was_rejected[L], bad[L];
    long acc[L], rej[L];
    for (int l = 0; l < L; ++l) {
        t[l] = 0;
        const double carried = v.h_carry_s ? v.h_carry_s[cell[l]] : 0.0;
        h[l] = std::min(fixed ? ctl.fixed_step_s : (carried > 0 ? carried : ctl.h_start_s), ctl.dt_s);
        done[l] = !(ctl.dt_s > 0);
        was_rejected[l] = false;
        fail[l] = -1;
        attempts[l] = 0;
        acc[l] = rej[l] = 0;
    }

    for (;;) {
        bool any = false;
        for (int l = 0; l < L; ++l) any = any || !done[l];
        if (!any) break;
        for (int l = 0; l < L; ++l) {
            const double rem = ctl.dt_s - t[l];
            last[l] = h[l] >= rem * (1 - 1e-12);
            hh[l] = done[l] ? ctl.dt_s : (last[l] ? rem : h[l]);
            hinv[l] = 1.0 / hh[l];
            ghinv[l] = hinv[l] / tab.gamma;
        }
        rates(p, s.kk, s.y, s.rate);
        fun(p, s.rate, s.em, s.f0);
        matrix(p, s.kk, s.y, ghinv, s.part, s.M);
        factor(p, s.M);
        const double* fcur = s.f0;
        for (int i = 0; i < tab.stages; ++i) {
            double* Ki = s.K + static_cast<std::size_t>(i) * nL;
            if (i > 0 && tab.new_f[i]) {
                std::memcpy(s.ys, s.y, sizeof(double) * nL);
                for (int j = 0; j < i; ++j) {
                    const double a = tab.a[i * (i - 1) / 2 + j];
                    if (a == 0) continue;
                    const double* Kj = s.K + static_cast<std::size_t>(j) * nL;
                    for (std::size_t q = 0; q < nL; ++q) s.ys[q] += a * Kj[q];
                }
                rates(p, s.kk, s.ys, s.rate);
                fun(p, s.rate, s.em, s.fs);
                fcur = s.fs;
            }
            std::memcpy(Ki, fcur, sizeof(double) * nL);
            for (int j = 0; j < i; ++j) {
                const double c = tab.c[i * (i - 1) / 2 + j];
                if (c == 0) continue;
                const double* Kj = s.K + static_cast<std::size_t>(j) * nL;
                for (int sp = 0; sp < n; ++sp)
                    for (int l = 0; l < L; ++l)
                        Ki[static_cast<std::size_t>(sp) * L + l] += c * hinv[l] * Kj[static_cast<std::size_t>(sp) * L + l];
            }
            solve(p, s.M, Ki);
        }
        // y_new = y + Σ m_i K_i;  e = Σ e_i K_i (in ys)
        std::memcpy(s.ynew, s.y, sizeof(double) * nL);
        std::memset(s.ys, 0, sizeof(double) * nL);
        for (int i = 0; i < tab.stages; ++i) {
            const double* Ki = s.K + static_cast<std::size_t>(i) * nL;
            if (tab.m[i] != 0)
                for (std::size_t q = 0; q < nL; ++q) s.ynew[q] += tab.m[i] * Ki[q];
            if (tab.e[i] != 0)
                for (std::size_t q = 0; q < nL; ++q) s.ys[q] += tab.e[i] * Ki[q];
        }
        // Error norm ‖e‖ = sqrt(1/n Σ (e_i / (atol + rtol max(|y_i|, |y_new,i|)))²); a value below
        // −(atol + rtol |y_i|) fails the step (docs/chemistry-solver.md, negative values).
        for (int l = 0; l < L; ++l) {
            err2[l] = 0;
            worst_val[l] = -1;
            worst[l] = 0;
            bad[l] = false;
        }
        for (int i = 0; i < n; ++i) {
            const double* yo = row(s.y, i);
            const double* yn = row(s.ynew, i);
            const double* e = row(s.ys, i);
            for (int l = 0; l < L; ++l) {
                const double sc = ctl.atol + ctl.rtol * std::max(std::fabs(yo[l]), std::fabs(yn[l]));
                const double q = e[l] / sc;
                const bool neg = yn[l] < -(ctl.atol + ctl.rtol * std::fabs(yo[l]));
                const bool nonfinite = !std::isfinite(yn[l]);
                const double w = (neg || nonfinite) ? 1e300 : q * q;
                err2[l] += w;
                if (w > worst_val[l]) {
                    worst_val[l] = w;
                    worst[l] = i;
                }
                bad[l] = bad[l] || neg || nonfinite;
            }
        }
        bool accept[L];
        for (int l = 0; l < L; ++l) {
            accept[l] = false;
            if (done[l]) continue;
            ++attempts[l];
            const double err = std::sqrt(err2[l] / n);
            accept[l] = fixed ? !bad[l] : (!bad[l] && err <= 1.0);
            // h_new = h · min(facmax, max(0.2, 0.9 err^(−1/order))), facmax = 1 right after a rejection
            double fac = (bad[l] || !std::isfinite(err)) ? 0.2 : 0.9 * std::pow(std::max(err, 1e-10), -1.0 / tab.order);
            fac = std::clamp(fac, 0.2, was_rejected[l] ? 1.0 : 6.0);
            if (accept[l]) {
                ++acc[l];
                t[l] = last[l] ? ctl.dt_s : t[l] + hh[l];
                done[l] = last[l];
                was_rejected[l] = false;
                // after the last (possibly shortened) step keep the larger of the proposal and the untruncated h
                if (!fixed) h[l] = std::max(last[l] ? std::max(hh[l] * fac, h[l]) : hh[l] * fac, ctl.h_min_s);
            } else {
                ++rej[l];
                was_rejected[l] = true;
                if (fixed || hh[l] <= ctl.h_min_s) {
                    fail[l] = worst[l];
                    done[l] = true;
                } else {
                    h[l] = std::max(hh[l] * fac, ctl.h_min_s);
                }
            }
            if (!done[l] && attempts[l] >= ctl.max_steps) {
                fail[l] = worst[l];
                done[l] = true;
            }
        }
        // Accepted lanes take y_new, negatives (all above the failure threshold) clipped to zero.
        for (int i = 0; i < n; ++i) {
            double* __restrict yo = row(s.y, i);
            const double* yn = row(s.ynew, i);
            double* __restrict cl = row(s.clip, i);
            for (int l = 0; l < L; ++l) {
                const double val = yn[l];
                cl[l] += (accept[l] && val < 0) ? -val : 0.0;
                yo[l] = accept[l] ? std::max(val, 0.0) : yo[l];
            }
        }
    }

    for (int l = 0; l < L; ++l) {
        if (!real_cell[l]) continue;
        const std::size_t base = static_cast<std::size_t>(cell[l]) * static_cast<std::size_t>(n);
        for (int i = 0; i < n; ++i) {
            const std::size_t at = base + static_cast<std::size_t>(p.order[i]);
            v.c[at] = s.y[static_cast<std::size_t>(i) * L + l];
            if (v.clipped) v.clipped[at] = s.clip[static_cast<std::size_t>(i) * L + l];
        }
        if (v.failed_species) v.failed_species[cell[l]] = fail[l] >= 0 ? p.order[fail[l]] : -1;
        if (v.steps) v.steps[cell[l]] = acc[l];
        if (v.rejected) v.rejected[cell[l]] = rej[l];
        if (v.h_carry_s && !fixed) v.h_carry_s[cell[l]] = h[l];
    }
}

}  // namespace

std::size_t rosenbrock_scratch_doubles(const RosenbrockPlan& plan, const RosenbrockTableau& tab) {
    return rows(plan, tab) * L;  // a multiple of 8 doubles: every thread's slice stays 64-byte aligned
}

void rosenbrock_integrate(const RosenbrockPlan& plan, const RosenbrockTableau& tab, const RosenbrockControl& ctl,
                          const RosenbrockViews& v) {
    const int nbatches = (v.ncells + L - 1) / L;
    const std::size_t per_thread = rosenbrock_scratch_doubles(plan, tab);
#pragma omp parallel
    {
        Scratch s = carve(thread_slice(v.scratch, per_thread), plan, tab);
#pragma omp for schedule(dynamic, 1)
        for (int b = 0; b < nbatches; ++b) integrate_batch(plan, tab, ctl, v, b * L, s);
    }
}

}  // namespace lantian::kernels
