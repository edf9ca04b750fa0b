// Hot loops of removal: gravitational settling through the layers and first-order wet scavenging. Views in, views
// out; OpenMP over rows (k, j); per-column sums for the ledger (each column in a fixed order), so results are identical for any
// thread count. No allocation, I/O or exceptions.
#pragma once

#include <cstddef>
#include <limits>

#include "real.hpp"
#include "window.hpp"

namespace lantian::kernels {

// Settling of one species with velocity v_s (m s-1), explicit and upwind (flux first, then
// divergence):  F_{k-1/2} = m_k q_k · v_s Δt / Δz_k  leaves layer k through its bottom face and
// enters layer k−1 (or the ground, k = 0). Needs v_s Δt ≤ Δz_k (callers sub-step).
struct SettlingViews {
    int nx = 0, ny = 0, nz = 0;
    const double* fraction_per_layer = nullptr;  // nz: v_s Δt / Δz_k (owned by the caller)
    const double* air_mass_kg = nullptr;    // nz*ny*nx
    real* q = nullptr;                      // one species, nz*ny*nx (µg kg-1), updated
    double* settled_ug = nullptr;           // ny*nx: mass reaching the ground per column
    Window window;                          // columns updated (and written in settled_ug)
};
void settle(const SettlingViews& v);

// Wet scavenging q' = q exp(−Λ Δt) with Λ = min(a P^b, c P) per column (P in mm h-1,
// column-uniform); c (s-1 per mm h-1) is the solubility limit of a gas (infinite: none). With
// `keep` given, exp(−Λ Δt) per column is read from it (scavenging_keep: computed once for every
// tracer of the same coefficients, e.g. a species and its source tags) instead of computed.
struct ScavengingViews {
    int nx = 0, ny = 0, nz = 0;
    double dt_s = 0, a_s = 0, b = 1;
    double c_s_per_mm_h = std::numeric_limits<double>::infinity();
    const double* precip_mm_h = nullptr;    // ny*nx
    const double* air_mass_kg = nullptr;
    real* q = nullptr;                      // one species, updated
    double* removed_ug = nullptr;           // ny*nx: mass removed per column
    const double* keep = nullptr;           // optional, ny*nx: exp(−Λ Δt) per column (1 without rain)
    Window window;
};
void scavenge(const ScavengingViews& v);
// keep_out (ny*nx) = exp(−Λ Δt) of every column of the window (1 where P ≤ 0), from the
// coefficients, precipitation and Δt of `v` (its q, air mass and removed_ug are not used).
void scavenging_keep(const ScavengingViews& v, double* keep_out);

}  // namespace lantian::kernels
