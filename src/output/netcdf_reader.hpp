// A NetCDF file open for reading (the run's output, its receptor series, wrfout files, gridded
// inventories). Every failure is a ConfigError that names the file and what was being read.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace lantian {

class NcReader {
public:
    // Opens `path` read-only; on failure throws "path: <on_open_failure>: <netCDF reason>".
    // `missing_hint` is appended to the messages about a missing variable or dimension, e.g.
    // " (not a wrfout file?)".
    NcReader(std::string path, const std::string& on_open_failure, std::string missing_hint = "");
    ~NcReader();
    NcReader(const NcReader&) = delete;
    NcReader& operator=(const NcReader&) = delete;

    int id() const { return id_; }
    const std::string& path() const { return path_; }

    // Throws "path: <what>: <netCDF reason>" unless status is NC_NOERR.
    void check(int status, const std::string& what) const;

    std::optional<int> find_var(const std::string& name) const;
    int var(const std::string& name) const;          // throws "path: variable NAME is missing"
    std::size_t dim(const std::string& name) const;  // throws "path: dimension NAME is missing"
    std::size_t size(int var) const;                 // number of values of a variable
    // A text attribute of a variable (or NC_GLOBAL); "" when it is absent.
    std::string text_att(int var, const std::string& name) const;
    // A whole variable as doubles; throws unless it holds `expected` values.
    std::vector<double> doubles(int var, std::size_t expected) const;
    std::vector<double> doubles(const std::string& name, std::size_t expected) const;

private:
    std::string name_of(int var) const;
    std::string path_;
    std::string missing_hint_;
    int id_ = -1;
};

}  // namespace lantian
