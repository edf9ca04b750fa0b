// Transport in real WRF winds (the wrfout file shipped in configs/wrf/): a uniform mixing ratio
// stays uniform through advection, horizontal and vertical mixing.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "met/met_source.hpp"
#include "met/wrf_met.hpp"
#include "processes/advection.hpp"
#include "processes/mixing.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {
const std::string kExample = std::string(LANTIAN_SOURCE_DIR) + "/configs/wrf_example.ini";
Config wrf_config() { return load_config(kExample, {}); }
}  // namespace

TEST_CASE("A uniform mixing ratio stays uniform in the real WRF winds", "[property][wrf]") {
    const Config cfg = with_met_grid(wrf_config());
    test::Harness h(cfg.grid, 1);
    auto source = make_met_source(cfg, h.grid, parse_iso_time_utc(cfg.run.start));
    MetTimeline timeline(*source, h.grid);
    const double q0 = 41.0;
    h.set_air_mass(timeline.at(0.0));
    std::fill(h.state.q.begin(), h.state.q.end(), static_cast<real>(q0));
    BoundaryProfile inflow;
    inflow.surface_ug_m3 = {q0};
    inflow.as_mixing_ratio = true;
    TransportConfig tc;
    h.processes.push_back(std::make_unique<Advection>(h.grid, 1, kernels::Reconstruction::ppm, BoundaryKind::open, 0.9, inflow));
    h.processes.push_back(std::make_unique<HorizontalDiffusionProcess>(h.grid, 1, tc));
    h.processes.push_back(std::make_unique<VerticalMixing>(h.grid, 1, EmissionTable{}, std::vector<double>{0.0}, true));
    MetState mid, end;
    double t = 0, worst = 0, max_u = 0;
    const double dt = 600.0;
    while (t < 9 * 3600.0 - 1) {
        mid = timeline.at(t + 0.5 * dt);
        end = timeline.at(t + dt);
        for (double u : mid.u_face_x_m_s) max_u = std::max(max_u, std::fabs(u));
        h.step(mid, end, dt);
        t += dt;
        for (real q : h.state.q) worst = std::max(worst, std::fabs(q - q0) / q0);
    }
    CAPTURE(worst, max_u);
    CHECK(max_u > 5.0);  // real winds, not a calm (the property is not vacuous)
    // 2e-6: single-precision rounding per sweep, as for the analytic divergent flow.
    CHECK(worst < 2e-6);
}

