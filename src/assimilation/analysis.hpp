// The analysis of a forecast cycle (issue 15, item 4): the initial state's surface fields of PM2.5,
// PM10, SO2, NO2, CO and O3 corrected toward the station observations at the start by optimal
// interpolation (assimilation/optimal_interpolation.hpp), the increment spread through the boundary
// layer (vertical_increment_factors) and applied to the model species:
//
//   gases (SO2, NO2, CO, O3): the species of that name, c_k ← max(0, c_k + f_k δ)
//   PM2.5: every species with a PM2.5 fraction φ_s > 0 scaled in proportion in each layer k,
//          c_s,k ← c_s,k · max(0, P_k + f_k δ) / P_k,   P_k = Σ_s φ_s c_s,k
//   PM10 (after PM2.5, against the analysed PM2.5): the coarse-only species (PM10 fraction > 0,
//          PM2.5 fraction 0, e.g. PMC) scaled likewise by their coarse sum, so the PM2.5 analysis
//          stays as it is
//
// with δ the surface increment of the column and f_k the layer's factor for the column's
// boundary-layer height. Every scenario block and tag group of the run gets the same change (a
// ratio per cell, so the tags still sum to the bulk); where the background is 0 and the increment
// positive, the amount goes to the base, the scenarios and the `background` tag. Method, defaults
// and files: docs/assimilation.md.
#pragma once

#include <string>
#include <vector>

#include "assimilation/optimal_interpolation.hpp"
#include "config/config.hpp"
#include "grid/grid.hpp"
#include "met/met_state.hpp"
#include "simulation/tracer_layout.hpp"
#include "state/species_properties.hpp"
#include "state/state.hpp"

namespace lantian {

// One observation at the analysis time: station position and value (µg m-3; CO mg m-3).
struct StationValue {
    std::string station;
    double lon_deg = 0, lat_deg = 0;
    std::string pollutant;  // PM2.5, PM10, SO2, NO2, CO, O3
    double value = 0;
};

struct PollutantAnalysis {
    std::string pollutant;
    std::string units;                 // of the fields and the OI numbers: µg m-3, CO mg m-3
    OiParameters parameters;
    OiResult oi;                       // analysis, increment, per-station results and statistics
    std::vector<double> background;    // surface field before the analysis (ny*nx)
};

struct AnalysisReport {
    std::vector<PollutantAnalysis> pollutants;  // in the order analysed
    std::vector<std::string> notes;             // pollutants skipped and why
    std::size_t observations_used() const;
};

// The OI parameters of a pollutant: the documented defaults, overridden by [assimilation].
OiParameters assimilation_parameters(const AssimilationConfig& cfg, const std::string& pollutant);

// Analyses the pollutants of cfg.assimilation in order and changes `state` (all blocks) in place.
// met0: the weather at the start (boundary-layer height per column). ConfigError for a pollutant
// name not known.
AnalysisReport analyse_state(const Config& cfg, const Grid& grid, const TracerLayout& layout,
                             const SpeciesPropertiesTable& properties, const MetState& met0,
                             const std::vector<StationValue>& observations, State& state);

// analysis.nc (background, analysis and increment per pollutant, surface) and innovations.csv
// (one row per station and pollutant) in `dir`.
void write_analysis_files(const std::string& dir, const Grid& grid, const AnalysisReport& report,
                          const std::string& analysis_time_utc, const std::string& history);

}  // namespace lantian
