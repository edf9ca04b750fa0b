// The output catalogue: every variable Lantian writes (gridded fields, 3-D fields, receptor
// series, budgets) declared once — name, units, CF standard name, long names, where it is
// written and how it is computed. The gridded writer's fields, the receptor files' variables and
// the table in docs/output.md (`lantian output-reference`) all follow from it; a test fails when a
// declared variable is missing from the docs.
#pragma once

#include <string>
#include <vector>

#include "state/species.hpp"

namespace lantian {

// How a variable's lowest-layer value is computed from the run.
enum class OutputSource {
    species,      // concentration of physical species `species` (× its output scale)
    pm25,         // Σ species c × pm25_fraction (µg m-3)
    pm10,         // Σ species c × pm10_fraction
    met_pblh,     // boundary-layer height of the weather
    met_u10,      // 10 m wind along grid x
    met_v10,      // 10 m wind along grid y
    tag_species,  // concentration of species `species` from tag `tag`
    tag_pm25,     // PM2.5 from tag `tag`
    o3_8h,        // 8-h running mean of species `species` (O3): gridded and at the receptors
    budget,       // the mass budget of a species (not a time series)
    met_terrain,  // terrain height of the first weather snapshot: static (y, x), written once
    diagnostic,   // the state's diagnostic field `diagnostic` (State::diagnostic) at the record time
};

struct OutputVariable {
    std::string name;              // NetCDF variable (and CSV column) name
    std::string long_name;         // in the gridded file
    std::string series_long_name;  // in the receptor files
    std::string standard_name;     // CF standard name, "" when CF has none
    std::string units;
    bool gridded = false;          // (time, y, x) field of the lowest layer in the gridded file
    bool volume = false;           // also NAME_3d (time, z, y, x) when output.fields_3d
    bool series = false;           // a series at every receptor (receptors.* files)
    OutputSource source = OutputSource::species;
    int species = -1;              // index into the run's species (species, tag_species)
    int tag = -1;                  // index into the tag groups (tag_species, tag_pm25)
    std::string computed;          // how it is computed, for the documentation
    std::string diagnostic = {};   // the State's diagnostic field (source diagnostic)
    bool missing = false;          // cells may have no value (_FillValue): the file also says missing_value
    bool own_cell = false;         // series: the value of the receptor's own cell (not interpolated or averaged)
};

// The variables of one output file: `species` of the run, whether any carries PM2.5/PM10, the
// tag groups when the file holds the tagged base case (empty otherwise), and whether it carries
// the aerosol equilibrium's diagnostics (output.aerosol_diagnostics; the first scenario's file).
// Order: species, PM totals, the 8-h running mean of ozone (`O3_8h`, only when a species is named
// "O3": the photochemical mechanisms), weather diagnostics, the aerosol diagnostics
// (`aerosol_water`, `aerosol_ph`), then per tag its species (series) and PM2.5, and last the
// static fields (source met_terrain: `surface_altitude`, neither gridded in time nor a series; the
// writer puts it beside lat/lon).
std::vector<OutputVariable> output_catalogue(const std::vector<SpeciesInfo>& species, bool has_pm,
                                             const std::vector<std::string>& tags, bool aerosol_diagnostics = false);

// The catalogue for the documentation: one row per family, with SPECIES and TAG standing for any
// species and tag group, O3_8h (photochemical runs), the aerosol diagnostics, and the budget and
// 3-D variables.
std::vector<OutputVariable> output_catalogue_reference();

// The ozone species' name and the running-mean window of O3_8h (GB 3095-2012: an 8-h mean needs
// at least 6 of its 8 hours; in a run, records covering at least 6 h of the 8).
inline constexpr const char* kOzoneSpecies = "O3";
inline constexpr double kO3RunningWindowH = 8.0;
inline constexpr double kO3RunningMinCoverH = 6.0;
// That catalogue as a Markdown table (docs/output.md's variable table).
std::string output_reference_markdown();

}  // namespace lantian
