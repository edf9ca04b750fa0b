// Shared helpers for the tests: small grids, hand-made weather and a process harness, so property
// tests can drive exactly the processes they examine.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "grid/grid.hpp"
#include "met/met_state.hpp"
#include "processes/process.hpp"
#include "state/ledger.hpp"
#include "state/state.hpp"

namespace lantian::test {

// The tracer fields at the end of a whole run of `cfg` on `threads` OpenMP threads (the thread count
// is restored afterwards): for the "identical for 1 and 2 threads" tests.
std::vector<real> final_tracers_with_threads(const Config& cfg, int threads);

// A local Cartesian grid of nx × ny cells of dx metres with the given layer faces.
GridConfig cartesian(int nx, int ny, double dx_m, std::vector<double> faces_m);

struct WindXY {
    double u, v;  // m s-1
};
using WindField = std::function<WindXY(double x_m, double y_m, double z_m)>;

// Weather with a uniform density and winds from `wind` at face positions (x, y measured from the
// domain centre), constant K_z at interior faces.
MetState hand_made_met(const Grid& grid, double rho_kg_m3, const WindField& wind, double kz_m2_s = 0.0);

// Drives a list of processes over a state, with the ledger, like the run loop does.
struct Harness {
    Grid grid;
    State state;
    Ledger ledger;
    std::vector<std::unique_ptr<Process>> processes;
    long step_index = 0;
    double t_epoch_s = 0;  // start of the next step, s since 1970 UTC (sun-dependent processes)

    Harness(const GridConfig& g, int nspec);
    void set_air_mass(const MetState& met);
    // One step with the same weather at the middle and at the end.
    void step(const MetState& met, double dt_s);
    void step(const MetState& met_mid, const MetState& met_end, double dt_s);
    double mass_ug(int s) const { return state.tracer_mass_ug(s); }
};

// Position of the centre of cell (i, j) relative to the domain centre (m).
double cell_x(const Grid& g, int i);
double cell_y(const Grid& g, int j);

// Path of a writable scratch folder, unique per call.
std::string scratch_dir(const std::string& tag);

// Writes text to dir/name and returns the path.
std::string write_text_file(const std::string& dir, const std::string& name, const std::string& text);

// Runs a shell command, returns its exit status (0..255) and captures stdout+stderr.
int run_command(const std::string& command, std::string& output);

// Rows of a CSV file as column name -> text (the first non-comment line is the header; comments
// and blank lines are skipped). Throws when the file cannot be opened.
std::vector<std::map<std::string, std::string>> csv_rows(const std::string& path);

// Every value of a NetCDF variable as float (any shape, in file order). Throws std::runtime_error
// naming the file and variable when it cannot be read.
std::vector<float> read_nc_floats(const std::string& path, const std::string& name);

}  // namespace lantian::test
