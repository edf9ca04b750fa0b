// Emission scenarios and their variants from the configuration; see the header.
#include "simulation/scenario_builder.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "config/config_parser.hpp"
#include "config/scenario_spec.hpp"
#include "scenarios/reduction_list.hpp"

namespace lantian {

std::vector<EmissionScenario> build_emission_scenarios(const Config& cfg, const TracerLayout& layout,
                                                       const TagGrouping& tagging, double start_epoch_s) {
    const int ngroups = layout.ntags();
    // Scenarios: the base inventory and reduction lists with their level's measures in force.
    std::vector<EmissionScenario> scenarios;
    if (cfg.scenarios.base) scenarios.push_back({"base", {}});
    // Each reduction scenario is one tracer block; its cuts may change during the run (alert-
    // triggered levels, time windows), so it is split into variants, each in force in its hours.
    const int run_hours = static_cast<int>(std::ceil(cfg.run.hours - 1e-9));
    for (std::size_t n = 0; n < cfg.scenarios.runs.size(); ++n) {
        const ScenarioSpec spec = parse_scenario_spec(cfg.scenarios.runs[n]);
        const auto list = std::make_shared<ReductionList>(read_reduction_list(resolve_path(cfg, spec.list)));
        const int block = static_cast<int>(n) + (cfg.scenarios.base ? 1 : 0);
        auto level_in_hour = [&](int h) {
            if (spec.triggered)
                return static_cast<MeasureLevel>(h < static_cast<int>(cfg.scenarios.trigger_levels.size()) ? cfg.scenarios.trigger_levels[h] : 0);
            return spec.level;
        };
        // State of each hour: the level and which windowed rows are open at the hour's middle.
        std::vector<std::string> keys;
        auto hour_variant = std::make_shared<std::vector<int>>(std::max(run_hours, 1), 0);
        std::vector<std::pair<MeasureLevel, std::vector<bool>>> states;
        for (int h = 0; h < std::max(run_hours, 1); ++h) {
            const double mid = start_epoch_s + (h + 0.5) * 3600.0;
            std::vector<bool> open;
            std::string key = std::to_string(static_cast<int>(level_in_hour(h))) + ":";
            for (const ReductionRow& r : list->rows) {
                const bool in = row_active(r, mid);
                open.push_back(in);
                key += in ? '1' : '0';
            }
            auto it = std::find(keys.begin(), keys.end(), key);
            if (it == keys.end()) {
                keys.push_back(key);
                states.push_back({level_in_hour(h), open});
                it = keys.end() - 1;
            }
            (*hour_variant)[h] = static_cast<int>(it - keys.begin());
        }
        for (std::size_t v = 0; v < states.size(); ++v) {
            auto filtered = std::make_shared<ReductionList>(*list);
            filtered->rows.clear();
            for (std::size_t r = 0; r < list->rows.size(); ++r)
                if (states[v].second[r]) filtered->rows.push_back(list->rows[r]);
            const MeasureLevel level = states[v].first;
            EmissionScenario sc(spec.name, [filtered, level](const std::string& id, Sector sector, char grade,
                                                                     const std::string& region, int pollutant) {
                return reduction_cut(*filtered, SourceKey{id, sector, grade, region}, pollutant, level);
            });
            sc.block = block;
            if (states.size() > 1) {
                const double t_start = start_epoch_s;
                const int variant = static_cast<int>(v);
                sc.active = [hour_variant, t_start, variant](double t0, double t1) {
                    const int h = std::clamp(static_cast<int>(std::floor((0.5 * (t0 + t1) - t_start) / 3600.0)), 0,
                                             static_cast<int>(hour_variant->size()) - 1);
                    return (*hour_variant)[h] == variant;
                };
            }
            scenarios.push_back(std::move(sc));
        }
    }
    // Tags: each group emits its own sources only (fixed: the constant-rate sources; background: nothing).
    const TagGrouping* grouping = &tagging;
    for (int g = 0; g < ngroups; ++g) {
        // Tag g holds source group g / periods, emitted in period g % periods (fixed and background: no group).
        const bool source_tag = g < grouping->base_count() * grouping->periods();
        const int group = source_tag ? g / grouping->periods() : -1;
        const int period = source_tag ? g % grouping->periods() : 0;
        EmissionScenario sc(layout.tags[g],
                            [group, grouping](const std::string& id, Sector sector, char grade, const std::string& region, int) {
                                return group >= 0 && grouping->group_of(id, sector, grade, region) == group ? 0.0 : 1.0;
                            },
                            g == grouping->fixed());
        sc.block = layout.tag_block(g);
        for (int s = 0; s < layout.nphys(); ++s) sc.tracers.push_back(layout.tracer(sc.block, s));
        if (source_tag && grouping->periods() > 1) {
            const double t_start = start_epoch_s, length_s = grouping->period_h() * 3600.0;
            const int last = grouping->periods() - 1;
            sc.active = [period, t_start, length_s, last](double t0, double t1) {
                return std::clamp(static_cast<int>(std::floor((0.5 * (t0 + t1) - t_start) / length_s)), 0, last) == period;
            };
        }
        scenarios.push_back(std::move(sc));
    }
    return scenarios;
}

}  // namespace lantian
