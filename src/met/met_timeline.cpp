// Linear interpolation in time between met snapshots.
#include <cmath>

#include "grid/grid.hpp"
#include "met/met_source.hpp"
#include "met_kernels.hpp"

namespace lantian {

MetTimeline::MetTimeline(const MetSource& source, const Grid& grid) : source_(source), interval_(source.interval_s()) {
    earlier_.resize(grid);
    later_.resize(grid);
    now_.resize(grid);
}

double MetTimeline::bracket(double t_s) {
    double t0 = 0, t1 = 0;
    source_.bracket(t_s, t0, t1);
    if (t0 != t_earlier_) {
        const bool next_interval = t0 == t_later_;
        if (next_interval) {
            std::swap(earlier_, later_);
        } else {
            source_.evaluate(t0, earlier_);
        }
        source_.evaluate(t1, later_);
        t_earlier_ = t0;
        t_later_ = t1;
        mark_constant_fields(next_interval);
    }
    return (t_s - t0) / (t1 - t0);
}

void MetTimeline::mark_constant_fields(bool next_interval) {
    for (int f = 0; f < kMetFields; ++f) {
        const auto& a = earlier_.field(static_cast<MetField>(f));
        const auto& b = later_.field(static_cast<MetField>(f));
        // Bit-for-bit equal, all finite (a NaN would not stay a NaN-free result of the lerp).
        const bool same = a.size() == b.size() && kernels::same_and_finite(a.size(), a.data(), b.data());
        // Constant in the interval before as well, and this interval starts at that one's end: the
        // field holds the same values as then, so it keeps its revision. Outputs that hold it are
        // left alone (no copy at every snapshot) and caches keyed on it stay valid.
        const bool carried = same && next_interval && constant_[f];
        constant_revision_[f] = carried ? constant_revision_[f] : same ? new_met_revision() : 0;
        constant_[f] = same;
    }
}

std::array<bool, kMetFields> MetTimeline::keep_for(const MetState& out) const {
    std::array<bool, kMetFields> keep{};
    for (int f = 0; f < kMetFields; ++f) keep[f] = constant_[f] && out.revision[f] == constant_revision_[f];
    return keep;
}

long MetTimeline::snapshot_index(double t_s) {
    if (interval_ <= 0.0) return ++calls_;
    double t0 = 0, t1 = 0;
    return source_.bracket(t_s, t0, t1);
}

void MetTimeline::interpolate(double t_s, MetState& out) {
    if (interval_ <= 0.0) {
        source_.evaluate(t_s, out);
        for (auto& r : out.revision) r = new_met_revision();
        return;
    }
    const double w = bracket(t_s);
    // A field the same in both snapshots is the snapshots' value, copied once per interval (exact,
    // whatever w: the same value after a restart in the middle of the interval).
    const std::array<bool, kMetFields> kept = keep_for(out);
    for (int f = 0; f < kMetFields; ++f)
        if (constant_[f] && !kept[f]) {
            out.field(static_cast<MetField>(f)) = earlier_.field(static_cast<MetField>(f));
            out.revision[f] = constant_revision_[f];
        }
    interpolate_into(out, earlier_, later_, w, &constant_);
}

void MetTimeline::density(double t_s, MetState& out) {
    constexpr int rho = static_cast<int>(MetField::rho);
    if (interval_ <= 0.0) {
        source_.evaluate(t_s, now_);
        out.rho_kg_m3 = now_.rho_kg_m3;
        out.revision[rho] = new_met_revision();
        return;
    }
    const double w = bracket(t_s);
    if (constant_[rho]) {
        if (out.revision[rho] != constant_revision_[rho]) {
            out.rho_kg_m3 = earlier_.rho_kg_m3;
            out.revision[rho] = constant_revision_[rho];
        }
        return;
    }
    out.rho_kg_m3.resize(earlier_.rho_kg_m3.size());
    kernels::lerp(out.rho_kg_m3.size(), earlier_.rho_kg_m3.data(), later_.rho_kg_m3.data(), w, out.rho_kg_m3.data());
    out.revision[rho] = new_met_revision();
}

const MetState& MetTimeline::at(double t_s) {
    interpolate(t_s, now_);
    return now_;
}

}  // namespace lantian
