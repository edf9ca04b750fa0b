// Diagnostic fields of the state (issue 18: aerosol water and pH): the State contract
// (add_diagnostic / diagnostic), the output catalogue's aerosol variables, the config key
// output.aerosol_diagnostics and the combinations it refuses, and the missing_value the writer
// declares for fields with cells without a value.
#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "config/config_parser.hpp"
#include "output/netcdf_writer.hpp"
#include "output/output_catalogue.hpp"
#include "state/species.hpp"
#include "state/state.hpp"
#include "support/test_support.hpp"

using namespace lantian;
using Catch::Matchers::Contains;

namespace {
// The ConfigError message of loading `ini` ("" when it loads).
std::string config_error(const std::string& ini) {
    try {
        load_config_text(ini, "cfg.ini", {});
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

const std::string kPhotochemical =
    "[chemistry]\nmechanism = cb6r3\n[species]\nnames = PM25 NH3 SO4 NO3 NH4\n[output]\naerosol_diagnostics = true\n";
}  // namespace

TEST_CASE("A diagnostic field exists only once requested, filled, with the cells of the species", "[unit][diagnostics]") {
    State st(4, 3, 2, 5);
    const State& cst = st;
    CHECK(st.diagnostic(kAerosolWater) == nullptr);
    CHECK(cst.diagnostic(kAerosolPh) == nullptr);
    CHECK(st.diagnostics.empty());

    st.add_diagnostic(kAerosolPh, real(kDiagnosticFill));
    st.add_diagnostic(kAerosolWater, real(0));
    REQUIRE(st.diagnostic(kAerosolPh) != nullptr);
    REQUIRE(cst.diagnostic(kAerosolWater) == st.diagnostic(kAerosolWater));
    REQUIRE(st.diagnostics.at(kAerosolPh).size() == st.field_size());
    for (real v : st.diagnostics.at(kAerosolPh)) CHECK(v == real(kDiagnosticFill));
    for (real v : st.diagnostics.at(kAerosolWater)) CHECK(v == real(0));
    CHECK(st.diagnostic("other") == nullptr);

    // Same indexing as species(s): cell (i, j, k) = k*ny*nx + j*nx + i.
    real* ph = st.diagnostic(kAerosolPh);
    ph[1 * 3 * 4 + 2 * 4 + 3] = real(4.25);
    CHECK(st.diagnostics.at(kAerosolPh)[23] == real(4.25));

    // Idempotent: asking again keeps the field, its values and its address.
    st.add_diagnostic(kAerosolPh, real(7));
    CHECK(st.diagnostic(kAerosolPh) == ph);
    CHECK(ph[23] == real(4.25));
    CHECK(ph[0] == real(kDiagnosticFill));
    CHECK(st.diagnostics.size() == 2);

    // Not tracers: the tracer array and its masses do not see them.
    CHECK(st.q.size() == 5 * st.field_size());
    CHECK(st.tracer_mass_ug(0) == 0.0);

    // A copy carries them as values of its own.
    State copy = st;
    REQUIRE(copy.diagnostic(kAerosolPh) != nullptr);
    CHECK(copy.diagnostic(kAerosolPh) != ph);
    CHECK(copy.diagnostic(kAerosolPh)[23] == real(4.25));
}

TEST_CASE("The aerosol diagnostics join the catalogue only when asked, with their units and names", "[unit][diagnostics][output]") {
    const auto species = species_table({"O3", "SO4", "NO3", "NH4", "NH3", "PM25"});
    const auto without = output_catalogue(species, true, {});
    for (const auto& v : without) CHECK(v.source != OutputSource::diagnostic);
    const auto with = output_catalogue(species, true, {}, true);
    REQUIRE(with.size() == without.size() + 2);
    // Everything else is unchanged, in the same order; the two come after the weather (v10).
    std::vector<std::string> names;
    for (const auto& v : with)
        if (v.source != OutputSource::diagnostic) names.push_back(v.name);
    std::vector<std::string> before;
    for (const auto& v : without) before.push_back(v.name);
    CHECK(names == before);
    std::size_t at = 0;
    while (at < with.size() && with[at].name != "v10") ++at;
    REQUIRE(at + 2 < with.size());
    const OutputVariable& water = with[at + 1];
    const OutputVariable& ph = with[at + 2];

    CHECK(water.name == "aerosol_water");
    CHECK(water.source == OutputSource::diagnostic);
    CHECK(water.diagnostic == kAerosolWater);
    CHECK(water.units == "ug m-3");
    CHECK(water.standard_name == "mass_concentration_of_water_in_ambient_aerosol_particles_in_air");
    CHECK(water.long_name == "water in ambient aerosol particles (not part of PM2.5, which is dry mass)");
    CHECK((water.gridded && water.volume && water.series));
    CHECK_FALSE(water.missing);
    CHECK_FALSE(water.own_cell);

    CHECK(ph.name == "aerosol_ph");
    CHECK(ph.source == OutputSource::diagnostic);
    CHECK(ph.diagnostic == kAerosolPh);
    CHECK(ph.units == "1");
    CHECK(ph.standard_name.empty());
    CHECK(ph.long_name == "pH of the aerosol water");
    CHECK((ph.gridded && ph.volume && ph.series));
    CHECK(ph.missing);
    CHECK(ph.own_cell);

    // PM2.5 stays dry mass: the PM totals are the same variables with or without the diagnostics.
    for (const auto& v : with)
        if (v.source == OutputSource::pm25 || v.source == OutputSource::pm10) CHECK(v.diagnostic.empty());
    // Documented rows.
    int documented = 0;
    for (const auto& v : output_catalogue_reference()) documented += v.source == OutputSource::diagnostic ? 1 : 0;
    CHECK(documented == 2);
}

TEST_CASE("output.aerosol_diagnostics defaults to false and needs cb6r3 with the particle species", "[unit][diagnostics][config]") {
    CHECK_FALSE(Config{}.output.aerosol_diagnostics);
    CHECK(load_config_text("", "cfg.ini", {}).output.aerosol_diagnostics == false);

    // Photochemical with the species of the equilibrium: accepted.
    CHECK(config_error(kPhotochemical) == "");
    CHECK(load_config_text(kPhotochemical, "cfg.ini", {}).output.aerosol_diagnostics);

    // Linear chemistry: refused, naming the key and what it needs.
    const std::string linear = config_error("[species]\nnames = PM25 NH3 SO4 NO3 NH4\n[output]\naerosol_diagnostics = true\n");
    CHECK_THAT(linear, Contains("output.aerosol_diagnostics"));
    CHECK_THAT(linear, Contains("needs chemistry.mechanism = cb6r3"));
    CHECK_THAT(linear, Contains("cfg.ini"));
    // The same with the default species (linear mode's default list).
    CHECK_THAT(config_error("[output]\naerosol_diagnostics = true\n"), Contains("needs chemistry.mechanism = cb6r3"));
    // false is always fine.
    CHECK(config_error("[output]\naerosol_diagnostics = false\n") == "");

    // cb6r3 without the particle species: refused, naming those missing.
    const std::string no_nitrate =
        config_error("[chemistry]\nmechanism = cb6r3\n[species]\nnames = PM25 NH3 SO4\n[output]\naerosol_diagnostics = true\n");
    CHECK_THAT(no_nitrate, Contains("output.aerosol_diagnostics"));
    CHECK_THAT(no_nitrate, Contains("NO3 NH4 missing"));
}

TEST_CASE("A field with missing cells gets missing_value beside _FillValue; others only _FillValue", "[unit][diagnostics][output]") {
    const std::string dir = test::scratch_dir("diagnostics_writer");
    const std::string path = dir + "/fields.nc";
    OutputGrid g;
    g.projection = Projection::cartesian;
    g.nx = 3;
    g.ny = 2;
    g.nz = 2;
    g.x = {0, 1000, 2000};
    g.y = {0, 1000};
    g.z_center_m = {10, 30};
    g.z_face_m = {0, 20, 40};
    g.lat.assign(6, 40.0);
    g.lon.assign(6, 110.0);
    OutputMetadata meta;
    meta.title = "t";
    meta.reference_time = "2026-07-08 00:00:00";
    {
        NetcdfWriter w(path, g, {{"water", "w", "", "ug m-3", true}, {"ph", "p", "", "1", true, true}}, meta, true, 0);
        const float fill = kDiagnosticFill;
        w.write_record(1.0, {{0, 1, 2, 3, 4, 5}, {fill, 2, 3, 4, 5, 6}},
                       {std::vector<float>(12, 1.0f), std::vector<float>(12, fill)});
        w.finish();
    }
    int nc = -1;
    REQUIRE(nc_open(path.c_str(), NC_NOWRITE, &nc) == NC_NOERR);
    for (const std::string name : {"ph", "ph_3d"}) {
        int var = -1;
        REQUIRE(nc_inq_varid(nc, name.c_str(), &var) == NC_NOERR);
        float missing = 0, fill = 0;
        CHECK(nc_get_att_float(nc, var, "missing_value", &missing) == NC_NOERR);
        CHECK(nc_get_att_float(nc, var, "_FillValue", &fill) == NC_NOERR);
        CHECK(missing == NC_FILL_FLOAT);
        CHECK(fill == NC_FILL_FLOAT);
    }
    for (const std::string name : {"water", "water_3d"}) {
        int var = -1, att = -1;
        REQUIRE(nc_inq_varid(nc, name.c_str(), &var) == NC_NOERR);
        CHECK(nc_inq_attid(nc, var, "missing_value", &att) == NC_ENOTATT);
    }
    nc_close(nc);
    // The fill reaches the file unchanged (readers mask it).
    const std::vector<float> ph = test::read_nc_floats(path, "ph");
    REQUIRE(ph.size() == 6);
    CHECK(ph[0] == NC_FILL_FLOAT);
    CHECK(ph[1] == 2.0f);
}
