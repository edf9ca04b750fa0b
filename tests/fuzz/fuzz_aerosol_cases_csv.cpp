// The cases file of `lantian aerosol-equilibrium` (read_aerosol_box_cases, src/chemistry/
// aerosol_box.*), then the CSV of the first cases it accepts (each solved by the equilibrium kernel
// on both branches: the sanitizers watch the solver on whatever the reader lets through).
// Every solve must give finite, non-negative amounts that conserve total ammonia and nitrate
// (cells with almost no sulfate once gave NaN: the corpus keeps them).
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "chemistry/aerosol_box.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    static fuzz::InputFile file("cases.csv");
    const std::string& path = file.write(data, size);
    return fuzz::expect_config_error_only([&] {
        std::vector<AerosolBoxCase> cases = read_aerosol_box_cases(path);
        if (cases.size() > 8) cases.resize(8);  // the reader is the target: a few solves per input
        std::ostringstream out;
        write_aerosol_box(out, cases, kernels::AerosolBranch::stable);
        write_aerosol_box(out, cases, kernels::AerosolBranch::metastable);
        for (const AerosolBoxCase& c : cases)
            for (auto b : {kernels::AerosolBranch::stable, kernels::AerosolBranch::metastable}) {
                const kernels::EquilibriumInput in = aerosol_box_input(c);
                kernels::EquilibriumResult r;
                kernels::solve_equilibrium(in, b, r);
                const double amounts[] = {r.nh3_gas_mol_m3, r.hno3_gas_mol_m3, r.nh4_mol_m3, r.no3_mol_m3, r.water_kg_m3};
                for (double v : amounts)
                    if (!std::isfinite(v) || v < 0) std::abort();
                const double ta = in.nh3_total_mol_m3, tn = in.hno3_total_mol_m3;
                if (std::abs(r.nh3_gas_mol_m3 + r.nh4_mol_m3 - ta) > 1e-12 * ta + 1e-300) std::abort();
                if (std::abs(r.hno3_gas_mol_m3 + r.no3_mol_m3 - tn) > 1e-12 * tn + 1e-300) std::abort();
            }
    });
}
