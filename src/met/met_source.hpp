// Where weather comes from. A MetSource fills a MetState for a time; MetTimeline turns a source's
// snapshots (every interval_s) into the state at any time by linear interpolation.
#pragma once

#include <cmath>
#include <memory>

#include "config/config.hpp"
#include "met/met_state.hpp"

namespace lantian {

class Grid;

class MetSource {
public:
    virtual ~MetSource() = default;
    // Weather at t_s seconds after the run start.
    virtual void evaluate(double t_s, MetState& out) const = 0;
    // Spacing of snapshots between which the weather is interpolated (s); 0 = exact at every request.
    virtual double interval_s() const = 0;
    // The snapshots around t_s (seconds after the start), t0 ≤ t_s < t1, and the index of the
    // earlier one (which changes exactly when the weather is updated). Regular by default (every
    // interval_s()); sources with irregular times (WRF files) override it. Only called when
    // interval_s() > 0.
    virtual long bracket(double t_s, double& t0, double& t1) const {
        const double interval = interval_s();
        const double n = std::floor(t_s / interval);
        t0 = n * interval;
        t1 = t0 + interval;
        return static_cast<long>(n);
    }
    // Read ahead: after each snapshot, start reading the next one on the I/O thread
    // (output/io_thread.hpp) so that it is ready when asked for; off again, any read under way is
    // waited for. Sources that read no files ignore it. On for the step loop of a run.
    virtual void set_read_ahead(bool /*on*/) {}
};

// Builds the configured source (idealized flows, the winter episode, a surface-layer boundary
// layer). start_epoch_s is the run start in seconds since 1970 UTC (for diurnal cycles).
std::unique_ptr<MetSource> make_met_source(const Config& cfg, const Grid& grid, double start_epoch_s);

class MetTimeline {
public:
    MetTimeline(const MetSource& source, const Grid& grid);
    // State at t_s (seconds after the start); the reference stays valid until the next call.
    const MetState& at(double t_s);
    // The same written into `out` (sized for the grid), without an intermediate copy.
    void interpolate(double t_s, MetState& out);
    // Air density only (kg m-3, out.rho_kg_m3 and its revision), for the end of a step.
    void density(double t_s, MetState& out);
    // Index of the snapshot interval holding t_s (changes when the weather updates); for sources
    // evaluated at every request, a new index at every call.
    long snapshot_index(double t_s);

private:
    // Brings the bracketing snapshots to the interval containing t_s; returns the weight of the later.
    double bracket(double t_s);

    // Fields that are the same in both snapshots of the interval are exact without interpolation
    // (a + w (a − a) = a): an output that already holds them (its revision is constant_revision_)
    // is left alone, so that caches keyed on revisions (MetState::revision) stay valid. A field
    // constant in the interval before too keeps its revision when next_interval (the new interval
    // starts where that one ended: the same values throughout).
    void mark_constant_fields(bool next_interval);
    std::array<bool, kMetFields> keep_for(const MetState& out) const;

    const MetSource& source_;
    double interval_;
    MetState earlier_, later_, now_;
    std::array<bool, kMetFields> constant_{};
    std::array<std::uint64_t, kMetFields> constant_revision_{};
    double t_earlier_ = -1e300, t_later_ = -1e300;
    long calls_ = 0;
};

}  // namespace lantian
