// Physically plausible ranges of the weather read from files: one table (quantity, unit, bounds,
// what is checked against it, why) used by every reader — the WRF reader and the surface-layer
// table — so that a value no atmosphere produces stops the run where it is read. Documented in
// docs/input-formats.md ("Plausibility checks"; a unit test keeps the two equal).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace lantian {

enum class Quantity {
    wind_component,       // m s-1, one horizontal component (WRF U, V, U10, V10)
    wind_speed,           // m s-1, speed (surface-layer table)
    air_temperature,      // K, 3-D air temperature
    temperature_2m,       // K, 2 m air temperature
    pressure,             // Pa, air pressure
    dry_column_pressure,  // Pa, WRF's dry hydrostatic column pressure μ_d
    geopotential_height,  // m, height of a model level above sea level
    terrain_height,       // m, above sea level
    eta,                  // 1, WRF's vertical coordinate η
    water_vapour,         // kg kg-1, mixing ratio
    pblh,                 // m, boundary-layer height
    ustar,                // m s-1, friction velocity
    heat_flux,            // W m-2, surface sensible heat flux (upward positive)
    accumulated_precip,   // mm, accumulated since the model start
    precip_rate,          // mm h-1
    cloud_fraction,       // 1, fraction of a layer covered by cloud
    cloud_water,          // kg kg-1, cloud liquid water mixing ratio
    snow_cover,           // 1, fraction of the ground under snow
};

struct PlausibleRange {
    Quantity quantity;
    const char* name;     // "wind component"
    const char* unit;     // "m s-1"
    double lo, hi;        // inclusive bounds
    const char* checked;  // the variables / columns checked against it
    const char* why;      // the extremes the bounds still accept, with their sources
};

// Every row, in the order of the documentation.
const std::vector<PlausibleRange>& plausibility_table();
const PlausibleRange& plausible_range(Quantity q);

// lo ≤ v ≤ hi (false for NaN).
inline bool is_plausible(const PlausibleRange& r, double v) { return v >= r.lo && v <= r.hi; }
inline bool is_plausible(Quantity q, double v) { return is_plausible(plausible_range(q), v); }

// Index of the first of n values value(k) outside the range of q, or n when all are plausible.
template <class ValueAt>
std::size_t first_implausible(Quantity q, std::size_t n, ValueAt value) {
    const PlausibleRange& r = plausible_range(q);
    for (std::size_t k = 0; k < n; ++k)
        if (!is_plausible(r, value(k))) return k;
    return n;
}

// "1e+30 m s-1: outside the plausible range of a wind component, [-150, 150] m s-1 (see
// "Plausibility checks" in docs/input-formats.md)".
std::string implausible_reason(Quantity q, double v);

// The Markdown table of docs/input-formats.md ("Plausibility checks").
std::string plausibility_markdown();

}  // namespace lantian
