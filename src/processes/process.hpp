// What every physical process sees in one time step, and the small base class they share
// (STYLE §7: a non-virtual step() for checks and bookkeeping, a virtual step_impl() for physics).
#pragma once

#include "flux_kernels.hpp"
#include "grid/grid.hpp"
#include "parallel/parallel.hpp"
#include "met/met_state.hpp"
#include "simulation/ledger.hpp"
#include "state/state.hpp"

namespace lantian {

struct StepContext {
    const Grid& grid;
    const MetState& met_mid;   // weather at t + Δt/2 (winds, mixing)
    const MetState& met_end;   // weather at t + Δt (air density the step must end on)
    double dt_s;
    long step_index;           // alternates the splitting order
    State& state;
    Ledger& ledger;
    double t_epoch_s = 0;      // start of the step, seconds since 1970 UTC (sun-dependent chemistry)
    const Parallel* par = nullptr;  // decomposition (nullptr: one rank, whole grid)
    const Parallel& parallel() const;
};

// Σ over the window's columns of a per-column field (ny*nx), added exactly.
void add_columns(ExactSum& sum, const double* per_column, int nx, int ny, const kernels::Window& w);

class Process {
public:
    virtual ~Process() = default;
    void step(StepContext& ctx) { step_impl(ctx); }
    virtual const char* name() const = 0;

protected:
    virtual void step_impl(StepContext& ctx) = 0;
};

kernels::GridViews grid_views(const Grid& g, bool periodic);

}  // namespace lantian
