// Resource estimate and checks declared in resources.hpp.
#include "simulation/resources.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "config/config.hpp"
#include "output/storage.hpp"

namespace lantian {

namespace {
// Fit of peak RSS (ru_maxrss) on 11 single-rank runs of the default example, 6 400–128 000
// columns, 8–60 layers, 1–100 tracers, OpenMP 2 threads (docs/resources.md): predictions within
// −13% … +25% of the measured peaks.
constexpr double kBaseBytes = 26.0 * 1024 * 1024;
constexpr double kBytesPerColumn = 2650.0;
constexpr double kBytesPerCell = 226.0;
constexpr double kBytesPerTracerCell = 10.2;
// Deflated float fields of a smooth concentration field compress 2–4:1; a run is refused only
// when even 4:1 would not fit.
constexpr double kBestCompression = 4.0;

int g_ranks_on_node = 1;

// "MemTotal:       24567890 kB" -> bytes; 0 when absent.
double meminfo_total_bytes() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    double kib = 0;
    std::string unit;
    while (in >> key >> kib >> unit)
        if (key == "MemTotal:") return kib * 1024.0;
    return 0;
}

// cgroup v2 (memory.max) or v1 (memory.limit_in_bytes) limit of this process; 0 when none.
double cgroup_limit_bytes() {
    for (const char* file : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        std::ifstream in(file);
        std::string text;
        if (!(in >> text) || text == "max") continue;
        try {
            const double v = std::stod(text);
            if (v > 0 && v < 1e18) return v;  // v1 reports ~2^63 for "no limit"
        } catch (const std::exception&) {
        }
    }
    return 0;
}
}  // namespace

double estimated_memory_bytes(double nx, double ny, double nz, int tracers) {
    const double columns = nx * ny;
    const double cells = columns * nz;
    return kBaseBytes + kBytesPerColumn * columns + kBytesPerCell * cells + kBytesPerTracerCell * cells * tracers;
}

double machine_memory_bytes() {
    const double total = meminfo_total_bytes(), limit = cgroup_limit_bytes();
    if (total > 0 && limit > 0) return std::min(total, limit);
    return std::max(total, limit);
}

void set_ranks_on_node(int ranks) { g_ranks_on_node = std::max(1, ranks); }
int ranks_on_node() { return g_ranks_on_node; }

void check_memory(int nx, int ny, int nz, int tracers) {
    const double per_rank = estimated_memory_bytes(nx, ny, nz, tracers);
    const double node = per_rank * ranks_on_node();
    const double machine = machine_memory_bytes();
    if (machine <= 0 || node <= machine) return;
    std::ostringstream m;
    m << "the run needs about " << format_bytes(per_rank) << " of memory per rank (" << nx << " x " << ny << " x " << nz
      << " cells, " << tracers << " tracers: species x scenarios x tags)";
    if (ranks_on_node() > 1) m << ", " << format_bytes(node) << " for the " << ranks_on_node() << " ranks on this node";
    m << ", but this machine has " << format_bytes(machine)
      << "; use a coarser grid (grid.*), fewer species, scenarios or tags, or fewer ranks per node "
         "(estimate: docs/resources.md)";
    throw ConfigError(m.str());
}

std::string check_disk_space(const std::vector<PlannedFile>& files) {
    namespace fs = std::filesystem;
    struct Need {
        StorageInfo storage;
        double bytes = 0, least_bytes = 0;
        std::string example;
    };
    std::map<unsigned long, Need> by_device;
    for (const PlannedFile& f : files) {
        const fs::path parent = fs::absolute(fs::path(f.path)).parent_path();
        std::error_code error;
        const bool folder = fs::is_directory(parent, error);
        if (error && error != std::errc::no_such_file_or_directory)
            throw std::runtime_error(f.path + ": the folder " + parent.string() + " cannot be reached: " + error.message());
        if (!folder)
            throw ConfigError(f.path + ": the folder " + parent.string() + " does not exist (create it, or change output.file / checkpoint.file)");
        if (access(parent.c_str(), W_OK) != 0)
            throw std::runtime_error(f.path + ": the folder " + parent.string() + " is not writable: " + std::strerror(errno));
        struct stat st {};
        if (stat(parent.c_str(), &st) != 0) continue;
        // A file already there (the checkpoint a restart started from) is replaced: only the
        // difference is new space.
        const auto existing = fs::exists(f.path, error) ? fs::file_size(f.path, error) : 0;
        const double bytes = std::max(0.0, f.bytes - (error ? 0.0 : static_cast<double>(existing)));
        const double least = f.compressed ? bytes / kBestCompression : bytes;
        const double limit = static_cast<double>(file_size_limit_bytes());
        if ((f.compressed ? f.bytes / kBestCompression : f.bytes) > limit)
            throw ConfigError(f.path + ": needs about " + format_bytes(f.bytes) + " but the file-size limit of this process is " +
                              format_bytes(limit) + " (ulimit -f)");
        Need& n = by_device[static_cast<unsigned long>(st.st_dev)];
        if (!n.storage.known) n.storage = storage_of(parent.string());
        n.bytes += bytes;
        n.least_bytes += least;
        if (n.example.empty()) n.example = f.path;
    }
    std::ostringstream summary;
    for (const auto& [device, n] : by_device) {
        (void)device;
        if (!n.storage.known) continue;
        const double free = static_cast<double>(n.storage.free_bytes);
        if (n.least_bytes > free) {
            std::ostringstream m;
            m << "the output of this run (" << n.example << " and the files beside it) needs about " << format_bytes(n.bytes);
            if (n.least_bytes < n.bytes) m << " (at least " << format_bytes(n.least_bytes) << " even if compressed 4:1)";
            m << ", but the file system holding " << n.storage.folder << " has " << format_bytes(free)
              << " free; shorten the run (run.hours), write less often (output.interval_h), drop output.fields_3d, or "
                 "write elsewhere (output.file)";
            throw ConfigError(m.str());
        }
        summary << (summary.tellp() > 0 ? "; " : "") << "output about " << format_bytes(n.bytes)
                << (n.least_bytes < n.bytes ? " uncompressed" : "") << ", " << format_bytes(free) << " free on "
                << n.storage.folder;
        if (n.bytes > free)
            summary << " (fits only if compression reaches " << std::max(1.0, n.bytes / std::max(free, 1.0)) << ":1)";
    }
    return summary.str();
}

}  // namespace lantian
