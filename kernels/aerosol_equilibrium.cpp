// Sulfate–nitrate–ammonium equilibrium and aqueous S(IV) oxidation; see the header and
// docs/aerosol-equilibrium.md for the equations and the source of every constant.
#include "aerosol_equilibrium.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "physical_constants.hpp"

namespace lantian::kernels {

namespace {

constexpr double kT0 = 298.15;  // K, reference temperature of the tables
constexpr double kGas = phys::kGasConstant;
constexpr double kAtm = phys::kStandardAtmosphere;
constexpr double kLn10 = 2.302585092994046;

// K(T) = K0 exp[a (T0/T − 1) + b (1 + ln(T0/T) − T0/T)] (Fountoukis and Nenes 2007, eq. 5).
double k_of_t(double k0, double a, double b, double T) {
    const double r = kT0 / T;
    return k0 * std::exp(a * (r - 1.0) + b * (1.0 + std::log(r) - r));
}

// Van 't Hoff form H(T) = H298 exp[c (1/T − 1/298.15)] of the Henry's-law and dissociation
// constants of Seinfeld and Pandis (2016, ch. 7), c = −ΔH/R in K.
double vant_hoff(double k298, double c_K, double T) { return k298 * std::exp(c_K * (1.0 / T - 1.0 / kT0)); }

// ---- binary water activity a_w(m) = Σ k_i m^i of the sulfates (Fountoukis and Nenes 2007,
// Table 7); NH4NO3 takes Chan et al. (1992) instead (chan_ammonium_nitrate_molality) --------------
struct Poly {
    double k[6];
    double m_max;  // mol kg-1: end of the fit's monotone range (a_w decreasing up to here)
};
constexpr Poly kAwAmmoniumSulfate{{0.9968, -2.969e-2, 1.735e-5, -3.253e-4, 3.571e-5, -9.787e-7}, 40.0};
constexpr Poly kAwAmmoniumBisulfate{{1.0261, -4.9766e-2, 3.2757e-3, -2.4477e-4, 1.0766e-5, -1.8329e-7}, 40.0};
constexpr Poly kAwLetovicite{{1.0088, -5.3730e-2, 1.4201e-3, -9.2484e-4, 2.2796e-4, -1.5445e-5}, 40.0};

double aw_poly(const Poly& p, double m, double* dawdm) {
    double v = p.k[5], d = 0;
    for (int i = 4; i >= 0; --i) {
        d = d * m + v;
        v = v * m + p.k[i];
    }
    if (dawdm) *dawdm = d;
    return v;
}

// ---- Kusik–Meissner binary activity coefficients ----------------------------------------------
// log10 γ0 = z1 z2 log10 Γ0,  Γ0 = [1 + B (1 + 0.1 I)^q − B] Γ*,
// log10 Γ* = −0.5107 √I / (1 + C √I),  B = 0.75 − 0.065 q,  C = 1 + 0.055 q exp(−0.023 I³)
// (Kusik and Meissner 1978; q of Fountoukis and Nenes 2007, Table 4).
// The terms every pair shares at one ionic strength: ln(1 + 0.1 I), exp(−0.023 I³), √I.
struct KmTerms {
    double ln_1p, e3, sqrt_I;
    explicit KmTerms(double I) : ln_1p(std::log1p(0.1 * I)), e3(std::exp(-0.023 * I * I * I)), sqrt_I(std::sqrt(I)) {}
};
double km_log_gamma0(double q, double z1z2, const KmTerms& t) {
    const double B = 0.75 - 0.065 * q;
    const double C = 1.0 + 0.055 * q * t.e3;
    const double log_gstar = -0.5107 * t.sqrt_I / (1.0 + C * t.sqrt_I);
    return z1z2 * (std::log10(1.0 + B * (std::exp(q * t.ln_1p) - 1.0)) + log_gstar);
}

constexpr double kQ_NH42SO4 = -0.25, kQ_NH4NO3 = -1.15, kQ_H2SO4 = -0.1, kQ_HHSO4 = 8.00, kQ_HNO3 = 2.60;
constexpr double kQ_NH4Cl = 0.82, kQ_HCl = 6.0;  // only for NH4HSO4 (Table 4, footnote)
constexpr double kAgamma = 0.511;                // kg^0.5 mol^-0.5, Debye–Hückel constant at 298 K
constexpr double kMaxIonicStrength = 100.0;      // mol kg-1: γ held beyond (the fits end well before)

// ---- the aqueous solve ------------------------------------------------------------------------

// Coefficients of the charge balance for fixed W and activity coefficients (see the header).
struct Charge {
    double W;        // kg m-3
    double TS, TA, TN;
    double cN;       // γH γNO3 p° / (KN R T): mNO3 = TN / (W + cN h)
    double cA;       // (γNH4/γH) p° / (KA R T): mNH4 = TA / (W + cA / h)
    double gK;       // γH γSO4 / (γHSO4 K1): r = gK h, mSO4 = mS / (1 + r)
    double kw_aw;    // Kw a_w (mol² kg-2): mOH = kw_aw / h
    double hco3;     // carbonate: mHCO3 = hco3 / h (cloud water; 0 for aerosol)
};

struct Molal {
    double h, nh4, no3, hso4, so4, oh, hco3;
};

Molal molal(const Charge& c, double h) {
    Molal m{};
    m.h = h;
    m.nh4 = c.TA / (c.W + c.cA / h);
    m.no3 = c.TN / (c.W + c.cN * h);
    const double mS = c.TS / c.W;
    const double r = c.gK * h;
    m.so4 = mS / (1.0 + r);
    m.hso4 = mS - m.so4;
    m.oh = c.kw_aw / h;
    m.hco3 = c.hco3 / h;
    return m;
}

// Root of f(x) = mH + mNH4 − mNO3 − mHSO4 − 2 mSO4 − mOH − mHCO3 in x = ln mH (f increasing in x):
// Newton steps kept inside a shrinking bracket, bisection when a step leaves it.
double solve_charge(const Charge& c, double x0) {
    double lo = -60.0, hi = 12.0;  // ln mH: 1e-26 .. 1.6e5 mol/kg
    double x = std::clamp(x0, lo + 1.0, hi - 1.0);
    for (int it = 0; it < 200; ++it) {
        const double h = std::exp(x);
        const double a_den = c.W + c.cA / h, n_den = c.W + c.cN * h;
        const double nh4 = c.TA / a_den, no3 = c.TN / n_den;
        const double mS = c.TS / c.W, r = c.gK * h;
        const double so4 = mS / (1.0 + r);
        const double oh = c.kw_aw / h, hco3 = c.hco3 / h;
        const double f = h + nh4 - no3 - mS - so4 - oh - hco3;
        // df/dx, every term ≥ 0.
        const double df = h + nh4 * (c.cA / h) / a_den + no3 * (c.cN * h) / n_den + so4 * r / (1.0 + r) + oh + hco3;
        const double dx = f / df;
        // Converged (relative 1e-12 in m_H): checked before the bracket, whose bisection would
        // otherwise throw away a root found to round-off.
        if (std::abs(dx) < 1e-12) return x - dx;
        if (f > 0) hi = x; else lo = x;
        double xn = x - dx;
        if (!(xn > lo && xn < hi)) xn = 0.5 * (lo + hi);
        if (hi - lo < 1e-12) return xn;
        x = xn;
    }
    return x;
}

// Water of the dissolved ions (ZSR): electrolytes paired with sulfate first (see the header).
// Free H2SO4 and HNO3 take the water of NH4HSO4 and NH4NO3 solutions of the same molality (an
// approximation: docs/aerosol-equilibrium.md).
double zsr_water(double nh4, double no3, double so4, const double m0[4]) {
    const double a = nh4, s = so4, n = no3;
    double w = 0;
    if (a >= 2.0 * s) {
        w = s / m0[0] + n / m0[1];  // NH4NO3 and free HNO3 alike
    } else if (a >= 1.5 * s) {
        w = (2.0 * a - 3.0 * s) / m0[0] + (2.0 * s - a) / m0[3] + n / m0[1];
    } else if (a >= s) {
        w = (a - s) / m0[3] + (3.0 * s - 2.0 * a) / m0[2] + n / m0[1];
    } else {
        w = s / m0[2] + n / m0[1];  // NH4HSO4 and free H2SO4 alike
    }
    return w;
}

// Natural logs of the activity-coefficient factors of the charge balance from the molalities.
void log_gammas(const Molal& m, double T, double& ln_cN, double& ln_cA, double& ln_gK) {
    IonMolalities im{m.h, m.nh4, m.no3, m.hso4, m.so4, m.oh};
    MixedLogGamma g;
    activity_coefficients(im, T, g);
    ln_cN = 2.0 * kLn10 * g.hno3;                       // γH γNO3 = γ±(HNO3)²
    ln_cA = 2.0 * kLn10 * (g.nh4no3 - g.hno3);          // γNH4/γH = γ±(NH4NO3)²/γ±(HNO3)²
    ln_gK = kLn10 * (3.0 * g.h2so4 - 2.0 * g.hhso4);    // γH γSO4/γHSO4 = γ±(H2SO4)³/γ±(HHSO4)²
}

// Convergence of the fixed point: max |G(y) − y| over the logs of W and the activity-coefficient
// factors (a relative change of 1e-7).
constexpr double kTolerance = 1e-7;

struct Aqueous {
    double nh4 = 0, no3 = 0, W = 0, h = 0, residual = 0;
    int iterations = 0;
    bool converged = true;
};

// One pass of the fixed-point map y → G(y), y = (ln W, ln of the three activity-coefficient
// factors): solve the charge balance at y, then the water (ZSR) and activity coefficients of the
// resulting solution.
struct AqueousMap {
    double T, TS, TA, TN, rt_atm, KN, KA, K1, kw_aw;
    double m0[4];
    Charge charge(const double y[4]) const {
        return Charge{std::exp(y[0]), TS, TA, TN, std::exp(y[1]) / (KN * rt_atm), std::exp(y[2]) / (KA * rt_atm),
                      std::exp(y[3]) / K1, kw_aw, 0.0};
    }
    // Returns G(y) in g; x (ln m_H) carries the root between calls.
    void apply(const double y[4], double g[4], double& x) const {
        const Charge c = charge(y);
        x = solve_charge(c, x);
        const Molal m = molal(c, std::exp(x));
        g[0] = std::log(std::max(zsr_water(m.nh4 * c.W, m.no3 * c.W, TS, m0), kWaterFloor));
        log_gammas(m, T, g[1], g[2], g[3]);
    }
    static constexpr double kWaterFloor = 1e-30;  // kg m-3: below, no particle holds the solutes
};

// Solves m×m (m ≤ 4) A z = b by Gaussian elimination with partial pivoting; false if singular.
bool solve_small(int m, double A[4][4], double b[4], double z[4]) {
    for (int c = 0; c < m; ++c) {
        int p = c;
        for (int r = c + 1; r < m; ++r)
            if (std::abs(A[r][c]) > std::abs(A[p][c])) p = r;
        if (!(std::abs(A[p][c]) > 0)) return false;
        if (p != c) {
            for (int k = 0; k < m; ++k) std::swap(A[c][k], A[p][k]);
            std::swap(b[c], b[p]);
        }
        for (int r = c + 1; r < m; ++r) {
            const double f = A[r][c] / A[c][c];
            for (int k = c; k < m; ++k) A[r][k] -= f * A[c][k];
            b[r] -= f * b[c];
        }
    }
    for (int r = m - 1; r >= 0; --r) {
        double s = b[r];
        for (int k = r + 1; k < m; ++k) s -= A[r][k] * z[k];
        z[r] = s / A[r][r];
    }
    return true;
}

// The aqueous state: the fixed point y = G(y), accelerated by Anderson mixing of depth 3 (Walker
// and Ni 2011, SIAM J. Numer. Anal. 49, 1715): the plain iteration converges linearly and, in
// very acidic concentrated solutions, slowly.
Aqueous solve_aqueous(const EquilibriumInput& in, double aw, AqueousGuess* guess) {
    const double T = in.T_K;
    AqueousMap map{T, in.so4_mol_m3, in.nh3_total_mol_m3, in.hno3_total_mol_m3, kGas * T / kAtm,
                   k_hno3(T), k_nh3_h(T), k_hso4(T), k_water(T) * aw, {}};
    for (int e = 0; e < 4; ++e) map.m0[e] = binary_molality(static_cast<Electrolyte>(e), aw);
    Aqueous out;
    // Start: every ammonium and nitrate the sulfate and each other can hold in the particle.
    const double TS = map.TS, TA = map.TA, TN = map.TN;
    const double nh4_0 = std::min(TA, 2.0 * TS + TN), no3_0 = std::min(TN, std::max(TA - 2.0 * TS, 0.0));
    const double W0 = zsr_water(nh4_0, no3_0, TS, map.m0);
    if (!(W0 > 0)) return out;
    const bool warm = guess && guess->valid;
    double x = warm ? guess->ln_h : std::log(1e-3);
    constexpr int kDepth = 3, kAndersonSteps = 40, kMaxIter = 200;
    double y[4] = {std::log(W0), 0, 0, 0}, g[4], f[4];
    if (warm)
        for (int i = 0; i < 4; ++i) y[i] = guess->y[i];
    double dF[kDepth][4], dG[kDepth][4], f_prev[4] = {}, g_prev[4] = {};
    int stored = 0, head = 0;
    constexpr int kPlainSteps = 2;  // plain steps before mixing: far from the root extrapolation misleads
    double best_err = 1e300, y_best[4] = {y[0], y[1], y[2], y[3]}, x_best = x;
    out.converged = false;
    for (int it = 1; it <= kMaxIter; ++it) {
        map.apply(y, g, x);
        double err = 0;
        for (int i = 0; i < 4; ++i) {
            f[i] = g[i] - y[i];
            err = std::max(err, std::abs(f[i]));
        }
        out.iterations = it;
        if (err < best_err) {
            best_err = err;
            for (int i = 0; i < 4; ++i) y_best[i] = y[i];
            x_best = x;
        }
        if (err < kTolerance) {
            out.converged = true;
            break;
        }
        if (g[0] <= std::log(AqueousMap::kWaterFloor) + 1e-9 && y[0] <= std::log(AqueousMap::kWaterFloor) + 1.0) {
            out.converged = true;  // the solutes cannot hold a particle: W → 0
            y[0] = std::log(AqueousMap::kWaterFloor);
            break;
        }
        // Safeguard: when the residual grows, forget the history and take the plain step.
        if (err > 2.0 * best_err) stored = 0;
        if (it > kPlainSteps) {
            for (int i = 0; i < 4; ++i) {
                dF[head][i] = f[i] - f_prev[i];
                dG[head][i] = g[i] - g_prev[i];
            }
            head = (head + 1) % kDepth;
            stored = std::min(stored + 1, kDepth);
        }
        for (int i = 0; i < 4; ++i) {
            f_prev[i] = f[i];
            g_prev[i] = g[i];
        }
        // y_next = g − Σ γ_j dG_j with γ = argmin |f − Σ γ_j dF_j| (normal equations, m ≤ 3).
        double next[4] = {g[0], g[1], g[2], g[3]};
        if (stored > 0) {
            double A[4][4] = {}, b[4] = {}, z[4] = {};
            for (int a = 0; a < stored; ++a) {
                for (int c = 0; c < stored; ++c)
                    for (int i = 0; i < 4; ++i) A[a][c] += dF[a][i] * dF[c][i];
                for (int i = 0; i < 4; ++i) b[a] += dF[a][i] * f[i];
            }
            double trace = 0;
            for (int a = 0; a < stored; ++a) trace += A[a][a];
            for (int a = 0; a < stored; ++a) A[a][a] += 1e-12 * trace + 1e-300;
            if (solve_small(stored, A, b, z)) {
                for (int a = 0; a < stored; ++a)
                    for (int i = 0; i < 4; ++i) next[i] -= z[a] * dG[a][i];
            }
        }
        // Keep the step inside what the solution can be: W between the floor and 1e6 × the all-dissolved
        // start (mixing can extrapolate far out), the activity-coefficient factors within e^±60.
        next[0] = std::clamp(next[0], std::log(AqueousMap::kWaterFloor), std::log(W0) + 14.0);
        for (int i = 1; i < 4; ++i) next[i] = std::clamp(next[i], -60.0, 60.0);
        bool finite = true;
        for (int i = 0; i < 4; ++i) finite = finite && std::isfinite(next[i]);
        if (it > kAndersonSteps) {
            // Rare (concentrated, very acidic solutions, where the activity coefficients swing
            // strongly with the ionic strength): mixing can wander off. Start again from the best
            // iterate with damped plain steps.
            if (it == kAndersonSteps + 1) {
                for (int i = 0; i < 4; ++i) y[i] = y_best[i];
                x = x_best;
            } else {
                for (int i = 0; i < 4; ++i) y[i] += 0.5 * f[i];
            }
        } else {
            for (int i = 0; i < 4; ++i) y[i] = finite ? next[i] : g[i];
            if (!finite) stored = 0;
        }
    }
    if (!out.converged) {
        // Not converged within the iterations: the best iterate (its residual is reported).
        for (int i = 0; i < 4; ++i) y[i] = y_best[i];
        x = x_best;
    }
    out.residual = out.converged ? 0.0 : best_err;
    const Charge c = map.charge(y);
    x = solve_charge(c, x);
    if (guess) {
        guess->valid = out.converged && y[0] > std::log(AqueousMap::kWaterFloor) + 1e-9;
        for (int i = 0; i < 4; ++i) guess->y[i] = y[i];
        guess->ln_h = x;
    }
    const Molal m = molal(c, std::exp(x));
    const bool none = y[0] <= std::log(AqueousMap::kWaterFloor) + 1e-9;
    out.W = none ? 0.0 : c.W;
    out.h = m.h;
    out.nh4 = none ? 0.0 : std::min(m.nh4 * c.W, TA);
    out.no3 = none ? 0.0 : std::min(m.no3 * c.W, TN);
    return out;
}

struct Dry {
    double nh4 = 0, no3 = 0;
    // Salts present (mol m-3): (NH4)2SO4, NH4NO3, NH4HSO4, letovicite.
    double as = 0, an = 0, ahs = 0, lc = 0;
    bool possible = true;  // false: free sulfuric acid, no dry state
};

Dry solve_dry(const EquilibriumInput& in) {
    Dry d;
    const double TS = in.so4_mol_m3, TA = in.nh3_total_mol_m3, TN = in.hno3_total_mol_m3;
    if (TA >= 2.0 * TS) {
        d.as = TS;
        const double A = TA - 2.0 * TS, N = TN;
        // (A − x)(N − x) = K, K = Kp(atm²) (p°/RT)² in (mol m-3)²; the smaller root, written
        // without cancellation.
        const double n_per_atm = kAtm / (kGas * in.T_K);
        const double K = 1e-18 * kp_nh4no3_ppb2(in.T_K) * n_per_atm * n_per_atm;
        double x = 0;
        if (A * N > K) x = 2.0 * (A * N - K) / ((A + N) + std::sqrt((A - N) * (A - N) + 4.0 * K));
        d.an = x;
        d.nh4 = 2.0 * TS + x;
        d.no3 = x;
    } else if (TA >= 1.5 * TS) {
        d.as = 2.0 * TA - 3.0 * TS;
        d.lc = 2.0 * TS - TA;
        d.nh4 = TA;
    } else if (TA >= TS) {
        d.lc = TA - TS;
        d.ahs = 3.0 * TS - 2.0 * TA;
        d.nh4 = TA;
    } else {
        d.possible = false;
        d.nh4 = TA;
    }
    return d;
}

// Mutual deliquescence RH of salt pairs (ISORROPIA's values: Nenes et al. 1998, Aquat. Geochem.
// 4, 123; Fountoukis and Nenes 2007): (NH4)2SO4–NH4NO3, letovicite–(NH4)2SO4, letovicite–NH4HSO4.
constexpr double kMdrhAsAn = 0.600, kMdrhLcAs = 0.690, kMdrhLcAhs = 0.378;
// Efflorescence RH of (NH4)2SO4 (Martin 2000, Chem. Rev. 100, 3403: 35%, at 298 K).
constexpr double kErhAmmoniumSulfate = 0.35;

}  // namespace

// ---- constants ---------------------------------------------------------------------------------

double k_hso4(double T_K) { return k_of_t(1.015e-2, 8.85, 25.14, T_K); }
double k_hno3(double T_K) { return k_of_t(2.511e6, 29.17, 16.83, T_K); }
double k_water(double T_K) { return k_of_t(1.010e-14, -22.52, 26.92, T_K); }
double k_nh3_h(double T_K) {
    const double henry = k_of_t(57.639, 13.79, -5.39, T_K);  // NH3(g) ⇌ NH3(aq), mol kg-1 atm-1
    const double kb = k_of_t(1.805e-5, -1.50, 26.92, T_K);   // NH3(aq) + H2O ⇌ NH4+ + OH-, mol kg-1
    return henry * kb / k_water(T_K);
}
double kp_nh4no3_ppb2(double T_K) { return std::exp(118.87 - 24084.0 / T_K - 6.025 * std::log(T_K)); }

double drh_ammonium_sulfate(double T_K) { return 0.7997 * std::exp(80.0 * (1.0 / T_K - 1.0 / kT0)); }
double drh_ammonium_nitrate(double T_K) { return 0.6183 * std::exp(852.0 * (1.0 / T_K - 1.0 / kT0)); }
double drh_ammonium_bisulfate(double T_K) { return 0.4000 * std::exp(384.0 * (1.0 / T_K - 1.0 / kT0)); }
double drh_letovicite(double T_K) { return 0.6900 * std::exp(186.0 * (1.0 / T_K - 1.0 / kT0)); }

// NH4NO3: mass fraction of solute against water activity from the electrodynamic-balance
// measurements of Chan, Flagan and Seinfeld (1992, Atmos. Environ. 26A, 1661):
// x = 0.2906 + 6.83665 a − 26.9093 a² + 46.6983 a³ − 38.803 a⁴ + 11.8837 a⁵, used from a = 0.5 (a
// supersaturated solution of 41 mol/kg; held below); m = x / ((1 − x) M). The a_w(m) polynomial of
// Fountoukis and Nenes starts at a_w(0) = 1.0053 and holds 5–30% too little water above the DRH
// (docs/aerosol-equilibrium.md, "Verification").
double chan_ammonium_nitrate_molality(double a_w) {
    const double a = std::clamp(a_w, 0.5, kMaxWaterActivity);
    const double x = 0.2906 + a * (6.83665 + a * (-26.9093 + a * (46.6983 + a * (-38.803 + a * 11.8837))));
    return x / ((1.0 - x) * 0.080043);
}

double binary_molality(Electrolyte e, double a_w) {
    if (e == Electrolyte::ammonium_nitrate) return chan_ammonium_nitrate_molality(a_w);
    const Poly& p = e == Electrolyte::ammonium_sulfate    ? kAwAmmoniumSulfate
                    : e == Electrolyte::ammonium_bisulfate ? kAwAmmoniumBisulfate
                                                           : kAwLetovicite;
    const double aw_end = aw_poly(p, p.m_max, nullptr);
    if (a_w <= aw_end) return p.m_max;
    if (a_w >= p.k[0]) return 1e-6;  // water activity above the fit's pure-water value: very dilute
    // a_w(m) decreases on [0, m_max]: Newton inside a bisection bracket.
    double lo = 0, hi = p.m_max, m = p.m_max * (p.k[0] - a_w) / (p.k[0] - aw_end);
    for (int it = 0; it < 100; ++it) {
        double d;
        const double f = aw_poly(p, m, &d) - a_w;  // decreasing in m
        if (d < 0 && std::abs(f / d) < 1e-12 * (1.0 + m)) return m - f / d;
        if (f > 0) lo = m; else hi = m;
        double mn = d < 0 ? m - f / d : 0.5 * (lo + hi);
        if (!(mn > lo && mn < hi)) mn = 0.5 * (lo + hi);
        if (hi - lo < 1e-12 * (1.0 + m)) return mn;
        m = mn;
    }
    return m;
}

void activity_coefficients(const IonMolalities& m, double T_K, MixedLogGamma& g) {
    const double I_raw = 0.5 * (m.h + m.nh4 + m.no3 + m.hso4 + 4.0 * m.so4 + m.oh);
    g = MixedLogGamma{};
    g.ionic_strength = I_raw;
    if (!(I_raw > 0)) return;
    const double I = std::min(I_raw, kMaxIonicStrength);
    const KmTerms t(I);
    const double s = t.sqrt_I;
    // Binary log10 γ0 of the pairs at I (298 K).
    const double g_h_no3 = km_log_gamma0(kQ_HNO3, 1, t);
    const double g_h_hso4 = km_log_gamma0(kQ_HHSO4, 1, t);
    const double g_h_so4 = km_log_gamma0(kQ_H2SO4, 2, t);
    const double g_a_no3 = km_log_gamma0(kQ_NH4NO3, 1, t);
    const double g_a_so4 = km_log_gamma0(kQ_NH42SO4, 2, t);
    // NH4HSO4 has no q of its own: γ±(NH4HSO4)² = γNH4 γHSO4 = γ±(HHSO4)² γ±(NH4Cl)² / γ±(HCl)², so
    // log γ±(NH4HSO4) = log γ±(HHSO4) + log γ±(NH4Cl) − log γ±(HCl) (the ion-product identity behind
    // the footnote of Fountoukis and Nenes 2007, Table 4).
    const double g_a_hso4 = g_h_hso4 + km_log_gamma0(kQ_NH4Cl, 1, t) - km_log_gamma0(kQ_HCl, 1, t);
    // Bromley's mixing rule with the raw molalities scaled by the capped I (so that the weights
    // Y, X keep summing as at I).
    const double sc = I / I_raw;
    const double mh = m.h * sc, ma = m.nh4 * sc, mn = m.no3 * sc, mb = m.hso4 * sc, ms = m.so4 * sc;
    const double dh = kAgamma * s / (1.0 + s);
    // Weights ((z_c + z_a)/2)² m / I: 1:1 pairs weight 1, pairs with SO4 weight 2.25.
    const double invI = 1.0 / I;
    const double Yn = mn * invI, Yb = mb * invI, Ys = 2.25 * ms * invI;  // anion weights seen by a cation
    const double Xh = mh * invI, Xa = ma * invI;                         // cation weights seen by a 1- anion
    const double Xh2 = 2.25 * Xh, Xa2 = 2.25 * Xa;                       // ... seen by SO4
    const double F_h = Yn * g_h_no3 + Yb * g_h_hso4 + Ys * g_h_so4 + dh * (Yn + Yb + 2.0 * Ys);
    const double F_a = Yn * g_a_no3 + Yb * g_a_hso4 + Ys * g_a_so4 + dh * (Yn + Yb + 2.0 * Ys);
    const double F_no3 = Xh * g_h_no3 + Xa * g_a_no3 + dh * (Xh + Xa);
    const double F_hso4 = Xh * g_h_hso4 + Xa * g_a_hso4 + dh * (Xh + Xa);
    const double F_so4 = Xh2 * g_h_so4 + Xa2 * g_a_so4 + dh * 2.0 * (Xh2 + Xa2);
    // log γ12 = −Aγ z1 z2 √I/(1+√I) + z1 z2/(z1+z2) (F1/z1 + F2/z2)
    const double l_hno3 = -dh + 0.5 * (F_h + F_no3);
    const double l_hhso4 = -dh + 0.5 * (F_h + F_hso4);
    const double l_anno3 = -dh + 0.5 * (F_a + F_no3);
    const double l_h2so4 = -2.0 * dh + (2.0 / 3.0) * (F_h + 0.5 * F_so4);
    const double l_as = -2.0 * dh + (2.0 / 3.0) * (F_a + 0.5 * F_so4);
    // Temperature (Meissner; Fountoukis and Nenes 2007, eq. 14):
    // log γ(T) = [1.125 − 0.005 (T − 273.15)] log γ(298) − [0.125 − 0.005 (T − 273.15)] A,
    // A = −[0.41 √I/(1 + √I) + 0.039 I^0.92].
    const double tc = T_K - 273.15;
    const double c1 = 1.125 - 0.005 * tc, c2 = 0.125 - 0.005 * tc;
    const double A = -(0.41 * s / (1.0 + s) + 0.039 * std::pow(I, 0.92));
    g.hno3 = c1 * l_hno3 - c2 * A;
    g.hhso4 = c1 * l_hhso4 - c2 * A;
    g.nh4no3 = c1 * l_anno3 - c2 * A;
    g.h2so4 = c1 * l_h2so4 - c2 * A;
    g.nh42so4 = c1 * l_as - c2 * A;
}

void solve_equilibrium(const EquilibriumInput& in, AerosolBranch branch, EquilibriumResult& out, AqueousGuess* guess) {
    out = EquilibriumResult{};
    const double T = in.T_K;
    const double TS = std::max(in.so4_mol_m3, 0.0), TA = std::max(in.nh3_total_mol_m3, 0.0), TN = std::max(in.hno3_total_mol_m3, 0.0);
    EquilibriumInput c = in;
    c.so4_mol_m3 = TS;
    c.nh3_total_mol_m3 = TA;
    c.hno3_total_mol_m3 = TN;
    const double rh = std::clamp(in.rh, 0.0, 1.0);
    const double aw = std::min(rh, kMaxWaterActivity);
    out.regime = TS > 0 ? (TA >= 2.0 * TS ? kRegimeSulfatePoor : kRegimeSulfateRich) : kRegimeNone;

    const Dry d = solve_dry(c);
    // Salts of the dry state and the RH window of the blend.
    double w = 1.0;  // dry weight
    if (!d.possible) {
        w = 0.0;
    } else if (branch == AerosolBranch::metastable) {
        // Liquid at any RH, except that a particle of (NH4)2SO4 alone crystallises below its
        // efflorescence RH (about 35%; Martin 2000, Chem. Rev. 100, 3403). Mixtures with NH4NO3 or
        // the acidic sulfates stay liquid far lower and are kept liquid.
        const bool as_only = d.as > 0 && d.an <= 0 && d.lc <= 0 && d.ahs <= 0;
        w = as_only && rh < kErhAmmoniumSulfate ? 1.0 : 0.0;
    } else {
        double drh_max = 0, mdrh = 0;
        const bool as = d.as > 0, an = d.an > 0, lc = d.lc > 0, ahs = d.ahs > 0;
        if (as && an) { drh_max = drh_ammonium_sulfate(T); mdrh = kMdrhAsAn; }
        else if (as && lc) { drh_max = drh_ammonium_sulfate(T); mdrh = kMdrhLcAs; }
        else if (lc && ahs) { drh_max = drh_letovicite(T); mdrh = kMdrhLcAhs; }
        else if (as) drh_max = mdrh = drh_ammonium_sulfate(T);
        else if (lc) drh_max = mdrh = drh_letovicite(T);
        else if (ahs) drh_max = mdrh = drh_ammonium_bisulfate(T);
        else drh_max = mdrh = drh_ammonium_nitrate(T);  // NH4NO3 alone, or nothing solid yet
        mdrh = std::min(mdrh, drh_max);
        if (rh >= drh_max) w = 0.0;
        else if (rh < mdrh) w = 1.0;
        else w = (drh_max - rh) / (drh_max - mdrh);
    }
    // Nothing that can form a particle: sulfate absent and one of ammonia / nitric acid absent.
    const bool nothing = TS <= 0 && (TA <= 0 || TN <= 0);
    Aqueous a;
    if (w < 1.0 && !nothing) a = solve_aqueous(c, aw, guess);
    const double nh4 = w * d.nh4 + (1.0 - w) * a.nh4;
    const double no3 = w * d.no3 + (1.0 - w) * a.no3;
    out.nh4_mol_m3 = std::clamp(nh4, 0.0, TA);
    out.no3_mol_m3 = std::clamp(no3, 0.0, TN);
    out.nh3_gas_mol_m3 = TA - out.nh4_mol_m3;
    out.hno3_gas_mol_m3 = TN - out.no3_mol_m3;
    out.water_kg_m3 = (1.0 - w) * a.W;
    out.h_mol_kg = a.W > 0 ? a.h : 0.0;
    out.ph = a.W > 0 ? -std::log10(a.h) : 0.0;
    out.dry_weight = w;
    if (!std::isfinite(out.nh4_mol_m3 + out.no3_mol_m3 + out.water_kg_m3 + out.ph)) {
        // Never a NaN into a run: the dry state where there is one, else everything volatile as gas.
        out.nh4_mol_m3 = d.possible ? d.nh4 : 0.0;
        out.no3_mol_m3 = d.possible ? d.no3 : 0.0;
        out.nh3_gas_mol_m3 = TA - out.nh4_mol_m3;
        out.hno3_gas_mol_m3 = TN - out.no3_mol_m3;
        out.water_kg_m3 = 0;
        out.h_mol_kg = 0;
        out.ph = 0;
        out.iterations = a.iterations;
        out.converged = false;
        out.residual = std::numeric_limits<double>::infinity();
        return;
    }
    out.iterations = a.iterations;
    out.converged = a.converged;
    out.residual = a.residual;
}

// ---- aqueous S(IV) ---------------------------------------------------------------------------

namespace {
// Henry's law (M atm-1) and dissociation constants (M) at 298 K with −ΔH/R (K): Seinfeld and
// Pandis (2016), Tables 7.2–7.4 (SO2, H2O2, O3, CO2).
constexpr double kH_SO2 = 1.23, kC_H_SO2 = 3145.0;
constexpr double kKs1 = 1.3e-2, kC_Ks1 = 1960.0;
constexpr double kKs2 = 6.6e-8, kC_Ks2 = 1500.0;
constexpr double kH_H2O2 = 1.0e5, kC_H_H2O2 = 6621.0;
constexpr double kH_O3 = 1.13e-2, kC_H_O3 = 2540.0;
constexpr double kH_CO2 = 3.4e-2, kC_H_CO2 = 2420.0;
constexpr double kKc1 = 4.3e-7, kC_Kc1 = -1000.0;
constexpr double kCO2_mixing = 400e-6;  // mol/mol
}  // namespace

void aqueous_sulfur_rates(double T_K, double L, double h, double o3_mol_m3, AqueousSulfurRates& out) {
    out = AqueousSulfurRates{};
    if (!(L > 0) || !(h > 0)) return;
    const double rt = kGas * T_K / kAtm;  // atm m3 mol-1
    const double hs = vant_hoff(kH_SO2, kC_H_SO2, T_K);
    const double ks1 = vant_hoff(kKs1, kC_Ks1, T_K), ks2 = vant_hoff(kKs2, kC_Ks2, T_K);
    const double hp = vant_hoff(kH_H2O2, kC_H_H2O2, T_K), ho = vant_hoff(kH_O3, kC_H_O3, T_K);
    // Effective solubility of S(IV) and the share of the total that is in the gas.
    const double hs_eff = hs * (1.0 + ks1 / h + ks1 * ks2 / (h * h));
    const double gas_s = 1.0 / (1.0 + hs_eff * L * rt);
    const double gas_p = 1.0 / (1.0 + hp * L * rt);
    // H2O2 (Hoffmann and Calvert 1985 in Seinfeld and Pandis 2016, eq. 7.79):
    // k = 7.45e7 exp[−4430 (1/T − 1/298)] M-2 s-1, K = 13 M-1.
    const double kh = 7.45e7 * std::exp(-4430.0 * (1.0 / T_K - 1.0 / kT0));
    // R (M s-1) = kh Ks1 H_SO2 p_SO2 H_H2O2 p_H2O2 / (1 + 13 h); × L (L m-3) per m3 of air.
    out.k_h2o2_m3_mol_s = L * kh * ks1 * hs * hp * rt * rt * gas_s * gas_p / (1.0 + 13.0 * h);
    // O3: k0 = 2.4e4, k1 = 3.7e5 exp[−5530 (1/T − 1/298)], k2 = 1.5e9 exp[−5280 (1/T − 1/298)] M-1 s-1.
    const double k0 = 2.4e4;
    const double k1 = 3.7e5 * std::exp(-5530.0 * (1.0 / T_K - 1.0 / kT0));
    const double k2 = 1.5e9 * std::exp(-5280.0 * (1.0 / T_K - 1.0 / kT0));
    const double o3_aq = ho * o3_mol_m3 * rt;  // M (O3 barely dissolves: its gas stays)
    out.k_o3_per_s = L * (k0 + k1 * ks1 / h + k2 * ks1 * ks2 / (h * h)) * hs * rt * gas_s * o3_aq;
}

double cloud_h(double T_K, double L, double air_mol_m3, double so4, double nh3_total, double hno3_total) {
    if (!(L > 0)) return 0;
    const double rt = kGas * T_K / kAtm;
    const double p_co2 = kCO2_mixing * air_mol_m3 * rt;  // atm
    Charge c{L, std::max(so4, 0.0), std::max(nh3_total, 0.0), std::max(hno3_total, 0.0),
             1.0 / (k_hno3(T_K) * rt), 1.0 / (k_nh3_h(T_K) * rt), 1.0 / k_hso4(T_K), k_water(T_K),
             vant_hoff(kH_CO2, kC_H_CO2, T_K) * p_co2 * vant_hoff(kKc1, kC_Kc1, T_K)};
    return std::exp(solve_charge(c, std::log(1e-5)));
}

double second_order_converted(double a, double b, double k, double dt_s) {
    if (!(a > 0) || !(b > 0) || !(k > 0) || !(dt_s > 0)) return 0;
    // dx/dt = k (a − x)(b − x): for a ≠ b, x = a b (1 − e) / (b − a e), e = exp((a − b) k t)
    // written with the smaller amount first so that e ≤ 1; a = b: x = a² k t / (1 + a k t).
    const double lo = std::min(a, b), hi = std::max(a, b);
    const double d = hi - lo;
    double x;
    if (d <= 1e-12 * hi) {
        x = lo * lo * k * dt_s / (1.0 + lo * k * dt_s);
    } else {
        const double e = std::exp(-d * k * dt_s);  // = exp((lo − hi) k t)
        x = lo * hi * (1.0 - e) / (hi - lo * e);
    }
    return std::clamp(x, 0.0, lo);
}

}  // namespace lantian::kernels
