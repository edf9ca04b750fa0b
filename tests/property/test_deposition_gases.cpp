// Removal of the photochemical (CB6r3) gases: the Wesely (1989) surface resistances against values
// worked by hand from his Table 1, the orderings they must keep, the rule that an explicit r_c of the
// species table wins, Henry's-law wet scavenging, the species table's coverage of the mechanism and
// its refusal of hostile H* / f0 cells.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "chemistry/mechanism_file.hpp"
#include "config/config.hpp"
#include "processes/deposition.hpp"
#include "processes/removal.hpp"
#include "processes/wesely.hpp"
#include "removal_kernels.hpp"
#include "state/species_properties.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {
const WeselyGas kO3{1.6, 0.01, 1.0};   // Wesely (1989) Table 2
const WeselyGas kSO2{1.9, 1e5, 0.0};   // Wesely (1989) Table 2

WeselyGas gas_of(const SpeciesPropertiesTable& t, const std::string& name) {
    const SpeciesProperties* p = t.find(name);
    REQUIRE(p != nullptr);
    REQUIRE(p->has_henry);
    return {p->diffusivity_ratio, p->henry_m_atm, p->f0};
}

// A small species table: the header of configs/species.csv and the rows given.
std::string table_text(const std::string& rows) {
    return "name,molar_mass_g_mol,size_class,pm25_fraction,pm10_fraction,diameter_um,density_kg_m3,diffusivity_ratio,"
           "rc_urban_s_m,rc_cropland_s_m,rc_grassland_s_m,rc_forest_s_m,rc_water_s_m,rc_desert_s_m,rc_snow_s_m,"
           "henry_m_atm,f0,scav_a_s,scav_b\n" +
           rows;
}

std::string error_of(const std::string& csv) {
    try {
        SpeciesPropertiesTable t(csv, "hostile.csv");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("Wesely r_c of SO2 and O3 equal the values worked from Wesely's Table 1", "[property][removal]") {
    // Each cell: Wesely (1989) Table 1 resistances, eqs. (2)-(9), worked by hand.
    // (a) Winter with snow (category 4), agricultural land, night (G = 0), T_s = −1 °C: stomata closed,
    //     no upper-canopy path (r_lu = 9999). r_dc = 100 (1 + 1000/10) = 10100.
    //     O3: lower canopy r_dc + r_clO = 10100 + 1000; ground r_ac + r_gsO = 10 + 3500 (1e-7/100 is
    //     negligible): r_c = 1/(1/11100 + 1/3510) = 2666.7 s/m.
    //     SO2: no lower-canopy path (r_clS = 9999), ground r_ac + r_gsS = 10 + 100 = 110 s/m.
    const WeselyCell winter_crop = wesely_cell(WeselySeason::winter_snow, LandClass::cropland);
    CHECK(wesely_surface_resistance(kO3, winter_crop, 0.0, -1.0) == Approx(2666.7).epsilon(1e-3));
    CHECK(wesely_surface_resistance(kSO2, winter_crop, 0.0, -1.0) == Approx(110.0).epsilon(1e-3));
    // (b) Water, any season: only the ground path, r_ac = 0; O3 r_gsO = 2000 s/m (Wesely's value for
    //     O3 over water); SO2 r_gsS = 0, read as the floor of 1 s/m ("no resistance").
    for (WeselySeason s : {WeselySeason::midsummer, WeselySeason::winter_snow}) {
        const WeselyCell water = wesely_cell(s, LandClass::water);
        CHECK(wesely_surface_resistance(kO3, water, 500.0, 10.0) == Approx(2000.0).epsilon(1e-3));
        CHECK(wesely_surface_resistance(kSO2, water, 500.0, 10.0) == Approx(1.0).epsilon(1e-9));
    }
    // (c) Midsummer (category 1), deciduous forest, G = 800 W/m2, T_s = 25 °C:
    //     r_s = 70 (1 + (200/800.1)²) (400/(25·15)) = 79.33; r_dc = 100 (1 + 1000/810) = 223.46.
    //     O3: 1/(1.6 r_s + 0.01) + 1/2000 + 1/(223.46 + 1000) + 1/(2000 + 200) → r_c = 103.6 s/m.
    //     SO2: 1/(1.9 r_s + 0.03) + 1/2000 + 1/(223.46 + 2000) + 1/(2000 + 500) → r_c = 125.3 s/m.
    const WeselyCell summer_forest = wesely_cell(WeselySeason::midsummer, LandClass::forest);
    CHECK(wesely_surface_resistance(kO3, summer_forest, 800.0, 25.0) == Approx(103.6).epsilon(2e-3));
    CHECK(wesely_surface_resistance(kSO2, summer_forest, 800.0, 25.0) == Approx(125.3).epsilon(2e-3));
    // (d) The same forest at night (G = 0, 15 °C): stomata nearly shut, r_dc = 10100.
    //     O3: 1/2000 + 1/11100 + 1/2200 (+ stomata 1/(1.6·70·(1+4e6)·1.185)) → r_c = 957 s/m.
    CHECK(wesely_surface_resistance(kO3, summer_forest, 0.0, 15.0) == Approx(957.3).epsilon(2e-3));
}

TEST_CASE("Wesely r_c orders the gases by solubility and reactivity in every season and land class", "[property][removal]") {
    const SpeciesPropertiesTable t = SpeciesPropertiesTable::builtin();
    const WeselyGas hno3 = gas_of(t, "HNO3"), o3 = gas_of(t, "O3"), no = gas_of(t, "NO"), co = gas_of(t, "CO"),
                    h2o2 = gas_of(t, "H2O2"), form = gas_of(t, "FORM");
    for (int s = 0; s < 5; ++s)
        for (int l = 0; l < kLandClasses; ++l)
            for (const auto& [g, ts] : {std::pair{0.0, 5.0}, std::pair{700.0, 22.0}, std::pair{300.0, -8.0}}) {
                const WeselyCell cell = wesely_cell(static_cast<WeselySeason>(s), static_cast<LandClass>(l));
                const double r_hno3 = wesely_surface_resistance(hno3, cell, g, ts);
                const double r_o3 = wesely_surface_resistance(o3, cell, g, ts);
                const double r_no = wesely_surface_resistance(no, cell, g, ts);
                const double r_co = wesely_surface_resistance(co, cell, g, ts);
                INFO("season " << s << ", land class " << kLandClassNames[l] << ", G " << g << ", T_s " << ts);
                CHECK(r_hno3 < r_o3);
                CHECK(r_o3 < r_no);
                // NO before CO, unless both take up practically nothing (r_c > 1e8 s/m: v_d < 1e-8 m/s;
                // at night the stomata, the only path of either, favour CO's smaller molecule).
                CHECK((r_no < r_co || r_no > 1e8));
                // Soluble and reactive H2O2 deposits faster than O3; soluble FORM faster than NO.
                CHECK(wesely_surface_resistance(h2o2, cell, g, ts) <= r_o3);
                CHECK(wesely_surface_resistance(form, cell, g, ts) < r_no);
            }
}

TEST_CASE("Deposition velocities of the CB6r3 gases: HNO3 > O3 > NO, radicals none", "[property][removal]") {
    GridConfig gc = test::cartesian(3, 3, 1000.0, {0, 30, 100});
    const Grid g(gc);
    RemovalConfig rc;
    rc.land_class = LandClass::grassland;
    const SpeciesPropertiesTable table = SpeciesPropertiesTable::builtin();
    const std::vector<std::string> names{"HNO3", "O3", "NO", "OH", "XO2", "NO3RAD", "SO2"};
    const DryDeposition dep(g, names, table, {}, rc, 0.1, WeselySeason::midsummer);
    MetState met = test::hand_made_met(g, 1.2, [](double, double, double) { return test::WindXY{0, 0}; }, 1.0);
    for (auto& u : met.ustar_m_s) u = 0.3;
    for (auto& l : met.mo_length_m) l = 1e8;
    for (auto& t2 : met.t2_k) t2 = 293.15;
    std::vector<double> vd;
    dep.velocities(met, vd);
    const std::size_t plane = g.columns();
    for (std::size_t c = 0; c < plane; ++c) {
        CHECK(vd[0 * plane + c] > vd[1 * plane + c]);
        CHECK(vd[1 * plane + c] > vd[2 * plane + c]);
        CHECK(vd[2 * plane + c] > 0.0);
        // Radicals and operators: no uptake.
        CHECK(vd[3 * plane + c] == 0.0);
        CHECK(vd[4 * plane + c] == 0.0);
        CHECK(vd[5 * plane + c] == 0.0);
    }
    // HNO3's surface resistance is at the floor: its velocity is the aerodynamic limit 1/(r_a + r_b).
    CHECK(dep.surface_resistance(0, 600, 20) == 1.0);
    // At night the stomata close: O3 deposits more slowly than in daylight.
    std::vector<double> night, noon;
    const double local_noon_s = 172 * 86400.0 + (12.0 - g.lon()[0] / 15.0) * 3600.0;  // 21 June, local solar noon
    dep.velocities(met, night, {}, local_noon_s + 12 * 3600.0);
    dep.velocities(met, noon, {}, local_noon_s);
    CHECK(night[plane] < noon[plane]);
}

TEST_CASE("Summer O3 r_c over forest is lower than in winter; the season resolves from the start month", "[property][removal]") {
    const SpeciesPropertiesTable t = SpeciesPropertiesTable::builtin();
    GridConfig gc = test::cartesian(2, 2, 1000.0, {0, 30, 100});
    const Grid g(gc);
    RemovalConfig rc;
    rc.land_class = LandClass::forest;
    const DryDeposition summer(g, {"O3"}, t, {}, rc, 0.1, WeselySeason::midsummer);
    const DryDeposition winter(g, {"O3"}, t, {}, rc, 0.1, WeselySeason::winter_snow);
    for (const auto& [gr, ts] : {std::pair{600.0, 20.0}, std::pair{900.0, 28.0}, std::pair{200.0, 10.0}})
        CHECK(summer.surface_resistance(0, gr, ts) < winter.surface_resistance(0, gr, ts));

    // Frozen surfaces: soluble FORM takes up less at −15 °C than at −1 °C; O3 over snow keeps a
    // resistance of order 10^3 s/m (Table 1 category 4), not the cold term's 6e7 s/m.
    const WeselyCell snow = wesely_cell(WeselySeason::winter_snow, LandClass::snow);
    CHECK(wesely_surface_resistance(gas_of(t, "FORM"), snow, 300, -15) > 100 * wesely_surface_resistance(gas_of(t, "FORM"), snow, 300, -1));
    CHECK(wesely_surface_resistance(kO3, snow, 300, -15) == Approx(wesely_surface_resistance(kO3, snow, 300, -1)).epsilon(1e-3));
    CHECK(wesely_surface_resistance(kO3, snow, 300, -15) > 1000);
    CHECK(wesely_surface_resistance(kO3, snow, 300, -15) < 10000);

    CHECK(resolve_season(DepositionSeason::auto_, LandClass::cropland, 1, 40.6) == WeselySeason::winter_snow);
    CHECK(resolve_season(DepositionSeason::auto_, LandClass::cropland, 4, 40.6) == WeselySeason::transitional);
    CHECK(resolve_season(DepositionSeason::auto_, LandClass::cropland, 7, 40.6) == WeselySeason::midsummer);
    CHECK(resolve_season(DepositionSeason::auto_, LandClass::cropland, 10, 40.6) == WeselySeason::autumn);
    CHECK(resolve_season(DepositionSeason::auto_, LandClass::cropland, 12, 40.6) == WeselySeason::winter_snow);
    CHECK(resolve_season(DepositionSeason::auto_, LandClass::cropland, 1, -33.9) == WeselySeason::midsummer);
    CHECK(resolve_season(DepositionSeason::auto_, LandClass::cropland, 7, -33.9) == WeselySeason::winter_snow);
    CHECK(resolve_season(DepositionSeason::midsummer, LandClass::snow, 7, 40.6) == WeselySeason::winter_snow);
    CHECK(resolve_season(DepositionSeason::late_autumn, LandClass::water, 7, 40.6) == WeselySeason::late_autumn);
}

TEST_CASE("An explicit rc_ value of the species table wins over the Wesely model", "[property][removal]") {
    GridConfig gc = test::cartesian(2, 2, 1000.0, {0, 30, 100});
    const Grid g(gc);
    RemovalConfig rc;  // cropland
    // The built-in SO2 row gives r_c explicitly (cropland 200 s/m) and H*/f0 too: the explicit value
    // is used in every season and weather.
    const SpeciesPropertiesTable builtin = SpeciesPropertiesTable::builtin();
    for (int s = 0; s < 5; ++s) {
        const DryDeposition dep(g, {"SO2"}, builtin, {}, rc, 0.1, static_cast<WeselySeason>(s));
        CHECK(dep.surface_resistance(0, 800, 25) == 200.0);
        CHECK(dep.surface_resistance(0, 0, -5) == 200.0);
    }
    // The same gas with its cropland cell left empty: the Wesely value (midsummer, daytime ≠ 200).
    const SpeciesPropertiesTable own(table_text("SO2,64.07,gas,0,0,,,1.9,400,,250,250,20,1000,500,1e5,0,2.0e-5,0.62\n"), "own.csv");
    const DryDeposition computed(g, {"SO2"}, own, {}, rc, 0.1, WeselySeason::midsummer);
    const double expected = wesely_surface_resistance(kSO2, wesely_cell(WeselySeason::midsummer, LandClass::cropland), 800, 25);
    CHECK(computed.surface_resistance(0, 800, 25) == Approx(expected).epsilon(1e-12));
    CHECK(std::abs(expected - 200.0) > 10.0);
    // Other land classes of that row keep their explicit values.
    RemovalConfig urban;
    urban.land_class = LandClass::urban;
    CHECK(DryDeposition(g, {"SO2"}, own, {}, urban, 0.1, WeselySeason::midsummer).surface_resistance(0, 800, 25) == 400.0);
}

TEST_CASE("Henry's-law wet scavenging: HNO3 at the soluble ceiling, O3 about nothing", "[property][removal]") {
    const SpeciesPropertiesTable t = SpeciesPropertiesTable::builtin();
    for (const char* name : {"HNO3", "H2O2", "FORM", "O3", "NO", "PAN", "ISOP"}) {
        const SpeciesProperties* p = t.find(name);
        REQUIRE(p);
        CHECK(p->scav_from_henry);
    }
    auto rate = [&](const char* name, double p_mm_h) { return scavenging_rate_s(henry_scavenging(0, t.find(name)->henry_m_atm), p_mm_h); };
    for (double p : {0.5, 1.0, 5.0, 20.0}) {
        // Very soluble gases reach the mass-transfer ceiling 2e-5 P^0.62 s-1.
        CHECK(rate("HNO3", p) == Approx(2.0e-5 * std::pow(p, 0.62)).epsilon(1e-12));
        CHECK(rate("H2O2", p) == Approx(2.0e-5 * std::pow(p, 0.62)).epsilon(1e-12));
        // O3 (H* = 0.01): W = 0.01·0.082057·283 = 0.232 → Λ = 0.232 P/(3000 m · 3.6e6) ≈ 2e-11 P s-1.
        CHECK(rate("O3", p) == Approx(0.01 * 0.082057 * 283.0 / 3000.0 / 3.6e6 * p).epsilon(1e-6));
        CHECK(rate("HNO3", p) > 1e5 * rate("O3", p));
        // Ordered by solubility: HNO3 ≥ FORM > PAN > O3 > NO.
        CHECK(rate("HNO3", p) >= rate("FORM", p));
        CHECK(rate("FORM", p) > rate("PAN", p));
        CHECK(rate("PAN", p) > rate("O3", p));
        CHECK(rate("O3", p) > rate("NO", p));
    }
    CHECK(rate("HNO3", 0.0) == 0.0);
    // The kernel applies the same Λ: a column of O3 keeps (almost) all its mass in an hour of rain,
    // HNO3 loses 1 − exp(−2e-5·3600) = 6.9 %.
    GridConfig gc = test::cartesian(1, 1, 1000.0, {0, 500, 1000});
    const Grid g(gc);
    for (const auto& [name, kept] : {std::pair{"O3", 1.0}, std::pair{"HNO3", std::exp(-2.0e-5 * 3600.0)}}) {
        const WetScavenging::Coefficients c = henry_scavenging(0, t.find(name)->henry_m_atm);
        std::vector<real> q(2, real(100));
        std::vector<double> air(2, 1e9), precip(1, 1.0), removed(1, 0.0);
        kernels::ScavengingViews v;
        v.nx = v.ny = 1;
        v.nz = 2;
        v.dt_s = 3600;
        v.a_s = c.a_s;
        v.b = c.b;
        v.c_s_per_mm_h = c.c_s_per_mm_h;
        v.precip_mm_h = precip.data();
        v.air_mass_kg = air.data();
        v.q = q.data();
        v.removed_ug = removed.data();
        kernels::scavenge(v);
        CHECK(static_cast<double>(q[0]) == Approx(100.0 * kept).epsilon(1e-5));
    }
    // Explicit coefficients (SO2, particles) keep Λ = a P^b: no ceiling from solubility.
    const WetScavenging::Coefficients so2{0, t.find("SO2")->scav_a_s, t.find("SO2")->scav_b};
    CHECK(scavenging_rate_s(so2, 3.0) == 2.0e-5 * std::pow(3.0, 0.62));
}

TEST_CASE("The species table holds every integrated CB6r3 species with the mechanism's molar mass", "[property][removal]") {
    const chem::Mechanism m = chem::read_mechanism_file(std::string(LANTIAN_SOURCE_DIR) + "/configs/mechanisms/cb6r3.txt");
    const SpeciesPropertiesTable t = SpeciesPropertiesTable::builtin();
    // Rows older than the mechanism keep their masses (64.07, 46.01, 28.01 g/mol against the file's
    // 64.0, 46.0, 28.0): changing them would move the results of existing runs.
    const std::vector<std::string> older{"SO2", "NO2", "CO"};
    int integrated = 0;
    for (const auto& s : m.species) {
        if (s.fixed != chem::FixedKind::integrated) continue;
        ++integrated;
        INFO(s.name);
        const SpeciesProperties* p = t.find(s.name);
        REQUIRE(p != nullptr);
        CHECK_FALSE(p->particle());
        if (std::find(older.begin(), older.end(), s.name) == older.end()) {
            CHECK(p->molar_mass_g_mol == s.molar_mass_g_mol);
            CHECK(p->has_henry);
        }
    }
    CHECK(integrated > 70);
    // Radicals and operators take up nothing.
    for (const char* r : {"O", "O1D", "OH", "HO2", "NO3RAD", "XO2", "XO2H", "XO2N", "MEO2", "C2O3", "CXO3", "ISO2", "TO2",
                          "XLO2", "BZO2", "ROR", "CRO", "OPO3", "EPX2", "XPRP", "XPAR", "HCO3", "RO2"}) {
        INFO(r);
        REQUIRE(t.find(r) != nullptr);
        CHECK(t.find(r)->inert());
    }
    CHECK_FALSE(t.find("O3")->inert());
    CHECK(t.find("NO3")->particle());  // particulate nitrate, not the radical
}

TEST_CASE("Hostile H* and f0 cells of the species table are refused naming file, line and column", "[property][removal]") {
    // Line 1 is the header; the row is line 2.
    CHECK_THAT(error_of(table_text("O3,48.0,gas,0,0,,,1.6,,,,,,,,-0.01,1,,\n")),
               Catch::Contains("hostile.csv:2: henry_m_atm: -0.01: must be in [0, 1e20] M atm-1"));
    CHECK_THAT(error_of(table_text("O3,48.0,gas,0,0,,,1.6,,,,,,,,0.01,1.5,,\n")),
               Catch::Contains("hostile.csv:2: f0: 1.5: must be in [0, 1]"));
    CHECK_THAT(error_of(table_text("O3,48.0,gas,0,0,,,1.6,,,,,,,,0.01,-0.1,,\n")),
               Catch::Contains("hostile.csv:2: f0: -0.1: must be in [0, 1]"));
    CHECK_THAT(error_of(table_text("O3,48.0,gas,0,0,,,1.6,,,,,,,,0.01,,,\n")),
               Catch::Contains("hostile.csv:2: f0: (empty): henry_m_atm and f0 go together"));
    CHECK_THAT(error_of(table_text("O3,48.0,gas,0,0,,,1.6,,,,,,,,abc,1,,\n")),
               Catch::Contains("hostile.csv:2: henry_m_atm: abc: not a number"));
    // Without H* and f0, r_c cells stay required; particles take no H*.
    CHECK_THAT(error_of(table_text("NO,30.0,gas,0,0,,,1.3,,,,,,,,,,0,1\n")),
               Catch::Contains("hostile.csv:2: rc_urban_s_m: (empty): a number is required"));
    CHECK_THAT(error_of(table_text("PM25,0,fine,1,1,0.5,1500,,,,,,,,,100,0,5e-5,0.8\n")),
               Catch::Contains("hostile.csv:2: henry_m_atm: 100: must be empty for particles"));
    // An explicit r_c is still range-checked in a row with H*.
    CHECK_THAT(error_of(table_text("O3,48.0,gas,0,0,,,1.6,0,,,,,,,0.01,1,,\n")),
               Catch::Contains("hostile.csv:2: rc_urban_s_m: 0: must be in [1, 1e7] s/m or empty (Wesely model)"));
    // A table without the new columns (older user tables) still reads.
    CHECK(error_of("name,molar_mass_g_mol,size_class,pm25_fraction,pm10_fraction,diameter_um,density_kg_m3,diffusivity_ratio,"
                   "rc_urban_s_m,rc_cropland_s_m,rc_grassland_s_m,rc_forest_s_m,rc_water_s_m,rc_desert_s_m,rc_snow_s_m,"
                   "scav_a_s,scav_b\nSO2,64.07,gas,0,0,,,1.89,400,200,250,250,20,1000,500,2.0e-5,0.62\n")
              .empty());
}
