// Mass ledger per species: where every kilogram came from and went. Sums are double and are
// accumulated in a fixed order, so the ledger is identical for any thread count.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "emissions/sectors.hpp"

namespace lantian {

enum class Edge4 { west = 0, east = 1, south = 2, north = 3, top = 4 };

struct SpeciesLedger {
    double initial_kg = 0, emitted_kg = 0, deposited_kg = 0, final_kg = 0;
    double settled_kg = 0;     // gravitational settling to the ground
    double wet_kg = 0;         // wet scavenging
    double chemistry_kg = 0;   // net chemical production (< 0 for a species that is converted)
    std::array<double, 5> inflow_kg{};   // by Edge4
    std::array<double, 5> outflow_kg{};
    // The emitted mass split by sector (kg), booked from the emission model's rates; sums to
    // emitted_kg to round-off.
    std::array<double, kAllSectors> emitted_by_sector_kg{};
    // initial + emitted + inflow − outflow − deposited − settled − wet + chemistry − final (kg):
    // round-off when the books close.
    double residual_kg() const;
    double inflow_total_kg() const;
    double outflow_total_kg() const;
};

class Ledger {
public:
    explicit Ledger(std::vector<std::string> species) : species_(std::move(species)), rows_(species_.size()) {}
    SpeciesLedger& operator[](int s) { return rows_[s]; }
    const SpeciesLedger& operator[](int s) const { return rows_[s]; }
    int size() const { return static_cast<int>(rows_.size()); }
    const std::vector<std::string>& species() const { return species_; }

    // Order of values() below: the balance terms, then "emitted_<sector>" for every sector.
    static std::vector<std::string> term_names();
    std::vector<double> values(int s) const;        // kg, in term_names() order
    std::string table() const;                      // human-readable, one row per species

private:
    std::vector<std::string> species_;
    std::vector<SpeciesLedger> rows_;
};

}  // namespace lantian
