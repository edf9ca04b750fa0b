// The one place that turns the [chemistry] configuration into a mechanism (today: the linear
// mechanism). A new mechanism adds its case here.
#pragma once

#include <memory>

#include "chemistry/mechanism.hpp"
#include "config/config.hpp"
#include "state/species_properties.hpp"

namespace lantian {

// The mechanism for the run's physical species; `warnings` receives the reactions left out.
std::unique_ptr<Mechanism> make_mechanism(const ChemistryConfig& cfg, const std::vector<std::string>& species,
                                          const SpeciesPropertiesTable& table, std::vector<std::string>& warnings);

}  // namespace lantian
