// Hot loops of the stiff chemistry solver (docs/chemistry-solver.md): a Rosenbrock method with
// embedded error estimate, integrating kLanes cells at once with the cell index innermost in every
// scratch array, a sparse LU that touches only the nonzeros of a pattern (fill-in included) fixed
// once per mechanism by src/chemistry/rosenbrock.cpp, and the step size controlled per cell.
//
// Batches are fixed global cell ranges [b·kLanes, (b+1)·kLanes) and every lane executes the same
// instructions (the last batch is padded with copies of a real cell whose results are dropped), so a
// cell's result depends on nothing but its own data: bit-identical for any thread count or number
// of cells integrated in one call. No allocation, I/O or exceptions: failures are written to
// `failed_species`.
#pragma once

#include <cstddef>

namespace lantian::kernels {

// Cells integrated together; every lane loop has this fixed trip count (no remainder loop).
inline constexpr int kLanes = 8;

// A Rosenbrock method in the form of Hairer & Wanner (1996, IV.7, eq. 7.25) used by Sandu et al.
// (1997): with γ the diagonal coefficient and stages i = 1..s,
//   (I/(hγ) − J) K_i = f(y + Σ_{j<i} a_ij K_j) + Σ_{j<i} (c_ij / h) K_j
//   y_{n+1} = y_n + Σ m_i K_i,            error estimate  e = Σ e_i K_i.
// a and c are packed strictly-lower-triangular: (i, j) at i(i−1)/2 + j (0-based).
struct RosenbrockTableau {
    int stages = 0;
    int order = 0;              // of the error estimate's controlling pair (step-size exponent 1/order)
    double gamma = 0;
    double a[6] = {};
    double c[6] = {};
    double m[4] = {};
    double e[4] = {};
    bool new_f[4] = {};         // stage needs a fresh f (false: same stage argument as the previous)
};

// The compiled mechanism in the solver's species order (permuted to reduce LU fill-in).
struct RosenbrockPlan {
    int nspecies = 0, nreactions = 0;
    const int* order = nullptr;            // [nspecies]: solver row p holds caller species order[p]
    // Reactants: reaction r uses react_species[react_ptr[r] .. react_ptr[r+1]) (solver indices,
    // repeated for a species consumed twice).
    const int* react_ptr = nullptr;
    const int* react_species = nullptr;
    // f_i = Σ_terms coef · rate[reaction] + E_i: terms grouped by species, f_ptr[nspecies+1].
    const int* f_ptr = nullptr;
    const int* f_reaction = nullptr;
    const double* f_coef = nullptr;
    // Jacobian: one partial derivative per reactant occurrence (index = position in react_species),
    //   ∂r_r/∂c_{occ} = k_r Π_{other occurrences q} c_q;
    // J[lu] += coef · partial[j_partial] for each term.
    int njterms = 0;
    const int* j_lu = nullptr;
    const int* j_partial = nullptr;
    const double* j_coef = nullptr;
    // LU pattern (CSR, columns ascending, fill-in included) and the position of each diagonal.
    int nnz = 0;
    const int* row_ptr = nullptr;
    const int* col = nullptr;
    const int* diag = nullptr;
    // Numeric LU without pivoting (row-by-row Doolittle): for each elimination d in order,
    //   A[div_target] /= A[div_pivot];  then for its div_nsub[d] updates u:  A[sub_target] −= A[div_target]·A[sub_source]
    int ndiv = 0;
    const int* div_target = nullptr;
    const int* div_pivot = nullptr;
    const int* div_nsub = nullptr;
    const int* sub_target = nullptr;
    const int* sub_source = nullptr;
};

struct RosenbrockControl {
    double dt_s = 0;
    double rtol = 1e-3;
    double atol = 1.0;                 // molec cm-3
    double h_min_s = 1e-6;
    double h_start_s = 30;
    double fixed_step_s = 0;           // > 0: fixed steps of this size, no error control (order tests)
    int max_steps = 5000;              // attempts per cell per call
};

struct RosenbrockViews {
    int ncells = 0;
    double* c = nullptr;                      // [ncells][nspecies] molec cm-3 (caller order), in/out
    const double* k = nullptr;                // [ncells][nreactions]
    const double* emission = nullptr;         // [ncells][nspecies] molec cm-3 s-1, may be null
    double* clipped = nullptr;                // [ncells][nspecies] out: molec cm-3 added by clipping negatives
    int* failed_species = nullptr;            // [ncells] out: −1, or the caller species index of a failed cell
    long* steps = nullptr;                    // [ncells] out: accepted steps
    long* rejected = nullptr;                 // [ncells] out: rejected steps
    double* h_carry_s = nullptr;              // [ncells] in/out, may be null: first step (s; ≤ 0: h_start), then the step to continue with
    double* scratch = nullptr;                // rosenbrock_scratch_doubles(plan, tableau) × max_threads(), 64-byte aligned
};

std::size_t rosenbrock_scratch_doubles(const RosenbrockPlan& plan, const RosenbrockTableau& tab);
void rosenbrock_integrate(const RosenbrockPlan& plan, const RosenbrockTableau& tab, const RosenbrockControl& ctl,
                          const RosenbrockViews& v);

}  // namespace lantian::kernels
