// The linear mechanism's declarations and its process; loops in kernels/chemistry_kernels.
#include "chemistry/linear_mechanism.hpp"

#include <algorithm>

#include "chemistry_kernels.hpp"
#include "met/solar_geometry.hpp"

namespace lantian {

namespace {
constexpr double kKgPerUg = 1e-9;
constexpr double kSecondsPerHour = 3600.0;
}  // namespace

const std::array<std::pair<const char*, const char*>, 3>& linear_conversion_species() {
    static const std::array<std::pair<const char*, const char*>, 3> pairs{{{"SO2", "SO4"}, {"NO2", "NO3"}, {"NH3", "NH4"}}};
    return pairs;
}

LinearMechanism::LinearMechanism(const std::vector<std::string>& species, const ChemistryConfig& cfg,
                                 const SpeciesPropertiesTable& table)
    : species_{{"SO2", {{"S", 1}}}, {"SO4", {{"S", 1}}}, {"NO2", {{"N", 1}}},
               {"NO3", {{"N", 1}}}, {"NH3", {{"N", 1}}}, {"NH4", {{"N", 1}}}} {
    // One molecule of the precursor becomes one of the product: mass scales by M_to / M_from.
    struct Def {
        const char* from;
        const char* to;
        double day, night, rh, het;  // h-1
    };
    const auto& pairs = linear_conversion_species();
    const Def defs[] = {{pairs[0].first, pairs[0].second, cfg.so2_gas_per_h, 0, 0, cfg.so2_het_per_h},
                        {pairs[1].first, pairs[1].second, cfg.no2_day_per_h, cfg.no2_night_per_h, 0, 0},
                        {pairs[2].first, pairs[2].second, 0, 0, cfg.nh3_per_h, 0}};
    for (const Def& d : defs) reactions_.push_back({std::string(d.from) + " -> " + d.to, {{d.from, 1}}, {{d.to, 1}}});
    if (!cfg.enabled) return;
    auto index = [&](const std::string& n) {
        const auto it = std::find(species.begin(), species.end(), n);
        return it == species.end() ? -1 : static_cast<int>(it - species.begin());
    };
    const double h = 1.0 / kSecondsPerHour;
    for (const Def& d : defs) {
        const int from = index(d.from), to = index(d.to);
        const std::string label = std::string(d.from) + " -> " + d.to;
        if (from < 0 && to < 0) continue;
        if (from < 0 || to < 0) {
            skipped_.push_back(label + " (needs both species in species.names)");
            continue;
        }
        const SpeciesProperties *pf = table.find(d.from), *pt = table.find(d.to);
        if (!pf || !pt || pf->molar_mass_g_mol <= 0 || pt->molar_mass_g_mol <= 0) {
            skipped_.push_back(label + " (needs the molar masses in the species table)");
            continue;
        }
        conversions_.push_back({from, to, pt->molar_mass_g_mol / pf->molar_mass_g_mol, d.day * h, d.night * h, d.rh * h,
                                d.het * h, cfg.het_rh_threshold, label});
    }
}

std::unique_ptr<Process> LinearMechanism::make_process(const Grid& grid, const TracerBlocks& tracers) const {
    std::vector<LinearChemistry::Conversion> all;
    for (int k = 0; k < tracers.blocks; ++k)
        for (LinearChemistry::Conversion c : conversions_) {
            // A tag block without the precursor has nothing to convert; without the product (the
            // product is not tagged: tags.species) the precursor's tags still lose what the bulk loses.
            c.from = tracers.tracer(k, c.from);
            c.to = tracers.tracer(k, c.to);
            if (c.from >= 0) all.push_back(c);
        }
    if (all.empty()) return nullptr;
    return std::make_unique<LinearChemistry>(grid, std::move(all));
}

LinearChemistry::LinearChemistry(const Grid& grid, std::vector<Conversion> conversions)
    : grid_(grid), gv_(grid_views(grid, false)), conversions_(std::move(conversions)), cos_zenith_(grid.columns(), 0.0),
      column_ug_(grid.columns(), 0.0) {
    // Conversions with the same label (one per scenario) share their rate law and its fractions.
    std::vector<std::string> labels;
    for (const Conversion& c : conversions_) {
        auto it = std::find(labels.begin(), labels.end(), c.label);
        if (it == labels.end()) {
            labels.push_back(c.label);
            fraction_.emplace_back(grid.cells(), 0.0);
            law_first_.push_back(law_of_.size());
            it = labels.end() - 1;
        }
        law_of_.push_back(static_cast<int>(it - labels.begin()));
    }
}

void LinearChemistry::step_impl(StepContext& ctx) {
    const double t_mid = ctx.t_epoch_s + 0.5 * ctx.dt_s;
    const Parallel& par = ctx.parallel();
    kernels::for_columns_parallel(par.window(), grid_.nx(), grid_.ny(), [&](std::size_t c) {
        cos_zenith_[c] = cos_solar_zenith(grid_.lat()[c], grid_.lon()[c], t_mid);
    });
    // The weather part once per rate law, for every scenario.
    for (std::size_t law = 0; law < fraction_.size(); ++law) {
        const Conversion& cv = conversions_[law_first_[law]];
        kernels::ConversionRateViews r;
        r.nx = gv_.nx;
        r.ny = gv_.ny;
        r.nz = gv_.nz;
        r.dt_s = ctx.dt_s;
        r.k_day_s = cv.k_day_s;
        r.k_night_s = cv.k_night_s;
        r.k_rh_s = cv.k_rh_s;
        r.k_het_s = cv.k_het_s;
        r.rh_threshold = cv.rh_threshold;
        r.cos_zenith = cos_zenith_.data();
        r.rh_frac = ctx.met_mid.rh_frac.data();
        r.fraction = fraction_[law].data();
        r.window = par.window();
        kernels::conversion_fraction(r);
    }
    sums_.assign(conversions_.size(), ExactSum{});
    for (std::size_t n = 0; n < conversions_.size(); ++n) {
        const Conversion& cv = conversions_[n];
        kernels::ConversionViews v;
        v.nx = gv_.nx;
        v.ny = gv_.ny;
        v.nz = gv_.nz;
        v.mass_ratio = cv.mass_ratio;
        v.fraction = fraction_[law_of_[n]].data();
        v.air_mass_kg = ctx.state.air_mass_kg.data();
        v.q_from = ctx.state.species(cv.from);
        v.q_to = cv.to >= 0 ? ctx.state.species(cv.to) : nullptr;
        v.converted_ug = column_ug_.data();
        v.window = par.window();
        kernels::convert(v);
        add_columns(sums_[n], column_ug_.data(), gv_.nx, gv_.ny, v.window);
    }
    par.reduce(sums_);
    for (std::size_t n = 0; n < conversions_.size(); ++n) {
        const Conversion& cv = conversions_[n];
        const double converted = sums_[n].to_double();
        ctx.ledger[cv.from].term_kg[term(0)] -= converted * kKgPerUg;
        if (cv.to >= 0) ctx.ledger[cv.to].term_kg[term(0)] += converted * cv.mass_ratio * kKgPerUg;
    }
}

}  // namespace lantian
