// Warm start (simulation/warm_start.hpp): the conservative remap keeps the source mass in the
// overlap to round-off across projections, resolutions and layers, reproduces identical grids and
// the overlap-weighted means of a linear field; reading a state file picks the record at the start,
// leaves missing species and uncovered cells at the background, and refuses files it cannot use.
#include <netcdf.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "chemistry/mechanisms.hpp"
#include "output/netcdf_writer.hpp"
#include "output/output_grid.hpp"
#include "simulation/initial_state.hpp"
#include "simulation/warm_start.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {

GridConfig lambert(int nx, int ny, double dx_m, double dy_m, double center_lon, double center_lat, double truelat1,
                   double truelat2, double stand_lon, std::vector<double> faces) {
    GridConfig g;
    g.projection = Projection::lambert;
    g.nx = nx;
    g.ny = ny;
    g.dx_m = dx_m;
    g.dy_m = dy_m;
    g.center_lon = center_lon;
    g.center_lat = center_lat;
    g.truelat1 = truelat1;
    g.truelat2 = truelat2;
    g.stand_lon = stand_lon;
    g.layer_faces_m = std::move(faces);
    return g;
}

const std::vector<double> kFaces = {0, 50, 150, 400, 1000, 3000};

// A positive, non-smooth source field (µg m-3): every cell differs.
std::vector<double> source_field(const Grid& g) {
    std::vector<double> c(g.cells());
    for (std::size_t n = 0; n < c.size(); ++n) c[n] = 5.0 + 3.0 * std::sin(0.7 * static_cast<double>(n)) + 0.01 * static_cast<double>(n % 13);
    return c;
}

// Σ c a dz (µg) of a field on a grid.
double mass_ug(const Grid& g, const std::vector<double>& c) {
    double m = 0;
    const std::size_t plane = g.columns();
    for (int k = 0; k < g.nz(); ++k)
        for (std::size_t col = 0; col < plane; ++col) m += c[k * plane + col] * g.area_m2()[col] * g.dz()[k];
    return m;
}

// Remaps `from`'s field onto `to` with zero background; returns the relative mass difference.
double remap_mass_error(const Grid& from, const Grid& to, double expected_cover = 1.0) {
    const ConservativeRemap remap(source_grid_of(from), to, "test source");
    const std::vector<double> c = source_field(from);
    const std::vector<double> out = remap.apply(c, std::vector<double>(to.cells(), 0.0));
    CHECK(remap.covered_fraction() < expected_cover);  // the target is larger than the source
    return std::fabs(mass_ug(to, out) - mass_ug(from, c)) / mass_ug(from, c);
}

}  // namespace

TEST_CASE("Conservative remap keeps the source mass: same projection, finer shifted target", "[unit][warmstart]") {
    const Grid src(lambert(10, 8, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, kFaces));
    // Same projection (stand_lon fixed; the centre moves along x), 4 km × 3.7 km cells: no edge aligned.
    const Grid dst(lambert(30, 27, 4000, 3700, 110.1, 40.0, 30, 60, 110.0, kFaces));
    const double error = remap_mass_error(src, dst);
    CAPTURE(error);
    CHECK(error < 1e-10);
}

TEST_CASE("Conservative remap keeps the source mass: different Lambert centre and true latitudes", "[unit][warmstart]") {
    const Grid src(lambert(10, 8, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, kFaces));
    const Grid dst(lambert(60, 60, 3000, 3000, 110.3, 40.2, 25, 47, 105.0, kFaces));
    const double error = remap_mass_error(src, dst);
    CAPTURE(error);
    CHECK(error < 1e-10);
}

TEST_CASE("Conservative remap keeps the source mass: different layers", "[unit][warmstart]") {
    const Grid src(lambert(10, 8, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, kFaces));
    // Taller target with other faces: everything lands.
    const Grid taller(lambert(12, 10, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, {0, 30, 100, 250, 700, 1800, 3500}));
    CHECK(remap_mass_error(src, taller) < 1e-10);
    // Lower target: the part above its top is lost, exactly what fraction_above_top says.
    const Grid lower(lambert(12, 10, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, {0, 20, 120, 500, 2000}));
    const ConservativeRemap remap(source_grid_of(src), lower, "test source");
    const std::vector<double> c = source_field(src);
    const double lost = remap.fraction_above_top(c);
    CHECK(lost > 0.1);  // 2000-3000 m of the 3000 m column
    const std::vector<double> out = remap.apply(c, std::vector<double>(lower.cells(), 0.0));
    CHECK(mass_ug(lower, out) == Approx(mass_ug(src, c) * (1.0 - lost)).epsilon(1e-10));
    // A target layer above the source top (2000 m) keeps the background; the one below does not.
    const Grid high(lambert(12, 10, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, {0, 500, 2000, 3500}));
    const ConservativeRemap up(source_grid_of(lower), high, "test source");
    const std::vector<double> lifted = up.apply(source_field(lower), std::vector<double>(high.cells(), 7.0));
    const std::size_t plane = high.columns(), centre = static_cast<std::size_t>(5 * 12 + 6);
    CHECK(up.layer_cover()[2] == 0.0);
    CHECK(lifted[2 * plane + centre] == 7.0);
    CHECK(lifted[1 * plane + centre] != Approx(7.0).epsilon(0.01));
}

TEST_CASE("Conservative remap keeps the source mass: lon/lat source onto Lambert", "[unit][warmstart]") {
    GridConfig ll;
    ll.projection = Projection::latlon;
    ll.nx = 10;
    ll.ny = 8;
    ll.dlon_deg = 0.1;
    ll.dlat_deg = 0.08;
    ll.center_lon = 110.0;
    ll.center_lat = 40.0;
    ll.layer_faces_m = kFaces;
    const Grid src(ll);
    const Grid dst(lambert(40, 36, 3000, 3000, 110.05, 40.0, 30, 60, 110.0, kFaces));
    const double error = remap_mass_error(src, dst);
    CAPTURE(error);
    CHECK(error < 1e-10);
    // And back: Lambert onto lon/lat.
    const Grid wide_ll = [&] {
        GridConfig w = ll;
        w.nx = 30, w.ny = 30;
        return Grid(w);
    }();
    const Grid small(lambert(8, 8, 5000, 5000, 110.0, 40.0, 30, 60, 110.0, kFaces));
    CHECK(remap_mass_error(small, wide_ll) < 1e-10);
}

TEST_CASE("Conservative remap reproduces an identical grid", "[unit][warmstart]") {
    const Grid g(lambert(10, 8, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, kFaces));
    const ConservativeRemap remap(source_grid_of(g), g, "test source");
    CHECK(remap.same_grid());
    CHECK(remap.covered_fraction() == Approx(1.0).epsilon(1e-14));
    const std::vector<double> c = source_field(g);
    const std::vector<double> out = remap.apply(c, std::vector<double>(g.cells(), 1e6));  // background must not leak in
    double worst = 0;
    for (std::size_t n = 0; n < c.size(); ++n) worst = std::max(worst, std::fabs(out[n] - c[n]) / c[n]);
    CAPTURE(worst);
    CHECK(worst < 1e-13);
}

TEST_CASE("Conservative remap of a linear field gives the overlap-weighted means", "[unit][warmstart]") {
    // Cartesian grids (map factor 1): the remap is the plane-area average of the source cell values.
    // Coarser and aligned (each target cell is 3 × 3 whole source cells): the exact cell mean a + b x.
    const Grid src(test::cartesian(18, 12, 1000, {0, 100, 500}));
    auto linear = [&](const Grid& g) {
        std::vector<double> c(g.cells());
        for (int k = 0; k < g.nz(); ++k)
            for (int j = 0; j < g.ny(); ++j)
                for (int i = 0; i < g.nx(); ++i)
                    c[(static_cast<std::size_t>(k) * g.ny() + j) * g.nx() + i] = 40.0 + 0.002 * test::cell_x(g, i) - 0.001 * test::cell_y(g, j);
        return c;
    };
    const std::vector<double> c = linear(src);
    const Grid coarse(test::cartesian(6, 4, 3000, {0, 100, 500}));
    const std::vector<double> exact = linear(coarse);
    const std::vector<double> out = ConservativeRemap(source_grid_of(src), coarse, "test").apply(c, std::vector<double>(coarse.cells(), 0.0));
    for (std::size_t n = 0; n < out.size(); ++n) REQUIRE(out[n] == Approx(exact[n]).epsilon(1e-13));

    // Finer and not aligned (650 m cells, edges at ±5525 m against the source's 1000 m): each target
    // value is the overlap-weighted mean of the source values, the overlaps 1-D interval products.
    const Grid fine(test::cartesian(17, 11, 650, {0, 100, 500}));
    const std::vector<double> fine_out = ConservativeRemap(source_grid_of(src), fine, "test").apply(c, std::vector<double>(fine.cells(), 0.0));
    auto overlap = [](double a0, double a1, double b0, double b1) { return std::max(0.0, std::min(a1, b1) - std::max(a0, b0)); };
    double worst = 0;
    for (int j = 0; j < fine.ny(); ++j)
        for (int i = 0; i < fine.nx(); ++i) {
            const double tx = test::cell_x(fine, i), ty = test::cell_y(fine, j);
            double sum = 0, area = 0;
            for (int sj = 0; sj < src.ny(); ++sj)
                for (int si = 0; si < src.nx(); ++si) {
                    const double sx = test::cell_x(src, si), sy = test::cell_y(src, sj);
                    const double a = overlap(tx - 325, tx + 325, sx - 500, sx + 500) * overlap(ty - 325, ty + 325, sy - 500, sy + 500);
                    sum += a * c[static_cast<std::size_t>(sj) * src.nx() + si];
                    area += a;
                }
            REQUIRE(area == Approx(650.0 * 650.0).epsilon(1e-12));  // the fine grid lies inside the source
            const double got = fine_out[static_cast<std::size_t>(j) * fine.nx() + i];
            worst = std::max(worst, std::fabs(got - sum / area) / (sum / area));
        }
    CAPTURE(worst);
    CHECK(worst < 1e-13);
}

TEST_CASE("Conservative remap refuses grids that do not overlap", "[unit][warmstart]") {
    const Grid src(lambert(10, 8, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, kFaces));
    const Grid far(lambert(10, 8, 9000, 9000, 116.0, 40.0, 30, 60, 110.0, kFaces));
    CHECK_THROWS_AS(ConservativeRemap(source_grid_of(src), far, "state.nc"), ConfigError);
    CHECK_THROWS_WITH(ConservativeRemap(source_grid_of(src), far, "state.nc"), Catch::Contains("state.nc") && Catch::Contains("does not overlap"));
}

namespace {

// A small run's config on a given grid (linear chemistry, species SO2 and PM25).
Config small_config(const GridConfig& grid) {
    Config cfg = load_config_text("[run]\nstart = 2026-01-11T00:00:00\nhours = 3\n"
                                  "[species]\nnames = SO2 PM25\nbackground_ug_m3 = SO2:8 PM25:12\n",
                                  "test.ini");
    cfg.grid = grid;
    return cfg;
}

// Writes a state file on `g` holding `species` (µg m-3 from source_field, scaled per species) at the
// given hours after 2026-01-10T00:00:00.
void write_state(const std::string& path, const Grid& g, const std::vector<std::string>& species, const std::vector<double>& hours,
                 float poison = 0.0f) {
    OutputMetadata meta;
    meta.title = "test state";
    meta.reference_time = "2026-01-10 00:00:00";
    std::vector<OutputField> fields;
    for (const auto& n : species) fields.push_back({n, "mass concentration of " + n, "", "ug m-3", true});
    NetcdfWriter w(path, output_grid(g), fields, meta, true, 0);
    const std::vector<double> c = source_field(g);
    for (double h : hours) {
        std::vector<std::vector<float>> surface, volume;
        for (std::size_t s = 0; s < species.size(); ++s) {
            std::vector<float>& v = volume.emplace_back();
            for (double x : c) v.push_back(static_cast<float>(x * (1.0 + static_cast<double>(s)) * (1.0 + 0.01 * h)));
            if (poison != 0.0f) v[7] = poison;
            surface.emplace_back(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(g.columns()));
        }
        w.write_record(h, surface, volume);
    }
    w.finish();
}

}  // namespace

TEST_CASE("Warm start reads the record at the start, keeps missing species and uncovered cells at background", "[unit][warmstart]") {
    const std::string dir = test::scratch_dir("warmstart");
    const Grid src(lambert(10, 8, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, kFaces));
    const std::string file = dir + "/state.nc";
    write_state(file, src, {"PM25", "NH3"}, {24, 48});
    // Target: wider than the source (part uncovered), other layers.
    const Grid dst(lambert(30, 24, 4000, 4000, 110.05, 40.0, 30, 60, 110.0, {0, 40, 120, 300, 800, 2000, 4000}));
    const Config cfg = small_config(dst.config());
    const TracerLayout layout(cfg, {});
    const MetState met = test::hand_made_met(dst, 1.2, [](double, double, double) { return test::WindXY{0, 0}; });
    State cold(dst.nx(), dst.ny(), dst.nz(), layout.tracers());
    fill_initial_state(cfg, dst, layout, met, cold);
    State warm(dst.nx(), dst.ny(), dst.nz(), layout.tracers());
    const double start = parse_iso_time_utc("2026-01-11T00:00:00");  // the 24 h record
    const WarmStartReport report = warm_start(cfg, file, start, dst, layout, met, warm);

    CHECK(report.species_read == std::vector<std::string>{"PM25"});
    CHECK(report.missing == std::vector<std::string>{"SO2"});
    REQUIRE(!report.warnings.empty());
    CHECK_THAT(report.warnings[0], Catch::Contains("species SO2 not in " + file + ": starts from background"));
    CHECK(report.covered_fraction > 0.3);
    CHECK(report.covered_fraction < 0.9);
    CHECK(report.regridded);
    // SO2 (missing): exactly the cold state.
    const int so2 = 0, pm = 1;
    for (std::size_t n = 0; n < warm.field_size(); ++n) REQUIRE(warm.species(so2)[n] == cold.species(so2)[n]);
    // PM25: the corner column (outside the source) keeps the background; the centre does not.
    const std::size_t corner = 0, centre = static_cast<std::size_t>(12 * 30 + 15);
    CHECK(warm.species(pm)[corner] == cold.species(pm)[corner]);
    CHECK(std::fabs(warm.species(pm)[centre] - cold.species(pm)[centre]) > 1e-3 * cold.species(pm)[centre]);
    // The mass that came from the file: the 24 h record (factor 1.24), not the 48 h one.
    const ConservativeRemap remap(source_grid_of(src), dst, file);
    std::vector<double> c = source_field(src);
    for (double& x : c) x = static_cast<float>(x * 1.24);
    const std::vector<double> expect = remap.apply(c, std::vector<double>(dst.cells(), 0.0));
    double warm_ug = 0, background_ug = 0;
    const std::size_t plane = dst.columns();
    for (int k = 0; k < dst.nz(); ++k)
        for (std::size_t col = 0; col < plane; ++col) {
            const std::size_t cell = k * plane + col;
            warm_ug += warm.species(pm)[cell] * warm.air_mass_kg[cell];
            background_ug += cold.species(pm)[cell] * cold.air_mass_kg[cell] *
                             (1.0 - remap.column_cover()[col] * remap.layer_cover()[static_cast<std::size_t>(k)]);
        }
    CHECK(warm_ug == Approx(mass_ug(dst, expect) + background_ug).epsilon(1e-6));  // float storage of q
}

namespace {

// Text of a global or variable attribute ("" when absent), and one number.
std::string text_att(int id, int var, const char* name) {
    std::size_t len = 0;
    if (nc_inq_attlen(id, var, name, &len) != NC_NOERR) return "";
    std::string out(len, '\0');
    nc_get_att_text(id, var, name, out.data());
    return out;
}
double number_att(int id, int var, const char* name) {
    double v = NAN;
    nc_get_att_double(id, var, name, &v);
    return v;
}

}  // namespace

TEST_CASE("A state on a polar stereographic or Mercator grid warm-starts a Lambert run with its mass", "[unit][warmstart]") {
    const std::string dir = test::scratch_dir("warmstart_polar");
    GridConfig polar;
    polar.projection = Projection::polar;
    polar.truelat1 = 60.0;
    polar.stand_lon = 105.0;
    GridConfig mercator = polar;
    mercator.projection = Projection::mercator;
    mercator.truelat1 = 22.5;
    for (GridConfig g : {polar, mercator}) {
        g.nx = 10, g.ny = 8, g.dx_m = 9000, g.dy_m = 9000, g.center_lon = 110.0, g.center_lat = 40.0;
        g.layer_faces_m = kFaces;
        const Grid src(g);
        const bool is_polar = g.projection == Projection::polar;
        INFO(projection_name(g.projection));
        const std::string file = dir + "/" + projection_name(g.projection) + ".nc";
        write_state(file, src, {"PM25"}, {24});
        // The file's CF grid mapping.
        {
            int id = -1, crs = -1;
            REQUIRE(nc_open(file.c_str(), NC_NOWRITE, &id) == NC_NOERR);
            REQUIRE(nc_inq_varid(id, "crs", &crs) == NC_NOERR);
            CHECK(text_att(id, crs, "grid_mapping_name") == (is_polar ? "polar_stereographic" : "mercator"));
            CHECK(number_att(id, crs, "standard_parallel") == g.truelat1);
            if (is_polar) {
                CHECK(number_att(id, crs, "straight_vertical_longitude_from_pole") == 105.0);
                CHECK(number_att(id, crs, "latitude_of_projection_origin") == 90.0);
            } else {
                CHECK(number_att(id, crs, "longitude_of_projection_origin") == 105.0);
            }
            CHECK_THAT(text_att(id, crs, "crs_wkt"), Catch::Contains(is_polar ? "Polar Stereographic" : "Mercator"));
            nc_close(id);
        }
        // Read back as a source grid: the same plane, so the remap onto its own grid is the identity.
        const Grid dst(lambert(30, 24, 4000, 4000, 110.05, 40.0, 30, 60, 110.0, {0, 40, 120, 300, 800, 2000, 4000}));
        const Config cfg = small_config(dst.config());
        const TracerLayout layout(cfg, {});
        const MetState met = test::hand_made_met(dst, 1.2, [](double, double, double) { return test::WindXY{0, 0}; });
        State cold(dst.nx(), dst.ny(), dst.nz(), layout.tracers());
        fill_initial_state(cfg, dst, layout, met, cold);
        State warm(dst.nx(), dst.ny(), dst.nz(), layout.tracers());
        const WarmStartReport report = warm_start(cfg, file, parse_iso_time_utc("2026-01-11T00:00:00"), dst, layout, met, warm);
        CHECK(report.species_read == std::vector<std::string>{"PM25"});
        CHECK(report.regridded);
        CHECK(report.covered_fraction > 0.3);
        // The mass from the file: what the remap of the source grid (built from the model grid, not
        // from the file) puts there, plus the background where the file does not reach.
        const ConservativeRemap remap(source_grid_of(src), dst, file);
        std::vector<double> c = source_field(src);
        for (double& x : c) x = static_cast<float>(x * 1.24);
        const std::vector<double> expect = remap.apply(c, std::vector<double>(dst.cells(), 0.0));
        CHECK(mass_ug(dst, expect) == Approx(mass_ug(src, c)).epsilon(1e-10));  // the source lies inside the target
        const int pm = 1;
        double warm_ug = 0, background_ug = 0;
        const std::size_t plane = dst.columns();
        for (int k = 0; k < dst.nz(); ++k)
            for (std::size_t col = 0; col < plane; ++col) {
                const std::size_t cell = k * plane + col;
                warm_ug += warm.species(pm)[cell] * warm.air_mass_kg[cell];
                background_ug += cold.species(pm)[cell] * cold.air_mass_kg[cell] *
                                 (1.0 - remap.column_cover()[col] * remap.layer_cover()[static_cast<std::size_t>(k)]);
            }
        CHECK(warm_ug == Approx(mass_ug(dst, expect) + background_ug).epsilon(1e-6));
        // Onto its own grid: nothing to regrid, every value back.
        const Config same_cfg = small_config(src.config());
        const MetState same_met = test::hand_made_met(src, 1.2, [](double, double, double) { return test::WindXY{0, 0}; });
        State same(src.nx(), src.ny(), src.nz(), layout.tracers());
        const WarmStartReport back = warm_start(same_cfg, file, parse_iso_time_utc("2026-01-11T00:00:00"), src, layout, same_met, same);
        CHECK_FALSE(back.regridded);
    }
}

TEST_CASE("Warm start refuses a file without the start time, without overlap or with bad values", "[unit][warmstart]") {
    const std::string dir = test::scratch_dir("warmstart_bad");
    const Grid src(lambert(10, 8, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, kFaces));
    const std::string file = dir + "/state.nc";
    write_state(file, src, {"PM25"}, {24, 48});
    const Config cfg = small_config(src.config());
    const TracerLayout layout(cfg, {});
    const MetState met = test::hand_made_met(src, 1.2, [](double, double, double) { return test::WindXY{0, 0}; });
    State state(src.nx(), src.ny(), src.nz(), layout.tracers());

    // No record at the start: the message names the file and lists the times there are.
    const double start = parse_iso_time_utc("2026-01-11T06:00:00");
    CHECK_THROWS_AS(warm_start(cfg, file, start, src, layout, met, state), ConfigError);
    CHECK_THROWS_WITH(warm_start(cfg, file, start, src, layout, met, state),
                      Catch::Contains(file) && Catch::Contains("2026-01-11 00:00:00") && Catch::Contains("2026-01-12 00:00:00") &&
                          Catch::Contains("no record at the run's start 2026-01-11 06:00:00"));
    // No overlap.
    const Grid far(lambert(10, 8, 9000, 9000, 117.0, 40.0, 30, 60, 110.0, kFaces));
    State far_state(far.nx(), far.ny(), far.nz(), layout.tracers());
    const MetState far_met = test::hand_made_met(far, 1.2, [](double, double, double) { return test::WindXY{0, 0}; });
    CHECK_THROWS_WITH(warm_start(cfg, file, parse_iso_time_utc("2026-01-11T00:00:00"), far, layout, far_met, far_state),
                      Catch::Contains(file) && Catch::Contains("does not overlap"));
    // Negative and non-finite values.
    const std::string negative = dir + "/negative.nc";
    write_state(negative, src, {"PM25"}, {24}, -1.0f);
    CHECK_THROWS_WITH(warm_start(cfg, negative, parse_iso_time_utc("2026-01-11T00:00:00"), src, layout, met, state),
                      Catch::Contains(negative) && Catch::Contains("PM25_3d") && Catch::Contains("negative"));
    const std::string nan = dir + "/nan.nc";
    write_state(nan, src, {"PM25"}, {24}, std::nanf(""));
    CHECK_THROWS_WITH(warm_start(cfg, nan, parse_iso_time_utc("2026-01-11T00:00:00"), src, layout, met, state),
                      Catch::Contains(nan) && Catch::Contains("not finite"));
    // No layer faces, no readable projection (a copy of the file with the variable or attribute renamed).
    auto broken = [&](const std::string& name, const std::function<void(int)>& edit) {
        const std::string copy = dir + "/" + name;
        std::filesystem::copy_file(file, copy, std::filesystem::copy_options::overwrite_existing);
        int id = -1;
        REQUIRE(nc_open(copy.c_str(), NC_WRITE, &id) == NC_NOERR);
        REQUIRE(nc_redef(id) == NC_NOERR);
        edit(id);
        REQUIRE(nc_close(id) == NC_NOERR);
        return copy;
    };
    const double at24 = parse_iso_time_utc("2026-01-11T00:00:00");
    const std::string no_bounds = broken("no_bounds.nc", [](int id) {
        int v = -1;
        REQUIRE(nc_inq_varid(id, "z_bnds", &v) == NC_NOERR);
        REQUIRE(nc_rename_var(id, v, "z_bounds") == NC_NOERR);
    });
    CHECK_THROWS_WITH(warm_start(cfg, no_bounds, at24, src, layout, met, state), Catch::Contains(no_bounds) && Catch::Contains("z_bnds"));
    const std::string no_mapping = broken("no_mapping.nc", [](int id) {
        int v = -1;
        REQUIRE(nc_inq_varid(id, "crs", &v) == NC_NOERR);
        REQUIRE(nc_rename_att(id, v, "grid_mapping_name", "mapping") == NC_NOERR);
    });
    CHECK_THROWS_WITH(warm_start(cfg, no_mapping, at24, src, layout, met, state),
                      Catch::Contains(no_mapping) && Catch::Contains("grid_mapping_name"));
    const std::string across = broken("across_equator.nc", [](int id) {
        int v = -1;
        REQUIRE(nc_inq_varid(id, "crs", &v) == NC_NOERR);
        const double parallels[2] = {30.0, -30.0};
        REQUIRE(nc_put_att_double(id, v, "standard_parallel", NC_DOUBLE, 2, parallels) == NC_NOERR);
    });
    CHECK_THROWS_WITH(warm_start(cfg, across, at24, src, layout, met, state),
                      Catch::Contains(across) && Catch::Contains("crs: the projection of its grid mapping 'lambert_conformal_conic' cannot be built"));
    const std::string flat_polar = broken("flat_polar.nc", [](int id) {
        int v = -1;
        REQUIRE(nc_inq_varid(id, "crs", &v) == NC_NOERR);
        REQUIRE(nc_put_att_text(id, v, "grid_mapping_name", 19, "polar_stereographic") == NC_NOERR);
        const double origin = 45.0, lon = 110.0, parallel = 60.0;
        REQUIRE(nc_put_att_double(id, v, "latitude_of_projection_origin", NC_DOUBLE, 1, &origin) == NC_NOERR);
        REQUIRE(nc_put_att_double(id, v, "straight_vertical_longitude_from_pole", NC_DOUBLE, 1, &lon) == NC_NOERR);
        REQUIRE(nc_put_att_double(id, v, "standard_parallel", NC_DOUBLE, 1, &parallel) == NC_NOERR);
    });
    CHECK_THROWS_WITH(warm_start(cfg, flat_polar, at24, src, layout, met, state),
                      Catch::Contains(flat_polar) && Catch::Contains("latitude_of_projection_origin = 45: a polar stereographic grid needs +90 or -90"));
    // Not a gridded output at all.
    const std::string text = test::write_text_file(dir, "not.nc", "hello");
    CHECK_THROWS_AS(warm_start(cfg, text, start, src, layout, met, state), ConfigError);
}

TEST_CASE("output.state_hours and output.state_file are checked", "[unit][warmstart]") {
    const std::string base = "[run]\nhours = 48\n[output]\ninterval_h = 3\n";
    auto load = [&](const std::string& more) { return load_config_text(base + more, "cycle.ini"); };
    const Config ok = load("state_file = state.nc\nstate_hours = 24 48\n");
    CHECK(ok.output.state_hours == std::vector<double>{24, 48});
    CHECK_THROWS_WITH(load("state_file = state.nc\nstate_hours = 24 50\n"),
                      Catch::Contains("output.state_hours") && Catch::Contains("50 h is not a multiple of output.interval_h = 3"));
    CHECK_THROWS_WITH(load("state_file = state.nc\nstate_hours = 24 72\n"),
                      Catch::Contains("output.state_hours") && Catch::Contains("after the end of the run"));
    CHECK_THROWS_WITH(load("state_file = state.nc\nstate_hours = 48 24\n"), Catch::Contains("must increase"));
    CHECK_THROWS_WITH(load("state_file = state.nc\nstate_hours = -3 24\n"), Catch::Contains("output.state_hours"));
    // Hour 0 is the initial state (a nesting parent's first record).
    CHECK(load("state_file = state.nc\nstate_hours = 0 24\n").output.state_hours == std::vector<double>{0, 24});
    CHECK_THROWS_WITH(load("state_hours = 24\n"), Catch::Contains("needs output.state_file"));
    CHECK_THROWS_WITH(load("state_file = state.nc\n"), Catch::Contains("needs output.state_hours"));
    CHECK_THROWS_WITH(load_config_text("[run]\ninitial_state = no_such_state.nc\n", "cycle.ini"),
                      Catch::Contains("run.initial_state") && Catch::Contains("not found"));
}

TEST_CASE("Warm start fills every scenario and the background tag; the other tags start empty", "[unit][warmstart]") {
    const std::string dir = test::scratch_dir("warmstart_tags");
    const Grid g(lambert(10, 8, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, kFaces));
    const std::string file = dir + "/state.nc";
    write_state(file, g, {"SO2", "PM25"}, {24});
    const Config cfg = small_config(g.config());
    TracerLayout layout(cfg, {"traffic", "background"});
    layout.scenarios.push_back("cut");  // a reduction scenario beside the base case
    REQUIRE(layout.blocks() == 4);
    const MetState met = test::hand_made_met(g, 1.2, [](double, double, double) { return test::WindXY{0, 0}; });
    State state(g.nx(), g.ny(), g.nz(), layout.tracers());
    const WarmStartReport report = warm_start(cfg, file, parse_iso_time_utc("2026-01-11T00:00:00"), g, layout, met, state);
    CHECK_FALSE(report.regridded);
    CHECK(report.warnings.empty());
    for (int s = 0; s < layout.nphys(); ++s) {
        const real* base = state.species(layout.tracer(0, s));
        const real* cut = state.species(layout.tracer(1, s));
        const real* traffic = state.species(layout.tracer(layout.tag_block(0), s));
        const real* background = state.species(layout.tracer(layout.tag_block(1), s));
        // Same grid: the file's values come back (float storage, q = c V / m and back).
        const std::vector<double> c = source_field(g);
        const std::size_t plane = g.columns();
        for (std::size_t n = 0; n < state.field_size(); ++n) {
            const std::size_t k = n / plane;
            const double c_state = base[n] * state.air_mass_kg[n] / (g.area_m2()[n % plane] * g.dz()[k]);
            REQUIRE(c_state == Approx(static_cast<float>(c[n] * (1.0 + s) * 1.24)).epsilon(1e-6));
            REQUIRE(cut[n] == base[n]);
            REQUIRE(background[n] == base[n]);
            REQUIRE(traffic[n] == 0);
        }
    }
}

TEST_CASE("Warm start of a photochemical run: the mechanism's species the file lacks keep their profiles, in one warning", "[unit][warmstart]") {
    const std::string dir = test::scratch_dir("warmstart_cb6");
    const Grid g(lambert(10, 8, 9000, 9000, 110.0, 40.0, 30, 60, 110.0, kFaces));
    const std::string file = dir + "/state.nc";
    write_state(file, g, {"O3", "SO2", "PM25"}, {24});
    Config cfg = with_mechanism_species(load_config_text("[run]\nstart = 2026-01-11T00:00:00\nhours = 3\n[chemistry]\nmechanism = cb6r3\n"
                                                         "[species]\nnames = SO2 PM25\n",
                                                         "test.ini"));
    cfg.grid = g.config();
    const TracerLayout layout(cfg, {});
    REQUIRE(layout.nphys() > 50);
    const MetState met = test::hand_made_met(g, 1.2, [](double, double, double) { return test::WindXY{0, 0}; });
    State cold(g.nx(), g.ny(), g.nz(), layout.tracers()), warm = cold;
    fill_initial_state(cfg, g, layout, met, cold);
    const WarmStartReport report = warm_start(cfg, file, parse_iso_time_utc("2026-01-11T00:00:00"), g, layout, met, warm);
    CHECK(report.species_read.size() == 3);
    CHECK(report.missing.size() == static_cast<std::size_t>(layout.nphys() - 3));
    REQUIRE(report.warnings.size() == 1);
    CHECK_THAT(report.warnings[0], Catch::Contains("NO2") && Catch::Contains("FORM") && Catch::Contains("start from background") &&
                                       !Catch::Contains("\n"));
    const auto index = [&](const std::string& n) {
        return static_cast<int>(std::find(layout.species.begin(), layout.species.end(), n) - layout.species.begin());
    };
    const int no2 = index("NO2"), o3 = index("O3");
    for (std::size_t n = 0; n < warm.field_size(); ++n) REQUIRE(warm.species(no2)[n] == cold.species(no2)[n]);
    CHECK(warm.species(o3)[0] != cold.species(o3)[0]);
}
