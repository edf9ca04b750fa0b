// Grid geometry and projections.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "grid/grid.hpp"

using namespace lantian;

TEST_CASE("Lambert conformal conic matches Snyder's worked example", "[unit][grid]") {
    // Snyder (1987) p. 296: sphere R = 1, φ1 = 33°, φ2 = 45°, φ0 = 23°, λ0 = −96°;
    // (φ, λ) = (35°, −75°) → x = 0.2966785, y = 0.2462112.
    const MapProjection p(Projection::lambert, -96.0, 23.0, 33.0, 45.0, -96.0);
    const XY xy = p.forward({-75.0, 35.0});
    CHECK(xy.x / kEarthRadiusM == Approx(0.2966785).margin(2e-7));
    CHECK(xy.y / kEarthRadiusM == Approx(0.2462112).margin(2e-7));
    CHECK(p.cone() == Approx(0.6304777).margin(1e-7));
}

TEST_CASE("Projections invert their forward transform", "[unit][grid]") {
    struct Case {
        Projection kind;
        const char* name;
    };
    constexpr Case cases[] = {{Projection::lambert, "lambert"}, {Projection::latlon, "latlon"}, {Projection::cartesian, "cartesian"}};
    for (const Case& c : cases) {
        INFO(c.name);
        const MapProjection p(c.kind, 110.75, 40.7, 30.0, 60.0, 110.0);
        for (double lon : {108.0, 110.75, 113.9})
            for (double lat : {38.5, 40.7, 42.9}) {
                const LonLat back = p.inverse(p.forward({lon, lat}));
                CHECK(back.lon_deg == Approx(lon).margin(1e-9));
                CHECK(back.lat_deg == Approx(lat).margin(1e-9));
            }
    }
}

TEST_CASE("Lambert map factor is 1 on the true latitudes and below 1 between them", "[unit][grid]") {
    const MapProjection p(Projection::lambert, 110.0, 40.0, 30.0, 60.0, 110.0);
    CHECK(p.map_factor(30.0) == Approx(1.0).margin(1e-12));
    CHECK(p.map_factor(60.0) == Approx(1.0).margin(1e-12));
    CHECK(p.map_factor(45.0) < 1.0);
}

TEST_CASE("Lat-lon cell areas add up to the area of the spherical band", "[unit][grid]") {
    GridConfig g;
    g.projection = Projection::latlon;
    g.nx = 360;
    g.ny = 40;
    g.dlon_deg = 1.0;
    g.dlat_deg = 0.5;
    g.center_lon = 179.5;
    g.center_lat = 40.0;
    const Grid grid(g);
    const double total = std::accumulate(grid.area_m2().begin(), grid.area_m2().end(), 0.0);
    const double band = 2 * kPi * kEarthRadiusM * kEarthRadiusM * (std::sin(50.0 * kDegToRad) - std::sin(30.0 * kDegToRad));
    CHECK(total == Approx(band).epsilon(1e-12));
}

TEST_CASE("Stretched layers start at the requested thickness and end at the top", "[unit][grid]") {
    const std::vector<double> f = stretched_faces(16, 30.0, 4000.0);
    REQUIRE(f.size() == 17);
    CHECK(f[0] == 0.0);
    CHECK(f[1] == Approx(30.0).epsilon(1e-9));
    CHECK(f[16] == 4000.0);
    for (int k = 1; k < 16; ++k) CHECK(f[k + 1] - f[k] >= f[k] - f[k - 1]);
}

TEST_CASE("Cartesian grids locate points in the right cell", "[unit][grid]") {
    GridConfig g;
    g.projection = Projection::cartesian;
    g.nx = 20;
    g.ny = 10;
    g.dx_m = 5.0;  // near-field: cells of a few metres
    g.center_lon = 110.0;
    g.center_lat = 40.0;
    g.layer_faces_m = {0, 2, 5, 10};
    const Grid grid(g);
    CHECK(grid.area_m2()[0] == Approx(25.0));
    double fi, fj;
    REQUIRE(grid.locate({grid.lon()[3 * 20 + 7], grid.lat()[3 * 20 + 7]}, fi, fj));
    CHECK(fi == Approx(7.0).margin(1e-6));
    CHECK(fj == Approx(3.0).margin(1e-6));
    CHECK_FALSE(grid.locate({110.1, 40.0}, fi, fj));
    CHECK(grid.layer_of(6.0) == 2);
}
