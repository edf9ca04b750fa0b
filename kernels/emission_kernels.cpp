// Emission-rate table construction; see the header.
#include "emission_kernels.hpp"

#include "thread_scratch.hpp"

namespace lantian::kernels {

namespace {

// rate[s*layers + k] (µg s-1) of one column: static entries first, then its stacks in order.
//   rate = Σ_static amount · scale[slot] + Σ_stacks Σ_layers Σ_species annual · fraction · scale[slot]
//          + Σ_surface targets surface_rate · scale[slot]   (layer 0; added last)
inline void column_rates(const EmissionBuildViews& v, int c, double* rate) {
    const int n = v.nspec * v.layers;
    for (int x = 0; x < n; ++x) rate[x] = 0.0;
    for (int e = v.static_start[c]; e < v.static_start[c + 1]; ++e) {
        const StaticRate& r = v.static_rates[e];
        rate[r.species * v.layers + r.k] += r.amount * v.scale[r.sector];
    }
    for (int st = v.stack_start[c]; st < v.stack_start[c + 1]; ++st) {
        for (int l = v.layer_start[st]; l < v.layer_start[st + 1]; ++l) {
            const LayerShare ls = v.layer_shares[l];
            for (int a = v.share_start[st]; a < v.share_start[st + 1]; ++a) {
                const SpeciesAmount sa = v.species_amounts[a];
                rate[sa.species * v.layers + ls.k] += sa.annual_ug * ls.fraction * v.scale[sa.slot];
            }
        }
    }
    const double* surface = v.surface_rates + static_cast<std::size_t>(c) * v.surface_rates_per_column;
    for (int t = 0; t < v.nsurface; ++t) {
        const SurfaceTarget st = v.surface_targets[t];
        rate[st.species * v.layers] += surface[st.source] * v.scale[st.slot];
    }
}

}  // namespace

void emission_counts(const EmissionBuildViews& v, int* counts) {
#pragma omp parallel
    {
        double* rate = thread_slice(v.scratch, v.scratch_per_thread);
#pragma omp for schedule(static)
        for (int c = 0; c < v.ncolumns; ++c) {
            column_rates(v, c, rate);
            for (int s = 0; s < v.nspec; ++s) {
                int n = 0;
                for (int k = 0; k < v.layers; ++k) n += rate[s * v.layers + k] > 0.0 ? 1 : 0;
                counts[static_cast<std::size_t>(c) * v.nspec + s] = n;
            }
        }
    }
}

void emission_fill(const EmissionBuildViews& v, const int* start, EmissionEntry* entries) {
#pragma omp parallel
    {
        double* rate = thread_slice(v.scratch, v.scratch_per_thread);
#pragma omp for schedule(static)
        for (int c = 0; c < v.ncolumns; ++c) {
            column_rates(v, c, rate);
            for (int s = 0; s < v.nspec; ++s) {
                int at = start[static_cast<std::size_t>(c) * v.nspec + s];
                for (int k = 0; k < v.layers; ++k) {
                    const double r = rate[s * v.layers + k];
                    if (r > 0.0) entries[at++] = {k, s, r};
                }
            }
        }
    }
}

}  // namespace lantian::kernels
