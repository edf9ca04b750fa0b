// Builds the processes of a run from the configuration, in the split order of one step:
//   advection (x,y,z alternating with z,y,x) → horizontal diffusion → gravitational settling →
//   emission + vertical mixing + dry deposition (implicit) → chemistry → wet scavenging.
// Absent physics is absent from the list. docs/architecture.md says how to add a process.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chemistry/mechanism.hpp"
#include "config/config.hpp"
#include "grid/grid.hpp"
#include "processes/process.hpp"
#include "processes/wesely.hpp"
#include "simulation/tracer_layout.hpp"
#include "state/species_properties.hpp"

namespace lantian {

class VerticalMixing;

struct ProcessSet {
    std::vector<std::unique_ptr<Process>> processes;  // in step order
    VerticalMixing* mixing = nullptr;                 // owned above; the emission model fills its table
    std::unique_ptr<Mechanism> mechanism;             // the chemistry's declarations (element books)
    std::vector<std::string> warnings;
};

ProcessSet build_processes(const Config& cfg, const Grid& grid, const TracerLayout& layout,
                           const SpeciesPropertiesTable& properties);

// The species table of the run: the built-in one or species.table.
SpeciesPropertiesTable species_properties(const Config& cfg);
// The Wesely season of the gases' surface resistances: removal.season, or with `auto` the start
// month at the latitude of the domain centre (processes/wesely.hpp).
WeselySeason deposition_season(const Config& cfg, const Grid& grid);

}  // namespace lantian
