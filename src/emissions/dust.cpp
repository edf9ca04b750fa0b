// Options of the wind-blown dust scheme from [dust].
#include "emissions/dust.hpp"

namespace lantian {

DustOptions dust_options(const Config& cfg) {
    const DustConfig& d = cfg.dust;
    DustOptions o;
    o.on = d.windblown;
    o.parameters.diameter_m = d.particle_diameter_um * 1e-6;
    o.parameters.bulk_density_kg_m3 = d.bulk_density_kg_m3;
    o.parameters.snow_threshold = d.snow_cover_threshold;
    o.parameters.scale = d.scale;
    if (d.erodible_fraction >= 0) o.erodible_fraction = d.erodible_fraction;
    if (d.clay_fraction >= 0) o.clay_fraction = d.clay_fraction;
    if (d.soil_moisture_m3_m3 >= 0) o.soil_moisture_m3_m3 = d.soil_moisture_m3_m3;
    o.erodible_box = d.erodible_box;
    return o;
}

bool in_erodible_box(const std::vector<double>& box, double lon_deg, double lat_deg) {
    if (box.size() != 4) return true;
    return lon_deg >= box[0] && lon_deg <= box[2] && lat_deg >= box[1] && lat_deg <= box[3];
}

}  // namespace lantian
