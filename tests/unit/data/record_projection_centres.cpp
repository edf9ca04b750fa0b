// Records cell centres (projection x/y, lon/lat) and map factors of the grids in
// tests/unit/data/projection_centres.csv, computed by the hand-written projection formulas of
// src/grid/projection.cpp before PROJ replaced them (commit 3e15971). Built once against that
// library; kept for the record, not part of the build.
#include <cstdio>
#include <string>
#include <vector>

#include "config/config_parser.hpp"
#include "grid/grid.hpp"
#include "met/wrf_met.hpp"

using namespace lantian;

static void record(const std::string& name, const GridConfig& g) {
    const Grid grid(g);
    const char* kind = g.projection == Projection::lambert ? "lambert" : g.projection == Projection::cartesian ? "cartesian" : "latlon";
    const double stand = g.stand_lon > 1e8 ? g.center_lon : g.stand_lon;
    const double dy = g.dy_m > 0 ? g.dy_m : g.dx_m;
    auto picks = [](int n) {
        std::vector<int> v;
        const int stride = n > 10 ? n / 10 : 1;
        for (int i = 0; i < n; i += stride) v.push_back(i);
        if (v.back() != n - 1) v.push_back(n - 1);
        return v;
    };
    for (int j : picks(grid.ny()))
        for (int i : picks(grid.nx())) {
            const std::size_t at = static_cast<std::size_t>(j) * grid.nx() + i;
            std::printf("%s,%s,%d,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%d,%d,%.17g,%.17g,%.17g,%.17g,%.17g\n",
                        name.c_str(), kind, g.nx, g.ny, g.dx_m, dy, g.center_lon, g.center_lat, g.truelat1, g.truelat2,
                        stand, i, j, grid.x()[i], grid.y()[j], grid.lon()[at], grid.lat()[at],
                        grid.projection().map_factor(grid.lat()[at]));
        }
}

int main(int argc, char** argv) {
    if (argc < 2) return 1;
    const std::string root = argv[1];
    std::printf("grid,projection,nx,ny,dx_m,dy_m,center_lon,center_lat,truelat1,truelat2,stand_lon,i,j,x_m,y_m,lon_deg,lat_deg,map_factor\n");
    record("default", GridConfig{});
    record("episode_baotou", load_config(root + "/configs/episode_baotou.ini").grid);
    record("wrf_example", with_met_grid(load_config(root + "/configs/wrf_example.ini")).grid);
    GridConfig g;
    g.center_lon = 116.4; g.center_lat = 39.9; g.truelat1 = 25; g.truelat2 = 47; g.stand_lon = 105;
    g.nx = 60; g.ny = 50; g.dx_m = 12000; g.dy_m = 9000;
    record("lambert_25_47", g);
    g = GridConfig{};
    g.center_lon = 120; g.center_lat = 30; g.truelat1 = 35; g.truelat2 = 35; g.stand_lon = 118;
    g.nx = 40; g.ny = 40; g.dx_m = 27000;
    record("lambert_tangent_35", g);
    g = GridConfig{};
    g.center_lon = 145; g.center_lat = -37; g.truelat1 = -30; g.truelat2 = -60; g.stand_lon = 140;
    g.nx = 50; g.ny = 40; g.dx_m = 9000;
    record("lambert_south", g);
    g = GridConfig{};
    g.projection = Projection::cartesian; g.center_lon = 110.75; g.center_lat = 40.7;
    g.nx = 80; g.ny = 60; g.dx_m = 1000;
    record("cartesian", g);
    g = GridConfig{};
    g.projection = Projection::cartesian; g.center_lon = 120; g.center_lat = 45;
    g.nx = 120; g.ny = 100; g.dx_m = 25000;
    record("cartesian_wide", g);
    return 0;
}
