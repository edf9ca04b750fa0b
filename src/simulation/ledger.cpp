// Ledger arithmetic and its printed table.
#include "simulation/ledger.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace lantian {

double SpeciesLedger::inflow_total_kg() const {
    double t = 0;
    for (double v : inflow_kg) t += v;
    return t;
}
double SpeciesLedger::outflow_total_kg() const {
    double t = 0;
    for (double v : outflow_kg) t += v;
    return t;
}
double SpeciesLedger::residual_kg() const {
    return initial_kg + emitted_kg + inflow_total_kg() - outflow_total_kg() - deposited_kg - settled_kg - wet_kg +
           chemistry_kg - final_kg;
}

std::vector<std::string> Ledger::term_names() {
    std::vector<std::string> names = {"initial",      "emitted",       "inflow_west",  "outflow_west", "inflow_east",  "outflow_east",
            "inflow_south", "outflow_south", "inflow_north", "outflow_north", "inflow_top",  "outflow_top",
            "deposited",    "settled",       "wet_deposited", "chemistry", "final", "residual"};
    for (const auto sector : kSectorNames) names.push_back("emitted_" + std::string(sector));
    return names;
}

std::vector<double> Ledger::values(int s) const {
    const SpeciesLedger& r = rows_[s];
    std::vector<double> v = {r.initial_kg, r.emitted_kg};
    for (int e = 0; e < 5; ++e) {
        v.push_back(r.inflow_kg[e]);
        v.push_back(r.outflow_kg[e]);
    }
    v.push_back(r.deposited_kg);
    v.push_back(r.settled_kg);
    v.push_back(r.wet_kg);
    v.push_back(r.chemistry_kg);
    v.push_back(r.final_kg);
    v.push_back(r.residual_kg());
    v.insert(v.end(), r.emitted_by_sector_kg.begin(), r.emitted_by_sector_kg.end());
    return v;
}

std::string Ledger::table() const {
    std::ostringstream o;
    o << "mass budget (kg)\n"
      << std::setw(8) << "species" << std::setw(13) << "initial" << std::setw(13) << "emitted" << std::setw(13) << "inflow"
      << std::setw(13) << "outflow" << std::setw(13) << "deposited" << std::setw(13) << "settled" << std::setw(13)
      << "wet" << std::setw(13) << "chemistry" << std::setw(13) << "final" << std::setw(12)
      << "residual" << std::setw(11) << "rel." << "\n";
    for (int s = 0; s < size(); ++s) {
        const SpeciesLedger& r = rows_[s];
        const double scale = std::max({r.initial_kg + r.emitted_kg + r.inflow_total_kg() + std::max(r.chemistry_kg, 0.0), r.final_kg, 1e-30});
        o << std::setw(8) << species_[s] << std::scientific << std::setprecision(4) << std::setw(13) << r.initial_kg
          << std::setw(13) << r.emitted_kg << std::setw(13) << r.inflow_total_kg() << std::setw(13)
          << r.outflow_total_kg() << std::setw(13) << r.deposited_kg << std::setw(13) << r.settled_kg << std::setw(13)
          << r.wet_kg << std::setw(13) << r.chemistry_kg << std::setw(13) << r.final_kg
          << std::setprecision(2) << std::setw(12) << r.residual_kg() << std::setw(11) << r.residual_kg() / scale
          << std::defaultfloat << "\n";
    }
    bool any_sector = false;
    for (const auto& r : rows_)
        for (double e : r.emitted_by_sector_kg) any_sector = any_sector || e != 0;
    if (!any_sector) return o.str();
    o << "emitted by sector (kg)\n" << std::setw(8) << "species";
    for (const auto sector : kSectorNames) o << std::setw(12) << sector;
    o << "\n";
    for (int s = 0; s < size(); ++s) {
        o << std::setw(8) << species_[s] << std::scientific << std::setprecision(3);
        for (double e : rows_[s].emitted_by_sector_kg) o << std::setw(12) << e;
        o << std::defaultfloat << "\n";
    }
    return o.str();
}

}  // namespace lantian
