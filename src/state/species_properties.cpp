// Reading the species table.
#include "state/species_properties.hpp"

#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "emissions/builtin_tables.hpp"
#include "emissions/csv_table.hpp"

namespace lantian {

SpeciesPropertiesTable::SpeciesPropertiesTable(const std::string& text, const std::string& label) {
    const CsvTable t = parse_csv_text(text, label);
    const std::size_t c_name = t.require("name"), c_m = t.require("molar_mass_g_mol"), c_size = t.require("size_class"),
                      c_25 = t.require("pm25_fraction"), c_10 = t.require("pm10_fraction"), c_d = t.require("diameter_um"),
                      c_rho = t.require("density_kg_m3"), c_dr = t.require("diffusivity_ratio"),
                      c_a = t.require("scav_a_s"), c_b = t.require("scav_b");
    // Optional columns (older tables lack them): H* and f0 for the Wesely model.
    const int c_h = t.find("henry_m_atm"), c_f0 = t.find("f0");
    std::array<std::size_t, kLandClasses> c_rc{};
    for (int l = 0; l < kLandClasses; ++l) c_rc[l] = t.require(std::string("rc_") + kLandClassNames[l] + "_s_m");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        SpeciesProperties p;
        p.name = t.cell(r, c_name);
        if (p.name.empty()) t.fail(r, c_name, "must not be empty");
        if (find(p.name)) t.fail(r, c_name, "species listed twice");
        p.molar_mass_g_mol = t.number(r, c_m, 0, 1000, "in [0, 1000] g/mol");
        const std::string& size = t.cell(r, c_size);
        if (size == "gas") p.size_class = SizeClass::gas;
        else if (size == "fine") p.size_class = SizeClass::fine;
        else if (size == "coarse") p.size_class = SizeClass::coarse;
        else t.fail(r, c_size, "must be gas, fine or coarse");
        p.pm25_fraction = t.number(r, c_25, 0, 1, "in [0, 1]");
        p.pm10_fraction = t.number(r, c_10, 0, 1, "in [0, 1]");
        if (p.pm25_fraction > p.pm10_fraction) t.fail(r, c_25, "must not exceed pm10_fraction (PM10 includes PM2.5)");
        const bool h_given = c_h >= 0 && !t.cell(r, static_cast<std::size_t>(c_h)).empty();
        const bool f0_given = c_f0 >= 0 && !t.cell(r, static_cast<std::size_t>(c_f0)).empty();
        if (p.particle()) {
            p.diameter_m = t.number(r, c_d, 1e-3, 100, "in [0.001, 100] um (required for particles)") * 1e-6;
            p.density_kg_m3 = t.number(r, c_rho, 100, 20000, "in [100, 20000] kg/m3 (required for particles)");
            if (h_given) t.fail(r, static_cast<std::size_t>(c_h), "must be empty for particles (gases only)");
            if (f0_given) t.fail(r, static_cast<std::size_t>(c_f0), "must be empty for particles (gases only)");
        } else {
            p.diffusivity_ratio = t.number(r, c_dr, 0.1, 10, "in [0.1, 10] (required for gases)");
            if (h_given != f0_given) {
                // Name the empty cell, or the given one when the other's column is missing altogether.
                const int missing = h_given ? c_f0 : c_h, given = h_given ? c_h : c_f0;
                t.fail(r, static_cast<std::size_t>(missing >= 0 ? missing : given),
                       std::string("henry_m_atm and f0 go together: give both or neither") +
                           (missing >= 0 ? "" : h_given ? " (the header has no f0 column)" : " (the header has no henry_m_atm column)"));
            }
            if (h_given) {
                p.has_henry = true;
                p.henry_m_atm = t.number(r, static_cast<std::size_t>(c_h), 0, 1e20, "in [0, 1e20] M atm-1");
                p.f0 = t.number(r, static_cast<std::size_t>(c_f0), 0, 1, "in [0, 1]");
            }
            // An explicit r_c wins; an empty cell is computed by the Wesely model from H* and f0.
            for (int l = 0; l < kLandClasses; ++l)
                p.rc_s_m[l] = p.has_henry ? t.number(r, c_rc[l], 1, 1e7, "in [1, 1e7] s/m or empty (Wesely model)", true, kRcFromWesely)
                                          : t.number(r, c_rc[l], 1, 1e7, "in [1, 1e7] s/m (required for gases without henry_m_atm and f0)");
        }
        // Gases with H*: an empty scav_a_s means Λ from the solubility (scav_b then unused).
        if (!p.particle() && p.has_henry && t.cell(r, c_a).empty()) {
            p.scav_from_henry = true;
            p.scav_a_s = 0;
            p.scav_b = t.number(r, c_b, 0, 2, "in [0, 2]", true, 1.0);
        } else {
            p.scav_a_s = t.number(r, c_a, 0, 1e-2, p.has_henry ? "in [0, 0.01] s-1 or empty (from henry_m_atm)" : "in [0, 0.01] s-1");
            p.scav_b = t.number(r, c_b, 0, 2, "in [0, 2]");
        }
        rows_.push_back(p);
    }
}

SpeciesPropertiesTable SpeciesPropertiesTable::builtin() {
    return SpeciesPropertiesTable(builtin_species_csv(), "built-in species.csv");
}

SpeciesPropertiesTable SpeciesPropertiesTable::from_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError(path + ": cannot open file");
    std::stringstream ss;
    ss << in.rdbuf();
    return SpeciesPropertiesTable(ss.str(), path);
}

const SpeciesProperties* SpeciesPropertiesTable::find(const std::string& name) const {
    for (const auto& r : rows_)
        if (r.name == name) return &r;
    return nullptr;
}

}  // namespace lantian
