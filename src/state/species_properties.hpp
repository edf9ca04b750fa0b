// The species table (configs/species.csv, compiled in; species.table overrides): molar mass, size
// class, PM2.5/PM10 shares, and the parameters of dry deposition, settling and wet scavenging.
// Reading and checking only; the removal processes use it.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace lantian {

inline constexpr int kLandClasses = 7;
inline constexpr std::array<const char*, kLandClasses> kLandClassNames{"urban",  "cropland", "grassland", "forest",
                                                                     "water",  "desert",   "snow"};

enum class SizeClass { gas, fine, coarse };

inline constexpr double kRcFromWesely = -1;  // marks an rc_<class> cell left to the Wesely model

struct SpeciesProperties {
    std::string name;
    double molar_mass_g_mol = 0;          // 0 = not a molecule
    SizeClass size_class = SizeClass::gas;
    double pm25_fraction = 0, pm10_fraction = 0;
    double diameter_m = 0;                // particles
    double density_kg_m3 = 0;             // particles
    double diffusivity_ratio = 1;         // gases: D(H2O)/D(gas)
    // Gases: effective Henry's law constant H* (M atm-1) and reactivity f0 (0..1) of Wesely (1989);
    // `has_henry` when the row gives them (columns henry_m_atm, f0).
    double henry_m_atm = 0, f0 = 0;
    bool has_henry = false;
    // Gases: bulk surface resistance r_c (s m-1) per land class; kRcFromWesely where the cell is
    // empty (computed by the Wesely model from H*, f0, the season and the weather).
    std::array<double, kLandClasses> rc_s_m{};
    double scav_a_s = 0, scav_b = 1;      // Λ = a P^b
    bool scav_from_henry = false;         // gases with empty scav_a_s: Λ from H* (docs/removal.md)
    bool particle() const { return size_class != SizeClass::gas; }
    // No uptake at all: a gas with H* = 0 and f0 = 0 (radicals, operators) neither deposits nor is
    // scavenged.
    bool inert() const { return size_class == SizeClass::gas && has_henry && henry_m_atm == 0 && f0 == 0; }
};

class SpeciesPropertiesTable {
public:
    // CSV text and a label for messages; ConfigError "file:line: column: value: reason".
    SpeciesPropertiesTable(const std::string& csv_text, const std::string& label);
    static SpeciesPropertiesTable builtin();
    static SpeciesPropertiesTable from_file(const std::string& path);
    // nullptr when the species is not in the table (a passive tracer: no removal).
    const SpeciesProperties* find(const std::string& name) const;

private:
    std::vector<SpeciesProperties> rows_;
};

}  // namespace lantian
