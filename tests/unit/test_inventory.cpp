// Inventory readers, temporal profiles and speciation: what is read is what the file says, and
// every malformed input is refused with file, line (or variable), column, value and reason.
#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "config/config.hpp"
#include "config/time_utils.hpp"
#include "emissions/inventory.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {

const std::string kPointHeader =
    "id,name,sector,lon,lat,stack_height_m,diameter_m,exit_temp_k,exit_velocity_m_s,grade,SO2_t_yr,NOx_t_yr,CO_t_yr,"
    "PM25_t_yr,PM10_t_yr,VOC_t_yr,NH3_t_yr\n";

// A regular lon-lat NetCDF emission file; `fields` are (name, units, values nlat*nlon).
struct NcField {
    std::string name, units;
    std::vector<double> values;
};
void write_area_nc(const std::string& path, const std::vector<double>& lon, const std::vector<double>& lat,
                   const std::vector<NcField>& fields, double fill = -1.0) {
    int nc = -1, dlon = -1, dlat = -1, vlon = -1, vlat = -1;
    REQUIRE(nc_create(path.c_str(), NC_NETCDF4 | NC_CLOBBER, &nc) == NC_NOERR);
    nc_def_dim(nc, "lat", lat.size(), &dlat);
    nc_def_dim(nc, "lon", lon.size(), &dlon);
    nc_def_var(nc, "lon", NC_DOUBLE, 1, &dlon, &vlon);
    nc_def_var(nc, "lat", NC_DOUBLE, 1, &dlat, &vlat);
    std::vector<int> vars;
    for (const auto& f : fields) {
        int dims[2] = {dlat, dlon}, v = -1;
        REQUIRE(nc_def_var(nc, f.name.c_str(), NC_DOUBLE, 2, dims, &v) == NC_NOERR);
        if (!f.units.empty()) nc_put_att_text(nc, v, "units", f.units.size(), f.units.c_str());
        if (fill >= 0) nc_def_var_fill(nc, v, 0, &fill);
        vars.push_back(v);
    }
    nc_enddef(nc);
    nc_put_var_double(nc, vlon, lon.data());
    nc_put_var_double(nc, vlat, lat.data());
    for (std::size_t k = 0; k < fields.size(); ++k) nc_put_var_double(nc, vars[k], fields[k].values.data());
    REQUIRE(nc_close(nc) == NC_NOERR);
}

void expect_error(const std::function<void()>& read, const std::string& expected) {
    try {
        read();
        FAIL("accepted malformed input; expected: " << expected);
    } catch (const ConfigError& e) {
        CHECK_THAT(e.what(), Catch::Contains(expected));
    }
}

}  // namespace

TEST_CASE("Point stacks are read with sector, stack parameters, grade and PM10 split into PM2.5 + coarse",
          "[unit][inventory]") {
    const std::string dir = test::scratch_dir("stacks");
    const std::string path = test::write_text_file(dir, "p.csv",
                                        "# comment line\n" + kPointHeader +
                                            "BS1,Baotou Steel sinter,steel,109.80,40.64,120,6.5,393,14,A,900,1500,,300,450,,\n"
                                            "PP1,power plant,power,110.1,40.5,240,7.5,323,18,,560,800,480,96,144,32,40\n");
    const auto stacks = read_point_stacks(path);
    REQUIRE(stacks.size() == 2);
    CHECK(stacks[0].sector == Sector::steel);
    CHECK(stacks[0].grade == 'A');
    CHECK(stacks[1].grade == 0);
    CHECK(stacks[0].stack.height_m == 120);
    CHECK(stacks[0].stack.exit_temp_k == 393);
    CHECK(stacks[0].annual_t[static_cast<int>(Pollutant::PM25)] == 300);
    CHECK(stacks[0].annual_t[static_cast<int>(Pollutant::PMC)] == 150);  // 450 − 300
    CHECK(stacks[0].annual_t[static_cast<int>(Pollutant::CO)] == 0);     // empty = 0
    CHECK(stacks[1].origin == path + ":4");
}

TEST_CASE("Road links take emission factors by vehicle class, with road-class rows winning over '*'",
          "[unit][inventory]") {
    const std::string dir = test::scratch_dir("roads");
    const std::string factors = test::write_text_file(dir, "f.csv",
                                           "vehicle_class,road_class,SO2_g_km,NOx_g_km,CO_g_km,PM25_g_km,PM10_g_km,VOC_g_km,NH3_g_km\n"
                                           "hdt,*,0.01,5,2,0.08,0.1,0.2,0.01\n"
                                           "hdt,highway,0.01,4,1.5,0.06,0.08,0.1,0.01\n"
                                           "ldg,*,0.002,0.06,1.2,0.003,0.005,0.1,0.02\n");
    const std::string links = test::write_text_file(dir, "r.csv",
                                         "id,name,road_class,path,vkt_hdt_km_day,vkt_ldg_km_day\n"
                                         "G6a,expressway,highway,110.0 40.6;110.1 40.6;110.2 40.65,100000,200000\n"
                                         "R1,ring road,arterial,109.8 40.6;109.9 40.6,50000,\n");
    const auto table = read_road_factors(factors);
    const auto roads = read_road_links(links, table);
    REQUIRE(roads.size() == 2);
    // t/yr = 365 × Σ vkt × EF / 1e6
    CHECK(roads[0].annual_t[static_cast<int>(Pollutant::NOx)] == Approx(365 * (100000 * 4.0 + 200000 * 0.06) / 1e6));
    CHECK(roads[1].annual_t[static_cast<int>(Pollutant::NOx)] == Approx(365 * 50000 * 5.0 / 1e6));
    CHECK(roads[0].annual_t[static_cast<int>(Pollutant::PMC)] == Approx(365 * (100000 * 0.02 + 200000 * 0.002) / 1e6));
    CHECK(roads[0].path.size() == 3);
    // 0.1° of longitude at 40.6°N on the 6370 km sphere ≈ 8.44 km
    CHECK(roads[1].length_m == Approx(6370000.0 * 0.1 * M_PI / 180 * std::cos(40.6 * M_PI / 180)).epsilon(1e-4));
}

TEST_CASE("Hourly profile fractions of a year sum to 1 for every sector, in common and leap years", "[unit][profiles]") {
    TemporalProfiles profiles = TemporalProfiles::builtin();
    for (int year : {2026, 2028}) {
        // The local (UTC+8) year starts 8 h before its UTC year.
        const long long first = static_cast<long long>(parse_iso_time_utc(std::to_string(year) + "-01-01T00:00:00") / 3600) - 8;
        const long long last = static_cast<long long>(parse_iso_time_utc(std::to_string(year + 1) + "-01-01T00:00:00") / 3600) - 8;
        CHECK(last - first == (year == 2028 ? 8784 : 8760));
        for (int s = 0; s < kInventorySectors; ++s) {
            double sum = 0;
            for (long long h = first; h < last; ++h) sum += profiles.hourly_fraction(s, h);
            INFO("sector " << sector_name(s) << " year " << year);
            CHECK(sum == Approx(1.0).epsilon(1e-12));  // round-off of 8760 additions
        }
    }
    // fraction() over an interval equals the sum of its hours, including partial hours.
    const double t0 = parse_iso_time_utc("2026-01-12T06:30:00"), t1 = parse_iso_time_utc("2026-01-12T09:15:00");
    const int traffic = static_cast<int>(Sector::traffic);
    const long long h6 = static_cast<long long>(t0 / 3600);
    const double expected = 0.5 * profiles.hourly_fraction(traffic, h6) + profiles.hourly_fraction(traffic, h6 + 1) +
                            profiles.hourly_fraction(traffic, h6 + 2) + 0.25 * profiles.hourly_fraction(traffic, h6 + 3);
    CHECK(profiles.fraction(traffic, t0, t1) == Approx(expected).epsilon(1e-14));
}

TEST_CASE("Profiles use local time: UTC+8 shifts the diurnal cycle by eight hours", "[unit][profiles]") {
    TemporalProfiles cst = TemporalProfiles::builtin();
    TemporalProfiles utc = TemporalProfiles::builtin();
    utc.set_utc_offset_h(0);
    const int traffic = static_cast<int>(Sector::traffic), residential = static_cast<int>(Sector::residential);
    const long long h = static_cast<long long>(parse_iso_time_utc("2026-01-14T00:00:00") / 3600);  // 08:00 CST
    // Same local hour (08:00 on Wednesday 14 January) → same raw factor; fractions differ only by the yearly norm.
    CHECK(cst.hourly_fraction(traffic, h) == Approx(utc.hourly_fraction(traffic, h + 8)).epsilon(1e-3));
    // Morning rush (08 local) above the small hours (03 local) for traffic; winter evening heating
    // (19 local) above the summer evening for residential.
    CHECK(cst.hourly_fraction(traffic, h) > cst.hourly_fraction(traffic, h - 5));
    const long long july = static_cast<long long>(parse_iso_time_utc("2026-07-14T11:00:00") / 3600);
    CHECK(cst.hourly_fraction(residential, h + 11) > 3 * cst.hourly_fraction(residential, july));
    CHECK(civil_from_days(0).iso_weekday == 4);                       // 1970-01-01: Thursday
    CHECK(civil_from_days(days_from_civil(2026, 1, 12)).iso_weekday == 1);  // 2026-01-12: Monday
    CHECK(civil_from_days(days_from_civil(2028, 2, 29)).day == 29);
}

TEST_CASE("Speciation maps pollutants to species, sector rows replacing the generic ones", "[unit][speciation]") {
    const Speciation sp = Speciation::builtin();
    const int dust = static_cast<int>(Sector::dust), power = static_cast<int>(Sector::power);
    const int pm25 = static_cast<int>(Pollutant::PM25), nox = static_cast<int>(Pollutant::NOx), voc = static_cast<int>(Pollutant::VOC);
    REQUIRE(sp.shares(power, pm25).size() == 1);
    CHECK(sp.shares(power, pm25)[0].species == "PM25");
    REQUIRE(sp.shares(dust, pm25).size() == 1);
    CHECK(sp.shares(dust, pm25)[0].species == "DUST");
    CHECK(sp.shares(power, nox)[0].species == "NO2");
    CHECK(sp.shares(power, voc).empty());
    const Speciation custom(parse_csv_text("sector,pollutant,species,fraction\n*,SO2,SO2,0.97\npower,SO2,SO2,0.98\n"
                                           "power,SO2,SO4,0.03\n", "custom.csv"));
    CHECK(custom.shares(power, 0).size() == 2);
    CHECK(custom.shares(static_cast<int>(Sector::steel), 0)[0].mass_fraction == 0.97);
}

TEST_CASE("Gridded area sectors are read from CF NetCDF with fill values as zero", "[unit][inventory]") {
    const std::string dir = test::scratch_dir("areanc");
    const std::vector<double> lon{109.625, 109.875, 110.125}, lat{40.875, 40.625};  // descending latitude is fine
    const double fill = 1e20;
    write_area_nc(dir + "/meic.nc", lon, lat,
                  {{"residential_SO2", "t yr-1", {10, 20, 30, 40, 50, fill}},
                   {"residential_PM25", "t yr-1", {1, 2, 3, 4, 5, 6}},
                   {"residential_PM10", "t/yr", {2, 2, 4, 4, 6, 6}},
                   {"industry_NOx", "t yr-1", {0, 0, 0, 0, 0, 7}}},
                  fill);
    const auto cells = read_area_netcdf(dir + "/meic.nc");
    REQUIRE(cells.size() == 7);  // 6 residential + 1 industry
    double so2 = 0, pmc = 0;
    for (const auto& c : cells) {
        so2 += c.annual_t[0];
        pmc += c.annual_t[static_cast<int>(Pollutant::PMC)];
        CHECK(c.lon1 - c.lon0 == Approx(0.25));
        CHECK(c.lat1 - c.lat0 == Approx(0.25));
    }
    CHECK(so2 == 150);                     // the fill value counts as no emission
    CHECK(pmc == Approx(1 + 0 + 1 + 0 + 1 + 0));
    CHECK(cells.back().sector == Sector::industry);
    CHECK(cells.back().lon0 == Approx(110.0));
    CHECK(cells.back().lat0 == Approx(40.5));
}

TEST_CASE("Malformed inventory files are rejected with file, line, column, value and reason", "[unit][inventory]") {
    const std::string dir = test::scratch_dir("badinv");
    const std::string ok = "P1,plant,power,110,40,200,6,323,18,A,100,100,100,10,20,1,1\n";
    struct Case {
        std::string text;
        std::string expect;
    };
    const std::vector<Case> cases = {
        {"id,name,sector,lon,lat,diameter_m,exit_temp_k,exit_velocity_m_s,grade,SO2_t_yr,NOx_t_yr,CO_t_yr,PM25_t_yr,PM10_t_yr,VOC_t_yr,NH3_t_yr\n",
         "p.csv:1: header: missing column 'stack_height_m'"},
        {kPointHeader + "P1,plant,power,110,40,abc,6,323,18,A,1,1,1,1,1,1,1\n", "p.csv:2: stack_height_m: abc: not a number"},
        {kPointHeader + "P1,plant,power,110,40,200,6,323,18,A,-5,1,1,1,1,1,1\n", "p.csv:2: SO2_t_yr: -5: must be >= 0"},
        {kPointHeader + "P1,plant,power,110,40,200,-2,323,18,A,1,1,1,1,1,1,1\n", "p.csv:2: diameter_m: -2: must be in (0, 30] m"},
        {kPointHeader + "P1,plant,power,110,40,-10,6,323,18,A,1,1,1,1,1,1,1\n", "p.csv:2: stack_height_m: -10: must be in [0, 600] m"},
        {kPointHeader + "P1,plant,power,110,40,200,6,50,18,A,1,1,1,1,1,1,1\n", "p.csv:2: exit_temp_k: 50: must be in [200, 2000] K"},
        {kPointHeader + "P1,plant,power,110,95,200,6,323,18,A,1,1,1,1,1,1,1\n", "p.csv:2: lat: 95: must be in [-90, 90]"},
        {kPointHeader + "P1,plant,power,400,40,200,6,323,18,A,1,1,1,1,1,1,1\n", "p.csv:2: lon: 400: must be in [-180, 360]"},
        {kPointHeader + ok + ok, "p.csv:3: id: P1: duplicate id (first on line 2)"},
        {kPointHeader + "P1,plant,cement,110,40,200,6,323,18,A,1,1,1,1,1,1,1\n", "p.csv:2: sector: cement: unknown sector (allowed: steel, power"},
        {kPointHeader + "P1,plant,power,110,40,200,6,323,18,D,1,1,1,1,1,1,1\n", "p.csv:2: grade: D: must be A, B, C or empty"},
        {kPointHeader + "P1,plant,power,110,40,200,6,323,18,A,1,1,1,10,5,1,1\n", "p.csv:2: PM10_t_yr: 5: PM10 must be >= PM2.5 (10)"},
        {kPointHeader + "P1,plant,power,110,40,200,6,323,18,A,1,1,1,1,1,1\n", "p.csv:2: expected 17 columns"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        const std::string path = test::write_text_file(dir, "p.csv", c.text);
        expect_error([&] { read_point_stacks(path); }, c.expect);
    }
    expect_error([&] { read_point_stacks(dir + "/absent.csv"); }, "absent.csv: cannot open file");

    // Roads and factors.
    const std::string fh = "vehicle_class,road_class,SO2_g_km,NOx_g_km,CO_g_km,PM25_g_km,PM10_g_km,VOC_g_km,NH3_g_km\n";
    const std::string factors = test::write_text_file(dir, "f.csv", fh + "hdt,*,0.01,5,2,0.08,0.1,0.2,0.01\n");
    const RoadFactorTable table = read_road_factors(factors);
    const std::vector<Case> road_cases = {
        {"id,name,road_class,path,vkt_hdt_km_day\nR1,r,highway,110.0 40.6,1000\n", "r.csv:2: path: 110.0 40.6: a road link needs at least 2 vertices"},
        {"id,name,road_class,path,vkt_hdt_km_day\nR1,r,highway,110.0 40.6;110.1,1000\n", "r.csv:2: path: 110.0 40.6;110.1: vertex '110.1' is not 'lon lat'"},
        {"id,name,road_class,path,vkt_hdt_km_day\nR1,r,highway,110.0 40.6;110.1 99,1000\n", "vertex '110.1 99' is outside"},
        {"id,name,road_class,path,vkt_bus_km_day\nR1,r,highway,110.0 40.6;110.1 40.6,1000\n", "vehicle class 'bus' has no emission factors"},
        {"id,name,road_class,path,vkt_hdt_km_day\nR1,r,highway,110.0 40.6;110.1 40.6,-1\n", "r.csv:2: vkt_hdt_km_day: -1: must be >= 0"},
        {"id,name,road_class,path\nR1,r,highway,110.0 40.6;110.1 40.6\n", "no vehicle-km columns"},
    };
    for (const auto& c : road_cases) {
        INFO(c.text);
        const std::string path = test::write_text_file(dir, "r.csv", c.text);
        expect_error([&] { read_road_links(path, table); }, c.expect);
    }
    const std::string gas_only = test::write_text_file(dir, "g.csv", fh + "hdt,highway,0.01,5,2,0.08,0.1,0.2,0.01\n");
    const std::string arterial = test::write_text_file(dir, "r.csv", "id,name,road_class,path,vkt_hdt_km_day\nR1,r,arterial,110 40.6;110.1 40.6,10\n");
    expect_error([&] { read_road_links(arterial, read_road_factors(gas_only)); }, "no emission factor for vehicle class hdt on road class arterial");

    // Area CSV.
    const std::string ah = "sector,lon,lat,dlon,dlat,SO2_t_yr,NOx_t_yr,CO_t_yr,PM25_t_yr,PM10_t_yr,VOC_t_yr,NH3_t_yr\n";
    expect_error([&] { read_area_csv(test::write_text_file(dir, "a.csv", ah + "residential,110,40,0,0.25,1,1,1,1,1,1,1\n")); },
                 "a.csv:2: dlon: 0: must be > 0");
    expect_error([&] { read_area_csv(test::write_text_file(dir, "a.csv", ah + "heating,110,40,0.25,0.25,1,1,1,1,1,1,1\n")); },
                 "a.csv:2: sector: heating: unknown sector");

    // Profiles that do not cover every hour, and other profile errors.
    std::string prof = "sector,profile,index,factor\n";
    for (const auto s : kSectorNames) {
        if (s == "fixed" || s == "biogenic" || s == "dust_windblown") continue;
        for (int m = 1; m <= 12; ++m) prof += std::string(s) + ",month," + std::to_string(m) + ",1\n";
        for (int d = 1; d <= 7; ++d) prof += std::string(s) + ",weekday," + std::to_string(d) + ",1\n";
        for (int h = 0; h < 24; ++h)
            if (!(s == "traffic" && h == 23)) prof += std::string(s) + ",hour," + std::to_string(h) + ",1\n";
    }
    expect_error([&] { TemporalProfiles(parse_csv_text(prof, "prof.csv")); }, "prof.csv: sector traffic: profile hour: missing index 23");
    expect_error([&] { TemporalProfiles(parse_csv_text(prof + "traffic,hour,24,1\n", "prof.csv")); },
                 "index: 24: must be a whole number in 0..23 for profile hour");
    expect_error([&] { TemporalProfiles(parse_csv_text(prof + "traffic,hour,5,1\n", "prof.csv")); }, "duplicate");
    expect_error([&] { TemporalProfiles(parse_csv_text(prof + "traffic,season,1,1\n", "prof.csv")); },
                 "profile: season: must be month, weekday or hour");
    expect_error([&] { TemporalProfiles(parse_csv_text(prof + "traffic,hour,23,-1\n", "prof.csv")); }, "factor: -1: must be >= 0");
    expect_error([&] { Speciation(parse_csv_text("sector,pollutant,species,fraction\n*,PM1,PM25,1\n", "sp.csv")); },
                 "sp.csv:2: pollutant: PM1: unknown inventory pollutant");
    expect_error([&] { Speciation(parse_csv_text("sector,pollutant,species,fraction\n*,SO2,SO 2,1\n", "sp.csv")); },
                 "sp.csv:2: species: SO 2: not a species name");

    // NetCDF area files.
    const std::vector<double> lon{110.0, 110.25}, lat{40.0, 40.25};
    write_area_nc(dir + "/u.nc", lon, lat, {{"residential_SO2", "kg m-2 s-1", {1, 1, 1, 1}}});
    expect_error([&] { read_area_netcdf(dir + "/u.nc"); }, "u.nc: variable 'residential_SO2': units 'kg m-2 s-1': must be t yr-1");
    write_area_nc(dir + "/n.nc", lon, lat, {{"residential_SO2", "t yr-1", {1, NAN, 1, 1}}});
    expect_error([&] { read_area_netcdf(dir + "/n.nc"); }, "n.nc: variable 'residential_SO2'[0, 1]: value is not finite");
    write_area_nc(dir + "/s.nc", lon, lat, {{"heating_SO2", "t yr-1", {1, 1, 1, 1}}});
    expect_error([&] { read_area_netcdf(dir + "/s.nc"); }, "s.nc: variable 'heating_SO2': a field on (lat, lon) must be named <sector>_<pollutant>");
    write_area_nc(dir + "/m.nc", lon, lat, {{"residential_SO2", "", {1, 1, 1, 1}}});
    expect_error([&] { read_area_netcdf(dir + "/m.nc"); }, "m.nc: variable 'residential_SO2': no units attribute");
    write_area_nc(dir + "/p.nc", lon, lat, {{"dust_PM25", "t yr-1", {1, 1, 1, 1}}, {"dust_PM10", "t yr-1", {1, 0.5, 1, 1}}});
    expect_error([&] { read_area_netcdf(dir + "/p.nc"); }, "p.nc: variable 'dust_PM10'[0, 1]: 0.5");
    write_area_nc(dir + "/i.nc", {110.0, 110.25, 110.6}, lat, {{"dust_PM10", "t yr-1", {1, 1, 1, 1, 1, 1}}});
    expect_error([&] { read_area_netcdf(dir + "/i.nc"); }, "i.nc: variable 'lon': spacing is not regular at index 2");
    test::write_text_file(dir, "text.nc", "this is not NetCDF\n");
    expect_error([&] { read_area_netcdf(dir + "/text.nc"); }, "text.nc: cannot open as NetCDF");
    // A truncated copy of a valid file.
    write_area_nc(dir + "/full.nc", lon, lat, {{"dust_PM10", "t yr-1", {1, 1, 1, 1}}});
    {
        std::ifstream in(dir + "/full.nc", std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream(dir + "/cut.nc", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    }
    expect_error([&] { read_area_netcdf(dir + "/cut.nc"); }, "cut.nc:");
}
