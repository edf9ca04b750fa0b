// State helpers.
#include "state/state.hpp"

namespace lantian {

ExactSum State::tracer_mass_sum(int s, const kernels::Window& w) const {
    const real* qs = species(s);
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
    ExactSum total;
    for (int k = 0; k < nz; ++k)
        for (int j = w.j0; j < w.j_end(ny); ++j)
            for (int i = w.i0; i < w.i_end(nx); ++i) {
                const std::size_t c = k * plane + static_cast<std::size_t>(j) * nx + i;
                total.add(air_mass_kg[c] * static_cast<double>(qs[c]));
            }
    return total;
}

double State::tracer_mass_ug(int s) const { return tracer_mass_sum(s, {}).to_double(); }

}  // namespace lantian
