// The one place that turns the [chemistry] configuration into a mechanism: the linear mechanism or
// a photochemical mechanism read from a file (chemistry.mechanism). A new mechanism adds its case here.
#pragma once

#include <memory>

#include "chemistry/mechanism.hpp"
#include "config/config.hpp"
#include "state/species_properties.hpp"

namespace lantian {

// The mechanism for the run's physical species; `warnings` receives the reactions left out.
std::unique_ptr<Mechanism> make_mechanism(const Config& cfg, const std::vector<std::string>& species,
                                          const SpeciesPropertiesTable& table, std::vector<std::string>& warnings);

// The configuration with the run's species complete: in photochemical mode the mechanism's
// integrated species first (file order), then those of species.names the mechanism lacks; the
// species keys (background, initial, deposition velocity) checked against that list (ConfigError
// naming the key). Linear mode: unchanged. Idempotent.
Config with_mechanism_species(Config cfg);

}  // namespace lantian
