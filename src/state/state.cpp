// State helpers: tracer masses and the diagnostic fields.
#include "state/state.hpp"

namespace lantian {

ExactSum State::tracer_mass_sum(int s, const kernels::Window& w) const {
    const real* qs = species(s);
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
    ExactSum total;
    for (int k = 0; k < nz; ++k)
        kernels::for_columns(w, nx, ny, [&](std::size_t col) {
            const std::size_t c = k * plane + col;
            total.add(air_mass_kg[c] * static_cast<double>(qs[c]));
        });
    return total;
}

double State::tracer_mass_ug(int s) const { return tracer_mass_sum(s, {}).to_double(); }

real* State::diagnostic(const std::string& name) {
    const auto it = diagnostics.find(name);
    return it == diagnostics.end() ? nullptr : it->second.data();
}

const real* State::diagnostic(const std::string& name) const {
    const auto it = diagnostics.find(name);
    return it == diagnostics.end() ? nullptr : it->second.data();
}

void State::add_diagnostic(const std::string& name, real fill) { diagnostics.try_emplace(name, field_size(), fill); }

}  // namespace lantian
