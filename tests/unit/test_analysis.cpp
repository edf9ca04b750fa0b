// The analysis applied to the 3-D state (assimilation/analysis.hpp): the state's surface PM2.5
// after the analysis is the OI analysis, its species keep their proportions, the increment follows
// the vertical factors, tag groups still sum to the bulk, PM10 corrects only the coarse species,
// CO is analysed in mg m-3.
#include <catch2/catch.hpp>

#include <cmath>

#include "assimilation/analysis.hpp"
#include "simulation/tracer_layout.hpp"
#include "state/species_properties.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {

struct Setup {
    Config cfg;
    Grid grid;
    TracerLayout layout;
    SpeciesPropertiesTable props = SpeciesPropertiesTable::builtin();
    MetState met;
    State state;

    static Config make_cfg(const std::vector<std::string>& tags) {
        Config c;
        c.species.names = {"SO2", "NO2", "CO", "PM25", "PMC", "SO4"};
        c.grid = test::cartesian(30, 20, 4000.0, {0, 50, 150, 400, 800, 1500});
        if (!tags.empty()) c.tags.by = TagKind::sector;
        return c;
    }
    explicit Setup(const std::vector<std::string>& tags = {})
        : cfg(make_cfg(tags)), grid(cfg.grid), layout(cfg, tags),
          met(test::hand_made_met(grid, 1.1, [](double, double, double) { return test::WindXY{0, 0}; })),
          state(grid.nx(), grid.ny(), grid.nz(), layout.tracers()) {
        for (auto& h : met.pblh_m) h = 600.0;  // full increment to 480 m, none above 600 m
        for (int k = 0; k < grid.nz(); ++k)
            for (std::size_t col = 0; col < grid.columns(); ++col)
                state.air_mass_kg[k * grid.columns() + col] = 1.1 * grid.area_m2()[col] * grid.dz()[k];
        // A smooth field per species (µg kg-1 ≈ µg m-3 / 1.1), larger in the west, decreasing upward.
        for (int b = 0; b < layout.blocks(); ++b)
            for (int s = 0; s < layout.nphys(); ++s) {
                const double base = s == 2 ? 800.0 : 10.0 + 5.0 * s;  // CO 800 µg m-3
                const double share = layout.ntags() ? 1.0 / layout.ntags() : 1.0;
                real* q = state.species(layout.tracer(b, s));
                for (int k = 0; k < grid.nz(); ++k)
                    for (int j = 0; j < grid.ny(); ++j)
                        for (int i = 0; i < grid.nx(); ++i) {
                            const double c = base * (1.5 - i / 30.0) * (1.0 + 0.2 * std::sin(j)) * std::exp(-grid.z_center()[k] / 1000.0);
                            q[(k * grid.ny() + j) * grid.nx() + i] = static_cast<real>((b < layout.nscenarios() ? 1.0 : share) * c / 1.1);
                        }
            }
    }
    double conc(int block, const std::string& sp, int k, int i, int j) const {
        int s = 0;
        while (layout.species[static_cast<std::size_t>(s)] != sp) ++s;
        const std::size_t col = static_cast<std::size_t>(j) * grid.nx() + i, cell = k * grid.columns() + col;
        return state.species(layout.tracer(block, s))[cell] * state.air_mass_kg[cell] / (grid.area_m2()[col] * grid.dz()[k]);
    }
    LonLat lonlat(int i, int j) const { return {grid.lon()[j * grid.nx() + i], grid.lat()[j * grid.nx() + i]}; }
};

StationValue obs(const Setup& s, const std::string& name, double fi, double fj, const std::string& p, double v) {
    // Between cell centres: bilinear position from the grid's lon/lat (a Cartesian grid: linear).
    const LonLat a = s.lonlat(static_cast<int>(fi), static_cast<int>(fj));
    const LonLat b = s.lonlat(static_cast<int>(fi) + 1, static_cast<int>(fj) + 1);
    const double fx = fi - std::floor(fi), fy = fj - std::floor(fj);
    return {name, a.lon_deg + fx * (b.lon_deg - a.lon_deg), a.lat_deg + fy * (b.lat_deg - a.lat_deg), p, v};
}

}  // namespace

TEST_CASE("analysis: the state's surface PM2.5 becomes the OI analysis, species keep their proportions", "[unit][assimilation]") {
    Setup s;
    s.cfg.assimilation.pollutants = {"PM2.5"};
    const std::vector<StationValue> o = {obs(s, "A", 5.3, 6.4, "PM2.5", 120.0), obs(s, "B", 20.5, 10.2, "PM2.5", 15.0),
                                         obs(s, "C", 12.0, 15.0, "PM2.5", 60.0)};
    const double ratio_before = s.conc(0, "SO4", 0, 5, 6) / s.conc(0, "PM25", 0, 5, 6);
    const double pmc_before = s.conc(0, "PMC", 0, 5, 6);
    const AnalysisReport rep = analyse_state(s.cfg, s.grid, s.layout, s.props, s.met, o, s.state);
    REQUIRE(rep.pollutants.size() == 1);
    const auto& pa = rep.pollutants[0];
    CHECK(pa.oi.n_accepted == 3);
    double max_diff = 0;
    for (int j = 0; j < s.grid.ny(); ++j)
        for (int i = 0; i < s.grid.nx(); ++i) {
            const double pm = s.conc(0, "PM25", 0, i, j) + s.conc(0, "SO4", 0, i, j);
            max_diff = std::max(max_diff, std::fabs(pm - pa.oi.analysis[j * s.grid.nx() + i]) / std::max(1.0, pm));
        }
    CHECK(max_diff < 1e-6);  // float state
    CHECK(s.conc(0, "SO4", 0, 5, 6) / s.conc(0, "PM25", 0, 5, 6) == Approx(ratio_before).epsilon(1e-6));
    CHECK(s.conc(0, "PMC", 0, 5, 6) == Approx(pmc_before).epsilon(1e-12));  // PMC is not in PM2.5
    // The observations pull the surface toward them: O−A smaller than O−B at every station.
    for (const auto& r : pa.oi.observations) CHECK(std::fabs(r.residual) < std::fabs(r.innovation));
}

TEST_CASE("analysis: gases get the surface increment up to the full fraction of the PBL, none above it", "[unit][assimilation]") {
    Setup s;
    s.cfg.assimilation.pollutants = {"SO2"};
    s.cfg.assimilation.full_fraction = 0.8;  // full up to 480 m; layers 0-2 (to 400 m) in full, 3 (400-800) partly
    std::vector<double> before(5);
    for (int k = 0; k < 5; ++k) before[static_cast<std::size_t>(k)] = s.conc(0, "SO2", k, 10, 10);
    const std::vector<StationValue> o = {obs(s, "A", 10.0, 10.0, "SO2", 25.0)};
    const AnalysisReport rep = analyse_state(s.cfg, s.grid, s.layout, s.props, s.met, o, s.state);
    const double inc = rep.pollutants.at(0).oi.increment[10 * s.grid.nx() + 10];
    REQUIRE(inc > 5.0);
    for (int k = 0; k < 3; ++k) CHECK(s.conc(0, "SO2", k, 10, 10) - before[static_cast<std::size_t>(k)] == Approx(inc).epsilon(1e-5));
    // Layer 3, 400–800 m: f = mean over the layer of 1 (to 480 m) and (600 − z)/120 (to 600 m) and 0 above.
    const double f3 = (80.0 + 0.5 * 120.0) / 400.0;
    CHECK(s.conc(0, "SO2", 3, 10, 10) - before[3] == Approx(f3 * inc).epsilon(1e-5));
    CHECK(s.conc(0, "SO2", 4, 10, 10) == Approx(before[4]).epsilon(1e-12));
}

TEST_CASE("analysis: tag groups change by the same ratio and still sum to the bulk", "[unit][assimilation]") {
    Setup s({"power", "industry", "background"});
    s.cfg.assimilation.pollutants = {"PM2.5", "NO2"};
    const std::vector<StationValue> o = {obs(s, "A", 8.0, 8.0, "PM2.5", 5.0), obs(s, "B", 22.0, 12.0, "PM2.5", 90.0),
                                         obs(s, "A", 8.0, 8.0, "NO2", 60.0)};
    analyse_state(s.cfg, s.grid, s.layout, s.props, s.met, o, s.state);
    for (const std::string sp : {"PM25", "SO4", "NO2"})
        for (int k : {0, 2})
            for (auto [i, j] : {std::pair{8, 8}, std::pair{22, 12}, std::pair{3, 17}}) {
                double tags = 0;
                for (int g = 0; g < s.layout.ntags(); ++g) tags += s.conc(s.layout.tag_block(g), sp, k, i, j);
                CHECK(tags == Approx(s.conc(0, sp, k, i, j)).epsilon(1e-5));
            }
}

TEST_CASE("analysis: PM10 corrects the coarse-only species and leaves PM2.5 as analysed; CO in mg m-3", "[unit][assimilation]") {
    Setup s;
    s.cfg.assimilation.pollutants = {"PM2.5", "PM10", "CO"};
    const std::vector<StationValue> o = {obs(s, "A", 10.0, 10.0, "PM2.5", 70.0), obs(s, "A", 10.0, 10.0, "PM10", 200.0),
                                         obs(s, "A", 10.0, 10.0, "CO", 1.6)};
    const AnalysisReport rep = analyse_state(s.cfg, s.grid, s.layout, s.props, s.met, o, s.state);
    REQUIRE(rep.pollutants.size() == 3);
    const double pm25 = s.conc(0, "PM25", 0, 10, 10) + s.conc(0, "SO4", 0, 10, 10);
    CHECK(pm25 == Approx(rep.pollutants[0].oi.analysis[10 * s.grid.nx() + 10]).epsilon(1e-5));
    CHECK(pm25 + s.conc(0, "PMC", 0, 10, 10) == Approx(rep.pollutants[1].oi.analysis[10 * s.grid.nx() + 10]).epsilon(1e-5));
    // CO: the background in mg m-3 (about 0.8) and the analysis moved toward the 1.6 observed.
    CHECK(rep.pollutants[2].units == "mg m-3");
    const double co_b = rep.pollutants[2].background[10 * s.grid.nx() + 10];
    CHECK(co_b > 0.5);
    CHECK(co_b < 1.5);
    CHECK(s.conc(0, "CO", 0, 10, 10) / 1000.0 == Approx(rep.pollutants[2].oi.analysis[10 * s.grid.nx() + 10]).epsilon(1e-5));
    CHECK(s.conc(0, "CO", 0, 10, 10) / 1000.0 > co_b + 0.3);
}

TEST_CASE("analysis: unknown pollutants are refused; missing species and observations are noted", "[unit][assimilation]") {
    Setup s;
    s.cfg.assimilation.pollutants = {"PM1"};
    CHECK_THROWS_AS(analyse_state(s.cfg, s.grid, s.layout, s.props, s.met, {}, s.state), ConfigError);
    s.cfg.assimilation.pollutants = {"O3", "NO2"};
    const AnalysisReport rep = analyse_state(s.cfg, s.grid, s.layout, s.props, s.met, {}, s.state);
    CHECK(rep.pollutants.empty());
    REQUIRE(rep.notes.size() == 2);
    CHECK(rep.notes[0].find("no species") != std::string::npos);
    CHECK(rep.notes[1].find("no observations") != std::string::npos);
}
