// Species metadata (CF standard names from the CF standard name table, v84).
#include "state/species.hpp"

#include <array>

namespace lantian {
namespace {
struct KnownSpecies {
    const char* name;
    const char* long_name;
    const char* standard_name;
    bool milligrams;  // CO is reported in mg m-3 (the unit of its AQI breakpoints, HJ 633-2012)
};
constexpr std::array<KnownSpecies, 10> kKnown{{
    {"SO2", "sulfur dioxide", "mass_concentration_of_sulfur_dioxide_in_air", false},
    {"NO2", "nitrogen dioxide (NOx as NO2)", "mass_concentration_of_nitrogen_dioxide_in_air", false},
    {"CO", "carbon monoxide", "mass_concentration_of_carbon_monoxide_in_air", true},
    {"PM25", "primary fine particulate matter (PM2.5)", "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air", false},
    {"PMC", "coarse particulate matter (PM10 - PM2.5)", "", false},
    {"SO4", "sulfate aerosol", "mass_concentration_of_sulfate_dry_aerosol_particles_in_air", false},
    {"NO3", "nitrate aerosol", "mass_concentration_of_nitrate_dry_aerosol_particles_in_air", false},
    {"NH4", "ammonium aerosol", "mass_concentration_of_ammonium_dry_aerosol_particles_in_air", false},
    {"NH3", "ammonia", "mass_concentration_of_ammonia_in_air", false},
    {"DUST", "mineral dust", "mass_concentration_of_dust_dry_aerosol_particles_in_air", false},
}};
}  // namespace

SpeciesInfo species_info(const std::string& name) {
    for (const auto& k : kKnown)
        if (name == k.name)
            return {name, k.long_name, k.standard_name, k.milligrams ? "mg m-3" : "ug m-3", k.milligrams ? 1e-3 : 1.0};
    return {name, "passive tracer " + name, "", "ug m-3", 1.0};
}

std::vector<SpeciesInfo> species_table(const std::vector<std::string>& names) {
    std::vector<SpeciesInfo> out;
    for (const auto& n : names) out.push_back(species_info(n));
    return out;
}

}  // namespace lantian
