// The output catalogue: every declared variable is documented, and a run's files hold exactly
// the catalogue's variables with its units and CF standard names.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "output/output_catalogue.hpp"
#include "state/species.hpp"

using namespace lantian;

TEST_CASE("Every output variable is documented in docs/output.md", "[unit][output]") {
    std::ifstream in(std::string(LANTIAN_SOURCE_DIR) + "/docs/output.md");
    REQUIRE(in.good());
    std::stringstream contents;
    contents << in.rdbuf();
    const std::string docs = contents.str();
    const auto reference = output_catalogue_reference();
    REQUIRE(reference.size() >= 9);
    for (const OutputVariable& v : reference) {
        CAPTURE(v.name);
        CHECK(docs.find("`" + v.name + "`") != std::string::npos);
    }
    // The table in the docs is the one the code prints (scripts/gen-output-doc.sh).
    CHECK(docs.find(output_reference_markdown()) != std::string::npos);
}

TEST_CASE("The catalogue of a tagged run lists species, PM totals, weather and tag variables in order", "[unit][output]") {
    const auto species = species_table({"SO2", "PM25", "CO"});
    const auto vars = output_catalogue(species, true, {"steel", "background"});
    std::vector<std::string> gridded, series;
    for (const auto& v : vars) {
        if (v.gridded) gridded.push_back(v.name);
        if (v.series) series.push_back(v.name);
    }
    CHECK(gridded == std::vector<std::string>{"SO2", "PM25", "CO", "PM25_total", "PM10_total", "pblh", "u10", "v10",
                                              "PM25_total__steel", "PM25_total__background"});
    CHECK(series == std::vector<std::string>{"SO2", "PM25", "CO", "PM25_total", "PM10_total", "SO2__steel", "PM25__steel",
                                             "CO__steel", "PM25_total__steel", "SO2__background", "PM25__background",
                                             "CO__background", "PM25_total__background"});
    // Units and CF names come from the species table (CO in mg m-3).
    CHECK(vars[2].units == "mg m-3");
    CHECK(vars[3].standard_name == "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air");
    // Without PM species there is no PM total.
    for (const auto& v : output_catalogue(species_table({"SO2"}), false, {})) CHECK(v.name.find("PM") == std::string::npos);
}

TEST_CASE("O3_8h is a receptor series of runs with O3 only, after the PM totals", "[unit][output][o3]") {
    const auto with = output_catalogue(species_table({"NO2", "O3", "PM25"}), true, {"steel"});
    std::vector<std::string> series;
    for (const auto& v : with)
        if (v.series) series.push_back(v.name);
    CHECK(series == std::vector<std::string>{"NO2", "O3", "PM25", "PM25_total", "PM10_total", "O3_8h", "NO2__steel",
                                             "O3__steel", "PM25__steel", "PM25_total__steel"});
    for (const auto& v : with)
        if (v.name == "O3_8h") {
            CHECK(v.source == OutputSource::o3_8h);
            CHECK(v.species == 1);
            CHECK(v.gridded);
            CHECK_FALSE(v.volume);
            CHECK(v.units == with[1].units);
        }
    // The linear species set: no O3, no O3_8h.
    for (const auto& v : output_catalogue(species_table({"SO2", "NO2", "PM25"}), true, {}))
        CHECK(v.name.find("O3") == std::string::npos);
}
