// Hot loops of the split advection sweeps: ghost cells, sub-steps, Courant numbers, the air-mass
// and tracer updates and the boundary books. The face values of the tracer come from the scheme
// policy (advection_scheme_<name>.hpp), chosen once per advect_sweep call; no scheme arithmetic here.
// Schemes work in the index coordinate with mass Courant numbers (the fraction of the upwind cell's
// air that crosses the face), which keeps tracer and air mass consistent in divergent flow.
//
// Two loop shapes, each a template on the scheme policy, share the same arithmetic:
//  - x: lines are contiguous in memory; one line at a time (policy lanes B = 1), vectorised along it;
//  - y, z: lines are strided; a block of kBlock neighbouring lines (consecutive i) is swept
//    together (B = kBlock), vectorised across the block, so every memory access is contiguous.
// All arithmetic is in double; tracers are stored as `real`. Every branch is a select so the
// compiler can vectorise.
#include "advection_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "advection_scheme_ppm.hpp"
#include "advection_scheme_upwind.hpp"
#include "thread_scratch.hpp"

namespace lantian::kernels {
namespace {

constexpr int kBlock = 16;  // lines swept together along strided axes (two AVX-512 double vectors)

// Per-face weights handed to every scheme, shared by all species of a sub-step. With the mass
// Courant number c (the fraction of the upwind cell's air that crosses the face) and a profile
// written in the upwind cell's index coordinate, the mean over the crossing fraction of its linear
// and quadratic parts is edge value + a1·Δq + a2·q6 (CW84 eq. 1.5 integrated; see
// advection_scheme_ppm.hpp) with
//   a1 = −c/2 (flux to +axis) or +c/2 (flux to −axis),   a2 = (c/2)(1 − 2c/3).
// A scheme uses the weights it needs (donor cell: none).
struct FaceWeights {
    double a1, a2;
};
inline FaceWeights face_weights(double flux, double courant) {
    const double half = 0.5 * courant;
    // a1 = −c/2 for F > 0, +c/2 for F < 0 (for F = 0 the face carries nothing either way)
    return {-std::copysign(half, flux), half * (1.0 - 2.0 / 3.0 * courant)};
}

// Mass Courant number of a face: the fraction of the upwind cell's air that crosses it,
//   c = min(|F| / m_up, 1),  m_up = m_lo for F > 0 (the cell below the face), m_hi otherwise.
// One division: the masses are selected first (both are loaded, so the select is a blend and the
// loops vectorise); the quotient is the same as dividing by the upwind mass alone.
inline double courant(double flux, double m_lo, double m_hi) {
    const double m_up = flux > 0.0 ? m_lo : m_hi;
    const double c = std::fabs(flux) / m_up;
    return 1.0 < c ? 1.0 : c;  // std::min, written on values so that the loops vectorise
}

// Fraction of a cell's air that leaves it through its faces lo and hi (the face index grows along
// the line) in one step: [max(F_hi, 0) + max(−F_lo, 0)] / m.
inline double outflow_fraction(double f_lo, double f_hi, double m) { return (std::max(f_hi, 0.0) + std::max(-f_lo, 0.0)) / m; }

struct LineLayout {
    int n;                      // cells along the line
    std::ptrdiff_t cell_base;   // index of cell 0 within one species field
    std::ptrdiff_t cell_stride;
    std::ptrdiff_t face_base;   // index of face 0 in face_flux_kg
    std::ptrdiff_t face_stride;
};

LineLayout layout(Axis axis, int nx, int ny, int nz, int line) {
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(nx) * ny;
    switch (axis) {
    case Axis::x: {
        const int k = line / ny, j = line % ny;
        return {nx, k * plane + static_cast<std::ptrdiff_t>(j) * nx, 1, static_cast<std::ptrdiff_t>(line) * (nx + 1), 1};
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

// Ghost cell g (1..kGhost) below cell 0 / above cell n-1 of a line of n cells.
inline int periodic_lo(int g, int n) { return ((n - g % n) % n); }
inline int periodic_hi(int g, int n) { return (g - 1) % n; }

// Books the boundary fluxes of one sub-step for the w consecutive lines line0.. (lanes b of g_lo,
// g_hi; w = 1 for a single line), vectorised across them. Every entry of a swept line is written (0
// where the window does not own that edge), the first sub-step storing rather than adding: the caller
// need not clear the books, and no cold entry is read before it is written.
inline void book_boundary(const SweepViews& v, int nlines, int s, int line0, int w, const double* g_lo,
                                const double* g_hi, bool lo_edge, bool hi_edge, bool first) {
    const std::ptrdiff_t stride = static_cast<std::ptrdiff_t>(v.nspec) * nlines;
    double* lo_in = v.boundary_ug + static_cast<std::ptrdiff_t>(s) * nlines + line0;
    double* lo_out = lo_in + stride;
    double* hi_in = lo_in + 2 * stride;
    double* hi_out = lo_in + 3 * stride;
    if (first) {  // the first sub-step stores (nothing read), the others add
#pragma omp simd
        for (int b = 0; b < w; ++b) {
            lo_in[b] = lo_edge ? std::max(g_lo[b], 0.0) : 0.0;
            lo_out[b] = lo_edge ? std::max(-g_lo[b], 0.0) : 0.0;
            hi_in[b] = hi_edge ? std::max(-g_hi[b], 0.0) : 0.0;
            hi_out[b] = hi_edge ? std::max(g_hi[b], 0.0) : 0.0;
        }
    } else {
#pragma omp simd
        for (int b = 0; b < w; ++b) {
            lo_in[b] += lo_edge ? std::max(g_lo[b], 0.0) : 0.0;
            lo_out[b] += lo_edge ? std::max(-g_lo[b], 0.0) : 0.0;
            hi_in[b] += hi_edge ? std::max(-g_hi[b], 0.0) : 0.0;
            hi_out[b] += hi_edge ? std::max(g_hi[b], 0.0) : 0.0;
        }
    }
}

// The cells of one line a windowed sweep works on: [s0, s1) along the line, of which [w0, w1) are
// written back. Ends that are cuts (not the domain's edges) get edge-copy ghosts; what that does
// to the cells next to the cut reaches 3 cells per sub-step and stays inside [s0, w0) ∪ [w1, s1)
// when the caller's reach is at least 3 × sub-steps.
struct Segment {
    int s0, s1, w0, w1;
    bool lo_edge, hi_edge;  // the segment ends at the grid's edge
    bool book_lo, book_hi;  // ... and the window owns the edge cell (books its boundary flux)
};
inline Segment segment(int n, int lo, int hi, int reach) {
    const int s0 = std::max(0, lo - reach), s1 = std::min(n, hi + reach);
    return {s0, s1, lo - s0, hi - s0, s0 == 0, s1 == n, lo == 0, hi == n};
}

// Scratch arrays per line (× lanes) of a sweep: m, q, the scheme's work arrays, flux, a1, a2,
// tracer flux, dflux, inv_m_new.
constexpr int kSweepArrays = 8 + kSchemeWorkArrays;

// ---- x: one contiguous line at a time ----------------------------------------------------------
// Scratch: kSweepArrays arrays of len = n + 2 kGhost, line_stride(len, 1) apart.
template <class Scheme>
void sweep_contiguous(const SweepViews& v, double* scratch) {
    const int nlines = line_count(Axis::x, v.nx, v.ny, v.nz);
    const std::ptrdiff_t field = static_cast<std::ptrdiff_t>(v.nx) * v.ny * v.nz;
    const int j0 = v.window.j0, rows = v.window.j_end(v.ny) - j0;
    const Segment seg = segment(v.nx, v.window.i0, v.window.i_end(v.nx), v.reach);
    const int n = seg.s1 - seg.s0, G = kGhost;
    const std::ptrdiff_t len = line_stride(n + 2 * kGhost, 1);  // (array to array)
    const bool periodic_ok = seg.lo_edge && seg.hi_edge;  // a periodic line is never cut
    double* m = scratch;
    // (the tracer's arrays hold `real` values in double-sized slots)
    real* q = reinterpret_cast<real*>(m + len);
    real* work = reinterpret_cast<real*>(m + 2 * len);  // the scheme's
    double* flux = m + (2 + kSchemeWorkArrays) * len;
    double* a1 = flux + len;
    double* a2 = flux + 2 * len;
    double* gflux = flux + 3 * len;
    double* dflux = gflux + len;
    double* inv_m_new = dflux + len;
    const bool open = v.edge == Edge::open || !periodic_ok;
    const bool in_lo_ok = v.edge == Edge::open && seg.lo_edge, in_hi_ok = v.edge == Edge::open && seg.hi_edge;

#pragma omp for schedule(static)
    for (int r = 0; r < v.nz * rows; ++r) {
        const int line = (r / rows) * v.ny + j0 + r % rows;
        const LineLayout L = layout(Axis::x, v.nx, v.ny, v.nz, line);
        const double* m_cells = v.air_mass_kg + L.cell_base + seg.s0;
        // The line's fluxes and air mass into the scratch; its sub-steps counted in the same pass
        // (count_substeps) unless given. The fluxes are then divided among the sub-steps.
        const double* f_line = v.face_flux_kg + L.face_base + seg.s0;
        int nsub = 1;
        if (v.substeps != nullptr) {
            nsub = v.substeps[line];
            for (int f = 0; f <= n; ++f) flux[f] = f_line[f];
            for (int i = 0; i < n; ++i) m[G + i] = m_cells[i];
        } else {
            double lw = 0.0;
#pragma omp simd reduction(max : lw)
            for (int i = 0; i < n; ++i) {
                flux[i] = f_line[i];
                m[G + i] = m_cells[i];
                lw = std::max(lw, outflow_fraction(f_line[i], f_line[i + 1], m_cells[i]));
            }
            flux[n] = f_line[n];
            nsub = substeps_for(lw, v.cfl_max);
            if (v.substeps_counted != nullptr) v.substeps_counted[line] = nsub;
        }
        if (nsub > 1) {
            const double inv_nsub = 1.0 / nsub;
            for (int f = 0; f <= n; ++f) flux[f] *= inv_nsub;
        }

        // The next line's air mass, fluxes and first species: asked for now, they arrive while this
        // line is computed (without this, the copies above waited for memory on every line).
        const bool has_next = r + 1 < v.nz * rows;
        const LineLayout N = has_next ? layout(Axis::x, v.nx, v.ny, v.nz, ((r + 1) / rows) * v.ny + j0 + (r + 1) % rows) : L;
        if (has_next) {
            const double* m_next = v.air_mass_kg + N.cell_base + seg.s0;
            const double* f_next = v.face_flux_kg + N.face_base + seg.s0;
            for (int i = 0; i <= n; i += 64 / static_cast<int>(sizeof(double))) {
                __builtin_prefetch(f_next + i);
                __builtin_prefetch(m_next + i);
            }
        }

        for (int sub = 0; sub < nsub; ++sub) {
            // Shared by all species: ghost air mass, Courant numbers, m' = m + F_{i-1/2} − F_{i+1/2}.
            for (int g = 1; g <= G; ++g) {
                m[G - g] = open ? m[G] : m[G + periodic_lo(g, n)];
                m[G + n - 1 + g] = open ? m[G + n - 1] : m[G + periodic_hi(g, n)];
            }
            // c = |F| / m_upwind (one division per face).
#pragma omp simd
            for (int f = 0; f <= n; ++f) {
                const FaceWeights w = face_weights(flux[f], courant(flux[f], m[G + f - 1], m[G + f]));
                a1[f] = w.a1;
                a2[f] = w.a2;
            }
            for (int i = 0; i < n; ++i) {
                dflux[i] = flux[i] - flux[i + 1];
                inv_m_new[i] = 1.0 / (m[G + i] + dflux[i]);
            }
            for (int s = 0; s < v.nspec; ++s) {
                real* qs = v.q + s * field + L.cell_base + seg.s0;
                // The next species' line (a field further on): asked for now, it arrives while
                // this one is computed (the hardware prefetchers start only after a few misses).
                if (s + 1 < v.nspec)
                    for (int i = 0; i < n; i += 64 / static_cast<int>(sizeof(real))) __builtin_prefetch(qs + field + i, 1);
                else if (has_next && sub + 1 == nsub)
                    for (int i = 0; i < n; i += 64 / static_cast<int>(sizeof(real)))
                        __builtin_prefetch(v.q + N.cell_base + seg.s0 + i, 1);
                for (int i = 0; i < n; ++i) q[G + i] = qs[i];
                const real in_lo = in_lo_ok ? v.inflow_lo[s * nlines + line] : real(0);
                const real in_hi = in_hi_ok ? v.inflow_hi[s * nlines + line] : real(0);
                for (int g = 1; g <= G; ++g) {
                    q[G - g] = open ? (in_lo_ok && flux[0] > 0.0 ? in_lo : q[G]) : q[G + periodic_lo(g, n)];
                    q[G + n - 1 + g] = open ? (in_hi_ok && flux[n] < 0.0 ? in_hi : q[G + n - 1]) : q[G + periodic_hi(g, n)];
                }
                // G_f = F_f · q̄_f from the scheme (inflow faces are overwritten below).
                Scheme::template tracer_fluxes<1>(n, q, flux, a1, a2, work, gflux);
                if (open) {
                    if (in_lo_ok && flux[0] > 0.0) gflux[0] = flux[0] * in_lo;
                    if (in_hi_ok && flux[n] < 0.0) gflux[n] = flux[n] * in_hi;
                    if (v.edge == Edge::open)
                        book_boundary(v, nlines, s, line, 1, gflux, gflux + n, seg.book_lo, seg.book_hi, sub == 0);
                }
                // q' = q + [(G_{i-1/2} − G_{i+1/2}) − q (F_{i-1/2} − F_{i+1/2})] / m'
                for (int i = seg.w0; i < seg.w1; ++i) {
                    const double qi = q[G + i];
                    qs[i] = static_cast<real>(qi + ((gflux[i] - gflux[i + 1]) - qi * dflux[i]) * inv_m_new[i]);
                }
            }
            for (int i = 0; i < n; ++i) m[G + i] += dflux[i];
        }
        if (v.air_mass_out_kg != nullptr) {
            double* out = v.air_mass_out_kg + L.cell_base + seg.s0;
            if (v.end_air_mass_kg != nullptr) {
                const double* end = v.end_air_mass_kg + L.cell_base + seg.s0;
                for (int i = seg.w0; i < seg.w1; ++i) out[i] = end[i];
            } else {
                for (int i = seg.w0; i < seg.w1; ++i) out[i] = m[G + i];
            }
        }
    }
}

// ---- y, z: blocks of kBlock strided lines, vectorised across the block ---------------------------
// Arrays are [cell][b] with the ghosted cell index; scratch: kSweepArrays arrays of (n+2G)·B as in
// the contiguous sweep.
template <class Scheme>
void sweep_strided(Axis axis, const SweepViews& v, double* scratch) {
    constexpr int B = kBlock;
    const int nx = v.nx, ny = v.ny, nz = v.nz;
    const int nlines = line_count(axis, nx, ny, nz);
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(nx) * ny;
    const std::ptrdiff_t field = plane * nz;
    // y: segment [s0, s1) of rows j around the window; z: the whole column.
    const Segment seg = axis == Axis::y ? segment(ny, v.window.j0, v.window.j_end(ny), v.reach) : segment(nz, 0, nz, 0);
    const int n = seg.s1 - seg.s0;
    const int row0 = axis == Axis::y ? 0 : v.window.j0;  // the index that is neither the sweep nor i
    const int rows = axis == Axis::y ? nz : v.window.j_end(ny) - row0;
    const int i_lo = v.window.i0, i_hi = v.window.i_end(nx);
    const int G = kGhost;
    const std::ptrdiff_t cell_stride = axis == Axis::y ? nx : plane;
    const std::ptrdiff_t face_stride = cell_stride;
    const std::ptrdiff_t a = line_stride(n + 2 * kGhost, B);
    double* m = scratch;
    // (the tracer's arrays hold `real` values in double-sized slots)
    real* q = reinterpret_cast<real*>(m + a);
    real* work = reinterpret_cast<real*>(m + 2 * a);  // the scheme's
    double* flux = m + (2 + kSchemeWorkArrays) * a;
    double* a1 = flux + a;
    double* a2 = flux + 2 * a;
    double* gflux = flux + 3 * a;
    double* dflux = gflux + a;
    double* inv_m_new = dflux + a;
    const bool periodic_ok = seg.lo_edge && seg.hi_edge;
    const bool open = v.edge == Edge::open || !periodic_ok;
    const bool in_lo_ok = v.edge == Edge::open && seg.lo_edge, in_hi_ok = v.edge == Edge::open && seg.hi_edge;
    const int blocks_per_row = (i_hi - i_lo + B - 1) / B;

    // Where block blk starts: its first line's first cell and face (within one species field).
    auto block_start = [&](int blk, std::ptrdiff_t& cell_base, std::ptrdiff_t& face_base) {
        const int row = row0 + blk / blocks_per_row;
        const int i0 = i_lo + (blk % blocks_per_row) * B;
        cell_base = (axis == Axis::y ? row * plane + i0 : static_cast<std::ptrdiff_t>(row) * nx + i0) + seg.s0 * cell_stride;
        face_base = (axis == Axis::y ? static_cast<std::ptrdiff_t>(row) * (ny + 1) * nx + i0 : static_cast<std::ptrdiff_t>(row) * nx + i0) +
                    seg.s0 * face_stride;
    };
    const int nblocks = rows * blocks_per_row;

#pragma omp for schedule(static)
    for (int blk = 0; blk < nblocks; ++blk) {
        const int row = row0 + blk / blocks_per_row;
        const int i0 = i_lo + (blk % blocks_per_row) * B;
        const int w = std::min(B, i_hi - i0);  // lines in this block
        const int line0 = row * nx + i0;     // y: k*nx + i; z: j*nx + i
        std::ptrdiff_t cell_base = 0, face_base = 0;
        block_start(blk, cell_base, face_base);
        // The next block's air mass, fluxes and first species, one short run per cell far apart:
        // asked for now, they arrive while this block is computed.
        if (blk + 1 < nblocks) {
            std::ptrdiff_t next_cell = 0, next_face = 0;
            block_start(blk + 1, next_cell, next_face);
            for (int c = 0; c < n; ++c) {
                const double* mm = v.air_mass_kg + next_cell + c * cell_stride;
                const double* ff = v.face_flux_kg + next_face + c * face_stride;
                __builtin_prefetch(mm, 1);
                __builtin_prefetch(mm + B - 1, 1);
                __builtin_prefetch(ff);
                __builtin_prefetch(ff + B - 1);
                __builtin_prefetch(v.q + next_cell + c * cell_stride, 1);
                __builtin_prefetch(v.q + next_cell + c * cell_stride + B - 1, 1);
            }
        }
        // The block's fluxes and air mass into the scratch, each line's sub-steps counted in the same
        // pass (count_substeps) unless given; lanes beyond w (a partial block at the row's end) carry
        // no flux and unit air mass. Each line keeps its own sub-steps (so its result never depends on
        // its block neighbours): a lane whose sub-steps are done carries no flux in the remaining ones.
        int nsub = 1;
        int lane_sub[B];
        double lane_worst[B] = {};
        const bool count = v.substeps == nullptr;
        for (int c = 0; c <= n; ++c) {
            const double* f_lo = v.face_flux_kg + face_base + c * face_stride;
            if (w == B) {
#pragma omp simd
                for (int b = 0; b < B; ++b) flux[c * B + b] = f_lo[b];
            } else {
                for (int b = 0; b < B; ++b) flux[c * B + b] = b < w ? f_lo[b] : 0.0;
            }
            if (c == n) break;
            const double* mm = v.air_mass_kg + cell_base + c * cell_stride;
            if (w == B) {
#pragma omp simd
                for (int b = 0; b < B; ++b) m[(G + c) * B + b] = mm[b];
            } else {
                for (int b = 0; b < B; ++b) m[(G + c) * B + b] = b < w ? mm[b] : 1.0;
            }
            if (count) {
                const double* f_hi = f_lo + face_stride;
#pragma omp simd
                for (int b = 0; b < w; ++b) lane_worst[b] = std::max(lane_worst[b], outflow_fraction(f_lo[b], f_hi[b], mm[b]));
            }
        }
        for (int b = 0; b < B; ++b) {
            lane_sub[b] = b < w ? (count ? substeps_for(lane_worst[b], v.cfl_max) : v.substeps[line0 + b]) : 1;
            nsub = std::max(nsub, lane_sub[b]);
        }
        if (count && v.substeps_counted != nullptr)
            for (int b = 0; b < w; ++b) v.substeps_counted[line0 + b] = lane_sub[b];
        if (nsub > 1)  // each lane's fluxes divided among its own sub-steps
            for (int f = 0; f <= n; ++f)
                for (int b = 0; b < B; ++b) flux[f * B + b] /= lane_sub[b];

        for (int sub = 0; sub < nsub; ++sub) {
            for (int b = 0; b < B; ++b)
                if (sub == lane_sub[b])
                    for (int f = 0; f <= n; ++f) flux[f * B + b] = 0.0;
            for (int g = 1; g <= G; ++g)
                for (int b = 0; b < B; ++b) {
                    m[(G - g) * B + b] = open ? m[G * B + b] : m[(G + periodic_lo(g, n)) * B + b];
                    m[(G + n - 1 + g) * B + b] = open ? m[(G + n - 1) * B + b] : m[(G + periodic_hi(g, n)) * B + b];
                }
            for (int f = 0; f <= n; ++f) {
                const double* Ff = flux + f * B;
                const double* m_lo = m + (G + f - 1) * B;
                const double* m_hi = m + (G + f) * B;
                double* a1f = a1 + f * B;
                double* a2f = a2 + f * B;
#pragma omp simd
                for (int b = 0; b < B; ++b) {
                    const FaceWeights w = face_weights(Ff[b], courant(Ff[b], m_lo[b], m_hi[b]));
                    a1f[b] = w.a1;
                    a2f[b] = w.a2;
                }
            }
            for (int c = 0; c < n; ++c)
                for (int b = 0; b < B; ++b) {
                    dflux[c * B + b] = flux[c * B + b] - flux[(c + 1) * B + b];
                    inv_m_new[c * B + b] = 1.0 / (m[(G + c) * B + b] + dflux[c * B + b]);
                }
            for (int s = 0; s < v.nspec; ++s) {
                real* qs = v.q + s * field + cell_base;
                // The next species' cells of this block: one short run per cell, far apart (a row
                // or a layer), which the hardware prefetchers do not foresee; asked for now, they
                // arrive while this species is computed.
                if (s + 1 < v.nspec)
                    for (int c = 0; c < n; ++c) {
                        const real* next = qs + field + c * cell_stride;
                        __builtin_prefetch(next, 1);
                        __builtin_prefetch(next + w - 1, 1);
                    }
                if (w == B) {  // full block: plain contiguous loads
                    for (int c = 0; c < n; ++c)
                        for (int b = 0; b < B; ++b) q[(G + c) * B + b] = qs[c * cell_stride + b];
                } else {
                    for (int c = 0; c < n; ++c)
                        for (int b = 0; b < B; ++b) q[(G + c) * B + b] = b < w ? qs[c * cell_stride + b] : real(0);
                }
                const real* in_lo = v.inflow_lo + static_cast<std::ptrdiff_t>(s) * nlines + line0;
                const real* in_hi = v.inflow_hi + static_cast<std::ptrdiff_t>(s) * nlines + line0;
                if (open) {
                    // Each end's ghosts repeat one value per lane: the inflow where air enters through
                    // an open edge, else the end cell (lanes beyond w: the end cell, which is 0).
                    real lo_ghost[B], hi_ghost[B];
#pragma omp simd
                    for (int b = 0; b < B; ++b) {
                        lo_ghost[b] = q[G * B + b];
                        hi_ghost[b] = q[(G + n - 1) * B + b];
                    }
                    if (in_lo_ok)
                        for (int b = 0; b < w; ++b)
                            if (flux[b] > 0.0) lo_ghost[b] = in_lo[b];
                    if (in_hi_ok)
                        for (int b = 0; b < w; ++b)
                            if (flux[n * B + b] < 0.0) hi_ghost[b] = in_hi[b];
                    for (int g = 1; g <= G; ++g)
#pragma omp simd
                        for (int b = 0; b < B; ++b) {
                            q[(G - g) * B + b] = lo_ghost[b];
                            q[(G + n - 1 + g) * B + b] = hi_ghost[b];
                        }
                } else {
                    for (int g = 1; g <= G; ++g)
#pragma omp simd
                        for (int b = 0; b < B; ++b) {
                            q[(G - g) * B + b] = q[(G + periodic_lo(g, n)) * B + b];
                            q[(G + n - 1 + g) * B + b] = q[(G + periodic_hi(g, n)) * B + b];
                        }
                }
                Scheme::template tracer_fluxes<B>(n, q, flux, a1, a2, work, gflux);
                if (open) {
                    if (in_lo_ok)
#pragma omp simd
                        for (int b = 0; b < w; ++b) gflux[b] = flux[b] > 0.0 ? flux[b] * in_lo[b] : gflux[b];
                    if (in_hi_ok)
#pragma omp simd
                        for (int b = 0; b < w; ++b)
                            gflux[n * B + b] = flux[n * B + b] < 0.0 ? flux[n * B + b] * in_hi[b] : gflux[n * B + b];
                    if (v.edge == Edge::open)
                        book_boundary(v, nlines, s, line0, w, gflux, gflux + n * B, seg.book_lo, seg.book_hi, sub == 0);
                }
                for (int c = seg.w0; c < seg.w1; ++c) {
                    real* out = qs + c * cell_stride;
#pragma omp simd
                    for (int b = 0; b < w; ++b) {
                        const double qi = q[(G + c) * B + b];
                        out[b] = static_cast<real>(
                            qi + ((gflux[c * B + b] - gflux[(c + 1) * B + b]) - qi * dflux[c * B + b]) * inv_m_new[c * B + b]);
                    }
                }
            }
            for (int c = 0; c < n; ++c)
                for (int b = 0; b < B; ++b) m[(G + c) * B + b] += dflux[c * B + b];
        }
        if (v.air_mass_out_kg != nullptr)
            for (int c = seg.w0; c < seg.w1; ++c) {
                double* out = v.air_mass_out_kg + cell_base + c * cell_stride;
                if (v.end_air_mass_kg != nullptr) {
                    const double* end = v.end_air_mass_kg + cell_base + c * cell_stride;
                    for (int b = 0; b < w; ++b) out[b] = end[b];
                } else {
                    for (int b = 0; b < w; ++b) out[b] = m[(G + c) * B + b];
                }
            }
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

std::size_t sweep_scratch_doubles(Axis axis, int nx, int ny, int nz, int /*nspec*/) {
    const int len = line_length(axis, nx, ny, nz) + 2 * kGhost;
    // kSweepArrays arrays of a line (x) or of a block of lines (y, z), each starting a cache line
    return whole_lines(kSweepArrays * static_cast<std::size_t>(line_stride(len, axis == Axis::x ? 1 : kBlock)));
}


double count_substeps(Axis axis, int nx, int ny, int nz, const double* air_mass_kg, const double* face_flux_kg,
                      double cfl_max, int* substeps_out, double* line_worst, const Window& window) {
    const int i0 = window.i0, i1 = window.i_end(nx), j0 = window.j0, j1 = window.j_end(ny);
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(nx) * ny;
    double worst = 0.0;
    if (axis == Axis::x) {
        // Lines are contiguous: one line at a time.
#pragma omp parallel for schedule(static) reduction(max : worst)
        for (int r = 0; r < nz * (j1 - j0); ++r) {
            const int line = (r / (j1 - j0)) * ny + j0 + r % (j1 - j0);
            const double* f = face_flux_kg + static_cast<std::ptrdiff_t>(line) * (nx + 1);
            const double* m = air_mass_kg + static_cast<std::ptrdiff_t>(line) * nx;
            double lw = 0.0;
#pragma omp simd reduction(max : lw)
            for (int i = i0; i < i1; ++i) lw = std::max(lw, outflow_fraction(f[i], f[i + 1], m[i]));
            line_worst[line] = lw;
            substeps_out[line] = substeps_for(lw, cfl_max);
            worst = std::max(worst, lw);
        }
        return worst;
    }
    // y and z: lines are strided; the cells are visited plane by plane (rows of consecutive i, each
    // a contiguous run) and each line's largest fraction is kept in line_worst (a max: exact in any order).
    const int outer = axis == Axis::y ? nz : j1 - j0;
#pragma omp parallel for schedule(static) reduction(max : worst)
    for (int o = 0; o < outer; ++o) {
        // y: lines k*nx + i over rows j; z: lines j*nx + i over layers k.
        const int k_or_j = axis == Axis::y ? o : j0 + o;
        double* lw = line_worst + static_cast<std::ptrdiff_t>(k_or_j) * nx;
        for (int i = i0; i < i1; ++i) lw[i] = 0.0;
        const int c0 = axis == Axis::y ? j0 : 0, c1 = axis == Axis::y ? j1 : nz;
        for (int c = c0; c < c1; ++c) {
            const double* f_lo = axis == Axis::y ? face_flux_kg + (static_cast<std::ptrdiff_t>(k_or_j) * (ny + 1) + c) * nx
                                                 : face_flux_kg + c * plane + static_cast<std::ptrdiff_t>(k_or_j) * nx;
            const double* f_hi = f_lo + (axis == Axis::y ? nx : plane);
            const double* m = axis == Axis::y ? air_mass_kg + (static_cast<std::ptrdiff_t>(k_or_j) * ny + c) * nx
                                              : air_mass_kg + c * plane + static_cast<std::ptrdiff_t>(k_or_j) * nx;
#pragma omp simd
            for (int i = i0; i < i1; ++i) lw[i] = std::max(lw[i], outflow_fraction(f_lo[i], f_hi[i], m[i]));
        }
        for (int i = i0; i < i1; ++i) {
            substeps_out[static_cast<std::ptrdiff_t>(k_or_j) * nx + i] = substeps_for(lw[i], cfl_max);
            worst = std::max(worst, lw[i]);
        }
    }
    return worst;
}

void advect_sweep(Axis axis, const SweepViews& v) {
    // The scheme is chosen here, once per call; the sweeps are compiled once per scheme.
    with_scheme(v.reconstruction, [&](auto scheme) {
        using Scheme = typename decltype(scheme)::type;
#pragma omp parallel
        {
            double* scratch = thread_slice(v.scratch, v.scratch_per_thread);
            if (axis == Axis::x) {
                sweep_contiguous<Scheme>(v, scratch);
            } else {
                sweep_strided<Scheme>(axis, v, scratch);
            }
        }
    });
}

// ---- tags --------------------------------------------------------------------------------------
// Blocks of lines as in the bulk sweeps: x one contiguous line at a time (B = 1, vectorised along
// the line), y and z kBlock neighbouring lines (consecutive i) at a time, vectorised across the
// block so that every tag field is read and written in contiguous runs. Arrays are [cell][lane].
// The arithmetic of every line is the same whatever its block and thread, so results do not depend
// on the thread count.
namespace {

// Scratch arrays of a block of B lines of n window cells: mo, mn, inv_mn, qn, positive and the four
// stencil coefficients (n·B each); gface ((n+1)·B); share_q, inv_q, fill and a copy of one tag for a
// partial block ((n+2)·B each, the copy as `real` in double-sized slots); the new value of every tag
// (T·n·B).
constexpr int kTagPrefetch = 1;  // tags asked for ahead of the one computed

constexpr std::size_t tag_block_doubles(std::size_t n, std::size_t ntags, std::size_t lanes) {
    return (9 * n + (n + 1) + 4 * (n + 2) + ntags * n) * lanes;
}

// One bulk tracer (`set`) and its tags on a block of B lines. A tag's flux through a face is the
// bulk's flux G times the tag's share t/q of the upwind cell, so its new value is a three-point
// stencil whose weights depend only on the bulk (computed once per block, shared by all its tags):
//   t_i' = α_i t_{i-1} + β_i t_i + γ_i t_{i+1} + [background] δ_i
// with, for the faces lo = i−1/2 and hi = i+1/2, s = G/q_upwind (kg) and r = 1/m_i',
//   α = [G_lo > 0] s_lo r,   γ = −[G_hi ≤ 0] s_hi r,
//   β = (m_i + [G_lo ≤ 0] s_lo − [G_hi > 0] s_hi) r,   δ = (f_lo − f_hi) r,
// where f = G wherever the upwind cell has no bulk (or lies outside the grid: inflow) and 0
// elsewhere. This is m_i' t_i' = m_i t_i + G^g_lo − G^g_hi (advection_kernels.hpp) regrouped by
// cell, so each tag needs three multiply-adds per cell and no division: the tag fields are read
// once, in place, and never copied.
template <int B>
void tag_block(Axis axis, const TagSweepViews& v, int set, int line0, int w, std::ptrdiff_t base,
               std::ptrdiff_t cell_stride, int n_all, int c0, int c1, double* scratch) {
    // One line (x) is contiguous: a compile-time unit stride lets the compiler vectorise along it.
    const std::ptrdiff_t stride = B == 1 ? 1 : cell_stride;
    const int nlines = line_count(axis, v.nx, v.ny, v.nz);
    const std::ptrdiff_t field = static_cast<std::ptrdiff_t>(v.nx) * v.ny * v.nz;
    const int T = v.ntags, n = c1 - c0, ne = n + 2;
    // Extended cells e = 0..n+1 are cells c0-1 .. c1 of the line; the ends exist only inside the grid
    // (they give the upwind shares of the window's end faces).
    const bool lo_cell = c0 > 0, hi_cell = c1 < n_all;
    const std::ptrdiff_t at0 = base + c0 * stride;  // cell c0 of lane 0
    const std::ptrdiff_t nb = static_cast<std::ptrdiff_t>(n) * B;
    double* mo = scratch;
    double* mn = mo + nb;
    double* inv_mn = mn + nb;
    double* qn = inv_mn + nb;
    double* positive = qn + nb;
    double* ca = positive + nb;
    double* cb = ca + nb;
    double* cc = cb + nb;
    double* cd = cc + nb;
    double* gface = cd + nb;
    double* share_q = gface + (n + 1) * B;
    double* inv_q = share_q + ne * B;
    double* fill = inv_q + ne * B;
    real* tcopy = reinterpret_cast<real*>(fill + ne * B);  // ne·B values (a partial block's tag)
    double* tnew = fill + 2 * ne * B;                      // T·n·B
    const std::ptrdiff_t bstride = static_cast<std::ptrdiff_t>(v.nspec_bulk) * nlines;
    const std::ptrdiff_t tstride = static_cast<std::ptrdiff_t>(v.nsets) * T * nlines;
    // Lanes beyond w (a partial block) carry unit air mass, no bulk and no tags: they stay zero.
    // load_extended: cells c0-1..c1 of field f into dst[0..n+2) × B, the ends 0 outside the grid.
    auto load_extended = [&](const real* f, auto* dst) {
        using D = std::remove_reference_t<decltype(*dst)>;
        for (int c = 0; c < n; ++c)
            for (int b = 0; b < B; ++b) dst[(c + 1) * B + b] = b < w ? static_cast<D>(f[at0 + c * stride + b]) : D(0);
        for (int b = 0; b < B; ++b) {
            dst[b] = lo_cell && b < w ? static_cast<D>(f[at0 - stride + b]) : D(0);
            dst[(n + 1) * B + b] = hi_cell && b < w ? static_cast<D>(f[at0 + n * stride + b]) : D(0);
        }
    };
    const real* qn_f = v.q + v.bulk[set] * field;
    if (w == B) {  // a full block: contiguous runs, vectorised
        for (int c = 0; c < n; ++c) {
            const double* m_old = v.air_mass_old_kg + at0 + c * stride;
            const double* m_new = v.air_mass_new_kg + at0 + c * stride;
            const real* q_new = qn_f + at0 + c * stride;
#pragma omp simd
            for (int b = 0; b < B; ++b) {
                mo[c * B + b] = m_old[b];
                mn[c * B + b] = m_new[b];
                inv_mn[c * B + b] = 1.0 / m_new[b];
                qn[c * B + b] = static_cast<double>(q_new[b]);
            }
        }
    } else {
        for (int c = 0; c < n; ++c)
            for (int b = 0; b < B; ++b) {
                mo[c * B + b] = b < w ? v.air_mass_old_kg[at0 + c * stride + b] : 1.0;
                mn[c * B + b] = b < w ? v.air_mass_new_kg[at0 + c * stride + b] : 1.0;
                inv_mn[c * B + b] = 1.0 / mn[c * B + b];
                qn[c * B + b] = b < w ? static_cast<double>(qn_f[at0 + c * stride + b]) : 0.0;
            }
    }
    const real* qo_f = v.q_old + set * field;
    // Face fluxes of the bulk from its cell budgets, from the lo boundary (or the flux the block
    // below handed over):  G_{i+1/2} = G_{i-1/2} + m_i q_i − m_i' q_i'.
    for (int b = 0; b < B; ++b) {
        const std::ptrdiff_t bat = static_cast<std::ptrdiff_t>(v.bulk[set]) * nlines + line0 + b;
        gface[b] = b >= w ? 0.0
                   : c0 == 0 ? v.boundary_ug[0 * bstride + bat] - v.boundary_ug[1 * bstride + bat]
                             : v.g_in[static_cast<std::ptrdiff_t>(set) * nlines + line0 + b];
    }
    load_extended(qo_f, share_q);
    for (int c = 0; c < n; ++c)
#pragma omp simd
        for (int b = 0; b < B; ++b)
            gface[(c + 1) * B + b] = gface[c * B + b] + mo[c * B + b] * share_q[(c + 1) * B + b] - mn[c * B + b] * qn[c * B + b];
    if (v.g_out != nullptr)
        for (int b = 0; b < w; ++b) v.g_out[static_cast<std::ptrdiff_t>(set) * nlines + line0 + b] = gface[n * B + b];
    // A tag's share of a cell is t/q, or (outside the grid, or without bulk) 1 for the background
    // tag and 0 for the others: share = t · inv_q + [background] · fill.
#pragma omp simd
    for (int i = 0; i < ne * B; ++i) {
        const bool bulk = share_q[i] > 0.0;
        inv_q[i] = bulk ? 1.0 / share_q[i] : 0.0;
        fill[i] = bulk ? 0.0 : 1.0;
    }
    // The stencil weights. (Flat loops over cell/face × lane: index i = c·B + b; i + B is the same
    // lane one cell or face up; cell c is extended cell c + 1, between faces c and c + 1.)
#pragma omp simd
    for (int i = 0; i < n * B; ++i) {
        const double g_lo = gface[i], g_hi = gface[i + B];
        const bool up_lo = g_lo > 0.0, up_hi = g_hi > 0.0;  // the upwind cell is the one below the face
        const double s_lo = g_lo * (up_lo ? inv_q[i] : inv_q[i + B]);
        const double s_hi = g_hi * (up_hi ? inv_q[i + B] : inv_q[i + 2 * B]);
        const double f_lo = g_lo * (up_lo ? fill[i] : fill[i + B]);
        const double f_hi = g_hi * (up_hi ? fill[i + B] : fill[i + 2 * B]);
        const double r = inv_mn[i];
        ca[i] = up_lo ? s_lo * r : 0.0;
        cb[i] = (mo[i] + (up_lo ? 0.0 : s_lo) - (up_hi ? s_hi : 0.0)) * r;
        cc[i] = up_hi ? 0.0 : -s_hi * r;
        cd[i] = (f_lo - f_hi) * r;
        positive[i] = 0.0;
    }
    // The end faces' shares, for the boundary books: G^g = t_up · s + [background] · f.
    double s_end[2][B], f_end[2][B];
    bool up_end[2][B];
    for (int b = 0; b < B; ++b)
        for (int side = 0; side < 2; ++side) {
            const int f = side == 0 ? 0 : n;  // face index; its cells are extended f and f + 1
            const double g = gface[f * B + b];
            up_end[side][b] = g > 0.0;
            s_end[side][b] = g * (g > 0.0 ? inv_q[f * B + b] : inv_q[(f + 1) * B + b]);
            f_end[side][b] = g * (g > 0.0 ? fill[f * B + b] : fill[(f + 1) * B + b]);
        }
    const bool book_lo = c0 == 0, book_hi = c1 == n_all;
    static constexpr real kZeros[B] = {};
    // A tag's cells (read, then written) are asked for ahead of their turn: on strided axes its runs
    // of B cells are far apart, beyond what the hardware prefetcher follows, and a contiguous line (x)
    // is too short for it to ramp up. A line is asked for whole, kTagPrefetch tags ahead; strided rows
    // one tag ahead and row by row, while the current tag's rows are computed (hundreds of requests
    // at once would overflow the core's miss buffers); only the first tag's come in one burst.
    auto prefetch_tag = [&](int g) {
        const real* t = v.q + v.tag[set * T + g] * field + at0;
        if (B == 1) {
            for (int c = -1; c <= n; c += 64 / static_cast<int>(sizeof(real))) __builtin_prefetch(t + c, 1);
            __builtin_prefetch(t + n, 1);
        } else {
            for (int c = -1; c <= n; ++c) {
                __builtin_prefetch(t + c * stride, 1);
                __builtin_prefetch(t + c * stride + B - 1, 1);
            }
        }
    };
    for (int g = 0; g < std::min(kTagPrefetch, T); ++g) prefetch_tag(g);

    for (int g = 0; g < T; ++g) {
        const real* tg = v.q + v.tag[set * T + g] * field;
        double* tn = tnew + static_cast<std::ptrdiff_t>(g) * nb;
        const double bg = g == v.background ? 1.0 : 0.0;
        const real* next_tag = g + 1 < T ? v.q + v.tag[set * T + g + 1] * field + at0 : nullptr;
        if (B == 1 && g + kTagPrefetch < T) prefetch_tag(g + kTagPrefetch);
        // The tag's cells c0..c1-1 (src, row stride ss) and the extended ends (lo, hi): in place for a
        // full block, from a zero-padded copy for a partial one.
        const real* src = tg + at0;
        std::ptrdiff_t ss = stride;
        const real* lo = lo_cell ? src - stride : kZeros;
        const real* hi = hi_cell ? src + n * stride : kZeros;
        if (w < B) {
            load_extended(tg, tcopy);
            src = tcopy + B;
            ss = B;
            lo = tcopy;
            hi = tcopy + (n + 1) * B;
        }
        // t' = α t_{i-1} + β t_i + γ t_{i+1} + [background] δ; negative values (a cell emptied within
        // sub-steps) are set to 0.
        auto cell = [&](std::ptrdiff_t i, double tm, double t0, double tp) {
            const double t = ca[i] * tm + cb[i] * t0 + cc[i] * tp + bg * cd[i];
            const double kept = t > 0.0 ? t : 0.0;
            tn[i] = kept;
            positive[i] += kept;
        };
        if constexpr (B == 1) {
            // One contiguous line: the ends from the extended cells, the interior vectorised along it.
            if (n == 1) {
                cell(0, lo[0], src[0], hi[0]);
            } else {
                cell(0, lo[0], src[0], src[1]);
#pragma omp simd
                for (int c = 1; c < n - 1; ++c) cell(c, src[c - 1], src[c], src[c + 1]);
                cell(n - 1, src[n - 2], src[n - 1], hi[0]);
            }
        } else {
            for (int c = 0; c < n; ++c) {
                const real* tm = c == 0 ? lo : src + (c - 1) * ss;
                const real* t0 = src + c * ss;
                const real* tp = c == n - 1 ? hi : src + (c + 1) * ss;
                if (next_tag != nullptr) {
                    __builtin_prefetch(next_tag + (c + 1) * stride, 1);
                    __builtin_prefetch(next_tag + (c + 1) * stride + B - 1, 1);
                }
#pragma omp simd
                for (int b = 0; b < B; ++b) cell(c * B + b, tm[b], t0[b], tp[b]);
            }
        }
        // The tag's boundary fluxes, in the bulk's layout (lo in/out, hi in/out): written for every
        // line swept, 0 where the window does not own the grid's edge, so the books need no clearing.
        {
            double* book = v.tag_boundary_ug + (static_cast<std::ptrdiff_t>(set) * T + g) * nlines + line0;
#pragma omp simd
            for (int b = 0; b < w; ++b) {
                const double t_lo = up_end[0][b] ? static_cast<double>(lo[b]) : static_cast<double>(src[b]);
                const double t_hi = up_end[1][b] ? static_cast<double>(src[(n - 1) * ss + b]) : static_cast<double>(hi[b]);
                const double flux_lo = book_lo ? t_lo * s_end[0][b] + bg * f_end[0][b] : 0.0;
                const double flux_hi = book_hi ? t_hi * s_end[1][b] + bg * f_end[1][b] : 0.0;
                book[0 * tstride + b] = std::max(flux_lo, 0.0);
                book[1 * tstride + b] = std::max(-flux_lo, 0.0);
                book[2 * tstride + b] = std::max(-flux_hi, 0.0);
                book[3 * tstride + b] = std::max(flux_hi, 0.0);
            }
        }
    }
    // The cell's tags rescaled to sum to the bulk q': t' = t · q'/Σt. A cell without a positive
    // tag (Σt = 0, so every t = 0) gives all of q' to the background tag: t' = 0 · 0 + q'.
    double* scale = ca;                // reuse
    double* to_background = positive;  // reuse
#pragma omp simd
    for (int i = 0; i < n * B; ++i) {
        const bool some = positive[i] > 0.0;
        scale[i] = some ? qn[i] / positive[i] : 0.0;
        to_background[i] = some ? 0.0 : qn[i];
    }
    for (int g = 0; g < T; ++g) {
        real* tg = v.q + v.tag[set * T + g] * field;
        const double* t_new = tnew + static_cast<std::ptrdiff_t>(g) * nb;
        const double bg = g == v.background ? 1.0 : 0.0;
        if (w == B) {
            const real* next_out = B > 1 && g + 1 < T ? v.q + v.tag[set * T + g + 1] * field + at0 : nullptr;
            for (int c = 0; c < n; ++c) {
                real* out = tg + at0 + c * stride;
                if (next_out != nullptr) {  // (back into L1: the first pass brought them to L2)
                    __builtin_prefetch(next_out + c * stride, 1);
                    __builtin_prefetch(next_out + c * stride + B - 1, 1);
                }
#pragma omp simd
                for (int b = 0; b < B; ++b)
                    out[b] = static_cast<real>(t_new[c * B + b] * scale[c * B + b] + bg * to_background[c * B + b]);
            }
        } else {
            for (int c = 0; c < n; ++c)
                for (int b = 0; b < w; ++b)
                    tg[at0 + c * stride + b] = static_cast<real>(t_new[c * B + b] * scale[c * B + b] + bg * to_background[c * B + b]);
        }
    }
}

}  // namespace

std::size_t tag_scratch_doubles(Axis axis, int nx, int ny, int nz, int ntags) {
    const std::size_t n = static_cast<std::size_t>(line_length(axis, nx, ny, nz));
    return whole_lines(tag_block_doubles(n, static_cast<std::size_t>(ntags), axis == Axis::x ? 1 : kBlock));
}

void tag_sweep(Axis axis, const TagSweepViews& v) {
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(v.nx) * v.ny;
    // Lines through the window, and the cells [c0, c1) of each line inside it.
    const int i0 = v.window.i0, i1 = v.window.i_end(v.nx), j0 = v.window.j0, j1 = v.window.j_end(v.ny);
    const int c0 = axis == Axis::x ? i0 : axis == Axis::y ? j0 : 0;
    const int c1 = axis == Axis::x ? i1 : axis == Axis::y ? j1 : v.nz;
    const int n_all = line_length(axis, v.nx, v.ny, v.nz);
    // One bulk tracer (set) at a time over all lines, so that the cache lines a block shares with
    // its neighbour (a block's rows are rarely cache-line aligned) are still cached when the
    // neighbour comes.
#pragma omp parallel
    {
        double* scratch = thread_slice(v.scratch, v.scratch_per_thread);
        if (axis == Axis::x) {
            const int rows = j1 - j0, lines = v.nz * rows;
#pragma omp for schedule(static)
            for (int r = 0; r < v.nsets * lines; ++r) {
                const int set = r / lines, l = r % lines;
                const int line = (l / rows) * v.ny + j0 + l % rows;  // k*ny + j
                tag_block<1>(axis, v, set, line, 1, static_cast<std::ptrdiff_t>(line) * v.nx, 1, n_all, c0, c1, scratch);
            }
        } else {
            // y: rows k, lines k*nx + i, cells j (stride nx); z: rows j, lines j*nx + i, cells k (stride plane).
            constexpr int B = kBlock;
            const int row0 = axis == Axis::y ? 0 : j0, rows = axis == Axis::y ? v.nz : j1 - j0;
            const int per_row = (i1 - i0 + B - 1) / B, blocks = rows * per_row;
            const std::ptrdiff_t stride = axis == Axis::y ? v.nx : plane;
#pragma omp for schedule(static)
            for (int r = 0; r < v.nsets * blocks; ++r) {
                const int set = r / blocks, blk = r % blocks;
                const int row = row0 + blk / per_row;
                const int i = i0 + (blk % per_row) * B;
                const int w = std::min(B, i1 - i);
                const int line0 = row * v.nx + i;
                const std::ptrdiff_t base = axis == Axis::y ? row * plane + i : static_cast<std::ptrdiff_t>(row) * v.nx + i;
                tag_block<B>(axis, v, set, line0, w, base, stride, n_all, c0, c1, scratch);
            }
        }
    }
}

}  // namespace lantian::kernels
