// The national network's daily wide files (read_observations_national,
// src/assimilation/observations.*). Input: the file; or a station list, a line "%%", then the file.
// Beyond "no crash" the harness checks the report's books (fuzz_observation_books.hpp).
#include "assimilation/observations.hpp"
#include "fuzz_observation_books.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    static fuzz::InputFile list_file("stations.csv"), day_file("china_sites.csv");
    const auto p = fuzz::parts(fuzz::text(data, size));
    const std::string& day = p.size() > 1 ? p[1] : p[0];
    const std::string& day_path = day_file.write(reinterpret_cast<const std::uint8_t*>(day.data()), day.size());
    return fuzz::expect_config_error_only([&] {
        std::vector<StationInfo> stations;
        if (p.size() > 1)
            stations = read_station_list(list_file.write(reinterpret_cast<const std::uint8_t*>(p[0].data()), p[0].size()));
        fuzz::check_observation_books(read_observations_national({day_path}, stations));
    });
}
