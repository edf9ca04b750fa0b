// Model evaluation against observations: paired statistics (MB, NMB, NME, RMSE, R, FAC2, MFB, MFE)
// and their flags against the benchmarks of Emery et al. (2017, J. Air Waste Manage. Assoc. 67,
// 582–598) for 24-h PM2.5 and for ozone (1-h or MDA8), and of Boylan & Russell (2006, Atmos.
// Environ. 40, 4946) for MFB/MFE.
#pragma once

#include <string>
#include <vector>

namespace lantian {

struct Metrics {
    std::size_t n = 0;
    double mean_obs = 0, mean_model = 0;
    double mb = 0;      // mean bias, mean(M − O)
    double nmb = 0;     // normalised mean bias Σ(M − O) / ΣO
    double nme = 0;     // normalised mean error Σ|M − O| / ΣO
    double rmse = 0;
    double r = 0;       // Pearson correlation (0 when either series is constant)
    double fac2 = 0;    // fraction of pairs with 0.5 ≤ M/O ≤ 2 (M = O = 0 counts as within)
    double mfb = 0;     // mean fractional bias (2/N) Σ (M − O)/(M + O); pairs with M + O = 0 add 0
    double mfe = 0;     // mean fractional error (2/N) Σ |M − O|/(M + O)
};

// Statistics of paired values (equal lengths, NaN pairs skipped).
Metrics compute_metrics(const std::vector<double>& model, const std::vector<double>& obs);

// "goal", "criteria" or "outside" for 24-h PM2.5 (Emery 2017: NMB ±10/±30 %, NME 35/50 %, R 0.70/0.40;
// Boylan & Russell 2006: MFB ±30/±60 %, MFE 50/75 %).
std::string flag_nmb(double nmb);
std::string flag_nme(double nme);
std::string flag_r(double r);
std::string flag_mfb(double mfb);
std::string flag_mfe(double mfe);

// Ozone, 1-h or MDA8 (Emery et al. 2017): NMB goal ±5 %, criteria ±15 %; NME goal 15 %, criteria
// 25 %; R goal 0.75, criteria 0.50 (edges inclusive, as for PM2.5 above). Emery et al. recommend the
// MDA8 statistics over the days whose observed MDA8 is at least 40 ppb.
std::string flag_o3_nmb(double nmb);
std::string flag_o3_nme(double nme);
std::string flag_o3_r(double r);
// 40 ppb of O3 as a mass concentration at 298.15 K and 1013.25 hPa: 40e-9 × 48.00 g mol-1 ×
// p/(R T) = 40 × 48.00 / 24.465 µg m-3 (24.465 L mol-1 is the molar volume at those conditions).
constexpr double kO3CutoffPpb = 40.0;
constexpr double kO3MolarMassGMol = 48.00;
constexpr double kMolarVolume298LMol = 24.465;
constexpr double kO3CutoffUgM3 = kO3CutoffPpb * kO3MolarMassGMol / kMolarVolume298LMol;  // 78.48 µg m-3

}  // namespace lantian
