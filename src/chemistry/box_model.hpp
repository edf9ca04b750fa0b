// A box model of a photochemical mechanism (issue 14 proofs, tests/regression/test_cb6_box.cpp):
// one well-mixed air parcel with a mechanism file (mechanism_file.hpp), its photolysis table
// (photolysis.hpp) and the Rodas3 solver (rosenbrock.hpp), advanced over time with constant
// emissions and an optional first-order exchange with background air (ventilation):
//
//     dc_i/dt = chemistry_i(c) + E_i + (c_bg,i − c_i) / τ           (molec cm-3 s-1)
//
// Ventilation is appended to the mechanism's ReactionSystem as one first-order loss reaction
// "X -> " per integrated species (k = 1/τ, after the mechanism's reactions) and its inflow c_bg/τ
// is added to the emissions, so the solver and any reference integrator see one ReactionSystem.
// Optionally a counter species (kUnbalancedNitrogen) receives −(N imbalance) of every reaction
// marked unbalanced_N, so that Σ N atoms · c (counter included) is an exact linear invariant.
// Rate constants and emissions are held constant over each advance() call.
#pragma once

#include <string>
#include <vector>

#include "chemistry/mechanism_file.hpp"
#include "chemistry/photolysis.hpp"
#include "chemistry/rosenbrock.hpp"

namespace lantian::chem {

// Counter species name: molec cm-3 of N atoms the unbalanced_N reactions destroyed (created if < 0).
inline constexpr const char* kUnbalancedNitrogen = "N_UNBALANCED";

// The parcel's physical state over one interval.
struct BoxEnvironment {
    double T_K = 298.15;
    double p_Pa = 101325;
    double h2o_molec_cm3 = 0;   // water vapour number density
    PhotolysisInputs light;     // cos χ, altitude, clouds, albedo
};

struct BoxOptions {
    SolverOptions solver;                 // Rodas3 tolerances (default: the run's)
    double ventilation_per_s = 0;         // 1/τ, s-1 (0: no exchange)
    bool count_unbalanced_nitrogen = false;
    double call_s = 300;                  // length of one solver call (a transport step), s
};

// Concentrations and the solver's carried step size.
struct BoxState {
    std::vector<double> c;                // molec cm-3, in BoxModel::system() order
    double h_carry_s = 0;                 // step size carried between solver calls (s)
    std::vector<double> clipped;          // molec cm-3 per species added by clipping negatives, summed
};

class BoxModel {
public:
    // `table` must be bound to `mech` (bind_to_mechanism).
    BoxModel(const Mechanism& mech, const PhotolysisTable& table, BoxOptions options = {});

    const ReactionSystem& system() const { return solver_.system(); }
    const RosenbrockSolver& solver() const { return solver_; }
    const Mechanism& mechanism() const { return mech_; }
    int index(const std::string& species) const;   // in system() order; throws if absent
    int nspecies() const { return system().nspecies(); }

    // Rate constants of system() (mechanism's reactions with fixed species and J folded in, then
    // ventilation).
    std::vector<double> rate_constants(const BoxEnvironment& env) const;
    // Emissions plus ventilation inflow c_bg/τ (both molec cm-3, in system() order; bg may be empty).
    std::vector<double> sources(const std::vector<double>& emission_molec_cm3_s, const std::vector<double>& background_molec_cm3) const;
    // A state with all species 0 (and the counter 0).
    BoxState empty_state() const;
    // Advances the state over dt_s (a whole number of options.call_s calls) with constant k and sources.
    SolveStats advance(BoxState& state, double dt_s, const std::vector<double>& k, const std::vector<double>& sources) const;

    // Nitrogen atoms per molecule of each species of system() (counter: 1).
    const std::vector<double>& nitrogen_atoms() const { return n_atoms_; }
    // Σ N atoms · c over the species, molec cm-3 of N.
    double total_nitrogen(const std::vector<double>& c) const;

private:
    const Mechanism& mech_;
    const PhotolysisTable& table_;
    BoxOptions options_;
    int n_mech_species_ = 0;
    std::vector<double> n_atoms_;
    RosenbrockSolver solver_;
};

// ppb ↔ molec cm-3 at the parcel's T and p (mole fraction 1e-9 of M).
double ppb_to_molec_cm3(double ppb, double T_K, double p_Pa);
double molec_cm3_to_ppb(double c, double T_K, double p_Pa);

}  // namespace lantian::chem
