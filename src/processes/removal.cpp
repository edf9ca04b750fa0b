// Orchestration of removal and chemistry; loops in kernels/removal_kernels.
#include "processes/removal.hpp"

#include <algorithm>
#include <cmath>

#include "emissions/temporal_profiles.hpp"
#include "met/boundary_layer.hpp"
#include "removal_kernels.hpp"

namespace lantian {

namespace {
constexpr double kKgPerUg = 1e-9;
constexpr double kAirViscosity = 1.81e-5;      // Pa s, dynamic viscosity of air near 290 K
constexpr double kKinematicViscosity = 1.5e-5; // m2 s-1
constexpr double kMeanFreePath = 0.065e-6;     // m, of air molecules at sea level
constexpr double kBoltzmann = 1.380649e-23;    // J K-1
constexpr double kReferenceT = 283.0;          // K, for the Brownian diffusivity
constexpr double kWaterDiffusivity = 2.4e-5;   // m2 s-1, D(H2O) in air (Wesely 1989 scales others by it)
constexpr double kPrandtl = 0.72;
constexpr double kGravity = 9.81;              // m s-2
constexpr double kMinUstar = 0.01;             // m s-1, floor against dividing by a calm
constexpr double kSecondsPerHour = 3600.0;

double cunningham(double d) {
    const double x = 2.0 * kMeanFreePath / d;
    return 1.0 + x * (1.257 + 0.4 * std::exp(-1.1 / x));
}
}  // namespace

double stokes_settling_velocity(double d, double rho_p) {
    return rho_p * d * d * kGravity * cunningham(d) / (18.0 * kAirViscosity);
}

DryDeposition::DryDeposition(const Grid& grid, const std::vector<std::string>& species, const SpeciesPropertiesTable& table,
                             const std::map<std::string, double>& constant_m_s, const RemovalConfig& cfg, double z0_m)
    : grid_(grid), nspec_(static_cast<int>(species.size())), cfg_(cfg), z0_m_(z0_m) {
    for (const auto& name : species) {
        const SpeciesProperties* p = table.find(name);
        props_.push_back(p ? *p : SpeciesProperties{});
        const auto it = constant_m_s.find(name);
        constant_.push_back(it != constant_m_s.end() ? it->second : (cfg.dry_deposition && p ? -1.0 : 0.0));
        double vs = 0, sc = 1;
        if (p && p->particle()) {
            vs = stokes_settling_velocity(p->diameter_m, p->density_kg_m3);
            // Brownian diffusivity D_B = k T C_c / (3 π μ d) (Stokes–Einstein with slip)
            const double db = kBoltzmann * kReferenceT * cunningham(p->diameter_m) / (3.0 * kPi * kAirViscosity * p->diameter_m);
            sc = kKinematicViscosity / db;
        } else if (p) {
            sc = kKinematicViscosity / (kWaterDiffusivity / p->diffusivity_ratio);
        }
        settling_m_s_.push_back(vs);
        schmidt_.push_back(sc);
    }
}

void DryDeposition::velocities(const MetState& met, std::vector<double>& out, const kernels::Window& window) const {
    const std::size_t plane = grid_.columns();
    out.resize(static_cast<std::size_t>(nspec_) * plane, 0.0);
    const double zr = grid_.z_center()[0];
    const int land = static_cast<int>(cfg_.land_class);
    kernels::for_columns(window, grid_.nx(), grid_.ny(), [&](std::size_t c) {
        const double ustar = std::max(kMinUstar, met.ustar_m_s[c]);
        const double l = met.mo_length_m[c];
        // r_a = [ln(z_r/z0) − ψ_h(z_r/L) + ψ_h(z0/L)] / (κ u*)
        const double ra = std::max(0.0, std::log(zr / z0_m_) - bl::psi_h(zr / l) + bl::psi_h(z0_m_ / l)) / (bl::kVonKarman * ustar);
        for (int s = 0; s < nspec_; ++s) {
            double vd = constant_[s];
            if (vd < 0) {
                const SpeciesProperties& p = props_[s];
                if (p.particle()) {
                    const double vs = settling_m_s_[s];
                    const double st = vs * ustar * ustar / (kGravity * kKinematicViscosity);
                    const double rb = 1.0 / (ustar * (std::pow(schmidt_[s], -2.0 / 3.0) + std::pow(10.0, -3.0 / std::max(st, 1e-12))));
                    vd = 1.0 / (ra + rb + ra * rb * vs) + vs;
                    if (cfg_.settling) vd -= vs;  // the settling process carries v_s
                } else {
                    const double rb = 2.0 / (bl::kVonKarman * ustar) * std::pow(schmidt_[s] / kPrandtl, 2.0 / 3.0);
                    vd = 1.0 / (ra + rb + p.rc_s_m[land]);
                }
            }
            out[static_cast<std::size_t>(s) * plane + c] = vd;
        }
    });
}

Settling::Settling(const Grid& grid, std::vector<int> species, std::vector<double> velocity_m_s)
    : gv_(grid_views(grid, false)), species_(std::move(species)), velocity_m_s_(std::move(velocity_m_s)),
      dz_(grid.dz()), column_ug_(grid.columns(), 0.0) {}

void Settling::step_impl(StepContext& ctx) {
    const Parallel& par = ctx.parallel();
    sums_.assign(species_.size(), ExactSum{});
    for (std::size_t n = 0; n < species_.size(); ++n) {
        const double vs = velocity_m_s_[n];
        // Sub-steps so that no layer loses more than its content in one: v_s Δt_sub ≤ Δz_min / 2.
        const double dz_min = *std::min_element(dz_.begin(), dz_.end());
        const int nsub = std::max(1, static_cast<int>(std::ceil(2.0 * vs * ctx.dt_s / dz_min)));
        kernels::SettlingViews v;
        v.nx = gv_.nx;
        v.ny = gv_.ny;
        v.nz = std::min(gv_.nz, 64);
        for (int k = 0; k < v.nz; ++k) v.fraction_per_layer[k] = vs * ctx.dt_s / nsub / dz_[k];
        v.air_mass_kg = ctx.state.air_mass_kg.data();
        v.q = ctx.state.species(species_[n]);
        v.settled_ug = column_ug_.data();
        v.window = par.window();
        for (int sub = 0; sub < nsub; ++sub) {
            kernels::settle(v);
            add_columns(sums_[n], column_ug_.data(), gv_.nx, gv_.ny, v.window);
        }
    }
    par.reduce(sums_);
    for (std::size_t n = 0; n < species_.size(); ++n) ctx.ledger[species_[n]].settled_kg += sums_[n].to_double() * kKgPerUg;
}

WetScavenging::WetScavenging(const Grid& grid, std::vector<Coefficients> coefficients)
    : gv_(grid_views(grid, false)), coefficients_(std::move(coefficients)), column_ug_(grid.columns(), 0.0) {}

void WetScavenging::step_impl(StepContext& ctx) {
    const Parallel& par = ctx.parallel();
    sums_.assign(coefficients_.size(), ExactSum{});
    for (std::size_t n = 0; n < coefficients_.size(); ++n) {
        const Coefficients& c = coefficients_[n];
        kernels::ScavengingViews v;
        v.nx = gv_.nx;
        v.ny = gv_.ny;
        v.nz = gv_.nz;
        v.dt_s = ctx.dt_s;
        v.a_s = c.a_s;
        v.b = c.b;
        v.precip_mm_h = ctx.met_mid.precip_mm_h.data();
        v.air_mass_kg = ctx.state.air_mass_kg.data();
        v.q = ctx.state.species(c.species);
        v.removed_ug = column_ug_.data();
        v.window = par.window();
        kernels::scavenge(v);
        add_columns(sums_[n], column_ug_.data(), gv_.nx, gv_.ny, v.window);
    }
    par.reduce(sums_);
    for (std::size_t n = 0; n < coefficients_.size(); ++n)
        ctx.ledger[coefficients_[n].species].wet_kg += sums_[n].to_double() * kKgPerUg;
}

std::vector<Chemistry::Conversion> Chemistry::conversions(const std::vector<std::string>& species, const ChemistryConfig& cfg,
                                                          const SpeciesPropertiesTable& table, std::vector<std::string>& skipped) {
    std::vector<Conversion> out;
    if (!cfg.enabled) return out;
    auto index = [&](const std::string& n) {
        const auto it = std::find(species.begin(), species.end(), n);
        return it == species.end() ? -1 : static_cast<int>(it - species.begin());
    };
    const double h = 1.0 / kSecondsPerHour;
    struct Def {
        const char* from;
        const char* to;
        double day, night, rh, het;
    };
    const Def defs[] = {{"SO2", "SO4", cfg.so2_gas_per_h, 0, 0, cfg.so2_het_per_h},
                        {"NO2", "NO3", cfg.no2_day_per_h, cfg.no2_night_per_h, 0, 0},
                        {"NH3", "NH4", 0, 0, cfg.nh3_per_h, 0}};
    for (const Def& d : defs) {
        const int from = index(d.from), to = index(d.to);
        const std::string label = std::string(d.from) + " -> " + d.to;
        if (from < 0 && to < 0) continue;
        if (from < 0 || to < 0) {
            skipped.push_back(label + " (needs both species in species.names)");
            continue;
        }
        const SpeciesProperties *pf = table.find(d.from), *pt = table.find(d.to);
        if (!pf || !pt || pf->molar_mass_g_mol <= 0 || pt->molar_mass_g_mol <= 0) {
            skipped.push_back(label + " (needs the molar masses in the species table)");
            continue;
        }
        out.push_back({from, to, pt->molar_mass_g_mol / pf->molar_mass_g_mol, d.day * h, d.night * h, d.rh * h, d.het * h,
                       cfg.het_rh_threshold, label});
    }
    return out;
}

Chemistry::Chemistry(const Grid& grid, std::vector<Conversion> conversions)
    : grid_(grid), gv_(grid_views(grid, false)), conversions_(std::move(conversions)), cos_zenith_(grid.columns(), 0.0),
      column_ug_(grid.columns(), 0.0) {
    // Conversions with the same label (one per scenario) share their rate law and its fractions.
    std::vector<std::string> labels;
    for (const Conversion& c : conversions_) {
        auto it = std::find(labels.begin(), labels.end(), c.label);
        if (it == labels.end()) {
            labels.push_back(c.label);
            fraction_.emplace_back(grid.cells(), 0.0);
            law_first_.push_back(law_of_.size());
            it = labels.end() - 1;
        }
        law_of_.push_back(static_cast<int>(it - labels.begin()));
    }
}

void Chemistry::step_impl(StepContext& ctx) {
    const double t_mid = ctx.t_epoch_s + 0.5 * ctx.dt_s;
    const Parallel& par = ctx.parallel();
    kernels::for_columns(par.window(), grid_.nx(), grid_.ny(), [&](std::size_t c) {
        cos_zenith_[c] = cos_solar_zenith(grid_.lat()[c], grid_.lon()[c], t_mid);
    });
    // The weather part once per rate law, for every scenario.
    for (std::size_t law = 0; law < fraction_.size(); ++law) {
        const Conversion& cv = conversions_[law_first_[law]];
        kernels::ConversionRateViews r;
        r.nx = gv_.nx;
        r.ny = gv_.ny;
        r.nz = gv_.nz;
        r.dt_s = ctx.dt_s;
        r.k_day_s = cv.k_day_s;
        r.k_night_s = cv.k_night_s;
        r.k_rh_s = cv.k_rh_s;
        r.k_het_s = cv.k_het_s;
        r.rh_threshold = cv.rh_threshold;
        r.cos_zenith = cos_zenith_.data();
        r.rh_frac = ctx.met_mid.rh_frac.data();
        r.fraction = fraction_[law].data();
        r.window = par.window();
        kernels::conversion_fraction(r);
    }
    sums_.assign(conversions_.size(), ExactSum{});
    for (std::size_t n = 0; n < conversions_.size(); ++n) {
        const Conversion& cv = conversions_[n];
        kernels::ConversionViews v;
        v.nx = gv_.nx;
        v.ny = gv_.ny;
        v.nz = gv_.nz;
        v.mass_ratio = cv.mass_ratio;
        v.fraction = fraction_[law_of_[n]].data();
        v.air_mass_kg = ctx.state.air_mass_kg.data();
        v.q_from = ctx.state.species(cv.from);
        v.q_to = ctx.state.species(cv.to);
        v.converted_ug = column_ug_.data();
        v.window = par.window();
        kernels::convert(v);
        add_columns(sums_[n], column_ug_.data(), gv_.nx, gv_.ny, v.window);
    }
    par.reduce(sums_);
    for (std::size_t n = 0; n < conversions_.size(); ++n) {
        const Conversion& cv = conversions_[n];
        const double converted = sums_[n].to_double();
        ctx.ledger[cv.from].chemistry_kg -= converted * kKgPerUg;
        ctx.ledger[cv.to].chemistry_kg += converted * cv.mass_ratio * kKgPerUg;
    }
}

double cos_solar_zenith(double lat_deg, double lon_deg, double epoch_s) {
    const double days = epoch_s / 86400.0;
    const long long day = static_cast<long long>(std::floor(days));
    const CivilDate date = civil_from_days(day);
    const double day_of_year = static_cast<double>(day - days_from_civil(date.year, 1, 1));  // 0 = 1 January
    const double deg = kPi / 180.0;
    // δ = −23.44° cos(2π (N + 10) / 365)
    const double decl = -23.44 * deg * std::cos(2.0 * kPi * (day_of_year + 10.0) / 365.0);
    // h = 15° (UTC hours + λ/15° − 12)
    const double hour_angle = ((days - static_cast<double>(day)) * 24.0 + lon_deg / 15.0 - 12.0) * 15.0 * deg;
    const double phi = lat_deg * deg;
    return std::sin(phi) * std::sin(decl) + std::cos(phi) * std::cos(decl) * std::cos(hour_angle);
}

}  // namespace lantian
