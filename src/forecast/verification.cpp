// Verification across cycles: observed days, pairing with the archive, scores, files and the plot.
#include "forecast/verification.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>
#include <tuple>

#include "config/config.hpp"
#include "emissions/csv_table.hpp"
#include "report/aqi.hpp"

namespace lantian {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::array<std::string, 6> kPollutants{"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"};

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (std::size_t k = 0; k < v.size(); ++k) out += (k ? sep : "") + v[k];
    return out;
}

std::string num(double v, int digits) {
    if (!std::isfinite(v)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

// The shortest of 15, 16 or 17 significant digits that reads back to the same double (scores
// are exact in the files, and 0.275 is not written 0.27500000000000002).
std::string exact(double v) {
    if (!std::isfinite(v)) return "";
    char buf[64];
    for (int digits = 15; digits < 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::strtod(buf, nullptr) == v) return buf;
    }
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

bool is_cycle_name(const std::string& name) {
    long long day = 0;
    return name.size() == 8 && name.find_first_not_of("0123456789") == std::string::npos &&
           parse_date(name.substr(0, 4) + "-" + name.substr(4, 2) + "-" + name.substr(6, 2), day);
}

double ratio(int num_, int den) { return den > 0 ? static_cast<double>(num_) / den : kNaN; }

// Pearson R of finite pairs, NaN when fewer than 2 or either series is constant.
double correlation(const std::vector<double>& m, const std::vector<double>& o) {
    std::vector<double> a, b;
    for (std::size_t k = 0; k < m.size() && k < o.size(); ++k)
        if (std::isfinite(m[k]) && std::isfinite(o[k])) {
            a.push_back(m[k]);
            b.push_back(o[k]);
        }
    if (a.size() < 2) return kNaN;
    const bool const_a = std::all_of(a.begin(), a.end(), [&](double x) { return x == a[0]; });
    const bool const_b = std::all_of(b.begin(), b.end(), [&](double x) { return x == b[0]; });
    if (const_a || const_b) return kNaN;
    return compute_metrics(a, b).r;
}

// The AQI of a day's concentrations (NaN = not part of it).
aqi::AqiResult day_aqi(const ObservedDay& d) {
    aqi::Concentrations c;
    c.pm25_24h = d.pm25;
    c.pm10_24h = d.pm10;
    c.so2_24h = d.so2;
    c.no2_24h = d.no2;
    c.co_24h = d.co;
    c.o3_1h = d.o3_1h_max;
    c.o3_8h = d.o3_mda8;
    return aqi::daily_aqi(c);
}

double* field(ObservedDay& d, const std::string& p) {
    if (p == "PM2.5") return &d.pm25;
    if (p == "PM10") return &d.pm10;
    if (p == "SO2") return &d.so2;
    if (p == "NO2") return &d.no2;
    if (p == "CO") return &d.co;
    return nullptr;
}

}  // namespace

std::vector<StationCity> read_station_cities(const std::string& path) {
    const CsvTable t = read_csv_file(path);
    const int c_station = t.find("station") >= 0 ? t.find("station") : t.find("code");
    if (c_station < 0) t.require("station");  // throws naming the missing column
    const std::size_t cs = static_cast<std::size_t>(c_station), cc = t.require("city");
    std::vector<StationCity> out;
    std::set<std::string> seen;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        StationCity s{t.cell(r, cs), t.cell(r, cc)};
        if (s.station.empty()) t.fail(r, cs, "must not be empty");
        if (s.city.empty()) t.fail(r, cc, "must not be empty");
        if (!seen.insert(s.station).second) t.fail(r, cs, "is listed twice");
        out.push_back(s);
    }
    return out;
}

std::vector<ObservedDay> station_days(const std::vector<Observation>& obs, int utc_offset_h) {
    // station → pollutant → hour (end of the hour, hours since 1970 UTC) → value; later values win.
    std::map<std::string, std::map<std::string, std::map<long long, double>>> hourly;
    for (const auto& o : obs) hourly[o.station][o.pollutant][std::llround(o.epoch_s / 3600.0)] = o.value;
    std::vector<ObservedDay> out;
    for (const auto& [station, by_pollutant] : hourly) {
        // day → pollutant → values by local hour slot (slot h: the hour ending (h + 1):00 local)
        std::map<long long, std::map<std::string, std::array<double, 24>>> days;
        for (const auto& [p, hours] : by_pollutant)
            for (const auto& [hour_end, value] : hours) {
                // The hour belongs to the local day of its middle.
                const double mid_local_s = (static_cast<double>(hour_end) - 0.5 + utc_offset_h) * 3600.0;
                const long long day = static_cast<long long>(std::floor(mid_local_s / 86400.0));
                const int slot = std::clamp(static_cast<int>(std::floor((mid_local_s - day * 86400.0) / 3600.0)), 0, 23);
                auto it = days.find(day);
                if (it == days.end()) it = days.emplace(day, std::map<std::string, std::array<double, 24>>{}).first;
                auto slots = it->second.find(p);
                if (slots == it->second.end()) {
                    std::array<double, 24> none;
                    none.fill(kNaN);
                    slots = it->second.emplace(p, none).first;
                }
                slots->second[static_cast<std::size_t>(slot)] = value;
            }
        for (const auto& [day, values] : days) {
            ObservedDay d;
            d.receptor = station;
            d.kind = "station";
            d.date = format_date(day);
            d.stations = 1;
            d.valid = true;
            for (const auto& [p, ignored] : by_pollutant) {  // every pollutant the station reports
                const auto it = values.find(p);
                int n = 0;
                double sum = 0;
                if (it != values.end())
                    for (double v : it->second)
                        if (std::isfinite(v)) {
                            ++n;
                            sum += v;
                        }
                if (n < kValidDailyHours) {
                    d.valid = false;
                    continue;
                }
                if (p == "O3") {
                    const aqi::O3Day o3 = aqi::o3_day(it->second);
                    if (!std::isfinite(o3.mda8)) {
                        d.valid = false;
                        continue;
                    }
                    d.o3_1h_max = o3.max_1h;
                    d.o3_mda8 = o3.mda8;
                } else if (double* f = field(d, p)) {
                    *f = sum / n;  // 24-h mean
                }
            }
            if (d.valid) {
                d.aqi = day_aqi(d);
                d.heavy = aqi::heavy_pollution(d.aqi.aqi);
            }
            out.push_back(d);
        }
    }
    return out;
}

std::vector<ObservedDay> city_days(const std::vector<ObservedDay>& stations, const std::vector<StationCity>& map) {
    std::map<std::string, std::string> city_of;
    for (const auto& s : map) city_of[s.station] = s.city;
    // (city, date) → the valid station days
    std::map<std::pair<std::string, std::string>, std::vector<const ObservedDay*>> members;
    for (const auto& d : stations) {
        const auto it = city_of.find(d.receptor);
        if (it == city_of.end() || d.kind != "station" || !d.valid) continue;
        members[{it->second, d.date}].push_back(&d);
    }
    std::vector<ObservedDay> out;
    for (const auto& entry : members) {
        // (Named, not a structured binding: a lambda below uses it, which C++20 compilers differ on.)
        const auto& key = entry.first;
        const std::vector<const ObservedDay*>& days = entry.second;
        ObservedDay c;
        c.receptor = key.first;
        c.kind = "city";
        c.date = key.second;
        c.valid = true;
        c.stations = static_cast<int>(days.size());
        // Per pollutant the mean over the stations that have it.
        const auto mean = [&](double ObservedDay::*member) {
            double sum = 0;
            int n = 0;
            for (const ObservedDay* d : days)
                if (std::isfinite(d->*member)) {
                    sum += d->*member;
                    ++n;
                }
            return n ? sum / n : kNaN;
        };
        c.pm25 = mean(&ObservedDay::pm25);
        c.pm10 = mean(&ObservedDay::pm10);
        c.so2 = mean(&ObservedDay::so2);
        c.no2 = mean(&ObservedDay::no2);
        c.co = mean(&ObservedDay::co);
        c.o3_1h_max = mean(&ObservedDay::o3_1h_max);
        c.o3_mda8 = mean(&ObservedDay::o3_mda8);
        c.aqi = day_aqi(c);
        c.heavy = aqi::heavy_pollution(c.aqi.aqi);
        out.push_back(c);
    }
    return out;
}

std::vector<VerificationRow> verification_rows(const std::vector<ForecastDay>& archive, const std::vector<ObservedDay>& observed) {
    std::map<std::tuple<std::string, std::string, std::string>, const ObservedDay*> obs;  // (kind, receptor, date)
    for (const auto& d : observed)
        if (d.valid) obs[{d.kind, d.receptor, d.date}] = &d;
    std::vector<VerificationRow> rows;
    for (const auto& f : archive) {
        if (f.lead_day < 1 || f.hours < kValidDailyHours) continue;
        const auto it = obs.find({f.kind, f.receptor, f.date});
        if (it == obs.end()) continue;
        const ObservedDay& o = *it->second;
        VerificationRow v;
        v.cycle = f.cycle;
        v.receptor = f.receptor;
        v.kind = f.kind;
        v.date = f.date;
        v.lead_day = f.lead_day;
        v.forecast_aqi = f.aqi;
        v.observed_aqi = o.aqi.aqi;
        v.forecast_category = f.category;
        v.observed_category = o.aqi.category;
        v.forecast_primary = f.primary;
        v.observed_primary = join(o.aqi.primary, "+");
        v.forecast_pm25 = f.pm25;
        v.observed_pm25 = o.pm25;
        if (std::isfinite(f.o3_mda8) && std::isfinite(o.o3_mda8)) {
            v.forecast_o3_mda8 = f.o3_mda8;
            v.observed_o3_mda8 = o.o3_mda8;
        }
        v.aqi_low = f.range.low;
        v.aqi_high = f.range.high;
        v.category_low = f.range.category_low;
        v.category_high = f.range.category_high;
        v.category_hit = v.forecast_category == v.observed_category;
        v.range_hit = v.aqi_low <= v.observed_aqi && v.observed_aqi <= v.aqi_high;
        v.level_range_hit = v.category_low <= v.observed_category && v.observed_category <= v.category_high;
        v.forecast_heavy = aqi::heavy_pollution(v.forecast_aqi);
        v.observed_heavy = o.heavy;
        rows.push_back(v);
    }
    std::sort(rows.begin(), rows.end(), [](const VerificationRow& a, const VerificationRow& b) {
        return std::tie(a.cycle, a.kind, a.receptor, a.lead_day) < std::tie(b.cycle, b.kind, b.receptor, b.lead_day);
    });
    // One forecast per (cycle, kind, receptor, lead day): a repeated archive row would be counted twice.
    for (std::size_t k = 1; k < rows.size(); ++k)
        if (std::tie(rows[k].cycle, rows[k].kind, rows[k].receptor, rows[k].lead_day) ==
            std::tie(rows[k - 1].cycle, rows[k - 1].kind, rows[k - 1].receptor, rows[k - 1].lead_day))
            throw ConfigError("forecast archive: cycle " + rows[k].cycle + " has two rows for " + rows[k].kind + " " +
                              rows[k].receptor + " on " + rows[k].date);
    return rows;
}

std::string verification_csv(const std::vector<VerificationRow>& rows) {
    std::ostringstream o;
    o << "cycle,receptor,kind,date,lead_day,forecast_aqi,observed_aqi,forecast_category,observed_category,"
         "forecast_primary,observed_primary,forecast_pm25,observed_pm25,forecast_o3_mda8,observed_o3_mda8,"
         "aqi_low,aqi_high,category_low,category_high,category_hit,range_hit,level_range_hit,forecast_heavy,observed_heavy\n";
    for (const auto& v : rows)
        o << v.cycle << "," << v.receptor << "," << v.kind << "," << v.date << "," << v.lead_day << "," << v.forecast_aqi
          << "," << v.observed_aqi << "," << v.forecast_category << "," << v.observed_category << ","
          << (v.forecast_primary.empty() ? "-" : v.forecast_primary) << ","
          << (v.observed_primary.empty() ? "-" : v.observed_primary) << "," << num(v.forecast_pm25, 2) << ","
          << num(v.observed_pm25, 2) << "," << num(v.forecast_o3_mda8, 2) << "," << num(v.observed_o3_mda8, 2) << ","
          << v.aqi_low << "," << v.aqi_high << "," << v.category_low << "," << v.category_high << "," << v.category_hit
          << "," << v.range_hit << "," << v.level_range_hit << "," << v.forecast_heavy << "," << v.observed_heavy << "\n";
    return o.str();
}

std::vector<VerificationRow> read_verification_csv(const std::string& path) {
    const CsvTable t = read_csv_file(path);
    std::vector<VerificationRow> out;
    auto col = [&](const char* name) { return t.require(name); };
    const std::size_t c_cycle = col("cycle"), c_rec = col("receptor"), c_kind = col("kind"), c_date = col("date"),
                      c_lead = col("lead_day"), c_fa = col("forecast_aqi"), c_oa = col("observed_aqi"),
                      c_fc = col("forecast_category"), c_oc = col("observed_category"), c_fp = col("forecast_primary"),
                      c_op = col("observed_primary"), c_fpm = col("forecast_pm25"), c_opm = col("observed_pm25"),
                      c_fo3 = col("forecast_o3_mda8"), c_oo3 = col("observed_o3_mda8"), c_lo = col("aqi_low"),
                      c_hi = col("aqi_high"), c_cl = col("category_low"), c_ch = col("category_high"),
                      c_hit = col("category_hit"), c_rh = col("range_hit"), c_lrh = col("level_range_hit"),
                      c_fh = col("forecast_heavy"), c_oh = col("observed_heavy");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        VerificationRow v;
        v.cycle = t.cell(r, c_cycle);
        v.receptor = t.cell(r, c_rec);
        v.kind = t.cell(r, c_kind);
        v.date = t.cell(r, c_date);
        v.lead_day = static_cast<int>(t.number(r, c_lead, 0, 100, "a lead day"));
        v.forecast_aqi = static_cast<int>(t.number(r, c_fa, 0, 1000, "an AQI"));
        v.observed_aqi = static_cast<int>(t.number(r, c_oa, 0, 1000, "an AQI"));
        v.forecast_category = static_cast<int>(t.number(r, c_fc, 1, 6, "a category 1-6"));
        v.observed_category = static_cast<int>(t.number(r, c_oc, 1, 6, "a category 1-6"));
        v.forecast_primary = t.cell(r, c_fp) == "-" ? "" : t.cell(r, c_fp);
        v.observed_primary = t.cell(r, c_op) == "-" ? "" : t.cell(r, c_op);
        auto opt = [&](std::size_t c) { return t.cell(r, c).empty() ? nan : t.number(r, c, -1e9, 1e9, "a number"); };
        v.forecast_pm25 = opt(c_fpm);
        v.observed_pm25 = opt(c_opm);
        v.forecast_o3_mda8 = opt(c_fo3);
        v.observed_o3_mda8 = opt(c_oo3);
        v.aqi_low = static_cast<int>(t.number(r, c_lo, 0, 1000, "an AQI"));
        v.aqi_high = static_cast<int>(t.number(r, c_hi, 0, 1000, "an AQI"));
        v.category_low = static_cast<int>(t.number(r, c_cl, 1, 6, "a category 1-6"));
        v.category_high = static_cast<int>(t.number(r, c_ch, 1, 6, "a category 1-6"));
        auto flag = [&](std::size_t c) { return t.number(r, c, 0, 1, "0 or 1") != 0; };
        v.category_hit = flag(c_hit);
        v.range_hit = flag(c_rh);
        v.level_range_hit = flag(c_lrh);
        v.forecast_heavy = flag(c_fh);
        v.observed_heavy = flag(c_oh);
        out.push_back(v);
    }
    return out;
}

namespace {

Scores score_group(const std::string& receptor, const std::string& kind, int lead,
                   const std::vector<const VerificationRow*>& rows) {
    Scores s;
    s.receptor = receptor;
    s.kind = kind;
    s.lead_day = lead;
    std::vector<double> fm, om, fo, oo;
    for (const VerificationRow* v : rows) {
        ++s.n;
        s.category_hits += v->category_hit;
        s.range_hits += v->range_hit;
        s.level_range_hits += v->level_range_hit;
        if (v->forecast_heavy && v->observed_heavy) ++s.heavy_hits;
        if (!v->forecast_heavy && v->observed_heavy) ++s.heavy_misses;
        if (v->forecast_heavy && !v->observed_heavy) ++s.heavy_false_alarms;
        if (!v->forecast_heavy && !v->observed_heavy) ++s.heavy_correct_negatives;
        fm.push_back(v->forecast_pm25);
        om.push_back(v->observed_pm25);
        fo.push_back(v->forecast_o3_mda8);
        oo.push_back(v->observed_o3_mda8);
    }
    s.category_hit_rate = ratio(s.category_hits, s.n);
    s.range_hit_rate = ratio(s.range_hits, s.n);
    s.level_range_hit_rate = ratio(s.level_range_hits, s.n);
    s.pod = ratio(s.heavy_hits, s.heavy_hits + s.heavy_misses);
    s.far = ratio(s.heavy_false_alarms, s.heavy_hits + s.heavy_false_alarms);
    s.csi = ratio(s.heavy_hits, s.heavy_hits + s.heavy_misses + s.heavy_false_alarms);
    s.pm25 = compute_metrics(fm, om);
    s.o3_mda8 = compute_metrics(fo, oo);
    s.pm25_r = correlation(fm, om);
    s.o3_mda8_r = correlation(fo, oo);
    return s;
}

}  // namespace

std::vector<Scores> score(const std::vector<VerificationRow>& rows) {
    std::map<std::tuple<std::string, std::string, int>, std::vector<const VerificationRow*>> per_receptor;  // kind, name, lead
    std::map<std::pair<std::string, int>, std::vector<const VerificationRow*>> aggregate;                  // kind, lead
    for (const auto& v : rows) {
        if (v.lead_day < 1 || v.lead_day > kMaxScoredLeadDay) continue;
        per_receptor[{v.kind, v.receptor, v.lead_day}].push_back(&v);
        aggregate[{"all", v.lead_day}].push_back(&v);
        aggregate[{v.kind, v.lead_day}].push_back(&v);
    }
    std::vector<Scores> out;
    for (const auto& [key, group] : per_receptor)
        out.push_back(score_group(std::get<1>(key), std::get<0>(key), std::get<2>(key), group));
    for (const std::string kind : {"all", "station", "city"})
        for (int lead = 1; lead <= kMaxScoredLeadDay; ++lead) {
            const auto it = aggregate.find({kind, lead});
            if (it != aggregate.end()) out.push_back(score_group("(all)", kind, lead, it->second));
        }
    return out;
}

std::string summary_csv(const std::vector<Scores>& scores) {
    std::ostringstream o;
    o << "receptor,kind,lead_day,n,category_hits,category_hit_rate,range_hits,range_hit_rate,level_range_hits,"
         "level_range_hit_rate,heavy_hits,heavy_misses,heavy_false_alarms,heavy_correct_negatives,heavy_pod,heavy_far,"
         "heavy_csi,pm25_n,pm25_mean_obs,pm25_mean_forecast,pm25_nmb,pm25_nme,pm25_r,o3_mda8_n,o3_mda8_mean_obs,"
         "o3_mda8_mean_forecast,o3_mda8_nmb,o3_mda8_nme,o3_mda8_r\n";
    const auto metrics = [&](const Metrics& m, double r) {
        const bool any = m.n > 0, has_obs = any && m.mean_obs > 0;  // NMB/NME need ΣO > 0
        o << m.n << "," << (any ? exact(m.mean_obs) : "") << "," << (any ? exact(m.mean_model) : "") << ","
          << (has_obs ? exact(m.nmb) : "") << "," << (has_obs ? exact(m.nme) : "") << "," << exact(r);
    };
    for (const auto& s : scores) {
        o << s.receptor << "," << s.kind << "," << s.lead_day << "," << s.n << "," << s.category_hits << ","
          << exact(s.category_hit_rate) << "," << s.range_hits << "," << exact(s.range_hit_rate) << ","
          << s.level_range_hits << "," << exact(s.level_range_hit_rate) << "," << s.heavy_hits << "," << s.heavy_misses
          << "," << s.heavy_false_alarms << "," << s.heavy_correct_negatives << "," << exact(s.pod) << ","
          << exact(s.far) << "," << exact(s.csi) << ",";
        metrics(s.pm25, s.pm25_r);
        o << ",";
        metrics(s.o3_mda8, s.o3_mda8_r);
        o << "\n";
    }
    return o.str();
}

std::string summary_text(const std::vector<Scores>& scores) {
    std::ostringstream o;
    const auto pct = [](double v) { return std::isfinite(v) ? num(100 * v, 1) + "%" : std::string("-"); };
    const Scores* day1 = nullptr;
    for (const auto& s : scores)
        if (s.kind == "all" && s.lead_day == 1) day1 = &s;
    if (!day1) {
        o << "24-hour forecast (lead day 1): no forecast day has a valid observed day yet\n";
    } else {
        const auto verdict = [](double rate) { return rate >= kAccuracyTarget ? "meets" : "below"; };
        o << "24-hour forecast (lead day 1), " << day1->n << " receptor-days: AQI category " << pct(day1->category_hit_rate)
          << " (" << verdict(day1->category_hit_rate) << " the 80% target), level range "
          << pct(day1->level_range_hit_rate) << " (" << verdict(day1->level_range_hit_rate) << "), AQI range "
          << pct(day1->range_hit_rate) << "\n";
    }
    o << "  lead  n      category  level-range  AQI-range  heavy POD/FAR/CSI      PM2.5 NMB/NME/R\n";
    for (const auto& s : scores) {
        if (s.kind != "all") continue;
        const bool pm = s.pm25.n > 0 && s.pm25.mean_obs > 0;
        o << "  " << std::setw(4) << s.lead_day << "  " << std::left << std::setw(5) << s.n << "  " << std::setw(8)
          << pct(s.category_hit_rate) << "  " << std::setw(11) << pct(s.level_range_hit_rate) << "  " << std::setw(9)
          << pct(s.range_hit_rate) << "  " << std::setw(21)
          << (pct(s.pod) + "/" + pct(s.far) + "/" + pct(s.csi)) << "  "
          << (pm ? pct(s.pm25.nmb) + "/" + pct(s.pm25.nme) + "/" + (std::isfinite(s.pm25_r) ? num(s.pm25_r, 2) : "-") : "-")
          << std::right << "\n";
    }
    o << "  (- = undefined: no pair, or no heavy day forecast or observed)\n";
    return o.str();
}

VerifyResult verify_cycles(const VerifyOptions& opt) {
    VerifyResult res;
    if (!fs::is_directory(opt.cycles_dir)) throw ConfigError(opt.cycles_dir + ": not a folder of cycles");
    // Cycle folders YYYYMMDD holding a forecast_daily.csv, in date order.
    std::vector<std::string> cycles;
    for (const auto& e : fs::directory_iterator(opt.cycles_dir)) {
        const std::string name = e.path().filename().string();
        if (!e.is_directory() || !is_cycle_name(name)) continue;
        if (fs::exists(e.path() / "forecast_daily.csv")) cycles.push_back(name);
    }
    std::sort(cycles.begin(), cycles.end());
    if (cycles.empty())
        throw ConfigError(opt.cycles_dir + ": no cycle folder YYYYMMDD with a forecast_daily.csv");
    const std::string target = opt.cycle.empty() ? cycles.back() : opt.cycle;
    if (!is_cycle_name(target)) throw ConfigError("cycle '" + target + "' is not a date YYYYMMDD");
    if (!fs::is_directory(fs::path(opt.cycles_dir) / target))
        throw ConfigError(opt.cycles_dir + "/" + target + ": no such cycle folder");
    std::vector<ForecastDay> archive;
    for (const auto& c : cycles) {
        const std::string path = (fs::path(opt.cycles_dir) / c / "forecast_daily.csv").string();
        const std::string date = c.substr(0, 4) + "-" + c.substr(4, 2) + "-" + c.substr(6, 2);
        for (auto& f : read_forecast_daily(path)) {
            if (f.cycle != date) throw ConfigError(path + ": a row of cycle " + f.cycle + " in the folder of cycle " + date);
            archive.push_back(f);
        }
    }
    res.cycles = static_cast<int>(cycles.size());
    std::vector<ObservedDay> observed = station_days(opt.observations, opt.utc_offset_h);
    int invalid = 0, valid = 0;
    for (const auto& d : observed) (d.valid ? valid : invalid) += 1;
    const std::vector<ObservedDay> cities = city_days(observed, opt.stations);
    observed.insert(observed.end(), cities.begin(), cities.end());
    std::vector<VerificationRow> rows = verification_rows(archive, observed);
    res.archive_csv = (fs::path(opt.cycles_dir) / "verification.csv").string();
    // A row once scored stays in the archive unless scored again: the rows of cycles whose folders
    // were pruned, and of days whose observation files are no longer read, keep their scores.
    if (fs::exists(res.archive_csv)) {
        std::set<std::tuple<std::string, std::string, std::string, int>> scored;
        for (const auto& v : rows) scored.emplace(v.cycle, v.kind, v.receptor, v.lead_day);
        for (auto& v : read_verification_csv(res.archive_csv))
            if (!scored.count({v.cycle, v.kind, v.receptor, v.lead_day})) rows.push_back(std::move(v));
        std::sort(rows.begin(), rows.end(), [](const VerificationRow& a, const VerificationRow& b) {
            return std::tie(a.cycle, a.kind, a.receptor, a.lead_day) < std::tie(b.cycle, b.kind, b.receptor, b.lead_day);
        });
    }
    res.rows = rows.size();
    write_file_atomic(res.archive_csv, verification_csv(rows));

    // The scores of the cycles up to and including the target.
    const std::string target_date = target.substr(0, 4) + "-" + target.substr(4, 2) + "-" + target.substr(6, 2);
    std::vector<VerificationRow> upto;
    for (const auto& v : rows)
        if (v.cycle <= target_date) upto.push_back(v);
    const std::vector<Scores> scores = score(upto);
    const fs::path folder = fs::path(opt.cycles_dir) / target / "verification";
    fs::create_directories(folder);
    res.summary_csv = (folder / "summary.csv").string();
    write_file_atomic(res.summary_csv, summary_csv(scores));

    std::ostringstream text;
    text << "verification of " << cycles.size() << " cycle(s) in " << opt.cycles_dir << " (scores: cycles up to " << target_date
         << "): " << rows.size() << " forecast day(s) with an observed day; observed station days: " << valid << " valid, "
         << invalid << " invalid (a pollutant with fewer than " << kValidDailyHours << " hours)\n"
         << summary_text(scores);
    if (opt.plots) {
        std::string script = opt.plot_script;
        if (script.empty()) {
            const char* env = std::getenv("LANTIAN_VERIFICATION_PLOT_SCRIPT");
            script = env ? env : LANTIAN_VERIFICATION_PLOT_SCRIPT;
        }
        const std::string png = (folder / "skill_by_lead.png").string(), log = (folder / "plot.log").string();
        const std::string cmd = opt.python + " '" + script + "' --summary '" + res.summary_csv + "' --out '" + png +
                                "' > '" + log + "' 2>&1";
        if (std::system(cmd.c_str()) != 0) {
            std::ifstream in(log);
            std::stringstream ss;
            ss << in.rdbuf();
            throw std::runtime_error("the skill plot failed (" + cmd + "): " + ss.str() +
                                     "\nverification.csv and summary.csv were written; install python3-matplotlib "
                                     "(scripts/install-deps.sh) or use --no-plots");
        }
        res.plot = png;
        text << "skill plot: " << png << "\n";
    }
    text << "archive: " << res.archive_csv << ", scores: " << res.summary_csv << "\n";
    res.text = text.str();
    return res;
}

}  // namespace lantian
