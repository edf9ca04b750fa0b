// Checkpoint files (HDF5): everything a run needs to continue exactly where it stopped — the
// prognostic state, the mass ledger, the clock and the records written — with the hash of the
// configuration that produced it. Written by one rank as FILE.partial and renamed, so a
// checkpoint that exists is complete. Format: docs/parallel.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace lantian {

// 2: the ledger is stored with the names of its words (terms declared by the processes).
inline constexpr int kCheckpointFormat = 2;

struct Checkpoint {
    std::string version;       // Lantian version that wrote it
    int format = kCheckpointFormat;
    std::string config_hash;   // 16 hex digits of checkpoint_config_text()
    std::string config_text;   // that text (to name what differs)
    int nx = 0, ny = 0, nz = 0, nspec = 0;
    // Clock: simulated seconds since the start; steps taken; the step midpoints that fixed the
    // plume rise and the next step's length (−1: none yet).
    double t_s = 0, plume_t_s = -1, last_mid_t_s = -1;
    long step_index = 0, steps = 0;
    double min_dt_s = 0, max_dt_s = 0;
    int records = 0;            // output records written (they are in the output files)
    std::vector<double> air_mass_kg;   // nz*ny*nx
    std::vector<double> q;             // nspec*nz*ny*nx (µg kg-1)
    std::vector<double> ledger;        // nspec × ledger_words.size()
    std::vector<std::string> ledger_words;  // name of each word of a tracer's ledger (Ledger::word_names)
};

// The configuration text a checkpoint must match: to_ini() without the keys a restart may change
// (run.hours, run.log_interval_h, run.min_dt_s, [parallel], [checkpoint]).
std::string checkpoint_config_text(const Config& cfg);
std::string config_hash(const std::string& text);  // FNV-1a 64, hex

void write_checkpoint(const std::string& path, const Checkpoint& c);
// Throws ConfigError naming the file: missing, not HDF5, truncated, another format/version.
Checkpoint read_checkpoint(const std::string& path);

}  // namespace lantian
