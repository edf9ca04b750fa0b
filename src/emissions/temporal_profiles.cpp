// Reading, checking and evaluating temporal profiles.
#include "emissions/temporal_profiles.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "config/config.hpp"
#include "emissions/builtin_tables.hpp"

namespace lantian {

namespace {
constexpr long long kSecondsPerHour = 3600;
constexpr long long kHoursPerDay = 24;
}  // namespace

TemporalProfiles::TemporalProfiles(const CsvTable& t) {
    const std::size_t c_sector = t.require("sector"), c_profile = t.require("profile"), c_index = t.require("index"),
                      c_factor = t.require("factor");
    // seen[sector][profile][index]
    std::array<std::array<std::vector<int>, 3>, kInventorySectors> seen_line{};
    for (auto& s : seen_line) {
        s[0].assign(12, 0);
        s[1].assign(7, 0);
        s[2].assign(24, 0);
    }
    constexpr std::array<const char*, 3> profile_names{"month", "weekday", "hour"};
    constexpr std::array<int, 3> first_index{1, 1, 0};
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto sector = sector_from_name(t.cell(r, c_sector));
        if (!sector) t.fail(r, c_sector, "unknown sector (allowed: " + inventory_sector_list() + ")");
        const std::string& profile = t.cell(r, c_profile);
        const auto p_it = std::find(profile_names.begin(), profile_names.end(), profile);
        if (p_it == profile_names.end()) t.fail(r, c_profile, "must be month, weekday or hour");
        const int p = static_cast<int>(p_it - profile_names.begin());
        const int n = static_cast<int>(seen_line[0][p].size());
        const double idx = t.number(r, c_index, first_index[p], first_index[p] + n - 1,
                                    "a whole number in " + std::to_string(first_index[p]) + ".." +
                                        std::to_string(first_index[p] + n - 1) + " for profile " + profile);
        if (idx != std::floor(idx)) t.fail(r, c_index, "must be a whole number");
        const int i = static_cast<int>(idx) - first_index[p];
        const double f = t.number(r, c_factor, 0.0, 1e6, ">= 0");
        const int s = static_cast<int>(*sector);
        int& line = seen_line[s][p][i];
        if (line != 0)
            t.fail(r, c_index, "duplicate: sector " + t.cell(r, c_sector) + " profile " + profile +
                                   " index already given on line " + std::to_string(line));
        line = t.line_numbers[r];
        if (p == 0) month_[s][i] = f;
        if (p == 1) weekday_[s][i] = f;
        if (p == 2) hour_[s][i] = f;
    }
    for (int s = 0; s < kInventorySectors; ++s) {
        for (int p = 0; p < 3; ++p) {
            std::string missing;
            double sum = 0;
            for (std::size_t i = 0; i < seen_line[s][p].size(); ++i) {
                if (seen_line[s][p][i] == 0) missing += (missing.empty() ? "" : " ") + std::to_string(i + first_index[p]);
                sum += p == 0 ? month_[s][i] : p == 1 ? weekday_[s][i] : hour_[s][i];
            }
            if (!missing.empty())
                throw ConfigError(t.path + ": sector " + std::string(sector_name(s)) + ": profile " + profile_names[p] +
                                  ": missing index " + missing + " (every sector needs months 1..12, weekdays 1..7 "
                                  "and hours 0..23)");
            if (sum <= 0)
                throw ConfigError(t.path + ": sector " + std::string(sector_name(s)) + ": profile " + profile_names[p] +
                                  ": all factors are 0 (the sector could never emit)");
        }
    }
}

TemporalProfiles TemporalProfiles::builtin() {
    return TemporalProfiles(parse_csv_text(builtin_temporal_profiles_csv(), "built-in temporal_profiles.csv"));
}

double TemporalProfiles::factor(int s, int month, int iso_weekday, int hour) const {
    return month_[s][month - 1] * weekday_[s][iso_weekday - 1] * hour_[s][hour];
}

double TemporalProfiles::year_sum(int s, int year) const {
    const auto key = std::make_pair(s, year);
    const auto it = year_sum_cache_.find(key);
    if (it != year_sum_cache_.end()) return it->second;
    double hours = 0;
    for (double h : hour_[s]) hours += h;
    double days = 0;
    for (long long d = days_from_civil(year, 1, 1), end = days_from_civil(year + 1, 1, 1); d < end; ++d) {
        const CivilDate c = civil_from_days(d);
        days += month_[s][c.month - 1] * weekday_[s][c.iso_weekday - 1];
    }
    const double sum = days * hours;
    year_sum_cache_.emplace(key, sum);
    return sum;
}

double TemporalProfiles::hourly_fraction(int s, long long epoch_hour) const {
    const long long local_hour = epoch_hour + utc_offset_h_;
    const long long day = local_hour >= 0 ? local_hour / kHoursPerDay : -((-local_hour + kHoursPerDay - 1) / kHoursPerDay);
    const int hour = static_cast<int>(local_hour - day * kHoursPerDay);
    const CivilDate c = civil_from_days(day);
    return factor(s, c.month, c.iso_weekday, hour) / year_sum(s, c.year);
}

double TemporalProfiles::fraction(int s, double t0_s, double t1_s) const {
    double total = 0;
    const long long h0 = static_cast<long long>(std::floor(t0_s / kSecondsPerHour));
    for (long long h = h0; static_cast<double>(h * kSecondsPerHour) < t1_s; ++h) {
        const double a = std::max(t0_s, static_cast<double>(h * kSecondsPerHour));
        const double b = std::min(t1_s, static_cast<double>((h + 1) * kSecondsPerHour));
        if (b > a) total += hourly_fraction(s, h) * (b - a) / kSecondsPerHour;
    }
    return total;
}

}  // namespace lantian
