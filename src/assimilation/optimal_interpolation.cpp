// Optimal interpolation of a surface field and the vertical spreading factors; the equations and their
// sources are in the header.
#include "assimilation/optimal_interpolation.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

namespace lantian {

const char* oi_status_name(OiStatus s) {
    switch (s) {
        case OiStatus::accepted: return "accepted";
        case OiStatus::rejected_background: return "rejected_background";
        case OiStatus::skipped_outside: return "skipped_outside";
        case OiStatus::skipped_not_finite: return "skipped_not_finite";
    }
    return "?";
}

namespace {

// One row of H: the four cell indices around a station and their bilinear weights.
struct HRow {
    std::array<std::size_t, 4> cell{};
    std::array<double, 4> weight{};
};

// Bilinear weights of the point (x, y); false when it is outside the rectangle of cell centres.
// Fractional indices fi = (x − x0)/dx, fj = (y − y0)/dy; i0 = floor(fi) clamped so that i0 + 1 is a
// cell (a point on the last centre line takes weight 1 there); weights (1−s)(1−t), s(1−t), (1−s)t, st.
bool bilinear_row(const OiGrid& g, double x, double y, HRow& row) {
    const double fi = (x - g.x0_m) / g.dx_m, fj = (y - g.y0_m) / g.dy_m;
    if (!(fi >= 0.0 && fi <= g.nx - 1.0 && fj >= 0.0 && fj <= g.ny - 1.0)) return false;
    const int i0 = std::min(static_cast<int>(std::floor(fi)), std::max(g.nx - 2, 0));
    const int j0 = std::min(static_cast<int>(std::floor(fj)), std::max(g.ny - 2, 0));
    const int i1 = std::min(i0 + 1, g.nx - 1), j1 = std::min(j0 + 1, g.ny - 1);
    const double s = fi - i0, t = fj - j0;
    const auto at = [&](int i, int j) { return static_cast<std::size_t>(j) * static_cast<std::size_t>(g.nx) + i; };
    row.cell = {at(i0, j0), at(i1, j0), at(i0, j1), at(i1, j1)};
    row.weight = {(1 - s) * (1 - t), s * (1 - t), (1 - s) * t, s * t};
    return true;
}

double dot_row(const HRow& row, const std::vector<double>& field) {
    double v = 0;
    for (int c = 0; c < 4; ++c) v += row.weight[c] * field[row.cell[c]];
    return v;
}

void validate(const OiGrid& g, const std::vector<double>& background, const OiParameters& p) {
    const auto bad = [](const std::string& what) { throw std::invalid_argument("optimal interpolation: " + what); };
    if (g.nx < 1 || g.ny < 1) bad("the grid needs nx, ny >= 1");
    if (!(g.dx_m > 0 && g.dy_m > 0) || !std::isfinite(g.dx_m) || !std::isfinite(g.dy_m))
        bad("grid spacing dx_m and dy_m must be positive and finite");
    if (!std::isfinite(g.x0_m) || !std::isfinite(g.y0_m)) bad("grid origin must be finite");
    const std::size_t n = static_cast<std::size_t>(g.nx) * static_cast<std::size_t>(g.ny);
    if (background.size() != n) {
        std::ostringstream m;
        m << "background has " << background.size() << " values, the grid " << g.ny << " x " << g.nx << " = " << n;
        bad(m.str());
    }
    for (std::size_t k = 0; k < n; ++k)
        if (!std::isfinite(background[k])) bad("background value at cell " + std::to_string(k) + " is not finite");
    if (!(p.sigma_b_fraction >= 0) || !std::isfinite(p.sigma_b_fraction)) bad("sigma_b_fraction must be >= 0 and finite");
    if (!(p.sigma_b_min >= 0) || !std::isfinite(p.sigma_b_min)) bad("sigma_b_min must be >= 0 and finite");
    if (!(p.sigma_o >= 0) || !std::isfinite(p.sigma_o)) bad("sigma_o must be >= 0 and finite");
    if (!(p.correlation_length_km > 0) || !std::isfinite(p.correlation_length_km))
        bad("correlation_length_km must be positive and finite");
    if (!(p.qc_k > 0)) bad("qc_k must be positive (+inf disables the check)");
}

}  // namespace

OiResult optimal_interpolation(const OiGrid& g, const std::vector<double>& background,
                               const std::vector<OiObservation>& observations, const OiParameters& p) {
    validate(g, background, p);
    const std::size_t ncell = background.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double L_m = p.correlation_length_km * 1000.0;

    std::vector<double> sigma_b(ncell);
    for (std::size_t c = 0; c < ncell; ++c)
        sigma_b[c] = std::max(p.sigma_b_min, p.sigma_b_fraction * std::max(background[c], 0.0));

    OiResult r;
    r.observations.reserve(observations.size());
    std::vector<HRow> rows;             // H of the accepted observations
    std::vector<std::size_t> used;      // their indices in r.observations
    std::vector<HRow> all_rows(observations.size());
    std::vector<double> innovation;     // y − H x_b of the accepted observations
    for (std::size_t k = 0; k < observations.size(); ++k) {
        const OiObservation& o = observations[k];
        OiObservationResult res;
        res.station = o.station;
        res.x_m = o.x_m;
        res.y_m = o.y_m;
        res.observed = o.value;
        res.background = res.innovation = res.residual = res.qc_limit = nan;
        std::ostringstream why;
        if (!std::isfinite(o.value) || !std::isfinite(o.x_m) || !std::isfinite(o.y_m)) {
            res.status = OiStatus::skipped_not_finite;
            why << "value or position is not finite";
        } else if (!bilinear_row(g, o.x_m, o.y_m, all_rows[k])) {
            res.status = OiStatus::skipped_outside;
            why << "position (" << o.x_m << ", " << o.y_m << ") m is outside the cell centres ["
                << g.x0_m << ", " << g.x0_m + (g.nx - 1) * g.dx_m << "] x [" << g.y0_m << ", "
                << g.y0_m + (g.ny - 1) * g.dy_m << "] m";
        } else {
            const HRow& row = all_rows[k];
            res.background = dot_row(row, background);
            res.innovation = o.value - res.background;
            const double sb = dot_row(row, sigma_b);
            res.qc_limit = p.qc_k * std::sqrt(sb * sb + p.sigma_o * p.sigma_o);
            if (std::fabs(res.innovation) > res.qc_limit) {
                res.status = OiStatus::rejected_background;
                why << "background check: |O - B| = " << std::fabs(res.innovation) << " > " << res.qc_limit
                    << " (" << p.qc_k << " x sqrt(sigma_b^2 + sigma_o^2))";
            } else {
                res.status = OiStatus::accepted;
                rows.push_back(row);
                used.push_back(k);
                innovation.push_back(res.innovation);
            }
        }
        res.reason = why.str();
        if (res.status == OiStatus::accepted) ++r.n_accepted;
        else if (res.status == OiStatus::rejected_background) ++r.n_rejected;
        else ++r.n_skipped;
        r.observations.push_back(std::move(res));
    }

    // B between two cells, from their indices.
    const auto cov = [&](std::size_t a, std::size_t b) {
        const double di = (static_cast<double>(a % g.nx) - static_cast<double>(b % g.nx)) * g.dx_m;
        const double dj = (static_cast<double>(a / g.nx) - static_cast<double>(b / g.nx)) * g.dy_m;
        return sigma_b[a] * sigma_b[b] * std::exp(-std::sqrt(di * di + dj * dj) / L_m);
    };

    std::vector<double> raw = background;
    const std::size_t m = rows.size();
    if (m > 0) {
        // S = H B Hᵀ + σ_o² I, summed from the four weights of each row.
        Eigen::MatrixXd S(m, m);
        for (std::size_t a = 0; a < m; ++a)
            for (std::size_t b = 0; b <= a; ++b) {
                double s = 0;
                for (int ca = 0; ca < 4; ++ca)
                    for (int cb = 0; cb < 4; ++cb)
                        s += rows[a].weight[ca] * rows[b].weight[cb] * cov(rows[a].cell[ca], rows[b].cell[cb]);
                S(a, b) = S(b, a) = s;
            }
        S.diagonal().array() += p.sigma_o * p.sigma_o;
        Eigen::VectorXd d(m);
        for (std::size_t a = 0; a < m; ++a) d(a) = innovation[a];
        const Eigen::LDLT<Eigen::MatrixXd> ldlt(S);
        if (ldlt.info() != Eigen::Success || !ldlt.isPositive() || (ldlt.vectorD().array() <= 0.0).any())
            throw std::runtime_error("optimal interpolation: H B H^T + R is not positive definite ("
                                     + std::to_string(m) + " observations; co-located stations with sigma_o = 0?)");
        const Eigen::VectorXd w = ldlt.solve(d);

        // x_a − x_b = B Hᵀ w: the increment at cell g is σ_b,g Σ_c a_c exp(−d_gc/L) σ_b,c, with
        // a_c = Σ_k w_k H_kc gathered over the (at most 4m) cells c that carry a weight.
        std::map<std::size_t, double> support;
        for (std::size_t a = 0; a < m; ++a)
            for (int c = 0; c < 4; ++c)
                if (rows[a].weight[c] != 0.0) support[rows[a].cell[c]] += w(a) * rows[a].weight[c];
        std::vector<std::size_t> sc;
        std::vector<double> sa;
        for (const auto& [cell, a] : support) {
            sc.push_back(cell);
            sa.push_back(a);
        }
        for (std::size_t cell = 0; cell < ncell; ++cell) {
            double inc = 0;
            for (std::size_t q = 0; q < sc.size(); ++q) inc += sa[q] * cov(cell, sc[q]);
            raw[cell] += inc;
        }
    }

    r.analysis.resize(ncell);
    r.increment.resize(ncell);
    for (std::size_t c = 0; c < ncell; ++c) {
        double v = raw[c];
        if (v < 0) {
            ++r.clipped_cells;
            r.clipped_total += -v;
            r.most_negative = std::min(r.most_negative, v);
            v = 0;
        }
        r.analysis[c] = v;
        r.increment[c] = v - background[c];
    }

    double s_omb = 0, s2_omb = 0, s_oma = 0, s2_oma = 0;
    for (std::size_t k = 0; k < r.observations.size(); ++k) {
        OiObservationResult& res = r.observations[k];
        if (res.status != OiStatus::accepted && res.status != OiStatus::rejected_background) continue;
        res.residual = res.observed - dot_row(all_rows[k], r.analysis);
        if (res.status != OiStatus::accepted) continue;
        s_omb += res.innovation;
        s2_omb += res.innovation * res.innovation;
        s_oma += res.residual;
        s2_oma += res.residual * res.residual;
    }
    if (r.n_accepted > 0) {
        const double n = static_cast<double>(r.n_accepted);
        r.statistics.count = r.n_accepted;
        r.statistics.mean_omb = s_omb / n;
        r.statistics.rms_omb = std::sqrt(s2_omb / n);
        r.statistics.mean_oma = s_oma / n;
        r.statistics.rms_oma = std::sqrt(s2_oma / n);
    }
    return r;
}

std::vector<double> vertical_increment_factors(const std::vector<double>& z_face_m, double pblh_m,
                                               double full_fraction) {
    const auto bad = [](const std::string& what) { throw std::invalid_argument("vertical_increment_factors: " + what); };
    if (z_face_m.size() < 2) bad("needs at least two layer faces");
    if (z_face_m[0] != 0.0) bad("the first face must be 0 m (the ground)");
    for (std::size_t k = 1; k < z_face_m.size(); ++k)
        if (!(z_face_m[k] > z_face_m[k - 1]) || !std::isfinite(z_face_m[k])) bad("faces must increase and be finite");
    if (!(pblh_m > 0) || !std::isfinite(pblh_m)) bad("the boundary-layer height must be positive and finite");
    if (!(full_fraction > 0 && full_fraction <= 1)) bad("full_fraction must be in (0, 1]");

    const double za = full_fraction * pblh_m, h = pblh_m;
    // ∫_0^z f: z below a·h; the taper's area (h − z')²/(2(1 − a)h) taken from its total; all above h.
    const auto integral = [&](double z) {
        if (z <= za) return z;
        const double taper = h - za;  // 0 when a = 1
        if (z >= h) return za + 0.5 * taper;
        return za + 0.5 * taper - 0.5 * (h - z) * (h - z) / taper;
    };
    std::vector<double> f(z_face_m.size() - 1);
    for (std::size_t k = 0; k < f.size(); ++k)
        f[k] = (integral(z_face_m[k + 1]) - integral(z_face_m[k])) / (z_face_m[k + 1] - z_face_m[k]);
    f[0] = 1.0;
    return f;
}

}  // namespace lantian
