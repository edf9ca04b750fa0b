// UTC calendar times as seconds since 1970-01-01T00:00:00Z: parsing ISO 8601 text from the
// config, formatting times for logs and files, and the civil (proleptic Gregorian) calendar of day
// numbers. No time zones, no local time (callers add their own offset), no leap seconds.
#pragma once

#include <string>

namespace lantian {

// "YYYY-MM-DDTHH:MM:SS", a space instead of 'T', optional trailing 'Z'; fields range-checked.
// Returns seconds since 1970-01-01 UTC; throws ConfigError naming the text and what is expected.
double parse_iso_time_utc(const std::string& text);

// Same as parse_iso_time_utc but reports failure instead of throwing: on success returns true and
// sets seconds; on failure returns false and sets reason ("month 13 is not in 1..12", ...).
bool try_parse_iso_time_utc(const std::string& text, double& seconds, std::string& reason);

// "YYYY-MM-DD HH:MM:SS" for a time in seconds since 1970-01-01 UTC, rounded to the nearest second
// (model times are sums of steps, so 3599.9999999 s means 01:00:00, not 00:59:59).
std::string format_iso_time_utc(double seconds);

// Civil calendar of a day number (days since 1970-01-01).
struct CivilDate {
    int year, month, day;   // month 1..12
    int iso_weekday;        // 1 = Monday … 7 = Sunday
};
CivilDate civil_from_days(long long days);
long long days_from_civil(int year, int month, int day);

}  // namespace lantian
