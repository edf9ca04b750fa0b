// `lantian report RUN.nc`: what a forecaster reads. Per city (and station) a daily table of 24-h
// PM2.5, PM10, SO2, NO2, CO, AQI, category, primary pollutant and alert level; heavy-pollution
// days; optional evaluation against observations; CSV files, PNG maps and time series (drawn by
// scripts/report_plots.py with Debian's matplotlib) and one HTML page that puts them together.
#pragma once

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "report/alerts.hpp"
#include "report/aqi.hpp"
#include "report/dust_days.hpp"
#include "report/evaluation.hpp"

namespace lantian {

// Hourly receptor series as written by the run (<stem>_receptors.nc). Ozone ("O3") is there in
// photochemical runs only; its 8-h running mean and MDA8 are computed here from the hourly values.
struct SeriesFile {
    std::string path;
    double reference_epoch_s = 0;
    std::vector<double> hours;                        // record times, hours since the reference (end of each hour)
    std::vector<std::string> names;
    std::vector<int> kinds;                           // 0 station, 1 city
    std::vector<double> lat, lon;
    std::map<std::string, std::vector<double>> data;  // variable -> [receptor * ntimes + t]
    std::map<std::string, std::string> units;
    double value(const std::string& var, std::size_t r, std::size_t t) const;
    bool has(const std::string& var) const { return data.count(var) > 0; }
};
SeriesFile read_series(const std::string& path);

struct DailyRow {
    std::string date;            // local date YYYY-MM-DD
    int hours = 0;               // hourly values in the day
    bool complete = false;       // ≥ 20 hourly values (GB 3095-2012 validity of a daily mean)
    double pm25 = 0, pm10 = 0, so2 = 0, no2 = 0, co = 0;  // 24-h means (µg m-3; CO mg m-3)
    // Ozone (photochemical runs; NaN when the run has no O3): the day's largest hourly value and its
    // MDA8, the largest valid 8-h running mean ending 08:00–24:00 local (aqi::o3_day), µg m-3.
    double o3_1h_max = std::nan(""), o3_mda8 = std::nan("");
    int o3_windows = 0;          // valid 8-h windows behind o3_mda8 (of 17)
    aqi::Concentrations conc;    // what the daily AQI was computed from
    aqi::AqiResult aqi;
    int alert_aqi = 0;           // the AQI the alert rules saw (rolling24: the day's largest running mean AQI)
    AlertLevel alert = AlertLevel::none;
    // Dust-affected hours and day (proxy of 环办监测〔2016〕120号, set by mark_dust_days): the day's
    // dust hours, those decided by observations, the day's mark, and its AQI without the PM10 and
    // PM2.5 sub-indices when it is a dust day (= aqi otherwise).
    int dust_hours = 0, dust_hours_observed = 0;
    bool dust_day = false;
    aqi::AqiResult aqi_without_dust;
};

// Daily rows of receptor r: local days (UTC + utc_offset_h) of the hourly records (a record at
// time t covers the hour before t), daily AQI (HJ 633-2012, with the daily maximum 1-h O3 and MDA8
// when the run has O3) and alert levels from the rules.
std::vector<DailyRow> daily_rows(const SeriesFile& s, std::size_t r, const AlertsConfig& alerts, const AlertRules& rules);

// Station observations (CSV station,time,pollutant,value,unit); ConfigError "file:line: …".
struct Observation {
    std::string station, pollutant;  // pollutant: PM2.5, PM10, SO2, NO2, CO, O3
    double epoch_s = 0;              // end of the hour (UTC)
    double value = 0;                // µg m-3 (CO mg m-3)
};
std::vector<Observation> read_observations(const std::string& path);

// Observed PM2.5 and PM10 at the receptors' records for the dust proxy: [receptor * ntimes + t]
// in µg m-3, NaN where not observed (observations of other stations or times are ignored).
struct ObservedPm {
    std::vector<double> pm25, pm10;
};
ObservedPm observed_pm(const SeriesFile& s, const std::vector<Observation>& obs);

// Classifies every hourly record of receptor r (classify_dust_hour: the series' DUST and the PM10
// variable, and obs when given) and marks the rows of daily_rows(s, r, …) made with the same
// utc_offset_h: dust_hours, dust_hours_observed, dust_day (is_dust_day) and aqi_without_dust.
// Returns the hours' classification, one per record.
std::vector<DustHour> mark_dust_days(std::vector<DailyRow>& rows, const SeriesFile& s, std::size_t r,
                                     const DustDaysConfig& c, int utc_offset_h, const ObservedPm* obs);

struct EvaluationRow {
    // averaging: "hourly" or "daily" (24-h means); for O3 "hourly", "MDA8" (daily maximum 8-h means
    // of model and observations, each from its own hours) and "MDA8>=40ppb" (the MDA8 days whose
    // observed value is at least kO3CutoffUgM3, the subset Emery et al. 2017 benchmark).
    std::string station, pollutant, averaging;
    Metrics m;
};
struct CategoryHits {
    std::string station;
    int days = 0, hits = 0;
    int next_day_model = 0, next_day_obs = 0;  // categories of the first full day after the start (0 = none)
};
struct Evaluation {
    std::vector<EvaluationRow> rows;
    std::vector<CategoryHits> hits;
    std::vector<std::string> warnings;
};
// The AQI category hits of a station include ozone (daily maximum 1-h and MDA8, the model at the
// observed hours) when the run has O3 and the observations do.
Evaluation evaluate(const SeriesFile& s, const std::vector<Observation>& obs, const AlertsConfig& alerts);

struct ReportOptions {
    std::string run_file;
    std::string output_dir;          // default: <run stem>_report
    std::string observations;        // optional CSV
    bool plots = true;               // call the Python plotting script
    std::string python = "/usr/bin/python3";
    std::string plot_script;         // default: LANTIAN_PLOT_SCRIPT (the source tree's scripts/report_plots.py)
};

// Writes the report; returns the console summary. ConfigError for bad input (exit 2),
// std::runtime_error for failures (exit 1).
std::string write_report(const ReportOptions& options);

}  // namespace lantian
