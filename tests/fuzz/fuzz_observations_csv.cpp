// The observations of `lantian report --observations` (station,time,pollutant,value,unit).
#include "report/report.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lantian::fuzz::InputFile file("obs.csv");
    const std::string& path = file.write(data, size);
    return lantian::fuzz::expect_config_error_only([&] { (void)lantian::read_observations(path); });
}
