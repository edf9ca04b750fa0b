// The species table: names, output units and CF names. Internally every tracer is a mass mixing
// ratio in µg per kg of air; output converts to concentration (µg m-3, CO in mg m-3).
#pragma once

#include <string>
#include <vector>

namespace lantian {

struct SpeciesInfo {
    std::string name;           // e.g. "SO2"
    std::string long_name;
    std::string standard_name;  // CF standard name of the mass concentration, "" if none
    std::string output_units;   // "ug m-3" or "mg m-3"
    double output_scale;        // output value = concentration (µg m-3) × output_scale
};

// Known species get CF names and units; unknown names are allowed (passive tracers in µg m-3).
SpeciesInfo species_info(const std::string& name);
std::vector<SpeciesInfo> species_table(const std::vector<std::string>& names);

}  // namespace lantian
