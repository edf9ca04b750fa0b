// Briggs plume rise against values computed by hand from the formulas in plume_rise_kernels.hpp.
#include <catch2/catch.hpp>
#include <vector>

#include "plume_rise_kernels.hpp"

using namespace lantian::kernels;

namespace {
struct RiseCase {
    const char* label;
    StackParameters stack;
    StackWeather met;
    double min_wind_m_s;
    PlumeBranch branch;
    double release_m, rise_m, bottom_m, top_m;
};

// Hand computation (g = 9.81 m s-2): F_b = g v d² ΔT / (4 T_s), F_m = v² d² T_a / (4 T_s),
// s = g/T_a · dθ/dz, H* = u*³ / (κ |L|); the formula that wins is named per row.
constexpr RiseCase kCases[] = {
    // F_b = 29.43 < 55: 21.425·29.43^0.75/5 = 54.1432 > jet 3·2·10/5 = 12
    {"neutral, small F", {50, 2, 400, 10}, {5, 280, 0, 0.3, 1e6, 1000}, 1.0, PlumeBranch::neutral, 50, 54.1432, 77.0716, 131.215},
    // F_b = 407.453 ≥ 55: 38.71·407.453^0.6/8 = 178.147
    {"neutral, large F (power plant)", {240, 7.5, 323, 18}, {8, 270, 0, 0.4, 5000, 1200}, 1.0, PlumeBranch::neutral, 240, 178.147, 329.074, 507.221},
    // s = 7.4038e-4 s-2: windy 2.6·(97.7496/(3 s))^(1/3) = 91.7953 < calm 187.734
    {"stable, windy", {100, 3, 420, 12}, {3, 265, 0.02, 0.1, 50, 300}, 1.0, PlumeBranch::stable, 100, 91.7953, 145.898, 237.693},
    // u = 0.2: windy 226.387 > calm 4·97.7496^0.25·s^-0.375 = 187.734; momentum 50.3 is smaller
    {"stable, calm", {100, 3, 420, 12}, {0.2, 265, 0.02, 0.05, 20, 300}, 0.2, PlumeBranch::stable, 100, 187.734, 193.867, 381.602},
    // H* = 0.5³/(0.4·30) = 0.0104167: 3·(81.75/4)^0.6·H*^-0.4 = 113.838 < neutral 214.6
    {"unstable, convective", {60, 2.5, 450, 15}, {4, 290, 0, 0.5, -30, 1500}, 1.0, PlumeBranch::unstable, 60, 113.838, 116.919, 230.757},
    // no buoyancy; tip downwash 30 + 2·1·(4/6 − 1.5) = 28.3333; jet 3·1·4/6 = 2
    {"cold jet with tip downwash", {30, 1, 290, 4}, {6, 290, 0, 0.3, 1e6, 800}, 1.0, PlumeBranch::neutral, 28.3333, 2, 29.3333, 31.3333},
    // tip above the 150 m PBL → stable with dθ/dz floored at 0.005 K/m even though L < 0
    {"tip above the boundary layer", {200, 5, 400, 15}, {6, 270, 0.001, 0.4, -100, 150}, 1.0, PlumeBranch::stable, 200, 168.917, 284.458, 453.375},
};
}  // namespace

TEST_CASE("Briggs plume rise matches hand-computed values in every stability branch", "[unit][plume_rise]") {
    for (const RiseCase& c : kCases) {
        INFO(c.label);
        PlumeRiseOptions opt;
        opt.min_wind_m_s = c.min_wind_m_s;
        const PlumeExtent e = briggs_plume(c.stack, c.met, opt);
        CHECK(e.branch == c.branch);
        // 1e-5: the expected values are printed to six significant digits.
        CHECK(e.release_m == Approx(c.release_m).epsilon(1e-5));
        CHECK(e.rise_m == Approx(c.rise_m).epsilon(1e-5));
        CHECK(e.bottom_m == Approx(c.bottom_m).epsilon(1e-5));
        CHECK(e.top_m == Approx(c.top_m).epsilon(1e-5));
    }
}

TEST_CASE("Plume rise grows with buoyancy and shrinks with wind speed", "[unit][plume_rise]") {
    const PlumeRiseOptions opt;
    const StackParameters hot{150, 5, 450, 15}, cool{150, 5, 330, 15};
    const StackWeather calm{2, 270, 0, 0.3, 1e6, 1000}, windy{10, 270, 0, 0.6, 1e6, 1000};
    CHECK(briggs_plume(hot, calm, opt).rise_m > briggs_plume(cool, calm, opt).rise_m);
    CHECK(briggs_plume(hot, calm, opt).rise_m > briggs_plume(hot, windy, opt).rise_m);
    // The wind floor: a calm below min_wind_m_s gives the rise at min_wind_m_s.
    const StackWeather dead_calm{0.0, 270, 0, 0.3, 1e6, 1000}, floor{1.0, 270, 0, 0.3, 1e6, 1000};
    CHECK(briggs_plume(hot, dead_calm, opt).rise_m == briggs_plume(hot, floor, opt).rise_m);
    // Turning downwash off keeps the release at the tip.
    PlumeRiseOptions no_downwash;
    no_downwash.stack_tip_downwash = false;
    const StackParameters slow{30, 1, 290, 4};
    const StackWeather breeze{6, 290, 0, 0.3, 1e6, 800};
    CHECK(briggs_plume(slow, breeze, no_downwash).release_m == 30.0);
    CHECK(briggs_plume(slow, breeze, opt).release_m < 30.0);
}

// kernels::plume_layer_counts/fill: a plume's share of each layer is the height it overlaps there
// over its depth; a plume above the model top goes whole into the top layer.
TEST_CASE("Plume layer shares are the overlapped heights over the plume's depth", "[unit][plume_rise]") {
    const std::vector<double> zf = {0.0, 50.0, 150.0, 300.0, 500.0};  // 4 layers
    std::vector<lantian::kernels::PlumeExtent> plumes(3);
    plumes[0].bottom_m = 100.0, plumes[0].top_m = 250.0;  // 50 m in layer 1, 100 m in layer 2
    plumes[1].bottom_m = 400.0, plumes[1].top_m = 700.0;  // capped at 500: all 100 m in layer 3
    plumes[2].bottom_m = 600.0, plumes[2].top_m = 900.0;  // above the top: whole into layer 3
    // With first_layer the fill starts from the layers the count found (as the emission model
    // does); without, it searches again. Both must give the same shares.
    const bool keep_first = GENERATE(false, true);
    std::vector<int> first(3, -1);
    int* first_layer = keep_first ? first.data() : nullptr;
    std::vector<int> start(4, 0);
    lantian::kernels::plume_layer_counts(3, 4, zf.data(), plumes.data(), start.data() + 1, first_layer);
    for (std::size_t n = 1; n < start.size(); ++n) start[n] += start[n - 1];
    REQUIRE(start == std::vector<int>{0, 2, 3, 4});
    if (keep_first) CHECK(first == std::vector<int>{1, 3, 3});
    std::vector<lantian::kernels::LayerShare> shares(4);
    lantian::kernels::plume_layer_fill(3, 4, zf.data(), plumes.data(), start.data(), shares.data(), first_layer);
    CHECK(shares[0].k == 1);
    CHECK(shares[0].fraction == Approx(1.0 / 3.0));
    CHECK(shares[1].k == 2);
    CHECK(shares[1].fraction == Approx(2.0 / 3.0));
    CHECK(shares[2].k == 3);
    CHECK(shares[2].fraction == Approx(1.0));
    CHECK(shares[3].k == 3);
    CHECK(shares[3].fraction == Approx(1.0));
}
