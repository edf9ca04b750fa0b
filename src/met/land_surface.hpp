// WRF land-use and soil categories as the wind-blown dust scheme needs them: the erodible share of
// a land-use class (USGS 24/28-class or MODIS IGBP 20/21-class tables, told apart by the wrfout
// global attribute MMINLU) and the clay fraction of a soil class (the 16 STATSGO/FAO texture classes
// of WRF's ISLTYP, plus the 19-class extension). The tables and their sources: docs/dust.md.
#pragma once

#include <optional>
#include <string>

namespace lantian {

enum class LandUseTable { usgs, modis };

// The table of a wrfout MMINLU attribute ("USGS", "MODIFIED_IGBP_MODIS_NOAH", "MODIS…"); none when unknown.
std::optional<LandUseTable> land_use_table(const std::string& mminlu);

// Erodible share (0..1) of a land-use category; none for a category outside the table.
std::optional<double> land_use_erodible_fraction(LandUseTable table, int category);

struct SoilClass {
    double clay_fraction;  // 1, clay mass fraction
    bool erodible;         // false for water, bedrock, ice, organic soil, lava
};
// The soil of an ISLTYP category (1..19); none outside.
std::optional<SoilClass> soil_class(int category);

}  // namespace lantian
