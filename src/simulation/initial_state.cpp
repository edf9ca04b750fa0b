// Initial air mass and tracer fields; see the header.
#include "simulation/initial_state.hpp"

#include <cmath>
#include <map>

#include "chemistry/background_profiles.hpp"
#include "processes/process.hpp"

namespace lantian {

void fill_initial_state(const Config& cfg, const Grid& grid, const TracerLayout& layout, const MetState& met0, State& state) {
    kernels::air_mass_from_density(grid_views(grid, false), met0.rho_kg_m3.data(), state.air_mass_kg.data());
    state.air_mass_rev = 0;  // (new values, not known to any process)
    auto lookup = [](const std::map<std::string, double>& m, const std::string& key, double fallback) {
        const auto it = m.find(key);
        return it == m.end() ? fallback : it->second;
    };
    const std::size_t plane = grid.columns();
    // Tabulated background profiles (µg kg-1): the climatology (species.boundary_climatology) and, in
    // photochemical mode, the mechanism's table.
    const auto q_points = background_mixing_ratio_profiles(cfg, grid, layout.species);
    for (int s = 0; s < state.nspec; ++s) {
        const int phys = layout.species_of(s);
        const std::string& name = layout.species[static_cast<std::size_t>(phys)];
        const double surface = lookup(cfg.species.initial_ug_m3, name, lookup(cfg.species.background_ug_m3, name, 0.0));
        const bool uniform_given = cfg.species.initial_ug_m3.count(name) > 0;
        // Tags: the initial state belongs to the background tag (the last); the others start empty.
        const int block = layout.block_of(s);
        const bool tag = block >= layout.nscenarios();
        const bool background_tag = tag && block == layout.blocks() - 1;
        real* q = state.species(s);
        for (int k = 0; k < grid.nz(); ++k) {
            // Initial field: uniform when given explicitly, otherwise the background profile.
            const double c = uniform_given ? surface : surface * std::exp(-grid.z_center()[k] / cfg.species.background_scale_height_m);
            const auto& points = q_points[static_cast<std::size_t>(phys)];
            const bool tabulated = !uniform_given && !points.empty();
            const double q_tab = tabulated ? profile_ppb(points, grid.z_center()[k]) : 0.0;  // µg kg-1
            for (std::size_t col = 0; col < plane; ++col) {
                const std::size_t cell = k * plane + col;
                const double value = tabulated ? q_tab : c / met0.rho_kg_m3[cell];
                q[cell] = (tag && !background_tag) ? real(0) : static_cast<real>(value);
            }
        }
    }
}

}  // namespace lantian
