// Emissions on the grid conserve what the inventory says: roads by length, area cells by overlap,
// and the emitted mass of a run equals annual totals × profile fractions, per sector and species.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <random>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "emissions/emission_model.hpp"
#include "emissions/gridding.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {

LonLat centre(const Grid& g, int i, int j) {
    const std::size_t c = static_cast<std::size_t>(j) * g.nx() + i;
    return {g.lon()[c], g.lat()[c]};
}

double weight_of(const std::vector<CellWeight>& w, const Grid& g, int i, int j) {
    for (const auto& cw : w)
        if (cw.column == static_cast<std::size_t>(j) * g.nx() + i) return cw.weight;
    return 0.0;
}

GridConfig lambert_grid() {
    GridConfig g;
    g.projection = Projection::lambert;
    g.nx = 40;
    g.ny = 30;
    g.dx_m = 4000;
    g.center_lon = 110.0;
    g.center_lat = 40.6;
    g.layer_faces_m = {0, 30, 80, 160, 300, 500, 800, 1200, 2000};
    return g;
}

}  // namespace

TEST_CASE("Road rasterisation conserves the link's length and splits cell corners by length", "[property][emissions]") {
    const Grid grid(test::cartesian(10, 8, 1000.0, {0, 20, 60}));
    // Diagonal from the centre of cell (2,2) to the centre of (4,4): it passes exactly through the
    // corners (2.5, 2.5) and (3.5, 3.5), so the three diagonal cells share 1/4, 1/2, 1/4 and the
    // side cells get nothing.
    double outside = -1;
    const auto diag = rasterise_polyline(grid, {centre(grid, 2, 2), centre(grid, 4, 4)}, outside);
    CHECK(outside == Approx(0.0).margin(1e-12));
    // 1e-6: the cell centres go through the azimuthal-equidistant projection and back.
    CHECK(weight_of(diag, grid, 2, 2) == Approx(0.25).epsilon(1e-6));
    CHECK(weight_of(diag, grid, 3, 3) == Approx(0.5).epsilon(1e-6));
    CHECK(weight_of(diag, grid, 4, 4) == Approx(0.25).epsilon(1e-6));
    CHECK(weight_of(diag, grid, 2, 3) == Approx(0.0).margin(1e-6));
    CHECK(weight_of(diag, grid, 3, 2) == Approx(0.0).margin(1e-6));
    // Along a row from centre (1,2) to centre (5,2): halves at the ends, whole cells between.
    const auto row = rasterise_polyline(grid, {centre(grid, 1, 2), centre(grid, 5, 2)}, outside);
    CHECK(weight_of(row, grid, 1, 2) == Approx(0.125).epsilon(1e-6));
    CHECK(weight_of(row, grid, 3, 2) == Approx(0.25).epsilon(1e-6));
    CHECK(weight_of(row, grid, 5, 2) == Approx(0.125).epsilon(1e-6));

    // Random polylines, some leaving the domain: weights + outside = 1 to round-off.
    const Grid lam(lambert_grid());
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> lon(109.3, 110.7), lat(40.0, 41.2);
    for (int n = 0; n < 200; ++n) {
        std::vector<LonLat> path;
        for (int v = 0; v < 2 + n % 6; ++v) path.push_back({lon(rng), lat(rng)});
        const auto w = rasterise_polyline(lam, path, outside);
        double sum = outside;
        for (const auto& cw : w) sum += cw.weight;
        CHECK(sum == Approx(1.0).epsilon(1e-12));  // round-off of a few hundred additions
    }
}

TEST_CASE("Conservative regridding keeps every sector's total inside the domain", "[property][emissions]") {
    // A lat-lon model grid of 0.05° cells: a 0.25° source cell on its cell boundaries covers exactly
    // 5 × 5 model cells with weights equal to their share of the spherical area.
    GridConfig ll;
    ll.projection = Projection::latlon;
    ll.nx = 30;
    ll.ny = 20;
    ll.dlon_deg = 0.05;
    ll.dlat_deg = 0.05;
    ll.center_lon = 110.0;
    ll.center_lat = 40.5;
    ll.layer_faces_m = {0, 30, 80};
    const Grid g(ll);
    const double lon0 = g.lon()[0] - 0.025 + 0.25, lat0 = g.lat()[0] - 0.025 + 0.25;
    double outside = -1;
    const auto w = regrid_lonlat_cell(g, lon0, lat0, lon0 + 0.25, lat0 + 0.25, outside);
    CHECK(w.size() == 25);
    CHECK(outside == Approx(0.0).margin(1e-9));
    double area = 0;
    for (const auto& cw : w) area += g.area_m2()[cw.column];
    for (const auto& cw : w) CHECK(cw.weight == Approx(g.area_m2()[cw.column] / area).epsilon(1e-9));

    // The demonstration area file and a MEIC-like 0.25° block that straddles the domain edge on a
    // Lambert grid: gridded totals equal the inside totals for every sector and pollutant.
    const Grid lam(lambert_grid());
    Inventory inv;
    inv.areas = read_area_csv(std::string(LANTIAN_SOURCE_DIR) + "/configs/inventories/baotou/areas.csv");
    for (double x = 109.0; x < 111.0; x += 0.25)
        for (double y = 39.9; y < 41.4; y += 0.25) {
            AreaCell a;
            a.sector = Sector::industry;
            a.lon0 = x, a.lon1 = x + 0.25, a.lat0 = y, a.lat1 = y + 0.25;
            a.annual_t = {100, 50, 20, 10, 5, 1, 0};
            inv.areas.push_back(a);
        }
    InventoryConfig opt;
    EmissionModelOptions mo;
    mo.keep_annual_maps = true;
    const EmissionModel model(lam, {"SO2", "NO2", "CO", "PM25", "PMC", "NH3", "DUST"}, inv, opt, {}, {}, mo);
    const InventorySummary& s = model.summary();
    CHECK(!s.outside.empty());  // the block reaches beyond the 160 km × 120 km domain
    for (int c = 0; c < kInventorySectors; ++c)
        for (int p = 0; p < kPollutants; ++p) {
            double gridded = 0;
            for (double v : model.annual_map(c, p)) gridded += v;
            INFO(sector_name(c) << " " << kPollutantNames[p]);
            CHECK(gridded == Approx(s.inside_t[c][p]).epsilon(1e-12).margin(1e-9));
            CHECK(s.inside_t[c][p] <= s.total_t[c][p] * (1 + 1e-12));
        }
    // Inside share of the straddling block is close to its geometric share of area (not 0 or 1).
    const double industry_share = s.inside_t[static_cast<int>(Sector::industry)][0] / s.total_t[static_cast<int>(Sector::industry)][0];
    CHECK(industry_share > 0.2);
    CHECK(industry_share < 0.9);
}

TEST_CASE("Emitted mass equals annual totals times profile fractions, per sector and species", "[property][emissions][ledger]") {
    const std::string dir = test::scratch_dir("ledger_inv");
    test::write_text_file(dir, "points.csv",
               "id,name,sector,lon,lat,stack_height_m,diameter_m,exit_temp_k,exit_velocity_m_s,grade,SO2_t_yr,NOx_t_yr,"
               "CO_t_yr,PM25_t_yr,PM10_t_yr,VOC_t_yr,NH3_t_yr\n"
               "S1,sinter,steel,110.00,40.60,120,6,393,14,A,900,1500,30000,300,450,50,\n"
               "P1,power,power,110.10,40.65,240,7.5,323,18,A,560,800,480,96,144,32,40\n"
               "FAR,far away,power,120.0,30.0,240,7.5,323,18,A,560,800,480,96,144,32,40\n");
    test::write_text_file(dir, "factors.csv", "vehicle_class,road_class,SO2_g_km,NOx_g_km,CO_g_km,PM25_g_km,PM10_g_km,VOC_g_km,NH3_g_km\n"
                                   "hdt,*,0.01,5,2,0.08,0.1,0.2,0.01\n");
    test::write_text_file(dir, "roads.csv", "id,name,road_class,path,vkt_hdt_km_day\nG110,g110,highway,109.8 40.55;110.05 40.6;110.2 40.7,200000\n");
    test::write_text_file(dir, "areas.csv", "sector,lon,lat,dlon,dlat,SO2_t_yr,NOx_t_yr,CO_t_yr,PM25_t_yr,PM10_t_yr,VOC_t_yr,NH3_t_yr\n"
                                 "residential,110.0,40.6,0.1,0.1,3000,1000,50000,2500,3750,,100\n"
                                 "dust,109.9,40.5,0.2,0.2,,,,450,3000,,\n"
                                 "agriculture,110.1,40.7,0.25,0.25,,,,,,,5000\n");
    const std::string ini = test::write_text_file(dir, "run.ini",
                                       "[run]\nstart = 2026-01-11T20:00:00\nhours = 30\nmax_dt_s = 600\n"
                                       "[grid]\nprojection = lambert\nnx = 40\nny = 30\ndx_m = 4000\ncenter_lon = 110.0\n"
                                       "center_lat = 40.6\nnz = 10\nfirst_layer_m = 30\ntop_m = 3000\n"
                                       "[met]\nsource = uniform\nspeed_m_s = 2\n"
                                       "[species]\nnames = SO2 NO2 CO PM25 PMC NH3 DUST\n"
                                       "[inventory]\npoints = points.csv\nroads = roads.csv\nroad_factors = factors.csv\n"
                                       "areas = areas.csv\n"
                                       "[output]\ninterval_h = 1.5\n");  // 1.5 h records: steps straddle hour boundaries
    const Config cfg = load_config(ini);
    Simulation sim(cfg);
    sim.run(false);

    // Expected, from the files: inside totals (t/yr) × speciation × the profile fraction of the period.
    const Inventory inv = load_inventory(cfg);
    const Grid grid(cfg.grid);
    const EmissionModel model(grid, cfg.species.names, inv, cfg.inventory, {}, {});
    const double t0 = parse_iso_time_utc(cfg.run.start), t1 = t0 + cfg.run.hours * 3600;
    const auto& species = cfg.species.names;
    for (int c = 0; c < kInventorySectors; ++c) {
        const double fraction = inv.profiles.fraction(c, t0, t1);
        for (std::size_t s = 0; s < species.size(); ++s) {
            double expected_t = 0;
            for (int p = 0; p < kPollutants; ++p)
                for (const auto& share : inv.speciation.shares(c, p))
                    if (share.species == species[s]) expected_t += model.summary().inside_t[c][p] * share.mass_fraction;
            const double expected_kg = expected_t * 1e3 * fraction;
            INFO(sector_name(c) << " " << species[s]);
            // 1e-9: sums of ~300 step masses in double.
            CHECK(sim.ledger()[static_cast<int>(s)].emitted_by_sector_kg[c] == Approx(expected_kg).epsilon(1e-9).margin(1e-12));
        }
    }
    for (int s = 0; s < sim.ledger().size(); ++s) {
        const SpeciesLedger& r = sim.ledger()[s];
        double by_sector = 0;
        for (double e : r.emitted_by_sector_kg) by_sector += e;
        INFO(species[s]);
        CHECK(r.kg("emitted") > 0);
        // The kernel's emitted mass and the sector books agree to round-off.
        CHECK(by_sector == Approx(r.kg("emitted")).epsilon(1e-9));
        CHECK(std::fabs(r.residual_kg()) <= 1e-6 * (r.initial_kg + r.kg("emitted") + r.inflow_total_kg()));
    }
    // The stack far outside is reported, not emitted.
    REQUIRE(model.summary().outside.size() == 1);
    CHECK(model.summary().outside[0].id == "FAR");
}

TEST_CASE("Buoyant stack plumes are lifted above the stack layer and follow the weather", "[property][emissions]") {
    const Grid grid(lambert_grid());
    Inventory inv;
    PointStack p;
    p.id = "PP";
    p.sector = Sector::power;
    p.lon = 110.0;
    p.lat = 40.6;
    p.stack = {100, 6, 420, 18};
    p.annual_t = {1000, 0, 0, 0, 0, 0, 0};
    inv.points.push_back(p);
    const EmissionModel base(grid, {"SO2"}, inv, InventoryConfig{}, {}, {});
    EmissionModel model(grid, {"SO2"}, inv, InventoryConfig{}, {}, {});
    MetState calm = test::hand_made_met(grid, 1.1, [](double, double, double) { return test::WindXY{1.5, 0.0}; });
    MetState windy = test::hand_made_met(grid, 1.1, [](double, double, double) { return test::WindXY{12.0, 0.0}; });
    for (auto* m : {&calm, &windy})
        for (std::size_t c = 0; c < grid.columns(); ++c) {
            m->ustar_m_s[c] = 0.3;
            m->mo_length_m[c] = 1e6;
            m->pblh_m[c] = 1500;
        }
    EmissionTable table;
    const double t0 = parse_iso_time_utc("2026-01-12T00:00:00");
    auto mean_height = [&](EmissionTable& t) {
        double num = 0, den = 0;
        for (const auto& e : t.entries) {
            num += e.rate_ug_s * grid.z_center()[e.k];
            den += e.rate_ug_s;
        }
        return num / den;
    };
    model.update_weather(calm);
    REQUIRE(model.fill(t0, t0 + 600, table));
    const double h_calm = mean_height(table);
    const double total = table.total_ug_s[0];
    CHECK(model.fill(t0 + 600, t0 + 1200, table) == false);  // same hour, same weather: nothing to redo
    model.update_weather(windy);
    REQUIRE(model.fill(t0 + 1200, t0 + 1800, table));
    const double h_windy = mean_height(table);
    CHECK(table.total_ug_s[0] == Approx(total).epsilon(1e-12));  // plume rise moves mass, never changes it
    CHECK(h_calm > 300);      // Δh ≈ 21.4·F^0.75/u ≈ 300 m for F ≈ 85 m4 s-3 at u = 1.5 m/s
    CHECK(h_windy < h_calm);
    CHECK(h_windy > 100);
    // Before any weather update the release is at the stack tip.
    EmissionTable tip;
    EmissionModel fresh(grid, {"SO2"}, inv, InventoryConfig{}, {}, {});
    fresh.fill(t0, t0 + 600, tip);
    REQUIRE(tip.entries.size() == 1);
    CHECK(tip.entries[0].k == grid.layer_of(100));
}
