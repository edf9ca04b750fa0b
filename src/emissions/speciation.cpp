// Reading and checking the speciation table.
#include "emissions/speciation.hpp"

#include <algorithm>
#include <cctype>

#include "config/config.hpp"
#include "emissions/builtin_tables.hpp"

namespace lantian {

namespace {
bool is_identifier(const std::string& s) {
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}
}  // namespace

Speciation::Speciation(const CsvTable& t) {
    const std::size_t c_sector = t.require("sector"), c_pollutant = t.require("pollutant"),
                      c_species = t.require("species"), c_fraction = t.require("fraction");
    // Generic rows first, then sector rows replace them per (sector, pollutant).
    std::array<std::vector<SpeciesShare>, kPollutants> generic;
    std::array<std::array<bool, kPollutants>, kInventorySectors> specific{};
    std::array<std::array<std::vector<SpeciesShare>, kPollutants>, kInventorySectors> named;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& sector_text = t.cell(r, c_sector);
        int sector = -1;
        if (sector_text != "*") {
            const auto s = sector_from_name(sector_text);
            if (!s) t.fail(r, c_sector, "unknown sector (allowed: " + inventory_sector_list() + ", or * for all)");
            sector = static_cast<int>(*s);
        }
        const auto p = pollutant_from_name(t.cell(r, c_pollutant));
        if (!p) t.fail(r, c_pollutant, "unknown inventory pollutant (allowed: SO2, NOx, CO, PM25, PMC, VOC, NH3)");
        const std::string& species = t.cell(r, c_species);
        if (!is_identifier(species)) t.fail(r, c_species, "not a species name (letters, digits, _)");
        const double f = t.number(r, c_fraction, 0.0, 10.0, "in [0, 10] (mass of species per mass of pollutant)");
        const int pi = static_cast<int>(*p);
        auto& list = sector < 0 ? generic[pi] : named[sector][pi];
        for (const auto& existing : list)
            if (existing.species == species) t.fail(r, c_species, "mapping given twice for this sector and pollutant");
        list.push_back({species, f});
        if (sector >= 0) specific[sector][pi] = true;
        if (std::find(species_.begin(), species_.end(), species) == species_.end()) species_.push_back(species);
    }
    for (int s = 0; s < kInventorySectors; ++s)
        for (int p = 0; p < kPollutants; ++p) map_[s][p] = specific[s][p] ? named[s][p] : generic[p];
}

Speciation Speciation::builtin() { return Speciation(parse_csv_text(builtin_speciation_csv(), "built-in speciation.csv")); }

Speciation Speciation::builtin_cb6r3() {
    return Speciation(parse_csv_text(builtin_speciation_cb6r3_csv(), "built-in speciation_cb6r3.csv"));
}

}  // namespace lantian
