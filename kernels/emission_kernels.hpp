// Hot loops that turn the gridded inventory into the emission-rate table of a step: per column,
// the sector-scaled static entries (area cells, roads, constant sources) plus every stack's plume
// layers × species, compacted into a CSR table by (column, species). Two passes over columns
// (count, then fill) in parallel; each column is summed in a fixed order, so the table is the same
// for any thread count. No allocation, I/O or exceptions.
#pragma once

#include <cstddef>

namespace lantian::kernels {

// One emission entry: a species in one cell of a column, as a rate.
struct EmissionEntry {
    int k;                 // layer
    int species;           // (the CSR position already says which; kept for readers of the table)
    double rate_ug_s;      // µg s-1 into the cell (already scaled by the time profile)
};

struct StaticRate {
    int k;           // layer
    int species;
    int sector;      // index into the scale array
    double amount;   // µg yr-1 (inventory) or µg s-1 (constant sources); rate = amount × scale[sector]
};

struct LayerShare {
    int k;
    double fraction; // share of the stack's emission in layer k (Σ = 1 per stack)
};

struct SpeciesAmount {  // 16 bytes: the table rebuild streams millions of these
    double annual_ug;  // µg yr-1
    int species;
    int slot = 0;      // index into the scale array (sector, and the scenario variant it belongs to)
};

// A weather-dependent surface source (biogenic): per column rate[c*nrate + source] (µg s-1) into the
// lowest layer as tracer `species`, scaled by scale[slot].
struct SurfaceTarget {
    int species;
    int source;  // index into the per-column rates
    int slot;
};

struct EmissionBuildViews {
    int ncolumns = 0, nspec = 0, layers = 0;         // layers: at least 1 + the highest layer any entry uses
    const double* scale = nullptr;                   // per slot (variant × sector): rate per unit amount (s-1, or 1; 0 = off)
    const int* static_start = nullptr;               // ncolumns + 1, CSR into static_rates
    const StaticRate* static_rates = nullptr;
    const int* stack_start = nullptr;                // ncolumns + 1, CSR over stacks (stacks sorted by column)
    const int* stack_sector = nullptr;               // per stack
    const int* layer_start = nullptr;                // per stack + 1, CSR into layer_shares
    const LayerShare* layer_shares = nullptr;
    const int* share_start = nullptr;                // per stack + 1, CSR into species_amounts
    const SpeciesAmount* species_amounts = nullptr;
    int nsurface = 0, surface_rates_per_column = 0;  // weather-dependent surface sources (0 = none)
    const SurfaceTarget* surface_targets = nullptr;  // nsurface
    const double* surface_rates = nullptr;           // ncolumns × surface_rates_per_column, µg s-1
    double* scratch = nullptr;                       // nspec × layers per thread
    std::size_t scratch_per_thread = 0;
};

// Pass 1: number of non-zero (species, layer) rates in each (column, species), into
// counts[column*nspec + species].
void emission_counts(const EmissionBuildViews& v, int* counts);

// Pass 2: with start[] the exclusive prefix sum of the counts (ncolumns*nspec + 1 values), writes
// the entries of each (column, species) in layer order, and their sum, in that order, into
// group_total_ug_s[column*nspec + species] (µg s-1).
void emission_fill(const EmissionBuildViews& v, const int* start, EmissionEntry* entries, double* group_total_ug_s);

}  // namespace lantian::kernels
