// Briggs plume rise. Formulas and sources in the header.
#include "plume_rise_kernels.hpp"

#include <algorithm>
#include <cmath>

#include "physical_constants.hpp"

namespace lantian::kernels {

namespace {
using phys::kGravity;
using phys::kVonKarman;
constexpr double kBuoyancyRegimeFlux = 55.0;   // m4 s-3, Briggs' switch between the two neutral laws
constexpr double kNeutralSmallF = 21.425;      // Briggs (1975) neutral rise, F_b < 55 (= 1.6 (3.5·14)^(2/3))
constexpr double kNeutralLargeF = 38.71;       // F_b ≥ 55 (= 1.6 (3.5·34)^(2/3))
constexpr double kStableWindy = 2.6;           // Briggs (1975) stable buoyant rise
constexpr double kStableCalm = 4.0;            // Briggs (1975) calm stable rise
constexpr double kStableMomentum = 1.5;        // Briggs (1969) stable momentum rise
constexpr double kNeutralMomentum = 3.0;       // Briggs (1969) jet rise, 3 d v_s / u
constexpr double kConvective = 3.0;            // Briggs (1984) convective rise
constexpr double kDownwashVelocityRatio = 1.5; // Briggs (1974): downwash when v_s < 1.5 u
}  // namespace

PlumeExtent briggs_plume(const StackParameters& s, const StackWeather& m, const PlumeRiseOptions& opt) {
    const double u = std::max(m.wind_m_s, opt.min_wind_m_s);
    const double d = s.diameter_m, v = s.exit_velocity_m_s, ts = s.exit_temp_k, ta = m.air_temp_k;
    double release = s.height_m;
    if (opt.stack_tip_downwash && v < kDownwashVelocityRatio * u)
        release = std::max(0.0, s.height_m + 2.0 * d * (v / u - kDownwashVelocityRatio));
    const double fb = ts > ta ? kGravity * v * d * d * (ts - ta) / (4.0 * ts) : 0.0;  // m4 s-3
    const double fm = v * v * d * d * ta / (4.0 * ts);                                // m4 s-2

    PlumeBranch branch = PlumeBranch::neutral;
    if (s.height_m >= m.pblh_m || (m.mo_length_m > 0 && m.mo_length_m < opt.neutral_abs_mo_length_m))
        branch = PlumeBranch::stable;
    else if (m.mo_length_m < 0 && -m.mo_length_m < opt.neutral_abs_mo_length_m)
        branch = PlumeBranch::unstable;

    const double neutral_b = fb <= 0 ? 0.0
                             : fb < kBuoyancyRegimeFlux ? kNeutralSmallF * std::pow(fb, 0.75) / u
                                                        : kNeutralLargeF * std::pow(fb, 0.6) / u;
    const double neutral_m = kNeutralMomentum * d * v / u;
    double rise_b = neutral_b, rise_m = neutral_m;
    if (branch == PlumeBranch::stable) {
        const double stability = kGravity / ta * std::max(m.dtheta_dz_k_m, opt.min_dtheta_dz_k_m);  // s-2
        rise_b = fb <= 0 ? 0.0
                         : std::min(kStableWindy * std::cbrt(fb / (u * stability)),
                                    kStableCalm * std::pow(fb, 0.25) * std::pow(stability, -0.375));
        rise_m = std::min(kStableMomentum * std::cbrt(fm / (u * std::sqrt(stability))), neutral_m);
    } else if (branch == PlumeBranch::unstable) {
        const double hstar = m.ustar_m_s * m.ustar_m_s * m.ustar_m_s / (kVonKarman * -m.mo_length_m);  // m2 s-3
        if (fb > 0 && hstar > 0) rise_b = std::min(neutral_b, kConvective * std::pow(fb / u, 0.6) * std::pow(hstar, -0.4));
    }
    PlumeExtent e{};
    e.release_m = release;
    e.buoyancy_dominated = rise_b >= rise_m;
    e.rise_m = std::max(rise_b, rise_m);
    e.bottom_m = release + 0.5 * e.rise_m;
    e.top_m = release + 1.5 * e.rise_m;
    e.branch = branch;
    return e;
}

void plume_rise(int n, const StackParameters* stacks, const StackWeather* met, const PlumeRiseOptions& opt,
                PlumeExtent* out) {
#pragma omp parallel for schedule(static)
    for (int k = 0; k < n; ++k) out[k] = briggs_plume(stacks[k], met[k], opt);
}

}  // namespace lantian::kernels
