// Warm start: the initial state of a run taken from an earlier run's 3-D state (output.state_file,
// or any Lantian gridded output with NAME_3d variables) valid at the run's start, regridded
// conservatively to this run's grid, which may differ in projection, extent, resolution and layers
// (docs/forecast-cycle.md, "Warm start").
//
// Horizontal: first-order conservative remapping (Jones 1999, Mon. Wea. Rev. 127, 2204-2210): every
// target cell's corners are mapped into the source grid's projection plane; the quadrilateral they
// form is clipped against each source cell rectangle (Sutherland & Hodgman 1974, Comm. ACM 17, 32-42)
// and the source mass in the overlap goes to the target cell. Vertical: the column integral ∫c dz
// remapped between the layer faces (piecewise constant). Source mass in the overlap is conserved to
// round-off; what the source does not cover keeps the background of fill_initial_state.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "grid/grid.hpp"
#include "met/met_state.hpp"
#include "simulation/tracer_layout.hpp"
#include "state/state.hpp"

namespace lantian {

// The grid of a source field, as its file describes it: projection parameters (CF grid mapping),
// cell centres in the projection plane (uniform spacing) and layer faces.
struct SourceGrid {
    Projection kind = Projection::lambert;
    double center_lon = 0, center_lat = 0;  // degrees: the origin (lambert: center_lon unused; polar, mercator: unused)
    double truelat1 = 30, truelat2 = 60, stand_lon = 0;  // degrees (lambert; polar, mercator: truelat1, stand_lon)
    std::vector<double> x, y;               // centres: m, or degrees for latlon
    double dx = 0, dy = 0;                  // spacing: m, or degrees for latlon
    std::vector<double> z_face_m;           // nz+1, m above ground
    int nx() const { return static_cast<int>(x.size()); }
    int ny() const { return static_cast<int>(y.size()); }
    int nz() const { return static_cast<int>(z_face_m.size()) - 1; }
};

class NcReader;

// The grid of a Lantian state file or gridded output (any run's output.state_file, or output with
// NAME_3d variables): the projection from its crs variable (CF grid mapping), the cells from x and y,
// the layers from z_bnds. ConfigError naming the file and what is missing or wrong.
SourceGrid read_source_grid(const NcReader& nc);

// The source description of a model grid (tests; and to tell whether a file is on the run's grid).
SourceGrid source_grid_of(const Grid& grid);

// Conservative remapping from a source grid onto a target Grid. Built once (the overlaps), applied
// per species.
//
// The quantity remapped is the mass per unit area of the source projection plane, σ = c a_s / A_s
// (a_s the cell's area on the sphere as the model computes it, A_s = dx dy its plane area), so the
// target mass M_t = Σ_s σ_s A_ts (A_ts the plane area of the overlap) and c_t = M_t / a_t with a_t
// the target cell's area on the sphere (Grid::area_m2): Σ c a dz over the overlap is the same on
// both grids to round-off, whatever the projections. A uniform field comes back uniform to within
// the relative change of the map factor across a cell (about 1e-6 for 3 km Lambert cells); a
// field linear in the source plane comes back as the exact cell mean of σ.
class ConservativeRemap {
public:
    // Throws ConfigError (naming `source_name`) when the grids do not overlap at all.
    ConservativeRemap(const SourceGrid& source, const Grid& target, const std::string& source_name);

    // c_source: nz*ny*nx of the source (µg m-3, (k, j, i)); background: the target's nz*ny*nx
    // concentrations where the source does not reach. Returns the target's nz*ny*nx (µg m-3).
    std::vector<double> apply(const std::vector<double>& c_source, const std::vector<double>& background) const;

    // Fraction of the target's columns (by plane area, summed per column) the source covers, 0..1.
    double covered_fraction() const { return covered_fraction_; }
    // Covered fraction of each target column (ny*nx) and of each target layer (nz, vertical).
    const std::vector<double>& column_cover() const { return cover_h_; }
    const std::vector<double>& layer_cover() const { return cover_v_; }
    // The part of the source's column mass above the target's top, for a field (0..1; 0 when the
    // target is at least as tall).
    double fraction_above_top(const std::vector<double>& c_source) const;
    // True when source and target are the same grid (same projection, cells and layers).
    bool same_grid() const { return same_grid_; }

private:
    struct Overlap {
        std::size_t source_column;
        double weight;  // A_ts a_s / (A_s a_t): c_t = Σ weight c_s over the covered part
    };
    int snx_, sny_, snz_, tnz_;
    std::size_t tcols_;
    std::vector<std::vector<Overlap>> overlaps_;  // per target column
    std::vector<double> cover_h_, cover_v_;
    std::vector<double> vertical_;                // tnz × snz: overlap depth (m) / target layer depth
    std::vector<double> source_above_;            // snz: part of each source layer above the target top
    std::vector<double> source_area_m2_;          // per source column (on the sphere)
    std::vector<double> source_dz_m_;
    double covered_fraction_ = 0;
    bool same_grid_ = false;
};

// What a warm start did, for the log and cycle.json.
struct WarmStartReport {
    std::string file;
    double valid_epoch_s = 0;
    bool regridded = true;                   // false: the file is on the run's grid
    double covered_fraction = 0;             // of the target's columns
    std::vector<std::string> species_read;   // found in the file and regridded
    std::vector<std::string> missing;        // not in the file: background
    std::vector<std::string> warnings;       // one line each
    std::string summary() const;             // one line: file, time, coverage
};

// Fills `state` for a run starting at start_epoch_s: fill_initial_state first (air mass from met0,
// the background everywhere), then every species found in `file` at that time, regridded, in every
// scenario block and the `background` tag (the others stay empty). ConfigError naming the file and
// the reason when it cannot be used: unreadable, no crs/projection, no z_bnds, no record at the
// start (the message lists the times it has), no overlap with the grid, negative or non-finite
// values, units other than ug m-3 / mg m-3.
WarmStartReport warm_start(const Config& cfg, const std::string& file, double start_epoch_s, const Grid& grid,
                           const TracerLayout& layout, const MetState& met0, State& state);

// The valid times (UTC epoch s) of a state file's records (or any Lantian gridded output's);
// ConfigError naming the file when it cannot be read or its time units are not "hours since".
std::vector<double> state_record_times(const std::string& file);

}  // namespace lantian
