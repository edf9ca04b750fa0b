// CF-1.10 NetCDF-4 writer: defines the file layout (coordinates, grid mapping, fields, budget),
// appends time records and enforces "<path>.partial" → <path> on finish, "<stem>.incomplete.nc"
// otherwise. Must not know about the solver or the config parser; it only formats what it is given.
#include "output/netcdf_writer.hpp"

#include "output/file_names.hpp"
#include "output/storage.hpp"

#include <netcdf.h>
#ifdef LANTIAN_HAVE_MPI
#include <netcdf_par.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lantian {
namespace {

constexpr float fill_value_float = NC_FILL_FLOAT;  // 9.96921e36f, the netCDF default float fill
constexpr int max_deflate_level = 9;               // zlib accepts levels 0..9
constexpr std::size_t bounds_vertices = 2;         // nv: lower and upper face of a layer
constexpr const char* status_attribute = "lantian_status";
constexpr const char* status_in_progress = "in progress";
constexpr const char* status_complete = "complete";
constexpr const char* crs_name = "crs";

// Global attributes the writer owns; OutputMetadata::extra_attributes may not replace them.
constexpr std::array<std::string_view, 11> reserved_global_attributes = {
    "Conventions", "title",           "institution",           "source",
    "history",     "references",      "lantian_config",        "lantian_reference_time",
    "lantian_status", "lantian_budget_terms", "_NCProperties",
};

// Error context for one open file: every netCDF call goes through check().
struct Nc {
    int id;
    const std::string& file;

    void check(int status, const std::string& what) const {
        if (status != NC_NOERR) {
            throw std::runtime_error(file + ": " + what + ": " + nc_strerror(status) + storage_hint(file));
        }
    }
    void text(int varid, const std::string& name, const std::string& value) const {
        check(nc_put_att_text(id, varid, name.c_str(), value.size(), value.c_str()),
              "writing attribute '" + name + "'");
    }
    void number(int varid, const std::string& name, const std::vector<double>& values) const {
        check(nc_put_att_double(id, varid, name.c_str(), NC_DOUBLE, values.size(), values.data()),
              "writing attribute '" + name + "'");
    }
    int dim(const std::string& name, std::size_t length) const {
        int dimid = -1;
        check(nc_def_dim(id, name.c_str(), length, &dimid), "defining dimension '" + name + "'");
        return dimid;
    }
    int var(const std::string& name, nc_type type, const std::vector<int>& dims) const {
        int varid = -1;
        check(nc_def_var(id, name.c_str(), type, static_cast<int>(dims.size()), dims.data(), &varid),
              "defining variable '" + name + "'");
        return varid;
    }
    void put(int varid, const std::string& name, const std::vector<double>& values) const {
        check(nc_put_var_double(id, varid, values.data()), "writing variable '" + name + "'");
    }
};

void require_size(std::size_t actual, std::size_t expected, const std::string& what) {
    if (actual != expected) {
        throw std::invalid_argument("NetcdfWriter: " + what + " has " + std::to_string(actual) +
                                    " values, expected " + std::to_string(expected));
    }
}

// "<stem>.incomplete.nc", stem = path without a trailing ".nc".
std::string incomplete_path_for(const std::string& path) { return strip_nc_suffix(path) + ".incomplete.nc"; }

void check_grid(const OutputGrid& grid) {
    if (grid.nx <= 0 || grid.ny <= 0 || grid.nz <= 0) {
        throw std::invalid_argument("NetcdfWriter: grid sizes nx = " + std::to_string(grid.nx) +
                                    ", ny = " + std::to_string(grid.ny) + ", nz = " +
                                    std::to_string(grid.nz) + ": all must be >= 1");
    }
    const auto nx = static_cast<std::size_t>(grid.nx);
    const auto ny = static_cast<std::size_t>(grid.ny);
    const auto nz = static_cast<std::size_t>(grid.nz);
    require_size(grid.x.size(), nx, "OutputGrid::x");
    require_size(grid.y.size(), ny, "OutputGrid::y");
    require_size(grid.z_center_m.size(), nz, "OutputGrid::z_center_m");
    require_size(grid.z_face_m.size(), nz + 1, "OutputGrid::z_face_m");
    if (grid.projection != Projection::latlon) {
        require_size(grid.lat.size(), ny * nx, "OutputGrid::lat");
        require_size(grid.lon.size(), ny * nx, "OutputGrid::lon");
    }
    for (const MapField& f : grid.static_fields) {
        if (f.name.empty()) throw std::invalid_argument("NetcdfWriter: a static field has an empty name");
        require_size(f.values.size(), ny * nx, "OutputGrid static field '" + f.name + "'");
    }
}

void check_inputs(const std::vector<OutputField>& fields, const OutputMetadata& meta, int deflate_level) {
    if (deflate_level < 0 || deflate_level > max_deflate_level) {
        throw std::invalid_argument("NetcdfWriter: deflate_level = " + std::to_string(deflate_level) +
                                    ": must be in 0..9");
    }
    for (const auto& f : fields) {
        if (f.name.empty()) throw std::invalid_argument("NetcdfWriter: an output field has an empty name");
    }
    for (const auto& [key, value] : meta.extra_attributes) {
        if (std::find(reserved_global_attributes.begin(), reserved_global_attributes.end(), key) !=
            reserved_global_attributes.end()) {
            throw std::invalid_argument("NetcdfWriter: extra attribute '" + key +
                                        "' would replace a global attribute the writer owns");
        }
    }
}

// Chunk one time step per chunk; deflate (with shuffle) only when level > 0.
void define_storage(const Nc& nc, int varid, const std::string& name, const std::vector<std::size_t>& chunks,
                    int deflate_level) {
    nc.check(nc_def_var_chunking(nc.id, varid, NC_CHUNKED, chunks.data()), "setting chunking of '" + name + "'");
    if (deflate_level > 0) {
        nc.check(nc_def_var_deflate(nc.id, varid, 1, 1, deflate_level), "setting deflate of '" + name + "'");
    }
    nc.check(nc_def_var_fill(nc.id, varid, 0, &fill_value_float), "setting _FillValue of '" + name + "'");
    // Every chunk (one record) is written once and never read back: a cache of one chunk per
    // variable. netCDF's default (16 MiB per variable) kept every record of a run in memory, a few
    // hundred MiB over a 10-day run, outside the memory estimate of docs/resources.md.
    std::size_t chunk_bytes = sizeof(float);
    for (std::size_t c : chunks) chunk_bytes *= c;
    nc.check(nc_set_var_chunk_cache(nc.id, varid, chunk_bytes, 1, 1.0f), "setting the chunk cache of '" + name + "'");
}

void describe_field(const Nc& nc, int varid, const std::string& long_name, const OutputField& f,
                    bool has_2d_latlon) {
    nc.text(varid, "long_name", long_name);
    nc.text(varid, "units", f.units);
    if (f.missing_value)  // the _FillValue marks cells without a value (CF 2.5.1): said twice for older readers
        nc.check(nc_put_att_float(nc.id, varid, "missing_value", NC_FLOAT, 1, &fill_value_float),
                 "writing missing_value of '" + f.name + "'");
    if (!f.standard_name.empty()) nc.text(varid, "standard_name", f.standard_name);
    nc.text(varid, "grid_mapping", crs_name);
    if (has_2d_latlon) nc.text(varid, "coordinates", "lat lon");
}

// The grid_mapping variable "crs" (CF-1.10 Appendix F).
void define_crs(const Nc& nc, const OutputGrid& grid) {
    const int crs = nc.var(crs_name, NC_INT, {});
    switch (grid.projection) {
    case Projection::lambert:
        nc.text(crs, "grid_mapping_name", "lambert_conformal_conic");
        nc.number(crs, "standard_parallel", {grid.truelat1, grid.truelat2});
        nc.number(crs, "longitude_of_central_meridian", {grid.stand_lon});
        nc.number(crs, "latitude_of_projection_origin", {grid.center_lat});
        nc.number(crs, "false_easting", {0.0});
        nc.number(crs, "false_northing", {0.0});
        break;
    case Projection::cartesian:
        nc.text(crs, "grid_mapping_name", "azimuthal_equidistant");
        nc.number(crs, "longitude_of_projection_origin", {grid.center_lon});
        nc.number(crs, "latitude_of_projection_origin", {grid.center_lat});
        nc.number(crs, "false_easting", {0.0});
        nc.number(crs, "false_northing", {0.0});
        break;
    case Projection::polar:
        // The pole of the hemisphere of the true latitude (WRF MAP_PROJ = 2).
        nc.text(crs, "grid_mapping_name", "polar_stereographic");
        nc.number(crs, "straight_vertical_longitude_from_pole", {grid.stand_lon});
        nc.number(crs, "latitude_of_projection_origin", {grid.truelat1 < 0 ? -90.0 : 90.0});
        nc.number(crs, "standard_parallel", {grid.truelat1});
        nc.number(crs, "false_easting", {0.0});
        nc.number(crs, "false_northing", {0.0});
        break;
    case Projection::mercator:
        nc.text(crs, "grid_mapping_name", "mercator");
        nc.number(crs, "longitude_of_projection_origin", {grid.stand_lon});
        nc.number(crs, "standard_parallel", {grid.truelat1});
        nc.number(crs, "false_easting", {0.0});
        nc.number(crs, "false_northing", {0.0});
        break;
    case Projection::latlon:
        nc.text(crs, "grid_mapping_name", "latitude_longitude");
        break;
    }
    nc.number(crs, "earth_radius", {grid.earth_radius_m});
    if (!grid.crs_wkt.empty()) nc.text(crs, "crs_wkt", grid.crs_wkt);  // CF-1.10 section 5.6.1
}

// Coordinates x, y (and 2-D lat, lon on projected grids), the grid mapping "crs" and the static
// fields of the grid (OutputGrid::static_fields, one variable each).
struct HorizontalVars {
    int x = -1, y = -1, lat = -1, lon = -1;
    std::vector<int> statics;
};

HorizontalVars define_horizontal(const Nc& nc, const OutputGrid& grid, int y_dim, int x_dim) {
    const bool latlon = grid.projection == Projection::latlon;
    HorizontalVars h;
    h.x = nc.var("x", NC_DOUBLE, {x_dim});
    h.y = nc.var("y", NC_DOUBLE, {y_dim});
    if (latlon) {
        nc.text(h.x, "standard_name", "longitude");
        nc.text(h.x, "long_name", "longitude");
        nc.text(h.x, "units", "degrees_east");
        nc.text(h.y, "standard_name", "latitude");
        nc.text(h.y, "long_name", "latitude");
        nc.text(h.y, "units", "degrees_north");
    } else {
        nc.text(h.x, "standard_name", "projection_x_coordinate");
        nc.text(h.x, "long_name", "x coordinate of projection");
        nc.text(h.x, "units", "m");
        nc.text(h.y, "standard_name", "projection_y_coordinate");
        nc.text(h.y, "long_name", "y coordinate of projection");
        nc.text(h.y, "units", "m");
    }
    nc.text(h.x, "axis", "X");
    nc.text(h.y, "axis", "Y");
    if (!latlon) {
        h.lat = nc.var("lat", NC_DOUBLE, {y_dim, x_dim});
        nc.text(h.lat, "standard_name", "latitude");
        nc.text(h.lat, "long_name", "latitude of cell centre");
        nc.text(h.lat, "units", "degrees_north");
        h.lon = nc.var("lon", NC_DOUBLE, {y_dim, x_dim});
        nc.text(h.lon, "standard_name", "longitude");
        nc.text(h.lon, "long_name", "longitude of cell centre");
        nc.text(h.lon, "units", "degrees_east");
    }
    define_crs(nc, grid);
    for (const MapField& f : grid.static_fields) {
        const int v = nc.var(f.name, NC_DOUBLE, {y_dim, x_dim});
        nc.text(v, "long_name", f.long_name);
        nc.text(v, "units", f.units);
        if (!f.standard_name.empty()) nc.text(v, "standard_name", f.standard_name);
        if (!f.cell_methods.empty()) nc.text(v, "cell_methods", f.cell_methods);
        nc.text(v, "grid_mapping", crs_name);
        if (!latlon) nc.text(v, "coordinates", "lat lon");
        for (const auto& [key, value] : f.attributes) nc.text(v, key, value);
        h.statics.push_back(v);
    }
    return h;
}

void put_horizontal(const Nc& nc, const OutputGrid& grid, const HorizontalVars& h) {
    nc.put(h.x, "x", grid.x);
    nc.put(h.y, "y", grid.y);
    if (h.lat >= 0) {
        nc.put(h.lat, "lat", grid.lat);
        nc.put(h.lon, "lon", grid.lon);
    }
    for (std::size_t k = 0; k < h.statics.size(); ++k)
        nc.put(h.statics[k], grid.static_fields[k].name, grid.static_fields[k].values);
}

void write_global_attributes(const Nc& nc, const OutputMetadata& meta) {
    nc.text(NC_GLOBAL, "Conventions", "CF-1.10");
    nc.text(NC_GLOBAL, "title", meta.title);
    nc.text(NC_GLOBAL, "institution", "Lantian user");
    nc.text(NC_GLOBAL, "source", "Lantian atmospheric dispersion model");
    nc.text(NC_GLOBAL, "history", meta.history);
    nc.text(NC_GLOBAL, "references", "https://cfconventions.org");
    nc.text(NC_GLOBAL, "lantian_config", meta.config_text);
    nc.text(NC_GLOBAL, "lantian_reference_time", meta.reference_time);
    for (const auto& [key, value] : meta.extra_attributes) nc.text(NC_GLOBAL, key, value);
    nc.text(NC_GLOBAL, status_attribute, status_in_progress);
}

}  // namespace

NetcdfWriter::NetcdfWriter(std::string path, const OutputGrid& grid, std::vector<OutputField> fields,
                           const OutputMetadata& meta, bool fields_3d, int deflate_level, const Parallel* collective)
    : path_(std::move(path)),
      partial_path_(path_ + ".partial"),
      nx_(grid.nx),
      ny_(grid.ny),
      nz_(grid.nz),
      fields_3d_(fields_3d),
      fields_(std::move(fields)),
      par_(collective != nullptr && collective->split() ? collective : nullptr) {
    check_grid(grid);
    check_inputs(fields_, meta, deflate_level);

    const Nc create_nc{-1, partial_path_};
    if (par_ != nullptr) {
#ifdef LANTIAN_HAVE_MPI
        create_nc.check(nc_create_par(partial_path_.c_str(), NC_NETCDF4 | NC_CLOBBER, par_->comm().handle(), MPI_INFO_NULL, &ncid_),
                        "creating file for collective (MPI-IO) writes");
#else
        throw std::runtime_error(partial_path_ + ": collective writes need the MPI build");
#endif
    } else {
        create_nc.check(nc_create(partial_path_.c_str(), NC_NETCDF4 | NC_CLOBBER, &ncid_), "creating file");
    }
    const Nc nc{ncid_, partial_path_};
    try {
        const auto nx = static_cast<std::size_t>(nx_);
        const auto ny = static_cast<std::size_t>(ny_);
        const auto nz = static_cast<std::size_t>(nz_);
        const bool latlon = grid.projection == Projection::latlon;

        const int time_dim = nc.dim("time", NC_UNLIMITED);
        const int y_dim = nc.dim("y", ny);
        const int x_dim = nc.dim("x", nx);
        const int z_dim = nc.dim("z", nz);
        const int nv_dim = nc.dim("nv", bounds_vertices);

        time_var_ = nc.var("time", NC_DOUBLE, {time_dim});
        nc.text(time_var_, "standard_name", "time");
        nc.text(time_var_, "long_name", "time");
        nc.text(time_var_, "units", "hours since " + meta.reference_time);
        nc.text(time_var_, "calendar", "standard");
        nc.text(time_var_, "axis", "T");

        const HorizontalVars h = define_horizontal(nc, grid, y_dim, x_dim);

        const int z_var = nc.var("z", NC_DOUBLE, {z_dim});
        nc.text(z_var, "standard_name", "height");
        nc.text(z_var, "long_name", "height of layer centre above ground");
        nc.text(z_var, "units", "m");
        nc.text(z_var, "positive", "up");
        nc.text(z_var, "axis", "Z");
        nc.text(z_var, "bounds", "z_bnds");
        const int z_bnds_var = nc.var("z_bnds", NC_DOUBLE, {z_dim, nv_dim});

        for (const auto& f : fields_) {
            const int v2 = nc.var(f.name, NC_FLOAT, {time_dim, y_dim, x_dim});
            define_storage(nc, v2, f.name, {1, ny, nx}, deflate_level);
            describe_field(nc, v2, f.long_name, f, !latlon);
            var2d_.push_back(v2);

            int v3 = -1;
            if (fields_3d_ && f.has_3d) {
                const std::string name_3d = f.name + "_3d";
                v3 = nc.var(name_3d, NC_FLOAT, {time_dim, z_dim, y_dim, x_dim});
                define_storage(nc, v3, name_3d, {1, nz, ny, nx}, deflate_level);
                describe_field(nc, v3, "3-D " + f.long_name, f, !latlon);
            }
            var3d_.push_back(v3);
        }

        write_global_attributes(nc, meta);
        nc.check(nc_enddef(ncid_), "leaving define mode");
        collective_access();

        // z_bnds(k, 0) = lower face, z_bnds(k, 1) = upper face (m above ground)
        std::vector<double> z_bnds(nz * bounds_vertices);
        for (std::size_t k = 0; k < nz; ++k) {
            z_bnds[k * bounds_vertices] = grid.z_face_m[k];
            z_bnds[k * bounds_vertices + 1] = grid.z_face_m[k + 1];
        }
        put_horizontal(nc, grid, h);
        nc.put(z_var, "z", grid.z_center_m);
        nc.put(z_bnds_var, "z_bnds", z_bnds);
        nc.check(nc_sync(ncid_), "syncing header");
    } catch (...) {
        // The destructor does not run for a half-built object: close and drop the unusable file.
        nc_close(ncid_);
        std::remove(partial_path_.c_str());
        closed_ = true;
        throw;
    }
}

void NetcdfWriter::collective_access() {
#ifdef LANTIAN_HAVE_MPI
    if (par_ == nullptr) return;
    int nvars = 0;
    nc_inq_nvars(ncid_, &nvars);
    const Nc nc{ncid_, partial_path_};
    for (int v = 0; v < nvars; ++v) nc.check(nc_var_par_access(ncid_, v, NC_COLLECTIVE), "setting collective access");
#endif
}

NetcdfWriter::~NetcdfWriter() {
    if (closed_) return;
    try {
        abandon("writer destroyed before finish");
    } catch (...) {
        // A destructor must not throw; the file keeps its ".partial" or ".incomplete.nc" name.
    }
}

void NetcdfWriter::write_record(double hours_since_reference, const std::vector<std::vector<float>>& surface,
                                const std::vector<std::vector<float>>& volume) {
    if (closed_) throw std::logic_error(partial_path_ + ": write_record after the file was closed");
    const auto nx = static_cast<std::size_t>(nx_);
    const auto ny = static_cast<std::size_t>(ny_);
    const auto nz = static_cast<std::size_t>(nz_);
    const bool any_3d = std::any_of(var3d_.begin(), var3d_.end(), [](int v) { return v >= 0; });

    require_size(surface.size(), fields_.size(), "write_record: surface (one entry per field)");
    for (std::size_t f = 0; f < fields_.size(); ++f) {
        require_size(surface[f].size(), ny * nx, "write_record: surface field '" + fields_[f].name + "'");
    }
    if (any_3d || !volume.empty()) {
        require_size(volume.size(), fields_.size(), "write_record: volume (one entry per field)");
        for (std::size_t f = 0; f < fields_.size(); ++f) {
            const std::size_t expected = var3d_[f] >= 0 ? nz * ny * nx : 0;
            require_size(volume[f].size(), expected, "write_record: volume field '" + fields_[f].name + "'");
        }
    }

    const Nc nc{ncid_, partial_path_};
    const std::string record = " (record " + std::to_string(records_) + ")";
    const auto t = static_cast<std::size_t>(records_);
    // Collective: this rank's block, packed; otherwise the whole grid as given.
    const Box b = par_ != nullptr ? par_->own() : Box{0, nx_, 0, ny_};
    const auto bi = static_cast<std::size_t>(b.i0), bj = static_cast<std::size_t>(b.j0);
    const auto bnx = static_cast<std::size_t>(b.i1 - b.i0), bny = static_cast<std::size_t>(b.j1 - b.j0);
    std::vector<float> block;
    auto pack = [&](const std::vector<float>& whole, std::size_t layers) -> const float* {
        if (par_ == nullptr) return whole.data();
        block.resize(layers * bny * bnx);
        std::size_t at = 0;
        for (std::size_t k = 0; k < layers; ++k)
            for (std::size_t j = bj; j < bj + bny; ++j)
                for (std::size_t i = bi; i < bi + bnx; ++i) block[at++] = whole[(k * ny + j) * nx + i];
        return block.data();
    };
    for (std::size_t f = 0; f < fields_.size(); ++f) {
        const std::array<std::size_t, 3> start{t, bj, bi};
        const std::array<std::size_t, 3> count{1, bny, bnx};
        nc.check(nc_put_vara_float(ncid_, var2d_[f], start.data(), count.data(), pack(surface[f], 1)),
                 "writing '" + fields_[f].name + "'" + record);
        if (var3d_[f] >= 0) {
            const std::array<std::size_t, 4> start3{t, 0, bj, bi};
            const std::array<std::size_t, 4> count3{1, nz, bny, bnx};
            nc.check(nc_put_vara_float(ncid_, var3d_[f], start3.data(), count3.data(), pack(volume[f], nz)),
                     "writing '" + fields_[f].name + "_3d'" + record);
        }
    }
    // time last: a reader that sees the time value also sees the fields of that record
    const std::size_t one = 1;
    nc.check(nc_put_vara_double(ncid_, time_var_, &t, &one, &hours_since_reference), "writing 'time'" + record);
    nc.check(nc_sync(ncid_), "syncing" + record);
    ++records_;
}

void NetcdfWriter::write_budget(const std::vector<std::string>& term_names, const std::vector<BudgetRow>& rows) {
    if (closed_) throw std::logic_error(partial_path_ + ": write_budget after the file was closed");
    if (term_names.empty()) throw std::invalid_argument("NetcdfWriter::write_budget: no budget terms given");
    std::string joined;
    for (const auto& term : term_names) {
        if (term.empty() || term.find_first_of(" \t\n") != std::string::npos) {
            throw std::invalid_argument("NetcdfWriter::write_budget: budget term '" + term +
                                        "': must be non-empty and contain no whitespace");
        }
        joined += (joined.empty() ? "" : " ") + term;
    }
    for (const auto& row : rows) {
        if (row.species.empty()) throw std::invalid_argument("NetcdfWriter::write_budget: empty species name");
        require_size(row.values_kg.size(), term_names.size(), "write_budget: row '" + row.species + "'");
    }

    const Nc nc{ncid_, partial_path_};
    int existing = -1;
    if (nc_inq_dimid(ncid_, "budget_term", &existing) == NC_NOERR) {
        throw std::logic_error(partial_path_ + ": write_budget called twice");
    }
    nc.check(nc_redef(ncid_), "entering define mode for the budget");
    const int term_dim = nc.dim("budget_term", term_names.size());
    std::vector<int> varids;
    for (const auto& row : rows) {
        const std::string name = "budget_" + row.species;
        const int v = nc.var(name, NC_DOUBLE, {term_dim});
        nc.text(v, "units", "kg");
        nc.text(v, "long_name", "mass budget of " + row.species + " over the run");
        nc.text(v, "budget_terms", joined);
        varids.push_back(v);
    }
    nc.text(NC_GLOBAL, "lantian_budget_terms", joined);
    nc.check(nc_enddef(ncid_), "leaving define mode after the budget");
    collective_access();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        nc.put(varids[r], "budget_" + rows[r].species, rows[r].values_kg);
    }
    nc.check(nc_sync(ncid_), "syncing the budget");
}

void NetcdfWriter::finish() {
    if (closed_) throw std::logic_error(partial_path_ + ": finish after the file was closed");
    const Nc nc{ncid_, partial_path_};
    nc.text(NC_GLOBAL, status_attribute, status_complete);
    closed_ = true;
    nc.check(nc_close(ncid_), "closing");
    if (par_ != nullptr && par_->rank() != 0) {
        par_->comm().barrier();  // the first rank renames
        return;
    }
    if (std::rename(partial_path_.c_str(), path_.c_str()) != 0) {
        const int rename_errno = errno;
        throw std::runtime_error("renaming " + partial_path_ + " to " + path_ + ": " + std::strerror(rename_errno));
    }
    if (par_ != nullptr) par_->comm().barrier();
}

void NetcdfWriter::resume_from(const std::string& old_file, int records) {
    if (records <= 0) return;
    int oid = -1;
    const Nc old{-1, old_file};
    old.check(nc_open(old_file.c_str(), NC_NOWRITE, &oid), "opening the output to continue");
    const Nc self{ncid_, partial_path_};
    auto copy = [&](const std::string& name, int to_var, std::size_t per_record) {
        int vid = -1;
        if (nc_inq_varid(oid, name.c_str(), &vid) != NC_NOERR) {
            nc_close(oid);
            throw std::runtime_error(old_file + ": variable '" + name + "' is missing: not the output of this configuration");
        }
        int ndims = 0;
        nc_inq_varndims(oid, vid, &ndims);
        std::vector<int> dims(ndims);
        nc_inq_vardimid(oid, vid, dims.data());
        std::vector<std::size_t> start(ndims, 0), count(ndims, 0);
        for (int d = 0; d < ndims; ++d) nc_inq_dimlen(oid, dims[d], &count[d]);
        if (count[0] < static_cast<std::size_t>(records)) {
            nc_close(oid);
            throw std::runtime_error(old_file + ": holds " + std::to_string(count[0]) + " records, the checkpoint says " +
                                     std::to_string(records));
        }
        count[0] = static_cast<std::size_t>(records);
        if (par_ != nullptr && ndims >= 3) {  // this rank's block
            const Box b = par_->own();
            start[ndims - 2] = static_cast<std::size_t>(b.j0);
            start[ndims - 1] = static_cast<std::size_t>(b.i0);
            count[ndims - 2] = static_cast<std::size_t>(b.j1 - b.j0);
            count[ndims - 1] = static_cast<std::size_t>(b.i1 - b.i0);
            per_record = per_record / (static_cast<std::size_t>(nx_) * ny_) * count[ndims - 2] * count[ndims - 1];
        }
        if (name == "time") {
            std::vector<double> buf(count[0]);
            old.check(nc_get_vara_double(oid, vid, start.data(), count.data(), buf.data()), "reading time");
            self.check(nc_put_vara_double(ncid_, to_var, start.data(), count.data(), buf.data()), "copying time");
            return;
        }
        std::vector<float> buf(per_record * count[0]);
        old.check(nc_get_vara_float(oid, vid, start.data(), count.data(), buf.data()), "reading '" + name + "'");
        self.check(nc_put_vara_float(ncid_, to_var, start.data(), count.data(), buf.data()), "copying '" + name + "'");
    };
    const std::size_t plane = static_cast<std::size_t>(nx_) * ny_;
    copy("time", time_var_, 1);
    for (std::size_t f = 0; f < fields_.size(); ++f) {
        if (var2d_[f] >= 0) copy(fields_[f].name, var2d_[f], plane);
        if (f < var3d_.size() && var3d_[f] >= 0) copy(fields_[f].name + "_3d", var3d_[f], plane * nz_);
    }
    nc_close(oid);
    records_ = records;
    self.check(nc_sync(ncid_), "syncing");
}

std::string NetcdfWriter::abandon(const std::string& reason) {
    if (closed_) throw std::logic_error(partial_path_ + ": abandon after the file was closed");
    // Close and rename even when marking fails: the name alone already says "incomplete".
    const std::string status = "incomplete: " + reason;
    const int status_mark = nc_put_att_text(ncid_, NC_GLOBAL, status_attribute, status.size(), status.c_str());
    closed_ = true;
    const int status_close = nc_close(ncid_);
    const std::string target = incomplete_path_for(path_);
    if (par_ != nullptr && par_->rank() != 0) return target;
    if (std::rename(partial_path_.c_str(), target.c_str()) != 0) {
        const int rename_errno = errno;
        throw std::runtime_error("renaming " + partial_path_ + " to " + target + ": " + std::strerror(rename_errno));
    }
    // Marking or closing may fail (the disk that stopped the run is still full): the name already
    // says "incomplete", so the file is kept as it is.
    (void)status_mark;
    (void)status_close;
    return target;
}

void write_map_file(const std::string& path, const OutputGrid& grid, const std::vector<MapField>& fields,
                    const OutputMetadata& meta, int deflate_level) {
    check_grid(grid);
    check_inputs({}, meta, deflate_level);
    const std::string partial = path + ".partial";
    int id = -1;
    const Nc create_nc{-1, partial};
    create_nc.check(nc_create(partial.c_str(), NC_NETCDF4 | NC_CLOBBER, &id), "creating file");
    const Nc nc{id, partial};
    try {
        const auto nx = static_cast<std::size_t>(grid.nx), ny = static_cast<std::size_t>(grid.ny);
        const int y_dim = nc.dim("y", ny), x_dim = nc.dim("x", nx);
        const HorizontalVars h = define_horizontal(nc, grid, y_dim, x_dim);
        const bool has_2d_latlon = grid.projection != Projection::latlon;
        std::vector<int> vars;
        for (const MapField& f : fields) {
            require_size(f.values.size(), ny * nx, "map field '" + f.name + "'");
            const int v = nc.var(f.name, NC_DOUBLE, {y_dim, x_dim});
            if (deflate_level > 0) nc.check(nc_def_var_deflate(id, v, 1, 1, deflate_level), "setting deflate of '" + f.name + "'");
            nc.text(v, "long_name", f.long_name);
            nc.text(v, "units", f.units);
            if (!f.standard_name.empty()) nc.text(v, "standard_name", f.standard_name);
            if (!f.cell_methods.empty()) nc.text(v, "cell_methods", f.cell_methods);
            nc.text(v, "grid_mapping", crs_name);
            if (has_2d_latlon) nc.text(v, "coordinates", "lat lon");
            for (const auto& [key, value] : f.attributes) nc.text(v, key, value);
            vars.push_back(v);
        }
        write_global_attributes(nc, meta);
        nc.check(nc_enddef(id), "leaving define mode");
        put_horizontal(nc, grid, h);
        for (std::size_t k = 0; k < fields.size(); ++k) nc.put(vars[k], fields[k].name, fields[k].values);
        nc.text(NC_GLOBAL, status_attribute, status_complete);
        nc.check(nc_close(id), "closing file");
        id = -1;
    } catch (...) {
        if (id >= 0) nc_close(id);
        std::remove(partial.c_str());
        throw;
    }
    if (std::rename(partial.c_str(), path.c_str()) != 0)
        throw std::runtime_error(partial + ": cannot rename to " + path + ": " + std::strerror(errno));
}

}  // namespace lantian
