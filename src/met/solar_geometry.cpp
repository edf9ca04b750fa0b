// Solar zenith angle from the date and place.
#include "met/solar_geometry.hpp"

#include <cmath>

#include "config/time_utils.hpp"
#include "physical_constants.hpp"

namespace lantian {

double cos_solar_zenith(double lat_deg, double lon_deg, double epoch_s) {
    const double days = epoch_s / 86400.0;
    const long long day = static_cast<long long>(std::floor(days));
    const CivilDate date = civil_from_days(day);
    const double day_of_year = static_cast<double>(day - days_from_civil(date.year, 1, 1));  // 0 = 1 January
    const double deg = kPi / 180.0;
    // δ = −23.44° cos(2π (N + 10) / 365)
    const double decl = -23.44 * deg * std::cos(2.0 * kPi * (day_of_year + 10.0) / 365.0);
    // h = 15° (UTC hours + λ/15° − 12)
    const double hour_angle = ((days - static_cast<double>(day)) * 24.0 + lon_deg / 15.0 - 12.0) * 15.0 * deg;
    const double phi = lat_deg * deg;
    return std::sin(phi) * std::sin(decl) + std::cos(phi) * std::cos(decl) * std::cos(hour_angle);
}

}  // namespace lantian
