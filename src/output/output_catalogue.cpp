// The declarations of every output variable; see the header.
#include "output/output_catalogue.hpp"

#include <sstream>

#include "state/state.hpp"

namespace lantian {

namespace {
constexpr const char* kLowest = " mass concentration in the lowest model layer";

OutputVariable o3_running_mean(const SpeciesInfo& o3, int index) {
    return {std::string(kOzoneSpecies) + "_8h", "ozone 8-hour running mean mass concentration in the lowest model layer",
            "ozone, 8-hour running mean", "", o3.output_units, true, false, true, OutputSource::o3_8h, index, -1,
            "photochemical runs only (a species named O3): mean of the O3 records of the last 8 h, (t − 8 h, t], missing "
            "until the records cover 6 h (GB 3095-2012: 6 of 8 hours): _FillValue in the gridded file, NaN in the series. "
            "Gridded: the mean of the O3 values as written (float); series: of the receptor values. The daily maximum of the windows ending 08:00–24:00 local is "
            "the MDA8 of `lantian report`"};
}

// The diagnostics of the aerosol equilibrium (state/state.hpp: kAerosolWater, kAerosolPh).
std::vector<OutputVariable> aerosol_diagnostics() {
    OutputVariable water{kAerosolWater, "water in ambient aerosol particles (not part of PM2.5, which is dry mass)",
                         "water in ambient aerosol particles", "mass_concentration_of_water_in_ambient_aerosol_particles_in_air",
                         "ug m-3", true, true, true, OutputSource::diagnostic, -1, -1,
                         "output.aerosol_diagnostics (photochemical runs): the liquid water the particles hold at the "
                         "ambient humidity, from the aerosol equilibrium of the chemistry, at the record time; 0 where "
                         "they hold none. PM25_total and PM10_total stay dry mass (as the monitors report them). "
                         "Series: as the species (bilinear at stations, area mean over cities). First scenario's file only"};
    water.diagnostic = kAerosolWater;
    OutputVariable ph{kAerosolPh, "pH of the aerosol water", "pH of the aerosol water", "", "1", true, true, true,
                      OutputSource::diagnostic, -1, -1,
                      "output.aerosol_diagnostics (photochemical runs): pH = −log10(γ_H m_H) of the particles' water "
                      "(γ_H activity coefficient, m_H molality of H+, mol kg-1), from the aerosol equilibrium at the record "
                      "time; _FillValue (also missing_value) where the particles hold no water, NaN in the series. Series: "
                      "the value of the receptor's own cell (stations: the cell they lie in; cities: their cell nearest "
                      "the centre), not interpolated or averaged (a mean of pH is the pH of no water). First scenario's "
                      "file only"};
    ph.diagnostic = kAerosolPh;
    ph.missing = true;
    ph.own_cell = true;
    return {water, ph};
}

std::vector<OutputVariable> catalogue(const std::vector<SpeciesInfo>& species, bool has_pm,
                                      const std::vector<std::string>& tags, bool aerosol) {
    std::vector<OutputVariable> out;
    for (std::size_t s = 0; s < species.size(); ++s) {
        const SpeciesInfo& sp = species[s];
        out.push_back({sp.name, sp.long_name + kLowest, sp.long_name, sp.standard_name, sp.output_units, true, true, true,
                       OutputSource::species, static_cast<int>(s), -1,
                       "instantaneous mass concentration in the lowest model layer (0 to the first face) at the record time; "
                       "NAME_3d: the same in every layer"});
    }
    if (has_pm) {
        out.push_back({"PM25_total", "PM2.5 (primary, secondary and fine dust) mass concentration in the lowest model layer",
                       "PM2.5 (primary, secondary and fine dust)", "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air",
                       "ug m-3", true, false, true, OutputSource::pm25, -1, -1,
                       "Σ species × their pm25_fraction from the species table (PM25 + SO4 + NO3 + NH4 + 0.3 DUST by default)"});
        out.push_back({"PM10_total", "PM10 mass concentration in the lowest model layer", "PM10",
                       "mass_concentration_of_pm10_ambient_aerosol_particles_in_air", "ug m-3", true, false, true,
                       OutputSource::pm10, -1, -1, "Σ species × their pm10_fraction (PM2.5 plus PMC and all DUST by default)"});
    }
    for (std::size_t s = 0; s < species.size(); ++s)
        if (species[s].name == kOzoneSpecies) out.push_back(o3_running_mean(species[s], static_cast<int>(s)));
    out.push_back({"pblh", "atmospheric boundary layer height", "", "atmosphere_boundary_layer_thickness", "m", true, false,
                   false, OutputSource::met_pblh, -1, -1, "boundary-layer height of the weather at the step before the record"});
    out.push_back({"u10", "10 m wind along grid x", "", "x_wind", "m s-1", true, false, false, OutputSource::met_u10, -1, -1,
                   "10 m wind along grid x (grid-relative)"});
    out.push_back({"v10", "10 m wind along grid y", "", "y_wind", "m s-1", true, false, false, OutputSource::met_v10, -1, -1,
                   "10 m wind along grid y (grid-relative)"});
    if (aerosol)
        for (OutputVariable& v : aerosol_diagnostics()) out.push_back(std::move(v));
    for (std::size_t g = 0; g < tags.size(); ++g) {
        for (std::size_t s = 0; s < species.size(); ++s) {
            const SpeciesInfo& sp = species[s];
            out.push_back({sp.name + "__" + tags[g], "", sp.long_name + " from tag " + tags[g], "", sp.output_units, false, false,
                           true, OutputSource::tag_species, static_cast<int>(s), static_cast<int>(g),
                           "the species' concentration from the sources of tag TAG (receptor series only)"});
        }
        if (has_pm)
            out.push_back({"PM25_total__" + tags[g], "PM2.5 from tag " + tags[g] + " (source apportionment)",
                           "PM2.5 from tag " + tags[g], "", "ug m-3", true, false, true, OutputSource::tag_pm25, -1,
                           static_cast<int>(g), "PM2.5 from the sources of tag TAG; the tags add up to PM25_total"});
    }
    out.push_back({"surface_altitude", "terrain height above sea level", "", "surface_altitude", "m", false, false, false,
                   OutputSource::met_terrain, -1, -1,
                   "terrain height of the weather (MetState terrain_m: WRF HGT, or the idealized valley and ridges) at the "
                   "start of the run; static, written once (no time dimension); for terrain shading of maps"});
    return out;
}
}  // namespace

std::vector<OutputVariable> output_catalogue(const std::vector<SpeciesInfo>& species, bool has_pm,
                                             const std::vector<std::string>& tags, bool aerosol_diagnostics) {
    return catalogue(species, has_pm, tags, aerosol_diagnostics);
}

std::vector<OutputVariable> output_catalogue_reference() {
    SpeciesInfo any{"SPECIES", "species", "", "ug m-3 (CO: mg m-3)", 1.0};
    std::vector<OutputVariable> out = catalogue({any}, true, {"TAG"}, false);
    SpeciesInfo o3{kOzoneSpecies, "ozone", "", "ug m-3", 1.0};
    out.push_back(o3_running_mean(o3, 0));
    for (OutputVariable& v : aerosol_diagnostics()) out.push_back(std::move(v));
    out.push_back({"budget_SPECIES", "mass budget of SPECIES over the run", "", "", "kg", false, false, false,
                   OutputSource::budget, -1, -1, "the mass budget by term (dimension budget_term; see Mass budget below)"});
    return out;
}

std::string output_reference_markdown() {
    std::ostringstream o;
    o << "| variable | where | dims | units | CF standard_name | meaning |\n|---|---|---|---|---|---|\n";
    for (const OutputVariable& v : output_catalogue_reference()) {
        std::string where, dims;
        if (v.source == OutputSource::budget) {
            where = "gridded file";
            dims = "budget_term";
        } else if (v.source == OutputSource::met_terrain) {
            where = "gridded file (static)";
            dims = "y, x";
        } else {
            if (v.gridded) where = "gridded file";
            if (v.volume) where += " (and `" + v.name + "_3d`: time, z, y, x, with `output.fields_3d`)";
            if (v.series) where += std::string(where.empty() ? "" : "; ") + "receptor series";
            dims = v.gridded ? "time, y, x" : "time, station";
        }
        o << "| `" << v.name << "` | " << where << " | " << dims << " | " << v.units << " | "
          << (v.standard_name.empty() ? "-" : "`" + v.standard_name + "`") << " | " << v.computed << " |\n";
    }
    return o.str();
}

}  // namespace lantian
