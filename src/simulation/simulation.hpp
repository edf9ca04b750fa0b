// The run loop: a thin composition root. It asks the builders for the tracer layout, the emission
// scenarios, the processes and the initial state, then steps the processes in their split order
// with an adaptive Δt that lands on output times, books emissions by sector, checks the fields and
// hands finished hours to RunOutput. Physics lives in processes/ and chemistry/, loops in kernels/.
#pragma once

#include <csignal>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "emissions/emission_model.hpp"
#include "emissions/sources.hpp"
#include "grid/grid.hpp"
#include "met/met_source.hpp"
#include "parallel/parallel.hpp"
#include "state/ledger.hpp"
#include "simulation/process_builder.hpp"
#include "simulation/tracer_layout.hpp"
#include "simulation/warm_start.hpp"
#include "state/species.hpp"
#include "state/species_properties.hpp"
#include "state/state.hpp"

namespace lantian {

// The run failed for a reason that is not bad input (exit 1): non-finite or negative values, an
// interruption by a signal, an I/O failure.
class RunError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Set by the signal handler installed by the CLI; the loop stops at the next step.
extern volatile std::sig_atomic_t g_stop_signal;

struct RunSummary {
    long steps = 0;
    double wall_s = 0;
    double simulated_h = 0;
    double min_dt_s = 0, max_dt_s = 0;
    int records = 0;
    std::string output_path;      // final file ("" when no output)
    double comm_s = 0;            // wall time in halo exchanges, reductions and gathers (this rank)
    double halo_mib = 0;          // halo data this rank received (MiB)
    double output_s = 0;          // wall time writing records and checkpoints, with their gathers
};

class Simulation {
public:
    // Sources not given in the config can be added in code (tests) before run().
    explicit Simulation(const Config& cfg, std::vector<PointSource> extra_points = {},
                        std::vector<AreaSource> extra_areas = {});
    ~Simulation();

    // Runs to the end. With `output` false nothing is written (tests). `progress` receives
    // (simulated seconds done, total seconds) after every step.
    RunSummary run(bool output, const std::function<void(double, double)>& progress = {});

    const Grid& grid() const { return grid_; }
    const State& state() const { return state_; }
    State& state() { return state_; }
    const Ledger& ledger() const { return ledger_; }
    const std::vector<std::string>& warnings() const { return warnings_; }
    // "" for a cold start; else which file and time the run started from (run.initial_state).
    std::string initial_state_note() const { return warm_start_ ? warm_start_->summary() : std::string(); }
    // What the warm start did (file, time, regridded, species read and missing, coverage); empty
    // for a cold start. For cycle.json.
    const std::optional<WarmStartReport>& warm_start_report() const { return warm_start_; }
    // "" unless nested: the parent file and its records (nest.parent_file).
    std::string nest_note() const;
    // Inflow through the open edges and the top from `inflow` instead of the background (before
    // run(); nest.parent_file sets a parent domain's; tests may give their own).
    void set_boundary_inflow(std::shared_ptr<class BoundaryInflow> inflow);
    const std::vector<std::string>& scenario_names() const { return layout_.scenarios; }
    const std::vector<std::string>& tag_groups() const { return layout_.tags; }
    const TracerLayout& layout() const { return layout_; }
    // Tracer index of species s in scenario block k (scenarios first, then the tag groups).
    int tracer(int block, int s) const { return layout_.tracer(block, s); }
    // The output file of scenario k: output.file for base, STEM_NAME.nc for the others.
    std::string scenario_file(int k) const;
    const EmissionModel& emissions() const { return *emissions_; }
    // Adds a process to the step (before run()), right after the process named `after` ("" = at the
    // end): its ledger terms join the budget, the printed table and the checkpoint. Throws
    // std::invalid_argument when no process has that name.
    void add_process(std::unique_ptr<Process> process, const std::string& after = "");
    // The processes of a step, in order.
    const std::vector<std::unique_ptr<Process>>& processes() const { return procs_.processes; }
    // The element books of chemistry: kg of each element moved between species and the net (round-off).
    std::string chemistry_balance() const;
    double start_epoch_s() const { return start_epoch_s_; }
    // After a caller changed state() before run(): the ledger's initial mass is re-read from it.
    void restate_initial_mass();
    // Concentration in the layer k of tracer s (µg m-3), ny*nx.
    std::vector<double> concentration(int s, int k) const;
    std::string command_line;     // recorded in the output's history

    // Decompose over the ranks of `comm` (before run()); throws ConfigError when the grid cannot be
    // split so or the run uses a feature that runs on one rank only.
    void set_parallel(const Comm& comm);
    const Parallel& parallel() const { return par_; }
    // Continue from a checkpoint written by a run of the same config (any rank count); throws
    // ConfigError for a missing, truncated or foreign checkpoint (simulation_checkpoint.cpp).
    void restart_from(const std::string& checkpoint_file);
    // Where this run writes checkpoints.
    std::string checkpoint_file() const;
    const std::map<std::string, double>& phase_times() const { return phase_s_; }
    // The weather at the start (before run(): e.g. the boundary-layer height for an analysis).
    MetState weather_at_start();
    // The species property table of the run (PM fractions, molar masses).
    const SpeciesPropertiesTable& species_properties_table() const { return properties_; }

private:
    void step(double dt_s);
    void check_fields(double t_s) const;
    void check_storage(const class RunOutput& out) const;
    void write_checkpoint(const RunSummary& summary);
    // After a failure: what the run kept (the output closed as incomplete, the last checkpoint and
    // how to continue from it), one message for the log.
    // `closed_at_s`: the run's time when the output stopped (s since the start).
    std::string kept_after_failure(const std::string& output_path, double closed_at_s) const;
    std::string close_after_failure(class RunOutput& out, bool output, const std::string& reason) const;

    Config cfg_;
    Grid grid_;
    double start_epoch_s_;
    std::unique_ptr<Inventory> inventory_;     // read once; handed to the emission model
    std::unique_ptr<class TagGrouping> tagging_;
    TracerLayout layout_;
    // Memory the run needs (bytes per rank), checked against the node's before the fields are
    // allocated (simulation/resources.hpp).
    double memory_estimate_bytes_;
    SpeciesPropertiesTable properties_;
    std::unique_ptr<MetSource> met_source_;
    MetTimeline timeline_;
    MetState met_mid_, met_end_;
    WeatherCache crossing_cache_;    // crossing_rate_per_s_ kept while the winds hold
    double crossing_rate_per_s_ = 0;
    State state_;
    Ledger ledger_;
    ProcessSet procs_;
    std::unique_ptr<EmissionModel> emissions_;
    std::vector<std::string> warnings_;
    std::optional<WarmStartReport> warm_start_;
    std::shared_ptr<class NestBoundary> nest_;
    double t_s_ = 0;
    long step_index_ = 0;
    long met_index_ = -1;                      // weather snapshot interval the plume rise was computed for
    Parallel par_;
    // Restart bookkeeping: the time the plume rise was last computed for (s since start), the
    // midpoint of the last step (its weather sets the next step's length) and the run's counters.
    double plume_t_s_ = -1, last_mid_t_s_ = -1;
    bool restarted_ = false;
    // The last checkpoint written or restarted from (path, simulated s); empty before the first.
    std::string checkpoint_path_;
    double checkpoint_t_s_ = -1;
    RunSummary restart_summary_;
    std::map<std::string, double> phase_s_;  // wall time per step phase (s), for profiles
    std::vector<std::string> phase_names_;   // per process, for the profile
};

}  // namespace lantian
