// What a run writes while it steps: one gridded NetCDF file and one pair of receptor series files
// per scenario, the state file for warm starts (output.state_file: the 3-D field of every species of
// the first scenario at output.state_hours), their records computed from the output catalogue (output/output_catalogue.hpp),
// the budget at the end, and the never-looks-complete rule on failure. Also finds and continues
// the files of a stopped run on restart. Knows nothing of processes or the step.
// A record's fields are computed here on the calling (main) thread and handed, as a copy, to the
// I/O thread (output/io_thread.hpp), which writes and deflates them while the step loop goes on; at
// most kRecordsInFlight records wait there. Collective output (MPI-IO) stays on the main thread.
#pragma once

#include <array>
#include <deque>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "grid/grid.hpp"
#include "met/met_state.hpp"
#include "output/output_catalogue.hpp"
#include "parallel/parallel.hpp"
#include "state/ledger.hpp"
#include "simulation/resources.hpp"
#include "simulation/tracer_layout.hpp"
#include "state/species_properties.hpp"
#include "state/state.hpp"

namespace lantian {

class NetcdfWriter;
class ReceptorWriter;
class ReceptorSampler;

// Concentration (µg m-3) of tracer s in layer k, ny*nx:  c = m q / (A Δz).
std::vector<double> concentration_ug_m3(const Grid& grid, const State& state, int s, int k);

// The output file of scenario k: output.file for the first, STEM_NAME.nc for the others.
// The species whose concentrations the gridded and receptor output carry (output.species, or the
// default of the mode).
std::vector<std::string> written_species(const Config& cfg, const std::vector<std::string>& species);
std::string scenario_file(const Config& cfg, const TracerLayout& layout, int k);

class RunOutput {
public:
    // `output` false: nothing is written. `collective`: every rank writes its block (MPI-IO).
    RunOutput(const Config& cfg, const Grid& grid, const TracerLayout& layout, const SpeciesPropertiesTable& props,
              const Parallel& par, bool output, double start_epoch_s);
    ~RunOutput();

    bool collective() const { return collective_; }
    bool active() const { return output_; }
    // Creates the files. On restart (`resume_records` ≥ 0) copies that many records from the
    // stopped run's files first. `terrain_m` (ny*nx, m above sea level): the terrain height of the
    // weather at the start of the run, which the gridded files carry as the static `surface_altitude`.
    void open(const std::string& command_line, int resume_records, const std::vector<double>& terrain_m);
    // Appends one record at t_s (s since the start) from the (gathered) state and the weather: its
    // fields are computed before this returns (the state may change at once); they are written on
    // the I/O thread. Waits first while kRecordsInFlight records are still being written, and
    // rethrows the failure of an earlier record (the exception its writer threw, e.g. a full disk).
    void write_record(double t_s, const State& state, const MetState& met);
    // The state file's record at the start (when output.state_hours lists 0: a nested domain's
    // first inflow and initial state), from the (gathered) state.
    void write_initial_state(const State& state);
    // Waits until every record handed over is on disk; rethrows the first failure. Before anything
    // that must see the files complete (a checkpoint counts the records in them).
    void sync();
    // Writes the budgets, closes every file under its final name, removes superseded files. Every
    // record is on disk first (sync(): a failure is rethrown and no file gets its final name).
    void finish(const Ledger& ledger);
    // Closes every file as incomplete (after the records in flight have been written or have
    // failed); returns the first gridded file's new name.
    std::string abandon(const std::string& reason);
    // The time (s since the start) of the record whose writing failed; < 0 when none did.
    double failed_at_s() const { return failed_at_s_; }
    std::string paths() const;  // the final files, separated by blanks
    // The files a whole run writes and their estimated final sizes (for the disk check before
    // the first step; simulation/resources.hpp).
    std::vector<PlannedFile> planned_files() const;
    bool has_pm() const { return has_pm_; }

    // Records handed to the I/O thread and not yet known to be written (one in flight: a record is
    // written within the steps of the next output interval; memory holds one copy of its fields).
    static constexpr std::size_t kRecordsInFlight = 1;

private:
    struct Record;  // one output time's fields, as they will be written
    // Runs f where netCDF may be called: on the I/O thread, or with collective output (MPI-IO
    // collectives belong to the main thread) here, once the I/O thread is idle.
    template <class F>
    auto on_io(F f) -> decltype(f());
    void open_files(const std::string& command_line, int resume_records, const std::vector<double>& terrain_m);
    void finish_files(const Ledger& ledger);
    std::string abandon_files(const std::string& reason);
    bool state_fields(double t_s, const State& state, Record& record) const;
    void hand_over(Record record);
    void put(const Record& record);  // the netCDF/CSV writes of one record
    void take_oldest();
    std::deque<std::future<void>> in_flight_;
    bool write_failed_ = false;  // set on the I/O thread; later records are not written
    double failed_at_s_ = -1;    // set on the I/O thread before the failure reaches its future

    const Config& cfg_;
    const Grid& grid_;
    const TracerLayout& layout_;
    const Parallel& par_;
    double start_epoch_s_;
    bool output_, collective_, writer_, series_writer_;
    std::vector<SpeciesInfo> species_;
    std::vector<double> pm25_fraction_, pm10_fraction_;  // per physical species
    bool has_pm_ = false;
    std::unique_ptr<ReceptorSampler> sampler_;  // stations and cities (none = no series files)
    std::vector<std::vector<OutputVariable>> variables_;  // per scenario file
    std::vector<std::unique_ptr<NetcdfWriter>> writers_;
    std::unique_ptr<NetcdfWriter> state_writer_;  // output.state_file (none: no state file)
    std::string state_resume_source_;             // restart: the stopped run's state file
    void open_state_file(const std::string& history, bool restarted, int resume_records);
    std::vector<std::unique_ptr<ReceptorWriter>> receptor_writers_;
    std::vector<std::array<std::string, 3>> resume_sources_;  // per scenario: gridded, series .nc, .csv
    // O3_8h (photochemical runs): per scenario the O3 records of the last 8 h at the receptors
    // (hours since the start, µg m-3 per receptor); refilled from the stopped run's series on restart.
    std::vector<std::deque<std::pair<double, std::vector<double>>>> o3_recent_;
    // The same for the gridded O3_8h: the O3 fields of the last 8 h as written (float-rounded, so
    // that a restart, which reads them back from the gridded file, continues exactly).
    std::vector<std::deque<std::pair<double, std::vector<double>>>> o3_field_recent_;
    std::vector<double> o3_running_mean(std::deque<std::pair<double, std::vector<double>>>& recent, double t_h,
                                        std::vector<double> o3_now) const;
};

}  // namespace lantian
