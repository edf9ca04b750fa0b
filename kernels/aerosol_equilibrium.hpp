// Gas–particle equilibrium of the sulfate–nitrate–ammonium–water system (the inorganic aerosol of
// the photochemical mode) and aqueous-phase S(IV) oxidation. Hot loops only: no I/O, no allocation,
// no exceptions. The formulation, every constant and its source: docs/aerosol-equilibrium.md.
//
// Forward problem: given per cell the temperature T (K), relative humidity RH (= water activity
// a_w, Kelvin effect neglected), the air's molar density n_air (mol m-3) and the totals (mol m-3 of
// air)
//     TS = particulate sulfate (all S(VI); non-volatile),
//     TA = NH3(g) + NH4+(p),
//     TN = HNO3(g) + NO3-(p),
// find the split of TA and TN between gas and particle, the aerosol liquid water W (kg m-3 of air)
// and the hydrogen-ion molality m_H (mol kg-1).
//
// Two states of the particle, blended between the mutual and the single-salt deliquescence RH:
//
// * Dry (solids only). NH4+ goes to sulfate first: with R = TA/TS,
//     R ≥ 2   (NH4)2SO4(s) = TS; the free ammonia A = TA − 2 TS forms NH4NO3(s) when
//             p_NH3 p_HNO3 would exceed K_AN(T): (A − x)(TN − x) = K_AN (RT/p°)^-2, the smaller root;
//     1.5 ≤ R < 2   (NH4)2SO4 + (NH4)3H(SO4)2 (letovicite), 1 ≤ R < 1.5   letovicite + NH4HSO4;
//             no gaseous NH3 and all nitrate gaseous;
//     R < 1   free H2SO4: no dry state (sulfuric acid holds water at any RH).
//   K_AN: Mozurkewich (1993, Atmos. Environ. 27A, 261): ln K(ppb²) = 118.87 − 24084/T − 6.025 ln T,
//   the product of the mixing ratios at 1 atm, so K_AN(atm²) = 1e-18 K(ppb²).
//
// * Aqueous (all solutes dissolved). Equilibria (K(T) = K0 exp[a(T0/T − 1) + b(1 + ln(T0/T) −
//   T0/T)], T0 = 298.15 K; K0, a, b of Fountoukis and Nenes 2007, Atmos. Chem. Phys. 7, 4639,
//   Table 2):
//     HSO4- ⇌ H+ + SO4--         K1 = γH γSO4 mH mSO4 / (γHSO4 mHSO4)
//     HNO3(g) ⇌ H+ + NO3-        KN = γH γNO3 mH mNO3 / p_HNO3
//     NH3(g) + H+ ⇌ NH4+         KA = H_NH3 Kb / Kw = γNH4 mNH4 / (γH mH p_NH3)
//     H2O ⇌ H+ + OH-             Kw = mH mOH / a_w  (γ = 1)
//   with p = n R T / p° (atm) and the mass balances TN = n_HNO3 + mNO3 W, TA = n_NH3 + mNH4 W,
//   TS = (mHSO4 + mSO4) W. For fixed W and activity coefficients, every molality is a monotone
//   function of x = ln mH and the charge balance
//     f(x) = mH + mNH4 − mNO3 − mHSO4 − 2 mSO4 − mOH = 0
//   is strictly increasing: one root, found by safeguarded Newton on x.
//   Activity coefficients: Kusik and Meissner (1978, AIChE Symp. Ser. 173, 14) binary values with
//   Bromley's (1973, AIChE J. 19, 313) multicomponent mixing rule and the temperature correction
//   of Meissner, as written in Fountoukis and Nenes (2007, eqs. 6–14; q parameters of their Table 4).
//   Water: ZSR, W = Σ_e n_e / m_e(a_w), the electrolytes e paired from the dissolved ions (sulfate
//   first), m_e(a_w) the binary molality from the water-activity polynomials a_w(m) tabulated by
//   Fountoukis and Nenes (2007, Table 7).
//   W, the activity coefficients and m_H are iterated to a fixed point (relative change < 1e-10).
//
// Blending (stable branch, as ISORROPIA does): below the mutual deliquescence RH (MDRH) of the dry
// salts present the particle is dry, above the highest single-salt DRH it is aqueous, and between
// them the result is the linear mix w·dry + (1 − w)·aqueous, w = (DRH_max − RH)/(DRH_max − MDRH).
// The metastable branch (the upper branch of the hysteresis loop: particles that have been wet
// stay liquid) has no solids, except (NH4)2SO4 alone below its efflorescence RH (35%).
#pragma once

namespace lantian::kernels {

enum class AerosolBranch { stable = 0, metastable = 1 };

// Regime of the result (by R = TA/TS of the cell).
enum AerosolRegime : int {
    kRegimeNone = 0,          // nothing to partition (no sulfate and no particulate nitrate)
    kRegimeSulfateRich = 1,   // R < 2: nitrate stays gaseous in the dry state
    kRegimeSulfatePoor = 2,   // R ≥ 2: free ammonia, NH4NO3 possible
};

struct EquilibriumInput {
    double T_K = 298.15;
    double rh = 0.5;              // relative humidity (0–1); capped at kMaxWaterActivity
    double air_mol_m3 = 40.9;     // molar density of air (mol m-3)
    double so4_mol_m3 = 0;        // TS
    double nh3_total_mol_m3 = 0;  // TA
    double hno3_total_mol_m3 = 0; // TN
};

struct EquilibriumResult {
    double nh3_gas_mol_m3 = 0, hno3_gas_mol_m3 = 0;  // gas phase
    double nh4_mol_m3 = 0, no3_mol_m3 = 0;           // particle phase (TA − gas, TN − gas)
    double water_kg_m3 = 0;                          // aerosol liquid water per m3 of air
    double h_mol_kg = 0;                             // m_H of the aqueous part (0 when dry)
    double ph = 0;                                   // −log10 m_H (γ_H = 1, the ISORROPIA convention); valid when water > 0
    double dry_weight = 0;                           // w of the blend: 1 = dry, 0 = aqueous
    int regime = kRegimeNone;
    int iterations = 0;                              // fixed-point iterations of the aqueous solve
    bool converged = true;                           // the fixed point to 1e-7
    double residual = 0;                             // when not: max |G(y) − y| of the iterate used (logs)
};

// Highest water activity the aqueous solver uses (the binary fits end near saturation).
inline constexpr double kMaxWaterActivity = 0.99;

// Equilibrium constants at T (units in the comment of each; docs/aerosol-equilibrium.md).
double k_hso4(double T_K);        // mol kg-1
double k_hno3(double T_K);        // mol² kg-2 atm-1
double k_nh3_h(double T_K);       // NH3(g) + H+ ⇌ NH4+: atm-1
double k_water(double T_K);       // mol² kg-2
double kp_nh4no3_ppb2(double T_K);  // dry NH4NO3 ⇌ NH3(g) + HNO3(g), ppb² (Mozurkewich 1993)

// Deliquescence RH at T of the single salts (Fountoukis and Nenes 2007, Table 4:
// DRH(T) = DRH(298.15) exp[c (1/T − 1/298.15)]).
double drh_ammonium_sulfate(double T_K);
double drh_ammonium_nitrate(double T_K);
double drh_ammonium_bisulfate(double T_K);
double drh_letovicite(double T_K);

// Binary molality (mol kg-1) of an electrolyte at water activity a_w, from its a_w(m) polynomial.
enum class Electrolyte { ammonium_sulfate = 0, ammonium_nitrate, ammonium_bisulfate, letovicite, count };
double binary_molality(Electrolyte e, double a_w);

// Where the aqueous solve of a cell ended (ln W, ln of the activity-coefficient factors, ln m_H):
// a run keeps it per cell and starts the next step's solve there, which takes a few iterations
// instead of a dozen. The result does not depend on the start beyond the solver's tolerance
// (relative 1e-7).
struct AqueousGuess {
    double y[4] = {0, 0, 0, 0};
    double ln_h = 0;
    bool valid = false;
};

// The equilibrium of one cell; `guess` (may be null) is read and updated.
void solve_equilibrium(const EquilibriumInput& in, AerosolBranch branch, EquilibriumResult& out,
                       AqueousGuess* guess = nullptr);

// Activity coefficients of the aqueous solution (decimal logs of the mean activity coefficients
// in the mixture) for molalities m (mol kg-1) at T: used by the solver and by the tests.
struct IonMolalities {
    double h = 0, nh4 = 0, no3 = 0, hso4 = 0, so4 = 0, oh = 0;
};
struct MixedLogGamma {
    double hno3 = 0, nh4no3 = 0, h2so4 = 0, hhso4 = 0, nh42so4 = 0;
    double ionic_strength = 0;
};
void activity_coefficients(const IonMolalities& m, double T_K, MixedLogGamma& out);

// ---- aqueous S(IV) oxidation ------------------------------------------------------------------
//
// In a liquid water content L (kg water per m3 air, = litres per m3) at pH, with gas-phase
// oxidants, the dissolved S(IV) (SO2·H2O, HSO3-, SO3--, Henry's law and the two dissociations) is
// oxidised by H2O2 and O3 (Seinfeld and Pandis 2016, Atmospheric Chemistry and Physics, 3rd ed.,
// section 7.5; rate constants of Hoffmann and Calvert 1985 as given there):
//   R_H2O2 = k_H [H+][H2O2(aq)][HSO3-] / (1 + K [H+]),   k_H = 7.45e7 M-2 s-1, K = 13 M-1,
//   R_O3   = (k0 [SO2·H2O] + k1 [HSO3-] + k2 [SO3--]) [O3(aq)],
// returned as per-molecule first-order coefficients of gas-phase SO2 (s-1):
//   k_h2o2 = R_H2O2 L / (n_SO2_total n_H2O2_total) × n_H2O2_total → the caller integrates
// A + B → C exactly over the step. Every species' total (gas + dissolved) per m3 of air.
struct AqueousSulfurRates {
    double k_h2o2_m3_mol_s = 0;  // d n_SO2/dt = − k n_SO2 n_H2O2 (m3 mol-1 s-1), totals per m3 air
    double k_o3_per_s = 0;       // d n_SO2/dt = − k n_SO2 (O3 held fixed over the step)
};
void aqueous_sulfur_rates(double T_K, double liquid_kg_m3, double h_mol_l, double o3_mol_m3, AqueousSulfurRates& out);

// pH of cloud water (dilute: activity coefficients 1) holding the cell's sulfate, ammonia, nitric
// acid and dissolved CO2 (400 ppm; Seinfeld and Pandis 2016, Table 7.3 and 7.4): the charge
// balance above with W = L and the carbonate system added. Returns m_H (mol kg-1 ≈ mol L-1).
double cloud_h(double T_K, double liquid_kg_m3, double air_mol_m3, double so4_mol_m3, double nh3_total_mol_m3,
               double hno3_total_mol_m3);

// The second-order loss A + B → C over dt with rate coefficient k (m3 mol-1 s-1) and starting
// amounts a, b (mol m-3): the amount converted (mol m-3), exact, 0 ≤ x ≤ min(a, b).
double second_order_converted(double a, double b, double k, double dt_s);

}  // namespace lantian::kernels
