// Gridding, speciation, temporal scaling and plume rise of the inventory. Hot loops are small
// (per stack, per entry); the Briggs formulas live in kernels/plume_rise_kernels.
#include "emissions/emission_model.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "emissions/gridding.hpp"
#include "grid/grid.hpp"
#include "met/boundary_layer.hpp"

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

std::vector<EmissionModel::SpeciesAmount> EmissionModel::speciate(int sector, const PollutantValues& annual_t,
                                                                   double inside) {
    std::vector<SpeciesAmount> out;
    for (int p = 0; p < kPollutants; ++p) {
        if (annual_t[p] <= 0) continue;
        const auto& shares = inventory_.speciation.shares(sector, p);
        if (shares.empty()) summary_.unspeciated_t[p] += annual_t[p] * inside;
        for (const SpeciesShare& sh : shares) {
            const auto it = std::find(species_.begin(), species_.end(), sh.species);
            if (it == species_.end()) {
                summary_.species_not_in_run_t[sh.species] += annual_t[p] * sh.mass_fraction * inside;
                continue;
            }
            const int s = static_cast<int>(it - species_.begin());
            const double ug = annual_t[p] * sh.mass_fraction * kMicrogramsPerTonne;
            auto same = std::find_if(out.begin(), out.end(), [s](const SpeciesAmount& a) { return a.species == s; });
            if (same == out.end())
                out.push_back({s, ug});
            else
                same->annual_ug += ug;
        }
    }
    return out;
}

void EmissionModel::add_to_maps(int sector, const PollutantValues& annual_t, std::size_t column, double weight) {
    if (maps_[0][0].empty()) return;
    for (int p = 0; p < kPollutants; ++p) maps_[sector][p][column] += annual_t[p] * weight;
}

EmissionModel::EmissionModel(const Grid& grid, const std::vector<std::string>& species, Inventory inventory,
                             const InventoryConfig& options, const std::vector<PointSource>& fixed_points,
                             const std::vector<AreaSource>& fixed_areas, EmissionModelOptions model_options)
    : grid_(grid), species_(species), inventory_(std::move(inventory)), options_(options) {
    const int nspec = static_cast<int>(species_.size());
    if (model_options.keep_annual_maps)
        for (auto& row : maps_)
            for (auto& m : row) m.assign(grid_.columns(), 0.0);
    static_ = grid_fixed_sources(grid_, species_, fixed_points, fixed_areas, warnings_);

    // Point stacks: one column each; the layers come from plume rise at every weather update.
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
        const auto amounts = speciate(sector, p.annual_t, 1.0);
        Stack s{column, sector, grid_.layer_of(p.stack.height_m), static_cast<int>(stack_shares_.size()), 0};
        stack_shares_.insert(stack_shares_.end(), amounts.begin(), amounts.end());
        s.shares_end = static_cast<int>(stack_shares_.size());
        stacks_.push_back(s);
        stack_parameters_.push_back(p.stack);
    }

    // Roads and area cells: fixed weights per column, emitted in the lowest layer.
    auto place = [&](int sector, const PollutantValues& annual_t, const std::vector<CellWeight>& weights, double outside,
                     const std::string& kind, const std::string& id, const std::string& name) {
        const double inside = std::max(0.0, 1.0 - outside);
        for (int q = 0; q < kPollutants; ++q) {
            summary_.total_t[sector][q] += annual_t[q];
            summary_.inside_t[sector][q] += annual_t[q] * inside;
        }
        if (outside > kOutsideTolerance)
            summary_.outside.push_back({kind, id, name, static_cast<Sector>(sector), inside, annual_t});
        if (weights.empty()) return;
        const auto amounts = speciate(sector, annual_t, inside);
        for (const CellWeight& w : weights) {
            add_to_maps(sector, annual_t, w.column, w.weight);
            for (const SpeciesAmount& a : amounts) static_.push_back({w.column, 0, a.species, sector, a.annual_ug * w.weight});
        }
        has_static_inventory_ = true;
    };
    const int traffic = static_cast<int>(Sector::traffic);
    for (const RoadLink& r : inventory_.roads) {
        ++summary_.roads;
        double outside = 0;
        const auto weights = rasterise_polyline(grid_, r.path, outside);
        place(traffic, r.annual_t, weights, outside, "road", r.id, r.name);
    }
    for (const AreaCell& a : inventory_.areas) {
        ++summary_.area_cells;
        double outside = 0;
        const auto weights = regrid_lonlat_cell(grid_, a.lon0, a.lat0, a.lon1, a.lat1, outside);
        place(static_cast<int>(a.sector), a.annual_t, weights, outside, "area cell", a.origin, "");
    }

    // Merge entries of the same cell, layer, species and sector (many area cells overlap a column).
    std::sort(static_.begin(), static_.end(), [](const GriddedEmission& a, const GriddedEmission& b) {
        return std::tie(a.column, a.k, a.species, a.sector) < std::tie(b.column, b.k, b.species, b.sector);
    });
    std::vector<GriddedEmission> merged;
    for (const GriddedEmission& g : static_) {
        if (!merged.empty() && merged.back().column == g.column && merged.back().k == g.k &&
            merged.back().species == g.species && merged.back().sector == g.sector)
            merged.back().amount += g.amount;
        else
            merged.push_back(g);
    }
    static_ = std::move(merged);

    // Yearly (inventory) or per-second (fixed) amount per species and sector, for the ledger.
    sector_rate_.assign(static_cast<std::size_t>(nspec) * kAllSectors, 0.0);
    amount_.assign(sector_rate_.size(), 0.0);
    for (const GriddedEmission& g : static_) amount_[static_cast<std::size_t>(g.species) * kAllSectors + g.sector] += g.amount;
    for (const Stack& st : stacks_)
        for (int a = st.shares_begin; a < st.shares_end; ++a)
            amount_[static_cast<std::size_t>(stack_shares_[a].species) * kAllSectors + st.sector] += stack_shares_[a].annual_ug;

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
    plumes_.resize(stacks_.size());
    stack_weather_.resize(stacks_.size());
    layer_start_.assign(stacks_.size() + 1, 0);
    for (std::size_t n = 0; n < stacks_.size(); ++n) {
        const double h = stack_parameters_[n].height_m;
        plumes_[n] = {h, 0.0, h, h, kernels::PlumeBranch::neutral, false};
        layer_fraction_.push_back({stacks_[n].k_stack, 1.0});
        layer_start_[n + 1] = static_cast<int>(layer_fraction_.size());
    }
}

void EmissionModel::update_weather(const MetState& met) {
    if (stacks_.empty() || options_.plume_rise == PlumeRise::off) return;
    const int nx = grid_.nx(), ny = grid_.ny(), nz = grid_.nz();
    const std::size_t plane = grid_.columns();
    const auto& zc = grid_.z_center();
    // Weather at each stack tip: wind at the cell centre from its faces, lapse rate from the
    // layer above (or below, at the top).
    for (std::size_t n = 0; n < stacks_.size(); ++n) {
        const Stack& s = stacks_[n];
        const std::size_t i = s.column % nx, j = s.column / nx;
        const int k = s.k_stack;
        const double u = 0.5 * (met.u_face_x_m_s[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + i] +
                                met.u_face_x_m_s[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + i + 1]);
        const double v = 0.5 * (met.v_face_y_m_s[(static_cast<std::size_t>(k) * (ny + 1) + j) * nx + i] +
                                met.v_face_y_m_s[(static_cast<std::size_t>(k) * (ny + 1) + j + 1) * nx + i]);
        const double t = met.temperature_k[k * plane + s.column];
        double dtdz = 0;
        if (nz > 1) {
            const int k2 = k + 1 < nz ? k + 1 : k - 1;
            dtdz = (met.temperature_k[k2 * plane + s.column] - t) / (zc[k2] - zc[k]);
        }
        stack_weather_[n] = {std::hypot(u, v), t, dtdz + bl::kGravity / bl::kCp, met.ustar_m_s[s.column],
                             met.mo_length_m[s.column], met.pblh_m[s.column]};
    }
    kernels::PlumeRiseOptions opt;
    opt.min_wind_m_s = options_.min_wind_m_s;
    opt.stack_tip_downwash = options_.stack_tip_downwash;
    opt.min_dtheta_dz_k_m = options_.min_dtheta_dz_k_m;
    kernels::plume_rise(static_cast<int>(stacks_.size()), stack_parameters_.data(), stack_weather_.data(), opt,
                        plumes_.data());

    // Spread each plume over the layers between its bottom and top, by the height overlapped.
    const auto& zf = grid_.z_face();
    const double z_top = zf[nz];
    layer_fraction_.clear();
    for (std::size_t n = 0; n < stacks_.size(); ++n) {
        const kernels::PlumeExtent& e = plumes_[n];
        const double bottom = std::min(e.bottom_m, z_top), top = std::min(e.top_m, z_top);
        if (top - bottom <= 0) {
            layer_fraction_.push_back({grid_.layer_of(bottom >= z_top ? z_top : e.bottom_m), 1.0});
        } else {
            for (int k = grid_.layer_of(bottom); k < nz && zf[k] < top; ++k) {
                const double overlap = std::min(top, zf[k + 1]) - std::max(bottom, zf[k]);
                if (overlap > 0) layer_fraction_.push_back({k, overlap / (top - bottom)});
            }
        }
        layer_start_[n + 1] = static_cast<int>(layer_fraction_.size());
    }
    plumes_changed_ = true;
}

bool EmissionModel::fill(double t0_epoch_s, double t1_epoch_s, EmissionTable& table) {
    const int nspec = static_cast<int>(species_.size());
    const double dt = t1_epoch_s - t0_epoch_s;
    // Rate per unit amount (s-1): the fraction of the annual total emitted in the step over its length.
    std::array<double, kAllSectors> scale{};
    for (int c = 0; c < kInventorySectors; ++c) scale[c] = inventory_.profiles.fraction(c, t0_epoch_s, t1_epoch_s) / dt;
    scale[static_cast<int>(Sector::fixed)] = 1.0;
    for (int s = 0; s < nspec; ++s)
        for (int c = 0; c < kAllSectors; ++c)
            sector_rate_[static_cast<std::size_t>(s) * kAllSectors + c] = amount_[static_cast<std::size_t>(s) * kAllSectors + c] * scale[c];
    if (filled_once_ && scale == last_scale_ && !plumes_changed_) return false;
    filled_once_ = true;
    last_scale_ = scale;
    plumes_changed_ = false;

    // Accumulate into a dense (column, species, layer) buffer in a fixed order, then compact.
    int layers = 1;
    for (const GriddedEmission& g : static_) layers = std::max(layers, g.k + 1);
    for (const auto& [k, f] : layer_fraction_) layers = std::max(layers, k + 1);
    const std::size_t plane = grid_.columns();
    const std::size_t per_column = static_cast<std::size_t>(nspec) * layers;
    dense_.assign(plane * per_column, 0.0);
    for (const GriddedEmission& g : static_)
        dense_[g.column * per_column + static_cast<std::size_t>(g.species) * layers + g.k] += g.amount * scale[g.sector];
    for (std::size_t n = 0; n < stacks_.size(); ++n) {
        const Stack& st = stacks_[n];
        double* col = dense_.data() + st.column * per_column;
        for (int e = layer_start_[n]; e < layer_start_[n + 1]; ++e) {
            const auto [k, f] = layer_fraction_[e];
            for (int a = st.shares_begin; a < st.shares_end; ++a)
                col[static_cast<std::size_t>(stack_shares_[a].species) * layers + k] += stack_shares_[a].annual_ug * f * scale[st.sector];
        }
    }
    table.column_start.assign(plane + 1, 0);
    table.entries.clear();
    table.total_ug_s.assign(nspec, 0.0);
    for (std::size_t c = 0; c < plane; ++c) {
        const double* col = dense_.data() + c * per_column;
        for (int s = 0; s < nspec; ++s)
            for (int k = 0; k < layers; ++k) {
                const double rate = col[static_cast<std::size_t>(s) * layers + k];
                if (rate <= 0) continue;
                table.entries.push_back({k, s, rate});
                table.total_ug_s[s] += rate;
            }
        table.column_start[c + 1] = static_cast<int>(table.entries.size());
    }
    return true;
}

}  // namespace lantian
