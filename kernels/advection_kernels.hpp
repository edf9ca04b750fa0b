// Hot loops of flux-form, mass-consistent 1-D advection sweeps, for any scheme of advection_schemes.hpp.
// Views and scalars in, views out. No I/O, no allocation, no exceptions: the caller owns all memory
// (including per-thread scratch) and all checks.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "advection_schemes.hpp"
#include "real.hpp"
#include "window.hpp"

namespace lantian::kernels {

enum class Axis { x, y, z };
enum class Edge { open, periodic };

// Fields are row-major (k, j, i) without halos. A "line" is a row of cells along the sweep axis:
//   x: line = k*ny + j (cells i),  y: line = k*nx + i (cells j),  z: line = j*nx + i (cells k).
// Face f of a line lies between cells f-1 and f (f = 0..n); face fluxes are positive towards +axis.
struct SweepViews {
    int nx = 0, ny = 0, nz = 0, nspec = 0;
    const double* air_mass_kg = nullptr;    // nz*ny*nx, air mass per cell at the sweep's start (kg)
    // Where the air mass after the sweep is written (nz*ny*nx, kg; may be air_mass_kg itself);
    // nullptr: not written, when the caller already holds it (steady weather, docs/architecture.md
    // "Steady weather: the sweeps' air masses kept").
    double* air_mass_out_kg = nullptr;
    // The last sweep of a step: the air mass the step must end on (the weather's at t + Δt, nz*ny*nx,
    // kg), written back instead of the swept m' (they differ by round-off only, docs/architecture.md
    // "The step ends on the weather's air mass"); nullptr: m' is written back.
    const double* end_air_mass_kg = nullptr;
    real* q = nullptr;                      // nspec*nz*ny*nx, mixing ratio (µg kg-1), updated
    const double* face_flux_kg = nullptr;   // air mass through each face over the whole step (kg):
                                            //   x: nz*ny*(nx+1), y: nz*(ny+1)*nx, z: (nz+1)*ny*nx
    const int* substeps = nullptr;          // per line, >= 1; nullptr = counted by the sweep itself as
                                            //   count_substeps would (cfl_max; whole lines only: no window)
    double cfl_max = 1.0;                   // with substeps == nullptr
    int* substeps_counted = nullptr;        // with substeps == nullptr: where each swept line's count is
                                            //   written (nullptr: not kept), for a later sweep of the same
                                            //   air mass and fluxes to pass as `substeps`
    const real* inflow_lo = nullptr;        // nspec*nlines: mixing ratio entering through face 0 (open edge)
    const real* inflow_hi = nullptr;        // nspec*nlines: mixing ratio entering through face n (open edge)
    Edge edge = Edge::open;
    Reconstruction reconstruction = Reconstruction::ppm;  // chosen once per advect_sweep call
    // Tracer mass through the two end faces of every line (µg), open edges only:
    // boundary_ug[((side*2 + dir)*nspec + s)*nlines + line], side 0 = lo, 1 = hi; dir 0 = in, 1 = out.
    // Written (not added to) for every line swept, 0 where the line's end is not an edge the window owns.
    double* boundary_ug = nullptr;
    double* scratch = nullptr;              // sweep_scratch_doubles(...) * max_threads(), cache-line aligned
    std::size_t scratch_per_thread = 0;
    // Decomposed runs: only lines through the window are swept, and only the window's cells are
    // written. Each line is swept over the window plus `reach` cells either side along the sweep
    // axis (clipped to the grid; those cells must hold current values), which must be at least
    // 3 × its sub-steps so that the cut ends never reach the window. Boundary fluxes are booked only
    // at the grid's edges. A periodic axis must not be cut.
    Window window;
    int reach = 0;
};

int line_count(Axis axis, int nx, int ny, int nz);
int line_length(Axis axis, int nx, int ny, int nz);
std::size_t sweep_scratch_doubles(Axis axis, int nx, int ny, int nz, int nspec);

// Sub-steps per line so that no cell loses more than `cfl_max` of its air mass in one sub-step:
//   n_sub = ceil( max_i [max(F_{i+1},0) + max(-F_i,0)] / m_i / cfl_max ).
// Returns the largest outflow fraction found (the step's Courant number on this axis). Only lines
// through `window` are counted, over their cells inside it; `line_worst` (per line, written for
// those lines) receives each line's largest fraction, so that parts of a line on other ranks can be
// merged. The strided axes are visited plane by plane (contiguous rows), the lines' maxima
// accumulated in line_worst.
double count_substeps(Axis axis, int nx, int ny, int nz, const double* air_mass_kg, const double* face_flux_kg,
                      double cfl_max, int* substeps_out, double* line_worst, const Window& window = {});
inline int substeps_for(double line_worst, double cfl_max) {
    return std::max(1, static_cast<int>(std::ceil(line_worst / cfl_max)));
}

// One split sweep: air mass and tracer mass move with the same face fluxes (Easter 1993):
//   m_i' = m_i + F_{i-1/2} − F_{i+1/2}
//   q_i' = q_i + [(G_{i-1/2} − G_{i+1/2}) − q_i (F_{i-1/2} − F_{i+1/2})] / m_i',   G = F · q̄_face
// where q̄_face is the mean, over the air that crosses the face, of the upwind cell's profile as the
// scheme `v.reconstruction` reconstructs it (advection_scheme_<name>.hpp). The deviation form keeps a
// uniform q exactly uniform and a minimum exactly a minimum.
void advect_sweep(Axis axis, const SweepViews& v);

// Source-apportionment tags moved as shares of their bulk tracer's fluxes (as CAMx PSAT and EMEP
// local fractions do), so the monotone limiter's non-linearity never separates them from the bulk.
// From the bulk's state before (m, q) and after (m', q') a sweep, the tracer flux through every face
// of a line follows from the lo-side boundary flux G_0 and the cell budgets:
//   G_{i+1/2} = G_{i-1/2} + m_i q_i − m_i' q_i'
// and each tag g takes G times its share t_g/q in the upwind cell (inflow through an open edge goes
// to the `background` tag):  m_i' t_g,i' = m_i t_g,i + G^g_{i-1/2} − G^g_{i+1/2}.
// Negative tags (possible only when a cell is emptied within sub-steps) are set to 0 and the cell's
// tags are rescaled to sum to q' exactly.
struct TagSweepViews {
    int nx = 0, ny = 0, nz = 0;
    int nsets = 0, ntags = 0, background = 0;   // tagged bulk tracers; tags per tracer; inflow tag
    int nspec_bulk = 0;                         // species of the bulk sweep (boundary_ug layout)
    const int* bulk = nullptr;                  // nsets: bulk tracer index of each set
    const int* tag = nullptr;                   // nsets*ntags: tracer index of each tag
    const double* air_mass_old_kg = nullptr;    // before the sweep
    const double* air_mass_new_kg = nullptr;    // after the sweep
    const real* q_old = nullptr;                // nsets fields: the bulk tracers before the sweep
    real* q = nullptr;                          // all tracers (bulk after the sweep; tags updated)
    const double* boundary_ug = nullptr;        // the bulk sweep's boundary fluxes (SweepViews layout)
    double* tag_boundary_ug = nullptr;          // 4*nsets*ntags*nlines: the tags' share, same layout; written (not
                                                //   added to) for every line swept, 0 where the window does not own the edge
    double* scratch = nullptr;                  // tag_scratch_doubles(...) per thread
    std::size_t scratch_per_thread = 0;
    // Decomposed runs: lines through the window, their cells inside it. The scan of G starts at the
    // window's lo face from g_in (nsets*nlines, the flux the block below computed) unless that face
    // is the grid's edge, and the flux at the hi face is left in g_out (optional) for the block above.
    Window window;
    const double* g_in = nullptr;
    double* g_out = nullptr;
};
std::size_t tag_scratch_doubles(Axis axis, int nx, int ny, int nz, int ntags);
void tag_sweep(Axis axis, const TagSweepViews& v);

}  // namespace lantian::kernels
