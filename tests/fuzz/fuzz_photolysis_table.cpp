// A photolysis table (docs/photolysis.md): parsed, and when it parses, every mapped J evaluated at
// a high and a low sun with clouds and snow.
#include <sstream>
#include <vector>

#include "chemistry/photolysis.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    return fuzz::expect_config_error_only([&] {
        std::istringstream in(fuzz::text(data, size));
        const chem::PhotolysisTable table = chem::parse_photolysis_table(in, "fuzz_photolysis.txt");
        for (std::size_t m = 0; m < table.map.size(); ++m)
            for (const double cos_zenith : {0.95, 0.05}) (void)chem::clear_sky_rate(table, static_cast<int>(m), cos_zenith);
        chem::PhotolysisInputs inputs;
        inputs.cos_zenith = 0.7;
        inputs.cloud_fraction = 0.5;
        inputs.cloud_optical_depth = 10;
        (void)chem::cloud_factor(inputs);
        (void)chem::albedo_factor(0.8);
    });
}
