// Accuracy against analytic solutions: a steady Gaussian plume with ground reflection, the
// Ogata–Banks advection–diffusion front, and the observed order of convergence for a smooth
// advected and diffused Gaussian.
#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>

#include "processes/advection.hpp"
#include "processes/mixing.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;
using lantian::test::Harness;
using lantian::test::WindXY;

TEST_CASE("Steady Gaussian plume: ground-level centreline concentration within 10% of the analytic solution",
          "[convergence][plume]") {
    // Constant u, K_y = K_z = K (constant), point source at height H, ground reflection:
    //   C(x, 0, z) = Q / (2π u σ_y σ_z) [exp(−(z−H)²/2σ_z²) + exp(−(z+H)²/2σ_z²)],  σ² = 2 K x / u
    constexpr double u = 2.0, K = 5.0, Q_g_s = 100.0;
    constexpr double dx = 50.0, dy = 10.0, dz = 10.0;
    constexpr int nx = 64, ny = 81, nz = 60, i_src = 4, k_src = 3;
    Config cfg;
    cfg.run.hours = 1.0;
    cfg.run.max_dt_s = 20.0;
    cfg.output.interval_h = 1.0;
    cfg.grid = test::cartesian(nx, ny, dx, {});
    cfg.grid.dy_m = dy;
    for (int k = 0; k <= nz; ++k) cfg.grid.layer_faces_m.push_back(k * dz);
    cfg.met.source = MetKind::uniform;
    cfg.met.speed_m_s = u;
    cfg.met.direction_deg = 270.0;
    cfg.met.kz_mode = KzMode::constant;
    cfg.met.kz_m2_s = K;
    cfg.transport.horizontal_diffusion = HorizontalDiffusion::constant;
    cfg.transport.kh_m2_s = K;
    cfg.species.names = {"TRACER"};
    Simulation probe(cfg);
    const int j_src = ny / 2;
    const std::size_t at = static_cast<std::size_t>(j_src) * nx + i_src;
    PointSource stack{"P", "plume", probe.grid().lon()[at], probe.grid().lat()[at], (k_src + 0.5) * dz, {{"TRACER", Q_g_s}}};
    Simulation sim(cfg, {stack});
    sim.run(false);  // 3600 s: steady out to 50 cells (2500 m / 2 m s-1 = 1250 s) and beyond
    const std::vector<double> c = sim.concentration(0, 0);
    const double H = (k_src + 0.5) * dz, z = 0.5 * dz;
    double worst = 0.0;
    for (int cells = 10; cells <= 50; cells += 5) {
        const double x = cells * dx;
        const double sigma = std::sqrt(2.0 * K * x / u);
        const double analytic = Q_g_s * 1e6 / (2.0 * M_PI * u * sigma * sigma) *
                                (std::exp(-(z - H) * (z - H) / (2 * sigma * sigma)) + std::exp(-(z + H) * (z + H) / (2 * sigma * sigma)));
        const double model = c[static_cast<std::size_t>(j_src) * nx + i_src + cells];
        const double err = std::fabs(model - analytic) / analytic;
        worst = std::max(worst, err);
        INFO("x = " << x << " m: model " << model << ", analytic " << analytic << " ug m-3");
        CHECK(err < 0.10);
    }
    WARN("Gaussian plume: worst relative error from 10 to 50 cells downwind " << worst);
}

namespace {
// Ogata & Banks (1961): semi-infinite column, c(0,t) = c0, c(x,0) = 0:
//   c/c0 = ½ [erfc((x − ut)/(2√(Dt))) + exp(ux/D) erfc((x + ut)/(2√(Dt)))]
// (the second term evaluated as exp(ux/D − z²)·erfcx(z) would overflow naively; here it is small).
double ogata_banks(double x, double t, double u, double D) {
    const double s = 2.0 * std::sqrt(D * t);
    const double a = std::erfc((x - u * t) / s);
    const double zb = (x + u * t) / s;
    // exp(ux/D) erfc(zb) = exp(ux/D − zb²) · [exp(zb²) erfc(zb)], the bracket ≈ 1/(zb √π) for large zb
    const double scaled = zb < 25.0 ? std::exp(zb * zb) * std::erfc(zb) : 1.0 / (zb * std::sqrt(M_PI));
    return 0.5 * (a + std::exp(u * x / D - zb * zb) * scaled);
}
}  // namespace

TEST_CASE("Ogata-Banks advection-diffusion front within 2% (L2 relative)", "[convergence][ogata]") {
    constexpr double u = 1.0, D = 2.0, c0 = 1.0, dx = 10.0, t_end = 2000.0;
    constexpr int nx = 400;
    Config cfg;
    cfg.run.hours = t_end / 3600.0;
    cfg.output.interval_h = cfg.run.hours;
    cfg.run.max_dt_s = 5.0;
    cfg.grid = test::cartesian(nx, 4, dx, {0.0, 100.0});
    cfg.met.source = MetKind::uniform;
    cfg.met.speed_m_s = u;
    cfg.met.direction_deg = 270.0;
    cfg.transport.horizontal_diffusion = HorizontalDiffusion::constant;
    cfg.transport.kh_m2_s = D;
    cfg.transport.vertical_diffusion = false;
    cfg.species.names = {"TRACER"};
    cfg.species.background_ug_m3 = {{"TRACER", c0}};
    cfg.species.background_scale_height_m = 1e12;  // uniform in height
    cfg.species.initial_ug_m3 = {{"TRACER", 0.0}};
    Simulation sim(cfg);
    sim.run(false);
    const std::vector<double> c = sim.concentration(0, 0);
    double num = 0, den = 0;
    for (int i = 0; i < nx; ++i) {
        const double x = (i + 0.5) * dx;  // distance from the inflow face
        const double exact = c0 * ogata_banks(x, t_end, u, D);
        num += std::pow(c[nx + i] - exact, 2);  // row j = 1
        den += exact * exact;
    }
    const double l2 = std::sqrt(num / den);
    WARN("Ogata-Banks: L2 relative error " << l2);
    CHECK(l2 < 0.02);
}

TEST_CASE("Observed order of convergence >= 1.8 for an advected and diffused Gaussian", "[convergence][order]") {
    // Periodic 1-D domain of length L, constant u and K; after one transit the exact solution is the
    // initial Gaussian widened to σ² = σ0² + 2Kt (summed over periodic images).
    constexpr double L = 100000.0, u = 10.0, K = 1500.0, sigma0 = L / 12.0, courant = 0.5;
    const std::vector<int> resolutions = {32, 64, 128, 256};
    std::vector<double> errors;
    for (int n : resolutions) {
        const double dx = L / n;
        Harness h(test::cartesian(n, 4, dx, {0.0, 100.0}), 1);
        const MetState met = test::hand_made_met(h.grid, 1.0, [](double, double, double) { return WindXY{u, 0.0}; });
        h.set_air_mass(met);
        auto gaussian = [&](double x, double var) {
            double s = 0;
            for (int image = -3; image <= 3; ++image)
                s += sigma0 / std::sqrt(var) * std::exp(-std::pow(x - image * L, 2) / (2 * var));
            return s;
        };
        for (int j = 0; j < 4; ++j)
            for (int i = 0; i < n; ++i) h.state.q[j * n + i] = static_cast<real>(gaussian(test::cell_x(h.grid, i), sigma0 * sigma0));
        TransportConfig tc;
        tc.boundary = BoundaryKind::periodic;
        tc.horizontal_diffusion = HorizontalDiffusion::constant;
        tc.kh_m2_s = K;
        BoundaryProfile none;
        none.surface_ug_m3 = {0.0};
        h.processes.push_back(std::make_unique<Advection>(h.grid, 1, kernels::Reconstruction::ppm, BoundaryKind::periodic, 0.9, none));
        h.processes.push_back(std::make_unique<HorizontalDiffusionProcess>(h.grid, 1, tc));
        const double t_end = L / u;
        const int steps = static_cast<int>(std::lround(t_end / (courant * dx / u)));
        for (int s = 0; s < steps; ++s) h.step(met, t_end / steps);
        double err = 0;
        for (int i = 0; i < n; ++i) {
            const double exact = gaussian(test::cell_x(h.grid, i), sigma0 * sigma0 + 2 * K * t_end);
            err += std::pow(h.state.q[n + i] - exact, 2) * dx;
        }
        errors.push_back(std::sqrt(err / L));
    }
    // Least-squares fit log e = log C + p log dx.
    Eigen::MatrixXd A(resolutions.size(), 2);
    Eigen::VectorXd b(resolutions.size());
    for (std::size_t r = 0; r < resolutions.size(); ++r) {
        A(r, 0) = 1.0;
        A(r, 1) = std::log(L / resolutions[r]);
        b(r) = std::log(errors[r]);
    }
    const Eigen::Vector2d fit = A.colPivHouseholderQr().solve(b);
    std::ostringstream report;
    for (std::size_t r = 0; r < resolutions.size(); ++r) report << " n=" << resolutions[r] << ": " << errors[r];
    WARN("convergence: L2 errors" << report.str() << "; observed order " << fit(1));
    CHECK(fit(1) >= 1.8);
}
