// State helpers: tracer masses and the diagnostic fields.
#include "state/state.hpp"

namespace lantian {

ExactSum State::tracer_mass_sum(int s, const kernels::Window& w) const {
    const real* qs = species(s);
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
    ExactSum total;
    // Row by row (every layer's), on every thread.
    const int j0 = w.j0, rows = w.j_end(ny) - j0, i0 = w.i0, i1 = w.i_end(nx);
    add_parallel(total, nz * rows, [&](int r, ExactSum& part) {
        const std::size_t row = (r / rows) * plane + static_cast<std::size_t>(j0 + r % rows) * nx;
        for (int i = i0; i < i1; ++i) part.add(air_mass_kg[row + i] * static_cast<double>(qs[row + i]));
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
