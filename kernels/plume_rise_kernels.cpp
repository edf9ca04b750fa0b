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

    // The stable branch replaces the neutral buoyant rise, so it is not computed there (a pow per stack).
    const double neutral_b = fb <= 0 || branch == PlumeBranch::stable ? 0.0
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

namespace {
// Layer of height z (m): the first k with z < z_face[k+1], the top layer above the model top.
inline int layer_of(int nz, const double* z_face_m, double z) {
    for (int k = 0; k < nz; ++k)
        if (z < z_face_m[k + 1]) return k;
    return nz - 1;
}

// The first layer of a plume's shares: the layer of its bottom, or, for a plume of no depth, the
// one layer it goes into (the top layer when it is above the model top).
inline int plume_first_layer(int nz, const double* zf, const PlumeExtent& e) {
    const double z_top = zf[nz];
    const double bottom = std::min(e.bottom_m, z_top), top = std::min(e.top_m, z_top);
    if (top - bottom <= 0) return layer_of(nz, zf, bottom >= z_top ? z_top : e.bottom_m);
    return layer_of(nz, zf, bottom);
}

// Visits the layer shares of one plume in layer order, from its first layer k0
// (plume_first_layer): emit(k, share).
template <class Emit>
inline void plume_layers(int nz, const double* zf, const PlumeExtent& e, int k0, Emit&& emit) {
    const double z_top = zf[nz];
    const double bottom = std::min(e.bottom_m, z_top), top = std::min(e.top_m, z_top);
    if (top - bottom <= 0) {
        emit(k0, 1.0);
        return;
    }
    for (int k = k0; k < nz && zf[k] < top; ++k) {
        const double overlap = std::min(top, zf[k + 1]) - std::max(bottom, zf[k]);
        if (overlap > 0) emit(k, overlap / (top - bottom));
    }
}
}  // namespace

void plume_layer_counts(int nstacks, int nz, const double* z_face_m, const PlumeExtent* plumes, int* counts,
                        int* first_layer) {
#pragma omp parallel for schedule(static)
    for (int n = 0; n < nstacks; ++n) {
        const int k0 = plume_first_layer(nz, z_face_m, plumes[n]);
        if (first_layer) first_layer[n] = k0;
        int c = 0;
        plume_layers(nz, z_face_m, plumes[n], k0, [&](int, double) { ++c; });
        counts[n] = c;
    }
}

void plume_layer_fill(int nstacks, int nz, const double* z_face_m, const PlumeExtent* plumes, const int* start,
                      LayerShare* out, const int* first_layer) {
#pragma omp parallel for schedule(static)
    for (int n = 0; n < nstacks; ++n) {
        int at = start[n];
        const int k0 = first_layer ? first_layer[n] : plume_first_layer(nz, z_face_m, plumes[n]);
        plume_layers(nz, z_face_m, plumes[n], k0, [&](int k, double share) { out[at++] = {k, share}; });
    }
}

void stack_weather(const StackWeatherViews& v, StackWeather* out) {
    const std::size_t nx = static_cast<std::size_t>(v.nx), ny = static_cast<std::size_t>(v.ny), plane = nx * ny;
#pragma omp parallel for schedule(static)
    for (int n = 0; n < v.nstacks; ++n) {
        const std::size_t column = v.column[n];
        const std::size_t i = column % nx, j = column / nx;
        const int k = v.layer[n];
        const std::size_t kk = static_cast<std::size_t>(k);
        const double u = 0.5 * (v.u_face_x_m_s[(kk * ny + j) * (nx + 1) + i] + v.u_face_x_m_s[(kk * ny + j) * (nx + 1) + i + 1]);
        const double w = 0.5 * (v.v_face_y_m_s[(kk * (ny + 1) + j) * nx + i] + v.v_face_y_m_s[(kk * (ny + 1) + j + 1) * nx + i]);
        const double t = v.temperature_k[kk * plane + column];
        double dtdz = 0;
        if (v.nz > 1) {
            const int k2 = k + 1 < v.nz ? k + 1 : k - 1;
            dtdz = (v.temperature_k[static_cast<std::size_t>(k2) * plane + column] - t) / (v.z_center_m[k2] - v.z_center_m[k]);
        }
        out[n] = {std::hypot(u, w), t, dtdz + kGravity / phys::kCp, v.ustar_m_s[column], v.mo_length_m[column],
                  v.pblh_m[column]};
    }
}

void plume_rise(int n, const StackParameters* stacks, const StackWeather* met, const PlumeRiseOptions& opt,
                PlumeExtent* out) {
#pragma omp parallel for schedule(static)
    for (int k = 0; k < n; ++k) out[k] = briggs_plume(stacks[k], met[k], opt);
}

}  // namespace lantian::kernels
