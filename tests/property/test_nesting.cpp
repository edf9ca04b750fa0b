// One-way nesting (docs/nesting.md): a parent run writes its hourly state; an inner run takes its
// inflow and initial state from it.
//  - free stream: a uniform mixing ratio in the parent stays uniform in the inner domain, in the
//    divergent, time-varying ridge flow and in real WRF winds;
//  - a plume crosses the nest boundary: the inner's booked inflow equals the parent's flux through the
//    same line, and the inner agrees with one fine domain covering both at points downstream;
//  - a nested run stopped and restarted equals the uninterrupted one bit for bit;
//  - bad parents are refused naming the file and the problem.
#include <catch2/catch.hpp>
#include <netcdf.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>

#include "config/config_parser.hpp"
#include "output/file_names.hpp"
#include "output/netcdf_reader.hpp"
#include "processes/advection.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {

// Inflow of one fixed mixing ratio everywhere (µg kg-1): the parent's own boundary in the free-stream tests.
class UniformInflow final : public BoundaryInflow {
public:
    explicit UniformInflow(double q) : q_(q) {}
    void prepare(double) override {}
    double q(Edge4, int, int, int) const override { return q_; }

private:
    double q_;
};

// The passive tracer of these tests: CO with no chemistry and no removal.
const std::vector<std::string> kPassive = {"species.names=CO", "chemistry.enabled=false", "removal.dry_deposition=false",
                                           "removal.settling=false", "removal.wet_scavenging=false",
                                           "species.background_ug_m3=CO:0"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string hourly(int hours) {
    std::string list;
    for (int h = 0; h <= hours; ++h) list += (h ? " " : "") + std::to_string(h);
    return list;
}

// Runs the parent with a uniform q0 everywhere and flowing in, writing its hourly state to `state`.
void run_uniform_parent(const Config& cfg, double q0) {
    Simulation parent(cfg);
    std::fill(parent.state().q.begin(), parent.state().q.end(), static_cast<real>(q0));
    parent.restate_initial_mass();
    parent.set_boundary_inflow(std::make_shared<UniformInflow>(q0));
    parent.run(true);
}

// Largest |q/q0 − 1| of the inner run, checked after every step.
double worst_deviation_in_inner(const Config& cfg, double q0) {
    Simulation inner(cfg);
    double worst = 0;
    auto check = [&](double, double) {
        for (real q : inner.state().q) worst = std::max(worst, std::fabs(q / q0 - 1.0));
    };
    check(0, 0);
    inner.run(false, check);
    return worst;
}

// Ground-level concentration (µg m-3) at a point, bilinear between cell centres.
double ground_at(const Simulation& sim, LonLat p) {
    const Grid& g = sim.grid();
    double fi = 0, fj = 0;
    REQUIRE(g.locate(p, fi, fj));
    const std::vector<double> c = sim.concentration(0, 0);
    const int i0 = std::clamp(static_cast<int>(std::floor(fi)), 0, g.nx() - 2);
    const int j0 = std::clamp(static_cast<int>(std::floor(fj)), 0, g.ny() - 2);
    const double a = fi - i0, b = fj - j0;
    auto at = [&](int i, int j) { return c[static_cast<std::size_t>(j) * g.nx() + i]; };
    return (1 - a) * (1 - b) * at(i0, j0) + a * (1 - b) * at(i0 + 1, j0) + (1 - a) * b * at(i0, j0 + 1) + a * b * at(i0 + 1, j0 + 1);
}

}  // namespace

TEST_CASE("Free stream across nests: a uniform mixing ratio stays uniform in the inner domain (ridge flow)",
          "[property][nesting]") {
    const std::string dir = test::scratch_dir("nest_free_ridge");
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-03-01T00:00:00\nhours = 4\nmax_dt_s = 600\n"
        "[grid]\nprojection = lambert\nnx = 36\nny = 28\ndx_m = 6000\ncenter_lon = 110.0\ncenter_lat = 41.0\n"
        "stand_lon = 110.0\nnz = 10\nfirst_layer_m = 40\ntop_m = 3000\n"
        "[met]\nsource = ridge\nspeed_m_s = 8\ndirection_deg = 250\ninterval_s = 900\nridge_oscillation_h = 3\n"
        "ridge_halfwidth_m = 15000\n"
        "[output]\ninterval_h = 1\n");
    const std::string state = dir + "/parent_state.nc";
    const double q0 = 37.0;
    run_uniform_parent(load_config(ini, with(kPassive, {"output.file=" + dir + "/parent.nc", "output.state_file=" + state,
                                                        "output.state_hours=" + hourly(4)})),
                       q0);
    // The inner: 2 km cells over the middle of the parent, its own ridge and its own divergent winds.
    const Config inner = load_config(ini, with(kPassive, {"grid.nx=45", "grid.ny=30", "grid.dx_m=2000", "grid.center_lon=110.1",
                                                          "grid.center_lat=41.05", "nest.parent_file=" + state}));
    const double worst = worst_deviation_in_inner(inner, q0);
    CAPTURE(worst);
    CHECK(worst < 1e-6);
}

TEST_CASE("Free stream across nests: a uniform mixing ratio stays uniform in the inner domain (real WRF winds)",
          "[property][nesting][wrf]") {
    const std::string example = std::string(LANTIAN_SOURCE_DIR) + "/configs/wrf_example.ini";
    const std::string dir = test::scratch_dir("nest_free_wrf");
    const std::string state = dir + "/parent_state.nc";
    const double q0 = 41.0;
    const std::vector<std::string> common = with(kPassive, {"sources.points=", "run.hours=6", "species.deposition_velocity_m_s="});
    run_uniform_parent(load_config(example, with(common, {"output.file=" + dir + "/parent.nc", "output.state_file=" + state,
                                                          "output.state_hours=" + hourly(6)})),
                       q0);
    // The inner: a window of the same wrfout (WRF's own d02 would be finer), at least one parent cell inside every edge (the cropped file is 10 × 8).
    const Config inner = load_config(example, with(common, {"met.i0=3", "met.i1=6", "met.j0=2", "met.j1=5", "nest.margin_cells=1",
                                                            "nest.parent_file=" + state}));
    const double worst = worst_deviation_in_inner(inner, q0);
    CAPTURE(worst);
    CHECK(worst < 1e-6);

    // The same file labelled as a WRF child domain (GRID_ID 2): with PARENT_GRID_RATIO 1 its cells sit
    // on the parent's and it runs; with ratio 3 it claims a parent of 90 km cells and is refused.
    auto as_child = [&](int ratio) {
        const std::string copy = dir + "/wrfout_d02_ratio" + std::to_string(ratio) + ".nc";
        std::filesystem::copy_file(std::string(LANTIAN_SOURCE_DIR) + "/configs/wrf/wrf_d01_allvars_cropped.nc", copy,
                                   std::filesystem::copy_options::overwrite_existing);
        int id = -1;
        REQUIRE(nc_open(copy.c_str(), NC_WRITE, &id) == NC_NOERR);
        const int two = 2;
        REQUIRE(nc_redef(id) == NC_NOERR);
        REQUIRE(nc_put_att_int(id, NC_GLOBAL, "GRID_ID", NC_INT, 1, &two) == NC_NOERR);
        REQUIRE(nc_put_att_int(id, NC_GLOBAL, "PARENT_GRID_RATIO", NC_INT, 1, &ratio) == NC_NOERR);
        REQUIRE(nc_close(id) == NC_NOERR);
        return copy;
    };
    const auto child = [&](int ratio) {
        return load_config(example, with(common, {"met.files=" + as_child(ratio), "met.i0=3", "met.i1=6", "met.j0=2",
                                                  "met.j1=5", "nest.margin_cells=1", "nest.parent_file=" + state}));
    };
    CHECK_NOTHROW(Simulation(child(1)));
    CHECK_THROWS_WITH(Simulation(child(3)), Catch::Contains("wrfout_d02_ratio3.nc: GRID_ID = 2") &&
                                                Catch::Contains("PARENT_GRID_RATIO = 3 sits on a parent of 90000 m cells"));
}

TEST_CASE("An outer domain nested in a coarse CF latitude-longitude file (mixing ratios): a uniform field stays uniform",
          "[property][nesting]") {
    // A 0.5° global-model-like file: lon 100-114.5 E, lat 35-44.5 N, 5 heights, 3-hourly, CO in kg kg-1.
    const std::string dir = test::scratch_dir("nest_cf_latlon");
    const std::string coarse = dir + "/coarse.nc";
    const double q0_kg_kg = 1.1e-7, q0 = q0_kg_kg * 1e9;  // µg kg-1
    {
        int id = -1, dt, dz, dy, dx, vt, vz, vy, vx, vc;
        REQUIRE(nc_create(coarse.c_str(), NC_NETCDF4 | NC_CLOBBER, &id) == NC_NOERR);
        nc_def_dim(id, "time", NC_UNLIMITED, &dt);
        nc_def_dim(id, "height", 5, &dz);
        nc_def_dim(id, "lat", 20, &dy);
        nc_def_dim(id, "lon", 30, &dx);
        nc_def_var(id, "time", NC_DOUBLE, 1, &dt, &vt);
        nc_put_att_text(id, vt, "units", 31, "hours since 2026-03-01 00:00:00");
        nc_def_var(id, "height", NC_DOUBLE, 1, &dz, &vz);
        nc_put_att_text(id, vz, "units", 1, "m");
        nc_def_var(id, "lat", NC_DOUBLE, 1, &dy, &vy);
        nc_def_var(id, "lon", NC_DOUBLE, 1, &dx, &vx);
        const int dims[4] = {dt, dz, dy, dx};
        nc_def_var(id, "CO", NC_FLOAT, 4, dims, &vc);
        nc_put_att_text(id, vc, "units", 7, "kg kg-1");
        REQUIRE(nc_enddef(id) == NC_NOERR);
        const double heights[5] = {50, 200, 600, 1500, 4000};
        std::vector<double> lat(20), lon(30);
        for (int j = 0; j < 20; ++j) lat[j] = 35.0 + 0.5 * j;
        for (int i = 0; i < 30; ++i) lon[i] = 100.0 + 0.5 * i;
        nc_put_var_double(id, vz, heights);
        nc_put_var_double(id, vy, lat.data());
        nc_put_var_double(id, vx, lon.data());
        const std::vector<float> field(5 * 20 * 30, static_cast<float>(q0_kg_kg));
        for (std::size_t t = 0; t < 3; ++t) {
            const double hours = 3.0 * t;
            const std::size_t one = 1, at = t;
            nc_put_vara_double(id, vt, &at, &one, &hours);
            const std::size_t start[4] = {t, 0, 0, 0}, count[4] = {1, 5, 20, 30};
            REQUIRE(nc_put_vara_float(id, vc, start, count, field.data()) == NC_NOERR);
        }
        REQUIRE(nc_close(id) == NC_NOERR);
    }
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-03-01T00:00:00\nhours = 6\nmax_dt_s = 900\n"
        "[grid]\nprojection = lambert\nnx = 30\nny = 20\ndx_m = 20000\ncenter_lon = 107.0\ncenter_lat = 40.0\n"
        "nz = 10\nfirst_layer_m = 40\ntop_m = 3000\n"
        "[met]\nsource = ridge\nspeed_m_s = 10\ndirection_deg = 300\ninterval_s = 900\nridge_halfwidth_m = 60000\n"
        "[output]\ninterval_h = 1\n");
    const double worst = worst_deviation_in_inner(load_config(ini, with(kPassive, {"nest.parent_file=" + coarse})), q0);
    CAPTURE(worst);
    CHECK(worst < 1e-6);
    // The same file as a concentration needs the air density.
    {
        int id = -1, vc = -1;
        REQUIRE(nc_open(coarse.c_str(), NC_WRITE, &id) == NC_NOERR);
        nc_redef(id);
        nc_inq_varid(id, "CO", &vc);
        nc_put_att_text(id, vc, "units", 6, "ug m-3");
        REQUIRE(nc_close(id) == NC_NOERR);
    }
    CHECK_THROWS_WITH(Simulation(load_config(ini, with(kPassive, {"nest.parent_file=" + coarse}))),
                      Catch::Contains("coarse.nc: no air_density_3d variable"));
}

TEST_CASE("A plume crosses the nest boundary: inflow equals the parent's flux, and the inner matches one fine domain",
          "[property][nesting]") {
    // Westerly 5 m/s; a ground source in the parent 90 km upstream of the inner domain's west edge.
    // Horizontal diffusion 1000 m2 s-1 makes the plume several parent cells wide where it crosses.
    const std::string dir = test::scratch_dir("nest_plume");
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-03-01T00:00:00\nhours = 16\nmax_dt_s = 600\n"
        "[grid]\nprojection = lambert\nnx = 40\nny = 24\ndx_m = 6000\ncenter_lon = 110.0\ncenter_lat = 41.0\n"
        "stand_lon = 110.0\nnz = 10\nfirst_layer_m = 40\ntop_m = 3000\n"
        "[met]\nsource = uniform\nspeed_m_s = 5\ndirection_deg = 270\nkz_mode = constant\nkz_m2_s = 20\n"
        "[transport]\nhorizontal_diffusion = constant\nkh_m2_s = 1000\n"
        "[output]\ninterval_h = 1\n");
    const Grid parent_grid(load_config(ini, kPassive).grid);
    // The source at the centre of parent cell (5, 12), which is also the centre of a cell of the fine domain.
    PointSource stack;
    stack.id = stack.name = "stack";
    stack.lon = parent_grid.lon()[12 * 40 + 5];
    stack.lat = parent_grid.lat()[12 * 40 + 5];
    stack.height_m = 20;
    stack.rate_g_s = {{"CO", 1000.0}};

    const std::string state = dir + "/parent_state.nc";
    Simulation parent(load_config(ini, with(kPassive, {"output.file=" + dir + "/parent.nc", "output.state_file=" + state,
                                                       "output.state_hours=" + hourly(16), "output.fields_3d=false"})),
                      {stack});
    parent.run(true);

    // The inner: 2 km cells from x = −48 km to +48 km of the parent's plane (its west edge on a parent face).
    const Config inner_cfg = load_config(ini, with(kPassive, {"grid.nx=48", "grid.ny=36", "grid.dx_m=2000", "nest.parent_file=" + state}));
    // Same projection plane and centre as the parent: the inner's cells are the fine domain's cells (3 per parent cell).
    Simulation inner(inner_cfg);
    inner.run(false);
    Simulation fine(load_config(ini, with(kPassive, {"grid.nx=120", "grid.ny=72", "grid.dx_m=2000"})), {stack});
    fine.run(false);

    // The parent's flux through the inner's west edge x_w = −48 km (the face between parent columns 11 and 12),
    // from its hourly state: F = Σ u c Δy Δz over the face (c the mean of the two columns), trapezoid in time.
    const NcReader nc(state, "open");
    const std::size_t nx = 40, ny = 24, nz = 10, nt = 17;
    std::vector<double> c(nt * nz * ny * nx);
    nc.check(nc_get_var_double(nc.id(), nc.var("CO_3d"), c.data()), "CO_3d");
    const Grid& g = parent.grid();
    const int i_w = 11;  // columns 11 | 12
    REQUIRE(std::fabs(0.5 * (g.x()[i_w] + g.x()[i_w + 1]) - inner.grid().x().front() + 1000.0) < 1.0);
    std::vector<double> flux_kg_s(nt, 0.0);
    for (std::size_t t = 0; t < nt; ++t)
        for (std::size_t k = 0; k < nz; ++k)
            for (std::size_t j = 0; j < ny; ++j) {
                const std::size_t base = ((t * nz + k) * ny + j) * nx;
                const double face_c = 0.5 * (c[base + i_w] + c[base + i_w + 1]);  // µg m-3
                flux_kg_s[t] += 5.0 * face_c * 1e-9 * g.face_x_length_m()[j * (nx + 1) + i_w + 1] * g.dz()[k];
            }
    double parent_kg = 0;
    for (std::size_t t = 0; t + 1 < nt; ++t) parent_kg += 0.5 * (flux_kg_s[t] + flux_kg_s[t + 1]) * 3600.0;
    const Ledger& l = inner.ledger();
    const double inner_west_kg = l[0].kg("inflow_west");
    CAPTURE(parent_kg, inner_west_kg, flux_kg_s.back());
    REQUIRE(parent_kg > 10.0);   // the plume did cross (1 kg s-1 for hours)
    CHECK(std::fabs(flux_kg_s.back() / 1.0 - 1.0) < 0.05);  // steady: the whole emission crosses the line
    CHECK(inner_west_kg == Approx(parent_kg).epsilon(0.01));

    // Downstream points on the plume's axis, 10, 40 and 70 km inside the inner domain.
    for (double km : {10.0, 40.0, 70.0}) {
        const LonLat p = inner.grid().projection().inverse({inner.grid().x().front() - 1000.0 + km * 1000.0, g.y()[12]});
        const double in = ground_at(inner, p), ref = ground_at(fine, p);
        CAPTURE(km, in, ref);
        CHECK(ref > 10.0);
        CHECK(std::fabs(in / ref - 1.0) < 0.10);
    }
}

TEST_CASE("A nested run stopped and restarted equals the uninterrupted one bit for bit", "[property][nesting][restart]") {
    const std::string dir = test::scratch_dir("nest_restart");
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-03-01T00:00:00\nhours = 4\nmax_dt_s = 600\n"
        "[grid]\nprojection = lambert\nnx = 30\nny = 20\ndx_m = 9000\ncenter_lon = 110.0\ncenter_lat = 41.0\n"
        "stand_lon = 110.0\nnz = 8\nfirst_layer_m = 40\ntop_m = 3000\n"
        "[met]\nsource = episode\nepisode_origin = 2026-02-26T12:00:00\n"
        "[species]\nbackground_ug_m3 = SO2:8 NO2:10 CO:400 PM25:12 PMC:15\n"
        "[output]\ninterval_h = 1\n");
    const std::string state = dir + "/parent_state.nc";
    {
        Simulation parent(load_config(ini, {"output.file=" + dir + "/parent.nc", "output.state_file=" + state,
                                            "output.state_hours=" + hourly(4)}));
        parent.run(true);
    }
    const std::vector<std::string> nested = {"grid.nx=30", "grid.ny=24", "grid.dx_m=3000", "nest.parent_file=" + state,
                                             "checkpoint.interval_h=2"};
    const std::string a = dir + "/a.nc", b = dir + "/b.nc";
    {
        Simulation first(load_config(ini, with(nested, {"run.hours=2", "output.file=" + a})));
        first.run(true);
    }
    Simulation restarted(load_config(ini, with(nested, {"output.file=" + a})));
    restarted.restart_from(strip_nc_suffix(a) + ".checkpoint.h5");
    restarted.run(true);
    Simulation whole(load_config(ini, with(nested, {"output.file=" + b})));
    whole.run(true);
    REQUIRE(whole.ledger()[0].inflow_total_kg() > 0.0);
    for (int s = 0; s < whole.ledger().size(); ++s) {
        INFO(whole.ledger().species()[s]);
        CHECK(restarted.ledger().words(s) == whole.ledger().words(s));
    }
    CHECK(restarted.state().q == whole.state().q);
}

TEST_CASE("Bad parents are refused naming the file and the problem", "[property][nesting]") {
    const std::string dir = test::scratch_dir("nest_bad");
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-03-01T00:00:00\nhours = 2\nmax_dt_s = 600\n"
        "[grid]\nprojection = lambert\nnx = 20\nny = 16\ndx_m = 9000\ncenter_lon = 110.0\ncenter_lat = 41.0\n"
        "stand_lon = 110.0\nnz = 6\nfirst_layer_m = 40\ntop_m = 2000\n"
        "[met]\nsource = uniform\n"
        "[species]\nnames = SO2 PM25\n"
        "[output]\ninterval_h = 1\n");
    const std::string state = dir + "/parent_state.nc";
    {
        Simulation parent(load_config(ini, {"output.file=" + dir + "/parent.nc", "output.state_file=" + state,
                                            "output.state_hours=" + hourly(2)}));
        parent.run(true);
    }
    auto refused = [&](const std::vector<std::string>& overrides) {
        try {
            Simulation s(load_config(ini, with({"nest.parent_file=" + state}, overrides)));
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    // Fits: 2 km cells in the middle.
    CHECK(refused({"grid.nx=20", "grid.ny=16", "grid.dx_m=3000"}) == "accepted");
    // Reaching the parent's edge zone.
    const std::string outside = refused({"grid.nx=40", "grid.ny=16", "grid.dx_m=3000"});
    CHECK_THAT(outside, Catch::Contains(state) && Catch::Contains("not wholly inside the parent") &&
                            Catch::Contains("west boundary") && Catch::Contains("nest.margin_cells"));
    // Beyond the parent's records.
    CHECK_THAT(refused({"grid.nx=20", "grid.ny=16", "grid.dx_m=3000", "run.hours=3"}),
               Catch::Contains("records run from 2026-03-01 00:00:00 to 2026-03-01 02:00:00") && Catch::Contains("needs"));
    // A species the parent does not carry.
    CHECK_THAT(refused({"grid.nx=20", "grid.ny=16", "grid.dx_m=3000", "species.names=SO2 PM25 NO2"}),
               Catch::Contains("no NO2_3d or NO2 variable") && Catch::Contains("does not carry NO2"));
    // Taller than the parent.
    CHECK_THAT(refused({"grid.nx=20", "grid.ny=16", "grid.dx_m=3000", "grid.top_m=5000"}),
               Catch::Contains("the parent's top is at 2000 m"));
    // Not a file.
    CHECK_THAT(refused({"grid.nx=20", "grid.ny=16", "grid.dx_m=3000", "nest.parent_file=" + dir + "/missing.nc"}),
               Catch::Contains("missing.nc") && Catch::Contains("cannot open the parent domain's state file"));
    // A periodic domain has no inflow.
    CHECK_THAT(refused({"transport.boundary=periodic"}), Catch::Contains("nest.parent_file") && Catch::Contains("open"));
}
