// The speciation CSV (sector,pollutant,species,fraction).
#include "emissions/speciation.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    return fuzz::expect_config_error_only(
        [&] { (void)Speciation(parse_csv_text(fuzz::text(data, size), "fuzz_speciation.csv")); });
}
