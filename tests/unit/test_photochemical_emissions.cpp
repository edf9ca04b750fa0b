// Emissions of the photochemical mode (chemistry.mechanism = cb6r3): the built-in CB6r3 speciation
// (NO/NO2 split conserving NOx moles, VOC profiles within their documented bounds, only species of
// the mechanism), the MEGAN-style biogenic activity factors and rates, the VOC-by-species report of
// `lantian inventory` (the run's books: tests/property/test_biogenic_run.cpp). docs/emissions-photochemistry.md.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "biogenic_kernels.hpp"
#include "chemistry/mechanism_file.hpp"
#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "emissions/biogenic.hpp"
#include "emissions/emission_model.hpp"
#include "emissions/inventory_report.hpp"
#include "grid/grid.hpp"
#include "met/met_state.hpp"
#include "met/solar_geometry.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {

const std::string kMechanism = std::string(LANTIAN_SOURCE_DIR) + "/configs/mechanisms/cb6r3.txt";
const int kVoc = static_cast<int>(Pollutant::VOC);
const int kNox = static_cast<int>(Pollutant::NOx);

double fraction_of(const std::vector<SpeciesShare>& shares, const std::string& species) {
    double f = 0;
    for (const auto& s : shares)
        if (s.species == species) f += s.mass_fraction;
    return f;
}

GridConfig small_grid() {
    GridConfig g;
    g.projection = Projection::lambert;
    g.nx = 12;
    g.ny = 10;
    g.dx_m = 4000;
    g.center_lon = 110.0;
    g.center_lat = 40.6;
    g.layer_faces_m = {0, 30, 80, 160};
    return g;
}

}  // namespace

TEST_CASE("The CB6r3 speciation conserves NOx moles and keeps the VOC profiles within their bounds", "[unit][emissions]") {
    const Speciation cb6 = Speciation::builtin_cb6r3();
    const Speciation linear = Speciation::builtin();
    const chem::Mechanism mech = chem::read_mechanism_file(kMechanism);
    const double m_no = mech.species[mech.find_species("NO")].molar_mass_g_mol;
    const double m_no2 = mech.species[mech.find_species("NO2")].molar_mass_g_mol;
    const std::set<std::string> particles = {"PM25", "PMC", "DUST", "SO4", "NO3", "NH4", "NH3"};
    for (int c = 0; c < kInventorySectors; ++c) {
        INFO("sector " << sector_name(c));
        // NOx (NO2 mass) -> NO + NO2: moles of NO + NO2 per gram of NOx = 1 / M(NO2); the table holds 6 digits.
        const auto& nox = cb6.shares(c, kNox);
        REQUIRE(nox.size() == 2);
        const double f_no = fraction_of(nox, "NO"), f_no2 = fraction_of(nox, "NO2");
        CHECK(f_no / m_no + f_no2 / m_no2 == Approx(1.0 / m_no2).epsilon(1e-5));
        // Primary NO2 share by mole between 5 % (stationary combustion) and 15 % (traffic).
        CHECK(f_no2 >= 0.05 - 1e-12);
        CHECK(f_no2 <= 0.15 + 1e-12);
        if (c == static_cast<int>(Sector::traffic)) CHECK(f_no2 > fraction_of(cb6.shares(static_cast<int>(Sector::power), kNox), "NO2"));

        // VOC: the documented share assigned to species is 0.77-0.87 of the mass; never more than 1.
        const auto& voc = cb6.shares(c, kVoc);
        double sum = 0;
        for (const auto& s : voc) {
            INFO("species " << s.species);
            sum += s.mass_fraction;
            CHECK(s.mass_fraction > 0);
            // Every VOC species is an integrated species of the mechanism file.
            const int k = mech.find_species(s.species);
            REQUIRE(k >= 0);
            CHECK(mech.species[k].fixed == chem::FixedKind::integrated);
        }
        CHECK(sum >= 0.77 - 1e-9);
        CHECK(sum <= 0.87 + 1e-9);
        // The other pollutants map as in the linear mode.
        for (const Pollutant p : {Pollutant::SO2, Pollutant::CO, Pollutant::PM25, Pollutant::PMC, Pollutant::NH3}) {
            const auto& a = cb6.shares(c, static_cast<int>(p));
            const auto& b = linear.shares(c, static_cast<int>(p));
            REQUIRE(a.size() == b.size());
            for (std::size_t n = 0; n < a.size(); ++n) {
                CHECK(a[n].species == b[n].species);
                CHECK(a[n].mass_fraction == b[n].mass_fraction);
                CHECK((mech.find_species(a[n].species) >= 0 || particles.count(a[n].species)));
            }
        }
    }
    // Traffic is aromatic- and alkane-rich, residential combustion ethene- and ethyne-rich.
    const int traffic = static_cast<int>(Sector::traffic), residential = static_cast<int>(Sector::residential);
    CHECK(fraction_of(cb6.shares(traffic, kVoc), "XYLMN") > fraction_of(cb6.shares(residential, kVoc), "XYLMN"));
    CHECK(fraction_of(cb6.shares(residential, kVoc), "ETHY") > fraction_of(cb6.shares(traffic, kVoc), "ETHY"));
    // Dust has no profile of its own: the * profile.
    CHECK(cb6.shares(static_cast<int>(Sector::dust), kVoc).size() == 17);
    CHECK(fraction_of(cb6.shares(static_cast<int>(Sector::dust), kVoc), "PAR") == Approx(0.30));
    // The linear table still emits no VOC and NOx as NO2 only.
    for (int c = 0; c < kInventorySectors; ++c) {
        CHECK(linear.shares(c, kVoc).empty());
        CHECK(fraction_of(linear.shares(c, kNox), "NO2") == 1.0);
    }
}

TEST_CASE("The built-in speciation follows chemistry.mechanism", "[unit][emissions]") {
    const std::string dir = test::scratch_dir("cb6_speciation_choice");
    const std::string ini = test::write_text_file(dir, "run.ini", "[run]\nstart = 2026-07-01T00:00:00\nhours = 1\n");
    const Inventory lin = load_inventory(load_config(ini));
    const Inventory cb6 = load_inventory(load_config(ini, {"chemistry.mechanism=cb6r3"}));
    CHECK(fraction_of(lin.speciation.shares(0, kNox), "NO2") == 1.0);
    CHECK(fraction_of(cb6.speciation.shares(0, kNox), "NO") > 0.6);
    CHECK(!cb6.speciation.shares(0, kVoc).empty());
    // A named table wins in either mode.
    const std::string own = test::write_text_file(dir, "s.csv", "sector,pollutant,species,fraction\n*,NOx,NO2,1\n");
    const Inventory named = load_inventory(load_config(ini, {"chemistry.mechanism=cb6r3", "inventory.speciation=" + own}));
    CHECK(named.speciation.shares(0, kVoc).empty());
    // Biogenic emissions only act in the photochemical mode.
    CHECK(!biogenic_options(load_config(ini)).on);
    CHECK(biogenic_options(load_config(ini, {"chemistry.mechanism=cb6r3"})).on);
    CHECK(!biogenic_options(load_config(ini, {"chemistry.mechanism=cb6r3", "inventory.biogenic=false"})).on);
}

TEST_CASE("MEGAN activity factors: normalised at standard conditions, rising with T to the optimum, dark isoprene zero",
          "[unit][emissions][biogenic]") {
    using namespace lantian::kernels;
    const auto classes = biogenic_classes(LandClass::forest);
    const BiogenicClass& isop = classes[0];
    const BiogenicClass& terp = classes[1];
    // Normalisation: γ_T(303.15 K) = 1, γ_P(1000 µmol m-2 s-1) = 1, so γ = 1 at standard conditions.
    CHECK(gamma_t_light_dependent(303.15, isop.ct1) == Approx(1.0).epsilon(1e-14));
    CHECK(gamma_t_light_dependent(303.15, terp.ct1) == Approx(1.0).epsilon(1e-14));
    CHECK(gamma_t_light_independent(303.15, terp.beta_k) == Approx(1.0).epsilon(1e-14));
    CHECK(gamma_p(1000.0) == Approx(1.0).epsilon(1e-14));
    CHECK(biogenic_gamma(isop, 303.15, 1000.0) == Approx(1.0).epsilon(1e-14));
    CHECK(biogenic_gamma(terp, 303.15, 1000.0) == Approx(1.0).epsilon(1e-14));
    // γ_T rises with T up to T_opt = 313 K and falls beyond it.
    double last = 0;
    for (double t = 270.0; t <= 313.0; t += 0.5) {
        const double g = gamma_t_light_dependent(t, isop.ct1);
        INFO("T = " << t);
        CHECK(g > last);
        last = g;
    }
    CHECK(gamma_t_light_dependent(318.0, isop.ct1) < gamma_t_light_dependent(313.0, isop.ct1));
    CHECK(gamma_t_light_dependent(325.0, isop.ct1) < gamma_t_light_dependent(318.0, isop.ct1));
    // The shape: about 1.85 times the standard rate at the optimum (1/g(303.15 K) with C_T1 = 95,
    // C_T2 = 200) and about 0.30 of it at 293.15 K (hand computation of the formula).
    CHECK(gamma_t_light_dependent(313.0, isop.ct1) == Approx(1.848).epsilon(2e-3));
    CHECK(gamma_t_light_dependent(293.15, isop.ct1) == Approx(0.2953).epsilon(3e-3));
    // Light: zero in the dark, saturating, monotone.
    CHECK(gamma_p(0.0) == 0.0);
    CHECK(gamma_p(-5.0) == 0.0);
    CHECK(gamma_p(200.0) < gamma_p(500.0));
    CHECK(gamma_p(2000.0) < 1.1);
    // Isoprene is zero at night, monoterpenes are not (their light-independent part).
    CHECK(biogenic_gamma(isop, 295.0, clear_sky_par_umol_m2_s(-0.3)) == 0.0);
    CHECK(biogenic_gamma(terp, 295.0, clear_sky_par_umol_m2_s(-0.3)) ==
          Approx((1.0 - terp.ldf) * std::exp(terp.beta_k * (295.0 - 303.15))));
    CHECK(biogenic_gamma(terp, 295.0, 0.0) > 0.0);
    // Clear-sky PAR: ~2100 µmol m-2 s-1 with the sun overhead, 0 below the horizon.
    CHECK(clear_sky_par_umol_m2_s(1.0) == Approx(0.45 * 4.57 * 1098.0 * std::exp(-0.057)));
    CHECK(clear_sky_par_umol_m2_s(0.0) == 0.0);
    // Land classes: forest emits most, water and snow nothing.
    CHECK(biogenic_classes(LandClass::forest)[0].ef_ug_m2_h > biogenic_classes(LandClass::cropland)[0].ef_ug_m2_h);
    CHECK(biogenic_classes(LandClass::water)[0].ef_ug_m2_h == 0.0);
    CHECK(biogenic_classes(LandClass::snow)[1].ef_ug_m2_h == 0.0);
}

TEST_CASE("Biogenic rates in the emission model: EF x gamma x area per column, none at night for isoprene",
          "[unit][emissions][biogenic]") {
    const Grid grid(small_grid());
    EmissionModelOptions mo;
    mo.biogenic.on = true;
    mo.biogenic.land_class = LandClass::forest;
    mo.biogenic.scale = 1.5;
    EmissionModel model(grid, {"NO", "ISOP", "TERP"}, Inventory{}, InventoryConfig{}, {}, {}, mo);
    REQUIRE(model.has_biogenic());
    MetState met;
    met.resize(grid);
    for (std::size_t c = 0; c < grid.columns(); ++c) met.t2_k[c] = 300.0 + 0.1 * static_cast<double>(c % 7);
    model.update_weather(met);
    const auto classes = biogenic_classes(LandClass::forest);
    const int isop = 1, terp = 2, bio = static_cast<int>(Sector::biogenic);

    // Local noon at 110° E: 04:40 UTC; a 10-minute step around it.
    const double noon = parse_iso_time_utc("2026-07-01T04:35:00");
    EmissionTable table;
    REQUIRE(model.fill(noon, noon + 600, table));
    double isop_total = 0, terp_total = 0;
    for (std::size_t c = 0; c < grid.columns(); ++c) {
        const double cz = cos_solar_zenith(grid.lat()[c], grid.lon()[c], noon + 300);
        const double par = kernels::clear_sky_par_umol_m2_s(cz);
        for (int b = 0; b < 2; ++b) {
            const double want = classes[b].ef_ug_m2_h * 1.5 * kernels::biogenic_gamma(classes[b], met.t2_k[c], par) *
                                grid.area_m2()[c] / 3600.0;
            CHECK(model.biogenic_rate_ug_s(c, b) == Approx(want).epsilon(1e-12));
            (b == 0 ? isop_total : terp_total) += want;
        }
    }
    CHECK(isop_total > 0);
    CHECK(model.sector_rate_ug_s(isop, bio) == Approx(isop_total).epsilon(1e-12));
    CHECK(model.sector_rate_ug_s(terp, bio) == Approx(terp_total).epsilon(1e-12));
    CHECK(model.sector_rate_ug_s(0, bio) == 0.0);
    // The table puts it all in the surface layer.
    CHECK(table.total_ug_s[isop] == Approx(isop_total).epsilon(1e-12));
    for (const auto& e : table.entries) CHECK(e.k == 0);

    // Local midnight: no isoprene, monoterpenes still emitted.
    const double midnight = noon + 12 * 3600.0;
    REQUIRE(model.fill(midnight, midnight + 600, table));
    CHECK(model.sector_rate_ug_s(isop, bio) == 0.0);
    CHECK(model.sector_rate_ug_s(terp, bio) > 0.0);
    CHECK(table.total_ug_s[isop] == 0.0);
    CHECK(table.total_ug_s[terp] == Approx(model.sector_rate_ug_s(terp, bio)).epsilon(1e-12));

    // Off (the linear mode), or without the species: nothing.
    const EmissionModel off(grid, {"NO", "ISOP", "TERP"}, Inventory{}, InventoryConfig{}, {}, {});
    CHECK(!off.has_biogenic());
    const EmissionModel absent(grid, {"NO", "NO2"}, Inventory{}, InventoryConfig{}, {}, {}, mo);
    CHECK(!absent.has_biogenic());
    CHECK(absent.warnings().size() == 2);
}

TEST_CASE("An inventory in cb6r3 mode reports VOC by species as the inventory's VOC times the profile",
          "[unit][emissions][inventory]") {
    const Grid grid(small_grid());
    Inventory inv;
    inv.speciation = Speciation::builtin_cb6r3();
    const double voc_t[] = {120, 30, 900, 400, 2500, 0, 60};  // t/yr per sector, steel … agriculture
    for (int c = 0; c < kInventorySectors; ++c) {
        AreaCell a;
        a.sector = static_cast<Sector>(c);
        a.lon0 = 109.95, a.lon1 = 110.05, a.lat0 = 40.55, a.lat1 = 40.65;  // inside the 48 km × 40 km domain
        a.annual_t = {10, 20, 30, 4, 5, voc_t[c], 1};
        inv.areas.push_back(a);
    }
    const chem::Mechanism mech = chem::read_mechanism_file(kMechanism);
    std::vector<std::string> run_species = {"NO", "NO2", "SO2", "CO", "PM25", "PMC", "NH3", "DUST"};
    for (const auto& s : mech.species)
        if (s.fixed == chem::FixedKind::integrated && s.name != "NO" && s.name != "NO2" && s.name != "SO2" && s.name != "CO")
            run_species.push_back(s.name);
    const EmissionModel model(grid, run_species, inv, InventoryConfig{}, {}, {});
    const InventorySummary& s = model.summary();
    std::map<std::string, double> want;
    double voc = 0;
    for (int c = 0; c < kInventorySectors; ++c) {
        voc += voc_t[c];
        CHECK(s.inside_t[c][kVoc] == Approx(voc_t[c]).epsilon(1e-9));
        for (const auto& sh : inv.speciation.shares(c, kVoc)) want[sh.species] += voc_t[c] * sh.mass_fraction;
    }
    REQUIRE(s.voc_species_t.size() == want.size());
    double emitted = 0;
    for (const auto& [name, t] : want) {
        INFO(name);
        REQUIRE(s.voc_species_t.count(name));
        CHECK(s.voc_species_t.at(name) == Approx(t).epsilon(1e-9));
        emitted += t;
    }
    CHECK(s.unspeciated_t[kVoc] == 0.0);
    CHECK(s.species_not_in_run_t.empty());
    CHECK(emitted / voc > 0.77);
    CHECK(emitted / voc < 0.87);
    const std::string table = inventory_voc_table(s, run_species);
    INFO(table);
    CHECK_THAT(table, Catch::Contains("VOC as emitted by species"));
    CHECK_THAT(table, Catch::Contains("PAR") && Catch::Contains("XYLMN") && Catch::Contains("not emitted"));
    CHECK_THAT(table, !Catch::Contains("not in species.names"));
    // Species the run lacks are named as not emitted.
    const std::string lacking = inventory_voc_table(s, {"NO", "NO2"});
    CHECK_THAT(lacking, Catch::Contains("(not in species.names: not emitted)"));

    // The linear table: VOC is not emitted, said in one line.
    Inventory lin = inv;
    lin.speciation = Speciation::builtin();
    const EmissionModel linear(grid, {"SO2", "NO2", "CO", "PM25", "PMC"}, lin, InventoryConfig{}, {}, {});
    CHECK(linear.summary().voc_species_t.empty());
    CHECK_THAT(inventory_voc_table(linear.summary(), {"SO2"}), Catch::Contains("not emitted"));
    CHECK(linear.summary().unspeciated_t[kVoc] == Approx(voc).epsilon(1e-9));
}
