// Projections through PROJ (proj.org, the C API of proj.h). Every non-trivial transform is a PROJ
// operation on the sphere R = kEarthRadiusM; what stays here is the choice of PROJ definition,
// the per-thread PROJ objects and the closed-form map factors, after Snyder (1987), "Map
// Projections — A Working Manual", USGS PP 1395: Lambert conformal conic eqs. 15-1 to 15-4 (the
// same as WRF's module_llxy), polar stereographic eqs. 21-4 and 21-7 with the true latitude of
// WRF's set_ps, Mercator eq. 7-3 scaled to its true latitude.
//
// Threads: a PJ object and its PJ_CONTEXT must not be used by two threads at once. Each thread
// keeps its own context and the PJ objects it made, keyed by the identity of the MapProjection's
// definition (shared by copies), so a MapProjection is created once per thread that uses it and
// forward/inverse take no lock.
#include "grid/projection.hpp"

#include <proj.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <vector>

namespace lantian {

struct MapProjection::Definition {
    std::uint64_t id;      // unique per constructed MapProjection, never reused
    std::string text;      // the PROJ string; "" for latlon
};

namespace {

double tan_half(double lat_rad) { return std::tan(kPi / 4.0 + lat_rad / 2.0); }

std::atomic<std::uint64_t> next_definition_id{1};

// This thread's PROJ context and the PJ objects made in it. Bounded: past kCapacity definitions
// the oldest entry is destroyed (made again if used again), so a thread that sees many short-lived
// projections (tests, warm starts) does not accumulate them.
class ThreadProj {
public:
    ThreadProj() : ctx_(proj_context_create()) {
        if (ctx_) proj_log_level(ctx_, PJ_LOG_NONE);  // failures are reported by the callers
    }
    ~ThreadProj() {
        for (const Entry& e : entries_) proj_destroy(e.pj);
        if (ctx_) proj_context_destroy(ctx_);
    }
    ThreadProj(const ThreadProj&) = delete;
    ThreadProj& operator=(const ThreadProj&) = delete;

    PJ_CONTEXT* context() const { return ctx_; }

    // The PJ of a definition, made on first use in this thread; nullptr (with the reason in
    // `why`) when PROJ refuses the definition.
    PJ* get(std::uint64_t id, const std::string& text, std::string* why = nullptr) {
        for (const Entry& e : entries_)
            if (e.id == id) return e.pj;
        if (!ctx_) {
            if (why) *why = "no PROJ context could be created";
            return nullptr;
        }
        PJ* pj = proj_create(ctx_, text.c_str());
        if (!pj) {
            if (why) *why = proj_context_errno_string(ctx_, proj_context_errno(ctx_));
            return nullptr;
        }
        if (entries_.size() < kCapacity) {
            entries_.push_back({id, pj});
        } else {
            proj_destroy(entries_[oldest_].pj);
            entries_[oldest_] = {id, pj};
            oldest_ = (oldest_ + 1) % kCapacity;
        }
        return pj;
    }

private:
    struct Entry {
        std::uint64_t id;
        PJ* pj;
    };
    static constexpr std::size_t kCapacity = 32;
    PJ_CONTEXT* ctx_;
    std::vector<Entry> entries_;
    std::size_t oldest_ = 0;
};

ThreadProj& thread_proj() {
    thread_local ThreadProj proj;
    return proj;
}

// The shortest of %.15g, %.16g, %.17g that reads back as v: exact, and 40.7 stays "40.7".
std::string number(double v) {
    char text[40];
    for (int digits = 15; digits <= 17; ++digits) {
        std::snprintf(text, sizeof text, "%.*g", digits, v);
        if (std::strtod(text, nullptr) == v) break;
    }
    return text;
}

std::string proj_string(Projection kind, double center_lon, double center_lat, double truelat1, double truelat2,
                        double stand_lon) {
    const std::string sphere = " +R=" + number(kEarthRadiusM) + " +units=m";
    switch (kind) {
    case Projection::lambert:
        return "+proj=lcc +lat_1=" + number(truelat1) + " +lat_2=" + number(truelat2) + " +lat_0=" + number(center_lat) +
               " +lon_0=" + number(stand_lon) + sphere;
    case Projection::polar:
        return std::string("+proj=stere +lat_0=") + (truelat1 < 0 ? "-90" : "90") + " +lat_ts=" + number(truelat1) +
               " +lon_0=" + number(stand_lon) + sphere;
    case Projection::mercator:
        return "+proj=merc +lat_ts=" + number(truelat1) + " +lon_0=" + number(stand_lon) + sphere;
    case Projection::cartesian:
        return "+proj=aeqd +lat_0=" + number(center_lat) + " +lon_0=" + number(center_lon) + sphere;
    case Projection::latlon:
        break;
    }
    return "";
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

MapProjection::MapProjection(Projection kind, double center_lon, double center_lat, double truelat1,
                             double truelat2, double stand_lon)
    : kind_(kind) {
    const double p1 = truelat1 * kDegToRad, p2 = truelat2 * kDegToRad;
    if (kind_ == Projection::lambert) {
        // n = ln(cos φ1 / cos φ2) / ln(tan(π/4+φ2/2) / tan(π/4+φ1/2)); tangent cone: n = sin φ1
        if (std::fabs(truelat1 - truelat2) < 1e-9) {
            n_ = std::sin(p1);
        } else {
            n_ = std::log(std::cos(p1) / std::cos(p2)) / std::log(tan_half(p2) / tan_half(p1));
        }
        // F = cos φ1 tan^n(π/4+φ1/2) / n;  ρ = R F / tan^n(π/4+φ/2)
        f_ = std::cos(p1) * std::pow(tan_half(p1), n_) / n_;
    }
    pole_ = truelat1 < 0 ? -1.0 : 1.0;
    true_lat_rad_ = p1;
    def_ = std::make_shared<const Definition>(
        Definition{next_definition_id.fetch_add(1), proj_string(kind, center_lon, center_lat, truelat1, truelat2, stand_lon)});
    if (!def_->text.empty()) {
        std::string why;
        if (!thread_proj().get(def_->id, def_->text, &why))
            throw std::invalid_argument("PROJ refuses the projection '" + def_->text + "': " + why);
    }
}

XY MapProjection::forward(LonLat p) const {
    if (kind_ == Projection::latlon) return {p.lon_deg, p.lat_deg};
    PJ* pj = thread_proj().get(def_->id, def_->text);
    if (!pj) return {kNaN, kNaN};
    const PJ_COORD out = proj_trans(pj, PJ_FWD, proj_coord(p.lon_deg * kDegToRad, p.lat_deg * kDegToRad, 0, 0));
    return {out.xy.x, out.xy.y};  // HUGE_VAL where the point has no image
}

LonLat MapProjection::inverse(XY p) const {
    if (kind_ == Projection::latlon) return {p.x, p.y};
    PJ* pj = thread_proj().get(def_->id, def_->text);
    if (!pj) return {kNaN, kNaN};
    const PJ_COORD out = proj_trans(pj, PJ_INV, proj_coord(p.x, p.y, 0, 0));
    if (out.lp.lam == HUGE_VAL) return {kNaN, kNaN};
    return {out.lp.lam / kDegToRad, out.lp.phi / kDegToRad};
}

double MapProjection::map_factor(double lat_deg) const {
    const double phi = lat_deg * kDegToRad;
    switch (kind_) {
    case Projection::lambert:
        // m = n ρ / (R cos φ) = n F / (cos φ tan^n(π/4+φ/2))
        return n_ * f_ / (std::pow(tan_half(phi), n_) * std::cos(phi));
    case Projection::polar:
        // m = (1 + h sin φ_ts) / (1 + h sin φ), h = ±1 the hemisphere of the pole
        return (1.0 + pole_ * std::sin(true_lat_rad_)) / (1.0 + pole_ * std::sin(phi));
    case Projection::mercator:
        // m = cos φ_ts / cos φ
        return std::cos(true_lat_rad_) / std::cos(phi);
    case Projection::latlon:
        return 1.0 / std::cos(phi);
    case Projection::cartesian:
        break;
    }
    return 1.0;
}

double MapProjection::proj_parallel_scale(LonLat p) const {
    if (kind_ == Projection::latlon) return kNaN;
    PJ* pj = thread_proj().get(def_->id, def_->text);
    if (!pj) return kNaN;
    const PJ_FACTORS f = proj_factors(pj, proj_coord(p.lon_deg * kDegToRad, p.lat_deg * kDegToRad, 0, 0));
    return f.parallel_scale;
}

const std::string& MapProjection::proj_definition() const { return def_->text; }

std::string MapProjection::crs_wkt() const {
    ThreadProj& t = thread_proj();
    const std::string text = def_->text.empty() ? "+proj=longlat +R=" + number(kEarthRadiusM) + " +type=crs"
                                                : def_->text + " +type=crs";
    PJ* crs = t.context() ? proj_create(t.context(), text.c_str()) : nullptr;
    if (!crs) return "";
    const char* wkt = proj_as_wkt(t.context(), crs, PJ_WKT2_2019, nullptr);
    std::string out = wkt ? wkt : "";
    proj_destroy(crs);
    return out;
}

}  // namespace lantian
