// The output-path stem rule declared in file_names.hpp.
#include "output/file_names.hpp"

namespace lantian {

std::string strip_nc_suffix(const std::string& path) {
    return path.ends_with(".nc") ? path.substr(0, path.size() - 3) : path;
}

}  // namespace lantian
