// The receptor grammar: lines before "%%" are receptors.stations items (NAME:lon:lat), lines after
// it receptors.cities items (NAME:lon:lat:radius_km or NAME:lon/lat;lon/lat;…).
#include "config/receptor_spec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    const auto p = fuzz::parts(fuzz::text(data, size));
    ReceptorsConfig cfg;
    cfg.stations = fuzz::lines(p[0]);
    for (std::size_t i = 1; i < p.size(); ++i)
        for (auto& l : fuzz::lines(p[i])) cfg.cities.push_back(std::move(l));
    return fuzz::expect_config_error_only([&] { (void)parse_receptor_specs(cfg); });
}
