// Gridding, speciation, temporal scaling and plume rise of the inventory. Hot loops are small
// (per stack, per entry); the Briggs formulas live in kernels/plume_rise_kernels.
#include "emissions/emission_model.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "emissions/gridding.hpp"
#include "grid/grid.hpp"
#include "met/boundary_layer.hpp"
#include "met/solar_geometry.hpp"
#include "thread_scratch.hpp"

namespace lantian {

namespace {
constexpr double kMicrogramsPerTonne = 1e12;
constexpr double kOutsideTolerance = 1e-9;  // shares below this are round-off, not "outside"

std::string percent(double part, double whole) {
    std::ostringstream s;
    s.precision(3);
    s << (whole > 0 ? 100.0 * part / whole : 100.0) << "%";
    return s.str();
}
}  // namespace

std::vector<kernels::SpeciesAmount> EmissionModel::speciate(int sector, const PollutantValues& annual_t,
                                                                   double inside, bool book) {
    std::vector<kernels::SpeciesAmount> out;
    for (int p = 0; p < kPollutants; ++p) {
        if (annual_t[p] <= 0) continue;
        const auto& shares = inventory_.speciation.shares(sector, p);
        if (shares.empty() && book) summary_.unspeciated_t[p] += annual_t[p] * inside;
        for (const SpeciesShare& sh : shares) {
            if (book && p == static_cast<int>(Pollutant::VOC))
                summary_.voc_species_t[sh.species] += annual_t[p] * sh.mass_fraction * inside;
            const auto it = std::find(species_.begin(), species_.end(), sh.species);
            if (it == species_.end()) {
                if (book) summary_.species_not_in_run_t[sh.species] += annual_t[p] * sh.mass_fraction * inside;
                continue;
            }
            const int s = static_cast<int>(it - species_.begin());
            const double ug = annual_t[p] * sh.mass_fraction * kMicrogramsPerTonne;
            auto same = std::find_if(out.begin(), out.end(), [s](const kernels::SpeciesAmount& a) { return a.species == s; });
            if (same == out.end())
                out.push_back({.annual_ug = ug, .species = s});
            else
                same->annual_ug += ug;
        }
    }
    return out;
}

std::vector<kernels::SpeciesAmount> EmissionModel::speciate_scenarios(const std::string& id, int sector, char grade,
                                                                       double lon, double lat, const PollutantValues& annual_t,
                                                                       double inside) {
    const std::string region = region_of_ ? region_of_(lon, lat) : std::string();
    std::vector<kernels::SpeciesAmount> out = speciate(sector, annual_t, inside);  // scenario 0 books the summary
    std::vector<kernels::SpeciesAmount> all;
    for (int k = 0; k < nscen_; ++k) {
        const EmissionScenario& sc = scenarios_[k];
        PollutantValues kept = annual_t;
        if (sc.cut)
            for (int p = 0; p < kPollutants; ++p) kept[p] *= 1.0 - sc.cut(id, static_cast<Sector>(sector), grade, region, p);
        // Speciation is linear: the kept totals speciate like the full ones (the summary is booked once).
        const std::vector<kernels::SpeciesAmount> mine = (k == 0 && !sc.cut) ? out : speciate(sector, kept, inside, false);
        for (auto a : mine) {
            a.species = target(k, a.species);
            if (a.species < 0) continue;
            a.slot = k * kAllSectors + sector;
            all.push_back(a);
        }
    }
    return all;
}

void EmissionModel::add_to_maps(int sector, const PollutantValues& annual_t, std::size_t column, double weight) {
    if (maps_[0][0].empty()) return;
    for (int p = 0; p < kPollutants; ++p) maps_[sector][p][column] += annual_t[p] * weight;
}

EmissionModel::EmissionModel(const Grid& grid, const std::vector<std::string>& species, Inventory inventory,
                             const InventoryConfig& options, const std::vector<PointSource>& fixed_points,
                             const std::vector<AreaSource>& fixed_areas, EmissionModelOptions model_options,
                             std::vector<EmissionScenario> scenarios)
    : grid_(grid), species_(species), scenarios_(std::move(scenarios)), region_of_(model_options.region_of),
      inventory_(std::move(inventory)), options_(options) {
    if (scenarios_.empty()) scenarios_.push_back({"base", {}});
    nscen_ = static_cast<int>(scenarios_.size());
    nblocks_ = 0;
    for (int k = 0; k < nscen_; ++k) {
        if (scenarios_[k].block < 0) scenarios_[k].block = k;
        nblocks_ = std::max(nblocks_, scenarios_[k].block + 1);
    }
    ntracers_ = 0;
    for (int k = 0; k < nscen_; ++k)
        for (int s = 0; s < static_cast<int>(species_.size()); ++s) ntracers_ = std::max(ntracers_, target(k, s) + 1);
    const int nspec = ntracers_;
    // Biogenic species: into every scenario that has the constant-rate sources (natural, never cut).
    if (model_options.biogenic.on) {
        const auto classes = biogenic_classes(model_options.biogenic.land_class);
        bio_classes_.assign(classes.begin(), classes.end());
        bio_scale_ = model_options.biogenic.scale;
        for (int b = 0; b < static_cast<int>(kBiogenicSpecies.size()); ++b) {
            const auto it = std::find(species_.begin(), species_.end(), kBiogenicSpecies[b]);
            if (it == species_.end()) {
                warnings_.push_back(std::string("biogenic emissions: ") + kBiogenicSpecies[b] +
                                    " is not in species.names, so it is not emitted");
                continue;
            }
            const int s = static_cast<int>(it - species_.begin());
            for (int k = 0; k < nscen_; ++k)
                if (scenarios_[k].fixed_sources && target(k, s) >= 0)
                    surface_targets_.push_back({target(k, s), b, k * kAllSectors + static_cast<int>(Sector::biogenic)});
        }
        if (!surface_targets_.empty()) {
            // Until the first weather update: 293.15 K (the run loop updates the weather before its first fill).
            t2_k_.assign(grid_.columns(), 293.15);
            cos_zenith_.assign(grid_.columns(), 0.0);
            bio_total_.assign(bio_classes_.size(), 0.0);
            nbio_ = static_cast<int>(bio_classes_.size());
        }
    }
    // Wind-blown dust: into DUST of every scenario that has the constant-rate sources (natural, never cut).
    if (model_options.dust.on) {
        const auto it = std::find(species_.begin(), species_.end(), kDustSpecies);
        if (it == species_.end())
            throw ConfigError("dust.windblown = true: species DUST is not in species.names (wind-blown dust is "
                              "emitted into it)");
        const int s = static_cast<int>(it - species_.begin());
        dust_on_ = true;
        dust_ = model_options.dust;
        for (int k = 0; k < nscen_; ++k)
            if (scenarios_[k].fixed_sources && target(k, s) >= 0)
                surface_targets_.push_back({target(k, s), nbio_, k * kAllSectors + static_cast<int>(Sector::dust_windblown)});
        // Until the first weather update: no wind, hence no dust.
        const std::size_t n = grid_.columns();
        dust_ustar_.assign(n, 0.0);
        dust_rho_.assign(n, 1.2);
        dust_t2_.assign(n, 293.15);
        dust_snow_.assign(n, 0.0);
        dust_moisture_.assign(n, dust_.soil_moisture_m3_m3);
        dust_erodible_.assign(n, dust_.erodible_fraction);
        dust_clay_.assign(n, dust_.clay_fraction);
        dust_in_box_.resize(n);
        for (std::size_t c = 0; c < n; ++c) dust_in_box_[c] = in_erodible_box(dust_.erodible_box, grid_.lon()[c], grid_.lat()[c]) ? 1.0 : 0.0;
    }
    nsurf_ = nbio_ + (dust_on_ ? 1 : 0);
    surface_rate_.assign(grid_.columns() * static_cast<std::size_t>(nsurf_), 0.0);
    if (model_options.keep_annual_maps)
        for (auto& row : maps_)
            for (auto& m : row) m.assign(grid_.columns(), 0.0);
    std::vector<GriddedEmission> gridded = grid_fixed_sources(grid_, species_, fixed_points, fixed_areas, warnings_);
    // Constant-rate sources are the same in every scenario (slot: variant × sector).
    {
        const int n = static_cast<int>(gridded.size());
        for (int k = 0; k < nscen_; ++k)
            for (int e = 0; e < n && scenarios_[k].fixed_sources; ++e) {
                GriddedEmission g = gridded[e];
                g.species = target(k, g.species);
                if (g.species < 0) continue;
                g.sector = k * kAllSectors + g.sector;
                gridded.push_back(g);
            }
        gridded.erase(gridded.begin(), gridded.begin() + n);
    }

    // Point stacks: one column each; the layers come from plume rise at every weather update.
    struct PlacedStack {
        std::size_t column;
        int sector, k;
        kernels::StackParameters parameters;
        std::vector<kernels::SpeciesAmount> amounts;
    };
    std::vector<PlacedStack> placed;
    for (const PointStack& p : inventory_.points) {
        const int sector = static_cast<int>(p.sector);
        for (int q = 0; q < kPollutants; ++q) summary_.total_t[sector][q] += p.annual_t[q];
        ++summary_.stacks;
        double fi = 0, fj = 0;
        if (!grid_.locate({p.lon, p.lat}, fi, fj)) {
            summary_.outside.push_back({"stack", p.id, p.name, p.sector, 0.0, p.annual_t});
            continue;
        }
        const std::size_t column = static_cast<std::size_t>(std::lround(fj)) * grid_.nx() + std::lround(fi);
        for (int q = 0; q < kPollutants; ++q) summary_.inside_t[sector][q] += p.annual_t[q];
        add_to_maps(sector, p.annual_t, column, 1.0);
        placed.push_back({column, sector, grid_.layer_of(p.stack.height_m), p.stack,
                          speciate_scenarios(p.id, sector, p.grade, p.lon, p.lat, p.annual_t, 1.0)});
    }
    std::stable_sort(placed.begin(), placed.end(), [](const PlacedStack& a, const PlacedStack& b) { return a.column < b.column; });
    stack_start_.assign(grid_.columns() + 1, 0);
    share_start_.push_back(0);
    for (const PlacedStack& ps : placed) {
        ++stack_start_[ps.column + 1];
        stack_column_.push_back(ps.column);
        stack_sector_.push_back(ps.sector);
        stack_layer_.push_back(ps.k);
        stack_parameters_.push_back(ps.parameters);
        stack_amounts_.insert(stack_amounts_.end(), ps.amounts.begin(), ps.amounts.end());
        share_start_.push_back(static_cast<int>(stack_amounts_.size()));
    }
    for (std::size_t c = 1; c < stack_start_.size(); ++c) stack_start_[c] += stack_start_[c - 1];

    // Roads and area cells: fixed weights per column, emitted in the lowest layer.
    auto place = [&](int sector, const PollutantValues& annual_t, const std::vector<CellWeight>& weights, double outside,
                     const std::string& kind, const std::string& id, const std::string& name, double lon, double lat) {
        const double inside = std::max(0.0, 1.0 - outside);
        for (int q = 0; q < kPollutants; ++q) {
            summary_.total_t[sector][q] += annual_t[q];
            summary_.inside_t[sector][q] += annual_t[q] * inside;
        }
        if (outside > kOutsideTolerance)
            summary_.outside.push_back({kind, id, name, static_cast<Sector>(sector), inside, annual_t});
        if (weights.empty()) return;
        const auto amounts = speciate_scenarios("", sector, 0, lon, lat, annual_t, inside);
        for (const CellWeight& w : weights) {
            add_to_maps(sector, annual_t, w.column, w.weight);
            for (const kernels::SpeciesAmount& a : amounts) gridded.push_back({w.column, 0, a.species, a.slot, a.annual_ug * w.weight});
        }
        has_static_inventory_ = true;
    };
    const int traffic = static_cast<int>(Sector::traffic);
    for (const RoadLink& r : inventory_.roads) {
        ++summary_.roads;
        double outside = 0;
        const auto weights = rasterise_polyline(grid_, r.path, outside);
        double lon = 0, lat = 0;
        for (const auto& v : r.path) {
            lon += v.lon_deg / r.path.size();
            lat += v.lat_deg / r.path.size();
        }
        place(traffic, r.annual_t, weights, outside, "road", r.id, r.name, lon, lat);
    }
    for (const AreaCell& a : inventory_.areas) {
        ++summary_.area_cells;
        double outside = 0;
        const auto weights = regrid_lonlat_cell(grid_, a.lon0, a.lat0, a.lon1, a.lat1, outside);
        place(static_cast<int>(a.sector), a.annual_t, weights, outside, "area cell", a.origin, "", 0.5 * (a.lon0 + a.lon1),
              0.5 * (a.lat0 + a.lat1));
    }

    // Merge entries of the same cell, layer, species and sector (many area cells overlap a column),
    // then index them by column.
    std::stable_sort(gridded.begin(), gridded.end(), [](const GriddedEmission& a, const GriddedEmission& b) {
        return std::tie(a.column, a.species, a.k, a.sector) < std::tie(b.column, b.species, b.k, b.sector);
    });
    std::vector<GriddedEmission> merged;
    for (const GriddedEmission& g : gridded) {
        if (!merged.empty() && merged.back().column == g.column && merged.back().k == g.k &&
            merged.back().species == g.species && merged.back().sector == g.sector)
            merged.back().amount += g.amount;
        else
            merged.push_back(g);
    }
    static_start_.assign(grid_.columns() + 1, 0);
    for (const GriddedEmission& g : merged) {
        ++static_start_[g.column + 1];
        static_rates_.push_back({g.k, g.species, g.sector, g.amount});
    }
    for (std::size_t c = 1; c < static_start_.size(); ++c) static_start_[c] += static_start_[c - 1];
    for (const auto& r : static_rates_) static_layers_ = std::max(static_layers_, r.k + 1);

    // Yearly (inventory) or per-second (fixed) amount per species and sector, for the ledger.
    const std::size_t slots = static_cast<std::size_t>(nscen_) * kAllSectors;
    sector_rate_.assign(static_cast<std::size_t>(nspec) * kAllSectors, 0.0);
    amount_.assign(static_cast<std::size_t>(nspec) * slots, 0.0);
    for (const auto& r : static_rates_) amount_[static_cast<std::size_t>(r.species) * slots + r.sector] += r.amount;
    for (std::size_t n = 0; n < stack_sector_.size(); ++n)
        for (int a = share_start_[n]; a < share_start_[n + 1]; ++a)
            amount_[static_cast<std::size_t>(stack_amounts_[a].species) * slots + stack_amounts_[a].slot] += stack_amounts_[a].annual_ug;

    // Warnings a user must see before trusting a run.
    if (!summary_.outside.empty()) {
        PollutantValues all{}, in{};
        for (int s = 0; s < kInventorySectors; ++s)
            for (int q = 0; q < kPollutants; ++q) {
                all[q] += summary_.total_t[s][q];
                in[q] += summary_.inside_t[s][q];
            }
        int wholly = 0;
        for (const auto& o : summary_.outside) wholly += o.inside_share <= 0 ? 1 : 0;
        std::ostringstream w;
        w << "inventory: " << summary_.outside.size() << " source(s) lie outside the domain (" << wholly
          << " wholly, " << summary_.outside.size() - wholly << " in part) and are not emitted there; share emitted inside:";
        const PollutantValues ra = reported_values(all), ri = reported_values(in);
        for (int q = 0; q < kPollutants; ++q)
            if (ra[q] > 0) w << " " << kReportedPollutants[q] << " " << percent(ri[q], ra[q]);
        warnings_.push_back(w.str());
    }
    if (!summary_.species_not_in_run_t.empty()) {
        std::ostringstream w;
        w << "inventory: the speciation maps emissions to species that are not in species.names, so they are not "
             "emitted:";
        for (const auto& [name, t] : summary_.species_not_in_run_t) w << " " << name << " " << t << " t/yr";
        warnings_.push_back(w.str());
    }
    for (int q = 0; q < kPollutants; ++q)
        if (summary_.unspeciated_t[q] > 0) {
            std::ostringstream w;
            w << "inventory: " << kPollutantNames[q] << " (" << summary_.unspeciated_t[q]
              << " t/yr in the domain) has no model species in the speciation table and is not emitted";
            warnings_.push_back(w.str());
        }

    // Without weather yet, every stack releases at its tip.
    plumes_.resize(stack_parameters_.size());
    stack_weather_.resize(stack_parameters_.size());
    layer_start_.assign(stack_parameters_.size() + 1, 0);
    for (std::size_t n = 0; n < stack_parameters_.size(); ++n) {
        const double h = stack_parameters_[n].height_m;
        plumes_[n] = {h, 0.0, h, h, kernels::PlumeBranch::neutral, false};
        layer_shares_.push_back({stack_layer_[n], 1.0});
        layer_start_[n + 1] = static_cast<int>(layer_shares_.size());
    }
}

void EmissionModel::update_weather(const MetState& met) {
    if (has_biogenic()) t2_k_ = met.t2_k;  // same size: no allocation
    if (has_dust()) {
        // The land fields the weather has (≥ 0), else the dust.* key or the idealized default.
        const std::size_t n = grid_.columns();
        const auto field = [](const std::vector<double>& from, double fallback, std::vector<double>& to) {
            for (std::size_t c = 0; c < to.size(); ++c) to[c] = from[c] >= 0.0 ? from[c] : fallback;
        };
        dust_ustar_ = met.ustar_m_s;
        std::copy(met.rho_kg_m3.begin(), met.rho_kg_m3.begin() + static_cast<std::ptrdiff_t>(n), dust_rho_.begin());
        dust_t2_ = met.t2_k;
        dust_snow_ = met.snow_cover;
        field(met.soil_moisture_m3_m3, dust_.soil_moisture_m3_m3, dust_moisture_);
        field(met.erodible_fraction, dust_.erodible_fraction, dust_erodible_);
        field(met.clay_fraction, dust_.clay_fraction, dust_clay_);
        for (std::size_t c = 0; c < n; ++c) dust_erodible_[c] *= dust_in_box_[c];  // none outside dust.erodible_box
        kernels::DustViews dv;
        dv.ncolumns = static_cast<int>(n);
        dv.ustar_m_s = dust_ustar_.data();
        dv.rho_air_kg_m3 = dust_rho_.data();
        dv.t2_k = dust_t2_.data();
        dv.snow_cover = dust_snow_.data();
        dv.soil_moisture_m3_m3 = dust_moisture_.data();
        dv.erodible_fraction = dust_erodible_.data();
        dv.clay_fraction = dust_clay_.data();
        dv.area_m2 = grid_.area_m2().data();
        dv.parameters = dust_.parameters;
        dv.out_stride = nsurf_;
        dv.out_offset = nbio_;
        kernels::dust_rates(dv, surface_rate_.data());
        dust_total_ = 0;
        for (std::size_t c = 0; c < n; ++c) dust_total_ += surface_rate_[c * nsurf_ + nbio_];
        surface_changed_ = true;
    }
    if (stack_parameters_.empty() || options_.plume_rise == PlumeRise::off) return;
    // Weather at each stack tip, Briggs plume rise, and the plumes' layer shares (kernels/plume_rise_kernels).
    const int nstacks = static_cast<int>(stack_parameters_.size());
    kernels::StackWeatherViews sw;
    sw.nstacks = nstacks;
    sw.nx = grid_.nx();
    sw.ny = grid_.ny();
    sw.nz = grid_.nz();
    sw.column = stack_column_.data();
    sw.layer = stack_layer_.data();
    sw.u_face_x_m_s = met.u_face_x_m_s.data();
    sw.v_face_y_m_s = met.v_face_y_m_s.data();
    sw.temperature_k = met.temperature_k.data();
    sw.z_center_m = grid_.z_center().data();
    sw.ustar_m_s = met.ustar_m_s.data();
    sw.mo_length_m = met.mo_length_m.data();
    sw.pblh_m = met.pblh_m.data();
    kernels::PlumeRiseOptions opt;
    opt.min_wind_m_s = options_.min_wind_m_s;
    opt.stack_tip_downwash = options_.stack_tip_downwash;
    opt.min_dtheta_dz_k_m = options_.min_dtheta_dz_k_m;
    const double* zf = grid_.z_face().data();
    first_layer_.resize(static_cast<std::size_t>(nstacks));
    kernels::stack_weather(sw, stack_weather_.data());
    kernels::plume_rise(nstacks, stack_parameters_.data(), stack_weather_.data(), opt, plumes_.data());
    kernels::plume_layer_counts(nstacks, grid_.nz(), zf, plumes_.data(), layer_start_.data() + 1, first_layer_.data());
    layer_start_[0] = 0;
    for (int n = 0; n < nstacks; ++n) layer_start_[n + 1] += layer_start_[n];
    layer_shares_.resize(static_cast<std::size_t>(layer_start_[nstacks]));
    kernels::plume_layer_fill(nstacks, grid_.nz(), zf, plumes_.data(), layer_start_.data(), layer_shares_.data(),
                              first_layer_.data());
    plumes_changed_ = true;
}

int EmissionModel::target(int k, int s) const {
    const EmissionScenario& sc = scenarios_[static_cast<std::size_t>(k)];
    return sc.tracers.empty() ? sc.block * static_cast<int>(species_.size()) + s : sc.tracers[static_cast<std::size_t>(s)];
}

bool EmissionModel::fill(double t0_epoch_s, double t1_epoch_s, EmissionTable& table) {
    const int nspec = ntracers_;
    const double dt = t1_epoch_s - t0_epoch_s;
    // Rate per unit amount (s-1): the fraction of the annual total emitted in the step over its length,
    // for every variant that is in force (0 for the others).
    std::array<double, kAllSectors> profile{};
    for (int c = 0; c < kInventorySectors; ++c) profile[c] = inventory_.profiles.fraction(c, t0_epoch_s, t1_epoch_s) / dt;
    profile[static_cast<int>(Sector::fixed)] = 1.0;
    profile[static_cast<int>(Sector::biogenic)] = 1.0;  // rates are per second already (µg s-1)
    profile[static_cast<int>(Sector::dust_windblown)] = 1.0;
    const std::size_t slots = static_cast<std::size_t>(nscen_) * kAllSectors;
    std::vector<double>& scale = scale_;  // kept between steps: no allocation in the step loop
    scale.assign(slots, 0.0);
    for (int k = 0; k < nscen_; ++k) {
        const bool on = !scenarios_[k].active || scenarios_[k].active(t0_epoch_s, t1_epoch_s);
        for (int c = 0; c < kAllSectors; ++c) scale[static_cast<std::size_t>(k) * kAllSectors + c] = on ? profile[c] : 0.0;
    }
    for (int s = 0; s < nspec; ++s)
        for (int c = 0; c < kAllSectors; ++c) {
            double r = 0;
            for (int k = 0; k < nscen_; ++k) {
                const std::size_t slot = static_cast<std::size_t>(k) * kAllSectors + c;
                r += amount_[static_cast<std::size_t>(s) * slots + slot] * scale[slot];
            }
            sector_rate_[static_cast<std::size_t>(s) * kAllSectors + c] = r;
        }
    if (has_biogenic()) {
        // Biogenic rates of the step from the sun at its midpoint and the last 2 m temperature.
        const double t_mid = 0.5 * (t0_epoch_s + t1_epoch_s);
        const auto& lat = grid_.lat();
        const auto& lon = grid_.lon();
        for (std::size_t c = 0; c < cos_zenith_.size(); ++c) cos_zenith_[c] = cos_solar_zenith(lat[c], lon[c], t_mid);
        kernels::BiogenicViews bv;
        bv.ncolumns = static_cast<int>(grid_.columns());
        bv.nclass = static_cast<int>(bio_classes_.size());
        bv.classes = bio_classes_.data();
        bv.t2_k = t2_k_.data();
        bv.cos_zenith = cos_zenith_.data();
        bv.area_m2 = grid_.area_m2().data();
        bv.scale = bio_scale_;
        bv.rate_stride = nsurf_;
        kernels::biogenic_rates(bv, surface_rate_.data());
        std::fill(bio_total_.begin(), bio_total_.end(), 0.0);
        for (std::size_t c = 0; c < grid_.columns(); ++c)
            for (int b = 0; b < nbio_; ++b) bio_total_[b] += surface_rate_[c * nsurf_ + b];
        for (const kernels::SurfaceTarget& t : surface_targets_)
            if (t.source < nbio_)
                sector_rate_[static_cast<std::size_t>(t.species) * kAllSectors + static_cast<int>(Sector::biogenic)] +=
                    bio_total_[t.source] * scale[t.slot];
    }
    if (has_dust())
        for (const kernels::SurfaceTarget& t : surface_targets_)
            if (t.source == nbio_)
                sector_rate_[static_cast<std::size_t>(t.species) * kAllSectors + static_cast<int>(Sector::dust_windblown)] +=
                    dust_total_ * scale[t.slot];
    // Biogenic rates follow the sun: the table changes every step; dust rates at every weather update.
    if (filled_once_ && scale == last_scale_ && !plumes_changed_ && !surface_changed_ && !has_biogenic()) return false;
    filled_once_ = true;
    last_scale_ = scale;
    plumes_changed_ = false;
    surface_changed_ = false;

    // Rebuild the table: count the rates of every (column, species), then fill (kernels).
    // Every entry lies in a layer of the grid: nz layers of scratch per species are enough without a
    // scan of the plumes' shares (the kernels clear only the layers a column used).
    const int layers = std::max(static_layers_, grid_.nz());
    kernels::EmissionBuildViews v;
    v.ncolumns = static_cast<int>(grid_.columns());
    v.nspec = nspec;
    v.layers = layers;
    v.scale = scale.data();
    v.static_start = static_start_.data();
    v.static_rates = static_rates_.data();
    v.stack_start = stack_start_.data();
    v.stack_sector = stack_sector_.data();
    v.layer_start = layer_start_.data();
    v.layer_shares = layer_shares_.data();
    v.share_start = share_start_.data();
    v.species_amounts = stack_amounts_.data();
    v.nsurface = static_cast<int>(surface_targets_.size());
    v.surface_rates_per_column = nsurf_;
    v.surface_targets = surface_targets_.data();
    v.surface_rates = surface_rate_.data();
    v.scratch_per_thread = static_cast<std::size_t>(nspec) * layers;
    scratch_.resize(v.scratch_per_thread * kernels::max_threads());
    v.scratch = scratch_.data();
    table.start.assign(grid_.columns() * nspec + 1, 0);
    kernels::emission_counts(v, table.start.data() + 1);
    for (std::size_t k = 1; k < table.start.size(); ++k) table.start[k] += table.start[k - 1];
    table.entries.resize(static_cast<std::size_t>(table.start.back()));
    group_total_.resize(grid_.columns() * static_cast<std::size_t>(nspec));
    kernels::emission_fill(v, table.start.data(), table.entries.data(), group_total_.data());
    // Domain totals per species: the (column, species) sums of the fill kernel added in column order,
    // the same for any number of threads.
    table.total_ug_s.assign(nspec, 0.0);
    for (std::size_t g = 0; g < group_total_.size(); g += static_cast<std::size_t>(nspec))
        for (int s = 0; s < nspec; ++s) table.total_ug_s[static_cast<std::size_t>(s)] += group_total_[g + static_cast<std::size_t>(s)];
    return true;
}

}  // namespace lantian
