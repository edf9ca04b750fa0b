// Surface-layer similarity functions; see the header for the sources.
#include "met/boundary_layer.hpp"

#include <algorithm>
#include <cmath>

namespace lantian::bl {

double psi_m(double zeta) {
    if (zeta >= 0.0) return -5.0 * std::min(zeta, 1.0);
    const double x = std::pow(1.0 - 16.0 * zeta, 0.25);
    return 2.0 * std::log(0.5 * (1.0 + x)) + std::log(0.5 * (1.0 + x * x)) - 2.0 * std::atan(x) + 0.5 * kPi;
}

double psi_h(double zeta) {
    if (zeta >= 0.0) return -5.0 * std::min(zeta, 1.0);
    const double y = std::sqrt(1.0 - 16.0 * zeta);
    return 2.0 * std::log(0.5 * (1.0 + y));
}

double phi_h(double zeta) {
    if (zeta >= 0.0) return 1.0 + 5.0 * std::min(zeta, 1.0);
    return 1.0 / std::sqrt(1.0 - 16.0 * zeta);
}

double ustar_from_wind(double speed_m_s, double z_ref_m, double z0_m, double mo_length_m) {
    const double denom = std::log(z_ref_m / z0_m) - psi_m(z_ref_m / mo_length_m) + psi_m(z0_m / mo_length_m);
    return kVonKarman * speed_m_s / std::max(denom, 0.1);
}

double wind_at_height(double z_m, double ustar_m_s, double z0_m, double mo_length_m, double pblh_m) {
    const double z = std::clamp(z_m, z0_m, std::max(pblh_m, z0_m));
    const double shape = std::log(z / z0_m) - psi_m(z / mo_length_m) + psi_m(z0_m / mo_length_m);
    return ustar_m_s / kVonKarman * std::max(shape, 0.0);
}

double kz_similarity(double z_m, double ustar_m_s, double mo_length_m, double pblh_m, double kz_min_m2_s) {
    if (z_m >= pblh_m) return kz_min_m2_s;
    const double z_phi = mo_length_m < 0.0 ? std::min(z_m, 0.1 * pblh_m) : z_m;
    const double shape = (1.0 - z_m / pblh_m) * (1.0 - z_m / pblh_m);
    const double k = kVonKarman * ustar_m_s * z_m * shape / phi_h(z_phi / mo_length_m);
    return std::max(k, kz_min_m2_s);
}

double mo_length_from_flux(double ustar_m_s, double theta_k, double rho_kg_m3, double heat_flux_w_m2) {
    const double kinematic = heat_flux_w_m2 / (rho_kg_m3 * kCp);  // K m s-1
    if (std::fabs(kinematic) < 1e-9) return std::copysign(1e8, -kinematic == 0 ? 1.0 : -kinematic);
    return -std::pow(ustar_m_s, 3) * theta_k / (kVonKarman * kGravity * kinematic);
}

}  // namespace lantian::bl
