// State helpers.
#include "state/state.hpp"

namespace lantian {

double State::tracer_mass_ug(int s) const {
    const real* qs = species(s);
    const std::size_t n = field_size();
    double total = 0.0;
    for (std::size_t c = 0; c < n; ++c) total += air_mass_kg[c] * static_cast<double>(qs[c]);
    return total;
}

}  // namespace lantian
