// Bulk surface (canopy) resistance r_c of a gas after Wesely (1989), from its effective Henry's law
// constant H* and reactivity f0, by season and land class. Pure functions and small tables; no
// weather fields, no allocation. docs/removal.md describes the model and its simplifications.
//
// Source: M. L. Wesely (1989), Parameterization of surface resistances to gaseous dry deposition in
// regional-scale numerical models, Atmos. Environ. 23, 1293-1304: eqs. (2)-(9), Table 1 (the SO2 and
// O3 reference resistances by season and land use), Table 2 (H*, f0, D_H2O/D_x of gases).
#pragma once

#include <array>

#include "config/config.hpp"

namespace lantian {

// Wesely's seasonal categories 1-5.
enum class WeselySeason { midsummer = 0, autumn = 1, late_autumn = 2, winter_snow = 3, transitional = 4 };

// Resolves removal.season: an explicit season is used as given; `auto` maps the start month
// (1-12, UTC) at the domain's latitude (deg; < 0 = southern hemisphere, six months shifted) to
// Dec-Feb winter_snow, Mar-May transitional, Jun-Aug midsummer, Sep-Nov autumn. The snow land class
// always gives winter_snow.
WeselySeason resolve_season(DepositionSeason season, LandClass land, int start_month, double latitude_deg);

// One cell of Wesely's Table 1 (s m-1): r_i minimum stomatal resistance (water vapour), r_lu upper
// canopy (cuticles), r_ac in-canopy transfer (canopy height and density), r_gsS / r_gsO ground for
// SO2 / O3, r_clS / r_clO lower canopy (leaves, bark) for SO2 / O3. kWeselyNoPath (Wesely's 9999)
// closes a pathway.
struct WeselyCell {
    double r_i, r_lu, r_ac, r_gsS, r_gsO, r_clS, r_clO;
};
inline constexpr double kWeselyNoPath = 1e25;  // s m-1

// Lantian's land classes to Wesely's land-use types: urban → 1 urban, cropland → 2 agricultural,
// grassland → 3 range, forest → 4 deciduous forest, water → 7 water, desert → 8 barren; snow → 3
// range land (snow-covered open land, used with winter_snow).
WeselyCell wesely_cell(WeselySeason season, LandClass land);

// What the surface resistance of one gas depends on; the per-gas terms are precomputed once.
struct WeselyGas {
    double diffusivity_ratio = 1;  // D(H2O)/D(gas)
    double henry_m_atm = 0;        // H*, M atm-1
    double f0 = 0;                 // reactivity, 0..1
};

// The terms of one column that every gas shares (s m-1), from
//   solar_w_m2  global (downward shortwave) radiation G at the surface, W m-2
//   t_surface_c surface air temperature T_s, °C
struct WeselyColumn {
    double r_s;   // bulk stomatal resistance for water vapour, eq. (3); kWeselyNoPath when closed
    double r_dc;  // gas-phase transfer by buoyant convection in canopies, eq. (4), flat terrain
    double cold;  // added below −2 °C: 1000 exp(−T_s − 4), to the solubility (H*) terms of r_lu, r_cl, r_gs
};
WeselyColumn wesely_column(const WeselyCell& cell, double solar_w_m2, double t_surface_c);

// Surface resistance r_c (s m-1) of a gas in a column, eq. (2) with (5)-(9). Result in
// [1, kWeselyNoPath]: the floor of 1 s m-1 stands for "no surface resistance" (HNO3 over water).
double wesely_surface_resistance(const WeselyGas& gas, const WeselyCell& cell, const WeselyColumn& column);
// The same from G and T_s directly (tests, tables).
double wesely_surface_resistance(const WeselyGas& gas, const WeselyCell& cell, double solar_w_m2, double t_surface_c);

// Clear-sky global radiation (W m-2) from the cosine of the solar zenith angle:
//   G = max(0, 990 cos θ − 30)   (Holtslag and van Ulden 1983, J. Clim. Appl. Meteor. 22, 517, no cloud)
double clear_sky_radiation_w_m2(double cos_zenith);

}  // namespace lantian
