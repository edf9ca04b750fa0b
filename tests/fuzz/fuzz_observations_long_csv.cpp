// The lenient long-format observations of the forecast cycle (read_observations_long,
// src/assimilation/observations.*): bad rows are skipped and counted, so beyond "no crash" the
// harness checks the report's books (fuzz_observation_books.hpp).
#include "assimilation/observations.hpp"
#include "fuzz_observation_books.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lantian::fuzz::InputFile file("obs_long.csv");
    const std::string& path = file.write(data, size);
    return lantian::fuzz::expect_config_error_only(
        [&] { lantian::fuzz::check_observation_books(lantian::read_observations_long(path)); });
}
