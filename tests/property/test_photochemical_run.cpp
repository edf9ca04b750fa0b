// The photochemical mode in 3-D runs (issue 14): the rate constants a run computes per cell equal
// the mechanism's own rate laws; chemistry conserves nitrogen and sulfur atoms over days; every
// value stays finite and non-negative; the result is bit-identical for 1 and 2 threads; the
// background profiles put more O3 aloft; tags are refused with the reason.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "chemistry/background_profiles.hpp"
#include "chemistry/mechanism_file.hpp"
#include "chemistry/mechanisms.hpp"
#include "chemistry/photochemical_mechanism.hpp"
#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "rate_kernels.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;


namespace {

Config summer(std::vector<std::string> extra) {
    std::vector<std::string> o = {"grid.nx=10", "grid.ny=8", "grid.center_lon=109.95", "grid.center_lat=40.62",
                                  "receptors.stations=", "receptors.cities="};
    o.insert(o.end(), extra.begin(), extra.end());
    return load_config(std::string(LANTIAN_SOURCE_DIR) + "/configs/summer_baotou.ini", o);
}

// Σ over species of (kg booked by `term`) × atoms of `element` / molar mass: kg-mol of the element.
double element_kmol(const Simulation& sim, const std::string& term, const std::string& element) {
    double total = 0;
    const auto& species = sim.layout().species;
    const chem::Mechanism mech = chem::read_mechanism_file(std::string(LANTIAN_SOURCE_DIR) + "/configs/mechanisms/cb6r3.txt");
    const SpeciesPropertiesTable table = SpeciesPropertiesTable::builtin();
    for (std::size_t s = 0; s < species.size(); ++s) {
        double atoms = 0;
        if (const int m = mech.find_species(species[s]); m >= 0) {
            const auto& a = mech.species[static_cast<std::size_t>(m)].atoms;
            if (const auto it = a.find(element); it != a.end()) atoms = it->second;
        } else if (species[s] == "SO4" && element == "S") {
            atoms = 1;
        } else if ((species[s] == "NH3" || species[s] == "NH4" || species[s] == "NO3") && element == "N") {
            atoms = 1;  // the inorganic aerosol's species (docs/aerosol-equilibrium.md)
        }
        if (atoms == 0) continue;
        const double molar_mass = table.find(species[s])->molar_mass_g_mol;
        total += sim.ledger()[static_cast<int>(s)].kg(term) * atoms / molar_mass;
    }
    return total;
}

}  // namespace

TEST_CASE("Photochemical rate constants per cell equal the mechanism's rate laws", "[property][chemistry]") {
    const chem::Mechanism mech = chem::read_mechanism_file(std::string(LANTIAN_SOURCE_DIR) + "/configs/mechanisms/cb6r3.txt");
    const RatePlanData data = make_rate_plan(mech);
    const int nj = static_cast<int>(mech.photolysis_names.size()), nr = mech.system.nreactions();
    const kernels::RatePlan plan = data.plan(nj);
    // Cells: cold, standard and hot air at several pressures and humidities; J from a made-up column.
    const std::vector<double> T = {230, 260, 298.15, 320}, p = {50000, 80000, 101325, 101325};
    const std::vector<double> h2o = {1e15, 1e16, 5e17, 8e17};
    std::vector<double> M, j(static_cast<std::size_t>(nj)), scale(T.size(), 1.0), k(T.size() * static_cast<std::size_t>(nr));
    for (std::size_t c = 0; c < T.size(); ++c) M.push_back(chem::air_number_density(T[c], p[c]));
    for (int n = 0; n < nj; ++n) j[static_cast<std::size_t>(n)] = 1e-5 * (n + 1);
    std::vector<int> column(T.size(), 0);
    kernels::RateCells cells;
    cells.ncells = static_cast<int>(T.size());
    cells.T_K = T.data();
    cells.M_cm3 = M.data();
    cells.h2o_cm3 = h2o.data();
    cells.column = column.data();
    cells.j_column = j.data();
    cells.j_scale = scale.data();
    cells.k = k.data();
    kernels::evaluate_rates(plan, cells);
    std::vector<double> expected(static_cast<std::size_t>(nr));
    for (std::size_t c = 0; c < T.size(); ++c) {
        chem::rate_constants(mech, T[c], p[c], h2o[c], j.data(), expected.data());
        for (int r = 0; r < nr; ++r) {
            INFO(mech.reactions[static_cast<std::size_t>(r)].id << " at " << T[c] << " K");
            CHECK(k[c * static_cast<std::size_t>(nr) + static_cast<std::size_t>(r)] ==
                  Approx(expected[static_cast<std::size_t>(r)]).epsilon(1e-12).margin(0));
        }
    }
}

TEST_CASE("A photochemical run conserves N and S atoms through chemistry over 5 days, stays non-negative and closes its ledgers",
          "[property][chemistry][ledger][long]") {
    Simulation sim(summer({"run.hours=120"}));
    sim.run(false);
    const double n_net = element_kmol(sim, "chemistry", "N"), s_net = element_kmol(sim, "chemistry", "S");
    // Scale of what moved: the chemical change of NO and HNO3 (kmol N) and of SO4 (kmol S).
    const auto& species = sim.layout().species;
    auto index = [&](const std::string& n) { return static_cast<int>(std::find(species.begin(), species.end(), n) - species.begin()); };
    const double n_moved = std::fabs(sim.ledger()[index("NO")].kg("chemistry") / 30.0) + std::fabs(sim.ledger()[index("HNO3")].kg("chemistry") / 63.0);
    const double s_moved = std::fabs(sim.ledger()[index("SO4")].kg("chemistry") / 96.06);
    CAPTURE(n_net, n_moved, s_net, s_moved);
    REQUIRE(n_moved > 0);
    REQUIRE(s_moved > 0);
    // Round-off of single-precision storage per step, and the two reactions the mechanism documents
    // as unbalanced in N by 0.001 (R160, R170).
    CHECK(std::fabs(n_net) < 1e-6 * n_moved);
    CHECK(std::fabs(s_net) < 1e-6 * s_moved);
    // The clipping term is booked apart and small.
    const double clipped_n = element_kmol(sim, "chemistry_clipping", "N");
    CHECK(clipped_n >= 0);
    CHECK(clipped_n < 1e-3 * n_moved);
    // Positivity and finiteness of every tracer.
    bool all_ok = true;
    for (real v : sim.state().q) all_ok = all_ok && std::isfinite(v) && v >= 0;
    CHECK(all_ok);
    // Every tracer's books close.
    for (int s = 0; s < sim.ledger().size(); ++s) {
        INFO(species[static_cast<std::size_t>(s)]);
        const SpeciesLedger& r = sim.ledger()[s];
        const double scale = r.initial_kg + r.kg("emitted") + r.inflow_total_kg() + std::fabs(r.kg("chemistry")) + 1e-12;
        CHECK(std::fabs(r.residual_kg()) < 1e-6 * scale);
    }
    // Ozone exists and was produced by day.
    CHECK(sim.ledger()[index("O3")].final_kg > 0);
}

TEST_CASE("A photochemical run is bit-identical with 1 and 2 OpenMP threads", "[property][chemistry][threads]") {
    const Config cfg = summer({"run.hours=8"});
    const auto one = test::final_tracers_with_threads(cfg, 1);
    const auto two = test::final_tracers_with_threads(cfg, 2);
    REQUIRE(one.size() == two.size());
    CHECK(one == two);
}

TEST_CASE("Photochemical background: O3 rises with height in the initial state and inflow profile", "[property][chemistry]") {
    Simulation sim(summer({"run.hours=1"}));
    const auto& species = sim.layout().species;
    const int o3 = static_cast<int>(std::find(species.begin(), species.end(), "O3") - species.begin());
    const State& st = sim.state();
    const std::size_t plane = sim.grid().columns();
    const double surface = st.species(o3)[0], top = st.species(o3)[(sim.grid().nz() - 1) * plane];
    // 40 ppb at the ground = 40 · 48/28.97 µg kg-1.
    CHECK(surface == Approx(40.0 * 48.0 / 28.97).epsilon(0.02));
    CHECK(top > 1.3 * surface);
    const BackgroundProfiles table = parse_background_profiles("species,height_m,ppb\nO3,0,40\nO3,2000,60\n", "t");
    CHECK(profile_ppb(table.at("O3"), 1000) == Approx(50));
    CHECK(profile_ppb(table.at("O3"), 5000) == Approx(60));
    CHECK_THROWS_AS(parse_background_profiles("species,height_m,ppb\nO3,100,40\nO3,50,60\n", "t"), ConfigError);
    CHECK_THROWS_AS(parse_background_profiles("species,height_m,ppb\nO3,0,-1\n", "t"), ConfigError);
}

TEST_CASE("Photochemical mode refuses source tags and names the reason", "[property][chemistry]") {
    try {
        summer({"tags.by=sector"});
        FAIL("tags were accepted with chemistry.mechanism = cb6r3");
    } catch (const ConfigError& e) {
        const std::string m = e.what();
        CHECK(m.find("tags.by") != std::string::npos);
        CHECK(m.find("non-linear") != std::string::npos);
        CHECK(m.find("scenario") != std::string::npos);
    }
    // A species key naming neither a mechanism species nor species.names.
    CHECK_THROWS_AS(Simulation(summer({"species.initial_ug_m3=XYZ:1"})), ConfigError);
    CHECK_THROWS_AS(Simulation(summer({"output.species=O3 XYZ"})), ConfigError);
}

TEST_CASE("Photochemical scenarios: a VOC cut lowers afternoon O3 over the cities and changes what a NOx cut does",
          "[property][chemistry][scenarios]") {
    const std::string dir = test::scratch_dir("pc_scenarios");
    const std::string voc = test::write_text_file(dir, "voc.csv", "target,pollutants,cut,level,start,end\nall,VOC,0.5,always,,\n");
    const std::string nox = test::write_text_file(dir, "nox.csv", "target,pollutants,cut,level,start,end\nall,NOx,0.5,always,,\n");
    // 08–16 local time of a July day: the afternoon O3 of the first day.
    Simulation sim(summer({"run.hours=8", "grid.nx=16", "grid.ny=12", "scenarios.runs=voc:" + voc + ":always nox:" + nox + ":always"}));
    sim.run(false);
    REQUIRE(sim.scenario_names().size() == 3);
    const auto& species = sim.layout().species;
    const int o3 = static_cast<int>(std::find(species.begin(), species.end(), "O3") - species.begin());
    auto surface_mean = [&](int block) {
        const std::vector<double> c = sim.concentration(sim.tracer(block, o3), 0);
        double sum = 0;
        for (double x : c) sum += x;
        return sum / static_cast<double>(c.size());
    };
    const double base = surface_mean(0), voc_cut = surface_mean(1), nox_cut = surface_mean(2);
    CAPTURE(base, voc_cut, nox_cut);
    // The VOC cut must change O3 (in linear chemistry it could not) and lower it over the sources.
    CHECK(voc_cut < base - 0.01);
    // The NOx cut changes O3 too, and not by the same amount as the VOC cut: the response is non-linear.
    CHECK(std::fabs(nox_cut - base) > 0.01);
    CHECK(std::fabs((nox_cut - base) - (voc_cut - base)) > 0.01);
}

TEST_CASE("Photochemistry: a cloud above dims photolysis below it, snow on the ground brightens it", "[property][chemistry]") {
    // One column of 4 layers at noon (110 E: 04:40 UTC); NO2 photolysis is the fast loss of NO2
    // in 60 s. Cases: clear; a thick cloud (5e-4 kg kg-1, fraction 1) in the top layer; snow cover.
    const Config cfg = summer({"run.hours=1"});
    const std::vector<std::string> species = with_mechanism_species(cfg).species.names;
    const SpeciesPropertiesTable table = SpeciesPropertiesTable::builtin();
    const PhotochemicalMechanism mech(cfg, species, table);
    const int no2 = static_cast<int>(std::find(species.begin(), species.end(), "NO2") - species.begin());
    const int o3 = static_cast<int>(std::find(species.begin(), species.end(), "O3") - species.begin());
    auto run = [&](double cloud_water, double snow) {
        test::Harness h(test::cartesian(1, 1, 4000, {0, 500, 1000, 1500, 2000}), static_cast<int>(species.size()));
        MetState met = test::hand_made_met(h.grid, 1.1, [](double, double, double) { return test::WindXY{0, 0}; });
        for (double& t : met.temperature_k) t = 298;
        for (double& r : met.rh_frac) r = 0.5;
        for (double& s : met.snow_cover) s = snow;
        met.cloud_water_kg_kg[3] = cloud_water;
        met.cloud_fraction[3] = cloud_water > 0 ? 1.0 : 0.0;
        h.set_air_mass(met);
        for (int k = 0; k < 4; ++k) {
            h.state.species(no2)[k] = static_cast<real>(20.0 * 46.01 / 28.97);  // 20 ppb
            h.state.species(o3)[k] = static_cast<real>(40.0 * 48.0 / 28.97);    // 40 ppb
        }
        h.processes.push_back(mech.make_process(h.grid, TracerBlocks{species, 1}));
        h.t_epoch_s = parse_iso_time_utc("2026-07-08T04:40:00");
        h.step(met, 60);
        return 20.0 * 46.01 / 28.97 - static_cast<double>(h.state.species(no2)[0]);  // NO2 lost at the ground, µg kg-1
    };
    const double clear = run(0, 0), cloudy = run(5e-4, 0), snowy = run(0, 1);
    CAPTURE(clear, cloudy, snowy);
    REQUIRE(clear > 0);
    // LWP = 1.1 kg m-3 × 5e-4 × 500 m = 275 g m-2, τ ≈ 41: F_cloud = 1 + (1.6 T cos χ − 1) ≈ 0.2.
    CHECK(cloudy < 0.5 * clear);
    // Snow (albedo 0.8 instead of 0.1): J × 2.6 / 1.2.
    CHECK(snowy > 1.5 * clear);
}

TEST_CASE("Photochemistry: a cell the solver cannot integrate stops the step naming cell, time and species",
          "[property][chemistry]") {
    const Config cfg = summer({"run.hours=1"});
    const std::vector<std::string> species = with_mechanism_species(cfg).species.names;
    const PhotochemicalMechanism mech(cfg, species, SpeciesPropertiesTable::builtin());
    const int no2 = static_cast<int>(std::find(species.begin(), species.end(), "NO2") - species.begin());
    test::Harness h(test::cartesian(2, 1, 4000, {0, 500, 1000}), static_cast<int>(species.size()));
    MetState met = test::hand_made_met(h.grid, 1.1, [](double, double, double) { return test::WindXY{0, 0}; });
    for (double& t : met.temperature_k) t = 298;
    h.set_air_mass(met);
    // A corrupted value in cell (i=1, j=0, k=1): no internal step can be accepted.
    h.state.species(no2)[1 * 2 + 1] = std::numeric_limits<real>::quiet_NaN();
    h.processes.push_back(mech.make_process(h.grid, TracerBlocks{species, 1}));
    h.t_epoch_s = parse_iso_time_utc("2026-07-08T04:00:00");
    try {
        h.step(met, 300);
        FAIL("the step did not fail");
    } catch (const std::runtime_error& e) {
        const std::string m = e.what();
        CAPTURE(m);
        CHECK(m.find("cell (i=1, j=0, k=1") != std::string::npos);
        CHECK(m.find("2026-07-08 04:00:00") != std::string::npos);
        CHECK(m.find("species ") != std::string::npos);
    }
}
