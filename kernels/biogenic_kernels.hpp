// Biogenic emission activity factors (MEGAN-style) and the per-column rate loop of isoprene and
// monoterpenes. Pure functions of temperature and light; no allocation, I/O or exceptions.
// Equations, sources and simplifications: docs/emissions-photochemistry.md.
#pragma once

#include <cmath>
#include <cstddef>

namespace lantian::kernels {

// One emitted compound class and its MEGAN parameters.
struct BiogenicClass {
    double ef_ug_m2_h = 0;  // µg m-2 h-1, emission factor at standard conditions (303.15 K, PAR 1000 µmol m-2 s-1)
    double ldf = 1.0;       // light-dependent fraction (1 = isoprene: nothing in the dark)
    double beta_k = 0.1;    // K-1, temperature response of the light-independent part
    double ct1 = 95.0;      // C_T1, activation term of the light-dependent temperature response
};

inline constexpr double kBiogenicStandardT_K = 303.15;       // MEGAN standard leaf temperature
inline constexpr double kBiogenicStandardPar = 1000.0;       // µmol m-2 s-1, MEGAN standard PAR
inline constexpr double kBiogenicToptK = 313.0;              // K, T_opt with T240 = 297 K (no temperature history)
inline constexpr double kBiogenicCt2 = 200.0;                // C_T2 (Guenther et al. 2012)

// Light-dependent temperature response (Guenther et al. 2006 eq. 14, with the MEGAN2.1 constants of
// Guenther et al. 2012 eq. 5):
//   x = (1/T_opt − 1/T) / 0.00831,
//   g(T) = C_T2 exp(C_T1 x) / (C_T2 − C_T1 (1 − exp(C_T2 x)))           (E_opt · g, maximum E_opt at T = T_opt)
// normalised here so that γ_T(303.15 K) = 1:  γ_T,LD(T) = g(T) / g(303.15 K). The normalisation takes
// the place of MEGAN's E_opt and canopy factor C_CE (no temperature history: T24 = T240 = 297 K).
inline double megan_g(double t_k, double ct1) {
    const double x = (1.0 / kBiogenicToptK - 1.0 / t_k) / 0.00831;
    return kBiogenicCt2 * std::exp(ct1 * x) / (kBiogenicCt2 - ct1 * (1.0 - std::exp(kBiogenicCt2 * x)));
}
inline double gamma_t_light_dependent(double t_k, double ct1) {
    return megan_g(t_k, ct1) / megan_g(kBiogenicStandardT_K, ct1);
}

// Light-independent temperature response (Guenther et al. 2012 eq. 4):  γ_T,LI = exp(β (T − 303.15 K)).
inline double gamma_t_light_independent(double t_k, double beta_k) { return std::exp(beta_k * (t_k - kBiogenicStandardT_K)); }

// Light response (Guenther et al. 1993 leaf-level form, applied to the above-canopy PAR: no canopy
// model):  C_L(P) = α c_L1 P / sqrt(1 + α² P²), α = 0.0027 m2 s µmol-1, c_L1 = 1.066, normalised so
// that γ_P(1000 µmol m-2 s-1) = 1;  γ_P = 0 for P ≤ 0.
inline double gamma_p(double par_umol_m2_s) {
    if (par_umol_m2_s <= 0.0) return 0.0;
    constexpr double alpha = 0.0027, cl1 = 1.066;
    const double cl = alpha * cl1 * par_umol_m2_s / std::sqrt(1.0 + alpha * alpha * par_umol_m2_s * par_umol_m2_s);
    const double cl_std = alpha * cl1 * kBiogenicStandardPar / std::sqrt(1.0 + alpha * alpha * kBiogenicStandardPar * kBiogenicStandardPar);
    return cl / cl_std;
}

// Activity factor (Guenther et al. 2012 eq. 2, without the LAI, leaf-age and soil-moisture terms):
//   γ = (1 − LDF) γ_T,LI + LDF γ_T,LD γ_P
inline double biogenic_gamma(const BiogenicClass& b, double t_k, double par_umol_m2_s) {
    return (1.0 - b.ldf) * gamma_t_light_independent(t_k, b.beta_k) +
           b.ldf * gamma_t_light_dependent(t_k, b.ct1) * gamma_p(par_umol_m2_s);
}

// Clear-sky PAR above the canopy from the cosine of the solar zenith angle: global irradiance by
// Haurwitz (1945), G = 1098 cosZ exp(−0.057 / cosZ) W m-2, of which 45 % is PAR at 4.57 µmol J-1
// (McCree 1972); 0 when the sun is below the horizon. No clouds (an upper bound).
inline double clear_sky_par_umol_m2_s(double cos_zenith) {
    if (cos_zenith <= 0.0) return 0.0;
    return 0.45 * 4.57 * 1098.0 * cos_zenith * std::exp(-0.057 / cos_zenith);
}

struct BiogenicViews {
    int ncolumns = 0;
    int nclass = 0;                       // compound classes (≤ 4)
    const BiogenicClass* classes = nullptr;
    const double* t2_k = nullptr;         // ncolumns, 2 m temperature
    const double* cos_zenith = nullptr;   // ncolumns
    const double* area_m2 = nullptr;      // ncolumns, cell areas
    double scale = 1.0;                   // factor on every emission factor
    int rate_stride = 0;                  // rates per column of the output (0 = nclass)
};

// rate_ug_s[c*stride + b] = EF_b · scale · γ_b(T2_c, PAR_c) · area_c / 3600   (µg s-1 per column).
void biogenic_rates(const BiogenicViews& v, double* rate_ug_s);

}  // namespace lantian::kernels
