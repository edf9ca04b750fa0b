// The prognostic state: air mass per cell and tracer mixing ratios, species-major
// (species, k, j, i), and the diagnostic fields a process publishes for the output (below).
// Nothing else lives here: weather is in MetState, bookkeeping in the ledger.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "parallel/exact_sum.hpp"
#include "state/field_vector.hpp"
#include "real.hpp"
#include "window.hpp"

namespace lantian {

// The value of a diagnostic cell that has none (e.g. the pH of particles without water): the
// netCDF default float fill, 9.96921e36f (NC_FILL_FLOAT), which the gridded writer declares as
// every field's _FillValue, so that it reaches the file unchanged and readers mask it.
inline constexpr float kDiagnosticFill = 9.96921e36f;

// The diagnostics of the aerosol equilibrium (output.aerosol_diagnostics, docs/output.md):
// liquid water in the ambient particles (µg m-3; 0 where there is none) and the pH of that water,
// pH = −log10(γ_H m_H) (γ_H the activity coefficient of H+, m_H its molality, mol kg-1; 1),
// kDiagnosticFill where the particles hold no water.
inline constexpr const char* kAerosolWater = "aerosol_water";
inline constexpr const char* kAerosolPh = "aerosol_ph";

struct State {
    int nx = 0, ny = 0, nz = 0, nspec = 0;
    FieldVector<double> air_mass_kg;  // nz*ny*nx
    // Revision of air_mass_kg's values in this rank's window: equal non-zero revisions mean equal
    // values; 0 = unknown. The advection sets it to the revision of the weather's air mass it ends
    // each step on (processes/advection.hpp), so that work derived from the air mass is redone only
    // when the air mass changed (docs/architecture.md, "The step ends on the weather's air mass");
    // anything else that writes the air mass resets it to 0.
    std::uint64_t air_mass_rev = 0;
    FieldVector<real> q;              // nspec*nz*ny*nx, mixing ratio (µg kg-1)
    // Diagnostic fields by name, each nz*ny*nx with the cells of species(s) (k*ny*nx + j*nx + i):
    // per-cell values a process publishes for the output, not tracers — not advected, not in the
    // ledger, not checkpointed (recomputed every step; after a restart they hold what add_diagnostic
    // filled until the first step). Only the fields the run asked for exist. Copies of a State carry
    // them; the halo exchange leaves them alone (no process reads a neighbour's); the gather to the
    // writing rank carries them with the tracers (parallel/parallel.hpp). In a run of several
    // scenarios they are the first scenario's (tracer block 0): only its file writes them.
    std::map<std::string, std::vector<real>> diagnostics;

    State() = default;
    State(int nx_, int ny_, int nz_, int nspec_)
        : nx(nx_), ny(ny_), nz(nz_), nspec(nspec_),
          air_mass_kg(static_cast<std::size_t>(nx_) * ny_ * nz_, 0.0),
          q(static_cast<std::size_t>(nspec_) * nx_ * ny_ * nz_, real(0)) {}

    std::size_t field_size() const { return static_cast<std::size_t>(nx) * ny * nz; }
    real* species(int s) { return q.data() + s * field_size(); }
    const real* species(int s) const { return q.data() + s * field_size(); }
    // The diagnostic field `name` (field_size() values), nullptr when the run has not requested it.
    real* diagnostic(const std::string& name);
    const real* diagnostic(const std::string& name) const;
    // Requests the diagnostic field `name`: allocated with every cell = `fill`. Idempotent: a field
    // that exists already is kept as it is (its values and size untouched).
    void add_diagnostic(const std::string& name, real fill);
    // Tracer mass of species s in the domain (µg): Σ m q over cells, summed exactly (so the same
    // for any split of the cells), and the exact sum over a window's columns.
    double tracer_mass_ug(int s) const;
    ExactSum tracer_mass_sum(int s, const kernels::Window& w) const;
};

}  // namespace lantian
