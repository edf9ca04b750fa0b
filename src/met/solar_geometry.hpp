// Where the sun is: the cosine of the solar zenith angle at a place and time, for sun-dependent
// chemistry (and photolysis). Pure functions of position and time; no weather.
#pragma once

namespace lantian {

// Cosine of the solar zenith angle (declination from the day of year, hour angle from UTC and
// longitude; no equation of time: ±4 min).
double cos_solar_zenith(double lat_deg, double lon_deg, double epoch_s);

}  // namespace lantian
