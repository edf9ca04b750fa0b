// regions.areas (one item a line: NAME:lon:lat:radius_km or NAME:lon/lat;lon/lat;…), then which
// area holds a few places and a road (point-in-circle and point-in-polygon tests).
#include "scenarios/regions.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    RegionsConfig cfg;
    cfg.areas = fuzz::lines(fuzz::text(data, size));
    return fuzz::expect_config_error_only([&] {
        const RegionSet regions(cfg);
        for (const LonLat& p : {LonLat{109.84, 40.65}, LonLat{111.7, 40.8}, LonLat{0, 0}, LonLat{-180, 90}})
            (void)regions.region_of(p.lon_deg, p.lat_deg);
        (void)regions.region_of(std::vector<LonLat>{{109.8, 40.6}, {110.0, 40.7}});
        (void)regions.region_of(std::vector<LonLat>{});
    });
}
