// Map projections through PROJ (grid/projection.hpp): the grids of before PROJ come back with the
// same centres (1e-9°), projection coordinates and map factors; every projection inverts itself;
// polar stereographic and Mercator against their textbook formulas and their closed-form map
// factors against PROJ's numerical ones; one MapProjection used by several threads at once.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "config/config_parser.hpp"
#include "grid/grid.hpp"
#include "met/wrf_met.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {

const std::string kCentres = std::string(LANTIAN_SOURCE_DIR) + "/tests/unit/data/projection_centres.csv";

double num(const std::map<std::string, std::string>& row, const std::string& key) { return std::stod(row.at(key)); }

// Difference of two longitudes in degrees, across the dateline.
double lon_diff(double a, double b) { return std::fabs(std::remainder(a - b, 360.0)); }

}  // namespace

TEST_CASE("PROJ reproduces the cell centres, coordinates and map factors of the hand-written projections", "[unit][grid][projection]") {
    // tests/unit/data/projection_centres.csv: recorded from the formulas PROJ replaced (commit 3e15971).
    const auto rows = test::csv_rows(kCentres);
    REQUIRE(rows.size() > 800);
    std::map<std::string, Grid> grids;
    double worst_deg = 0, worst_xy_m = 0, worst_m_rel = 0;
    std::size_t checked = 0;
    for (const auto& row : rows) {
        const std::string name = row.at("grid");
        if (!grids.count(name)) {
            GridConfig g;
            g.projection = row.at("projection") == "cartesian" ? Projection::cartesian : Projection::lambert;
            g.nx = std::stoi(row.at("nx"));
            g.ny = std::stoi(row.at("ny"));
            g.dx_m = num(row, "dx_m");
            g.dy_m = num(row, "dy_m");
            g.center_lon = num(row, "center_lon");
            g.center_lat = num(row, "center_lat");
            g.truelat1 = num(row, "truelat1");
            g.truelat2 = num(row, "truelat2");
            g.stand_lon = num(row, "stand_lon");
            grids.emplace(name, Grid(g));
        }
        const Grid& grid = grids.at(name);
        const int i = std::stoi(row.at("i")), j = std::stoi(row.at("j"));
        const std::size_t at = static_cast<std::size_t>(j) * grid.nx() + i;
        INFO(name << " cell (" << i << ", " << j << ")");
        worst_deg = std::max({worst_deg, lon_diff(grid.lon()[at], num(row, "lon_deg")), std::fabs(grid.lat()[at] - num(row, "lat_deg"))});
        worst_xy_m = std::max({worst_xy_m, std::fabs(grid.x()[i] - num(row, "x_m")), std::fabs(grid.y()[j] - num(row, "y_m"))});
        worst_m_rel = std::max(worst_m_rel, std::fabs(grid.projection().map_factor(grid.lat()[at]) / num(row, "map_factor") - 1.0));
        ++checked;
    }
    CAPTURE(worst_deg, worst_xy_m, worst_m_rel, checked);
    CHECK(grids.size() == 8);
    CHECK(worst_deg < 1e-9);
    CHECK(worst_xy_m < 1e-6);   // m: the projection coordinates did not move either
    CHECK(worst_m_rel < 1e-9);

    // The WRF example's grid is placed by projecting the file's XLAT/XLONG: the same centre as before.
    const GridConfig wrf = with_met_grid(load_config(std::string(LANTIAN_SOURCE_DIR) + "/configs/wrf_example.ini")).grid;
    const auto first_wrf = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.at("grid") == "wrf_example"; });
    REQUIRE(first_wrf != rows.end());
    CHECK(std::fabs(wrf.center_lat - num(*first_wrf, "center_lat")) < 1e-9);
    CHECK(std::fabs(wrf.center_lon - num(*first_wrf, "center_lon")) < 1e-9);
}

TEST_CASE("Every projection inverts its forward transform to 1e-9 degrees", "[unit][grid][projection]") {
    struct Case {
        const char* name;
        MapProjection proj;
        std::vector<LonLat> points;
    };
    const std::vector<LonLat> mid = {{108.0, 38.5}, {110.75, 40.7}, {113.9, 42.9}, {95.0, 25.0}, {130.0, 55.0}};
    const std::vector<Case> cases = {
        {"lambert", MapProjection(Projection::lambert, 110.75, 40.7, 30.0, 60.0, 110.0), mid},
        {"lambert south", MapProjection(Projection::lambert, 145.0, -37.0, -30.0, -60.0, 140.0),
         {{140.0, -37.0}, {150.5, -30.2}, {131.0, -45.0}}},
        {"polar north", MapProjection(Projection::polar, 0, 0, 60.0, 60.0, -100.0),
         {{-100.0, 60.0}, {-45.0, 75.0}, {170.0, 88.0}, {10.0, 20.0}, {-179.5, 45.0}}},
        {"polar south", MapProjection(Projection::polar, 0, 0, -71.0, -71.0, 0.0),
         {{0.0, -71.0}, {-120.0, -80.0}, {160.0, -60.0}, {45.0, -89.5}}},
        {"mercator", MapProjection(Projection::mercator, 0, 0, 22.5, 0.0, 105.0),
         {{105.0, 0.0}, {90.0, 15.0}, {125.0, 35.0}, {100.0, -10.0}, {-175.0, 60.0}}},
        {"cartesian", MapProjection(Projection::cartesian, 110.75, 40.7), mid},
        {"latlon", MapProjection(Projection::latlon, 110.75, 40.7), mid},
    };
    for (const Case& c : cases) {
        for (const LonLat& p : c.points) {
            INFO(c.name << " at (" << p.lon_deg << ", " << p.lat_deg << ")");
            const XY xy = c.proj.forward(p);
            REQUIRE(std::isfinite(xy.x));
            REQUIRE(std::isfinite(xy.y));
            const LonLat back = c.proj.inverse(xy);
            CHECK(lon_diff(back.lon_deg, p.lon_deg) < 1e-9);
            CHECK(std::fabs(back.lat_deg - p.lat_deg) < 1e-9);
        }
    }
}

TEST_CASE("Polar stereographic and Mercator follow Snyder's formulas on the sphere", "[unit][grid][projection]") {
    const double R = kEarthRadiusM;
    // Polar stereographic, north pole, true at φ_ts (Snyder 1987 eqs. 21-4, 21-5, 21-6 with the
    // scale k0 = (1 + sin φ_ts)/2 of WRF's set_ps): ρ = R (1 + sin φ_ts) tan(π/4 − φ/2),
    // x = ρ sin(λ − λ0), y = −ρ cos(λ − λ0); south pole: ρ = R (1 − sin φ_ts) tan(π/4 + φ/2), y = +ρ cos.
    for (const double ts : {60.0, 90.0, -60.0}) {
        const double h = ts > 0 ? 1.0 : -1.0, lon0 = -100.0;
        const MapProjection p(Projection::polar, 0, 0, ts, ts, lon0);
        for (const LonLat q : {LonLat{-80.0, h * 50.0}, LonLat{150.0, h * 70.0}, LonLat{-100.0, h * 89.0}}) {
            INFO("true latitude " << ts << " at (" << q.lon_deg << ", " << q.lat_deg << ")");
            const double phi = q.lat_deg * kDegToRad, dl = (q.lon_deg - lon0) * kDegToRad;
            const double rho = R * (1.0 + h * std::sin(ts * kDegToRad)) * std::tan(kPi / 4.0 - h * phi / 2.0);
            const XY xy = p.forward(q);
            CHECK(xy.x == Approx(rho * std::sin(dl)).margin(1e-6));
            CHECK(xy.y == Approx(-h * rho * std::cos(dl)).margin(1e-6));
            // m = (1 + h sin φ_ts) / (1 + h sin φ); 1 on the true latitude.
            CHECK(p.map_factor(q.lat_deg) == Approx((1.0 + h * std::sin(ts * kDegToRad)) / (1.0 + h * std::sin(phi))).epsilon(1e-14));
        }
        CHECK(p.map_factor(ts) == Approx(1.0).epsilon(1e-14));
    }
    // Mercator true at φ_ts (Snyder eqs. 7-1, 7-2 scaled by cos φ_ts): x = R cos φ_ts (λ − λ0),
    // y = R cos φ_ts ln tan(π/4 + φ/2); m = cos φ_ts / cos φ.
    const double ts = 22.5, lon0 = 105.0, k0 = std::cos(ts * kDegToRad);
    const MapProjection m(Projection::mercator, 0, 0, ts, 0, lon0);
    for (const LonLat q : {LonLat{105.0, 0.0}, LonLat{120.0, 40.0}, LonLat{80.0, -25.0}}) {
        INFO("mercator at (" << q.lon_deg << ", " << q.lat_deg << ")");
        const XY xy = m.forward(q);
        CHECK(xy.x == Approx(R * k0 * (q.lon_deg - lon0) * kDegToRad).margin(1e-6));
        CHECK(xy.y == Approx(R * k0 * std::log(std::tan(kPi / 4.0 + q.lat_deg * kDegToRad / 2.0))).margin(1e-6));
        CHECK(m.map_factor(q.lat_deg) == Approx(k0 / std::cos(q.lat_deg * kDegToRad)).epsilon(1e-14));
    }
    CHECK(m.map_factor(ts) == Approx(1.0).epsilon(1e-14));
    CHECK(m.map_factor(-ts) == Approx(1.0).epsilon(1e-14));
}

TEST_CASE("Closed-form map factors agree with PROJ's scale", "[unit][grid][projection]") {
    const std::vector<std::pair<const char*, MapProjection>> conformal = {
        {"lambert", MapProjection(Projection::lambert, 110.75, 40.7, 30.0, 60.0, 110.0)},
        {"lambert tangent", MapProjection(Projection::lambert, 120.0, 30.0, 35.0, 35.0, 118.0)},
        {"lambert south", MapProjection(Projection::lambert, 145.0, -37.0, -30.0, -60.0, 140.0)},
        {"polar north", MapProjection(Projection::polar, 0, 0, 60.0, 60.0, -100.0)},
        {"polar south", MapProjection(Projection::polar, 0, 0, -71.0, -71.0, 0.0)},
        {"mercator", MapProjection(Projection::mercator, 0, 0, 22.5, 0.0, 105.0)},
    };
    for (const auto& [name, p] : conformal) {
        const double h = std::string(name).find("south") != std::string::npos ? -1.0 : 1.0;
        for (double lat : {5.0, 25.0, 40.0, 55.0, 70.0}) {
            INFO(name << " at latitude " << h * lat);
            const double proj = p.proj_parallel_scale({p.kind() == Projection::lambert ? 112.0 : -95.0, h * lat});
            CHECK(p.map_factor(h * lat) == Approx(proj).epsilon(1e-9));
        }
    }
    // The latlon projection has no PROJ object.
    CHECK(std::isnan(MapProjection(Projection::latlon, 0, 0).proj_parallel_scale({0, 0})));
}

TEST_CASE("The PROJ definitions and CRS of the projections", "[unit][grid][projection]") {
    const MapProjection lcc(Projection::lambert, 110.75, 40.7, 30.0, 60.0, 110.0);
    CHECK(lcc.proj_definition() == "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=40.7 +lon_0=110 +R=6370000 +units=m");
    CHECK_THAT(lcc.crs_wkt(), Catch::Contains("Lambert Conic Conformal (2SP)") && Catch::Contains("6370000"));
    const MapProjection south(Projection::polar, 0, 0, -60.0, 0, 30.0);
    CHECK(south.proj_definition() == "+proj=stere +lat_0=-90 +lat_ts=-60 +lon_0=30 +R=6370000 +units=m");
    CHECK_THAT(south.crs_wkt(), Catch::Contains("Polar Stereographic (variant B)"));
    CHECK_THAT(MapProjection(Projection::mercator, 0, 0, 10.0, 0, 100.0).crs_wkt(), Catch::Contains("Mercator (variant B)"));
    CHECK_THAT(MapProjection(Projection::cartesian, 110, 40).crs_wkt(), Catch::Contains("Azimuthal Equidistant"));
    CHECK(MapProjection(Projection::latlon, 0, 0).proj_definition().empty());
    CHECK_THAT(MapProjection(Projection::latlon, 0, 0).crs_wkt(), Catch::StartsWith("GEOGCRS"));
    // A point a projection cannot show (the opposite pole of a cone) is not finite, not a wrong number.
    const XY pole = lcc.forward({0.0, -90.0});
    CHECK_FALSE((std::isfinite(pole.x) && std::isfinite(pole.y)));
}

TEST_CASE("One MapProjection (and its copies) used from several threads at once gives the serial results", "[unit][grid][projection]") {
    const MapProjection p(Projection::lambert, 110.75, 40.7, 30.0, 60.0, 110.0);
    const MapProjection polar(Projection::polar, 0, 0, 60.0, 60.0, 110.0);
    constexpr int kPoints = 20000;
    auto point = [](int n) { return LonLat{100.0 + 20.0 * (n % 97) / 97.0, 30.0 + 20.0 * (n % 89) / 89.0}; };
    std::vector<XY> serial(kPoints), serial_polar(kPoints);
    for (int n = 0; n < kPoints; ++n) {
        serial[n] = p.forward(point(n));
        serial_polar[n] = polar.forward(point(n));
    }
    constexpr int kThreads = 4;
    std::vector<int> mismatches(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            const MapProjection copy = p;  // a copy shares the definition
            for (int n = 0; n < kPoints; ++n) {
                const MapProjection& use = (n % 2) ? copy : p;
                const XY a = use.forward(point(n));
                const XY b = polar.forward(point(n));
                const LonLat back = use.inverse(a);
                if (a.x != serial[n].x || a.y != serial[n].y || b.x != serial_polar[n].x || b.y != serial_polar[n].y ||
                    lon_diff(back.lon_deg, point(n).lon_deg) > 1e-9)
                    ++mismatches[t];
            }
        });
    for (auto& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) CHECK(mismatches[t] == 0);
}

TEST_CASE("A 400 x 400 grid: every column placed and sized by the projection", "[unit][grid][projection]") {
    // (Its build time is measured by lantian_bench, "grid construction", not here: a timed test
    // fails on a loaded machine.)
    GridConfig g;
    g.nx = 400;
    g.ny = 400;
    g.dx_m = 3000;
    g.nz = 4;
    const Grid grid(g);
    REQUIRE(grid.lat().size() == 160000u);
    REQUIRE(grid.area_m2().size() == 160000u);
    // A 1200 km Lambert grid (true latitudes 30/60) around 40.7N: map factors within a few percent
    // of 1, so every cell's area is (dx / m)^2 within 15% of dx^2; latitude grows with j in every column.
    std::size_t off = 0, unordered = 0;
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
            const std::size_t c = static_cast<std::size_t>(j) * g.nx + i;
            const double ratio = grid.area_m2()[c] / (g.dx_m * g.dx_m);
            off += !(ratio > 0.85 && ratio < 1.15);
            if (j > 0) unordered += !(grid.lat()[c] > grid.lat()[c - g.nx]);
        }
    CHECK(off == 0);
    CHECK(unordered == 0);
}

TEST_CASE("Polar stereographic and Mercator grids: config rules and cell geometry", "[unit][grid][projection]") {
    auto config_error = [](const std::vector<std::string>& overrides) {
        try {
            load_config_text("[run]\nhours = 1\n", "test.ini", overrides);
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK_THAT(config_error({"grid.projection=polar_stereographic", "grid.truelat1=0"}),
               Catch::Contains("grid.truelat1") && Catch::Contains("polar_stereographic grid needs a nonzero true latitude"));
    CHECK_THAT(config_error({"grid.projection=mercator", "grid.truelat1=90"}),
               Catch::Contains("grid.truelat1") && Catch::Contains("mercator grid needs |true latitude| < 90"));
    CHECK(config_error({"grid.projection=polar_stereographic", "grid.truelat1=-60", "grid.truelat2=10"}).empty());
    CHECK_THAT(config_error({"grid.projection=polar"}), Catch::Contains("polar_stereographic"));  // names the allowed values

    // A polar grid: areas are dx dy / m², with m from the cell centre's latitude.
    GridConfig g;
    g.projection = Projection::polar;
    g.truelat1 = 60.0;
    g.stand_lon = 110.0;
    g.center_lon = 110.0;
    g.center_lat = 70.0;
    g.nx = 20;
    g.ny = 16;
    g.dx_m = 20000;
    const Grid grid(g);
    const std::size_t centre = 8 * 20 + 10;
    const double m = (1.0 + std::sin(60.0 * kDegToRad)) / (1.0 + std::sin(grid.lat()[centre] * kDegToRad));
    CHECK(grid.area_m2()[centre] == Approx(20000.0 * 20000.0 / (m * m)).epsilon(1e-12));
    double fi = 0, fj = 0;
    REQUIRE(grid.locate({grid.lon()[centre], grid.lat()[centre]}, fi, fj));
    CHECK(fi == Approx(10.0).margin(1e-9));
    CHECK(fj == Approx(8.0).margin(1e-9));
    // On stand_lon the grid's columns run north-south: the centre column's longitudes are stand_lon.
    GridConfig odd = g;
    odd.nx = 21;
    const Grid on_meridian(odd);
    for (int j = 0; j < on_meridian.ny(); ++j) CHECK(on_meridian.lon()[static_cast<std::size_t>(j) * 21 + 10] == Approx(110.0).margin(1e-9));
}
