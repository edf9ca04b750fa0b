// Background and inflow profiles against height per species: the photochemical mode's table
// (configs/mechanisms/cb6r3_background.csv, or chemistry.background_file; format in
// docs/input-formats.md) and the seasonal climatology of any run (species.boundary_climatology,
// e.g. configs/boundary/climatology_north_china.csv; docs/boundary-climatology.md). Ozone rises into
// the free troposphere and dust aloft does not fall off like a surface value with one scale height
// (species.background_ug_m3), so both are tables of points.
#pragma once

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "grid/grid.hpp"
#include "state/species_properties.hpp"

namespace lantian {

// Per species: (height above ground m, mixing ratio ppb) points in increasing height.
using BackgroundProfiles = std::map<std::string, std::vector<std::pair<double, double>>>;

// Parses the table; ConfigError "file:line: column: value: reason" on bad input (unknown columns,
// negative or non-finite values, heights not increasing within a species).
BackgroundProfiles parse_background_profiles(const std::string& csv_text, const std::string& label);
// The configuration's table (file or built-in).
BackgroundProfiles load_background_profiles(const Config& cfg);

// ---- Seasonal climatology (species.boundary_climatology) -----------------------------------------
// One profile: the rows of one species and season, in increasing height.
struct ClimatologyProfile {
    bool ppb = false;                                // unit of the values: ppb (nmol mol-1), else µg m-3
    std::vector<std::pair<double, double>> points;   // (height above ground m, value); empty = no rows
    int line = 0;                                    // line of the first row (messages)
};
struct BoundaryClimatology {
    std::string path;  // as given (messages)
    // Per species: the four seasons in the order winter, spring, summer, autumn (season_index).
    std::map<std::string, std::array<ClimatologyProfile, 4>> species;
};

// Parses the CSV `species,season,height_m,value,unit` (comments and blank lines allowed; extra
// columns are refused). ConfigError "file:line: column: value: reason" for: a missing column, an
// empty or malformed species name, a season other than winter/spring/summer/autumn, a unit other
// than ug_m3/ppb or changing within a profile, a height outside [0, 100000] m or not increasing
// within a profile, a value negative, non-finite or above 1e7.
BoundaryClimatology parse_boundary_climatology(const std::string& csv_text, const std::string& label);
BoundaryClimatology read_boundary_climatology(const std::string& path);

// The concrete season of a run: `key` unless auto; auto from the start month (1..12) and the
// hemisphere: Dec-Feb winter, Mar-May spring, Jun-Aug summer, Sep-Nov autumn, six months on south of
// the equator.
BoundarySeason resolve_boundary_season(BoundarySeason key, int start_month, double latitude_deg);
// 0..3 for winter..autumn (a concrete season).
int season_index(BoundarySeason season);

// Air density of the U.S. Standard Atmosphere (1976) at z_m (geopotential) above sea level (kg m-3);
// the troposphere's lapse of 6.5 K km-1 up to 11 km, isothermal 216.65 K above (the standard's
// 11-20 km layer, extended upwards).
double standard_atmosphere_density_kg_m3(double z_m);

// Per species of `species`: the season's climatological profile as mixing-ratio points (height m,
// µg kg-1): ppb · M_s / M_air with M_s from `table`, or µg m-3 / ρ_std(elevation + height) with the
// standard atmosphere's density; an empty vector for species without rows. ConfigError naming the
// file and line: a name neither in `species` nor in `table` (a typo: names of the table not in the
// run are ignored, so one climatology serves many runs), a species of the run without rows for the
// season while it has rows for another, ppb for a species without a molar mass in the table.
std::vector<std::vector<std::pair<double, double>>> climatology_mixing_ratio_profiles(
    const BoundaryClimatology& clim, BoundarySeason season, const std::vector<std::string>& species,
    const SpeciesPropertiesTable& table, double elevation_m);

// Per species of `species` (the run's physical species): the background as mixing-ratio points
// (height m, µg kg-1), an empty vector for the species that keep species.background_ug_m3 with its
// scale height. In this order: a species named in species.background_ug_m3 keeps it; else the
// climatology of species.boundary_climatology for the run's season (start month, hemisphere of the
// grid's centre), when it has rows for the species; else, in photochemical mode, the mechanism's
// table (ppb · M_s / M_air). Inflow (Advection's BoundaryProfile) and initial state both use it.
std::vector<std::vector<std::pair<double, double>>> background_mixing_ratio_profiles(const Config& cfg, const Grid& grid,
                                                                                  const std::vector<std::string>& species);

// Linear in height between points, constant outside (ppb, or whatever the points hold).
double profile_ppb(const std::vector<std::pair<double, double>>& points, double z_m);

}  // namespace lantian
