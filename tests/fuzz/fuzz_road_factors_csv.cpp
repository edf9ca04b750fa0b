// The road emission-factor CSV ([inventory] road_factors: vehicle_class,road_class,<P>_g_km …).
#include "emissions/inventory.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lantian::fuzz::InputFile file("road_factors.csv");
    const std::string& path = file.write(data, size);
    return lantian::fuzz::expect_config_error_only([&] { (void)lantian::read_road_factors(path); });
}
