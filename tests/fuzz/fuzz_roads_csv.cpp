// The road-link CSV ([inventory] roads: id,name,road_class,path,vkt_<class>_km_day …) against the
// road factors shipped with the Baotou inventory (read once; classes car, bus, … and road classes).
#include "emissions/inventory.hpp"
#include "fuzz_support.hpp"

#ifndef LANTIAN_SOURCE_DIR
#error "LANTIAN_SOURCE_DIR is set by tests/fuzz/CMakeLists.txt"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const lantian::RoadFactorTable factors =
        lantian::read_road_factors(LANTIAN_SOURCE_DIR "/configs/inventories/baotou/road_factors.csv");
    static lantian::fuzz::InputFile file("roads.csv");
    const std::string& path = file.write(data, size);
    return lantian::fuzz::expect_config_error_only([&] { (void)lantian::read_road_links(path, factors); });
}
