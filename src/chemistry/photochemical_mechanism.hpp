// The photochemical mode (chemistry.mechanism = cb6r3): a mechanism read from a file
// (mechanism_file.hpp), its photolysis table (photolysis.hpp) and the Rodas3 solver (rosenbrock.hpp)
// joined to a run. PhotochemicalMechanism declares the species and reactions to the element books;
// Photochemistry is the process that integrates them in every cell and every scenario block.
//
// One step of Photochemistry, for each chunk of whole columns of the rank's window:
//   1. per column: cos χ at the middle of the step → clear-sky J (photolysis_rates at sea level,
//      surface albedo of removal.land_class); per cell: J × altitude factor (terrain + layer height);
//   2. per cell: T (weather), M = ρ N_A / M_air from the state's air mass and volume, H2O from the
//      relative humidity, e = RH · e_s(T) with e_s of Bolton (1980, Mon. Wea. Rev. 108, 1046):
//          e_s = 611.2 Pa · exp(17.67 (T − 273.15) / (T − 29.65)),   [H2O] = e / (k_B T);
//      rate constants of every reaction (kernels/rate_kernels);
//   3. per scenario block: mixing ratios q (µg kg-1) → c = q ρ N_A 10^-12 / M_s (molecules cm-3),
//      integrate over Δt (adaptive internal steps per cell, the step size carried per cell between
//      calls), back to q; the change is booked per tracer as "chemistry", the mass the solver's
//      clipping of small negatives added as "chemistry clipping" (docs/chemistry-solver.md);
//   4. gas-phase sulfuric acid (SULF) condenses at once into particulate sulfate (SO4) when the run
//      carries SO4 (its saturation vapour pressure is negligible; CMAQ does the same), S conserved.
// A cell the solver cannot integrate stops the run naming the cell (i, j, k), the time and the
// species. Results depend on each cell's own data only: identical for any threads or ranks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chemistry/mechanism.hpp"
#include "chemistry/mechanism_file.hpp"
#include "chemistry/photolysis.hpp"
#include "chemistry/rosenbrock.hpp"
#include "config/config.hpp"
#include "rate_kernels.hpp"
#include "state/species_properties.hpp"

namespace lantian {

// The rate laws of a mechanism as the flat arrays kernels::evaluate_rates reads.
struct RatePlanData {
    std::vector<int> law, photolysis, ref, m_power, water_power;
    std::vector<double> arrhenius, fc, n, factor, ratio_product;
    kernels::RatePlan plan(int nj) const;
};
RatePlanData make_rate_plan(const chem::Mechanism& mech);

// The mechanism and photolysis table of a configuration (files or the built-in copies).
chem::Mechanism load_mechanism(const Config& cfg);
chem::PhotolysisTable load_photolysis_table(const Config& cfg, const chem::Mechanism& mech);

// The species a photochemical run carries: the mechanism's integrated species in file order, then
// the species of species.names the mechanism does not have (particles, NH3, …).
std::vector<std::string> photochemical_species(const chem::Mechanism& mech, const std::vector<std::string>& names);

// Surface UV albedo of a land class (docs/photolysis.md).
double uv_albedo(LandClass land);

// The ledger term of the solver's clipping of small negative values (mass added, kg).
inline LedgerTerm clipping_ledger_term() {
    return {"chemistry_clipping", TermKind::transformation, "clipped",
            "mass added by setting small negative values of the chemistry solver to zero (photochemical mode)"};
}

class PhotochemicalMechanism final : public Mechanism {
public:
    // `species`: the run's physical species (photochemical_species); every integrated species of
    // the mechanism must be among them.
    PhotochemicalMechanism(const Config& cfg, const std::vector<std::string>& species, const SpeciesPropertiesTable& table);
    std::string name() const override { return "cb6r3"; }
    const std::vector<MechanismSpecies>& species() const override { return species_; }
    const std::vector<Reaction>& reactions() const override { return reactions_; }
    std::unique_ptr<Process> make_process(const Grid& grid, const TracerBlocks& tracers) const override;

    struct Shared;  // what every block and step shares (mechanism, table, solver, rate plan)

private:
    std::shared_ptr<const Shared> shared_;
    std::vector<MechanismSpecies> species_;
    std::vector<Reaction> reactions_;
};

}  // namespace lantian
