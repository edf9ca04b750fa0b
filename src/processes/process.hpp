// What every physical process sees in one time step, and the small base class they share: a
// non-virtual step() that does the bookkeeping (ledger terms bound by name) and a virtual
// step_impl() that does the physics. A process declares itself (ProcessInfo); the ledger, the
// budget output, the checkpoint layout and docs/architecture.md's process table follow from that.
// Processes know the grid, the weather, the state and the ledger — nothing of the run loop.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "flux_kernels.hpp"
#include "grid/grid.hpp"
#include "parallel/parallel.hpp"
#include "met/met_state.hpp"
#include "state/ledger.hpp"
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

// What a process is, as the rest of the program needs to know it.
struct ProcessInfo {
    std::string name;                   // "advection", "gravitational settling", ...
    std::string config_section;         // the [section] whose keys shape it ("" = none)
    std::vector<std::string> weather;   // MetState fields it reads, e.g. "u_face_x_m_s"
    std::vector<LedgerTerm> ledger_terms;  // the terms it books, in the order it books them
    // State it carries from one step to the next and so must be checkpointed (none today: every
    // process recomputes what it needs from the state and the weather each step).
    std::vector<std::string> checkpointed;
};

// Σ over the window's columns of a per-column field (ny*nx), added exactly.
void add_columns(ExactSum& sum, const double* per_column, int nx, int ny, const kernels::Window& w);
// The same for `count` fields at once (sums[n] gets fields[n]), in one parallel region: a region per
// field cost about as much as the additions (20 fields of the reference run's vertical mixing).
void add_columns(ExactSum* sums, const double* const* fields, int count, int nx, int ny, const kernels::Window& w);

class Process {
public:
    virtual ~Process() = default;
    // Binds the declared ledger terms (declaring them in ctx.ledger if a harness did not), then steps.
    void step(StepContext& ctx);
    virtual ProcessInfo info() const = 0;
    std::string name() const { return info().name; }
    // One line for the end of a run (statistics of the process); "" = nothing to say.
    virtual std::string summary() const { return ""; }
    // Declares this process's terms in `ledger` and remembers their ids.
    void bind(Ledger& ledger);

protected:
    virtual void step_impl(StepContext& ctx) = 0;
    // Ledger id of the n-th declared term (valid inside step_impl).
    int term(std::size_t n) const { return term_ids_[n]; }

private:
    const Ledger* bound_ = nullptr;
    std::vector<int> term_ids_;
};

kernels::GridViews grid_views(const Grid& g, bool periodic);

// Weather work done only where the weather changed: what a process derives from the weather (face
// mass fluxes, conductances, exchange coefficients) it recomputes only when the revisions of the
// met fields it reads (MetState::revision) or its other arguments (Δt, a window) changed.
// unchanged(...) is true when the key equals that of the last call that returned false (the
// caller's arrays still hold what it computed then); a key holding an unknown revision (0) is
// never unchanged. Exact: the cached values are those a recomputation would give.
class WeatherCache {
public:
    bool unchanged(std::initializer_list<std::uint64_t> revisions, std::initializer_list<double> args);
    void forget() { valid_ = false; }

private:
    std::vector<std::uint64_t> revisions_;
    std::vector<double> args_;
    bool valid_ = false;
};

}  // namespace lantian
