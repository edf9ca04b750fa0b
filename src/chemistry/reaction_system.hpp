// The compiled form of a photochemical mechanism, the contract between the mechanism file reader
// (which builds it from configs/mechanisms/*.txt) and the stiff solver (which integrates it).
//
// Concentrations are in molecules cm-3. Reaction j proceeds at
//     r_j = k_j · Π_{i ∈ reactants(j)} c_i            (molecules cm-3 s-1)
// with k_j in (cm3 molecule-1)^(n-1) s-1 for n reactants (s-1 for photolysis and first-order
// reactions). Third bodies (M), O2, N2 and H2O are folded into k_j by the rate laws; they are never
// integrated species. A reactant listed twice (2 NO2 -> ...) appears twice in `reactants`.
// dc_i/dt = Σ_j (ν⁺_ij − ν⁻_ij) r_j + E_i, with ν⁺ from `products` (fractional coefficients allowed,
// negative ones too where the mechanism uses them as an operator) and ν⁻ the count in `reactants`.
#pragma once

#include <string>
#include <vector>

namespace lantian::chem {

struct Product {
    int species = -1;         // index into ReactionSystem::species
    double coefficient = 1;   // molecules produced per reaction event (may be fractional)
};

struct CompiledReaction {
    std::string label;              // for messages: "R12: NO + O3 -> NO2"
    std::vector<int> reactants;     // species indices; repeated for a species consumed twice
    std::vector<Product> products;  // one entry per distinct product species
};

struct ReactionSystem {
    std::vector<std::string> species;       // the integrated species, in index order
    std::vector<CompiledReaction> reactions;
    int nspecies() const { return static_cast<int>(species.size()); }
    int nreactions() const { return static_cast<int>(reactions.size()); }
};

}  // namespace lantian::chem
