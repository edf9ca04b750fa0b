// Unit tests for config_parser.hpp and time_utils.hpp: defaults, round trip, precedence of
// overrides, one test per class of config error (each names file:line and key), and that every
// key in the table is documented in docs/config.md.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"

#ifndef LANTIAN_SOURCE_DIR
#define LANTIAN_SOURCE_DIR "."
#endif

namespace {

using Catch::Matchers::Contains;

// The message of the ConfigError that loading this text throws; fails the test if none is thrown.
std::string error_of(const std::string& ini_text, const std::vector<std::string>& overrides = {}) {
    try {
        lantian::load_config_text(ini_text, "cfg.ini", overrides);
    } catch (const lantian::ConfigError& e) {
        return e.what();
    }
    FAIL("no ConfigError for:\n" << ini_text);
    return {};
}

// A fresh folder under the system temp dir, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        std::random_device random;
        path_ = std::filesystem::temp_directory_path() / ("lantian_test_config_" + std::to_string(random()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::filesystem::path write(const std::string& name, const std::string& text) const {
        const auto file = path_ / name;
        std::ofstream(file) << text;
        return file;
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace

TEST_CASE("Defaults load without a file and pass validation", "[unit][config]") {
    const lantian::Config built_in;
    REQUIRE_NOTHROW(lantian::validate(built_in));

    const lantian::Config loaded = lantian::load_config("");
    CHECK(loaded.source_file.empty());
    CHECK(lantian::to_ini(loaded) == lantian::to_ini(built_in));
    CHECK(loaded.grid.nx == built_in.grid.nx);
    CHECK(loaded.species.names == built_in.species.names);
}

TEST_CASE("to_ini lists every key and round-trips through load_config_text", "[unit][config]") {
    const lantian::Config c = lantian::load_config_text(
        "", "roundtrip.ini",
        {"grid.projection=latlon", "grid.layer_faces_m=0, 30, 70.5, 150", "run.cfl=0.3333333333333333",
         "met.source=surface_layer", "transport.vertical_diffusion=off", "species.names=SO2,PM25 NH3",
         "species.background_ug_m3=SO2:5 PM25=12.5", "species.deposition_velocity_m_s=PM25:0.001",
         "run.title=Baotou winter  episode", "output.fields_3d=yes", "run.start=2026-01-10 06:00:00Z"});
    const std::string text = lantian::to_ini(c);
    INFO(text);

    for (const auto& key : lantian::config_keys()) {
        const std::string name = key.substr(key.find('.') + 1);
        CAPTURE(key);
        CHECK((text.find("\n" + name + " = ") != std::string::npos || text.find("\n" + name + " =\n") != std::string::npos));
    }
    CHECK(text.find('#') == std::string::npos);
    CHECK(text.find(';') == std::string::npos);

    const lantian::Config again = lantian::load_config_text(text, "roundtrip.ini");
    CHECK(lantian::to_ini(again) == text);
    CHECK(again.grid.projection == lantian::Projection::latlon);
    CHECK(again.grid.layer_faces_m == std::vector<double>{0.0, 30.0, 70.5, 150.0});
    CHECK(again.run.cfl == c.run.cfl);  // exact: shortest round-trip formatting
    CHECK(again.met.source == lantian::MetKind::surface_layer);
    CHECK_FALSE(again.transport.vertical_diffusion);
    CHECK(again.species.names == std::vector<std::string>{"SO2", "PM25", "NH3"});
    CHECK(again.species.background_ug_m3 == std::map<std::string, double>{{"SO2", 5.0}, {"PM25", 12.5}});
    CHECK(again.run.title == "Baotou winter  episode");
    CHECK(again.output.fields_3d);
}

TEST_CASE("INI section plus key gives section.key and comment lines are skipped", "[unit][config]") {
    const std::string ini =
        "; Lantian test case\n"
        "# another comment\n"
        "[run]\n"
        "hours = 48   # two days\n"
        "  [ grid ]  \n"
        "nx=120\n"
        "projection = cartesian\n"
        "\n"
        "[species]\n"
        "names = SO2, NO2\n"
        "initial_ug_m3 = SO2 : 3, NO2=4\r\n";
    const lantian::Config c = lantian::load_config_text(ini, "cfg.ini");
    CHECK(c.run.hours == 48.0);
    CHECK(c.grid.nx == 120);
    CHECK(c.grid.projection == lantian::Projection::cartesian);
    CHECK(c.species.initial_ug_m3 == std::map<std::string, double>{{"SO2", 3.0}, {"NO2", 4.0}});
    CHECK(c.source_file == "cfg.ini");
}

TEST_CASE("Command-line overrides beat the file and the last repeated override wins", "[unit][config]") {
    const TempDir dir;
    const auto file = dir.write("cfg.ini", "[grid]\nnx = 50\nny = 40\n[run]\nhours = 24\n");
    const lantian::Config c = lantian::load_config(file.string(), {"grid.nx=80", "run.hours = 12", "grid.nx=90"});
    CHECK(c.grid.nx == 90);
    CHECK(c.grid.ny == 40);  // from the file
    CHECK(c.run.hours == 12.0);
    CHECK(c.source_file == file.string());

    // The override's value is typed like the file's: a bad one is reported against the command line.
    const std::string message = error_of("[grid]\nnx = 50\n", {"grid.nx=lots"});
    CHECK_THAT(message, Contains("command line: grid.nx = lots: must be an integer"));
}

TEST_CASE("Unknown key error names file line and key and lists the known keys of its section", "[unit][config]") {
    const std::string message = error_of("[grid]\nnx = 100\nnxx = 5\n");
    CHECK_THAT(message, Contains("cfg.ini:3: grid.nxx = 5: unknown key; known keys in [grid]:"));
    CHECK_THAT(message, Contains("nx, ny"));
    CHECK_THAT(error_of("", {"grid.nxx=5"}), Contains("command line: grid.nxx = 5: unknown key"));
    CHECK_THAT(error_of("nx = 4\n"), Contains("cfg.ini:1: nx = 4: key outside any [section]"));
}

TEST_CASE("Unknown section error names file line and section and lists the known sections", "[unit][config]") {
    const std::string message = error_of("[run]\nhours = 24\n[gird]\nnx = 5\n");
    CHECK_THAT(message, Contains("cfg.ini:3: [gird]: unknown section; known sections: run, grid, met"));
    CHECK_THAT(error_of("", {"gird.nx=5"}), Contains("command line: gird.nx = 5: unknown section [gird]"));
}

TEST_CASE("Wrong type error names file line and key and value and the expected type", "[unit][config]") {
    struct Case {
        const char* ini;
        const char* expected;
    };
    const Case cases[] = {
        {"[grid]\nny = 10\nnx = abc\n", "cfg.ini:3: grid.nx = abc: must be an integer"},
        {"[grid]\nnx = 4.5\n", "cfg.ini:2: grid.nx = 4.5: must be an integer"},
        {"[run]\nhours = 24h\n", "cfg.ini:2: run.hours = 24h: must be a number"},
        {"[run]\nhours = nan\n", "cfg.ini:2: run.hours = nan: must be a number"},
        {"[transport]\nvertical_diffusion = maybe\n", "cfg.ini:2: transport.vertical_diffusion = maybe: must be true or false"},
        {"[grid]\nlayer_faces_m = 0 30 x\n", "cfg.ini:2: grid.layer_faces_m = 0 30 x: must be a list of numbers"},
        {"[species]\nbackground_ug_m3 = SO2 5\n", "cfg.ini:2: species.background_ug_m3 = SO2 5: must be NAME:value pairs"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.ini);
        CHECK_THAT(error_of(c.ini), Contains(c.expected));
    }
}

TEST_CASE("Out-of-range error names file line and key and value and the allowed range", "[unit][config]") {
    struct Case {
        const char* ini;
        const char* expected;
    };
    const Case cases[] = {
        {"[grid]\nnx = 2\n", "cfg.ini:2: grid.nx = 2: must be >= 4 and <= 20000"},
        {"[run]\ncfl = 1.5\n", "cfg.ini:2: run.cfl = 1.5: must be > 0 and <= 1"},
        {"[run]\nhours = 0\n", "cfg.ini:2: run.hours = 0: must be > 0"},
        {"[run]\nhours = 2000000000\n", "cfg.ini:2: run.hours = 2e+09: must be > 0 and <= 8784"},
        {"[run]\nmin_dt_s = 1000\n", "cfg.ini:2: run.min_dt_s = 1000: must not exceed run.max_dt_s = 900"},
        {"[run]\nmin_dt_s = 0\n", "cfg.ini:2: run.min_dt_s = 0: must be > 0"},
        {"[output]\ninterval_h = 0.001\n", "cfg.ini:2: output.interval_h = 0.001: must be >= 0.01"},
        {"[tags]\nperiod_h = 0.5\n", "cfg.ini:2: tags.period_h = 0.5: must be >= 1 (or exactly 0)"},
        {"[tags]\nspecies = PM25 PM2.5\n", "cfg.ini:2: tags.species = PM25 PM2.5: PM2.5 is not in species.names (SO2 NO2"},
        {"[met]\ntemperature_k = 400\n", "cfg.ini:2: met.temperature_k = 400: must be >= 150 and <= 350"},
        {"[output]\ndeflate_level = 10\n", "cfg.ini:2: output.deflate_level = 10: must be >= 0 and <= 9"},
        {"[species]\ndeposition_velocity_m_s = SO2:-0.1\n",
         "cfg.ini:2: species.deposition_velocity_m_s = SO2:-0.1: every value must be >= 0"},
        {"[grid]\nlayer_faces_m = 0 50 40\n", "cfg.ini:2: grid.layer_faces_m = 0 50 40: faces must strictly increase"},
        {"[grid]\nlayer_faces_m = 10 50\n", "cfg.ini:2: grid.layer_faces_m = 10 50: the first face must be 0"},
        {"[grid]\ntruelat1 = -30\n", "grid.truelat2 = 60: must be in the same hemisphere as grid.truelat1 = -30"},
        {"[run]\nhours = 24\n[output]\ninterval_h = 7\n",
         "cfg.ini:4: output.interval_h = 7: must divide run.hours = 24 into a whole number of records"},
        {"[species]\nnames = SO2 NO-2\n", "cfg.ini:2: species.names = SO2 NO-2: 'NO-2' is not a species name"},
        {"[species]\nnames = SO2 SO2\n", "cfg.ini:2: species.names = SO2 SO2: SO2 is listed twice"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.ini);
        CHECK_THAT(error_of(c.ini), Contains(c.expected));
    }
    // The bounds keep the values a real run uses: a leap year of hours, 36 s records, a 0.1 s floor,
    // hourly and daily tag periods.
    CHECK_NOTHROW(lantian::load_config_text("[run]\nhours = 8784\n", "cfg.ini"));
    CHECK_NOTHROW(lantian::load_config_text("[run]\nhours = 0.01\nmin_dt_s = 0.1\n[output]\ninterval_h = 0.01\n", "cfg.ini"));
    CHECK_NOTHROW(lantian::load_config_text("[tags]\nperiod_h = 1\n", "cfg.ini"));
    CHECK_NOTHROW(lantian::load_config_text("[tags]\nperiod_h = 0\n", "cfg.ini"));
    // A cross-key rule names the key's file line when set there, and the file when it is a default.
    CHECK_THAT(error_of("[run]\nhours = 2.5\n"), Contains("cfg.ini: output.interval_h = 1: must divide run.hours = 2.5"));
}

TEST_CASE("Enum value not allowed error names file line and key and the allowed names", "[unit][config]") {
    const std::string message = error_of("[grid]\nprojection = gnomonic\n");
    CHECK_THAT(message, Contains("cfg.ini:2: grid.projection = gnomonic: must be one of lambert, latlon, cartesian, "
                                 "polar_stereographic, mercator"));
    CHECK_THAT(error_of("[met]\nsource = mm5\n"),
               Contains("met.source = mm5: must be one of episode, uniform, rotation, swirl, ridge, surface_layer, wrf"));
    // WRF needs its files.
    CHECK_THAT(error_of("[met]\nsource = wrf\n"), Contains("met.files = : is required with met.source = wrf"));
}

TEST_CASE("Missing config file error names the path", "[unit][config]") {
    const std::string path = "/nonexistent/lantian/cfg.ini";
    REQUIRE_THROWS_WITH(lantian::load_config(path), path + ": cannot open config file");
}

TEST_CASE("Files named by keys resolve against the config folder and must exist", "[unit][config]") {
    const TempDir dir;
    dir.write("points.csv", "id,name\n");
    const auto good = dir.write("good.ini", "[sources]\npoints = points.csv\n");
    const lantian::Config c = lantian::load_config(good.string());
    CHECK(lantian::resolve_path(c, c.sources.points) == (dir.path() / "points.csv").string());
    CHECK(lantian::resolve_path(c, "/abs/elsewhere.csv") == "/abs/elsewhere.csv");
    CHECK(lantian::resolve_path(c, "").empty());

    const auto bad = dir.write("cfg.ini", "[run]\nhours = 24\n[sources]\npoints = x.csv\n");
    const std::string expected = bad.string() + ":4: sources.points = x.csv: file not found (looked for " +
                                 (dir.path() / "x.csv").string() + ")";
    REQUIRE_THROWS_WITH(lantian::load_config(bad.string()), expected);
}

TEST_CASE("Duplicate key error names both lines", "[unit][config]") {
    const std::string message = error_of("[grid]\nnx = 100\nny = 50\n\n[grid]\nnx = 200\n");
    CHECK_THAT(message, Contains("cfg.ini:6: grid.nx = 200: duplicate key; already set at cfg.ini:2"));
}

TEST_CASE("Malformed override error for a missing equals sign or section", "[unit][config]") {
    CHECK_THAT(error_of("", {"grid.nx"}), Contains("command line: grid.nx: an override must be section.key=value"));
    CHECK_THAT(error_of("", {"nx=200"}),
               Contains("command line: nx = 200: an override must be section.key=value; the section is missing"));
    CHECK_THAT(error_of("", {".nx=200"}), Contains("command line: .nx = 200: an override must be section.key=value"));
}

TEST_CASE("Bad start time error names file line and key and what is wrong", "[unit][config]") {
    CHECK_THAT(error_of("[run]\nstart = 2026-13-01T00:00:00\n"),
               Contains("cfg.ini:2: run.start = 2026-13-01T00:00:00: month 13 is not in 1..12"));
    CHECK_THAT(error_of("[run]\nstart = 2026-02-29T00:00:00\n"), Contains("cfg.ini:2: run.start = 2026-02-29T00:00:00: day 29"));
    CHECK_THAT(error_of("[run]\nstart = yesterday\n"), Contains("cfg.ini:2: run.start = yesterday: expected YYYY-MM-DDTHH:MM:SS"));
}

TEST_CASE("Species map naming an unknown species is an error naming file line and key and the species list", "[unit][config]") {
    const std::string message = error_of("[species]\nnames = SO2 NO2\nbackground_ug_m3 = SO2:5 O3:40\n");
    CHECK_THAT(message, Contains("cfg.ini:3: species.background_ug_m3 = O3:40 SO2:5: O3 is not in species.names (SO2 NO2)"));
    CHECK_THAT(error_of("[species]\ninitial_ug_m3 = SO2:1 SO2:2\n"), Contains("cfg.ini:2: species.initial_ug_m3 = SO2:1 SO2:2: SO2 is given twice"));
}

TEST_CASE("ISO times parse to seconds since 1970 UTC and format back", "[unit][config]") {
    // Exact: whole seconds are representable in double.
    CHECK(lantian::parse_iso_time_utc("1970-01-01T00:00:00Z") == 0.0);
    CHECK(lantian::parse_iso_time_utc("2026-01-10T00:00:00") == 1768003200.0);  // date -u -d @1768003200
    CHECK(lantian::parse_iso_time_utc("2026-01-10 06:30:15") == 1768003200.0 + 6 * 3600 + 30 * 60 + 15);
    CHECK(lantian::parse_iso_time_utc("2024-02-29T00:00:00") - lantian::parse_iso_time_utc("2024-02-28T00:00:00") ==
          86400.0);
    CHECK(lantian::format_iso_time_utc(1768003200.0) == "2026-01-10 00:00:00");
    CHECK(lantian::format_iso_time_utc(1768003200.0 + 3599.9999999) == "2026-01-10 01:00:00");  // rounds
    CHECK_THROWS_AS(lantian::parse_iso_time_utc("2026-01-10"), lantian::ConfigError);
    CHECK_THROWS_AS(lantian::parse_iso_time_utc("2026-01-10T24:00:00"), lantian::ConfigError);
    CHECK_THROWS_WITH(lantian::parse_iso_time_utc("2026-1-10T00:00:00"), Contains("'2026-1-10T00:00:00'"));
}

TEST_CASE("Enum names come from one table and round-trip", "[unit][config]") {
    CHECK(lantian::to_string(lantian::Projection::latlon) == "latlon");
    CHECK(lantian::to_string(lantian::MetKind::surface_layer) == "surface_layer");
    CHECK(lantian::to_string(lantian::HorizontalDiffusion::smagorinsky) == "smagorinsky");
    CHECK(lantian::to_string(lantian::BoundaryKind::periodic) == "periodic");
    const lantian::Config c = lantian::load_config_text("", "x.ini", {"transport.advection=upwind", "met.kz_mode=constant"});
    CHECK(c.transport.advection == lantian::kernels::Reconstruction::upwind);
    CHECK(c.met.kz_mode == lantian::KzMode::constant);
}

TEST_CASE("transport.advection takes the kernels' scheme names and refuses any other", "[unit][config]") {
    std::string allowed;
    for (const auto& scheme : lantian::kernels::kSchemeNames) {
        INFO(scheme.name);
        const lantian::Config c = lantian::load_config_text("", "x.ini", {"transport.advection=" + std::string(scheme.name)});
        CHECK(c.transport.advection == scheme.value);
        CHECK(lantian::to_string(scheme.value) == scheme.name);
        allowed += (allowed.empty() ? "" : ", ") + std::string(scheme.name);
    }
    CHECK_THAT(error_of("[transport]\nadvection = weno5\n"),
               Contains("cfg.ini:2: transport.advection = weno5: must be one of " + allowed));
    CHECK_THAT(error_of("", {"transport.advection=PPM"}), Contains("transport.advection = PPM: must be one of " + allowed));
}

TEST_CASE("Every config key is documented in docs/config.md", "[unit][config]") {
    const std::string path = std::string(LANTIAN_SOURCE_DIR) + "/docs/config.md";
    std::ifstream in(path);
    REQUIRE(in.good());
    std::stringstream contents;
    contents << in.rdbuf();
    const std::string docs = contents.str();
    const auto keys = lantian::config_keys();
    REQUIRE(keys.size() > 60);
    for (const auto& key : keys) {
        CAPTURE(key);
        CHECK(docs.find("`" + key + "`") != std::string::npos);
    }
}
