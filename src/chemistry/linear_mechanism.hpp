// The linear mechanism: first-order conversions SO2 → SO4, NO2 → NO3, NH3 → NH4 with weather-
// dependent rates, so that scenarios and tags superpose exactly. Declares its species (with S and N
// atoms) and reactions; LinearChemistry is the process that integrates them (loops in
// kernels/chemistry_kernels).
#pragma once

#include <string>
#include <vector>

#include "chemistry/mechanism.hpp"
#include "config/config.hpp"
#include "state/species_properties.hpp"

namespace lantian {

// Rate sources: gas-phase SO2 + OH ~1% h-1 and NO2 + OH ~10% h-1 at midday (Seinfeld & Pandis
// 2016, ch. 6); heterogeneous sulfate of 10–20% h-1 in humid winter haze in northern China (Zheng
// et al. 2015, ACP 15, 2031; Wang et al. 2016, PNAS 113, 13630); night-time N2O5 hydrolysis;
// ammonia uptake as NH4 first order in NH3, which keeps the chemistry linear (the true
// neutralisation, NH4 ≤ 2 SO4 + NO3 in moles, is a non-linear min() that superposition cannot
// carry; NH4 can never exceed the NH3 it consumes).
class LinearChemistry final : public Process {
public:
    struct Conversion {
        int from, to;
        double mass_ratio;  // M_to / M_from
        double k_day_s, k_night_s, k_rh_s, k_het_s, rh_threshold;
        std::string label;  // "SO2 -> SO4"
    };
    LinearChemistry(const Grid& grid, std::vector<Conversion> conversions);
    ProcessInfo info() const override {
        return {"chemistry", "chemistry", {"rh_frac"}, {chemistry_ledger_term()}, {}};
    }

protected:
    void step_impl(StepContext& ctx) override;

private:
    const Grid& grid_;
    kernels::GridViews gv_;
    std::vector<Conversion> conversions_;
    std::vector<double> cos_zenith_, column_ug_;  // per column (ny*nx), for the ledger
    std::vector<ExactSum> sums_;
    std::vector<std::vector<double>> fraction_;  // per distinct rate law (label), shared by all scenarios
    std::vector<int> law_of_;                    // conversion → index into fraction_
    std::vector<std::size_t> law_first_;         // rate law → its first conversion
};

// The species pairs (precursor, product) of the linear mechanism's conversions.
const std::array<std::pair<const char*, const char*>, 3>& linear_conversion_species();

class LinearMechanism final : public Mechanism {
public:
    // The conversions whose two species are in `species` (with molar masses in `table`); each
    // conversion left out is described in `skipped`.
    LinearMechanism(const std::vector<std::string>& species, const ChemistryConfig& cfg, const SpeciesPropertiesTable& table);
    std::string name() const override { return "linear"; }
    const std::vector<MechanismSpecies>& species() const override { return species_; }
    const std::vector<Reaction>& reactions() const override { return reactions_; }
    std::unique_ptr<Process> make_process(const Grid& grid, const TracerBlocks& tracers) const override;
    // The conversions among the physical species (indices into `species`).
    const std::vector<LinearChemistry::Conversion>& conversions() const { return conversions_; }
    const std::vector<std::string>& skipped() const { return skipped_; }

private:
    std::vector<MechanismSpecies> species_;
    std::vector<Reaction> reactions_;
    std::vector<LinearChemistry::Conversion> conversions_;
    std::vector<std::string> skipped_;
};

}  // namespace lantian
