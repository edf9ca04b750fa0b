// Reading and placing point and area sources.
#include <catch2/catch.hpp>
#include <fstream>

#include "config/config.hpp"
#include "emissions/sources.hpp"
#include "grid/grid.hpp"
#include "support/test_support.hpp"

using namespace lantian;

TEST_CASE("Point sources are read and placed in the right cell and layer with the right rate", "[unit][sources]") {
    const std::string dir = test::scratch_dir("points");
    const Grid grid(test::cartesian(10, 8, 1000.0, {0, 20, 60, 150, 400}));
    const std::size_t cell = 5 * 10 + 3;
    const std::string path = test::write_text_file(dir, "p.csv",
                                        "# comment\nid,name,lon,lat,height_m,SO2_g_s,PM25_g_s\n"
                                        "A,stack a," + std::to_string(grid.lon()[cell]) + "," + std::to_string(grid.lat()[cell]) +
                                            ",100,2.5,\n");
    const auto points = read_point_sources(path, {"SO2", "PM25"});
    REQUIRE(points.size() == 1);
    std::vector<std::string> warnings;
    const EmissionTable t = place_sources(grid, {"SO2", "PM25"}, points, {}, warnings);
    CHECK(warnings.empty());
    REQUIRE(t.entries.size() == 1);  // the empty PM25 rate means 0 and adds nothing
    CHECK(t.entries[0].k == 2);
    CHECK(t.entries[0].species == 0);
    CHECK(t.entries[0].rate_ug_s == Approx(2.5e6));
    CHECK(t.start[cell * 2] == 0);      // SO2 of the stack's column: the one entry
    CHECK(t.start[cell * 2 + 1] == 1);
    CHECK(t.start[cell * 2 + 2] == 1);  // no PM25
}

TEST_CASE("Area sources spread their rate over the cells inside and warn about the outside", "[unit][sources]") {
    const Grid grid(test::cartesian(10, 8, 1000.0, {0, 20, 60}));
    AreaSource inside{"T", "town", 109.99, 39.99, 110.02, 40.02, {{"CO", 10.0}}};
    AreaSource outside{"F", "far", 120.0, 30.0, 121.0, 31.0, {{"CO", 30.0}}};
    std::vector<std::string> warnings;
    const EmissionTable t = place_sources(grid, {"CO"}, {}, {inside, outside}, warnings);
    CHECK(t.entries.size() > 1);
    CHECK(t.total_ug_s[0] == Approx(10.0e6));
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("1 area source(s)") && Catch::Contains("CO 25%"));
}

TEST_CASE("Malformed source files are rejected with file, line, column and reason", "[unit][sources]") {
    const std::string dir = test::scratch_dir("badsrc");
    struct Case {
        const char* text;
        const char* expect;
    };
    constexpr Case cases[] = {
        {"id,name,lon,lat,height_m,SO2_g_s\nA,a,110,40,abc,1\n", "p.csv:2: height_m: abc: not a number"},
        {"id,name,lon,lat,height_m,SO2_g_s\nA,a,110,40,-3,1\n", "p.csv:2: height_m: -3: must be in [0, 5000] m"},
        {"id,name,lon,lat,height_m,SO2_g_s\nA,a,110,40,10,-1\n", "p.csv:2: SO2_g_s: -1: must be >= 0"},
        {"id,name,lon,lat,height_m,SO2_g_s\nA,a,110,95,10,1\n", "p.csv:2: lat: 95: must be in [-90, 90]"},
        {"id,name,lon,lat,height_m,SO2_g_s\nA,a,110,40,10,1\nA,b,110,40,10,1\n", "p.csv:3: id: A: duplicate id"},
        {"id,name,lon,lat,height_m,XX_g_s\nA,a,110,40,10,1\n", "XX_g_s"},
        {"id,name,lon,height_m,SO2_g_s\n", "header column 4 must be 'lat'"},
        {"id,name,lon,lat,height_m,SO2_g_s\nA,a,110,40\n", "p.csv:2: expected 6 columns"},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        const std::string path = test::write_text_file(dir, "p.csv", c.text);
        try {
            read_point_sources(path, {"SO2"});
            FAIL("accepted a malformed file");
        } catch (const ConfigError& e) {
            CHECK_THAT(e.what(), Catch::Contains(c.expect));
        }
    }
    CHECK_THROWS_WITH(read_point_sources(dir + "/missing.csv", {"SO2"}), Catch::Contains("missing.csv: cannot open"));
}
