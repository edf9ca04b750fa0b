// Free space, file-size limit and the write-failure hint declared in storage.hpp.
#include "output/storage.hpp"

#include <sys/resource.h>
#include <sys/statvfs.h>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <system_error>

namespace lantian {

namespace {
// Below this a file system counts as full: a NetCDF record or an HDF5 metadata flush of a small
// run needs more.
constexpr std::uint64_t kFullBelowBytes = 1u << 20;  // 1 MiB
}  // namespace

StorageInfo storage_of(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::path p = fs::absolute(path.empty() ? fs::path(".") : fs::path(path), error);
    if (error) return {};
    // The nearest existing folder: the path itself when it is one, else its parents.
    while (!p.empty() && !fs::is_directory(p, error)) {
        if (p == p.parent_path()) return {};
        p = p.parent_path();
    }
    struct statvfs s {};
    if (p.empty() || statvfs(p.c_str(), &s) != 0) return {};
    StorageInfo info;
    info.known = true;
    info.folder = p.string();
    info.free_bytes = static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize;
    info.total_bytes = static_cast<std::uint64_t>(s.f_blocks) * s.f_frsize;
    return info;
}

std::uint64_t file_size_limit_bytes() {
    struct rlimit r {};
    if (getrlimit(RLIMIT_FSIZE, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return std::numeric_limits<std::uint64_t>::max();
    return static_cast<std::uint64_t>(r.rlim_cur);
}

std::string storage_hint(const std::string& path) {
    std::error_code error;
    const std::uint64_t limit = file_size_limit_bytes();
    if (limit != std::numeric_limits<std::uint64_t>::max()) {
        const auto size = std::filesystem::file_size(path, error);
        if (!error && size + kFullBelowBytes >= limit)
            return " (the file-size limit of this process, " + format_bytes(static_cast<double>(limit)) + ", is reached)";
    }
    const StorageInfo s = storage_of(path);
    if (s.known && s.free_bytes < kFullBelowBytes)
        return " (the file system holding " + s.folder + " is full: " + format_bytes(static_cast<double>(s.free_bytes)) +
               " free of " + format_bytes(static_cast<double>(s.total_bytes)) + ")";
    return "";
}

std::string format_bytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (bytes >= 1024.0 && u < 6) {
        bytes /= 1024.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
    return buf;
}

}  // namespace lantian
