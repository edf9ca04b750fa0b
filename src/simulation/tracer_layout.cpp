// Tracer numbering and names.
#include "simulation/tracer_layout.hpp"

#include <algorithm>

#include "config/scenario_spec.hpp"
#include "scenarios/tagging.hpp"

namespace lantian {

TracerLayout::TracerLayout(const Config& cfg, std::vector<std::string> tag_groups)
    : species(cfg.species.names), tags(std::move(tag_groups)) {
    if (cfg.scenarios.base) scenarios.push_back("base");
    for (const auto& item : cfg.scenarios.runs) scenarios.push_back(parse_scenario_spec(item).name);
    const std::vector<std::string> names = tags.empty() ? std::vector<std::string>{} : tagged_species(cfg, species, &tagged_added);
    tag_slot_.assign(species.size(), -1);
    for (std::size_t s = 0; s < species.size(); ++s)
        if (std::find(names.begin(), names.end(), species[s]) != names.end()) {
            tag_slot_[s] = static_cast<int>(tagged.size());
            tagged.push_back(static_cast<int>(s));
        }
}

int TracerLayout::tracer(int block, int s) const {
    if (block < nscenarios()) return block * nphys() + s;
    const int slot = tag_slot_[static_cast<std::size_t>(s)];
    return slot < 0 ? -1 : nscenarios() * nphys() + (block - nscenarios()) * ntagged() + slot;
}

int TracerLayout::block_of(int t) const {
    const int bulk = nscenarios() * nphys();
    return t < bulk ? t / nphys() : nscenarios() + (t - bulk) / ntagged();
}

int TracerLayout::species_of(int t) const {
    const int bulk = nscenarios() * nphys();
    return t < bulk ? t % nphys() : tagged[static_cast<std::size_t>((t - bulk) % ntagged())];
}

TracerBlocks TracerLayout::as_blocks() const {
    TracerBlocks b{species, blocks(), {}};
    if (ntagged() == nphys()) return b;  // every block complete: b·nspecies + s
    for (int k = 0; k < blocks(); ++k)
        for (int s = 0; s < nphys(); ++s) b.map.push_back(tracer(k, s));
    return b;
}

std::vector<std::string> TracerLayout::tracer_species() const {
    std::vector<std::string> out;
    for (int t = 0; t < tracers(); ++t) out.push_back(species[static_cast<std::size_t>(species_of(t))]);
    return out;
}

std::vector<std::string> TracerLayout::tracer_names() const {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < scenarios.size(); ++k)
        for (const auto& s : species) out.push_back(k == 0 && scenarios[k] == "base" ? s : s + "@" + scenarios[k]);
    for (const auto& g : tags)
        for (int s : tagged) out.push_back(species[static_cast<std::size_t>(s)] + "#" + g);
    return out;
}

}  // namespace lantian
