// One item of scenarios.runs, NAME:LIST.csv:LEVEL, parsed into a typed spec: the one place that
// knows the item's grammar. Text only: reading the list and running the scenario belong elsewhere.
#pragma once

#include <string>

#include "config/alert_levels.hpp"

namespace lantian {

struct ScenarioSpec {
    std::string name;   // NAME: letters, digits and _, not "base"; names the output <stem>_NAME.nc
    std::string list;   // LIST.csv as written (relative to the config file: resolve_path)
    MeasureLevel level = MeasureLevel::always;  // LEVEL always, yellow, orange or red; always when triggered
    bool triggered = false;                     // LEVEL triggered: the base forecast's own alert level each hour
};

// Parses "NAME:LIST.csv:LEVEL" (LIST may itself hold colons: NAME ends at the first, LEVEL starts
// after the last). ConfigError "scenarios.runs: 'ITEM': reason" when the item lacks two colons,
// the name is not letters, digits and _ (or is base), or the level is not always, yellow, orange,
// red or triggered.
ScenarioSpec parse_scenario_spec(const std::string& item);

}  // namespace lantian
