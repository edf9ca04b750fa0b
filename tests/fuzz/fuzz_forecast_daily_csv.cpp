// The forecast archive of a cycle, forecast_daily.csv, as `lantian verify` and the cycle's
// verification read it back (read_forecast_daily, src/forecast/forecast_archive.cpp), and the
// running verification.csv (read_verification_csv, src/forecast/verification.cpp).
#include "forecast/forecast_archive.hpp"
#include "forecast/verification.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lantian::fuzz::InputFile file("forecast_daily.csv");
    const std::string& path = file.write(data, size);
    const int a = lantian::fuzz::expect_config_error_only([&] { (void)lantian::read_forecast_daily(path); });
    const int b = lantian::fuzz::expect_config_error_only([&] { (void)lantian::read_verification_csv(path); });
    return a | b;
}
