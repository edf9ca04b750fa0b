// Background and inflow profiles of the photochemical mode: mixing ratio against height per species
// (configs/mechanisms/cb6r3_background.csv, or chemistry.background_file; format in
// docs/input-formats.md). Ozone rises into the free troposphere, so a surface value with a scale
// height (species.background_ug_m3) cannot describe its inflow.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace lantian {

// Per species: (height above ground m, mixing ratio ppb) points in increasing height.
using BackgroundProfiles = std::map<std::string, std::vector<std::pair<double, double>>>;

// Parses the table; ConfigError "file:line: column: value: reason" on bad input (unknown columns,
// negative or non-finite values, heights not increasing within a species).
BackgroundProfiles parse_background_profiles(const std::string& csv_text, const std::string& label);
// The configuration's table (file or built-in).
BackgroundProfiles load_background_profiles(const Config& cfg);

// Per species of `species` (the run's physical species): the background as mixing-ratio points
// (height m, µg kg-1 = ppb · M_s / M_air) in photochemical mode, for the species the table has and
// species.background_ug_m3 does not name; an empty vector elsewhere (and always in linear mode).
std::vector<std::vector<std::pair<double, double>>> background_mixing_ratio_profiles(const Config& cfg,
                                                                                  const std::vector<std::string>& species);

// Linear in height between points, constant outside (ppb, or whatever the points hold).
double profile_ppb(const std::vector<std::pair<double, double>>& points, double z_m);

}  // namespace lantian
