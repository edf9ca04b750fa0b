// The seasonal inflow climatology (species.boundary_climatology, docs/boundary-climatology.md): the
// CSV reader and each of its refusals, the season of a run, the standard atmosphere that turns µg m-3
// into mixing ratios, the profiles a run's species get (and which key wins), and the shipped file.
// The inflow mass of a run: tests/property/test_climatology_inflow.cpp.
#include <catch2/catch.hpp>
#include <cmath>

#include "chemistry/background_profiles.hpp"
#include "config/config_parser.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {
const std::string kHeader = "species,season,height_m,value,unit\n";
const std::string kGood = kHeader +
                          "# a comment\n"
                          "PM25,winter,0,40,ug_m3\n"
                          "PM25,winter,2000,10,ug_m3\n"
                          "PM25,spring,0,20,ug_m3\n"
                          "\n"
                          "CO,spring,0,200,ppb\n"
                          "CO,spring,5000,100,ppb\n"
                          "O3,summer,0,50,ppb\n";

// The ConfigError message of parsing `text` (empty when it parses).
std::string error_of(const std::string& text) {
    try {
        parse_boundary_climatology(text, "clim.csv");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("Boundary climatology: a good file reads into profiles per species and season", "[unit][climatology]") {
    const BoundaryClimatology c = parse_boundary_climatology(kGood, "clim.csv");
    REQUIRE(c.species.size() == 3);
    const auto& pm = c.species.at("PM25");
    REQUIRE(pm[season_index(BoundarySeason::winter)].points.size() == 2);
    CHECK(pm[0].points[1] == std::pair<double, double>{2000.0, 10.0});
    CHECK_FALSE(pm[0].ppb);
    CHECK(pm[0].line == 3);
    CHECK(pm[season_index(BoundarySeason::spring)].points.size() == 1);
    CHECK(pm[season_index(BoundarySeason::summer)].points.empty());
    const auto& co = c.species.at("CO")[1];
    CHECK(co.ppb);
    CHECK(co.line == 7);
    CHECK(co.points.size() == 2);
}

TEST_CASE("Boundary climatology: each bad input is refused naming file, line and problem", "[unit][climatology]") {
    CHECK_THAT(error_of("species,season,height_m,value\nCO,spring,0,1\n"), Catch::Contains("clim.csv:1: header: missing column 'unit'"));
    CHECK_THAT(error_of("species,season,height_m,value,unit,note\nCO,spring,0,1,ppb,x\n"),
               Catch::Contains("clim.csv:1: header: unknown column 'note'"));
    CHECK_THAT(error_of(kHeader + "CO,spring,0,200,ppb\nCO,sprung,0,200,ppb\n"),
               Catch::Contains("clim.csv:3: season: sprung: unknown season"));
    CHECK_THAT(error_of(kHeader + "CO,spring,0,-5,ppb\n"), Catch::Contains("clim.csv:2: value: -5: must be"));
    CHECK_THAT(error_of(kHeader + "CO,spring,0,nan,ppb\n"), Catch::Contains("clim.csv:2: value: nan: not a number"));
    CHECK_THAT(error_of(kHeader + "CO,spring,0,1e9,ppb\n"), Catch::Contains("clim.csv:2: value: 1e9: must be"));
    CHECK_THAT(error_of(kHeader + "CO,spring,1000,200,ppb\nCO,spring,1000,150,ppb\n"),
               Catch::Contains("clim.csv:3: height_m: 1000: heights of CO in spring must increase"));
    CHECK_THAT(error_of(kHeader + "CO,spring,1000,200,ppb\nCO,spring,500,150,ppb\n"),
               Catch::Contains("clim.csv:3: height_m: 500: heights of CO in spring must increase"));
    CHECK_THAT(error_of(kHeader + "CO,spring,-10,200,ppb\n"), Catch::Contains("clim.csv:2: height_m: -10: must be"));
    CHECK_THAT(error_of(kHeader + "CO,spring,0,200,mg_m3\n"), Catch::Contains("clim.csv:2: unit: mg_m3: unknown unit"));
    CHECK_THAT(error_of(kHeader + "CO,spring,0,200,ppb\nCO,spring,100,200,ug_m3\n"),
               Catch::Contains("clim.csv:3: unit: ug_m3: the unit of CO in spring changes"));
    CHECK_THAT(error_of(kHeader + ",spring,0,200,ppb\n"), Catch::Contains("clim.csv:2: species: (empty): not a species name"));
    CHECK_THAT(error_of(kHeader + "C O,spring,0,200,ppb\n"), Catch::Contains("clim.csv:2: species: C O: not a species name"));
    CHECK_THAT(error_of(kHeader + "CO,spring,0,200\n"), Catch::Contains("clim.csv:2:"));
    // The same heights in another season or species are fine: heights increase within a profile.
    CHECK(error_of(kHeader + "CO,spring,0,200,ppb\nCO,winter,0,250,ppb\nSO2,spring,0,2,ppb\n").empty());
}

TEST_CASE("Boundary climatology: the season of a run and the standard atmosphere", "[unit][climatology]") {
    CHECK(resolve_boundary_season(BoundarySeason::auto_, 1, 40) == BoundarySeason::winter);
    CHECK(resolve_boundary_season(BoundarySeason::auto_, 3, 40) == BoundarySeason::spring);
    CHECK(resolve_boundary_season(BoundarySeason::auto_, 5, 40) == BoundarySeason::spring);
    CHECK(resolve_boundary_season(BoundarySeason::auto_, 7, 40) == BoundarySeason::summer);
    CHECK(resolve_boundary_season(BoundarySeason::auto_, 10, 40) == BoundarySeason::autumn);
    CHECK(resolve_boundary_season(BoundarySeason::auto_, 12, 40) == BoundarySeason::winter);
    CHECK(resolve_boundary_season(BoundarySeason::auto_, 7, -30) == BoundarySeason::winter);  // southern hemisphere
    CHECK(resolve_boundary_season(BoundarySeason::autumn, 4, 40) == BoundarySeason::autumn);  // a given season wins
    // U.S. Standard Atmosphere (1976) densities at geopotential heights: 1.2250 (0 m), 1.1117 (1 km), 0.73612 (5 km), 0.36392 (11 km),
    // 0.0880 (20 km) kg m-3.
    CHECK(standard_atmosphere_density_kg_m3(0) == Approx(1.2250).epsilon(1e-4));
    CHECK(standard_atmosphere_density_kg_m3(1000) == Approx(1.1117).epsilon(1e-4));
    CHECK(standard_atmosphere_density_kg_m3(5000) == Approx(0.73612).epsilon(1e-4));
    CHECK(standard_atmosphere_density_kg_m3(11000) == Approx(0.3639).epsilon(1e-3));
    CHECK(standard_atmosphere_density_kg_m3(20000) == Approx(0.08803).epsilon(2e-3));
}

TEST_CASE("Boundary climatology: mixing ratios of the run's species, and the refusals that need the run",
          "[unit][climatology]") {
    const BoundaryClimatology c = parse_boundary_climatology(kGood, "clim.csv");
    const SpeciesPropertiesTable table = SpeciesPropertiesTable::builtin();
    const auto q = climatology_mixing_ratio_profiles(c, BoundarySeason::spring, {"PM25", "CO", "SO2"}, table, 1000.0);
    REQUIRE(q.size() == 3);
    REQUIRE(q[0].size() == 1);
    CHECK(q[0][0].second == Approx(20.0 / standard_atmosphere_density_kg_m3(1000.0)));  // µg m-3 / ρ_std
    REQUIRE(q[1].size() == 2);
    CHECK(q[1][0].second == Approx(200.0 * 28.01 / 28.97));  // ppb · M_CO / M_air = µg kg-1
    CHECK(q[1][1].first == 5000.0);
    CHECK(q[1][1].second == Approx(100.0 * 28.01 / 28.97));
    CHECK(q[2].empty());  // no rows: the species keeps species.background_ug_m3
    // Winter: PM25 has rows, CO has none while it has spring rows: refused, naming CO's first line.
    try {
        climatology_mixing_ratio_profiles(c, BoundarySeason::winter, {"PM25", "CO"}, table, 0.0);
        FAIL("no error");
    } catch (const ConfigError& e) {
        CHECK_THAT(e.what(), Catch::Contains("clim.csv:7: species: CO: no rows for season winter"));
    }
    // O3 is in the species table but not in the run: ignored. A name in neither is a typo.
    const BoundaryClimatology typo = parse_boundary_climatology(kHeader + "PM25,spring,0,20,ug_m3\nS02,spring,0,2,ppb\n", "clim.csv");
    try {
        climatology_mixing_ratio_profiles(typo, BoundarySeason::spring, {"PM25"}, table, 0.0);
        FAIL("no error");
    } catch (const ConfigError& e) {
        CHECK_THAT(e.what(), Catch::Contains("clim.csv:3: species: S02: unknown species"));
    }
    // ppb of a particle (no molar mass) is refused.
    const BoundaryClimatology ppb_pm = parse_boundary_climatology(kHeader + "PM25,spring,0,20,ppb\n", "clim.csv");
    CHECK_THROWS_WITH(climatology_mixing_ratio_profiles(ppb_pm, BoundarySeason::spring, {"PM25"}, table, 0.0),
                      Catch::Contains("clim.csv:2: unit: ppb: PM25 has no molar mass"));
}

TEST_CASE("Boundary climatology in a configuration: the season from the start, species.background_ug_m3 wins",
          "[unit][climatology]") {
    const std::string dir = test::scratch_dir("climatology_cfg");
    test::write_text_file(dir, "clim.csv", kGood);
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-04-10T00:00:00\nhours = 1\n"
        "[grid]\nprojection = lambert\nnx = 4\nny = 4\ndx_m = 4000\ncenter_lon = 110\ncenter_lat = 41\nnz = 4\n"
        "[species]\nnames = PM25 CO\nboundary_climatology = clim.csv\nboundary_elevation_m = 1000\n");
    const Config spring = load_config(ini);
    const Grid grid(spring.grid);
    auto q = background_mixing_ratio_profiles(spring, grid, {"PM25", "CO"});
    REQUIRE(q[0].size() == 1);
    CHECK(q[0][0].second == Approx(20.0 / standard_atmosphere_density_kg_m3(1000.0)));
    CHECK(q[1].size() == 2);
    // A named background keeps its surface value and scale height (no points).
    q = background_mixing_ratio_profiles(load_config(ini, {"species.background_ug_m3=PM25:7"}), grid, {"PM25", "CO"});
    CHECK(q[0].empty());
    CHECK(q[1].size() == 2);
    // Winter by the key: PM25 takes its winter profile, CO has no winter rows: refused.
    CHECK_THROWS_WITH(background_mixing_ratio_profiles(load_config(ini, {"species.boundary_season=winter"}), grid, {"PM25", "CO"}),
                      Catch::Contains("no rows for season winter"));
    q = background_mixing_ratio_profiles(load_config(ini, {"species.boundary_season=winter"}), grid, {"PM25"});
    REQUIRE(q[0].size() == 2);
    CHECK(q[0][0].second == Approx(40.0 / standard_atmosphere_density_kg_m3(1000.0)));
    // Without the key: nothing (today's behaviour in linear mode).
    q = background_mixing_ratio_profiles(load_config(ini, {"species.boundary_climatology="}), grid, {"PM25", "CO"});
    CHECK(q[0].empty());
    CHECK(q[1].empty());
    // A missing file is a configuration error naming the key.
    CHECK_THROWS_AS(load_config(ini, {"species.boundary_climatology=nowhere.csv"}), ConfigError);
}

TEST_CASE("The shipped north China climatology reads, covers every season of the linear species and O3",
          "[unit][climatology]") {
    const BoundaryClimatology c =
        read_boundary_climatology(std::string(LANTIAN_SOURCE_DIR) + "/configs/boundary/climatology_north_china.csv");
    const std::vector<std::string> run = {"SO2", "NO2", "CO", "PM25", "PMC", "NH3", "DUST", "SO4", "NO3", "NH4", "O3"};
    const SpeciesPropertiesTable table = SpeciesPropertiesTable::builtin();
    for (BoundarySeason s : {BoundarySeason::winter, BoundarySeason::spring, BoundarySeason::summer, BoundarySeason::autumn}) {
        const auto q = climatology_mixing_ratio_profiles(c, s, run, table, 1000.0);
        for (std::size_t k = 0; k < run.size(); ++k) {
            CAPTURE(run[k], season_index(s));
            CHECK(q[k].size() >= 2);
        }
    }
    // Spring: dust below half of PM10 at the surface (docs/dust-days.md: the background alone must
    // not mark every spring day as dust-affected); O3 rises with height.
    const auto& sp = [&](const std::string& n) { return c.species.at(n)[season_index(BoundarySeason::spring)].points; };
    const double pm10 = sp("PM25")[0].second + sp("SO4")[0].second + sp("NO3")[0].second + sp("NH4")[0].second +
                        sp("PMC")[0].second + sp("DUST")[0].second;
    CHECK(sp("DUST")[0].second / pm10 < 0.5);
    CHECK(sp("O3").back().second > sp("O3").front().second);
}
