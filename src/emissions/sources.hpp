// Minimal emission sources: point sources with a given rate and release height and area sources in
// the lowest layer, from small CSV files or built in code; placed on the grid as a per-column table
// that the vertical solve reads. The full sectoral inventory is a separate component.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "diffusion_kernels.hpp"

namespace lantian {

class Grid;

struct PointSource {
    std::string id, name;
    double lon = 0, lat = 0;        // degrees
    double height_m = 0;            // release height above ground
    std::map<std::string, double> rate_g_s;  // per species
};

struct AreaSource {
    std::string id, name;
    double lon_min = 0, lat_min = 0, lon_max = 0, lat_max = 0;  // degrees; cells whose centre is inside
    std::map<std::string, double> rate_g_s;  // per species, total over the area
};

// One emission placed on the grid: an amount for one species in one cell. `amount` is a rate
// (µg s-1) for constant-rate sources and a yearly mass (µg yr-1) for inventory sectors, which the
// emission model scales by the temporal profile of each step.
struct GriddedEmission {
    std::size_t column;  // j*nx + i
    int k;               // layer
    int species;
    int sector;          // index into kSectorNames
    double amount;
};

// Emission rates on the grid, CSR by (column, species), ready for kernels::VerticalViews: the
// entries of species s in column c are entries[start[c*nspec + s] .. start[c*nspec + s + 1]).
struct EmissionTable {
    std::vector<int> start;                        // ny*nx*nspec + 1 (empty = no emissions)
    std::vector<kernels::EmissionEntry> entries;
    std::vector<double> total_ug_s;                // per species, what was placed in the domain
};

// Builds the CSR table from (column, entry) pairs in any order (same-cell entries are kept apart).
EmissionTable make_emission_table(std::size_t columns, int nspec,
                                  std::vector<std::pair<std::size_t, kernels::EmissionEntry>> by_column);

// Reads the CSV formats documented in docs/input-formats.md. Errors: ConfigError
// "file:line: column: value: reason".
std::vector<PointSource> read_point_sources(const std::string& path, const std::vector<std::string>& species);
std::vector<AreaSource> read_area_sources(const std::string& path, const std::vector<std::string>& species);

// Places constant-rate sources on the grid (sector `fixed`, amounts in µg s-1); sources (or parts
// of areas) outside the domain are skipped and described in `warnings` with their emitted share.
std::vector<GriddedEmission> grid_fixed_sources(const Grid& grid, const std::vector<std::string>& species,
                                                const std::vector<PointSource>& points,
                                                const std::vector<AreaSource>& areas, std::vector<std::string>& warnings);

// The same as a ready EmissionTable (rates as given, no time variation).
EmissionTable place_sources(const Grid& grid, const std::vector<std::string>& species,
                            const std::vector<PointSource>& points, const std::vector<AreaSource>& areas,
                            std::vector<std::string>& warnings);

}  // namespace lantian
