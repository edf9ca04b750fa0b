#!/usr/bin/python3
"""Independent check of the sulfate-nitrate-ammonium-water equilibrium (issue 18).

Usage: gibbs_reference.py LANTIAN_BINARY [--perturb NAME=FACTOR --expect-fail]

--perturb scales one constant of the reference (KN, KA, K1, KAN: the equilibrium constants) and
--expect-fail inverts the exit code: the proof that the comparison can fail (ctest
aerosol_gibbs_sensitivity: KN x 1.05, 5% on the HNO3 constant, must fail cases).

Runs `lantian aerosol-equilibrium` on the compositions of CASES (both branches) and compares it with
an equilibrium found here by minimising the Gibbs energy of the same system with the same constants
(the numbers of kernels/aerosol_equilibrium.cpp, copied with their sources; nothing of the C++
solver's algorithm: there the charge balance is solved by Newton in ln m_H for fixed activity
coefficients and water, and the fixed point is accelerated by Anderson mixing; here G is minimised).
Exit 0 when every case agrees within the tolerances below, 1 otherwise (the table says where).

The system, per m3 of air (amounts n in mol m-3; here in umol m-3 for scaling):
  gases NH3(g), HNO3(g); aqueous H+, NH4+, NO3-, HSO4-, SO4--, OH- in W kg of water;
  solids (dry state) (NH4)2SO4, NH4NO3, (NH4)3H(SO4)2 (letovicite), NH4HSO4.
Components (what is conserved): SO4 (total TS), NH3 (TA), HNO3 (TN), H+ (2 TS: sulfate enters as
H2SO4, which makes the H+ balance the charge balance); water is open to the vapour (a_w = RH), so
H2O is a component whose amount is free and whose potential is mu_w = mu_w0 + RT ln a_w.

Gibbs energy (dimensionless, G/RT), ideal in the amounts with frozen activity coefficients:
  G = sum_i n_i (g_i + ln n_i - 1) + sum_solids n_s mu_s,
  gases:   g_i = mu_i0/RT + ln(R T / p0)            (p_i = n_i R T, atm)
  solutes: g_i = mu_i0/RT + ln gamma_i - ln W       (molality m_i = n_i / W)
(the -1 is the air's or the water's own mixing term for a dilute species.) Its stationary points
under the component balances are the mass-action laws; G is strictly convex in n, so the minimum is
unique.

Standard potentials from the equilibrium constants, with the references mu0/RT = 0 for H+(aq),
SO4--(aq), NH3(g), HNO3(g) (Fountoukis and Nenes 2007, Atmos. Chem. Phys. 7, 4639, Table 2, K(T) =
K0 exp[a (T0/T - 1) + b (1 + ln(T0/T) - T0/T)], T0 = 298.15 K):
  HSO4- = H+ + SO4--      K1:  mu0(HSO4-) = ln K1
  HNO3(g) = H+ + NO3-     KN:  mu0(NO3-)  = -ln KN
  NH3(g) + H+ = NH4+      KA = H_NH3 Kb / Kw:  mu0(NH4+) = -ln KA
  H2O = H+ + OH-          Kw:  mu0(OH-) - mu_w = -ln Kw - ln a_w   (gamma_OH = 1 as in the model)
  NH4NO3(s) = NH3(g) + HNO3(g)   K_AN (Mozurkewich 1993, Atmos. Environ. 27A, 261):
                                 mu0(NH4NO3) = ln K_AN(atm^2)
  The dry sulfate salts: the model states no constant for them but complete neutralisation ("NH4+
  goes to sulfate first": no NH3 gas over a sulfate-rich dry particle) and the sequence
  (NH4)2SO4 | letovicite | NH4HSO4 with R = TA/TS. Their potentials are set to reproduce exactly
  that: each NH3 bound to sulfate lowers G by DELTA_BIND = 60 (a gas-phase NH3 of e^-60 of the
  total), and letovicite has EPS_LC = 1 below the sum (NH4)2SO4 + NH4HSO4 of the same composition
  (so the assemblage AS + AHS is never the minimum). The minimisation then decides the assemblage
  and the NH4NO3 / gas split.

Activity coefficients and water, as the model documents them (kernels/aerosol_equilibrium.hpp):
Kusik and Meissner (1978) binary coefficients at the solution's ionic strength, Bromley's (1973)
mixing rule, Meissner's temperature correction (Fountoukis and Nenes 2007, eqs. 6-14, q of their
Table 4), and ZSR water W = sum_e n_e / m_e(a_w) with the binary molalities from the water-activity
polynomials a_w(m) (the model's Table). These are not derived from one excess Gibbs function, so,
as is standard: an outer loop freezes gamma and W at the current composition, the inner step
minimises G with them frozen (its stationarity conditions are the mass-action laws with those
gamma), and the loop repeats until gamma and W stop changing (relative 1e-10).

The inner minimisations:
* aqueous: G is minimised through its Lagrange dual (the element-potential method; Smith and Missen
  1982, Chemical Reaction Equilibrium Analysis, ch. 6): for G of the form above the dual
  D(lambda) = b.lambda - sum_i exp(A_i.lambda - g_i) is smooth and concave in the 4 component
  potentials lambda; scipy.optimize.minimize (trust-exact, exact gradient and Hessian) maximises it,
  the amounts follow as n_i = exp(A_i.lambda - g_i), and the duality gap G(n) - D(lambda) and the
  balances A n - b are checked to be ~0 (which proves n is the constrained minimum of G).
* dry: G over the gases and the four solids (activity of a pure solid 1) is minimised in the primal
  amounts with scipy.optimize.minimize (SLSQP) under the three balances and n >= 0; the result is
  polished on its own assemblage and its KKT conditions are checked (every absent solid must not
  lower G).

State logic, as solve_equilibrium in kernels/aerosol_equilibrium.cpp documents it: dry below the
mutual deliquescence RH (MDRH) of the salts of the dry state, aqueous above the highest single-salt
DRH, the linear blend w dry + (1 - w) aqueous between (w = (DRH_max - RH)/(DRH_max - MDRH)); no dry
state when TA < TS (free H2SO4); the metastable branch is aqueous at any RH but for (NH4)2SO4 alone
below its efflorescence RH (35%). a_w = min(RH, 0.99).

Tolerance (issue 18): 1% relative. For NH4 and NO3 the particle amount is compared relative to the
larger of its particle and gas amounts (when nearly all of a species is in one phase, the other is a
difference of nearly equal numbers and its relative error says nothing); water relative to itself;
all with an absolute floor of 1e-3 ug m-3 (the CLI prints 9 digits; 1e-3 ug m-3 is below 0.01% of
every total used here and far below any measurement).
"""
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy import optimize

# ---- constants (kernels/aerosol_equilibrium.cpp, with its sources) -------------------------------
T0 = 298.15
R_GAS = 8.314462618   # J mol-1 K-1
P_ATM = 101325.0      # Pa
M_SO4, M_NH3, M_HNO3, M_NH4, M_NO3 = 96.06, 17.03, 63.01, 18.04, 62.00   # g mol-1
MAX_AW = 0.99
SCALE = 1e6           # amounts in umol m-3 inside the minimisations


def k_of_t(k0, a, b, T):
    """Fountoukis and Nenes (2007) eq. 5."""
    r = T0 / T
    return k0 * math.exp(a * (r - 1.0) + b * (1.0 + math.log(r) - r))


PERTURB = {"KN": 1.0, "KA": 1.0, "K1": 1.0, "KAN": 1.0}   # --perturb: 1 except in the sensitivity test


def k_hso4(T): return PERTURB["K1"] * k_of_t(1.015e-2, 8.85, 25.14, T)       # mol kg-1
def k_hno3(T): return PERTURB["KN"] * k_of_t(2.511e6, 29.17, 16.83, T)       # mol2 kg-2 atm-1
def k_water(T): return k_of_t(1.010e-14, -22.52, 26.92, T)   # mol2 kg-2


def k_nh3(T):
    """NH3(g) + H+ = NH4+ (atm-1): Henry's constant x Kb / Kw (Fountoukis and Nenes 2007, Table 2)."""
    return PERTURB["KA"] * k_of_t(57.639, 13.79, -5.39, T) * k_of_t(1.805e-5, -1.50, 26.92, T) / k_water(T)


def k_an_atm2(T):
    """NH4NO3(s) = NH3(g) + HNO3(g): Mozurkewich (1993), ln K(ppb^2) = 118.87 - 24084/T - 6.025 ln T."""
    return PERTURB["KAN"] * 1e-18 * math.exp(118.87 - 24084.0 / T - 6.025 * math.log(T))


# Deliquescence (Fountoukis and Nenes 2007, Table 4): DRH(T) = DRH(298.15) exp[c (1/T - 1/298.15)].
def drh(salt, T):
    d0, c = {"AS": (0.7997, 80.0), "AN": (0.6183, 852.0), "AHS": (0.4000, 384.0), "LC": (0.6900, 186.0)}[salt]
    return d0 * math.exp(c * (1.0 / T - 1.0 / T0))


MDRH = {("AS", "AN"): 0.600, ("LC", "AS"): 0.690, ("LC", "AHS"): 0.378}   # ISORROPIA (Nenes et al. 1998)

# Binary water activity a_w(m) = sum k_i m^i and the end of each fit's monotone range (mol kg-1).
AW_POLY = {
    "AS": ([0.9968, -2.969e-2, 1.735e-5, -3.253e-4, 3.571e-5, -9.787e-7, 0.0], 40.0),
    "AN": ([1.0053, -2.4991e-2, 4.4688e-4, 1.6453e-5, -3.8940e-7, -4.7668e-8, 1.3753e-9], 27.98),
    "AHS": ([1.0261, -4.9766e-2, 3.2757e-3, -2.4477e-4, 1.0766e-5, -1.8329e-7, 0.0], 40.0),
    "LC": ([1.0088, -5.3730e-2, 1.4201e-3, -9.2484e-4, 2.2796e-4, -1.5445e-5, 0.0], 40.0),
}


def binary_molality(salt, aw):
    if salt == "AN":
        # NH4NO3: Chan, Flagan and Seinfeld (1992) mass fraction of solute against a_w, from a_w 0.5
        a = min(max(aw, 0.5), 0.99)
        x = 0.2906 + 6.83665 * a - 26.9093 * a**2 + 46.6983 * a**3 - 38.803 * a**4 + 11.8837 * a**5
        return x / ((1.0 - x) * 0.080043)
    k, m_max = AW_POLY[salt]
    poly = np.polynomial.Polynomial(k)
    if aw <= poly(m_max):
        return m_max
    if aw >= k[0]:
        return 1e-6
    return optimize.brentq(lambda m: poly(m) - aw, 0.0, m_max, xtol=1e-14, rtol=1e-14)


def zsr_water(nh4, no3, so4, m0):
    """ZSR water (kg m-3) of the dissolved ions paired into electrolytes, sulfate first; nitrate not
    paired with ammonium (free HNO3) and sulfate beyond NH4HSO4 (free H2SO4) take the water of
    NH4NO3 and NH4HSO4 solutions (the model's documented approximation)."""
    a, s, n = nh4, so4, no3
    if a >= 2.0 * s:
        return s / m0["AS"] + n / m0["AN"]
    if a >= 1.5 * s:
        return (2.0 * a - 3.0 * s) / m0["AS"] + (2.0 * s - a) / m0["LC"] + n / m0["AN"]
    if a >= s:
        return (a - s) / m0["LC"] + (3.0 * s - 2.0 * a) / m0["AHS"] + n / m0["AN"]
    return s / m0["AHS"] + n / m0["AN"]


# ---- activity coefficients (Kusik-Meissner binaries, Bromley mixing, Meissner T correction) ------
Q = {"AS": -0.25, "AN": -1.15, "H2SO4": -0.1, "HHSO4": 8.00, "HNO3": 2.60, "NH4Cl": 0.82, "HCl": 6.0}
A_GAMMA = 0.511     # kg^0.5 mol^-0.5
MAX_I = 100.0       # mol kg-1: the model holds gamma beyond


def km_log10(q, z1z2, I):
    """log10 of the binary mean activity coefficient at ionic strength I (Kusik and Meissner 1978)."""
    B = 0.75 - 0.065 * q
    C = 1.0 + 0.055 * q * math.exp(-0.023 * I ** 3)
    log_gstar = -0.5107 * math.sqrt(I) / (1.0 + C * math.sqrt(I))
    return z1z2 * (math.log10(1.0 + B * ((1.0 + 0.1 * I) ** q - 1.0)) + log_gstar)


def mixed_log10_gammas(m, T):
    """log10 mean activity coefficients in the mixture of the pairs HNO3, NH4NO3, H2SO4 (2H+ SO4--),
    H-HSO4 for molalities m = dict(H, NH4, NO3, HSO4, SO4, OH)."""
    I_raw = 0.5 * (m["H"] + m["NH4"] + m["NO3"] + m["HSO4"] + 4.0 * m["SO4"] + m["OH"])
    if I_raw <= 0:
        return dict(HNO3=0.0, AN=0.0, H2SO4=0.0, HHSO4=0.0)
    I = min(I_raw, MAX_I)
    sc = I / I_raw   # molalities scaled with a capped I, so the Bromley weights keep their sums
    mh, ma, mn, mb, ms = (m[k] * sc for k in ("H", "NH4", "NO3", "HSO4", "SO4"))
    # binary log10 gamma0 of each cation-anion pair at I (NH4HSO4 from HHSO4 + NH4Cl - HCl, the
    # ion-product identity of mean activity coefficients)
    g0 = {
        ("H", "NO3"): km_log10(Q["HNO3"], 1, I),
        ("H", "HSO4"): km_log10(Q["HHSO4"], 1, I),
        ("H", "SO4"): km_log10(Q["H2SO4"], 2, I),
        ("NH4", "NO3"): km_log10(Q["AN"], 1, I),
        ("NH4", "SO4"): km_log10(Q["AS"], 2, I),
    }
    g0[("NH4", "HSO4")] = g0[("H", "HSO4")] + km_log10(Q["NH4Cl"], 1, I) - km_log10(Q["HCl"], 1, I)
    z = {"H": 1, "NH4": 1, "NO3": 1, "HSO4": 1, "SO4": 2}
    mol = {"H": mh, "NH4": ma, "NO3": mn, "HSO4": mb, "SO4": ms}
    cations, anions = ("H", "NH4"), ("NO3", "HSO4", "SO4")
    dh = A_GAMMA * math.sqrt(I) / (1.0 + math.sqrt(I))
    # Bromley: F_cation = sum_anions Y (log g0 + dh z_c z_a), Y = ((z_c + z_a)/2)^2 m_a / I; likewise
    # F_anion over the cations with X = ((z_c + z_a)/2)^2 m_c / I.
    F = {}
    for c in cations:
        F[c] = sum(((z[c] + z[a]) / 2) ** 2 * mol[a] / I * (g0[(c, a)] + dh * z[c] * z[a]) for a in anions)
    for a in anions:
        F[a] = sum(((z[c] + z[a]) / 2) ** 2 * mol[c] / I * (g0[(c, a)] + dh * z[c] * z[a]) for c in cations)

    def pair(c, a):
        zc, za = z[c], z[a]
        return -dh * zc * za + zc * za / (zc + za) * (F[c] / zc + F[a] / za)

    tc = T - 273.15
    c1, c2 = 1.125 - 0.005 * tc, 0.125 - 0.005 * tc
    A_T = -(0.41 * math.sqrt(I) / (1.0 + math.sqrt(I)) + 0.039 * I ** 0.92)
    corr = lambda lg: c1 * lg - c2 * A_T
    return dict(HNO3=corr(pair("H", "NO3")), AN=corr(pair("NH4", "NO3")), H2SO4=corr(pair("H", "SO4")),
                HHSO4=corr(pair("H", "HSO4")))


def ion_ln_gammas(m, T):
    """Single-ion ln gamma consistent with the model's mean values: only the combinations of the
    four reactions matter, so gamma_H = gamma_HSO4 = gamma_OH = 1 and
    gamma_NO3 = g(HNO3)^2, gamma_NH4 = g(NH4NO3)^2 / g(HNO3)^2, gamma_SO4 = g(H2SO4)^3 / g(HHSO4)^2."""
    g = mixed_log10_gammas(m, T)
    ln10 = math.log(10.0)
    return {"H": 0.0, "HSO4": 0.0, "OH": 0.0, "NO3": 2.0 * ln10 * g["HNO3"],
            "NH4": 2.0 * ln10 * (g["AN"] - g["HNO3"]), "SO4": ln10 * (3.0 * g["H2SO4"] - 2.0 * g["HHSO4"])}


# ---- the aqueous state: Gibbs minimisation with frozen gamma and W -------------------------------
AQ_SPECIES = ["NH3g", "HNO3g", "H", "NH4", "NO3", "HSO4", "SO4", "OH"]
# Component content (columns SO4, NH3, HNO3, H+); OH- = H2O - H+ with H2O open.
AQ_A = {
    "NH3g": (0, 1, 0, 0), "HNO3g": (0, 0, 1, 0), "H": (0, 0, 0, 1), "NH4": (0, 1, 0, 1),
    "NO3": (0, 0, 1, -1), "HSO4": (1, 0, 0, 1), "SO4": (1, 0, 0, 0), "OH": (0, 0, 0, -1),
}


def aqueous_mu0(T, aw):
    return {"NH3g": 0.0, "HNO3g": 0.0, "H": 0.0, "SO4": 0.0, "HSO4": math.log(k_hso4(T)),
            "NO3": -math.log(k_hno3(T)), "NH4": -math.log(k_nh3(T)), "OH": -math.log(k_water(T)) - math.log(aw)}


def minimise_aqueous_g(T, aw, totals, ln_gamma, W):
    """Amounts (mol m-3) minimising G with gamma and W frozen. totals = (TS, TA, TN) in mol m-3."""
    TS, TA, TN = totals
    b_all = np.array([TS, TA, TN, 2.0 * TS]) * SCALE
    comp_on = [TS > 0, TA > 0, TN > 0, True]
    species = [s for s in AQ_SPECIES if all(comp_on[j] or AQ_A[s][j] == 0 for j in range(4))]
    cols = [j for j in range(4) if comp_on[j]]
    A = np.array([[AQ_A[s][j] for j in cols] for s in species], dtype=float)
    b = b_all[cols]
    mu0 = aqueous_mu0(T, aw)
    ln_rt = math.log(R_GAS * T / P_ATM)          # p (atm) = n (mol m-3) R T / p0
    g = np.array([mu0[s] + (ln_rt if s.endswith("g") else ln_gamma[s] - math.log(W)) - math.log(SCALE)
                  for s in species])

    def amounts(lam):
        return np.exp(np.clip(A @ lam - g, -700.0, 700.0))

    def phi(lam):          # -D(lambda)
        return amounts(lam).sum() - b @ lam

    def grad(lam):
        return A.T @ amounts(lam) - b

    def hess(lam):
        n = amounts(lam)
        return (A.T * n) @ A

    # start: each component's potential from its reference species holding half of the total (H+ at
    # 1e-3 mol kg-1)
    refs = {0: ("SO4", b_all[0] * 0.5), 1: ("NH3g", b_all[1] * 0.5), 2: ("HNO3g", b_all[2] * 0.5),
            3: ("H", 1e-3 * W * SCALE)}
    lam0 = np.array([math.log(max(refs[j][1], 1e-300)) + g[species.index(refs[j][0])] for j in cols])
    res = optimize.minimize(phi, lam0, jac=grad, hess=hess, method="trust-exact",
                            options={"gtol": 1e-13 * max(1.0, b.max()), "maxiter": 2000})
    lam = res.x
    # trust-exact stops where Phi's round-off (b.lambda against sum n) hides further decrease; the
    # gradient (the balances) is still exact there: a few Newton steps on it finish the minimum
    for _ in range(8):
        gr = grad(lam)
        if np.abs(gr).max() <= 1e-13 * b.max():
            break
        lam = lam - np.linalg.solve(hess(lam), gr)
    n = amounts(lam)
    # certificate: balances and duality gap
    balance = np.abs(A.T @ n - b).max() / b.max()
    G = float(np.sum(n * (g + np.log(n) - 1.0)))
    D = float(b @ lam - n.sum())
    gap = abs(G - D) / max(1.0, abs(G))
    if balance > 1e-10 or gap > 1e-8:
        raise RuntimeError(f"aqueous minimisation did not converge: balance {balance:.2e}, gap {gap:.2e} ({res.message})")
    out = {s: 0.0 for s in AQ_SPECIES}
    for s, v in zip(species, n):
        out[s] = v / SCALE
    return out


def solve_aqueous(T, aw, totals):
    """Outer loop: gamma and W at the composition, G minimised with them, until both stop changing."""
    TS, TA, TN = totals
    m0 = {s: binary_molality(s, aw) for s in AW_POLY}
    # start from the largest particle the totals allow: every ammonium and nitrate the sulfate and
    # each other can hold
    nh4_0 = min(TA, 2.0 * TS + TN)
    no3_0 = min(TN, max(TA - 2.0 * TS, 0.0))
    W = zsr_water(nh4_0, no3_0, TS, m0)
    if W <= 0:
        return dict(nh4=0.0, no3=0.0, W=0.0, outer=0)
    ln_gamma = {k: 0.0 for k in ("H", "NH4", "NO3", "HSO4", "SO4", "OH")}
    x = np.array([math.log(W)] + [ln_gamma[k] for k in ("NH4", "NO3", "SO4")])
    omega, last_err = 1.0, math.inf
    for it in range(1, 3001):
        W = math.exp(x[0])
        ln_gamma.update(NH4=x[1], NO3=x[2], SO4=x[3])
        n = minimise_aqueous_g(T, aw, totals, ln_gamma, W)
        m = {k: n[k] / W for k in ("H", "NH4", "NO3", "HSO4", "SO4", "OH")}
        W_new = zsr_water(n["NH4"], n["NO3"], TS, m0)
        if W_new < 1e-30:  # the solutes cannot hold a particle
            return dict(nh4=0.0, no3=0.0, W=0.0, outer=it)
        lg = ion_ln_gammas(m, T)
        x_new = np.array([math.log(W_new), lg["NH4"], lg["NO3"], lg["SO4"]])
        err = np.abs(x_new - x).max()
        if err < 1e-10:
            return dict(nh4=n["NH4"], no3=n["NO3"], W=W_new, outer=it)
        # damped successive substitution: halve the step when the change grows (concentrated acidic
        # solutions, where gamma swings with I), recover slowly otherwise
        omega = max(omega * 0.5, 0.02) if err > last_err else min(1.0, omega * 1.2)
        last_err = err
        x = x + omega * (x_new - x)
    raise RuntimeError(f"outer loop did not converge at T {T} aw {aw} totals {totals}")


# ---- the dry state: G over gases and solids -----------------------------------------------------
SOLIDS = ["AS", "AN", "LC", "AHS"]
# Content in (SO4, NH3, HNO3) (H+ follows: every salt is neutral and holds its sulfate as H2SO4).
DRY_A = {"NH3g": (0, 1, 0), "HNO3g": (0, 0, 1), "AS": (1, 2, 0), "AN": (0, 1, 1), "LC": (2, 3, 0), "AHS": (1, 1, 0)}
DELTA_BIND = 60.0   # G lowered per NH3 bound to sulfate (complete neutralisation; see the docstring)
EPS_LC = 1.0        # letovicite below (NH4)2SO4 + NH4HSO4


def dry_mu0(T):
    return {"AS": -2 * DELTA_BIND, "AHS": -DELTA_BIND, "LC": -3 * DELTA_BIND - EPS_LC,
            "AN": math.log(k_an_atm2(T))}


def minimise_dry_g(T, totals):
    """Amounts (mol m-3) of gases and solids minimising G; None when no dry state exists (TA < TS:
    the sulfate the ammonia cannot neutralise to NH4HSO4 is H2SO4, liquid at any RH)."""
    TS, TA, TN = totals
    if TA < TS:
        return None
    b = np.array([TS, TA, TN]) * SCALE
    names = ["NH3g", "HNO3g"] + SOLIDS
    A = np.array([DRY_A[s] for s in names], dtype=float).T   # 3 x 6
    mu = dry_mu0(T)
    ln_rt = math.log(R_GAS * T / P_ATM)
    g_gas = ln_rt - math.log(SCALE)
    c_sol = np.array([mu[s] for s in SOLIDS])

    def G(z):
        gas = np.maximum(z[:2], 1e-300)
        return float(np.sum(gas * (g_gas + np.log(gas) - 1.0)) + c_sol @ z[2:])

    def dG(z):
        gas = np.maximum(z[:2], 1e-300)
        return np.concatenate([g_gas + np.log(gas), c_sol])

    keep = b > 0
    cons = [{"type": "eq", "fun": (lambda z, k=k: A[k] @ z - b[k]), "jac": (lambda z, k=k: A[k])}
            for k in range(3) if keep[k]]
    # absent components: their species are held at zero through the bounds
    bounds = []
    for s in names:
        uses_absent = any(DRY_A[s][k] > 0 and not keep[k] for k in range(3))
        bounds.append((0.0, 0.0) if uses_absent else (0.0, None))
    z0 = np.zeros(6)
    z0[0], z0[1] = b[1], b[2]
    best = None
    for start in (z0, np.full(6, max(b.max(), 1e-9) / 6)):
        res = optimize.minimize(G, start, jac=dG, method="SLSQP", bounds=bounds, constraints=cons,
                                options={"ftol": 1e-15, "maxiter": 2000})
        if best is None or (res.success and G(res.x) < G(best.x)):
            best = res
    z = np.maximum(best.x, 0.0)
    # polish on the assemblage found: the solids present fix the gases through K_AN and the balances
    z = polish_dry(z, b, T)
    # KKT: the component potentials from the gases; no absent solid may lower G
    lam_a = g_gas + math.log(max(z[0], 1e-300))
    lam_n = g_gas + math.log(max(z[1], 1e-300))
    if z[3] > 0 and abs(lam_a + lam_n - mu["AN"]) > 1e-6:
        raise RuntimeError(f"dry state: NH4NO3 present but p_NH3 p_HNO3 != K_AN (T {T}, totals {totals})")
    if z[3] == 0 and z[0] > 0 and z[1] > 0 and lam_a + lam_n > mu["AN"] + 1e-6:
        raise RuntimeError(f"dry state: NH4NO3 absent but supersaturated (T {T}, totals {totals})")
    return dict(zip(names, z / SCALE))


def polish_dry(z, b, T):
    """Exact amounts on the assemblage the minimiser found (round-off of SLSQP removed): sulfate
    salts by the balances, NH4NO3 from (A - x)(N - x) = K (umol m-3)^2, the smaller root."""
    TS, TA, TN = b
    out = np.zeros(6)
    if TA >= 2 * TS:
        out[2] = TS
        A_free, N = TA - 2 * TS, TN
        K = math.exp(dry_mu0(T)["AN"] - 2 * (math.log(R_GAS * T / P_ATM) - math.log(SCALE)))
        x = 0.0
        if z[3] > 0 and A_free * N > K:
            x = optimize.brentq(lambda v: (A_free - v) * (N - v) - K, 0.0, min(A_free, N), xtol=1e-300, rtol=1e-15)
        out[3] = x
        out[0], out[1] = A_free - x, N - x
    else:
        # no free ammonia: AS + LC or LC + AHS, all nitrate gaseous (NH3 gas e^-60)
        out[1] = TN
        if TA >= 1.5 * TS:
            out[2], out[4] = 2 * TA - 3 * TS, 2 * TS - TA
        else:
            out[4], out[5] = TA - TS, 3 * TS - 2 * TA
    # the polished assemblage must be the one SLSQP found (same solids present, amounts within 1e-6)
    if np.abs(out - z).max() > 1e-6 * max(1.0, b.max()):
        raise RuntimeError(f"dry state: SLSQP {z} and its polished assemblage {out} differ")
    return out


# ---- the model's state logic, each state from its own minimisation --------------------------------
def reference(T, rh, totals, branch):
    TS, TA, TN = totals
    aw = min(rh, MAX_AW)
    dry = minimise_dry_g(T, totals)
    if dry is None:
        w = 0.0
    elif branch == "metastable":
        # liquid, but (NH4)2SO4 alone effloresces below 35% (Martin 2000)
        present = {s for s in SOLIDS if dry[s] > 0}
        w = 1.0 if present == {"AS"} and rh < 0.35 else 0.0
    else:
        present = {s for s in SOLIDS if dry[s] > 0}
        if {"AS", "AN"} <= present:
            d_max, d_min = drh("AS", T), MDRH[("AS", "AN")]
        elif {"AS", "LC"} <= present:
            d_max, d_min = drh("AS", T), MDRH[("LC", "AS")]
        elif {"LC", "AHS"} <= present:
            d_max, d_min = drh("LC", T), MDRH[("LC", "AHS")]
        elif present:
            d_max = d_min = drh(present.pop(), T)
        else:
            d_max = d_min = drh("AN", T)
        d_min = min(d_min, d_max)
        w = 0.0 if rh >= d_max else (1.0 if rh < d_min else (d_max - rh) / (d_max - d_min))
    nothing = TS <= 0 and (TA <= 0 or TN <= 0)
    aq = solve_aqueous(T, aw, totals) if (w < 1.0 and not nothing) else dict(nh4=0.0, no3=0.0, W=0.0, outer=0)
    d_nh4 = 0.0 if dry is None else 2 * dry["AS"] + dry["AN"] + 3 * dry["LC"] + dry["AHS"]
    d_no3 = 0.0 if dry is None else dry["AN"]
    nh4 = min(max(w * d_nh4 + (1 - w) * aq["nh4"], 0.0), TA)
    no3 = min(max(w * d_no3 + (1 - w) * aq["no3"], 0.0), TN)
    return dict(nh4=nh4, no3=no3, nh3_gas=TA - nh4, hno3_gas=TN - no3, water=(1 - w) * aq["W"], w=w, outer=aq["outer"])


# ---- the cases ------------------------------------------------------------------------------------
# T (K), RH, p (hPa), SO4, NH3 total, HNO3 total (ug m-3); what each one exercises.
def ratio_nh3(so4, r):
    """NH3 (ug m-3) giving NH4/SO4 = r for so4 ug m-3 of sulfate."""
    return so4 / M_SO4 * r * M_NH3


CASES = [
    # sulfate-rich (NH4/SO4 0.5-1.9): acidic particle, nitrate mostly gaseous
    (298.15, 0.30, 1013.25, 10.0, ratio_nh3(10.0, 0.5), 2.0, "R 0.5, free H2SO4, dry air"),
    (290.0, 0.50, 1000.0, 20.0, ratio_nh3(20.0, 0.8), 5.0, "R 0.8, free H2SO4"),
    (280.0, 0.90, 950.0, 8.0, ratio_nh3(8.0, 0.95), 3.0, "R 0.95, humid"),
    (298.15, 0.35, 1013.25, 15.0, ratio_nh3(15.0, 1.2), 2.0, "R 1.2, LC + AHS dry"),
    (285.0, 0.55, 1013.25, 15.0, ratio_nh3(15.0, 1.2), 5.0, "R 1.2, LC + AHS blend"),
    (275.0, 0.85, 900.0, 12.0, ratio_nh3(12.0, 1.3), 4.0, "R 1.3, aqueous"),
    (298.15, 0.50, 1013.25, 10.0, ratio_nh3(10.0, 1.7), 3.0, "R 1.7, AS + LC dry"),
    (270.0, 0.75, 1000.0, 10.0, ratio_nh3(10.0, 1.7), 3.0, "R 1.7, AS + LC blend"),
    (260.0, 0.95, 850.0, 6.0, ratio_nh3(6.0, 1.9), 6.0, "R 1.9, cold, humid"),
    (300.0, 0.92, 1013.25, 25.0, ratio_nh3(25.0, 1.9), 1.0, "R 1.9, warm, humid"),
    # sulfate-poor, ammonia-limited (a little free NH3 beyond sulfate, plenty of HNO3)
    (298.15, 0.90, 1013.25, 10.0, ratio_nh3(10.0, 2.0) + 1.0, 10.0, "NH3-limited, warm, humid"),
    (275.0, 0.70, 1013.25, 15.0, ratio_nh3(15.0, 2.0) + 4.0, 20.0, "NH3-limited, AS + AN blend"),
    (265.0, 0.80, 1000.0, 8.0, ratio_nh3(8.0, 2.0) + 2.0, 15.0, "NH3-limited, cold"),
    (250.0, 0.60, 800.0, 5.0, ratio_nh3(5.0, 2.0) + 1.5, 8.0, "NH3-limited, 250 K"),
    (285.0, 0.40, 1013.25, 10.0, ratio_nh3(10.0, 2.0) + 3.0, 12.0, "NH3-limited, dry AS + AN"),
    # sulfate-poor, nitrate-limited (much free NH3, little HNO3)
    (298.15, 0.80, 1013.25, 5.0, 15.0, 2.0, "HNO3-limited, warm"),
    (270.0, 0.85, 1000.0, 10.0, 20.0, 20.0, "HNO3-limited, cold, humid"),
    (255.0, 0.50, 900.0, 4.0, 10.0, 3.0, "HNO3-limited, cold, dry state"),
    (290.0, 0.95, 1013.25, 2.0, 12.0, 4.0, "HNO3-limited, very humid"),
    (280.0, 0.65, 1013.25, 6.0, 8.0, 2.0, "HNO3-limited, blend"),
    # balanced, both precursors ample
    (268.0, 0.85, 1013.25, 10.0, 20.0, 20.0, "both ample, cold"),
    (295.0, 0.75, 1013.25, 3.0, 6.0, 15.0, "both ample, warm"),
    (260.0, 0.40, 950.0, 2.0, 8.0, 12.0, "both ample, dry, NH4NO3(s)"),
    # sulfate-free NH4NO3 (the single-salt DRH of NH4NO3)
    (298.15, 0.90, 1013.25, 0.0, 20.0, 60.0, "no sulfate, humid"),
    (280.0, 0.80, 1013.25, 0.0, 15.0, 40.0, "no sulfate, above the NH4NO3 DRH (74% at 280 K)"),
    (270.0, 0.50, 1013.25, 0.0, 10.0, 30.0, "no sulfate, below the NH4NO3 DRH"),
    # tiny particle share: little sulfate, almost everything gaseous
    (300.0, 0.60, 1013.25, 0.5, 3.0, 3.0, "little sulfate, warm: gases dominate"),
    (250.0, 0.30, 700.0, 1.0, ratio_nh3(1.0, 2.0) + 0.02, 1.0, "250 K, dry, little free NH3"),
]

ABS_FLOOR_UG = 1e-3
REL_TOL = 0.01


def run_cli(binary, branch, path):
    out = subprocess.run([binary, "aerosol-equilibrium", "--cases", path, "--branch", branch],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        sys.exit(f"gibbs_reference: lantian aerosol-equilibrium failed ({out.returncode}): {out.stderr}")
    lines = [l for l in out.stdout.splitlines() if l.strip()]
    header = lines[0].split(",")
    return [dict(zip(header, l.split(","))) for l in lines[1:]]


def main():
    args = sys.argv[1:]
    expect_fail = "--expect-fail" in args
    if expect_fail:
        args.remove("--expect-fail")
    if "--perturb" in args:
        k = args.index("--perturb")
        name, factor = args[k + 1].split("=")
        if name not in PERTURB:
            sys.exit(f"gibbs_reference: --perturb {name}: one of {', '.join(PERTURB)}")
        PERTURB[name] = float(factor)
        del args[k:k + 2]
    if len(args) != 1:
        sys.exit("usage: gibbs_reference.py LANTIAN_BINARY [--perturb NAME=FACTOR --expect-fail]")
    binary = args[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cases.csv")
        with open(path, "w") as f:
            f.write("# compositions of tests/aerosol/gibbs_reference.py\n")
            f.write("T_K,rh,pressure_hpa,so4_ug_m3,nh3_total_ug_m3,hno3_total_ug_m3\n")
            for c in CASES:
                f.write(",".join(repr(float(v)) for v in c[:6]) + "\n")
        results = {b: run_cli(binary, b, path) for b in ("stable", "metastable")}

    worst = {"NH4": 0.0, "NO3": 0.0, "water": 0.0}
    failures = []
    print(f"{'#':>2} {'branch':10} {'T':>6} {'RH':>5} {'SO4':>6} {'NH3':>7} {'HNO3':>6}  {'w':>5}"
          f"  {'NH4 ref':>10} {'NH4 rel':>8}  {'NO3 ref':>10} {'NO3 rel':>8}  {'H2O ref':>10} {'H2O rel':>8}  case")
    for branch in ("stable", "metastable"):
        for k, c in enumerate(CASES):
            T, rh, p, so4, nh3, hno3, what = c
            totals = (so4 * 1e-6 / M_SO4, nh3 * 1e-6 / M_NH3, hno3 * 1e-6 / M_HNO3)
            ref = reference(T, rh, totals, branch)
            row = results[branch][k]
            got = {q: float(row[q]) for q in ("nh4_ug_m3", "no3_ug_m3", "nh3_gas_ug_m3", "hno3_gas_ug_m3", "water_ug_m3",
                                              "dry_weight")}
            r_nh4 = ref["nh4"] * 1e6 * M_NH4
            r_no3 = ref["no3"] * 1e6 * M_NO3
            r_nh3g = ref["nh3_gas"] * 1e6 * M_NH3
            r_hno3g = ref["hno3_gas"] * 1e6 * M_HNO3
            r_w = ref["water"] * 1e9
            # particle amounts relative to the larger phase (in moles: particle and gas of one species)
            big_a = max(ref["nh4"], ref["nh3_gas"]) * 1e6 * M_NH4
            big_n = max(ref["no3"], ref["hno3_gas"]) * 1e6 * M_NO3
            e_nh4 = abs(got["nh4_ug_m3"] - r_nh4) / max(big_a, ABS_FLOOR_UG / REL_TOL)
            e_no3 = abs(got["no3_ug_m3"] - r_no3) / max(big_n, ABS_FLOOR_UG / REL_TOL)
            e_w = abs(got["water_ug_m3"] - r_w) / max(r_w, ABS_FLOOR_UG / REL_TOL)
            # the gas amounts follow (conservation is the CLI's own balance): checked against the
            # same larger phase
            e_nh3g = abs(got["nh3_gas_ug_m3"] - r_nh3g) / max(big_a * M_NH3 / M_NH4, ABS_FLOOR_UG / REL_TOL)
            e_hno3g = abs(got["hno3_gas_ug_m3"] - r_hno3g) / max(big_n * M_HNO3 / M_NO3, ABS_FLOOR_UG / REL_TOL)
            e_w_state = abs(got["dry_weight"] - ref["w"])
            worst["NH4"] = max(worst["NH4"], e_nh4, e_nh3g)
            worst["NO3"] = max(worst["NO3"], e_no3, e_hno3g)
            worst["water"] = max(worst["water"], e_w)
            bad = max(e_nh4, e_no3, e_w, e_nh3g, e_hno3g) > REL_TOL or e_w_state > 1e-9
            flag = "  FAIL" if bad else ""
            print(f"{k:2d} {branch:10} {T:6.1f} {rh:5.2f} {so4:6.2f} {nh3:7.3f} {hno3:6.2f}  {ref['w']:5.3f}"
                  f"  {r_nh4:10.4g} {e_nh4:8.1e}  {r_no3:10.4g} {e_no3:8.1e}  {r_w:10.4g} {e_w:8.1e}  {what}{flag}")
            if bad:
                failures.append(f"case {k} ({what}, {branch}): model NH4 {got['nh4_ug_m3']:.6g} NO3 {got['no3_ug_m3']:.6g} "
                                f"water {got['water_ug_m3']:.6g} w {got['dry_weight']:.6g}; reference NH4 {r_nh4:.6g} "
                                f"NO3 {r_no3:.6g} water {r_w:.6g} w {ref['w']:.6g}")
    n = 2 * len(CASES)
    print(f"\nworst relative differences over {n} comparisons ({len(CASES)} compositions x 2 branches): "
          f"NH4 {worst['NH4']:.2e}, NO3 {worst['NO3']:.2e}, water {worst['water']:.2e} (tolerance {REL_TOL:.0%})")
    for f in failures:
        print("FAIL " + f)
    print(f"{n - len(failures)} passed, {len(failures)} failed")
    if expect_fail:
        print("expected failures (--expect-fail): " + ("seen" if failures else "NONE: the comparison cannot tell"))
        return 0 if failures else 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
