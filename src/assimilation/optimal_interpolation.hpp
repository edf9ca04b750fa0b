// Optimal interpolation (the best linear unbiased estimate, BLUE) of one surface field from point
// observations, with a background quality check, and the vertical spreading factors of a surface
// increment (issue 15, item 4); assimilation/analysis.hpp applies it to the state of a forecast cycle.
// Method, defaults and what is left: docs/assimilation.md.
//
// The analysis (Lorenc 1986, QJRMS 112, 1177–1194; Daley 1991, "Atmospheric Data Analysis", CUP;
// Kalnay 2003, "Atmospheric Modeling, Data Assimilation and Predictability", CUP):
//
//     x_a = x_b + B Hᵀ (H B Hᵀ + R)⁻¹ (y − H x_b)
//
//   x_b   background field on the grid (ny*nx, row-major, cell (i, j) at j*nx + i)
//   y     observations (n_obs), H the observation operator, bilinear interpolation between the four
//         cell centres around each station (rows of H have at most four non-zero weights, sum 1)
//   B     background error covariance between cells g and c:
//             B_gc = σ_b,g σ_b,c exp(−d_gc / L)
//         d_gc the planar distance of the cell centres (m), L the correlation length; the exponential
//         (first-order autoregressive) correlation is positive definite in the plane (Daley 1991;
//         Gaspari & Cohn 1999, QJRMS 125, 723–757), so B is a valid covariance for any σ_b field.
//         σ_b,g = max(sigma_b_min, sigma_b_fraction · max(x_b,g, 0)).
//   R     observation error covariance, σ_o² I (independent errors, representativeness included).
//
// H B Hᵀ (n_obs × n_obs) and B Hᵀ (applied cell by cell) are summed exactly from the four weights of
// each row of H; the grid × grid B is never formed. The n_obs × n_obs system is solved with Eigen's
// LDLT. Cells whose analysis is negative are set to 0 and the amount is reported.
//
// Quality control, the background (first-guess) check (Gandin 1988, Mon. Wea. Rev. 116, 1137–1156;
// Lorenc & Hammon 1988, QJRMS 114, 515–543): observation k is rejected when
//
//     |y_k − (H x_b)_k| > k_qc · sqrt(σ_b,k² + σ_o²)
//
// with σ_b,k the σ_b field interpolated to the station by the same bilinear weights. One pass, against
// the background only (no buddy check).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace lantian {

// A regular planar grid of cell centres: x_m(i) = x0_m + i·dx_m, y_m(j) = y0_m + j·dy_m (projection
// coordinates in metres, e.g. Grid::x() and Grid::y() of a Lambert or Mercator grid). Distances are
// planar in these coordinates: the map factor (a few per cent over a regional domain) is ignored
// beside the uncertainty of L. A lon/lat grid must be projected by the caller first.
struct OiGrid {
    int nx = 0, ny = 0;
    double x0_m = 0, y0_m = 0;  // centre of cell (0, 0)
    double dx_m = 0, dy_m = 0;  // > 0
};

// One observation at a station, in the grid's projection coordinates and the field's units.
struct OiObservation {
    std::string station;
    double x_m = 0, y_m = 0;
    double value = 0;
};

// Parameters, in the field's units (the defaults are for hourly PM2.5 in µg m-3; docs/assimilation.md
// gives their reasons and how to set them for other species).
struct OiParameters {
    // Background error standard deviation: σ_b = max(sigma_b_min, sigma_b_fraction · x_b) per cell;
    // sigma_b_fraction = 0 gives a uniform σ_b = sigma_b_min.
    double sigma_b_fraction = 0.4;  // of the background value
    double sigma_b_min = 5.0;       // field units (µg m-3): the floor where the background is clean
    double sigma_o = 8.0;           // observation error standard deviation, field units (≥ 0)
    double correlation_length_km = 30.0;  // L of exp(−d/L)
    double qc_k = 3.0;              // background check threshold in standard deviations (> 0; +inf: none)
};

enum class OiStatus {
    accepted,            // passed the check, used in the analysis
    rejected_background, // failed the background check, not used
    skipped_outside,     // outside the rectangle of cell centres: H (bilinear) is undefined
    skipped_not_finite,  // value or position not finite
};
const char* oi_status_name(OiStatus s);

struct OiObservationResult {
    std::string station;
    double x_m = 0, y_m = 0;
    double observed = 0;
    OiStatus status = OiStatus::accepted;
    std::string reason;      // empty when accepted
    double background = 0;   // (H x_b)_k; NaN when skipped
    double innovation = 0;   // O − B = y_k − (H x_b)_k; NaN when skipped
    double residual = 0;     // O − A = y_k − (H x_a)_k after clipping (also for rejected); NaN when skipped
    double qc_limit = 0;     // k_qc · sqrt(σ_b,k² + σ_o²); NaN when skipped
};

// Count, mean and RMS of O − B and O − A over the accepted observations (all 0 when none).
struct OiStatistics {
    std::size_t count = 0;
    double mean_omb = 0, rms_omb = 0;
    double mean_oma = 0, rms_oma = 0;
};

struct OiResult {
    std::vector<double> analysis;   // ny*nx, ≥ 0
    std::vector<double> increment;  // ny*nx, analysis − background (after clipping)
    std::vector<OiObservationResult> observations;  // in input order
    OiStatistics statistics;
    std::size_t n_accepted = 0, n_rejected = 0, n_skipped = 0;
    // Non-negativity: cells whose unclipped analysis was negative, the sum of those negative parts
    // set to 0 (field units, summed over cells) and the most negative unclipped value (0 if none).
    std::size_t clipped_cells = 0;
    double clipped_total = 0;
    double most_negative = 0;
};

// The analysis of one surface field. Throws std::invalid_argument for a grid, background or parameter
// that is not valid (sizes, non-positive spacing or L, negative σ, non-finite background), and
// std::runtime_error when H B Hᵀ + R is not positive definite (e.g. σ_o = 0 with two stations at the
// same point).
OiResult optimal_interpolation(const OiGrid& grid, const std::vector<double>& background,
                               const std::vector<OiObservation>& observations, const OiParameters& p = {});

// Vertical spreading of a surface increment (docs/assimilation.md): the factor profile
//
//     f(z) = 1                              for z ≤ a·h
//          = (h − z) / ((1 − a)·h)          for a·h < z < h
//          = 0                              for z ≥ h
//
// with h the boundary-layer height and a = full_fraction (default 0.8): the mixed layer carries the
// surface error, tapering to nothing across the entrainment zone at its top (Stull 1988, "An
// Introduction to Boundary Layer Meteorology", Kluwer, ch. 1). Returns one factor per layer, the mean
// of f over the layer [z_face[k], z_face[k+1]] (exact for the piecewise-linear f), except that the
// lowest layer, the one the surface field represents, always gets 1. The caller adds
// factor_k · increment to layer k of the column and clips at 0. z_face_m: nz+1 increasing heights
// above ground (m) from 0 (Grid::z_face()). Throws std::invalid_argument for bad faces, h ≤ 0 or a
// outside (0, 1].
std::vector<double> vertical_increment_factors(const std::vector<double>& z_face_m, double pblh_m,
                                               double full_fraction = 0.8);

}  // namespace lantian
