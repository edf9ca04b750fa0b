// Briggs plume rise for many stacks at once: plain structs in, plain structs out. No allocation,
// I/O or exceptions. The single-stack formula is exposed for tests.
#pragma once

#include <cstddef>

#include "emission_kernels.hpp"

namespace lantian::kernels {

struct StackParameters {
    double height_m;         // physical stack height above ground
    double diameter_m;       // inner diameter at the tip
    double exit_temp_k;      // flue-gas exit temperature
    double exit_velocity_m_s;
};

// Weather at the stack, sampled by the caller at the stack top's layer of the stack's column.
struct StackWeather {
    double wind_m_s;         // horizontal wind speed at stack height
    double air_temp_k;       // ambient temperature at stack height
    double dtheta_dz_k_m;    // potential-temperature lapse rate at stack height (K m-1)
    double ustar_m_s;        // friction velocity
    double mo_length_m;      // Monin–Obukhov length (> 0 stable, < 0 unstable)
    double pblh_m;           // boundary-layer height
};

struct PlumeRiseOptions {
    double min_wind_m_s = 1.0;         // wind speeds below this use this (the formulas diverge as u → 0)
    bool stack_tip_downwash = true;    // Briggs (1974) stack-tip downwash
    double min_dtheta_dz_k_m = 0.005;  // K m-1, floor of dθ/dz in the stable branch
    double neutral_abs_mo_length_m = 1000.0;  // m; |L| above this is neutral
};

enum class PlumeBranch { neutral = 0, stable = 1, unstable = 2 };

struct PlumeExtent {
    double release_m;   // stack height after tip downwash (m)
    double rise_m;      // final plume rise Δh (m)
    double bottom_m;    // plume spread over [bottom, top] (m above ground)
    double top_m;
    PlumeBranch branch;
    bool buoyancy_dominated;
};

// Final plume rise after Briggs (1969, 1975, 1984), in the form compiled in the US EPA ISC3
// user's guide (EPA-454/B-95-003b, vol. II, §1.1.4); fluxes
//   F_b = g v_s d² (T_s − T_a) / (4 T_s)   (m4 s-3),   F_m = v_s² d² T_a / (4 T_s)   (m4 s-2)
// neutral:  Δh_b = 21.425 F_b^(3/4) / u  (F_b < 55),  38.71 F_b^(3/5) / u  (F_b ≥ 55);  Δh_m = 3 d v_s / u
// stable, s = (g / T_a) ∂θ/∂z:  Δh_b = min(2.6 (F_b / (u s))^(1/3), 4 F_b^(1/4) s^(-3/8))
//                               Δh_m = min(1.5 (F_m / (u √s))^(1/3), 3 d v_s / u)
// unstable (Briggs 1984, convective):  Δh_b = min(neutral Δh_b, 3 (F_b / u)^(3/5) H*^(-2/5)),
//                               H* = g H / (ρ c_p T) = u*³ / (κ |L|)  (m2 s-3)
// Δh = max(Δh_b, Δh_m). Stack-tip downwash (Briggs 1974): h' = h + 2 d (v_s / u − 1.5) when
// v_s < 1.5 u. A stack whose tip is above the boundary layer uses the stable branch. The plume is
// spread over [h' + Δh/2, h' + 3Δh/2], i.e. a depth Δh centred on the final height h' + Δh.
PlumeExtent briggs_plume(const StackParameters& stack, const StackWeather& met, const PlumeRiseOptions& opt);

// briggs_plume for n stacks (OpenMP over stacks).
void plume_rise(int n, const StackParameters* stacks, const StackWeather* met, const PlumeRiseOptions& opt,
                PlumeExtent* out);

// The weather at each stack tip, from the met fields of the whole grid (row-major (k, j, i)):
// the wind speed at the cell centre from its faces, |(u_{i-1/2} + u_{i+1/2})/2, (v_{j-1/2} + v_{j+1/2})/2|;
// the temperature of the tip's cell; dθ/dz = ∂T/∂z + g/c_p, ∂T/∂z from the layer above (or below, at
// the top); the column's u*, L and boundary-layer height. OpenMP over stacks.
struct StackWeatherViews {
    int nstacks = 0, nx = 0, ny = 0, nz = 0;
    const std::size_t* column = nullptr;      // per stack: j*nx + i
    const int* layer = nullptr;               // per stack: layer of the tip
    const double* u_face_x_m_s = nullptr;     // nz*ny*(nx+1)
    const double* v_face_y_m_s = nullptr;     // nz*(ny+1)*nx
    const double* temperature_k = nullptr;    // nz*ny*nx
    const double* z_center_m = nullptr;       // nz
    const double* ustar_m_s = nullptr;        // ny*nx
    const double* mo_length_m = nullptr;      // ny*nx
    const double* pblh_m = nullptr;           // ny*nx
};
void stack_weather(const StackWeatherViews& v, StackWeather* out);

// Each plume spread over the layers between its bottom and top by the height they overlap:
//   share_k = [min(top, z_{k+1}) − max(bottom, z_k)] / (top − bottom)   for the layers with overlap > 0,
// bottom and top capped at the model top z_nz; a plume of no depth goes whole into the layer of its
// bottom (the top layer when it is above the model top). Layer shares are CSR per stack: counts
// first (plume_layer_counts, per stack), then with start[] their exclusive prefix sum (nstacks + 1
// values) plume_layer_fill writes each stack's shares in layer order. OpenMP over stacks.
// first_layer (optional, nstacks): each plume's first layer, written by plume_layer_counts and read
// by plume_layer_fill, which then need not search for it again.
void plume_layer_counts(int nstacks, int nz, const double* z_face_m, const PlumeExtent* plumes, int* counts,
                        int* first_layer = nullptr);
void plume_layer_fill(int nstacks, int nz, const double* z_face_m, const PlumeExtent* plumes, const int* start,
                      LayerShare* out, const int* first_layer = nullptr);

}  // namespace lantian::kernels
