// The point-stack inventory CSV ([inventory] points: id,name,sector,lon,lat,stack_height_m, …).
#include "emissions/inventory.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lantian::fuzz::InputFile file("points.csv");
    const std::string& path = file.write(data, size);
    return lantian::fuzz::expect_config_error_only([&] { (void)lantian::read_point_stacks(path); });
}
