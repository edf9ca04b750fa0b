// Emission-rate table construction; see the header.
#include "emission_kernels.hpp"

#include <algorithm>

#include "thread_scratch.hpp"

namespace lantian::kernels {

namespace {

// rate[s*layers + k] (µg s-1) of one column: static entries first, then its stacks in order.
//   rate = Σ_static amount · scale[slot] + Σ_stacks Σ_layers Σ_species annual · fraction · scale[slot]
//          + Σ_surface targets surface_rate · scale[slot]   (layer 0; added last)
// `rate` must hold zeros on entry. Returns `top`: 1 + the highest layer the column's entries touch
// (0 for a column without entries); rates of layers ≥ top are untouched, so the caller scans and
// clears only [0, top) of each species (most columns emit at the surface only: 1 layer of `layers`).
inline int column_rates(const EmissionBuildViews& v, int c, double* rate) {
    int top = 0;
    for (int e = v.static_start[c]; e < v.static_start[c + 1]; ++e) {
        const StaticRate& r = v.static_rates[e];
        rate[r.species * v.layers + r.k] += r.amount * v.scale[r.sector];
        top = std::max(top, r.k + 1);
    }
    for (int st = v.stack_start[c]; st < v.stack_start[c + 1]; ++st) {
        for (int l = v.layer_start[st]; l < v.layer_start[st + 1]; ++l) {
            const LayerShare ls = v.layer_shares[l];
            top = std::max(top, ls.k + 1);
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
    return v.nsurface > 0 ? std::max(top, 1) : top;
}

// This thread's rate buffer, zeroed once; column_rates' callers clear what they used.
inline double* zeroed_rates(const EmissionBuildViews& v) {
    double* rate = thread_slice(v.scratch, v.scratch_per_thread);
    for (std::size_t x = 0; x < v.scratch_per_thread; ++x) rate[x] = 0.0;
    return rate;
}

}  // namespace

void emission_counts(const EmissionBuildViews& v, int* counts) {
#pragma omp parallel
    {
        double* rate = zeroed_rates(v);
#pragma omp for schedule(static)
        for (int c = 0; c < v.ncolumns; ++c) {
            const int top = column_rates(v, c, rate);
            for (int s = 0; s < v.nspec; ++s) {
                double* rs = rate + s * v.layers;
                int n = 0;
                for (int k = 0; k < top; ++k) {
                    n += rs[k] > 0.0 ? 1 : 0;
                    rs[k] = 0.0;
                }
                counts[static_cast<std::size_t>(c) * v.nspec + s] = n;
            }
        }
    }
}

void emission_fill(const EmissionBuildViews& v, const int* start, EmissionEntry* entries, double* group_total_ug_s) {
#pragma omp parallel
    {
        double* rate = zeroed_rates(v);
#pragma omp for schedule(static)
        for (int c = 0; c < v.ncolumns; ++c) {
            const int top = column_rates(v, c, rate);
            for (int s = 0; s < v.nspec; ++s) {
                double* rs = rate + s * v.layers;
                const std::size_t group = static_cast<std::size_t>(c) * v.nspec + s;
                int at = start[group];
                double sum = 0.0;
                for (int k = 0; k < top; ++k) {
                    const double r = rs[k];
                    if (r > 0.0) {
                        entries[at++] = {k, s, r};
                        sum += r;
                    }
                    rs[k] = 0.0;
                }
                group_total_ug_s[group] = sum;
            }
        }
    }
}

}  // namespace lantian::kernels
