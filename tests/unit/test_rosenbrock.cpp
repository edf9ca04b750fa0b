// Unit tests of the stiff chemistry solver's set-up and failure paths (docs/chemistry-solver.md).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "chemistry/rosenbrock.hpp"
#include "support/photochem_box.hpp"

using namespace lantian;

TEST_CASE("Rosenbrock solver: the Markowitz ordering gives a valid LU pattern no larger than the identity's", "[unit]") {
    const test::PhotochemBox box = test::photochem_box();
    const chem::RosenbrockSolver solver(box.system, {});
    const int n = box.system.nspecies();
    std::vector<int> seen(static_cast<std::size_t>(n), 0);
    for (int s : solver.species_order()) ++seen[static_cast<std::size_t>(s)];
    for (int v : seen) CHECK(v == 1);
    CHECK(solver.lu_nonzeros() >= solver.jacobian_nonzeros());
    CHECK(solver.lu_nonzeros() <= solver.lu_nonzeros_unordered());
    std::printf("test mechanism: Jacobian %d nonzeros, LU %d with Markowitz ordering, %d without (dense %d)\n",
                solver.jacobian_nonzeros(), solver.lu_nonzeros(), solver.lu_nonzeros_unordered(), n * n);
}

TEST_CASE("Rosenbrock solver: first-order decay A -> 2 B and a zero-order source are integrated accurately", "[unit]") {
    chem::ReactionSystem s;
    s.species = {"A", "B"};
    s.reactions.push_back({"A -> 2 B", {0}, {{1, 2.0}}});
    s.reactions.push_back({"-> A", {}, {{0, 1.0}}});
    const chem::RosenbrockSolver solver(s, {1e-6, 1e-3, 1e-9, 10000, 1, 0});
    const double k = 1e-3, p = 1e6;  // s-1, molec cm-3 s-1
    std::vector<double> c = {1e10, 0};
    const std::vector<double> kk = {k, p};
    chem::RosenbrockWorkspace ws;
    solver.integrate(1000, 1, c.data(), kk.data(), nullptr, ws);
    // A(t) = A0 e^{−kt} + (p/k)(1 − e^{−kt}); B = 2 (A0 + p t − A)
    const double a = 1e10 * std::exp(-1.0) + p / k * (1 - std::exp(-1.0));
    CHECK(c[0] == Approx(a).epsilon(1e-5));
    CHECK(c[1] == Approx(2 * (1e10 + p * 1000 - a)).epsilon(1e-5));
}

TEST_CASE("Rosenbrock solver: a cell that cannot be integrated is reported with its index and species", "[unit]") {
    const test::PhotochemBox box = test::photochem_box();
    const int n = box.system.nspecies(), nr = box.system.nreactions();
    // max_steps 2: the stiff noon chemistry of a 300 s step cannot finish in 2 attempts.
    const chem::RosenbrockSolver solver(box.system, {1e-3, 1e5, 1e-6, 2, 10, 0});
    std::vector<double> c, k;
    for (int cell = 0; cell < 3; ++cell) {
        const std::vector<double> c0 = box.initial(), k0 = box.k(1.0, true);
        c.insert(c.end(), c0.begin(), c0.end());
        k.insert(k.end(), k0.begin(), k0.end());
    }
    chem::RosenbrockWorkspace ws;
    try {
        solver.integrate(300, 3, c.data(), k.data(), nullptr, ws);
        FAIL("no error");
    } catch (const chem::ChemistrySolverError& e) {
        REQUIRE(e.stats().failures.size() == 3);
        CHECK(e.stats().failures[0].cell == 0);
        CHECK(e.stats().failures[2].cell == 2);
        CHECK(e.stats().failures[0].species >= 0);
        CHECK(e.stats().failures[0].species < n);
        CHECK(std::string(e.what()).find("cell 0 (") != std::string::npos);
    }
    (void)nr;
    chem::SolverOptions bad;
    bad.rtol = 0;
    CHECK_THROWS_AS(chem::RosenbrockSolver(box.system, bad), std::invalid_argument);
}

TEST_CASE("Rosenbrock solver: a small negative is clipped and booked, a large one fails the step", "[unit]") {
    // A -> B with k h = 1000 in one fixed step: Rodas3's stability function R(−1000) = −0.0026454…
    // (stiffly accurate, R(−∞) = 0), so A becomes −0.0026 A0 and B = A0 − A (a linear invariant).
    chem::ReactionSystem s;
    s.species = {"A", "B"};
    s.reactions.push_back({"A -> B", {0}, {{1, 1.0}}});
    const std::vector<double> k = {1.0};  // s-1
    const double a0 = 1e6;                // molec cm-3
    chem::RosenbrockWorkspace ws;
    {
        // threshold atol + rtol A0 = 1.1e4 > 2645: clipped to zero, the amount returned
        chem::SolverOptions o;
        o.atol_molec_cm3 = 1e4;
        o.fixed_step_s = 1000;
        const chem::RosenbrockSolver solver(s, o);
        std::vector<double> c = {a0, 0}, clipped(2);
        const chem::SolveStats st = solver.integrate(1000, 1, c.data(), k.data(), nullptr, ws, clipped.data());
        CHECK(c[0] == 0.0);
        CHECK(clipped[0] == Approx(0.0026454236863 * a0).epsilon(1e-6));
        CHECK(clipped[1] == 0.0);
        CHECK(st.clipped_molec_cm3[0] == clipped[0]);
        CHECK(c[0] + c[1] == Approx(a0 + clipped[0]).epsilon(1e-12));  // the clipped amount is all that was created
    }
    {
        // threshold 1 + 1e3 < 2645: a failed step; with fixed steps the cell is reported
        chem::SolverOptions o;
        o.atol_molec_cm3 = 1;
        o.fixed_step_s = 1000;
        const chem::RosenbrockSolver solver(s, o);
        std::vector<double> c = {a0, 0};
        try {
            solver.integrate(1000, 1, c.data(), k.data(), nullptr, ws);
            FAIL("no error");
        } catch (const chem::ChemistrySolverError& e) {
            REQUIRE(e.stats().failures.size() == 1);
            CHECK(e.stats().failures[0].species_name == "A");
        }
        CHECK(c[0] == a0);  // left at the last accepted time
    }
    {
        // adaptive: the same first step (h_start = dt) is rejected and retried smaller
        chem::SolverOptions o;
        o.atol_molec_cm3 = 1;
        o.h_start_s = 1000;
        const chem::RosenbrockSolver solver(s, o);
        std::vector<double> c = {a0, 0};
        const chem::SolveStats st = solver.integrate(1000, 1, c.data(), k.data(), nullptr, ws);
        CHECK(st.rejected >= 1);
        CHECK(c[0] >= 0.0);
        CHECK(c[0] + c[1] == Approx(a0 + st.clipped_molec_cm3[0]).epsilon(1e-12));
    }
}

TEST_CASE("Rosenbrock methods: observed order 3 for Rodas3 and 2 for ROS2 on A -> B", "[unit]") {
    // dA/dt = −k A, k = 1 s-1, A(0) = 1e6, to t = 2 s with fixed steps h and h/2: the error ratio is 2^p.
    chem::ReactionSystem s;
    s.species = {"A", "B"};
    s.reactions.push_back({"A -> B", {0}, {{1, 1.0}}});
    const std::vector<double> k = {1.0};
    chem::RosenbrockWorkspace ws;
    auto error = [&](chem::RosenbrockMethod method, double h) {
        chem::SolverOptions o;
        o.method = method;
        o.fixed_step_s = h;
        const chem::RosenbrockSolver solver(s, o);
        std::vector<double> c = {1e6, 0};
        solver.integrate(2.0, 1, c.data(), k.data(), nullptr, ws);
        return std::fabs(c[0] - 1e6 * std::exp(-2.0));
    };
    const double rodas3 = error(chem::RosenbrockMethod::rodas3, 0.2) / error(chem::RosenbrockMethod::rodas3, 0.1);
    const double ros2 = error(chem::RosenbrockMethod::ros2, 0.2) / error(chem::RosenbrockMethod::ros2, 0.1);
    CAPTURE(rodas3, ros2);
    CHECK(std::log2(rodas3) == Approx(3.0).margin(0.35));
    CHECK(std::log2(ros2) == Approx(2.0).margin(0.35));
}
