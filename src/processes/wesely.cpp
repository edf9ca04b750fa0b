// Wesely (1989) surface resistances; equations and table in the header's source.
#include "processes/wesely.hpp"

#include <algorithm>
#include <cmath>

namespace lantian {

namespace {
constexpr double X = kWeselyNoPath;

// Wesely (1989) Table 1, rows = seasons 1-5, columns = the land-use types Lantian uses:
// 1 urban, 2 agricultural, 3 range, 4 deciduous forest, 7 water, 8 barren (values in s m-1).
constexpr int kUrban = 0, kAgricultural = 1, kRange = 2, kDeciduous = 3, kWater = 4, kBarren = 5;
using Row = std::array<double, 6>;
constexpr std::array<Row, 5> kRi{{{X, 60, 120, 70, X, X},
                                  {X, X, X, X, X, X},
                                  {X, X, X, X, X, X},
                                  {X, X, X, X, X, X},
                                  {X, 120, 240, 140, X, X}}};
constexpr std::array<Row, 5> kRlu{{{X, 2000, 2000, 2000, X, X},
                                   {X, 9000, 9000, 9000, X, X},
                                   {X, X, 9000, 9000, X, X},
                                   {X, X, X, X, X, X},
                                   {X, 4000, 4000, 4000, X, X}}};
constexpr std::array<Row, 5> kRac{{{100, 200, 100, 2000, 0, 0},
                                   {100, 150, 100, 1500, 0, 0},
                                   {100, 10, 100, 1000, 0, 0},
                                   {100, 10, 10, 1000, 0, 0},
                                   {100, 50, 80, 1200, 0, 0}}};
constexpr std::array<Row, 5> kRgsS{{{400, 150, 350, 500, 0, 1000},
                                    {400, 200, 350, 500, 0, 1000},
                                    {400, 150, 350, 500, 0, 1000},
                                    {100, 100, 100, 100, 0, 1000},
                                    {500, 150, 350, 500, 0, 1000}}};
constexpr std::array<Row, 5> kRgsO{{{300, 150, 200, 200, 2000, 400},
                                    {300, 150, 200, 200, 2000, 400},
                                    {300, 150, 200, 200, 2000, 400},
                                    {600, 3500, 3500, 3500, 2000, 400},
                                    {300, 150, 200, 200, 2000, 400}}};
constexpr std::array<Row, 5> kRclS{{{X, 2000, 2000, 2000, X, X},
                                    {X, 9000, 9000, 9000, X, X},
                                    {X, X, 9000, 9000, X, X},
                                    {X, X, X, 9000, X, X},
                                    {X, 4000, 4000, 4000, X, X}}};
constexpr std::array<Row, 5> kRclO{{{X, 1000, 1000, 1000, X, X},
                                    {X, 400, 400, 400, X, X},
                                    {X, 1000, 400, 400, X, X},
                                    {X, 1000, 1000, 400, X, X},
                                    {X, 1000, 500, 500, X, X}}};

// Wesely's zero ground resistance of SO2 over water, read as 1 s m-1 so that eq. (9) stays finite
// for gases other than SO2 (with 0, every soluble or not gas would see no ground resistance).
constexpr double kMinResistance = 1.0;  // s m-1

int land_use(LandClass land) {
    switch (land) {
        case LandClass::urban: return kUrban;
        case LandClass::cropland: return kAgricultural;
        case LandClass::grassland: return kRange;
        case LandClass::forest: return kDeciduous;
        case LandClass::water: return kWater;
        case LandClass::desert: return kBarren;
        case LandClass::snow: return kRange;
    }
    return kAgricultural;
}

// Conductance (m s-1) of a resistance (s m-1); a closed path (kWeselyNoPath) conducts nothing.
double conductance(double r) { return r >= X ? 0.0 : 1.0 / std::max(r, kMinResistance); }
}  // namespace

WeselySeason resolve_season(DepositionSeason season, LandClass land, int start_month, double latitude_deg) {
    if (land == LandClass::snow) return WeselySeason::winter_snow;
    switch (season) {
        case DepositionSeason::midsummer: return WeselySeason::midsummer;
        case DepositionSeason::autumn: return WeselySeason::autumn;
        case DepositionSeason::late_autumn: return WeselySeason::late_autumn;
        case DepositionSeason::winter_snow: return WeselySeason::winter_snow;
        case DepositionSeason::transitional: return WeselySeason::transitional;
        case DepositionSeason::auto_: break;
    }
    int m = ((start_month - 1) % 12 + 12) % 12 + 1;   // 1..12
    if (latitude_deg < 0) m = (m + 5) % 12 + 1;        // southern hemisphere: six months on
    if (m == 12 || m <= 2) return WeselySeason::winter_snow;
    if (m <= 5) return WeselySeason::transitional;
    if (m <= 8) return WeselySeason::midsummer;
    return WeselySeason::autumn;
}

WeselyCell wesely_cell(WeselySeason season, LandClass land) {
    const auto s = static_cast<std::size_t>(season);
    const auto l = static_cast<std::size_t>(land_use(land));
    return {kRi[s][l], kRlu[s][l], kRac[s][l], kRgsS[s][l], kRgsO[s][l], kRclS[s][l], kRclO[s][l]};
}

double clear_sky_radiation_w_m2(double cos_zenith) { return std::max(0.0, 990.0 * cos_zenith - 30.0); }

WeselyColumn wesely_column(const WeselyCell& cell, double g, double ts) {
    WeselyColumn col{};
    // (3) r_s = r_i [1 + (200/(G + 0.1))²] [400 / (T_s (40 − T_s))], stomata closed outside 0 < T_s < 40 °C
    if (cell.r_i >= X || ts <= 0.0 || ts >= 40.0) {
        col.r_s = X;
    } else {
        const double light = 200.0 / (g + 0.1);
        col.r_s = cell.r_i * (1.0 + light * light) * (400.0 / (ts * (40.0 - ts)));
    }
    // (4) r_dc = 100 [1 + 1000/(G + 10)] / (1 + 1000 θ), θ (terrain slope) = 0
    col.r_dc = 100.0 * (1.0 + 1000.0 / (g + 10.0));
    // Below −2 °C Wesely adds 1000 exp(−T_s − 4) to r_lu, r_cl and r_gs (frozen surfaces).
    col.cold = ts < -2.0 ? 1000.0 * std::exp(-ts - 4.0) : 0.0;
    return col;
}

double wesely_surface_resistance(const WeselyGas& gas, const WeselyCell& cell, const WeselyColumn& col) {
    const double h = gas.henry_m_atm, f0 = gas.f0;
    const double hs = 1e-5 * h;  // the SO2-like (solubility) weight of eqs. (7)-(9)
    // (5), (6) stomatal + mesophyll: r_s D_H2O/D_x + 1/(H*/3000 + 100 f0)
    double g_total = 0;
    const double gm = h / 3000.0 + 100.0 * f0;
    if (col.r_s < X && gm > 0) g_total += 1.0 / (col.r_s * gas.diffusivity_ratio + 1.0 / gm);
    // The frozen-surface increase `cold` slows the solubility (SO2-like) terms only; the reactive
    // (O3-like) terms keep Table 1's values, which for category 4 already describe subfreezing snow
    // (docs/removal.md: with it, O3 would stop depositing to snow at −15 °C, r_c ~ 6e7 s/m).
    // (7) upper canopy r_lux = r_lu / (1e-5 H* + f0)
    if (cell.r_lu < X) g_total += hs / (cell.r_lu + col.cold) + f0 / cell.r_lu;
    // (8) lower canopy r_clx = 1 / (1e-5 H*/r_clS + f0/r_clO), in series with r_dc
    const double g_cl = hs * conductance(cell.r_clS + col.cold) + f0 * conductance(cell.r_clO);
    if (g_cl > 0) g_total += 1.0 / (col.r_dc + 1.0 / g_cl);
    // (9) ground r_gsx = 1 / (1e-5 H*/r_gsS + f0/r_gsO), in series with r_ac
    const double g_gs = hs * conductance(cell.r_gsS + col.cold) + f0 * conductance(cell.r_gsO);
    if (g_gs > 0) g_total += 1.0 / (cell.r_ac + 1.0 / g_gs);
    // (2) r_c = 1 / Σ pathway conductances
    if (!(g_total > 1.0 / X)) return X;
    return std::max(kMinResistance, 1.0 / g_total);
}

double wesely_surface_resistance(const WeselyGas& gas, const WeselyCell& cell, double g, double ts) {
    return wesely_surface_resistance(gas, cell, wesely_column(cell, g, ts));
}

}  // namespace lantian
