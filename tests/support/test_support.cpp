// Test helpers; see the header.
#include "support/test_support.hpp"

#include <netcdf.h>
#include <omp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "simulation/simulation.hpp"
#include <stdexcept>

#include "flux_kernels.hpp"

namespace lantian::test {

GridConfig cartesian(int nx, int ny, double dx_m, std::vector<double> faces_m) {
    GridConfig g;
    g.projection = Projection::cartesian;
    g.nx = nx;
    g.ny = ny;
    g.dx_m = dx_m;
    g.center_lon = 110.0;
    g.center_lat = 40.0;
    g.layer_faces_m = std::move(faces_m);
    return g;
}

double cell_x(const Grid& g, int i) { return (i - 0.5 * (g.nx() - 1)) * g.dx(); }
double cell_y(const Grid& g, int j) { return (j - 0.5 * (g.ny() - 1)) * g.dy(); }

MetState hand_made_met(const Grid& g, double rho, const WindField& wind, double kz) {
    MetState m;
    m.resize(g);
    const int nx = g.nx(), ny = g.ny(), nz = g.nz();
    for (auto& v : m.rho_kg_m3) v = rho;
    for (auto& v : m.temperature_k) v = 270.0;
    for (int k = 0; k < nz; ++k) {
        const double z = g.z_center()[k];
        for (int j = 0; j < ny; ++j)
            for (int f = 0; f <= nx; ++f)
                m.u_face_x_m_s[(static_cast<std::size_t>(k) * ny + j) * (nx + 1) + f] =
                    wind(cell_x(g, f) - 0.5 * g.dx(), cell_y(g, j), z).u;
        for (int f = 0; f <= ny; ++f)
            for (int i = 0; i < nx; ++i)
                m.v_face_y_m_s[(static_cast<std::size_t>(k) * (ny + 1) + f) * nx + i] =
                    wind(cell_x(g, i), cell_y(g, f) - 0.5 * g.dy(), z).v;
    }
    for (int k = 1; k < nz; ++k)
        for (std::size_t c = 0; c < g.columns(); ++c) m.kz_face_z_m2_s[k * g.columns() + c] = kz;
    for (auto& v : m.mo_length_m) v = 1e8;
    for (auto& v : m.pblh_m) v = 1000.0;
    return m;
}

Harness::Harness(const GridConfig& g, int nspec)
    : grid(g), state(grid.nx(), grid.ny(), grid.nz(), nspec), ledger(std::vector<std::string>(nspec, "tracer")) {}

void Harness::set_air_mass(const MetState& met) {
    kernels::air_mass_from_density(grid_views(grid, false), met.rho_kg_m3.data(), state.air_mass_kg.data());
    state.air_mass_rev = 0;  // (new values: no process may take them for the ones it left)
}

void Harness::step(const MetState& met, double dt_s) { step(met, met, dt_s); }

void Harness::step(const MetState& mid, const MetState& end, double dt_s) {
    StepContext ctx{grid, mid, end, dt_s, step_index, state, ledger};
    ctx.t_epoch_s = t_epoch_s;
    for (auto& p : processes) p->step(ctx);
    ++step_index;
    t_epoch_s += dt_s;
}

std::string scratch_dir(const std::string& tag) {
    static std::atomic<int> counter{0};
    const auto dir = std::filesystem::temp_directory_path() /
                     ("lantian_test_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

std::string write_text_file(const std::string& dir, const std::string& name, const std::string& text) {
    const std::string path = dir + "/" + name;
    std::ofstream(path) << text;
    return path;
}

int run_command(const std::string& command, std::string& output) {
    output.clear();
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return -1;
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), buf.size(), pipe)) output += buf.data();
    const int status = ::pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::map<std::string, std::string>> csv_rows(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot open");
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) cells.push_back(cell);
        if (line.back() == ',') cells.emplace_back();
        if (header.empty()) {
            header = cells;
            continue;
        }
        std::map<std::string, std::string> row;
        for (std::size_t c = 0; c < header.size() && c < cells.size(); ++c) row[header[c]] = cells[c];
        rows.push_back(row);
    }
    return rows;
}

std::vector<float> read_nc_floats(const std::string& path, const std::string& name) {
    int nc = -1, var = -1, ndims = 0;
    if (nc_open(path.c_str(), NC_NOWRITE, &nc) != NC_NOERR) throw std::runtime_error(path + ": cannot open");
    std::vector<float> values;
    int status = nc_inq_varid(nc, name.c_str(), &var);
    if (status == NC_NOERR) status = nc_inq_varndims(nc, var, &ndims);
    if (status == NC_NOERR) {
        std::vector<int> dims(static_cast<std::size_t>(ndims));
        nc_inq_vardimid(nc, var, dims.data());
        std::size_t total = 1;
        for (int d : dims) {
            std::size_t len = 0;
            nc_inq_dimlen(nc, d, &len);
            total *= len;
        }
        values.resize(total);
        status = nc_get_var_float(nc, var, values.data());
    }
    nc_close(nc);
    if (status != NC_NOERR) throw std::runtime_error(path + ": variable " + name + ": " + nc_strerror(status));
    return values;
}

std::vector<real> final_tracers_with_threads(const Config& cfg, int threads) {
    const int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
    Simulation sim(cfg);
    sim.run(false);
    omp_set_num_threads(saved);
    return {sim.state().q.begin(), sim.state().q.end()};
}

}  // namespace lantian::test
