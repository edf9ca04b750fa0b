// A photochemical mechanism read from a text file (configs/mechanisms/*.txt, format in
// docs/mechanism-format.md): species with molar mass, element composition and whether they are
// fixed (folded into the rate constants) or integrated; reactions with fractional products and a
// rate law. Builds the ReactionSystem the stiff solver integrates and evaluates its rate constants.
//
// Concentrations in molecules cm-3, time in s. Rate laws (T in K, M = air number density):
//   arrhenius   k = A (T/300)^B exp(-Ea/T)                          (Ea in K; Ea < 0 speeds up when cold)
//   troe        k = k0 M / (1 + k0 M / kinf) · Fc^(1 / (1 + (log10(k0 M / kinf) / n)^2)),
//               k0 and kinf each of Arrhenius form (the CB6 / CMAQ fall-off form)
//   sum_m       k = k1 + k2 M                                        (HO2 + HO2, OH + CO)
//   oh_hno3     k = k0 + k3 M / (1 + k3 M / k2)                      (OH + HNO3)
//   photolysis  k = scale · J(name)                                  (J in s-1, supplied per name)
//   ref         k = factor · k(referenced reaction, as its own law gives it)
// Fixed species among the reactants multiply k by their concentration: M = p/(kB T),
// O2 = 0.2095 M and N2 = 0.7808 M (any "fixed=RATIO" species = RATIO · M), H2O as given.
#pragma once

#include <istream>
#include <map>
#include <string>
#include <vector>

#include "chemistry/reaction_system.hpp"

namespace lantian::chem {

// How a species' concentration is known.
enum class FixedKind {
    integrated,  // solved for
    air,         // M, the air number density p/(kB T)
    ratio,       // a constant fraction of M (O2, N2, CH4, ...)
    water        // H2O, supplied by the caller
};

struct MechSpecies {
    std::string name;
    double molar_mass_g_mol = 0;
    std::map<std::string, double> atoms;  // element -> count per molecule; empty for lumped species
    FixedKind fixed = FixedKind::integrated;
    double ratio = 0;                     // mole fraction of M (FixedKind::ratio)
    int integrated_index = -1;            // index into ReactionSystem::species, -1 if fixed
};

enum class RateLawKind { arrhenius, troe, sum_m, oh_hno3, photolysis, ref };

// k = A (T/300)^B exp(-Ea/T)
struct Arrhenius {
    double A = 0;     // units of the reaction order
    double B = 0;     // temperature exponent
    double Ea_K = 0;  // activation temperature, K
    double at(double T_K) const;
};

struct MechReaction {
    std::string id;
    int line = 0;                        // line in the mechanism file
    std::string equation;                // as written, for messages
    std::vector<int> reactants;          // MechSpecies indices, repeated for a species consumed twice
    std::vector<std::pair<int, double>> products;  // MechSpecies index, coefficient (may be < 0)
    RateLawKind kind = RateLawKind::arrhenius;
    Arrhenius k0, k1, k2, k3;            // arrhenius: k1; troe: k0, k1 = kinf; sum_m: k1, k2; oh_hno3: k0, k2, k3
    double Fc = 0.6, n = 1.0;            // troe
    int photolysis = -1;                 // index into Mechanism::photolysis_names
    double factor = 1.0;                 // photolysis scale or ref factor
    int ref = -1;                        // index of the referenced reaction (earlier in the file)
    bool unbalanced_n = false;           // marked: the mechanism does not conserve N here
};

struct Mechanism {
    std::string file;
    std::vector<MechSpecies> species;
    std::vector<MechReaction> reactions;
    std::vector<std::string> photolysis_names;  // distinct J names in order of first use
    ReactionSystem system;                      // over the integrated species, reactions in file order

    int find_species(const std::string& name) const;    // -1 if absent
    int find_reaction(const std::string& id) const;     // -1 if absent
    int find_photolysis(const std::string& name) const; // -1 if absent
};

// Reads and checks a mechanism file; any problem throws lantian::ConfigError "FILE:LINE: problem".
Mechanism read_mechanism_file(const std::string& path);
// The same from a stream; `file` names it in messages.
Mechanism parse_mechanism(std::istream& in, const std::string& file);

// Nitrogen atoms in the products minus those in the reactants (fixed species included).
double nitrogen_imbalance(const Mechanism& mech, const MechReaction& r);
// Largest |imbalance| accepted as balanced (round-off in summing the written coefficients); a
// published yield rounded to 3 decimals that misses by 0.001 must be marked unbalanced_N.
inline constexpr double kNitrogenTolerance = 1e-6;

// Air number density M = p / (kB T) in molecules cm-3.
double air_number_density(double T_K, double p_Pa);

// The rate law's own k (no fixed-species concentrations folded in), as the mechanism tables list it.
// j_per_s: one J value (s-1) per photolysis_names entry; may be null if no photolysis is evaluated.
double law_rate_constant(const Mechanism& mech, int reaction, double T_K, double M_cm3, const double* j_per_s);

// k_out[j] for every reaction, with fixed reactants (M, O2, N2, H2O, fixed ratios) folded in, so that
// r_j = k_out[j] · Π c_i over the integrated reactants of ReactionSystem::reactions[j].
void rate_constants(const Mechanism& mech, double T_K, double p_Pa, double h2o_molec_cm3,
                    const double* j_per_s, double* k_out);

}  // namespace lantian::chem
