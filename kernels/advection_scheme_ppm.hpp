// Monotone PPM (Colella & Woodward 1984, J. Comput. Phys. 54, 174–201, eqs. 1.5–1.10) as an
// advection policy: tracer face fluxes of ghosted lines from the parabola of each face's upwind cell.
// Pure arithmetic on the arrays it is handed: no loops over lines or species, no air-mass update.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string_view>

#include "advection_schemes.hpp"

namespace lantian::kernels {

struct PpmScheme {
    static constexpr std::string_view name = "ppm";

    // Monotonized central slope (CW84 eq. 1.8).
    static double limited_slope(double qm, double q0, double qp) {
        const double d_left = q0 - qm;
        const double d_right = qp - q0;
        const double d_mean = 0.5 * (qp - qm);
        const double mag = std::min(std::fabs(d_mean), 2.0 * std::min(std::fabs(d_left), std::fabs(d_right)));
        return (d_left * d_right > 0.0) ? std::copysign(mag, d_mean) : 0.0;
    }

    // Face value between cells with values qa, qb and limited slopes sa, sb (CW84 eq. 1.6 on a
    // uniform index grid): q_{c-1/2} = (q_{c-1} + q_c)/2 − (δq_c − δq_{c-1})/6, which lies between
    // qa and qb.
    static double face_value(double qa, double qb, double sa, double sb) { return 0.5 * (qa + qb) - (sb - sa) / 6.0; }

    // CW84 eq. 1.10: flatten at extrema, steepen the edge values away from overshoots.
    static void limit_edges(double qc, double& ql, double& qr) {
        const bool extremum = (qr - qc) * (qc - ql) <= 0.0;
        const double dq = qr - ql;
        const double q6 = 6.0 * (qc - 0.5 * (ql + qr));
        const double ql_steep = (dq * q6 > dq * dq) ? 3.0 * qc - 2.0 * qr : ql;
        const double qr_steep = (-dq * dq > dq * q6) ? 3.0 * qc - 2.0 * ql : qr;
        ql = extremum ? qc : ql_steep;
        qr = extremum ? qc : qr_steep;
    }

    // Mean of the upwind cell's parabola over the air that crosses a face. With the mass Courant
    // number c, the parabola's edges (ql, qr) and curvature q6 = 6 (q − (ql + qr)/2) (CW84 eq. 1.5):
    //   flux to +axis (right-hand fraction of the cell below): q̄ = qr − c/2 (Δq − (1 − 2c/3) q6)
    //   flux to −axis (left-hand fraction of the cell above):  q̄ = ql + c/2 (Δq + (1 − 2c/3) q6)
    // i.e. q̄ = edge + a1·Δq + a2·q6 with the sweep's per-face weights a1 = ∓c/2 and
    // a2 = (c/2)(1 − 2c/3). The result is clamped to [ql, qr] so round-off never leaves the
    // monotone range.
    static double face_mean(bool positive, double ql_up, double qr_up, double q6_up, double ql_dn, double qr_dn,
                            double q6_dn, double a1, double a2) {
        const double ql = positive ? ql_up : ql_dn;
        const double qr = positive ? qr_up : qr_dn;
        const double q6 = positive ? q6_up : q6_dn;
        const double edge = positive ? qr : ql;
        const double mean = edge + a1 * (qr - ql) + a2 * q6;
        return std::clamp(mean, std::min(ql, qr), std::max(ql, qr));
    }

    // Tracer mass through every face of B interleaved lines ([cell][lane]: element c*B + b):
    //   G_f = F_f · q̄_f   (µg = kg × µg kg-1),  q̄_f = face_mean of the upwind cell (f-1 if F_f > 0, else f)
    // q: (n + 2 kGhost)·B mixing ratios (µg kg-1), cell i of the line at ghosted index kGhost + i,
    // ghosts already filled; flux_kg, a1, a2, gflux_ug: (n + 1)·B, face f between cells f-1 and f,
    // F > 0 towards +axis. work: kSchemeWorkArrays·(n + 2 kGhost)·B doubles.
    template <int B>
    static void tracer_fluxes(int n, const double* q, const double* flux_kg, const double* a1, const double* a2,
                              double* work, double* gflux_ug) {
        constexpr int G = kGhost;
        const int len = n + 2 * G;
        const std::ptrdiff_t a = static_cast<std::ptrdiff_t>(len) * B;
        double* slope = work;
        double* face = slope + a;  // face[c]: value at the lower face of ghosted cell c
        double* ql = face + a;
        double* qr = ql + a;
        double* q6 = qr + a;
        for (int c = 1; c < len - 1; ++c)
            for (int b = 0; b < B; ++b)
                slope[c * B + b] = limited_slope(q[(c - 1) * B + b], q[c * B + b], q[(c + 1) * B + b]);
        for (int c = G - 1; c <= G + n + 1; ++c)
            for (int b = 0; b < B; ++b)
                face[c * B + b] = face_value(q[(c - 1) * B + b], q[c * B + b], slope[(c - 1) * B + b], slope[c * B + b]);
        for (int c = G - 1; c <= G + n; ++c)
            for (int b = 0; b < B; ++b) {
                double l = face[c * B + b], r = face[(c + 1) * B + b];
                limit_edges(q[c * B + b], l, r);
                ql[c * B + b] = l;
                qr[c * B + b] = r;
                q6[c * B + b] = 6.0 * (q[c * B + b] - 0.5 * (l + r));
            }
        for (int f = 0; f <= n; ++f)
            for (int b = 0; b < B; ++b) {
                const int up = (G + f - 1) * B + b, dn = (G + f) * B + b;
                const double F = flux_kg[f * B + b];
                gflux_ug[f * B + b] =
                    F * face_mean(F > 0.0, ql[up], qr[up], q6[up], ql[dn], qr[dn], q6[dn], a1[f * B + b], a2[f * B + b]);
            }
    }
};

}  // namespace lantian::kernels
