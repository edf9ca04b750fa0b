// Properties of the transport: conservation, free-stream preservation, positivity and monotonicity,
// each scheme dispatched to its own policy, the rotating cone, and thread-count independence.
#include <omp.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "advection_scheme_ppm.hpp"
#include "advection_scheme_upwind.hpp"
#include "advection_schemes.hpp"
#include "met/met_source.hpp"
#include "processes/advection.hpp"
#include "processes/mixing.hpp"
#include "support/test_support.hpp"

using namespace lantian;
using lantian::test::Harness;
using lantian::test::WindXY;

namespace {

std::vector<double> uniform_faces(int nz, double dz) {
    std::vector<double> f(nz + 1);
    for (int k = 0; k <= nz; ++k) f[k] = k * dz;
    return f;
}

BoundaryProfile fixed_ratio(int nspec, double q) {
    BoundaryProfile b;
    b.surface_ug_m3.assign(nspec, q);
    b.as_mixing_ratio = true;
    return b;
}

// LeVeque's deformational swirl on the domain: closed (zero normal wind at the edges).
test::WindField swirl(double half_width_m, double speed_m_s) {
    return [=](double x, double y, double) {
        const double xs = x / (2 * half_width_m) + 0.5, ys = y / (2 * half_width_m) + 0.5;
        return WindXY{speed_m_s * std::pow(std::sin(M_PI * xs), 2) * std::sin(2 * M_PI * ys),
                      -speed_m_s * std::pow(std::sin(M_PI * ys), 2) * std::sin(2 * M_PI * xs)};
    };
}

void fill_random(State& st, double lo, double hi, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> d(lo, hi);
    for (auto& v : st.q) v = static_cast<real>(d(gen));
}

}  // namespace

TEST_CASE("Advection conserves tracer mass to round-off in a periodic box", "[property][advection]") {
    // Uniform diagonal wind, periodic in x and y, with horizontal and vertical diffusion too.
    Harness h(test::cartesian(40, 30, 1000.0, uniform_faces(4, 100.0)), 2);
    const MetState met = test::hand_made_met(h.grid, 1.1, [](double, double, double) { return WindXY{7.0, -4.0}; }, 20.0);
    h.set_air_mass(met);
    fill_random(h.state, 0.0, 100.0, 7);
    TransportConfig tc;
    tc.boundary = BoundaryKind::periodic;
    tc.horizontal_diffusion = HorizontalDiffusion::constant;
    tc.kh_m2_s = 500.0;
    h.processes.push_back(std::make_unique<Advection>(h.grid, 2, kernels::Reconstruction::ppm, BoundaryKind::periodic,
                                                      0.9, fixed_ratio(2, 0.0)));
    h.processes.push_back(std::make_unique<HorizontalDiffusionProcess>(h.grid, 2, tc));
    h.processes.push_back(std::make_unique<VerticalMixing>(h.grid, 2, EmissionTable{},
                                                           std::vector<double>{0.0, 0.0}, true));
    const double m0 = h.mass_ug(0), m1 = h.mass_ug(1);
    for (int n = 0; n < 200; ++n) h.step(met, 100.0);  // Courant 0.7 in x
    const double rel0 = std::fabs(h.mass_ug(0) - m0) / m0, rel1 = std::fabs(h.mass_ug(1) - m1) / m1;
    CAPTURE(rel0, rel1);
    // 1e-6: single-precision storage rounds each cell by ≤ 6e-8 relative per process; over 200
    // steps the unbiased errors of 4800 cells add to far less than this.
    CHECK(rel0 < 1e-6);
    CHECK(rel1 < 1e-6);
    // The field did move and mix (the test is not vacuous).
    CHECK(*std::max_element(h.state.q.begin(), h.state.q.end()) < 99.0f);
}

TEST_CASE("A uniform mixing ratio stays uniform in divergent, time-varying flow over a ridge", "[property][advection]") {
    Config cfg;
    cfg.grid = test::cartesian(60, 40, 2000.0, {});
    cfg.grid.layer_faces_m.clear();
    cfg.grid.nz = 12;
    cfg.grid.first_layer_m = 30.0;
    cfg.grid.top_m = 3000.0;
    cfg.met.source = MetKind::ridge;
    cfg.met.speed_m_s = 8.0;
    cfg.met.direction_deg = 250.0;
    cfg.met.interval_s = 900.0;
    cfg.met.ridge_oscillation_h = 3.0;
    Harness h(cfg.grid, 1);
    auto source = make_met_source(cfg, h.grid, 0.0);
    MetTimeline timeline(*source, h.grid);
    const double q0 = 37.0;
    h.set_air_mass(timeline.at(0.0));
    std::fill(h.state.q.begin(), h.state.q.end(), static_cast<real>(q0));
    TransportConfig tc;
    tc.horizontal_diffusion = HorizontalDiffusion::smagorinsky;
    h.processes.push_back(std::make_unique<Advection>(h.grid, 1, kernels::Reconstruction::ppm, BoundaryKind::open, 0.9,
                                                      fixed_ratio(1, q0)));
    h.processes.push_back(std::make_unique<HorizontalDiffusionProcess>(h.grid, 1, tc));
    h.processes.push_back(std::make_unique<VerticalMixing>(h.grid, 1, EmissionTable{},
                                                           std::vector<double>{0.0}, true));
    double t = 0.0, worst = 0.0, max_divergence = 0.0;
    const double dt = 180.0;  // Courant ≈ 0.8 at the crest
    MetState mid, end;
    for (int n = 0; n < 120; ++n) {  // 6 h: two oscillation periods
        mid = timeline.at(t + 0.5 * dt);
        end = timeline.at(t + dt);
        // Sanity: the flow is divergent (|∂u/∂x| over the ridge flank) — the property is not vacuous.
        for (std::size_t f = 1; f < 60; ++f)
            max_divergence = std::max(max_divergence, std::fabs(mid.u_face_x_m_s[f + 1] - mid.u_face_x_m_s[f]) / 2000.0);
        h.step(mid, end, dt);
        t += dt;
        for (real q : h.state.q) worst = std::max(worst, std::fabs(q - q0) / q0);
    }
    CAPTURE(worst, max_divergence);
    CHECK(max_divergence > 1e-4);  // s-1
    // 2e-6: a few single-precision roundings (6e-8 each) per step do not accumulate because every
    // sweep maps a uniform field onto itself up to the rounding of that sweep.
    CHECK(worst < 2e-6);
}

TEST_CASE("Advection creates no negative values and no new extrema, for every scheme", "[property][advection]") {
    struct Case {
        kernels::Reconstruction rec;
        const char* name;
    };
    constexpr Case cases[] = {
        {kernels::Reconstruction::ppm, "monotone PPM"},      // Colella & Woodward with limiter
        {kernels::Reconstruction::upwind, "donor cell"},     // first-order upwind
    };
    for (const Case& c : cases) {
        INFO(c.name);
        Harness h(test::cartesian(48, 48, 1000.0, uniform_faces(2, 200.0)), 1);
        const MetState met = test::hand_made_met(h.grid, 1.2, swirl(24000.0, 10.0));
        h.set_air_mass(met);
        fill_random(h.state, 2.0, 5.0, 11);
        const std::vector<real> before(h.state.q.begin(), h.state.q.end());
        const real lo = *std::min_element(h.state.q.begin(), h.state.q.end());
        const real hi = *std::max_element(h.state.q.begin(), h.state.q.end());
        h.processes.push_back(std::make_unique<Advection>(h.grid, 1, c.rec, BoundaryKind::open, 0.9, fixed_ratio(1, 3.0)));
        for (int n = 0; n < 150; ++n) h.step(met, 90.0);  // Courant 0.9, strongly divergent 1-D sweeps
        const real new_lo = *std::min_element(h.state.q.begin(), h.state.q.end());
        const real new_hi = *std::max_element(h.state.q.begin(), h.state.q.end());
        CAPTURE(lo, hi, new_lo, new_hi);
        CHECK(new_lo >= lo);  // exact: the update is written as a deviation from the cell value
        CHECK(new_hi <= hi);
        double moved = 0;  // and the field was transported: mean |change| well above zero
        for (std::size_t c = 0; c < before.size(); ++c) moved += std::fabs(h.state.q[c] - before[c]);
        CHECK(moved / before.size() > 0.2);
    }
}

TEST_CASE("Every scheme in the name table runs its own policy, and each conserves mass", "[property][advection]") {
    // A step profile in a periodic x-channel under a uniform wind (Courant 0.5): the dispatch must
    // hand each name's value to the policy of that name, donor cell must give exactly the donor-cell
    // update, and no two schemes may give the same field (none falls back to another).
    constexpr int nx = 40;
    constexpr double dx = 1000.0, u = 5.0, dt = 100.0, courant = u * dt / dx;
    const auto step_profile = [](int i) { return (i >= 10 && i < 20) ? 10.0 : 1.0; };
    std::vector<std::vector<real>> results;
    for (const kernels::SchemeName& scheme : kernels::kSchemeNames) {
        INFO(scheme.name);
        const std::string_view policy =
            kernels::with_scheme(scheme.value, [](auto tag) { return decltype(tag)::type::name; });
        CHECK(policy == scheme.name);

        Harness h(test::cartesian(nx, 3, dx, {0.0, 100.0}), 1);
        const MetState met = test::hand_made_met(h.grid, 1.2, [](double, double, double) { return WindXY{u, 0.0}; });
        h.set_air_mass(met);
        for (int j = 0; j < 3; ++j)
            for (int i = 0; i < nx; ++i) h.state.q[j * nx + i] = static_cast<real>(step_profile(i));
        h.processes.push_back(std::make_unique<Advection>(h.grid, 1, scheme.value, BoundaryKind::periodic, 0.9,
                                                          fixed_ratio(1, 0.0)));
        const double m0 = h.mass_ug(0);
        h.step(met, dt);
        if (scheme.value == kernels::Reconstruction::upwind) {
            // q_i' = q_i + c (q_{i-1} − q_i) with c = u Δt / Δx (uniform air mass; y, z carry no flux).
            double worst = 0;
            for (int i = 0; i < nx; ++i) {
                const double q = step_profile(i), q_up = step_profile((i + nx - 1) % nx);
                worst = std::max(worst, std::fabs(h.state.q[nx + i] - (q + courant * (q_up - q))));
            }
            CAPTURE(worst);
            CHECK(worst < 1e-5);
        }
        for (int n = 1; n < 30; ++n) h.step(met, dt);
        const double rel = std::fabs(h.mass_ug(0) - m0) / m0;
        CAPTURE(rel);
        CHECK(rel < 1e-6);  // single-precision storage only (see the periodic-box test)
        results.emplace_back(h.state.q.begin(), h.state.q.end());
    }
    REQUIRE(results.size() == kernels::kSchemeNames.size());
    for (std::size_t a = 0; a < results.size(); ++a)
        for (std::size_t b = a + 1; b < results.size(); ++b) {
            INFO(kernels::kSchemeNames[a].name << " vs " << kernels::kSchemeNames[b].name);
            double differ = 0;
            for (std::size_t c = 0; c < results[a].size(); ++c)
                differ = std::max(differ, std::fabs(static_cast<double>(results[a][c]) - results[b][c]));
            CHECK(differ > 0.1);  // the schemes differ by O(1) on a step of 9 after 30 steps
        }
}

TEST_CASE("Rotating cone: minimum stays exactly 1 and mass is conserved over six revolutions",
          "[property][advection][cone]") {
    // 101×101 cells, solid-body rotation about the centre, Courant 0.49 at the axes' ends, cone of
    // height 4 (radius 15 cells) on a background of 1, centred 25 cells from the rotation axis.
    constexpr int n = 101;
    constexpr double dx = 1000.0;
    constexpr int steps_per_revolution = 640;
    constexpr double period_s = 64000.0, dt = period_s / steps_per_revolution;
    const double omega = 2.0 * M_PI / period_s;
    Harness h(test::cartesian(n, n, dx, {0.0, 100.0}), 1);
    const MetState met = test::hand_made_met(h.grid, 1.0, [omega](double x, double y, double) {
        return WindXY{-omega * y, omega * x};
    });
    h.set_air_mass(met);
    auto cone = [&](int i, int j) {
        const double r = std::hypot(test::cell_x(h.grid, i), test::cell_y(h.grid, j) - 25.0 * dx) / (15.0 * dx);
        return 1.0 + 4.0 * std::max(0.0, 1.0 - r);
    };
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) h.state.q[j * n + i] = static_cast<real>(cone(i, j));
    const std::vector<real> initial(h.state.q.begin(), h.state.q.end());
    auto excess_mass = [&] {
        double s = 0;
        for (std::size_t c = 0; c < h.state.q.size(); ++c) s += h.state.air_mass_kg[c] * (h.state.q[c] - 1.0);
        return s;
    };
    const double excess0 = excess_mass();
    h.processes.push_back(std::make_unique<Advection>(h.grid, 1, kernels::Reconstruction::ppm, BoundaryKind::open, 0.9,
                                                      fixed_ratio(1, 1.0)));
    for (int step = 0; step < 6 * steps_per_revolution; ++step) h.step(met, dt);

    const real qmin = *std::min_element(h.state.q.begin(), h.state.q.end());
    const real qmax = *std::max_element(h.state.q.begin(), h.state.q.end());
    double sq = 0;
    for (std::size_t c = 0; c < initial.size(); ++c) sq += std::pow(h.state.q[c] - initial[c], 2);
    const double rms = std::sqrt(sq / initial.size());
    const double excess_change = (excess_mass() - excess0) / excess0;
    WARN("rotating cone after 6 revolutions: min " << qmin << ", max " << qmax << " (exact 5), RMS error " << rms
                                                  << ", relative change of excess mass " << excess_change);
    CHECK(qmin >= 1.0f);
    CHECK(qmax <= 5.0f);
    CHECK(qmax > 3.0f);  // peak clipping of monotone PPM at Courant 0.5 stays moderate
    // The cone never reaches the boundary; only storage rounding changes its mass. In single
    // precision each of the 7680 sweeps rounds 10^4 cells holding 1..5 by ≤ 6e-8 relative, which
    // bounds the drift of the excess (≈ 8% of the total) at a few 1e-4; double storage at ~1e-12.
    CHECK(std::fabs(excess_change) < (sizeof(real) == 4 ? 5e-4 : 1e-10));
    CHECK(rms < 0.1);
}

TEST_CASE("Steady weather: each step ends on the weather's air mass exactly, and the work kept between steps "
          "equals recomputing it", "[property][advection]") {
    // Run A keeps its weather (the same revisions every step), so the advection keeps its vertical
    // mass flux and, from the third step on, the air masses between its sweeps, and the horizontal
    // diffusion its stability measure; the state's air mass holds the target's revision. Run B gets
    // new revisions and an unknown air mass every step, so everything is recomputed.
    // docs/architecture.md, "The step ends on the weather's air mass" and "Steady weather: the sweeps'
    // air masses kept". With tags, the tag sweeps read the kept air masses too.
    // Δt = 400 s: the x-wind runs from about 0 to 6.6 m/s across the grid, so its lines need 1 or 2
    // sub-steps (Courant numbers up to 1.3 against 0.9), which the kept steps take from the step
    // that counted them; at 200 s every line takes 1.
    const bool tagged = GENERATE(false, true);
    const double dt_s = GENERATE(200.0, 400.0);
    const int nspec = tagged ? 3 : 1;  // tagged: bulk tracer 0 with tags 1 (background) and 2
    const GridConfig gc = test::cartesian(30, 24, 2000.0, uniform_faces(5, 60.0));
    // A wind that converges and turns with height: the vertical mass flux is not zero.
    const test::WindField wind = [](double x, double y, double z) { return WindXY{6.0 - 1e-4 * x + 0.002 * z, 2.0 + 5e-5 * y}; };
    auto make = [&](Harness& h, MetState& met) {
        met = test::hand_made_met(h.grid, 1.15, wind, 30.0);
        for (auto& r : met.revision) r = new_met_revision();
        h.set_air_mass(met);
        // The first step starts off the weather's air mass (so its vertical flux differs from the
        // steady one the next steps must compute once and then keep).
        for (std::size_t c = 0; c < h.state.air_mass_kg.size(); ++c) h.state.air_mass_kg[c] *= 1.0 + 0.02 * std::sin(0.37 * static_cast<double>(c));
        fill_random(h.state, 0.0, 50.0, 11);
        if (tagged) {  // the tags split the bulk 30 / 70
            const std::size_t cells = h.state.field_size();
            for (std::size_t c = 0; c < cells; ++c) {
                h.state.species(1)[c] = static_cast<real>(0.3 * h.state.species(0)[c]);
                h.state.species(2)[c] = h.state.species(0)[c] - h.state.species(1)[c];
            }
        }
        TransportConfig tc;
        tc.horizontal_diffusion = HorizontalDiffusion::constant;
        tc.kh_m2_s = 2000.0;
        auto advection = std::make_unique<Advection>(h.grid, nspec, kernels::Reconstruction::ppm, BoundaryKind::open, 0.9,
                                                     fixed_ratio(nspec, 5.0));
        if (tagged) advection->set_tags(1, {0}, {1, 2}, 2, 0);
        h.processes.push_back(std::move(advection));
        h.processes.push_back(std::make_unique<HorizontalDiffusionProcess>(h.grid, nspec, tc));
        h.processes.push_back(std::make_unique<VerticalMixing>(h.grid, nspec, EmissionTable{}, std::vector<double>(nspec, 0.0), true));
    };
    Harness a(gc, nspec), b(gc, nspec);
    MetState met_a, met_b;
    make(a, met_a);
    make(b, met_b);
    FieldVector<double> target(a.state.air_mass_kg.size());
    kernels::air_mass_from_density(grid_views(a.grid, false), met_a.rho_kg_m3.data(), target.data());
    REQUIRE(a.state.q == b.state.q);
    for (int n = 0; n < 12; ++n) {
        a.step(met_a, dt_s);
        for (auto& r : met_b.revision) r = new_met_revision();
        b.state.air_mass_rev = 0;
        b.step(met_b, dt_s);
        INFO("tagged " << tagged << ", dt " << dt_s << " s, step " << n);
        REQUIRE(a.state.air_mass_kg == target);  // exactly the weather's air mass, every step
        REQUIRE(a.state.air_mass_rev != 0);
        REQUIRE(a.state.q == b.state.q);         // bit for bit (with tags: the tags too)
    }
    REQUIRE(b.state.air_mass_kg == target);
    // Not vacuous: the field moved, and the tags are not a fixed share of the bulk.
    Harness c(gc, nspec);
    MetState met_c;
    make(c, met_c);
    std::size_t moved = 0;
    for (std::size_t n = 0; n < c.state.q.size(); ++n) moved += c.state.q[n] != a.state.q[n];
    CHECK(moved > c.state.q.size() / 2);
    if (tagged) {
        std::size_t reshared = 0;
        for (std::size_t n = 0; n < a.state.field_size(); ++n)
            reshared += std::fabs(a.state.species(1)[n] - 0.3 * a.state.species(0)[n]) > 1e-3 * a.state.species(0)[n];
        CHECK(reshared > a.state.field_size() / 10);
    }
}

TEST_CASE("Transport gives bit-identical results with 1 and 2 OpenMP threads", "[property][threads]") {
    auto run = [](int threads) {
        omp_set_num_threads(threads);
        Harness h(test::cartesian(37, 29, 1000.0, uniform_faces(5, 150.0)), 3);
        const MetState met = test::hand_made_met(h.grid, 1.1, swirl(18500.0, 12.0), 15.0);
        h.set_air_mass(met);
        fill_random(h.state, 0.0, 50.0, 3);
        TransportConfig tc;
        tc.horizontal_diffusion = HorizontalDiffusion::smagorinsky;
        const EmissionTable e = make_emission_table(h.grid.columns(), 3, {{499, {2, 0, 1e6}}, {499, {0, 2, 3e5}}});
        h.processes.push_back(std::make_unique<Advection>(h.grid, 3, kernels::Reconstruction::ppm, BoundaryKind::open,
                                                          0.9, fixed_ratio(3, 5.0)));
        h.processes.push_back(std::make_unique<HorizontalDiffusionProcess>(h.grid, 3, tc));
        h.processes.push_back(std::make_unique<VerticalMixing>(h.grid, 3, e, std::vector<double>{0.01, 0.0, 0.002}, true));
        for (int n = 0; n < 40; ++n) h.step(met, 80.0);
        omp_set_num_threads(2);
        return std::make_pair(h.state.q, h.ledger[0].kg("deposited") + h.ledger[2].outflow_total_kg());
    };
    const auto one = run(1);
    const auto two = run(2);
    REQUIRE(one.first.size() == two.first.size());
    std::size_t differing = 0;
    for (std::size_t c = 0; c < one.first.size(); ++c) differing += one.first[c] != two.first[c];
    CHECK(differing == 0);
    CHECK(one.second == two.second);
}
