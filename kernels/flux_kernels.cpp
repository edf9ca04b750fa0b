// Weather → fluxes and coefficients; see the header for the equations.
#include "flux_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace lantian::kernels {
namespace {
inline std::ptrdiff_t at3(const GridViews& g, int k, int j, int i) {
    return (static_cast<std::ptrdiff_t>(k) * g.ny + j) * g.nx + i;
}
// Neighbouring cell across a lateral edge: wrapped when periodic, the edge cell itself otherwise.
inline int edge_index(int idx, int n, bool periodic) {
    if (idx < 0) return periodic ? idx + n : 0;
    if (idx >= n) return periodic ? idx - n : n - 1;
    return idx;
}
// max over the cells of layer k inside `window` of (C_w + C_e + C_s + C_n) / m.
double layer_stability(const GridViews& g, int k, const double* cx, const double* cy, const double* m, const Window& window) {
    const int nx = g.nx, ny = g.ny, i0 = window.i0, i1 = window.i_end(nx);
    double worst = 0.0;
    for (int j = window.j0; j < window.j_end(ny); ++j) {
        const double* cxr = cx + (static_cast<std::ptrdiff_t>(k) * ny + j) * (nx + 1);
        const double* cys = cy + (static_cast<std::ptrdiff_t>(k) * (ny + 1) + j) * nx;
        const double* cyn = cys + nx;
        const double* mr = m + at3(g, k, j, 0);
#pragma omp simd reduction(max : worst)
        for (int i = i0; i < i1; ++i) worst = std::max(worst, (cxr[i] + cxr[i + 1] + cys[i] + cyn[i]) / mr[i]);
    }
    return worst;
}
}  // namespace

void air_mass_from_density(const GridViews& g, const double* rho, double* m) {
#pragma omp parallel for schedule(static)
    for (int k = 0; k < g.nz; ++k)
        for (int c = 0; c < g.nx * g.ny; ++c) m[static_cast<std::ptrdiff_t>(k) * g.nx * g.ny + c] = rho[static_cast<std::ptrdiff_t>(k) * g.nx * g.ny + c] * g.area_m2[c] * g.dz_m[k];
}

void horizontal_mass_fluxes(const GridViews& g, const double* rho, const double* u, const double* v, double dt,
                            double* fx, double* fy) {
    const int nx = g.nx, ny = g.ny;
#pragma omp parallel for schedule(static)
    for (int k = 0; k < g.nz; ++k) {
        for (int j = 0; j < ny; ++j) {
            for (int f = 0; f <= nx; ++f) {
                const double rho_face = 0.5 * (rho[at3(g, k, j, edge_index(f - 1, nx, g.periodic))] +
                                               rho[at3(g, k, j, edge_index(f, nx, g.periodic))]);
                const std::ptrdiff_t a = (static_cast<std::ptrdiff_t>(k) * ny + j) * (nx + 1) + f;
                fx[a] = rho_face * u[a] * g.len_x_m[static_cast<std::ptrdiff_t>(j) * (nx + 1) + f] * g.dz_m[k] * dt;
            }
            if (g.periodic) fx[(static_cast<std::ptrdiff_t>(k) * ny + j) * (nx + 1) + nx] = fx[(static_cast<std::ptrdiff_t>(k) * ny + j) * (nx + 1)];
        }
        for (int f = 0; f <= ny; ++f) {
            for (int i = 0; i < nx; ++i) {
                const double rho_face = 0.5 * (rho[at3(g, k, edge_index(f - 1, ny, g.periodic), i)] +
                                               rho[at3(g, k, edge_index(f, ny, g.periodic), i)]);
                const std::ptrdiff_t a = (static_cast<std::ptrdiff_t>(k) * (ny + 1) + f) * nx + i;
                fy[a] = rho_face * v[a] * g.len_y_m[static_cast<std::ptrdiff_t>(f) * nx + i] * g.dz_m[k] * dt;
            }
        }
        if (g.periodic)
            for (int i = 0; i < nx; ++i)
                fy[(static_cast<std::ptrdiff_t>(k) * (ny + 1) + ny) * nx + i] = fy[(static_cast<std::ptrdiff_t>(k) * (ny + 1)) * nx + i];
    }
}

double max_inverse_crossing_time(const GridViews& g, const double* u, const double* v) {
    const int nx = g.nx, ny = g.ny;
    double worst = 0.0;
#pragma omp parallel for schedule(static) reduction(max : worst)
    for (int k = 0; k < g.nz; ++k) {
        // (all faces of a layer at once: the x-faces and the y-faces are contiguous runs)
        const std::ptrdiff_t nfx = static_cast<std::ptrdiff_t>(ny) * (nx + 1), nfy = static_cast<std::ptrdiff_t>(ny + 1) * nx;
        const double* uk = u + k * nfx;
        const double* vk = v + k * nfy;
        double w = 0.0;
#pragma omp simd reduction(max : w)
        for (std::ptrdiff_t a = 0; a < nfx; ++a) w = std::max(w, std::fabs(uk[a]) / g.dist_x_m[a]);
#pragma omp simd reduction(max : w)
        for (std::ptrdiff_t a = 0; a < nfy; ++a) w = std::max(w, std::fabs(vk[a]) / g.dist_y_m[a]);
        worst = std::max(worst, w);
    }
    return worst;
}

CrossingPlace locate_max_inverse_crossing_time(const GridViews& g, const double* u, const double* v) {
    const int nx = g.nx, ny = g.ny;
    CrossingPlace best;
    best.rate_per_s = -1.0;
    auto consider = [&](double wind, double distance, int k, int j, int i, bool x_face) {
        const double rate = std::fabs(wind) / distance;
        if (rate > best.rate_per_s) best = {k, j, i, x_face, wind, distance, rate};
    };
    for (int k = 0; k < g.nz; ++k) {
        for (int j = 0; j < ny; ++j)
            for (int f = 0; f <= nx; ++f)
                consider(u[(static_cast<std::ptrdiff_t>(k) * ny + j) * (nx + 1) + f],
                         g.dist_x_m[static_cast<std::ptrdiff_t>(j) * (nx + 1) + f], k, j, f, true);
        for (int f = 0; f <= ny; ++f)
            for (int i = 0; i < nx; ++i)
                consider(v[(static_cast<std::ptrdiff_t>(k) * (ny + 1) + f) * nx + i],
                         g.dist_y_m[static_cast<std::ptrdiff_t>(f) * nx + i], k, f, i, false);
    }
    return best;
}

void vertical_mass_flux(const GridViews& g, const double* fx, const double* fy, const double* m, const double* m_target,
                        double* fz, const Window& w) {
    const int nx = g.nx, ny = g.ny, i0 = w.i0, i1 = w.i_end(nx);
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(nx) * ny;
    // Row by row, layer by layer, the cells of a row contiguous (the sum up each column is the
    // same sequence of operations as a column-by-column loop).
#pragma omp parallel for schedule(static)
    for (int j = w.j0; j < w.j_end(ny); ++j) {
        const std::ptrdiff_t row = static_cast<std::ptrdiff_t>(j) * nx;
        for (int i = i0; i < i1; ++i) fz[row + i] = 0.0;
        for (int k = 0; k < g.nz; ++k) {
            const double* fxr = fx + (static_cast<std::ptrdiff_t>(k) * ny + j) * (nx + 1);
            const double* fys = fy + (static_cast<std::ptrdiff_t>(k) * (ny + 1) + j) * nx;
            const double* fyn = fys + nx;
            const double* mr = m + k * plane + row;
            const double* tr = m_target + k * plane + row;
            const double* below = fz + k * plane + row;
            double* above = fz + (k + 1) * plane + row;
#pragma omp simd
            for (int i = i0; i < i1; ++i) {
                const double horizontal_in = (fxr[i] - fxr[i + 1]) + (fys[i] - fyn[i]);
                above[i] = below[i] + horizontal_in - (tr[i] - mr[i]);
            }
        }
    }
}

void vertical_exchange(const GridViews& g, const double* rho, const double* kz, double* ex, const Window& w) {
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(g.nx) * g.ny;
    // (the ground and top faces, k = 0 and nz, carry 0; the interior rows have no conditions and vectorise)
#pragma omp parallel for schedule(static)
    for (int k = 0; k <= g.nz; ++k) {
        const bool interior = k > 0 && k < g.nz;
        const double dz_c = interior ? g.z_center_m[k] - g.z_center_m[k - 1] : 1.0;
        for (int j = w.j0; j < w.j_end(g.ny); ++j) {
            const std::ptrdiff_t row = static_cast<std::ptrdiff_t>(j) * g.nx;
            double* exr = ex + k * plane + row;
            if (!interior) {
                for (int i = w.i0; i < w.i_end(g.nx); ++i) exr[i] = 0.0;
                continue;
            }
            const double* below = rho + (k - 1) * plane + row;
            const double* above = rho + k * plane + row;
            const double* kzr = kz + k * plane + row;
            const double* area = g.area_m2 + row;
#pragma omp simd
            for (int i = w.i0; i < w.i_end(g.nx); ++i) {
                const double rho_face = 0.5 * (below[i] + above[i]);
                exr[i] = rho_face * kzr[i] * area[i] / dz_c;
            }
        }
    }
}

void horizontal_kh(const GridViews& g, const double* u, const double* v, bool smagorinsky, double kh_floor,
                   double cs, double* kh, const Window& w) {
    const int nx = g.nx, ny = g.ny;
    const int i0 = w.i0, i1 = w.i_end(nx);
#pragma omp parallel for schedule(static)
    for (int k = 0; k < g.nz; ++k) {
        for (int j = w.j0; j < w.j_end(ny); ++j) {
            double* out = kh + at3(g, k, j, 0);
            if (!smagorinsky) {
                for (int i = i0; i < i1; ++i) out[i] = kh_floor;
                continue;
            }
            // Row pointers: u on the x-faces of rows j, jn, js; v on the y-faces below and above row j.
            // Cross derivatives from centred differences of the face winds averaged to centres,
            // one-sided (over one cell) at the grid's edges, 0 on a grid one cell wide.
            const int jn = std::min(j + 1, ny - 1), js = std::max(j - 1, 0);
            const double* ur = u + (static_cast<std::ptrdiff_t>(k) * ny + j) * (nx + 1);
            const double* un = u + (static_cast<std::ptrdiff_t>(k) * ny + jn) * (nx + 1);
            const double* us = u + (static_cast<std::ptrdiff_t>(k) * ny + js) * (nx + 1);
            const double* vs = v + (static_cast<std::ptrdiff_t>(k) * (ny + 1) + j) * nx;
            const double* vn = vs + nx;
            const double* dist_x = g.dist_x_m + static_cast<std::ptrdiff_t>(j) * (nx + 1);
            const double* dist_y = g.dist_y_m + static_cast<std::ptrdiff_t>(j) * nx;
            const double* area = g.area_m2 + static_cast<std::ptrdiff_t>(j) * nx;
            const double cs2 = cs * cs;
            const bool has_y = jn > js;  // (no cross difference on a grid one row tall)
            const double span_y = has_y ? jn - js : 1;
            // K_h of cell i with its east and west neighbours ie, iw (written once, used for the
            // interior, where the loop vectorises, and for the two edge cells). Captures by value:
            // the loop-invariant scalars stay in registers, not reloaded after each store.
            auto kh_at = [=](int i, int ie, int iw) {
                const double dx = dist_x[i];
                const double dy = dist_y[i];
                const double dudx = (ur[i + 1] - ur[i]) / dx;
                const double dvdy = (vn[i] - vs[i]) / dy;
                // (divisors of 1 where the difference is not taken, so that both sides are plain arithmetic)
                const double dudy_q = (0.5 * (un[i] + un[i + 1]) - 0.5 * (us[i] + us[i + 1])) / (span_y * dy);
                const double dvdx_q = (0.5 * (vs[ie] + vn[ie]) - 0.5 * (vs[iw] + vn[iw])) / ((ie > iw ? ie - iw : 1) * dx);
                const double dudy = has_y ? dudy_q : 0.0;
                const double dvdx = ie > iw ? dvdx_q : 0.0;
                const double deformation = std::sqrt((dudx - dvdy) * (dudx - dvdy) + (dudy + dvdx) * (dudy + dvdx));
                return std::max(kh_floor, cs2 * area[i] * deformation);
            };
            const int lo = std::max(i0, 1), hi = std::min(i1, nx - 1);
            for (int i = i0; i < std::min(lo, i1); ++i) out[i] = kh_at(i, std::min(i + 1, nx - 1), std::max(i - 1, 0));
#pragma omp simd
            for (int i = lo; i < hi; ++i) out[i] = kh_at(i, i + 1, i - 1);
            for (int i = std::max(hi, lo); i < i1; ++i) out[i] = kh_at(i, std::min(i + 1, nx - 1), std::max(i - 1, 0));
        }
    }
}

double horizontal_conductances(const GridViews& g, const double* rho, const double* kh, const double* m, double dt,
                               double* cx, double* cy, const Window& window, const Window& faces) {
    const int nx = g.nx, ny = g.ny;
    const int fi0 = faces.i0, fi1 = faces.i_end(nx), fj0 = faces.j0, fj1 = faces.j_end(ny);
    double worst = 0.0;
    // C = Δt ρ_f K_f L Δz / d on each face, with ρ_f and K_f the means of the two cells it joins;
    // 0 on the grid's edges unless periodic. Interior faces in loops without conditions (vectorised),
    // the edge faces by the same expression with their wrapped neighbours.
#pragma omp parallel for schedule(static) reduction(max : worst)
    for (int k = 0; k < g.nz; ++k) {
        const double dz = g.dz_m[k];
        for (int j = fj0; j < fj1; ++j) {
            double* cxr = cx + (static_cast<std::ptrdiff_t>(k) * ny + j) * (nx + 1);
            const double* rr = rho + at3(g, k, j, 0);
            const double* kr = kh + at3(g, k, j, 0);
            const double* len = g.len_x_m + static_cast<std::ptrdiff_t>(j) * (nx + 1);
            const double* dist = g.dist_x_m + static_cast<std::ptrdiff_t>(j) * (nx + 1);
            auto face = [=](int f, int iw, int ie) {
                const double rho_f = 0.5 * (rr[iw] + rr[ie]);
                const double kh_f = 0.5 * (kr[iw] + kr[ie]);
                return dt * rho_f * kh_f * len[f] * dz / dist[f];
            };
            auto edge_face = [&](int f) {
                cxr[f] = (f == 0 || f == nx) && !g.periodic ? 0.0 : face(f, edge_index(f - 1, nx, true), edge_index(f, nx, true));
            };
            const int lo = std::max(fi0, 1), hi = std::min(fi1, nx - 1);
            for (int f = fi0; f < std::min(lo, fi1 + 1); ++f) edge_face(f);
#pragma omp simd
            for (int f = lo; f <= hi; ++f) cxr[f] = face(f, f - 1, f);
            for (int f = std::max(hi + 1, lo); f <= fi1; ++f) edge_face(f);
        }
        for (int f = fj0; f <= fj1; ++f) {
            double* cyr = cy + (static_cast<std::ptrdiff_t>(k) * (ny + 1) + f) * nx;
            const bool edge = (f == 0 || f == ny);
            if (edge && !g.periodic) {
                for (int i = fi0; i < fi1; ++i) cyr[i] = 0.0;
                continue;
            }
            const int js = edge_index(f - 1, ny, true), jn = edge_index(f, ny, true);
            const double* rs = rho + at3(g, k, js, 0);
            const double* rn = rho + at3(g, k, jn, 0);
            const double* ks = kh + at3(g, k, js, 0);
            const double* kn = kh + at3(g, k, jn, 0);
            const double* len = g.len_y_m + static_cast<std::ptrdiff_t>(f) * nx;
            const double* dist = g.dist_y_m + static_cast<std::ptrdiff_t>(f) * nx;
#pragma omp simd
            for (int i = fi0; i < fi1; ++i) {
                const double rho_f = 0.5 * (rs[i] + rn[i]);
                const double kh_f = 0.5 * (ks[i] + kn[i]);
                cyr[i] = dt * rho_f * kh_f * len[i] * dz / dist[i];
            }
        }
        worst = std::max(worst, layer_stability(g, k, cx, cy, m, window));
    }
    return worst;
}

double explicit_stability(const GridViews& g, const double* cx, const double* cy, const double* m, const Window& window) {
    double worst = 0.0;
#pragma omp parallel for schedule(static) reduction(max : worst)
    for (int k = 0; k < g.nz; ++k) worst = std::max(worst, layer_stability(g, k, cx, cy, m, window));
    return worst;
}

}  // namespace lantian::kernels
