// The state a run starts from: the air mass of the first weather snapshot and every tracer at its
// initial value (species.initial_ug_m3, uniform) or background profile c(z) = c_0 exp(−z/H). The
// base case's tags start empty except `background`, which holds the whole initial state.
#pragma once

#include "config/config.hpp"
#include "grid/grid.hpp"
#include "met/met_state.hpp"
#include "simulation/tracer_layout.hpp"
#include "state/state.hpp"

namespace lantian {

void fill_initial_state(const Config& cfg, const Grid& grid, const TracerLayout& layout, const MetState& met0, State& state);

}  // namespace lantian
