// The emission model: puts the inventory (and any constant-rate sources) on the grid once, then
// for every step turns it into the rates the vertical solve reads: temporal profile per sector,
// speciation to model species, and plume rise of point stacks recomputed whenever the weather
// updates. Also owns the inventory's accounting (totals by sector and pollutant, the part inside
// the domain, sources outside) for `lantian inventory` and the ledger.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "emissions/biogenic.hpp"
#include "emissions/dust.hpp"
#include "emissions/inventory.hpp"
#include "emissions/sources.hpp"
#include "emission_kernels.hpp"
#include "met/met_state.hpp"

namespace lantian {

class Grid;

// One source that is wholly or partly outside the domain.
struct OutsideSource {
    std::string kind;        // "stack", "road", "area cell"
    std::string id;          // id, or the file position of an area cell
    std::string name;
    Sector sector;
    double inside_share;     // 0 = wholly outside
    PollutantValues annual_t;// the source's totals (internal pollutants)
};

struct InventorySummary {
    std::array<PollutantValues, kInventorySectors> total_t{};   // t/yr, every source
    std::array<PollutantValues, kInventorySectors> inside_t{};  // t/yr inside the domain
    std::vector<OutsideSource> outside;
    int stacks = 0, roads = 0, area_cells = 0;
    // Species the speciation produces that the run does not carry (not emitted), t/yr.
    std::map<std::string, double> species_not_in_run_t;
    // Pollutant mass with no species in the speciation table (VOC by default), t/yr.
    PollutantValues unspeciated_t{};
    // VOC inside the domain by the species the speciation gives it (whether or not the run carries
    // them), t/yr of species mass; the VOC not assigned to any species is inside VOC − Σ (fractions < 1).
    std::map<std::string, double> voc_species_t;
};

struct EmissionModelOptions {
    bool keep_annual_maps = false;   // keep t/yr per column, sector and pollutant (for `lantian inventory`)
    // The named area holding a place ("" = none), for region-dependent scenario cuts.
    std::function<std::string(double lon, double lat)> region_of;
    // Biogenic isoprene and monoterpenes (photochemical mode; biogenic_options(cfg)).
    BiogenicOptions biogenic;
    // Wind-blown dust into DUST (dust_options(cfg)); a run without DUST is a ConfigError.
    DustOptions dust;
};

// One emission scenario: the inventory with every source's pollutants cut by `cut(source,
// pollutant)` (0..1). Scenario k emits species s as tracer k·nspec + s; the weather-dependent work
// (plume rise) is shared by all scenarios.
struct EmissionScenario {
    std::string name;
    std::function<double(const std::string& id, Sector sector, char grade, const std::string& region, int pollutant)>
        cut;  // empty = no cuts
    bool fixed_sources = true;  // the constant-rate [sources] emit in this scenario
    int block = -1;             // tracer block it emits into (-1 = its own index); variants share a block
    // Per species: the tracer it emits into, -1 = none (a tag block of a subset of species,
    // tags.species); empty = block·nspec + s.
    std::vector<int> tracers;
    std::function<bool(double t0_epoch_s, double t1_epoch_s)> active;  // empty = always; else in force in a step

    EmissionScenario() = default;
    EmissionScenario(std::string n, decltype(cut) c, bool fixed = true) : name(std::move(n)), cut(std::move(c)), fixed_sources(fixed) {}
};

class EmissionModel {
public:
    // `inventory` may be empty (no [inventory]); fixed sources come from [sources] or tests.
    EmissionModel(const Grid& grid, const std::vector<std::string>& species, Inventory inventory,
                  const InventoryConfig& options, const std::vector<PointSource>& fixed_points,
                  const std::vector<AreaSource>& fixed_areas, EmissionModelOptions model_options = {},
                  std::vector<EmissionScenario> scenarios = {});
    int scenarios() const { return nscen_; }
    int blocks() const { return nblocks_; }

    // Plume rise of every stack from the weather (call whenever the weather has been updated).
    void update_weather(const MetState& met);

    // Rates (µg s-1) for a step [t0, t1] (seconds since 1970 UTC): the mean over the step of each
    // sector's temporal profile. Rewrites `table` only when the rates differ from the last call
    // (new hour or new plume rise); returns whether it did.
    bool fill(double t0_epoch_s, double t1_epoch_s, EmissionTable& table);

    // Emission rate (µg s-1) in the domain of species s from sector c during the last fill.
    double sector_rate_ug_s(int s, int sector) const { return sector_rate_[static_cast<std::size_t>(s) * kAllSectors + sector]; }

    const InventorySummary& summary() const { return summary_; }
    const std::vector<std::string>& warnings() const { return warnings_; }
    const Inventory& inventory() const { return inventory_; }
    // t/yr per column of (sector, internal pollutant); empty unless keep_annual_maps.
    const std::vector<double>& annual_map(int sector, int pollutant) const { return maps_[sector][pollutant]; }
    // Plumes of the stacks inside the domain (ordered by grid column) from the last weather update.
    const std::vector<kernels::PlumeExtent>& plumes() const { return plumes_; }
    bool has_inventory() const { return !stack_parameters_.empty() || has_static_inventory_; }
    // Whether the model emits biogenic species (sector `biogenic`): options on and ISOP or TERP in the run.
    bool has_biogenic() const { return nbio_ > 0; }
    // Biogenic rate (µg s-1) of compound class b (kBiogenicSpecies order) per column during the last fill.
    double biogenic_rate_ug_s(std::size_t column, int b) const { return surface_rate_[column * nsurf_ + b]; }
    // Whether the model emits wind-blown dust (sector `dust_windblown`, species DUST).
    bool has_dust() const { return dust_on_; }
    // Wind-blown dust rate (µg s-1) per column from the last weather update (the rate of every step
    // until the next update), and its sum over the domain.
    double dust_rate_ug_s(std::size_t column) const { return surface_rate_[column * nsurf_ + nbio_]; }
    double dust_total_ug_s() const { return dust_total_; }

private:
    // Species amounts (µg yr-1) of annual totals (t/yr) in a sector; mass not emitted is booked
    // in the summary (scaled by `inside`).
    std::vector<kernels::SpeciesAmount> speciate(int sector, const PollutantValues& annual_t, double inside, bool book = true);
    // The same for every scenario, with its cuts; species indices k·nspec + s.
    std::vector<kernels::SpeciesAmount> speciate_scenarios(const std::string& id, int sector, char grade, double lon,
                                                           double lat, const PollutantValues& annual_t, double inside);
    void add_to_maps(int sector, const PollutantValues& annual_t, std::size_t column, double weight);

    const Grid& grid_;
    std::vector<std::string> species_;
    std::vector<EmissionScenario> scenarios_;
    int nscen_ = 1;      // scenarios and their variants
    int nblocks_ = 1;    // tracer blocks
    int ntracers_ = 1;   // tracers emitted into (all blocks)
    // The tracer scenario k emits species s into (-1: none).
    int target(int k, int s) const;
    std::function<std::string(double, double)> region_of_;
    Inventory inventory_;
    InventoryConfig options_;
    InventorySummary summary_;
    std::vector<std::string> warnings_;

    // Static entries (areas, roads, constant sources), CSR by column.
    std::vector<int> static_start_;
    std::vector<kernels::StaticRate> static_rates_;
    bool has_static_inventory_ = false;
    int static_layers_ = 1;                           // 1 + the highest layer of static_rates_
    // Stacks inside the domain, sorted by column (CSR stack_start_ by column).
    std::vector<int> stack_start_;
    std::vector<std::size_t> stack_column_;
    std::vector<int> stack_sector_, stack_layer_;     // sector; layer of the stack tip
    std::vector<int> share_start_;                    // CSR into stack_amounts_
    std::vector<kernels::SpeciesAmount> stack_amounts_;
    std::vector<kernels::StackParameters> stack_parameters_;
    std::vector<kernels::StackWeather> stack_weather_;
    std::vector<kernels::PlumeExtent> plumes_;
    std::vector<int> layer_start_;                    // per stack: CSR into layer_shares_
    std::vector<kernels::LayerShare> layer_shares_;
    std::vector<int> first_layer_;                   // per stack: its plume's first layer (kernels::plume_layer_counts)
    bool plumes_changed_ = true;

    std::vector<double> scale_, last_scale_;       // per slot (s-1): this step's and the table's
    bool filled_once_ = false;
    std::vector<double> amount_;                     // nspec × kAllSectors: µg yr-1 (inventory) or µg s-1 (fixed)
    std::vector<double> sector_rate_;                // nspec × kAllSectors, µg s-1 during the last fill
    std::vector<double> scratch_;                    // per-thread column buffers of the build kernels
    std::vector<double> group_total_;                // per (column, species): the table's sum, µg s-1
    std::array<std::array<std::vector<double>, kPollutants>, kInventorySectors> maps_;

    // Biogenic: compound classes, the tracers they emit into (per scenario), the 2 m temperature of
    // the last weather update, and per-column work arrays of the step (sized once).
    std::vector<kernels::BiogenicClass> bio_classes_;
    std::vector<kernels::SurfaceTarget> surface_targets_;
    double bio_scale_ = 1.0;
    std::vector<double> t2_k_, cos_zenith_, bio_total_;
    int nbio_ = 0;                 // biogenic classes emitted (0 = none)
    // Wind-blown dust: options, the per-column inputs of the last weather update (land fields with
    // their defaults applied) and the domain total of its rates.
    bool dust_on_ = false;
    DustOptions dust_;
    std::vector<double> dust_ustar_, dust_rho_, dust_t2_, dust_snow_, dust_moisture_, dust_erodible_, dust_clay_;
    std::vector<double> dust_in_box_;  // 1 inside dust.erodible_box (or without one), 0 outside
    double dust_total_ = 0;
    bool surface_changed_ = false;  // dust rates changed since the last table
    // Weather-dependent surface rates per column (µg s-1): nbio_ biogenic classes, then dust.
    int nsurf_ = 0;
    std::vector<double> surface_rate_;
};

}  // namespace lantian
