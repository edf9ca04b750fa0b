// Station observations for the forecast cycle: station lists, the lenient long-format reader, the
// national wide-file importer, the long-format writer and the latest values for the analysis.
// Formats and rules: docs/observations.md.
#include "assimilation/observations.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "config/config.hpp"
#include "config/time_utils.hpp"
#include "emissions/csv_table.hpp"

namespace lantian {

namespace {

constexpr double kBeijingOffsetS = 8 * 3600.0;  // Beijing time = UTC + 8 h (no daylight saving)

// ---- the CSV dialect of csv_table.hpp, read line by line so that a bad line can be skipped -----

struct CsvLine {
    int number = 0;                  // 1-based line in the file
    std::vector<std::string> cells;  // trimmed
};

struct CsvLines {
    std::string path;
    CsvLine header;
    std::vector<CsvLine> rows;
};

std::vector<std::string> split_cells(const std::string& line) {
    std::vector<std::string> cells;
    std::size_t begin = 0;
    while (true) {
        const std::size_t comma = line.find(',', begin);
        cells.push_back(trim_blanks(line.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin)));
        if (comma == std::string::npos) break;
        begin = comma + 1;
    }
    return cells;
}

// A header line, '#' comments and blank lines ignored, a byte-order mark dropped. ConfigError when
// the file cannot be opened, has no header, or the header names a column twice.
CsvLines read_lines(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path + ": cannot open file");
    CsvLines t;
    t.path = path;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (number == 1) drop_utf8_bom(line);
        const std::string stripped = trim_blanks(line);
        if (stripped.empty() || stripped[0] == '#') continue;
        CsvLine l{number, split_cells(stripped)};
        if (t.header.cells.empty()) {
            std::set<std::string> names;  // a national header has ~2 000 columns: no pairwise loop
            for (const auto& name : l.cells)
                if (!name.empty() && !names.insert(name).second)
                    throw ConfigError(path + ":" + std::to_string(number) + ": header: column '" + name +
                                      "' appears twice");
            t.header = std::move(l);
            continue;
        }
        t.rows.push_back(std::move(l));
    }
    if (t.header.cells.empty()) throw ConfigError(path + ": empty file (a header line is required)");
    return t;
}

int find_column(const CsvLines& t, const std::string& name) {
    for (std::size_t c = 0; c < t.header.cells.size(); ++c)
        if (t.header.cells[c] == name) return static_cast<int>(c);
    return -1;
}

std::size_t require_column(const CsvLines& t, const std::string& name) {
    const int c = find_column(t, name);
    if (c < 0)
        throw ConfigError(t.path + ":" + std::to_string(t.header.number) + ": header: missing column '" + name + "'");
    return static_cast<std::size_t>(c);
}

std::string where(const std::string& path, int line) { return path + ":" + std::to_string(line); }

// ---- values ----------------------------------------------------------------------------------------

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// The canonical name of a pollutant, "" when unknown.
std::string canonical_pollutant(const std::string& text) {
    const std::string p = lower(text);
    if (p == "pm2.5" || p == "pm25") return "PM2.5";
    if (p == "pm10") return "PM10";
    if (p == "so2") return "SO2";
    if (p == "no2") return "NO2";
    if (p == "co") return "CO";
    if (p == "o3") return "O3";
    return "";
}

bool is_missing_token(const std::string& s) {
    // "—" is U+2014 (em dash), as some spreadsheets show a missing value.
    return s.empty() || s == "NA" || s == "N/A" || s == "na" || s == "NaN" || s == "nan" || s == "-" || s == "--" ||
           s == "\xE2\x80\x94";
}

// Microgrammes or milligrammes per cubic metre; 0 when the unit is unknown.
double unit_to_ug_m3(const std::string& unit) {
    // µ is U+00B5 (micro sign), μ U+03BC (Greek mu); both occur.
    static const std::set<std::string> ug{"ug/m3", "\xC2\xB5g/m3", "\xCE\xBCg/m3", "ug m-3", "\xC2\xB5g m-3",
                                          "\xCE\xBCg m-3", "ug/m\xC2\xB3", "\xC2\xB5g/m\xC2\xB3", "\xCE\xBCg/m\xC2\xB3"};
    static const std::set<std::string> mg{"mg/m3", "mg m-3", "mg/m\xC2\xB3"};
    if (ug.count(unit)) return 1.0;
    if (mg.count(unit)) return 1000.0;
    return 0.0;
}

// A number taking the whole cell; false otherwise.
bool parse_number(const std::string& s, double& v) {
    if (s.empty()) return false;
    char* end = nullptr;
    v = std::strtod(s.c_str(), &end);
    return end != s.c_str() && *end == '\0';
}

std::string format_value(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// "YYYY-MM-DDTHH:MM:SS[±HH:MM|Z]" → UTC seconds of a whole hour; "T24:00:00" is the end of the day.
bool parse_hour_time(const std::string& text, double& epoch_s, std::string& why) {
    std::string time = text;
    double offset_h = 0;
    if (time.size() > 19 && (time[19] == '+' || time[19] == '-')) {
        const std::string off = time.substr(19);
        const auto digit = [&](std::size_t k) { return std::isdigit(static_cast<unsigned char>(off[k])) != 0; };
        if (off.size() != 6 || !digit(1) || !digit(2) || off[3] != ':' || !digit(4) || !digit(5)) {
            why = "offset '" + off + "' is not ±HH:MM";
            return false;
        }
        const int hh = (off[1] - '0') * 10 + (off[2] - '0'), mm = (off[4] - '0') * 10 + (off[5] - '0');
        offset_h = (off[0] == '-' ? -1 : 1) * (hh + mm / 60.0);
        if (mm > 59 || offset_h < -12 || offset_h > 14) {
            why = "offset '" + off + "' is not a time-zone offset (-12:00 to +14:00)";
            return false;
        }
        time = time.substr(0, 19);
    }
    double extra_s = 0;
    if (time.size() >= 19 && time.compare(11, 8, "24:00:00") == 0) {  // the end of the day, ISO 8601
        time.replace(11, 2, "23");
        extra_s = 3600;
    }
    double local = 0;
    if (!try_parse_iso_time_utc(time, local, why)) return false;
    if (std::fmod(local, 3600.0) != 0.0) {
        why = "not on the hour (an hourly value is stamped at the end of its hour, HH:00:00)";
        return false;
    }
    epoch_s = local + extra_s - offset_h * 3600.0;
    return true;
}

// ---- collecting candidates and settling duplicates and PM pairs -------------------------------------

// A value that passed the checks of its own cell, with where it came from.
struct Candidate {
    Observation o;
    int file = 0;  // index into Collector's file list
    int line = 0;
};

class Collector {
public:
    Collector(ObservationReport& report, const ObservationReadOptions& options) : r_(report), opt_(options) {}

    // Counts `count` values under reason s; `example()` (the "file:line: …" text) is only built while
    // the reason still wants examples, so a file of many empty cells does not build strings for each.
    template <typename Example>
    void skip(ObservationSkip s, Example&& example, long count = 1) {
        r_.values += count;
        skip_counted(s, example, count);
    }
    void add(Observation o, const std::string& path, int line) {
        ++r_.values;
        if (files_.empty() || files_.back() != path) files_.push_back(path);
        candidates_.push_back({std::move(o), static_cast<int>(files_.size() - 1), line});
    }

    // Duplicates, then PM2.5/PM10 pairs; the accepted values sorted by station, pollutant, time.
    std::vector<Observation> finish() {
        const auto key_less = [&](std::size_t a, std::size_t b) {
            const Observation& x = candidates_[a].o;
            const Observation& y = candidates_[b].o;
            return std::tie(x.station, x.pollutant, x.epoch_s, a) < std::tie(y.station, y.pollutant, y.epoch_s, b);
        };
        const auto same_key = [&](std::size_t a, std::size_t b) {
            const Observation& x = candidates_[a].o;
            const Observation& y = candidates_[b].o;
            return x.epoch_s == y.epoch_s && x.pollutant == y.pollutant && x.station == y.station;
        };
        std::vector<std::size_t> order(candidates_.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), key_less);
        std::vector<std::size_t> kept;  // candidate indices, sorted by key, one per key
        for (std::size_t g = 0; g < order.size();) {
            std::size_t end = g + 1;
            while (end < order.size() && same_key(order[g], order[end])) ++end;
            const Candidate& first = candidates_[order[g]];
            bool identical = true;
            for (std::size_t k = g + 1; k < end; ++k)
                identical = identical && same_value(candidates_[order[k]].o.value, first.o.value);
            if (identical) {
                for (std::size_t k = g + 1; k < end; ++k)
                    skip_counted(ObservationSkip::duplicate_identical, [&] {
                        return where_of(candidates_[order[k]]) + ": " + describe(first.o) + ": repeats " + where_of(first);
                    });
                kept.push_back(order[g]);
            } else {
                skip_counted(
                    ObservationSkip::duplicate_conflicting,
                    [&] {
                        std::string values, lines;
                        for (std::size_t k = g; k < end; ++k) {
                            values += (k > g ? " vs " : "") + format_value(candidates_[order[k]].o.value);
                            lines += (k > g ? ", " : "") + where_of(candidates_[order[k]]);
                        }
                        return lines + ": " + describe(first.o) + ": " + values + ": all dropped";
                    },
                    static_cast<long>(end - g));
            }
            g = end;
        }
        // PM2.5 above PM10 at one station and hour.
        std::map<std::pair<std::string, double>, std::size_t> pm10;  // (station, time) -> position in kept
        for (std::size_t k = 0; k < kept.size(); ++k) {
            const Observation& o = candidates_[kept[k]].o;
            if (o.pollutant == "PM10") pm10[{o.station, o.epoch_s}] = k;
        }
        std::vector<bool> dropped(kept.size(), false);
        for (std::size_t k = 0; k < kept.size(); ++k) {
            const Candidate& c25 = candidates_[kept[k]];
            if (c25.o.pollutant != "PM2.5") continue;
            const auto it = pm10.find({c25.o.station, c25.o.epoch_s});
            if (it == pm10.end()) continue;
            const Candidate& c10 = candidates_[kept[it->second]];
            const double p25 = c25.o.value, p10 = c10.o.value;
            if (p25 <= p10) continue;
            if (p25 <= p10 + std::max(opt_.pm_tolerance_ug_m3, opt_.pm_tolerance_fraction * p10)) {
                ++r_.pm_pairs_tolerated;
                continue;
            }
            skip_counted(
                ObservationSkip::pm25_above_pm10,
                [&] {
                    return where_of(c25) + " and " + where_of(c10) + ": " + c25.o.station + " at " +
                           format_time(c25.o.epoch_s) + ": PM2.5 " + format_value(p25) + " > PM10 " + format_value(p10) +
                           " + tolerance: both dropped";
                },
                2);
            dropped[k] = dropped[it->second] = true;
        }
        std::vector<Observation> out;
        out.reserve(kept.size());
        for (std::size_t k = 0; k < kept.size(); ++k)
            if (!dropped[k]) out.push_back(std::move(candidates_[kept[k]].o));
        candidates_.clear();
        r_.accepted = static_cast<long>(out.size());
        return out;
    }

    static std::string format_time(double epoch_s) {
        std::string s = format_iso_time_utc(epoch_s + kBeijingOffsetS);
        s[10] = 'T';
        return s + "+08:00";
    }

private:
    // `count` values already counted in `values` end in bucket s (one example for all of them).
    template <typename Example>
    void skip_counted(ObservationSkip s, Example&& example, long count = 1) {
        const auto i = static_cast<std::size_t>(s);
        r_.skipped[i] += count;
        if (r_.examples[i].size() < opt_.max_examples) r_.examples[i].push_back(example());
    }
    static bool same_value(double a, double b) {
        // The same number given in two units (1.2 mg/m3 and 1200 ug/m3) may differ in the last bits.
        return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
    }
    static std::string describe(const Observation& o) {
        return o.station + " " + o.pollutant + " at " + format_time(o.epoch_s);
    }
    std::string where_of(const Candidate& c) const { return where(files_[static_cast<std::size_t>(c.file)], c.line); }

    ObservationReport& r_;
    const ObservationReadOptions& opt_;
    std::vector<std::string> files_;
    std::vector<Candidate> candidates_;
};

// Checks a value in the pollutant's unit (µg m-3; CO mg m-3): "" when plausible, else why not.
std::string implausible(const std::string& pollutant, double v) {
    if (!std::isfinite(v)) return "not finite";
    if (v < 0) return "negative";
    const double cap = observation_cap(pollutant);
    if (v > cap)
        return "above the plausibility cap " + format_value(cap) + (pollutant == "CO" ? " mg m-3" : " ug m-3") +
               " of " + pollutant;
    return "";
}

// Well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool valid_utf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        unsigned cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return false;
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        static const unsigned min_cp[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n + 1;
    }
    return true;
}

}  // namespace

// ---- station list ----------------------------------------------------------------------------------

std::vector<StationInfo> read_station_list(const std::string& path) {
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw ConfigError(path + ": cannot open file");
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            if (!valid_utf8(line))
                throw ConfigError(where(path, number) +
                                  ": not UTF-8 text (a list saved as GBK: convert it with iconv -f GBK -t UTF-8)");
        }
    }
    const CsvTable t = read_csv_file(path);
    // Lantian's own header, or the national list's Chinese one.
    static const char* const own[5] = {"code", "name", "city", "lon", "lat"};
    static const char* const national[5] = {"\xE7\x9B\x91\xE6\xB5\x8B\xE7\x82\xB9\xE7\xBC\x96\xE7\xA0\x81",  // 监测点编码
                                            "\xE7\x9B\x91\xE6\xB5\x8B\xE7\x82\xB9\xE5\x90\x8D\xE7\xA7\xB0",  // 监测点名称
                                            "\xE5\x9F\x8E\xE5\xB8\x82",                                      // 城市
                                            "\xE7\xBB\x8F\xE5\xBA\xA6",                                      // 经度
                                            "\xE7\xBA\xAC\xE5\xBA\xA6"};                                     // 纬度
    const char* const* names = t.find(own[0]) >= 0 || t.find(national[0]) < 0 ? own : national;
    if (t.find(own[0]) < 0 && t.find(national[0]) < 0)
        throw ConfigError(where(path, t.header_line) + ": header: missing column 'code' (or '" + national[0] +
                          "' of the national station list)");
    std::size_t col[5];
    for (int k = 0; k < 5; ++k) col[k] = t.require(names[k]);
    std::vector<StationInfo> out;
    std::map<std::string, int> first_line;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        StationInfo s;
        s.code = t.cell(r, col[0]);
        if (s.code.empty()) t.fail(r, col[0], "a station code is required");
        const auto [it, inserted] = first_line.emplace(s.code, t.line_numbers[r]);
        if (!inserted) t.fail(r, col[0], "duplicate station code (first on line " + std::to_string(it->second) + ")");
        s.name = t.cell(r, col[1]);
        s.city = t.cell(r, col[2]);
        s.lon_deg = t.number(r, col[3], -180.0, 360.0, "in [-180, 360] degrees");
        s.lat_deg = t.number(r, col[4], -90.0, 90.0, "in [-90, 90] degrees");
        out.push_back(std::move(s));
    }
    return out;
}

// ---- report ----------------------------------------------------------------------------------------

const char* observation_skip_name(ObservationSkip s) {
    switch (s) {
        case ObservationSkip::malformed_row: return "malformed_row";
        case ObservationSkip::missing_station: return "missing_station";
        case ObservationSkip::bad_time: return "bad_time";
        case ObservationSkip::unknown_pollutant: return "unknown_pollutant";
        case ObservationSkip::missing_value: return "missing_value";
        case ObservationSkip::not_a_number: return "not_a_number";
        case ObservationSkip::bad_unit: return "bad_unit";
        case ObservationSkip::impossible_value: return "impossible_value";
        case ObservationSkip::duplicate_identical: return "duplicate_identical";
        case ObservationSkip::duplicate_conflicting: return "duplicate_conflicting";
        case ObservationSkip::pm25_above_pm10: return "pm25_above_pm10";
    }
    return "?";
}

long ObservationReport::skipped_total() const {
    long n = 0;
    for (long s : skipped) n += s;
    return n;
}

std::string format_observation_report(const ObservationReport& r) {
    std::ostringstream out;
    for (const auto& f : r.files) out << "file: " << f << "\n";
    out << "lines " << r.lines << ", values " << r.values << ": accepted " << r.accepted << ", skipped "
        << r.skipped_total() << "\n";
    for (std::size_t i = 0; i < kObservationSkipCount; ++i) {
        if (r.skipped[i] == 0) continue;
        char buf[64];
        std::snprintf(buf, sizeof buf, "  %-22s %8ld\n", observation_skip_name(static_cast<ObservationSkip>(i)),
                      r.skipped[i]);
        out << buf;
        for (const auto& e : r.examples[i]) out << "      e.g. " << e << "\n";
    }
    if (r.ignored_type_rows)
        out << "rows of AQI and averaged types (..._24h, O3_8h, ...) ignored: " << r.ignored_type_rows << "\n";
    if (r.unlisted_columns) out << "station columns not in the station list (not read): " << r.unlisted_columns << "\n";
    if (r.pm_pairs_tolerated)
        out << "PM2.5 above PM10 within the tolerance (both kept): " << r.pm_pairs_tolerated << "\n";
    for (const auto& w : r.warnings) out << "warning: " << w << "\n";
    return out.str();
}

double observation_cap(const std::string& pollutant) {
    // Hourly means, µg m-3 (CO mg m-3); the reasons in full in docs/observations.md ("Impossible values").
    //   PM10   20 000  Gobi dust storms give hourly PM10 above 5 000 at stations: keep them with margin
    //   PM2.5  10 000  haze hours reach ~1 000; in dust a third to a half of a 20 000 PM10 hour
    //   SO2    20 000  far above the 1-h scale's top (800, HJ 633-2012): smelter fumigation, volcanic plumes
    //   NO2     5 000  above the top of the 1-h AQI scale, 3 840 (HJ 633-2012)
    //   CO        200  above the scale's top, 150 mg m-3; catches µg m-3 values labelled mg/m3
    //   O3      2 000  above the scale's top, 1 200 (HJ 633-2012)
    if (pollutant == "PM10") return 20000.0;
    if (pollutant == "PM2.5") return 10000.0;
    if (pollutant == "SO2") return 20000.0;
    if (pollutant == "NO2") return 5000.0;
    if (pollutant == "CO") return 200.0;
    if (pollutant == "O3") return 2000.0;
    return std::numeric_limits<double>::infinity();
}

// ---- long format -----------------------------------------------------------------------------------

ObservationSet read_observations_long(const std::string& path, const ObservationReadOptions& options) {
    const CsvLines t = read_lines(path);
    const std::size_t c_st = require_column(t, "station"), c_time = require_column(t, "time"),
                      c_p = require_column(t, "pollutant"), c_v = require_column(t, "value"),
                      c_u = require_column(t, "unit");
    ObservationSet set;
    set.report.files.push_back(path);
    Collector col(set.report, options);
    const std::size_t ncol = t.header.cells.size();
    for (const CsvLine& l : t.rows) {
        ++set.report.lines;
        const std::string at = where(path, l.number);
        if (l.cells.size() != ncol) {
            col.skip(ObservationSkip::malformed_row, [&] {
                return at + ": expected " + std::to_string(ncol) + " cells (as in the header), found " +
                       std::to_string(l.cells.size());
            });
            continue;
        }
        const auto fail = [&](ObservationSkip s, std::size_t c, const std::string& why) {
            const std::string& v = l.cells[c];
            col.skip(s, [&] { return at + ": " + t.header.cells[c] + ": " + (v.empty() ? std::string("(empty)") : v) + ": " + why; });
        };
        Candidate c;
        c.o.station = l.cells[c_st];
        if (c.o.station.empty()) {
            fail(ObservationSkip::missing_station, c_st, "a station is required");
            continue;
        }
        std::string why;
        if (!parse_hour_time(l.cells[c_time], c.o.epoch_s, why)) {
            fail(ObservationSkip::bad_time, c_time, why);
            continue;
        }
        c.o.pollutant = canonical_pollutant(l.cells[c_p]);
        if (c.o.pollutant.empty()) {
            fail(ObservationSkip::unknown_pollutant, c_p, "unknown pollutant (PM2.5, PM10, SO2, NO2, CO, O3)");
            continue;
        }
        const std::string& cell = l.cells[c_v];
        if (is_missing_token(cell)) {
            fail(ObservationSkip::missing_value, c_v, "missing");
            continue;
        }
        double v = 0;
        if (!parse_number(cell, v)) {
            fail(ObservationSkip::not_a_number, c_v, "not a number");
            continue;
        }
        const double ug = unit_to_ug_m3(l.cells[c_u]);
        if (ug == 0) {
            fail(ObservationSkip::bad_unit, c_u, "unknown unit (ug/m3 or mg/m3)");
            continue;
        }
        // To µg m-3, then CO to mg m-3 (the model's unit).
        v *= ug;
        if (c.o.pollutant == "CO") v /= 1000.0;
        why = implausible(c.o.pollutant, v);
        if (!why.empty()) {
            fail(ObservationSkip::impossible_value, c_v, why);
            continue;
        }
        c.o.value = v + 0.0;  // -0 is 0
        col.add(std::move(c.o), path, l.number);
    }
    set.observations = col.finish();
    if (set.observations.empty()) set.report.warnings.push_back(path + ": no value accepted");
    return set;
}

void write_observations_long(const std::string& path, const std::vector<Observation>& observations) {
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error(partial + ": cannot create file");
        out << "station,time,pollutant,value,unit\n";
        for (const auto& o : observations) {
            // What the readers would not read back: an empty station, a comma or line break in it, a
            // leading '#' (a comment line), blanks at either end (trimmed).
            if (o.station.empty() || o.station.find_first_of(",\n\r") != std::string::npos || o.station[0] == '#' ||
                trim_blanks(o.station) != o.station)
                throw std::runtime_error(path + ": station '" + o.station + "' cannot be written in the CSV dialect");
            out << o.station << "," << Collector::format_time(o.epoch_s) << "," << o.pollutant << ","
                << format_value(o.value) << "," << (o.pollutant == "CO" ? "mg/m3" : "ug/m3") << "\n";
        }
        out.close();
        if (!out) throw std::runtime_error(partial + ": write failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) throw std::runtime_error(path + ": cannot rename " + partial + ": " + ec.message());
}

// ---- national network daily files -------------------------------------------------------------------

ObservationSet read_observations_national(const std::vector<std::string>& files,
                                          const std::vector<StationInfo>& stations,
                                          const ObservationReadOptions& options) {
    static const std::map<std::string, std::string> hourly{{"PM2.5", "PM2.5"}, {"PM10", "PM10"}, {"SO2", "SO2"},
                                                           {"NO2", "NO2"},     {"CO", "CO"},     {"O3", "O3"}};
    static const std::set<std::string> averaged{"AQI",    "PM2.5_24h", "PM10_24h", "SO2_24h",  "NO2_24h",
                                                "O3_24h", "O3_8h",     "O3_8h_24h", "CO_24h"};
    std::set<std::string> listed, seen, unlisted;
    for (const auto& s : stations) listed.insert(s.code);
    ObservationSet set;
    ObservationReport& rep = set.report;
    Collector col(rep, options);
    for (const auto& path : files) {
        const CsvLines t = read_lines(path);
        rep.files.push_back(path);
        const std::size_t c_date = require_column(t, "date"), c_hour = require_column(t, "hour"),
                          c_type = require_column(t, "type");
        std::vector<std::size_t> cols;  // the station columns read
        for (std::size_t c = 0; c < t.header.cells.size(); ++c) {
            const std::string& code = t.header.cells[c];
            if (c == c_date || c == c_hour || c == c_type || code.empty()) continue;
            if (!listed.empty() && !listed.count(code)) {
                unlisted.insert(code);
                continue;
            }
            seen.insert(code);
            cols.push_back(c);
        }
        const long n = static_cast<long>(cols.size());
        const std::size_t ncol = t.header.cells.size();
        for (const CsvLine& l : t.rows) {
            ++rep.lines;
            const std::string at = where(path, l.number);
            if (l.cells.size() != ncol) {
                if (n)
                    col.skip(
                        ObservationSkip::malformed_row,
                        [&] {
                            return at + ": expected " + std::to_string(ncol) + " cells (as in the header), found " +
                                   std::to_string(l.cells.size());
                        },
                        n);
                continue;
            }
            const std::string& type = l.cells[c_type];
            if (averaged.count(type)) {
                ++rep.ignored_type_rows;
                continue;
            }
            if (n == 0) continue;
            // Date YYYYMMDD and hour 0–23, Beijing time, the end of the hour.
            const std::string& date = l.cells[c_date];
            const std::string& hour = l.cells[c_hour];
            bool ok = date.size() == 8 && std::all_of(date.begin(), date.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
            std::string why = "date must be YYYYMMDD";
            double day_s = 0;
            if (ok) {
                const std::string iso = date.substr(0, 4) + "-" + date.substr(4, 2) + "-" + date.substr(6, 2) + "T00:00:00";
                ok = try_parse_iso_time_utc(iso, day_s, why);
            }
            if (!ok) {
                col.skip(ObservationSkip::bad_time, [&] { return at + ": date: " + (date.empty() ? "(empty)" : date) + ": " + why; }, n);
                continue;
            }
            int h = -1;
            if (!hour.empty() && hour.size() <= 2 &&
                std::all_of(hour.begin(), hour.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
                h = std::stoi(hour);
            if (h < 0 || h > 23) {
                col.skip(
                    ObservationSkip::bad_time,
                    [&] { return at + ": hour: " + (hour.empty() ? "(empty)" : hour) + ": must be a whole hour 0 to 23"; }, n);
                continue;
            }
            const auto p = hourly.find(type);
            if (p == hourly.end()) {
                col.skip(
                    ObservationSkip::unknown_pollutant,
                    [&] {
                        return at + ": type: " + (type.empty() ? "(empty)" : type) +
                               ": unknown type (hourly PM2.5, PM10, SO2, NO2, CO, O3; AQI and _24h/_8h types are ignored)";
                    },
                    n);
                continue;
            }
            const double epoch = day_s + h * 3600.0 - kBeijingOffsetS;
            for (const std::size_t c : cols) {
                const std::string& cell = l.cells[c];
                const auto example = [&](const std::string& reason) {
                    return [&, reason] {
                        return at + ": " + t.header.cells[c] + " (" + p->second + "): " +
                               (cell.empty() ? std::string("(empty)") : cell) + ": " + reason;
                    };
                };
                if (is_missing_token(cell)) {
                    col.skip(ObservationSkip::missing_value, example("missing"));
                    continue;
                }
                double v = 0;
                if (!parse_number(cell, v)) {
                    col.skip(ObservationSkip::not_a_number, example("not a number"));
                    continue;
                }
                why = implausible(p->second, v);  // CO in mg m-3, the others µg m-3, as the files give them
                if (!why.empty()) {
                    col.skip(ObservationSkip::impossible_value, example(why));
                    continue;
                }
                col.add(Observation{t.header.cells[c], p->second, epoch, v + 0.0}, path, l.number);
            }
        }
    }
    rep.unlisted_columns = static_cast<long>(unlisted.size());
    set.observations = col.finish();
    if (!listed.empty()) {
        std::vector<std::string> absent;
        for (const auto& s : stations)
            if (!seen.count(s.code)) absent.push_back(s.code);
        if (!absent.empty()) {
            std::string w = std::to_string(absent.size()) + " of the " + std::to_string(listed.size()) +
                            " listed stations have no column in the files:";
            for (std::size_t k = 0; k < absent.size() && k < 10; ++k) w += " " + absent[k];
            if (absent.size() > 10) w += " …";
            rep.warnings.push_back(w);
        }
    }
    if (set.observations.empty()) rep.warnings.push_back("no value accepted");
    return set;
}

// ---- for the analysis --------------------------------------------------------------------------------

std::vector<Observation> latest_observations(const std::vector<Observation>& observations, double time_utc_s,
                                             int window_h) {
    if (!std::isfinite(time_utc_s)) return {};
    const double earliest = time_utc_s - std::max(window_h, 0) * 3600.0;
    std::map<std::pair<std::string, std::string>, Observation> best;
    for (const auto& o : observations) {
        // Times are whole seconds; half a second absorbs rounding in a caller's arithmetic.
        if (o.epoch_s < earliest - 0.5 || o.epoch_s > time_utc_s + 0.5) continue;
        const auto [it, inserted] = best.emplace(std::make_pair(o.station, o.pollutant), o);
        if (!inserted && o.epoch_s > it->second.epoch_s) it->second = o;
    }
    std::vector<Observation> out;
    out.reserve(best.size());
    for (auto& [key, o] : best) out.push_back(std::move(o));
    return out;
}

void append_observations(ObservationSet& into, ObservationSet&& more, std::size_t max_examples) {
    into.observations.insert(into.observations.end(), more.observations.begin(), more.observations.end());
    ObservationReport& r = into.report;
    const ObservationReport& m = more.report;
    r.files.insert(r.files.end(), m.files.begin(), m.files.end());
    r.lines += m.lines;
    r.values += m.values;
    r.accepted += m.accepted;
    for (std::size_t k = 0; k < kObservationSkipCount; ++k) {
        r.skipped[k] += m.skipped[k];
        for (const auto& e : m.examples[k])
            if (r.examples[k].size() < max_examples) r.examples[k].push_back(e);
    }
    r.ignored_type_rows += m.ignored_type_rows;
    r.unlisted_columns += m.unlisted_columns;
    r.pm_pairs_tolerated += m.pm_pairs_tolerated;
    r.warnings.insert(r.warnings.end(), m.warnings.begin(), m.warnings.end());
}

}  // namespace lantian
