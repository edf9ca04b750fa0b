// The process list of a run; see the header.
#include "simulation/process_builder.hpp"

#include <cmath>
#include <map>

#include "chemistry/background_profiles.hpp"
#include "chemistry/mechanisms.hpp"
#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "processes/advection.hpp"
#include "processes/deposition.hpp"
#include "processes/mixing.hpp"
#include "processes/removal.hpp"

namespace lantian {

namespace {
double lookup(const std::map<std::string, double>& m, const std::string& key, double fallback) {
    const auto it = m.find(key);
    return it == m.end() ? fallback : it->second;
}

std::unique_ptr<Advection> make_advection(const Config& cfg, const Grid& grid, const TracerLayout& layout) {
    BoundaryProfile background;
    for (const auto& name : layout.tracer_species())
        background.surface_ug_m3.push_back(lookup(cfg.species.background_ug_m3, name, 0.0));
    background.scale_height_m = cfg.species.background_scale_height_m;
    background.q_points = background_mixing_ratio_profiles(cfg, grid, layout.tracer_species());
    auto advection = std::make_unique<Advection>(grid, layout.tracers(), cfg.transport.advection, cfg.transport.boundary,
                                                 cfg.run.cfl, background);
    if (layout.ntags() > 0) {
        // Tags move as shares of the base case's bulk tracers; inflow goes to the last tag (background).
        std::vector<int> bulk, tags;
        for (int s : layout.tagged) {
            bulk.push_back(layout.tracer(0, s));
            for (int g = 0; g < layout.ntags(); ++g) tags.push_back(layout.tracer(layout.tag_block(g), s));
        }
        advection->set_tags(layout.nscenarios() * layout.nphys(), bulk, tags, layout.ntags(), layout.ntags() - 1);
    }
    return advection;
}
}  // namespace

WeselySeason deposition_season(const Config& cfg, const Grid& grid) {
    // The start month (UTC) and the hemisphere of the domain centre.
    const double start_s = parse_iso_time_utc(cfg.run.start);
    const int month = civil_from_days(static_cast<long long>(std::floor(start_s / 86400.0))).month;
    const std::vector<double>& lat = grid.lat();
    const double centre_lat = lat.empty() ? 0.0 : lat[lat.size() / 2];
    return resolve_season(cfg.removal.season, cfg.removal.land_class, month, centre_lat);
}

SpeciesPropertiesTable species_properties(const Config& cfg) {
    return cfg.species.table.empty() ? SpeciesPropertiesTable::builtin()
                                     : SpeciesPropertiesTable::from_file(resolve_path(cfg, cfg.species.table));
}

ProcessSet build_processes(const Config& cfg, const Grid& grid, const TracerLayout& layout,
                           const SpeciesPropertiesTable& props) {
    ProcessSet set;
    const int ntracer = layout.tracers();
    const std::vector<std::string> all_names = layout.tracer_species();
    for (const auto& n : layout.species)
        if (!props.find(n))
            set.warnings.push_back("species " + n + " is not in the species table: a passive tracer (no deposition, settling, "
                                   "scavenging or chemistry; not counted in PM2.5/PM10)");

    set.processes.push_back(make_advection(cfg, grid, layout));
    if (cfg.transport.horizontal_diffusion != HorizontalDiffusion::off)
        set.processes.push_back(std::make_unique<HorizontalDiffusionProcess>(grid, ntracer, cfg.transport));

    auto deposition = std::make_shared<DryDeposition>(grid, all_names, props, cfg.species.deposition_velocity_m_s,
                                                      cfg.removal, cfg.met.z0_m, deposition_season(cfg, grid));
    if (cfg.removal.settling) {
        std::vector<int> settling;
        std::vector<double> velocity;
        for (int t = 0; t < ntracer; ++t)
            if (deposition->settling_velocity(t) > 0) {
                settling.push_back(t);
                velocity.push_back(deposition->settling_velocity(t));
            }
        if (!settling.empty()) set.processes.push_back(std::make_unique<Settling>(grid, settling, velocity));
    }
    auto mixing = std::make_unique<VerticalMixing>(grid, ntracer, EmissionTable{}, deposition, cfg.transport.vertical_diffusion);
    set.mixing = mixing.get();
    set.processes.push_back(std::move(mixing));

    set.mechanism = make_mechanism(cfg, layout.species, props, set.warnings);
    if (auto chemistry = set.mechanism->make_process(grid, layout.as_blocks())) set.processes.push_back(std::move(chemistry));

    if (cfg.removal.wet_scavenging) {
        std::vector<WetScavenging::Coefficients> coefficients;
        for (int t = 0; t < ntracer; ++t)
            if (const SpeciesProperties* p = props.find(all_names[t]); p && p->scav_from_henry) {
                if (p->henry_m_atm > 0 && !p->inert()) coefficients.push_back(henry_scavenging(t, p->henry_m_atm));
            } else if (p && p->scav_a_s > 0) {
                coefficients.push_back({t, p->scav_a_s, p->scav_b});
            }
        if (!coefficients.empty()) set.processes.push_back(std::make_unique<WetScavenging>(grid, std::move(coefficients)));
    }
    return set;
}

}  // namespace lantian
