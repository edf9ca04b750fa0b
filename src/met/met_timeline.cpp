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
        if (t0 == t_later_) {
            std::swap(earlier_, later_);
        } else {
            source_.evaluate(t0, earlier_);
        }
        source_.evaluate(t1, later_);
        t_earlier_ = t0;
        t_later_ = t1;
    }
    return (t_s - t0) / (t1 - t0);
}

long MetTimeline::snapshot_index(double t_s) {
    if (interval_ <= 0.0) return ++calls_;
    double t0 = 0, t1 = 0;
    return source_.bracket(t_s, t0, t1);
}

void MetTimeline::interpolate(double t_s, MetState& out) {
    if (interval_ <= 0.0) {
        source_.evaluate(t_s, out);
        return;
    }
    interpolate_into(out, earlier_, later_, bracket(t_s));
}

void MetTimeline::density(double t_s, std::vector<double>& rho) {
    if (interval_ <= 0.0) {
        source_.evaluate(t_s, now_);
        rho = now_.rho_kg_m3;
        return;
    }
    const double w = bracket(t_s);
    rho.resize(earlier_.rho_kg_m3.size());
    kernels::lerp(rho.size(), earlier_.rho_kg_m3.data(), later_.rho_kg_m3.data(), w, rho.data());
}

const MetState& MetTimeline::at(double t_s) {
    interpolate(t_s, now_);
    return now_;
}

}  // namespace lantian
