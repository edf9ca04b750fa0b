// Wind-blown dust (docs/dust.md): the Shao & Lu (2000) threshold, the Fécan et al. (1999) moisture
// factor, the Marticorena & Bergametti (1995) flux and its switches (snow, frozen soil), the WRF
// land-use and soil tables, the emission model's rates into DUST, the [dust] keys, and the land fields
// read from the shipped wrfout file (and its missing variables refused). The ledger over a run:
// tests/property/test_dust_run.cpp.
#include <netcdf.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "config/config_parser.hpp"
#include "dust_kernels.hpp"
#include "emissions/dust.hpp"
#include "emissions/emission_model.hpp"
#include "grid/grid.hpp"
#include "met/land_surface.hpp"
#include "met/met_source.hpp"
#include "met/wrf_met.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;
using namespace lantian::kernels;

namespace {

// A dry, bare, sandy column at sea level.
DustColumn desert(double ustar) { return {ustar, 1.2, 290.0, 0.0, 0.01, 1.0, 0.05}; }  // w = 0.67 % < w' = 0.885 %

// The saltation flux written out for the test: c ρ/g (u* + u*_t)² (u* − u*_t) (MB95 rearranged).
double flux_by_hand(double ustar, double ut, double rho) {
    return ustar > ut ? 2.61 * rho / 9.81 * (ustar + ut) * (ustar + ut) * (ustar - ut) : 0.0;
}

GridConfig small_grid() {
    GridConfig g;
    g.projection = Projection::lambert;
    g.nx = 6;
    g.ny = 5;
    g.dx_m = 4000;
    g.center_lon = 108.0;
    g.center_lat = 41.5;
    g.layer_faces_m = {0, 30, 80, 160};
    return g;
}

const std::string kWrf = std::string(LANTIAN_SOURCE_DIR) + "/configs/wrf/wrf_d01_allvars_cropped.nc";
const std::string kWrfExample = std::string(LANTIAN_SOURCE_DIR) + "/configs/wrf_example.ini";

std::vector<float> read_field(const std::string& path, const std::string& name) {
    int nc = -1, var = -1;
    REQUIRE(nc_open(path.c_str(), NC_NOWRITE, &nc) == NC_NOERR);
    REQUIRE(nc_inq_varid(nc, name.c_str(), &var) == NC_NOERR);
    std::vector<float> v(80);  // the shipped file: 8 × 10, no Time dimension for LU_INDEX and ISLTYP
    const std::size_t start[2] = {0, 0}, count[2] = {8, 10};
    REQUIRE(nc_get_vara_float(nc, var, start, count, v.data()) == NC_NOERR);
    nc_close(nc);
    return v;
}

// A copy of the shipped file without variable `name` (nccopy -V with every other variable: renaming
// a variable in place can corrupt a netCDF-4 file's data).
std::string copy_without(const std::string& dir, const std::string& name) {
    const std::string path = dir + "/no_" + name + ".nc";
    int nc = -1, nvars = 0;
    REQUIRE(nc_open(kWrf.c_str(), NC_NOWRITE, &nc) == NC_NOERR);
    REQUIRE(nc_inq_nvars(nc, &nvars) == NC_NOERR);
    std::string keep;
    for (int v = 0; v < nvars; ++v) {
        char text[NC_MAX_NAME + 1] = {};
        REQUIRE(nc_inq_varname(nc, v, text) == NC_NOERR);
        if (name != text) keep += (keep.empty() ? "" : ",") + std::string(text);
    }
    nc_close(nc);
    std::string output;
    REQUIRE(test::run_command("nccopy -V " + keep + " " + kWrf + " " + path, output) == 0);
    return path;
}

Config wrf_dust_config(std::vector<std::string> overrides) {
    overrides.insert(overrides.begin(), {"species.names=SO2 PM25 DUST", "dust.windblown=true"});
    return load_config(kWrfExample, overrides);
}

}  // namespace

TEST_CASE("Dust threshold: Shao & Lu (2000) dry value, raised by soil moisture above w' per Fécan et al. (1999)",
          "[unit][dust]") {
    // 75 µm quartz in air of 1.227 kg m-3: sqrt(0.0123 (2650·9.81·75e-6/1.227 + 3e-4/(1.227·75e-6))) = 0.2442 m s-1,
    // the minimum of Shao & Lu's curve (about 0.2 m s-1 near 75 µm).
    CHECK(dust_threshold_dry(75e-6, 1.227) == Approx(0.24422).epsilon(1e-4));
    // Finer and coarser grains need more.
    CHECK(dust_threshold_dry(10e-6, 1.227) > dust_threshold_dry(75e-6, 1.227));
    CHECK(dust_threshold_dry(500e-6, 1.227) > dust_threshold_dry(75e-6, 1.227));

    // 10 % clay: w' = 0.0014·100 + 0.17·10 = 1.84 %. θ = 0.06 m3 m-3 in soil of 1500 kg m-3: w = 4 %.
    CHECK(fecan_residual_water_percent(10.0) == Approx(1.84).epsilon(1e-12));
    CHECK(gravimetric_water_percent(0.06, 1500.0) == Approx(4.0).epsilon(1e-12));
    // f_w = sqrt(1 + 1.21 (4 − 1.84)^0.68) = 1.74434.
    CHECK(fecan_factor(4.0, 1.84) == Approx(1.74434).epsilon(1e-5));
    // At or below w' the adsorbed water does not bind: no change.
    CHECK(fecan_factor(1.84, 1.84) == 1.0);
    CHECK(fecan_factor(0.5, 1.84) == 1.0);

    // In the flux: a u* between the dry and the wet threshold lifts dust from the dry soil only.
    const double rho = 1.2;
    const double dry_ut = dust_threshold_dry(75e-6, rho);
    DustColumn dry = desert(1.5 * dry_ut), wet = dry;
    dry.clay_fraction = wet.clay_fraction = 0.10;
    dry.soil_moisture_m3_m3 = 0.01;  // w = 0.67 % < w'
    wet.soil_moisture_m3_m3 = 0.06;  // w = 4 %: threshold × 1.744
    const DustParameters p;
    CHECK(dust_vertical_flux(dry, p) > 0.0);
    CHECK(dust_vertical_flux(wet, p) == 0.0);
    // Above the wet threshold the flux is the formula's with u*_t = 1.744 u*_t,dry.
    wet.ustar_m_s = dry.ustar_m_s = 3.0 * dry_ut;
    const double ut_wet = dry_ut * fecan_factor(4.0, 1.84);
    CHECK(dust_vertical_flux(wet, p) ==
          Approx(sandblasting_efficiency_m(10.0) * flux_by_hand(wet.ustar_m_s, ut_wet, rho)).epsilon(1e-12));
}

TEST_CASE("Dust flux: zero below the threshold, the MB95 u* scaling above it", "[unit][dust]") {
    const DustParameters p;
    const double rho = 1.2, ut = dust_threshold_dry(p.diameter_m, rho);
    CHECK(dust_vertical_flux(desert(0.0), p) == 0.0);
    CHECK(dust_vertical_flux(desert(0.5 * ut), p) == 0.0);
    CHECK(dust_vertical_flux(desert(ut), p) == 0.0);
    CHECK(dust_vertical_flux(desert(ut * (1 + 1e-6)), p) > 0.0);
    // The ratio of two fluxes is the ratio of (u* + u*_t)² (u* − u*_t).
    for (const auto& [u1, u2] : {std::pair{0.3, 0.45}, std::pair{0.5, 1.2}, std::pair{0.26, 2.0}}) {
        const double want = (u2 + ut) * (u2 + ut) * (u2 - ut) / ((u1 + ut) * (u1 + ut) * (u1 - ut));
        CHECK(dust_vertical_flux(desert(u2), p) / dust_vertical_flux(desert(u1), p) == Approx(want).epsilon(1e-12));
    }
    // Far above the threshold the flux grows as u*³.
    CHECK(dust_vertical_flux(desert(200.0), p) / dust_vertical_flux(desert(100.0), p) == Approx(8.0).epsilon(1e-2));
    // The absolute value: α Q with α = 100·10^(0.134·5 − 6) m-1 for 5 % clay.
    const double alpha = 100.0 * std::pow(10.0, 0.134 * 5.0 - 6.0);
    CHECK(sandblasting_efficiency_m(5.0) == Approx(alpha).epsilon(1e-12));
    CHECK(dust_vertical_flux(desert(0.6), p) == Approx(alpha * flux_by_hand(0.6, ut, rho)).epsilon(1e-12));
    // Linear in the erodible share and the scale; clay above 20 % is taken as 20 %.
    DustColumn half = desert(0.6);
    half.erodible_fraction = 0.5;
    DustParameters twice = p;
    twice.scale = 2.0;
    CHECK(dust_vertical_flux(half, twice) == Approx(dust_vertical_flux(desert(0.6), p)).epsilon(1e-14));
    CHECK(sandblasting_efficiency_m(35.0) == sandblasting_efficiency_m(20.0));
    half.erodible_fraction = 0.0;
    CHECK(dust_vertical_flux(half, p) == 0.0);
}

TEST_CASE("Dust flux: none under snow or on frozen moist soil", "[unit][dust]") {
    const DustParameters p;  // snow threshold 0.5
    DustColumn c = desert(0.8);
    const double open = dust_vertical_flux(c, p);
    REQUIRE(open > 0.0);
    c.snow_cover = 0.49;
    CHECK(dust_vertical_flux(c, p) == open);
    c.snow_cover = 0.5;
    CHECK(dust_vertical_flux(c, p) == 0.0);
    c.snow_cover = 1.0;
    CHECK(dust_vertical_flux(c, p) == 0.0);

    // Frozen: T2 below 273.15 K with water beyond the adsorbed layer (5 % clay: w' = 0.885 %).
    c = desert(0.8);
    c.soil_moisture_m3_m3 = 0.05;  // w = 3.33 % > w'
    c.t2_k = 273.15;
    CHECK(dust_vertical_flux(c, p) > 0.0);
    c.t2_k = 273.14;
    CHECK(dust_vertical_flux(c, p) == 0.0);
    // Dry soil (w ≤ w') below freezing still emits: nothing to freeze.
    c.soil_moisture_m3_m3 = 0.005;  // w = 0.33 %
    CHECK(dust_vertical_flux(c, p) == Approx(open).epsilon(1e-14));
}

TEST_CASE("WRF land-use and soil tables of the dust scheme", "[unit][dust]") {
    CHECK(land_use_table("USGS") == LandUseTable::usgs);
    CHECK(land_use_table("MODIFIED_IGBP_MODIS_NOAH") == LandUseTable::modis);
    CHECK(!land_use_table("NLCD40").has_value());
    CHECK(land_use_erodible_fraction(LandUseTable::usgs, 19) == 1.0);   // barren or sparsely vegetated
    CHECK(land_use_erodible_fraction(LandUseTable::usgs, 7) == 0.10);   // grassland
    CHECK(land_use_erodible_fraction(LandUseTable::usgs, 16) == 0.0);   // water
    CHECK(land_use_erodible_fraction(LandUseTable::usgs, 1) == 0.0);    // urban
    CHECK(land_use_erodible_fraction(LandUseTable::modis, 16) == 1.0);  // barren
    CHECK(land_use_erodible_fraction(LandUseTable::modis, 10) == 0.10); // grasslands
    CHECK(land_use_erodible_fraction(LandUseTable::modis, 17) == 0.0);  // water
    CHECK(!land_use_erodible_fraction(LandUseTable::usgs, 0).has_value());
    CHECK(!land_use_erodible_fraction(LandUseTable::usgs, 29).has_value());
    CHECK(!land_use_erodible_fraction(LandUseTable::modis, 22).has_value());
    REQUIRE(soil_class(1).has_value());
    CHECK(soil_class(1)->clay_fraction == 0.03);  // sand
    CHECK(soil_class(12)->clay_fraction == 0.58); // clay
    CHECK(!soil_class(14)->erodible);             // water
    CHECK(!soil_class(15)->erodible);             // bedrock
    CHECK(soil_class(6)->erodible);               // loam
    CHECK(!soil_class(0).has_value());
    CHECK(!soil_class(20).has_value());
}

TEST_CASE("The emission model emits wind-blown dust into DUST at the surface as sector dust_windblown",
          "[unit][dust][emissions]") {
    const Grid grid(small_grid());
    EmissionModelOptions mo;
    mo.dust.on = true;
    mo.dust.erodible_fraction = 0.7;  // for columns whose weather says nothing
    mo.dust.clay_fraction = 0.08;
    mo.dust.soil_moisture_m3_m3 = 0.01;
    EmissionModel model(grid, {"PM25", "DUST"}, Inventory{}, InventoryConfig{}, {}, {}, mo);
    REQUIRE(model.has_dust());
    CHECK(!model.has_biogenic());
    MetState met;
    met.resize(grid);
    CHECK(met.erodible_fraction[0] == -1.0);  // absent until a weather source says otherwise
    for (std::size_t c = 0; c < grid.columns(); ++c) {
        met.ustar_m_s[c] = 0.2 + 0.05 * static_cast<double>(c % 9);
        met.rho_kg_m3[c] = 1.1;
        met.t2_k[c] = 285.0;
    }
    met.erodible_fraction[3] = 0.25;  // this column's land use is known
    met.clay_fraction[3] = 0.15;
    met.soil_moisture_m3_m3[3] = 0.03;
    met.snow_cover[4] = 1.0;
    model.update_weather(met);
    const int dust = 1, sector = static_cast<int>(Sector::dust_windblown);
    const double t0 = parse_iso_time_utc("2026-04-01T00:00:00");
    EmissionTable table;
    REQUIRE(model.fill(t0, t0 + 600, table));
    DustParameters p;
    double total = 0;
    int emitting = 0;
    for (std::size_t c = 0; c < grid.columns(); ++c) {
        const bool known = c == 3;
        const DustColumn col{met.ustar_m_s[c], 1.1, 285.0, met.snow_cover[c], known ? 0.03 : 0.01,
                             known ? 0.25 : 0.7, known ? 0.15 : 0.08};
        const double want = dust_vertical_flux(col, p) * grid.area_m2()[c] * 1e9;
        CHECK(model.dust_rate_ug_s(c) == Approx(want).epsilon(1e-12).margin(1e-300));
        total += want;
        emitting += want > 0 ? 1 : 0;
    }
    CHECK(model.dust_rate_ug_s(4) == 0.0);  // snow
    CHECK(emitting > 5);
    CHECK(emitting < static_cast<int>(grid.columns()));  // the lowest u* are below the threshold
    CHECK(model.dust_total_ug_s() == Approx(total).epsilon(1e-12));
    CHECK(model.sector_rate_ug_s(dust, sector) == Approx(total).epsilon(1e-12));
    CHECK(model.sector_rate_ug_s(0, sector) == 0.0);
    CHECK(model.sector_rate_ug_s(dust, static_cast<int>(Sector::dust)) == 0.0);  // not the inventory's fugitive dust
    CHECK(table.total_ug_s[dust] == Approx(total).epsilon(1e-12));
    CHECK(table.total_ug_s[0] == 0.0);
    for (const auto& e : table.entries) CHECK(e.k == 0);
    // Same weather, same rates: the table is not rebuilt; new weather rebuilds it.
    CHECK(!model.fill(t0 + 600, t0 + 1200, table));
    for (std::size_t c = 0; c < grid.columns(); ++c) met.ustar_m_s[c] = 0.1;
    model.update_weather(met);
    REQUIRE(model.fill(t0 + 1200, t0 + 1800, table));
    CHECK(model.sector_rate_ug_s(dust, sector) == 0.0);

    // No DUST in the run: refused.
    try {
        const EmissionModel none(grid, {"PM25"}, Inventory{}, InventoryConfig{}, {}, {}, mo);
        FAIL("a dust run without DUST was accepted");
    } catch (const ConfigError& e) {
        CHECK_THAT(e.what(), Catch::Contains("species DUST is not in species.names"));
    }
    // Off: nothing.
    const EmissionModel off(grid, {"PM25", "DUST"}, Inventory{}, InventoryConfig{}, {}, {});
    CHECK(!off.has_dust());
}

TEST_CASE("dust.erodible_box: dust rises only from cells whose centre lies inside it", "[unit][dust][emissions]") {
    const Grid grid(small_grid());
    // The western half of the grid (cell centres west of the middle longitude).
    double lon_min = 1e9, lon_max = -1e9, lat_min = 1e9, lat_max = -1e9;
    for (std::size_t c = 0; c < grid.columns(); ++c) {
        lon_min = std::min(lon_min, grid.lon()[c]);
        lon_max = std::max(lon_max, grid.lon()[c]);
        lat_min = std::min(lat_min, grid.lat()[c]);
        lat_max = std::max(lat_max, grid.lat()[c]);
    }
    const double lon_mid = 0.5 * (lon_min + lon_max);
    EmissionModelOptions mo;
    mo.dust.on = true;
    mo.dust.erodible_box = {lon_min - 1, lat_min - 1, lon_mid, lat_max + 1};
    EmissionModel model(grid, {"DUST"}, Inventory{}, InventoryConfig{}, {}, {}, mo);
    MetState met;
    met.resize(grid);
    for (std::size_t c = 0; c < grid.columns(); ++c) {
        met.ustar_m_s[c] = 0.7;
        met.rho_kg_m3[c] = 1.2;
        met.t2_k[c] = 280.0;
    }
    model.update_weather(met);
    int inside = 0, outside = 0;
    for (std::size_t c = 0; c < grid.columns(); ++c) {
        INFO("column " << c << " lon " << grid.lon()[c]);
        if (grid.lon()[c] <= lon_mid) {
            CHECK(model.dust_rate_ug_s(c) > 0.0);
            ++inside;
        } else {
            CHECK(model.dust_rate_ug_s(c) == 0.0);
            ++outside;
        }
    }
    CHECK(inside > 0);
    CHECK(outside > 0);
    CHECK(in_erodible_box({}, 500.0, 0.0));
    CHECK(in_erodible_box({100, 40, 110, 45}, 110.0, 45.0));
    CHECK(!in_erodible_box({100, 40, 110, 45}, 110.01, 42.0));
}

TEST_CASE("[dust] keys: defaults off, ranges, DUST required, the idealized defaults", "[unit][dust][config]") {
    const Config d = load_config_text("", "cfg.ini");
    CHECK(!d.dust.windblown);
    CHECK(d.dust.erodible_fraction == -1.0);
    const DustOptions o = dust_options(d);
    CHECK(!o.on);
    CHECK(o.erodible_fraction == kIdealizedErodibleFraction);
    CHECK(o.clay_fraction == kIdealizedClayFraction);
    CHECK(o.soil_moisture_m3_m3 == kIdealizedSoilMoisture);
    const Config set = load_config_text("[species]\nnames = DUST\n[dust]\nwindblown = true\nerodible_fraction = 0.3\n"
                                        "clay_fraction = 0.12\nsoil_moisture_m3_m3 = 0.04\nparticle_diameter_um = 100\n",
                                        "cfg.ini");
    const DustOptions s = dust_options(set);
    CHECK(s.on);
    CHECK(s.erodible_fraction == 0.3);
    CHECK(s.clay_fraction == 0.12);
    CHECK(s.soil_moisture_m3_m3 == 0.04);
    CHECK(s.parameters.diameter_m == Approx(100e-6).epsilon(1e-15));
    const auto refused = [](const std::string& ini, const std::string& expected) {
        try {
            load_config_text(ini, "cfg.ini");
            FAIL("accepted: " << ini);
        } catch (const ConfigError& e) {
            CHECK_THAT(e.what(), Catch::Contains(expected));
        }
    };
    refused("[species]\nnames = SO2 PM25\n[dust]\nwindblown = true\n", "dust.windblown = true: needs species DUST");
    refused("[dust]\nerodible_fraction = 1.5\n", "cfg.ini:2: dust.erodible_fraction = 1.5");
    refused("[dust]\nclay_fraction = -0.5\n", "dust.clay_fraction = -0.5");
    refused("[dust]\nsnow_cover_threshold = 0\n", "dust.snow_cover_threshold");
    refused("[dust]\nerodible_box = 100 40 110\n", "dust.erodible_box = 100 40 110: needs 4 numbers");
    refused("[dust]\nerodible_box = 110 40 100 45\n", "lon_min must be below lon_max");
    refused("[dust]\nerodible_box = 100 45 110 40\n", "lat_min must be below lat_max");
    CHECK(load_config_text("[dust]\nerodible_box = 100 40 110 45\n", "cfg.ini").dust.erodible_box.size() == 4);
}

TEST_CASE("Dust land fields from the shipped wrfout (LU_INDEX, ISLTYP, SMOIS); missing ones refused",
          "[unit][dust][wrf]") {
    const Config cfg = wrf_dust_config({});
    const Grid grid(wrf_grid_config(cfg));
    const auto source = make_met_source(cfg, grid, parse_iso_time_utc(cfg.run.start));
    MetState met;
    met.resize(grid);
    source->evaluate(0.0, met);
    const auto lu = read_field(kWrf, "LU_INDEX"), soil = read_field(kWrf, "ISLTYP");
    REQUIRE(grid.columns() == lu.size());
    int grass = 0, water = 0;
    for (std::size_t c = 0; c < grid.columns(); ++c) {
        INFO("column " << c << " LU_INDEX " << lu[c] << " ISLTYP " << soil[c]);
        const double e = *land_use_erodible_fraction(LandUseTable::usgs, static_cast<int>(lu[c]));
        const bool soil_ok = soil_class(static_cast<int>(soil[c]))->erodible;
        CHECK(met.erodible_fraction[c] == (soil_ok ? e : 0.0));
        CHECK(met.clay_fraction[c] == soil_class(static_cast<int>(soil[c]))->clay_fraction);
        CHECK(met.soil_moisture_m3_m3[c] >= 0.0);
        CHECK(met.soil_moisture_m3_m3[c] <= 1.0);
        grass += lu[c] == 7 ? 1 : 0;
        water += lu[c] == 16 ? 1 : 0;
    }
    CHECK(grass > 40);  // the file is mostly USGS grassland (7), mixed shrub/grass (9), one water cell (16)
    CHECK(water == 1);
    // Without dust the reader leaves them absent.
    const Config plain = load_config(kWrfExample);
    const auto plain_source = make_met_source(plain, grid, parse_iso_time_utc(plain.run.start));
    MetState m2;
    m2.resize(grid);
    plain_source->evaluate(0.0, m2);
    CHECK(m2.erodible_fraction[0] == -1.0);

    const std::string dir = test::scratch_dir("dust_wrf");
    for (const auto& [var, key] : {std::pair{"LU_INDEX", "dust.erodible_fraction"}, std::pair{"ISLTYP", "dust.clay_fraction"},
                                   std::pair{"SMOIS", "dust.soil_moisture_m3_m3"}}) {
        const std::string path = copy_without(dir, var);
        INFO(var);
        try {
            Simulation sim(wrf_dust_config({"met.files=" + path}));
            sim.run(false);
            FAIL("a wrfout without " << var << " was accepted for wind-blown dust");
        } catch (const ConfigError& e) {
            CHECK_THAT(e.what(), Catch::Contains(path + ": variable " + var + " is missing") && Catch::Contains(key));
        }
        // With the key set, the run goes ahead and uses it.
        const Config with_key = wrf_dust_config({"met.files=" + path, std::string(key) + "=0.2"});
        const auto s = make_met_source(with_key, grid, parse_iso_time_utc(with_key.run.start));
        MetState m3;
        m3.resize(grid);
        s->evaluate(0.0, m3);
        const std::vector<double>& f = std::string(var) == "LU_INDEX" ? m3.erodible_fraction
                                       : std::string(var) == "ISLTYP" ? m3.clay_fraction
                                                                      : m3.soil_moisture_m3_m3;
        CHECK(f[0] == -1.0);  // absent: the emission model takes the key
    }
}

TEST_CASE("A WRF run with wind-blown dust: none on the file's moist soil; on dry soil the ledger holds the flux of each "
          "weather interval", "[unit][dust][wrf][ledger]") {
    // The shipped September file has SMOIS ≈ 0.17–0.19 over loam (w ≈ 12 % ≫ w' = 3.5 %): the threshold
    // rises 2.5-fold (to about 0.6 m s-1), above its u* (≤ 0.32 m s-1), so nothing is emitted.
    {
        Simulation sim(wrf_dust_config({"run.hours=6"}));
        sim.run(false);
        CHECK(sim.ledger()[2].emitted_by_sector_kg[static_cast<int>(Sector::dust_windblown)] == 0.0);
    }
    // Without SMOIS and with a dry soil instead, its u* exceeds the dry threshold (0.25 m s-1) in part.
    const std::string path = copy_without(test::scratch_dir("dust_wrf_run"), "SMOIS");
    const Config cfg = wrf_dust_config({"run.hours=6", "met.files=" + path, "dust.soil_moisture_m3_m3=0"});
    Simulation sim(cfg);
    sim.run(false);
    const double booked = sim.ledger()[2].emitted_by_sector_kg[static_cast<int>(Sector::dust_windblown)];
    REQUIRE(sim.ledger().species()[2] == "DUST");
    CHECK(booked > 0.0);
    // By hand: the weather is sampled at the first step of each 3-hourly interval (its midpoint,
    // 300 s in with 600 s steps) and its rate holds for the interval.
    const Grid& grid = sim.grid();
    const auto source = make_met_source(cfg, grid, sim.start_epoch_s());
    MetTimeline timeline(*source, grid);
    MetState met;
    met.resize(grid);
    const DustOptions o = dust_options(cfg);
    double want_kg = 0;
    for (const double t0 : {0.0, 10800.0}) {
        timeline.interpolate(t0 + 300.0, met);
        for (std::size_t c = 0; c < grid.columns(); ++c) {
            const DustColumn col{met.ustar_m_s[c], met.rho_kg_m3[c], met.t2_k[c], met.snow_cover[c], 0.0,
                                 met.erodible_fraction[c], met.clay_fraction[c]};
            want_kg += dust_vertical_flux(col, o.parameters) * grid.area_m2()[c] * 10800.0;
        }
    }
    CHECK(booked == Approx(want_kg).epsilon(1e-9));
}

