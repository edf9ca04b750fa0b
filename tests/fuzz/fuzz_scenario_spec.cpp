// One scenarios.runs item per line (NAME:LIST.csv:LEVEL).
#include "config/scenario_spec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    for (const std::string& item : fuzz::lines(fuzz::text(data, size)))
        fuzz::expect_config_error_only([&] { (void)parse_scenario_spec(item); });
    return 0;
}
