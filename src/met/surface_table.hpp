// The hourly surface-layer table of met.source = surface (met.table): time, wind speed and
// direction, Monin–Obukhov length, boundary-layer height and optionally u*, one row per time
// (docs/input-formats.md). Reading and checking only; SurfaceLayerMet interpolates the rows.
#pragma once

#include <string>
#include <vector>

namespace lantian {

struct SurfaceRow {
    double t_s;            // seconds after the run start
    double speed_m_s, direction_deg, mo_length_m, pblh_m, ustar_m_s;
};

// Reads the table at `path` for a run starting at start_epoch_s (s since 1970 UTC) lasting run_s;
// the rows must cover [0, run_s]. ConfigError "file:line: column: value: reason".
std::vector<SurfaceRow> read_surface_table(const std::string& path, double start_epoch_s, double run_s);

}  // namespace lantian
