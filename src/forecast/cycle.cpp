// One daily forecast cycle (cycle.hpp; docs/forecast-cycle.md).
#include "forecast/cycle.hpp"

#include <glob.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "assimilation/analysis.hpp"
#include "assimilation/observations.hpp"
#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "met/wrf_met.hpp"
#include "forecast/forecast_archive.hpp"
#include "forecast/verification.hpp"
#include "output/file_names.hpp"
#include "report/report.hpp"
#include "config/receptor_spec.hpp"
#include "simulation/simulation.hpp"
#include "simulation/warm_start.hpp"

namespace lantian {

namespace fs = std::filesystem;

namespace {

constexpr double kBeijingOffsetS = 8 * 3600.0;  // Beijing time = UTC + 8 h
constexpr double kDayS = 86400.0;


// YYYY-MM-DD and YYYYMMDD of a UTC day (epoch s at or after its 00:00).
std::string iso_date(double epoch_s) { return format_iso_time_utc(epoch_s).substr(0, 10); }
std::string compact_date(double epoch_s) {
    std::string d = iso_date(epoch_s);
    d.erase(std::remove(d.begin(), d.end(), '-'), d.end());
    return d;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
    return s;
}

// A pattern with {date} (YYYY-MM-DD), {yyyymmdd} and {n} filled in.
std::string fill_pattern(const std::string& pattern, double day_epoch_s, int domain) {
    std::string s = replace_all(pattern, "{date}", iso_date(day_epoch_s));
    s = replace_all(s, "{yyyymmdd}", compact_date(day_epoch_s));
    return replace_all(s, "{n}", std::to_string(domain));
}

std::vector<std::string> glob_sorted(const std::string& pattern) {
    glob_t g{};
    std::vector<std::string> out;
    if (glob(pattern.c_str(), 0, nullptr, &g) == 0)
        for (std::size_t k = 0; k < g.gl_pathc; ++k) out.emplace_back(g.gl_pathv[k]);
    globfree(&g);
    std::sort(out.begin(), out.end());
    return out;
}

std::string json_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\t': o += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    o += buf;
                } else {
                    o += c;
                }
        }
    }
    return o;
}
std::string jstr(const std::string& s) { return "\"" + json_escape(s) + "\""; }
std::string jnum(double v) {
    if (!std::isfinite(v)) return "null";
    std::ostringstream o;
    o << std::setprecision(6) << v;
    return o.str();
}

// Writes `text` to `path` through a temporary name, so a reader never sees half a file.
void write_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".partial";
    {
        std::ofstream f(tmp);
        f << text;
        if (!f) throw std::runtime_error(path + ": could not be written");
    }
    fs::rename(tmp, path);
}

std::string now_utc() {
    const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    return format_iso_time_utc(std::floor(now)) + "Z";
}

// The cycle's log: every line to stderr and to logs/cycle.log.
class CycleLog {
public:
    explicit CycleLog(const std::string& path) : path_(path), f_(path, std::ios::app) {}
    const std::string& path() const { return path_; }
    void line(const std::string& msg) {
        std::cerr << "forecast: " << msg << "\n";
        f_ << now_utc() << " " << msg << "\n" << std::flush;
    }

private:
    std::string path_;
    std::ofstream f_;
};

struct Stage {
    std::string name, status;
    double seconds = 0;
    std::string note;
};

// status.json in the cycle folder and latest_status.json in the cycles folder, for cron and monitors.
class StatusFile {
public:
    StatusFile(std::string cycle_dir, std::string cycles_dir, std::string date)
        : cycle_dir_(std::move(cycle_dir)), cycles_dir_(std::move(cycles_dir)), date_(std::move(date)), started_(now_utc()) {}
    void write(const std::string& status, int exit_code, const std::string& stage, const std::string& message) {
        std::ostringstream j;
        j << "{\n  \"date\": " << jstr(date_) << ",\n  \"status\": " << jstr(status) << ",\n  \"exit_code\": "
          << (exit_code < 0 ? std::string("null") : std::to_string(exit_code)) << ",\n  \"stage\": " << jstr(stage)
          << ",\n  \"message\": " << jstr(message) << ",\n  \"started_utc\": " << jstr(started_) << ",\n  \"updated_utc\": "
          << jstr(now_utc()) << ",\n  \"cycle_dir\": " << jstr(cycle_dir_) << "\n}\n";
        write_atomically(cycle_dir_ + "/status.json", j.str());
        write_atomically(cycles_dir_ + "/latest_status.json", j.str());
    }

private:
    std::string cycle_dir_, cycles_dir_, date_, started_;
};

// Does a state file hold a record valid at `epoch_s`? (A missing or unreadable file does not.)
bool state_file_valid_at(const std::string& path, double epoch_s) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return false;
    try {
        for (double t : state_record_times(path))
            if (std::fabs(t - epoch_s) < 1.0) return true;
    } catch (const ConfigError&) {
        return false;
    }
    return false;
}

// The weather files of a cycle: forecast.weather with {date}/{yyyymmdd} the UTC date of `start`
// (WRF names its files by the valid time of their first record, so the start's date finds the
// forecast that begins there). ConfigError (exit 2) naming the pattern when nothing matches.
std::vector<std::string> weather_files(const Config& cfg, double start_epoch_s) {
    const std::string pattern = fill_pattern(resolve_path(cfg, cfg.forecast.weather), start_epoch_s, 1);
    const std::vector<std::string> files = glob_sorted(pattern);
    if (files.empty())
        throw ConfigError("forecast.weather = " + cfg.forecast.weather + ": no weather file for " + iso_date(start_epoch_s) +
                          " (the start " + format_iso_time_utc(start_epoch_s) + " UTC): " + pattern + " matches nothing");
    return files;
}

// Stations: the station list (forecast.stations) or receptors.stations (NAME:lon:lat, no city).
std::vector<StationInfo> cycle_stations(const Config& cfg) {
    if (!cfg.forecast.stations.empty()) return read_station_list(resolve_path(cfg, cfg.forecast.stations));
    std::vector<StationInfo> out;
    for (const auto& r : parse_receptor_specs(cfg.receptors))
        if (r.kind == ReceptorSpec::Kind::station) out.push_back({r.name, r.name, "", r.lon, r.lat});
    return out;
}

// Every observation file of the Beijing dates [first_day, last_day] (UTC epochs of 00:00 of the
// date): patterns with {date}/{yyyymmdd} filled per date, others globbed as they are.
ObservationSet cycle_observations(const Config& cfg, const std::vector<StationInfo>& stations, double first_day,
                                  double last_day, CycleLog& log) {
    std::vector<std::string> files;
    for (const auto& pattern_rel : cfg.forecast.observations) {
        const std::string pattern = resolve_path(cfg, pattern_rel);
        const bool dated = pattern.find("{date}") != std::string::npos || pattern.find("{yyyymmdd}") != std::string::npos;
        if (!dated) {
            const auto found = glob_sorted(pattern);
            if (found.empty()) log.line("warning: forecast.observations = " + pattern_rel + ": no file matches");
            files.insert(files.end(), found.begin(), found.end());
            continue;
        }
        for (double d = first_day; d <= last_day + 1.0; d += kDayS) {
            const auto found = glob_sorted(fill_pattern(pattern, d, 1));
            files.insert(files.end(), found.begin(), found.end());
        }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    ObservationSet all;
    if (files.empty()) {
        log.line("observations: no file for the dates " + iso_date(first_day) + " to " + iso_date(last_day));
        return all;
    }
    if (cfg.forecast.observations_format == "national") {
        all = read_observations_national(files, stations);
    } else {
        for (const auto& f : files) append_observations(all, read_observations_long(f));
    }
    log.line("observations: " + std::to_string(files.size()) + " file(s), " + std::to_string(all.report.accepted) + " values accepted, " +
             std::to_string(all.report.skipped_total()) + " skipped");
    std::ofstream(fs::path(log.path()).parent_path() / "observations.log") << format_observation_report(all.report);
    return all;
}

struct InitialStateChoice {
    std::string kind;   // warm, file, cold
    std::string source; // the state file ("" for cold)
    std::string note;
    double spinup_h = 0;
};

Config make_run_config(const Config& cfg, const CycleTimes& t, const std::string& dir, const std::vector<StationInfo>& stations,
                       const std::vector<std::string>& weather) {
    Config c = cfg;
    c.run.start = format_iso_time_utc(t.start_epoch_s);
    c.run.hours = t.hours;
    c.output.file = dir + "/forecast.nc";
    c.output.state_file = dir + "/state.nc";
    c.output.state_hours.clear();
    for (int d = 1; d <= cfg.forecast.days; ++d) c.output.state_hours.push_back(24.0 * d);
    c.checkpoint.file = dir + "/forecast.checkpoint.h5";
    if (!weather.empty()) {
        c.met.source = MetKind::wrf;
        c.met.files = weather;
    }
    // Stations of the list inside the domain become receptors (the code is the receptor name).
    if (!cfg.forecast.stations.empty()) {
        const Grid grid(with_met_grid(c).grid);
        std::set<std::string> have;
        for (const auto& r : c.receptors.stations) have.insert(r.substr(0, r.find(':')));
        for (const auto& s : stations) {
            double fi = 0, fj = 0;
            if (!grid.locate(LonLat{s.lon_deg, s.lat_deg}, fi, fj) || have.count(s.code)) continue;
            std::ostringstream r;
            r << std::setprecision(10) << s.code << ":" << s.lon_deg << ":" << s.lat_deg;
            c.receptors.stations.push_back(r.str());
        }
    }
    return c;
}

std::string stage_json(const std::vector<Stage>& stages) {
    std::ostringstream j;
    j << "[";
    for (std::size_t k = 0; k < stages.size(); ++k)
        j << (k ? ",\n    " : "\n    ") << "{\"name\": " << jstr(stages[k].name) << ", \"status\": " << jstr(stages[k].status)
          << ", \"seconds\": " << jnum(stages[k].seconds) << ", \"note\": " << jstr(stages[k].note) << "}";
    j << "\n  ]";
    return j.str();
}

// Removes what an earlier run of this cycle produced; the forecaster's edits.csv and the logs stay.
void clear_products(const std::string& dir) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name == "edits.csv" || name == "logs" || name == "status.json") continue;
        fs::remove_all(entry.path(), ec);
    }
}

// Cycle folders older than keep_days before the date are removed.
std::vector<std::string> prune_cycles(const std::string& cycles_dir, double date_epoch_s, int keep_days) {
    std::vector<std::string> removed;
    if (keep_days <= 0) return removed;
    const std::string oldest_kept = compact_date(date_epoch_s - keep_days * kDayS);
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(cycles_dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_directory() || name.size() != 8 || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
        if (name < oldest_kept) {
            fs::remove_all(entry.path(), ec);
            removed.push_back(name);
        }
    }
    return removed;
}

std::string bulletin_script() {
    if (const char* env = std::getenv("LANTIAN_BULLETIN_SCRIPT")) return env;
#ifdef LANTIAN_BULLETIN_SCRIPT
    return LANTIAN_BULLETIN_SCRIPT;
#else
    return "scripts/bulletin.py";
#endif
}

std::string shell_quote(const std::string& s) {
    std::string o = "'";
    for (char c : s) o += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return o + "'";
}

}  // namespace

CycleTimes cycle_times(const ForecastConfig& f, const std::string& date) {
    double day = 0;
    std::string reason;
    if (date.size() != 10 || !try_parse_iso_time_utc(date + "T00:00:00", day, reason))
        throw ConfigError("--date " + date + ": not a date YYYY-MM-DD" + (reason.empty() ? "" : " (" + reason + ")"));
    CycleTimes t;
    t.date_epoch_s = day;
    t.folder_name = compact_date(day);
    // Start at start_hour_bjt Beijing time on the date; end at 00:00 Beijing time after the last lead day.
    t.start_epoch_s = day + f.start_hour_bjt * 3600.0 - kBeijingOffsetS;
    const double end = day + (f.days + 1) * kDayS - kBeijingOffsetS;
    t.hours = (end - t.start_epoch_s) / 3600.0;
    return t;
}

int run_forecast_cycle(const CycleOptions& o) {
    Config cfg;
    CycleTimes t;
    try {
        cfg = load_config(o.config_path, o.overrides);
        t = cycle_times(cfg.forecast, o.date);
        if (cfg.forecast.observations_format != "long" && cfg.forecast.observations_format != "national")
            throw ConfigError("forecast.observations_format = " + cfg.forecast.observations_format + ": must be long or national");
        if (!cfg.forecast.weather.empty() && cfg.met.source != MetKind::wrf)
            throw ConfigError("forecast.weather is set but met.source is not wrf: the weather files would not be used");
    } catch (const ConfigError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    const std::string cycles_dir = resolve_path(cfg, cfg.forecast.cycles_dir);
    const std::string dir = cycles_dir + "/" + t.folder_name;
    std::error_code ec;
    fs::create_directories(dir + "/logs", ec);
    if (ec) {
        std::cerr << "error: " << dir << ": cannot create the cycle folder: " << ec.message() << "\n";
        return 1;
    }
    CycleLog log(dir + "/logs/cycle.log");
    StatusFile status(dir, cycles_dir, o.date);
    std::vector<Stage> stages;
    std::string stage = "setup";
    auto timed = [&](const std::string& name, const std::function<std::string()>& body) {
        stage = name;
        status.write("running", -1, name, "");
        const auto t0 = std::chrono::steady_clock::now();
        const std::string note = body();
        stages.push_back({name, "ok", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), note});
        if (!note.empty()) log.line(name + ": " + note);
    };

    try {
        log.line("cycle " + o.date + " (" + dir + "), start " + format_iso_time_utc(t.start_epoch_s) + " UTC, " +
                 jnum(t.hours) + " h, " + std::to_string(cfg.forecast.days) + " lead days" + (o.products_only ? ", products only" : ""));
        std::vector<std::string> weather;
        const std::vector<StationInfo> stations = cycle_stations(cfg);
        InitialStateChoice init;
        std::string analysis_json = "{\"done\": false, \"reason\": \"not run\"}";
        ObservationSet observations;
        std::function<void()> cycle_json;  // writes cycle.json (with the stages so far)
        const int window_days = std::max(cfg.forecast.keep_days, cfg.forecast.days + 1);
        // Beijing dates: the oldest cycle kept … the cycle date (observations end at the start).
        const double first_obs_day = t.date_epoch_s - window_days * kDayS;

        if (!o.products_only) {
            clear_products(dir);
            timed("weather", [&] {
                if (cfg.forecast.weather.empty()) return std::string("the weather of [met] (forecast.weather is empty)");
                weather = weather_files(cfg, t.start_epoch_s);
                return std::to_string(weather.size()) + " file(s): " + weather.front() + (weather.size() > 1 ? " …" : "");
            });
            Config run_cfg = make_run_config(cfg, t, dir, stations, weather);

            timed("initial state", [&] {
                if (!o.initial_state.empty()) {
                    init = {"file", o.initial_state, "given by --initial-state", 0};
                    return "from " + o.initial_state;
                }
                for (int k = 1; k <= cfg.forecast.search_days; ++k) {
                    const std::string prev = cycles_dir + "/" + compact_date(t.date_epoch_s - k * kDayS) + "/state.nc";
                    if (state_file_valid_at(prev, t.start_epoch_s)) {
                        init = {"warm", prev, k == 1 ? "yesterday's cycle" : "the cycle " + std::to_string(k) + " days before", 0};
                        return "warm start from " + prev;
                    }
                }
                init = {"cold", "", "no earlier cycle holds a state valid at the start", 0};
                return std::string("cold start: no state of the last ") + std::to_string(cfg.forecast.search_days) + " cycle(s) is valid at the start";
            });
            if (init.kind == "cold" && cfg.forecast.spinup_h > 0) {
                timed("spin-up", [&] {
                    Config sc = run_cfg;
                    sc.run.start = format_iso_time_utc(t.start_epoch_s - cfg.forecast.spinup_h * 3600.0);
                    sc.run.hours = cfg.forecast.spinup_h;
                    fs::create_directories(dir + "/spinup");
                    sc.output.file = dir + "/spinup/spinup.nc";
                    sc.output.state_file = dir + "/spinup/state.nc";
                    sc.output.state_hours = {cfg.forecast.spinup_h};
                    sc.checkpoint.file = dir + "/spinup/spinup.checkpoint.h5";
                    sc.scenarios.runs.clear();
                    sc.scenarios.base = true;
                    sc.tags.by = TagKind::none;
                    if (!cfg.forecast.weather.empty()) {
                        try {
                            // The forecast that began a whole number of days before the spin-up's start.
                            const int back = static_cast<int>(std::ceil(cfg.forecast.spinup_h / 24.0));
                            sc.met.files = weather_files(cfg, t.start_epoch_s - back * kDayS);
                        } catch (const ConfigError& e) {
                            init.note += "; no spin-up: " + std::string(e.what());
                            return "skipped: no weather before the start (" + std::string(e.what()) + ")";
                        }
                    }
                    Simulation spin(sc);
                    spin.command_line = o.command_line + " (spin-up)";
                    spin.run(true);
                    init.source = dir + "/spinup/state.nc";
                    init.spinup_h = cfg.forecast.spinup_h;
                    return "cold start with " + jnum(cfg.forecast.spinup_h) + " h of spin-up from the background";
                });
            }
            if (!init.source.empty()) run_cfg.run.initial_state = init.source;

            std::vector<StationValue> at_start;
            if (!cfg.forecast.observations.empty() && (cfg.forecast.analysis || cfg.forecast.verification)) {
                timed("observations", [&] {
                    observations = cycle_observations(cfg, stations, first_obs_day, t.date_epoch_s, log);
                    std::map<std::string, const StationInfo*> where;
                    for (const auto& s : stations) where[s.code] = &s;
                    std::set<std::string> unplaced;
                    const int window = static_cast<int>(std::lround(cfg.assimilation.window_h));
                    for (const auto& v : latest_observations(observations.observations, t.start_epoch_s, window)) {
                        const auto it = where.find(v.station);
                        if (it == where.end()) {
                            unplaced.insert(v.station);
                            continue;
                        }
                        at_start.push_back({v.station, it->second->lon_deg, it->second->lat_deg, v.pollutant, v.value});
                    }
                    std::string note = std::to_string(at_start.size()) + " station values at the analysis time";
                    if (!unplaced.empty()) note += "; " + std::to_string(unplaced.size()) + " station(s) without coordinates ignored";
                    return note;
                });
            }

            Simulation sim(run_cfg);
            sim.command_line = o.command_line;
            for (const auto& w : sim.warnings()) log.line("warning: " + w);
            timed("analysis", [&] {
                if (!cfg.forecast.analysis) {
                    analysis_json = "{\"done\": false, \"reason\": \"forecast.analysis = false\"}";
                    return std::string("off (forecast.analysis = false)");
                }
                if (at_start.empty()) {
                    const std::string why = cfg.forecast.observations.empty() ? "no observation files configured (forecast.observations)"
                                                                               : "no observations at the analysis time";
                    analysis_json = "{\"done\": false, \"reason\": " + jstr(why) + "}";
                    return "no analysis: " + why;
                }
                const MetState met0 = sim.weather_at_start();
                const AnalysisReport rep =
                    analyse_state(run_cfg, sim.grid(), sim.layout(), sim.species_properties_table(), met0, at_start, sim.state());
                sim.restate_initial_mass();
                write_analysis_files(dir + "/analysis", sim.grid(), rep, format_iso_time_utc(t.start_epoch_s), o.command_line);
                std::ostringstream j, note;
                j << "{\"done\": " << (rep.pollutants.empty() ? "false" : "true") << ", \"reason\": "
                  << jstr(rep.pollutants.empty() ? "no pollutant could be analysed" : "") << ", \"observation_time_utc\": "
                  << jstr(format_iso_time_utc(t.start_epoch_s)) << ", \"pollutants\": [";
                for (std::size_t k = 0; k < rep.pollutants.size(); ++k) {
                    const auto& p = rep.pollutants[k];
                    j << (k ? ", " : "") << "{\"name\": " << jstr(p.pollutant) << ", \"units\": " << jstr(p.units)
                      << ", \"used\": " << p.oi.n_accepted << ", \"rejected\": " << p.oi.n_rejected << ", \"skipped\": " << p.oi.n_skipped
                      << ", \"rms_omb\": " << jnum(p.oi.statistics.rms_omb) << ", \"rms_oma\": " << jnum(p.oi.statistics.rms_oma) << "}";
                    note << (k ? "; " : "") << p.pollutant << " " << p.oi.n_accepted << " used, " << p.oi.n_rejected << " rejected, RMS O-B "
                         << jnum(p.oi.statistics.rms_omb) << " -> O-A " << jnum(p.oi.statistics.rms_oma) << " " << p.units;
                }
                j << "], \"notes\": [";
                for (std::size_t k = 0; k < rep.notes.size(); ++k) j << (k ? ", " : "") << jstr(rep.notes[k]);
                j << "]}";
                analysis_json = j.str();
                for (const auto& n : rep.notes) note << "; " << n;
                return note.str();
            });
            timed("run", [&] {
                std::function<void(double, double)> progress;
                double next = 0;
                if (o.progress)
                    progress = [&](double done, double total) {
                        if (done < next && done < total) return;
                        std::cerr << "forecast: run " << std::fixed << std::setprecision(0) << 100.0 * done / total << "%\n";
                        next += total / 10.0;
                    };
                const RunSummary sum = sim.run(true, progress);
                std::ofstream runlog(dir + "/logs/run.log");
                runlog << sim.ledger().table() << sim.chemistry_balance();
                std::ostringstream note;
                note << sum.steps << " steps, " << std::fixed << std::setprecision(1) << sum.wall_s << " s wall";
                return note.str();
            });
            write_atomically(dir + "/cycle.ini", to_ini(run_cfg));
            cycle_json = [&, weather, init, analysis_json] {
                std::ostringstream j;
                j << "{\n  \"date\": " << jstr(o.date) << ",\n  \"start_utc\": " << jstr(format_iso_time_utc(t.start_epoch_s))
                  << ",\n  \"hours\": " << jnum(t.hours) << ",\n  \"days\": " << cfg.forecast.days << ",\n  \"weather_files\": [";
                for (std::size_t k = 0; k < weather.size(); ++k) j << (k ? ", " : "") << jstr(weather[k]);
                j << "],\n  \"initial_state\": {\"kind\": " << jstr(init.kind) << ", \"source\": " << jstr(init.source)
                  << ", \"note\": " << jstr(init.note) << ", \"spinup_h\": " << jnum(init.spinup_h) << "},\n  \"analysis\": "
                  << analysis_json << ",\n  \"stages\": " << stage_json(stages) << "\n}\n";
                write_atomically(dir + "/cycle.json", j.str());
            };
            cycle_json();  // the bulletin reads it
        } else if (!fs::exists(dir + "/forecast_receptors.nc")) {
            throw ConfigError("--products-only: " + dir + " has no finished run (forecast_receptors.nc is missing)");
        } else if (!cfg.forecast.observations.empty() && cfg.forecast.verification) {
            observations = cycle_observations(cfg, stations, first_obs_day, t.date_epoch_s, log);
        }

        timed("archive", [&] {
            const SeriesFile series = read_series(dir + "/forecast_receptors.nc");
            const AlertRules rules = parse_alert_rules(cfg.alerts.yellow, cfg.alerts.orange, cfg.alerts.red);
            write_forecast_daily(dir + "/forecast_daily.csv", o.date, series, cfg.alerts, rules);
            return std::string("forecast_daily.csv");
        });
        if (cfg.forecast.verification) {
            timed("verification", [&] {
                if (observations.observations.empty()) return std::string("no observations: nothing verified");
                VerifyOptions v;
                v.cycles_dir = cycles_dir;
                v.observations = observations.observations;
                for (const auto& s : stations)
                    if (!s.city.empty()) v.stations.push_back({s.code, s.city});
                v.cycle = t.folder_name;
                const VerifyResult r = verify_cycles(v);
                std::ofstream(dir + "/logs/verification.log") << r.text;
                return std::to_string(r.rows) + " verified forecast day(s) in " + r.archive_csv;
            });
        }
        if (cfg.forecast.bulletin) {
            timed("bulletin", [&] {
                std::string cmd = "/usr/bin/python3 " + shell_quote(bulletin_script()) + " " + shell_quote(dir) + " --screenshot --bureau " +
                                  shell_quote(cfg.forecast.title);
                if (!cfg.forecast.borders.empty()) cmd += " --borders " + shell_quote(resolve_path(cfg, cfg.forecast.borders));
                cmd += " >> " + shell_quote(dir + "/logs/bulletin.log") + " 2>&1";
                const int rc = std::system(cmd.c_str());
                if (rc != 0) {
                    const int code = WIFEXITED(rc) ? WEXITSTATUS(rc) : 1;
                    const std::string msg = "the bulletin script failed (exit " + std::to_string(code) + "; see " + dir + "/logs/bulletin.log)";
                    if (code == 2) throw ConfigError(msg);
                    throw std::runtime_error(msg);
                }
                return dir + "/bulletin/index.html";
            });
        }
        if (cycle_json) cycle_json();  // again, with the product stages
        const auto removed = prune_cycles(cycles_dir, t.date_epoch_s, cfg.forecast.keep_days);
        if (!removed.empty()) log.line("pruned " + std::to_string(removed.size()) + " cycle folder(s) older than " + std::to_string(cfg.forecast.keep_days) + " days");
        status.write("ok", 0, "done", "cycle complete");
        log.line("cycle " + o.date + " complete");
        return 0;
    } catch (const ConfigError& e) {
        log.line("error (" + stage + "): " + e.what());
        status.write("failed", 2, stage, e.what());
        return 2;
    } catch (const std::exception& e) {
        log.line("error (" + stage + "): " + e.what());
        status.write("failed", 1, stage, e.what());
        return 1;
    }
}

}  // namespace lantian
