// The inorganic aerosol of the photochemical mode (docs/aerosol-equilibrium.md): after the gas-phase
// solve of each step, in every cell,
//   1. the gas–particle equilibrium of H2SO4–HNO3–NH3–H2O (kernels/aerosol_equilibrium): total
//      sulfate (SO4), total ammonia (NH3 + NH4) and total nitrate (the mechanism's HNO3 + particulate
//      NO3) split between the gas and the particles; aerosol water and pH as diagnostics;
//   2. aqueous sulfate: SO2 oxidised by H2O2 and O3 in cloud water (pH of the cloud's own charge
//      balance) and in the aerosol water of step 1 (its pH), and taken up on the fine particles with
//      an RH-dependent uptake coefficient; the new sulfate joins the equilibrium at the next step.
// Every change is booked as chemistry per tracer, with the reactions declared to the element books
// (S and N move between species, never appear or vanish). Results depend on each cell's own data and
// its own previous solution only: identical for any threads or ranks.
#pragma once

#include <string>
#include <vector>

#include "aerosol_equilibrium.hpp"
#include "chemistry/mechanism.hpp"
#include "config/config.hpp"
#include "state/species_properties.hpp"

namespace lantian {

struct InorganicAerosolPlan {
    bool active = false;
    kernels::AerosolBranch branch = kernels::AerosolBranch::stable;
    bool aqueous_sulfate = true;
    double gamma_dry = 1e-5, gamma_wet = 1e-4;  // SO2 uptake coefficients at RH ≤ 0.5 and ≥ 0.9
    double dry_radius_m = 1e-7;
    // Run species indices (-1: absent) and molar masses (g mol-1).
    int so4 = -1, nh3 = -1, nh4 = -1, no3 = -1, hno3 = -1, so2 = -1, h2o2 = -1, o3 = -1, pm25 = -1;
    double m_so4 = 96.06, m_nh3 = 17.03, m_nh4 = 18.04, m_no3 = 62.0, m_hno3 = 63.0, m_so2 = 64.07, m_h2o2 = 34.0,
           m_o3 = 48.0;
    std::string why_inactive;  // for the run log when `auto` finds species missing
};

// The plan of a run: which species it finds among `run_species` (the photochemical run's species).
// ConfigError when chemistry.aerosol_equilibrium = on and a species is missing.
InorganicAerosolPlan make_inorganic_aerosol_plan(const Config& cfg, const std::vector<std::string>& run_species,
                                                 const SpeciesPropertiesTable& table);

// The element-book declarations of the plan (species not already declared, and the reactions).
void declare_inorganic_aerosol(const InorganicAerosolPlan& p, std::vector<MechanismSpecies>& species,
                               std::vector<Reaction>& reactions);

// Per-cell inputs of one chunk of cells (n = 0 .. ncell-1).
struct AerosolCells {
    int ncell = 0;
    const std::size_t* cell = nullptr;  // global cell index
    const double* T_K = nullptr;
    const double* rho_kg_m3 = nullptr;  // air density
    const double* mass_kg = nullptr;    // air mass of the cell
    const double* rh = nullptr;         // relative humidity (0–1)
    const double* cloud_kg_kg = nullptr;// cloud liquid water mixing ratio
};

// What a step of one block leaves per cell for the next: where its equilibrium solve ended, the
// start of the next (the result depends on it only within the solver's tolerance). One per cell.
struct AerosolCellMemory {
    kernels::AqueousGuess guess;
};

struct AerosolStats {
    long cells = 0, aqueous = 0, iterations = 0, not_converged = 0;
    double worst_residual = 0;
};

// One thread's books of one call: the change of each of the eight fields the step writes (SO4, NH3,
// NH4, NO3, HNO3, SO2, H2O2, O3) and its statistics. The caller keeps the vector between calls.
struct AerosolThreadBooks {
    static constexpr int kFields = 8;
    ExactSum sum[kFields];
    AerosolStats stats;
};

// Applies steps 1–2 to one chunk of one block: `q[s]` is the block's field of run species s (null
// when the block lacks it), `books` is per-thread scratch (any contents; reused between calls),
// `change_ug[s]` collects the booked change per run species (exact sums),
// `water_out` / `ph_out` (may be null) receive the aerosol water (µg m-3) and pH per chunk cell
// (pH: `ph_fill` where the particles hold no water).
void inorganic_aerosol_step(const InorganicAerosolPlan& p, const AerosolCells& cells, double dt_s, real* const* q,
                            AerosolCellMemory* memory, std::vector<AerosolThreadBooks>& books,
                            std::vector<ExactSum>& change_ug, AerosolStats& stats, float* water_out, float* ph_out,
                            float ph_fill);

}  // namespace lantian
