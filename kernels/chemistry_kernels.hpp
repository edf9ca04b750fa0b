// Hot loops of chemistry: first-order conversion of one species into another with a weather-
// dependent rate (the linear mechanism). Views in, views out; OpenMP over rows; per-column sums for
// the ledger in a fixed order, so results are identical for any thread count. No allocation, I/O
// or exceptions.
#pragma once

#include <cstddef>

#include "real.hpp"
#include "window.hpp"

namespace lantian::kernels {

// First-order conversion from → to, integrated exactly over Δt in every cell. The weather part —
// the fraction converted in the step — is computed once and reused for every scenario:
//   k = k_day max(0, cos z) + k_night RH [cos z ≤ 0] + k_rh RH + k_het ((RH − RH0)/(1 − RH0))² [RH > RH0]
//   f = 1 − e^{−k Δt}
// then per pair:  Δ = q_from f;  q_from −= Δ;  q_to += Δ · mass_ratio
// (mass_ratio = M_to / M_from: the element is conserved exactly).
struct ConversionRateViews {
    int nx = 0, ny = 0, nz = 0;
    double dt_s = 0;
    double k_day_s = 0, k_night_s = 0, k_rh_s = 0, k_het_s = 0, rh_threshold = 0.5;
    const double* cos_zenith = nullptr;     // ny*nx
    const double* rh_frac = nullptr;        // nz*ny*nx
    double* fraction = nullptr;             // nz*ny*nx, output: f
    Window window;
};
void conversion_fraction(const ConversionRateViews& v);

struct ConversionViews {
    int nx = 0, ny = 0, nz = 0;
    double mass_ratio = 1;
    const double* fraction = nullptr;       // from conversion_fraction
    const double* air_mass_kg = nullptr;
    real* q_from = nullptr;
    real* q_to = nullptr;                   // nullptr: the product is not carried (loss only)
    double* converted_ug = nullptr;         // ny*nx: mass of `from` converted per column
    Window window;
};
void convert(const ConversionViews& v);

}  // namespace lantian::kernels
