// Rate constants of a photochemical mechanism in every cell of a chunk: the rate laws of
// src/chemistry/mechanism_file.hpp compiled to flat arrays (RatePlan, built once per mechanism by
// chem::make_rate_plan), evaluated per cell from temperature, air and water number densities and
// the photolysis frequencies of the cell's column. Loops only: no allocation, no exceptions.
//
// Rate laws (T in K, M in molecules cm-3; Arrhenius form a(T) = A (T/300)^B exp(−Ea/T)):
//   arrhenius   k = a1(T)
//   troe        k = a0 M / (1 + a0 M / a1) · Fc^(1 / (1 + (log10(a0 M / a1) / n)²))
//   sum_m       k = a1 + a2 M
//   oh_hno3     k = a0 + a3 M / (1 + a3 M / a2)
//   photolysis  k = factor · J
//   ref         k = factor · k_law(referenced reaction)
// then the fixed reactants are folded in: k · M^m_power · Π(ratios) · [H2O]^water_power.
#pragma once

namespace lantian::kernels {

enum RateLaw : int { kRateArrhenius = 0, kRateTroe = 1, kRateSumM = 2, kRateOhHno3 = 3, kRatePhotolysis = 4, kRateRef = 5 };

struct RatePlan {
    int nreactions = 0;
    int nj = 0;                          // photolysis frequencies per column
    const int* law = nullptr;            // [nreactions] RateLaw
    const double* arrhenius = nullptr;   // [nreactions][12]: (A, B, Ea_K) of a0, a1, a2, a3
    const double* fc = nullptr;          // [nreactions] Troe Fc
    const double* n = nullptr;           // [nreactions] Troe n
    const double* factor = nullptr;      // [nreactions] photolysis scale or ref factor
    const int* photolysis = nullptr;     // [nreactions] J index (photolysis)
    const int* ref = nullptr;            // [nreactions] referenced (earlier) reaction (ref)
    const int* m_power = nullptr;        // [nreactions] fixed reactants proportional to M (M itself, O2, N2, …)
    const double* ratio_product = nullptr;  // [nreactions] product of their mole fractions (1 for M)
    const int* water_power = nullptr;    // [nreactions] H2O among the reactants
};

struct RateCells {
    int ncells = 0;
    const double* T_K = nullptr;         // [ncells] K
    const double* M_cm3 = nullptr;       // [ncells] air number density, molecules cm-3
    const double* h2o_cm3 = nullptr;     // [ncells] water vapour, molecules cm-3
    const int* column = nullptr;         // [ncells] row of j_column holding the cell's column
    const double* j_column = nullptr;    // [columns][nj] clear-sky-and-cloud J per column, s-1
    const double* j_scale = nullptr;     // [ncells] altitude factor of the cell (1)
    double* k = nullptr;                 // [ncells][nreactions] out
};

// k for every cell (OpenMP over cells; each cell's values depend on its own inputs only).
void evaluate_rates(const RatePlan& plan, const RateCells& cells);

}  // namespace lantian::kernels
