// Read access to NetCDF files with errors that name the file; see the header.
#include "output/netcdf_reader.hpp"

#include <netcdf.h>

#include <utility>

#include "config/config.hpp"

namespace lantian {

NcReader::NcReader(std::string path, const std::string& on_open_failure, std::string missing_hint)
    : path_(std::move(path)), missing_hint_(std::move(missing_hint)) {
    int id = -1;
    check(nc_open(path_.c_str(), NC_NOWRITE, &id), on_open_failure);
    id_ = id;
}

NcReader::~NcReader() {
    if (id_ >= 0) nc_close(id_);
}

void NcReader::check(int status, const std::string& what) const {
    if (status != NC_NOERR) throw ConfigError(path_ + ": " + what + ": " + nc_strerror(status));
}

std::optional<int> NcReader::find_var(const std::string& name) const {
    int v = -1;
    if (nc_inq_varid(id_, name.c_str(), &v) != NC_NOERR) return std::nullopt;
    return v;
}

int NcReader::var(const std::string& name) const {
    const auto v = find_var(name);
    if (!v) throw ConfigError(path_ + ": variable " + name + " is missing" + missing_hint_);
    return *v;
}

std::size_t NcReader::dim(const std::string& name) const {
    int d = -1;
    std::size_t n = 0;
    if (nc_inq_dimid(id_, name.c_str(), &d) != NC_NOERR || nc_inq_dimlen(id_, d, &n) != NC_NOERR)
        throw ConfigError(path_ + ": dimension " + name + " is missing" + missing_hint_);
    return n;
}

std::string NcReader::name_of(int var) const {
    char name[NC_MAX_NAME + 1] = {};
    check(nc_inq_varname(id_, var, name), "variable names");
    return name;
}

std::size_t NcReader::size(int var) const {
    int ndims = 0;
    check(nc_inq_varndims(id_, var, &ndims), "variable " + name_of(var));
    std::vector<int> dims(static_cast<std::size_t>(ndims));
    check(nc_inq_vardimid(id_, var, dims.data()), "variable " + name_of(var));
    std::size_t n = 1;
    for (int d : dims) {
        std::size_t len = 0;
        check(nc_inq_dimlen(id_, d, &len), "variable " + name_of(var));
        n *= len;
    }
    return n;
}

std::string NcReader::text_att(int var, const std::string& name) const {
    std::size_t len = 0;
    if (nc_inq_attlen(id_, var, name.c_str(), &len) != NC_NOERR) return "";
    std::string s(len, '\0');
    check(nc_get_att_text(id_, var, name.c_str(), s.data()),
          (var == NC_GLOBAL ? std::string("global attribute ") : "variable '" + name_of(var) + "': attribute ") + name);
    return s;
}

std::vector<double> NcReader::doubles(int var, std::size_t expected) const {
    const std::size_t n = size(var);
    if (n != expected)
        throw ConfigError(path_ + ": variable " + name_of(var) + " has " + std::to_string(n) + " values, expected " +
                          std::to_string(expected));
    std::vector<double> out(n);
    check(nc_get_var_double(id_, var, out.data()), "reading " + name_of(var));
    return out;
}

std::vector<double> NcReader::doubles(const std::string& name, std::size_t expected) const {
    return doubles(var(name), expected);
}

}  // namespace lantian
