// A geographic point in degrees, as config keys and input files give it. Only the type: the
// geometry on it (projections, distances) belongs to grid/ and its users.
#pragma once

namespace lantian {

struct LonLat {
    double lon_deg;
    double lat_deg;
};

}  // namespace lantian
