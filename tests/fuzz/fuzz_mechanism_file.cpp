// A photochemical mechanism file (docs/mechanism-format.md): parsed, and when it parses, its rate
// constants evaluated at a cold and a warm state (every rate-law kind, with whatever parameters
// the input gives) and its nitrogen balance recomputed.
#include <sstream>
#include <vector>

#include "chemistry/mechanism_file.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    return fuzz::expect_config_error_only([&] {
        std::istringstream in(fuzz::text(data, size));
        const chem::Mechanism mech = chem::parse_mechanism(in, "fuzz.mech");
        const std::vector<double> j(mech.photolysis_names.size(), 1e-3);  // s-1
        std::vector<double> k(mech.reactions.size());
        for (const double t_k : {230.0, 310.0})
            chem::rate_constants(mech, t_k, 85000.0, 3e17, j.data(), k.data());
        for (const auto& r : mech.reactions) (void)chem::nitrogen_imbalance(mech, r);
    });
}
