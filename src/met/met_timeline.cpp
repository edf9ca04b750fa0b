// Linear interpolation in time between met snapshots.
#include <cmath>

#include "grid/grid.hpp"
#include "met/met_source.hpp"

namespace lantian {

MetTimeline::MetTimeline(const MetSource& source, const Grid& grid) : source_(source), interval_(source.interval_s()) {
    earlier_.resize(grid);
    later_.resize(grid);
    now_.resize(grid);
}

const MetState& MetTimeline::at(double t_s) {
    if (interval_ <= 0.0) {
        source_.evaluate(t_s, now_);
        return now_;
    }
    const double t0 = std::floor(t_s / interval_) * interval_;
    const double t1 = t0 + interval_;
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
    now_ = earlier_;
    blend(now_, later_, (t_s - t0) / interval_);
    return now_;
}

}  // namespace lantian
