// Monin–Obukhov similarity for the surface layer and a K-profile for the boundary layer. Shared by
// every MetSource (idealized, station-driven, WRF) so that Kz means the same thing everywhere.
#pragma once

#include "physical_constants.hpp"

namespace lantian::bl {

// Defined once in physical_constants.hpp; the bl:: names stay valid for callers that spell them so.
using phys::kCp;
using phys::kGravity;
using phys::kRd;
using phys::kVonKarman;

// Integrated stability functions ψ_m(ζ), ψ_h(ζ), ζ = z/L: Businger–Dyer as given by Paulson (1970)
// for ζ < 0 and Webb (1970) ψ = −5ζ for ζ ≥ 0 (ζ capped at 1 in the stable branch).
double psi_m(double zeta);
double psi_h(double zeta);
// Dimensionless gradient φ_h(ζ): 1 + 5ζ (stable), (1 − 16ζ)^(-1/2) (unstable).
double phi_h(double zeta);

// u* from a wind speed at height z_ref: u* = κ U / [ln(z_ref/z0) − ψ_m(z_ref/L) + ψ_m(z0/L)].
double ustar_from_wind(double speed_m_s, double z_ref_m, double z0_m, double mo_length_m);
// Wind speed at height z from u*: U(z) = (u*/κ) [ln(z/z0) − ψ_m(z/L) + ψ_m(z0/L)], z ≥ z0; the
// profile is held at its value at the boundary-layer top above it.
double wind_at_height(double z_m, double ustar_m_s, double z0_m, double mo_length_m, double pblh_m);

// K-profile (Troen & Mahrt 1986; Holtslag & Boville 1993, J. Climate 6, 1825):
//   K_z = κ u* z (1 − z/h)² / φ_h(ζ)  for z < h, with ζ evaluated at min(z, 0.1 h) when unstable;
//   K_z = kz_min above h; never below kz_min.
double kz_similarity(double z_m, double ustar_m_s, double mo_length_m, double pblh_m, double kz_min_m2_s);

// Monin–Obukhov length from surface fluxes: L = −u*³ θ ρ c_p / (κ g H), H the sensible heat flux (W m-2).
double mo_length_from_flux(double ustar_m_s, double theta_k, double rho_kg_m3, double heat_flux_w_m2);

}  // namespace lantian::bl
