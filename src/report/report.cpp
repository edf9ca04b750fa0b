// The forecast report: daily tables, alerts, evaluation, files and the HTML page.
#include "report/report.hpp"

#include <netcdf.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "emissions/csv_table.hpp"
#include "output/file_names.hpp"
#include "output/netcdf_reader.hpp"

namespace lantian {

namespace fs = std::filesystem;

namespace {

constexpr int kValidHours = 20;  // GB 3095-2012: a daily mean needs ≥ 20 hourly values

std::string local_date(double epoch_s, int offset_h) {
    const CivilDate d = civil_from_days(static_cast<long long>(std::floor((epoch_s + offset_h * 3600.0) / 86400.0)));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

std::string fmt(double v, int digits = 1) {
    if (!std::isfinite(v)) return "-";
    std::ostringstream o;
    o << std::fixed << std::setprecision(digits) << v;
    return o.str();
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (std::size_t k = 0; k < v.size(); ++k) out += (k ? sep : "") + v[k];
    return out;
}

// The variable holding a pollutant in the series (totals where the run has them).
std::string series_var(const SeriesFile& s, const std::string& pollutant) {
    if (pollutant == "PM2.5") return s.has("PM25_total") ? "PM25_total" : (s.has("PM25") ? "PM25" : "");
    if (pollutant == "PM10") return s.has("PM10_total") ? "PM10_total" : "";
    return s.has(pollutant) ? pollutant : "";
}

// The slot (0–23) of a record in its local day: the hour ending at (slot + 1):00 local time.
int local_hour_slot(double hour_mid_epoch_s, int offset_h) {
    const double local_s = hour_mid_epoch_s + offset_h * 3600.0;
    const double in_day_s = local_s - 86400.0 * std::floor(local_s / 86400.0);
    return std::clamp(static_cast<int>(std::floor(in_day_s / 3600.0)), 0, 23);
}

constexpr std::array<double, 24> kNoHours = [] {
    std::array<double, 24> a{};
    for (double& x : a) x = std::numeric_limits<double>::quiet_NaN();
    return a;
}();

double mean_of(const std::vector<double>& v) {
    double sum = 0;
    int n = 0;
    for (double x : v)
        if (std::isfinite(x)) {
            sum += x;
            ++n;
        }
    return n ? sum / n : std::nan("");
}

}  // namespace

double SeriesFile::value(const std::string& var, std::size_t r, std::size_t t) const {
    const auto it = data.find(var);
    if (it == data.end()) return std::nan("");
    return it->second[r * hours.size() + t];
}

SeriesFile read_series(const std::string& path) {
    SeriesFile s;
    s.path = path;
    const NcReader nc(path, "cannot open the receptor series (run with [receptors] set)");
    const std::size_t nr = nc.dim("station"), nt = nc.dim("time"), nlen = nc.dim("name_strlen");
    const int tv = nc.var("time");
    s.hours = nc.doubles(tv, nt);
    std::string units = nc.text_att(tv, "units");
    const std::string prefix = "hours since ";
    if (units.rfind(prefix, 0) != 0) throw ConfigError(path + ": time units '" + units + "' are not 'hours since …'");
    s.reference_epoch_s = parse_iso_time_utc(units.substr(prefix.size(), 19));
    const int nv = nc.var("station_name");
    if (nc.size(nv) != nr * nlen) throw ConfigError(path + ": variable station_name is not (station, name_strlen)");
    std::string names(nr * nlen, '\0');
    nc.check(nc_get_var_text(nc.id(), nv, names.data()), "reading station_name");
    for (std::size_t r = 0; r < nr; ++r) s.names.push_back(std::string(names.substr(r * nlen, nlen).c_str()));
    s.lat = nc.doubles("lat", nr);
    s.lon = nc.doubles("lon", nr);
    std::vector<double> kinds = nc.doubles("receptor_kind", nr);
    for (double k : kinds) s.kinds.push_back(static_cast<int>(k));
    int nvars = 0;
    nc.check(nc_inq_nvars(nc.id(), &nvars), "variables");
    for (int v = 0; v < nvars; ++v) {
        char name[NC_MAX_NAME + 1];
        nc_inq_varname(nc.id(), v, name);
        int nd = 0;
        nc_inq_varndims(nc.id(), v, &nd);
        nc_type type;
        nc_inq_vartype(nc.id(), v, &type);
        if (nd != 2 || type != NC_DOUBLE) continue;
        s.data[name] = nc.doubles(v, nr * nt);
        s.units[name] = nc.text_att(v, "units");
    }
    return s;
}

std::vector<DailyRow> daily_rows(const SeriesFile& s, std::size_t r, const AlertsConfig& alerts, const AlertRules& rules) {
    const int off = alerts.utc_offset_h;
    const std::string v25 = series_var(s, "PM2.5"), v10 = series_var(s, "PM10");
    std::vector<DailyRow> rows;
    std::map<std::string, std::size_t> index;
    std::map<std::string, std::vector<std::vector<double>>> values;  // date -> 5 pollutants × hours
    const bool has_o3 = s.has("O3");
    std::map<std::string, std::array<double, 24>> o3;                 // date -> hourly O3 by local hour slot
    for (std::size_t t = 0; t < s.hours.size(); ++t) {
        // The record closes the hour before it: it belongs to the day of the hour's middle.
        const double mid = s.reference_epoch_s + (s.hours[t] - 0.5) * 3600.0;
        const std::string date = local_date(mid, off);
        if (!index.count(date)) {
            index[date] = rows.size();
            rows.push_back({});
            rows.back().date = date;
            values[date].assign(5, {});
            if (has_o3) o3[date] = kNoHours;
        }
        if (has_o3) o3[date][static_cast<std::size_t>(local_hour_slot(mid, off))] = s.value("O3", r, t);
        auto& v = values[date];
        v[0].push_back(s.value(v25, r, t));
        v[1].push_back(s.value(v10, r, t));
        v[2].push_back(s.value("SO2", r, t));
        v[3].push_back(s.value("NO2", r, t));
        v[4].push_back(s.value("CO", r, t));
        ++rows[index[date]].hours;
    }
    std::vector<int> for_alerts;
    for (auto& row : rows) {
        const auto& v = values[row.date];
        row.complete = row.hours >= kValidHours;
        row.pm25 = mean_of(v[0]);
        row.pm10 = mean_of(v[1]);
        row.so2 = mean_of(v[2]);
        row.no2 = mean_of(v[3]);
        row.co = mean_of(v[4]);
        aqi::Concentrations c;
        c.pm25_24h = row.pm25;
        c.pm10_24h = row.pm10;
        c.so2_24h = row.so2;
        c.no2_24h = row.no2;
        c.co_24h = row.co;
        if (has_o3) {
            const aqi::O3Day day = aqi::o3_day(o3[row.date]);
            row.o3_1h_max = day.max_1h;
            row.o3_mda8 = day.mda8;
            row.o3_windows = day.windows;
            c.o3_1h = day.max_1h;
            c.o3_8h = day.mda8;
        }
        row.conc = c;
        row.aqi = aqi::daily_aqi(c);
        row.aqi_without_dust = row.aqi;
        row.alert_aqi = row.aqi.aqi;
    }
    if (alerts.daily == DailyMode::rolling24) {
        // The largest 24-h running-mean AQI ending within each day (an episode crossing midnight counts).
        const std::size_t nt = s.hours.size();
        for (auto& row : rows) row.alert_aqi = 0;
        // Ozone in a 24-h window: its largest hourly value and largest valid 8-h running mean.
        std::vector<double> o3_hourly, o3_8h;
        if (has_o3) {
            for (std::size_t t = 0; t < nt; ++t) o3_hourly.push_back(s.value("O3", r, t));
            o3_8h = aqi::o3_8h_running(o3_hourly);
        }
        auto window_max = [](const std::vector<double>& v, std::size_t first, std::size_t last) {
            double m = std::nan("");
            for (std::size_t u = first; u <= last; ++u)
                if (std::isfinite(v[u])) m = std::isnan(m) ? v[u] : std::max(m, v[u]);
            return m;
        };
        for (std::size_t t = 23; t < nt; ++t) {
            aqi::Concentrations c;
            double* target[5] = {&c.pm25_24h, &c.pm10_24h, &c.so2_24h, &c.no2_24h, &c.co_24h};
            const std::string vars[5] = {v25, v10, "SO2", "NO2", "CO"};
            for (int p = 0; p < 5; ++p) {
                double sum = 0;
                for (std::size_t u = t - 23; u <= t; ++u) sum += s.value(vars[p], r, u);
                *target[p] = sum / 24.0;
            }
            if (has_o3) {
                c.o3_1h = window_max(o3_hourly, t - 23, t);
                c.o3_8h = window_max(o3_8h, t - 23, t);
            }
            const std::string date = local_date(s.reference_epoch_s + (s.hours[t] - 0.5) * 3600.0, off);
            DailyRow& row = rows[index[date]];
            row.alert_aqi = std::max(row.alert_aqi, aqi::daily_aqi(c).aqi);
        }
    }
    for (const auto& row : rows) for_alerts.push_back(row.alert_aqi);
    const auto levels = alert_levels(for_alerts, rules);
    for (std::size_t d = 0; d < rows.size(); ++d) rows[d].alert = levels[d];
    return rows;
}

ObservedPm observed_pm(const SeriesFile& s, const std::vector<Observation>& obs) {
    const std::size_t nt = s.hours.size();
    ObservedPm out;
    out.pm25.assign(s.names.size() * nt, std::nan(""));
    out.pm10 = out.pm25;
    std::map<std::string, std::size_t> station;
    for (std::size_t r = 0; r < s.names.size(); ++r) station[s.names[r]] = r;
    for (const auto& o : obs) {
        if (o.pollutant != "PM2.5" && o.pollutant != "PM10") continue;
        const auto it = station.find(o.station);
        if (it == station.end()) continue;
        // The record closing the observed hour (as evaluate() pairs them).
        const double h = (o.epoch_s - s.reference_epoch_s) / 3600.0;
        const auto t = std::lower_bound(s.hours.begin(), s.hours.end(), h - 1e-6);
        if (t == s.hours.end() || std::fabs(*t - h) > 1e-6) continue;
        auto& target = o.pollutant == "PM2.5" ? out.pm25 : out.pm10;
        target[it->second * nt + static_cast<std::size_t>(t - s.hours.begin())] = o.value;
    }
    return out;
}

std::vector<DustHour> mark_dust_days(std::vector<DailyRow>& rows, const SeriesFile& s, std::size_t r,
                                     const DustDaysConfig& c, int utc_offset_h, const ObservedPm* obs) {
    const std::size_t nt = s.hours.size();
    const std::string v10 = series_var(s, "PM10");
    std::map<std::string, DailyRow*> by_date;
    for (auto& row : rows) by_date[row.date] = &row;
    std::vector<DustHour> hours(nt);
    for (std::size_t t = 0; t < nt; ++t) {
        const double o25 = obs ? obs->pm25[r * nt + t] : std::nan(""), o10 = obs ? obs->pm10[r * nt + t] : std::nan("");
        hours[t] = classify_dust_hour(c, s.value("DUST", r, t), s.value(v10, r, t), o25, o10);
        if (!hours[t].dust) continue;
        const auto it = by_date.find(local_date(s.reference_epoch_s + (s.hours[t] - 0.5) * 3600.0, utc_offset_h));
        if (it == by_date.end()) continue;  // rows of another offset: nothing to mark
        ++it->second->dust_hours;
        it->second->dust_hours_observed += hours[t].evidence == DustEvidence::observed ? 1 : 0;
    }
    for (auto& row : rows) {
        row.dust_day = is_dust_day(c, row.dust_hours);
        row.aqi_without_dust = row.dust_day ? daily_aqi_without_pm(row.conc) : row.aqi;
    }
    return hours;
}

std::vector<Observation> read_observations(const std::string& path) {
    const CsvTable t = read_csv_file(path);
    const std::size_t c_st = t.require("station"), c_time = t.require("time"), c_p = t.require("pollutant"),
                      c_v = t.require("value"), c_u = t.require("unit");
    std::vector<Observation> out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        Observation o;
        o.station = t.cell(r, c_st);
        if (o.station.empty()) t.fail(r, c_st, "must not be empty");
        std::string time = t.cell(r, c_time);
        double offset_h = 0;
        // "…+08:00" is local time at that offset; no suffix or "Z" is UTC.
        if (time.size() > 19 && (time[19] == '+' || time[19] == '-')) {
            const std::string off = time.substr(19);
            // Exactly ±HH:MM within the offsets of the world's time zones (-12:00 .. +14:00).
            const auto digit = [&](std::size_t k) { return std::isdigit(static_cast<unsigned char>(off[k])) != 0; };
            if (off.size() != 6 || !digit(1) || !digit(2) || off[3] != ':' || !digit(4) || !digit(5))
                t.fail(r, c_time, "offset '" + off + "' is not ±HH:MM");
            const int hh = (off[1] - '0') * 10 + (off[2] - '0'), mm = (off[4] - '0') * 10 + (off[5] - '0');
            offset_h = (off[0] == '-' ? -1 : 1) * (hh + mm / 60.0);
            if (mm > 59 || offset_h < -12 || offset_h > 14)
                t.fail(r, c_time, "offset '" + off + "' is not a time-zone offset (-12:00 to +14:00)");
            time = time.substr(0, 19);
        }
        std::string reason;
        double epoch = 0;
        if (!try_parse_iso_time_utc(time, epoch, reason)) t.fail(r, c_time, reason);
        o.epoch_s = epoch - offset_h * 3600.0;
        std::string p = t.cell(r, c_p);
        if (p == "PM25" || p == "pm25" || p == "PM2.5") p = "PM2.5";
        static const std::set<std::string> known{"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"};
        if (!known.count(p)) t.fail(r, c_p, "unknown pollutant (PM2.5, PM10, SO2, NO2, CO, O3)");
        o.pollutant = p;
        const std::string& cell = t.cell(r, c_v);
        if (cell.empty() || cell == "NA" || cell == "-") continue;  // a missing observation
        o.value = t.number(r, c_v, 0, 1e6, ">= 0");
        std::string unit = t.cell(r, c_u);
        if (unit == "ug/m3" || unit == "µg/m3" || unit == "μg/m3" || unit == "ug m-3") {
            if (p == "CO") o.value /= 1000.0;  // the model reports CO in mg m-3
        } else if (unit == "mg/m3" || unit == "mg m-3") {
            if (p != "CO") o.value *= 1000.0;
        } else {
            t.fail(r, c_u, "unknown unit (ug/m3 or mg/m3)");
        }
        out.push_back(o);
    }
    return out;
}

Evaluation evaluate(const SeriesFile& s, const std::vector<Observation>& obs, const AlertsConfig& alerts) {
    Evaluation e;
    std::map<std::string, std::size_t> station;
    for (std::size_t r = 0; r < s.names.size(); ++r) station[s.names[r]] = r;
    std::set<std::string> unknown;
    // (station, pollutant) -> hourly pairs by record index
    std::map<std::pair<std::size_t, std::string>, std::map<std::size_t, double>> observed;
    for (const auto& o : obs) {
        const auto it = station.find(o.station);
        if (it == station.end()) {
            unknown.insert(o.station);
            continue;
        }
        const double h = (o.epoch_s - s.reference_epoch_s) / 3600.0;
        const auto t = std::lower_bound(s.hours.begin(), s.hours.end(), h - 1e-6);
        if (t == s.hours.end() || std::fabs(*t - h) > 1e-6) continue;  // outside the run
        observed[{it->second, o.pollutant}][static_cast<std::size_t>(t - s.hours.begin())] = o.value;
    }
    for (const auto& u : unknown) e.warnings.push_back("observations for station '" + u + "', which is not a receptor of the run");
    const int off = alerts.utc_offset_h;
    for (const auto& [key, series] : observed) {
        const auto& [r, pollutant] = key;
        const std::string var = series_var(s, pollutant);
        if (var.empty()) {
            e.warnings.push_back("no model series for " + pollutant + " (not in the run's species)");
            continue;
        }
        std::vector<double> m, o;
        std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> days;
        for (const auto& [t, value] : series) {
            m.push_back(s.value(var, r, t));
            o.push_back(value);
            auto& d = days[local_date(s.reference_epoch_s + (s.hours[t] - 0.5) * 3600.0, off)];
            d.first.push_back(s.value(var, r, t));
            d.second.push_back(value);
        }
        e.rows.push_back({s.names[r], pollutant, "hourly", compute_metrics(m, o)});
        if (pollutant == "O3") {
            // MDA8 of the model (all its hours) and of the observations (the observed hours), paired
            // by local day where both are valid; and the subset of days observed at ≥ 40 ppb.
            std::map<std::string, std::array<double, 24>> model_days, obs_days;
            for (std::size_t t = 0; t < s.hours.size(); ++t) {
                const double mid = s.reference_epoch_s + (s.hours[t] - 0.5) * 3600.0;
                auto it = model_days.try_emplace(local_date(mid, off), kNoHours).first;
                it->second[static_cast<std::size_t>(local_hour_slot(mid, off))] = s.value(var, r, t);
            }
            for (const auto& [t, value] : series) {
                const double mid = s.reference_epoch_s + (s.hours[t] - 0.5) * 3600.0;
                auto it = obs_days.try_emplace(local_date(mid, off), kNoHours).first;
                it->second[static_cast<std::size_t>(local_hour_slot(mid, off))] = value;
            }
            std::vector<double> mm, oo, mc, oc;
            for (const auto& [date, hours] : obs_days) {
                const double ob = aqi::o3_day(hours).mda8, mo = aqi::o3_day(model_days.at(date)).mda8;
                if (!std::isfinite(ob) || !std::isfinite(mo)) continue;
                mm.push_back(mo);
                oo.push_back(ob);
                if (ob >= kO3CutoffUgM3) {
                    mc.push_back(mo);
                    oc.push_back(ob);
                }
            }
            if (!mm.empty()) e.rows.push_back({s.names[r], pollutant, "MDA8", compute_metrics(mm, oo)});
            if (!mc.empty()) e.rows.push_back({s.names[r], pollutant, "MDA8>=40ppb", compute_metrics(mc, oc)});
            continue;
        }
        std::vector<double> dm, dobs;
        for (const auto& [date, pair] : days)
            if (static_cast<int>(pair.first.size()) >= kValidHours) {
                dm.push_back(mean_of(pair.first));
                dobs.push_back(mean_of(pair.second));
            }
        if (!dm.empty()) e.rows.push_back({s.names[r], pollutant, "daily", compute_metrics(dm, dobs)});
    }
    // AQI category hit rate per station over complete days, and the next day (the first complete
    // day after the start day).
    for (std::size_t r = 0; r < s.names.size(); ++r) {
        std::map<std::string, std::map<std::string, std::pair<std::vector<double>, std::vector<double>>>> days;
        // Ozone by local hour slot, model (at the observed hours) and observed: date -> (model, obs).
        std::map<std::string, std::pair<std::array<double, 24>, std::array<double, 24>>> o3_days;
        bool any = false;
        for (const std::string p : {"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"}) {
            const auto it = observed.find({r, p});
            const std::string var = series_var(s, p);
            if (it == observed.end() || var.empty()) continue;
            any = true;
            for (const auto& [t, value] : it->second) {
                const double mid = s.reference_epoch_s + (s.hours[t] - 0.5) * 3600.0;
                const std::string date = local_date(mid, off);
                auto& d = days[date][p];
                d.first.push_back(s.value(var, r, t));
                d.second.push_back(value);
                if (p == "O3") {
                    auto& slots = o3_days.try_emplace(date, kNoHours, kNoHours).first->second;
                    const auto slot = static_cast<std::size_t>(local_hour_slot(mid, off));
                    slots.first[slot] = s.value(var, r, t);
                    slots.second[slot] = value;
                }
            }
        }
        if (!any) continue;
        CategoryHits h;
        h.station = s.names[r];
        const std::string start_day = local_date(s.reference_epoch_s, off);
        bool next_done = false;
        for (const auto& [date, by_pollutant] : days) {
            aqi::Concentrations cm, co;
            bool complete = true;
            for (const auto& [p, pair] : by_pollutant) {
                if (static_cast<int>(pair.first.size()) < kValidHours) complete = false;
                if (p == "O3") {  // the daily maximum 1-h value and MDA8 of each
                    const auto& slots = o3_days.at(date);
                    const aqi::O3Day dm = aqi::o3_day(slots.first), dob = aqi::o3_day(slots.second);
                    cm.o3_1h = dm.max_1h;
                    cm.o3_8h = dm.mda8;
                    co.o3_1h = dob.max_1h;
                    co.o3_8h = dob.mda8;
                    continue;
                }
                double* tm = p == "PM2.5" ? &cm.pm25_24h : p == "PM10" ? &cm.pm10_24h : p == "SO2" ? &cm.so2_24h : p == "NO2" ? &cm.no2_24h : &cm.co_24h;
                double* to = p == "PM2.5" ? &co.pm25_24h : p == "PM10" ? &co.pm10_24h : p == "SO2" ? &co.so2_24h : p == "NO2" ? &co.no2_24h : &co.co_24h;
                *tm = mean_of(pair.first);
                *to = mean_of(pair.second);
            }
            if (!complete) continue;
            const int cat_m = aqi::daily_aqi(cm).category, cat_o = aqi::daily_aqi(co).category;
            ++h.days;
            h.hits += cat_m == cat_o ? 1 : 0;
            if (!next_done && date > start_day) {
                h.next_day_model = cat_m;
                h.next_day_obs = cat_o;
                next_done = true;
            }
        }
        e.hits.push_back(h);
    }
    return e;
}

namespace {

// The Python plots; returns the PNG files made (relative to the output folder).
std::vector<std::string> make_plots(const ReportOptions& o, const std::string& series_path, const std::string& daily_csv,
                                    int utc_offset_h, std::string& log) {
    std::string script = o.plot_script;
    if (script.empty()) {
        const char* env = std::getenv("LANTIAN_PLOT_SCRIPT");
        script = env ? env : LANTIAN_PLOT_SCRIPT;
    }
    const std::string list = o.output_dir + "/plots.txt";
    const std::string cmd = o.python + " '" + script + "' --run '" + o.run_file + "' --series '" + series_path +
                            "' --daily '" + daily_csv + "' --outdir '" + o.output_dir + "' --utc-offset " +
                            std::to_string(utc_offset_h) + " --list '" + list + "' > '" + o.output_dir + "/plots.log' 2>&1";
    const int rc = std::system(cmd.c_str());
    std::ifstream in(o.output_dir + "/plots.log");
    std::stringstream ss;
    ss << in.rdbuf();
    log = ss.str();
    if (rc != 0)
        throw std::runtime_error("plotting failed (" + cmd + "): " + log +
                                 "\nthe tables and CSV files were written; install python3-matplotlib and python3-netcdf4 "
                                 "(scripts/install-deps.sh) or use --no-plots");
    std::vector<std::string> files;
    std::ifstream l(list);
    std::string line;
    while (std::getline(l, line))
        if (!line.empty()) files.push_back(line);
    return files;
}

std::string css() {
    return "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
           "td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}th{background:#eee}"
           "td.l{text-align:left}.c1{background:#00e400}.c2{background:#ffff00}.c3{background:#ff7e00}"
           ".c4{background:#ff0000;color:#fff}.c5{background:#99004c;color:#fff}.c6{background:#7e0023;color:#fff}"
           ".yellow{background:#ffff00}.orange{background:#ff7e00}.red{background:#ff0000;color:#fff}"
           "img{max-width:48%;margin:4px;border:1px solid #ccc}";
}

}  // namespace

std::string write_report(const ReportOptions& opt_in) {
    ReportOptions o = opt_in;
    const NcReader run(o.run_file, "cannot open the run's output");
    const std::string status = run.text_att(NC_GLOBAL, "lantian_status");
    const std::string config_text = run.text_att(NC_GLOBAL, "lantian_config");
    const std::string series_name = run.text_att(NC_GLOBAL, "lantian_receptors_file");
    const std::string title = run.text_att(NC_GLOBAL, "title");
    if (config_text.empty()) throw ConfigError(o.run_file + ": no lantian_config attribute (not a Lantian run output)");
    if (series_name.empty())
        throw ConfigError(o.run_file + ": the run has no receptor series; set [receptors] stations and/or cities and rerun");
    const Config cfg = load_stored_config(config_text, o.run_file + " (lantian_config)");
    const AlertRules rules = parse_alert_rules(cfg.alerts.yellow, cfg.alerts.orange, cfg.alerts.red);
    const std::string folder = fs::path(o.run_file).parent_path().string();
    const std::string series_path = (folder.empty() ? "" : folder + "/") + series_name;
    const SeriesFile s = read_series(series_path);
    if (o.output_dir.empty()) o.output_dir = strip_nc_suffix(o.run_file) + "_report";
    // Observations (optional): the evaluation and the dust proxy's observed evidence.
    const std::vector<Observation> observations = o.observations.empty() ? std::vector<Observation>{} : read_observations(o.observations);
    const ObservedPm obs_pm = observed_pm(s, observations);
    fs::create_directories(o.output_dir);

    std::ostringstream console, html, csv;
    // Photochemical runs (O3 in the series) add the daily maximum 1-h O3 and MDA8 after CO.
    const bool has_o3 = s.has("O3");
    csv << "receptor,kind,date,hours,complete,PM25_ug_m3,PM10_ug_m3,SO2_ug_m3,NO2_ug_m3,CO_mg_m3,"
        << (has_o3 ? "O3_1h_max_ug_m3,O3_MDA8_ug_m3," : "")
        << "AQI,category,category_zh,primary_pollutant,alert_aqi,alert_level,"
        << "dust_hours,dust_hours_observed,dust_day,aqi_without_dust,category_without_dust,primary_without_dust\n";
    // Dust-affected days per receptor (proxy of 环办监测〔2016〕120号), for their own section.
    struct DustSummary {
        std::string name, kind;
        std::vector<DailyRow> rows;
        DustStatistics all, without;
    };
    std::vector<DustSummary> dust;
    html << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" << title << "</title><style>" << css()
         << "</style></head><body><h1>" << title << "</h1>";
    html << "<p>Run file: " << fs::path(o.run_file).filename().string() << " (" << status << "). Daily values are local-time ("
         << "UTC" << (cfg.alerts.utc_offset_h >= 0 ? "+" : "") << cfg.alerts.utc_offset_h << ") 24-h means; AQI after HJ 633-2012; "
         << "alert rules: yellow <i>" << cfg.alerts.yellow << "</i>, orange <i>" << cfg.alerts.orange << "</i>, red <i>"
         << cfg.alerts.red << "</i> (daily: " << to_string(cfg.alerts.daily) << "). Days with fewer than 20 hours are marked *.</p>";
    if (has_o3)
        html << "<p>Ozone: O3 1-h max is the day's largest hourly value; MDA8 the largest 8-h running mean ending "
                "08:00–24:00 local time (each of at least 6 hours); the daily AQI takes the larger of their indices "
                "(the 1-h one alone when MDA8 exceeds 800 µg/m³).</p>";
    console << "Lantian forecast report: " << title << "\n";
    for (int kind : {1, 0}) {
        for (std::size_t r = 0; r < s.names.size(); ++r) {
            if (s.kinds[r] != kind) continue;
            auto rows = daily_rows(s, r, cfg.alerts, rules);
            mark_dust_days(rows, s, r, cfg.dust_days, cfg.alerts.utc_offset_h, observations.empty() ? nullptr : &obs_pm);
            int heavy = 0;
            AlertLevel worst = AlertLevel::none;
            for (const auto& d : rows) {
                heavy += (d.complete && aqi::heavy_pollution(d.aqi.aqi)) ? 1 : 0;
                worst = std::max(worst, d.alert);
            }
            const std::string kind_name = kind ? "city" : "station";
            console << "\n" << s.names[r] << " (" << kind_name << "): " << heavy << " heavy-pollution day(s) (AQI > 200), highest alert "
                    << alert_name(worst) << "\n";
            console << "  date         PM2.5   PM10    SO2    NO2    CO" << (has_o3 ? "  O3-1h   MDA8" : "")
                    << "   AQI  category             primary       alert\n";
            html << "<h2>" << s.names[r] << " (" << kind_name << ")</h2><p>" << heavy
                 << " heavy-pollution day(s) (daily AQI &gt; 200); highest alert level: <b>" << alert_name(worst) << " ("
                 << alert_name_zh(worst) << ")</b></p><table><tr><th>date</th><th>hours</th><th>PM2.5 µg/m³</th><th>PM10 µg/m³</th>"
                 << "<th>SO2 µg/m³</th><th>NO2 µg/m³</th><th>CO mg/m³</th>"
                 << (has_o3 ? "<th>O3 1-h max µg/m³</th><th>O3 MDA8 µg/m³</th>" : "")
                 << "<th>AQI</th><th>category</th><th>primary</th><th>alert</th></tr>";
            for (const auto& d : rows) {
                const std::string primary = d.aqi.primary.empty() ? "-" : join(d.aqi.primary, "+");
                console << "  " << d.date << (d.complete ? " " : "*") << std::setw(7) << fmt(d.pm25) << std::setw(7) << fmt(d.pm10)
                        << std::setw(7) << fmt(d.so2) << std::setw(7) << fmt(d.no2) << std::setw(6) << fmt(d.co, 2);
                if (has_o3) console << std::setw(7) << fmt(d.o3_1h_max) << std::setw(7) << fmt(d.o3_mda8);
                console << std::setw(6) << d.aqi.aqi << "  " << std::left << std::setw(21) << aqi::category_name_en(d.aqi.category)
                        << std::setw(14) << primary << alert_name(d.alert) << std::right << "\n";
                html << "<tr><td class=\"l\">" << d.date << (d.complete ? "" : "*") << "</td><td>" << d.hours << "</td><td>"
                     << fmt(d.pm25) << "</td><td>" << fmt(d.pm10) << "</td><td>" << fmt(d.so2) << "</td><td>" << fmt(d.no2)
                     << "</td><td>" << fmt(d.co, 2) << "</td>";
                if (has_o3) html << "<td>" << fmt(d.o3_1h_max) << "</td><td>" << fmt(d.o3_mda8) << "</td>";
                html << "<td class=\"c" << d.aqi.category << "\">" << d.aqi.aqi
                     << "</td><td class=\"l\">" << aqi::category_name_zh(d.aqi.category) << " "
                     << aqi::category_name_en(d.aqi.category) << "</td><td class=\"l\">" << primary << "</td><td class=\""
                     << alert_name(d.alert) << "\">" << alert_name(d.alert) << "</td></tr>";
                csv << s.names[r] << "," << kind_name << "," << d.date << "," << d.hours << "," << (d.complete ? 1 : 0) << ","
                    << fmt(d.pm25, 2) << "," << fmt(d.pm10, 2) << "," << fmt(d.so2, 2) << "," << fmt(d.no2, 2) << ","
                    << fmt(d.co, 3) << ",";
                if (has_o3) csv << fmt(d.o3_1h_max, 2) << "," << fmt(d.o3_mda8, 2) << ",";
                csv << d.aqi.aqi << "," << aqi::category_name_en(d.aqi.category) << ","
                    << aqi::category_name_zh(d.aqi.category) << "," << primary << "," << d.alert_aqi << "," << alert_name(d.alert)
                    << "," << d.dust_hours << "," << d.dust_hours_observed << "," << (d.dust_day ? 1 : 0) << ","
                    << d.aqi_without_dust.aqi << "," << aqi::category_name_en(d.aqi_without_dust.category) << ","
                    << (d.aqi_without_dust.primary.empty() ? "-" : join(d.aqi_without_dust.primary, "+")) << "\n";
            }
            html << "</table>";
            std::vector<DustDayValues> values;
            for (const auto& d : rows)
                values.push_back({d.complete, d.dust_day, d.pm25, d.pm10, d.aqi.aqi, d.aqi_without_dust.aqi});
            dust.push_back({s.names[r], kind_name, rows, dust_period_statistics(values, false), dust_period_statistics(values, true)});
        }
    }
    const std::string daily_csv = o.output_dir + "/daily.csv";
    {
        std::ofstream f(daily_csv);
        if (!f) throw std::runtime_error(daily_csv + ": cannot write");
        f << csv.str();
    }

    // Dust-affected days: the period statistics with and without them, dust_statistics.csv, the
    // console summary and the HTML section.
    {
        const DustDaysConfig& dc = cfg.dust_days;
        const bool model_dust = s.has("DUST") && !series_var(s, "PM10").empty();
        std::ofstream f(o.output_dir + "/dust_statistics.csv");
        if (!f) throw std::runtime_error(o.output_dir + "/dust_statistics.csv: cannot write");
        f << "receptor,kind,basis,days,dust_days,pm_days,heavy_days,PM25_mean_ug_m3,PM10_mean_ug_m3,PM25_exceed_days,"
             "PM10_exceed_days\n";
        // The rule with the run's thresholds, for the console (ge, le, gt = ">=", "<=", ">") and the page.
        const auto rule = [&](const std::string& ge, const std::string& le, const std::string& gt, const std::string& ug) {
            std::ostringstream r;
            r << "an hour is dust-affected when the model's dust share of PM10 (DUST/PM10_total) is " << ge << " "
              << fmt(dc.model_share_min, 2) << " or, where PM2.5 and PM10 are both observed (these hours decide by "
              << "observation alone), the observed PM2.5/PM10 is " << le << " " << fmt(dc.obs_ratio_max, 2)
              << " with observed PM10 " << gt << " " << fmt(dc.obs_pm10_min_ug_m3, 0) << " " << ug << "; a local day with "
              << ge << " " << dc.min_hours << " dust-affected hours is a dust day, whose PM10 and PM2.5 leave the assessment";
            return r.str();
        };
        console << "\ndust-affected days (PROXY of the provisions 环办监测〔2016〕120号, docs/dust-days.md): "
                << rule(">=", "<=", ">", "ug/m3") << "\n";
        if (!model_dust) console << "  note: the run has no DUST species (or no PM10_total): only observed hours can be dust-affected\n";
        html << "<h2>Dust-affected days (proxy of 环办监测〔2016〕120号)</h2><p>The Ministry's supplementary provisions identify "
                "sand-dust periods from satellite and dust-monitoring-network evidence and remove PM10 and PM2.5 (only those "
                "two) from the assessment of those periods. Lantian has neither evidence; this section is a <b>proxy</b>: "
             << rule("&ge;", "&le;", "&gt;", "µg/m³") << ". On a dust day the AQI is recomputed without the PM10 and PM2.5 sub-indices. Complete days "
                "(&ge; 20 hours) only; exceedance: 24-h PM2.5 &gt; 75 µg/m³, PM10 &gt; 150 µg/m³ (GB 3095-2012 grade II).";
        if (!model_dust) html << " <b>The run has no DUST species: only observed hours can be dust-affected.</b>";
        html << "</p><table><tr><th>receptor</th><th>basis</th><th>days</th><th>dust days</th><th>PM days</th>"
                "<th>heavy days (AQI &gt; 200)</th><th>mean PM2.5 µg/m³</th><th>mean PM10 µg/m³</th><th>PM2.5 &gt; 75 days</th>"
                "<th>PM10 &gt; 150 days</th></tr>";
        for (const auto& d : dust) {
            for (const auto& [basis, st] : {std::pair<std::string, const DustStatistics&>{"all", d.all},
                                            std::pair<std::string, const DustStatistics&>{"without_dust", d.without}}) {
                f << d.name << "," << d.kind << "," << basis << "," << st.days << "," << st.dust_days << "," << st.pm_days << ","
                  << st.heavy_days << "," << fmt(st.mean_pm25, 2) << "," << fmt(st.mean_pm10, 2) << "," << st.pm25_exceed_days
                  << "," << st.pm10_exceed_days << "\n";
                html << "<tr><td class=\"l\">" << d.name << " (" << d.kind << ")</td><td class=\"l\">"
                     << (basis == "all" ? "with dust days" : "without dust days") << "</td><td>" << st.days << "</td><td>"
                     << st.dust_days << "</td><td>" << st.pm_days << "</td><td>" << st.heavy_days << "</td><td>"
                     << fmt(st.mean_pm25) << "</td><td>" << fmt(st.mean_pm10) << "</td><td>" << st.pm25_exceed_days << "</td><td>"
                     << st.pm10_exceed_days << "</td></tr>";
            }
            std::vector<std::string> dates;
            for (const auto& row : d.rows)
                if (row.dust_day)
                    // An incomplete day (fewer than 20 hours) is shown but not counted (dust_days.hpp).
                    dates.push_back(row.date + " (" + std::to_string(row.dust_hours) + " h, AQI " + std::to_string(row.aqi.aqi) +
                                    " -> " + std::to_string(row.aqi_without_dust.aqi) +
                                    (row.complete ? ")" : "; incomplete day, not counted)"));
            console << "  " << d.name << " (" << d.kind << "): " << d.all.dust_days << " dust day(s)"
                    << (dates.empty() ? "" : ": " + join(dates, ", ")) << "\n    heavy days " << d.all.heavy_days << " -> "
                    << d.without.heavy_days << " without dust; mean PM2.5 " << fmt(d.all.mean_pm25) << " -> "
                    << fmt(d.without.mean_pm25) << ", PM10 " << fmt(d.all.mean_pm10) << " -> " << fmt(d.without.mean_pm10)
                    << " ug/m3; exceedance days PM2.5 " << d.all.pm25_exceed_days << " -> " << d.without.pm25_exceed_days
                    << ", PM10 " << d.all.pm10_exceed_days << " -> " << d.without.pm10_exceed_days << " (PM days " << d.all.pm_days
                    << " -> " << d.without.pm_days << ")\n";
        }
        html << "</table>";
        bool any = false;
        for (const auto& d : dust)
            for (const auto& row : d.rows) any = any || row.dust_day;
        if (any) {
            html << "<table><tr><th>receptor</th><th>dust day</th><th>dust hours (observed)</th><th>PM2.5 µg/m³</th>"
                    "<th>PM10 µg/m³</th><th>AQI</th><th>AQI without dust (PM removed)</th><th>primary without dust</th></tr>";
            for (const auto& d : dust)
                for (const auto& row : d.rows) {
                    if (!row.dust_day) continue;
                    html << "<tr><td class=\"l\">" << d.name << "</td><td class=\"l\">" << row.date << (row.complete ? "" : "*")
                         << "</td><td>" << row.dust_hours << " (" << row.dust_hours_observed << ")</td><td>" << fmt(row.pm25)
                         << "</td><td>" << fmt(row.pm10) << "</td><td class=\"c" << row.aqi.category << "\">" << row.aqi.aqi
                         << "</td><td class=\"c" << row.aqi_without_dust.category << "\">" << row.aqi_without_dust.aqi
                         << "</td><td class=\"l\">"
                         << (row.aqi_without_dust.primary.empty() ? "-" : join(row.aqi_without_dust.primary, "+")) << "</td></tr>";
                }
            html << "</table>";
        } else {
            html << "<p>No dust-affected day at any receptor.</p>";
        }
    }

    // Source contributions (tagged runs): daily-mean PM2.5 per tag group at every city.
    std::vector<std::string> groups;
    for (const auto& [name, values] : s.data)
        if (name.rfind("PM25_total__", 0) == 0) groups.push_back(name.substr(12));
    if (!groups.empty()) {
        std::ofstream f(o.output_dir + "/contributions.csv");
        f << "receptor,date,group,PM25_ug_m3,share\n";
        html << "<h2>Source contributions to daily PM2.5 (tags: " << join(groups, ", ") << ")</h2>";
        console << "\nsource contributions to daily-mean PM2.5 (ug/m3; tags sum to the total)\n";
        for (std::size_t r = 0; r < s.names.size(); ++r) {
            if (s.kinds[r] != 1) continue;
            std::map<std::string, std::map<std::string, std::pair<double, int>>> by_day;  // date -> group -> sum, n
            for (std::size_t t = 0; t < s.hours.size(); ++t) {
                const std::string date = local_date(s.reference_epoch_s + (s.hours[t] - 0.5) * 3600.0, cfg.alerts.utc_offset_h);
                for (const auto& g : groups) {
                    auto& acc = by_day[date][g];
                    acc.first += s.value("PM25_total__" + g, r, t);
                    ++acc.second;
                }
            }
            console << "  " << s.names[r] << ":\n    date      ";
            html << "<h3>" << s.names[r] << "</h3><table><tr><th>date</th>";
            for (const auto& g : groups) {
                console << std::setw(14) << g.substr(0, 13);
                html << "<th>" << g << "</th>";
            }
            console << "\n";
            html << "</tr>";
            for (const auto& [date, by_group] : by_day) {
                double total = 0;
                for (const auto& [g, acc] : by_group) total += acc.first / acc.second;
                console << "    " << date;
                html << "<tr><td class=\"l\">" << date << "</td>";
                for (const auto& g : groups) {
                    const auto& acc = by_group.at(g);
                    const double mean = acc.first / acc.second;
                    console << std::setw(14) << fmt(mean);
                    html << "<td>" << fmt(mean) << "</td>";
                    f << s.names[r] << "," << date << "," << g << "," << mean << "," << (total > 0 ? mean / total : 0.0) << "\n";
                }
                console << "\n";
                html << "</tr>";
            }
            html << "</table>";
        }
    }

    if (!o.observations.empty()) {
        const Evaluation e = evaluate(s, observations, cfg.alerts);
        std::ofstream f(o.output_dir + "/evaluation.csv");
        f << "station,pollutant,averaging,n,mean_obs,mean_model,MB,NMB,NME,RMSE,R,FAC2,MFB,MFE,NMB_flag,NME_flag,R_flag,MFB_flag,MFE_flag\n";
        console << "\nevaluation against " << o.observations << " (flags: Emery et al. 2017 goals/criteria for daily PM2.5 and for "
                << "O3 MDA8 on days observed >= 40 ppb; MFB/MFE Boylan & Russell 2006)\n";
        html << "<h2>Evaluation against observations</h2><table><tr><th>station</th><th>pollutant</th><th>averaging</th><th>n</th>"
             << "<th>obs</th><th>model</th><th>MB</th><th>NMB</th><th>NME</th><th>RMSE</th><th>R</th><th>FAC2</th><th>MFB</th><th>MFE</th><th>benchmarks (daily PM2.5; O3 MDA8 ≥ 40 ppb)</th></tr>";
        for (const auto& row : e.rows) {
            const Metrics& m = row.m;
            const bool bench = row.pollutant == "PM2.5" && row.averaging == "daily";
            // Ozone: the Emery et al. (2017) O3 benchmarks on the MDA8 days observed at ≥ 40 ppb.
            const bool bench_o3 = row.pollutant == "O3" && row.averaging == "MDA8>=40ppb";
            std::string flags = "-";
            if (bench)
                flags = "NMB " + flag_nmb(m.nmb) + ", NME " + flag_nme(m.nme) + ", R " + flag_r(m.r) + ", MFB " + flag_mfb(m.mfb) +
                        ", MFE " + flag_mfe(m.mfe);
            if (bench_o3) flags = "NMB " + flag_o3_nmb(m.nmb) + ", NME " + flag_o3_nme(m.nme) + ", R " + flag_o3_r(m.r);
            const std::string f_nmb = bench ? flag_nmb(m.nmb) : bench_o3 ? flag_o3_nmb(m.nmb) : "";
            const std::string f_nme = bench ? flag_nme(m.nme) : bench_o3 ? flag_o3_nme(m.nme) : "";
            const std::string f_r = bench ? flag_r(m.r) : bench_o3 ? flag_o3_r(m.r) : "";
            f << row.station << "," << row.pollutant << "," << row.averaging << "," << m.n << "," << m.mean_obs << "," << m.mean_model
              << "," << m.mb << "," << m.nmb << "," << m.nme << "," << m.rmse << "," << m.r << "," << m.fac2 << "," << m.mfb << ","
              << m.mfe << "," << f_nmb << "," << f_nme << "," << f_r << "," << (bench ? flag_mfb(m.mfb) : "") << ","
              << (bench ? flag_mfe(m.mfe) : "") << "\n";
            console << "  " << std::left << std::setw(18) << row.station << std::setw(7) << row.pollutant << std::setw(8) << row.averaging
                    << std::right << " n " << std::setw(4) << m.n << "  NMB " << std::setw(6) << fmt(100 * m.nmb) << "%  NME "
                    << std::setw(6) << fmt(100 * m.nme) << "%  R " << fmt(m.r, 2) << "  FAC2 " << fmt(m.fac2, 2) << "  " << flags << "\n";
            html << "<tr><td class=\"l\">" << row.station << "</td><td class=\"l\">" << row.pollutant << "</td><td class=\"l\">"
                 << row.averaging << "</td><td>" << m.n << "</td><td>" << fmt(m.mean_obs) << "</td><td>" << fmt(m.mean_model)
                 << "</td><td>" << fmt(m.mb) << "</td><td>" << fmt(100 * m.nmb) << "%</td><td>" << fmt(100 * m.nme) << "%</td><td>"
                 << fmt(m.rmse) << "</td><td>" << fmt(m.r, 2) << "</td><td>" << fmt(m.fac2, 2) << "</td><td>" << fmt(100 * m.mfb)
                 << "%</td><td>" << fmt(100 * m.mfe) << "%</td><td class=\"l\">" << flags << "</td></tr>";
        }
        html << "</table><h3>AQI category hit rate (target ≥ 80%)</h3><table><tr><th>station</th><th>complete days</th><th>hits</th>"
             << "<th>hit rate</th><th>next day: model / observed category</th></tr>";
        for (const auto& h : e.hits) {
            const double rate = h.days ? 100.0 * h.hits / h.days : std::nan("");
            console << "  AQI category hits " << h.station << ": " << h.hits << "/" << h.days << " days (" << fmt(rate) << "%, target >= 80%)"
                    << (h.days && rate >= 80 ? "" : " below target") << "\n";
            html << "<tr><td class=\"l\">" << h.station << "</td><td>" << h.days << "</td><td>" << h.hits << "</td><td>" << fmt(rate)
                 << "%</td><td>" << (h.next_day_model ? aqi::category_level(h.next_day_model) + " / " + aqi::category_level(h.next_day_obs) : "-")
                 << "</td></tr>";
        }
        html << "</table>";
        for (const auto& w : e.warnings) console << "warning: " << w << "\n";
    }

    if (o.plots) {
        std::string log;
        const auto files = make_plots(o, series_path, daily_csv, cfg.alerts.utc_offset_h, log);
        html << "<h2>Maps and time series</h2>";
        for (const auto& f : files) html << "<img src=\"" << f << "\" alt=\"" << f << "\">";
        console << "\n" << files.size() << " plot(s) in " << o.output_dir << "\n";
    }
    html << "<p style=\"color:#777\">Made by Lantian (lantian report).</p></body></html>\n";
    {
        std::ofstream f(o.output_dir + "/index.html");
        f << html.str();
    }
    console << "report: " << o.output_dir << "/index.html, daily table " << daily_csv << "\n";
    return console.str();
}

}  // namespace lantian
