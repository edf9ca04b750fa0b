// Station lists (read_station_list, src/assimilation/observations.*): Lantian's header
// code,name,city,lon,lat or the national list's Chinese header.
#include "assimilation/observations.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lantian::fuzz::InputFile file("stations.csv");
    const std::string& path = file.write(data, size);
    return lantian::fuzz::expect_config_error_only([&] { (void)lantian::read_station_list(path); });
}
