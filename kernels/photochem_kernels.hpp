// The conversions around the stiff solver in a photochemical run (src/chemistry/photochemical_mechanism.cpp):
// tracer mixing ratios (µg kg-1, single precision) of a chunk of cells to molecules cm-3 for the
// solver, and back with the mass changes per cell for the ledger. Loops only (OpenMP over cells).
//
//   c = q ρ N_A 10^-12 / M_s = q · conv / M_s          (molecules cm-3; conv = ρ N_A 10^-12)
//   q = c · M_s / conv
//   Δm = m (q_new − q_old)                               (µg; m = the cell's air mass, kg)
// Sulfuric acid (species `sulf`, if ≥ 0 and `so4` is given) condenses at once into particulate
// sulfate: q_SO4 += q_SULF · M_SO4 / M_SULF, q_SULF = 0.
#pragma once

#include <cstddef>

#include "real.hpp"

namespace lantian::kernels {

struct ChemGatherViews {
    int ncell = 0, ns = 0;
    const std::size_t* cell = nullptr;   // [ncell] global cell index
    real* const* q = nullptr;            // [ns] tracer field of each solver species
    const double* conv = nullptr;        // [ncell] ρ N_A 10^-12
    const double* molar_mass = nullptr;  // [ns] g mol-1
    const real* so4 = nullptr;           // particulate sulfate field (may be null)
    real* q_old = nullptr;               // [ncell][ns + 1] out: the values before (SO4 last)
    double* c = nullptr;                 // [ncell][ns] out: molecules cm-3
};
void gather_concentrations(const ChemGatherViews& v);

struct ChemScatterViews {
    int ncell = 0, ns = 0;
    const std::size_t* cell = nullptr;
    real* const* q = nullptr;            // [ns] written
    const double* conv = nullptr;
    const double* molar_mass = nullptr;
    const double* mass_kg = nullptr;     // [ncell] air mass
    const double* c = nullptr;           // [ncell][ns] the solver's result
    const double* clipped = nullptr;     // [ncell][ns] molecules cm-3 the solver added by clipping
    const real* q_old = nullptr;         // [ncell][ns + 1]
    int sulf = -1;                       // solver index of SULF (-1: none)
    real* so4 = nullptr;                 // particulate sulfate field (null: SULF stays gas)
    double so4_per_sulf = 1.0;           // M_SO4 / M_SULF
    double* change_ug = nullptr;         // [ns + 1][ncell] out: Δm per species (SO4 last; µg)
    double* clip_ug = nullptr;           // [ns][ncell] out: mass added by clipping (µg)
};
void scatter_concentrations(const ChemScatterViews& v);

// out[r][col] = Σ_k per_cell[r][k · ncol + col], k = 0 … nz−1 in order (deterministic).
void column_sums(int nrows, int ncol, int nz, const double* per_cell, double* out);

}  // namespace lantian::kernels
