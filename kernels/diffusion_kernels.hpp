// Hot loops of turbulent mixing: implicit vertical diffusion with emissions and dry deposition in the
// same solve, and explicit horizontal diffusion. Views and scalars in, views out; no allocation,
// I/O or exceptions.
#pragma once

#include <cstddef>

#include "emission_kernels.hpp"  // EmissionEntry, the rows of the emission table the solve adds
#include "real.hpp"
#include "window.hpp"

namespace lantian::kernels {

struct VerticalViews {
    int nx = 0, ny = 0, nz = 0, nspec = 0;
    double dt_s = 0;
    const double* air_mass_kg = nullptr;        // nz*ny*nx
    const double* exchange_kg_s = nullptr;      // (nz+1)*ny*nx: D_{k-1/2} = ρ K_z A / Δz_c at face k (kg s-1);
                                                // faces 0 (ground) and nz (top) must be 0
    const double* deposition_kg_s = nullptr;    // nspec*ny*nx: v_d ρ_0 A at the ground (kg s-1)
    const int* emission_start = nullptr;        // ny*nx*nspec + 1 offsets into emissions, CSR by (column, species);
                                                // nullptr = no emissions
    const EmissionEntry* emissions = nullptr;
    real* q = nullptr;                          // nspec*nz*ny*nx, mixing ratio (µg kg-1), updated
    double* emitted_ug = nullptr;               // nspec*ny*nx: emitted mass this step per column (for the ledger)
    double* deposited_ug = nullptr;             // nspec*ny*nx: deposited mass this step per column
    Window window;                              // columns solved
    double* scratch = nullptr;                  // vertical_scratch_doubles(nz, nx) per thread, cache-line aligned
    std::size_t scratch_per_thread = 0;
};

std::size_t vertical_scratch_doubles(int nz, int nx);

// Backward-Euler diffusion with sources and deposition, conservative by construction:
//   m_k (q_k' − q_k) = Δt [D_{k+1/2}(q_{k+1}' − q_k') − D_{k-1/2}(q_k' − q_{k-1}')] + Δt E_k
//                      − δ_{k0} Δt v_d ρ_0 A q_0'
// The tridiagonal system is eliminated from the top down, so rows nz-1..1 are factorised once per
// column and only the ground row (where deposition differs by species) is species-specific.
void vertical_diffusion(const VerticalViews& v);

struct HorizontalViews {
    int nx = 0, ny = 0, nz = 0, nspec = 0;
    bool periodic = false;                      // false: no diffusive flux through the lateral edges
    int substeps = 1;
    const double* air_mass_kg = nullptr;        // nz*ny*nx
    const double* conductance_x_kg = nullptr;   // nz*ny*(nx+1): Δt_sub ρ K_h L_face Δz / d (kg) per x-face
    const double* conductance_y_kg = nullptr;   // nz*(ny+1)*nx: same for y-faces
    real* q = nullptr;                          // updated
    real* work = nullptr;                       // 3*nx per thread (row buffers)
    // Cells updated. In a decomposed run this is the rank's block grown by `substeps` cells (its
    // halo, current on entry): the outermost ring goes stale by one cell per sub-step, never the
    // block itself. A periodic axis must not be cut.
    Window window;
};

// Explicit flux-form diffusion, fluxes first then divergence:
//   q_i' = q_i + [C_{i-1/2}(q_{i-1} − q_i) + C_{i+1/2}(q_{i+1} − q_i) + (same in y)] / m_i
void horizontal_diffusion(const HorizontalViews& v);

}  // namespace lantian::kernels
