// Transport and whole runs on the projections PROJ added (polar stereographic, Mercator): mass is
// conserved to round-off, and a uniform mixing ratio kept, in a swirl non-divergent on the sphere on cells whose areas vary with the map factor, and a run
// with open boundaries closes its books.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "config/config_parser.hpp"
#include "processes/advection.hpp"
#include "processes/mixing.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;
using lantian::test::Harness;
using lantian::test::WindXY;

namespace {

// Polar stereographic true at 60° N centred at 65° N, and Mercator true at 22.5° centred at 50° N:
// 30 × 24 cells of 20 km, where the map factor changes by several per cent across the domain.
GridConfig projected(Projection kind) {
    GridConfig g;
    g.projection = kind;
    g.truelat1 = kind == Projection::polar ? 60.0 : 22.5;
    g.stand_lon = 100.0;
    g.center_lon = 105.0;
    g.center_lat = kind == Projection::polar ? 65.0 : 50.0;
    g.nx = 30;
    g.ny = 24;
    g.dx_m = 20000.0;
    g.layer_faces_m = {0, 50, 150, 400, 1000};
    return g;
}

}  // namespace

TEST_CASE("Advection conserves mass and a uniform mixing ratio on polar stereographic and Mercator grids", "[property][projection]") {
    // A closed swirl that is non-divergent on the sphere: face winds from a stream function ψ
    // (m² s-1) that vanishes on the domain's edges, u = −Δψ/L on x-faces and v = +Δψ/L on y-faces
    // (Δψ between the face's ends, L its length on the sphere from the map factor), so every
    // cell's air-mass fluxes cancel exactly and nothing crosses the edges. Tracer mass can change
    // only by the scheme's own errors, and a uniform mixing ratio must stay uniform.
    for (const Projection kind : {Projection::polar, Projection::mercator}) {
        INFO(projection_name(kind));
        Harness h(projected(kind), 2);
        const Grid& g = h.grid;
        const auto& area = g.area_m2();
        const auto [lo, hi] = std::minmax_element(area.begin(), area.end());
        CHECK(*hi / *lo > 1.03);  // the cells do differ in area: the map factor matters
        const int nx = g.nx(), ny = g.ny();
        const double amplitude = 12.0 * ny * g.dy() / kPi;  // m² s-1: about 12 m s-1 at most
        auto psi = [&](int ci, int cj) {  // at cell corner (ci, cj), 0..nx × 0..ny
            return amplitude * std::pow(std::sin(kPi * ci / nx), 2) * std::pow(std::sin(kPi * cj / ny), 2);
        };
        MetState met = test::hand_made_met(g, 1.1, [](double, double, double) { return WindXY{0, 0}; }, 10.0);
        for (int k = 0; k < g.nz(); ++k) {
            for (int j = 0; j < ny; ++j)
                for (int f = 0; f <= nx; ++f) {
                    const std::size_t face = static_cast<std::size_t>(j) * (nx + 1) + f;
                    met.u_face_x_m_s[static_cast<std::size_t>(k) * ny * (nx + 1) + face] =
                        -(psi(f, j + 1) - psi(f, j)) / g.face_x_length_m()[face];
                }
            for (int f = 0; f <= ny; ++f)
                for (int i = 0; i < nx; ++i) {
                    const std::size_t face = static_cast<std::size_t>(f) * nx + i;
                    met.v_face_y_m_s[static_cast<std::size_t>(k) * (ny + 1) * nx + face] =
                        (psi(i + 1, f) - psi(i, f)) / g.face_y_length_m()[face];
                }
        }
        h.set_air_mass(met);
        std::mt19937 gen(11);
        std::uniform_real_distribution<double> d(0.0, 100.0);
        const std::size_t cells = g.cells();
        for (std::size_t c = 0; c < cells; ++c) {
            h.state.q[c] = static_cast<real>(d(gen));  // tracer 0: random
            h.state.q[cells + c] = 7.0f;               // tracer 1: uniform
        }
        BoundaryProfile none;
        none.surface_ug_m3.assign(2, 0.0);
        none.as_mixing_ratio = true;
        h.processes.push_back(std::make_unique<Advection>(g, 2, kernels::Reconstruction::ppm, BoundaryKind::open, 0.9, none));
        h.processes.push_back(std::make_unique<VerticalMixing>(g, 2, EmissionTable{}, std::vector<double>{0.0, 0.0}, true));
        const double m0 = h.mass_ug(0);
        for (int n = 0; n < 100; ++n) h.step(met, 900.0);  // Courant below 0.6
        const double rel = std::fabs(h.mass_ug(0) - m0) / m0;
        CAPTURE(rel);
        CHECK(rel < 1e-6);  // single-precision storage, as in the Cartesian box
        CHECK(*std::max_element(h.state.q.begin(), h.state.q.begin() + static_cast<std::ptrdiff_t>(cells)) < 99.0f);  // it moved
        const auto [qlo, qhi] = std::minmax_element(h.state.q.begin() + static_cast<std::ptrdiff_t>(cells), h.state.q.end());
        CHECK(*qlo == Approx(7.0).epsilon(1e-5));
        CHECK(*qhi == Approx(7.0).epsilon(1e-5));
    }
}

TEST_CASE("Runs on polar stereographic and Mercator grids close their mass books", "[property][projection]") {
    const std::string dir = test::scratch_dir("projection_runs");
    for (const char* name : {"polar_stereographic", "mercator"}) {
        INFO(name);
        const std::string ini = test::write_text_file(
            dir, std::string(name) + ".ini",
            std::string("[run]\nstart = 2026-01-10T00:00:00\nhours = 3\nmax_dt_s = 600\n"
                        "[grid]\nprojection = ") + name +
                "\nnx = 16\nny = 12\ndx_m = 12000\ncenter_lon = 105.0\ncenter_lat = 62.0\ntruelat1 = 60\n"
                "stand_lon = 100\nnz = 6\nfirst_layer_m = 30\ntop_m = 3000\n"
                "[met]\nsource = uniform\nspeed_m_s = 6\n"
                "[species]\nnames = SO2 PM25\nbackground_ug_m3 = SO2:5 PM25:10\n"
                "[output]\ninterval_h = 1\n");
        const Config cfg = load_config(ini);
        REQUIRE(projection_name(cfg.grid.projection) == name);
        Simulation sim(cfg);
        sim.run(false);
        const Ledger& l = sim.ledger();
        for (int s = 0; s < 2; ++s) {
            const double through = l[s].initial_kg + l[s].inflow_total_kg() + l[s].sources_kg();
            REQUIRE(through > 0);
            CHECK(std::abs(l[s].residual_kg()) <= 1e-7 * through);
            CHECK(l[s].inflow_total_kg() > 0);  // open boundaries: air came in and left
            CHECK(l[s].outflow_total_kg() > 0);
        }
        CHECK(sim.grid().projection().kind() == cfg.grid.projection);
    }
}
