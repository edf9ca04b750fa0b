// Hot loops of removal and chemistry: gravitational settling through the layers, first-order wet
// scavenging, and first-order chemical conversion of one species into another. Views in, views
// out; OpenMP over rows (k, j); per-column sums for the ledger (each column in a fixed order), so results are identical for any
// thread count. No allocation, I/O or exceptions.
#pragma once

#include <cstddef>

#include "real.hpp"
#include "window.hpp"

namespace lantian::kernels {

// Settling of one species with velocity v_s (m s-1), explicit and upwind (flux first, then
// divergence):  F_{k-1/2} = m_k q_k · v_s Δt / Δz_k  leaves layer k through its bottom face and
// enters layer k−1 (or the ground, k = 0). Needs v_s Δt ≤ Δz_k (callers sub-step).
struct SettlingViews {
    int nx = 0, ny = 0, nz = 0;
    double fraction_per_layer[64] = {};     // v_s Δt / Δz_k for k < nz (nz ≤ 64)
    const double* air_mass_kg = nullptr;    // nz*ny*nx
    real* q = nullptr;                      // one species, nz*ny*nx (µg kg-1), updated
    double* settled_ug = nullptr;           // ny*nx: mass reaching the ground per column
    Window window;                          // columns updated (and written in settled_ug)
};
void settle(const SettlingViews& v);

// Wet scavenging q' = q exp(−Λ Δt) with Λ = a P^b per column (P in mm h-1, column-uniform).
struct ScavengingViews {
    int nx = 0, ny = 0, nz = 0;
    double dt_s = 0, a_s = 0, b = 1;
    const double* precip_mm_h = nullptr;    // ny*nx
    const double* air_mass_kg = nullptr;
    real* q = nullptr;                      // one species, updated
    double* removed_ug = nullptr;           // ny*nx: mass removed per column
    Window window;
};
void scavenge(const ScavengingViews& v);

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
    real* q_to = nullptr;
    double* converted_ug = nullptr;         // ny*nx: mass of `from` converted per column
    Window window;
};
void convert(const ConversionViews& v);

}  // namespace lantian::kernels
