// Mechanism selection from the configuration.
#include "chemistry/mechanisms.hpp"

#include <algorithm>

#include "chemistry/linear_mechanism.hpp"
#include "chemistry/photochemical_mechanism.hpp"

namespace lantian {

std::unique_ptr<Mechanism> make_mechanism(const Config& cfg, const std::vector<std::string>& species,
                                          const SpeciesPropertiesTable& table, std::vector<std::string>& warnings) {
    if (cfg.chemistry.mechanism == ChemistryMechanism::cb6r3) {
        if (!cfg.chemistry.enabled)
            warnings.push_back("chemistry: chemistry.enabled = false is ignored with chemistry.mechanism = cb6r3");
        return std::make_unique<PhotochemicalMechanism>(cfg, species, table);
    }
    auto linear = std::make_unique<LinearMechanism>(species, cfg.chemistry, table);
    for (const auto& s : linear->skipped()) warnings.push_back("chemistry: " + s + " is off");
    return linear;
}

Config with_mechanism_species(Config cfg) {
    if (cfg.chemistry.mechanism == ChemistryMechanism::linear) return cfg;
    const chem::Mechanism mech = load_mechanism(cfg);
    cfg.species.names = photochemical_species(mech, cfg.species.names);
    const auto& names = cfg.species.names;
    for (const auto& [key, values] : {std::pair{"species.background_ug_m3", &cfg.species.background_ug_m3},
                                      std::pair{"species.deposition_velocity_m_s", &cfg.species.deposition_velocity_m_s},
                                      std::pair{"species.initial_ug_m3", &cfg.species.initial_ug_m3}})
        for (const auto& entry : *values)
            if (std::find(names.begin(), names.end(), entry.first) == names.end())
                throw ConfigError(std::string(key) + ": " + entry.first + " is neither a species of the mechanism (" +
                                  mech.file + ") nor in species.names");
    for (const auto& n : cfg.output.species)
        if (std::find(names.begin(), names.end(), n) == names.end())
            throw ConfigError("output.species: " + n + " is neither a species of the mechanism (" + mech.file +
                              ") nor in species.names");
    return cfg;
}

}  // namespace lantian
