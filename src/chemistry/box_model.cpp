// A box model of a photochemical mechanism; see box_model.hpp.
#include "chemistry/box_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lantian::chem {

namespace {

// N atoms per molecule of the mechanism's integrated species, from the mechanism file's compositions.
std::vector<double> nitrogen_per_species(const Mechanism& mech) {
    std::vector<double> n(static_cast<std::size_t>(mech.system.nspecies()), 0.0);
    for (const MechSpecies& s : mech.species) {
        if (s.integrated_index < 0) continue;
        const auto it = s.atoms.find("N");
        if (it != s.atoms.end()) n[static_cast<std::size_t>(s.integrated_index)] = it->second;
    }
    return n;
}

ReactionSystem box_system(const Mechanism& mech, const BoxOptions& opt) {
    ReactionSystem sys = mech.system;
    const int n = sys.nspecies();
    if (opt.count_unbalanced_nitrogen) {
        // The imbalance over the integrated species (what the solver sees): products minus reactants.
        const std::vector<double> atoms = nitrogen_per_species(mech);
        const int counter = n;
        sys.species.emplace_back(kUnbalancedNitrogen);
        for (CompiledReaction& r : sys.reactions) {
            double d = 0;
            for (const Product& p : r.products) d += p.coefficient * atoms[static_cast<std::size_t>(p.species)];
            for (int s : r.reactants) d -= atoms[static_cast<std::size_t>(s)];
            // The counter gains what the reaction destroys, so N + counter is unchanged.
            if (d != 0) r.products.push_back({counter, -d});
        }
    }
    if (opt.ventilation_per_s > 0)
        for (int i = 0; i < n; ++i) sys.reactions.push_back({"ventilation: " + sys.species[static_cast<std::size_t>(i)] + " ->", {i}, {}});
    return sys;
}

}  // namespace

BoxModel::BoxModel(const Mechanism& mech, const PhotolysisTable& table, BoxOptions options)
    : mech_(mech), table_(table), options_(options), n_mech_species_(mech.system.nspecies()),
      solver_(box_system(mech, options), options.solver) {
    if (table.order.size() != mech.photolysis_names.size()) throw std::invalid_argument("BoxModel: photolysis table not bound to the mechanism");
    n_atoms_ = nitrogen_per_species(mech);
    n_atoms_.resize(static_cast<std::size_t>(nspecies()), 1.0);  // the counter, if any, counts N atoms
}

int BoxModel::index(const std::string& species) const {
    for (int i = 0; i < nspecies(); ++i)
        if (system().species[static_cast<std::size_t>(i)] == species) return i;
    throw std::invalid_argument("BoxModel: no species " + species);
}

std::vector<double> BoxModel::rate_constants(const BoxEnvironment& env) const {
    std::vector<double> j(mech_.photolysis_names.size(), 0.0);  // s-1
    if (!j.empty()) photolysis_rates(table_, env.light, j.data());
    std::vector<double> k(static_cast<std::size_t>(system().nreactions()), options_.ventilation_per_s);
    chem::rate_constants(mech_, env.T_K, env.p_Pa, env.h2o_molec_cm3, j.data(), k.data());
    return k;
}

std::vector<double> BoxModel::sources(const std::vector<double>& emission_molec_cm3_s, const std::vector<double>& background_molec_cm3) const {
    std::vector<double> s(static_cast<std::size_t>(nspecies()), 0.0);
    for (std::size_t i = 0; i < s.size() && i < emission_molec_cm3_s.size(); ++i) s[i] = emission_molec_cm3_s[i];
    for (std::size_t i = 0; i < s.size() && i < background_molec_cm3.size() && static_cast<int>(i) < n_mech_species_; ++i)
        s[i] += background_molec_cm3[i] * options_.ventilation_per_s;
    return s;
}

BoxState BoxModel::empty_state() const {
    BoxState st;
    st.c.assign(static_cast<std::size_t>(nspecies()), 0.0);
    st.clipped.assign(static_cast<std::size_t>(nspecies()), 0.0);
    return st;
}

SolveStats BoxModel::advance(BoxState& state, double dt_s, const std::vector<double>& k, const std::vector<double>& sources) const {
    const int calls = static_cast<int>(std::lround(dt_s / options_.call_s));
    if (calls < 1 || std::fabs(calls * options_.call_s - dt_s) > 1e-9 * dt_s)
        throw std::invalid_argument("BoxModel::advance: dt is not a whole number of solver calls");
    RosenbrockWorkspace ws;
    SolveStats total;
    std::vector<double> clipped(static_cast<std::size_t>(nspecies()), 0.0);
    for (int i = 0; i < calls; ++i) {
        const SolveStats st = solver_.integrate(options_.call_s, 1, state.c.data(), k.data(), sources.data(), ws, clipped.data(), &state.h_carry_s);
        total.steps += st.steps;
        total.rejected += st.rejected;
        total.max_cell_steps = std::max(total.max_cell_steps, st.max_cell_steps);
        for (std::size_t s = 0; s < clipped.size(); ++s) state.clipped[s] += clipped[s];
    }
    return total;
}

double BoxModel::total_nitrogen(const std::vector<double>& c) const {
    double n = 0;
    for (std::size_t i = 0; i < n_atoms_.size(); ++i) n += n_atoms_[i] * c[i];
    return n;
}

double ppb_to_molec_cm3(double ppb, double T_K, double p_Pa) { return ppb * 1e-9 * air_number_density(T_K, p_Pa); }
double molec_cm3_to_ppb(double c, double T_K, double p_Pa) { return c / (1e-9 * air_number_density(T_K, p_Pa)); }

}  // namespace lantian::chem
