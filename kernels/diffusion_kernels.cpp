// Hot loops of vertical (implicit) and horizontal (explicit) diffusion. See the header for the
// equations; OpenMP parallelism is over rows j, so per-row sums are deterministic for any thread count.
#include "diffusion_kernels.hpp"

#include <algorithm>
#include <initializer_list>

#include "thread_scratch.hpp"

namespace lantian::kernels {

std::size_t vertical_scratch_doubles(int nz, int nx) {
    // coupling (nz+1), ratio, inverse pivot, rhs, emitted mass (nz each), ground pivot (1): per column of a row
    return whole_lines(static_cast<std::size_t>(nx) * (5 * static_cast<std::size_t>(nz) + 2));
}

// One row j at a time, vectorised across the columns i of the row (all accesses contiguous).
void vertical_diffusion(const VerticalViews& v) {
    const int nx = v.nx, ny = v.ny, nz = v.nz, nspec = v.nspec;
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(nx) * ny;
    const std::ptrdiff_t field = plane * nz;
    const double dt = v.dt_s;
    const int i0 = v.window.i0, i1 = v.window.i_end(nx);

#pragma omp parallel
    {
        double* scratch = thread_slice(v.scratch, v.scratch_per_thread);
        double* coupling = scratch;                    // a_k = Δt D_{k-1/2} (kg), [k][i], k = 0..nz
        double* ratio = coupling + (nz + 1) * nx;      // a_k / b'_k
        double* inv_pivot = ratio + nz * nx;           // 1 / b'_k
        double* rhs = inv_pivot + nz * nx;             // r'_k for the current species
        double* pivot_ground = rhs + nz * nx;          // b'_0 without deposition
        double* emission = pivot_ground + nx;          // Δt E_k (µg) of the current species; 0 above its top
        for (int x = 0; x < nz * nx; ++x) emission[x] = 0.0;

        // The next row's values at one level: a run of the window's width per level and field, more
        // streams than the hardware prefetchers follow. Asked for a level at a time while this row
        // is solved (spread out so that the requests never overflow the miss buffers).
        const int j_end = v.window.j_end(ny);
        auto ahead = [&](const void* row_start, std::size_t bytes) {
            const char* p = static_cast<const char*>(row_start);
            for (std::size_t off = 0; off < bytes; off += 64) __builtin_prefetch(p + off);
        };
#pragma omp for schedule(static)
        for (int j = v.window.j0; j < j_end; ++j) {
            const std::ptrdiff_t row = static_cast<std::ptrdiff_t>(j) * nx;
            const bool more = j + 1 < j_end;
            const std::ptrdiff_t next = row + nx + i0;  // the next row's first window cell
            const std::size_t width = static_cast<std::size_t>(i1 - i0);
            // (the ground and top rows apart: a multiplication under a condition is not vectorised)
            for (int i = i0; i < i1; ++i) coupling[i] = coupling[nz * nx + i] = 0.0;
            for (int k = 1; k < nz; ++k) {
                const double* ex = v.exchange_kg_s + k * plane + row;
#pragma omp simd
                for (int i = i0; i < i1; ++i) coupling[k * nx + i] = dt * ex[i];
            }
            // Top-down elimination of the shared rows: b'_{nz-1} = b_{nz-1};
            // b'_{k-1} = b_{k-1} − a_k² / b'_k, with b_k = m_k + a_k + a_{k+1}.
            for (int i = i0; i < i1; ++i) {
                const double b = v.air_mass_kg[(nz - 1) * plane + row + i] + coupling[(nz - 1) * nx + i];
                inv_pivot[(nz - 1) * nx + i] = 1.0 / b;
                ratio[(nz - 1) * nx + i] = coupling[(nz - 1) * nx + i] / b;
            }
            for (int k = nz - 1; k >= 1; --k) {
                if (more) {
                    ahead(v.exchange_kg_s + k * plane + next, width * sizeof(double));
                    ahead(v.air_mass_kg + k * plane + next, width * sizeof(double));
                    if (k == 1) ahead(v.air_mass_kg + next, width * sizeof(double));
                }
                for (int i = i0; i < i1; ++i) {
                    const double a = coupling[k * nx + i];
                    const double b = v.air_mass_kg[(k - 1) * plane + row + i] + coupling[(k - 1) * nx + i] + a - a * ratio[k * nx + i];
                    if (k > 1) {
                        inv_pivot[(k - 1) * nx + i] = 1.0 / b;
                        ratio[(k - 1) * nx + i] = coupling[(k - 1) * nx + i] / b;
                    } else {
                        pivot_ground[i] = b;
                    }
                }
            }
            if (nz == 1)
                for (int i = i0; i < i1; ++i) pivot_ground[i] = v.air_mass_kg[row + i];

            for (int s = 0; s < nspec; ++s) {
                real* qs = v.q + s * field + row;
                // This row's emissions of the species into `emission` (zero elsewhere): `top` is 1 +
                // the highest layer they reach, so the layers above skip the addition.
                double* emitted = v.emitted_ug + s * plane + row;
                for (int i = i0; i < i1; ++i) emitted[i] = 0.0;
                int top = 0;
                if (v.emission_start != nullptr) {
                    for (int i = i0; i < i1; ++i) {
                        const int* at = v.emission_start + (row + i) * nspec + s;
                        for (int e = at[0]; e < at[1]; ++e) {
                            const EmissionEntry& src = v.emissions[e];
                            const double mass_ug = dt * src.rate_ug_s;
                            emission[src.k * nx + i] += mass_ug;
                            emitted[i] += mass_ug;
                            top = std::max(top, src.k + 1);
                        }
                    }
                }
                // Right-hand sides r_k = m_k q_k + Δt E_k, eliminated as they are formed, top down:
                //   r'_{nz-1} = r_{nz-1};  r'_{k-1} = r_{k-1} + (a_k / b'_k) r'_k
                // (one pass over the column instead of two; the same operations in the same order).
                // Below `top` the emission is added and its slot cleared for the next species.
                auto source = [&](int k) {
                    const double* mk = v.air_mass_kg + k * plane + row;
                    const real* qk = qs + k * plane;
                    double* rk = rhs + k * nx;
                    if (k < top) {
                        double* ek = emission + k * nx;
#pragma omp simd
                        for (int i = i0; i < i1; ++i) {
                            rk[i] = mk[i] * qk[i] + ek[i];
                            ek[i] = 0.0;
                        }
                    } else {
#pragma omp simd
                        for (int i = i0; i < i1; ++i) rk[i] = mk[i] * qk[i];
                    }
                };
                source(nz - 1);
                for (int k = nz - 1; k >= 1; --k) {
                    const double* mk = v.air_mass_kg + (k - 1) * plane + row;
                    const real* qk = qs + (k - 1) * plane;
                    const double* ratio_k = ratio + k * nx;
                    const double* r_above = rhs + k * nx;
                    double* rk = rhs + (k - 1) * nx;
                    if (k - 1 < top) {
                        double* ek = emission + (k - 1) * nx;
#pragma omp simd
                        for (int i = i0; i < i1; ++i) {
                            rk[i] = (mk[i] * qk[i] + ek[i]) + ratio_k[i] * r_above[i];
                            ek[i] = 0.0;
                        }
                    } else {
#pragma omp simd
                        for (int i = i0; i < i1; ++i) rk[i] = mk[i] * qk[i] + ratio_k[i] * r_above[i];
                    }
                }
                // Ground row: the species' deposition enters the last pivot only.
                double* deposited = v.deposited_ug + s * plane + row;
                const double* dep_coef = v.deposition_kg_s + s * plane + row;
                for (int i = i0; i < i1; ++i) {
                    const double dep = dt * dep_coef[i];
                    const double q0 = rhs[i] / (pivot_ground[i] + dep);
                    rhs[i] = q0;
                    deposited[i] = dep * q0;
                    qs[i] = static_cast<real>(q0);
                }
                // q_k' = (r'_k + a_k q_{k-1}') / b'_k
                for (int k = 1; k < nz; ++k) {
                    if (more) {
                        ahead(v.q + s * field + k * plane + next, width * sizeof(real));
                        if (k == 1) ahead(v.q + s * field + next, width * sizeof(real));
                    }
                    for (int i = i0; i < i1; ++i) {
                        const double qk = (rhs[k * nx + i] + coupling[k * nx + i] * rhs[(k - 1) * nx + i]) * inv_pivot[k * nx + i];
                        rhs[k * nx + i] = qk;
                        qs[k * plane + i] = static_cast<real>(qk);
                    }
                }
            }
        }
    }
}

void horizontal_diffusion(const HorizontalViews& v) {
    const int nx = v.nx, ny = v.ny, nz = v.nz;
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(nx) * ny;
    const std::ptrdiff_t field = plane * nz;
    const int wi0 = v.window.i0, wi1 = v.window.i_end(nx), wj0 = v.window.j0, wj1 = v.window.j_end(ny);
    const int in0 = std::max(wi0, 1), in1 = std::min(wi1, nx - 1);  // columns with both neighbours inside the grid

    // In place, one layer at a time: the new row j is computed into a buffer and row j-1 is written
    // back once row j no longer needs its old values; the old first row is kept for periodic wrap.
    // Neighbours outside the window are read, never written.
#pragma omp parallel
    {
        real* buffers = thread_slice(v.work, 3 * static_cast<std::size_t>(nx));
        real* first_old = buffers;  // old row 0
        real* rows[2] = {buffers + nx, buffers + 2 * nx};
#pragma omp for schedule(static) collapse(2)
        for (int s = 0; s < v.nspec; ++s) {
            for (int k = 0; k < nz; ++k) {
                real* q = v.q + s * field + k * plane;
                const double* m = v.air_mass_kg + k * plane;
                for (int sub = 0; sub < v.substeps; ++sub) {
                    if (v.periodic)
                        for (int i = 0; i < nx; ++i) first_old[i] = q[i];
                    for (int j = wj0; j < wj1; ++j) {
                        const double* cx = v.conductance_x_kg + (static_cast<std::ptrdiff_t>(k) * ny + j) * (nx + 1);
                        const double* cy_s = v.conductance_y_kg + (static_cast<std::ptrdiff_t>(k) * (ny + 1) + j) * nx;
                        const double* cy_n = cy_s + nx;
                        const real* q_row = q + static_cast<std::ptrdiff_t>(j) * nx;
                        // Row j-1 is written back only after row j is computed, so q still holds old values.
                        const real* q_s = j > 0 ? q_row - nx : (v.periodic ? q + static_cast<std::ptrdiff_t>(ny - 1) * nx : q_row);
                        const real* q_n = j < ny - 1 ? q_row + nx : (v.periodic ? first_old : q_row);
                        const double* mr = m + static_cast<std::ptrdiff_t>(j) * nx;
                        real* out = rows[j % 2];
                        // Interior columns; the edges take their west/east neighbour from the wrap
                        // (periodic) or from themselves (no flux) below.
                        for (int i = in0; i < in1; ++i) {
                            const double qc = q_row[i];
                            const double change = cx[i] * (q_row[i - 1] - qc) + cx[i + 1] * (q_row[i + 1] - qc) +
                                                  cy_s[i] * (q_s[i] - qc) + cy_n[i] * (q_n[i] - qc);
                            out[i] = static_cast<real>(qc + change / mr[i]);
                        }
                        for (int i : {0, nx - 1}) {
                            if (i < wi0 || i >= wi1) continue;
                            const int iw = i > 0 ? i - 1 : (v.periodic ? nx - 1 : i);
                            const int ie = i < nx - 1 ? i + 1 : (v.periodic ? 0 : i);
                            const double qc = q_row[i];
                            const double change = cx[i] * (q_row[iw] - qc) + cx[i + 1] * (q_row[ie] - qc) +
                                                  cy_s[i] * (q_s[i] - qc) + cy_n[i] * (q_n[i] - qc);
                            out[i] = static_cast<real>(qc + change / mr[i]);
                        }
                        if (j > wj0) {
                            real* back = q + static_cast<std::ptrdiff_t>(j - 1) * nx;
                            const real* done = rows[(j - 1) % 2];
                            for (int i = wi0; i < wi1; ++i) back[i] = done[i];
                        }
                    }
                    real* last = q + static_cast<std::ptrdiff_t>(wj1 - 1) * nx;
                    const real* done = rows[(wj1 - 1) % 2];
                    for (int i = wi0; i < wi1; ++i) last[i] = done[i];
                }
            }
        }
    }
}

}  // namespace lantian::kernels
