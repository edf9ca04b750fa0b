// The WRF reader against the real wrfout file shipped in configs/wrf/: the projection reproduces
// WRF's own latitudes and longitudes, the layers hold WRF's air mass, the boundary layer turns from
// stable to convective as in the file, and every kind of broken file is refused with a message
// naming file and variable. Transport in its winds: tests/property/test_wrf_transport.cpp; a whole
// run: tests/regression/test_wrf_run.cpp.
#include <netcdf.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

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

const std::string kWrf = std::string(LANTIAN_SOURCE_DIR) + "/configs/wrf/wrf_d01_allvars_cropped.nc";
const std::string kExample = std::string(LANTIAN_SOURCE_DIR) + "/configs/wrf_example.ini";

// The example config with files pointing at `files` (absolute) and extra overrides.
Config wrf_config(const std::vector<std::string>& overrides = {}) {
    return load_config(kExample, overrides);
}

// A copy of the shipped file, changed by `edit(ncid)` (opened for writing).
std::string broken_copy(const std::string& dir, const std::string& name, const std::function<void(int)>& edit) {
    const std::string path = dir + "/" + name;
    std::filesystem::copy_file(kWrf, path, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::permissions(path, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    int nc = -1;
    REQUIRE(nc_open(path.c_str(), NC_WRITE, &nc) == NC_NOERR);
    edit(nc);
    REQUIRE(nc_close(nc) == NC_NOERR);
    return path;
}

void set_times(int nc, const std::vector<std::string>& stamps) {
    int var = -1;
    REQUIRE(nc_inq_varid(nc, "Times", &var) == NC_NOERR);
    for (std::size_t t = 0; t < stamps.size(); ++t) {
        const std::size_t start[2] = {t, 0}, count[2] = {1, 19};
        REQUIRE(nc_put_vara_text(nc, var, start, count, stamps[t].c_str()) == NC_NOERR);
    }
}

void expect_config_error(const Config& cfg, const std::string& expected) {
    try {
        Simulation sim(cfg);
        sim.run(false);
        FAIL("accepted broken WRF input; expected: " << expected);
    } catch (const ConfigError& e) {
        CHECK_THAT(e.what(), Catch::Contains(expected));
    }
}

}  // namespace

TEST_CASE("Cell centres from the Lambert projection match WRF's XLAT/XLONG", "[unit][wrf]") {
    const auto xlat = test::read_nc_floats(kWrf, "XLAT"), xlon = test::read_nc_floats(kWrf, "XLONG");  // 8 × 10
    const Grid grid(wrf_grid_config(wrf_config()));
    REQUIRE(grid.nx() == 10);
    REQUIRE(grid.ny() == 8);
    double worst = 0;
    for (std::size_t c = 0; c < grid.columns(); ++c)
        worst = std::max({worst, std::fabs(grid.lat()[c] - xlat[c]), std::fabs(grid.lon()[c] - xlon[c])});
    CAPTURE(worst);
    CHECK(worst < 1e-3);  // degrees; XLAT/XLONG are stored as floats (~1e-5°)
    // A window: columns 2..8, rows 1..6 of the file.
    const Grid win(wrf_grid_config(wrf_config({"met.i0=2", "met.i1=8", "met.j0=1", "met.j1=6"})));
    REQUIRE(win.nx() == 7);
    REQUIRE(win.ny() == 6);
    worst = 0;
    for (int j = 0; j < 6; ++j)
        for (int i = 0; i < 7; ++i) {
            const std::size_t f = static_cast<std::size_t>(j + 1) * 10 + i + 2, c = static_cast<std::size_t>(j) * 7 + i;
            worst = std::max({worst, std::fabs(win.lat()[c] - xlat[f]), std::fabs(win.lon()[c] - xlon[f])});
        }
    CHECK(worst < 1e-3);
    CHECK(win.dx() == 30000.0);
}

TEST_CASE("Lantian's layers hold WRF's air mass over the same heights", "[unit][wrf]") {
    const Config cfg = with_met_grid(wrf_config());
    const Grid grid(cfg.grid);
    auto source = make_met_source(cfg, grid, parse_iso_time_utc(cfg.run.start));
    MetState met;
    met.resize(grid);
    source->evaluate(0.0, met);
    // Independently from the file: heights from PH+PHB, density from the equation of state
    // ρ = p / (R_d T (1 + 0.608 q_v)) at mass levels, integrated over [0, model top].
    const auto ph = test::read_nc_floats(kWrf, "PH"), phb = test::read_nc_floats(kWrf, "PHB"), hgt = test::read_nc_floats(kWrf, "HGT");
    const auto t = test::read_nc_floats(kWrf, "T"), p = test::read_nc_floats(kWrf, "P"), pb = test::read_nc_floats(kWrf, "PB"), qv = test::read_nc_floats(kWrf, "QVAPOR");
    const std::size_t cols = 80, nzw = 27;
    const double top = grid.z_face()[grid.nz()];
    double worst = 0;
    for (std::size_t c = 0; c < cols; ++c) {
        std::vector<double> zw(nzw + 1);
        for (std::size_t k = 0; k <= nzw; ++k) zw[k] = (ph[k * cols + c] + phb[k * cols + c]) / 9.81 - hgt[c];
        for (std::size_t k = 0; k < nzw; ++k) REQUIRE(zw[k + 1] > zw[k]);  // heights increase
        double wrf_mass = 0;
        for (std::size_t k = 0; k < nzw && zw[k] < top; ++k) {
            const std::size_t x = k * cols + c;
            const double pressure = p[x] + pb[x];
            const double temp = (t[x] + 300.0) * std::pow(pressure / 1e5, 287.0 / 1004.5);
            const double rho = pressure / (287.0 * temp * (1.0 + 0.608 * qv[x]));
            wrf_mass += rho * (std::min(zw[k + 1], top) - zw[k]);
        }
        double lantian_mass = 0;
        for (int k = 0; k < grid.nz(); ++k) lantian_mass += met.rho_kg_m3[k * grid.columns() + c] * grid.dz()[k];
        worst = std::max(worst, std::fabs(lantian_mass / wrf_mass - 1.0));
    }
    CAPTURE(worst);
    CHECK(worst < 1e-3);  // 0.1%: WRF's hydrostatic mass against its equation-of-state density
    // Layers keep increasing heights and a positive, decreasing density.
    for (int k = 1; k < grid.nz(); ++k) CHECK(met.rho_kg_m3[k * grid.columns()] < met.rho_kg_m3[(k - 1) * grid.columns()]);
}

TEST_CASE("The boundary layer turns from stable at 00 UTC to convective at 06 UTC, with WRF's PBLH", "[unit][wrf]") {
    const Config cfg = with_met_grid(wrf_config());
    const Grid grid(cfg.grid);
    auto source = make_met_source(cfg, grid, parse_iso_time_utc(cfg.run.start));
    const auto pblh = test::read_nc_floats(kWrf, "PBLH");  // 4 × 8 × 10
    const std::size_t centre = 4 * 10 + 5;
    MetState night, day;
    night.resize(grid);
    day.resize(grid);
    source->evaluate(0.0, night);
    source->evaluate(6 * 3600.0, day);
    CAPTURE(night.mo_length_m[centre], day.mo_length_m[centre]);
    CHECK(night.mo_length_m[centre] > 0);
    CHECK(day.mo_length_m[centre] < 0);
    CHECK(night.pblh_m[centre] == Approx(pblh[centre]).epsilon(1e-6));
    CHECK(day.pblh_m[centre] == Approx(pblh[2 * 80 + centre]).epsilon(1e-6));
    CHECK(day.pblh_m[centre] > 1000);
    CHECK(night.pblh_m[centre] < 200);
    // Kz: deep convective mixing by day, weak at night at 500 m.
    const int k500 = grid.layer_of(500.0);
    CHECK(day.kz_face_z_m2_s[k500 * grid.columns() + centre] > 10 * night.kz_face_z_m2_s[k500 * grid.columns() + centre]);
    // Relative humidity and temperature are physical.
    for (double rh : day.rh_frac) REQUIRE((rh >= 0 && rh <= 1));
    for (double t : day.temperature_k) REQUIRE((t > 200 && t < 320));
}

TEST_CASE("Several WRF files with irregular times drive one run; globs are expanded", "[unit][wrf]") {
    const std::string dir = test::scratch_dir("wrf_multi");
    broken_copy(dir, "wrfout_a.nc", [](int) {});
    broken_copy(dir, "wrfout_b.nc", [](int nc) {
        set_times(nc, {"2005-09-21_10:00:00", "2005-09-21_11:30:00", "2005-09-21_13:00:00", "2005-09-21_15:00:00"});
    });
    Config cfg = wrf_config({"met.files=" + dir + "/wrfout_*.nc", "run.hours=15"});
    Simulation sim(cfg);
    sim.run(false);
    CHECK(std::fabs(sim.ledger()[0].residual_kg()) < 1e-8 * (sim.ledger()[0].initial_kg + sim.ledger()[0].inflow_total_kg()));
    // The bracket of the irregular times.
    const Config g = with_met_grid(cfg);
    const Grid grid(g.grid);
    auto source = make_met_source(g, grid, parse_iso_time_utc(g.run.start));
    double t0 = 0, t1 = 0;
    CHECK(source->bracket(10.5 * 3600, t0, t1) == 4);
    CHECK(t0 == Approx(10 * 3600.0));
    CHECK(t1 == Approx(11.5 * 3600.0));
    CHECK(source->bracket(9.5 * 3600, t0, t1) == 3);
    CHECK(t1 == Approx(10 * 3600.0));
}

TEST_CASE("Broken or unsuitable WRF files are refused naming the file and the problem", "[unit][wrf]") {
    const std::string dir = test::scratch_dir("wrf_bad");
    auto with_file = [&](const std::string& path, std::vector<std::string> extra = {}) {
        extra.push_back("met.files=" + path);
        return wrf_config(extra);
    };
    expect_config_error(with_file(broken_copy(dir, "missing.nc", [](int nc) {
                            int v = -1;
                            nc_redef(nc);
                            nc_inq_varid(nc, "PBLH", &v);
                            nc_rename_var(nc, v, "PBLH_OLD");
                        })),
                        "missing.nc: variable PBLH is missing");
    // A Lambert file relabelled polar stereographic: its small grid fits XLAT/XLONG within the
    // tolerance, but its map factors are not those of the projection.
    expect_config_error(with_file(broken_copy(dir, "polar.nc", [](int nc) {
                            const int two = 2;
                            nc_redef(nc);
                            nc_put_att_int(nc, NC_GLOBAL, "MAP_PROJ", NC_INT, 1, &two);
                        })),
                        "polar.nc: MAPFAC_M[0, 0] = 1.000853 but the polar stereographic projection of its attributes gives");
    for (const int map_proj : {0, 4, 5, 6, 99}) {
        const std::string name = "map_proj_" + std::to_string(map_proj) + ".nc";
        expect_config_error(with_file(broken_copy(dir, name, [map_proj](int nc) {
                                nc_redef(nc);
                                nc_put_att_int(nc, NC_GLOBAL, "MAP_PROJ", NC_INT, 1, &map_proj);
                            })),
                            name + ": MAP_PROJ = " + std::to_string(map_proj) + " (");
    }
    expect_config_error(with_file(broken_copy(dir, "nan.nc", [](int nc) {
                            int v = -1;
                            nc_inq_varid(nc, "T", &v);
                            const std::size_t at[4] = {0, 3, 4, 5};
                            const float nan = NAN;
                            nc_put_var1_float(nc, v, at, &nan);
                        })),
                        "nan.nc: variable T at 2005-09-21 00:00:00: value at [0, 3, 4, 5] is nan (not finite)");
    expect_config_error(with_file(broken_copy(dir, "inf.nc", [](int nc) {
                            int v = -1;
                            nc_inq_varid(nc, "U10", &v);
                            const std::size_t at[3] = {0, 2, 2};
                            const float inf = INFINITY;
                            nc_put_var1_float(nc, v, at, &inf);
                        })),
                        "inf.nc: variable U10 at 2005-09-21 00:00:00: value at [0, 2, 2] is inf");
    // Times that do not increase; times that do not cover the run.
    const std::string first = broken_copy(dir, "t1.nc", [](int) {});
    const std::string same = broken_copy(dir, "t2.nc", [](int) {});
    Config twice = wrf_config({"met.files=" + first + " " + same});
    expect_config_error(twice, "t2.nc: time 2005-09-21 00:00:00 (record 0) does not come after 2005-09-21 09:00:00");
    expect_config_error(with_file(first, {"run.hours=12"}), "met.files cover 2005-09-21 00:00:00 to 2005-09-21 09:00:00 UTC, "
                                                            "but the run goes from 2005-09-21 00:00:00 to 2005-09-21 12:00:00");
    expect_config_error(with_file(first, {"run.start=2005-09-20T23:00:00"}), "but the run goes from 2005-09-20 23:00:00");
    // Grids that differ between files.
    const std::string other = broken_copy(dir, "other.nc", [](int nc) {
        set_times(nc, {"2005-09-21_10:00:00", "2005-09-21_11:00:00", "2005-09-21_12:00:00", "2005-09-21_13:00:00"});
        const float dx = 27000.0f;
        nc_redef(nc);
        nc_put_att_float(nc, NC_GLOBAL, "DX", NC_FLOAT, 1, &dx);
    });
    expect_config_error(wrf_config({"met.files=" + first + " " + other}), "other.nc: its grid differs from that of");
    // A truncated file and a file that is not NetCDF at all.
    {
        std::ifstream in(kWrf, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream(dir + "/cut.nc", std::ios::binary) << bytes.substr(0, bytes.size() / 3);
        std::ofstream(dir + "/text.nc") << "wrfout? no\n";
    }
    expect_config_error(with_file(dir + "/cut.nc"), "cut.nc:");
    expect_config_error(with_file(dir + "/text.nc"), "text.nc: cannot read as NetCDF");
    expect_config_error(with_file(dir + "/absent_*.nc"), "met.files = " + dir + "/absent_*.nc: no file matches");
    // A window outside the grid, and a model top above WRF's.
    expect_config_error(with_file(first, {"met.i1=12"}), "met.i1 = 12: beyond the 10 mass columns");
    expect_config_error(with_file(first, {"grid.top_m=40000"}), "is above the WRF model top");
    // Through the binary (exit 2 and the message): the hostile-input suite, tests/hostile (wrf-*).
}

namespace {

// Writes one value of a variable of an open file.
void put(int nc, const char* name, std::vector<std::size_t> at, float value) {
    int var = -1;
    REQUIRE(nc_inq_varid(nc, name, &var) == NC_NOERR);
    REQUIRE(nc_put_var1_float(nc, var, at.data(), &value) == NC_NOERR);
}

// Reads the weather of the file at t_s (s after 00 UTC) as a run does; the ConfigError's message,
// or "" when the record is accepted (its state in `out`).
std::string read_at(const std::string& path, double t_s, MetState* out = nullptr) {
    try {
        const Config cfg = with_met_grid(wrf_config({"met.files=" + path}));
        const Grid grid(cfg.grid);
        auto source = make_met_source(cfg, grid, parse_iso_time_utc(cfg.run.start));
        MetState met;
        met.resize(grid);
        source->evaluate(t_s, met);
        if (out) *out = met;
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("Implausible WRF values are refused naming file, variable, time and index; real extremes pass", "[unit][wrf]") {
    const std::string dir = test::scratch_dir("wrf_implausible");
    struct Case {
        const char* file;
        std::function<void(int)> edit;
        double t_s;
        const char* expect;
    };
    const Case refused[] = {
        {"u.nc", [](int nc) { put(nc, "U", {0, 2, 3, 4}, 1e30f); }, 0.0,
         "u.nc: variable U at 2005-09-21 00:00:00: value at [Time 0, bottom_top 2, south_north 3, west_east_stag 4] is "
         "1e+30 m s-1: outside the plausible wind component range [-150, 150] m s-1"},
        {"v.nc", [](int nc) { put(nc, "V", {2, 5, 8, 3}, -200.0f); }, 6 * 3600.0,
         "v.nc: variable V at 2005-09-21 06:00:00: value at [Time 2, bottom_top 5, south_north_stag 8, west_east 3] is -200 m s-1"},
        {"u10.nc", [](int nc) { put(nc, "U10", {0, 1, 1}, 160.0f); }, 0.0,
         "variable U10 at 2005-09-21 00:00:00: value at [Time 0, south_north 1, west_east 1] is 160 m s-1"},
        {"t2.nc", [](int nc) { put(nc, "T2", {0, 4, 5}, 400.0f); }, 0.0,
         "t2.nc: variable T2 at 2005-09-21 00:00:00: value at [Time 0, south_north 4, west_east 5] is 400 K: outside the "
         "plausible 2 m temperature range [180, 340] K"},
        {"theta.nc", [](int nc) { put(nc, "T", {0, 3, 4, 5}, 400.0f); }, 0.0,
         "theta.nc: air temperature from T (theta - 300 K), P and PB at 2005-09-21 00:00:00: value at [Time 0, "
         "bottom_top 3, south_north 4, west_east 5] is"},
        {"p.nc", [](int nc) { put(nc, "P", {0, 0, 2, 2}, -1e6f); }, 0.0,
         "p.nc: P + PB at 2005-09-21 00:00:00: value at [Time 0, bottom_top 0, south_north 2, west_east 2] is"},
        {"ph.nc", [](int nc) { put(nc, "PH", {0, 5, 2, 2}, 1e9f); }, 0.0,
         "ph.nc: (PH + PHB) / g at 2005-09-21 00:00:00: value at [Time 0, bottom_top_stag 5, south_north 2, west_east 2] is"},
        {"mu.nc", [](int nc) { put(nc, "MU", {0, 2, 2}, -1e5f); }, 0.0, "mu.nc: MU + MUB at 2005-09-21 00:00:00"},
        {"qv.nc", [](int nc) { put(nc, "QVAPOR", {0, 1, 2, 2}, 0.2f); }, 0.0,
         "qv.nc: variable QVAPOR at 2005-09-21 00:00:00: value at [Time 0, bottom_top 1, south_north 2, west_east 2] is 0.2 kg kg-1"},
        {"hgt.nc", [](int nc) { put(nc, "HGT", {2, 2}, 20000.0f); }, 0.0,
         "hgt.nc: variable HGT at 2005-09-21 00:00:00: value at [south_north 2, west_east 2] is 20000 m"},
        {"znw.nc", [](int nc) { put(nc, "ZNW", {0, 3}, 2.0f); }, 0.0, "znw.nc: variable ZNW at 2005-09-21 00:00:00: value at [Time 0, bottom_top_stag 3] is 2"},
        {"pblh.nc", [](int nc) { put(nc, "PBLH", {1, 3, 3}, 20000.0f); }, 3 * 3600.0,
         "pblh.nc: variable PBLH at 2005-09-21 03:00:00: value at [Time 1, south_north 3, west_east 3] is 20000 m: outside "
         "the plausible boundary-layer height range [0, 10000] m"},
        {"ust.nc", [](int nc) { put(nc, "UST", {0, 3, 3}, 8.0f); }, 0.0,
         "ust.nc: variable UST at 2005-09-21 00:00:00: value at [Time 0, south_north 3, west_east 3] is 8 m s-1"},
        {"hfx.nc", [](int nc) { put(nc, "HFX", {0, 3, 3}, 5000.0f); }, 0.0,
         "hfx.nc: variable HFX at 2005-09-21 00:00:00: value at [Time 0, south_north 3, west_east 3] is 5000 W m-2"},
        {"rainc.nc", [](int nc) { put(nc, "RAINC", {0, 2, 2}, 1e6f); }, 0.0,
         "rainc.nc: variable RAINC at 2005-09-21 00:00:00: value at [Time 0, south_north 2, west_east 2] is 1e+06 mm"},
        // 10 m of rain in 3 h: 3333 mm h-1 over the interval starting at 00 UTC.
        {"rate.nc", [](int nc) { put(nc, "RAINNC", {1, 2, 2}, 1e4f); }, 0.0,
         "rate.nc: RAINC + RAINNC rate from 2005-09-21 00:00:00 to 2005-09-21 03:00:00 ("},
    };
    for (const Case& c : refused) {
        INFO(c.file);
        const std::string path = broken_copy(dir, c.file, c.edit);
        CHECK_THAT(read_at(path, c.t_s), Catch::Contains(c.expect));
    }
    CHECK_THAT(read_at(dir + "/rate.nc", 0.0), Catch::Contains("value at [Time 1, south_north 2, west_east 2] is 33") &&
                                                   Catch::Contains("mm h-1: outside the plausible precipitation rate range [0, 500] mm h-1"));

    // Real extremes pass: a 95 m/s jet, a −50 °C night (2 m and aloft), a 5.8 km desert boundary
    // layer, a dust-storm u* of 2.5 m/s, 800 W m-2, 30 g/kg of vapour, 100 mm h-1 of rain.
    const auto p = test::read_nc_floats(kWrf, "P"), pb = test::read_nc_floats(kWrf, "PB");
    const std::size_t at3 = (3 * 8 + 4) * 10 + 5;  // [0, 3, 4, 5]
    const double pressure = static_cast<double>(p[at3]) + pb[at3];
    const float theta_pert_223 = static_cast<float>(223.15 / std::pow(pressure / 1e5, 287.04 / 1004.5) - 300.0);
    const auto rainnc = test::read_nc_floats(kWrf, "RAINNC");
    const std::size_t at2 = 2 * 10 + 2;
    const std::string extreme = broken_copy(dir, "extreme.nc", [&](int nc) {
        put(nc, "U", {0, 2, 3, 4}, 95.0f);
        put(nc, "T2", {0, 4, 5}, 223.15f);
        put(nc, "T", {0, 3, 4, 5}, theta_pert_223);
        put(nc, "PBLH", {0, 3, 3}, 5800.0f);
        put(nc, "UST", {0, 3, 3}, 2.5f);
        put(nc, "HFX", {0, 3, 3}, 800.0f);
        put(nc, "QVAPOR", {0, 0, 2, 2}, 0.03f);
        put(nc, "RAINNC", {1, 2, 2}, rainnc[80 + at2] + 300.0f);
    });
    MetState met;
    REQUIRE(read_at(extreme, 0.0, &met).empty());
    CHECK(met.t2_k[4 * 10 + 5] == Approx(223.15));
    CHECK(met.pblh_m[3 * 10 + 3] == Approx(5800.0));
    CHECK(met.ustar_m_s[3 * 10 + 3] == Approx(2.5));
    CHECK(met.precip_mm_h[at2] == Approx(100.0).epsilon(0.01));
    double fastest = 0;
    for (double u : met.u_face_x_m_s) fastest = std::max(fastest, u);
    CHECK(fastest > 20.0);  // the jet reaches Lantian's faces (mass-weighted with its neighbours)
    // Issue 13's file (|U| = 1e30 in one cell) through the binary, exit 2 at once: hostile case wrf-absurd-wind.
}

namespace {

// The shipped file turned into one on another projection (MAP_PROJ 2 or 3), centred where it was:
// XLAT/XLONG and MAPFAC_M written from the textbook formulas (Snyder 1987: polar stereographic eqs.
// 21-4 to 21-7, 21-15, 20-14; Mercator eqs. 7-1, 7-2, 7-4, 7-5 scaled to the true latitude),
// independent of Lantian's projection code. `mapfac_scale` spoils the map factors.
std::string reprojected_copy(const std::string& dir, int map_proj, double truelat1, double stand_lon, double mapfac_scale = 1.0) {
    const std::string name = "map_proj_" + std::to_string(map_proj) + "_ok.nc";
    return broken_copy(dir, name, [&](int nc) {
        const double R = kEarthRadiusM, phi_ts = truelat1 * kDegToRad, dx = 30000.0;
        const int nx = 10, ny = 8;
        const double lat_c = 30.0 * kDegToRad, dl_c = (87.0 - stand_lon) * kDegToRad;
        double xc = 0, yc = 0;
        if (map_proj == 2) {  // north polar: ρ = R (1 + sin φ_ts) tan(π/4 − φ/2), x = ρ sin Δλ, y = −ρ cos Δλ
            const double rho = R * (1.0 + std::sin(phi_ts)) * std::tan(kPi / 4.0 - lat_c / 2.0);
            xc = rho * std::sin(dl_c), yc = -rho * std::cos(dl_c);
        } else {  // x = R cos φ_ts Δλ, y = R cos φ_ts ln tan(π/4 + φ/2)
            xc = R * std::cos(phi_ts) * dl_c, yc = R * std::cos(phi_ts) * std::log(std::tan(kPi / 4.0 + lat_c / 2.0));
        }
        std::vector<float> lat(nx * ny), lon(nx * ny), mapfac(nx * ny);
        for (int j = 0; j < ny; ++j)
            for (int i = 0; i < nx; ++i) {
                const double x = xc + (i - 4.5) * dx, y = yc + (j - 3.5) * dx;
                double phi = 0, lam = 0, m = 0;
                if (map_proj == 2) {
                    const double rho = std::hypot(x, y);
                    phi = kPi / 2.0 - 2.0 * std::atan(rho / (R * (1.0 + std::sin(phi_ts))));
                    lam = stand_lon * kDegToRad + std::atan2(x, -y);
                    m = (1.0 + std::sin(phi_ts)) / (1.0 + std::sin(phi));
                } else {
                    phi = 2.0 * std::atan(std::exp(y / (R * std::cos(phi_ts)))) - kPi / 2.0;
                    lam = stand_lon * kDegToRad + x / (R * std::cos(phi_ts));
                    m = std::cos(phi_ts) / std::cos(phi);
                }
                lat[j * nx + i] = static_cast<float>(phi / kDegToRad);
                lon[j * nx + i] = static_cast<float>(lam / kDegToRad);
                mapfac[j * nx + i] = static_cast<float>(m * mapfac_scale);
            }
        for (const auto& [var, values] : {std::pair{"XLAT", &lat}, std::pair{"XLONG", &lon}, std::pair{"MAPFAC_M", &mapfac}}) {
            int v = -1;
            REQUIRE(nc_inq_varid(nc, var, &v) == NC_NOERR);
            int ndims = 0;
            REQUIRE(nc_inq_varndims(nc, v, &ndims) == NC_NOERR);
            REQUIRE(ndims == 2);  // the shipped file stores them without Time
            REQUIRE(nc_put_var_float(nc, v, values->data()) == NC_NOERR);
        }
        const float t1 = static_cast<float>(truelat1), sl = static_cast<float>(stand_lon);
        REQUIRE(nc_redef(nc) == NC_NOERR);
        REQUIRE(nc_put_att_int(nc, NC_GLOBAL, "MAP_PROJ", NC_INT, 1, &map_proj) == NC_NOERR);
        REQUIRE(nc_put_att_float(nc, NC_GLOBAL, "TRUELAT1", NC_FLOAT, 1, &t1) == NC_NOERR);
        REQUIRE(nc_put_att_float(nc, NC_GLOBAL, "TRUELAT2", NC_FLOAT, 1, &t1) == NC_NOERR);
        REQUIRE(nc_put_att_float(nc, NC_GLOBAL, "STAND_LON", NC_FLOAT, 1, &sl) == NC_NOERR);
    });
}

}  // namespace

TEST_CASE("WRF files on polar stereographic (MAP_PROJ = 2) and Mercator (MAP_PROJ = 3) grids are read on their projection", "[unit][wrf]") {
    const std::string dir = test::scratch_dir("wrf_projections");
    struct Case {
        int map_proj;
        double truelat1, stand_lon;
        Projection expect;
    };
    for (const Case& c : {Case{2, 60.0, 80.0, Projection::polar}, Case{3, 20.0, 90.0, Projection::mercator}}) {
        INFO("MAP_PROJ = " << c.map_proj);
        const std::string path = reprojected_copy(dir, c.map_proj, c.truelat1, c.stand_lon);
        const GridConfig g = wrf_grid_config(wrf_config({"met.files=" + path}));
        CHECK(g.projection == c.expect);
        CHECK(g.truelat1 == c.truelat1);
        CHECK(g.stand_lon == c.stand_lon);
        CHECK(g.dx_m == 30000.0);
        const Grid grid(g);
        REQUIRE(grid.nx() == 10);
        REQUIRE(grid.ny() == 8);
        const auto xlat = test::read_nc_floats(path, "XLAT"), xlon = test::read_nc_floats(path, "XLONG");
        double worst = 0;
        for (std::size_t n = 0; n < grid.columns(); ++n)
            worst = std::max({worst, std::fabs(grid.lat()[n] - xlat[n]), std::fabs(grid.lon()[n] - xlon[n])});
        CAPTURE(worst);
        CHECK(worst < 1e-4);  // degrees: float storage
        CHECK(std::fabs(g.center_lat - 30.0) < 1e-4);
        CHECK(std::fabs(g.center_lon - 87.0) < 1e-4);
        // The met source accepts it (MAPFAC_M against the projection) and reads a record.
        MetState met;
        CHECK(read_at(path, 0.0, &met) == "");
        // Map factors that are not the projection's are refused, naming the projection.
        const std::string spoiled = reprojected_copy(test::scratch_dir("wrf_projections_bad"), c.map_proj, c.truelat1, c.stand_lon, 1.01);
        CHECK_THAT(read_at(spoiled, 0.0), Catch::Contains("MAPFAC_M[0, 0]") &&
                                              Catch::Contains(c.map_proj == 2 ? "polar stereographic projection" : "Mercator projection"));
    }
}
