// CF-1.10 NetCDF-4 writer for gridded output. Owns the file's layout, attributes and the
// "never looks complete unless it is" rule (temporary name, rename on finish). Knows nothing of
// the solver: callers hand it finished 2-D/3-D fields in output units.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "parallel/parallel.hpp"

namespace lantian {

// A 2-D field (y, x) of a map file, in its final units.
struct MapField {
    std::string name, long_name, units, standard_name, cell_methods;
    std::map<std::string, std::string> attributes;  // further variable attributes
    std::vector<double> values;                     // ny*nx, row-major (j, i)
};

// Where the grid is and how to describe it in CF terms.
struct OutputGrid {
    Projection projection = Projection::lambert;
    int nx = 0, ny = 0, nz = 0;
    std::vector<double> x;          // nx: projection x of cell centres (m; degrees_east for latlon)
    std::vector<double> y;          // ny: projection y of cell centres (m; degrees_north for latlon)
    std::vector<double> lat;        // ny*nx, degrees_north, row-major (j, i)
    std::vector<double> lon;        // ny*nx, degrees_east
    std::vector<double> z_center_m; // nz, m above ground
    std::vector<double> z_face_m;   // nz+1, m above ground
    // grid_mapping parameters
    double center_lat = 0, center_lon = 0, stand_lon = 0, truelat1 = 0, truelat2 = 0;
    double earth_radius_m = 6370000.0;
    std::string crs_wkt;  // the projected CRS as WKT (crs:crs_wkt); "" = not written
    // Time-independent 2-D fields (y, x) written once with the coordinates, as lat/lon are (e.g.
    // surface_altitude, the terrain height of the weather); none by default.
    std::vector<MapField> static_fields;
};

// One gridded output variable (a species or a diagnostic field).
struct OutputField {
    std::string name;           // NetCDF variable name, e.g. "SO2"
    std::string long_name;      // e.g. "sulfur dioxide mass concentration in the lowest model layer"
    std::string standard_name;  // CF standard name, "" if none
    std::string units;          // e.g. "ug m-3"
    bool has_3d = false;        // also written as NAME_3d(time, z, y, x) when 3-D output is on
    bool missing_value = false; // cells may hold the _FillValue (no value): also a missing_value attribute
};

// Mass budget of one species over the run, kg. Written as variables budget_<NAME>(budget_term).
struct BudgetRow {
    std::string species;
    std::vector<double> values_kg;  // same order as budget term names
};

struct OutputMetadata {
    std::string title;
    std::string reference_time;     // "YYYY-MM-DD HH:MM:SS" UTC; time is "hours since" this
    std::string config_text;        // the resolved configuration (INI text)
    std::string history;            // command line and date
    std::map<std::string, std::string> extra_attributes;  // further global attributes
};

class NetcdfWriter {
public:
    // Creates "<path>.partial" now; it becomes <path> only in finish(). Throws std::runtime_error
    // naming the file on any netCDF error.
    // With `collective` (a decomposed run), every rank of its communicator constructs the writer
    // and calls every member in step: the file is created through HDF5 MPI-IO and each rank writes
    // its own block of the fields (the arrays it passes are whole-grid; only its block is read).
    NetcdfWriter(std::string path, const OutputGrid& grid, std::vector<OutputField> fields,
                 const OutputMetadata& meta, bool fields_3d, int deflate_level, const Parallel* collective = nullptr);
    ~NetcdfWriter();  // not finished -> same as abandon("writer destroyed before finish")
    NetcdfWriter(const NetcdfWriter&) = delete;
    NetcdfWriter& operator=(const NetcdfWriter&) = delete;

    // Appends one time record. surface[f] holds ny*nx values of field f (order as given to the
    // constructor); volume[f] holds nz*ny*nx values (k, j, i) or is empty when 3-D output is off
    // or the field has no 3-D form. Synced to disk before returning.
    void write_record(double hours_since_reference, const std::vector<std::vector<float>>& surface,
                      const std::vector<std::vector<float>>& volume);

    // Mass budget table (optional, at most once, before finish).
    void write_budget(const std::vector<std::string>& term_names, const std::vector<BudgetRow>& rows);

    // Marks the file complete (global attribute lantian_status = "complete"), closes it and
    // renames it to its final path.
    void finish();

    // Marks the file incomplete (lantian_status = "incomplete: <reason>"), closes it and renames it
    // to "<stem>.incomplete.nc" so that it can never be mistaken for a complete run. Returns that path.
    std::string abandon(const std::string& reason);

    // Restart: copies the first `records` records of every variable from `old_file` (an earlier
    // run's output of the same fields) and continues after them.
    void resume_from(const std::string& old_file, int records);
    int records_written() const { return records_; }
    const std::string& partial_path() const { return partial_path_; }

private:
    std::string path_;
    std::string partial_path_;
    int ncid_ = -1;
    int records_ = 0;
    bool closed_ = false;
    int nx_ = 0, ny_ = 0, nz_ = 0;
    bool fields_3d_ = false;
    int time_var_ = -1;
    std::vector<OutputField> fields_;
    std::vector<int> var2d_;
    std::vector<int> var3d_;
    const Parallel* par_ = nullptr;  // collective writes when set
    void collective_access();        // every variable: collective (MPI-IO)
};

// Writes a CF-1.10 NetCDF-4 file of 2-D fields on the grid (coordinates, lat/lon, crs), through
// "<path>.partial" renamed when complete. Throws std::runtime_error naming the file on failure.
void write_map_file(const std::string& path, const OutputGrid& grid, const std::vector<MapField>& fields,
                    const OutputMetadata& meta, int deflate_level);

}  // namespace lantian
