// Which tracer is which: the physical species, repeated once per scenario block (base first, then
// the reduction scenarios), then the tagged species (tags.species; default every species) once per
// source-apportionment tag of the base case. Tracer of scenario block b and species s: b·nspecies + s;
// of tag g and tagged species s: nscenarios·nspecies + g·ntagged + (rank of s among the tagged).
// Names: SPECIES for the base, SPECIES@SCENARIO, SPECIES#TAG.
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
    std::vector<int> tagged;             // the tagged species (indices into `species`, ascending)
    std::vector<std::string> tagged_added;  // species tagged only as precursors of tagged ones

    TracerLayout(const Config& cfg, std::vector<std::string> tag_groups);
    int nphys() const { return static_cast<int>(species.size()); }
    int nscenarios() const { return static_cast<int>(scenarios.size()); }
    int ntags() const { return static_cast<int>(tags.size()); }
    int ntagged() const { return static_cast<int>(tagged.size()); }
    int blocks() const { return nscenarios() + ntags(); }
    int tracers() const { return nscenarios() * nphys() + ntags() * ntagged(); }
    // The tracer of species s in block `block` (scenarios, then tags); -1 when a tag block does not
    // carry s (tags.species).
    int tracer(int block, int s) const;
    int tag_block(int g) const { return nscenarios() + g; }
    bool is_tagged(int s) const { return tag_slot_[static_cast<std::size_t>(s)] >= 0; }
    // The block and the physical species of a tracer.
    int block_of(int tracer) const;
    int species_of(int tracer) const;
    // The physical species of every tracer, in tracer order.
    std::vector<std::string> tracer_species() const;
    // The tracer names (ledger rows): SPECIES, SPECIES@SCENARIO, SPECIES#TAG.
    std::vector<std::string> tracer_names() const;
    TracerBlocks as_blocks() const;

private:
    std::vector<int> tag_slot_;  // per species: its rank among the tagged, -1 = not tagged
};

}  // namespace lantian
