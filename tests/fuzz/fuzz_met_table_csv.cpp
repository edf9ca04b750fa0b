// The surface-layer table (met.table: time,speed_m_s,direction_deg,mo_length_m,pblh_m[,ustar_m_s])
// for a 6-hour run from 2024-01-10T00:00:00 UTC.
#include "met/surface_table.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    constexpr double kStart = 1704844800.0;  // 2024-01-10T00:00:00 UTC
    static fuzz::InputFile file("met_table.csv");
    const std::string& path = file.write(data, size);
    return fuzz::expect_config_error_only([&] { (void)read_surface_table(path, kStart, 6 * 3600.0); });
}
