// Hot loops that turn weather into the per-step quantities the solvers share across species:
// face air-mass fluxes, the vertical mass flux from continuity, air mass from density, vertical
// exchange coefficients and horizontal diffusive conductances. No allocation, I/O or exceptions.
#pragma once

#include "window.hpp"

namespace lantian::kernels {

struct GridViews {
    int nx = 0, ny = 0, nz = 0;
    bool periodic = false;             // lateral edges wrap
    const double* area_m2 = nullptr;   // ny*nx
    const double* len_x_m = nullptr;   // ny*(nx+1), x-face lengths
    const double* len_y_m = nullptr;   // (ny+1)*nx
    const double* dist_x_m = nullptr;  // ny*(nx+1), centre distances across x-faces
    const double* dist_y_m = nullptr;  // (ny+1)*nx
    const double* dz_m = nullptr;      // nz
    const double* z_center_m = nullptr;// nz
};

// m = ρ A Δz (kg) for every cell.
void air_mass_from_density(const GridViews& g, const double* rho_kg_m3, double* air_mass_kg);

// Horizontal face mass fluxes over Δt (kg): F_x = ρ_face u_face L_face Δz Δt, ρ_face the mean of
// the neighbours (the edge cell's value at open edges, the wrapped neighbour when periodic).
void horizontal_mass_fluxes(const GridViews& g, const double* rho_kg_m3, const double* u_face_x_m_s,
                            const double* v_face_y_m_s, double dt_s, double* flux_x_kg, double* flux_y_kg);

// Largest u Δt / d over x- and y-faces for a unit Δt (s-1): dt_max = cfl / result.
double max_inverse_crossing_time(const GridViews& g, const double* u_face_x_m_s, const double* v_face_y_m_s);

// The face where max_inverse_crossing_time is reached (the first in k, x-faces then y-faces, j, i
// order): for the message when the step it gives falls below the floor. Serial; called only then,
// so the per-step reduction stays as it is.
struct CrossingPlace {
    int k = 0, j = 0, i = 0;      // face index: x-face i lies between cells i−1 and i of row j; y-face j between rows j−1 and j
    bool x_face = true;
    double wind_m_s = 0;          // the face wind (grid-relative u on x-faces, v on y-faces)
    double distance_m = 0;        // centre distance across the face
    double rate_per_s = 0;        // |wind| / distance
};
CrossingPlace locate_max_inverse_crossing_time(const GridViews& g, const double* u_face_x_m_s, const double* v_face_y_m_s);

// Vertical mass flux from column continuity, bottom-up (F_z = 0 at the ground):
//   F_{k+1/2} = F_{k-1/2} + (F_x,in − F_x,out + F_y,in − F_y,out)_k − (m_target − m)_k
// so that after all three sweeps every cell holds exactly its target air mass.
void vertical_mass_flux(const GridViews& g, const double* flux_x_kg, const double* flux_y_kg,
                        const double* air_mass_kg, const double* target_air_mass_kg, double* flux_z_kg, const Window& window = {});

// Vertical exchange D_{k-1/2} = ρ_face K_z A / (z_k − z_{k-1}) (kg s-1) at interior faces, 0 at
// the ground and the top.
void vertical_exchange(const GridViews& g, const double* rho_kg_m3, const double* kz_face_z_m2_s, double* exchange_kg_s, const Window& window = {});

// Horizontal diffusion: K_h at cell centres, constant or Smagorinsky (1963) with a floor:
//   K_h = max(kh_floor, (c_s Δ)² sqrt((∂u/∂x − ∂v/∂y)² + (∂u/∂y + ∂v/∂x)²)),  Δ = sqrt(A)
void horizontal_kh(const GridViews& g, const double* u_face_x_m_s, const double* v_face_y_m_s, bool smagorinsky,
                   double kh_floor_m2_s, double smagorinsky_c, double* kh_center_m2_s, const Window& window = {});

// Conductances C = Δt ρ_face K_h,face L_face Δz / d (kg) on x- and y-faces (0 at open edges).
// Computed on the faces of the cells in `faces`; returns the largest Σ_faces C / m over the
// cells of `window`: the explicit scheme needs this ≤ 1/2 per sub-step.
// The stability measure of horizontal_conductances alone, from conductances already computed:
// max over the cells of `window` of Σ_faces C / m (the same value it returned).
double explicit_stability(const GridViews& g, const double* cond_x_kg, const double* cond_y_kg, const double* air_mass_kg,
                          const Window& window = {});

double horizontal_conductances(const GridViews& g, const double* rho_kg_m3, const double* kh_center_m2_s,
                               const double* air_mass_kg, double dt_s, double* cond_x_kg, double* cond_y_kg, const Window& window = {}, const Window& faces = {});

}  // namespace lantian::kernels
