// `lantian forecast CYCLE.ini --date YYYY-MM-DD`: one daily forecast cycle (issue 15;
// docs/forecast-cycle.md). The weather files of the date, the initial state (a previous cycle's
// state, a given file, or a cold start with spin-up), the analysis of this morning's observations,
// the run, the forecast archive table, the verification of earlier cycles and the bulletin, all
// filed under cycles/YYYYMMDD/ with a status file a monitor can read.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace lantian {

struct CycleOptions {
    std::string config_path;
    std::vector<std::string> overrides;  // section.key=value
    std::string date;                    // the cycle's Beijing-time date, YYYY-MM-DD
    std::string initial_state;           // --initial-state: start from this file instead of searching
    bool progress = false;               // progress lines of the run on stderr
    bool products_only = false;          // --products-only: remake the archive table, verification and
                                         // bulletin of a finished cycle (after the forecaster's edits)
    std::string command_line;
};

// The cycle's times: start (UTC epoch s) and run length (h), from the date and [forecast].
struct CycleTimes {
    double start_epoch_s = 0;
    double hours = 0;
    std::string folder_name;   // YYYYMMDD
    double date_epoch_s = 0;   // 00:00 UTC of the date (the date as a day number × 86400)
};
CycleTimes cycle_times(const ForecastConfig& f, const std::string& date);

// Runs one cycle; returns the exit code (0 ok, 1 run failure, 2 bad input such as a missing
// weather file), after writing status.json. Messages go to stderr and the cycle's log.
int run_forecast_cycle(const CycleOptions& options);

}  // namespace lantian
