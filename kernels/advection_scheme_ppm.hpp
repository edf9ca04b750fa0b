// Monotone PPM (Colella & Woodward 1984, J. Comput. Phys. 54, 174–201, eqs. 1.5–1.10) as an
// advection policy: tracer face fluxes of ghosted lines from the parabola of each face's upwind cell.
// Pure arithmetic on the arrays it is handed: no loops over lines or species, no air-mass update.
// The reconstruction runs in the tracers' storage precision (`real`: float unless
// LANTIAN_DOUBLE_PRECISION), twice the SIMD lanes of double; the tracer flux G = F · q̄ and everything
// that moves mass stay in double (docs/architecture.md, "Speed: weather work once, precision where it matters").
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string_view>

#include "advection_schemes.hpp"
#include "real.hpp"

namespace lantian::kernels {

struct PpmScheme {
    static constexpr std::string_view name = "ppm";
    using T = real;  // arithmetic of the reconstruction

    // Monotonized central slope (CW84 eq. 1.8).
    static T limited_slope(T qm, T q0, T qp) {
        const T d_left = q0 - qm;
        const T d_right = qp - q0;
        const T d_mean = T(0.5) * (qp - qm);
        const T mag = std::min(std::fabs(d_mean), T(2) * std::min(std::fabs(d_left), std::fabs(d_right)));
        return (d_left * d_right > T(0)) ? std::copysign(mag, d_mean) : T(0);
    }

    // Face value between cells with values qa, qb and limited slopes sa, sb (CW84 eq. 1.6 on a
    // uniform index grid): q_{c-1/2} = (q_{c-1} + q_c)/2 − (δq_c − δq_{c-1})/6, which lies between
    // qa and qb.
    static T face_value(T qa, T qb, T sa, T sb) { return T(0.5) * (qa + qb) - (sb - sa) / T(6); }

    // CW84 eq. 1.10: flatten at extrema, steepen the edge values away from overshoots.
    static void limit_edges(T qc, T& ql, T& qr) {
        const bool extremum = (qr - qc) * (qc - ql) <= T(0);
        const T dq = qr - ql;
        const T q6 = T(6) * (qc - T(0.5) * (ql + qr));
        const T ql_steep = (dq * q6 > dq * dq) ? T(3) * qc - T(2) * qr : ql;
        const T qr_steep = (-dq * dq > dq * q6) ? T(3) * qc - T(2) * ql : qr;
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
    static T face_mean(bool positive, T ql_up, T qr_up, T q6_up, T ql_dn, T qr_dn, T q6_dn, T a1, T a2) {
        const T ql = positive ? ql_up : ql_dn;
        const T qr = positive ? qr_up : qr_dn;
        const T q6 = positive ? q6_up : q6_dn;
        const T edge = positive ? qr : ql;
        const T mean = edge + a1 * (qr - ql) + a2 * q6;
        return std::clamp(mean, std::min(ql, qr), std::max(ql, qr));
    }

    // Tracer mass through every face of B interleaved lines ([cell][lane]: element c*B + b):
    //   G_f = F_f · q̄_f   (µg = kg × µg kg-1),  q̄_f = face_mean of the upwind cell (f-1 if F_f > 0, else f)
    // q: (n + 2 kGhost)·B mixing ratios (µg kg-1), cell i of the line at ghosted index kGhost + i,
    // ghosts already filled; flux_kg, a1, a2, gflux_ug: (n + 1)·B, face f between cells f-1 and f,
    // F > 0 towards +axis. work: kSchemeWorkArrays arrays of line_stride(n + 2 kGhost, B) values.
    // Three passes: the slopes; the edges and curvature of every cell that is upwind of a face (each
    // face value computed for both cells it bounds, the same arithmetic, rather than stored); the fluxes.
    template <int B>
    static void tracer_fluxes(int n, const real* q, const double* flux_kg, const double* a1, const double* a2, real* work,
                              double* gflux_ug) {
        constexpr int G = kGhost;
        const int len = n + 2 * G;
        const std::ptrdiff_t a = line_stride(len, B);
        T* slope = work;
        T* ql = slope + a;
        T* qr = ql + a;
        T* q6 = qr + a;
        for (int c = 1; c < len - 1; ++c)
#pragma omp simd
            for (int b = 0; b < B; ++b)
                slope[c * B + b] = limited_slope(q[(c - 1) * B + b], q[c * B + b], q[(c + 1) * B + b]);
        for (int c = G - 1; c <= G + n; ++c)
#pragma omp simd
            for (int b = 0; b < B; ++b) {
                const T qm = q[(c - 1) * B + b], q0 = q[c * B + b], qp = q[(c + 1) * B + b];
                const T sm = slope[(c - 1) * B + b], s0 = slope[c * B + b], sp = slope[(c + 1) * B + b];
                T l = face_value(qm, q0, sm, s0), r = face_value(q0, qp, s0, sp);
                limit_edges(q0, l, r);
                ql[c * B + b] = l;
                qr[c * B + b] = r;
                q6[c * B + b] = T(6) * (q0 - T(0.5) * (l + r));
            }
        for (int f = 0; f <= n; ++f)
#pragma omp simd
            for (int b = 0; b < B; ++b) {
                const int up = (G + f - 1) * B + b, dn = (G + f) * B + b;
                const double F = flux_kg[f * B + b];
                gflux_ug[f * B + b] =
                    F * static_cast<double>(face_mean(F > 0.0, ql[up], qr[up], q6[up], ql[dn], qr[dn], q6[dn],
                                                         static_cast<T>(a1[f * B + b]), static_cast<T>(a2[f * B + b])));
            }
    }
};

}  // namespace lantian::kernels
