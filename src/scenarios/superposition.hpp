// Evaluating reduction lists without rerunning the model: with linear chemistry and removal, the
// base case's tags scaled by (1 − cut) of their sources and summed give the field of the reduced
// inventory (exactly for linear advection; within a measured bound with the monotone limiter).
// Works on the receptor series of a tagged run (`tags.by`), so a hundred lists take seconds.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "emissions/inventory.hpp"
#include "report/report.hpp"
#include "scenarios/reduction_list.hpp"
#include "scenarios/tagging.hpp"

namespace lantian {

// Keep factors (1 − cut) per source group (tags.base_count()) and internal pollutant for a list at
// a level; returns "" when the groups can represent it, otherwise what tags it would need.
class RegionSet;
std::string group_keep_factors(const TagGrouping& tags, const Inventory& inventory, const RegionSet& regions,
                               const ReductionList& list, MeasureLevel level, std::vector<PollutantValues>& keep);

// The series of a receptor file with every species (and PM25_total/PM10_total) replaced by the
// superposition Σ_g keep_g(species) × tag_g. ConfigError when the file has no tag series.
// Species in `untagged` (a run with tags.species) have no tags: the base series stands for them
// when nothing that feeds them is cut (keep = 1 in every tag), else ConfigError naming the species,
// the pollutant cut and tags.species.
SeriesFile superpose(const SeriesFile& base, const std::vector<std::string>& species, const TagGrouping& tags,
                     const std::vector<PollutantValues>& keep, const std::vector<double>& pm25_fraction,
                     const std::vector<double>& pm10_fraction, const std::vector<std::string>& untagged = {});

struct SuperpositionOptions {
    std::string run_file;
    std::vector<std::string> lists;
    std::vector<std::string> levels = {"yellow", "orange", "red"};  // or always, or triggered
    std::string csv;  // default: <run stem>_scenarios.csv
};

// The measure level in force in each hour of a run (0 always … 3 red) from the alerts of its base
// case at scenarios.trigger_city (the first city when empty), read from the base run's receptor
// series; measures start scenarios.lead_time_h after the start of each alert day.
std::vector<int> trigger_levels(const Config& base_run, const SeriesFile& base_series);

// Per list, level and city: heavy-pollution days (AQI > 200) of the base and the reduced case,
// the change of the peak 24-h PM2.5, days per AQI category; console text (the CSV is written).
std::string evaluate_lists(const SuperpositionOptions& options);

}  // namespace lantian
