// Cost of the stiff chemistry solver (docs/chemistry-solver.md) per cell and transport step:
// the 14-species test mechanism of tests/support/photochem_box.hpp in N cells with varied initial
// concentrations, integrated over a 300 s step at noon and at night, with the run's default
// tolerances. With --mechanism, a mechanism file (docs/mechanism-format.md) and its photolysis table
// instead: rate constants at 298 K, 1013 hPa, 1.2% H2O, clear sky at cos χ = 1 (noon) and 0 (night),
// a polluted-urban start (O3 40, NO 5, NO2 15, CO 300, PAR 50, FORM 3, ETH 2, TOL 2, ISOP 1 ppb) spread
// over the cells, no emissions.
// Usage: lantian_chem_bench [--cells N] [--dt S] [--mechanism FILE --photolysis FILE]
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "chemistry/mechanism_file.hpp"
#include "chemistry/photolysis.hpp"
#include "chemistry/rosenbrock.hpp"
#include "support/photochem_box.hpp"

using namespace lantian;

int main(int argc, char** argv) {
    int ncells = 20000;
    double dt_s = 300;
    std::string mech_file, j_file;
    for (int a = 1; a + 1 < argc; ++a) {
        if (std::strcmp(argv[a], "--cells") == 0) ncells = std::atoi(argv[a + 1]);
        if (std::strcmp(argv[a], "--dt") == 0) dt_s = std::atof(argv[a + 1]);
        if (std::strcmp(argv[a], "--mechanism") == 0) mech_file = argv[a + 1];
        if (std::strcmp(argv[a], "--photolysis") == 0) j_file = argv[a + 1];
    }
    const test::PhotochemBox box = test::photochem_box();
    chem::Mechanism mech;
    chem::PhotolysisTable table;
    if (!mech_file.empty()) {
        mech = chem::read_mechanism_file(mech_file);
        table = chem::read_photolysis_table(j_file);
        chem::bind_to_mechanism(table, mech);
        std::printf("mechanism %s, photolysis %s\n", mech_file.c_str(), j_file.c_str());
    }
    const chem::ReactionSystem& system = mech_file.empty() ? box.system : mech.system;
    const int n = system.nspecies(), nr = system.nreactions();
    const chem::RosenbrockSolver solver(system, {});
    std::printf("chemistry solver: %d species, %d reactions, Jacobian %d nonzeros, LU %d (identity ordering %d)\n", n, nr,
                solver.jacobian_nonzeros(), solver.lu_nonzeros(), solver.lu_nonzeros_unordered());
    std::printf("%d cells, dt = %.0f s, %d OpenMP threads, rtol %.0e, atol %.0e molec cm-3\n", ncells, dt_s, omp_get_max_threads(),
                solver.options().rtol, solver.options().atol_molec_cm3);
    std::vector<double> c0 = box.initial();
    std::vector<double> e0 = box.emission();
    const double T_K = 298, p_Pa = 101325, M = chem::air_number_density(T_K, p_Pa);
    if (!mech_file.empty()) {
        c0.assign(static_cast<std::size_t>(n), 0.0);
        e0.assign(static_cast<std::size_t>(n), 0.0);
        const std::pair<const char*, double> ppb[] = {{"O3", 40}, {"NO", 5}, {"NO2", 15}, {"CO", 300}, {"PAR", 50},
                                                       {"FORM", 3}, {"ETH", 2}, {"TOL", 2}, {"ISOP", 1}};
        for (const auto& [name, v] : ppb) c0[static_cast<std::size_t>(mech.species[static_cast<std::size_t>(mech.find_species(name))].integrated_index)] = v * 1e-9 * M;
    }
    // Rate constants at the sun factor (test mechanism) or cos χ (mechanism file).
    auto rates = [&](double sun) {
        if (mech_file.empty()) return box.k(sun, true);
        std::vector<double> j(mech.photolysis_names.size()), k(static_cast<std::size_t>(nr));
        chem::PhotolysisInputs light;
        light.cos_zenith = sun;
        chem::photolysis_rates(table, light, j.data());
        chem::rate_constants(mech, T_K, p_Pa, 0.012 * M, j.data(), k.data());
        return k;
    };
    for (const double sun : {1.0, 0.0}) {
        std::vector<double> c(static_cast<std::size_t>(ncells) * n), k(static_cast<std::size_t>(ncells) * nr),
            e(static_cast<std::size_t>(ncells) * n);
        const std::vector<double> kk = rates(sun);
        for (int cell = 0; cell < ncells; ++cell) {
            const double f = 0.5 + (cell % 97) / 97.0;  // spread of concentrations and emissions
            for (int s = 0; s < n; ++s) {
                c[static_cast<std::size_t>(cell) * n + s] = c0[static_cast<std::size_t>(s)] * f;
                e[static_cast<std::size_t>(cell) * n + s] = e0[static_cast<std::size_t>(s)] * f;
            }
            for (int r = 0; r < nr; ++r) k[static_cast<std::size_t>(cell) * nr + r] = kk[static_cast<std::size_t>(r)];
        }
        chem::RosenbrockWorkspace ws;
        const std::vector<double> c_start = c;
        for (const bool carry : {false, true}) {
            // Spin up one hour (12 steps) so radicals sit at their steady state, then time 3 steps.
            c = c_start;
            std::vector<double> h_carry(static_cast<std::size_t>(ncells), 0.0);
            double* hc = carry ? h_carry.data() : nullptr;
            for (int i = 0; i < 12; ++i) solver.integrate(dt_s, ncells, c.data(), k.data(), e.data(), ws, nullptr, hc);
            double best = 1e300;
            long steps = 0;
            for (int rep = 0; rep < 3; ++rep) {
                const auto t0 = std::chrono::steady_clock::now();
                const chem::SolveStats st = solver.integrate(dt_s, ncells, c.data(), k.data(), e.data(), ws, nullptr, hc);
                best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
                steps = st.steps;
            }
            std::printf("  %-6s %-22s %8.3f ms per step  %7.2f us per cell-step  %5.2f internal steps per cell\n",
                        sun > 0 ? "noon" : "night", carry ? "step size carried" : "restart at h_start", best * 1e3,
                        best / ncells * 1e6, static_cast<double>(steps) / ncells);
        }
    }
    return 0;
}
