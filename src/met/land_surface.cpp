// Erodible share per WRF land-use class and clay fraction per WRF soil class (docs/dust.md).
#include "met/land_surface.hpp"

#include <array>

namespace lantian {

std::optional<LandUseTable> land_use_table(const std::string& mminlu) {
    if (mminlu.rfind("USGS", 0) == 0) return LandUseTable::usgs;
    if (mminlu.find("MODIS") != std::string::npos) return LandUseTable::modis;
    return std::nullopt;
}

std::optional<double> land_use_erodible_fraction(LandUseTable table, int category) {
    // Share of the class that is bare, loose soil in the dust season (spring, before green-up): our
    // indicative values, in the spirit of the GOCART/Ginoux et al. (2001) restriction of sources to
    // bare and sparsely vegetated land. Every class not named is not erodible (0).
    if (table == LandUseTable::usgs) {
        // USGS 24 classes (28 with the lake and extra classes of WRF's LANDUSE.TBL).
        if (category < 1 || category > 28) return std::nullopt;
        switch (category) {
            case 7: return 0.10;   // grassland
            case 8: return 0.30;   // shrubland
            case 9: return 0.20;   // mixed shrubland/grassland
            case 10: return 0.05;  // savanna
            case 19: return 1.00;  // barren or sparsely vegetated
            default: return 0.0;
        }
    }
    // MODIS IGBP 20 classes (21 with lakes), as in WRF's MODIFIED_IGBP_MODIS_NOAH.
    if (category < 1 || category > 21) return std::nullopt;
    switch (category) {
        case 6: return 0.10;   // closed shrublands
        case 7: return 0.30;   // open shrublands
        case 9: return 0.05;   // savannas
        case 10: return 0.10;  // grasslands
        case 16: return 1.00;  // barren or sparsely vegetated
        default: return 0.0;
    }
}

std::optional<SoilClass> soil_class(int category) {
    // Clay mass fractions: approximate centroids of the USDA texture classes (the classes of WRF's
    // STATSGO/FAO soil map, SOILPARM.TBL order).
    static constexpr std::array<SoilClass, 19> kSoils{{
        {0.03, true},   // 1 sand
        {0.06, true},   // 2 loamy sand
        {0.10, true},   // 3 sandy loam
        {0.13, true},   // 4 silt loam
        {0.05, true},   // 5 silt
        {0.18, true},   // 6 loam
        {0.27, true},   // 7 sandy clay loam
        {0.34, true},   // 8 silty clay loam
        {0.34, true},   // 9 clay loam
        {0.42, true},   // 10 sandy clay
        {0.47, true},   // 11 silty clay
        {0.58, true},   // 12 clay
        {0.18, false},  // 13 organic material
        {0.00, false},  // 14 water
        {0.00, false},  // 15 bedrock
        {0.00, false},  // 16 other (land ice)
        {0.30, true},   // 17 playa
        {0.00, false},  // 18 lava
        {0.00, true},   // 19 white sand
    }};
    if (category < 1 || category > static_cast<int>(kSoils.size())) return std::nullopt;
    return kSoils[static_cast<std::size_t>(category - 1)];
}

}  // namespace lantian
