// The inorganic aerosol of the photochemical mode; see the header and docs/aerosol-equilibrium.md.
#include "chemistry/inorganic_aerosol.hpp"

#include <algorithm>
#include <cmath>

#include "config/config_parser.hpp"
#include "physical_constants.hpp"
#include "thread_scratch.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace lantian {

namespace {
constexpr double kParticleDensity = 1700.0;  // kg m-3, dry ammonium sulfate/nitrate-rich fine particles
constexpr double kWaterDensity = 1000.0;     // kg m-3
constexpr double kSo2MolarMassKg = 0.06407;  // kg mol-1

int find(const std::vector<std::string>& v, const char* name) {
    const auto it = std::find(v.begin(), v.end(), name);
    return it == v.end() ? -1 : static_cast<int>(it - v.begin());
}

double molar_mass(const SpeciesPropertiesTable& t, const char* name, double fallback) {
    const SpeciesProperties* p = t.find(name);
    return p && p->molar_mass_g_mol > 0 ? p->molar_mass_g_mol : fallback;
}

// SO2 uptake coefficient at relative humidity rh: γ_dry up to 50%, linear to γ_wet at 90%, γ_wet
// above (the RH-dependent range used for North China haze: 1e-5 on dry to 1e-4 on deliquesced
// particles; Wang et al. 2014, J. Geophys. Res. 119, 10425; Zheng et al. 2015, Atmos. Chem. Phys.
// 15, 2031).
double uptake_gamma(const InorganicAerosolPlan& p, double rh) {
    const double f = std::clamp((rh - 0.5) / 0.4, 0.0, 1.0);
    return p.gamma_dry + f * (p.gamma_wet - p.gamma_dry);
}
}  // namespace

InorganicAerosolPlan make_inorganic_aerosol_plan(const Config& cfg, const std::vector<std::string>& run,
                                                 const SpeciesPropertiesTable& table) {
    InorganicAerosolPlan p;
    const ChemistryConfig& c = cfg.chemistry;
    p.so4 = find(run, "SO4");
    p.nh3 = find(run, "NH3");
    p.nh4 = find(run, "NH4");
    p.no3 = find(run, "NO3");
    p.hno3 = find(run, "HNO3");
    p.so2 = find(run, "SO2");
    p.h2o2 = find(run, "H2O2");
    p.o3 = find(run, "O3");
    p.pm25 = find(run, "PM25");
    p.m_so4 = molar_mass(table, "SO4", 96.06);
    p.m_nh3 = molar_mass(table, "NH3", 17.03);
    p.m_nh4 = molar_mass(table, "NH4", 18.04);
    p.m_no3 = molar_mass(table, "NO3", 62.0);
    p.m_hno3 = molar_mass(table, "HNO3", 63.0);
    p.m_so2 = molar_mass(table, "SO2", 64.07);
    p.m_h2o2 = molar_mass(table, "H2O2", 34.0);
    p.m_o3 = molar_mass(table, "O3", 48.0);
    p.branch = c.aerosol_branch == AerosolBranchChoice::metastable ? kernels::AerosolBranch::metastable
                                                                   : kernels::AerosolBranch::stable;
    p.aqueous_sulfate = c.aqueous_sulfate;
    p.gamma_dry = c.so2_uptake_gamma_dry;
    p.gamma_wet = c.so2_uptake_gamma_wet;
    p.dry_radius_m = c.aerosol_dry_radius_um * 1e-6;
    if (c.aerosol_equilibrium == AerosolEquilibriumMode::off) {
        p.why_inactive = "chemistry.aerosol_equilibrium = off";
        return p;
    }
    std::string missing;
    for (const auto& [idx, name] : {std::pair{p.so4, "SO4"}, {p.nh3, "NH3"}, {p.nh4, "NH4"}, {p.no3, "NO3"}, {p.hno3, "HNO3"}})
        if (idx < 0) missing += std::string(missing.empty() ? "" : ", ") + name;
    if (!missing.empty()) {
        if (c.aerosol_equilibrium == AerosolEquilibriumMode::on)
            throw ConfigError(cfg.source_file + ": chemistry.aerosol_equilibrium = on needs the species " + missing +
                              " in the run (add the particles to species.names; HNO3 comes with the mechanism)");
        p.why_inactive = "the run lacks " + missing;
        return p;
    }
    p.active = true;
    return p;
}

void declare_inorganic_aerosol(const InorganicAerosolPlan& p, std::vector<MechanismSpecies>& species,
                               std::vector<Reaction>& reactions) {
    if (!p.active) return;
    auto declare = [&](const char* name, const char* element, double molar_mass) {
        for (const MechanismSpecies& s : species)
            if (s.name == name) return;
        species.push_back({name, {{element, 1}}, molar_mass});
    };
    declare("NH3", "N", p.m_nh3);
    declare("NH4", "N", p.m_nh4);
    declare("NO3", "N", p.m_no3);
    declare("SO4", "S", p.m_so4);
    reactions.push_back({"NH3 <-> NH4 (gas-particle equilibrium)", {{"NH3", 1}}, {{"NH4", 1}}});
    reactions.push_back({"HNO3 <-> NO3 (gas-particle equilibrium)", {{"HNO3", 1}}, {{"NO3", 1}}});
    if (p.aqueous_sulfate && p.so2 >= 0) {
        if (p.h2o2 >= 0) reactions.push_back({"SO2 + H2O2 -> SO4 (aqueous)", {{"SO2", 1}, {"H2O2", 1}}, {{"SO4", 1}}});
        if (p.o3 >= 0) reactions.push_back({"SO2 + O3 -> SO4 (aqueous)", {{"SO2", 1}, {"O3", 1}}, {{"SO4", 1}}});
        reactions.push_back({"SO2 -> SO4 (uptake on particles)", {{"SO2", 1}}, {{"SO4", 1}}});
    }
}

void inorganic_aerosol_step(const InorganicAerosolPlan& p, const AerosolCells& cells, double dt_s, real* const* q,
                            AerosolCellMemory* memory, std::vector<AerosolThreadBooks>& books,
                            std::vector<ExactSum>& change_ug, AerosolStats& stats, float* water_out, float* ph_out,
                            float ph_fill) {
    if (!p.active) return;
    real* const q_so4 = q[p.so4];
    real* const q_nh3 = q[p.nh3];
    real* const q_nh4 = q[p.nh4];
    real* const q_no3 = q[p.no3];
    real* const q_hno3 = q[p.hno3];
    real* const q_so2 = p.so2 >= 0 ? q[p.so2] : nullptr;
    real* const q_h2o2 = p.h2o2 >= 0 ? q[p.h2o2] : nullptr;
    real* const q_o3 = p.o3 >= 0 ? q[p.o3] : nullptr;
    const real* const q_pm25 = p.pm25 >= 0 ? q[p.pm25] : nullptr;
    if (!q_so4 || !q_nh3 || !q_nh4 || !q_no3 || !q_hno3) return;  // a block without the species (tags)
    const bool aqueous = p.aqueous_sulfate && q_so2;
    // Per thread: the booked changes of the eight fields it writes (exact sums, so the total is the
    // same for any split of the cells) and the statistics; the caller's vector keeps its storage.
    enum Role { kSo4, kNh3, kNh4, kNo3, kHno3, kSo2, kH2o2, kO3, kRoles };
    static_assert(kRoles == AerosolThreadBooks::kFields);
    const int role_species[kRoles] = {p.so4, p.nh3, p.nh4, p.no3, p.hno3, p.so2, p.h2o2, p.o3};
    books.assign(static_cast<std::size_t>(kernels::max_threads()), AerosolThreadBooks{});
#pragma omp parallel
    {
#ifdef _OPENMP
    AerosolThreadBooks& mine = books[static_cast<std::size_t>(omp_get_thread_num())];
#else
    AerosolThreadBooks& mine = books[0];
#endif
    // Books the change of one stored field (µg per kg of air → µg): exactly what the field gained.
    auto store = [&](real* field, Role role, std::size_t cell, double q_new, double air_kg) {
        const real before = field[cell];
        const real after = static_cast<real>(std::max(q_new, 0.0));
        field[cell] = after;
        mine.sum[role].add((static_cast<double>(after) - static_cast<double>(before)) * air_kg);
    };
    AerosolStats& st = mine.stats;
#pragma omp for schedule(dynamic, 256)
    for (int n = 0; n < cells.ncell; ++n) {
        const std::size_t cell = cells.cell[n];
        const double T = cells.T_K[n], rho = cells.rho_kg_m3[n], air_kg = cells.mass_kg[n];
        const double rh = std::clamp(cells.rh[n], 0.0, 1.0);
        // µg kg-1 → mol m-3: × ρ (µg m-3) × 1e-6 / M.
        const double to_mol = rho * 1e-6;
        double so4 = q_so4[cell] * to_mol / p.m_so4;
        const double nh3 = q_nh3[cell] * to_mol / p.m_nh3, nh4 = q_nh4[cell] * to_mol / p.m_nh4;
        const double hno3 = q_hno3[cell] * to_mol / p.m_hno3, no3 = q_no3[cell] * to_mol / p.m_no3;
        const double n_air = rho / phys::kAirMolarMass;
        AerosolCellMemory& mem = memory[cell];

        // 1. Gas–particle equilibrium.
        kernels::EquilibriumInput in;
        in.T_K = T;
        in.rh = rh;
        in.air_mol_m3 = n_air;
        in.so4_mol_m3 = so4;
        in.nh3_total_mol_m3 = nh3 + nh4;
        in.hno3_total_mol_m3 = hno3 + no3;
        kernels::EquilibriumResult r;
        kernels::solve_equilibrium(in, p.branch, r, &mem.guess);
        ++st.cells;
        if (r.dry_weight < 1.0 && r.iterations > 0) {
            ++st.aqueous;
            st.iterations += r.iterations;
        }
        if (!r.converged) {
            ++st.not_converged;
            st.worst_residual = std::max(st.worst_residual, r.residual);
        }
        const double to_q = 1.0 / to_mol;
        store(q_nh3, kNh3, cell, r.nh3_gas_mol_m3 * p.m_nh3 * to_q, air_kg);
        store(q_nh4, kNh4, cell, r.nh4_mol_m3 * p.m_nh4 * to_q, air_kg);
        store(q_hno3, kHno3, cell, r.hno3_gas_mol_m3 * p.m_hno3 * to_q, air_kg);
        store(q_no3, kNo3, cell, r.no3_mol_m3 * p.m_no3 * to_q, air_kg);
        // 2. Aqueous sulfate, in this step's cloud and aerosol water (the sulfate it makes joins the
        // equilibrium at the next step).
        if (aqueous) {
            double so2 = q_so2[cell] * to_mol / p.m_so2;
            double h2o2 = q_h2o2 ? q_h2o2[cell] * to_mol / p.m_h2o2 : 0.0;
            double o3 = q_o3 ? q_o3[cell] * to_mol / p.m_o3 : 0.0;
            if (so2 > 0) {
                double k_h2o2 = 0, k_o3 = 0;
                kernels::AqueousSulfurRates r_aq;
                const double cloud_l = cells.cloud_kg_kg[n] * rho;  // kg (≈ L) of cloud water per m3 of air
                if (cloud_l > 1e-7) {
                    const double h = kernels::cloud_h(T, cloud_l, n_air, so4, nh3 + nh4, hno3 + no3);
                    kernels::aqueous_sulfur_rates(T, cloud_l, h, o3, r_aq);
                    k_h2o2 += r_aq.k_h2o2_m3_mol_s;
                    k_o3 += r_aq.k_o3_per_s;
                }
                if (r.water_kg_m3 > 0 && r.h_mol_kg > 0) {
                    kernels::aqueous_sulfur_rates(T, r.water_kg_m3, r.h_mol_kg, o3, r_aq);
                    k_h2o2 += r_aq.k_h2o2_m3_mol_s;
                    k_o3 += r_aq.k_o3_per_s;
                }
                // Uptake on the fine particles: k = γ v̄ S / 4, v̄ = √(8RT/(πM)), S = 3 V_wet / r_wet
                // with the dry volume from the fine mass and r_wet = r_dry (V_wet / V_dry)^(1/3).
                double fine_ug_m3 = (q_so4[cell] + q_nh4[cell] + q_no3[cell]) * rho;
                if (q_pm25) fine_ug_m3 += q_pm25[cell] * rho;
                double k_het = 0;
                if (fine_ug_m3 > 0) {
                    const double v_dry = fine_ug_m3 * 1e-9 / kParticleDensity;  // m3 m-3
                    const double v_wet = v_dry + r.water_kg_m3 / kWaterDensity;
                    const double r_wet = p.dry_radius_m * std::cbrt(v_wet / v_dry);
                    const double surface = 3.0 * v_wet / r_wet;  // m2 m-3
                    const double speed = std::sqrt(8.0 * phys::kGasConstant * T / (kPi * kSo2MolarMassKg));
                    k_het = 0.25 * uptake_gamma(p, rh) * speed * surface;
                }
                // H2O2: A + B → C exactly over the step; then O3 and uptake, first order.
                const double x1 = kernels::second_order_converted(so2, h2o2, k_h2o2, dt_s);
                const double k1 = k_o3 + k_het;
                const double x2 = k1 > 0 ? (so2 - x1) * -std::expm1(-k1 * dt_s) : 0.0;
                const double x2_o3 = k1 > 0 ? std::min(x2 * k_o3 / k1, o3) : 0.0;
                const double x = x1 + x2;
                if (x > 0) {
                    so2 -= x;
                    h2o2 -= x1;
                    o3 -= x2_o3;
                    so4 += x;
                    store(q_so2, kSo2, cell, so2 * p.m_so2 * to_q, air_kg);
                    if (q_h2o2) store(q_h2o2, kH2o2, cell, h2o2 * p.m_h2o2 * to_q, air_kg);
                    if (q_o3) store(q_o3, kO3, cell, o3 * p.m_o3 * to_q, air_kg);
                    store(q_so4, kSo4, cell, so4 * p.m_so4 * to_q, air_kg);
                }
            }
        }

        if (water_out) water_out[n] = static_cast<float>(r.water_kg_m3 * 1e9);
        if (ph_out) ph_out[n] = r.water_kg_m3 > 0 ? static_cast<float>(r.ph) : ph_fill;
    }
    }  // omp parallel
    for (const AerosolThreadBooks& l : books) {
        for (int role = 0; role < kRoles; ++role)
            if (role_species[role] >= 0) change_ug[static_cast<std::size_t>(role_species[role])].add(l.sum[role]);
        stats.cells += l.stats.cells;
        stats.aqueous += l.stats.aqueous;
        stats.iterations += l.stats.iterations;
        stats.not_converged += l.stats.not_converged;
        stats.worst_residual = std::max(stats.worst_residual, l.stats.worst_residual);
    }
}

}  // namespace lantian
