// Lantian benchmarks: STREAM-triad bandwidth, each kernel's effective bandwidth and cell-updates per
// second, and the whole step on the reference workload (200×160 cells × 20 layers, 10 species).
// Usage: lantian_bench [--quick] [--steps N]
// Effective bandwidth counts the bytes a kernel must move at least once (its inputs read and its
// outputs written, each field once), divided by the wall time; it is compared with the triad.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "advection_kernels.hpp"
#include "diffusion_kernels.hpp"
#include "flux_kernels.hpp"
#include "met/met_source.hpp"
#include "processes/advection.hpp"
#include "processes/mixing.hpp"

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

struct Row {
    std::string name;
    double seconds;
    double bytes;
    double updates;  // species-cell updates
};

void print_row(const Row& r, double triad) {
    const double gb_s = r.bytes / r.seconds / 1e9;
    std::printf("  %-34s %9.3f ms  %7.2f GB/s (%5.1f%% of triad)  %9.3g updates/s\n", r.name.c_str(), r.seconds * 1e3,
                gb_s, 100.0 * gb_s / triad, r.updates / r.seconds);
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

}  // namespace

int main(int argc, char** argv) {
    bool quick = false;
    int steps = 20;
    for (int a = 1; a < argc; ++a) {
        if (!std::strcmp(argv[a], "--quick")) quick = true;
        if (!std::strcmp(argv[a], "--steps") && a + 1 < argc) steps = std::atoi(argv[++a]);
    }
    const int repeats = quick ? 2 : 5;
    std::printf("Lantian benchmarks: %d OpenMP threads, tracer storage %s\n", omp_get_max_threads(),
                sizeof(real) == 4 ? "float" : "double");

    const double triad = stream_triad_gb_s();
    std::printf("STREAM triad: %.2f GB/s\n\n", triad);

    const Config cfg = reference_config();
    const Grid grid(cfg.grid);
    const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz(), nspec = static_cast<int>(cfg.species.names.size());
    const double cells = static_cast<double>(grid.cells());
    const double updates = cells * nspec;
    std::printf("reference workload: %dx%dx%d cells, %d species (%.3g species-cells)\n", nx, ny, nz, nspec, updates);

    auto met_source = make_met_source(cfg, grid, 0.0);
    MetTimeline timeline(*met_source, grid);
    // A stagnant-phase afternoon state (moderate winds, deep-ish boundary layer).
    const MetState met = timeline.at(14.0 * 3600.0);
    State state(nx, ny, nz, nspec);
    const kernels::GridViews gv = grid_views(grid, false);
    kernels::air_mass_from_density(gv, met.rho_kg_m3.data(), state.air_mass_kg.data());
    std::mt19937 gen(1);
    std::uniform_real_distribution<double> d(1.0, 100.0);
    for (auto& q : state.q) q = static_cast<real>(d(gen));
    const double rate = kernels::max_inverse_crossing_time(gv, met.u_face_x_m_s.data(), met.v_face_y_m_s.data());
    const double dt = std::min(900.0, 0.9 / rate);
    std::printf("time step from CFL 0.9: %.1f s\n\n", dt);

    const double qbytes = sizeof(real) * updates;  // one pass over all tracers
    const double mbytes = sizeof(double) * cells;  // one pass over a double field
    std::vector<Row> rows;

    // Flux preparation (once per step, shared by all species).
    std::vector<double> fx(static_cast<std::size_t>(nz) * ny * (nx + 1)), fy(static_cast<std::size_t>(nz) * (ny + 1) * nx),
        fz(static_cast<std::size_t>(nz + 1) * ny * nx), target(grid.cells());
    rows.push_back({"flux preparation (per step)", best_time(repeats, [&] {
                        kernels::horizontal_mass_fluxes(gv, met.rho_kg_m3.data(), met.u_face_x_m_s.data(),
                                                        met.v_face_y_m_s.data(), dt, fx.data(), fy.data());
                        kernels::air_mass_from_density(gv, met.rho_kg_m3.data(), target.data());
                        kernels::vertical_mass_flux(gv, fx.data(), fy.data(), state.air_mass_kg.data(), target.data(), fz.data());
                    }),
                    // reads ρ, u, v, m, target; writes F_x, F_y, F_z, target
                    9.0 * mbytes, cells});

    // Advection sweeps, one axis at a time.
    for (auto axis : {kernels::Axis::x, kernels::Axis::y, kernels::Axis::z}) {
        const int nlines = kernels::line_count(axis, nx, ny, nz);
        std::vector<int> sub(nlines);
        std::vector<real> in_lo(static_cast<std::size_t>(nlines) * nspec, 1.0f), in_hi(in_lo);
        std::vector<double> bnd(4 * static_cast<std::size_t>(nlines) * nspec);
        const std::size_t per_thread = kernels::sweep_scratch_doubles(axis, nx, ny, nz, nspec);
        std::vector<double> scratch(per_thread * kernels::max_threads());
        const double* flux = axis == kernels::Axis::x ? fx.data() : axis == kernels::Axis::y ? fy.data() : fz.data();
        State work = state;
        kernels::SweepViews v;
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
        const char* names[] = {"advection sweep x (PPM)", "advection sweep y (PPM)", "advection sweep z (PPM)"};
        rows.push_back({names[static_cast<int>(axis)], best_time(repeats, [&] {
                            work = state;  // restart from the same state (copy excluded below)
                            const auto t0 = Clock::now();
                            kernels::count_substeps(axis, nx, ny, nz, work.air_mass_kg.data(), flux, 0.9, sub.data());
                            v.air_mass_kg = work.air_mass_kg.data();
                            v.q = work.q.data();
                            kernels::advect_sweep(axis, v);
                            (void)t0;
                        }) - best_time(repeats, [&] { work = state; }),
                        // reads and writes every tracer and the air mass, reads the face fluxes
                        2.0 * qbytes + 3.0 * mbytes, updates});
    }

    // Vertical diffusion with emissions and deposition.
    {
        const EmissionTable none{std::vector<int>(grid.columns() + 1, 0), {}, std::vector<double>(nspec, 0.0)};
        VerticalMixing vm(grid, nspec, none, std::vector<double>(nspec, 0.002), true);
        Ledger ledger(cfg.species.names);
        State work = state;
        StepContext ctx{grid, met, met, dt, 0, work, ledger};
        rows.push_back({"vertical diffusion (implicit)", best_time(repeats, [&] { vm.step(ctx); }),
                        // reads K_z, ρ (exchange), m; reads and writes every tracer
                        2.0 * qbytes + 3.0 * mbytes, updates});
        TransportConfig tc;
        HorizontalDiffusionProcess hd(grid, nspec, tc);
        rows.push_back({"horizontal diffusion (explicit)", best_time(repeats, [&] { hd.step(ctx); }),
                        2.0 * qbytes + 5.0 * mbytes, updates});
    }

    std::printf("kernels (best of %d):\n", repeats);
    for (const Row& r : rows) print_row(r, triad);

    // Whole step: advection + horizontal diffusion + vertical mixing, weather interpolated as in a run.
    {
        TransportConfig tc;
        BoundaryProfile bg;
        bg.surface_ug_m3.assign(nspec, 10.0);
        std::vector<std::unique_ptr<Process>> procs;
        procs.push_back(std::make_unique<Advection>(grid, nspec, kernels::Reconstruction::ppm, BoundaryKind::open, 0.9, bg));
        procs.push_back(std::make_unique<HorizontalDiffusionProcess>(grid, nspec, tc));
        const EmissionTable none{std::vector<int>(grid.columns() + 1, 0), {}, std::vector<double>(nspec, 0.0)};
        procs.push_back(std::make_unique<VerticalMixing>(grid, nspec, none, std::vector<double>(nspec, 0.002), true));
        Ledger ledger(cfg.species.names);
        State work = state;
        MetState mid, end;
        mid.resize(grid);
        end.resize(grid);
        double t = 14.0 * 3600.0;
        const auto t0 = Clock::now();
        double met_s = 0.0;
        for (int s = 0; s < steps; ++s) {
            const auto m0 = Clock::now();
            timeline.interpolate(t + 0.5 * dt, mid);
            timeline.density(t + dt, end.rho_kg_m3);
            met_s += seconds_since(m0);
            StepContext ctx{grid, mid, end, dt, s, work, ledger};
            for (auto& p : procs) p->step(ctx);
            t += dt;
        }
        const double total = seconds_since(t0);
        const double per_step = total / steps;
        std::printf("\nwhole step (%d steps, dt %.0f s): %.1f ms per step, %.3g species-cell updates/s (target 2e8), "
                    "weather interpolation %.0f%% of the time\n",
                    steps, dt, per_step * 1e3, updates / per_step, 100.0 * met_s / total);
        const double steps_240h = 240.0 * 3600.0 / dt;
        std::printf("projected 240-hour run at this step: %.0f steps, %.1f s wall (target <= 300 s)\n", steps_240h,
                    steps_240h * per_step);
    }
    return 0;
}
