// The constant-rate source CSVs ([sources] points: id,name,lon,lat,height_m,<SPECIES>_g_s …; areas:
// id,name,lon_min,lat_min,lon_max,lat_max,<SPECIES>_g_s …): the same bytes to both readers.
#include "emissions/sources.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    static const std::vector<std::string> species = {"SO2", "NO2", "CO", "PM25", "PMC"};
    static fuzz::InputFile file("sources.csv");
    const std::string& path = file.write(data, size);
    fuzz::expect_config_error_only([&] { (void)read_point_sources(path, species); });
    return fuzz::expect_config_error_only([&] { (void)read_area_sources(path, species); });
}
