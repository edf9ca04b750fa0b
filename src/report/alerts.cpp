// Alert rules: evaluation on a daily AQI sequence (parsing is config/alert_levels.cpp).
#include "report/alerts.hpp"

#include <algorithm>

namespace lantian {

std::vector<AlertLevel> alert_levels(const std::vector<int>& aqi, const AlertRules& rules) {
    const std::size_t n = aqi.size();
    std::vector<AlertLevel> out(n, AlertLevel::none);
    auto above = [](double v, double t, bool inclusive) { return inclusive ? v >= t : v > t; };
    for (int level = 0; level < 3; ++level)
        for (const AlertClause& c : rules.levels[level]) {
            // Maximal runs of consecutive days above the threshold.
            std::size_t d = 0;
            while (d < n) {
                if (!above(aqi[d], c.threshold, c.inclusive)) {
                    ++d;
                    continue;
                }
                std::size_t e = d;
                int strong = 0;
                while (e < n && above(aqi[e], c.threshold, c.inclusive)) {
                    strong += above(aqi[e], c.with_threshold, c.with_inclusive) ? 1 : 0;
                    ++e;
                }
                if (static_cast<int>(e - d) >= c.days && (c.with_days == 0 || strong >= c.with_days))
                    for (std::size_t k = d; k < e; ++k)
                        out[k] = std::max(out[k], static_cast<AlertLevel>(level + 1));
                d = e;
            }
        }
    return out;
}

}  // namespace lantian
