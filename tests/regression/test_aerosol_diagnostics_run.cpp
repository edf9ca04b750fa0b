// The aerosol diagnostics in a real photochemical run (issue 18): with output.aerosol_diagnostics
// the run's state carries aerosol_water and aerosol_ph, and the gridded file and the receptor
// series write what the state holds at each record — lowest layer, NAME_3d, the series (water
// sampled like the species, pH from the receptor's own cell) — with their units, CF names and fill
// values. The chemistry that will fill them is not here yet: a process defined in this file writes
// known values (different in every cell and record) the way it will. Tracers and the other outputs
// do not change.
#include <netcdf.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "config/config_parser.hpp"
#include "grid/grid.hpp"
#include "output/receptors.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {

// The hour of the step's end, rounded to whole seconds (records fall on step ends).
double hours_at_end(const StepContext& ctx, double start_epoch_s) {
    return static_cast<double>(std::lround(ctx.t_epoch_s + ctx.dt_s - start_epoch_s)) / 3600.0;
}

// Known values in every cell, as the chemistry will publish them: water (µg m-3) = c/2 + 1000 h and
// pH = 1 + i/8 + j/4 + k/2 + h (exact in float); no water and no pH (fill) in the first column i = 0.
float water_of(int i, int j, int k, int nx, int ny, double h) {
    const int c = (k * ny + j) * nx + i;
    return i == 0 ? 0.0f : static_cast<float>(0.5 * c + 1000.0 * h);
}
float ph_of(int i, int j, int k, double h) {
    return i == 0 ? kDiagnosticFill : static_cast<float>(1.0 + i / 8.0 + j / 4.0 + k / 2.0 + h);
}

class PublishDiagnostics final : public Process {
public:
    explicit PublishDiagnostics(double start_epoch_s) : start_epoch_s_(start_epoch_s) {}
    ProcessInfo info() const override { return {"test aerosol diagnostics", "", {}, {}, {}}; }

protected:
    void step_impl(StepContext& ctx) override {
        State& st = ctx.state;
        real* water = st.diagnostic(kAerosolWater);
        real* ph = st.diagnostic(kAerosolPh);
        if (!water || !ph) throw std::logic_error("the run has not requested the aerosol diagnostics");
        const double h = hours_at_end(ctx, start_epoch_s_);
        for (int k = 0; k < st.nz; ++k)
            for (int j = 0; j < st.ny; ++j)
                for (int i = 0; i < st.nx; ++i) {
                    const std::size_t c = (static_cast<std::size_t>(k) * st.ny + j) * st.nx + i;
                    water[c] = water_of(i, j, k, st.nx, st.ny, h);
                    ph[c] = ph_of(i, j, k, h);
                }
    }

private:
    double start_epoch_s_;
};

// The summer example on 8 × 6 × 6 cells for 2 h, with 3-D output and receptors `stations`.
Config tiny_summer(const std::string& file, bool diagnostics, const std::string& stations) {
    return load_config(std::string(LANTIAN_SOURCE_DIR) + "/configs/summer_baotou.ini",
                       {"grid.nx=8", "grid.ny=6", "grid.nz=6", "grid.center_lon=109.95", "grid.center_lat=40.62",
                        "run.hours=2", "receptors.stations=" + stations, "receptors.cities=Baotou:109.93:40.62:8",
                        "output.fields_3d=true", "output.file=" + file,
                        std::string("output.aerosol_diagnostics=") + (diagnostics ? "true" : "false")});
}

std::string text_attribute(int nc, int var, const char* name) {
    std::size_t len = 0;
    if (nc_inq_attlen(nc, var, name, &len) != NC_NOERR) return "<none>";
    std::string s(len, '\0');
    nc_get_att_text(nc, var, name, s.data());
    return s;
}

}  // namespace

TEST_CASE("A photochemical run writes the state's aerosol water and pH: gridded, 3-D and at the receptors",
          "[regression][diagnostics][output]") {
    const std::string dir = test::scratch_dir("aerosol_diagnostics_run");
    const std::string file = dir + "/summer.nc";
    const double start = parse_iso_time_utc("2026-07-08T00:00:00");
    // Stations: one inside the grid, one on the centre of cell (0, 2), whose particles hold no water.
    const Grid grid(tiny_summer(file, true, "").grid);
    const std::size_t west = 2 * static_cast<std::size_t>(grid.nx());
    char west_station[80];
    std::snprintf(west_station, sizeof west_station, "West:%.12f:%.12f", grid.lon()[west], grid.lat()[west]);
    const std::string stations = std::string("Kundulun:109.82:40.65 ") + west_station;
    int nx = 0, ny = 0, nz = 0;
    std::vector<double> lon, lat;
    std::vector<std::vector<double>> water_expected;  // per record, per receptor: sampled as the species are
    {
        Simulation sim(tiny_summer(file, true, stations));
        REQUIRE(sim.state().diagnostic(kAerosolWater) != nullptr);
        REQUIRE(sim.state().diagnostic(kAerosolPh) != nullptr);
        CHECK(sim.state().diagnostic(kAerosolPh)[0] == real(kDiagnosticFill));  // nothing until the chemistry runs
        sim.add_process(std::make_unique<PublishDiagnostics>(start));
        sim.run(true);
        nx = sim.grid().nx();
        ny = sim.grid().ny();
        nz = sim.grid().nz();
        lon = sim.grid().lon();
        lat = sim.grid().lat();
        const ReceptorSampler sampler(sim.grid(), parse_receptors(tiny_summer(file, true, stations).receptors));
        for (double h : {1.0, 2.0}) {
            std::vector<double> lowest;
            for (int j = 0; j < ny; ++j)
                for (int i = 0; i < nx; ++i) lowest.push_back(water_of(i, j, 0, nx, ny, h));
            water_expected.push_back(sampler.sample(lowest));
        }
    }
    const std::size_t plane = static_cast<std::size_t>(nx) * ny, cells = plane * nz;

    // Metadata.
    int nc = -1;
    REQUIRE(nc_open(file.c_str(), NC_NOWRITE, &nc) == NC_NOERR);
    for (const std::string name : {"aerosol_water", "aerosol_water_3d", "aerosol_ph", "aerosol_ph_3d"}) {
        CAPTURE(name);
        int var = -1, ndims = 0;
        REQUIRE(nc_inq_varid(nc, name.c_str(), &var) == NC_NOERR);
        nc_inq_varndims(nc, var, &ndims);
        CHECK(ndims == (name.find("_3d") != std::string::npos ? 4 : 3));
        const bool water = name.find("water") != std::string::npos;
        CHECK(text_attribute(nc, var, "units") == (water ? "ug m-3" : "1"));
        CHECK(text_attribute(nc, var, "standard_name") ==
              (water ? "mass_concentration_of_water_in_ambient_aerosol_particles_in_air" : "<none>"));
        CHECK(text_attribute(nc, var, "long_name").find(water ? "not part of PM2.5" : "pH of the aerosol water") != std::string::npos);
        float fill = 0, missing = 0;
        CHECK(nc_get_att_float(nc, var, "_FillValue", &fill) == NC_NOERR);
        CHECK(fill == NC_FILL_FLOAT);
        const int has_missing = nc_get_att_float(nc, var, "missing_value", &missing);
        if (water) {
            CHECK(has_missing == NC_ENOTATT);
        } else {
            CHECK(has_missing == NC_NOERR);
            CHECK(missing == NC_FILL_FLOAT);
        }
    }
    nc_close(nc);

    // Values: every record holds the state's fields at its time (h = 1, 2), every cell in place.
    const auto water2 = test::read_nc_floats(file, "aerosol_water");
    const auto water3 = test::read_nc_floats(file, "aerosol_water_3d");
    const auto ph2 = test::read_nc_floats(file, "aerosol_ph");
    const auto ph3 = test::read_nc_floats(file, "aerosol_ph_3d");
    REQUIRE(water2.size() == 2 * plane);
    REQUIRE(ph2.size() == 2 * plane);
    REQUIRE(water3.size() == 2 * cells);
    REQUIRE(ph3.size() == 2 * cells);
    int wrong = 0;
    for (int t = 0; t < 2; ++t)
        for (int k = 0; k < nz; ++k)
            for (int j = 0; j < ny; ++j)
                for (int i = 0; i < nx; ++i) {
                    const double h = t + 1;
                    const std::size_t c3 = t * cells + (static_cast<std::size_t>(k) * ny + j) * nx + i;
                    wrong += water3[c3] != water_of(i, j, k, nx, ny, h);
                    wrong += ph3[c3] != ph_of(i, j, k, h);
                    if (k > 0) continue;
                    const std::size_t c2 = t * plane + static_cast<std::size_t>(j) * nx + i;
                    wrong += water2[c2] != water_of(i, j, 0, nx, ny, h);
                    wrong += ph2[c2] != ph_of(i, j, 0, h);
                }
    CHECK(wrong == 0);

    // Receptor series (stations first, then the city): pH of the receptor's own cell — the cell
    // whose centre is nearest — never a mean, NaN where that cell has no water; water sampled as the
    // species are (bilinear at stations, the area mean over cities).
    const std::string series = dir + "/summer_receptors.nc";
    const auto ph_series = test::read_nc_floats(series, "aerosol_ph");
    const auto water_series = test::read_nc_floats(series, "aerosol_water");
    REQUIRE(ph_series.size() == 3 * 2);  // (station, time)
    REQUIRE(water_series.size() == 3 * 2);
    auto at = [](const std::vector<float>& v, int r, int t) { return v[static_cast<std::size_t>(r) * 2 + t]; };
    auto nearest = [&](double lo, double la) {
        std::size_t best = 0;
        double best_d = std::numeric_limits<double>::max();
        for (std::size_t c = 0; c < plane; ++c) {
            const double dx = (lon[c] - lo) * std::cos(la * M_PI / 180.0), dy = lat[c] - la;
            if (dx * dx + dy * dy < best_d) best_d = dx * dx + dy * dy, best = c;
        }
        return best;
    };
    const std::size_t station = nearest(109.82, 40.65), city = nearest(109.93, 40.62);
    REQUIRE(station % nx != 0);  // a cell with water
    REQUIRE(city % nx != 0);
    auto ph_at = [&](std::size_t c, double h) { return ph_of(static_cast<int>(c % nx), static_cast<int>(c / nx), 0, h); };
    for (int t = 0; t < 2; ++t) {
        const double h = t + 1;
        CAPTURE(t, station, city);
        CHECK(at(ph_series, 0, t) == ph_at(station, h));
        CHECK(std::isnan(at(ph_series, 1, t)));
        CHECK(at(ph_series, 2, t) == ph_at(city, h));
        for (int r = 0; r < 3; ++r) CHECK(at(water_series, r, t) == Approx(water_expected[t][r]).epsilon(1e-6));
        // The city's water is a mean over its cells, not its own cell's value.
        CHECK(at(water_series, 2, t) != Approx(water_of(static_cast<int>(city % nx), static_cast<int>(city / nx), 0, nx, ny, h)));
        CHECK(at(water_series, 1, t) == Approx(0).margin(1e-6));  // on the dry cell's centre
    }

    // Nothing else moves: the same run without the diagnostics writes the same O3 and PM2.5.
    const std::string plain = dir + "/plain.nc";
    {
        Simulation sim(tiny_summer(plain, false, stations));
        CHECK(sim.state().diagnostics.empty());
        sim.run(true);
    }
    CHECK(test::read_nc_floats(plain, "O3_3d") == test::read_nc_floats(file, "O3_3d"));
    CHECK(test::read_nc_floats(plain, "PM25_total") == test::read_nc_floats(file, "PM25_total"));
    int plain_nc = -1, var = -1;
    REQUIRE(nc_open(plain.c_str(), NC_NOWRITE, &plain_nc) == NC_NOERR);
    CHECK(nc_inq_varid(plain_nc, "aerosol_water", &var) == NC_ENOTVAR);
    CHECK(nc_inq_varid(plain_nc, "aerosol_ph", &var) == NC_ENOTVAR);
    nc_close(plain_nc);
}
