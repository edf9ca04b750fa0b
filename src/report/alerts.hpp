// Heavy-pollution alert levels (yellow, orange, red) from a forecast's sequence of daily AQI, by
// rules a bureau writes in its configuration, e.g.
//   red = aqi > 200 for 4 days with 2 days aqi > 300 or aqi >= 500 for 1 day
// A clause "aqi > T for N days [with M days aqi > T2]" holds on every day of a run of at least N
// consecutive days above T (that has at least M days above T2); a level holds on a day when any of
// its clauses does; a day's alert is the highest level that holds.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace lantian {

enum class AlertLevel { none = 0, yellow = 1, orange = 2, red = 3 };
std::string alert_name(AlertLevel level);      // "none", "yellow", …
std::string alert_name_zh(AlertLevel level);   // "无", "黄色", "橙色", "红色"

struct AlertClause {
    double threshold = 200;       // AQI
    bool inclusive = false;       // ≥ instead of >
    int days = 1;                 // minimum run of consecutive days
    int with_days = 0;            // … of which at least this many days
    double with_threshold = 0;    // … above this
    bool with_inclusive = false;
};

struct AlertRules {
    std::array<std::vector<AlertClause>, 3> levels;  // yellow, orange, red
};

// Parses one level's rule text; ConfigError "<key> = <text>: <what is wrong>; expected …".
std::vector<AlertClause> parse_alert_rule(const std::string& key, const std::string& text);
AlertRules parse_alert_rules(const std::string& yellow, const std::string& orange, const std::string& red);

// The alert level of every day of a daily AQI sequence.
std::vector<AlertLevel> alert_levels(const std::vector<int>& daily_aqi, const AlertRules& rules);

}  // namespace lantian
