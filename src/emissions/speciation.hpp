// Speciation: the table that maps inventory pollutants (SO2, NOx, CO, PM25, PMC = PM10 − PM2.5,
// VOC, NH3) to model species with mass fractions, per sector or for all sectors. A table, not
// code: a new mapping is a new row.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "emissions/csv_table.hpp"
#include "emissions/sectors.hpp"

namespace lantian {

struct SpeciesShare {
    std::string species;   // model species name
    double mass_fraction;  // species mass per pollutant mass
};

class Speciation {
public:
    // Columns sector,pollutant,species,fraction. sector `*` = every sector; rows for a named sector
    // replace all `*` rows of the same pollutant for that sector. Errors: ConfigError
    // "file:line: column: value: reason".
    explicit Speciation(const CsvTable& table);
    static Speciation builtin();        // configs/profiles/speciation.csv (linear mode)
    static Speciation builtin_cb6r3();  // configs/profiles/speciation_cb6r3.csv (chemistry.mechanism = cb6r3)

    const std::vector<SpeciesShare>& shares(int sector, int pollutant) const { return map_[sector][pollutant]; }
    // Every species the table can produce, in first-seen order.
    const std::vector<std::string>& species() const { return species_; }

private:
    std::array<std::array<std::vector<SpeciesShare>, kPollutants>, kInventorySectors> map_;
    std::vector<std::string> species_;
};

}  // namespace lantian
