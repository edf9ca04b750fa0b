// Named areas of the config (regions.areas): which one holds a place. Used by reduction-list
// targets (`region:NAME`) and region tags.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "emissions/inventory.hpp"
#include "output/receptors.hpp"

namespace lantian {

class RegionSet {
public:
    RegionSet() = default;
    explicit RegionSet(const RegionsConfig& cfg);
    // The first area holding the place, or "" when none does.
    std::string region_of(double lon, double lat) const;
    std::string region_of(const std::vector<LonLat>& path) const;  // a road: the mean of its vertices
    std::vector<std::string> names() const;
    bool has(const std::string& name) const;
    bool empty() const { return areas_.empty(); }

private:
    std::vector<Receptor> areas_;
};

}  // namespace lantian
