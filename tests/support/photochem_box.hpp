// A small stiff photochemical mechanism for the chemistry solver's tests and benchmark (14 species,
// 22 reactions): NOx–O3 photostationary cycle, O3 photolysis folded to OH (O1D + H2O), HOx, CO,
// HCHO, a lumped VOC with its peroxy radical RO2 and aldehyde ALD, the acetyl peroxy radical C2O3
// and PAN, HNO3 and H2O2 (with optional first-order deposition). Rate coefficients are typical
// values near 298 K and 1 atm (molecules cm-3 units); photolysis frequencies scale with a sun factor.
// Written for these tests; not a published mechanism.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "chemistry/reaction_system.hpp"

namespace lantian::test {

inline constexpr double kPpb = 2.46e10;  // molec cm-3 per ppb at 298 K, 1 atm

struct PhotochemBox {
    chem::ReactionSystem system;
    std::vector<double> k_dark;      // thermal rate coefficients (photolysis entries 0)
    std::vector<double> j_noon;      // photolysis frequencies at full sun (s-1), 0 for thermal
    std::vector<double> deposition;  // first-order deposition reactions (s-1): 0 for a closed box
    int index(const std::string& name) const {
        for (int i = 0; i < system.nspecies(); ++i)
            if (system.species[static_cast<std::size_t>(i)] == name) return i;
        return -1;
    }
    // Rate coefficients with the sun factor (0 night, 1 noon); `deposit` adds the deposition terms.
    std::vector<double> k(double sun, bool deposit) const {
        std::vector<double> out(k_dark.size());
        for (std::size_t r = 0; r < out.size(); ++r) out[r] = k_dark[r] + j_noon[r] * sun + (deposit ? deposition[r] : 0.0);
        return out;
    }
    std::vector<double> initial() const {  // molec cm-3
        std::vector<double> c(system.species.size(), 0.0);
        const std::pair<const char*, double> ppb[] = {{"NO", 2}, {"NO2", 10}, {"O3", 30}, {"CO", 200}, {"HCHO", 2},
                                                       {"VOC", 30}, {"ALD", 1}, {"PAN", 0.5}, {"HNO3", 1}, {"H2O2", 1}};
        for (const auto& [name, v] : ppb) c[static_cast<std::size_t>(index(name))] = v * kPpb;
        return c;
    }
    std::vector<double> emission() const {  // molec cm-3 s-1 (an urban boundary layer)
        std::vector<double> e(system.species.size(), 0.0);
        const std::pair<const char*, double> ppb_h[] = {{"NO", 1.0}, {"NO2", 0.1}, {"CO", 10}, {"VOC", 3}, {"HCHO", 0.1}};
        for (const auto& [name, v] : ppb_h) e[static_cast<std::size_t>(index(name))] = v * kPpb / 3600.0;
        return e;
    }
};

// Sun factor, piecewise constant per hour: max(0, sin(π (h + 0.5 − 6) / 12)) at the hour's middle.
inline double sun_factor(int hour) {
    const double h = (hour % 24) + 0.5;
    return std::max(0.0, std::sin(3.14159265358979323846 * (h - 6.0) / 12.0));
}

inline PhotochemBox photochem_box() {
    PhotochemBox b;
    b.system.species = {"NO", "NO2", "O3", "OH", "HO2", "HNO3", "H2O2", "CO", "HCHO", "VOC", "RO2", "ALD", "C2O3", "PAN"};
    auto id = [&](const char* n) { return b.index(n); };
    struct R { std::string eq; std::vector<const char*> re; std::vector<std::pair<const char*, double>> pr; double k, j, dep; };
    const std::vector<R> rs = {
        {"NO2 + hv -> NO + O3", {"NO2"}, {{"NO", 1}, {"O3", 1}}, 0, 8e-3, 0},
        {"NO + O3 -> NO2", {"NO", "O3"}, {{"NO2", 1}}, 1.8e-14, 0, 0},
        {"O3 + hv (+H2O) -> 2 OH", {"O3"}, {{"OH", 2}}, 0, 3e-6, 0},
        {"OH + NO2 -> HNO3", {"OH", "NO2"}, {{"HNO3", 1}}, 1.1e-11, 0, 0},
        {"OH + CO -> HO2", {"OH", "CO"}, {{"HO2", 1}}, 2.4e-13, 0, 0},
        {"HO2 + NO -> OH + NO2", {"HO2", "NO"}, {{"OH", 1}, {"NO2", 1}}, 8.1e-12, 0, 0},
        {"HO2 + HO2 -> H2O2", {"HO2", "HO2"}, {{"H2O2", 1}}, 2.9e-12, 0, 0},
        {"H2O2 + hv -> 2 OH", {"H2O2"}, {{"OH", 2}}, 0, 7e-6, 0},
        {"OH + HCHO -> HO2 + CO", {"OH", "HCHO"}, {{"HO2", 1}, {"CO", 1}}, 8.5e-12, 0, 0},
        {"HCHO + hv -> 2 HO2 + CO", {"HCHO"}, {{"HO2", 2}, {"CO", 1}}, 0, 3e-5, 0},
        {"OH + VOC -> RO2", {"OH", "VOC"}, {{"RO2", 1}}, 2.5e-12, 0, 0},
        {"RO2 + NO -> NO2 + HO2 + 0.6 ALD + 0.4 HCHO", {"RO2", "NO"}, {{"NO2", 1}, {"HO2", 1}, {"ALD", 0.6}, {"HCHO", 0.4}}, 8e-12, 0, 0},
        {"OH + ALD -> C2O3", {"OH", "ALD"}, {{"C2O3", 1}}, 1.5e-11, 0, 0},
        {"C2O3 + NO2 -> PAN", {"C2O3", "NO2"}, {{"PAN", 1}}, 1e-11, 0, 0},
        {"PAN -> C2O3 + NO2", {"PAN"}, {{"C2O3", 1}, {"NO2", 1}}, 4e-4, 0, 0},
        {"C2O3 + NO -> NO2 + RO2", {"C2O3", "NO"}, {{"NO2", 1}, {"RO2", 1}}, 2e-11, 0, 0},
        {"RO2 + HO2 -> (ROOH, not kept)", {"RO2", "HO2"}, {}, 5e-12, 0, 0},
        {"OH + HO2 -> (H2O + O2)", {"OH", "HO2"}, {}, 1.1e-10, 0, 0},
        {"ALD + hv -> RO2 + HO2 + CO", {"ALD"}, {{"RO2", 1}, {"HO2", 1}, {"CO", 1}}, 0, 5e-6, 0},
        {"HNO3 + hv -> OH + NO2", {"HNO3"}, {{"OH", 1}, {"NO2", 1}}, 0, 5e-7, 0},
        {"OH + H2O2 -> HO2", {"OH", "H2O2"}, {{"HO2", 1}}, 1.7e-12, 0, 0},
        {"HNO3 -> (deposited)", {"HNO3"}, {}, 0, 0, 2e-5},
    };
    for (const auto& r : rs) {
        chem::CompiledReaction c;
        c.label = r.eq;
        for (const char* s : r.re) c.reactants.push_back(id(s));
        for (const auto& [s, v] : r.pr) c.products.push_back({id(s), v});
        b.system.reactions.push_back(c);
        b.k_dark.push_back(r.k);
        b.j_noon.push_back(r.j);
        b.deposition.push_back(r.dep);
    }
    return b;
}

}  // namespace lantian::test
