// The temporal-profile CSV (sector,profile,index,factor): the table, then the hourly fractions it
// gives (normalised per local year), which every run step asks for.
#include <cmath>

#include "emissions/temporal_profiles.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    return fuzz::expect_config_error_only([&] {
        const TemporalProfiles p(parse_csv_text(fuzz::text(data, size), "fuzz_profiles.csv"));
        constexpr long long kJan2024Hour = 473352;  // 2024-01-01T00 UTC in hours since 1970
        for (int s = 0; s < kInventorySectors; ++s) {
            const double f = p.hourly_fraction(s, kJan2024Hour + 37 * s);
            if (!(f >= 0.0 && f <= 1.0)) throw std::logic_error("hourly fraction outside [0, 1]");
        }
    });
}
