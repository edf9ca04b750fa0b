// The `lantian` command line: parse, build a Simulation, run, map errors to exit codes
// (0 ok, 1 run failure or interruption, 2 bad input or configuration). Nothing else.
#include <hdf5.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iomanip>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>

#include "config/config_parser.hpp"
#include "config/scenario_spec.hpp"
#include "config/time_utils.hpp"
#include "emissions/inventory_report.hpp"
#include "forecast/cycle.hpp"
#include "grid/grid.hpp"
#include "met/wrf_met.hpp"
#include "output/file_names.hpp"
#include "output/receptors.hpp"
#include "output/output_catalogue.hpp"
#include "report/report.hpp"
#include "forecast/verification.hpp"
#include "assimilation/observations.hpp"
#include "scenarios/reduction_list.hpp"
#include "chemistry/mechanisms.hpp"
#include "chemistry/aerosol_box.hpp"
#include "scenarios/superposition.hpp"
#include "scenarios/regions.hpp"
#include "parallel/parallel.hpp"
#include "simulation/resources.hpp"
#include "simulation/simulation.hpp"

namespace po = boost::program_options;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitRunFailure = 1;
constexpr int kExitBadInput = 2;

const char* kUsage =
    "Lantian — atmospheric dispersion and air-quality forecasting\n"
    "\n"
    "usage:\n"
    "  lantian run CONFIG.ini [section.key=value ...] [--print-config] [--no-progress]\n"
    "  lantian forecast CYCLE.ini --date YYYY-MM-DD [section.key=value ...] [--initial-state FILE] [--products-only]\n"
    "  lantian inventory CONFIG.ini [section.key=value ...] [--output FILE]\n"
    "  lantian report RUN.nc [--observations OBS.csv] [--output-dir DIR] [--no-plots]\n"
    "  lantian verify CYCLES_DIR --observations OBS.csv [...] [--stations LIST.csv] [--cycle YYYYMMDD] [--no-plots]\n"
    "  lantian scenarios CONFIG.ini --lists LIST.csv [LIST.csv ...] [section.key=value ...]\n"
    "  lantian scenarios --run TAGGED_RUN.nc --lists LIST.csv [...] [--levels yellow orange red]\n"
    "  lantian observations check OBS.csv [...]        lenient read of station observations, counts report\n"
    "  lantian observations import --stations LIST.csv --output OBS.csv FILE.csv [...]\n"
    "                                national network daily files (china_sites_YYYYMMDD.csv) to OBS.csv\n"
    "  lantian aerosol-equilibrium --cases CASES.csv [--branch stable|metastable] [--output FILE]\n"
    "                                sulfate-nitrate-ammonium-water equilibrium of listed air (a box calculation)\n"
    "  lantian config-reference      print every config key (Markdown)\n"
    "  lantian output-reference      print every output variable (Markdown)\n"
    "  lantian --help | lantian COMMAND --help\n"
    "\n"
    "exit codes: 0 ok, 1 run failure or interrupted, 2 bad input or configuration\n";

void on_signal(int sig) { lantian::g_stop_signal = sig; }

std::string format_duration(double s) {
    if (!std::isfinite(s) || s < 0) return "--:--:--";
    const long t = std::lround(s);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    return buf;
}

// One updating line on a terminal; plain periodic lines otherwise (CI, batch jobs).
class ProgressReporter {
public:
    ProgressReporter(bool enabled, double start_epoch_s, double log_interval_s)
        : enabled_(enabled), tty_(isatty(STDERR_FILENO) != 0), start_epoch_s_(start_epoch_s),
          log_interval_s_(log_interval_s), wall0_(std::chrono::steady_clock::now()) {}

    void operator()(double done_s, double total_s) {
        if (!enabled_) return;
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0_).count();
        const double rate = wall > 0 ? done_s / 3600.0 / wall : 0.0;  // simulated hours per wall second
        const double eta = rate > 0 ? (total_s - done_s) / 3600.0 / rate : -1.0;
        std::ostringstream line;
        line << lantian::format_iso_time_utc(start_epoch_s_ + done_s) << "  " << std::fixed << std::setprecision(1)
             << 100.0 * done_s / total_s << "%  " << std::setprecision(2) << rate << " sim-h/s  ETA "
             << format_duration(eta);
        if (tty_) {
            if (wall - last_draw_ < 0.2 && done_s < total_s) return;
            last_draw_ = wall;
            std::cerr << "\r" << line.str() << "   " << std::flush;
            if (done_s >= total_s) std::cerr << "\n";
        } else if (done_s >= next_log_s_ || done_s >= total_s) {
            std::cerr << "progress: " << line.str() << "\n";
            while (next_log_s_ <= done_s) next_log_s_ += log_interval_s_;
        }
    }

private:
    bool enabled_, tty_;
    double start_epoch_s_, log_interval_s_;
    std::chrono::steady_clock::time_point wall0_;
    double last_draw_ = -1.0;
    double next_log_s_ = 0.0;
};

// Runs a command body and maps its errors to exit codes: bad input 2, anything else 1.
int with_exit_codes(const std::function<void()>& body) {
    try {
        body();
        return kExitOk;
    } catch (const lantian::ConfigError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return kExitRunFailure;
    }
}

// Parses `lantian COMMAND CONFIG.ini [section.key=value ...] [options]` with the command's own
// options (plus --help, the config file and the overrides). Returns an exit code when the command
// is finished (help shown or bad arguments), nothing when it should go on.
std::optional<int> parse_command(const std::string& command, const std::string& usage, const std::string& help,
                                 po::options_description& opts, const std::vector<std::string>& args,
                                 po::variables_map& vm, std::vector<std::string>& overrides) {
    opts.add_options()("help,h", "show this help")("config", po::value<std::string>(), "configuration file (INI)")(
        "set", po::value<std::vector<std::string>>()->composing(), "section.key=value overrides");
    po::positional_options_description pos;
    pos.add("config", 1).add("set", -1);
    try {
        po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    } catch (const po::error& e) {
        std::cerr << "lantian " << command << ": " << e.what() << "\n" << kUsage;
        return kExitBadInput;
    }
    if (vm.count("help")) {
        std::cout << "usage: " << usage << "\n\n" << help << "\n" << opts;
        return kExitOk;
    }
    if (!vm.count("config")) {
        std::cerr << "lantian " << command << ": a configuration file is required\n" << kUsage;
        return kExitBadInput;
    }
    overrides = vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
    return std::nullopt;
}

int run_pass(const lantian::Config& cfg, const std::string& command_line, bool show_progress, const std::string& restart);

// Runs the body of a simulation command and maps its errors to exit codes: bad input 2 (every rank
// meets it; the first one says so), a failed run 1 (its message ends with what the run kept: the
// output closed as incomplete, the checkpoint).
int with_run_exit_codes(const std::function<int()>& body) {
    try {
        return body();
    } catch (const lantian::ConfigError& e) {
        if (lantian::Comm::world().rank() == 0) std::cerr << "error: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const lantian::RunError& e) {
        if (lantian::Comm::world().rank() == 0) std::cerr << "\nerror: run stopped: " << e.what() << "\n";
        return kExitRunFailure;
    } catch (const std::exception& e) {
        std::cerr << "\nerror: " << e.what() << "\n";
        return kExitRunFailure;
    }
}

// One command, several domains (docs/nesting.md): the outer domain first, writing its state every
// output interval from the start, then each inner domain of nest.inner with nest.parent_file set to
// it. The outer runs first rather than in step: one-way nesting feeds nothing back, so the results
// are the same, the outer's file serves every inner domain (and later reruns of one), and each
// domain keeps its own time step, checkpoints and restart.
int run_nested(const lantian::Config& cfg, const std::vector<std::string>& overrides, const std::string& command_line,
               bool show_progress, bool restart) {
    namespace fs = std::filesystem;
    return with_run_exit_codes([&] {
        if (restart)
            throw lantian::ConfigError("--restart with nest.inner: restart the outer domain's run without nest.inner "
                                       "(nest.inner= on the command line), then run each inner domain's config");
        if (!cfg.scenarios.runs.empty())
            for (const auto& item : cfg.scenarios.runs)
                if (lantian::parse_scenario_spec(item).triggered)
                    throw lantian::ConfigError("nest.inner: alert-triggered scenarios (scenarios.runs) in an outer domain are "
                                               "not supported; give them to the inner domains");
        lantian::Config outer = cfg;
        if (outer.output.state_file.empty()) outer.output.state_file = lantian::strip_nc_suffix(outer.output.file) + "_nest_state.nc";
        outer.output.state_hours.clear();
        for (double h = 0; h <= outer.run.hours * (1 + 1e-12); h += outer.output.interval_h) outer.output.state_hours.push_back(h);
        outer.nest.inner.clear();
        lantian::validate(outer);
        const std::string parent = fs::absolute(outer.output.state_file).lexically_normal().string();
        // The command line's run.* and met.episode_origin overrides apply to every domain (the same
        // period, the same idealized episode); the rest to the outer.
        std::vector<std::string> inner_overrides;
        for (const auto& o : overrides)
            if (o.rfind("run.", 0) == 0 || o.rfind("met.episode_origin=", 0) == 0) inner_overrides.push_back(o);
        inner_overrides.push_back("nest.parent_file=" + parent);
        // Every inner config is read before the outer runs: bad input stops the command at once.
        std::vector<lantian::Config> inner;
        for (const auto& file : cfg.nest.inner) inner.push_back(lantian::load_config(lantian::resolve_path(cfg, file), inner_overrides));
        if (lantian::Comm::world().rank() == 0)
            std::cerr << "lantian: nesting: the outer domain (" << cfg.run.title << ") first, then " << inner.size()
                      << " inner domain" << (inner.size() == 1 ? "" : "s") << " from its state " << parent << "\n";
        int rc = run_pass(outer, command_line, show_progress, "");
        for (std::size_t n = 0; rc == kExitOk && n < inner.size(); ++n) {
            if (lantian::Comm::world().rank() == 0)
                std::cerr << "lantian: inner domain " << n + 1 << " of " << inner.size() << ": " << cfg.nest.inner[n] << "\n";
            rc = run_pass(inner[n], command_line, show_progress, "");
        }
        return rc;
    });
}

int command_run(const std::vector<std::string>& args, const std::string& command_line) {
    po::options_description opts("lantian run options");
    opts.add_options()("print-config", "print the resolved configuration and exit")("no-progress", "do not report progress")(
        "restart", po::value<std::string>(), "continue from this checkpoint (written by a run of the same config)")(
        "initial-state", po::value<std::string>(),
        "warm start: the state file (output.state_file of an earlier run) with a record at run.start; sets run.initial_state");
    po::variables_map vm;
    std::vector<std::string> overrides;
    if (const auto done = parse_command("run", "lantian run CONFIG.ini [section.key=value ...] [--restart CHECKPOINT.h5 | --initial-state STATE.nc] [--print-config] [--no-progress]",
                                        "Runs a simulation. Every config key may be overridden as section.key=value;\n"
                                        "`lantian config-reference` lists the keys. Output: CF-1.10 NetCDF-4 (output.file),\n"
                                        "written as FILE.partial and renamed when complete.\n",
                                        opts, args, vm, overrides))
        return *done;

    lantian::Config cfg;
    try {
        cfg = lantian::load_config(vm["config"].as<std::string>(), overrides);
        if (vm.count("initial-state")) {
            // Relative to the current directory, like every path on the command line.
            const std::string file = vm["initial-state"].as<std::string>();
            std::error_code error;
            if (file.empty() || !std::filesystem::is_regular_file(file, error))
                throw lantian::ConfigError("--initial-state " + file + ": file not found");
            cfg.run.initial_state = std::filesystem::absolute(file).lexically_normal().string();
        }
        if (vm.count("restart") && !cfg.run.initial_state.empty())
            throw lantian::ConfigError("--restart continues a run from its checkpoint; it cannot also start from an "
                                       "initial state (run.initial_state = " + cfg.run.initial_state + ")");
    } catch (const lantian::ConfigError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return kExitBadInput;
    }
    if (vm.count("print-config")) {
        std::cout << lantian::to_ini(cfg);
        return kExitOk;
    }

    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    if (!cfg.nest.inner.empty()) return run_nested(cfg, overrides, command_line, !vm.count("no-progress"), vm.count("restart") > 0);
    return with_run_exit_codes([&] {
        // Alert-triggered scenarios need the base forecast's own alerts: run the rest first, then
        // the triggered scenarios with the measure levels the base's alerts call for.
        std::vector<std::string> triggered, others;
        for (const auto& item : cfg.scenarios.runs)
            (lantian::parse_scenario_spec(item).triggered ? triggered : others).push_back(item);
        std::vector<lantian::Config> passes;
        if (triggered.empty()) {
            passes.push_back(cfg);
        } else {
            lantian::Config first = cfg;
            first.scenarios.runs = others;
            first.scenarios.base = true;
            lantian::Config second = cfg;
            second.scenarios.runs = triggered;
            second.scenarios.base = false;
            second.tags.by = lantian::TagKind::none;
            passes = {first, second};
        }
        for (std::size_t pass = 0; pass < passes.size(); ++pass) {
            lantian::Config& c = passes[pass];
            if (pass == 1) {
                c.scenarios.trigger_levels =
                    lantian::trigger_levels(passes[0], lantian::read_series(lantian::receptor_file_for(passes[0].output.file, ".nc")));
                int on = 0;
                for (int l : c.scenarios.trigger_levels) on += l > 0 ? 1 : 0;
                std::cerr << "lantian: the base forecast's alerts put measures in force in " << on << " of "
                          << c.scenarios.trigger_levels.size() << " hours; running the triggered scenario(s)\n";
            }
            const std::string restart = vm.count("restart") ? vm["restart"].as<std::string>() : std::string();
            if (!restart.empty() && passes.size() > 1)
                throw lantian::ConfigError("--restart: a run with alert-triggered scenarios runs in two passes; restart "
                                           "each pass's config on its own");
            const int rc = run_pass(c, command_line, !vm.count("no-progress"), restart);
            if (rc != kExitOk) return rc;
        }
        return kExitOk;
    });
}

// One simulation with its outputs and summary.
// The scenarios of rank group `group` of `groups`: base first, then scenarios.runs, dealt out in turn.
lantian::Config group_config(const lantian::Config& cfg, int group, int groups) {
    if (groups == 1) return cfg;
    lantian::Config c = cfg;
    std::vector<std::string> all;
    if (cfg.scenarios.base) all.push_back("");
    all.insert(all.end(), cfg.scenarios.runs.begin(), cfg.scenarios.runs.end());
    if (static_cast<int>(all.size()) < groups)
        throw lantian::ConfigError("parallel.scenario_groups = " + std::to_string(groups) + ": only " +
                                   std::to_string(all.size()) + " scenario(s) (base and scenarios.runs) to share out");
    c.scenarios.runs.clear();
    c.scenarios.base = false;
    for (std::size_t n = 0; n < all.size(); ++n) {
        if (static_cast<int>(n % groups) != group) continue;
        if (all[n].empty())
            c.scenarios.base = true;
        else
            c.scenarios.runs.push_back(all[n]);
    }
    if (!c.scenarios.base) c.tags.by = lantian::TagKind::none;  // tags belong to the base case
    if (group > 0 && c.checkpoint.file.empty()) {
        c.checkpoint.file = lantian::strip_nc_suffix(c.output.file) + ".checkpoint_g" + std::to_string(group) + ".h5";
    }
    return c;
}

int run_pass(const lantian::Config& full_cfg, const std::string& command_line, bool show_progress, const std::string& restart) {
    {
        // Ranks: the world is split into scenario groups; each group decomposes the grid.
        const lantian::Comm world = lantian::Comm::world();
        const int groups = full_cfg.parallel.scenario_groups;
        if (world.size() % groups != 0)
            throw lantian::ConfigError("parallel.scenario_groups = " + std::to_string(groups) + " does not divide the " +
                                       std::to_string(world.size()) + " MPI rank(s) of the run (start it with mpirun -np N, N a multiple of the groups)");
        const int per_group = world.size() / groups;
        const int group = world.rank() / per_group;
        const lantian::Comm comm = world.split(group);
        const lantian::Config cfg = group_config(full_cfg, group, groups);
        // The memory check counts every rank on this node (simulation/resources.hpp).
        lantian::set_ranks_on_node(world.node_size());
        const bool leader = comm.rank() == 0;
        lantian::Simulation sim(cfg);
        sim.command_line = command_line;
        sim.set_parallel(comm);
        if (!restart.empty()) sim.restart_from(group == 0 ? restart : sim.checkpoint_file());
        if (leader) {
            for (const auto& w : sim.warnings()) std::cerr << "warning: " << w << "\n";
            if (!sim.initial_state_note().empty()) std::cerr << "lantian: " << sim.initial_state_note() << "\n";
            if (!sim.nest_note().empty()) std::cerr << "lantian: " << sim.nest_note() << "\n";
            std::cerr << "lantian: " << cfg.run.title << ": " << sim.grid().nx() << "x" << sim.grid().ny() << "x"
                      << sim.grid().nz() << " cells, " << sim.layout().nphys() << " species, " << cfg.run.hours
                      << " h from " << lantian::format_iso_time_utc(sim.start_epoch_s()) << " UTC\n";
            if (world.size() > 1)
                std::cerr << "lantian: " << world.size() << " MPI ranks" << (groups > 1 ? " in " + std::to_string(groups) + " scenario groups" : "")
                          << "; grid in " << sim.parallel().decomposition().describe() << "\n";
        }
        ProgressReporter progress(show_progress && world.rank() == 0, sim.start_epoch_s(), cfg.run.log_interval_h * 3600.0);
        const lantian::RunSummary sum = sim.run(true, std::ref(progress));
        if (!leader) return kExitOk;
        std::cout << sim.ledger().table() << sim.chemistry_balance();
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        const double peak_mib = usage.ru_maxrss / 1024.0;  // ru_maxrss is in KiB on Linux
        std::cout << std::fixed << std::setprecision(1) << "done: " << sum.steps << " steps (dt " << sum.min_dt_s << "–"
                  << sum.max_dt_s << " s), " << sum.records << " records, " << sum.wall_s << " s wall, "
                  << std::setprecision(1) << sum.simulated_h / std::max(sum.wall_s, 1e-9) << " simulated h per wall s, peak memory " << peak_mib << " MiB\n"
                  << "output: " << sum.output_path << "\n";
        if (std::getenv("LANTIAN_PROFILE") != nullptr) {
            std::cout << "profile (rank 0, s):";
            for (const auto& [phase, s] : sim.phase_times()) std::cout << " " << phase << " " << std::setprecision(2) << s;
            // The step loop's time on output: gathers, the records' fields, waiting for the I/O thread, checkpoints.
            std::cout << " output " << std::setprecision(2) << sum.output_s << "\n";
        }
        if (world.size() > 1)
            std::cout << std::setprecision(2) << "parallel: " << sim.parallel().decomposition().describe() << "; rank 0 spent "
                      << sum.comm_s << " s (" << 100.0 * sum.comm_s / std::max(sum.wall_s, 1e-9)
                      << "%) in halo exchanges (" << sum.halo_mib << " MiB received), reductions and gathers, " << sum.output_s << " s ("
                      << 100.0 * sum.output_s / std::max(sum.wall_s, 1e-9) << "%) writing output\n";
        return kExitOk;
    }
}

// `lantian forecast CYCLE.ini --date D`: one daily forecast cycle under cycles/YYYYMMDD/ (forecast/cycle.hpp).
int command_forecast(const std::vector<std::string>& args, const std::string& command_line) {
    po::options_description opts("lantian forecast options");
    opts.add_options()("date", po::value<std::string>(), "the cycle's Beijing-time date, YYYY-MM-DD (required)")(
        "initial-state", po::value<std::string>(), "start from this state file instead of the previous cycles' states")(
        "products-only", "remake the archive table, verification and bulletin of a finished cycle (after edits.csv)")(
        "no-progress", "do not report the run's progress");
    po::variables_map vm;
    std::vector<std::string> overrides;
    if (const auto done = parse_command("forecast",
                                        "lantian forecast CYCLE.ini --date YYYY-MM-DD [section.key=value ...] [--initial-state FILE] "
                                        "[--products-only]",
                                        "Runs one daily forecast cycle (docs/forecast-cycle.md): the weather files of the date\n"
                                        "(forecast.weather), a warm start from an earlier cycle's state (or a cold start with\n"
                                        "spin-up), the analysis of the observations at the start, the run of forecast.days lead\n"
                                        "days, the forecast archive table, the verification of earlier cycles and the bulletin,\n"
                                        "all in forecast.cycles_dir/YYYYMMDD/ with status.json. Exit codes: 0 ok, 1 run failure,\n"
                                        "2 bad input (e.g. no weather file for the date).\n",
                                        opts, args, vm, overrides))
        return *done;
    if (!vm.count("date")) {
        std::cerr << "lantian forecast: --date YYYY-MM-DD is required\n" << kUsage;
        return kExitBadInput;
    }
    lantian::CycleOptions o;
    o.config_path = vm["config"].as<std::string>();
    o.overrides = overrides;
    o.date = vm["date"].as<std::string>();
    if (vm.count("initial-state")) o.initial_state = vm["initial-state"].as<std::string>();
    o.products_only = vm.count("products-only") > 0;
    o.progress = !vm.count("no-progress");
    o.command_line = command_line;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    return lantian::run_forecast_cycle(o);
}

// `lantian inventory`: totals by sector and pollutant, the share inside the domain, the sources
// outside, and the gridded annual emissions as NetCDF, so a user can check an inventory before a run.
int command_inventory(const std::vector<std::string>& args, const std::string& command_line) {
    po::options_description opts("lantian inventory options");
    opts.add_options()("output,o", po::value<std::string>(),
                       "gridded annual emissions file (default: output.file with _inventory.nc)")(
        "max-outside", po::value<int>()->default_value(50), "list at most this many sources outside the domain");
    po::variables_map vm;
    std::vector<std::string> overrides;
    if (const auto done = parse_command("inventory", "lantian inventory CONFIG.ini [section.key=value ...] [--output FILE]",
                                        "Reads the [inventory] of a configuration, prints the annual totals by sector and\n"
                                        "pollutant (t/yr), the share inside the model domain and the sources outside it, and\n"
                                        "writes the gridded annual emissions per sector and pollutant as CF NetCDF.\n",
                                        opts, args, vm, overrides))
        return *done;
    return with_exit_codes([&] {
        const lantian::Config cfg = lantian::with_mechanism_species(lantian::load_config(vm["config"].as<std::string>(), overrides));
        std::string out = vm.count("output") ? vm["output"].as<std::string>() : cfg.output.file;
        if (!vm.count("output")) out = lantian::strip_nc_suffix(out) + "_inventory.nc";
        const lantian::Grid grid(lantian::with_met_grid(cfg).grid);
        lantian::EmissionModelOptions options;
        options.keep_annual_maps = true;
        const lantian::EmissionModel model(grid, cfg.species.names, lantian::load_inventory(cfg), cfg.inventory, {}, {},
                                           options);
        for (const auto& w : model.warnings()) std::cerr << "warning: " << w << "\n";
        std::cout << lantian::inventory_totals_table(model.summary()) << "\n"
                  << lantian::inventory_voc_table(model.summary(), cfg.species.names) << "\n"
                  << lantian::outside_sources_table(model.summary(), static_cast<std::size_t>(vm["max-outside"].as<int>()));
        lantian::OutputMetadata meta;
        meta.title = cfg.run.title + ": gridded annual emissions";
        meta.reference_time = lantian::format_iso_time_utc(lantian::parse_iso_time_utc(cfg.run.start));
        meta.config_text = lantian::to_ini(cfg);
        meta.history = command_line;
        lantian::write_inventory_netcdf(out, grid, model, meta);
        std::cout << "gridded annual emissions: " << out << "\n";
    });
}

// `lantian report RUN.nc`: daily AQI tables, alert levels, evaluation, plots and an HTML page.
int command_report(const std::vector<std::string>& args) {
    po::options_description opts("lantian report options");
    opts.add_options()("help,h", "show this help")("run", po::value<std::string>(), "the run's output file (RUN.nc)")(
        "observations", po::value<std::string>(), "station observations (CSV station,time,pollutant,value,unit)")(
        "output-dir", po::value<std::string>(), "folder for the report (default RUN_report/)")(
        "no-plots", "tables only: do not call the plotting script");
    po::positional_options_description pos;
    pos.add("run", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    } catch (const po::error& e) {
        std::cerr << "lantian report: " << e.what() << "\n" << kUsage;
        return kExitBadInput;
    }
    if (vm.count("help")) {
        std::cout << "usage: lantian report RUN.nc [--observations OBS.csv] [--output-dir DIR] [--no-plots]\n\n"
                  << "Per city and station: the daily table (24-h PM2.5, PM10, SO2, NO2, CO, AQI, category, primary\n"
                  << "pollutant, alert level), heavy-pollution days, evaluation against observations, PNG maps and\n"
                  << "time series, and one HTML page (DIR/index.html).\n\n"
                  << opts;
        return kExitOk;
    }
    if (!vm.count("run")) {
        std::cerr << "lantian report: the run's output file is required\n" << kUsage;
        return kExitBadInput;
    }
    lantian::ReportOptions o;
    o.run_file = vm["run"].as<std::string>();
    if (vm.count("observations")) o.observations = vm["observations"].as<std::string>();
    if (vm.count("output-dir")) o.output_dir = vm["output-dir"].as<std::string>();
    o.plots = !vm.count("no-plots");
    return with_exit_codes([&] { std::cout << lantian::write_report(o); });
}

// `lantian verify CYCLES_DIR`: every cycle's forecast archive against the observations now available
// (cycles/verification.csv) and the scores by lead day (cycles/<cycle>/verification/).
int command_verify(const std::vector<std::string>& args) {
    const char* usage =
        "usage: lantian verify CYCLES_DIR --observations OBS.csv [OBS.csv ...] [--stations LIST.csv] [--cycle YYYYMMDD] "
        "[--no-plots]\n";
    po::options_description opts("lantian verify options");
    opts.add_options()("help,h", "show this help")("cycles", po::value<std::string>(), "the folder of cycles (CYCLES_DIR)")(
        "observations", po::value<std::vector<std::string>>()->multitoken(),
        "hourly station observations (CSV station,time,pollutant,value,unit), one or more files")(
        "stations", po::value<std::string>(), "station list (CSV with columns station and city) for the cities' observed values")(
        "cycle", po::value<std::string>(), "the cycle whose verification/ folder gets the scores (default: the latest)")(
        "no-plots", "tables only: do not draw the skill plot");
    po::positional_options_description pos;
    pos.add("cycles", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    } catch (const po::error& e) {
        std::cerr << "lantian verify: " << e.what() << "\n" << usage;
        return kExitBadInput;
    }
    if (vm.count("help")) {
        std::cout << usage << "\n"
                  << "Pairs every cycle's forecast_daily.csv (lead days >= 1) with the observed days, writes\n"
                  << "CYCLES_DIR/verification.csv and the scores by receptor and lead day (AQI category, AQI range and\n"
                  << "level-range hit rates, heavy-day POD/FAR/CSI, PM2.5 and O3 NMB/NME/R) to\n"
                  << "CYCLES_DIR/<cycle>/verification/summary.csv with the plot skill_by_lead.png (docs/verification.md).\n\n"
                  << opts;
        return kExitOk;
    }
    if (!vm.count("cycles") || !vm.count("observations")) {
        std::cerr << "lantian verify: CYCLES_DIR and --observations are required\n" << usage;
        return kExitBadInput;
    }
    return with_exit_codes([&] {
        lantian::VerifyOptions o;
        o.cycles_dir = vm["cycles"].as<std::string>();
        for (const auto& path : vm["observations"].as<std::vector<std::string>>()) {
            const auto obs = lantian::read_observations(path);
            o.observations.insert(o.observations.end(), obs.begin(), obs.end());
        }
        if (vm.count("stations")) o.stations = lantian::read_station_cities(vm["stations"].as<std::string>());
        if (vm.count("cycle")) o.cycle = vm["cycle"].as<std::string>();
        o.plots = !vm.count("no-plots");
        std::cout << lantian::verify_cycles(o).text;
    });
}

// `lantian scenarios --run RUN.nc --lists …`: evaluate lists by superposing a tagged run's tags.
int command_superpose(const std::vector<std::string>& args) {
    po::options_description opts("lantian scenarios --run options");
    opts.add_options()("run", po::value<std::string>(), "a tagged run's output (tags.by = sector or lists)")(
        "lists", po::value<std::vector<std::string>>()->multitoken(), "reduction lists (CSV)")(
        "levels", po::value<std::vector<std::string>>()->multitoken(),
        "levels to evaluate: always, yellow, orange, red, or triggered (the base's own alerts; default yellow orange red)")(
        "csv", po::value<std::string>(), "table file (default RUN_scenarios.csv)");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).run(), vm);
    } catch (const po::error& e) {
        std::cerr << "lantian scenarios: " << e.what() << "\n" << kUsage;
        return kExitBadInput;
    }
    if (!vm.count("lists")) {
        std::cerr << "lantian scenarios: --lists LIST.csv is required\n";
        return kExitBadInput;
    }
    lantian::SuperpositionOptions o;
    o.run_file = vm["run"].as<std::string>();
    o.lists = vm["lists"].as<std::vector<std::string>>();
    if (vm.count("csv")) o.csv = vm["csv"].as<std::string>();
    if (vm.count("levels")) {
        o.levels.clear();
        o.levels = vm["levels"].as<std::vector<std::string>>();
    }
    return with_exit_codes([&] { std::cout << lantian::evaluate_lists(o); });
}

// `lantian scenarios CONFIG.ini --lists A.csv B.csv`: what each reduction list cuts at each alert
// level (t/day and % of the inventory for SO2, NOx, PM, VOC).
int command_scenarios(const std::vector<std::string>& args) {
    if (std::find(args.begin(), args.end(), "--run") != args.end()) return command_superpose(args);
    po::options_description opts("lantian scenarios options");
    opts.add_options()("lists", po::value<std::vector<std::string>>()->multitoken(), "reduction lists (CSV)");
    po::variables_map vm;
    std::vector<std::string> overrides;
    if (const auto done = parse_command("scenarios", "lantian scenarios CONFIG.ini --lists LIST.csv [LIST.csv ...]",
                                        "For each emergency emission-reduction list, the emission cut in force at each alert\n"
                                        "level (t/day and share of the inventory for SO2, NOx, PM and VOC), so a bureau can check\n"
                                        "it against the share each level requires. Rows that match no source are listed.\n",
                                        opts, args, vm, overrides))
        return *done;
    if (!vm.count("lists")) {
        std::cerr << "lantian scenarios: --lists LIST.csv is required\n";
        return kExitBadInput;
    }
    return with_exit_codes([&] {
        const lantian::Config cfg = lantian::load_config(vm["config"].as<std::string>(), overrides);
        const lantian::Inventory inv = lantian::load_inventory(cfg);
        for (const auto& path : vm["lists"].as<std::vector<std::string>>()) {
            const lantian::ReductionList list = lantian::read_reduction_list(path);
            const lantian::RegionSet regions(cfg.regions);
            for (const auto& row : list.rows)
                if (!row.region.empty() && !regions.has(row.region))
                    throw lantian::ConfigError(path + ":" + std::to_string(row.line) + ": target: " + row.target_text +
                                               ": region " + row.region + " is not in regions.areas");
            const lantian::CutSummary s = lantian::summarise_cuts(list, inv, &regions);
            for (const auto& w : s.warnings) std::cerr << "warning: " << w << "\n";
            std::cout << lantian::cut_table(list, s) << "\n";
        }
    });
}

// `lantian aerosol-equilibrium --cases FILE`: the gas–particle equilibrium of the sulfate–nitrate–
// ammonium–water system for each listed case (docs/aerosol-equilibrium.md, "The box tool"). Exit 2
// for bad arguments or a bad cases file, 1 when the output cannot be written.
int command_aerosol_equilibrium(const std::vector<std::string>& args) {
    po::options_description opts("lantian aerosol-equilibrium options");
    opts.add_options()("help,h", "show this help")(
        "cases", po::value<std::string>(),
        "CSV of cases: T_K,rh,pressure_hpa,so4_ug_m3,nh3_total_ug_m3,hno3_total_ug_m3 ('#' comments allowed)")(
        "branch", po::value<std::string>()->default_value("stable"),
        "stable (solids below the deliquescence RH) or metastable (the particle stays liquid)")(
        "output,o", po::value<std::string>(), "write the CSV here instead of standard output");
    const char* usage = "usage: lantian aerosol-equilibrium --cases CASES.csv [--branch stable|metastable] [--output FILE]\n";
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).run(), vm);
    } catch (const po::error& e) {
        std::cerr << "lantian aerosol-equilibrium: " << e.what() << "\n" << usage;
        return kExitBadInput;
    }
    if (vm.count("help")) {
        std::cout << usage << "\n"
                  << "Splits each case's totals of sulfate, ammonia and nitric acid between gas and particle and\n"
                  << "gives the aerosol liquid water and pH, as the model's equilibrium does in every cell (a box\n"
                  << "calculation: totals in ug m-3 of SO4, NH3 and HNO3). Output: CSV with the input columns and\n"
                  << "nh3_gas_ug_m3,hno3_gas_ug_m3,nh4_ug_m3,no3_ug_m3,water_ug_m3,ph,dry_weight,regime,iterations,\n"
                  << "converged,residual. See docs/aerosol-equilibrium.md.\n\n"
                  << opts;
        return kExitOk;
    }
    if (!vm.count("cases")) {
        std::cerr << "lantian aerosol-equilibrium: --cases FILE is required\n" << usage;
        return kExitBadInput;
    }
    return with_exit_codes([&] {
        const lantian::kernels::AerosolBranch branch = lantian::parse_aerosol_branch(vm["branch"].as<std::string>());
        const auto cases = lantian::read_aerosol_box_cases(vm["cases"].as<std::string>());
        if (!vm.count("output")) {
            lantian::write_aerosol_box(std::cout, cases, branch);
            std::cout.flush();
            if (!std::cout) throw std::runtime_error("standard output: write failed");
            return;
        }
        const std::string path = vm["output"].as<std::string>();
        std::ofstream out(path);
        if (!out) throw std::runtime_error(path + ": cannot open for writing");
        lantian::write_aerosol_box(out, cases, branch);
        out.close();
        if (!out) throw std::runtime_error(path + ": write failed (disk full?)");
    });
}

}  // namespace

// MPI for `lantian run`: initialised when the process was started by an MPI launcher (mpirun,
// srun) as one of several ranks, finalised on the way out. A launch of several ranks without an MPI build is an error.
struct MpiSession {
    std::optional<std::string> error;
    bool active = false;
    MpiSession(int& argc, char**& argv) {
        const char* size_env = nullptr;
        for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "SLURM_NTASKS"})
            if (!size_env) size_env = std::getenv(name);
        const bool launched = size_env != nullptr && std::atoi(size_env) > 1;
#ifdef LANTIAN_HAVE_MPI
        // One rank needs no MPI: `mpirun -np 1` runs the single-rank path as a plain start does
        // (an initialised OpenMPI slowed the advection sweeps by 5-10% here; benchmarks/README.md).
        if (!launched) return;
        int provided = 0;
        if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
            error = "MPI could not be initialised (is this run started by mpirun from the same OpenMPI?)";
            return;
        }
        active = true;
#else
        (void)argc;
        (void)argv;
        if (launched)
            error = "this lantian was built without MPI (cmake -DLANTIAN_MPI=OFF) but was started as " +
                    std::string(size_env) + " ranks; rebuild with the MPI path (scripts/build.sh) or run one process";
#endif
    }
    ~MpiSession() {
#ifdef LANTIAN_HAVE_MPI
        if (active) MPI_Finalize();
#endif
    }
};

// `lantian observations check|import`: station observations for the forecast cycle
// (docs/observations.md). Rows that are bad are skipped and counted, not fatal: exit 0 once the files
// are read; 2 when a file cannot be read or lacks a required column; 1 when the output cannot be written.
int command_observations(const std::vector<std::string>& args) {
    const char* usage =
        "usage: lantian observations check OBS.csv [OBS.csv ...]\n"
        "       lantian observations import --stations LIST.csv --output OBS.csv FILE.csv [FILE.csv ...]\n";
    const std::string sub = args.empty() ? "" : args[0];
    if (sub == "--help" || sub == "-h") {
        std::cout << usage << "\ncheck: reads long-format observations (station,time,pollutant,value,unit) leniently and\n"
                  << "prints what was accepted and what was skipped, by reason, with examples.\n"
                  << "import: reads the national network's daily wide files (date,hour,type,<station code>,...) for\n"
                  << "the stations of LIST.csv and writes them in the long format (Beijing time, hour ending).\n";
        return kExitOk;
    }
    if (sub == "check") {
        if (args.size() < 2) {
            std::cerr << "lantian observations check: an observations file is required\n" << usage;
            return kExitBadInput;
        }
        return with_exit_codes([&] {
            for (std::size_t k = 1; k < args.size(); ++k)
                std::cout << lantian::format_observation_report(lantian::read_observations_long(args[k]).report);
        });
    }
    if (sub != "import") {
        std::cerr << "lantian observations: expected 'check' or 'import'\n" << usage;
        return kExitBadInput;
    }
    po::options_description opts("lantian observations import options");
    opts.add_options()("stations", po::value<std::string>(), "station list (code,name,city,lon,lat or the national list)")(
        "output", po::value<std::string>(), "the long-format file to write")(
        "files", po::value<std::vector<std::string>>(), "national network daily files");
    po::positional_options_description pos;
    pos.add("files", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(std::vector<std::string>(args.begin() + 1, args.end()))
                      .options(opts).positional(pos).run(), vm);
    } catch (const po::error& e) {
        std::cerr << "lantian observations import: " << e.what() << "\n" << usage;
        return kExitBadInput;
    }
    if (!vm.count("stations") || !vm.count("output") || !vm.count("files")) {
        std::cerr << "lantian observations import: --stations, --output and at least one file are required\n" << usage;
        return kExitBadInput;
    }
    return with_exit_codes([&] {
        const auto stations = lantian::read_station_list(vm["stations"].as<std::string>());
        const auto set = lantian::read_observations_national(vm["files"].as<std::vector<std::string>>(), stations);
        std::cout << lantian::format_observation_report(set.report);
        const std::string out = vm["output"].as<std::string>();
        lantian::write_observations_long(out, set.observations);
        std::cout << "wrote " << set.observations.size() << " observations to " << out << "\n";
    });
}

int main(int argc, char** argv) {
    // A file whose close failed (a full disk) stays open inside HDF5; the library's own clean-up at
    // exit would flush it again and crash. Every file Lantian finishes is closed explicitly, so the
    // clean-up is not needed: the process exits with its own code and message.
    H5dont_atexit();
    // Past a file-size limit (RLIMIT_FSIZE) a write fails with EFBIG and is reported like a full
    // disk, instead of the default SIGXFSZ killing the process with the output half written.
    std::signal(SIGXFSZ, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string command_line = "lantian";
    for (const auto& a : args) command_line += " " + a;
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? kExitBadInput : kExitOk;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    if (command == "run") {
        MpiSession mpi(argc, argv);
        if (mpi.error) {
            std::cerr << "error: " << *mpi.error << "\n";
            return kExitBadInput;
        }
        return command_run(args, command_line);
    }
    if (command == "forecast") {
        // A cycle is one process (its run uses OpenMP threads); several ranks would each run the cycle.
        for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
            if (const char* n = std::getenv(name); n != nullptr && std::atoi(n) > 1) {
                std::cerr << "error: lantian forecast runs as one process (" << n
                          << " MPI ranks were started); run the cycle without mpirun, or its run with `mpirun lantian run "
                             "CYCLE_DIR/cycle.ini`\n";
                return kExitBadInput;
            }
        return command_forecast(args, command_line);
    }
    if (command == "inventory") return command_inventory(args, command_line);
    if (command == "report") return command_report(args);
    if (command == "verify") return command_verify(args);
    if (command == "scenarios") return command_scenarios(args);
    if (command == "observations") return command_observations(args);
    if (command == "aerosol-equilibrium") return command_aerosol_equilibrium(args);
    if (command == "config-reference") {
        std::cout << lantian::config_reference_markdown();
        return kExitOk;
    }
    if (command == "output-reference") {
        std::cout << lantian::output_reference_markdown();
        return kExitOk;
    }
    std::cerr << "lantian: unknown command '" << command << "'\n" << kUsage;
    return kExitBadInput;
}
