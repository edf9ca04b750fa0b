// Mechanism selection from the configuration.
#include "chemistry/mechanisms.hpp"

#include "chemistry/linear_mechanism.hpp"

namespace lantian {

std::unique_ptr<Mechanism> make_mechanism(const ChemistryConfig& cfg, const std::vector<std::string>& species,
                                          const SpeciesPropertiesTable& table, std::vector<std::string>& warnings) {
    auto linear = std::make_unique<LinearMechanism>(species, cfg, table);
    for (const auto& s : linear->skipped()) warnings.push_back("chemistry: " + s + " is off");
    return linear;
}

}  // namespace lantian
