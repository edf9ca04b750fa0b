// The AQI range rule and the forecast archive table (forecast_daily.csv) of a cycle.
#include "forecast/forecast_archive.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "config/time_utils.hpp"
#include "emissions/csv_table.hpp"
#include "report/aqi.hpp"

namespace lantian {

namespace {

// The columns of forecast_daily.csv, in order (docs/forecast-cycle.md, docs/verification.md).
const char* kColumns =
    "cycle,receptor,kind,date,lead_day,hours,pm25,pm10,so2,no2,co,o3_1h_max,o3_mda8,aqi,category,primary,alert,"
    "aqi_low,aqi_high,level_range,level_range_zh";

// A number for the table: empty when not finite; fixed digits otherwise.
std::string cell(double v, int digits) {
    if (!std::isfinite(v)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (std::size_t k = 0; k < v.size(); ++k) out += (k ? sep : "") + v[k];
    return out;
}

// The Chinese name of a category without its trailing "污染" (so "轻度污染" + "中度污染" read
// "轻度至中度污染", as bulletins write it); 优 and 良 have none.
std::string zh_stem(int category) {
    const std::string name = aqi::category_name_zh(category);
    const std::string suffix = "污染";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        return name.substr(0, name.size() - suffix.size());
    return name;
}

// Names may not carry the table's separator or a line break.
void check_name(const std::string& name) {
    if (name.empty() || name.find_first_of(",\n\r\"") != std::string::npos)
        throw ConfigError("receptor name '" + name + "' cannot be written to forecast_daily.csv (empty, or has a comma, quote or line break)");
}

}  // namespace

int aqi_range_width(int aqi) {
    if (aqi <= 100) return 20;
    if (aqi <= 200) return 30;
    if (aqi <= 300) return 50;
    return 60;
}

std::string category_word_en(int category) {
    static const char* words[] = {"excellent", "good", "light", "moderate", "heavy", "severe"};
    return words[std::clamp(category, 1, 6) - 1];
}

AqiRange aqi_range_of(int low, int high) {
    AqiRange r;
    r.low = low;
    r.high = high;
    r.category_low = aqi::category_of(low);
    r.category_high = aqi::category_of(high);
    if (r.category_low == r.category_high) {
        r.label_en = category_word_en(r.category_low);
        r.label_zh = aqi::category_name_zh(r.category_low);
        r.level_range = r.label_en;
    } else {
        r.label_en = category_word_en(r.category_low) + " to " + category_word_en(r.category_high);
        r.label_zh = zh_stem(r.category_low) + "至" + aqi::category_name_zh(r.category_high);
        r.level_range = category_word_en(r.category_low) + "-" + category_word_en(r.category_high);
    }
    return r;
}

AqiRange aqi_range(int aqi_in) {
    const int a = std::clamp(aqi_in, 0, 500);
    const int w = aqi_range_width(a);
    // low = 5 × round((A − W/2) / 5); A − W/2 is an integer, so x/5 is never a half and rounding
    // to nearest is unambiguous (floor of (x + 2) / 5 for x ≥ −2, written without negative division).
    const int x = a - w / 2;
    int low = x >= 0 ? (x + kAqiRangeStep / 2) / kAqiRangeStep * kAqiRangeStep
                     : -((-x + kAqiRangeStep / 2) / kAqiRangeStep * kAqiRangeStep);
    low = std::clamp(low, 0, 500 - w);
    return aqi_range_of(low, low + w);
}

bool parse_date(const std::string& text, long long& days) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    for (std::size_t k : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (text[k] < '0' || text[k] > '9') return false;
    const int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)), d = std::stoi(text.substr(8, 2));
    if (m < 1 || m > 12 || d < 1 || d > 31) return false;
    days = days_from_civil(y, m, d);
    const CivilDate back = civil_from_days(days);
    return back.year == y && back.month == m && back.day == d;  // refuses 2026-02-30
}

std::string format_date(long long days) {
    const CivilDate d = civil_from_days(days);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

void write_file_atomic(const std::string& path, const std::string& text) {
    const std::string partial = path + ".partial";
    {
        std::ofstream f(partial, std::ios::binary | std::ios::trunc);
        if (!f) throw std::runtime_error(partial + ": cannot write: " + std::strerror(errno));
        f << text;
        f.close();
        if (!f) {
            std::remove(partial.c_str());
            throw std::runtime_error(partial + ": writing failed (disk full?)");
        }
    }
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        std::remove(partial.c_str());
        throw std::runtime_error(partial + ": cannot rename to " + path + ": " + why);
    }
}

std::vector<ForecastDay> forecast_days(const std::string& cycle_date, const SeriesFile& s, const AlertsConfig& alerts,
                                       const AlertRules& rules) {
    long long cycle_day = 0;
    if (!parse_date(cycle_date, cycle_day)) throw ConfigError("cycle date '" + cycle_date + "' is not YYYY-MM-DD");
    std::vector<ForecastDay> out;
    for (std::size_t r = 0; r < s.names.size(); ++r) {
        check_name(s.names[r]);
        for (const DailyRow& d : daily_rows(s, r, alerts, rules)) {
            long long day = 0;
            if (!parse_date(d.date, day)) throw std::logic_error("daily_rows gave the date '" + d.date + "'");
            if (day < cycle_day) continue;  // before the cycle (a spin-up)
            ForecastDay f;
            f.cycle = cycle_date;
            f.receptor = s.names[r];
            f.kind = s.kinds[r] == 1 ? "city" : "station";
            f.date = d.date;
            f.lead_day = static_cast<int>(day - cycle_day);
            f.hours = d.hours;
            f.pm25 = d.pm25;
            f.pm10 = d.pm10;
            f.so2 = d.so2;
            f.no2 = d.no2;
            f.co = d.co;
            f.o3_1h_max = d.o3_1h_max;
            f.o3_mda8 = d.o3_mda8;
            f.aqi = d.aqi.aqi;
            f.category = d.aqi.category;
            f.primary = join(d.aqi.primary, "+");
            f.alert = d.alert;
            f.range = aqi_range(f.aqi);
            out.push_back(f);
        }
    }
    return out;
}

std::string forecast_daily_csv(const std::vector<ForecastDay>& rows) {
    std::ostringstream o;
    o << kColumns << "\n";
    for (const auto& f : rows) {
        check_name(f.receptor);
        o << f.cycle << "," << f.receptor << "," << f.kind << "," << f.date << "," << f.lead_day << "," << f.hours << ","
          << cell(f.pm25, 2) << "," << cell(f.pm10, 2) << "," << cell(f.so2, 2) << "," << cell(f.no2, 2) << ","
          << cell(f.co, 3) << "," << cell(f.o3_1h_max, 2) << "," << cell(f.o3_mda8, 2) << "," << f.aqi << ","
          << f.category << "," << (f.primary.empty() ? "-" : f.primary) << "," << alert_name(f.alert) << ","
          << f.range.low << "," << f.range.high << "," << f.range.level_range << "," << f.range.label_zh << "\n";
    }
    return o.str();
}

void write_forecast_daily(const std::string& path, const std::vector<ForecastDay>& rows) {
    write_file_atomic(path, forecast_daily_csv(rows));
}

void write_forecast_daily(const std::string& path, const std::string& cycle_date, const SeriesFile& series,
                          const AlertsConfig& alerts, const AlertRules& rules) {
    write_forecast_daily(path, forecast_days(cycle_date, series, alerts, rules));
}

std::vector<ForecastDay> read_forecast_daily(const std::string& path) {
    const CsvTable t = read_csv_file(path);
    std::vector<std::size_t> col;
    {
        std::stringstream ss(kColumns);
        std::string name;
        while (std::getline(ss, name, ',')) col.push_back(t.require(name));
    }
    enum {
        c_cycle, c_receptor, c_kind, c_date, c_lead, c_hours, c_pm25, c_pm10, c_so2, c_no2, c_co, c_o3_1h, c_o3_8h,
        c_aqi, c_category, c_primary, c_alert, c_low, c_high, c_level, c_level_zh
    };
    std::vector<ForecastDay> out;
    std::map<std::tuple<std::string, std::string, std::string, std::string>, int> seen;  // cycle, kind, receptor, date → line
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto text = [&](int c) -> const std::string& { return t.cell(r, col[static_cast<std::size_t>(c)]); };
        const auto number = [&](int c, double lo, double hi, const std::string& range, bool allow_empty) {
            return t.number(r, col[static_cast<std::size_t>(c)], lo, hi, range, allow_empty, std::nan(""));
        };
        const auto integer = [&](int c, double lo, double hi, const std::string& range) {
            const double v = number(c, lo, hi, range, false);
            if (v != std::floor(v)) t.fail(r, col[static_cast<std::size_t>(c)], "must be a whole number");
            return static_cast<int>(v);
        };
        ForecastDay f;
        long long cycle_day = 0, day = 0;
        f.cycle = text(c_cycle);
        if (!parse_date(f.cycle, cycle_day)) t.fail(r, col[c_cycle], "not a date YYYY-MM-DD");
        f.receptor = text(c_receptor);
        if (f.receptor.empty()) t.fail(r, col[c_receptor], "must not be empty");
        f.kind = text(c_kind);
        if (f.kind != "station" && f.kind != "city") t.fail(r, col[c_kind], "must be station or city");
        f.date = text(c_date);
        if (!parse_date(f.date, day)) t.fail(r, col[c_date], "not a date YYYY-MM-DD");
        f.lead_day = integer(c_lead, 0, 366, "0 to 366");
        if (f.lead_day != day - cycle_day)
            t.fail(r, col[c_lead], "is not date − cycle (" + std::to_string(day - cycle_day) + " days)");
        f.hours = integer(c_hours, 0, 24, "0 to 24");
        f.pm25 = number(c_pm25, 0, 1e6, ">= 0", true);
        f.pm10 = number(c_pm10, 0, 1e6, ">= 0", true);
        f.so2 = number(c_so2, 0, 1e6, ">= 0", true);
        f.no2 = number(c_no2, 0, 1e6, ">= 0", true);
        f.co = number(c_co, 0, 1e6, ">= 0", true);
        f.o3_1h_max = number(c_o3_1h, 0, 1e6, ">= 0", true);
        f.o3_mda8 = number(c_o3_8h, 0, 1e6, ">= 0", true);
        f.aqi = integer(c_aqi, 0, 500, "0 to 500");
        f.category = integer(c_category, 1, 6, "1 to 6");
        if (f.category != aqi::category_of(f.aqi))
            t.fail(r, col[c_category], "is not the category of AQI " + std::to_string(f.aqi) + " (" +
                                           std::to_string(aqi::category_of(f.aqi)) + ")");
        f.primary = text(c_primary) == "-" ? "" : text(c_primary);
        bool known = false;
        for (int l = 0; l < 4; ++l)
            if (alert_name(static_cast<AlertLevel>(l)) == text(c_alert)) {
                f.alert = static_cast<AlertLevel>(l);
                known = true;
            }
        if (!known) t.fail(r, col[c_alert], "must be none, yellow, orange or red");
        const int low = integer(c_low, 0, 500, "0 to 500"), high = integer(c_high, 0, 500, "0 to 500");
        if (low > high) t.fail(r, col[c_high], "is below aqi_low (" + std::to_string(low) + ")");
        f.range = aqi_range_of(low, high);
        if (text(c_level) != f.range.level_range)
            t.fail(r, col[c_level], "is not the level range of AQI " + std::to_string(low) + "–" + std::to_string(high) +
                                        " (" + f.range.level_range + ")");
        const auto [it, fresh] = seen.emplace(std::make_tuple(f.cycle, f.kind, f.receptor, f.date), t.line_numbers[r]);
        if (!fresh)
            t.fail(r, col[c_date], "a second row for " + f.kind + " " + f.receptor + " on this date (the first: line " +
                                       std::to_string(it->second) + ")");
        out.push_back(f);
    }
    return out;
}

}  // namespace lantian
