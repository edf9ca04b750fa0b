// Reduction lists: reading, resolving a source's cut, rows in force at a time, the cut summary, alert-triggered hours.
#include "scenarios/reduction_list.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "config/time_utils.hpp"
#include "emissions/csv_table.hpp"
#include "scenarios/regions.hpp"

namespace lantian {

bool row_active(const ReductionRow& row, double t_epoch_s) {
    return (row.start_epoch_s < 0 || t_epoch_s >= row.start_epoch_s) && (row.end_epoch_s < 0 || t_epoch_s < row.end_epoch_s);
}

namespace {

std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::string w;
    for (char c : s) {
        if (c == ' ' || c == ';' || c == '|' || c == '+') {
            if (!w.empty()) out.push_back(w);
            w.clear();
        } else {
            w += c;
        }
    }
    if (!w.empty()) out.push_back(w);
    return out;
}

bool matches(const ReductionRow& r, const SourceKey& s) {
    if (!r.plant.empty()) return !s.id.empty() && r.plant == s.id;
    return (!r.sector || *r.sector == s.sector) && (!r.grade || r.grade == s.grade) && (r.region.empty() || r.region == s.region);
}

}  // namespace

ReductionList read_reduction_list(const std::string& path) {
    const CsvTable t = read_csv_file(path);
    const std::size_t c_target = t.require("target"), c_poll = t.require("pollutants"), c_cut = t.require("cut"),
                      c_level = t.require("level");
    const int c_start = t.find("start"), c_end = t.find("end");
    ReductionList list;
    list.path = path;
    list.name = path.substr(path.find_last_of('/') + 1);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        ReductionRow row;
        row.line = t.line_numbers[r];
        row.target_text = t.cell(r, c_target);
        // Target: all | plant:ID | sector:NAME | grade:A | sector:NAME+grade:B
        std::optional<Sector> sector;
        char grade = 0;
        std::string plant, region;
        for (const std::string& part : split_words(row.target_text)) {
            const auto colon = part.find(':');
            const std::string kind = part.substr(0, colon), value = colon == std::string::npos ? "" : part.substr(colon + 1);
            if (kind == "all" && colon == std::string::npos) continue;
            if (kind == "plant" && !value.empty()) {
                plant = value;
            } else if (kind == "sector") {
                sector = sector_from_name(value);
                if (!sector) t.fail(r, c_target, "unknown sector '" + value + "' (allowed: " + inventory_sector_list() + ")");
            } else if (kind == "grade") {
                if (value != "A" && value != "B" && value != "C") t.fail(r, c_target, "grade must be A, B or C");
                grade = value[0];
            } else if (kind == "region" && !value.empty()) {
                region = value;
            } else {
                t.fail(r, c_target, "expected all, plant:ID, sector:NAME, grade:A|B|C, region:NAME or combinations joined "
                                    "by + (e.g. region:Baotou+sector:industry+grade:C)");
            }
        }
        if (row.target_text.empty()) t.fail(r, c_target, "must not be empty (use all)");
        if (!plant.empty() && (sector || grade || !region.empty())) t.fail(r, c_target, "a plant target stands alone");
        row.plant = plant;
        row.sector = sector;
        row.grade = grade;
        row.region = region;
        row.specificity = (!plant.empty() ? 100 : 0) + (grade ? 10 : 0) + (sector ? 5 : 0) + (!region.empty() ? 3 : 0);
        // Pollutants: SO2 NOx CO PM25 PM10 PM VOC NH3 all
        const auto words = split_words(t.cell(r, c_poll));
        if (words.empty()) t.fail(r, c_poll, "name at least one pollutant (or all)");
        for (const std::string& w : words) {
            auto set = [&](Pollutant p) { row.pollutants[static_cast<int>(p)] = true; };
            if (w == "all") {
                row.pollutants.fill(true);
            } else if (w == "PM" || w == "PM10") {
                set(Pollutant::PM25);
                set(Pollutant::PMC);
            } else if (w == "PM2.5") {
                set(Pollutant::PM25);
            } else if (const auto p = pollutant_from_name(w); p && *p != Pollutant::PMC) {
                set(*p);
            } else {
                t.fail(r, c_poll, "unknown pollutant '" + w + "' (SO2, NOx, CO, PM25, PM10, PM, VOC, NH3 or all)");
            }
        }
        row.cut = t.number(r, c_cut, 0, 1, "in [0, 1] (the fraction removed)");
        const std::string& level = t.cell(r, c_level);
        const auto parsed_level = measure_level_from_name(level);
        if (!parsed_level) t.fail(r, c_level, "unknown alert level (yellow, orange, red or always)");
        row.level = *parsed_level;
        auto time_of = [&](int col) {
            if (col < 0 || t.cell(r, col).empty()) return -1.0;
            double s = 0;
            std::string reason;
            if (!try_parse_iso_time_utc(t.cell(r, col), s, reason)) t.fail(r, static_cast<std::size_t>(col), reason);
            return s;
        };
        row.start_epoch_s = time_of(c_start);
        row.end_epoch_s = time_of(c_end);
        if (row.start_epoch_s >= 0 && row.end_epoch_s >= 0 && row.end_epoch_s <= row.start_epoch_s)
            t.fail(r, static_cast<std::size_t>(c_end), "must be after start");
        // Overlap: the same target and level with a common pollutant is ambiguous.
        for (const ReductionRow& other : list.rows) {
            if (other.level != row.level || other.plant != row.plant || other.sector != row.sector ||
                other.grade != row.grade || other.region != row.region)
                continue;
            for (int p = 0; p < kPollutants; ++p)
                if (other.pollutants[p] && row.pollutants[p])
                    t.fail(r, c_target, "overlaps line " + std::to_string(other.line) + " (same target, level " + level +
                                            " and pollutant " + std::string(kPollutantNames[p]) + "); merge the two rows");
        }
        list.rows.push_back(row);
    }
    return list;
}

double reduction_cut(const ReductionList& list, const SourceKey& source, int pollutant, MeasureLevel alert) {
    const ReductionRow* best = nullptr;
    for (const ReductionRow& r : list.rows) {
        if (!r.pollutants[pollutant] || r.level > alert || !matches(r, source)) continue;
        if (!best || r.level > best->level || (r.level == best->level && r.specificity > best->specificity)) best = &r;
    }
    return best ? best->cut : 0.0;
}

CutSummary summarise_cuts(const ReductionList& list, const Inventory& inv, const RegionSet* regions) {
    CutSummary s;
    constexpr double kDays = 365.0;
    // Internal pollutants → groups SO2, NOx, PM (PM25 + PMC), VOC.
    constexpr int group_of[kPollutants] = {0, 1, -1, 2, 2, 3, -1};
    std::vector<int> hits(list.rows.size(), 0);
    auto add = [&](const SourceKey& key, const PollutantValues& annual_t) {
        for (int p = 0; p < kPollutants; ++p) {
            const int g = group_of[p];
            if (g < 0) continue;
            s.total_t_day[g] += annual_t[p] / kDays;
            for (int l = 0; l < 4; ++l)
                s.cut_t_day[l][g] += annual_t[p] / kDays * reduction_cut(list, key, p, static_cast<MeasureLevel>(l));
        }
        for (std::size_t r = 0; r < list.rows.size(); ++r) hits[r] += matches(list.rows[r], key) ? 1 : 0;
    };
    auto region_at = [&](double lon, double lat) { return regions ? regions->region_of(lon, lat) : std::string(); };
    for (const PointStack& p : inv.points) add({p.id, p.sector, p.grade, region_at(p.lon, p.lat)}, p.annual_t);
    for (const RoadLink& r : inv.roads) add({"", Sector::traffic, 0, regions ? regions->region_of(r.path) : ""}, r.annual_t);
    for (const AreaCell& a : inv.areas)
        add({"", a.sector, 0, region_at(0.5 * (a.lon0 + a.lon1), 0.5 * (a.lat0 + a.lat1))}, a.annual_t);
    for (std::size_t r = 0; r < list.rows.size(); ++r)
        if (hits[r] == 0)
            s.warnings.push_back(list.path + ":" + std::to_string(list.rows[r].line) + ": target " + list.rows[r].target_text +
                                 " matches no source of the inventory");
    return s;
}

std::string cut_table(const ReductionList& list, const CutSummary& s) {
    std::ostringstream o;
    o << "reduction list " << list.name << " (" << list.rows.size() << " rows): emission cut per day in force at each level\n"
      << std::left << std::setw(10) << "level" << std::right;
    for (const char* g : {"SO2 t/d", "%", "NOx t/d", "%", "PM t/d", "%", "VOC t/d", "%"}) o << std::setw(10) << g;
    o << "\n" << std::fixed << std::setprecision(1);
    for (int l = 0; l < 4; ++l) {
        o << std::left << std::setw(10) << measure_level_name(static_cast<MeasureLevel>(l)) << std::right;
        for (int g = 0; g < CutSummary::kGroups; ++g)
            o << std::setw(10) << s.cut_t_day[l][g] << std::setw(10)
              << (s.total_t_day[g] > 0 ? 100.0 * s.cut_t_day[l][g] / s.total_t_day[g] : 0.0);
        o << "\n";
    }
    o << std::left << std::setw(10) << "inventory" << std::right;
    for (int g = 0; g < CutSummary::kGroups; ++g) o << std::setw(10) << s.total_t_day[g] << std::setw(10) << "";
    o << "\n";
    return o.str();
}

std::vector<MeasureLevel> hourly_measures(const std::vector<AlertLevel>& days, double lead_time_h) {
    const std::size_t hours = days.size() * 24;
    std::vector<MeasureLevel> out(hours, MeasureLevel::always);
    const long lead = std::lround(lead_time_h);
    for (int level = 1; level <= 3; ++level) {
        std::size_t d = 0;
        while (d < days.size()) {
            if (static_cast<int>(days[d]) < level) {
                ++d;
                continue;
            }
            std::size_t e = d;
            while (e < days.size() && static_cast<int>(days[e]) >= level) ++e;
            // In force from lead_time after the first day's start to the end of the last day.
            for (std::size_t h = d * 24 + static_cast<std::size_t>(std::max(0L, lead)); h < e * 24 && h < hours; ++h)
                out[h] = std::max(out[h], static_cast<MeasureLevel>(level));
            d = e;
        }
    }
    return out;
}

}  // namespace lantian
