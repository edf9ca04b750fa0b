// Temporal profiles per sector: month-of-year × day-of-week × hour-of-day factors in local time,
// normalised per local calendar year so that the hourly fractions of a year sum to exactly 1 (the
// annual inventory total is preserved whatever the factors' scale). Reads the profile table; knows
// nothing of sources or grids.
#pragma once

#include <array>
#include <map>
#include <string>
#include <utility>

#include "config/time_utils.hpp"  // CivilDate, civil_from_days (the local calendar of a profile)
#include "emissions/csv_table.hpp"
#include "emissions/sectors.hpp"

namespace lantian {

class TemporalProfiles {
public:
    // Table columns sector,profile,index,factor; profile month (1..12), weekday (1..7, 1 = Monday)
    // or hour (0..23, local time). Every inventory sector needs every index of every profile.
    // ConfigError "file:line: column: value: reason" or "file: sector X: profile P: missing index …".
    explicit TemporalProfiles(const CsvTable& table);
    // The defaults shipped in configs/profiles/temporal_profiles.csv (compiled in).
    static TemporalProfiles builtin();

    // Local time = UTC + offset (whole hours, China Standard Time = +8).
    void set_utc_offset_h(int hours) { utc_offset_h_ = hours; }
    int utc_offset_h() const { return utc_offset_h_; }

    // Raw factor product M(month) W(weekday) H(hour) for a sector.
    double factor(int sector, int month, int iso_weekday, int hour) const;
    // Fraction of the sector's annual total emitted in the UTC hour that starts at
    // epoch_hour × 3600 s after 1970-01-01T00 UTC:
    //   f = M W H / Σ_{local hours of the local year} M W H
    double hourly_fraction(int sector, long long epoch_hour) const;
    // Fraction emitted in [t0_s, t1_s] (seconds since 1970 UTC), the hourly fractions being
    // constant within each hour: Σ_h f_h · overlap_h / 3600 s.
    double fraction(int sector, double t0_s, double t1_s) const;

private:
    double year_sum(int sector, int local_year) const;

    std::array<std::array<double, 12>, kInventorySectors> month_{};
    std::array<std::array<double, 7>, kInventorySectors> weekday_{};
    std::array<std::array<double, 24>, kInventorySectors> hour_{};
    int utc_offset_h_ = 8;
    mutable std::map<std::pair<int, int>, double> year_sum_cache_;  // (sector, year) -> Σ M W H
};

}  // namespace lantian
