// The seasonal inflow climatology (species,season,height_m,value,unit; docs/boundary-climatology.md):
// the reader, then the mixing-ratio profiles of a linear run's species and O3 in every season, which
// must be finite, non-negative and at increasing heights.
#include <cmath>
#include <stdexcept>

#include "chemistry/background_profiles.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    static const SpeciesPropertiesTable table = SpeciesPropertiesTable::builtin();
    static const std::vector<std::string> run = {"SO2", "NO2", "CO", "PM25", "PMC", "NH3", "DUST", "SO4", "NO3", "NH4", "O3"};
    return fuzz::expect_config_error_only([&] {
        const BoundaryClimatology c = parse_boundary_climatology(fuzz::text(data, size), "fuzz_climatology.csv");
        for (BoundarySeason s : {BoundarySeason::winter, BoundarySeason::spring, BoundarySeason::summer, BoundarySeason::autumn}) {
            const auto q = climatology_mixing_ratio_profiles(c, s, run, table, 1000.0);
            for (const auto& points : q)
                for (std::size_t k = 0; k < points.size(); ++k) {
                    if (!(std::isfinite(points[k].second) && points[k].second >= 0.0))
                        throw std::logic_error("mixing ratio not finite or negative");
                    if (k > 0 && !(points[k].first > points[k - 1].first)) throw std::logic_error("heights not increasing");
                }
        }
    });
}
