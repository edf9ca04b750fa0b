// The run loop. Order of processes within a step: process_builder.hpp (advection x,y,z alternating
// with z,y,x → horizontal diffusion → settling → emission + vertical mixing + dry deposition
// (implicit) → chemistry → wet scavenging); docs/architecture.md.
#include "simulation/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <sstream>

#include "chemistry/mechanisms.hpp"
#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "field_check_kernels.hpp"
#include "flux_kernels.hpp"
#include "met/plausibility.hpp"
#include "met/wrf_met.hpp"
#include "processes/mixing.hpp"
#include "scenarios/regions.hpp"
#include "scenarios/tagging.hpp"
#include "output/io_thread.hpp"
#include "output/storage.hpp"
#include "simulation/initial_state.hpp"
#include "nesting/nest_boundary.hpp"
#include "processes/advection.hpp"
#include "simulation/resources.hpp"
#include "simulation/run_output.hpp"
#include "simulation/scenario_builder.hpp"

namespace lantian {

volatile std::sig_atomic_t g_stop_signal = 0;

namespace {
constexpr double kTimeEpsilonS = 1e-6;  // s; times closer than this are the same instant
constexpr double kKgPerUg = 1e-9;

Inventory inventory_of(const Config& cfg) { return cfg.inventory.any() ? load_inventory(cfg) : Inventory{}; }

// The time-step floor of a grid: run.min_dt_s, but never above the step the largest plausible wind
// (met/plausibility.hpp) allows across the narrowest cell, so that no plausible wind is refused on
// any grid (a 5 m near-field grid needs 0.03 s steps in a 150 m/s wind).
double time_step_floor_s(const Config& cfg, const Grid& grid, double& plausible_step_s) {
    const auto& dx = grid.face_x_distance_m();
    const auto& dy = grid.face_y_distance_m();
    const double narrowest_m = std::min(*std::min_element(dx.begin(), dx.end()), *std::min_element(dy.begin(), dy.end()));
    plausible_step_s = cfg.run.cfl * narrowest_m / plausible_range(Quantity::wind_component).hi;
    return std::min(cfg.run.min_dt_s, plausible_step_s);
}

// The message of a run stopped by the time-step floor: the face whose wind needs the short step.
std::string time_step_floor_message(const Config& cfg, const kernels::CrossingPlace& p, int nx, int ny, double epoch_s,
                                    long step, double floor_s, double plausible_step_s) {
    const bool last = p.x_face ? p.i == nx : p.j == ny;
    const int ci = p.x_face && last ? nx - 1 : p.i, cj = !p.x_face && last ? ny - 1 : p.j;
    const char* side = p.x_face ? (last ? "east" : "west") : (last ? "north" : "south");
    std::ostringstream m;
    m << "time step below the floor at " << format_iso_time_utc(epoch_s) << " (step " << step << "): the wind "
      << p.wind_m_s << " m s-1 (grid " << (p.x_face ? "x" : "y") << ") through the " << side << " face of cell (i="
      << ci << ", j=" << cj << ", k=" << p.k << "), " << p.distance_m << " m across, allows a step of at most "
      << cfg.run.cfl / p.rate_per_s << " s (run.cfl = " << cfg.run.cfl << "), below the floor of " << floor_s
      << " s (the smaller of run.min_dt_s = " << cfg.run.min_dt_s << " s and the " << plausible_step_s << " s a "
      << plausible_range(Quantity::wind_component).hi
      << " m s-1 wind allows across the narrowest cell); the run would not finish. Check the weather input (met.*) "
         "against the grid spacing, or lower run.min_dt_s";
    return m.str();
}
// Memory first: before the grid's own arrays, with the tracers known without the inventory (species
// x scenarios; tags come later and are checked then), so that an absurd grid is refused at once.
const GridConfig& checked_grid(const Config& cfg) {
    const int nz = cfg.grid.layer_faces_m.empty() ? cfg.grid.nz : static_cast<int>(cfg.grid.layer_faces_m.size()) - 1;
    const int scenarios = (cfg.scenarios.base ? 1 : 0) + static_cast<int>(cfg.scenarios.runs.size());
    check_memory(cfg.grid.nx, cfg.grid.ny, std::max(nz, 1),
                 static_cast<int>(cfg.species.names.size()) * std::max(scenarios, 1));
    return cfg.grid;
}

double checked_memory(const Grid& grid, int tracers) {
    check_memory(grid.nx(), grid.ny(), grid.nz(), tracers);
    return estimated_memory_bytes(grid.nx(), grid.ny(), grid.nz(), tracers);
}
}  // namespace

Simulation::Simulation(const Config& cfg, std::vector<PointSource> extra_points, std::vector<AreaSource> extra_areas)
    : cfg_(with_met_grid(with_mechanism_species(cfg))), grid_(checked_grid(cfg_)), start_epoch_s_(parse_iso_time_utc(cfg.run.start)),
      inventory_(std::make_unique<Inventory>(inventory_of(cfg))), tagging_(std::make_unique<TagGrouping>(cfg, *inventory_)),
      layout_(cfg_, tagging_->names()),
      memory_estimate_bytes_(checked_memory(grid_, layout_.tracers())),
      properties_(species_properties(cfg)),
      met_source_(make_met_source(cfg_, grid_, start_epoch_s_)), timeline_(*met_source_, grid_),
      state_(grid_.nx(), grid_.ny(), grid_.nz(), layout_.tracers()), ledger_(layout_.tracer_names()) {
    met_mid_.resize(grid_);
    met_end_.resize(grid_);
    if (cfg_.output.aerosol_diagnostics) {
        // The aerosol equilibrium's diagnostics (state/state.hpp), written from the state at every
        // record: no water and no pH until the chemistry first fills them.
        state_.add_diagnostic(kAerosolWater, real(0));
        state_.add_diagnostic(kAerosolPh, real(kDiagnosticFill));
    }
    const auto& names = cfg_.species.names;
    std::vector<PointSource> points = std::move(extra_points);
    std::vector<AreaSource> areas = std::move(extra_areas);
    if (!cfg.sources.points.empty()) {
        auto more = read_point_sources(resolve_path(cfg, cfg.sources.points), names);
        points.insert(points.end(), more.begin(), more.end());
    }
    if (!cfg.sources.areas.empty()) {
        auto more = read_area_sources(resolve_path(cfg, cfg.sources.areas), names);
        areas.insert(areas.end(), more.begin(), more.end());
    }
    EmissionModelOptions emission_options;
    const auto regions = std::make_shared<RegionSet>(cfg.regions);
    emission_options.region_of = [regions](double lon, double lat) { return regions->region_of(lon, lat); };
    emission_options.biogenic = biogenic_options(cfg);
    emission_options.dust = dust_options(cfg);
    emissions_ = std::make_unique<EmissionModel>(grid_, names, std::move(*inventory_), cfg.inventory, points, areas,
                                                 emission_options,
                                                 build_emission_scenarios(cfg, layout_, *tagging_, start_epoch_s_));
    warnings_ = emissions_->warnings();
    for (const auto& n : layout_.tagged_added)
        warnings_.push_back("tags.species: " + n + " is tagged too: linear chemistry turns it into a tagged species, whose tags "
                            "would otherwise miss that production");
    if (emissions_->has_biogenic()) ledger_.add_biogenic_sector();  // the budget gets emitted_biogenic
    if (emissions_->has_dust()) ledger_.add_sector(Sector::dust_windblown);  // emitted_dust_windblown

    procs_ = build_processes(cfg_, grid_, layout_, properties_);
    warnings_.insert(warnings_.end(), procs_.warnings.begin(), procs_.warnings.end());
    // The ledger's terms in process order, so that the budget's layout is fixed before the first step.
    for (auto& p : procs_.processes) {
        p->bind(ledger_);
        phase_names_.push_back(p->name());
    }

    if (!cfg_.nest.parent_file.empty()) {
        // One-way nesting: inflow from the parent's fields (nesting/nest_boundary.hpp, docs/nesting.md).
        const double end_epoch_s = start_epoch_s_ + cfg_.run.hours * 3600.0;
        nest_ = std::make_shared<NestBoundary>(resolve_path(cfg_, cfg_.nest.parent_file), grid_, layout_.species,
                                               layout_.tracer_species(), start_epoch_s_, end_epoch_s, cfg_.nest.margin_cells);
        set_boundary_inflow(nest_);
        if (cfg_.met.source == MetKind::wrf) nest_->check_wrf_child(wrf_files(cfg_).front());
        if (nest_->record_spacing_h() > 3.0 + 1e-9)
            warnings_.push_back(nest_->file() + ": the parent's records are up to " + std::to_string(nest_->record_spacing_h()) +
                                " h apart; the inflow is interpolated linearly between them (write the parent's state "
                                "every hour)");
    }
    if (cfg_.run.initial_state.empty()) {
        fill_initial_state(cfg_, grid_, layout_, timeline_.at(0.0), state_);
        if (nest_ && cfg_.nest.initial_state) {
            // The parent's mixing ratios at the start, in every scenario block and the background tag.
            const auto q = nest_->interior(start_epoch_s_);
            std::vector<int> blocks;
            for (int b = 0; b < layout_.nscenarios(); ++b) blocks.push_back(b);
            if (layout_.ntags() > 0) blocks.push_back(layout_.blocks() - 1);
            for (int s = 0; s < layout_.nphys(); ++s)
                for (int b : blocks) {
                    if (layout_.tracer(b, s) < 0) continue;  // a species without tags (tags.species)
                    real* out = state_.species(layout_.tracer(b, s));
                    for (std::size_t c = 0; c < grid_.cells(); ++c) out[c] = static_cast<real>(q[s][c]);
                }
        }
    } else {
        // Warm start: the state of an earlier run at this run's start (simulation/warm_start.hpp).
        warm_start_ =
            warm_start(cfg_, resolve_path(cfg_, cfg_.run.initial_state), start_epoch_s_, grid_, layout_, timeline_.at(0.0), state_);
        warnings_.insert(warnings_.end(), warm_start_->warnings.begin(), warm_start_->warnings.end());
    }
    restate_initial_mass();
}

Simulation::~Simulation() = default;

void Simulation::set_boundary_inflow(std::shared_ptr<BoundaryInflow> inflow) {
    for (auto& p : procs_.processes)
        if (auto* advection = dynamic_cast<Advection*>(p.get())) {
            advection->set_inflow(std::move(inflow));
            return;
        }
    throw std::invalid_argument("set_boundary_inflow: the run has no advection");
}

std::string Simulation::nest_note() const { return nest_ ? nest_->summary() : std::string(); }

void Simulation::add_process(std::unique_ptr<Process> process, const std::string& after) {
    auto& list = procs_.processes;
    auto at = list.end();
    if (!after.empty()) {
        at = std::find_if(list.begin(), list.end(), [&](const auto& p) { return p->name() == after; });
        if (at == list.end()) throw std::invalid_argument("add_process: no process named '" + after + "'");
        ++at;
    }
    process->bind(ledger_);
    phase_names_.insert(phase_names_.begin() + (at - list.begin()), process->name());
    list.insert(at, std::move(process));
}

void Simulation::restate_initial_mass() {
    for (int s = 0; s < state_.nspec; ++s) ledger_[s].initial_kg = state_.tracer_mass_ug(s) * kKgPerUg;
}

MetState Simulation::weather_at_start() { return timeline_.at(0.0); }

std::vector<double> Simulation::concentration(int s, int k) const { return concentration_ug_m3(grid_, state_, s, k); }

std::string Simulation::scenario_file(int k) const { return lantian::scenario_file(cfg_, layout_, k); }

std::string Simulation::chemistry_balance() const {
    std::vector<double> molar_mass;
    for (const auto& n : layout_.species) {
        // The molar mass the mechanism converted with, else the species table's.
        double m = 0;
        for (const MechanismSpecies& ms : procs_.mechanism->species())
            if (ms.name == n) m = ms.molar_mass_g_mol;
        const SpeciesProperties* p = properties_.find(n);
        molar_mass.push_back(m > 0 ? m : (p ? p->molar_mass_g_mol : 0.0));
    }
    std::string books = element_books(*procs_.mechanism, ledger_, layout_.as_blocks(), molar_mass);
    for (const auto& p : procs_.processes)
        if (const std::string line = p->summary(); !line.empty()) books += line + "\n";
    return books;
}

void Simulation::set_parallel(const Comm& comm) {
    const bool periodic = cfg_.transport.boundary == BoundaryKind::periodic;
    Decomposition dec(grid_.nx(), grid_.ny(), comm.size(), cfg_.parallel.px, cfg_.parallel.py, periodic, periodic);
    par_ = Parallel(comm, dec);
}

void Simulation::step(double dt_s) {
    using clock = std::chrono::steady_clock;
    auto lap = [this, t = clock::now()](const std::string& phase) mutable {
        const auto now = clock::now();
        phase_s_[phase] += std::chrono::duration<double>(now - t).count();
        t = now;
    };
    // Weather at the step's midpoint drives fluxes and mixing; density at its end fixes the air
    // mass the step must land on.
    timeline_.interpolate(t_s_ + 0.5 * dt_s, met_mid_);
    timeline_.density(t_s_ + dt_s, met_end_);
    lap("weather");
    // Plume rise follows the weather: recomputed at the first step of every snapshot interval.
    const long met_index = timeline_.snapshot_index(t_s_ + 0.5 * dt_s);
    if (met_index != met_index_) {
        emissions_->update_weather(met_mid_);
        met_index_ = met_index;
        plume_t_s_ = t_s_ + 0.5 * dt_s;
    }
    last_mid_t_s_ = t_s_ + 0.5 * dt_s;
    emissions_->fill(start_epoch_s_ + t_s_, start_epoch_s_ + t_s_ + dt_s, procs_.mixing->emissions());
    lap("emissions");
    StepContext ctx{grid_, met_mid_, met_end_, dt_s, step_index_, state_, ledger_, start_epoch_s_ + t_s_, &par_};
    for (std::size_t n = 0; n < procs_.processes.size(); ++n) {
        procs_.processes[n]->step(ctx);
        lap(phase_names_[n]);
    }
    for (int s = 0; s < state_.nspec; ++s)
        for (int c = 0; c < kAllSectors; ++c) ledger_[s].emitted_by_sector_kg[c] += emissions_->sector_rate_ug_s(s, c) * dt_s * kKgPerUg;
    ++step_index_;
}

void Simulation::check_fields(double t_s) const {
    const std::size_t plane = grid_.columns();
    const int nx = grid_.nx();
    std::string problem;
    // A parallel yes/no scan first; the first offending cell is looked for (serially, in a fixed
    // order) only when there is one.
    const bool physical = kernels::fields_physical(state_.q.data(), state_.nspec, nx, grid_.ny(), grid_.nz(), par_.window());
    for (int s = 0; s < state_.nspec && problem.empty() && !physical; ++s) {
        const real* q = state_.species(s);
        for (int k = 0; k < grid_.nz() && problem.empty(); ++k)
            kernels::for_columns(par_.window(), nx, grid_.ny(), [&](std::size_t col) {
                const real v = q[k * plane + col];
                if (!problem.empty() || (std::isfinite(v) && v >= 0)) return;
                std::ostringstream m;
                m << "non-physical " << layout_.species[s % layout_.nphys()] << " mixing ratio " << v << " ug/kg at i="
                  << col % nx << " j=" << col / nx << " k=" << k << " at " << format_iso_time_utc(start_epoch_s_ + t_s)
                  << " (step " << step_index_ << ")";
                problem = m.str();
            });
    }
    // Every rank stops together (a rank left waiting in an exchange would hang the run).
    if (par_.any(!problem.empty()))
        throw RunError(problem.empty() ? "non-physical values on another rank at " + format_iso_time_utc(start_epoch_s_ + t_s)
                                       : problem);
}

// Whatever stopped the run (a signal, non-physical values, weather that fails its checks later in
// the run, a full disk): the output is closed under its ".incomplete" name, never the final one, and
// the message says what was kept. Closing may fail too (the disk is still full): the file then keeps
// its ".partial" name, which says the same.
std::string Simulation::close_after_failure(RunOutput& out, bool output, const std::string& reason) const {
    std::string path;
    try {
        path = out.abandon(g_stop_signal ? "interrupted" : "run failed: " + reason);
    } catch (const std::exception& close_error) {
        path = cfg_.output.file + ".partial (closing it failed: " + close_error.what() + ")";
    }
    // A record written on the I/O thread fails before the loop learns of it: the output stopped at
    // that record's hour.
    const double closed_at_s = out.failed_at_s() >= 0 ? std::min(t_s_, out.failed_at_s()) : t_s_;
    return output ? "\n" + kept_after_failure(path, closed_at_s) : std::string();
}

// The output and checkpoint files must fit the free space of their file systems and their folders
// must be writable; every rank of the group stops together when not (simulation/resources.hpp).
void Simulation::check_storage(const RunOutput& out) const {
    std::vector<PlannedFile> files = out.planned_files();
    // A checkpoint is (tracers + 1 air mass) x cells doubles; the next is written beside the last.
    // (Without checkpoint.interval_h only a signal writes one: not planned for.)
    const double checkpoint_bytes = (layout_.tracers() + 1.0) * static_cast<double>(grid_.cells()) * sizeof(double);
    if (cfg_.checkpoint.interval_h > 0) files.push_back({checkpoint_file(), 2 * checkpoint_bytes, false});
    int verdict = 0;  // 0 fits, 1 a fault of the machine (exit 1), 2 bad input (exit 2)
    std::string message;
    try {
        message = check_disk_space(files);
    } catch (const ConfigError& e) {
        verdict = 2;
        message = e.what();
    } catch (const std::exception& e) {
        verdict = 1;
        message = e.what();
    }
    const int mine = verdict;
    par_.comm().max(&verdict, 1);
    if (verdict == 0 && par_.rank() == 0)
        std::cerr << "lantian: memory about " << format_bytes(memory_estimate_bytes_) << " per rank; " << message << "\n";
    if (verdict == 0) return;
    if (mine != verdict) message = "the output does not fit or cannot be written (found by another rank)";
    if (verdict == 2) throw ConfigError(message);
    throw RunError(message);
}

RunSummary Simulation::run(bool output, const std::function<void(double, double)>& progress) {
    const auto wall0 = std::chrono::steady_clock::now();
    const double t_end = cfg_.run.hours * 3600.0;
    const double out_interval = cfg_.output.interval_h * 3600.0;
    RunSummary summary;
    summary.min_dt_s = 1e300;
    RunOutput out(cfg_, grid_, layout_, properties_, par_, output, start_epoch_s_);
    if (output) check_storage(out);

    double next_out = std::min(out_interval, t_end);
    // Horizontal crossing rate max |u|/d (s-1) for the CFL step; updated from each step's weather.
    const kernels::GridViews gv = grid_views(grid_, cfg_.transport.boundary == BoundaryKind::periodic);
    double plausible_step_s = 0;
    const double floor_s = time_step_floor_s(cfg_, grid_, plausible_step_s);
    met_mid_ = timeline_.at(0.0);
    // The terrain the gridded files carry (surface_altitude): the weather at the start, also on restart.
    const std::vector<double> first_terrain_m = met_mid_.terrain_m;
    if (restarted_) {
        // Continue the clock, the counters and the output files of the run that wrote the checkpoint.
        if (last_mid_t_s_ >= 0) timeline_.interpolate(last_mid_t_s_, met_mid_);
        const double done = std::floor(t_s_ / out_interval + 1e-9);
        next_out = std::min((done + 1) * out_interval, t_end);
        summary.steps = restart_summary_.steps;
        summary.min_dt_s = restart_summary_.min_dt_s;
        summary.max_dt_s = restart_summary_.max_dt_s;
        summary.records = restart_summary_.records;
    }
    out.open(command_line, restarted_ ? summary.records : -1, first_terrain_m);
    if (output && !restarted_ && !cfg_.output.state_file.empty() && cfg_.output.state_hours.front() < 1e-9) {
        if (!out.collective()) par_.gather(state_, 0);
        out.write_initial_state(state_);
    }
    // Weather records are read ahead on the I/O thread while the loop runs; however the run ends,
    // the read-ahead stops and the I/O thread is idle before run() returns (its caller may call
    // netCDF itself), after the output has been finished or abandoned.
    struct ReadAhead {
        MetSource& source;
        explicit ReadAhead(MetSource& s) : source(s) { source.set_read_ahead(true); }
        ~ReadAhead() {
            source.set_read_ahead(false);
            io_thread().drain();
        }
    } read_ahead(*met_source_);
    const double checkpoint_s = cfg_.checkpoint.interval_h * 3600.0;
    try {
        while (t_s_ < t_end - kTimeEpsilonS) {
            // A signal reaches the ranks at different steps: they agree on stopping at this one.
            if (par_.any(g_stop_signal != 0)) {
                if (output) {
                    out.sync();  // the checkpoint counts the records: they are on disk first
                    write_checkpoint(summary);
                }
                throw RunError("interrupted by signal " + std::to_string(static_cast<int>(g_stop_signal ? g_stop_signal : SIGTERM)));
            }
            if (!crossing_cache_.unchanged({met_mid_.rev(MetField::u_face), met_mid_.rev(MetField::v_face)}, {}))
                crossing_rate_per_s_ = kernels::max_inverse_crossing_time(gv, met_mid_.u_face_x_m_s.data(), met_mid_.v_face_y_m_s.data());
            const double rate = crossing_rate_per_s_;
            double dt = cfg_.run.max_dt_s;
            if (rate > 0) dt = std::min(dt, cfg_.run.cfl / rate);
            // Last line of defence against weather no step can follow (every rank holds the same
            // weather, so all stop here together).
            if (rate > 0 && !(cfg_.run.cfl / rate >= floor_s * (1.0 - 1e-12)))  // a 150 m/s wind is not refused by rounding
                throw RunError(time_step_floor_message(
                    cfg_, kernels::locate_max_inverse_crossing_time(gv, met_mid_.u_face_x_m_s.data(), met_mid_.v_face_y_m_s.data()),
                    grid_.nx(), grid_.ny(), start_epoch_s_ + t_s_, step_index_, floor_s, plausible_step_s));
            // Land exactly on the next output time with equal steps inside the interval.
            const double to_out = next_out - t_s_;
            const double n_steps = std::ceil(to_out / dt - 1e-9);
            dt = to_out / n_steps;
            step(dt);
            summary.min_dt_s = std::min(summary.min_dt_s, dt);
            summary.max_dt_s = std::max(summary.max_dt_s, dt);
            ++summary.steps;
            t_s_ = (n_steps <= 1.0) ? next_out : t_s_ + dt;
            if (std::fabs(t_s_ - next_out) < kTimeEpsilonS) {
                t_s_ = next_out;
                check_fields(t_s_);
                const auto io0 = std::chrono::steady_clock::now();
                if (out.collective())
                    par_.gather(state_, 0, 0, 1);  // the surface layer, for the receptor series
                else if (output)
                    par_.gather(state_, 0);
                out.write_record(t_s_, state_, met_mid_);
                ++summary.records;
                next_out = std::min(next_out + out_interval, t_end);
                if (output && checkpoint_s > 0) {
                    const double n = t_s_ / checkpoint_s;
                    if (std::fabs(n - std::round(n)) < 1e-9 || t_s_ >= t_end - kTimeEpsilonS) {
                        out.sync();  // the checkpoint counts the records: they are on disk first
                        write_checkpoint(summary);
                    }
                }
                summary.output_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - io0).count();
            }
            if (progress) progress(t_s_, t_end);
        }
        // The last records reach the disk here, so that a failure to write them is handled as any other.
        const auto io0 = std::chrono::steady_clock::now();
        out.sync();
        summary.output_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - io0).count();
    } catch (const ConfigError& e) {
        // Weather that fails its checks later in the run is still bad input (exit 2).
        throw ConfigError(std::string(e.what()) + close_after_failure(out, output, e.what()));
    } catch (const std::exception& e) {
        throw RunError(std::string(e.what()) + close_after_failure(out, output, e.what()));
    }

    std::vector<ExactSum> mass(state_.nspec);
    for (int s = 0; s < state_.nspec; ++s) mass[s] = state_.tracer_mass_sum(s, par_.window());
    par_.reduce(mass);
    for (int s = 0; s < state_.nspec; ++s) ledger_[s].final_kg = mass[s].to_double() * kKgPerUg;
    out.finish(ledger_);
    summary.output_path = out.paths();
    summary.simulated_h = t_s_ / 3600.0;
    summary.comm_s = par_.comm_s;
    summary.halo_mib = par_.halo_bytes / (1024.0 * 1024.0);
    summary.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return summary;
}

}  // namespace lantian
