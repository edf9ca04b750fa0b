// Rate constants per cell; see the header for the laws.
#include "rate_kernels.hpp"

#include <cmath>

namespace lantian::kernels {

namespace {
// a(T) = A (T/300)^B exp(−Ea/T) = A exp(B ln(T/300) − Ea/T), with ln(T/300) and 1/T computed once
// per cell (one exp per law instead of a pow and an exp).
inline double arrhenius(const double* a, double ln_t300, double inv_t) {
    if (a[1] == 0 && a[2] == 0) return a[0];
    return a[0] * std::exp(a[1] * ln_t300 - a[2] * inv_t);
}
}  // namespace

void evaluate_rates(const RatePlan& p, const RateCells& c) {
    const int nr = p.nreactions;
#pragma omp parallel for schedule(static)
    for (int cell = 0; cell < c.ncells; ++cell) {
        const double T = c.T_K[cell], M = c.M_cm3[cell], h2o = c.h2o_cm3[cell];
        const double lt = std::log(T / 300.0), it = 1.0 / T;
        const double* J = c.j_column + static_cast<long>(c.column[cell]) * p.nj;
        const double js = c.j_scale[cell];
        double* k = c.k + static_cast<long>(cell) * nr;
        // The laws' own values first (a ref reaction reads its reference's law value) …
        for (int r = 0; r < nr; ++r) {
            const double* a = p.arrhenius + 12L * r;
            switch (p.law[r]) {
            case kRateArrhenius: k[r] = arrhenius(a + 3, lt, it); break;
            case kRateTroe: {
                const double k0M = arrhenius(a, lt, it) * M;
                const double ratio = k0M / arrhenius(a + 3, lt, it);
                const double x = std::log10(ratio) / p.n[r];
                k[r] = k0M / (1.0 + ratio) * std::pow(p.fc[r], 1.0 / (1.0 + x * x));
                break;
            }
            case kRateSumM: k[r] = arrhenius(a + 3, lt, it) + arrhenius(a + 6, lt, it) * M; break;
            case kRateOhHno3: {
                const double k3M = arrhenius(a + 9, lt, it) * M;
                k[r] = arrhenius(a, lt, it) + k3M / (1.0 + k3M / arrhenius(a + 6, lt, it));
                break;
            }
            case kRatePhotolysis: k[r] = p.factor[r] * (J[p.photolysis[r]] * js); break;
            case kRateRef: k[r] = p.factor[r] * k[p.ref[r]]; break;
            default: k[r] = 0; break;
            }
        }
        // … then the fixed reactants folded in.
        for (int r = 0; r < nr; ++r) {
            double f = 1.0;
            for (int m = 0; m < p.m_power[r]; ++m) f *= M;
            for (int w = 0; w < p.water_power[r]; ++w) f *= h2o;
            k[r] *= f * p.ratio_product[r];
        }
    }
}

}  // namespace lantian::kernels
