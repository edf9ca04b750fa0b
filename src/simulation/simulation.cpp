// The run loop. Order of processes within a step (DESIGN §2): advection (x,y,z alternating with
// z,y,x) → horizontal diffusion → emission + vertical mixing + dry deposition (implicit).
#include "simulation/simulation.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sstream>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "flux_kernels.hpp"
#include "met/wrf_met.hpp"
#include "output/netcdf_writer.hpp"
#include "output/output_grid.hpp"
#include "output/receptors.hpp"
#include "processes/advection.hpp"
#include "processes/mixing.hpp"
#include "processes/removal.hpp"
#include "scenarios/reduction_list.hpp"
#include "scenarios/tagging.hpp"
#include "scenarios/regions.hpp"
#include "simulation/checkpoint.hpp"

namespace lantian {

volatile std::sig_atomic_t g_stop_signal = 0;

namespace {

double lookup(const std::map<std::string, double>& m, const std::string& key, double fallback) {
    const auto it = m.find(key);
    return it == m.end() ? fallback : it->second;
}

constexpr double kTimeEpsilonS = 1e-6;  // s; times closer than this are the same instant

std::vector<std::string> scenario_list(const Config& cfg) {
    std::vector<std::string> out;
    if (cfg.scenarios.base) out.push_back("base");
    for (const auto& item : cfg.scenarios.runs) out.push_back(item.substr(0, item.find(':')));
    return out;
}

Inventory inventory_of(const Config& cfg) { return cfg.inventory.any() ? load_inventory(cfg) : Inventory{}; }

// Tracer names: the species for the first scenario, "SPECIES@SCENARIO" for the others, then the
// base case's tags "SPECIES#GROUP".
std::vector<std::string> tracer_names(const std::vector<std::string>& species, const std::vector<std::string>& scenarios,
                                      const std::vector<std::string>& tags) {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < scenarios.size(); ++k)
        for (const auto& s : species) out.push_back(k == 0 && scenarios[k] == "base" ? s : s + "@" + scenarios[k]);
    for (const auto& g : tags)
        for (const auto& s : species) out.push_back(s + "#" + g);
    return out;
}

}  // namespace

Simulation::Simulation(const Config& cfg, std::vector<PointSource> extra_points, std::vector<AreaSource> extra_areas)
    : cfg_(with_met_grid(cfg)), grid_(cfg_.grid), scenario_names_(scenario_list(cfg)),
      inventory_(std::make_unique<Inventory>(inventory_of(cfg))), tagging_(std::make_unique<TagGrouping>(cfg, *inventory_)),
      tag_groups_(tagging_->names()), tracer_names_(tracer_names(cfg.species.names, scenario_names_, tag_groups_)),
      species_(species_table(cfg.species.names)),
      start_epoch_s_(parse_iso_time_utc(cfg.run.start)),
      met_source_(make_met_source(cfg_, grid_, start_epoch_s_)), timeline_(*met_source_, grid_),
      state_(grid_.nx(), grid_.ny(), grid_.nz(), static_cast<int>(tracer_names_.size())),
      ledger_(tracer_names_) {
    met_mid_.resize(grid_);
    met_end_.resize(grid_);
    const auto& names = cfg.species.names;
    nphys_ = static_cast<int>(names.size());
    const int nscen = static_cast<int>(scenario_names_.size());
    const int ngroups = static_cast<int>(tag_groups_.size());
    const int nblocks = nscen + ngroups;
    const int ntracer = nphys_ * nblocks;
    // Every per-tracer setting is the physical species' setting, repeated for each scenario.
    std::vector<std::string> all_names;
    for (int k = 0; k < nblocks; ++k) all_names.insert(all_names.end(), names.begin(), names.end());

    std::vector<PointSource> points = std::move(extra_points);
    std::vector<AreaSource> areas = std::move(extra_areas);
    if (!cfg.sources.points.empty()) {
        auto more = read_point_sources(resolve_path(cfg, cfg.sources.points), names);
        points.insert(points.end(), more.begin(), more.end());
    }
    if (!cfg.sources.areas.empty()) {
        auto more = read_area_sources(resolve_path(cfg, cfg.sources.areas), names);
        areas.insert(areas.end(), more.begin(), more.end());
    }
    // Scenarios: the base inventory and reduction lists with their level's measures in force.
    std::vector<EmissionScenario> scenarios;
    if (cfg.scenarios.base) scenarios.push_back({"base", {}});
    // Each reduction scenario is one tracer block; its cuts may change during the run (alert-
    // triggered levels, time windows), so it is split into variants, each in force in its hours.
    const int run_hours = static_cast<int>(std::ceil(cfg.run.hours - 1e-9));
    for (std::size_t n = 0; n < cfg.scenarios.runs.size(); ++n) {
        const std::string& item = cfg.scenarios.runs[n];
        const auto a = item.find(':'), b = item.rfind(':');
        const auto list = std::make_shared<ReductionList>(read_reduction_list(resolve_path(cfg, item.substr(a + 1, b - a - 1))));
        const std::string level_name = item.substr(b + 1);
        const int block = static_cast<int>(n) + (cfg.scenarios.base ? 1 : 0);
        auto level_in_hour = [&](int h) {
            if (level_name == "triggered")
                return static_cast<MeasureLevel>(h < static_cast<int>(cfg.scenarios.trigger_levels.size()) ? cfg.scenarios.trigger_levels[h] : 0);
            return measure_level_from_name(level_name).value_or(MeasureLevel::always);
        };
        // State of each hour: the level and which windowed rows are open at the hour's middle.
        std::vector<std::string> keys;
        auto hour_variant = std::make_shared<std::vector<int>>(std::max(run_hours, 1), 0);
        std::vector<std::pair<MeasureLevel, std::vector<bool>>> states;
        for (int h = 0; h < std::max(run_hours, 1); ++h) {
            const double mid = start_epoch_s_ + (h + 0.5) * 3600.0;
            std::vector<bool> open;
            std::string key = std::to_string(static_cast<int>(level_in_hour(h))) + ":";
            for (const ReductionRow& r : list->rows) {
                const bool windowed = r.start_epoch_s >= 0 || r.end_epoch_s >= 0;
                const bool in = !windowed || ((r.start_epoch_s < 0 || mid >= r.start_epoch_s) && (r.end_epoch_s < 0 || mid < r.end_epoch_s));
                open.push_back(in);
                key += in ? '1' : '0';
            }
            auto it = std::find(keys.begin(), keys.end(), key);
            if (it == keys.end()) {
                keys.push_back(key);
                states.push_back({level_in_hour(h), open});
                it = keys.end() - 1;
            }
            (*hour_variant)[h] = static_cast<int>(it - keys.begin());
        }
        for (std::size_t v = 0; v < states.size(); ++v) {
            auto filtered = std::make_shared<ReductionList>(*list);
            filtered->rows.clear();
            for (std::size_t r = 0; r < list->rows.size(); ++r)
                if (states[v].second[r]) filtered->rows.push_back(list->rows[r]);
            const MeasureLevel level = states[v].first;
            EmissionScenario sc(item.substr(0, a), [filtered, level](const std::string& id, Sector sector, char grade,
                                                                     const std::string& region, int pollutant) {
                return reduction_cut(*filtered, SourceKey{id, sector, grade, region}, pollutant, level);
            });
            sc.block = block;
            if (states.size() > 1) {
                const double t_start = start_epoch_s_;
                const int variant = static_cast<int>(v);
                sc.active = [hour_variant, t_start, variant](double t0, double t1) {
                    const int h = std::clamp(static_cast<int>(std::floor((0.5 * (t0 + t1) - t_start) / 3600.0)), 0,
                                             static_cast<int>(hour_variant->size()) - 1);
                    return (*hour_variant)[h] == variant;
                };
            }
            scenarios.push_back(std::move(sc));
        }
    }
    // Tags: each group emits its own sources only (fixed: the constant-rate sources; background: nothing).
    const TagGrouping* grouping = tagging_.get();
    for (int g = 0; g < ngroups; ++g) {
        // Tag g holds source group g / periods, emitted in period g % periods (fixed and background: no group).
        const bool source_tag = g < grouping->base_count() * grouping->periods();
        const int group = source_tag ? g / grouping->periods() : -1;
        const int period = source_tag ? g % grouping->periods() : 0;
        EmissionScenario sc(tag_groups_[g],
                            [group, grouping](const std::string& id, Sector sector, char grade, const std::string& region, int) {
                                return group >= 0 && grouping->group_of(id, sector, grade, region) == group ? 0.0 : 1.0;
                            },
                            g == grouping->fixed());
        sc.block = nscen + g;
        if (source_tag && grouping->periods() > 1) {
            const double t_start = start_epoch_s_, length_s = grouping->period_h() * 3600.0;
            const int last = grouping->periods() - 1;
            sc.active = [period, t_start, length_s, last](double t0, double t1) {
                return std::clamp(static_cast<int>(std::floor((0.5 * (t0 + t1) - t_start) / length_s)), 0, last) == period;
            };
        }
        scenarios.push_back(std::move(sc));
    }
    EmissionModelOptions emission_options;
    const auto regions = std::make_shared<RegionSet>(cfg.regions);
    emission_options.region_of = [regions](double lon, double lat) { return regions->region_of(lon, lat); };
    emissions_ = std::make_unique<EmissionModel>(grid_, names, std::move(*inventory_),
                                                 cfg.inventory, points, areas, emission_options, std::move(scenarios));
    warnings_.insert(warnings_.end(), emissions_->warnings().begin(), emissions_->warnings().end());

    BoundaryProfile background;
    std::vector<double> vd(ntracer);
    for (int t = 0; t < ntracer; ++t) {
        background.surface_ug_m3.push_back(lookup(cfg.species.background_ug_m3, all_names[t], 0.0));
        vd[t] = lookup(cfg.species.deposition_velocity_m_s, all_names[t], 0.0);
    }
    background.scale_height_m = cfg.species.background_scale_height_m;

    const auto rec = cfg.transport.advection == AdvectionScheme::ppm ? kernels::Reconstruction::ppm
                                                                      : kernels::Reconstruction::upwind;
    auto advection = std::make_unique<Advection>(grid_, ntracer, rec, cfg.transport.boundary, cfg.run.cfl, background);
    if (ngroups > 0) {
        std::vector<int> bulk, tags;
        for (int s = 0; s < nphys_; ++s) {
            bulk.push_back(tracer(0, s));
            for (int g = 0; g < ngroups; ++g) tags.push_back(tracer(nscen + g, s));
        }
        advection->set_tags(nscen * nphys_, bulk, tags, ngroups, ngroups - 1);
    }
    processes_.push_back(std::move(advection));
    if (cfg.transport.horizontal_diffusion != HorizontalDiffusion::off)
        processes_.push_back(std::make_unique<HorizontalDiffusionProcess>(grid_, ntracer, cfg.transport));
    // Removal and chemistry from the species table.
    const SpeciesPropertiesTable props = cfg.species.table.empty()
                                             ? SpeciesPropertiesTable::builtin()
                                             : SpeciesPropertiesTable::from_file(resolve_path(cfg, cfg.species.table));
    for (const auto& n : names) {
        const SpeciesProperties* p = props.find(n);
        pm25_fraction_.push_back(p ? p->pm25_fraction : 0.0);
        pm10_fraction_.push_back(p ? p->pm10_fraction : 0.0);
        molar_mass_.push_back(p ? p->molar_mass_g_mol : 0.0);
        has_pm_ = has_pm_ || (p && p->pm10_fraction > 0);
    }
    {
        std::vector<Receptor> receptors = parse_receptors(cfg.receptors);
        if (!receptors.empty()) sampler_ = std::make_unique<ReceptorSampler>(grid_, std::move(receptors));
    }
    for (const auto& n : names)
        if (!props.find(n))
            warnings_.push_back("species " + n + " is not in the species table: a passive tracer (no deposition, settling, "
                                "scavenging or chemistry; not counted in PM2.5/PM10)");
    auto deposition = std::make_shared<DryDeposition>(grid_, all_names, props, cfg.species.deposition_velocity_m_s,
                                                      cfg.removal, cfg.met.z0_m);
    if (cfg.removal.settling) {
        std::vector<int> settling;
        std::vector<double> velocity;
        for (int t = 0; t < ntracer; ++t)
            if (deposition->settling_velocity(t) > 0) {
                settling.push_back(t);
                velocity.push_back(deposition->settling_velocity(t));
            }
        if (!settling.empty()) processes_.push_back(std::make_unique<Settling>(grid_, settling, velocity));
    }
    auto mixing = std::make_unique<VerticalMixing>(grid_, ntracer, EmissionTable{}, std::move(vd), cfg.transport.vertical_diffusion);
    mixing->set_deposition_model(deposition);
    mixing_ = mixing.get();
    processes_.push_back(std::move(mixing));
    std::vector<std::string> skipped;
    const auto physical = Chemistry::conversions(names, cfg.chemistry, props, skipped);
    for (const auto& s : skipped) warnings_.push_back("chemistry: " + s + " is off");
    std::vector<Chemistry::Conversion> conversions;
    for (int k = 0; k < nblocks; ++k)
        for (Chemistry::Conversion c : physical) {
            c.from += k * nphys_;
            c.to += k * nphys_;
            conversions.push_back(c);
        }
    if (!conversions.empty()) processes_.push_back(std::make_unique<Chemistry>(grid_, std::move(conversions)));
    if (cfg.removal.wet_scavenging) {
        std::vector<WetScavenging::Coefficients> coefficients;
        for (int t = 0; t < ntracer; ++t)
            if (const SpeciesProperties* p = props.find(all_names[t]); p && p->scav_a_s > 0)
                coefficients.push_back({t, p->scav_a_s, p->scav_b});
        if (!coefficients.empty()) processes_.push_back(std::make_unique<WetScavenging>(grid_, std::move(coefficients)));
    }

    initialise_state();
}

Simulation::~Simulation() = default;

// The output a checkpoint's records are in: still open (.partial), stopped (.incomplete.nc/.csv) or
// a finished shorter run (the final name).
// An open .partial is renamed to .incomplete first: the new run's writer creates a fresh .partial.
static std::string previous_output(const std::string& path) {
    namespace fs = std::filesystem;
    const std::string ext = path.substr(path.find_last_of('.'));
    const std::string stem = path.substr(0, path.size() - ext.size());
    if (fs::exists(path + ".partial")) fs::rename(path + ".partial", stem + ".incomplete" + ext);
    for (const std::string& p : {stem + ".incomplete" + ext, path})
        if (fs::exists(p)) return p;
    throw ConfigError("restart: the output written before the checkpoint is gone: none of " + path + ".partial, " + stem +
                      ".incomplete" + ext + ", " + path + " exists");
}

void Simulation::initialise_state() {
    const MetState& met0 = timeline_.at(0.0);
    const kernels::GridViews gv = grid_views(grid_, false);
    kernels::air_mass_from_density(gv, met0.rho_kg_m3.data(), state_.air_mass_kg.data());
    const std::size_t plane = grid_.columns();
    for (int s = 0; s < state_.nspec; ++s) {
        const std::string& name = cfg_.species.names[s % nphys_];
        const double surface = lookup(cfg_.species.initial_ug_m3, name, lookup(cfg_.species.background_ug_m3, name, 0.0));
        const bool uniform_given = cfg_.species.initial_ug_m3.count(name) > 0;
        real* q = state_.species(s);
        for (int k = 0; k < grid_.nz(); ++k) {
            // Initial field: uniform when given explicitly, otherwise the background profile.
            const double c = uniform_given ? surface
                                           : surface * std::exp(-grid_.z_center()[k] / cfg_.species.background_scale_height_m);
            // Tags: the initial state belongs to the background tag; the sector tags start empty.
            const int block = s / nphys_;
            const bool tag = block >= static_cast<int>(scenario_names_.size());
            const bool background_tag = tag && block == static_cast<int>(scenario_names_.size() + tag_groups_.size()) - 1;
            for (std::size_t col = 0; col < plane; ++col) {
                const std::size_t cell = k * plane + col;
                q[cell] = (tag && !background_tag) ? real(0) : static_cast<real>(c / met0.rho_kg_m3[cell]);
            }
        }
        ledger_[s].initial_kg = state_.tracer_mass_ug(s) * 1e-9;
    }
}

void Simulation::restate_initial_mass() {
    for (int s = 0; s < state_.nspec; ++s) ledger_[s].initial_kg = state_.tracer_mass_ug(s) * 1e-9;
}

std::vector<double> Simulation::concentration(int s, int k) const {
    const std::size_t plane = grid_.columns();
    std::vector<double> out(plane);
    const real* q = state_.species(s);
    for (std::size_t col = 0; col < plane; ++col) {
        const std::size_t cell = k * plane + col;
        out[col] = q[cell] * state_.air_mass_kg[cell] / (grid_.area_m2()[col] * grid_.dz()[k]);
    }
    return out;
}

void Simulation::step(double dt_s) {
    using clock = std::chrono::steady_clock;
    auto lap = [this, t = clock::now()](const char* phase) mutable {
        const auto now = clock::now();
        phase_s_[phase] += std::chrono::duration<double>(now - t).count();
        t = now;
    };
    // Weather at the step's midpoint drives fluxes and mixing; density at its end fixes the air
    // mass the step must land on.
    timeline_.interpolate(t_s_ + 0.5 * dt_s, met_mid_);
    timeline_.density(t_s_ + dt_s, met_end_.rho_kg_m3);
    lap("weather");
    // Plume rise follows the weather: recomputed at the first step of every snapshot interval.
    const long met_index = timeline_.snapshot_index(t_s_ + 0.5 * dt_s);
    if (met_index != met_index_) {
        emissions_->update_weather(met_mid_);
        met_index_ = met_index;
        plume_t_s_ = t_s_ + 0.5 * dt_s;
    }
    last_mid_t_s_ = t_s_ + 0.5 * dt_s;
    emissions_->fill(start_epoch_s_ + t_s_, start_epoch_s_ + t_s_ + dt_s, mixing_->emissions());
    lap("emissions");
    StepContext ctx{grid_, met_mid_, met_end_, dt_s, step_index_, state_, ledger_, start_epoch_s_ + t_s_, &par_};
    for (auto& p : processes_) {
        p->step(ctx);
        lap(p->name());
    }
    constexpr double kKgPerUg = 1e-9;
    for (int s = 0; s < state_.nspec; ++s)
        for (int c = 0; c < kAllSectors; ++c) ledger_[s].emitted_by_sector_kg[c] += emissions_->sector_rate_ug_s(s, c) * dt_s * kKgPerUg;
    ++step_index_;
}

void Simulation::check_fields(double t_s) const {
    const std::size_t plane = grid_.columns();
    const int nx = grid_.nx();
    std::string problem;
    for (int s = 0; s < state_.nspec && problem.empty(); ++s) {
        const real* q = state_.species(s);
        for (int k = 0; k < grid_.nz() && problem.empty(); ++k)
            kernels::for_columns(par_.window(), nx, grid_.ny(), [&](std::size_t col) {
                const real v = q[k * plane + col];
                if (!problem.empty() || (std::isfinite(v) && v >= 0)) return;
                std::ostringstream m;
                m << "non-physical " << cfg_.species.names[s] << " mixing ratio " << v << " ug/kg at i=" << col % nx
                  << " j=" << col / nx << " k=" << k << " at " << format_iso_time_utc(start_epoch_s_ + t_s) << " (step "
                  << step_index_ << ")";
                problem = m.str();
            });
    }
    // Every rank stops together (a rank left waiting in an exchange would hang the run).
    if (par_.any(!problem.empty()))
        throw RunError(problem.empty() ? "non-physical values on another rank at " + format_iso_time_utc(start_epoch_s_ + t_s)
                                       : problem);
}

void Simulation::set_parallel(const Comm& comm) {
    const bool periodic = cfg_.transport.boundary == BoundaryKind::periodic;
    Decomposition dec(grid_.nx(), grid_.ny(), comm.size(), cfg_.parallel.px, cfg_.parallel.py, periodic, periodic);
    par_ = Parallel(comm, dec);
}

std::string Simulation::chemistry_balance() const {
    // Atoms of the element per molecule and its molar mass (g mol-1).
    struct Carrier {
        const char* species;
        const char* element;
        double atoms;
    };
    constexpr Carrier carriers[] = {{"SO2", "S", 1}, {"SO4", "S", 1}, {"NO2", "N", 1}, {"NO3", "N", 1}, {"NH3", "N", 1}, {"NH4", "N", 1}};
    constexpr double kSulfur = 32.06, kNitrogen = 14.007;
    std::ostringstream o;
    for (const char* element : {"S", "N"}) {
        double net = 0, moved = 0;
        bool any = false;
        for (const Carrier& c : carriers) {
            if (std::string(c.element) != element) continue;
            for (int s = 0; s < state_.nspec; ++s) {
                const int p = s % nphys_;
                if (cfg_.species.names[p] != c.species || molar_mass_[p] <= 0) continue;
                const double kg = ledger_[s].chemistry_kg * c.atoms * (element[0] == 'S' ? kSulfur : kNitrogen) / molar_mass_[p];
                net += kg;
                moved += std::max(0.0, kg);
                any = any || ledger_[s].chemistry_kg != 0;
            }
        }
        if (any)
            o << "chemistry moved " << moved << " kg of " << element << " between species; net change " << net
              << " kg (element conserved to round-off)\n";
    }
    return o.str();
}

namespace {
// The ledger of one tracer as a flat row (checkpoints).
std::vector<double> ledger_words(const SpeciesLedger& l) {
    std::vector<double> w = {l.initial_kg, l.emitted_kg, l.deposited_kg, l.final_kg, l.settled_kg, l.wet_kg, l.chemistry_kg};
    w.insert(w.end(), l.inflow_kg.begin(), l.inflow_kg.end());
    w.insert(w.end(), l.outflow_kg.begin(), l.outflow_kg.end());
    w.insert(w.end(), l.emitted_by_sector_kg.begin(), l.emitted_by_sector_kg.end());
    return w;
}
void set_ledger_words(SpeciesLedger& l, const double* w) {
    double* fields[] = {&l.initial_kg, &l.emitted_kg, &l.deposited_kg, &l.final_kg, &l.settled_kg, &l.wet_kg, &l.chemistry_kg};
    for (double* f : fields) *f = *w++;
    for (double& v : l.inflow_kg) v = *w++;
    for (double& v : l.outflow_kg) v = *w++;
    for (double& v : l.emitted_by_sector_kg) v = *w++;
}
}  // namespace

std::string Simulation::checkpoint_file() const {
    if (!cfg_.checkpoint.file.empty()) return cfg_.checkpoint.file;
    std::string stem = cfg_.output.file;
    if (stem.size() > 3 && stem.ends_with(".nc")) stem.resize(stem.size() - 3);
    return stem + ".checkpoint.h5";
}

void Simulation::write_checkpoint(const RunSummary& summary) const {
    // The full state on the group's first rank, which writes.
    par_.gather(const_cast<State&>(state_), 0);
    if (par_.rank() != 0) return;
    Checkpoint c;
    c.version = LANTIAN_VERSION;
    c.config_text = checkpoint_config_text(cfg_);
    c.config_hash = config_hash(c.config_text);
    c.nx = grid_.nx();
    c.ny = grid_.ny();
    c.nz = grid_.nz();
    c.nspec = state_.nspec;
    c.t_s = t_s_;
    c.plume_t_s = plume_t_s_;
    c.last_mid_t_s = last_mid_t_s_;
    c.step_index = step_index_;
    c.steps = summary.steps;
    c.min_dt_s = summary.min_dt_s;
    c.max_dt_s = summary.max_dt_s;
    c.records = summary.records;
    c.air_mass_kg = state_.air_mass_kg;
    c.q.assign(state_.q.begin(), state_.q.end());
    for (int s = 0; s < state_.nspec; ++s) {
        const std::vector<double> w = ledger_words(ledger_[s]);
        c.ledger.insert(c.ledger.end(), w.begin(), w.end());
    }
    lantian::write_checkpoint(checkpoint_file(), c);
}

void Simulation::restart_from(const std::string& file) {
    const Checkpoint c = read_checkpoint(file);
    const std::string text = checkpoint_config_text(cfg_);
    if (c.config_hash != config_hash(text)) {
        // Name the first lines that differ.
        std::istringstream a(c.config_text), b(text);
        std::string la, lb, diff;
        int shown = 0;
        while (shown < 3 && (std::getline(a, la) ? 1 : (la.clear(), 0)) + (std::getline(b, lb) ? 1 : (lb.clear(), 0)) > 0) {
            if (la != lb) {
                diff += "\n  checkpoint: " + (la.empty() ? std::string("(nothing)") : la) + "\n  this run:   " +
                        (lb.empty() ? std::string("(nothing)") : lb);
                ++shown;
            }
        }
        throw ConfigError("checkpoint " + file + " was written for another configuration (config hash " + c.config_hash +
                          ", this run " + config_hash(text) + "); only run.hours, run.log_interval_h, [parallel] and "
                          "[checkpoint] may change on restart. First differences:" + diff);
    }
    const std::size_t words = ledger_words(SpeciesLedger{}).size();
    if (c.nx != grid_.nx() || c.ny != grid_.ny() || c.nz != grid_.nz() || c.nspec != state_.nspec ||
        c.ledger.size() != words * static_cast<std::size_t>(state_.nspec))
        throw ConfigError("checkpoint " + file + ": its grid or tracers do not match this run");
    if (c.t_s > cfg_.run.hours * 3600.0 + kTimeEpsilonS)
        throw ConfigError("checkpoint " + file + " is at hour " + std::to_string(c.t_s / 3600.0) + ", after the end of this run (run.hours = " +
                          std::to_string(cfg_.run.hours) + ")");
    state_.air_mass_kg = c.air_mass_kg;
    for (std::size_t n = 0; n < c.q.size(); ++n) state_.q[n] = static_cast<real>(c.q[n]);
    for (int s = 0; s < state_.nspec; ++s) set_ledger_words(ledger_[s], c.ledger.data() + s * words);
    t_s_ = c.t_s;
    step_index_ = c.step_index;
    plume_t_s_ = c.plume_t_s;
    last_mid_t_s_ = c.last_mid_t_s;
    restart_summary_.steps = c.steps;
    restart_summary_.min_dt_s = c.min_dt_s;
    restart_summary_.max_dt_s = c.max_dt_s;
    restart_summary_.records = c.records;
    restarted_ = true;
    // The plume rise in force and the weather that sets the next step's length, as they were.
    if (plume_t_s_ >= 0) {
        MetState plume_met;
        plume_met.resize(grid_);
        timeline_.interpolate(plume_t_s_, plume_met);
        emissions_->update_weather(plume_met);
        met_index_ = timeline_.snapshot_index(plume_t_s_);
    }
}

std::string Simulation::scenario_file(int k) const {
    if (scenario_names_[k] == "base") return cfg_.output.file;
    std::string stem = cfg_.output.file;
    if (stem.size() > 3 && stem.ends_with(".nc")) stem.resize(stem.size() - 3);
    return stem + "_" + scenario_names_[k] + ".nc";
}

RunSummary Simulation::run(bool output, const std::function<void(double, double)>& progress) {
    const auto wall0 = std::chrono::steady_clock::now();
    const double t_end = cfg_.run.hours * 3600.0;
    const double out_interval = cfg_.output.interval_h * 3600.0;
    RunSummary summary;
    summary.min_dt_s = 1e300;

    const int nscen = static_cast<int>(scenario_names_.size());
    std::vector<std::unique_ptr<NetcdfWriter>> writers(nscen);
    std::vector<std::unique_ptr<ReceptorWriter>> receptor_writers(nscen);
    std::vector<OutputField> fields;
    // One rank of a decomposed run writes: the blocks are gathered to it at every record.
    // parallel.io = collective: every rank writes its block of the gridded files (MPI-IO); the
    // receptor series are always written by the first rank.
    const bool collective = output && par_.split() && cfg_.parallel.io == ParallelIo::collective;
    const bool writer = output && (par_.rank() == 0 || collective);
    const bool series_writer = output && par_.rank() == 0;
    // A restart continues the output files of the run that wrote the checkpoint (found and renamed
    // by the first rank, then looked up by the others).
    std::vector<std::array<std::string, 3>> resume_sources(nscen);
    auto find_sources = [&] {
        for (int k = 0; k < nscen; ++k) {
            resume_sources[k][0] = previous_output(scenario_file(k));
            if (sampler_ && series_writer) {
                resume_sources[k][1] = previous_output(receptor_file_for(scenario_file(k), ".nc"));
                resume_sources[k][2] = previous_output(receptor_file_for(scenario_file(k), ".csv"));
            }
        }
    };
    if (writer && restarted_) {
        if (par_.rank() == 0) find_sources();
        if (collective) par_.comm().barrier();
        if (par_.rank() != 0) find_sources();
    }
    if (writer) {
        for (const auto& sp : species_)
            fields.push_back({sp.name, sp.long_name + " mass concentration in the lowest model layer", sp.standard_name,
                              sp.output_units, true});
        if (has_pm_) {
            fields.push_back({"PM25_total", "PM2.5 (primary, secondary and fine dust) mass concentration in the lowest model layer",
                              "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air", "ug m-3", false});
            fields.push_back({"PM10_total", "PM10 mass concentration in the lowest model layer",
                              "mass_concentration_of_pm10_ambient_aerosol_particles_in_air", "ug m-3", false});
        }
        fields.push_back({"pblh", "atmospheric boundary layer height", "atmosphere_boundary_layer_thickness", "m", false});
        fields.push_back({"u10", "10 m wind along grid x", "x_wind", "m s-1", false});
        fields.push_back({"v10", "10 m wind along grid y", "y_wind", "m s-1", false});
        for (int k = 0; k < nscen; ++k) {
            OutputMetadata meta;
            meta.title = cfg_.run.title + (scenario_names_[k] == "base" ? "" : " [scenario " + scenario_names_[k] + "]");
            meta.reference_time = format_iso_time_utc(start_epoch_s_);
            meta.config_text = to_ini(cfg_);
            const std::time_t now = std::time(nullptr);
            char stamp[32];
            std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
            meta.history = std::string(stamp) + " " + (command_line.empty() ? "lantian run" : command_line);
            meta.extra_attributes["lantian_surface_layer_top_m"] = std::to_string(grid_.z_face()[1]);
            meta.extra_attributes["lantian_wind_note"] = "u10/v10 and all winds are grid-relative";
            meta.extra_attributes["lantian_scenario"] = scenario_names_[k];
            {
                std::error_code error;
                const auto dir = std::filesystem::absolute(std::filesystem::path(cfg_.source_file).parent_path(), error);
                meta.extra_attributes["lantian_config_dir"] = error ? std::string(".") : dir.string();
            }
            if (scenario_names_[k] != "base") {
                const std::string& item = cfg_.scenarios.runs[static_cast<std::size_t>(k - (cfg_.scenarios.base ? 1 : 0))];
                meta.extra_attributes["lantian_scenario_definition"] = item;
            }
            const std::string file = scenario_file(k);
            const bool tagged = k == 0 && !tag_groups_.empty();
            std::vector<OutputField> my_fields = fields;
            if (tagged && has_pm_)
                for (const auto& g : tag_groups_)
                    my_fields.push_back({"PM25_total__" + g, "PM2.5 from tag " + g + " (source apportionment)", "", "ug m-3", false});
            if (tagged) meta.extra_attributes["lantian_tags"] = to_string(cfg_.tags.by).data();
            if (sampler_) {
                std::vector<SeriesVariable> variables;
                for (const auto& sp : species_) variables.push_back({sp.name, sp.long_name, sp.output_units});
                if (has_pm_) {
                    variables.push_back({"PM25_total", "PM2.5 (primary, secondary and fine dust)", "ug m-3"});
                    variables.push_back({"PM10_total", "PM10", "ug m-3"});
                }
                if (tagged)
                    for (const auto& g : tag_groups_) {
                        for (const auto& sp : species_)
                            variables.push_back({sp.name + "__" + g, sp.long_name + " from tag " + g, sp.output_units});
                        if (has_pm_) variables.push_back({"PM25_total__" + g, "PM2.5 from tag " + g, "ug m-3"});
                    }
                if (series_writer)
                    receptor_writers[k] = std::make_unique<ReceptorWriter>(file, sampler_->receptors(), variables,
                                                                           meta.reference_time, meta.title);
                const std::string nc = receptor_file_for(file, ".nc");
                meta.extra_attributes["lantian_receptors_file"] = nc.substr(nc.find_last_of('/') + 1);
            }
            writers[k] = std::make_unique<NetcdfWriter>(file, output_grid(grid_), my_fields, meta, cfg_.output.fields_3d,
                                                        cfg_.output.deflate_level, collective ? &par_ : nullptr);
        }
    }

    auto write_record = [&](double t_s) {
        const std::size_t plane = grid_.columns(), nspec = species_.size();
        for (int k = 0; k < nscen; ++k) {
            const bool tagged = k == 0 && !tag_groups_.empty();
            const std::size_t nfields = fields.size() + (tagged && has_pm_ ? tag_groups_.size() : 0);
            std::vector<std::vector<float>> surface(nfields), volume(nfields);
            std::vector<std::vector<double>> series;
            std::vector<double> pm25(plane, 0.0), pm10(plane, 0.0);
            for (std::size_t s = 0; s < nspec; ++s) {
                const int tracer = k * nphys_ + static_cast<int>(s);
                const double scale = species_[s].output_scale;
                const std::vector<double> c0 = concentration(tracer, 0);
                surface[s].resize(plane);
                for (std::size_t col = 0; col < plane; ++col) {
                    surface[s][col] = static_cast<float>(c0[col] * scale);
                    pm25[col] += pm25_fraction_[s] * c0[col];
                    pm10[col] += pm10_fraction_[s] * c0[col];
                }
                if (sampler_ && receptor_writers[k]) {
                    std::vector<double> scaled(c0);
                    for (double& v : scaled) v *= scale;
                    series.push_back(sampler_->sample(scaled));
                }
                if (cfg_.output.fields_3d) {
                    volume[s].reserve(grid_.cells());
                    for (int z = 0; z < grid_.nz(); ++z)
                        for (double v : concentration(tracer, z)) volume[s].push_back(static_cast<float>(v * scale));
                }
            }
            std::size_t next = nspec;
            if (has_pm_) {
                surface[next++].assign(pm25.begin(), pm25.end());
                surface[next++].assign(pm10.begin(), pm10.end());
                if (sampler_ && receptor_writers[k]) {
                    series.push_back(sampler_->sample(pm25));
                    series.push_back(sampler_->sample(pm10));
                }
            }
            const MetState& met = met_mid_;
            const std::vector<double>* diag[3] = {&met.pblh_m, &met.u10_m_s, &met.v10_m_s};
            for (int d = 0; d < 3; ++d) surface[next + d].assign(diag[d]->begin(), diag[d]->end());
            next += 3;
            if (tagged) {
                // Tags of the base case: PM2.5 per group in the file; every species per group at the receptors.
                const int first_tag_block = static_cast<int>(scenario_names_.size());
                for (std::size_t g = 0; g < tag_groups_.size(); ++g) {
                    std::vector<double> pm(plane, 0.0);
                    for (std::size_t s = 0; s < nspec; ++s) {
                        const std::vector<double> c0 = concentration(tracer(first_tag_block + static_cast<int>(g), static_cast<int>(s)), 0);
                        for (std::size_t col = 0; col < plane; ++col) pm[col] += pm25_fraction_[s] * c0[col];
                        if (sampler_ && receptor_writers[k]) {
                            std::vector<double> scaled(c0);
                            for (double& v : scaled) v *= species_[s].output_scale;
                            series.push_back(sampler_->sample(scaled));
                        }
                    }
                    if (has_pm_) {
                        surface[next++].assign(pm.begin(), pm.end());
                        if (sampler_ && receptor_writers[k]) series.push_back(sampler_->sample(pm));
                    }
                }
            }
            if (!cfg_.output.fields_3d) volume.clear();
            writers[k]->write_record(t_s / 3600.0, surface, volume);
            if (receptor_writers[k]) receptor_writers[k]->write(t_s / 3600.0, series);
        }
    };

    double next_out = std::min(out_interval, t_end);
    // Horizontal crossing rate max |u|/d (s-1) for the CFL step; updated from each step's weather.
    const kernels::GridViews gv = grid_views(grid_, cfg_.transport.boundary == BoundaryKind::periodic);
    {
        const MetState& m0 = timeline_.at(0.0);
        met_mid_ = m0;
    }
    if (restarted_) {
        // Continue the clock, the counters and the output files of the run that wrote the checkpoint.
        if (last_mid_t_s_ >= 0) timeline_.interpolate(last_mid_t_s_, met_mid_);
        const double done = std::floor(t_s_ / out_interval + 1e-9);
        next_out = std::min((done + 1) * out_interval, t_end);
        summary.steps = restart_summary_.steps;
        summary.min_dt_s = restart_summary_.min_dt_s;
        summary.max_dt_s = restart_summary_.max_dt_s;
        summary.records = restart_summary_.records;
        if (writer)
            for (int k = 0; k < nscen; ++k) {
                writers[k]->resume_from(resume_sources[k][0], summary.records);
                if (receptor_writers[k]) receptor_writers[k]->resume_from(resume_sources[k][1], resume_sources[k][2], summary.records);
            }
    }
    const double checkpoint_s = cfg_.checkpoint.interval_h * 3600.0;
    try {
        while (t_s_ < t_end - kTimeEpsilonS) {
            // A signal reaches the ranks at different steps: they agree on stopping at this one.
            if (par_.any(g_stop_signal != 0)) {
                if (output) write_checkpoint(summary);
                throw RunError("interrupted by signal " + std::to_string(static_cast<int>(g_stop_signal ? g_stop_signal : SIGTERM)));
            }
            const double rate = kernels::max_inverse_crossing_time(gv, met_mid_.u_face_x_m_s.data(), met_mid_.v_face_y_m_s.data());
            double dt = cfg_.run.max_dt_s;
            if (rate > 0) dt = std::min(dt, cfg_.run.cfl / rate);
            // Land exactly on the next output time with equal steps inside the interval.
            const double to_out = next_out - t_s_;
            const double n_steps = std::ceil(to_out / dt - 1e-9);
            dt = to_out / n_steps;
            step(dt);
            summary.min_dt_s = std::min(summary.min_dt_s, dt);
            summary.max_dt_s = std::max(summary.max_dt_s, dt);
            ++summary.steps;
            t_s_ = (n_steps <= 1.0) ? next_out : t_s_ + dt;
            if (std::fabs(t_s_ - next_out) < kTimeEpsilonS) {
                t_s_ = next_out;
                check_fields(t_s_);
                const auto io0 = std::chrono::steady_clock::now();
                if (collective)
                    par_.gather(state_, 0, 0, 1);  // the surface layer, for the receptor series
                else if (output)
                    par_.gather(state_, 0);
                if (writer) write_record(t_s_);
                ++summary.records;
                next_out = std::min(next_out + out_interval, t_end);
                if (output && checkpoint_s > 0) {
                    const double n = t_s_ / checkpoint_s;
                    if (std::fabs(n - std::round(n)) < 1e-9 || t_s_ >= t_end - kTimeEpsilonS) write_checkpoint(summary);
                }
                summary.output_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - io0).count();
            }
            if (progress) progress(t_s_, t_end);
        }
    } catch (const RunError&) {
        for (auto& w : receptor_writers)
            if (w) w->abandon();
        for (auto& w : writers)
            if (w) {
                const std::string path = w->abandon(g_stop_signal ? "interrupted" : "run failed");
                if (summary.output_path.empty()) summary.output_path = path;
            }
        throw;
    }

    {
        std::vector<ExactSum> mass(state_.nspec);
        for (int s = 0; s < state_.nspec; ++s) mass[s] = state_.tracer_mass_sum(s, par_.window());
        par_.reduce(mass);
        for (int s = 0; s < state_.nspec; ++s) ledger_[s].final_kg = mass[s].to_double() * 1e-9;
    }
    if (writer) {
        for (int k = 0; k < nscen; ++k) {
            std::vector<BudgetRow> rows;
            for (int s = 0; s < nphys_; ++s) rows.push_back({cfg_.species.names[s], ledger_.values(k * nphys_ + s)});
            writers[k]->write_budget(Ledger::term_names(), rows);
            writers[k]->finish();
            if (receptor_writers[k]) receptor_writers[k]->finish();
            // The stopped run's files are now part of this one.
            if (par_.rank() == 0)
                for (const std::string& old : resume_sources[k])
                    if (old.find(".incomplete.") != std::string::npos) std::remove(old.c_str());
        }
        summary.output_path = scenario_file(0);
        for (int k = 1; k < nscen; ++k) summary.output_path += " " + scenario_file(k);
    }
    summary.simulated_h = t_s_ / 3600.0;
    summary.comm_s = par_.comm_s;
    summary.halo_mib = par_.halo_bytes / (1024.0 * 1024.0);
    summary.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return summary;
}

}  // namespace lantian
