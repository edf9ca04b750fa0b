// The stiff chemistry solver against exact answers and an independent integrator
// (docs/chemistry-solver.md): photostationary state, NO titration, SUNDIALS CVODE (BDF) on the
// 14-species test mechanism over 3 days of hourly diurnal photolysis with emissions, and the
// observed order of the method at fixed steps.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

#include "chemistry/rosenbrock.hpp"
#include "support/cvode_reference.hpp"
#include "support/photochem_box.hpp"

using namespace lantian;

namespace {

chem::ReactionSystem nox_box() {
    chem::ReactionSystem s;
    s.species = {"NO", "NO2", "O3"};
    s.reactions.push_back({"NO2 + hv -> NO + O3", {1}, {{0, 1}, {2, 1}}});
    s.reactions.push_back({"NO + O3 -> NO2", {0, 2}, {{1, 1}}});
    return s;
}

}  // namespace

TEST_CASE("Rosenbrock solver: NO-NO2-O3 reaches the photostationary state [NO][O3]/[NO2] = j/k", "[convergence]") {
    const double j = 8e-3, kk = 1.8e-14;  // s-1, cm3 molec-1 s-1
    const chem::RosenbrockSolver solver(nox_box(), {1e-4, 1e3, 1e-6, 20000, 10, 0});
    std::vector<double> c = {5 * test::kPpb, 20 * test::kPpb, 30 * test::kPpb};
    const std::vector<double> k = {j, kk};
    chem::RosenbrockWorkspace ws;
    for (int step = 0; step < 12; ++step) solver.integrate(300, 1, c.data(), k.data(), nullptr, ws);
    const double ratio = c[0] * c[2] / c[1] / (j / kk);
    std::printf("photostationary state: [NO][O3]/[NO2] / (j/k) - 1 = %.3e\n", ratio - 1);
    CHECK(std::fabs(ratio - 1) < 1e-3);
    // NOx and Ox = O3 + NO2 are conserved by this cycle.
    CHECK(c[0] + c[1] == Approx(25 * test::kPpb).epsilon(1e-12));
    CHECK(c[1] + c[2] == Approx(50 * test::kPpb).epsilon(1e-12));
}

TEST_CASE("Rosenbrock solver: dark NO titration follows the second-order analytic solution", "[convergence]") {
    // d[NO]/dt = −k [NO][O3] with a0 = [NO]0 ≠ b0 = [O3]0: after x has reacted,
    //   (a0 − x)/(b0 − x) = (a0/b0) e^{(a0 − b0) k t},  so  x = (a0 − R b0)/(1 − R).
    const double kk = 1.8e-14, a0 = 20 * test::kPpb, b0 = 50 * test::kPpb;
    const chem::RosenbrockSolver solver(nox_box(), {1e-6, 1e2, 1e-6, 20000, 10, 0});
    std::vector<double> c = {a0, 0, b0};
    const std::vector<double> k = {0, kk};
    chem::RosenbrockWorkspace ws;
    double worst = 0;
    for (int step = 1; step <= 24; ++step) {
        solver.integrate(300, 1, c.data(), k.data(), nullptr, ws);
        const double t = 300.0 * step;
        const double R = a0 / b0 * std::exp((a0 - b0) * kk * t);
        const double x = (a0 - R * b0) / (1 - R);
        // Errors relative to the initial NO (a0 − x itself decays to ~1e-30 of a0 by the end).
        worst = std::max({worst, std::fabs(c[0] - (a0 - x)) / a0, std::fabs(c[2] - (b0 - x)) / a0, std::fabs(c[1] - x) / a0});
    }
    std::printf("titration: max error over 2 h (relative to [NO]0) = %.3e\n", worst);
    CHECK(worst < 1e-5);
}

TEST_CASE("Rosenbrock solver agrees with CVODE (BDF) on a stiff photochemical box over 3 days", "[convergence]") {
    const test::PhotochemBox box = test::photochem_box();
    const int n = box.system.nspecies();
    const chem::RosenbrockSolver solver(box.system, {});  // the run's default tolerances
    test::Cvode cvode(box.system, 1e-10, 1e-3);
    // Twice: each 300 s call starting from h_start, and with each cell's step size carried over.
    for (const bool carry : {false, true}) {
        std::vector<double> c = box.initial(), ref = c;
        double h_carry = 0;  // s
        const std::vector<double> e = box.emission();
        chem::RosenbrockWorkspace ws;
        double worst_rel = 0, max_rel = 0;  // max_rel: largest |c/ref − 1| of species above 0.05 ppb, any hour
        int worst_species = -1, worst_hour = -1;
        for (int hour = 0; hour < 72; ++hour) {
            const std::vector<double> k = box.k(test::sun_factor(hour), true);
            for (int step = 0; step < 12; ++step) solver.integrate(300, 1, c.data(), k.data(), e.data(), ws, nullptr, carry ? &h_carry : nullptr);
            cvode.integrate(3600, ref, k, e);
            for (int s = 0; s < n; ++s) {
                const double dev = std::fabs(c[static_cast<std::size_t>(s)] - ref[static_cast<std::size_t>(s)]);
                const double allowed = std::max(0.01 * std::fabs(ref[static_cast<std::size_t>(s)]), 0.05 * test::kPpb);
                const double rel = dev / allowed;  // 1 = at the tolerance
                if (rel > worst_rel) {
                    worst_rel = rel;
                    worst_species = s;
                    worst_hour = hour;
                }
                CHECK(dev <= allowed);
                if (ref[static_cast<std::size_t>(s)] > 0.05 * test::kPpb) max_rel = std::max(max_rel, dev / ref[static_cast<std::size_t>(s)]);
            }
        }
        std::printf("CVODE comparison (%s): worst deviation = %.2e of the allowed (1%% or 0.05 ppb), %s at hour %d; largest relative "
                    "deviation of a species above 0.05 ppb over the 72 hours = %.2e\n",
                    carry ? "step size carried between calls" : "each call from h_start", worst_rel, box.system.species[static_cast<std::size_t>(worst_species)].c_str(), worst_hour + 1, max_rel);
    }
}

TEST_CASE("Rosenbrock solver: observed order at fixed steps is the method's order 3", "[convergence]") {
    // Errors at T = 200 s against CVODE (rtol 1e-12) for fixed steps T/N; order = log2(e_N / e_2N).
    const chem::ReactionSystem sys = nox_box();
    const std::vector<double> k = {8e-3, 1.8e-14};
    const std::vector<double> c0 = {5 * test::kPpb, 40 * test::kPpb, 30 * test::kPpb};
    const double T = 200;
    std::vector<double> ref = c0;
    {
        test::Cvode cv(sys, 1e-12, 1e-2);
        cv.integrate(T, ref, k, {});
    }
    std::vector<double> errors;
    for (int N : {8, 16, 32, 64}) {
        const chem::RosenbrockSolver solver(sys, {1e-3, 1e3, 1e-9, 100000, 10, T / N});
        std::vector<double> c = c0;
        chem::RosenbrockWorkspace ws;
        solver.integrate(T, 1, c.data(), k.data(), nullptr, ws);
        double err = 0;
        for (int s = 0; s < 3; ++s) err = std::max(err, std::fabs(c[static_cast<std::size_t>(s)] - ref[static_cast<std::size_t>(s)]) / ref[static_cast<std::size_t>(s)]);
        errors.push_back(err);
    }
    for (std::size_t i = 0; i + 1 < errors.size(); ++i) {
        const double order = std::log2(errors[i] / errors[i + 1]);
        std::printf("fixed steps T/%d -> T/%d: errors %.3e -> %.3e, observed order %.2f\n", 8 << i, 16 << i, errors[i], errors[i + 1], order);
        if (i + 2 == errors.size()) CHECK(order == Approx(3.0).margin(0.3));
    }
}
