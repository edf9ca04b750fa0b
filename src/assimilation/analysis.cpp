// The analysis of a forecast cycle: OI of the surface observations, applied to the 3-D state
// (analysis.hpp; docs/assimilation.md).
#include "assimilation/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include "config/config_parser.hpp"
#include "output/netcdf_writer.hpp"
#include "output/output_grid.hpp"

namespace lantian {

namespace {

struct PollutantDefaults {
    const char* name;
    double sigma_b_min;  // field units
    double sigma_o;      // field units
    const char* units;
};

// Defaults (docs/assimilation.md): σ_o from the instrument uncertainty of the national network's
// automatic analysers (HJ 653-2021 for PM, HJ 654-2013 for the gases) plus a representativeness
// error of a point against a 3–4 km cell of the same order; σ_b,min the error of a clean-air
// background, about two thirds of σ_o.
constexpr PollutantDefaults kDefaults[] = {
    {"PM2.5", 5.0, 8.0, "ug m-3"}, {"PM10", 10.0, 15.0, "ug m-3"}, {"SO2", 3.0, 5.0, "ug m-3"},
    {"NO2", 5.0, 8.0, "ug m-3"},   {"CO", 0.1, 0.15, "mg m-3"},    {"O3", 10.0, 12.0, "ug m-3"},
};

const PollutantDefaults* defaults_of(const std::string& p) {
    for (const auto& d : kDefaults)
        if (p == d.name) return &d;
    return nullptr;
}

std::string canonical_pollutant(std::string p) {
    if (p == "PM25" || p == "pm25" || p == "pm2.5") p = "PM2.5";
    if (p == "pm10") p = "PM10";
    return p;
}

double lookup(const std::map<std::string, double>& m, const std::string& pollutant, double fallback) {
    for (const auto& [k, v] : m)
        if (canonical_pollutant(k) == pollutant) return v;
    return fallback;
}

// Concentration (µg m-3) of tracer t at cell (k, col).
double conc(const Grid& grid, const State& st, int t, int k, std::size_t col) {
    const std::size_t cell = static_cast<std::size_t>(k) * grid.columns() + col;
    return static_cast<double>(st.species(t)[cell]) * st.air_mass_kg[cell] / (grid.area_m2()[col] * grid.dz()[k]);
}

// Adds dc (µg m-3) to tracer t at cell (k, col), converted to mixing ratio with the cell's air mass.
void add_conc(const Grid& grid, State& st, int t, int k, std::size_t col, double dc) {
    const std::size_t cell = static_cast<std::size_t>(k) * grid.columns() + col;
    if (st.air_mass_kg[cell] <= 0) return;
    const double dq = dc * grid.area_m2()[col] * grid.dz()[k] / st.air_mass_kg[cell];
    real& q = st.species(t)[cell];
    q = static_cast<real>(std::max(0.0, static_cast<double>(q) + dq));
}

// Planar positions for the OI: projection metres; on a lon/lat grid the index times the nominal
// spacing at the centre latitude (1° of latitude = 111.32 km).
struct Plane {
    OiGrid grid;
    bool metres = true;
    double dx_m = 0, dy_m = 0;
};

Plane oi_plane(const Grid& grid) {
    Plane p;
    if (grid.config().projection == Projection::latlon) {
        constexpr double kMPerDeg = 111320.0;
        constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
        p.metres = false;
        p.dx_m = grid.dx() * kMPerDeg * std::cos(grid.config().center_lat * kDegToRad);
        p.dy_m = grid.dy() * kMPerDeg;
        p.grid = OiGrid{grid.nx(), grid.ny(), 0.0, 0.0, p.dx_m, p.dy_m};
    } else {
        p.grid = OiGrid{grid.nx(), grid.ny(), grid.x()[0], grid.y()[0], grid.dx(), grid.dy()};
    }
    return p;
}

}  // namespace

std::size_t AnalysisReport::observations_used() const {
    std::size_t n = 0;
    for (const auto& p : pollutants) n += p.oi.n_accepted;
    return n;
}

OiParameters assimilation_parameters(const AssimilationConfig& cfg, const std::string& pollutant) {
    const PollutantDefaults* d = defaults_of(pollutant);
    if (!d)
        throw ConfigError("assimilation.pollutants: '" + pollutant + "' is not one of PM2.5, PM10, SO2, NO2, CO, O3");
    OiParameters p;
    p.sigma_b_fraction = cfg.sigma_b_fraction;
    p.sigma_b_min = lookup(cfg.sigma_b_min, pollutant, d->sigma_b_min);
    p.sigma_o = lookup(cfg.sigma_o, pollutant, d->sigma_o);
    p.correlation_length_km = cfg.correlation_length_km;
    p.qc_k = cfg.qc_k;
    return p;
}

AnalysisReport analyse_state(const Config& cfg, const Grid& grid, const TracerLayout& layout,
                             const SpeciesPropertiesTable& properties, const MetState& met0,
                             const std::vector<StationValue>& observations, State& state) {
    AnalysisReport report;
    const std::size_t plane = grid.columns();
    const int nz = grid.nz();
    const Plane pl = oi_plane(grid);
    for (const auto& k : cfg.assimilation.sigma_b_min)
        if (!defaults_of(canonical_pollutant(k.first)))
            throw ConfigError("assimilation.sigma_b_min: '" + k.first + "' is not one of PM2.5, PM10, SO2, NO2, CO, O3");
    for (const auto& k : cfg.assimilation.sigma_o)
        if (!defaults_of(canonical_pollutant(k.first)))
            throw ConfigError("assimilation.sigma_o: '" + k.first + "' is not one of PM2.5, PM10, SO2, NO2, CO, O3");

    // Vertical factors per column from the boundary-layer height at the start.
    std::vector<std::vector<double>> factors(plane);
    for (std::size_t col = 0; col < plane; ++col) {
        // The depth the surface error stands for: the boundary layer, at least min_depth_m (a shallow
        // night-time layer sits under the residual layer of the day before, whose pollution shares
        // the surface error's history).
        const double h = std::max(met0.pblh_m.empty() ? 800.0 : met0.pblh_m[col], std::max(cfg.assimilation.min_depth_m, 1.0));
        factors[col] = vertical_increment_factors(grid.z_face(), h, cfg.assimilation.full_fraction);
    }
    int background_tag = -1;
    for (int g = 0; g < layout.ntags(); ++g)
        if (layout.tags[static_cast<std::size_t>(g)] == "background") background_tag = layout.tag_block(g);

    for (const auto& name : cfg.assimilation.pollutants) {
        const std::string pollutant = canonical_pollutant(name);
        const OiParameters par = assimilation_parameters(cfg.assimilation, pollutant);
        // The model species and weights whose sum is the pollutant, and the ones scaled.
        std::vector<std::pair<int, double>> members;  // (species index, weight in the observed quantity)
        std::vector<std::pair<int, double>> scaled;   // (species index, weight in the scaled sum)
        double unit_factor = 1.0;                     // field units per µg m-3
        for (int s = 0; s < layout.nphys(); ++s) {
            const std::string& sp = layout.species[static_cast<std::size_t>(s)];
            const SpeciesProperties* p = properties.find(sp);
            if (pollutant == "PM2.5" || pollutant == "PM10") {
                if (!p) continue;
                const double w = pollutant == "PM2.5" ? p->pm25_fraction : p->pm10_fraction;
                if (w > 0) members.emplace_back(s, w);
                if (pollutant == "PM2.5" && p->pm25_fraction > 0) scaled.emplace_back(s, p->pm25_fraction);
                if (pollutant == "PM10" && p->pm10_fraction > 0 && p->pm25_fraction == 0) scaled.emplace_back(s, p->pm10_fraction);
            } else if (sp == pollutant) {
                members.emplace_back(s, 1.0);
                scaled.emplace_back(s, 1.0);
            }
        }
        if (pollutant == "CO") unit_factor = 1e-3;
        if (members.empty() || scaled.empty()) {
            report.notes.push_back(pollutant + ": not analysed (" +
                                   (members.empty() ? std::string("the run has no species for it")
                                                    : std::string("the run has no coarse-only species to correct")) +
                                   ")");
            continue;
        }
        std::vector<OiObservation> obs;
        for (const auto& o : observations) {
            if (canonical_pollutant(o.pollutant) != pollutant) continue;
            double fi = 0, fj = 0;
            grid.locate(LonLat{o.lon_deg, o.lat_deg}, fi, fj);
            OiObservation x;
            x.station = o.station;
            x.x_m = pl.grid.x0_m + fi * pl.grid.dx_m;
            x.y_m = pl.grid.y0_m + fj * pl.grid.dy_m;
            x.value = o.value;
            obs.push_back(x);
        }
        if (obs.empty()) {
            report.notes.push_back(pollutant + ": no observations at the analysis time");
            continue;
        }
        const int base = 0;  // block 0: the base case (or the first scenario) is the background
        auto column_sum = [&](const std::vector<std::pair<int, double>>& set, int k, std::size_t col) {
            double v = 0;
            for (const auto& [s, w] : set) v += w * conc(grid, state, layout.tracer(base, s), k, col);
            return v;
        };
        PollutantAnalysis pa;
        pa.pollutant = pollutant;
        pa.units = pollutant == "CO" ? "mg m-3" : "ug m-3";
        pa.parameters = par;
        pa.background.resize(plane);
        for (std::size_t col = 0; col < plane; ++col) pa.background[col] = column_sum(members, 0, col) * unit_factor;
        pa.oi = optimal_interpolation(pl.grid, pa.background, obs, par);

        // Apply: per column the surface increment δ (field units → µg m-3), per layer the scaled
        // sum's new value P_k + f_k δ, as a ratio on every block (or an addition where P_k = 0).
        for (std::size_t col = 0; col < plane; ++col) {
            const double delta = pa.oi.increment[col] / unit_factor;
            if (delta == 0) continue;
            for (int k = 0; k < nz; ++k) {
                const double f = factors[col][static_cast<std::size_t>(k)];
                if (f <= 0) continue;
                const double pk = column_sum(scaled, k, col);
                const double target = std::max(0.0, pk + f * delta);
                if (pk > 0) {
                    const double ratio = target / pk;
                    const std::size_t cell = static_cast<std::size_t>(k) * plane + col;
                    for (int b = 0; b < layout.blocks(); ++b)
                        for (const auto& [s, w] : scaled) {
                            if (layout.tracer(b, s) < 0) continue;  // a species without tags (tags.species)
                            real& q = state.species(layout.tracer(b, s))[cell];
                            q = static_cast<real>(static_cast<double>(q) * ratio);
                        }
                } else if (target > 0) {
                    // No background to scale: the first scaled species takes it (weight-corrected).
                    const auto [s, w] = scaled.front();
                    for (int b = 0; b < layout.nscenarios(); ++b) add_conc(grid, state, layout.tracer(b, s), k, col, target / w);
                    if (background_tag >= 0 && layout.tracer(background_tag, s) >= 0) add_conc(grid, state, layout.tracer(background_tag, s), k, col, target / w);
                }
            }
        }
        report.pollutants.push_back(std::move(pa));
    }
    return report;
}

void write_analysis_files(const std::string& dir, const Grid& grid, const AnalysisReport& report,
                          const std::string& analysis_time_utc, const std::string& history) {
    namespace fs = std::filesystem;
    fs::create_directories(dir);
    std::vector<MapField> fields;
    auto var_name = [](std::string p) {
        if (p == "PM2.5") p = "PM25";
        return p;
    };
    for (const auto& p : report.pollutants) {
        const std::string v = var_name(p.pollutant);
        MapField b{v + "_background", p.pollutant + " at the surface before the analysis (the first guess)", p.units, "", "", {}, p.background};
        MapField a{v + "_analysis", p.pollutant + " at the surface after the analysis", p.units, "", "", {}, p.oi.analysis};
        MapField d{v + "_increment", p.pollutant + " analysis increment at the surface (analysis - background)", p.units, "", "", {},
                   p.oi.increment};
        std::ostringstream par;
        par << "sigma_b = max(" << p.parameters.sigma_b_min << ", " << p.parameters.sigma_b_fraction << " x background); sigma_o = "
            << p.parameters.sigma_o << "; L = " << p.parameters.correlation_length_km << " km; qc_k = " << p.parameters.qc_k;
        a.attributes["lantian_oi_parameters"] = par.str();
        a.attributes["lantian_observations_used"] = std::to_string(p.oi.n_accepted);
        a.attributes["lantian_observations_rejected"] = std::to_string(p.oi.n_rejected);
        fields.push_back(std::move(b));
        fields.push_back(std::move(a));
        fields.push_back(std::move(d));
    }
    OutputMetadata meta;
    meta.title = "Lantian analysis (optimal interpolation of surface observations)";
    meta.reference_time = analysis_time_utc;
    meta.history = history;
    meta.extra_attributes["lantian_analysis_time"] = analysis_time_utc;
    std::string notes;
    for (const auto& n : report.notes) notes += (notes.empty() ? "" : "; ") + n;
    if (!notes.empty()) meta.extra_attributes["lantian_analysis_notes"] = notes;
    if (!fields.empty()) write_map_file(dir + "/analysis.nc", output_grid(grid), fields, meta, 4);

    const std::string csv = dir + "/innovations.csv";
    {
        std::ofstream f(csv + ".partial");
        f << "station,pollutant,units,x_m,y_m,observed,background,analysis,O_minus_B,O_minus_A,qc_limit,status,reason\n";
        f << std::setprecision(6);
        for (const auto& p : report.pollutants)
            for (const auto& r : p.oi.observations) {
                const bool skipped = r.status == OiStatus::skipped_outside || r.status == OiStatus::skipped_not_finite;
                auto num = [&](double v) { return skipped || !std::isfinite(v) ? std::string() : (std::ostringstream() << std::setprecision(6) << v).str(); };
                std::string reason = r.reason;
                std::replace(reason.begin(), reason.end(), ',', ';');
                f << r.station << "," << p.pollutant << "," << p.units << "," << std::setprecision(10) << r.x_m << "," << r.y_m << ","
                  << std::setprecision(6) << r.observed << "," << num(r.background) << "," << num(r.observed - r.residual) << ","
                  << num(r.innovation) << "," << num(r.residual) << "," << num(r.qc_limit) << "," << oi_status_name(r.status) << ","
                  << reason << "\n";
            }
        if (!f) throw std::runtime_error(csv + ": could not be written");
    }
    fs::rename(csv + ".partial", csv);
}

}  // namespace lantian
