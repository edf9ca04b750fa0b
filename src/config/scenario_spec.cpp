// The scenarios.runs item grammar declared in scenario_spec.hpp. Must stay free of file access:
// whether the list exists is checked by the config validation.
#include "config/scenario_spec.hpp"

#include <algorithm>
#include <cctype>

#include "config/config.hpp"

namespace lantian {

ScenarioSpec parse_scenario_spec(const std::string& item) {
    const auto fail = [&](const std::string& reason) { throw ConfigError("scenarios.runs: '" + item + "': " + reason); };
    const auto a = item.find(':'), b = item.rfind(':');
    if (a == std::string::npos || a == b) fail("expected NAME:LIST.csv:LEVEL");
    ScenarioSpec s;
    s.name = item.substr(0, a);
    s.list = item.substr(a + 1, b - a - 1);
    const std::string level = item.substr(b + 1);
    const bool word = !s.name.empty() && std::all_of(s.name.begin(), s.name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_';
    });
    if (!word || s.name == "base") fail("the name must use letters, digits and _ (and not be base)");
    if (level == "triggered") {
        s.triggered = true;
    } else if (const auto fixed = measure_level_from_name(level)) {
        s.level = *fixed;
    } else {
        fail("level " + level + " must be always, yellow, orange, red or triggered");
    }
    return s;
}

}  // namespace lantian
