// The species table (species.table; configs/species.csv is the built-in one).
#include "state/species_properties.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    return fuzz::expect_config_error_only(
        [&] { (void)SpeciesPropertiesTable(fuzz::text(data, size), "fuzz_species.csv"); });
}
