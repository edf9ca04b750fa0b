// One-way nesting: an inner domain's lateral and top inflow, and its initial state, from its
// parent's state file (docs/nesting.md).
//
// The parent run writes every species as NAME_3d (µg m-3) and the air density air_density_3d
// (kg m-3) every hour (output.state_file). The quantity carried across grids is the mixing ratio
//   q = c / ρ   (µg kg-1),
// the one advection conserves: a uniform q in the parent is a uniform q in the inner domain, whatever
// the two grids' air densities. At each point the inner domain needs — the centre of the ghost cell
// just outside each lateral face (i = −1, nx; j = −1, ny) in every layer, and above the top — q is
// interpolated bilinearly between the parent's four nearest cell centres in the parent's projection
// plane, linearly between the two nearest parent layer centres in height above ground (constant
// below the lowest and above the highest centre), and linearly in time between the two records that
// bracket the middle of the step. The inner domain's advection multiplies it by its own air-mass
// flux through the face (processes/advection.cpp), so the inflow stays consistent with the inner
// winds, and its ledger books it as inflow_<edge> per species.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grid/grid.hpp"
#include "processes/advection.hpp"
#include "output/netcdf_reader.hpp"
#include "simulation/warm_start.hpp"

namespace lantian {

// The grid of a CF file with 1-D lon/lat coordinates and no grid mapping (a coarse global or
// regional field as the outer domain's parent); ConfigError naming the file otherwise.
SourceGrid read_cf_latlon_grid(const NcReader& nc);

class NestBoundary final : public BoundaryInflow {
public:
    // Opens the parent file and checks, naming the file and what is wrong (ConfigError): it has a
    // grid (crs, x, y, z_bnds), air_density_3d and NAME_3d for every name in `species`, records
    // covering [start_epoch_s, end_epoch_s], a top at least as high as the inner grid's, and the
    // inner grid wholly inside it with `margin_cells` parent cells to spare on every side.
    // `tracer_species`: the species name of each tracer of the inner run (scenario blocks and tags
    // share their species' inflow).
    NestBoundary(const std::string& parent_file, const Grid& inner, const std::vector<std::string>& species,
                 const std::vector<std::string>& tracer_species, double start_epoch_s, double end_epoch_s,
                 int margin_cells);
    ~NestBoundary() override;  // closes the parent file on the I/O thread

    void prepare(double t_epoch_s) override;
    double q(Edge4 edge, int tracer, int along, int k) const override;

    // Mixing ratio (µg kg-1) of species `s` (index into `species`) at every inner cell centre at
    // time t, nz*ny*nx: the nested initial state.
    std::vector<std::vector<double>> interior(double t_epoch_s) const;

    // When this domain's weather is a WRF nest (`wrf_file` has GRID_ID > 1): its cells must sit on the
    // parent's — DX × PARENT_GRID_RATIO equal to the parent's cell size, and the domain's edges on
    // parent cell faces (within 2 % of a parent cell). ConfigError naming the WRF file otherwise.
    void check_wrf_child(const std::string& wrf_file) const;

    const std::string& file() const { return file_; }
    // Hours between the parent's records (largest gap within the run).
    double record_spacing_h() const { return spacing_h_; }
    // One line for the log: file, parent grid, records, margin.
    std::string summary() const;

private:
    // Eight parent cells and weights (bilinear × linear in height).
    struct Stencil {
        std::array<std::size_t, 8> cell{};
        std::array<double, 8> weight{};
    };
    // The two records around t and the weight of the second (one record: both 0).
    struct Bracket {
        std::size_t n0, n1;
        double w;
    };
    Bracket bracket(double t_epoch_s) const;
    Stencil stencil_at(double x_inner, double y_inner, double z_m, const char* where) const;
    // q at the boundary points of record n, per species (loaded on demand; two kept, never `keep`
    // evicted).
    const std::vector<std::vector<double>>& record_values(std::size_t n, std::size_t keep) const;
    // The parent's q = c / ρ (µg kg-1) of every species at record n over the whole parent grid,
    // read on the I/O thread (output/io_thread.hpp: it may be writing the run's output).
    std::vector<std::vector<double>> parent_q(std::size_t n) const;
    std::vector<std::vector<double>> read_parent_q(std::size_t n) const;

    std::string file_;
    mutable std::unique_ptr<NcReader> reader_;  // the parent file, open while the run lasts
    const Grid& inner_;
    SourceGrid parent_;
    std::optional<MapProjection> parent_proj_;  // built once (PROJ objects are not free)
    std::vector<double> parent_zc_;             // parent layer centres, m above ground
    std::vector<std::string> species_;
    std::vector<int> tracer_to_species_;      // -1: species unknown (never asked)
    std::vector<double> epochs_;              // record times (UTC epoch s)
    std::vector<std::string> variable_;       // per species: its variable in the file
    std::vector<double> scale_;               // per species: to µg m-3, or to µg kg-1 for mixing ratios
    std::vector<bool> is_ratio_;              // per species: the file holds a mixing ratio
    std::string density_variable_;            // air density (kg m-3) when a species is a concentration
    std::vector<Stencil> points_;             // west, east (nz*ny each), south, north (nz*nx each), top (ny*nx)
    std::array<std::size_t, 5> offset_{};     // first point of each edge
    int margin_;
    double spacing_h_ = 0;
    // Cache: two records' boundary values.
    mutable std::array<std::size_t, 2> cached_index_{static_cast<std::size_t>(-1), static_cast<std::size_t>(-1)};
    mutable std::array<std::vector<std::vector<double>>, 2> cached_;
    std::vector<std::vector<double>> now_;    // per species, per point: at the prepared time
};

}  // namespace lantian
