// The gridded area-sector CSV ([inventory] areas: sector,lon,lat,dlon,dlat,<P>_t_yr …).
#include "emissions/inventory.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lantian::fuzz::InputFile file("areas.csv");
    const std::string& path = file.write(data, size);
    return lantian::fuzz::expect_config_error_only([&] { (void)lantian::read_area_csv(path); });
}
