// Tracer numbering and names.
#include "simulation/tracer_layout.hpp"

#include "config/scenario_spec.hpp"

namespace lantian {

TracerLayout::TracerLayout(const Config& cfg, std::vector<std::string> tag_groups)
    : species(cfg.species.names), tags(std::move(tag_groups)) {
    if (cfg.scenarios.base) scenarios.push_back("base");
    for (const auto& item : cfg.scenarios.runs) scenarios.push_back(parse_scenario_spec(item).name);
}

std::vector<std::string> TracerLayout::tracer_species() const {
    std::vector<std::string> out;
    for (int b = 0; b < blocks(); ++b) out.insert(out.end(), species.begin(), species.end());
    return out;
}

std::vector<std::string> TracerLayout::tracer_names() const {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < scenarios.size(); ++k)
        for (const auto& s : species) out.push_back(k == 0 && scenarios[k] == "base" ? s : s + "@" + scenarios[k]);
    for (const auto& g : tags)
        for (const auto& s : species) out.push_back(s + "#" + g);
    return out;
}

}  // namespace lantian
