// The books every lenient observation read must keep, checked by the observation harnesses: each
// candidate value in exactly one bucket (values = accepted + skipped), and every accepted value
// finite, non-negative, within its pollutant's cap and unique per station, pollutant and hour
// (sorted). A violation throws std::logic_error, which libFuzzer reports as a finding.
#pragma once

#include <cmath>
#include <stdexcept>
#include <tuple>

#include "assimilation/observations.hpp"

namespace lantian::fuzz {

inline void check_observation_books(const ObservationSet& s) {
    const auto& r = s.report;
    if (r.values != r.accepted + r.skipped_total()) throw std::logic_error("values != accepted + skipped");
    if (r.accepted != static_cast<long>(s.observations.size())) throw std::logic_error("accepted != observations");
    for (std::size_t k = 0; k < s.observations.size(); ++k) {
        const Observation& o = s.observations[k];
        if (!(std::isfinite(o.value) && o.value >= 0 && o.value <= observation_cap(o.pollutant)))
            throw std::logic_error("accepted value outside [0, cap]");
        if (k > 0) {
            const Observation& p = s.observations[k - 1];
            if (!(std::tie(p.station, p.pollutant, p.epoch_s) < std::tie(o.station, o.pollutant, o.epoch_s)))
                throw std::logic_error("observations not sorted or not unique");
        }
    }
}

}  // namespace lantian::fuzz
