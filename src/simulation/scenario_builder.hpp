// Builds the emission scenarios of a run: the base inventory, each reduction scenario split into
// variants by the hours in which its measures (alert level, time windows) are in force, and one
// scenario per source-apportionment tag that emits only its own sources. The emission model turns
// them into rates; this file only decides who emits what, when.
#pragma once

#include <vector>

#include "config/config.hpp"
#include "emissions/emission_model.hpp"
#include "scenarios/tagging.hpp"
#include "simulation/tracer_layout.hpp"

namespace lantian {

// ConfigError when a reduction list cannot be read.
std::vector<EmissionScenario> build_emission_scenarios(const Config& cfg, const TracerLayout& layout,
                                                       const TagGrouping& tagging, double start_epoch_s);

}  // namespace lantian
