// Idealized weather: analytic flows for tests (uniform, solid-body rotation, deformational swirl,
// divergent flow over a ridge), a horizontally uniform boundary layer from surface parameters (the
// way near-field regulatory models are driven from a met station) and an idealized winter episode
// over a Baotou–Hohhot-like valley. Winds are grid-relative.
#include <algorithm>
#include <cmath>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "grid/grid.hpp"
#include "met/wrf_met.hpp"
#include "met/boundary_layer.hpp"
#include "met/met_source.hpp"
#include "met/surface_table.hpp"

namespace lantian {
namespace {

constexpr double kLapseStd = 0.0065;  // K m-1, standard-atmosphere lapse rate above the boundary layer

struct Wind {
    double u, v;  // m s-1, grid x and y
};

// Components of a wind blowing FROM direction_deg (meteorological convention).
Wind from_direction(double speed, double direction_deg) {
    const double a = direction_deg * kDegToRad;
    // Snap components that are zero up to the rounding of sin/cos (e.g. v of a westerly) to 0.
    auto clean = [speed](double c) { return std::fabs(c) < 1e-12 * speed ? 0.0 : c; };
    return {clean(-speed * std::sin(a)), clean(-speed * std::cos(a))};
}

// Positions in metres from the domain centre (projected grids use their own metres; latlon is
// scaled at the centre latitude).
struct Metric {
    double sx, sy, xc, yc;
    explicit Metric(const Grid& g) {
        xc = 0.5 * (g.x().front() + g.x().back());
        yc = 0.5 * (g.y().front() + g.y().back());
        const bool ll = g.config().projection == Projection::latlon;
        sx = ll ? kEarthRadiusM * std::cos(g.config().center_lat * kDegToRad) * kDegToRad : 1.0;
        sy = ll ? kEarthRadiusM * kDegToRad : 1.0;
    }
    double X(const Grid& g, double fi) const { return (g.x()[0] + fi * g.dx() - xc) * sx; }
    double Y(const Grid& g, double fj) const { return (g.y()[0] + fj * g.dy() - yc) * sy; }
    double half_width_x(const Grid& g) const { return 0.5 * g.nx() * g.dx() * sx; }
    double half_width_y(const Grid& g) const { return 0.5 * g.ny() * g.dy() * sy; }
};

// Hydrostatic air at height z above sea level for a surface (sea-level-reduced) pressure p0 and a
// temperature profile T(z): ρ = p / (R_d T), p = p0 exp(−g z / (R_d T̄)).
double air_density(double p0_pa, double z_asl_m, double t_k, double t_mean_k) {
    const double p = p0_pa * std::exp(-phys::kGravity * z_asl_m / (phys::kRd * t_mean_k));
    return p / (phys::kRd * t_k);
}

// Common filling: the caller supplies column surface parameters and wind/temperature functions of
// (fractional i, fractional j, layer k) — k = -1 asks for the 10 m wind — so that sources can
// precompute their vertical profiles once per layer.
template <typename WindFn, typename TempFn>
void fill_state(const Grid& g, MetState& out, const MetConfig& met, WindFn wind_at, TempFn temp_at) {
    const int nx = g.nx(), ny = g.ny(), nz = g.nz();
    const auto& zc = g.z_center();
    const auto& zf = g.z_face();
    // Every value is a function of its own cell, face or column only: the layers and the rows are
    // shared out over the threads (wind_at and temp_at only read), with identical results.
#pragma omp parallel for schedule(static)
    for (int k = 0; k < nz; ++k) {
        for (int j = 0; j < ny; ++j) {
            for (int i = 0; i < nx; ++i) {
                const std::size_t col = static_cast<std::size_t>(j) * nx + i;
                const std::size_t c = static_cast<std::size_t>(k) * ny * nx + col;
                const double t = temp_at(i, j, k);
                out.temperature_k[c] = t;
                out.rh_frac[c] = met.relative_humidity;
                out.rho_kg_m3[c] = air_density(met.surface_pressure_pa, out.terrain_m[col] + zc[k], t, 0.5 * (t + out.t2_k[col]));
            }
            for (int f = 0; f <= nx; ++f)
                out.u_face_x_m_s[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + f] = wind_at(f - 0.5, j, k).u;
        }
        for (int f = 0; f <= ny; ++f)
            for (int i = 0; i < nx; ++i)
                out.v_face_y_m_s[(static_cast<std::size_t>(k) * (ny + 1) + f) * nx + i] = wind_at(i, f - 0.5, k).v;
    }
#pragma omp parallel for schedule(static)
    for (int j = 0; j < ny; ++j) {
        for (int i = 0; i < nx; ++i) {
            const std::size_t col = static_cast<std::size_t>(j) * nx + i;
            const Wind w10 = wind_at(i, j, -1);
            out.u10_m_s[col] = w10.u;
            out.v10_m_s[col] = w10.v;
            for (int k = 0; k <= nz; ++k) {
                double kz = 0.0;
                if (k > 0 && k < nz) {
                    kz = met.kz_scale * (met.kz_mode == KzMode::constant
                                             ? met.kz_m2_s
                                             : bl::kz_similarity(zf[k], out.ustar_m_s[col], out.mo_length_m[col],
                                                                 out.pblh_m[col], met.kz_min_m2_s));
                }
                out.kz_face_z_m2_s[static_cast<std::size_t>(k) * ny * nx + col] = kz;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Analytic flows for tests.
class AnalyticMet final : public MetSource {
public:
    AnalyticMet(const Config& cfg, const Grid& g) : cfg_(cfg.met), kind_(cfg.met.source), g_(g), metric_(g) {}

    double interval_s() const override {
        // Steady flows are evaluated once; time-varying ones at the configured spacing.
        return (kind_ == MetKind::uniform || kind_ == MetKind::rotation) ? 1e12 : cfg_.interval_s;
    }

    void evaluate(double t_s, MetState& out) const override {
        const int ncol = g_.nx() * g_.ny();
        for (int c = 0; c < ncol; ++c) {
            out.terrain_m[c] = kind_ == MetKind::ridge ? ridge_height(c % g_.nx()) : 0.0;
            out.t2_k[c] = cfg_.temperature_k;
            out.pblh_m[c] = cfg_.pblh_m;
            out.mo_length_m[c] = cfg_.mo_length_m;
            out.precip_mm_h[c] = 0.0;
            out.ustar_m_s[c] = cfg_.ustar_m_s > 0 ? cfg_.ustar_m_s
                                                  : bl::ustar_from_wind(std::max(cfg_.speed_m_s, 0.1), cfg_.ref_height_m,
                                                                        cfg_.z0_m, cfg_.mo_length_m);
        }
        // The ridge flow also breathes: ±3 K over its oscillation period, so air density changes in time.
        const double temp = kind_ == MetKind::ridge
                                ? cfg_.temperature_k + 3.0 * std::sin(2.0 * kPi * t_s / (cfg_.ridge_oscillation_h * 3600.0))
                                : cfg_.temperature_k;
        for (int c = 0; c < ncol; ++c) out.t2_k[c] = temp;
        fill_state(
            g_, out, cfg_, [&](double fi, double fj, int k) { return wind(fi, fj, height(k), t_s); },
            [&](int, int, int) { return temp; });
    }

private:
    double height(int k) const { return k < 0 ? 10.0 : g_.z_center()[k]; }
    double ridge_height(int i) const {
        const double x = metric_.X(g_, i);
        return cfg_.ridge_height_m * std::exp(-(x * x) / (cfg_.ridge_halfwidth_m * cfg_.ridge_halfwidth_m));
    }

    Wind wind(double fi, double fj, double z, double t_s) const {
        const double x = metric_.X(g_, fi), y = metric_.Y(g_, fj);
        switch (kind_) {
        case MetKind::uniform:
            return from_direction(cfg_.speed_m_s, cfg_.direction_deg);
        case MetKind::rotation: {
            // Solid-body rotation about the domain centre: u = −ω y, v = ω x, ω = 2π / period.
            const double omega = 2.0 * kPi / (cfg_.period_h * 3600.0);
            return {-omega * y, omega * x};
        }
        case MetKind::swirl: {
            // LeVeque (1996, SIAM J. Numer. Anal. 33, 627) deformational swirl on the unit square,
            // scaled to the domain, reversing with period T: the field returns to its start at t = T.
            const double lx = 2.0 * metric_.half_width_x(g_), ly = 2.0 * metric_.half_width_y(g_);
            const double xs = x / lx + 0.5, ys = y / ly + 0.5, T = cfg_.period_h * 3600.0;
            const double time_factor = std::cos(kPi * t_s / T);
            return {lx / T * std::pow(std::sin(kPi * xs), 2) * std::sin(2.0 * kPi * ys) * time_factor,
                    -ly / T * std::pow(std::sin(kPi * ys), 2) * std::sin(2.0 * kPi * xs) * time_factor};
        }
        case MetKind::ridge:
        default: {
            // Flow speeding up over a ridge along y, decaying with height, oscillating in time:
            // divergent in x and time-varying, so only a mass-consistent scheme keeps q uniform.
            const double shape = std::exp(-(x * x) / (cfg_.ridge_halfwidth_m * cfg_.ridge_halfwidth_m));
            const double speedup = 1.0 + cfg_.ridge_amplitude * shape * std::exp(-z / 1500.0);
            const double osc = 1.0 + 0.3 * std::sin(2.0 * kPi * t_s / (cfg_.ridge_oscillation_h * 3600.0));
            const Wind w = from_direction(cfg_.speed_m_s, cfg_.direction_deg);
            const double swirl_v = 0.2 * cfg_.speed_m_s * std::sin(kPi * y / metric_.half_width_y(g_)) * shape;
            return {w.u * speedup * osc, (w.v + swirl_v) * osc};
        }
        }
    }

    MetConfig cfg_;
    MetKind kind_;
    const Grid& g_;
    Metric metric_;
};

// ---------------------------------------------------------------------------------------------
// Horizontally uniform boundary layer from surface parameters, constant or from an hourly table.
class SurfaceLayerMet final : public MetSource {
public:
    SurfaceLayerMet(const Config& cfg, const Grid& g, double start_epoch_s) : cfg_(cfg.met), g_(g) {
        if (cfg_.table.empty()) {
            rows_.push_back({0.0, cfg_.speed_m_s, cfg_.direction_deg, cfg_.mo_length_m, cfg_.pblh_m, cfg_.ustar_m_s});
        } else {
            rows_ = read_surface_table(resolve_path(cfg, cfg_.table), start_epoch_s, cfg.run.hours * 3600.0);
        }
    }
    double interval_s() const override { return rows_.size() > 1 ? 0.0 : 1e12; }

    void evaluate(double t_s, MetState& out) const override {
        const SurfaceRow r = row_at(t_s);
        const double ustar = r.ustar_m_s > 0 ? r.ustar_m_s
                                             : bl::ustar_from_wind(r.speed_m_s, cfg_.ref_height_m, cfg_.z0_m, r.mo_length_m);
        const int ncol = g_.nx() * g_.ny();
        for (int c = 0; c < ncol; ++c) {
            out.terrain_m[c] = 0.0;
            out.t2_k[c] = cfg_.temperature_k;
            out.pblh_m[c] = r.pblh_m;
            out.mo_length_m[c] = r.mo_length_m;
            out.ustar_m_s[c] = ustar;
            out.precip_mm_h[c] = 0.0;
        }
        const double temp = cfg_.temperature_k;
        std::vector<Wind> profile(g_.nz());
        for (int k = 0; k < g_.nz(); ++k)
            profile[k] = from_direction(bl::wind_at_height(g_.z_center()[k], ustar, cfg_.z0_m, r.mo_length_m, r.pblh_m),
                                        r.direction_deg);
        const Wind w10 = from_direction(bl::wind_at_height(10.0, ustar, cfg_.z0_m, r.mo_length_m, r.pblh_m), r.direction_deg);
        fill_state(
            g_, out, cfg_,
            [&](double, double, int k) { return k < 0 ? w10 : profile[k]; }, [&](int, int, int) { return temp; });
    }

private:
    SurfaceRow row_at(double t_s) const {
        if (rows_.size() == 1) return rows_[0];
        auto hi = std::lower_bound(rows_.begin(), rows_.end(), t_s, [](const SurfaceRow& r, double t) { return r.t_s < t; });
        if (hi == rows_.begin()) return *hi;
        if (hi == rows_.end()) return rows_.back();
        const SurfaceRow& a = *(hi - 1);
        const SurfaceRow& b = *hi;
        const double w = (t_s - a.t_s) / (b.t_s - a.t_s);
        auto mix = [w](double x, double y) { return x + w * (y - x); };
        // Direction across north: interpolate along the shorter arc.
        double d = b.direction_deg - a.direction_deg;
        d -= 360.0 * std::round(d / 360.0);
        return {t_s, mix(a.speed_m_s, b.speed_m_s), std::fmod(a.direction_deg + w * d + 360.0, 360.0),
                1.0 / mix(1.0 / a.mo_length_m, 1.0 / b.mo_length_m), mix(a.pblh_m, b.pblh_m), mix(a.ustar_m_s, b.ustar_m_s)};
    }

    MetConfig cfg_;
    const Grid& g_;
    std::vector<SurfaceRow> rows_;
};

// ---------------------------------------------------------------------------------------------
// Idealized episode (winter, or spring or summer with met.episode_season) over a Baotou–Hohhot-like valley: a ridge (the Yin Shan) along the north
// of the domain; cycles of several days of weak winds with a diurnal boundary layer (≈150 m at
// night, ≈750 m by day) in which pollution builds, each ended by a NW cold front (deep mixing,
// 8–12 m/s, light snow).
class EpisodeMet final : public MetSource {
public:
    EpisodeMet(const Config& cfg, const Grid& g, double start_epoch_s)
        : cfg_(cfg.met), g_(g), metric_(g), start_epoch_s_(start_epoch_s) {
        if (!cfg_.episode_origin.empty()) {
            std::string reason;
            double origin = 0;
            if (!try_parse_iso_time_utc(cfg_.episode_origin, origin, reason))
                throw ConfigError("met.episode_origin = " + cfg_.episode_origin + ": " + reason);
            origin_offset_h_ = (start_epoch_s - origin) / 3600.0;
        }
    }
    double interval_s() const override { return cfg_.interval_s; }

    static constexpr double kRidgeHeightM = 1200.0;     // m above the plain (Yin Shan over Baotou)
    static constexpr double kRidgeWidthM = 15000.0;     // m, tanh half-width of the ridge flank
    static constexpr double kNightPblhM = 150.0;        // m
    static constexpr double kDayPblhGainM = 600.0;      // m, added at solar noon in the build-up
    static constexpr double kFrontPblhM = 1500.0;       // m
    static constexpr double kFrontRampH = 3.0;          // h, wind ramp at the start and end of a front
    static constexpr double kSnowMmH = 0.4;             // mm h-1 in the first hours of a front
    // Summer (met.episode_season = summer): convective daytime boundary layer, showers in the front.
    static constexpr double kSummerNightPblhM = 250.0;     // m
    static constexpr double kSummerDayPblhGainM = 2000.0;  // m, added at solar noon
    static constexpr double kSummerFrontPblhM = 2500.0;    // m
    static constexpr double kRainMmH = 2.0;                // mm h-1 in the first hours of a front
    // Spring (met.episode_season = spring): the dust season of the Gobi and the Hetao plain. Our
    // round values for late March-April: 2 m temperature about 0 °C at night and +10 °C by day,
    // dry convective boundary layers of 1.5-2 km by day, and a dry front (Mongolian cyclones'
    // cold fronts lift dust rather than bring precipitation).
    static constexpr double kSpringNightPblhM = 200.0;     // m
    static constexpr double kSpringDayPblhGainM = 1400.0;  // m, added at solar noon
    static constexpr double kSpringFrontPblhM = 2000.0;    // m
    static constexpr double kStagnantAloftM_S = 1.5;    // m s-1, weak westerly above the inversion

    void evaluate(double t_s, MetState& out) const override {
        // Hours since the episode's origin (met.episode_origin; the run's start by default).
        const double hours = t_s / 3600.0 + origin_offset_h_;
        const double cycle = cfg_.episode_cycle_h;
        double tau = std::fmod(hours, cycle);                     // h into the current cycle
        if (tau < 0) tau += cycle;                                // a run starting before the origin
        const double front_start = cycle - cfg_.front_duration_h;
        // Front strength 0..1 with ramps.
        double front = 0.0;
        if (tau >= front_start) {
            const double in = tau - front_start, left = cycle - tau;
            front = std::clamp(std::min(in, left) / kFrontRampH, 0.0, 1.0);
        }
        const bool summer = cfg_.episode_season == EpisodeSeason::summer;
        const bool spring = cfg_.episode_season == EpisodeSeason::spring;
        const double solar_h = std::fmod((start_epoch_s_ + t_s) / 3600.0 + g_.config().center_lon / 15.0 + 240.0, 24.0);
        // 0 at night, 1 at solar noon: day 08–17 in winter, 06–18 in spring, 05–19 in summer (40.7° N).
        const double sun = summer   ? std::max(0.0, std::sin(kPi * (solar_h - 5.0) / 14.0))
                           : spring ? std::max(0.0, std::sin(kPi * (solar_h - 6.0) / 12.0))
                                    : std::max(0.0, std::sin(kPi * (solar_h - 8.0) / 9.0));
        const double days_into_cycle = tau / 24.0;

        // Boundary layer: diurnal in the build-up (and a little shallower each day as the inversion
        // strengthens), deep in the front. Summer: deep daytime convective mixing (≈2 km).
        const double night_pblh = summer ? kSummerNightPblhM : spring ? kSpringNightPblhM : kNightPblhM;
        const double day_gain = summer ? kSummerDayPblhGainM : spring ? kSpringDayPblhGainM : kDayPblhGainM;
        const double stagnant_pblh = night_pblh + day_gain * sun * (1.0 - 0.15 * days_into_cycle);
        const double front_pblh = summer ? kSummerFrontPblhM : spring ? kSpringFrontPblhM : kFrontPblhM;
        const double pblh = (1.0 - front) * stagnant_pblh + front * front_pblh;
        const double mo_length = front > 0.5 ? -1000.0 : (sun > 0.05 ? -60.0 / sun : 40.0);
        // Near-surface wind: weak south-westerly by day, weak northerly drainage from the ridge at
        // night; the NW front on top.
        // Valley recirculation: the daytime up-valley south-westerly and the night-time drainage
        // from the ridge nearly cancel over a day, so emissions stay in the basin.
        const Wind calm = sun > 0.05 ? from_direction(cfg_.stagnant_speed_m_s, 225.0)
                                     : from_direction(0.8 * cfg_.stagnant_speed_m_s, 30.0);
        const Wind strong = from_direction(cfg_.front_speed_m_s, 315.0);
        const Wind w10{(1.0 - front) * calm.u + front * strong.u, (1.0 - front) * calm.v + front * strong.v};
        const double speed10 = std::max(std::hypot(w10.u, w10.v), 0.3);
        const Wind aloft = (front > 0.0) ? from_direction(1.5 * cfg_.front_speed_m_s * std::max(front, 0.3), 315.0)
                                         : from_direction(kStagnantAloftM_S, 270.0);
        const double ustar = bl::ustar_from_wind(speed10, 10.0, cfg_.z0_m, mo_length);

        const double t2 = summer   ? 295.0 + 10.0 * sun - 6.0 * front + 0.5 * days_into_cycle   // K
                          : spring ? 273.0 + 10.0 * sun - 10.0 * front + 0.5 * days_into_cycle
                                   : 258.0 + 9.0 * sun - 12.0 * front + 1.0 * days_into_cycle;
        const int ncol = g_.nx() * g_.ny();
#pragma omp parallel for schedule(static)
        for (int c = 0; c < ncol; ++c) {
            const int i = c % g_.nx(), j = c / g_.nx();
            out.terrain_m[c] = terrain(i, j);
            out.pblh_m[c] = pblh;
            out.mo_length_m[c] = mo_length;
            out.ustar_m_s[c] = ustar;
            out.t2_k[c] = t2 - 0.0065 * out.terrain_m[c];
            out.precip_mm_h[c] = (front > 0.0 && tau - front_start < 6.0 && !spring) ? (summer ? kRainMmH : kSnowMmH) : 0.0;
        }
        // Vertical profile of the wind (the same everywhere before the ridge's blocking), per layer.
        std::vector<Wind> profile(g_.nz() + 1);
        for (int k = -1; k < g_.nz(); ++k) {
            const double z = k < 0 ? 10.0 : g_.z_center()[k];
            double u, v;
            if (z <= pblh) {
                const double scale = bl::wind_at_height(z, ustar, cfg_.z0_m, mo_length, pblh) / speed10;
                u = w10.u * scale;
                v = w10.v * scale;
            } else {
                const double blend_w = std::min(1.0, (z - pblh) / 500.0);
                const double top = bl::wind_at_height(pblh, ustar, cfg_.z0_m, mo_length, pblh) / speed10;
                u = (1.0 - blend_w) * w10.u * top + blend_w * aloft.u;
                v = (1.0 - blend_w) * w10.v * top + blend_w * aloft.v;
            }
            profile[k + 1] = {u, v};
        }
        // The ridge blocks cross-ridge flow below its crest; the blocking depends on y only, so it
        // is tabulated at centres and faces (index 2 fj + 1 for fj = -0.5, 0, 0.5, ...).
        std::vector<double> block(2 * static_cast<std::size_t>(g_.ny()) + 1);
        for (std::size_t h = 0; h < block.size(); ++h) {
            const double y = metric_.Y(g_, 0.5 * static_cast<double>(h) - 0.5) - ridge_y();
            block[h] = 0.7 * std::exp(-(y * y) / (2.0 * kRidgeWidthM * kRidgeWidthM));
        }
        auto wind_at = [&](double, double fj, int k) {
            const Wind w = profile[k + 1];
            const double z = k < 0 ? 10.0 : g_.z_center()[k];
            const double b = z < kRidgeHeightM ? block[static_cast<std::size_t>(std::lround(2.0 * fj + 1.0))] : 0.0;
            return Wind{w.u * (1.0 - 0.3 * b), w.v * (1.0 - b)};
        };
        auto temp_at = [&](int i, int j, int k) {
            const double z = g_.z_center()[k];
            const double surface = t2 - 0.0065 * out.terrain_m[static_cast<std::size_t>(j) * g_.nx() + i];
            if (z <= pblh) {
                // Night: surface inversion of 6 K over the stable layer; day: well mixed (dry adiabat).
                return sun > 0.05 || front > 0.5 ? surface - 0.0098 * z : surface + 6.0 * z / pblh;
            }
            const double at_top = sun > 0.05 || front > 0.5 ? surface - 0.0098 * pblh : surface + 6.0;
            return at_top - kLapseStd * (z - pblh);
        };
        fill_state(g_, out, cfg_, wind_at, temp_at);
    }

private:
    double ridge_y() const { return 0.6 * metric_.half_width_y(g_); }
    double terrain(int i, int j) const {
        const double y = metric_.Y(g_, j) - ridge_y();
        const double x = metric_.X(g_, i);
        const double crest = kRidgeHeightM * (1.0 + 0.15 * std::sin(x / 30000.0));
        return 1000.0 + crest * 0.5 * (1.0 + std::tanh(y / kRidgeWidthM));  // plain at ≈1000 m ASL
    }

    MetConfig cfg_;
    const Grid& g_;
    Metric metric_;
    double start_epoch_s_;
    double origin_offset_h_ = 0;  // h from met.episode_origin to the run's start
};

}  // namespace

std::unique_ptr<MetSource> make_met_source(const Config& cfg, const Grid& grid, double start_epoch_s) {
    switch (cfg.met.source) {
    case MetKind::episode: return std::make_unique<EpisodeMet>(cfg, grid, start_epoch_s);
    case MetKind::surface_layer: return std::make_unique<SurfaceLayerMet>(cfg, grid, start_epoch_s);
    case MetKind::wrf: return make_wrf_met_source(cfg, grid, start_epoch_s);
    case MetKind::uniform:
    case MetKind::rotation:
    case MetKind::swirl:
    case MetKind::ridge:
    default: return std::make_unique<AnalyticMet>(cfg, grid);
    }
}

}  // namespace lantian
