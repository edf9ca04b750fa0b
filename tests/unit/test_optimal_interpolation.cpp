// Optimal interpolation against an independent BLUE computed here with plain loops and a 3 × 3
// inverse by cofactors (Cramer's rule), its limits in σ_o, the decay of a single increment, the
// background check, the fit to the observations, non-negativity and the vertical spreading factors.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "assimilation/optimal_interpolation.hpp"

using namespace lantian;

namespace {

const double kInf = std::numeric_limits<double>::infinity();

// The 6 × 5 grid of the hand check: centres x = 1000 + 4000 i, y = −2000 + 5000 j (m).
OiGrid small_grid() {
    OiGrid g;
    g.nx = 6;
    g.ny = 5;
    g.x0_m = 1000;
    g.y0_m = -2000;
    g.dx_m = 4000;
    g.dy_m = 5000;
    return g;
}

std::vector<double> small_background(const OiGrid& g) {
    std::vector<double> xb(static_cast<std::size_t>(g.nx * g.ny));
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) xb[static_cast<std::size_t>(j * g.nx + i)] = 20 + 3 * i + 2 * j + 0.5 * i * j;
    return xb;
}

// Three stations between cell centres (fractional indices (1.3, 0.6), (3.75, 2.2), (4.1, 3.9)).
std::vector<OiObservation> three_stations(const OiGrid& g) {
    const auto at = [&](const char* name, double fi, double fj, double v) {
        return OiObservation{name, g.x0_m + fi * g.dx_m, g.y0_m + fj * g.dy_m, v};
    };
    return {at("A", 1.3, 0.6, 31.0), at("B", 3.75, 2.2, 27.5), at("C", 4.1, 3.9, 55.0)};
}

// The dense H of the test: the product of tent functions max(0, 1 − |fi − i|) max(0, 1 − |fj − j|),
// which is bilinear interpolation written another way than in the library.
std::vector<std::vector<double>> dense_h(const OiGrid& g, const std::vector<OiObservation>& obs) {
    std::vector<std::vector<double>> H(obs.size(), std::vector<double>(static_cast<std::size_t>(g.nx * g.ny), 0.0));
    for (std::size_t k = 0; k < obs.size(); ++k) {
        const double fi = (obs[k].x_m - g.x0_m) / g.dx_m, fj = (obs[k].y_m - g.y0_m) / g.dy_m;
        for (int j = 0; j < g.ny; ++j)
            for (int i = 0; i < g.nx; ++i)
                H[k][static_cast<std::size_t>(j * g.nx + i)] =
                    std::max(0.0, 1 - std::fabs(fi - i)) * std::max(0.0, 1 - std::fabs(fj - j));
    }
    return H;
}

double apply_row(const std::vector<double>& h, const std::vector<double>& x) {
    double s = 0;
    for (std::size_t c = 0; c < x.size(); ++c) s += h[c] * x[c];
    return s;
}

}  // namespace

TEST_CASE("The OI analysis equals the BLUE solved by hand for three observations", "[unit][assimilation]") {
    const OiGrid g = small_grid();
    const std::vector<double> xb = small_background(g);
    const std::vector<OiObservation> obs = three_stations(g);
    OiParameters p;
    p.sigma_b_fraction = 0.3;  // σ_b = max(9, 0.3 x_b): both branches occur (x_b from 20 to 55)
    p.sigma_b_min = 9;
    p.sigma_o = 3;
    p.correlation_length_km = 12;
    p.qc_k = kInf;
    const OiResult r = optimal_interpolation(g, xb, obs, p);
    REQUIRE(r.n_accepted == 3);

    // Independent BLUE: the full 30 × 30 B, H B Hᵀ + R, its inverse by cofactors, x_b + B Hᵀ S⁻¹ d.
    const std::size_t n = xb.size();
    std::vector<double> sb(n);
    for (std::size_t c = 0; c < n; ++c) sb[c] = std::max(9.0, 0.3 * xb[c]);
    std::vector<std::vector<double>> B(n, std::vector<double>(n));
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = 0; b < n; ++b) {
            const double dx = (double(a % 6) - double(b % 6)) * 4000, dy = (double(a / 6) - double(b / 6)) * 5000;
            B[a][b] = sb[a] * sb[b] * std::exp(-std::hypot(dx, dy) / 12000.0);
        }
    const auto H = dense_h(g, obs);
    double BHt[30][3] = {};
    for (std::size_t a = 0; a < n; ++a)
        for (int k = 0; k < 3; ++k)
            for (std::size_t b = 0; b < n; ++b) BHt[a][k] += B[a][b] * H[k][b];
    double S[3][3] = {};
    for (int k = 0; k < 3; ++k)
        for (int l = 0; l < 3; ++l) {
            for (std::size_t a = 0; a < n; ++a) S[k][l] += H[k][a] * BHt[a][l];
            if (k == l) S[k][l] += 9.0;
        }
    const double det = S[0][0] * (S[1][1] * S[2][2] - S[1][2] * S[2][1]) -
                       S[0][1] * (S[1][0] * S[2][2] - S[1][2] * S[2][0]) +
                       S[0][2] * (S[1][0] * S[2][1] - S[1][1] * S[2][0]);
    double inv[3][3];
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            // inverse(i, j) = cofactor(j, i) / det
            const int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
            inv[i][j] = (S[r0][c0] * S[r1][c1] - S[r0][c1] * S[r1][c0]) / det;
        }
    double d[3], w[3] = {};
    for (int k = 0; k < 3; ++k) d[k] = obs[static_cast<std::size_t>(k)].value - apply_row(H[k], xb);
    for (int k = 0; k < 3; ++k)
        for (int l = 0; l < 3; ++l) w[k] += inv[k][l] * d[l];
    // The inverse is an inverse.
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            double e = 0;
            for (int k = 0; k < 3; ++k) e += S[i][k] * inv[k][j];
            REQUIRE(e == Approx(i == j ? 1.0 : 0.0).margin(1e-12));
        }
    double max_inc = 0;
    for (std::size_t a = 0; a < n; ++a) {
        const double xa = xb[a] + BHt[a][0] * w[0] + BHt[a][1] * w[1] + BHt[a][2] * w[2];
        CHECK(std::fabs(r.analysis[a] - xa) < 1e-10);
        CHECK(std::fabs(r.increment[a] - (xa - xb[a])) < 1e-10);
        max_inc = std::max(max_inc, std::fabs(xa - xb[a]));
    }
    CHECK(max_inc > 1.0);  // the case is not trivial
    CHECK(r.clipped_cells == 0);
    for (int k = 0; k < 3; ++k) {
        const OiObservationResult& o = r.observations[static_cast<std::size_t>(k)];
        CHECK(o.status == OiStatus::accepted);
        CHECK(o.reason.empty());
        CHECK(std::fabs(o.background - apply_row(H[k], xb)) < 1e-12);
        CHECK(std::fabs(o.innovation - d[k]) < 1e-12);
        CHECK(std::fabs(o.residual - (o.observed - apply_row(H[k], r.analysis))) < 1e-10);
    }
}

TEST_CASE("OI draws to the observations as sigma_o goes to 0 and leaves the background as it grows", "[unit][assimilation]") {
    const OiGrid g = small_grid();
    const std::vector<double> xb = small_background(g);
    const std::vector<OiObservation> obs = three_stations(g);
    const auto H = dense_h(g, obs);
    OiParameters p;
    p.sigma_b_fraction = 0;
    p.sigma_b_min = 10;
    p.correlation_length_km = 15;
    p.qc_k = kInf;

    p.sigma_o = 1e-6;
    OiResult r = optimal_interpolation(g, xb, obs, p);
    for (std::size_t k = 0; k < obs.size(); ++k) {
        CHECK(std::fabs(apply_row(H[k], r.analysis) - obs[k].value) < 1e-8);
        CHECK(std::fabs(r.observations[k].residual) < 1e-8);
        CHECK(std::fabs(r.observations[k].innovation) > 1.0);
    }
    CHECK(r.statistics.rms_oma < 1e-8);

    p.sigma_o = 1e6;
    r = optimal_interpolation(g, xb, obs, p);
    double max_inc = 0;
    for (double v : r.increment) max_inc = std::max(max_inc, std::fabs(v));
    CHECK(max_inc < 1e-6);
    CHECK(r.statistics.rms_oma == Approx(r.statistics.rms_omb).epsilon(1e-6));
}

TEST_CASE("A single observation's increment decays with distance along the rows and columns", "[unit][assimilation]") {
    OiGrid g;
    g.nx = 21;
    g.ny = 11;
    g.dx_m = g.dy_m = 3000;
    const std::vector<double> xb(21 * 11, 30.0);
    OiParameters p;
    p.sigma_b_fraction = 0;
    p.sigma_b_min = 10;
    p.sigma_o = 5;
    p.correlation_length_km = 20;
    p.qc_k = kInf;
    // At the centre of cell (5, 5): O − B = 15, increment there 15 σ_b²/(σ_b² + σ_o²) = 12.
    const OiResult r = optimal_interpolation(g, xb, {{"S", 5 * 3000.0, 5 * 3000.0, 45.0}}, p);
    const auto inc = [&](int i, int j) { return r.increment[static_cast<std::size_t>(j * 21 + i)]; };
    CHECK(inc(5, 5) == Approx(12.0).epsilon(1e-12));
    for (int i = 6; i < 21; ++i) {
        CHECK(inc(i, 5) < inc(i - 1, 5));
        CHECK(inc(i, 5) > 0);
        CHECK(inc(i, 5) == Approx(12.0 * std::exp(-(i - 5) * 3.0 / 20.0)).epsilon(1e-12));
    }
    for (int i = 4; i >= 0; --i) CHECK(inc(i, 5) < inc(i + 1, 5));
    for (int j = 6; j < 11; ++j) CHECK(inc(5, j) < inc(5, j - 1));
    for (int j = 4; j >= 0; --j) CHECK(inc(5, j) < inc(5, j + 1));
    // Along the diagonal too.
    for (int k = 1; k <= 5; ++k) CHECK(inc(5 + k, 5 + k) < inc(5 + k - 1, 5 + k - 1));
}

TEST_CASE("The background check rejects a planted outlier, keeps the others and reports why", "[unit][assimilation]") {
    OiGrid g;
    g.nx = g.ny = 10;
    g.dx_m = g.dy_m = 5000;
    const std::vector<double> xb(100, 40.0);
    OiParameters p;
    p.sigma_b_fraction = 0;
    p.sigma_b_min = 10;
    p.sigma_o = 5;  // limit 3 √125 = 33.54
    std::vector<OiObservation> obs{{"A", 10000, 12000, 45},
                                   {"B", 30000, 8000, 35},
                                   {"OUT", 20000, 30000, 120},  // O − B = 80
                                   {"C", 36000, 40000, 48},
                                   {"FAR", -20000, 10000, 40},
                                   {"NAN", 10000, 10000, std::nan("")}};
    const OiResult r = optimal_interpolation(g, xb, obs, p);
    CHECK(r.n_accepted == 3);
    CHECK(r.n_rejected == 1);
    CHECK(r.n_skipped == 2);
    const OiObservationResult& out = r.observations[2];
    CHECK(out.station == "OUT");
    CHECK(out.status == OiStatus::rejected_background);
    CHECK(std::string(oi_status_name(out.status)) == "rejected_background");
    CHECK(out.innovation == Approx(80.0));
    CHECK(out.qc_limit == Approx(3 * std::sqrt(125.0)));
    CHECK(out.reason.find("background check") != std::string::npos);
    for (std::size_t k : {0u, 1u, 3u}) CHECK(r.observations[k].status == OiStatus::accepted);
    CHECK(r.observations[4].status == OiStatus::skipped_outside);
    CHECK(r.observations[4].reason.find("outside") != std::string::npos);
    CHECK(std::isnan(r.observations[4].innovation));
    CHECK(r.observations[5].status == OiStatus::skipped_not_finite);
    // The rejected observation has no influence: the analysis equals that without it.
    const OiResult without = optimal_interpolation(g, xb, {obs[0], obs[1], obs[3]}, p);
    for (std::size_t c = 0; c < 100; ++c) CHECK(r.analysis[c] == without.analysis[c]);
    CHECK(out.residual > 70.0);  // O − A at the outlier stays large
    // At the limit: O − B = 34 fails, 33 passes (limit 33.54), alone and one at a time.
    for (const auto& [value, ok] : {std::pair{74.0, false}, std::pair{73.0, true}, std::pair{6.0, false}, std::pair{7.0, true}}) {
        const OiResult edge = optimal_interpolation(g, xb, {{"E", 25000, 25000, value}}, p);
        CHECK(edge.observations[0].status == (ok ? OiStatus::accepted : OiStatus::rejected_background));
    }
    // With a looser check it is accepted and pulls the field up.
    p.qc_k = 10;
    const OiResult loose = optimal_interpolation(g, xb, obs, p);
    CHECK(loose.observations[2].status == OiStatus::accepted);
    CHECK(loose.n_accepted == 4);
    CHECK(loose.observations[2].residual < 30.0);
}

TEST_CASE("The analysis fits the observations better than the background", "[unit][assimilation]") {
    OiGrid g;
    g.nx = 12;
    g.ny = 10;
    g.dx_m = g.dy_m = 4000;
    std::vector<double> xb(120);
    for (std::size_t c = 0; c < 120; ++c) xb[c] = 35 + 10 * std::sin(0.7 * double(c % 12)) + 6 * std::cos(0.5 * double(c / 12));
    const std::vector<OiObservation> obs{{"a", 6000, 5000, 52},  {"b", 21000, 9000, 30},  {"c", 33000, 30000, 61},
                                         {"d", 14000, 26000, 28}, {"e", 40000, 14000, 47}, {"f", 27000, 19000, 39}};
    OiParameters p;  // the defaults, QC on
    const OiResult r = optimal_interpolation(g, xb, obs, p);
    REQUIRE(r.n_accepted == 6);
    double s = 0, s2 = 0;
    for (const auto& o : r.observations) {
        s += o.innovation;
        s2 += o.innovation * o.innovation;
    }
    CHECK(r.statistics.count == 6);
    CHECK(r.statistics.mean_omb == Approx(s / 6));
    CHECK(r.statistics.rms_omb == Approx(std::sqrt(s2 / 6)));
    CHECK(r.statistics.rms_omb > 3.0);
    CHECK(r.statistics.rms_oma < 0.75 * r.statistics.rms_omb);
    CHECK(std::fabs(r.statistics.mean_oma) < std::fabs(r.statistics.mean_omb));
}

TEST_CASE("A large negative innovation leaves no negative cell and the clipped amount is reported", "[unit][assimilation]") {
    OiGrid g;
    g.nx = g.ny = 9;
    g.dx_m = g.dy_m = 5000;
    std::vector<double> xb(81, 5.0);
    xb[4 * 9 + 4] = 100;  // a spike the observation says is not there
    OiParameters p;
    p.sigma_b_fraction = 0;
    p.sigma_b_min = 50;
    p.sigma_o = 1;
    p.correlation_length_km = 30;
    p.qc_k = kInf;
    const OiResult r = optimal_interpolation(g, xb, {{"S", 20000, 20000, 0.0}}, p);
    // Unclipped: x_b − 100 · 2500/2501 · exp(−d/L).
    double expect_total = 0, expect_min = 0;
    std::size_t expect_cells = 0;
    for (std::size_t c = 0; c < 81; ++c) {
        const double d = 5000 * std::hypot(double(c % 9) - 4, double(c / 9) - 4);
        const double raw = xb[c] - 100 * 2500.0 / 2501.0 * std::exp(-d / 30000);
        if (raw < 0) {
            ++expect_cells;
            expect_total -= raw;
            expect_min = std::min(expect_min, raw);
        }
        CHECK(r.analysis[c] >= 0.0);
        CHECK(r.analysis[c] == Approx(std::max(raw, 0.0)).margin(1e-10));
        CHECK(r.increment[c] == Approx(r.analysis[c] - xb[c]).margin(1e-12));
    }
    REQUIRE(expect_cells > 4);
    CHECK(r.clipped_cells == expect_cells);
    CHECK(r.clipped_total == Approx(expect_total).epsilon(1e-12));
    CHECK(r.most_negative == Approx(expect_min).epsilon(1e-12));
    CHECK(r.analysis[4 * 9 + 4] == Approx(100 - 100 * 2500.0 / 2501.0));
}

TEST_CASE("OI refuses invalid grids, backgrounds and parameters", "[unit][assimilation]") {
    OiGrid g = small_grid();
    std::vector<double> xb = small_background(g);
    CHECK_THROWS_AS(optimal_interpolation(g, std::vector<double>(29, 1.0), {}), std::invalid_argument);
    OiParameters p;
    p.correlation_length_km = 0;
    CHECK_THROWS_AS(optimal_interpolation(g, xb, {}, p), std::invalid_argument);
    p = {};
    p.sigma_o = -1;
    CHECK_THROWS_AS(optimal_interpolation(g, xb, {}, p), std::invalid_argument);
    xb[3] = std::nan("");
    CHECK_THROWS_AS(optimal_interpolation(g, xb, {}), std::invalid_argument);
    // σ_o = 0 with two stations at the same point: H B Hᵀ + R is singular.
    xb = small_background(g);
    p = {};
    p.sigma_o = 0;
    p.qc_k = kInf;
    CHECK_THROWS_AS(optimal_interpolation(g, xb, {{"a", 5000, 1000, 30}, {"b", 5000, 1000, 31}}, p), std::runtime_error);
    // No observations: the analysis is the background.
    const OiResult r = optimal_interpolation(g, xb, {});
    CHECK(r.analysis == xb);
    CHECK(r.statistics.count == 0);
}

TEST_CASE("Vertical spreading factors: 1 up to 0.8 PBLH, linear to 0 at PBLH, layer means", "[unit][assimilation]") {
    const std::vector<double> faces{0, 50, 150, 300, 600, 1000, 1500};
    std::vector<double> f = vertical_increment_factors(faces, 1000);
    REQUIRE(f.size() == 6);
    CHECK(f[0] == 1.0);
    CHECK(f[1] == 1.0);
    CHECK(f[2] == 1.0);
    CHECK(f[3] == 1.0);
    CHECK(f[4] == Approx(0.75));  // (200 + 100) / 400
    CHECK(f[5] == 0.0);
    // A shallow night-time layer (h = 100 m, a·h = 80 m): the lowest layer keeps 1, the next its mean.
    f = vertical_increment_factors(faces, 100);
    CHECK(f[0] == 1.0);
    CHECK(f[1] == Approx(0.4));  // (30 + 10) / 100
    CHECK(f[2] == 0.0);
    // A top inside one layer with a = 0.5: [0,50] 1; [50,150]: ∫ = 50 (to 100) + ∫100..150 of
    // (200 − z)/100 = 37.5 → 0.875; [150,300]: ∫150..200 = 12.5 → 12.5/150.
    f = vertical_increment_factors(faces, 200, 0.5);
    CHECK(f[1] == Approx(0.875));
    CHECK(f[2] == Approx(12.5 / 150));
    // a = 1: a step at the top.
    f = vertical_increment_factors(faces, 400, 1.0);
    CHECK(f[3] == Approx(100.0 / 300));
    CHECK_THROWS_AS(vertical_increment_factors(faces, 0), std::invalid_argument);
    CHECK_THROWS_AS(vertical_increment_factors({10, 50}, 500), std::invalid_argument);
    CHECK_THROWS_AS(vertical_increment_factors(faces, 500, 1.5), std::invalid_argument);
}
