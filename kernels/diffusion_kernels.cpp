// Hot loops of vertical (implicit) and horizontal (explicit) diffusion. See the header for the
// equations; OpenMP parallelism is over rows j, so per-row sums are deterministic for any thread count.
#include "diffusion_kernels.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace lantian::kernels {

std::size_t vertical_scratch_doubles(int nz, int nspec) {
    // pivot, coupling, per-species rhs
    return static_cast<std::size_t>(nz) * (2 + static_cast<std::size_t>(nspec));
}

void vertical_diffusion(const VerticalViews& v) {
    const int nx = v.nx, ny = v.ny, nz = v.nz, nspec = v.nspec;
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(nx) * ny;
    const std::ptrdiff_t field = plane * nz;
    const double dt = v.dt_s;

#pragma omp parallel
    {
#ifdef _OPENMP
        double* scratch = v.scratch + static_cast<std::size_t>(omp_get_thread_num()) * v.scratch_per_thread;
#else
        double* scratch = v.scratch;
#endif
        double* pivot = scratch;        // b'_k, k = 1..nz-1 (shared by all species)
        double* coupling = scratch + nz;  // a_k = Δt D_{k-1/2} (kg)
        double* rhs = scratch + 2 * nz;   // nspec*nz

#pragma omp for schedule(static)
        for (int j = 0; j < ny; ++j) {
            for (int s = 0; s < nspec; ++s) {
                v.emitted_ug[s * ny + j] = 0.0;
                v.deposited_ug[s * ny + j] = 0.0;
            }
            for (int i = 0; i < nx; ++i) {
                const std::ptrdiff_t col = static_cast<std::ptrdiff_t>(j) * nx + i;
                for (int k = 0; k <= nz - 1; ++k) coupling[k] = dt * v.exchange_kg_s[k * plane + col];
                // Top-down elimination of the shared rows: b'_{nz-1} = b_{nz-1};
                // b'_{k-1} = b_{k-1} − a_k² / b'_k, with b_k = m_k + a_k + a_{k+1}.
                auto diag = [&](int k) {
                    const double above = (k + 1 < nz) ? coupling[k + 1] : 0.0;
                    return v.air_mass_kg[k * plane + col] + coupling[k] + above;
                };
                pivot[nz - 1] = diag(nz - 1);
                for (int k = nz - 1; k >= 2; --k) pivot[k - 1] = diag(k - 1) - coupling[k] * coupling[k] / pivot[k];

                // Right-hand sides m_k q_k + Δt E_k.
                for (int s = 0; s < nspec; ++s) {
                    const real* qs = v.q + s * field + col;
                    for (int k = 0; k < nz; ++k) rhs[s * nz + k] = v.air_mass_kg[k * plane + col] * qs[k * plane];
                }
                for (int e = v.emission_start[col]; e < v.emission_start[col + 1]; ++e) {
                    const EmissionEntry& src = v.emissions[e];
                    const double mass_ug = dt * src.rate_ug_s;
                    rhs[src.species * nz + src.k] += mass_ug;
                    v.emitted_ug[src.species * ny + j] += mass_ug;
                }

                for (int s = 0; s < nspec; ++s) {
                    double* r = rhs + s * nz;
                    // r'_{k-1} = r_{k-1} + a_k r'_k / b'_k
                    for (int k = nz - 1; k >= 1; --k) r[k - 1] += coupling[k] * r[k] / pivot[k];
                    const double dep = dt * v.deposition_kg_s[s * plane + col];
                    const double pivot0 = (nz > 1 ? diag(0) - coupling[1] * coupling[1] / pivot[1] : diag(0)) + dep;
                    real* qs = v.q + s * field + col;
                    double below = r[0] / pivot0;  // q_0'
                    qs[0] = static_cast<real>(below);
                    v.deposited_ug[s * ny + j] += dep * below;
                    // q_k' = (r'_k + a_k q_{k-1}') / b'_k
                    for (int k = 1; k < nz; ++k) {
                        below = (r[k] + coupling[k] * below) / pivot[k];
                        qs[k * plane] = static_cast<real>(below);
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
    const int rows = nz * ny;

    for (int s = 0; s < v.nspec; ++s) {
        real* q = v.q + s * field;
        for (int sub = 0; sub < v.substeps; ++sub) {
#pragma omp parallel for schedule(static)
            for (int row = 0; row < rows; ++row) {
                const int k = row / ny, j = row % ny;
                const std::ptrdiff_t base = k * plane + static_cast<std::ptrdiff_t>(j) * nx;
                const double* cx = v.conductance_x_kg + static_cast<std::ptrdiff_t>(row) * (nx + 1);
                const double* cy_s = v.conductance_y_kg + (static_cast<std::ptrdiff_t>(k) * (ny + 1) + j) * nx;
                const double* cy_n = cy_s + nx;
                int j_s = j - 1, j_n = j + 1;
                if (v.periodic) {
                    j_s = (j_s + ny) % ny;
                    j_n = j_n % ny;
                }
                const real* q_row = q + base;
                const real* q_s = (j_s >= 0) ? q + k * plane + static_cast<std::ptrdiff_t>(j_s) * nx : q_row;
                const real* q_n = (j_n < ny) ? q + k * plane + static_cast<std::ptrdiff_t>(j_n) * nx : q_row;
                for (int i = 0; i < nx; ++i) {
                    int i_w = i - 1, i_e = i + 1;
                    if (v.periodic) {
                        i_w = (i_w + nx) % nx;
                        i_e = i_e % nx;
                    } else {
                        i_w = i_w < 0 ? i : i_w;  // zero-gradient edge: no flux
                        i_e = i_e >= nx ? i : i_e;
                    }
                    const double qc = q_row[i];
                    const double change = cx[i] * (q_row[i_w] - qc) + cx[i + 1] * (q_row[i_e] - qc) +
                                          cy_s[i] * (q_s[i] - qc) + cy_n[i] * (q_n[i] - qc);
                    v.work[base + i] = static_cast<real>(qc + change / v.air_mass_kg[base + i]);
                }
            }
#pragma omp parallel for schedule(static)
            for (std::ptrdiff_t c = 0; c < field; ++c) q[c] = v.work[c];
        }
    }
}

}  // namespace lantian::kernels
