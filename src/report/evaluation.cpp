// Paired statistics and benchmark flags.
#include "report/evaluation.hpp"

#include <cmath>

namespace lantian {

Metrics compute_metrics(const std::vector<double>& model, const std::vector<double>& obs) {
    Metrics m;
    double sum_m = 0, sum_o = 0, sum_d = 0, sum_ad = 0, sum_d2 = 0, fb = 0, fe = 0, within = 0;
    std::vector<double> mm, oo;
    for (std::size_t k = 0; k < model.size() && k < obs.size(); ++k) {
        const double M = model[k], O = obs[k];
        if (!std::isfinite(M) || !std::isfinite(O)) continue;
        mm.push_back(M);
        oo.push_back(O);
        sum_m += M;
        sum_o += O;
        sum_d += M - O;
        sum_ad += std::fabs(M - O);
        sum_d2 += (M - O) * (M - O);
        if (M + O > 0) {
            fb += (M - O) / (M + O);
            fe += std::fabs(M - O) / (M + O);
        }
        if ((O == 0 && M == 0) || (O > 0 && M >= 0.5 * O && M <= 2.0 * O)) within += 1;
    }
    m.n = mm.size();
    if (m.n == 0) return m;
    const double n = static_cast<double>(m.n);
    m.mean_model = sum_m / n;
    m.mean_obs = sum_o / n;
    m.mb = sum_d / n;
    m.nmb = sum_o > 0 ? sum_d / sum_o : 0;
    m.nme = sum_o > 0 ? sum_ad / sum_o : 0;
    m.rmse = std::sqrt(sum_d2 / n);
    m.mfb = 2.0 * fb / n;
    m.mfe = 2.0 * fe / n;
    m.fac2 = within / n;
    double smm = 0, soo = 0, smo = 0;
    for (std::size_t k = 0; k < m.n; ++k) {
        smm += (mm[k] - m.mean_model) * (mm[k] - m.mean_model);
        soo += (oo[k] - m.mean_obs) * (oo[k] - m.mean_obs);
        smo += (mm[k] - m.mean_model) * (oo[k] - m.mean_obs);
    }
    m.r = (smm > 0 && soo > 0) ? smo / std::sqrt(smm * soo) : 0.0;
    return m;
}

namespace {
std::string band(double value, double goal, double criteria) {
    if (std::fabs(value) <= goal) return "goal";
    if (std::fabs(value) <= criteria) return "criteria";
    return "outside";
}
}  // namespace

std::string flag_nmb(double v) { return band(v, 0.10, 0.30); }
std::string flag_nme(double v) { return band(v, 0.35, 0.50); }
std::string flag_r(double r) { return r >= 0.70 ? "goal" : r >= 0.40 ? "criteria" : "outside"; }
std::string flag_mfb(double v) { return band(v, 0.30, 0.60); }
std::string flag_mfe(double v) { return band(v, 0.50, 0.75); }
std::string flag_o3_nmb(double v) { return band(v, 0.05, 0.15); }
std::string flag_o3_nme(double v) { return band(v, 0.15, 0.25); }
std::string flag_o3_r(double r) { return r >= 0.75 ? "goal" : r >= 0.50 ? "criteria" : "outside"; }

}  // namespace lantian
