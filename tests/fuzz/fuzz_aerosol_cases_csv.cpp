// The cases file of `lantian aerosol-equilibrium` (read_aerosol_box_cases, src/chemistry/
// aerosol_box.*), then the CSV of the first cases it accepts (each solved by the equilibrium kernel
// on both branches: the sanitizers watch the solver on whatever the reader lets through).
// Not checked here yet: finite, non-negative amounts. Cells with almost no sulfate (1e-6 µg m-3)
// give NaN today (reported with issue 18); add the check with the fix.
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
    });
}
