// The weather-work kernels of horizontal and vertical diffusion (kernels/flux_kernels.cpp), which
// handle their edge cells and faces apart from the interior so that the interior loops vectorise:
// Smagorinsky K_h of linear flows (whose centred and one-sided differences are exact), conductances
// and vertical exchange against their formulas on every face, edges, windows and one-cell grids.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "flux_kernels.hpp"
#include "grid/grid.hpp"
#include "processes/process.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {
// Relative difference, 0 for two zeros.
double rel(double a, double b) { return a == b ? 0.0 : std::fabs(a - b) / std::max(std::fabs(a), std::fabs(b)); }
}  // namespace

TEST_CASE("Smagorinsky K_h of a linear flow is (c_s Δ)² times its deformation in every cell, edges included",
          "[unit][kernels]") {
    // u = b x + a y on the x-faces, v = c x on the y-faces (m s-1, x and y in m): ∂u/∂x = b,
    // ∂v/∂y = 0, ∂u/∂y = a, ∂v/∂x = c, so the deformation is sqrt(b² + (a + c)²) everywhere: the
    // centred differences inside and the one-sided ones at the edges are both exact for it. On a
    // grid one cell wide the x cross difference is not taken (∂v/∂x = 0), and likewise in y.
    const double a = 2e-4, b = -3e-4, c = 5e-5, cs = 0.2, floor_m2_s = 1.0, dx = 1000.0;
    for (const auto& [nx, ny] : {std::pair{9, 7}, std::pair{1, 6}, std::pair{6, 1}, std::pair{2, 2}}) {
        const Grid grid(test::cartesian(nx, ny, dx, {0, 50, 150}));
        const kernels::GridViews gv = grid_views(grid, false);
        const int nz = gv.nz;
        std::vector<double> u(static_cast<std::size_t>(nz) * ny * (nx + 1)), v(static_cast<std::size_t>(nz) * (ny + 1) * nx);
        for (int k = 0; k < nz; ++k) {
            for (int j = 0; j < ny; ++j)
                for (int f = 0; f <= nx; ++f) u[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + f] = b * f * dx + a * (j + 0.5) * dx;
            for (int f = 0; f <= ny; ++f)
                for (int i = 0; i < nx; ++i) v[(static_cast<std::size_t>(k) * (ny + 1) + f) * nx + i] = c * (i + 0.5) * dx;
        }
        const double dudy = ny > 1 ? a : 0.0, dvdx = nx > 1 ? c : 0.0;
        const double expected = std::max(floor_m2_s, cs * cs * dx * dx * std::sqrt(b * b + (dudy + dvdx) * (dudy + dvdx)));
        REQUIRE(expected > 10 * floor_m2_s);  // the floor does not hide the deformation
        // The whole grid, then a window inside it: cells outside the window keep what they held.
        for (const kernels::Window w : {kernels::Window{}, kernels::Window{nx > 2 ? 1 : 0, nx > 2 ? nx - 1 : -1, ny > 2 ? 1 : 0, ny > 2 ? 2 : -1}}) {
            std::vector<double> kh(static_cast<std::size_t>(nz) * ny * nx, -7.0);
            kernels::horizontal_kh(gv, u.data(), v.data(), true, floor_m2_s, cs, kh.data(), w);
            for (int k = 0; k < nz; ++k)
                for (int j = 0; j < ny; ++j)
                    for (int i = 0; i < nx; ++i) {
                        const bool inside = i >= w.i0 && i < w.i_end(nx) && j >= w.j0 && j < w.j_end(ny);
                        const double got = kh[(static_cast<std::size_t>(k) * ny + j) * nx + i];
                        INFO("grid " << nx << "x" << ny << ", cell k " << k << " j " << j << " i " << i);
                        if (inside)
                            CHECK(rel(got, expected) < 1e-9);
                        else
                            CHECK(got == -7.0);
                    }
            // Constant K_h: the floor in the window.
            kernels::horizontal_kh(gv, u.data(), v.data(), false, 3.5, cs, kh.data(), w);
            CHECK(kh[(static_cast<std::size_t>(nz - 1) * ny + w.j0) * nx + w.i0] == 3.5);
        }
    }
}

TEST_CASE("Smagorinsky K_h of random winds takes the centred differences inside and the one-sided ones at the edges",
          "[unit][kernels]") {
    // A linear flow cannot tell one stencil from another; random winds can. The reference is the
    // formula written cell by cell, with the neighbours clamped at the edges (one-sided there).
    const int nx = 8, ny = 6;
    const double cs = 0.25, floor_m2_s = 0.5;
    const Grid grid(test::cartesian(nx, ny, 2000.0, {0, 50, 150}));
    const kernels::GridViews gv = grid_views(grid, false);
    const int nz = gv.nz;
    std::mt19937 rng(21);
    std::uniform_real_distribution<double> wind(-12.0, 12.0);
    std::vector<double> u(static_cast<std::size_t>(nz) * ny * (nx + 1)), v(static_cast<std::size_t>(nz) * (ny + 1) * nx);
    for (double& x : u) x = wind(rng);
    for (double& x : v) x = wind(rng);
    std::vector<double> kh(static_cast<std::size_t>(nz) * ny * nx, -1.0);
    kernels::horizontal_kh(gv, u.data(), v.data(), true, floor_m2_s, cs, kh.data(), {});
    auto U = [&](int k, int j, int f) { return u[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + f]; };
    auto V = [&](int k, int f, int i) { return v[(static_cast<std::size_t>(k) * (ny + 1) + f) * nx + i]; };
    for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j)
            for (int i = 0; i < nx; ++i) {
                const double dx = gv.dist_x_m[static_cast<std::size_t>(j) * (nx + 1) + i];
                const double dy = gv.dist_y_m[static_cast<std::size_t>(j) * nx + i];
                const int jn = std::min(j + 1, ny - 1), js = std::max(j - 1, 0);
                const int ie = std::min(i + 1, nx - 1), iw = std::max(i - 1, 0);
                const double dudx = (U(k, j, i + 1) - U(k, j, i)) / dx;
                const double dvdy = (V(k, j + 1, i) - V(k, j, i)) / dy;
                const double dudy = (0.5 * (U(k, jn, i) + U(k, jn, i + 1)) - 0.5 * (U(k, js, i) + U(k, js, i + 1))) / ((jn - js) * dy);
                const double dvdx = (0.5 * (V(k, j, ie) + V(k, j + 1, ie)) - 0.5 * (V(k, j, iw) + V(k, j + 1, iw))) / ((ie - iw) * dx);
                const double expected = std::max(floor_m2_s, cs * cs * gv.area_m2[static_cast<std::size_t>(j) * nx + i] *
                                                                 std::sqrt((dudx - dvdy) * (dudx - dvdy) + (dudy + dvdx) * (dudy + dvdx)));
                INFO("cell k " << k << " j " << j << " i " << i);
                CHECK(rel(kh[(static_cast<std::size_t>(k) * ny + j) * nx + i], expected) < 1e-12);
            }
}

TEST_CASE("Horizontal conductances are Δt ρ_f K_f L Δz / d on every face, 0 on open edges, wrapped when periodic",
          "[unit][kernels]") {
    const int nx = 7, ny = 5;
    const double dt = 300.0;
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> density(0.9, 1.3), diffusivity(10.0, 800.0);
    for (const bool periodic : {false, true}) {
        const Grid grid(test::cartesian(nx, ny, 3000.0, {0, 40, 120, 300}));
        const kernels::GridViews gv = grid_views(grid, periodic);
        const int nz = gv.nz;
        const std::size_t cells = static_cast<std::size_t>(nz) * ny * nx;
        std::vector<double> rho(cells), kh(cells), m(cells);
        for (std::size_t c = 0; c < cells; ++c) {
            rho[c] = density(rng);
            kh[c] = diffusivity(rng);
        }
        kernels::air_mass_from_density(gv, rho.data(), m.data());
        std::vector<double> cx(static_cast<std::size_t>(nz) * ny * (nx + 1), -1.0), cy(static_cast<std::size_t>(nz) * (ny + 1) * nx, -1.0);
        const double worst = kernels::horizontal_conductances(gv, rho.data(), kh.data(), m.data(), dt, cx.data(), cy.data(), {}, {});
        auto at = [&](int k, int j, int i) { return (static_cast<std::size_t>(k) * ny + j) * nx + i; };
        double worst_expected = 0.0;
        for (int k = 0; k < nz; ++k) {
            for (int j = 0; j < ny; ++j)
                for (int f = 0; f <= nx; ++f) {
                    const bool edge = f == 0 || f == nx;
                    const int iw = (f - 1 + nx) % nx, ie = f % nx;
                    const std::size_t gf = static_cast<std::size_t>(j) * (nx + 1) + f;
                    const double expected = edge && !periodic ? 0.0
                                                              : dt * (0.5 * (rho[at(k, j, iw)] + rho[at(k, j, ie)])) *
                                                                    (0.5 * (kh[at(k, j, iw)] + kh[at(k, j, ie)])) * gv.len_x_m[gf] *
                                                                    gv.dz_m[k] / gv.dist_x_m[gf];
                    INFO("x-face k " << k << " j " << j << " f " << f << (periodic ? " periodic" : " open"));
                    CHECK(rel(cx[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + f], expected) < 1e-14);
                }
            for (int f = 0; f <= ny; ++f)
                for (int i = 0; i < nx; ++i) {
                    const bool edge = f == 0 || f == ny;
                    const int js = (f - 1 + ny) % ny, jn = f % ny;
                    const std::size_t gf = static_cast<std::size_t>(f) * nx + i;
                    const double expected = edge && !periodic ? 0.0
                                                              : dt * (0.5 * (rho[at(k, js, i)] + rho[at(k, jn, i)])) *
                                                                    (0.5 * (kh[at(k, js, i)] + kh[at(k, jn, i)])) * gv.len_y_m[gf] *
                                                                    gv.dz_m[k] / gv.dist_y_m[gf];
                    INFO("y-face k " << k << " f " << f << " i " << i << (periodic ? " periodic" : " open"));
                    CHECK(rel(cy[(static_cast<std::size_t>(k) * (ny + 1) + f) * nx + i], expected) < 1e-14);
                }
            for (int j = 0; j < ny; ++j)
                for (int i = 0; i < nx; ++i) {
                    const double sum = cx[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + i] +
                                       cx[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + i + 1] +
                                       cy[(static_cast<std::size_t>(k) * (ny + 1) + j) * nx + i] +
                                       cy[(static_cast<std::size_t>(k) * (ny + 1) + j + 1) * nx + i];
                    worst_expected = std::max(worst_expected, sum / m[at(k, j, i)]);
                }
        }
        CHECK(rel(worst, worst_expected) < 1e-14);
    }
}

TEST_CASE("Vertical exchange is ρ_face K_z A / Δz_centres at interior faces and 0 at the ground and the top",
          "[unit][kernels]") {
    const int nx = 5, ny = 4;
    const Grid grid(test::cartesian(nx, ny, 2000.0, {0, 30, 100, 250, 600}));
    const kernels::GridViews gv = grid_views(grid, false);
    const int nz = gv.nz;
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
    std::mt19937 rng(8);
    std::uniform_real_distribution<double> density(0.8, 1.3), diffusivity(0.1, 100.0);
    std::vector<double> rho(nz * plane), kz((nz + 1) * plane), ex((nz + 1) * plane, -1.0);
    for (double& r : rho) r = density(rng);
    for (double& d : kz) d = diffusivity(rng);
    const kernels::Window w{1, 4, 0, 3};
    kernels::vertical_exchange(gv, rho.data(), kz.data(), ex.data(), w);
    for (int k = 0; k <= nz; ++k)
        for (int j = 0; j < ny; ++j)
            for (int i = 0; i < nx; ++i) {
                const std::size_t col = static_cast<std::size_t>(j) * nx + i;
                const bool inside = i >= w.i0 && i < w.i_end(nx) && j >= w.j0 && j < w.j_end(ny);
                double expected = -1.0;
                if (inside)
                    expected = (k == 0 || k == nz) ? 0.0
                                                   : 0.5 * (rho[(k - 1) * plane + col] + rho[k * plane + col]) * kz[k * plane + col] *
                                                         gv.area_m2[col] / (gv.z_center_m[k] - gv.z_center_m[k - 1]);
                INFO("face k " << k << " j " << j << " i " << i);
                CHECK(rel(ex[k * plane + col], expected) < 1e-14);
            }
}
