// Receptors: stations (points) and cities (circles or polygons) where hourly series are taken,
// how they sample the grid, and the files the series go to (CSV and CF-1.10 discrete-sampling-
// geometry timeSeries NetCDF), written as "<file>.partial" and renamed when complete.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/receptor_spec.hpp"
#include "grid/projection.hpp"

namespace lantian {

class Grid;

// A station or city as the config describes it (the grammar is config/receptor_spec.hpp).
using Receptor = ReceptorSpec;

// Parses receptors.stations / receptors.cities; ConfigError "receptors.KEY: 'ITEM': reason".
inline std::vector<Receptor> parse_receptors(const ReceptorsConfig& cfg) { return parse_receptor_specs(cfg); }

// Whether a city (circle or polygon) contains a point.
bool city_contains(const Receptor& city, double lon, double lat);

// Weights of grid columns for each receptor: bilinear for stations, equal-area mean of the cells
// whose centres lie inside for cities. ConfigError naming the receptor when it lies outside the
// domain or a city covers no cell centre.
class ReceptorSampler {
public:
    ReceptorSampler(const Grid& grid, std::vector<Receptor> receptors);
    const std::vector<Receptor>& receptors() const { return receptors_; }
    // Value of each receptor from a field on the grid's columns (ny*nx).
    std::vector<double> sample(const std::vector<double>& field) const;
    // The value of each receptor's own column, for quantities that must not be averaged (pH): a
    // station's is the cell it lies in (centre nearest, clamped at the edges), a city's the cell
    // among its own whose centre is nearest the city's centre.
    std::vector<double> sample_own_cell(const std::vector<double>& field) const;
    std::size_t cells_of(std::size_t r) const { return weights_[r].size(); }

private:
    std::vector<Receptor> receptors_;
    std::vector<std::vector<std::pair<std::size_t, double>>> weights_;
    std::vector<std::size_t> own_cell_;  // per receptor, the column (j*nx + i)
};

struct SeriesVariable {
    std::string name, long_name, units;
    std::string standard_name;  // CF standard name, "" when CF has none
};

// Hourly series of every variable at every receptor: <stem>_receptors.csv and .nc.
class ReceptorWriter {
public:
    ReceptorWriter(const std::string& output_file, const std::vector<Receptor>& receptors,
                   std::vector<SeriesVariable> variables, const std::string& reference_time, const std::string& title);
    ~ReceptorWriter();
    ReceptorWriter(const ReceptorWriter&) = delete;
    ReceptorWriter& operator=(const ReceptorWriter&) = delete;
    // values[variable][receptor]
    void write(double hours_since_reference, const std::vector<std::vector<double>>& values);
    void finish();
    void abandon();
    // Restart: copies the first `records` records from an earlier run's series (NetCDF and CSV).
    void resume_from(const std::string& old_nc, const std::string& old_csv, int records);
    const std::string& netcdf_path() const { return nc_path_; }
    const std::string& csv_path() const { return csv_path_; }

private:
    std::string nc_path_, csv_path_;
    int ncid_ = -1, time_var_ = -1;
    std::vector<int> vars_;
    std::vector<SeriesVariable> variables_;
    std::vector<Receptor> receptors_;
    std::size_t records_ = 0;
    double reference_epoch_s_ = 0;
    struct CsvFile;
    CsvFile* csv_ = nullptr;
    bool closed_ = false;
};

// "<stem>_receptors.nc" for an output file "<stem>.nc".
std::string receptor_file_for(const std::string& output_file, const std::string& extension);

}  // namespace lantian
