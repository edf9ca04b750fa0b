// Hot loops of the WRF reader: per-level derived fields of WRF columns, and the mass-weighted remap
// of WRF levels onto Lantian's layers by height overlap. Views in, views out; OpenMP over columns.
// No allocation, I/O or exceptions (problems are reported through an output index).
#pragma once

#include <cstddef>

namespace lantian::kernels {

struct WrfLevelViews {
    int ncolumns = 0, nlevels = 0;          // columns of the slab, WRF mass levels
    const float* ph = nullptr;              // (nlevels+1) × ncolumns, perturbation geopotential (m2 s-2)
    const float* phb = nullptr;             // base geopotential
    const float* theta_pert = nullptr;      // nlevels × ncolumns, θ − 300 K
    const float* p = nullptr;               // perturbation pressure (Pa)
    const float* pb = nullptr;              // base pressure (Pa)
    const float* qv = nullptr;              // water-vapour mixing ratio (kg kg-1)
    const float* mu = nullptr;              // ncolumns, perturbation dry column mass (Pa)
    const float* mub = nullptr;             // base dry column mass (Pa)
    const float* hgt = nullptr;             // terrain height (m)
    const float* znw = nullptr;             // nlevels+1, η on full levels (1 at the ground)
    double* z_face_m = nullptr;             // ncolumns × (nlevels+1): heights above ground of full levels
    double* rho_kg_m3 = nullptr;            // ncolumns × nlevels
    double* temperature_k = nullptr;        // ncolumns × nlevels
    double* rh_frac = nullptr;              // ncolumns × nlevels
};

// z = (PH + PHB)/g − HGT;  level mass per area μ_d Δη / g (1 + q_v) (kg m-2);  ρ = mass / Δz;
// T = (θ' + 300) (p/p0)^(R_d/c_p);  RH = e / e_s with e = q_v p / (0.622 + q_v), e_s after Bolton
// (1980). Returns the first column whose heights do not increase (−1 when all do); its level in
// *bad_level.
int wrf_level_fields(const WrfLevelViews& v, int* bad_level);

// Remap of level values onto layers for n items (columns or faces). Item i averages the WRF
// columns col_a[i] and col_b[i] (heights and densities; the same column twice for a cell centre);
// value of level q of item i: values[value_offset[i] + q·value_stride]. For each layer l:
//   mass_l = Σ_q ov(l, q) ρ_q,   out_l = Σ_q ov(l, q) ρ_q v_q / mass_l
// with ov the height overlap (m) of layer l and level q; written to out[out_offset[i] + l·out_stride]
// and, when mass_out is set, mass_l (kg m-2) likewise.
struct LevelRemapViews {
    int n = 0, nlevels = 0, nlayers = 0;
    const double* layer_face_m = nullptr;   // nlayers+1
    const double* z_face_m = nullptr;       // per column × (nlevels+1)
    const double* rho_kg_m3 = nullptr;      // per column × nlevels
    const int* col_a = nullptr;
    const int* col_b = nullptr;
    const float* values_f = nullptr;        // exactly one of values_f, values_d
    const double* values_d = nullptr;
    const std::size_t* value_offset = nullptr;
    std::size_t value_stride = 0;
    double* out = nullptr;
    double* mass_out = nullptr;
    const std::size_t* out_offset = nullptr;
    std::size_t out_stride = 0;
};
void remap_levels(const LevelRemapViews& v);

// out = (1 − w) a + w b for n values (linear interpolation in time of a met field).
void lerp(std::size_t n, const double* a, const double* b, double w, double* out);

// True when a and b hold the same n values bit for bit and every one is finite (exponent bits not
// all ones): a met field that is then the same at both ends of an interval. OpenMP over values.
bool same_and_finite(std::size_t n, const double* a, const double* b);

}  // namespace lantian::kernels
