// The per-step kernels that prepare a sweep, against plain column-by-column references: sub-step
// counts (visited plane by plane on the strided axes), the vertical mass flux (row by row) and the
// explicit-diffusion stability measure. They must agree exactly (the same operations per value).
#include <catch2/catch.hpp>
#include <algorithm>
#include <random>
#include <vector>

#include "advection_kernels.hpp"
#include "flux_kernels.hpp"
#include "state/field_vector.hpp"
#include "thread_scratch.hpp"

using namespace lantian;
using kernels::Axis;

namespace {
struct Fields {
    int nx = 13, ny = 11, nz = 5;
    std::vector<double> m, fx, fy, fz, target;
    Fields() {
        std::mt19937 gen(7);
        std::uniform_real_distribution<double> mass(0.5, 2.0), flux(-0.6, 0.6);
        m.resize(static_cast<std::size_t>(nx) * ny * nz);
        target.resize(m.size());
        for (auto& x : m) x = mass(gen);
        for (auto& x : target) x = mass(gen);
        fx.resize(static_cast<std::size_t>(nz) * ny * (nx + 1));
        fy.resize(static_cast<std::size_t>(nz) * (ny + 1) * nx);
        fz.resize(static_cast<std::size_t>(nz + 1) * ny * nx);
        for (auto* f : {&fx, &fy, &fz})
            for (auto& x : *f) x = flux(gen);
    }
};
}  // namespace

TEST_CASE("count_substeps equals the line-by-line outflow fraction on every axis and window", "[unit][advection]") {
    const Fields d;
    const int nx = d.nx, ny = d.ny, nz = d.nz;
    for (const kernels::Window w : {kernels::Window{}, kernels::Window{2, 9, 3, 8}})
        for (Axis axis : {Axis::x, Axis::y, Axis::z}) {
            const double* F = axis == Axis::x ? d.fx.data() : axis == Axis::y ? d.fy.data() : d.fz.data();
            const int nlines = kernels::line_count(axis, nx, ny, nz);
            std::vector<int> sub(nlines, -1);
            std::vector<double> worst(nlines, -1.0);
            const double all = kernels::count_substeps(axis, nx, ny, nz, d.m.data(), F, 0.9, sub.data(), worst.data(), w);
            // Reference: walk each line cell by cell.
            double ref_all = 0;
            const int i1 = w.i_end(nx), j1 = w.j_end(ny);
            int checked = 0;
            auto cell = [&](int k, int j, int i) { return (static_cast<std::size_t>(k) * ny + j) * nx + i; };
            for (int line = 0; line < nlines; ++line) {
                int k = 0, j = 0, i = 0;
                if (axis == Axis::x) k = line / ny, j = line % ny;
                else if (axis == Axis::y) k = line / nx, i = line % nx;
                else j = line / nx, i = line % nx;
                const bool through = (axis == Axis::x || (i >= w.i0 && i < i1)) && (axis == Axis::y || (j >= w.j0 && j < j1));
                if (!through) {
                    CHECK(sub[line] == -1);  // lines outside the window are not touched
                    continue;
                }
                double lw = 0;
                const int n = kernels::line_length(axis, nx, ny, nz);
                const int c0 = axis == Axis::x ? w.i0 : axis == Axis::y ? w.j0 : 0;
                const int c1 = axis == Axis::x ? i1 : axis == Axis::y ? j1 : n;
                for (int c = c0; c < c1; ++c) {
                    double lo = 0, hi = 0, m = 0;
                    if (axis == Axis::x) {
                        lo = F[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + c], hi = F[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + c + 1];
                        m = d.m[cell(k, j, c)];
                    } else if (axis == Axis::y) {
                        lo = F[(static_cast<std::size_t>(k) * (ny + 1) + c) * nx + i], hi = F[(static_cast<std::size_t>(k) * (ny + 1) + c + 1) * nx + i];
                        m = d.m[cell(k, c, i)];
                    } else {
                        lo = F[(static_cast<std::size_t>(c) * ny + j) * nx + i], hi = F[(static_cast<std::size_t>(c + 1) * ny + j) * nx + i];
                        m = d.m[cell(c, j, i)];
                    }
                    lw = std::max(lw, (std::max(hi, 0.0) + std::max(-lo, 0.0)) / m);
                }
                CHECK(worst[line] == lw);
                CHECK(sub[line] == kernels::substeps_for(lw, 0.9));
                ref_all = std::max(ref_all, lw);
                ++checked;
            }
            CHECK(checked > 0);
            CHECK(all == ref_all);
            CHECK(all > 0.9);  // the random fluxes need sub-steps somewhere: the count is exercised
        }
}

TEST_CASE("vertical_mass_flux: column continuity, row by row, equals the column-by-column sum", "[unit][advection]") {
    Fields d;
    kernels::GridViews g;
    g.nx = d.nx;
    g.ny = d.ny;
    g.nz = d.nz;
    std::vector<double> fz(d.fz.size(), -7.0);
    const kernels::Window w{1, 10, 2, 9};
    kernels::vertical_mass_flux(g, d.fx.data(), d.fy.data(), d.m.data(), d.target.data(), fz.data(), w);
    const std::size_t plane = static_cast<std::size_t>(d.nx) * d.ny;
    for (int j = 0; j < d.ny; ++j)
        for (int i = 0; i < d.nx; ++i) {
            const std::size_t col = static_cast<std::size_t>(j) * d.nx + i;
            const bool inside = i >= w.i0 && i < w.i_end(d.nx) && j >= w.j0 && j < w.j_end(d.ny);
            double below = 0.0;
            CHECK(fz[col] == (inside ? 0.0 : -7.0));
            for (int k = 0; k < d.nz; ++k) {
                const std::size_t ax = (static_cast<std::size_t>(k) * d.ny + j) * (d.nx + 1) + i;
                const std::size_t ay = (static_cast<std::size_t>(k) * (d.ny + 1) + j) * d.nx + i;
                const std::size_t c = k * plane + col;
                below = below + ((d.fx[ax] - d.fx[ax + 1]) + (d.fy[ay] - d.fy[ay + d.nx])) - (d.target[c] - d.m[c]);
                CHECK(fz[(k + 1) * plane + col] == (inside ? below : -7.0));
            }
        }
}

TEST_CASE("explicit_stability returns what horizontal_conductances returned", "[unit][diffusion]") {
    Fields d;
    const int nx = d.nx, ny = d.ny, nz = d.nz;
    std::vector<double> area(static_cast<std::size_t>(nx) * ny, 9e6), lx(static_cast<std::size_t>(ny) * (nx + 1), 3000.0),
        ly(static_cast<std::size_t>(ny + 1) * nx, 3000.0), dz(nz, 50.0), zc(nz);
    for (int k = 0; k < nz; ++k) zc[k] = 25.0 + 50.0 * k;
    kernels::GridViews g;
    g.nx = nx;
    g.ny = ny;
    g.nz = nz;
    g.area_m2 = area.data();
    g.len_x_m = lx.data();
    g.len_y_m = ly.data();
    g.dist_x_m = lx.data();
    g.dist_y_m = ly.data();
    g.dz_m = dz.data();
    g.z_center_m = zc.data();
    std::vector<double> rho(d.m.size(), 1.2), kh(d.m.size()), cx(d.fx.size()), cy(d.fy.size()), m(d.m.size());
    for (std::size_t c = 0; c < kh.size(); ++c) {
        kh[c] = 50.0 + 10.0 * (c % 7);
        m[c] = 1.2 * 9e6 * 50.0 * d.m[c];
    }
    const kernels::Window w{1, 12, 1, 10};
    const double worst = kernels::horizontal_conductances(g, rho.data(), kh.data(), m.data(), 600.0, cx.data(), cy.data(), w);
    CHECK(worst > 0.0);
    CHECK(kernels::explicit_stability(g, cx.data(), cy.data(), m.data(), w) == worst);
}

TEST_CASE("advect_sweep's boundary books close every line's tracer budget, with sub-steps and a partial block",
          "[unit][advection]") {
    // Per line and species: Σ m' q' − Σ m q = (in − out) at the lo end + (in − out) at the hi end,
    // the books written by the sweep. Lines take 1, 2 or 3 sub-steps (the later ones add to the
    // books the first one stored), nx = 21 leaves a partial block of 5 lines on the strided axes,
    // and the inflow differs from the edge cells so inflow faces are told apart from outflow ones.
    const int nx = 21, ny = 18, nz = 7, nspec = 2;
    const std::size_t cells = static_cast<std::size_t>(nx) * ny * nz;
    std::mt19937 gen(11);
    std::uniform_real_distribution<double> mass(0.8, 1.2), flux(-0.25, 0.25), mix(1.0, 3.0), inflow(5.0, 9.0);
    std::vector<double> m(cells);
    for (auto& x : m) x = mass(gen);
    std::vector<real> q0(cells * nspec);
    for (auto& x : q0) x = static_cast<real>(mix(gen));
    for (auto axis : {Axis::x, Axis::y, Axis::z}) {
        INFO("axis " << static_cast<int>(axis));
        const int nlines = kernels::line_count(axis, nx, ny, nz), n = kernels::line_length(axis, nx, ny, nz);
        std::vector<double> F(static_cast<std::size_t>(nlines) * (n + 1));
        for (auto& x : F) x = flux(gen);
        std::vector<int> sub(nlines);
        for (int l = 0; l < nlines; ++l) sub[l] = 1 + l % 3;
        std::vector<real> in_lo(static_cast<std::size_t>(nspec) * nlines), in_hi(in_lo.size());
        for (auto& x : in_lo) x = static_cast<real>(inflow(gen));
        for (auto& x : in_hi) x = static_cast<real>(inflow(gen));
        // (cold books: every entry of a swept line must be written, not added to)
        std::vector<double> books(4 * static_cast<std::size_t>(nspec) * nlines, 1e30);
        std::vector<double> m_out(cells);
        std::vector<real> q = q0;
        const std::size_t per = kernels::sweep_scratch_doubles(axis, nx, ny, nz, nspec);
        FieldVector<double> scratch(per * kernels::max_threads());  // cache-line aligned, as the run's
        kernels::SweepViews v;
        v.nx = nx, v.ny = ny, v.nz = nz, v.nspec = nspec;
        v.air_mass_kg = m.data();
        v.air_mass_out_kg = m_out.data();
        v.q = q.data();
        v.face_flux_kg = F.data();
        v.substeps = sub.data();
        v.inflow_lo = in_lo.data();
        v.inflow_hi = in_hi.data();
        v.boundary_ug = books.data();
        v.scratch = scratch.data();
        v.scratch_per_thread = per;
        kernels::advect_sweep(axis, v);

        // Cell c of a line (the layouts of advection_kernels.hpp) and a face's flux.
        auto cell = [&](int line, int c) -> std::size_t {
            switch (axis) {
            case Axis::x: return static_cast<std::size_t>(line) * nx + c;
            case Axis::y: return (static_cast<std::size_t>(line / nx) * ny + c) * nx + line % nx;
            default: return static_cast<std::size_t>(c) * nx * ny + line;
            }
        };
        const std::size_t stride = static_cast<std::size_t>(nspec) * nlines;
        for (int s = 0; s < nspec; ++s)
            for (int line = 0; line < nlines; ++line) {
                double before = 0.0, after = 0.0, scale = 0.0;
                for (int c = 0; c < n; ++c) {
                    const std::size_t at = s * cells + cell(line, c);
                    before += m[cell(line, c)] * q0[at];
                    after += m_out[cell(line, c)] * q[at];
                    scale += m[cell(line, c)] * q0[at];
                }
                const std::size_t b = static_cast<std::size_t>(s) * nlines + line;
                const double lo_in = books[b], lo_out = books[stride + b], hi_in = books[2 * stride + b],
                             hi_out = books[3 * stride + b];
                for (double x : {lo_in, lo_out, hi_in, hi_out}) REQUIRE(x >= 0.0);
                CHECK(after - before == Approx(lo_in - lo_out + hi_in - hi_out).margin(1e-5 * scale));
                // The line's end faces carry what the books say, each in one direction only.
                CHECK(lo_in * lo_out == 0.0);
                CHECK(hi_in * hi_out == 0.0);
            }
    }
}
