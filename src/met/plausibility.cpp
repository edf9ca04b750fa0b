// The plausibility table: bounds that every real atmosphere (and every real WRF file) stays within,
// with the extremes they still accept; the readers check each value they read against it.
#include "met/plausibility.hpp"

#include <sstream>
#include <stdexcept>

namespace lantian {

const std::vector<PlausibleRange>& plausibility_table() {
    static const std::vector<PlausibleRange> table = {
        {Quantity::wind_component, "wind component", "m s-1", -150, 150,
         "WRF `U`, `V` (every level), `U10`, `V10`",
         "jet-stream cores reach about 100 m s-1 and, rarely, 110 m s-1; 150 leaves a margin (95 m s-1 is accepted)"},
        {Quantity::wind_speed, "wind speed", "m s-1", 0, 150, "table `speed_m_s`",
         "as for a component; a speed is not negative"},
        {Quantity::air_temperature, "air temperature", "K", 170, 340,
         "WRF air temperature of every level, θ (p / p0)^(R/c_p) from `T` + 300 K and `P` + `PB`",
         "the coldest air below WRF's model top (tropical tropopause, polar stratosphere in winter) is about "
         "180 K, rarely a little colder; the hottest surface air measured is 330 K (Death Valley, 56.7 °C); "
         "−50 °C Inner Mongolian nights (223 K) are well inside"},
        {Quantity::temperature_2m, "2 m temperature", "K", 180, 340, "WRF `T2`",
         "lowest surface air temperature measured 184 K (Vostok, −89.2 °C), highest 330 K; margin for model bias"},
        {Quantity::pressure, "air pressure", "Pa", 10, 110000, "WRF `P` + `PB` (every level)",
         "highest sea-level pressure measured about 108 600 Pa (Tosontsengel, Mongolia, 2001); WRF model tops are "
         "seldom above 1 hPa (100 Pa)"},
        {Quantity::dry_column_pressure, "dry column pressure", "Pa", 1000, 110000, "WRF `MU` + `MUB`",
         "surface pressure minus the model-top pressure: about 30 000 Pa on the summit of Everest, at most the "
         "sea-level pressure"},
        {Quantity::geopotential_height, "geopotential height", "m", -1000, 100000,
         "WRF (`PH` + `PHB`) / g (every full level)",
         "the lowest land is 430 m below sea level (Dead Sea shore); WRF model tops lie below 60 km (1 hPa)"},
        {Quantity::terrain_height, "terrain height", "m", -1000, 9000, "WRF `HGT`",
         "from −430 m (Dead Sea shore) to 8849 m (Everest)"},
        {Quantity::eta, "η", "1", 0, 1, "WRF `ZNW`", "η is 1 at the ground and 0 at the model top, by definition"},
        {Quantity::water_vapour, "water vapour mixing ratio", "kg kg-1", -1e-5, 0.05, "WRF `QVAPOR`",
         "the highest dew points measured (about 35 °C) give about 0.037 kg kg-1; tiny negative values left by "
         "moisture advection that is not positive definite are accepted (relative humidity 0)"},
        {Quantity::pblh, "boundary-layer height", "m", 0, 10000, "WRF `PBLH`; table `pblh_m` (also > 0)",
         "convective boundary layers reach 5–6 km over deserts (Taklimakan, Sahara), and WRF's diagnosed PBLH is "
         "not capped there (it can lie higher in deep convection), so 6 km could refuse real files; 0 is accepted "
         "(the reader uses at least 1 m)"},
        {Quantity::ustar, "friction velocity", "m s-1", 0, 5, "WRF `UST`; table `ustar_m_s`",
         "dust storms give 2–3 m s-1, tropical cyclones over sea about 2 m s-1; 0 is accepted (calm; the WRF "
         "reader uses at least 0.001 m s-1, in the table 0 means derived from the wind)"},
        {Quantity::heat_flux, "sensible heat flux", "W m-2", -1000, 2000, "WRF `HFX` (upward positive)",
         "desert afternoons reach 600–800 W m-2 and cold-air outbreaks over warm currents about 1000 W m-2; "
         "strongly stable nights seldom go below −300 W m-2"},
        {Quantity::accumulated_precip, "accumulated precipitation", "mm", -1, 100000, "WRF `RAINC`, `RAINNC`",
         "the wettest places receive about 26 m in their wettest year, so even multi-year runs without a bucket "
         "stay below 100 m; slightly negative values from moisture advection are accepted"},
        {Quantity::precip_rate, "precipitation rate", "mm h-1", 0, 500,
         "WRF rate from `RAINC` + `RAINNC` between two records (a decrease, a bucket reset, counts as 0)",
         "the heaviest rain measured is about 305 mm in under an hour (Holt, Missouri, 1947); a rate over a WRF "
         "output interval stays below 500 mm h-1"},
        {Quantity::cloud_fraction, "cloud fraction", "1", 0, 1, "WRF `CLDFRA` (every level)",
         "a fraction: 0 (clear) to 1 (overcast), by definition"},
        {Quantity::cloud_water, "cloud water mixing ratio", "kg kg-1", -1e-05, 0.01, "WRF `QCLOUD` (every level)",
         "deep convective clouds hold up to 3–5 g kg-1 of liquid water; tiny negative values of advection that is "
         "not positive definite are accepted (treated as 0)"},
        {Quantity::snow_cover, "snow cover", "1", 0, 1, "WRF `SNOWC`",
         "a flag or fraction: 0 (bare) to 1 (snow-covered), by definition"},
    };
    return table;
}

const PlausibleRange& plausible_range(Quantity q) {
    for (const PlausibleRange& r : plausibility_table())
        if (r.quantity == q) return r;
    throw std::logic_error("plausibility table: a quantity has no row");
}

namespace {
std::string number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}
}  // namespace

std::string implausible_reason(Quantity q, double v) {
    const PlausibleRange& r = plausible_range(q);
    const std::string unit = std::string(r.unit) == "1" ? "" : std::string(" ") + r.unit;  // η has none
    return number(v) + unit + ": outside the plausible " + r.name + " range [" + number(r.lo) + ", " + number(r.hi) +
           "]" + unit + " (docs/input-formats.md, \"Plausibility checks\")";
}

std::string plausibility_markdown() {
    std::string out = "| quantity | unit | lowest | highest | checked | the bounds still accept |\n|---|---|---|---|---|---|\n";
    for (const PlausibleRange& r : plausibility_table())
        out += std::string("| ") + r.name + " | " + r.unit + " | " + number(r.lo) + " | " + number(r.hi) + " | " +
               r.checked + " | " + r.why + " |\n";
    return out;
}

}  // namespace lantian
