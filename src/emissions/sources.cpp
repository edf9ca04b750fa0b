// Reading and gridding of point and area sources.
#include "emissions/sources.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config.hpp"
#include "emissions/csv_table.hpp"
#include "emissions/sectors.hpp"
#include "grid/grid.hpp"

namespace lantian {
namespace {

constexpr double kMicrogramsPerGram = 1e6;

[[noreturn]] void fail(const CsvTable& t, std::size_t row, const std::string& col, const std::string& value,
                       const std::string& why) {
    t.fail(row, col, value, why);
}

double number(const CsvTable& t, std::size_t row, std::size_t col, double lo, double hi, const std::string& range) {
    return t.number(row, col, lo, hi, range);
}

// Columns: the fixed ones, then "<SPECIES>_g_s" for any subset of the run's species.
template <typename Source, typename FixedFn>
std::vector<Source> read_sources(const std::string& path, const std::vector<std::string>& species,
                                 const std::vector<std::string>& fixed, FixedFn fill_fixed) {
    const CsvTable t = read_csv_file(path);
    for (std::size_t c = 0; c < fixed.size(); ++c)
        if (c >= t.header.size() || t.header[c] != fixed[c])
            throw ConfigError(path + ": header column " + std::to_string(c + 1) + " must be '" + fixed[c] + "' (found '" +
                              (c < t.header.size() ? t.header[c] : std::string("nothing")) + "')");
    std::vector<std::string> rate_species;
    for (std::size_t c = fixed.size(); c < t.header.size(); ++c) {
        const std::string& h = t.header[c];
        const std::string suffix = "_g_s";
        const std::string name = h.size() > suffix.size() && h.ends_with(suffix) ? h.substr(0, h.size() - suffix.size()) : "";
        if (name.empty() || std::find(species.begin(), species.end(), name) == species.end())
            throw ConfigError(path + ": header column '" + h + "': not a rate of a run species (expected <SPECIES>_g_s with SPECIES in species.names)");
        rate_species.push_back(name);
    }
    std::vector<Source> out;
    std::set<std::string> ids;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        Source s;
        s.id = t.rows[r][0];
        s.name = t.rows[r][1];
        if (s.id.empty()) fail(t, r, "id", "", "must not be empty");
        if (!ids.insert(s.id).second) fail(t, r, "id", s.id, "duplicate id");
        fill_fixed(t, r, s);
        for (std::size_t c = 0; c < rate_species.size(); ++c) {
            const std::size_t col = fixed.size() + c;
            const double v = t.rows[r][col].empty() ? 0.0 : number(t, r, col, 0.0, 1e12, ">= 0");
            s.rate_g_s[rate_species[c]] = v;
        }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

std::vector<PointSource> read_point_sources(const std::string& path, const std::vector<std::string>& species) {
    return read_sources<PointSource>(path, species, {"id", "name", "lon", "lat", "height_m"},
                                     [](const CsvTable& t, std::size_t r, PointSource& s) {
                                         s.lon = number(t, r, 2, -180.0, 360.0, "in [-180, 360]");
                                         s.lat = number(t, r, 3, -90.0, 90.0, "in [-90, 90]");
                                         s.height_m = number(t, r, 4, 0.0, 5000.0, "in [0, 5000] m");
                                     });
}

std::vector<AreaSource> read_area_sources(const std::string& path, const std::vector<std::string>& species) {
    return read_sources<AreaSource>(path, species, {"id", "name", "lon_min", "lat_min", "lon_max", "lat_max"},
                                    [](const CsvTable& t, std::size_t r, AreaSource& s) {
                                        s.lon_min = number(t, r, 2, -180.0, 360.0, "in [-180, 360]");
                                        s.lat_min = number(t, r, 3, -90.0, 90.0, "in [-90, 90]");
                                        s.lon_max = number(t, r, 4, -180.0, 360.0, "in [-180, 360]");
                                        s.lat_max = number(t, r, 5, -90.0, 90.0, "in [-90, 90]");
                                        if (s.lon_max <= s.lon_min) fail(t, r, "lon_max", t.rows[r][4], "must exceed lon_min");
                                        if (s.lat_max <= s.lat_min) fail(t, r, "lat_max", t.rows[r][5], "must exceed lat_min");
                                    });
}

std::vector<GriddedEmission> grid_fixed_sources(const Grid& grid, const std::vector<std::string>& species,
                                                const std::vector<PointSource>& points,
                                                const std::vector<AreaSource>& areas, std::vector<std::string>& warnings) {
    const int nx = grid.nx(), ny = grid.ny(), nspec = static_cast<int>(species.size());
    const int fixed = static_cast<int>(Sector::fixed);
    std::vector<GriddedEmission> out;
    std::vector<double> requested(nspec, 0.0), placed(nspec, 0.0);

    auto species_index = [&](const std::string& n) {
        return static_cast<int>(std::find(species.begin(), species.end(), n) - species.begin());
    };
    int points_outside = 0;
    for (const PointSource& p : points) {
        double fi, fj;
        const bool inside = grid.locate({p.lon, p.lat}, fi, fj);
        for (const auto& [name, rate] : p.rate_g_s) {
            const int s = species_index(name);
            if (s >= nspec || rate <= 0.0) continue;
            requested[s] += rate * kMicrogramsPerGram;
            if (!inside) continue;
            const int i = std::clamp(static_cast<int>(std::lround(fi)), 0, nx - 1);
            const int j = std::clamp(static_cast<int>(std::lround(fj)), 0, ny - 1);
            out.push_back({static_cast<std::size_t>(j) * nx + i, grid.layer_of(p.height_m), s, fixed, rate * kMicrogramsPerGram});
            placed[s] += rate * kMicrogramsPerGram;
        }
        if (!inside) ++points_outside;
    }
    int areas_outside = 0;
    for (const AreaSource& a : areas) {
        // Cells whose centre lies inside the box share the rate in proportion to their area.
        std::vector<std::size_t> cells;
        double area_sum = 0.0;
        for (std::size_t c = 0; c < grid.columns(); ++c) {
            const double lon = grid.lon()[c], lat = grid.lat()[c];
            if (lon >= a.lon_min && lon < a.lon_max && lat >= a.lat_min && lat < a.lat_max) {
                cells.push_back(c);
                area_sum += grid.area_m2()[c];
            }
        }
        for (const auto& [name, rate] : a.rate_g_s) {
            const int s = species_index(name);
            if (s >= nspec || rate <= 0.0) continue;
            requested[s] += rate * kMicrogramsPerGram;
            for (std::size_t c : cells) {
                const double share = grid.area_m2()[c] / area_sum;
                out.push_back({c, 0, s, fixed, rate * kMicrogramsPerGram * share});
                placed[s] += rate * kMicrogramsPerGram * share;
            }
        }
        if (cells.empty()) ++areas_outside;
    }
    if (points_outside + areas_outside > 0) {
        std::ostringstream w;
        w << points_outside << " point source(s) and " << areas_outside
          << " area source(s) lie outside the domain and are not emitted; emitted share by species:";
        for (int s = 0; s < nspec; ++s)
            if (requested[s] > 0) w << " " << species[s] << " " << 100.0 * placed[s] / requested[s] << "%";
        warnings.push_back(w.str());
    }
    return out;
}

EmissionTable place_sources(const Grid& grid, const std::vector<std::string>& species,
                            const std::vector<PointSource>& points, const std::vector<AreaSource>& areas,
                            std::vector<std::string>& warnings) {
    const std::vector<GriddedEmission> gridded = grid_fixed_sources(grid, species, points, areas, warnings);
    std::vector<std::pair<std::size_t, kernels::EmissionEntry>> by_column;
    for (const GriddedEmission& g : gridded) by_column.push_back({g.column, {g.k, g.species, g.amount}});
    return make_emission_table(grid.columns(), static_cast<int>(species.size()), std::move(by_column));
}

EmissionTable make_emission_table(std::size_t columns, int nspec,
                                  std::vector<std::pair<std::size_t, kernels::EmissionEntry>> by_column) {
    std::stable_sort(by_column.begin(), by_column.end(), [](const auto& a, const auto& b) {
        return std::make_pair(a.first, a.second.species) < std::make_pair(b.first, b.second.species);
    });
    EmissionTable table;
    table.total_ug_s.assign(nspec, 0.0);
    table.start.assign(columns * nspec + 1, 0);
    for (const auto& [column, e] : by_column) {
        ++table.start[column * nspec + e.species + 1];
        table.entries.push_back(e);
        table.total_ug_s[e.species] += e.rate_ug_s;
    }
    for (std::size_t k = 1; k < table.start.size(); ++k) table.start[k] += table.start[k - 1];
    return table;
}

}  // namespace lantian
