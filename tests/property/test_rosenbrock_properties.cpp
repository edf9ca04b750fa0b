// Properties of the stiff chemistry solver (docs/chemistry-solver.md): non-negative results with the
// clipped amount reported, N atoms conserved to round-off in a closed box, and results bit-identical
// for any grouping of cells into calls and batches and for 1 or 2 OpenMP threads.
#include <catch2/catch.hpp>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "chemistry/rosenbrock.hpp"
#include "support/photochem_box.hpp"

using namespace lantian;

namespace {

struct Cells {
    int ncells = 0;
    std::vector<double> c, k, e;
};

// ncells boxes of the test mechanism with random initial concentrations (0 to 3× the default, some
// species exactly 0), random sun and emission scaling.
Cells random_cells(const test::PhotochemBox& box, int ncells, unsigned seed, bool closed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    const int n = box.system.nspecies(), nr = box.system.nreactions();
    Cells out;
    out.ncells = ncells;
    const std::vector<double> c0 = box.initial(), e0 = box.emission();
    for (int cell = 0; cell < ncells; ++cell) {
        const double sun = u(rng) < 0.3 ? 0.0 : u(rng);
        const std::vector<double> k = box.k(sun, !closed);
        out.k.insert(out.k.end(), k.begin(), k.end());
        for (int s = 0; s < n; ++s) {
            const double f = u(rng) < 0.15 ? 0.0 : 3 * u(rng);
            out.c.push_back(c0[static_cast<std::size_t>(s)] * f + (s == box.index("NO") ? 20 * test::kPpb * u(rng) : 0.0));
            out.e.push_back(closed ? 0.0 : e0[static_cast<std::size_t>(s)] * 2 * u(rng));
        }
        (void)nr;
    }
    return out;
}

double nitrogen(const test::PhotochemBox& box, const double* c) {
    return c[box.index("NO")] + c[box.index("NO2")] + c[box.index("HNO3")] + c[box.index("PAN")];
}

}  // namespace

TEST_CASE("Rosenbrock solver: concentrations stay non-negative over 2 days, clipping reported", "[property]") {
    const test::PhotochemBox box = test::photochem_box();
    const int n = box.system.nspecies();
    Cells cells = random_cells(box, 40, 7u, false);
    const chem::RosenbrockSolver solver(box.system, {});
    chem::RosenbrockWorkspace ws;
    std::vector<double> clipped(cells.c.size());
    double clipped_total = 0;
    for (int step = 0; step < 2 * 24 * 12; ++step) {
        const chem::SolveStats st = solver.integrate(300, cells.ncells, cells.c.data(), cells.k.data(), cells.e.data(), ws, clipped.data());
        for (double v : clipped) REQUIRE(v >= 0);
        for (int s = 0; s < n; ++s) clipped_total += st.clipped_molec_cm3[static_cast<std::size_t>(s)];
        for (double v : cells.c) REQUIRE(v >= 0);
    }
    std::printf("positivity: molec cm-3 added by clipping over 2 days in 40 cells: %.3e\n", clipped_total);
}

TEST_CASE("Rosenbrock solver: total N conserved to round-off in a closed box (clipping booked)", "[property]") {
    const test::PhotochemBox box = test::photochem_box();
    const int n = box.system.nspecies();
    Cells cells = random_cells(box, 16, 11u, true);
    const chem::RosenbrockSolver solver(box.system, {});
    chem::RosenbrockWorkspace ws;
    std::vector<double> n0(static_cast<std::size_t>(cells.ncells)), added(static_cast<std::size_t>(cells.ncells), 0.0);
    for (int cell = 0; cell < cells.ncells; ++cell) n0[static_cast<std::size_t>(cell)] = nitrogen(box, &cells.c[static_cast<std::size_t>(cell) * n]);
    std::vector<double> clipped(cells.c.size());
    double worst = 0;
    for (int step = 0; step < 24 * 12; ++step) {
        solver.integrate(300, cells.ncells, cells.c.data(), cells.k.data(), nullptr, ws, clipped.data());
        for (int cell = 0; cell < cells.ncells; ++cell) {
            added[static_cast<std::size_t>(cell)] += nitrogen(box, &clipped[static_cast<std::size_t>(cell) * n]);
            const double now = nitrogen(box, &cells.c[static_cast<std::size_t>(cell) * n]);
            worst = std::max(worst, std::fabs(now - added[static_cast<std::size_t>(cell)] - n0[static_cast<std::size_t>(cell)]) / n0[static_cast<std::size_t>(cell)]);
        }
    }
    std::printf("N conservation over 1 day, closed box: worst relative drift %.2e\n", worst);
    CHECK(worst < 1e-12);
}

TEST_CASE("Rosenbrock solver: bit-identical for any batch composition and for 1 or 2 threads", "[property]") {
    const test::PhotochemBox box = test::photochem_box();
    const int n = box.system.nspecies(), nr = box.system.nreactions();
    const Cells start = random_cells(box, 37, 3u, false);  // 37: batches of 8 plus a padded one
    const chem::RosenbrockSolver solver(box.system, {});
    chem::RosenbrockWorkspace ws;
    auto run_all = [&](int threads) {
        omp_set_num_threads(threads);
        Cells c = start;
        std::vector<double> h(static_cast<std::size_t>(c.ncells), 0.0);  // step sizes carried between calls (s)
        for (int step = 0; step < 24; ++step) solver.integrate(300, c.ncells, c.c.data(), c.k.data(), c.e.data(), ws, nullptr, h.data());
        return c.c;
    };
    const int saved = omp_get_max_threads();
    const std::vector<double> one = run_all(1), two = run_all(2);
    omp_set_num_threads(saved);
    CHECK(std::memcmp(one.data(), two.data(), sizeof(double) * one.size()) == 0);

    // Each cell alone (lane 0 of a padded batch), and the cells in reversed order (other lanes, other batches).
    std::vector<double> alone = start.c, reversed(start.c.size()), rk(start.k.size()), re(start.e.size());
    for (int cell = 0; cell < start.ncells; ++cell) {
        double h = 0;
        for (int step = 0; step < 24; ++step)
            solver.integrate(300, 1, &alone[static_cast<std::size_t>(cell) * n], &start.k[static_cast<std::size_t>(cell) * nr],
                             &start.e[static_cast<std::size_t>(cell) * n], ws, nullptr, &h);
        const int to = start.ncells - 1 - cell;
        std::copy_n(&start.c[static_cast<std::size_t>(cell) * n], n, &reversed[static_cast<std::size_t>(to) * n]);
        std::copy_n(&start.e[static_cast<std::size_t>(cell) * n], n, &re[static_cast<std::size_t>(to) * n]);
        std::copy_n(&start.k[static_cast<std::size_t>(cell) * nr], nr, &rk[static_cast<std::size_t>(to) * nr]);
    }
    std::vector<double> hr(static_cast<std::size_t>(start.ncells), 0.0);
    for (int step = 0; step < 24; ++step) solver.integrate(300, start.ncells, reversed.data(), rk.data(), re.data(), ws, nullptr, hr.data());
    CHECK(std::memcmp(one.data(), alone.data(), sizeof(double) * one.size()) == 0);
    bool same = true;
    for (int cell = 0; cell < start.ncells; ++cell)
        same = same && std::memcmp(&one[static_cast<std::size_t>(cell) * n], &reversed[static_cast<std::size_t>(start.ncells - 1 - cell) * n],
                                   sizeof(double) * static_cast<std::size_t>(n)) == 0;
    CHECK(same);
}
