// The run loop: a thin composition root that builds the grid, weather, sources and processes from
// a Config, steps them with an adaptive Δt that lands on output times, keeps the mass ledger and
// hands finished hours to the writer. Physics lives in processes/, loops in kernels/.
#pragma once

#include <csignal>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "emissions/emission_model.hpp"
#include "emissions/sources.hpp"
#include "grid/grid.hpp"
#include "met/met_source.hpp"
#include "parallel/parallel.hpp"
#include "processes/process.hpp"
#include "simulation/ledger.hpp"
#include "state/species.hpp"
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
    const std::vector<SpeciesInfo>& species() const { return species_; }
    const std::vector<std::string>& warnings() const { return warnings_; }
    const std::vector<std::string>& scenario_names() const { return scenario_names_; }
    const std::vector<std::string>& tag_groups() const { return tag_groups_; }
    // Tracer index of species s in scenario block k (scenarios first, then the tag groups).
    int tracer(int block, int s) const { return block * nphys_ + s; }
    // The output file of scenario k: output.file for base, STEM_NAME.nc for the others.
    std::string scenario_file(int k) const;
    const EmissionModel& emissions() const { return *emissions_; }
    // The element books of chemistry: kg of S and N moved between species and the net (round-off).
    std::string chemistry_balance() const;
    double start_epoch_s() const { return start_epoch_s_; }
    // After a caller changed state() before run(): the ledger's initial mass is re-read from it.
    void restate_initial_mass();
    // Concentration in the layer k of species s (µg m-3), ny*nx.
    std::vector<double> concentration(int s, int k) const;
    std::string command_line;     // recorded in the output's history

    // Decompose over the ranks of `comm` (before run()); throws ConfigError when the grid cannot be
    // split so or the run uses a feature that runs on one rank only.
    void set_parallel(const Comm& comm);
    const Parallel& parallel() const { return par_; }
    // Continue from a checkpoint written by a run of the same config (any rank count); throws
    // ConfigError for a missing, truncated or foreign checkpoint.
    void restart_from(const std::string& checkpoint_file);
    // Where this run writes checkpoints.
    std::string checkpoint_file() const;

private:
    void initialise_state();
    void step(double dt_s);
    void check_fields(double t_s) const;
    void write_checkpoint(const RunSummary& summary) const;

    Config cfg_;
    Grid grid_;
    std::vector<std::string> scenario_names_;  // "base" first when it runs
    std::unique_ptr<Inventory> inventory_;     // read once; handed to the emission model
    std::unique_ptr<class TagGrouping> tagging_;
    std::vector<std::string> tag_groups_;      // source-apportionment tags of the base (after the scenarios)
    std::vector<std::string> tracer_names_;    // scenario × species
    int nphys_ = 0;                            // physical species per scenario
    std::vector<SpeciesInfo> species_;
    double start_epoch_s_;
    std::unique_ptr<MetSource> met_source_;
    MetTimeline timeline_;
    MetState met_mid_, met_end_;
    State state_;
    Ledger ledger_;
    std::vector<std::unique_ptr<Process>> processes_;
    std::unique_ptr<EmissionModel> emissions_;
    std::unique_ptr<class ReceptorSampler> sampler_;  // stations and cities (none = no series files)
    std::vector<double> pm25_fraction_, pm10_fraction_;  // per species, from the species table
    std::vector<double> molar_mass_;                     // g mol-1 per species (0 = not a molecule)
    bool has_pm_ = false;
    class VerticalMixing* mixing_ = nullptr;   // owned by processes_; its emission table is refreshed each step
    long met_index_ = -1;                      // weather snapshot interval the plume rise was computed for
    std::vector<std::string> warnings_;
    double t_s_ = 0;
    long step_index_ = 0;
    Parallel par_;
    // Restart bookkeeping: the time the plume rise was last computed for (s since start), the
    // midpoint of the last step (its weather sets the next step's length) and the run's counters.
    double plume_t_s_ = -1, last_mid_t_s_ = -1;
    bool restarted_ = false;
    RunSummary restart_summary_;
    std::map<std::string, double> phase_s_;  // wall time per step phase (s), for profiles
public:
    const std::map<std::string, double>& phase_times() const { return phase_s_; }
};

}  // namespace lantian
