// Which tracer is which: the physical species, repeated once per scenario block (base first, then
// the reduction scenarios) and once per source-apportionment tag of the base case. Tracer t of
// block b and species s is b·nspecies + s. Names: SPECIES for the base, SPECIES@SCENARIO,
// SPECIES#TAG.
#pragma once

#include <string>
#include <vector>

#include "chemistry/mechanism.hpp"
#include "config/config.hpp"

namespace lantian {

struct TracerLayout {
    std::vector<std::string> species;    // physical species (species.names)
    std::vector<std::string> scenarios;  // "base" first when it runs, then scenarios.runs
    std::vector<std::string> tags;       // tag groups of the base case (empty: no tags)

    TracerLayout(const Config& cfg, std::vector<std::string> tag_groups);
    int nphys() const { return static_cast<int>(species.size()); }
    int nscenarios() const { return static_cast<int>(scenarios.size()); }
    int ntags() const { return static_cast<int>(tags.size()); }
    int blocks() const { return nscenarios() + ntags(); }
    int tracers() const { return blocks() * nphys(); }
    int tracer(int block, int s) const { return block * nphys() + s; }
    int tag_block(int g) const { return nscenarios() + g; }
    // The physical species of every tracer, in tracer order.
    std::vector<std::string> tracer_species() const;
    // The tracer names (ledger rows): SPECIES, SPECIES@SCENARIO, SPECIES#TAG.
    std::vector<std::string> tracer_names() const;
    TracerBlocks as_blocks() const { return {species, blocks()}; }
};

}  // namespace lantian
