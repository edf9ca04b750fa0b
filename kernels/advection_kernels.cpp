// Hot loops of the split advection sweeps: gather a line, sub-step it, scatter it back.
// Monotone PPM after Colella & Woodward (1984, J. Comput. Phys. 54, 174–201), eqs. 1.6–1.10,
// written in the index coordinate with mass Courant numbers (the fraction of the upwind cell's air
// that crosses the face), which keeps tracer and air mass consistent in divergent flow.
#include "advection_kernels.hpp"

#include <algorithm>
#include <cmath>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace lantian::kernels {
namespace {

struct LineLayout {
    int n;                    // cells along the line
    std::ptrdiff_t cell_base;  // index of cell 0 within one species field
    std::ptrdiff_t cell_stride;
    std::ptrdiff_t face_base;  // index of face 0 in face_flux_kg
    std::ptrdiff_t face_stride;
};

LineLayout layout(Axis axis, int nx, int ny, int nz, int line) {
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(nx) * ny;
    switch (axis) {
    case Axis::x: {
        const int k = line / ny, j = line % ny;
        return {nx, k * plane + static_cast<std::ptrdiff_t>(j) * nx, 1,
                static_cast<std::ptrdiff_t>(line) * (nx + 1), 1};
    }
    case Axis::y: {
        const int k = line / nx, i = line % nx;
        return {ny, k * plane + i, nx, static_cast<std::ptrdiff_t>(k) * (ny + 1) * nx + i, nx};
    }
    case Axis::z:
    default:
        return {nz, line, plane, line, plane};
    }
}

// Fill kGhost cells each side of a line stored at a[kGhost .. kGhost+n-1].
template <typename T>
inline void fill_ghosts(T* a, int n, Edge edge, T lo_value, T hi_value) {
    for (int g = 1; g <= kGhost; ++g) {
        if (edge == Edge::periodic) {
            a[kGhost - g] = a[kGhost + ((n - g % n) % n)];
            a[kGhost + n - 1 + g] = a[kGhost + ((g - 1) % n)];
        } else {
            a[kGhost - g] = lo_value;
            a[kGhost + n - 1 + g] = hi_value;
        }
    }
}

// Monotonized central slope (CW84 eq. 1.8).
inline double limited_slope(double qm, double q0, double qp) {
    const double d_left = q0 - qm;
    const double d_right = qp - q0;
    const double d_mean = 0.5 * (qp - qm);
    const double mag = std::min({std::fabs(d_mean), 2.0 * std::fabs(d_left), 2.0 * std::fabs(d_right)});
    return (d_left * d_right > 0.0) ? std::copysign(mag, d_mean) : 0.0;
}

// Tracer mass through every face of one line, G_f = F_f · q̄_f (µg), for f = 0..n.
// q, m are ghosted (index kGhost = cell 0); work needs 3*(n + 2*kGhost) doubles.
void face_tracer_flux(Reconstruction rec, int n, const double* q, const double* m, const double* flux,
                      double* tracer_flux, double* work) {
    if (rec == Reconstruction::upwind) {
        for (int f = 0; f <= n; ++f) {
            const double q_up = flux[f] > 0.0 ? q[kGhost + f - 1] : q[kGhost + f];
            tracer_flux[f] = flux[f] * q_up;
        }
        return;
    }
    const int len = n + 2 * kGhost;
    double* slope = work;           // per ghosted cell
    double* q_left = work + len;    // left edge value of each cell's parabola
    double* q_right = work + 2 * len;

    for (int c = 1; c < len - 1; ++c) slope[c] = limited_slope(q[c - 1], q[c], q[c + 1]);

    // Face values between cells c-1 and c (CW84 eq. 1.6 with limited slopes, uniform spacing):
    //   q_{c-1/2} = (q_{c-1} + q_c)/2 − (δq_c − δq_{c-1})/6, which lies between q_{c-1} and q_c.
    // Cells whose parabola can be upwind of a face: ghost index kGhost-1 .. kGhost+n.
    for (int c = kGhost - 1; c <= kGhost + n; ++c) {
        const double face_lo = 0.5 * (q[c - 1] + q[c]) - (slope[c] - slope[c - 1]) / 6.0;
        const double face_hi = 0.5 * (q[c] + q[c + 1]) - (slope[c + 1] - slope[c]) / 6.0;
        double ql = face_lo, qr = face_hi;
        const double qc = q[c];
        // CW84 eq. 1.10: flatten at extrema, steepen away from overshoots.
        if ((qr - qc) * (qc - ql) <= 0.0) {
            ql = qc;
            qr = qc;
        } else {
            const double dq = qr - ql;
            const double q6 = 6.0 * (qc - 0.5 * (ql + qr));
            if (dq * q6 > dq * dq) {
                ql = 3.0 * qc - 2.0 * qr;
            } else if (-dq * dq > dq * q6) {
                qr = 3.0 * qc - 2.0 * ql;
            }
        }
        q_left[c] = ql;
        q_right[c] = qr;
    }

    for (int f = 0; f <= n; ++f) {
        const double F = flux[f];
        double mean;
        if (F > 0.0) {  // upwind cell f-1: the right-hand fraction c of its parabola crosses
            const int c = kGhost + f - 1;
            const double courant = std::min(F / m[c], 1.0);
            const double ql = q_left[c], qr = q_right[c];
            const double dq = qr - ql, q6 = 6.0 * (q[c] - 0.5 * (ql + qr));
            mean = qr - 0.5 * courant * (dq - (1.0 - 2.0 / 3.0 * courant) * q6);
            mean = std::clamp(mean, std::min(ql, qr), std::max(ql, qr));
        } else {  // upwind cell f: the left-hand fraction crosses
            const int c = kGhost + f;
            const double courant = std::min(-F / m[c], 1.0);
            const double ql = q_left[c], qr = q_right[c];
            const double dq = qr - ql, q6 = 6.0 * (q[c] - 0.5 * (ql + qr));
            mean = ql + 0.5 * courant * (dq + (1.0 - 2.0 / 3.0 * courant) * q6);
            mean = std::clamp(mean, std::min(ql, qr), std::max(ql, qr));
        }
        tracer_flux[f] = F * mean;
    }
}

}  // namespace

int line_count(Axis axis, int nx, int ny, int nz) {
    switch (axis) {
    case Axis::x: return nz * ny;
    case Axis::y: return nz * nx;
    case Axis::z:
    default: return ny * nx;
    }
}

int line_length(Axis axis, int nx, int ny, int nz) {
    switch (axis) {
    case Axis::x: return nx;
    case Axis::y: return ny;
    case Axis::z:
    default: return nz;
    }
}

std::size_t sweep_scratch_doubles(Axis axis, int nx, int ny, int nz, int nspec) {
    const std::size_t len = static_cast<std::size_t>(line_length(axis, nx, ny, nz)) + 2 * kGhost;
    // m, m_new, flux, tracer flux, 3 work arrays, nspec q lines
    return len * (7 + static_cast<std::size_t>(nspec));
}

int max_threads() {
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

double count_substeps(Axis axis, int nx, int ny, int nz, const double* air_mass_kg,
                      const double* face_flux_kg, double cfl_max, int* substeps_out) {
    const int nlines = line_count(axis, nx, ny, nz);
    double worst = 0.0;
#pragma omp parallel for schedule(static) reduction(max : worst)
    for (int line = 0; line < nlines; ++line) {
        const LineLayout L = layout(axis, nx, ny, nz, line);
        double line_worst = 0.0;
        for (int i = 0; i < L.n; ++i) {
            const double f_lo = face_flux_kg[L.face_base + i * L.face_stride];
            const double f_hi = face_flux_kg[L.face_base + (i + 1) * L.face_stride];
            const double out = std::max(f_hi, 0.0) + std::max(-f_lo, 0.0);
            line_worst = std::max(line_worst, out / air_mass_kg[L.cell_base + i * L.cell_stride]);
        }
        substeps_out[line] = std::max(1, static_cast<int>(std::ceil(line_worst / cfl_max)));
        worst = std::max(worst, line_worst);
    }
    return worst;
}

void advect_sweep(Axis axis, const SweepViews& v) {
    const int nlines = line_count(axis, v.nx, v.ny, v.nz);
    const std::ptrdiff_t field = static_cast<std::ptrdiff_t>(v.nx) * v.ny * v.nz;
    const int nspec = v.nspec;

#pragma omp parallel
    {
#ifdef _OPENMP
        double* scratch = v.scratch + static_cast<std::size_t>(omp_get_thread_num()) * v.scratch_per_thread;
#else
        double* scratch = v.scratch;
#endif
#pragma omp for schedule(static)
        for (int line = 0; line < nlines; ++line) {
            const LineLayout L = layout(axis, v.nx, v.ny, v.nz, line);
            const int n = L.n;
            const int len = n + 2 * kGhost;
            double* m = scratch;
            double* m_new = m + len;
            double* flux = m_new + len;
            double* tracer_flux = flux + len;
            double* work = tracer_flux + len;
            double* q_lines = work + 3 * len;

            for (int i = 0; i < n; ++i) m[kGhost + i] = v.air_mass_kg[L.cell_base + i * L.cell_stride];
            for (int s = 0; s < nspec; ++s) {
                const real* qs = v.q + s * field + L.cell_base;
                double* ql = q_lines + s * len + kGhost;
                for (int i = 0; i < n; ++i) ql[i] = qs[i * L.cell_stride];
            }
            const int nsub = v.substeps[line];
            const double inv_nsub = 1.0 / nsub;
            for (int f = 0; f <= n; ++f) flux[f] = v.face_flux_kg[L.face_base + f * L.face_stride] * inv_nsub;

            for (int sub = 0; sub < nsub; ++sub) {
                fill_ghosts(m, n, v.edge, m[kGhost], m[kGhost + n - 1]);
                // m_i' = m_i + F_{i-1/2} − F_{i+1/2}
                for (int i = 0; i < n; ++i) m_new[kGhost + i] = m[kGhost + i] + (flux[i] - flux[i + 1]);

                for (int s = 0; s < nspec; ++s) {
                    double* q = q_lines + s * len;
                    const double in_lo = v.edge == Edge::open ? v.inflow_lo[s * nlines + line] : 0.0;
                    const double in_hi = v.edge == Edge::open ? v.inflow_hi[s * nlines + line] : 0.0;
                    // Open edge: inflow carries the boundary value, outflow sees a zero gradient.
                    fill_ghosts(q, n, v.edge, flux[0] > 0.0 ? in_lo : q[kGhost],
                                flux[n] < 0.0 ? in_hi : q[kGhost + n - 1]);
                    face_tracer_flux(v.reconstruction, n, q, m, flux, tracer_flux, work);
                    if (v.edge == Edge::open) {
                        if (flux[0] > 0.0) tracer_flux[0] = flux[0] * in_lo;
                        if (flux[n] < 0.0) tracer_flux[n] = flux[n] * in_hi;
                        double* b = v.boundary_ug;
                        const std::ptrdiff_t stride = static_cast<std::ptrdiff_t>(nspec) * nlines;
                        const std::ptrdiff_t at = static_cast<std::ptrdiff_t>(s) * nlines + line;
                        b[0 * stride + at] += std::max(tracer_flux[0], 0.0);   // lo, in
                        b[1 * stride + at] += std::max(-tracer_flux[0], 0.0);  // lo, out
                        b[2 * stride + at] += std::max(-tracer_flux[n], 0.0);  // hi, in
                        b[3 * stride + at] += std::max(tracer_flux[n], 0.0);   // hi, out
                    }
                    for (int i = 0; i < n; ++i) {
                        const double qi = q[kGhost + i];
                        q[kGhost + i] = qi + ((tracer_flux[i] - tracer_flux[i + 1]) - qi * (flux[i] - flux[i + 1])) /
                                                 m_new[kGhost + i];
                    }
                }
                for (int i = 0; i < n; ++i) m[kGhost + i] = m_new[kGhost + i];
            }

            for (int i = 0; i < n; ++i) v.air_mass_kg[L.cell_base + i * L.cell_stride] = m[kGhost + i];
            for (int s = 0; s < nspec; ++s) {
                real* qs = v.q + s * field + L.cell_base;
                const double* ql = q_lines + s * len + kGhost;
                for (int i = 0; i < n; ++i) qs[i * L.cell_stride] = static_cast<real>(ql[i]);
            }
        }
    }
}

}  // namespace lantian::kernels
