// Lantian benchmarks: STREAM-triad bandwidth, each kernel's effective bandwidth and cell-updates per
// second, and the whole step on the reference workload (200×160 cells × 20 layers, 10 species).
// Usage: lantian_bench [--quick] [--steps N] [--repeats N] [--kernels] [--emissions]   (--kernels: the triad
// and the kernel table only; --emissions: the triad and the emission-processing section only; --repeats:
// best of N instead of 5, or 2 with --quick)
// The last section adds the emission model with 100,000 point stacks (plume rise at every weather
// update) and 20,000 road links to the whole step and reports what it costs.
// Effective bandwidth counts the bytes a kernel must move at least once (its inputs read and its
// outputs written, each field once), divided by the wall time; it is compared with the triad.
#include <netcdf.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "advection_kernels.hpp"
#include "diffusion_kernels.hpp"
#include "flux_kernels.hpp"
#include "thread_scratch.hpp"
#include "emissions/emission_model.hpp"
#include "met/met_source.hpp"
#include "met/wrf_met.hpp"
#include "processes/advection.hpp"
#include "processes/mixing.hpp"
#include "config/config_parser.hpp"
#include "simulation/simulation.hpp"

using namespace lantian;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Best of `repeats` timings of fn (s).
double best_time(int repeats, const std::function<void()>& fn) {
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = Clock::now();
        fn();
        best = std::min(best, seconds_since(t0));
    }
    return best;
}

double stream_triad_gb_s() {
    const std::size_t n = 40'000'000;  // 3 × 320 MB: far beyond the caches
    std::vector<double> a(n), b(n), c(n);
#pragma omp parallel for schedule(static)
    for (std::size_t i = 0; i < n; ++i) {
        a[i] = 0.0;
        b[i] = 1.0;
        c[i] = 2.0;
    }
    const double s = 3.0;
    const double t = best_time(5, [&] {
#pragma omp parallel for schedule(static)
        for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
    });
    return 3.0 * sizeof(double) * n / t / 1e9;
}

// The compute ceiling of the roofline: single-precision multiply-adds on every thread, 16
// independent vector accumulators each (throughput, not latency bound), counted as 2 operations.
double fma_peak_gflops() {
    constexpr int kAcc = 256;
    const long iterations = 2'000'000;
    double ops = 0;
    const double t = best_time(3, [&] {
#pragma omp parallel
        {
            float acc[kAcc];
            for (int j = 0; j < kAcc; ++j) acc[j] = 1.0f + 1e-3f * j;
            const float x = 0.999999f, y = 1e-6f;
            for (long k = 0; k < iterations; ++k)
#pragma omp simd
                for (int j = 0; j < kAcc; ++j) acc[j] = acc[j] * x + y;
            float sum = 0;
            for (int j = 0; j < kAcc; ++j) sum += acc[j];
            if (sum == 12345.0f) std::printf(" ");  // keeps the loop
        }
    });
    ops = 2.0 * kAcc * static_cast<double>(iterations) * omp_get_max_threads();
    return ops / t / 1e9;
}

struct Row {
    std::string name;
    double seconds;
    double bytes;
    double updates;  // species-cell updates
    // Arithmetic operations per update, counted from the source (every add, multiply, divide,
    // compare, select, min/max, abs and conversion): the roofline's intensity is flops / (bytes / updates).
    double flops_per_update = 0;
};

void print_row(const Row& r, double triad) {
    const double gb_s = r.bytes / r.seconds / 1e9;
    std::printf("  %-34s %9.3f ms  %7.2f GB/s (%5.1f%% of triad)  %9.3g updates/s\n", r.name.c_str(), r.seconds * 1e3,
                gb_s, 100.0 * gb_s / triad, r.updates / r.seconds);
}

// A synthetic large inventory over the grid: stacks of the industrial sectors with plausible stack
// parameters, road links as random walks of 1–3 km legs, plus the demonstration area sectors.
Inventory synthetic_inventory(const Grid& grid, int stacks, int roads) {
    Inventory inv;
    std::mt19937 gen(7);
    std::uniform_int_distribution<std::size_t> cell(0, grid.columns() - 1);
    std::uniform_real_distribution<double> u01(0.0, 1.0);
    const Sector industrial[] = {Sector::steel, Sector::power, Sector::industry};
    for (int n = 0; n < stacks; ++n) {
        const std::size_t c = cell(gen);
        PointStack p;
        p.id = "S" + std::to_string(n);
        p.sector = industrial[n % 3];
        p.lon = grid.lon()[c] + 0.01 * (u01(gen) - 0.5);
        p.lat = grid.lat()[c] + 0.01 * (u01(gen) - 0.5);
        p.stack = {20 + 230 * u01(gen), 1 + 7 * u01(gen), 300 + 150 * u01(gen), 5 + 20 * u01(gen)};
        p.annual_t = {100 * u01(gen), 150 * u01(gen), 500 * u01(gen), 20 * u01(gen), 10 * u01(gen), 5 * u01(gen), 2 * u01(gen)};
        inv.points.push_back(std::move(p));
    }
    for (int n = 0; n < roads; ++n) {
        const std::size_t c = cell(gen);
        RoadLink r;
        r.id = "R" + std::to_string(n);
        r.road_class = "arterial";
        LonLat v{grid.lon()[c], grid.lat()[c]};
        const int vertices = 2 + n % 7;
        for (int k = 0; k < vertices; ++k) {
            r.path.push_back(v);
            const double leg_deg = (1.0 + 2.0 * u01(gen)) / 111.0, angle = 6.283185 * u01(gen);
            v = {v.lon_deg + leg_deg * std::cos(angle) / std::cos(v.lat_deg * 0.01745329), v.lat_deg + leg_deg * std::sin(angle)};
        }
        r.annual_t = {0.05, 20 * u01(gen), 10 * u01(gen), 0.3 * u01(gen), 0.2 * u01(gen), 1 * u01(gen), 0.1 * u01(gen)};
        inv.roads.push_back(std::move(r));
    }
    inv.areas = read_area_csv(std::string(LANTIAN_SOURCE_DIR) + "/configs/inventories/baotou/areas.csv");
    return inv;
}

// A wrfout-like file on the grid's cells: the variables the WRF reader needs, a dry standard
// atmosphere with a little moisture, a sheared westerly, a convective boundary layer. Hourly records
// from 2026-01-10T00Z.
void write_synthetic_wrfout(const std::string& path, const Grid& g, int records) {
    const std::size_t nx = g.nx(), ny = g.ny(), nz = 30, nzw = nz + 1;
    int nc = -1;
    auto ok = [&](int status) {
        if (status != NC_NOERR) {
            std::fprintf(stderr, "synthetic wrfout: %s\n", nc_strerror(status));
            std::exit(1);
        }
    };
    ok(nc_create(path.c_str(), NC_NETCDF4 | NC_CLOBBER, &nc));
    int t_d, s_d, we, sn, bt, wes, sns, bts;
    ok(nc_def_dim(nc, "Time", NC_UNLIMITED, &t_d));
    ok(nc_def_dim(nc, "DateStrLen", 19, &s_d));
    ok(nc_def_dim(nc, "west_east", nx, &we));
    ok(nc_def_dim(nc, "south_north", ny, &sn));
    ok(nc_def_dim(nc, "bottom_top", nz, &bt));
    ok(nc_def_dim(nc, "west_east_stag", nx + 1, &wes));
    ok(nc_def_dim(nc, "south_north_stag", ny + 1, &sns));
    ok(nc_def_dim(nc, "bottom_top_stag", nzw, &bts));
    const int map_proj = 1;
    const float dx = static_cast<float>(g.dx()), tl1 = static_cast<float>(g.config().truelat1),
                tl2 = static_cast<float>(g.config().truelat2), sl = static_cast<float>(g.config().center_lon);
    ok(nc_put_att_int(nc, NC_GLOBAL, "MAP_PROJ", NC_INT, 1, &map_proj));
    for (const auto& [name, v] : {std::pair{"DX", dx}, std::pair{"DY", dx}, std::pair{"TRUELAT1", tl1},
                                  std::pair{"TRUELAT2", tl2}, std::pair{"STAND_LON", sl}})
        ok(nc_put_att_float(nc, NC_GLOBAL, name, NC_FLOAT, 1, &v));
    std::map<std::string, int> v;
    auto def = [&](const std::string& name, std::vector<int> dims) {
        int id = -1;
        ok(nc_def_var(nc, name.c_str(), name == "Times" ? NC_CHAR : NC_FLOAT, static_cast<int>(dims.size()), dims.data(), &id));
        v[name] = id;
    };
    def("Times", {t_d, s_d});
    def("U", {t_d, bt, sn, wes});
    def("V", {t_d, bt, sns, we});
    for (const char* n : {"PH", "PHB"}) def(n, {t_d, bts, sn, we});
    for (const char* n : {"T", "P", "PB", "QVAPOR"}) def(n, {t_d, bt, sn, we});
    def("ZNW", {t_d, bts});
    for (const char* n : {"MU", "MUB", "PBLH", "UST", "HFX", "RAINC", "RAINNC", "U10", "V10", "T2", "HGT", "MAPFAC_M", "XLAT", "XLONG"})
        def(n, {t_d, sn, we});
    def("MAPFAC_U", {t_d, sn, wes});
    def("MAPFAC_V", {t_d, sns, we});
    ok(nc_enddef(nc));
    // Standard atmosphere: T(z) = 288 − 0.0065 z, p(z) = p0 (T/288)^5.256; faces stretched to 15 km.
    std::vector<double> zw(nzw), pw(nzw);
    for (std::size_t k = 0; k < nzw; ++k) {
        zw[k] = 15000.0 * std::pow(static_cast<double>(k) / nz, 1.6);
        pw[k] = 101325.0 * std::pow((288.0 - 0.0065 * zw[k]) / 288.0, 5.256);
    }
    const double ptop = pw[nz], mu = pw[0] - ptop;
    const std::size_t plane = nx * ny;
    for (int r = 0; r < records; ++r) {
        char stamp[40];
        std::snprintf(stamp, sizeof stamp, "2026-01-10_%02d:00:00", r);
        const std::size_t ts[2] = {static_cast<std::size_t>(r), 0}, tc[2] = {1, 19};
        ok(nc_put_vara_text(nc, v["Times"], ts, tc, stamp));  // the first 19 characters
        auto put = [&](const std::string& name, std::size_t levels, std::size_t rows, std::size_t cols, const std::vector<float>& data) {
            const std::size_t st[4] = {static_cast<std::size_t>(r), 0, 0, 0}, ct[4] = {1, levels, rows, cols};
            const std::size_t st2[3] = {static_cast<std::size_t>(r), 0, 0}, ct2[3] = {1, rows, cols};
            ok(levels == 0 ? nc_put_vara_float(nc, v[name], st2, ct2, data.data()) : nc_put_vara_float(nc, v[name], st, ct, data.data()));
        };
        std::vector<float> f;
        f.assign(nz * ny * (nx + 1), 0.f);
        for (std::size_t k = 0; k < nz; ++k)
            for (std::size_t x = 0; x < ny * (nx + 1); ++x) f[k * ny * (nx + 1) + x] = static_cast<float>(3.0 + 0.002 * 0.5 * (zw[k] + zw[k + 1]) + 0.5 * r);
        put("U", nz, ny, nx + 1, f);
        f.assign(nz * (ny + 1) * nx, 1.0f);
        put("V", nz, ny + 1, nx, f);
        f.assign(nzw * plane, 0.f);
        put("PH", nzw, ny, nx, f);
        for (std::size_t k = 0; k < nzw; ++k) std::fill(f.begin() + k * plane, f.begin() + (k + 1) * plane, static_cast<float>(9.81 * zw[k]));
        put("PHB", nzw, ny, nx, f);
        std::vector<float> th(nz * plane), pb(nz * plane), q(nz * plane), zero(nz * plane, 0.f);
        for (std::size_t k = 0; k < nz; ++k) {
            const double pm = 0.5 * (pw[k] + pw[k + 1]), zm = 0.5 * (zw[k] + zw[k + 1]), tm = 288.0 - 0.0065 * zm;
            for (std::size_t c = 0; c < plane; ++c) {
                th[k * plane + c] = static_cast<float>(tm * std::pow(1e5 / pm, 287.0 / 1004.5) - 300.0);
                pb[k * plane + c] = static_cast<float>(pm);
                q[k * plane + c] = static_cast<float>(0.002 * std::exp(-zm / 2500.0));
            }
        }
        put("T", nz, ny, nx, th);
        put("P", nz, ny, nx, zero);
        put("PB", nz, ny, nx, pb);
        put("QVAPOR", nz, ny, nx, q);
        std::vector<float> znw(nzw);
        for (std::size_t k = 0; k < nzw; ++k) znw[k] = static_cast<float>((pw[k] - ptop) / mu);
        const std::size_t zs[2] = {static_cast<std::size_t>(r), 0}, zc[2] = {1, nzw};
        ok(nc_put_vara_float(nc, v["ZNW"], zs, zc, znw.data()));
        auto flat = [&](const std::string& name, double value) { put(name, 0, ny, nx, std::vector<float>(plane, static_cast<float>(value))); };
        flat("MU", 0.0);
        flat("MUB", mu);
        flat("PBLH", 800.0);
        flat("UST", 0.35);
        flat("HFX", 60.0);
        flat("RAINC", 0.0);
        flat("RAINNC", 0.1 * r);
        flat("U10", 3.0);
        flat("V10", 1.0);
        flat("T2", 275.0);
        flat("HGT", 0.0);
        std::vector<float> lat(plane), lon(plane), m(plane);
        for (std::size_t c = 0; c < plane; ++c) {
            lat[c] = static_cast<float>(g.lat()[c]);
            lon[c] = static_cast<float>(g.lon()[c]);
            m[c] = static_cast<float>(g.projection().map_factor(g.lat()[c]));
        }
        put("XLAT", 0, ny, nx, lat);
        put("XLONG", 0, ny, nx, lon);
        put("MAPFAC_M", 0, ny, nx, m);
        put("MAPFAC_U", 0, ny, nx + 1, std::vector<float>(ny * (nx + 1), 1.0f));
        put("MAPFAC_V", 0, ny + 1, nx, std::vector<float>((ny + 1) * nx, 1.0f));
    }
    ok(nc_close(nc));
}

Config reference_config() {
    Config cfg;
    cfg.grid.projection = Projection::lambert;
    cfg.grid.nx = 200;
    cfg.grid.ny = 160;
    cfg.grid.dx_m = 3000.0;
    cfg.grid.nz = 20;
    cfg.grid.first_layer_m = 30.0;
    cfg.grid.top_m = 5000.0;
    cfg.met.source = MetKind::episode;
    cfg.species.names = {"SO2", "NO2", "CO", "PM25", "PMC", "SO4", "NO3", "NH4", "NH3", "DUST"};
    return cfg;
}

// What the kernel timings work on: the grid, a stagnant-phase afternoon weather state (moderate
// winds, deep-ish boundary layer) of the idealized episode, random tracers, the step from CFL 0.9
// and the face fluxes of that step (on huge pages, as the run's: state/field_vector.hpp).
struct Workload {
    std::unique_ptr<Grid> grid;
    std::unique_ptr<MetSource> met_source;
    std::unique_ptr<MetTimeline> timeline;
    MetState met;
    std::unique_ptr<State> state;
    kernels::GridViews gv;
    double dt = 0;
    FieldVector<double> fx, fy, fz, target;
    int nspec() const { return state->nspec; }
    double updates() const { return static_cast<double>(grid->cells()) * nspec(); }
    void prepare_fluxes() {
        kernels::horizontal_mass_fluxes(gv, met.rho_kg_m3.data(), met.u_face_x_m_s.data(), met.v_face_y_m_s.data(), dt,
                                        fx.data(), fy.data());
        kernels::air_mass_from_density(gv, met.rho_kg_m3.data(), target.data());
        kernels::vertical_mass_flux(gv, fx.data(), fy.data(), state->air_mass_kg.data(), target.data(), fz.data());
    }
};

std::unique_ptr<Workload> make_workload(const Config& cfg) {
    auto w = std::make_unique<Workload>();
    w->grid = std::make_unique<Grid>(cfg.grid);
    const Grid& grid = *w->grid;
    const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
    w->met_source = make_met_source(cfg, grid, 0.0);
    w->timeline = std::make_unique<MetTimeline>(*w->met_source, grid);
    w->met = w->timeline->at(14.0 * 3600.0);
    w->state = std::make_unique<State>(nx, ny, nz, static_cast<int>(cfg.species.names.size()));
    w->gv = grid_views(grid, false);
    kernels::air_mass_from_density(w->gv, w->met.rho_kg_m3.data(), w->state->air_mass_kg.data());
    std::mt19937 gen(1);
    std::uniform_real_distribution<double> d(1.0, 100.0);
    for (auto& q : w->state->q) q = static_cast<real>(d(gen));
    const double rate = kernels::max_inverse_crossing_time(w->gv, w->met.u_face_x_m_s.data(), w->met.v_face_y_m_s.data());
    w->dt = std::min(900.0, 0.9 / rate);
    w->fx.resize(static_cast<std::size_t>(nz) * ny * (nx + 1));
    w->fy.resize(static_cast<std::size_t>(nz) * (ny + 1) * nx);
    w->fz.resize(static_cast<std::size_t>(nz + 1) * ny * nx);
    w->target.resize(grid.cells());
    w->prepare_fluxes();
    return w;
}

// What a sweep along `axis` needs besides the workload's fields: sub-step counts, inflow, boundary
// books and the per-thread scratch (cache-line aligned, as the run's), and the views over them.
struct SweepRig {
    kernels::Axis axis;
    int nx, ny, nz;
    std::vector<int> sub;
    std::vector<double> line_worst, bnd;
    std::vector<real> in_lo, in_hi;
    FieldVector<double> scratch;
    const double* flux;
    kernels::SweepViews v;
    SweepRig(const Workload& w, kernels::Axis a)
        : axis(a), nx(w.grid->nx()), ny(w.grid->ny()), nz(w.grid->nz()) {
        const int nspec = w.nspec(), nlines = kernels::line_count(axis, nx, ny, nz);
        sub.resize(nlines);
        line_worst.resize(nlines);
        bnd.resize(4 * static_cast<std::size_t>(nlines) * nspec);
        in_lo.assign(static_cast<std::size_t>(nlines) * nspec, 1.0f);
        in_hi = in_lo;
        const std::size_t per_thread = kernels::sweep_scratch_doubles(axis, nx, ny, nz, nspec);
        scratch.resize(per_thread * kernels::max_threads());
        flux = axis == kernels::Axis::x ? w.fx.data() : axis == kernels::Axis::y ? w.fy.data() : w.fz.data();
        v.nx = nx;
        v.ny = ny;
        v.nz = nz;
        v.nspec = nspec;
        v.face_flux_kg = flux;
        v.substeps = sub.data();
        v.inflow_lo = in_lo.data();
        v.inflow_hi = in_hi.data();
        v.boundary_ug = bnd.data();
        v.scratch = scratch.data();
        v.scratch_per_thread = per_thread;
    }
    // The sub-step counts of the tracers in `s`, and the views pointed at them.
    void prepare(State& s) {
        kernels::count_substeps(axis, nx, ny, nz, s.air_mass_kg.data(), flux, 0.9, sub.data(), line_worst.data());
        v.air_mass_kg = s.air_mass_kg.data();
        v.q = s.q.data();
    }
};

// Seconds per advection sweep along `axis` (sub-step count included, PPM), best of `repeats`
// timings of `batch` calls each, the copy that restarts every call from the same state excluded.
double sweep_seconds(Workload& w, kernels::Axis axis, int repeats, int batch) {
    SweepRig rig(w, axis);
    const State& state = *w.state;
    State work = state;
    const double with_copy = best_time(repeats, [&] {
        for (int b = 0; b < batch; ++b) {
            work = state;  // restart from the same state (copy excluded below)
            rig.prepare(work);
            rig.v.air_mass_out_kg = work.air_mass_kg.data();
            kernels::advect_sweep(axis, rig.v);
        }
    });
    const double copy = best_time(repeats, [&] {
        for (int b = 0; b < batch; ++b) work = state;
    });
    return (with_copy - copy) / batch;
}

// The kernels alone, for the in-cache ceilings: seconds per call, best of `repeats` timings of
// `batch` calls. The sweep's sub-step counts are fixed beforehand and its air mass is not written
// back, so every call starts from the same air mass and needs no copy (the tracers stay within their
// bounds under the monotone scheme; the cost of a call does not depend on their values).
double sweep_kernel_seconds(Workload& w, kernels::Axis axis, int repeats, int batch) {
    SweepRig rig(w, axis);
    State work = *w.state;
    rig.prepare(work);
    return best_time(repeats, [&] {
               for (int b = 0; b < batch; ++b) kernels::advect_sweep(axis, rig.v);
           }) /
           batch;
}

// The implicit vertical solve alone (no emissions, deposition at the ground), exchange coefficients
// of a well-mixed layer (their values do not change the cost).
double vertical_kernel_seconds(Workload& w, int repeats, int batch) {
    const int nx = w.grid->nx(), ny = w.grid->ny(), nz = w.grid->nz(), nspec = w.nspec();
    const std::size_t plane = static_cast<std::size_t>(nx) * ny;
    State work = *w.state;
    FieldVector<double> exchange((nz + 1) * plane, 0.0);
    for (int k = 1; k < nz; ++k)
        for (std::size_t c = 0; c < plane; ++c) exchange[k * plane + c] = 0.5 * work.air_mass_kg[k * plane + c] / w.dt;
    std::vector<double> deposition(nspec * plane, 1e3), emitted(nspec * plane), deposited(nspec * plane);
    const std::size_t per_thread = kernels::vertical_scratch_doubles(nz, nx);
    FieldVector<double> scratch(per_thread * kernels::max_threads());
    kernels::VerticalViews v;
    v.nx = nx;
    v.ny = ny;
    v.nz = nz;
    v.nspec = nspec;
    v.dt_s = w.dt;
    v.air_mass_kg = work.air_mass_kg.data();
    v.exchange_kg_s = exchange.data();
    v.deposition_kg_s = deposition.data();
    v.q = work.q.data();
    v.emitted_ug = emitted.data();
    v.deposited_ug = deposited.data();
    // (window: the whole grid)
    v.scratch = scratch.data();
    v.scratch_per_thread = per_thread;
    return best_time(repeats, [&] {
               for (int b = 0; b < batch; ++b) kernels::vertical_diffusion(v);
           }) /
           batch;
}

// Seconds per vertical-diffusion step (implicit solve, emissions none, deposition at the ground),
// best of `repeats` timings of `batch` calls each.
double vertical_diffusion_seconds(Workload& w, const Config& cfg, int repeats, int batch) {
    const int nspec = w.nspec();
    const EmissionTable none = make_emission_table(w.grid->columns(), nspec, {});
    VerticalMixing vm(*w.grid, nspec, none, std::vector<double>(nspec, 0.002), true);
    Ledger ledger(cfg.species.names);
    State work = *w.state;
    StepContext ctx{*w.grid, w.met, w.met, w.dt, 0, work, ledger};
    return best_time(repeats, [&] {
               for (int b = 0; b < batch; ++b) vm.step(ctx);
           }) /
           batch;
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false, kernels_only = false, emissions_only = false;
    int steps = 20, repeats_asked = 0;
    for (int a = 1; a < argc; ++a) {
        if (!std::strcmp(argv[a], "--quick")) quick = true;
        if (!std::strcmp(argv[a], "--kernels")) kernels_only = true;
        if (!std::strcmp(argv[a], "--emissions")) emissions_only = true;  // the emission-processing section alone
        if (!std::strcmp(argv[a], "--steps") && a + 1 < argc) steps = std::atoi(argv[++a]);
        if (!std::strcmp(argv[a], "--repeats") && a + 1 < argc) repeats_asked = std::atoi(argv[++a]);
    }
    const int repeats = repeats_asked > 0 ? repeats_asked : quick ? 2 : 5;
    std::printf("Lantian benchmarks: %d OpenMP threads, tracer storage %s\n", omp_get_max_threads(),
                sizeof(real) == 4 ? "float" : "double");

    const double triad = stream_triad_gb_s();
    std::printf("STREAM triad: %.2f GB/s\n\n", triad);

    const Config cfg = reference_config();
    const std::unique_ptr<Workload> ref = make_workload(cfg);
    const Grid& grid = *ref->grid;
    const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz(), nspec = static_cast<int>(cfg.species.names.size());
    const double cells = static_cast<double>(grid.cells());
    const double updates = cells * nspec;
    std::printf("reference workload: %dx%dx%d cells, %d species (%.3g species-cells)\n", nx, ny, nz, nspec, updates);

    MetTimeline& timeline = *ref->timeline;
    const MetState& met = ref->met;
    const State& state = *ref->state;
    const kernels::GridViews& gv = ref->gv;
    const double dt = ref->dt;
    std::printf("time step from CFL 0.9: %.1f s\n\n", dt);

    const double qbytes = sizeof(real) * updates;  // one pass over all tracers
    const double mbytes = sizeof(double) * cells;  // one pass over a double field
    std::vector<Row> rows;

    if (!emissions_only) {
    // Flux preparation (once per step, shared by all species).
    rows.push_back({"flux preparation (per step)", best_time(repeats, [&] { ref->prepare_fluxes(); }),
                    // reads ρ, u, v, m, target; writes F_x, F_y, F_z, target
                    9.0 * mbytes, cells,
                    // per cell: x- and y-face fluxes 5 + 5, air mass 2, vertical flux 6
                    18.0});

    // Advection sweeps, one axis at a time.
    const char* sweep_names[] = {"advection sweep x (PPM)", "advection sweep y (PPM)", "advection sweep z (PPM)"};
    for (auto axis : {kernels::Axis::x, kernels::Axis::y, kernels::Axis::z})
        rows.push_back({sweep_names[static_cast<int>(axis)], sweep_seconds(*ref, axis, repeats, 1),
                        // reads and writes every tracer and the air mass, reads the face fluxes
                        2.0 * qbytes + 3.0 * mbytes, updates,
                        // slopes 14, two edge values 10, limiter and curvature 29, crossing mean and
                        // flux 17, update 7, the per-cell weights and sub-step count shared by 10 species 3
                        80.0});

    // Vertical diffusion with emissions and deposition.
    {
        rows.push_back({"vertical diffusion (implicit)", vertical_diffusion_seconds(*ref, cfg, repeats, 1),
                        // reads K_z, ρ (exchange), m; reads and writes every tracer
                        2.0 * qbytes + 3.0 * mbytes, updates,
                        // Thomas sweep down and up with the shared factorisation, deposition at the ground
                        8.0});
        TransportConfig tc;
        HorizontalDiffusionProcess hd(grid, nspec, tc);
        Ledger ledger(cfg.species.names);
        State work = state;
        StepContext ctx{grid, met, met, dt, 0, work, ledger};
        rows.push_back({"horizontal diffusion (explicit)", best_time(repeats, [&] { hd.step(ctx); }),
                        2.0 * qbytes + 5.0 * mbytes, updates,
                        // four face differences and conductance products 8, their sum 3, the update 2
                        13.0});
    }

    std::printf("kernels (best of %d):\n", repeats);
    for (const Row& r : rows) print_row(r, triad);

    // Roofline: attainable = min(compute ceiling, triad × intensity); what bounds each kernel.
    const double peak = fma_peak_gflops();
    std::printf("\nroofline (compute ceiling: %.0f GFlop/s of float multiply-adds on %d threads; memory: the triad)\n", peak,
                omp_get_max_threads());
    std::printf("  %-34s %8s %8s %9s %10s %10s %8s  %s\n", "kernel", "B/upd", "op/upd", "op/B", "achieved", "attainable",
                "of roof", "bound");
    for (const Row& r : rows) {
        const double bytes_per = r.bytes / r.updates, intensity = r.flops_per_update / bytes_per;
        const double achieved = r.flops_per_update * r.updates / r.seconds / 1e9;
        const double attainable = std::min(peak, triad * intensity);
        std::printf("  %-34s %8.1f %8.0f %9.2f %7.1f GF %7.1f GF %7.1f%%  %s\n", r.name.c_str(), bytes_per, r.flops_per_update,
                    intensity, achieved, attainable, 100.0 * achieved / attainable, triad * intensity < peak ? "memory" : "compute");
    }

    // In-cache ceilings: each sweep and the vertical solve, the kernel alone, on the reference grid
    // and on one thread on a slab of it small enough that all it touches stays in that core's L2
    // cache, with lines as long and blocks as wide as the reference grid's; the slab's rate times the
    // thread count is the ceiling (each core has its own L2: the slabs' rates and the multiply-add
    // peak double from 1 to 2 threads, while tiny calls on 2 threads would mostly time the fork and
    // join). No memory traffic limits the slab, so its rate is what the kernel's own instructions
    // allow: a kernel that reaches most of it on the reference grid is bound in the core, and a
    // bandwidth target above it cannot be met by hiding memory latency (benchmarks/README.md,
    // "Issue 17: the in-cache ceilings").
    {
        struct Slab {
            const char* name;
            int axis;  // 0..2 a sweep, 3 the vertical solve
            int nx, ny, nz;
        };
        const double b_upd = (2.0 * qbytes + 3.0 * mbytes) / updates;  // as the rows above count them
        const Slab slabs[] = {{"advection sweep x (PPM)", 0, 200, 3, 20},
                              {"advection sweep y (PPM)", 1, 16, 160, 4},
                              {"advection sweep z (PPM)", 2, 32, 16, 20},
                              {"vertical diffusion (implicit)", 3, 200, 3, 20}};
        const int threads = omp_get_max_threads(), batch = 40, reps = std::max(repeats, 5);
        std::printf("\nin-cache ceilings (the kernel alone: on the reference grid, and on one thread on a slab that stays in "
                    "its core's L2, lines as long and blocks as wide, times %d threads; best of %d)\n",
                    threads, reps);
        std::printf("  %-31s %9s %11s %11s %8s %18s\n", "kernel", "slab", "in cache", "reference", "of it",
                    "35% of triad needs");
        for (const Slab& sl : slabs) {
            Config c = cfg;
            c.grid.nx = sl.nx;
            c.grid.ny = sl.ny;
            c.grid.nz = sl.nz;
            const std::unique_ptr<Workload> slab = make_workload(c);
            auto seconds = [&](Workload& w, int b) {
                return sl.axis < 3 ? sweep_kernel_seconds(w, static_cast<kernels::Axis>(sl.axis), reps, b)
                                   : vertical_kernel_seconds(w, reps, b);
            };
            omp_set_num_threads(1);
            const double ceiling = threads * slab->updates() / seconds(*slab, batch);
            omp_set_num_threads(threads);
            const double reached = ref->updates() / seconds(*ref, 1);
            const double needed = 0.35 * triad * 1e9 / b_upd;
            std::printf("  %-31s %9s %9.3g/s %9.3g/s %7.0f%% %10.3g/s (%.2fx)\n", sl.name,
                        (std::to_string(sl.nx) + "x" + std::to_string(sl.ny) + "x" + std::to_string(sl.nz)).c_str(), ceiling,
                        reached, 100.0 * reached / ceiling, needed, needed / ceiling);
        }
    }

    // The single passive tracer of configs/single_tracer.ini on ONE thread: the whole run loop
    // (weather, advection, diffusion, mixing) of 24 h of 300 s steps, no output.
    {
        const int threads = omp_get_max_threads();
        omp_set_num_threads(1);
        const Config st = load_config(std::string(LANTIAN_SOURCE_DIR) + "/configs/single_tracer.ini");
        double best = 1e300;
        std::map<std::string, double> phases;
        long steps_run = 0;
        for (int r = 0; r < (quick ? 1 : 3); ++r) {
            Simulation sim(st);
            const RunSummary sum = sim.run(false);
            if (sum.wall_s < best) {
                best = sum.wall_s;
                phases = sim.phase_times();
                steps_run = sum.steps;
            }
        }
        omp_set_num_threads(threads);
        const double per_step_ms = 1e3 * best / static_cast<double>(steps_run);
        std::printf("\nsingle passive tracer (configs/single_tracer.ini, 200x160x20, 1 thread, best of %d): %ld steps in %.2f s, "
                    "%.2f ms per step (target <= 8 ms)\n  per step:",
                    quick ? 1 : 3, steps_run, best, per_step_ms);
        for (const auto& [name, seconds] : phases) std::printf(" %s %.2f ms;", name.c_str(), 1e3 * seconds / steps_run);
        std::printf("\n");
    }
    }
    if (kernels_only) return 0;

    if (!emissions_only) {
    // Grid construction (projection, map factors, areas of every column): a 400 x 400 Lambert grid,
    // best of 3 (the unit tests check its geometry, not its time).
    {
        GridConfig g;
        g.nx = 400;
        g.ny = 400;
        g.dx_m = 3000;
        g.nz = 4;
        double best = 1e300;
        for (int r = 0; r < 3; ++r) {
            const auto t0 = Clock::now();
            const Grid grid(g);
            best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
        }
        std::printf("\ngrid construction: 400 x 400 Lambert grid in %.3f s (best of 3)\n", best);
    }

    }

    // Whole step: advection + horizontal diffusion + vertical mixing, weather interpolated as in a
    // run; then the same with the emission model refreshing the rates every step (new hour: new
    // profile factors; new weather snapshot: plume rise of every stack), as the run loop does.
    const double start_epoch = 1768003200.0 + 14.0 * 3600.0;  // 2026-01-10T14:00Z
    struct {
        int plume_updates = 0, rebuilds = 0;
        double plume_s = 0, rebuild_s = 0, first_s = 0;
    } emission_stats;  // of the last whole_step with emissions
    auto whole_step = [&](EmissionModel* em, MetTimeline& tl, double t_start, double dt, int nsteps, double& met_s,
                          double& emis_s) {
        TransportConfig tc;
        BoundaryProfile bg;
        bg.surface_ug_m3.assign(nspec, 10.0);
        std::vector<std::unique_ptr<Process>> procs;
        procs.push_back(std::make_unique<Advection>(grid, nspec, kernels::Reconstruction::ppm, BoundaryKind::open, 0.9, bg));
        procs.push_back(std::make_unique<HorizontalDiffusionProcess>(grid, nspec, tc));
        const EmissionTable none = make_emission_table(grid.columns(), nspec, {});
        auto vm = std::make_unique<VerticalMixing>(grid, nspec, none, std::vector<double>(nspec, 0.002), true);
        VerticalMixing* mixing = vm.get();
        procs.push_back(std::move(vm));
        Ledger ledger(cfg.species.names);
        State work = state;
        MetState mid, end;
        mid.resize(grid);
        end.resize(grid);
        double t = t_start;
        long met_index = -1;
        met_s = emis_s = 0.0;
        emission_stats = {};
        if (em) {
            // The run's first table allocates its entries (about 19 MB here: page faults and zeroing,
            // some 50 ms). That happens once per run, so it is timed apart from the steps: over 40
            // steps it would add 1.2 ms to each, over the 960 steps of a 240-hour run 0.05 ms.
            const auto f0 = Clock::now();
            tl.interpolate(t + 0.5 * dt, mid);
            em->update_weather(mid);
            em->fill(start_epoch + t - 14.0 * 3600.0, start_epoch + t + dt - 14.0 * 3600.0, mixing->emissions());
            emission_stats.first_s = seconds_since(f0);
        }
        const auto t0 = Clock::now();
        for (int s = 0; s < nsteps; ++s) {
            const auto m0 = Clock::now();
            tl.interpolate(t + 0.5 * dt, mid);
            tl.density(t + dt, end);
            met_s += seconds_since(m0);
            if (em) {
                const auto e0 = Clock::now();
                const long index = static_cast<long>(std::floor((t + 0.5 * dt) / 3600.0));
                if (index != met_index) {
                    em->update_weather(mid);
                    ++emission_stats.plume_updates;
                    emission_stats.plume_s += seconds_since(e0);
                }
                met_index = index;
                const auto f0 = Clock::now();
                if (em->fill(start_epoch + t - 14.0 * 3600.0, start_epoch + t + dt - 14.0 * 3600.0, mixing->emissions())) {
                    ++emission_stats.rebuilds;
                    emission_stats.rebuild_s += seconds_since(f0);
                }
                emis_s += seconds_since(e0);
            }
            StepContext ctx{grid, mid, end, dt, s, work, ledger};
            for (auto& p : procs) p->step(ctx);
            t += dt;
        }
        return seconds_since(t0) / nsteps;
    };
    if (!emissions_only) {
    double met_s = 0, emis_s = 0;
    const double per_step = whole_step(nullptr, timeline, 14.0 * 3600.0, dt, steps, met_s, emis_s);
    std::printf("\nwhole step (%d steps, dt %.0f s): %.1f ms per step, %.3g species-cell updates/s (target 3e8), "
                "weather interpolation %.0f%% of the time\n",
                steps, dt, per_step * 1e3, updates / per_step, 100.0 * met_s / (per_step * steps));
    const double steps_240h = 240.0 * 3600.0 / dt;
    std::printf("projected 240-hour run at this step: %.0f steps, %.1f s wall (target <= 300 s)\n", steps_240h,
                steps_240h * per_step);

    }

    // Emission processing at scale: 100,000 stacks and 20,000 road links.
    {
        const int nstacks = 100000, nroads = 20000;
        auto t_setup = Clock::now();
        EmissionModel em(grid, cfg.species.names, synthetic_inventory(grid, nstacks, nroads), InventoryConfig{}, {}, {});
        const double setup_s = seconds_since(t_setup);
        EmissionTable table;
        const double plume_s = best_time(repeats, [&] { em.update_weather(met); });
        const double rebuild_s = best_time(repeats, [&] {
            em.update_weather(met);
            em.fill(start_epoch, start_epoch + dt, table);
        }) - plume_s;
        const double reuse_s = best_time(repeats, [&] { em.fill(start_epoch, start_epoch + dt, table); });
        // Enough steps to cross several hours, so the hourly work is amortised as in a run.
        const int nsteps = std::max(steps, static_cast<int>(std::ceil(3 * 3600.0 / dt)));
        double met_a = 0, e_a = 0, met_b = 0, e_b = 0;
        const double base = whole_step(nullptr, timeline, 14.0 * 3600.0, dt, nsteps, met_a, e_a);
        const double with = whole_step(&em, timeline, 14.0 * 3600.0, dt, nsteps, met_b, e_b);
        std::printf("\nemissions at scale: %d stacks, %d road links, %zu area cells -> %zu emission entries\n", nstacks,
                    nroads, em.inventory().areas.size(), table.entries.size());
        std::printf("  one-off gridding (roads rasterised, areas regridded): %.0f ms\n", setup_s * 1e3);
        std::printf("  plume rise of all stacks (per weather update): %.1f ms\n", plume_s * 1e3);
        std::printf("  rate table rebuild (per new hour or plume update): %.1f ms; unchanged step: %.3f ms\n",
                    rebuild_s * 1e3, reuse_s * 1e3);
        std::printf("  whole step over %d steps (%.1f h): %.1f ms without emissions, %.1f ms with; emission processing "
                    "%.1f ms per step = %.1f%% of the step (target <= 10%%)\n",
                    nsteps, nsteps * dt / 3600.0, base * 1e3, with * 1e3, e_b / nsteps * 1e3,
                    100.0 * (e_b / nsteps) / base);
        const auto& es = emission_stats;
        std::printf("    within the steps: %d plume-rise updates of %.1f ms, %d rebuilds of %.1f ms, the rest %.2f ms per step\n",
                    es.plume_updates, es.plume_updates ? 1e3 * es.plume_s / es.plume_updates : 0.0, es.rebuilds,
                    es.rebuilds ? 1e3 * es.rebuild_s / es.rebuilds : 0.0, 1e3 * (e_b - es.plume_s - es.rebuild_s) / nsteps);
        std::printf("    before the steps, once per run: the first plume rise and table (allocated): %.1f ms\n", 1e3 * es.first_s);
    }

    if (emissions_only) return 0;

    // WRF met at the reference size: a synthetic wrfout of the reference grid (30 levels, hourly),
    // read and interpolated as in a run; the share of the step spent on weather.
    {
        const std::string path = (std::filesystem::temp_directory_path() / "lantian_bench_wrfout.nc").string();
        const int hours = 6;
        const auto w0 = Clock::now();
        write_synthetic_wrfout(path, grid, hours + 1);
        const double write_s = seconds_since(w0);
        Config wcfg = cfg;
        wcfg.met.source = MetKind::wrf;
        wcfg.met.files = {path};
        wcfg.run.start = "2026-01-10T00:00:00";
        wcfg.run.hours = hours;
        const Config resolved = with_met_grid(wcfg);
        const Grid wgrid(resolved.grid);
        auto wrf = make_met_source(resolved, wgrid, 1768003200.0);
        MetTimeline wtl(*wrf, wgrid);
        MetState snap;
        snap.resize(wgrid);
        const double read_s = best_time(repeats, [&] { wrf->evaluate(3600.0, snap); });
        // As in a run: the next record is read and remapped ahead on the I/O thread while the steps run.
        wrf->set_read_ahead(true);
        // The time step a run would take: CFL 0.9 on the WRF winds, at most 900 s.
        const double wrate = kernels::max_inverse_crossing_time(gv, snap.u_face_x_m_s.data(), snap.v_face_y_m_s.data());
        const double wdt = 3600.0 / std::ceil(3600.0 / std::min(900.0, 0.9 / wrate));
        double met_w = 0, e_w = 0;
        const int nsteps = static_cast<int>(std::lround(hours * 3600.0 / wdt));
        // A run reads its first two records before its first step (once per run, about 100-150 ms
        // here): timed apart from the steps, as over 102 steps it would add some 1.5 ms to each and
        // over a 240-hour run some 0.04 ms.
        const auto f0 = Clock::now();
        wtl.interpolate(0.5 * wdt, snap);
        const double first_s = seconds_since(f0);
        const double per = whole_step(nullptr, wtl, 0.0, wdt, nsteps, met_w, e_w);
        wrf->set_read_ahead(false);
        std::printf("\nWRF met (synthetic wrfout %dx%dx30 levels, hourly, written in %.1f s): one snapshot read and "
                    "remapped in %.0f ms\n", grid.nx(), grid.ny(), write_s, read_s * 1e3);
        std::printf("  whole step over %d steps of %.0f s (CFL 0.9 on the WRF winds, %d h): %.1f ms per step; weather "
                    "(waiting for the records read ahead + interpolation) %.1f ms per step = %.1f%% of the wall time (target <= 10%%)\n",
                    nsteps, wdt, hours, per * 1e3, met_w / nsteps * 1e3, 100.0 * met_w / (per * nsteps));
        std::printf("    before the steps, once per run: the first two records read and remapped: %.0f ms\n", first_s * 1e3);
        if (!std::getenv("LANTIAN_KEEP_WRFOUT")) std::filesystem::remove(path);
    }
    return 0;
}
