// Source apportionment: tags sum to the bulk, a tag without emissions stays zero, and the
// superposition of tags reproduces a brute-force reduction scenario exactly when advection is
// linear (donor cell), and within a measured bound with the monotone PPM limiter.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <iterator>

#include "config/config_parser.hpp"
#include "report/report.hpp"
#include "scenarios/superposition.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {
const std::string kExample = std::string(LANTIAN_SOURCE_DIR) + "/configs/episode_baotou.ini";

// The species → the inventory pollutant whose cut scales it (primary and its secondary product).
std::string feeding_pollutant(const std::string& s) {
    if (s == "SO2" || s == "SO4") return "SO2";
    if (s == "NO2" || s == "NO3") return "NOx";
    if (s == "NH3" || s == "NH4") return "NH3";
    if (s == "PM25" || s == "PMC" || s == "DUST") return "PM";
    return s;
}

// Sector-level cuts of the test list (uniform within each sector, as superposition requires).
double cut_of(const std::string& sector, const std::string& pollutant) {
    if (sector == "residential") return 0.5;
    if (sector == "traffic" && (pollutant == "NOx" || pollutant == "PM")) return 0.3;
    if (sector == "steel" && pollutant == "SO2") return 0.4;
    return 0.0;
}

std::vector<std::string> run_overrides(const std::string& list, const std::string& advection) {
    return {"run.hours=24", "grid.nx=40", "grid.ny=26", "grid.dx_m=10000", "receptors.stations=", "receptors.cities=",
            "tags.by=sector", "transport.advection=" + advection, "scenarios.runs=cut:" + list + ":always"};
}
}  // namespace

TEST_CASE("Tags sum to the bulk and a tag without emissions stays zero", "[property][tags]") {
    const std::string dir = test::scratch_dir("tags");
    const std::string list = test::write_text_file(dir, "l.csv", "target,pollutants,cut,level\nsector:residential,all,0.5,always\n");
    Simulation sim(load_config(kExample, run_overrides(list, "ppm")));
    sim.run(false);
    const auto& names = load_config(kExample).species.names;
    const auto& groups = sim.tag_groups();
    const int first_tag = static_cast<int>(sim.scenario_names().size());
    const std::size_t cells = sim.state().field_size();
    double worst = 0;
    for (int s = 0; s < static_cast<int>(names.size()); ++s) {
        const real* bulk = sim.state().species(sim.tracer(0, s));
        for (std::size_t c = 0; c < cells; ++c) {
            double sum = 0;
            for (std::size_t g = 0; g < groups.size(); ++g) sum += sim.state().species(sim.tracer(first_tag + static_cast<int>(g), s))[c];
            worst = std::max(worst, std::fabs(sum - bulk[c]) / std::max<double>(bulk[c], 1e-30));
        }
    }
    CAPTURE(worst);
    CHECK(worst < 1e-5);  // float storage of ~10 tags per cell, each rounded once per process
    // No sector but steel, power, industry, residential and traffic emits SO2: the dust and
    // agriculture SO2 tags stay exactly zero, everywhere, after a day of transport and chemistry.
    auto group = [&](const std::string& name) {
        return first_tag + static_cast<int>(std::find(groups.begin(), groups.end(), name) - groups.begin());
    };
    const int so2 = 0;
    for (const char* g : {"dust", "agriculture"}) {
        const real* t = sim.state().species(sim.tracer(group(g), so2));
        INFO(g);
        CHECK(*std::max_element(t, t + cells) == 0.0f);
    }
    // …and the residential SO2 tag is not vacuous.
    const real* res = sim.state().species(sim.tracer(group("residential"), so2));
    CHECK(*std::max_element(res, res + cells) > 1.0f);
}

TEST_CASE("Superposed tags equal a brute-force reduction run in linear advection and stay close with PPM",
          "[property][tags][superposition]") {
    const std::string dir = test::scratch_dir("superposition");
    const std::string list = test::write_text_file(dir, "l.csv",
                                                   "target,pollutants,cut,level\n"
                                                   "sector:residential,all,0.5,always\n"
                                                   "sector:traffic,NOx PM,0.3,always\n"
                                                   "sector:steel,SO2,0.4,always\n");
    const auto names = load_config(kExample).species.names;
    for (const std::string advection : {"upwind", "ppm"}) {
        Simulation sim(load_config(kExample, run_overrides(list, advection)));
        sim.run(false);
        const auto& groups = sim.tag_groups();
        const int first_tag = static_cast<int>(sim.scenario_names().size());
        const std::size_t cells = sim.state().field_size(), plane = sim.grid().columns();
        double worst_rel = 0, worst_pm_abs = 0, pm_mean = 0, pm_mean_super = 0;
        std::vector<double> pm_brute(plane, 0.0), pm_super(plane, 0.0);
        for (int s = 0; s < static_cast<int>(names.size()); ++s) {
            const real* brute = sim.state().species(sim.tracer(1, s));
            std::vector<double> super(cells, 0.0);
            for (std::size_t g = 0; g < groups.size(); ++g) {
                const double w = 1.0 - cut_of(groups[g], feeding_pollutant(names[s]));
                const real* t = sim.state().species(sim.tracer(first_tag + static_cast<int>(g), s));
                for (std::size_t c = 0; c < cells; ++c) super[c] += w * t[c];
            }
            for (std::size_t c = 0; c < cells; ++c)
                worst_rel = std::max(worst_rel, std::fabs(super[c] - brute[c]) / std::max<double>(brute[c], 1e-3));
            // PM2.5 (µg m-3) in the lowest layer: primary, secondary, fine dust.
            const double fine = names[s] == "PM25" || names[s] == "SO4" || names[s] == "NO3" || names[s] == "NH4" ? 1.0
                                : names[s] == "DUST"                                                        ? 0.3
                                                                                                            : 0.0;
            if (fine == 0) continue;
            const auto c_brute = sim.concentration(sim.tracer(1, s), 0);
            for (std::size_t c = 0; c < plane; ++c) {
                pm_brute[c] += fine * c_brute[c];
                pm_super[c] += fine * c_brute[c] * (brute[c] > 0 ? super[c] / brute[c] : 1.0);
            }
        }
        for (std::size_t c = 0; c < plane; ++c) {
            worst_pm_abs = std::max(worst_pm_abs, std::fabs(pm_super[c] - pm_brute[c]));
            pm_mean += pm_brute[c] / plane;
            pm_mean_super += pm_super[c] / plane;
        }
        INFO(advection);
        CAPTURE(worst_rel, worst_pm_abs, pm_mean);
        WARN("superposition (" << advection << "): worst relative tracer difference " << worst_rel << ", worst PM2.5 difference "
                               << worst_pm_abs << " ug m-3 (domain-mean PM2.5 " << pm_mean << ")");
        if (advection == "upwind") {
            CHECK(worst_rel < 1e-4);  // linear scheme: exact up to float storage of ~10 tags
        } else {
            // The monotone limiter is not linear, so superposition is not exact: locally (plume
            // edges) the difference reaches several µg m-3, but over the domain it averages out.
            // The criterion (1% of daily-mean PM2.5 at city receptors) is measured by
            // `lantian scenarios --run` on the demonstration case (regression test).
            CHECK(std::fabs(pm_mean_super - pm_mean) < 0.01 * pm_mean);
            CHECK(worst_rel > 1e-4);  // and it is genuinely not the linear case
        }
    }
}

TEST_CASE("tags.species carries tags of the chosen species (and their chemical precursors) only", "[property][tags][superposition]") {
    const std::string dir = test::scratch_dir("tag_species");
    auto overrides = [&](const std::string& name, const std::string& species) {
        return std::vector<std::string>{"run.hours=6", "grid.nx=30", "grid.ny=20", "grid.dx_m=12000", "tags.by=sector",
                                        "tags.species=" + species, "output.file=" + dir + "/" + name + ".nc"};
    };
    // Every species tagged (the default) and only SO4: SO2 comes along, as linear chemistry turns it into SO4.
    Simulation full(load_config(kExample, overrides("full", "")));
    full.run(true);
    Simulation subset(load_config(kExample, overrides("subset", "SO4")));
    const auto& names = subset.layout().species;
    const int nphys = static_cast<int>(names.size()), ntags = static_cast<int>(subset.tag_groups().size());
    auto index = [&](const std::string& n) { return static_cast<int>(std::find(names.begin(), names.end(), n) - names.begin()); };
    REQUIRE(subset.layout().ntagged() == 2);
    CHECK(subset.layout().is_tagged(index("SO2")));
    CHECK(subset.layout().is_tagged(index("SO4")));
    CHECK(subset.state().nspec == nphys + 2 * ntags);  // one tracer per tag group for each of the two
    CHECK(std::any_of(subset.warnings().begin(), subset.warnings().end(),
                      [](const std::string& w) { return w.find("tags.species: SO2 is tagged too") != std::string::npos; }));
    subset.run(true);
    const int first_tag = static_cast<int>(subset.scenario_names().size());
    const std::size_t cells = subset.state().field_size();
    for (int s = 0; s < nphys; ++s) {
        INFO(names[s]);
        // The bulk does not depend on which tags ride along: identical to the fully tagged run.
        const real* bulk = subset.state().species(subset.tracer(0, s));
        CHECK(std::equal(bulk, bulk + cells, full.state().species(full.tracer(0, s))));
        if (!subset.layout().is_tagged(s)) {
            for (int g = 0; g < ntags; ++g) CHECK(subset.tracer(first_tag + g, s) == -1);
            continue;
        }
        // Tags of a tagged species sum to the bulk and equal the fully tagged run's, value for value.
        double worst = 0;
        std::vector<double> sum(cells, 0.0);
        for (int g = 0; g < ntags; ++g) {
            const real* t = subset.state().species(subset.tracer(first_tag + g, s));
            CHECK(std::equal(t, t + cells, full.state().species(full.tracer(first_tag + g, s))));
            for (std::size_t c = 0; c < cells; ++c) sum[c] += t[c];
        }
        for (std::size_t c = 0; c < cells; ++c) worst = std::max(worst, std::fabs(sum[c] - bulk[c]) / std::max<double>(bulk[c], 1e-30));
        CAPTURE(worst);
        CHECK(worst < 1e-5);
    }
    // Output: tag series of the tagged species only, and no PM25_total__TAG (PM2.5 holds untagged species).
    const SeriesFile series = read_series(dir + "/subset_receptors.nc");
    CHECK(series.has("SO4__residential"));
    CHECK(series.has("SO2__residential"));
    CHECK_FALSE(series.has("NO2__residential"));
    CHECK_FALSE(series.has("PM25_total__residential"));
    CHECK(read_series(dir + "/full_receptors.nc").has("PM25_total__residential"));

    // A list that cuts only SO2 evaluates on the subset run, as on the fully tagged run.
    const std::string so2 = test::write_text_file(dir, "so2.csv", "target,pollutants,cut,level\nsector:residential,SO2,0.5,always\n");
    auto evaluate = [&](const std::string& run, const std::string& list) {
        SuperpositionOptions o;
        o.run_file = dir + "/" + run + ".nc";
        o.lists = {list};
        o.levels = {"always"};
        o.csv = dir + "/" + run + "_scenarios.csv";
        evaluate_lists(o);
        std::ifstream in(o.csv);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string from_full = evaluate("full", so2), from_subset = evaluate("subset", so2);
    CHECK(std::count(from_subset.begin(), from_subset.end(), '\n') == 4);  // header + 3 cities
    CHECK(from_subset == from_full);
    // A list that cuts NOx, which feeds the untagged NO2 and NO3, is refused, saying why.
    const std::string nox = test::write_text_file(dir, "nox.csv", "target,pollutants,cut,level\nsector:traffic,NOx,0.3,always\n");
    try {
        evaluate("subset", nox);
        FAIL("a list cutting an untagged species' sources was evaluated");
    } catch (const ConfigError& e) {
        const std::string what = e.what();
        CAPTURE(what);
        CHECK_THAT(what, Catch::Contains("cannot evaluate nox.csv at always: it cuts NOx (tag traffic), which feeds NO2"));
        CHECK_THAT(what, Catch::Contains("tags.species"));
    }
    CHECK_NOTHROW(evaluate("full", nox));
}
