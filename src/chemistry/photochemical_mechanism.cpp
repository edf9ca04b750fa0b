// The photochemical mode joined to a run; see the header.
#include "chemistry/photochemical_mechanism.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "chemistry/builtin_mechanisms.hpp"
#include "chemistry/inorganic_aerosol.hpp"
#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "met/solar_geometry.hpp"
#include "photochem_kernels.hpp"
#include "physical_constants.hpp"

namespace lantian {

namespace {
constexpr double kAvogadro = 6.02214076e23;   // mol-1
constexpr double kKgPerUg = 1e-9;
constexpr int kChunkColumns = 1024;           // columns per chunk (≈ 16000 cells of 16 layers)
// Air number density at 298.15 K and 1013.25 hPa (molecules cm-3): converts chemistry.atol_ppb.
constexpr double kStandardAirCm3 = 101325.0 / (phys::kBoltzmann * 298.15) * 1e-6;
}  // namespace

struct PhotochemicalMechanism::Shared {
    chem::Mechanism mech;
    chem::PhotolysisTable table;
    std::unique_ptr<chem::RosenbrockSolver> solver;
    RatePlanData rates;
    std::vector<int> run_index;        // per integrated species (system order): index among the run's species
    std::vector<double> molar_mass;    // per integrated species, g mol-1
    int sulf = -1;                     // system index of SULF (-1: none)
    int so4_run = -1;                  // run species index of particulate SO4 (-1: not carried)
    double so4_molar_mass = 96.06;     // g mol-1
    double albedo = chem::kReferenceAlbedo;
    std::vector<std::string> run_species;
    InorganicAerosolPlan aerosol;      // the sulfate–nitrate–ammonium equilibrium and aqueous sulfate
};

// ---- rate plan ---------------------------------------------------------------------------------

kernels::RatePlan RatePlanData::plan(int nj) const {
    kernels::RatePlan p;
    p.nreactions = static_cast<int>(law.size());
    p.nj = nj;
    p.law = law.data();
    p.arrhenius = arrhenius.data();
    p.fc = fc.data();
    p.n = n.data();
    p.factor = factor.data();
    p.photolysis = photolysis.data();
    p.ref = ref.data();
    p.m_power = m_power.data();
    p.ratio_product = ratio_product.data();
    p.water_power = water_power.data();
    return p;
}

RatePlanData make_rate_plan(const chem::Mechanism& mech) {
    RatePlanData d;
    for (const chem::MechReaction& r : mech.reactions) {
        int law = kernels::kRateArrhenius;
        switch (r.kind) {
        case chem::RateLawKind::arrhenius: law = kernels::kRateArrhenius; break;
        case chem::RateLawKind::troe: law = kernels::kRateTroe; break;
        case chem::RateLawKind::sum_m: law = kernels::kRateSumM; break;
        case chem::RateLawKind::oh_hno3: law = kernels::kRateOhHno3; break;
        case chem::RateLawKind::photolysis: law = kernels::kRatePhotolysis; break;
        case chem::RateLawKind::ref: law = kernels::kRateRef; break;
        }
        d.law.push_back(law);
        for (const chem::Arrhenius* a : {&r.k0, &r.k1, &r.k2, &r.k3}) {
            d.arrhenius.push_back(a->A);
            d.arrhenius.push_back(a->B);
            d.arrhenius.push_back(a->Ea_K);
        }
        d.fc.push_back(r.Fc);
        d.n.push_back(r.n);
        d.factor.push_back(r.factor);
        d.photolysis.push_back(std::max(r.photolysis, 0));
        d.ref.push_back(std::max(r.ref, 0));
        int m_power = 0, water = 0;
        double ratio = 1.0;
        for (int s : r.reactants) switch (mech.species[static_cast<std::size_t>(s)].fixed) {
            case chem::FixedKind::integrated: break;
            case chem::FixedKind::air: ++m_power; break;
            case chem::FixedKind::ratio: ++m_power; ratio *= mech.species[static_cast<std::size_t>(s)].ratio; break;
            case chem::FixedKind::water: ++water; break;
            }
        d.m_power.push_back(m_power);
        d.water_power.push_back(water);
        d.ratio_product.push_back(ratio);
    }
    return d;
}

// ---- loading -----------------------------------------------------------------------------------

chem::Mechanism load_mechanism(const Config& cfg) {
    if (!cfg.chemistry.mechanism_file.empty()) return chem::read_mechanism_file(resolve_path(cfg, cfg.chemistry.mechanism_file));
    std::istringstream in(builtin_cb6r3_mechanism());
    return chem::parse_mechanism(in, "built-in configs/mechanisms/cb6r3.txt");
}

chem::PhotolysisTable load_photolysis_table(const Config& cfg, const chem::Mechanism& mech) {
    chem::PhotolysisTable table;
    if (!cfg.chemistry.photolysis_file.empty()) {
        table = chem::read_photolysis_table(resolve_path(cfg, cfg.chemistry.photolysis_file));
    } else {
        std::istringstream in(builtin_cb6r3_photolysis());
        table = chem::parse_photolysis_table(in, "built-in configs/mechanisms/cb6r3_photolysis.txt");
    }
    chem::bind_to_mechanism(table, mech);
    return table;
}

std::vector<std::string> photochemical_species(const chem::Mechanism& mech, const std::vector<std::string>& names) {
    std::vector<std::string> out = mech.system.species;
    for (const auto& n : names)
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    return out;
}

// UV albedo: fresh snow reflects most UV (0.8; Feister and Grewe 1995, Photochem. Photobiol. 62,
// 736), sand and desert about 0.2, water, vegetation and towns 0.02–0.1, taken as the reference 0.1
// of the clear-sky table (docs/photolysis.md).
double uv_albedo(LandClass land) {
    switch (land) {
    case LandClass::snow: return 0.8;
    case LandClass::desert: return 0.2;
    default: return chem::kReferenceAlbedo;
    }
}

// ---- the mechanism -----------------------------------------------------------------------------

PhotochemicalMechanism::PhotochemicalMechanism(const Config& cfg, const std::vector<std::string>& species,
                                               const SpeciesPropertiesTable& table) {
    auto s = std::make_shared<Shared>();
    s->mech = load_mechanism(cfg);
    s->table = load_photolysis_table(cfg, s->mech);
    chem::SolverOptions opt;
    opt.rtol = cfg.chemistry.rtol;
    opt.atol_molec_cm3 = cfg.chemistry.atol_ppb * 1e-9 * kStandardAirCm3;
    opt.method = cfg.chemistry.solver == ChemistrySolver::ros2 ? chem::RosenbrockMethod::ros2 : chem::RosenbrockMethod::rodas3;
    s->solver = std::make_unique<chem::RosenbrockSolver>(s->mech.system, opt);
    s->rates = make_rate_plan(s->mech);
    s->albedo = uv_albedo(cfg.removal.land_class);
    s->run_species = species;
    const auto& sys = s->mech.system.species;
    for (const auto& name : sys) {
        const auto it = std::find(species.begin(), species.end(), name);
        if (it == species.end())
            throw ConfigError(s->mech.file + ": species " + name + " of the mechanism is not a species of the run");
        s->run_index.push_back(static_cast<int>(it - species.begin()));
        // The species table's molar mass where it has the species (so that every book of the run uses
        // one value), else the mechanism file's.
        const SpeciesProperties* p = table.find(name);
        s->molar_mass.push_back(p && p->molar_mass_g_mol > 0
                                    ? p->molar_mass_g_mol
                                    : s->mech.species[static_cast<std::size_t>(s->mech.find_species(name))].molar_mass_g_mol);
    }
    const auto sulf = std::find(sys.begin(), sys.end(), "SULF");
    const auto so4 = std::find(species.begin(), species.end(), "SO4");
    if (sulf != sys.end() && so4 != species.end()) {
        s->sulf = static_cast<int>(sulf - sys.begin());
        s->so4_run = static_cast<int>(so4 - species.begin());
        if (const SpeciesProperties* p = table.find("SO4"); p && p->molar_mass_g_mol > 0) s->so4_molar_mass = p->molar_mass_g_mol;
    }

    // Declarations for the element books: N and S atoms of the integrated species (lumped organic
    // species carry no C or H count, so only N and S are booked), every reaction's stoichiometry.
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const std::string& name = sys[i];
        const chem::MechSpecies& ms = s->mech.species[static_cast<std::size_t>(s->mech.find_species(name))];
        MechanismSpecies d{name, {}, s->molar_mass[i]};
        for (const char* e : {"N", "S"})
            if (const auto it = ms.atoms.find(e); it != ms.atoms.end() && it->second != 0) d.atoms.emplace_back(e, it->second);
        species_.push_back(std::move(d));
    }
    if (s->so4_run >= 0) species_.push_back({"SO4", {{"S", 1}}, s->so4_molar_mass});
    for (const chem::MechReaction& r : s->mech.reactions) {
        Reaction d;
        d.label = r.id + ": " + r.equation;
        for (int i : r.reactants) {
            const chem::MechSpecies& ms = s->mech.species[static_cast<std::size_t>(i)];
            if (ms.fixed == chem::FixedKind::integrated) d.reactants.emplace_back(ms.name, 1.0);
        }
        for (const auto& [i, coef] : r.products) {
            const chem::MechSpecies& ms = s->mech.species[static_cast<std::size_t>(i)];
            if (ms.fixed == chem::FixedKind::integrated) d.products.emplace_back(ms.name, coef);
        }
        reactions_.push_back(std::move(d));
    }
    if (s->so4_run >= 0) reactions_.push_back({"SULF -> SO4 (condensation)", {{"SULF", 1}}, {{"SO4", 1}}});
    s->aerosol = make_inorganic_aerosol_plan(cfg, species, table);
    declare_inorganic_aerosol(s->aerosol, species_, reactions_);
    shared_ = std::move(s);
}

// ---- the process -------------------------------------------------------------------------------

namespace {

class Photochemistry final : public Process {
public:
    Photochemistry(const Grid& grid, std::shared_ptr<const PhotochemicalMechanism::Shared> shared, TracerBlocks tracers)
        : grid_(grid), s_(std::move(shared)), tracers_(std::move(tracers)),
          h_carry_(static_cast<std::size_t>(tracers_.blocks) * grid.cells(), 0.0) {
        if (s_->aerosol.active) aerosol_mem_.resize(static_cast<std::size_t>(tracers_.blocks) * grid.cells());
    }

    std::string summary() const override {
        if (cell_calls_ == 0) return "";
        std::ostringstream m;
        m.precision(3);
        m << "chemistry: " << static_cast<double>(steps_) / static_cast<double>(cell_calls_) << " accepted and "
          << static_cast<double>(rejected_) / static_cast<double>(cell_calls_)
          << " rejected internal steps per cell and transport step (this rank)";
        const AerosolStats& a = aerosol_stats_;
        if (a.cells > 0) {
            m << "; aerosol equilibrium: " << 100.0 * static_cast<double>(a.aqueous) / static_cast<double>(a.cells)
              << "% of cell-steps aqueous, " << (a.aqueous > 0 ? static_cast<double>(a.iterations) / static_cast<double>(a.aqueous) : 0.0)
              << " iterations per aqueous solve";
            if (a.not_converged > 0)
                m << ", " << a.not_converged << " cell-steps short of the 1e-7 tolerance (worst residual " << a.worst_residual
                  << "; docs/aerosol-equilibrium.md)";
        } else if (!s_->aerosol.why_inactive.empty()) {
            m << "; aerosol equilibrium off (" << s_->aerosol.why_inactive << ")";
        }
        return m.str();
    }

    ProcessInfo info() const override {
        return {"chemistry", "chemistry", {"temperature_k", "rh_frac", "terrain_m", "cloud_fraction", "cloud_water_kg_kg", "snow_cover"},
                {chemistry_ledger_term(), clipping_ledger_term()}, {}};
    }

protected:
    void step_impl(StepContext& ctx) override;

private:
    void fail(const chem::ChemistrySolverError& e, const StepContext& ctx, int block, std::size_t c0) const;
    void aerosol(StepContext& ctx, int block, std::size_t ncell);

    const Grid& grid_;
    std::shared_ptr<const PhotochemicalMechanism::Shared> s_;
    TracerBlocks tracers_;
    std::vector<double> h_carry_;  // [block][cell] internal step to continue with (s)
    std::vector<std::size_t> columns_;
    std::vector<double> jcol_, T_, M_, h2o_, jscale_, conv_, k_, c_, clipped_, hc_, mass_, cloud_;
    std::vector<int> col_of_;
    std::vector<real> q_old_;
    std::vector<std::size_t> cell_;                 // chunk cell n → global cell index
    std::vector<real*> q_fields_;                   // solver species → tracer field of the block
    std::vector<double> change_, clip_, change_col_, clip_col_;
    std::vector<ExactSum> chem_sum_, clip_sum_;
    chem::RosenbrockWorkspace ws_;
    long cell_calls_ = 0, steps_ = 0, rejected_ = 0;  // solver statistics of the run
    // Inorganic aerosol: per block and cell what the last step left (warm start, water, pH).
    std::vector<AerosolCellMemory> aerosol_mem_;
    AerosolStats aerosol_stats_;
    std::vector<double> rho_, rh_, qc_;
    std::vector<float> water_, ph_;
    std::vector<real*> q_run_;
    std::vector<ExactSum> aerosol_change_;
    std::vector<AerosolThreadBooks> aerosol_books_;
};

void Photochemistry::fail(const chem::ChemistrySolverError& e, const StepContext& ctx, int block, std::size_t c0) const {
    const int nx = grid_.nx();
    std::ostringstream m;
    m << "chemistry: the solver could not integrate " << e.stats().failures.size() << " cell(s) over the step of "
      << ctx.dt_s << " s starting " << format_iso_time_utc(ctx.t_epoch_s) << " even with internal steps down to its minimum:";
    for (std::size_t f = 0; f < std::min<std::size_t>(e.stats().failures.size(), 3); ++f) {
        const chem::CellFailure& cf = e.stats().failures[f];
        const std::size_t n = static_cast<std::size_t>(cf.cell);
        const std::size_t ncol = std::min<std::size_t>(kChunkColumns, columns_.size() - c0);
        const std::size_t col = columns_[c0 + n % ncol];
        const int k = static_cast<int>(n / ncol);
        m << " cell (i=" << col % static_cast<std::size_t>(nx) << ", j=" << col / static_cast<std::size_t>(nx) << ", k=" << k
          << ", T=" << T_[n] << " K) species " << cf.species_name;
    }
    if (tracers_.blocks > 1) m << " (tracer block " << block << ")";
    m << ". Check the weather and emissions there, or tighten chemistry.rtol / chemistry.atol_ppb";
    throw std::runtime_error(m.str());
}

void Photochemistry::aerosol(StepContext& ctx, int b, std::size_t ncell) {
    const std::size_t nspecies = tracers_.species.size();
    q_run_.assign(nspecies, nullptr);
    for (std::size_t sp = 0; sp < nspecies; ++sp) {
        const int t = tracers_.tracer(b, static_cast<int>(sp));
        if (t >= 0) q_run_[sp] = ctx.state.species(t);
    }
    aerosol_change_.assign(nspecies, ExactSum{});
    // Diagnostics: the base case (block 0) only, when the run asked for them.
    real* water_field = b == 0 ? ctx.state.diagnostic(kAerosolWater) : nullptr;
    real* ph_field = b == 0 ? ctx.state.diagnostic(kAerosolPh) : nullptr;
    water_.resize(ncell);
    ph_.resize(ncell);
    AerosolCells cells;
    cells.ncell = static_cast<int>(ncell);
    cells.cell = cell_.data();
    cells.T_K = T_.data();
    cells.rho_kg_m3 = rho_.data();
    cells.mass_kg = mass_.data();
    cells.rh = rh_.data();
    cells.cloud_kg_kg = qc_.data();
    inorganic_aerosol_step(s_->aerosol, cells, ctx.dt_s, q_run_.data(),
                           aerosol_mem_.data() + static_cast<std::size_t>(b) * grid_.cells(), aerosol_books_, aerosol_change_,
                           aerosol_stats_, water_.data(), ph_.data(), kDiagnosticFill);
    for (std::size_t n = 0; n < ncell; ++n) {
        if (water_field) water_field[cell_[n]] = water_[n];
        if (ph_field) ph_field[cell_[n]] = ph_[n];
    }
    for (std::size_t sp = 0; sp < nspecies; ++sp) {
        const int t = tracers_.tracer(b, static_cast<int>(sp));
        if (t >= 0) chem_sum_[static_cast<std::size_t>(t)].add(aerosol_change_[sp]);
    }
}

void Photochemistry::step_impl(StepContext& ctx) {
    const chem::Mechanism& mech = s_->mech;
    const chem::RosenbrockSolver& solver = *s_->solver;
    const int ns = mech.system.nspecies(), nr = mech.system.nreactions();
    const int nj = static_cast<int>(mech.photolysis_names.size());
    const int nz = grid_.nz(), nx = grid_.nx(), ny = grid_.ny();
    const std::size_t plane = grid_.columns();
    const Parallel& par = ctx.parallel();
    const double t_mid = ctx.t_epoch_s + 0.5 * ctx.dt_s;
    const int ntracers = tracers_.blocks * static_cast<int>(tracers_.species.size());
    chem_sum_.assign(static_cast<std::size_t>(ntracers), ExactSum{});
    clip_sum_.assign(static_cast<std::size_t>(ntracers), ExactSum{});
    const kernels::RatePlan plan = s_->rates.plan(nj);

    columns_.clear();
    kernels::for_columns(par.window(), nx, ny, [&](std::size_t c) { columns_.push_back(c); });
    for (std::size_t c0 = 0; c0 < columns_.size(); c0 += kChunkColumns) {
        const std::size_t ncol = std::min<std::size_t>(kChunkColumns, columns_.size() - c0);
        const std::size_t ncell = ncol * static_cast<std::size_t>(nz);
        jcol_.resize(ncol * static_cast<std::size_t>(nj));
        for (auto* v : {&T_, &M_, &h2o_, &jscale_, &conv_, &hc_, &mass_, &cloud_, &rho_, &rh_, &qc_}) v->resize(ncell);
        col_of_.resize(ncell);
        k_.resize(ncell * static_cast<std::size_t>(nr));
        c_.resize(ncell * static_cast<std::size_t>(ns));
        clipped_.resize(ncell * static_cast<std::size_t>(ns));
        q_old_.resize(ncell * static_cast<std::size_t>(ns + 1));
        // 1–2. Light, air and water per column and cell.
        for (std::size_t lc = 0; lc < ncol; ++lc) {
            const std::size_t col = columns_[c0 + lc];
            chem::PhotolysisInputs in;
            in.cos_zenith = cos_solar_zenith(grid_.lat()[col], grid_.lon()[col], t_mid);
            in.altitude_m = 0;
            // Snow on the ground (the weather's snow cover, or the land class) raises the UV albedo.
            in.albedo = ctx.met_mid.snow_cover[col] >= 0.5 ? uv_albedo(LandClass::snow) : s_->albedo;
            chem::photolysis_rates(s_->table, in, jcol_.data() + lc * static_cast<std::size_t>(nj));
            // Clouds: per cell, the liquid water path above the cell's centre (g m-2, its own layer
            // counted half) and the largest cloud fraction there attenuate every J by F_cloud
            // (docs/photolysis.md); a cell with no cloud water above it keeps the clear sky.
            double lwp_above_g_m2 = 0, fraction_above = 0;
            for (int k = nz - 1; k >= 0; --k) {
                const std::size_t n = static_cast<std::size_t>(k) * ncol + lc;
                const std::size_t cell = static_cast<std::size_t>(k) * plane + col;
                // Cloud water of the layer per unit area: air mass / area × q_c (kg m-2 → g m-2).
                const double own_g_m2 = ctx.state.air_mass_kg[cell] / grid_.area_m2()[col] * ctx.met_mid.cloud_water_kg_kg[cell] * 1000.0;
                fraction_above = std::max(fraction_above, ctx.met_mid.cloud_fraction[cell]);
                cloud_[n] = 1.0;
                if (lwp_above_g_m2 + own_g_m2 > 0 && fraction_above > 0) {
                    chem::PhotolysisInputs cloudy = in;
                    cloudy.cloud_fraction = std::min(fraction_above, 1.0);
                    cloudy.liquid_water_path_g_m2 = lwp_above_g_m2 + 0.5 * own_g_m2;
                    cloudy.below_cloud = true;
                    cloud_[n] = chem::cloud_factor(cloudy);
                }
                lwp_above_g_m2 += own_g_m2;
            }
            for (int k = 0; k < nz; ++k) {
                const std::size_t n = static_cast<std::size_t>(k) * ncol + lc;
                const std::size_t cell = static_cast<std::size_t>(k) * plane + col;
                const double volume_m3 = grid_.area_m2()[col] * grid_.dz()[static_cast<std::size_t>(k)];
                const double rho = ctx.state.air_mass_kg[cell] / volume_m3;  // kg m-3
                const double T = ctx.met_mid.temperature_k[cell];
                const double e_sat_pa = 611.2 * std::exp(17.67 * (T - 273.15) / (T - 29.65));
                T_[n] = T;
                M_[n] = rho * kAvogadro / phys::kAirMolarMass * 1e-6;
                h2o_[n] = ctx.met_mid.rh_frac[cell] * e_sat_pa / (phys::kBoltzmann * T) * 1e-6;
                jscale_[n] = chem::altitude_factor(ctx.met_mid.terrain_m[col] + grid_.z_center()[static_cast<std::size_t>(k)]) * cloud_[n];
                conv_[n] = rho * kAvogadro * 1e-12;  // (molecules cm-3) per (µg kg-1), × 1/M_s
                mass_[n] = ctx.state.air_mass_kg[cell];
                rho_[n] = rho;
                rh_[n] = ctx.met_mid.rh_frac[cell];
                qc_[n] = ctx.met_mid.cloud_water_kg_kg[cell];
                col_of_[n] = static_cast<int>(lc);
            }
        }
        kernels::RateCells rc;
        rc.ncells = static_cast<int>(ncell);
        rc.T_K = T_.data();
        rc.M_cm3 = M_.data();
        rc.h2o_cm3 = h2o_.data();
        rc.column = col_of_.data();
        rc.j_column = jcol_.data();
        rc.j_scale = jscale_.data();
        rc.k = k_.data();
        kernels::evaluate_rates(plan, rc);

        // 3–4. Every block: to molecules cm-3, integrate, back, book. Cells go to the solver level by
        // level (n = k · ncol + column), so that a batch of kernels::kLanes cells holds neighbouring
        // columns of one layer, alike in stiffness: a batch runs until its hardest cell is done, and
        // mixing the emitting surface layer with clean air aloft in one batch leaves lanes idle. The
        // grouping cannot change a result (each cell is integrated on its own data).
        cell_.resize(ncell);
        for (std::size_t n = 0; n < ncell; ++n) cell_[n] = (n / ncol) * plane + columns_[c0 + n % ncol];
        change_.resize((static_cast<std::size_t>(ns) + 1) * ncell);
        clip_.resize(static_cast<std::size_t>(ns) * ncell);
        change_col_.resize((static_cast<std::size_t>(ns) + 1) * ncol);
        clip_col_.resize(static_cast<std::size_t>(ns) * ncol);
        for (int b = 0; b < tracers_.blocks; ++b) {
            q_fields_.resize(static_cast<std::size_t>(ns));
            for (int sp = 0; sp < ns; ++sp)
                q_fields_[static_cast<std::size_t>(sp)] = ctx.state.species(tracers_.tracer(b, s_->run_index[static_cast<std::size_t>(sp)]));
            real* so4 = s_->so4_run >= 0 ? ctx.state.species(tracers_.tracer(b, s_->so4_run)) : nullptr;
            kernels::ChemGatherViews g;
            g.ncell = static_cast<int>(ncell);
            g.ns = ns;
            g.cell = cell_.data();
            g.q = q_fields_.data();
            g.conv = conv_.data();
            g.molar_mass = s_->molar_mass.data();
            g.so4 = so4;
            g.q_old = q_old_.data();
            g.c = c_.data();
            kernels::gather_concentrations(g);
            double* carry = h_carry_.data() + static_cast<std::size_t>(b) * grid_.cells();
            for (std::size_t n = 0; n < ncell; ++n) hc_[n] = carry[cell_[n]];
            try {
                const chem::SolveStats st = solver.integrate(ctx.dt_s, static_cast<int>(ncell), c_.data(), k_.data(), nullptr, ws_, clipped_.data(), hc_.data());
                cell_calls_ += static_cast<long>(ncell);
                steps_ += st.steps;
                rejected_ += st.rejected;
            } catch (const chem::ChemistrySolverError& e) {
                fail(e, ctx, b, c0);
            }
            for (std::size_t n = 0; n < ncell; ++n) carry[cell_[n]] = hc_[n];
            kernels::ChemScatterViews w;
            w.ncell = static_cast<int>(ncell);
            w.ns = ns;
            w.cell = cell_.data();
            w.q = q_fields_.data();
            w.conv = conv_.data();
            w.molar_mass = s_->molar_mass.data();
            w.mass_kg = mass_.data();
            w.c = c_.data();
            w.clipped = clipped_.data();
            w.q_old = q_old_.data();
            w.sulf = s_->sulf;
            w.so4 = so4;
            w.so4_per_sulf = s_->so4_molar_mass / (s_->sulf >= 0 ? s_->molar_mass[static_cast<std::size_t>(s_->sulf)] : 1.0);
            w.change_ug = change_.data();
            w.clip_ug = clip_.data();
            kernels::scatter_concentrations(w);
            // Inorganic aerosol: aqueous sulfate and the gas–particle equilibrium, booked per tracer.
            if (s_->aerosol.active) aerosol(ctx, b, ncell);
            // Per column (k summed in order, so the same on any decomposition), then exactly per tracer.
            kernels::column_sums(ns + 1, static_cast<int>(ncol), nz, change_.data(), change_col_.data());
            kernels::column_sums(ns, static_cast<int>(ncol), nz, clip_.data(), clip_col_.data());
            for (int sp = 0; sp <= ns; ++sp) {
                if (sp == ns && !so4) break;
                const int run_s = sp < ns ? s_->run_index[static_cast<std::size_t>(sp)] : s_->so4_run;
                const std::size_t t = static_cast<std::size_t>(tracers_.tracer(b, run_s));
                for (std::size_t lc = 0; lc < ncol; ++lc) {
                    const double clip = sp < ns ? clip_col_[static_cast<std::size_t>(sp) * ncol + lc] : 0.0;
                    chem_sum_[t].add(change_col_[static_cast<std::size_t>(sp) * ncol + lc] - clip);
                    clip_sum_[t].add(clip);
                }
            }
        }
    }
    par.reduce(chem_sum_);
    par.reduce(clip_sum_);
    for (int t = 0; t < ntracers; ++t) {
        ctx.ledger[t].term_kg[term(0)] += chem_sum_[static_cast<std::size_t>(t)].to_double() * kKgPerUg;
        ctx.ledger[t].term_kg[term(1)] += clip_sum_[static_cast<std::size_t>(t)].to_double() * kKgPerUg;
    }
}

}  // namespace

std::unique_ptr<Process> PhotochemicalMechanism::make_process(const Grid& grid, const TracerBlocks& tracers) const {
    return std::make_unique<Photochemistry>(grid, shared_, tracers);
}

}  // namespace lantian
