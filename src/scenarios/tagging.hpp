// Which tag each emission source feeds: by sector, or by the groups of sources that given
// reduction lists treat alike (same cut for every level and pollutant), so that every level of
// those lists is a weighted sum of tags. Plus the `fixed` tag (constant-rate sources) and the
// `background` tag (initial state and boundary inflow), last.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "config/config.hpp"
#include "emissions/inventory.hpp"

namespace lantian {

// The species the tags carry (when the run has tags): tags.species (every species of `species` when
// empty), plus, with chemistry on, the precursors linear chemistry turns into a tagged species (so
// that a tagged product receives its production and its tags keep summing to the bulk), in the order
// of `species`. `added` (optional) receives the precursors added.
std::vector<std::string> tagged_species(const Config& cfg, const std::vector<std::string>& species,
                                        std::vector<std::string>* added = nullptr);

class TagGrouping {
public:
    // ConfigError when a list cannot be read. An empty grouping when tags.by = none.
    TagGrouping(const Config& cfg, const Inventory& inventory);

    const std::vector<std::string>& names() const { return names_; }
    const std::vector<std::string>& descriptions() const { return descriptions_; }
    std::size_t size() const { return names_.size(); }
    int fixed() const { return static_cast<int>(names_.size()) - 2; }
    int background() const { return static_cast<int>(names_.size()) - 1; }
    // The source group an inventory source belongs to (plant id "" for roads and area cells), in
    // [0, base_count()); with emission periods its tag is tag_of(group, period).
    int group_of(const std::string& id, Sector sector, char grade, const std::string& region) const;
    int base_count() const { return base_count_; }
    int periods() const { return periods_; }
    double period_h() const { return period_h_; }
    int tag_of(int group, int period) const { return group * periods_ + period; }

private:
    TagKind kind_ = TagKind::none;
    std::vector<std::string> names_, descriptions_;
    std::map<std::tuple<std::string, int, char, std::string>, int> by_key_;
    std::vector<std::string> regions_;
    int base_count_ = 0, periods_ = 1;
    double period_h_ = 0;
};

}  // namespace lantian
