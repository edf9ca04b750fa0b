// UTC time parsing and formatting for the config and output layers, and the civil calendar of day
// numbers. Uses timegm/gmtime_r, so the process time zone never matters.
#include "config/time_utils.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "config/config.hpp"

namespace lantian {

namespace {

constexpr int kEpochIsoWeekday = 4;  // 1970-01-01 was a Thursday

constexpr char expected_form[] = "expected YYYY-MM-DDTHH:MM:SS (UTC; a space may replace T, Z suffix allowed)";

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    constexpr int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

// Reads exactly `width` decimal digits starting at text[pos].
bool read_digits(const std::string& text, std::size_t pos, std::size_t width, int& out) {
    if (pos + width > text.size()) return false;
    out = 0;
    for (std::size_t k = pos; k < pos + width; ++k) {
        if (text[k] < '0' || text[k] > '9') return false;
        out = out * 10 + (text[k] - '0');
    }
    return true;
}

}  // namespace

bool try_parse_iso_time_utc(const std::string& text, double& seconds, std::string& reason) {
    // Layout: YYYY-MM-DDTHH:MM:SS[Z]; positions of the separators are fixed.
    constexpr std::size_t core_length = 19;
    std::string core = text;
    if (!core.empty() && (core.back() == 'Z' || core.back() == 'z')) core.pop_back();
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    const bool layout_ok = core.size() == core_length && read_digits(core, 0, 4, year) && core[4] == '-' &&
                           read_digits(core, 5, 2, month) && core[7] == '-' && read_digits(core, 8, 2, day) &&
                           (core[10] == 'T' || core[10] == 't' || core[10] == ' ') &&
                           read_digits(core, 11, 2, hour) && core[13] == ':' && read_digits(core, 14, 2, minute) &&
                           core[16] == ':' && read_digits(core, 17, 2, second);
    if (!layout_ok) {
        reason = expected_form;
        return false;
    }
    if (month < 1 || month > 12) {
        reason = "month " + std::to_string(month) + " is not in 1..12";
        return false;
    }
    if (day < 1 || day > days_in_month(year, month)) {
        reason = "day " + std::to_string(day) + " is not in 1.." + std::to_string(days_in_month(year, month));
        return false;
    }
    if (hour > 23 || minute > 59 || second > 59) {
        reason = "time of day " + core.substr(11) + " is not in 00:00:00..23:59:59";
        return false;
    }
    std::tm fields{};
    fields.tm_year = year - 1900;
    fields.tm_mon = month - 1;
    fields.tm_mday = day;
    fields.tm_hour = hour;
    fields.tm_min = minute;
    fields.tm_sec = second;
    seconds = static_cast<double>(timegm(&fields));
    return true;
}

double parse_iso_time_utc(const std::string& text) {
    double seconds = 0.0;
    std::string reason;
    if (!try_parse_iso_time_utc(text, seconds, reason)) throw ConfigError("time '" + text + "': " + reason);
    return seconds;
}

// Days ↔ civil date in the proleptic Gregorian calendar, by 400-year eras of 146097 days, with
// years starting on 1 March so that the leap day falls at the end of a year.
long long days_from_civil(int year, int month, int day) {
    const long long y = year - (month <= 2 ? 1 : 0);
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long year_of_era = y - era * 400;                                   // 0..399
    const long long day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;  // 0..365
    const long long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;  // 719468 days from 0000-03-01 to 1970-01-01
}

CivilDate civil_from_days(long long days) {
    const long long z = days + 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const long long day_of_era = z - era * 146097;
    const long long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const long long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const long long mp = (5 * day_of_year + 2) / 153;
    const int day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
    long long wd = (days % 7 + 7 + kEpochIsoWeekday - 1) % 7;  // 0 = Monday
    return {year, month, day, static_cast<int>(wd) + 1};
}

std::string format_iso_time_utc(double seconds) {
    const std::time_t whole = static_cast<std::time_t>(std::llround(seconds));
    std::tm fields{};
    gmtime_r(&whole, &fields);
    char text[80];  // room for any int fields, so snprintf never truncates
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", fields.tm_year + 1900, fields.tm_mon + 1,
                  fields.tm_mday, fields.tm_hour, fields.tm_min, fields.tm_sec);
    return text;
}

}  // namespace lantian
