// Wind-blown dust of erodible land: which runs emit it and the defaults of the land fields the
// weather lacks. The scheme (threshold, moisture, flux) and the per-column loop are in
// kernels/dust_kernels.hpp; the method, constants and tables in docs/dust.md.
#pragma once

#include <vector>

#include "config/config.hpp"
#include "dust_kernels.hpp"

namespace lantian {

// The species wind-blown dust is emitted into.
inline constexpr const char* kDustSpecies = "DUST";

// Land fields of idealized weather (no land use, soil or soil moisture) when the dust.* key is not
// set: an erodible sandy desert soil, dry.
inline constexpr double kIdealizedErodibleFraction = 1.0;
inline constexpr double kIdealizedClayFraction = 0.05;
inline constexpr double kIdealizedSoilMoisture = 0.01;  // m3 m-3: w = 0.67 % < w' = 0.885 % of 5 % clay

struct DustOptions {
    bool on = false;                      // emit (the rest is ignored when false)
    kernels::DustParameters parameters;
    // Values for columns where the weather has no field (−1 there): the dust.* key, or the idealized default.
    double erodible_fraction = kIdealizedErodibleFraction;
    double clay_fraction = kIdealizedClayFraction;
    double soil_moisture_m3_m3 = kIdealizedSoilMoisture;
    std::vector<double> erodible_box;     // lon_min lat_min lon_max lat_max (degrees); empty = everywhere
};

// Whether wind-blown dust may rise at a cell centre: inside the box (edges included), or no box.
bool in_erodible_box(const std::vector<double>& box, double lon_deg, double lat_deg);

// From [dust]; on with dust.windblown = true.
DustOptions dust_options(const Config& cfg);

}  // namespace lantian
