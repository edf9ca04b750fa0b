// Dry-deposition velocities and the ground-flux coefficients of the implicit vertical solve.
#include "processes/deposition.hpp"

#include <algorithm>
#include <cmath>

#include "met/boundary_layer.hpp"
#include "met/solar_geometry.hpp"
#include "physical_constants.hpp"

namespace lantian {

namespace {
constexpr double kAirViscosity = 1.81e-5;      // Pa s, dynamic viscosity of air near 290 K
constexpr double kKinematicViscosity = 1.5e-5; // m2 s-1
constexpr double kMeanFreePath = 0.065e-6;     // m, of air molecules at sea level
constexpr double kReferenceT = 283.0;          // K, for the Brownian diffusivity
constexpr double kWaterDiffusivity = 2.4e-5;   // m2 s-1, D(H2O) in air (Wesely 1989 scales others by it)
constexpr double kPrandtl = 0.72;
constexpr double kMinUstar = 0.01;             // m s-1, floor against dividing by a calm
constexpr double kCelsiusZero = 273.15;        // K

double cunningham(double d) {
    const double x = 2.0 * kMeanFreePath / d;
    return 1.0 + x * (1.257 + 0.4 * std::exp(-1.1 / x));
}
}  // namespace

double stokes_settling_velocity(double d, double rho_p) {
    return rho_p * d * d * phys::kGravity * cunningham(d) / (18.0 * kAirViscosity);
}

DryDeposition::DryDeposition(const Grid& grid, const std::vector<std::string>& species, const SpeciesPropertiesTable& table,
                             const std::map<std::string, double>& constant_m_s, const RemovalConfig& cfg, double z0_m,
                             WeselySeason season)
    : grid_(grid), nspec_(static_cast<int>(species.size())), cfg_(cfg), z0_m_(z0_m), season_(season),
      cell_(wesely_cell(season, cfg.land_class)) {
    const int land = static_cast<int>(cfg.land_class);
    for (const auto& name : species) {
        const SpeciesProperties* p = table.find(name);
        props_.push_back(p ? *p : SpeciesProperties{});
        const auto it = constant_m_s.find(name);
        // Passive tracers and gases without uptake (H* = f0 = 0) do not deposit.
        const bool model = cfg.dry_deposition && p && !p->inert();
        constant_.push_back(it != constant_m_s.end() ? it->second : (model ? -1.0 : 0.0));
        any_model_ = any_model_ || constant_.back() < 0;
        const bool computed = constant_.back() < 0 && !p->particle() && p->rc_s_m[land] == kRcFromWesely;
        wesely_.push_back(computed ? 1 : 0);
        gas_.push_back(p ? WeselyGas{p->diffusivity_ratio, p->henry_m_atm, p->f0} : WeselyGas{});
        any_wesely_ = any_wesely_ || computed;
        double vs = 0, sc = 1;
        if (p && p->particle()) {
            vs = stokes_settling_velocity(p->diameter_m, p->density_kg_m3);
            // Brownian diffusivity D_B = k T C_c / (3 π μ d) (Stokes–Einstein with slip)
            const double db = phys::kBoltzmann * kReferenceT * cunningham(p->diameter_m) / (3.0 * kPi * kAirViscosity * p->diameter_m);
            sc = kKinematicViscosity / db;
        } else if (p) {
            sc = kKinematicViscosity / (kWaterDiffusivity / p->diffusivity_ratio);
        }
        settling_m_s_.push_back(vs);
        schmidt_.push_back(sc);
    }
}

std::shared_ptr<const DryDeposition> DryDeposition::constant(const Grid& grid, std::vector<double> velocity_m_s) {
    auto d = std::shared_ptr<DryDeposition>(new DryDeposition(grid, static_cast<int>(velocity_m_s.size())));
    d->constant_ = std::move(velocity_m_s);
    d->props_.resize(d->constant_.size());
    d->settling_m_s_.assign(d->constant_.size(), 0.0);
    d->schmidt_.assign(d->constant_.size(), 1.0);
    d->wesely_.assign(d->constant_.size(), 0);
    d->gas_.assign(d->constant_.size(), WeselyGas{});
    return d;
}

double DryDeposition::surface_resistance(int s, double solar_w_m2, double t_surface_c) const {
    const SpeciesProperties& p = props_[s];
    if (constant_[s] >= 0 || p.particle()) return kWeselyNoPath;
    if (wesely_[s]) return wesely_surface_resistance(gas_[s], cell_, solar_w_m2, t_surface_c);
    return p.rc_s_m[static_cast<int>(cfg_.land_class)];
}

void DryDeposition::velocities(const MetState& met, std::vector<double>& out, const kernels::Window& window,
                               double epoch_s) const {
    const std::size_t plane = grid_.columns();
    out.resize(static_cast<std::size_t>(nspec_) * plane, 0.0);
    const double zr = grid_.z_center()[0];
    const int land = static_cast<int>(cfg_.land_class);
    // Column by column, on every thread (each column writes only its own values).
    kernels::for_columns_parallel(window, grid_.nx(), grid_.ny(), [&](std::size_t c) {
        const double ustar = std::max(kMinUstar, met.ustar_m_s[c]);
        const double l = met.mo_length_m[c];
        // r_a = [ln(z_r/z0) − ψ_h(z_r/L) + ψ_h(z0/L)] / (κ u*)
        const double ra = std::max(0.0, std::log(zr / z0_m_) - bl::psi_h(zr / l) + bl::psi_h(z0_m_ / l)) / (phys::kVonKarman * ustar);
        // The Wesely terms every gas of the column shares: sun (clear sky) and surface temperature.
        WeselyColumn wc{};
        if (any_wesely_) {
            const double g = std::isnan(epoch_s) ? kReferenceRadiation
                                                 : clear_sky_radiation_w_m2(cos_solar_zenith(grid_.lat()[c], grid_.lon()[c], epoch_s));
            wc = wesely_column(cell_, g, met.t2_k[c] - kCelsiusZero);
        }
        for (int s = 0; s < nspec_; ++s) {
            double vd = constant_[s];
            if (vd < 0) {
                const SpeciesProperties& p = props_[s];
                if (p.particle()) {
                    const double vs = settling_m_s_[s];
                    const double st = vs * ustar * ustar / (phys::kGravity * kKinematicViscosity);
                    const double rb = 1.0 / (ustar * (std::pow(schmidt_[s], -2.0 / 3.0) + std::pow(10.0, -3.0 / std::max(st, 1e-12))));
                    vd = 1.0 / (ra + rb + ra * rb * vs) + vs;
                    if (cfg_.settling) vd -= vs;  // the settling process carries v_s
                } else {
                    const double rb = 2.0 / (phys::kVonKarman * ustar) * std::pow(schmidt_[s] / kPrandtl, 2.0 / 3.0);
                    const double rc = wesely_[s] ? wesely_surface_resistance(gas_[s], cell_, wc) : p.rc_s_m[land];
                    vd = 1.0 / (ra + rb + rc);
                }
            }
            out[static_cast<std::size_t>(s) * plane + c] = vd;
        }
    });
}

void DryDeposition::flux_coefficients(const MetState& met, const double* area_m2, std::vector<double>& scratch,
                                      std::vector<double>& out, const kernels::Window& w, double epoch_s) const {
    const std::size_t plane = grid_.columns();
    // F_ground = v_d ρ_0 A q_0: the coefficient v_d ρ_0 A (kg s-1) per column and species.
    if (any_model_) velocities(met, scratch, w, epoch_s);
    // (rows shared out over the threads, each species' run of a row contiguous)
    const int nx = grid_.nx(), i0 = w.i0, i1 = w.i_end(nx);
    const double* rho = met.rho_kg_m3.data();
#pragma omp parallel for schedule(static)
    for (int j = w.j0; j < w.j_end(grid_.ny()); ++j)
        for (int s = 0; s < nspec_; ++s) {
            const std::size_t row = static_cast<std::size_t>(j) * nx, at = s * plane + row;
            if (any_model_) {
                for (int i = i0; i < i1; ++i) out[at + i] = scratch[at + i] * rho[row + i] * area_m2[row + i];
            } else {
                const double vd = constant_[s];
                for (int i = i0; i < i1; ++i) out[at + i] = vd * rho[row + i] * area_m2[row + i];
            }
        }
}

}  // namespace lantian
