// Checkpoint files in HDF5: writing (as .partial, renamed when complete), reading with checks that
// name the file and what is wrong, and the configuration hash a restart must match.
#include "simulation/checkpoint.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <filesystem>
#include <sstream>

#include "config/config_parser.hpp"
#include "output/storage.hpp"

#ifndef LANTIAN_VERSION
#define LANTIAN_VERSION "0.1.0"
#endif

namespace lantian {

namespace {

constexpr const char* kFormatName = "lantian-checkpoint";

// Scalars in a fixed order (a 1-D double dataset "clock").
enum Clock { kTime, kPlume, kLastMid, kStepIndex, kSteps, kMinDt, kMaxDt, kRecords, kNx, kNy, kNz, kNspec, kClockWords };

void fail_write(const std::string& path, const std::string& what) {
    throw std::runtime_error(path + ": writing the checkpoint failed: " + what + storage_hint(path));
}

void put_string(hid_t loc, const char* name, const std::string& value, const std::string& path) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, value.empty() ? 1 : value.size());
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    const std::string text = value.empty() ? std::string(1, '\0') : value;
    const herr_t st = attr < 0 ? -1 : H5Awrite(attr, type, text.data());
    if (attr >= 0) H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
    if (st < 0) fail_write(path, std::string("attribute ") + name);
}

// Datasets are chunked with HDF5's Fletcher-32 checksum filter, so that bytes damaged on disk make
// the read fail (a ConfigError naming the dataset) instead of restarting from wrong values.
constexpr hsize_t kChunkWords = hsize_t{1} << 16;

void put_doubles(hid_t file, const char* name, const std::vector<double>& v, const std::string& path) {
    const hsize_t n = v.size();
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (n > 0) {
        const hsize_t chunk = std::min(n, kChunkWords);
        H5Pset_chunk(dcpl, 1, &chunk);
        H5Pset_fletcher32(dcpl);
    }
    const hid_t set = H5Dcreate2(file, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Pclose(dcpl);
    const herr_t st = set < 0 ? -1 : (n == 0 ? 0 : H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()));
    if (set >= 0) H5Dclose(set);
    H5Sclose(space);
    if (st < 0) fail_write(path, std::string("dataset ") + name);
}

std::string get_string(hid_t loc, const char* name, const std::string& path) {
    if (H5Aexists(loc, name) <= 0) throw ConfigError("checkpoint " + path + ": attribute '" + name + "' is missing: not a Lantian checkpoint");
    const hid_t attr = H5Aopen(loc, name, H5P_DEFAULT);
    const hid_t type = H5Aget_type(attr);
    const std::size_t size = H5Tget_size(type);
    std::string out(size, '\0');
    const hid_t mem = H5Tcopy(H5T_C_S1);
    H5Tset_size(mem, size);
    const herr_t st = H5Aread(attr, mem, out.data());
    H5Tclose(mem);
    H5Tclose(type);
    H5Aclose(attr);
    if (st < 0) throw ConfigError("checkpoint " + path + ": attribute '" + name + "' cannot be read: the file is damaged");
    while (!out.empty() && out.back() == '\0') out.pop_back();
    return out;
}

std::vector<double> get_doubles(hid_t file, const char* name, std::size_t expected, const std::string& path) {
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0)
        throw ConfigError("checkpoint " + path + ": dataset '" + name + "' is missing: the file is truncated or not a Lantian checkpoint");
    const hid_t set = H5Dopen2(file, name, H5P_DEFAULT);
    const hid_t space = H5Dget_space(set);
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    H5Sclose(space);
    if (n < 0 || static_cast<std::size_t>(n) != expected) {
        H5Dclose(set);
        throw ConfigError("checkpoint " + path + ": dataset '" + name + "' holds " + std::to_string(n) + " values, expected " +
                          std::to_string(expected));
    }
    std::vector<double> v(expected);
    const herr_t st = expected == 0 ? 0 : H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    H5Dclose(set);
    if (st < 0) throw ConfigError("checkpoint " + path + ": dataset '" + name + "' cannot be read: the file is truncated or damaged");
    return v;
}

// A value a run cannot continue from (NaN, infinite, below `lowest`) is a damaged file: named here
// rather than found hours later as a non-physical field.
void check_values(const std::vector<double>& v, const char* name, double lowest, const std::string& what,
                  const std::string& path) {
    for (std::size_t k = 0; k < v.size(); ++k)
        if (!std::isfinite(v[k]) || v[k] < lowest)
            throw ConfigError("checkpoint " + path + ": dataset '" + name + "'[" + std::to_string(k) + "] = " +
                              std::to_string(v[k]) + ": " + what + "; the file is damaged");
}

}  // namespace

std::string checkpoint_config_text(const Config& cfg) {
    std::istringstream in(to_ini(cfg));
    std::ostringstream out;
    std::string line, section;
    for (; std::getline(in, line);) {
        if (!line.empty() && line[0] == '[') section = line;
        const std::string key = line.substr(0, line.find(' '));
        if (section == "[parallel]" || section == "[checkpoint]") continue;
        if (section == "[run]" && (key == "hours" || key == "log_interval_h" || key == "min_dt_s")) continue;
        out << line << "\n";
    }
    return out.str();
}

std::string config_hash(const std::string& text) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

void write_checkpoint(const std::string& path, const Checkpoint& c) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const std::string partial = path + ".partial";
    const hid_t file = H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file < 0) {
        std::remove(partial.c_str());  // a failed create may leave an empty file behind
        fail_write(partial, "cannot create the file");
    }
    try {
        put_string(file, "format", std::string(kFormatName) + " " + std::to_string(c.format), partial);
        put_string(file, "lantian_version", c.version, partial);
        put_string(file, "config_hash", c.config_hash, partial);
        put_string(file, "config", c.config_text, partial);
        std::vector<double> clock(kClockWords);
        clock[kTime] = c.t_s;
        clock[kPlume] = c.plume_t_s;
        clock[kLastMid] = c.last_mid_t_s;
        clock[kStepIndex] = static_cast<double>(c.step_index);
        clock[kSteps] = static_cast<double>(c.steps);
        clock[kMinDt] = c.min_dt_s;
        clock[kMaxDt] = c.max_dt_s;
        clock[kRecords] = c.records;
        clock[kNx] = c.nx;
        clock[kNy] = c.ny;
        clock[kNz] = c.nz;
        clock[kNspec] = c.nspec;
        put_doubles(file, "clock", clock, partial);
        put_doubles(file, "air_mass_kg", c.air_mass_kg, partial);
        put_doubles(file, "q_ug_kg", c.q, partial);
        put_doubles(file, "ledger_kg", c.ledger, partial);
        std::string words;
        for (const auto& w : c.ledger_words) words += (words.empty() ? "" : " ") + w;
        put_string(file, "ledger_words", words, partial);
    } catch (...) {
        H5Fclose(file);
        std::remove(partial.c_str());
        throw;
    }
    if (H5Fclose(file) < 0) {
        // The message (and its full-disk hint) before the partial file is removed: removing it frees
        // the space whose lack made the close fail (HDF5 flushes its cache there).
        const std::string message = partial + ": writing the checkpoint failed: closing" + storage_hint(partial);
        std::remove(partial.c_str());
        throw std::runtime_error(message);
    }
    if (std::rename(partial.c_str(), path.c_str()) != 0) fail_write(path, "renaming " + partial);
}

Checkpoint read_checkpoint(const std::string& path) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    if (!std::filesystem::exists(path)) throw ConfigError("checkpoint " + path + ": no such file");
    if (H5Fis_hdf5(path.c_str()) <= 0)
        throw ConfigError("checkpoint " + path + ": not an HDF5 file (truncated, or not a checkpoint)");
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) throw ConfigError("checkpoint " + path + ": cannot be opened as HDF5 (truncated or damaged)");
    Checkpoint c;
    try {
        const std::string format = get_string(file, "format", path);
        c.version = get_string(file, "lantian_version", path);
        const std::string expected = std::string(kFormatName) + " " + std::to_string(kCheckpointFormat);
        if (format != expected)
            throw ConfigError("checkpoint " + path + ": format '" + format + "' written by Lantian " + c.version +
                              "; this Lantian " + LANTIAN_VERSION + " reads '" + expected + "'");
        if (c.version != LANTIAN_VERSION)
            throw ConfigError("checkpoint " + path + ": written by Lantian " + c.version + "; this is Lantian " +
                              LANTIAN_VERSION + " (restart with the version that wrote it)");
        c.config_hash = get_string(file, "config_hash", path);
        c.config_text = get_string(file, "config", path);
        const std::vector<double> clock = get_doubles(file, "clock", kClockWords, path);
        check_values(clock, "clock", -std::numeric_limits<double>::max(), "clock words must be finite", path);
        for (const int k : {kTime, kNx, kNy, kNz, kNspec}) {
            const bool count = k != kTime;  // a grid size or the species count, else the time (s)
            if (count ? clock[k] < 1 || clock[k] != std::floor(clock[k]) || clock[k] > 1e9 : clock[k] < 0)
                throw ConfigError("checkpoint " + path + ": dataset 'clock'[" + std::to_string(k) + "] = " + std::to_string(clock[k]) +
                                  (count ? ": a grid size or species count must be a whole number >= 1" : ": the time must be >= 0 s") +
                                  "; the file is damaged");
        }
        c.t_s = clock[kTime];
        c.plume_t_s = clock[kPlume];
        c.last_mid_t_s = clock[kLastMid];
        c.step_index = static_cast<long>(clock[kStepIndex]);
        c.steps = static_cast<long>(clock[kSteps]);
        c.min_dt_s = clock[kMinDt];
        c.max_dt_s = clock[kMaxDt];
        c.records = static_cast<int>(clock[kRecords]);
        c.nx = static_cast<int>(clock[kNx]);
        c.ny = static_cast<int>(clock[kNy]);
        c.nz = static_cast<int>(clock[kNz]);
        c.nspec = static_cast<int>(clock[kNspec]);
        const std::size_t cells = static_cast<std::size_t>(c.nx) * c.ny * c.nz;
        c.air_mass_kg = get_doubles(file, "air_mass_kg", cells, path);
        check_values(c.air_mass_kg, "air_mass_kg", std::numeric_limits<double>::min(), "air mass must be finite and > 0 kg", path);
        c.q = get_doubles(file, "q_ug_kg", cells * c.nspec, path);
        check_values(c.q, "q_ug_kg", 0.0, "mixing ratios must be finite and >= 0", path);
        const hid_t set = H5Lexists(file, "ledger_kg", H5P_DEFAULT) > 0 ? H5Dopen2(file, "ledger_kg", H5P_DEFAULT) : -1;
        std::size_t n = 0;
        if (set >= 0) {
            const hid_t space = H5Dget_space(set);
            n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
            H5Sclose(space);
            H5Dclose(set);
        }
        c.ledger = get_doubles(file, "ledger_kg", n, path);
        check_values(c.ledger, "ledger_kg", -std::numeric_limits<double>::max(), "ledger terms must be finite", path);
        std::istringstream words(get_string(file, "ledger_words", path));
        for (std::string w; words >> w;) c.ledger_words.push_back(w);
    } catch (...) {
        H5Fclose(file);
        throw;
    }
    H5Fclose(file);
    return c;
}

}  // namespace lantian
