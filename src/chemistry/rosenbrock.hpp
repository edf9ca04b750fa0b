// The stiff chemistry solver (issue 14): integrates a ReactionSystem (reaction_system.hpp) over an
// interval dt in every cell with the Rodas3 Rosenbrock method (Sandu et al. 1997), adaptive internal
// steps per cell, a sparse LU whose fill-in is fixed once per mechanism (Markowitz ordering), and
// batches of kernels::kLanes cells vectorised across cells. Method, tolerances, negative-value rule
// and cost: docs/chemistry-solver.md. The loops live in kernels/rosenbrock_kernels.*.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "chemistry/reaction_system.hpp"
#include "rosenbrock_kernels.hpp"

namespace lantian::chem {

// The Rosenbrock method (docs/chemistry-solver.md): Rodas3 (4 stages, order 3, stiffly accurate) or
// ROS2 (2 stages, order 2, L-stable; Verwer et al. 1999, SIAM J. Sci. Comput. 20, 1456), cheaper per
// step and enough at the loose tolerances of a forecast.
enum class RosenbrockMethod { rodas3, ros2 };

struct SolverOptions {
    double rtol = 1e-3;               // relative tolerance of the local error estimate (1)
    double atol_molec_cm3 = 1e5;      // absolute tolerance (molec cm-3; 1e5 ≈ 4e-6 ppb at the surface)
    double h_min_s = 1e-6;            // a cell whose step fails at this size is reported as failed (s)
    int max_steps = 20000;            // step attempts per cell per integrate() call
    double h_start_s = 10;            // first internal step of each call (s), limited to dt
    double fixed_step_s = 0;          // > 0: fixed internal steps, no error control (order tests only)
    RosenbrockMethod method = RosenbrockMethod::rodas3;
};

struct CellFailure {
    int cell = -1;
    int species = -1;                 // index into ReactionSystem::species
    std::string species_name;
};

struct SolveStats {
    long steps = 0;                   // accepted internal steps, summed over cells
    long rejected = 0;                // rejected internal steps, summed over cells
    long max_cell_steps = 0;          // most accepted steps of any one cell
    std::vector<double> clipped_molec_cm3;  // per species: Σ over cells of what clipping negatives added
    std::vector<CellFailure> failures;       // in cell order
};

// Thrown by integrate() when cells fail after the minimum step; carries the stats (and failures).
class ChemistrySolverError : public std::runtime_error {
public:
    ChemistrySolverError(const std::string& what, SolveStats stats) : std::runtime_error(what), stats_(std::move(stats)) {}
    const SolveStats& stats() const { return stats_; }
private:
    SolveStats stats_;
};

// Scratch of the solver: per-thread batch arrays (64-byte aligned) and per-cell outputs. Reused
// across calls; grows on demand. One per concurrently running integrate() call.
class RosenbrockWorkspace {
public:
    double* scratch(std::size_t doubles);
    std::vector<double> clipped;     // [ncells][nspecies]
    std::vector<int> failed;         // [ncells]
    std::vector<long> steps, rejected;
private:
    std::vector<double> buffer_;
};

class RosenbrockSolver {
public:
    RosenbrockSolver(const ReactionSystem& system, SolverOptions options = {});

    // Integrates dc/dt = f(c) + E over dt_s in each of ncells cells, in place.
    //   c          [ncells][nspecies] molec cm-3 (species in ReactionSystem order)
    //   k          [ncells][nreactions] rate coefficients, constant over dt
    //   emission   [ncells][nspecies] molec cm-3 s-1, constant over dt; may be null
    //   clipped    [ncells][nspecies] out (may be null): molec cm-3 added by clipping negatives
    //   h_carry_s  [ncells] in/out (may be null): each cell's first internal step (s; ≤ 0 or null:
    //              h_start_s), replaced by the step to continue with — keep it per cell between
    //              transport steps to skip the ramp-up from h_start_s
    // Throws ChemistrySolverError naming cell and species when a cell fails after h_min_s or max_steps
    // (its concentrations are left at the last accepted time).
    SolveStats integrate(double dt_s, int ncells, double* c, const double* k, const double* emission,
                         RosenbrockWorkspace& ws, double* clipped = nullptr, double* h_carry_s = nullptr) const;

    const ReactionSystem& system() const { return system_; }
    const SolverOptions& options() const { return options_; }
    // Sparsity: nonzeros of the Jacobian (diagonal included) and of its LU factors with the chosen
    // ordering and with the identity ordering (to show what the ordering saves).
    int jacobian_nonzeros() const { return jac_nnz_; }
    int lu_nonzeros() const { return static_cast<int>(col_.size()); }
    int lu_nonzeros_unordered() const { return lu_nnz_identity_; }
    const std::vector<int>& species_order() const { return order_; }
    static kernels::RosenbrockTableau rodas3();
    static kernels::RosenbrockTableau ros2();

private:
    kernels::RosenbrockPlan plan() const;

    ReactionSystem system_;
    SolverOptions options_;
    kernels::RosenbrockTableau tableau_;
    std::vector<int> order_, position_;
    std::vector<int> react_ptr_, react_species_;
    std::vector<int> f_ptr_, f_reaction_;
    std::vector<double> f_coef_;
    std::vector<int> j_lu_, j_partial_;
    std::vector<double> j_coef_;
    std::vector<int> row_ptr_, col_, diag_;
    std::vector<int> div_target_, div_pivot_, div_nsub_, sub_target_, sub_source_;
    int jac_nnz_ = 0;
    int lu_nnz_identity_ = 0;
};

}  // namespace lantian::chem
