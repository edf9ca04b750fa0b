// Alert and measure levels by name, and the alert-rule grammar a bureau writes in [alerts], e.g.
//   red = aqi > 200 for 4 days with 2 days aqi > 300 or aqi >= 500 for 1 day
// Parsing only; evaluating the rules on a forecast's daily AQI is report/alerts.hpp.
#pragma once

#include <array>
#include <optional>
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

// A level a measure belongs to: `always` (in force whatever the alert), then yellow < orange < red.
// Measures are cumulative: at an alert level, every row of that level and below applies.
enum class MeasureLevel { always = 0, yellow = 1, orange = 2, red = 3 };
std::string measure_level_name(MeasureLevel l);
std::optional<MeasureLevel> measure_level_from_name(const std::string& name);  // always, yellow, orange, red

// Parses one level's rule text; ConfigError "<key> = <text>: <what is wrong>; expected …".
std::vector<AlertClause> parse_alert_rule(const std::string& key, const std::string& text);
AlertRules parse_alert_rules(const std::string& yellow, const std::string& orange, const std::string& red);

}  // namespace lantian
