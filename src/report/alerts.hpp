// Heavy-pollution alert levels (yellow, orange, red) from a forecast's sequence of daily AQI, by
// the rules of config/alert_levels.hpp. A clause "aqi > T for N days [with M days aqi > T2]" holds
// on every day of a run of at least N consecutive days above T (that has at least M days above T2);
// a level holds on a day when any of its clauses does; a day's alert is the highest level that holds.
#pragma once

#include <vector>

#include "config/alert_levels.hpp"  // AlertLevel, AlertRules, parse_alert_rules: callers of this header keep them

namespace lantian {

// The alert level of every day of a daily AQI sequence.
std::vector<AlertLevel> alert_levels(const std::vector<int>& daily_aqi, const AlertRules& rules);

}  // namespace lantian
