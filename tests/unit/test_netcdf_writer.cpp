// Tests of NetcdfWriter: the partial → final / incomplete naming rule (and the stem of companion
// files), the CF layout read back through the netCDF-C API, and that ncdump and cdo open the files
// (the "[external]" cases need both tools on PATH; they run with the unit label).
#include "output/netcdf_writer.hpp"

#include <catch2/catch.hpp>
#include <netcdf.h>

#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/file_names.hpp"

namespace fs = std::filesystem;
using lantian::BudgetRow;
using lantian::NetcdfWriter;
using lantian::OutputField;
using lantian::OutputGrid;
using lantian::OutputMetadata;
using lantian::Projection;

namespace {

constexpr int test_nx = 5, test_ny = 4, test_nz = 3;
constexpr int test_deflate_level = 4;
constexpr double grid_spacing_m = 4000.0;

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "lantian_nc_XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    fs::path operator/(const std::string& name) const { return path_ / name; }
    std::size_t file_count() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(path_), fs::directory_iterator{}));
    }

private:
    fs::path path_;
};

OutputGrid make_grid(Projection projection) {
    OutputGrid g;
    g.projection = projection;
    g.nx = test_nx;
    g.ny = test_ny;
    g.nz = test_nz;
    g.center_lat = 39.9;
    g.center_lon = 116.4;
    g.stand_lon = 116.4;
    g.truelat1 = 30.0;
    g.truelat2 = 60.0;
    const bool latlon = projection == Projection::latlon;
    constexpr double spacing_deg = 0.05;
    for (int i = 0; i < test_nx; ++i) g.x.push_back(latlon ? g.center_lon + spacing_deg * i : grid_spacing_m * i);
    for (int j = 0; j < test_ny; ++j) g.y.push_back(latlon ? g.center_lat + spacing_deg * j : grid_spacing_m * j);
    if (!latlon) {
        for (int j = 0; j < test_ny; ++j) {
            for (int i = 0; i < test_nx; ++i) {
                g.lat.push_back(g.center_lat + spacing_deg * j);
                g.lon.push_back(g.center_lon + spacing_deg * i);
            }
        }
    }
    g.z_face_m = {0.0, 50.0, 150.0, 300.0};
    g.z_center_m = {25.0, 100.0, 225.0};
    return g;
}

std::vector<OutputField> make_fields() {
    return {
        {"SO2", "sulfur dioxide mass concentration in the lowest model layer",
         "mass_concentration_of_sulfur_dioxide_in_air", "ug m-3", true},
        {"TRACER", "passive tracer mass concentration", "", "ug m-3", false},
    };
}

OutputMetadata make_meta() {
    OutputMetadata m;
    m.title = "Lantian writer test";
    m.reference_time = "2024-01-15 00:00:00";
    m.config_text = "[grid]\nnx = 5\n";
    m.history = "test_netcdf_writer";
    m.extra_attributes = {{"lantian_scenario", "baseline"}};
    return m;
}

// Value of field f at record t, cell (k, j, i): distinct everywhere so misplaced writes show.
float field_value(int f, int t, int k, int j, int i) {
    return static_cast<float>(1000 * f + 100 * t + 10 * k + j) + 0.5f * static_cast<float>(i);
}

void write_records(NetcdfWriter& w, const std::vector<OutputField>& fields, int n_records, bool fields_3d) {
    for (int t = 0; t < n_records; ++t) {
        std::vector<std::vector<float>> surface, volume;
        for (int f = 0; f < static_cast<int>(fields.size()); ++f) {
            std::vector<float> s, v;
            for (int j = 0; j < test_ny; ++j)
                for (int i = 0; i < test_nx; ++i) s.push_back(field_value(f, t, 0, j, i));
            if (fields_3d && fields[static_cast<std::size_t>(f)].has_3d) {
                for (int k = 0; k < test_nz; ++k)
                    for (int j = 0; j < test_ny; ++j)
                        for (int i = 0; i < test_nx; ++i) v.push_back(field_value(f, t, k, j, i));
            }
            surface.push_back(std::move(s));
            volume.push_back(std::move(v));
        }
        w.write_record(static_cast<double>(t), surface, volume);
    }
}

const std::vector<std::string> budget_terms = {"emitted", "deposited", "outflow", "remaining"};
const std::vector<BudgetRow> budget_rows = {{"SO2", {10.0, 2.0, 3.0, 5.0}}, {"TRACER", {4.0, 0.0, 1.0, 3.0}}};

// Writes the standard test file (3 records, 3-D on, budget) to dir/name and finishes it.
fs::path write_complete_file(const TempDir& dir, Projection projection, const std::string& name = "out.nc") {
    const fs::path path = dir / name;
    const auto fields = make_fields();
    NetcdfWriter w(path.string(), make_grid(projection), fields, make_meta(), true, test_deflate_level);
    write_records(w, fields, 3, true);
    w.write_budget(budget_terms, budget_rows);
    w.finish();
    return path;
}

// Read-only handle that closes itself.
class NcReader {
public:
    explicit NcReader(const fs::path& path) { REQUIRE(nc_open(path.c_str(), NC_NOWRITE, &id) == NC_NOERR); }
    ~NcReader() { nc_close(id); }
    NcReader(const NcReader&) = delete;
    NcReader& operator=(const NcReader&) = delete;

    std::size_t dim(const std::string& name) const {
        int dimid = -1;
        std::size_t len = 0;
        REQUIRE(nc_inq_dimid(id, name.c_str(), &dimid) == NC_NOERR);
        REQUIRE(nc_inq_dimlen(id, dimid, &len) == NC_NOERR);
        return len;
    }
    int var(const std::string& name) const {
        int varid = -1;
        INFO("variable " << name);
        REQUIRE(nc_inq_varid(id, name.c_str(), &varid) == NC_NOERR);
        return varid;
    }
    bool has_var(const std::string& name) const {
        int varid = -1;
        return nc_inq_varid(id, name.c_str(), &varid) == NC_NOERR;
    }
    bool has_att(const std::string& var_name, const std::string& att) const {
        const int varid = var_name.empty() ? NC_GLOBAL : var(var_name);
        return nc_inq_attid(id, varid, att.c_str(), nullptr) == NC_NOERR;
    }
    // Text attribute of var_name ("" = global).
    std::string text(const std::string& var_name, const std::string& att) const {
        const int varid = var_name.empty() ? NC_GLOBAL : var(var_name);
        std::size_t len = 0;
        INFO("attribute " << var_name << ":" << att);
        REQUIRE(nc_inq_attlen(id, varid, att.c_str(), &len) == NC_NOERR);
        std::string value(len, '\0');
        REQUIRE(nc_get_att_text(id, varid, att.c_str(), value.data()) == NC_NOERR);
        return value;
    }
    std::vector<double> numbers(const std::string& var_name, const std::string& att) const {
        const int varid = var(var_name);
        std::size_t len = 0;
        REQUIRE(nc_inq_attlen(id, varid, att.c_str(), &len) == NC_NOERR);
        std::vector<double> values(len);
        REQUIRE(nc_get_att_double(id, varid, att.c_str(), values.data()) == NC_NOERR);
        return values;
    }
    std::vector<double> doubles(const std::string& name, std::size_t n) const {
        std::vector<double> values(n);
        REQUIRE(nc_get_var_double(id, var(name), values.data()) == NC_NOERR);
        return values;
    }

    int id = -1;
};

int run_quietly(const std::string& command, const fs::path& file) {
    const std::string line = command + " '" + file.string() + "' > /dev/null";
    INFO(line);
    return std::system(line.c_str());
}

}  // namespace

TEST_CASE("NetcdfWriter output exists only as .partial until finish, then only at its final path",
          "[unit][output]") {
    const TempDir dir;
    const fs::path path = dir / "run.nc";
    const auto fields = make_fields();
    NetcdfWriter w(path.string(), make_grid(Projection::lambert), fields, make_meta(), true, test_deflate_level);
    write_records(w, fields, 2, true);
    CHECK(w.partial_path() == path.string() + ".partial");
    CHECK(fs::exists(w.partial_path()));
    CHECK_FALSE(fs::exists(path));
    CHECK(dir.file_count() == 1);
    {
        NcReader r(w.partial_path());  // readable mid-run: records are synced
        CHECK(r.text("", "lantian_status") == "in progress");
        CHECK(r.dim("time") == 2);
    }

    w.finish();
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(w.partial_path()));
    CHECK(dir.file_count() == 1);
    CHECK(w.records_written() == 2);
    CHECK_THROWS_AS(w.write_record(2.0, {}, {}), std::logic_error);
}

TEST_CASE("NetcdfWriter lambert file reads back with CF dimensions, values and attributes", "[unit][output]") {
    const TempDir dir;
    const fs::path path = write_complete_file(dir, Projection::lambert);
    const NcReader r(path);

    CHECK(r.dim("time") == 3);
    CHECK(r.dim("x") == test_nx);
    CHECK(r.dim("y") == test_ny);
    CHECK(r.dim("z") == test_nz);
    CHECK(r.dim("nv") == 2);
    CHECK(r.dim("budget_term") == budget_terms.size());

    // global attributes
    CHECK(r.text("", "Conventions") == "CF-1.10");
    CHECK(r.text("", "lantian_status") == "complete");
    CHECK(r.text("", "title") == "Lantian writer test");
    CHECK(r.text("", "lantian_config") == "[grid]\nnx = 5\n");
    CHECK(r.text("", "lantian_reference_time") == "2024-01-15 00:00:00");
    CHECK(r.text("", "lantian_scenario") == "baseline");
    CHECK(r.text("", "lantian_budget_terms") == "emitted deposited outflow remaining");

    // coordinates and grid mapping
    CHECK(r.text("time", "units") == "hours since 2024-01-15 00:00:00");
    CHECK(r.text("time", "calendar") == "standard");
    CHECK(r.doubles("time", 3) == std::vector<double>{0.0, 1.0, 2.0});
    CHECK(r.text("x", "standard_name") == "projection_x_coordinate");
    CHECK(r.text("y", "units") == "m");
    CHECK(r.doubles("x", test_nx)[1] == grid_spacing_m);  // exact: stored as given
    CHECK(r.text("z", "bounds") == "z_bnds");
    CHECK(r.text("z", "positive") == "up");
    CHECK(r.doubles("z_bnds", 2 * test_nz) == std::vector<double>{0.0, 50.0, 50.0, 150.0, 150.0, 300.0});
    CHECK(r.text("lat", "units") == "degrees_north");
    CHECK(r.text("lon", "standard_name") == "longitude");
    CHECK(r.text("crs", "grid_mapping_name") == "lambert_conformal_conic");
    CHECK(r.numbers("crs", "standard_parallel") == std::vector<double>{30.0, 60.0});
    CHECK(r.numbers("crs", "longitude_of_central_meridian") == std::vector<double>{116.4});
    CHECK(r.numbers("crs", "earth_radius") == std::vector<double>{6370000.0});

    // data variables
    CHECK(r.text("SO2", "grid_mapping") == "crs");
    CHECK(r.text("SO2", "coordinates") == "lat lon");
    CHECK(r.text("SO2", "units") == "ug m-3");
    CHECK(r.text("SO2", "standard_name") == "mass_concentration_of_sulfur_dioxide_in_air");
    CHECK_FALSE(r.has_att("TRACER", "standard_name"));  // empty standard name is omitted
    CHECK(r.text("SO2_3d", "grid_mapping") == "crs");
    CHECK_FALSE(r.has_var("TRACER_3d"));  // field without a 3-D form

    float fill = 0.0f;
    REQUIRE(nc_get_att_float(r.id, r.var("SO2"), "_FillValue", &fill) == NC_NOERR);
    CHECK(fill == NC_FILL_FLOAT);
    int shuffle = 0, deflate = 0, level = 0;
    REQUIRE(nc_inq_var_deflate(r.id, r.var("SO2"), &shuffle, &deflate, &level) == NC_NOERR);
    CHECK(deflate == 1);
    CHECK(shuffle == 1);
    CHECK(level == test_deflate_level);
    std::size_t chunks[4] = {};
    int storage = 0;
    REQUIRE(nc_inq_var_chunking(r.id, r.var("SO2_3d"), &storage, chunks) == NC_NOERR);
    CHECK(storage == NC_CHUNKED);
    CHECK(chunks[0] == 1);
    CHECK(chunks[1] == test_nz);

    // Values are small integers and halves, exact in float: compare exactly.
    const std::size_t at2[3] = {2, 3, 4};  // t, j, i
    float v = 0.0f;
    REQUIRE(nc_get_var1_float(r.id, r.var("TRACER"), at2, &v) == NC_NOERR);
    CHECK(v == field_value(1, 2, 0, 3, 4));
    const std::size_t at3[4] = {1, 2, 3, 1};  // t, k, j, i
    REQUIRE(nc_get_var1_float(r.id, r.var("SO2_3d"), at3, &v) == NC_NOERR);
    CHECK(v == field_value(0, 1, 2, 3, 1));

    // budget
    CHECK(r.text("budget_SO2", "units") == "kg");
    CHECK(r.text("budget_SO2", "budget_terms") == "emitted deposited outflow remaining");
    CHECK(r.doubles("budget_TRACER", budget_terms.size()) == budget_rows[1].values_kg);
}

TEST_CASE("NetcdfWriter lambert file opens cleanly in ncdump and cdo", "[unit][output][external]") {
    const TempDir dir;
    const fs::path path = write_complete_file(dir, Projection::lambert);
    CHECK(run_quietly("ncdump -h", path) == 0);
    CHECK(run_quietly("cdo -s sinfon", path) == 0);
}

TEST_CASE("abandoned NetcdfWriter leaves only an .incomplete.nc holding the records written", "[unit][output]") {
    const TempDir dir;
    const fs::path path = dir / "run.nc";
    const auto fields = make_fields();
    NetcdfWriter w(path.string(), make_grid(Projection::lambert), fields, make_meta(), false, 0);
    write_records(w, fields, 1, false);
    const std::string abandoned = w.abandon("met file missing");

    CHECK(abandoned == (dir / "run.incomplete.nc").string());
    CHECK(fs::exists(abandoned));
    CHECK_FALSE(fs::exists(path));
    CHECK_FALSE(fs::exists(w.partial_path()));
    const NcReader r(abandoned);
    CHECK(r.text("", "lantian_status") == "incomplete: met file missing");
    CHECK(r.dim("time") == 1);
    CHECK_FALSE(r.has_var("SO2_3d"));  // 3-D output was off
}

TEST_CASE("NetcdfWriter destroyed before finish marks its file incomplete", "[unit][output]") {
    const TempDir dir;
    const fs::path path = dir / "run.nc";
    {
        const auto fields = make_fields();
        NetcdfWriter w(path.string(), make_grid(Projection::lambert), fields, make_meta(), true, 1);
        write_records(w, fields, 2, true);
    }
    CHECK_FALSE(fs::exists(path));
    CHECK(dir.file_count() == 1);
    const NcReader r(dir / "run.incomplete.nc");
    CHECK(r.text("", "lantian_status").rfind("incomplete", 0) == 0);
    CHECK(r.dim("time") == 2);
}

TEST_CASE("NetcdfWriter rejects records and budgets whose sizes do not match", "[unit][output]") {
    const TempDir dir;
    const auto fields = make_fields();
    NetcdfWriter w((dir / "run.nc").string(), make_grid(Projection::lambert), fields, make_meta(), true, 0);
    const std::vector<float> surface(test_nx * test_ny, 1.0f);
    const std::vector<float> volume(test_nx * test_ny * test_nz, 1.0f);

    CHECK_THROWS_AS(w.write_record(0.0, {surface}, {volume, {}}), std::invalid_argument);  // one field missing
    CHECK_THROWS_AS(w.write_record(0.0, {surface, {1.0f}}, {volume, {}}), std::invalid_argument);
    CHECK_THROWS_AS(w.write_record(0.0, {surface, surface}, {}), std::invalid_argument);  // 3-D data expected
    CHECK_THROWS_AS(w.write_record(0.0, {surface, surface}, {volume, volume}), std::invalid_argument);
    CHECK(w.records_written() == 0);
    w.write_record(0.0, {surface, surface}, {volume, {}});
    CHECK(w.records_written() == 1);

    CHECK_THROWS_AS(w.write_budget({"emitted"}, {{"SO2", {1.0, 2.0}}}), std::invalid_argument);
    CHECK_THROWS_AS(w.write_budget({"two words"}, {{"SO2", {1.0}}}), std::invalid_argument);
    CHECK_THROWS_AS(w.write_budget({}, {}), std::invalid_argument);
    w.finish();
}

namespace {
// A terrain-like static field: distinct per cell, exact in double.
lantian::MapField make_terrain() {
    lantian::MapField f;
    f.name = "surface_altitude";
    f.long_name = "terrain height above sea level";
    f.units = "m";
    f.standard_name = "surface_altitude";
    for (int j = 0; j < test_ny; ++j)
        for (int i = 0; i < test_nx; ++i) f.values.push_back(1000.0 + 10.0 * j + i);
    return f;
}
}  // namespace

TEST_CASE("NetcdfWriter writes the grid's static fields once, without time, and keeps them on resume",
          "[unit][output]") {
    const TempDir dir;
    auto grid = make_grid(Projection::lambert);
    grid.static_fields.push_back(make_terrain());
    const auto fields = make_fields();
    const fs::path first = dir / "first.nc";
    {
        NetcdfWriter w(first.string(), grid, fields, make_meta(), false, test_deflate_level);
        write_records(w, fields, 2, false);
        w.finish();
    }
    const fs::path second = dir / "second.nc";
    {
        // A restart: the old records are copied, the static field is written anew by the writer.
        NetcdfWriter w(second.string(), grid, fields, make_meta(), false, test_deflate_level);
        w.resume_from(first.string(), 2);
        write_records(w, fields, 1, false);
        w.finish();
    }
    for (const fs::path& path : {first, second}) {
        CAPTURE(path.string());
        const NcReader r(path);
        const int v = r.var("surface_altitude");
        int ndims = 0;
        REQUIRE(nc_inq_varndims(r.id, v, &ndims) == NC_NOERR);
        CHECK(ndims == 2);  // (y, x): no time dimension
        int dims[2] = {};
        REQUIRE(nc_inq_vardimid(r.id, v, dims) == NC_NOERR);
        char name[NC_MAX_NAME + 1];
        REQUIRE(nc_inq_dimname(r.id, dims[0], name) == NC_NOERR);
        CHECK(std::string(name) == "y");
        CHECK(r.text("surface_altitude", "standard_name") == "surface_altitude");
        CHECK(r.text("surface_altitude", "units") == "m");
        CHECK(r.text("surface_altitude", "grid_mapping") == "crs");
        CHECK(r.text("surface_altitude", "coordinates") == "lat lon");
        CHECK(r.doubles("surface_altitude", test_nx * test_ny) == make_terrain().values);
    }
    CHECK(NcReader(second).dim("time") == 3);
    // A static field of the wrong size is refused before any file exists.
    grid.static_fields[0].values.pop_back();
    CHECK_THROWS_WITH(NetcdfWriter((dir / "bad.nc").string(), grid, fields, make_meta(), false, 0),
                      Catch::Contains("surface_altitude"));
    CHECK_FALSE(fs::exists(dir / "bad.nc.partial"));
}

TEST_CASE("NetcdfWriter rejects a grid whose coordinate sizes do not match nx, ny, nz", "[unit][output]") {
    const TempDir dir;
    auto grid = make_grid(Projection::lambert);
    grid.z_face_m.pop_back();
    CHECK_THROWS_AS(NetcdfWriter((dir / "run.nc").string(), grid, make_fields(), make_meta(), false, 0),
                    std::invalid_argument);
    CHECK(dir.file_count() == 0);
}

TEST_CASE("NetcdfWriter latlon and cartesian files carry their grid mapping and open in ncdump and cdo",
          "[unit][output][external]") {
    struct Case {
        Projection projection;
        const char* grid_mapping_name;
    };
    constexpr Case cases[] = {
        {Projection::latlon, "latitude_longitude"},        // x/y are lon/lat themselves
        {Projection::cartesian, "azimuthal_equidistant"},  // flat box around the centre
    };
    for (const auto& c : cases) {
        CAPTURE(c.grid_mapping_name);
        const TempDir dir;
        const fs::path path = write_complete_file(dir, c.projection);
        CHECK(run_quietly("ncdump -h", path) == 0);
        CHECK(run_quietly("cdo -s sinfon", path) == 0);
        const NcReader r(path);
        CHECK(r.text("crs", "grid_mapping_name") == c.grid_mapping_name);
        CHECK(r.text("SO2", "grid_mapping") == "crs");
        if (c.projection == Projection::latlon) {
            CHECK(r.text("x", "units") == "degrees_east");
            CHECK(r.text("y", "standard_name") == "latitude");
            CHECK_FALSE(r.has_var("lat"));
            CHECK_FALSE(r.has_att("SO2", "coordinates"));
        } else {
            CHECK(r.numbers("crs", "longitude_of_projection_origin") == std::vector<double>{116.4});
            CHECK(r.text("SO2", "coordinates") == "lat lon");
        }
    }
}

TEST_CASE("Companion files take the output path's stem without a trailing .nc", "[unit][output]") {
    CHECK(lantian::strip_nc_suffix("out/run.nc") == "out/run");
    CHECK(lantian::strip_nc_suffix("out/run") == "out/run");
    CHECK(lantian::strip_nc_suffix("run.nc4") == "run.nc4");
    CHECK(lantian::strip_nc_suffix("run.nc.nc") == "run.nc");
}
