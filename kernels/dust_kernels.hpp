// Wind-blown dust: the threshold friction velocity (Shao & Lu 2000) raised by soil moisture
// (Fécan et al. 1999), the saltation flux (White 1979 in the form of Marticorena & Bergametti 1995)
// and the vertical dust flux by the sandblasting efficiency (Marticorena & Bergametti 1995), with the
// per-column rate loop. Pure functions; no allocation, I/O or exceptions. Equations, constants and
// what is left out: docs/dust.md.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace lantian::kernels {

inline constexpr double kDustGravity = 9.81;              // m s-2
inline constexpr double kDustParticleDensity = 2650.0;    // kg m-3, quartz (Shao & Lu 2000)
inline constexpr double kShaoLuA = 0.0123;                // A_N, dimensionless (Shao & Lu 2000)
inline constexpr double kShaoLuGamma = 3.0e-4;            // γ, kg s-2 (N m-1) (Shao & Lu 2000: 1.65e-4 .. 5e-4)
inline constexpr double kWhiteC = 2.61;                   // c of the saltation flux (White 1979; MB95)
inline constexpr double kWaterDensity = 1000.0;           // kg m-3
inline constexpr double kFreezingK = 273.15;              // K

// Dry threshold friction velocity of a particle of diameter d on a smooth bed (Shao & Lu 2000):
//   u*_t,dry = sqrt( A_N (ρ_p g d / ρ_a + γ / (ρ_a d)) )        (m s-1; d in m, ρ in kg m-3)
inline double dust_threshold_dry(double diameter_m, double rho_air_kg_m3) {
    return std::sqrt(kShaoLuA * (kDustParticleDensity * kDustGravity * diameter_m / rho_air_kg_m3 +
                                 kShaoLuGamma / (rho_air_kg_m3 * diameter_m)));
}

// Residual (adsorbed) gravimetric water of a soil (Fécan et al. 1999), % from % clay:
//   w' = 0.0014 (%clay)² + 0.17 (%clay)
inline double fecan_residual_water_percent(double clay_percent) { return 0.0014 * clay_percent * clay_percent + 0.17 * clay_percent; }

// Gravimetric water (%) of a volumetric content θ (m3 m-3) in a soil of dry bulk density ρ_b:
//   w = 100 θ ρ_w / ρ_b
inline double gravimetric_water_percent(double theta_m3_m3, double bulk_density_kg_m3) {
    return 100.0 * theta_m3_m3 * kWaterDensity / bulk_density_kg_m3;
}

// Moisture factor on the threshold (Fécan et al. 1999):
//   f_w = 1 for w ≤ w',  f_w = sqrt(1 + 1.21 (w − w')^0.68) for w > w'   (w, w' in %)
inline double fecan_factor(double w_percent, double w_residual_percent) {
    if (w_percent <= w_residual_percent) return 1.0;
    return std::sqrt(1.0 + 1.21 * std::pow(w_percent - w_residual_percent, 0.68));
}

// Saltation (horizontal) flux, kg m-1 s-1 (White 1979; Marticorena & Bergametti 1995):
//   Q = c ρ_a / g · u*³ (1 + u*_t/u*) (1 − u*_t²/u*²)   for u* > u*_t, 0 otherwise
//     = c ρ_a / g · (u* + u*_t)² (u* − u*_t)
inline double saltation_flux(double ustar_m_s, double ustar_t_m_s, double rho_air_kg_m3) {
    if (!(ustar_m_s > ustar_t_m_s)) return 0.0;
    const double r = ustar_t_m_s / ustar_m_s;
    return kWhiteC * rho_air_kg_m3 / kDustGravity * ustar_m_s * ustar_m_s * ustar_m_s * (1.0 + r) * (1.0 - r * r);
}

// Sandblasting efficiency α = F/Q, m-1 (Marticorena & Bergametti 1995, there in cm-1, after Gillette 1979):
//   log10(α / cm-1) = 0.134 (%clay) − 6, for clay ≤ 20 % (clay above is taken as 20 %)
inline double sandblasting_efficiency_m(double clay_percent) {
    return 100.0 * std::pow(10.0, 0.134 * std::min(clay_percent, 20.0) - 6.0);
}

struct DustParameters {
    double diameter_m = 75e-6;        // threshold particle diameter
    double bulk_density_kg_m3 = 1500;
    double snow_threshold = 0.5;      // snow cover at or above which nothing is emitted
    double scale = 1.0;
};

// One column's inputs (the land fields with any defaults already applied).
struct DustColumn {
    double ustar_m_s, rho_air_kg_m3, t2_k, snow_cover, soil_moisture_m3_m3, erodible_fraction, clay_fraction;
};

// Vertical dust flux, kg m-2 s-1 of ground:
//   F = scale · E · α(clay) · Q(u*, u*_t,dry · f_w)
// and 0 under snow (snow cover ≥ threshold) or on frozen soil: T2 < 273.15 K with water beyond the
// adsorbed layer (w > w'), which freezes and binds the surface grains (our rule, docs/dust.md).
inline double dust_vertical_flux(const DustColumn& c, const DustParameters& p) {
    if (c.erodible_fraction <= 0.0 || c.snow_cover >= p.snow_threshold) return 0.0;
    const double clay_percent = 100.0 * c.clay_fraction;
    const double w = gravimetric_water_percent(c.soil_moisture_m3_m3, p.bulk_density_kg_m3);
    const double wr = fecan_residual_water_percent(clay_percent);
    if (c.t2_k < kFreezingK && w > wr) return 0.0;
    const double ut = dust_threshold_dry(p.diameter_m, c.rho_air_kg_m3) * fecan_factor(w, wr);
    return p.scale * c.erodible_fraction * sandblasting_efficiency_m(clay_percent) * saltation_flux(c.ustar_m_s, ut, c.rho_air_kg_m3);
}

struct DustViews {
    int ncolumns = 0;
    const double* ustar_m_s = nullptr;       // ncolumns
    const double* rho_air_kg_m3 = nullptr;   // ncolumns (air density of the surface layer)
    const double* t2_k = nullptr;
    const double* snow_cover = nullptr;
    const double* soil_moisture_m3_m3 = nullptr;
    const double* erodible_fraction = nullptr;
    const double* clay_fraction = nullptr;
    const double* area_m2 = nullptr;
    DustParameters parameters;
    int out_stride = 1;                      // rate_ug_s[c*out_stride + out_offset]
    int out_offset = 0;
};

// rate_ug_s[c*out_stride + out_offset] = F_c · area_c · 1e9 µg kg-1   (µg s-1 per column).
void dust_rates(const DustViews& v, double* rate_ug_s);

}  // namespace lantian::kernels
