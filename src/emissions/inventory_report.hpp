// What `lantian inventory` shows a user before a run: totals by sector × pollutant (t/yr) with the
// share inside the domain, the sources outside, and a NetCDF map of gridded annual emissions per
// sector and pollutant. Formatting only; the numbers come from EmissionModel.
#pragma once

#include <string>
#include <vector>

#include "emissions/emission_model.hpp"
#include "output/netcdf_writer.hpp"

namespace lantian {

// Totals table (t/yr): one row per sector plus the total, one column per reported pollutant, then
// the same inside the domain and the share inside (%).
std::string inventory_totals_table(const InventorySummary& summary);

// VOC inside the domain as emitted, by species (t/yr, % of the VOC), the share given to no species
// (not emitted), and species the run does not carry; or, when the speciation maps VOC to no species
// (the linear mode), one line saying VOC is not emitted.
std::string inventory_voc_table(const InventorySummary& summary, const std::vector<std::string>& run_species);

// Sources wholly or partly outside the domain, at most max_rows lines (then a count of the rest).
std::string outside_sources_table(const InventorySummary& summary, std::size_t max_rows);

// Gridded annual emissions: variables <POLLUTANT>_<sector>(y, x) and <POLLUTANT>_total(y, x) in
// t yr-1 per cell (column totals over all layers), plus cell_area (m2). Needs keep_annual_maps.
void write_inventory_netcdf(const std::string& path, const Grid& grid, const EmissionModel& model,
                            const OutputMetadata& meta);

}  // namespace lantian
