// The chemical mechanism interface: a mechanism declares its species (with their element
// composition) and reactions (with stoichiometry), and makes the process that integrates them.
// The element books (kg of S, N, ... moved between species) and the balance checks are computed
// from those declarations, never from hand-written species lists. Recipe: docs/architecture.md.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "processes/process.hpp"

namespace lantian {

struct MechanismSpecies {
    std::string name;                                  // model species, e.g. "SO2"
    std::vector<std::pair<std::string, double>> atoms; // element → atoms per molecule, e.g. {"S", 1}
    double molar_mass_g_mol = 0;                       // as the mechanism converts it (0: from the species table)
};

struct Reaction {
    std::string label;                                      // "SO2 -> SO4"
    std::vector<std::pair<std::string, double>> reactants;  // species → molecules consumed
    std::vector<std::pair<std::string, double>> products;   // species → molecules produced
};

// Where the mechanism's species sit among the run's tracers: `blocks` copies (scenarios and tags)
// of `species` (the physical species, in order). A block may lack some species (tags of a subset,
// tags.species): then `map` gives the tracer of species s in block b at b·nspecies + s, -1 where
// the block has none; empty `map` = every block complete, tracer b·nspecies + s.
struct TracerBlocks {
    std::vector<std::string> species;
    int blocks = 1;
    std::vector<int> map;
    TracerBlocks(std::vector<std::string> species_in, int blocks_in = 1, std::vector<int> map_in = {})
        : species(std::move(species_in)), blocks(blocks_in), map(std::move(map_in)) {}
    int tracer(int block, int s) const {
        const int at = block * static_cast<int>(species.size()) + s;
        return map.empty() ? at : map[static_cast<std::size_t>(at)];
    }
    // The physical species of a tracer (-1: none).
    int species_of(int tracer) const {
        const int n = static_cast<int>(species.size());
        if (map.empty()) return tracer % n;
        for (std::size_t at = 0; at < map.size(); ++at)
            if (map[at] == tracer) return static_cast<int>(at) % n;
        return -1;
    }
};

class Mechanism {
public:
    virtual ~Mechanism() = default;
    virtual std::string name() const = 0;
    virtual const std::vector<MechanismSpecies>& species() const = 0;
    virtual const std::vector<Reaction>& reactions() const = 0;
    // The process integrating the mechanism over every block of tracers; nullptr when no reaction
    // has its species in the run.
    virtual std::unique_ptr<Process> make_process(const Grid& grid, const TracerBlocks& tracers) const = 0;
};

// The ledger term every chemistry process books: net chemical production per tracer (kg, < 0 for a
// species that is converted).
inline LedgerTerm chemistry_ledger_term() {
    return {"chemistry", TermKind::transformation, "chemistry", "net chemical production (negative: converted to other species)"};
}

// Atoms of `element` minus those consumed, over one reaction (0 when it balances).
double element_imbalance(const Mechanism& m, const Reaction& r, const std::string& element);

// The element books of a finished run: for each element of the mechanism's species, the kg moved
// between species and the net change (round-off when chemistry conserves it). `molar_mass_g_mol`
// is per physical species of `tracers`; species without a molar mass are left out.
std::string element_books(const Mechanism& m, const Ledger& ledger, const TracerBlocks& tracers,
                          const std::vector<double>& molar_mass_g_mol);

}  // namespace lantian
