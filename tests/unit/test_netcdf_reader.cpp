// The shared NetCDF reader: every failure names the file and the variable, and a whole-variable
// read refuses a variable whose size is not the one the caller will index.
#include <netcdf.h>

#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "output/netcdf_reader.hpp"
#include "support/test_support.hpp"

using lantian::ConfigError;
using lantian::NcReader;

TEST_CASE("NcReader names the file, checks sizes and reports missing pieces", "[unit][netcdf]") {
    const std::string dir = lantian::test::scratch_dir("nc_reader");
    const std::string path = dir + "/small.nc";
    int nc = -1, dim = -1, var = -1;
    REQUIRE(nc_create(path.c_str(), NC_NETCDF4 | NC_CLOBBER, &nc) == NC_NOERR);
    REQUIRE(nc_def_dim(nc, "station", 3, &dim) == NC_NOERR);
    REQUIRE(nc_def_var(nc, "lat", NC_DOUBLE, 1, &dim, &var) == NC_NOERR);
    REQUIRE(nc_put_att_text(nc, var, "units", 13, "degrees_north") == NC_NOERR);
    const double lat[3] = {40.5, 40.6, 40.7};
    REQUIRE(nc_put_var_double(nc, var, lat) == NC_NOERR);
    REQUIRE(nc_close(nc) == NC_NOERR);

    const NcReader f(path, "cannot open the test file", " (hint)");
    CHECK(f.dim("station") == 3);
    CHECK(f.doubles("lat", 3) == std::vector<double>{40.5, 40.6, 40.7});
    CHECK(f.text_att(f.var("lat"), "units") == "degrees_north");
    CHECK(f.text_att(f.var("lat"), "long_name").empty());
    CHECK_FALSE(f.find_var("lon").has_value());
    CHECK_THROWS_WITH(f.doubles("lat", 4), Catch::Contains("small.nc: variable lat has 3 values, expected 4"));
    CHECK_THROWS_WITH(f.var("lon"), Catch::Contains("small.nc: variable lon is missing (hint)"));
    CHECK_THROWS_WITH(f.dim("time"), Catch::Contains("small.nc: dimension time is missing (hint)"));
    CHECK_THROWS_AS(NcReader(dir + "/absent.nc", "cannot open the test file"), ConfigError);
    CHECK_THROWS_WITH(NcReader(dir + "/absent.nc", "cannot open the test file"),
                      Catch::Contains("absent.nc: cannot open the test file: "));
}
