// Element books and balance checks computed from a mechanism's declarations.
#include "chemistry/mechanism.hpp"

#include <algorithm>
#include <map>
#include <sstream>

namespace lantian {

namespace {
// Standard atomic weights (g mol-1), IUPAC 2021 abridged values.
double atomic_mass(const std::string& element) {
    static const std::map<std::string, double> table = {{"H", 1.008}, {"C", 12.011}, {"N", 14.007}, {"O", 15.999},
                                                        {"S", 32.06}, {"Cl", 35.45}, {"Na", 22.990}};
    const auto it = table.find(element);
    return it == table.end() ? 0.0 : it->second;
}

double atoms_of(const Mechanism& m, const std::string& species, const std::string& element) {
    for (const MechanismSpecies& s : m.species())
        if (s.name == species)
            for (const auto& [e, n] : s.atoms)
                if (e == element) return n;
    return 0.0;
}
}  // namespace

double element_imbalance(const Mechanism& m, const Reaction& r, const std::string& element) {
    double net = 0;
    for (const auto& [s, n] : r.products) net += n * atoms_of(m, s, element);
    for (const auto& [s, n] : r.reactants) net -= n * atoms_of(m, s, element);
    return net;
}

std::string element_books(const Mechanism& m, const Ledger& ledger, const TracerBlocks& tracers,
                          const std::vector<double>& molar_mass_g_mol) {
    // Elements in the order the species declare them.
    std::vector<std::string> elements;
    for (const MechanismSpecies& s : m.species())
        for (const auto& a : s.atoms)
            if (std::find(elements.begin(), elements.end(), a.first) == elements.end()) elements.push_back(a.first);
    std::ostringstream o;
    for (const std::string& element : elements) {
        double net = 0, moved = 0;
        bool any = false;
        for (const MechanismSpecies& carrier : m.species()) {
            const double atoms = atoms_of(m, carrier.name, element);
            if (atoms == 0) continue;
            for (int s = 0; s < ledger.size(); ++s) {
                const int p = tracers.species_of(s);
                if (p < 0 || tracers.species[p] != carrier.name || molar_mass_g_mol[p] <= 0) continue;
                const double chemistry_kg = ledger[s].kg("chemistry");
                // kg of the element = kg of the species × atoms × M_element / M_species
                const double kg = chemistry_kg * atoms * atomic_mass(element) / molar_mass_g_mol[p];
                net += kg;
                moved += std::max(0.0, kg);
                any = any || chemistry_kg != 0;
            }
        }
        if (any)
            o << "chemistry moved " << moved << " kg of " << element << " between species; net change " << net
              << " kg (element conserved to round-off)\n";
    }
    return o.str();
}

}  // namespace lantian
