// The inflow of a nested domain from its parent's state file; see the header and docs/nesting.md.
#include "nesting/nest_boundary.hpp"

#include <netcdf.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "config/config.hpp"
#include "config/time_utils.hpp"
#include "output/io_thread.hpp"
#include "output/netcdf_reader.hpp"

namespace lantian {

namespace {

constexpr double kSameTimeS = 1.0;    // s: a record this close to the run's start or end covers it
constexpr double kTopSlackM = 1.0;    // m: a parent top this much below the inner top still counts

std::string fmt(double v, int precision = 4) {
    std::ostringstream o;
    o.precision(precision);
    o << v;
    return o.str();
}

}  // namespace

// The grid of a CF file without a grid mapping: regular 1-D longitude and latitude coordinates
// (degrees) and heights above ground (m) as layer bounds (z_bnds) or layer centres (z or height,
// faces halfway between them, the lowest at the ground).
SourceGrid read_cf_latlon_grid(const NcReader& nc) {
    auto fail = [&](const std::string& why) { throw ConfigError(nc.path() + ": " + why + " (nest.parent_file)"); };
    auto coordinate = [&](std::initializer_list<const char*> names, const char* what) {
        for (const char* n : names)
            if (const auto var = nc.find_var(n)) {
                int ndims = 0;
                nc.check(nc_inq_varndims(nc.id(), *var, &ndims), std::string("reading ") + n);
                if (ndims != 1) fail(std::string(n) + " is not a 1-D coordinate");
                return nc.doubles(*var, nc.size(*var));
            }
        fail(std::string("no crs variable and no ") + what +
             " coordinate: the grid is unknown (nesting reads a CF grid mapping with x and y, or 1-D lon and lat)");
        return std::vector<double>{};
    };
    SourceGrid g;
    g.kind = Projection::latlon;
    g.x = coordinate({"lon", "longitude"}, "lon/longitude");
    g.y = coordinate({"lat", "latitude"}, "lat/latitude");
    auto spacing = [&](const std::vector<double>& c, const char* axis) {
        if (c.size() < 2) fail(std::string("the ") + axis + " coordinate needs at least 2 values");
        const double d = (c.back() - c.front()) / static_cast<double>(c.size() - 1);
        if (!(d > 0)) fail(std::string("the ") + axis + " coordinate must increase");
        for (std::size_t n = 1; n < c.size(); ++n)
            if (std::fabs(c[n] - c[n - 1] - d) > 1e-6 * d) fail(std::string("the ") + axis + " coordinate is not evenly spaced");
        return d;
    };
    g.dx = spacing(g.x, "longitude");
    g.dy = spacing(g.y, "latitude");
    if (const auto bounds = nc.find_var("z_bnds")) {
        const std::size_t nz = nc.size(*bounds) / 2;
        const std::vector<double> b = nc.doubles(*bounds, nz * 2);
        for (std::size_t k = 0; k < nz; ++k) g.z_face_m.push_back(b[2 * k]);
        g.z_face_m.push_back(b[2 * nz - 1]);
    } else {
        const std::vector<double> zc = coordinate({"z", "height"}, "z/height");
        g.z_face_m.push_back(0.0);
        for (std::size_t k = 0; k < zc.size(); ++k) {
            if (!(zc[k] > g.z_face_m.back())) fail("the heights (z/height, m above ground) must increase from above 0");
            g.z_face_m.push_back(k + 1 < zc.size() ? 0.5 * (zc[k] + zc[k + 1]) : zc[k] + (zc[k] - g.z_face_m.back()));
        }
    }
    for (std::size_t k = 1; k < g.z_face_m.size(); ++k)
        if (!(g.z_face_m[k] > g.z_face_m[k - 1])) fail("the layers (z_bnds) must increase");
    return g;
}

NestBoundary::NestBoundary(const std::string& parent_file, const Grid& inner, const std::vector<std::string>& species,
                           const std::vector<std::string>& tracer_species, double start_epoch_s, double end_epoch_s,
                           int margin_cells)
    : file_(parent_file), inner_(inner), species_(species), margin_(margin_cells) {
    auto fail = [&](const std::string& why) { throw ConfigError(file_ + ": " + why + " (nest.parent_file)"); };
    const NcReader nc(file_, "cannot open the parent domain's state file (nest.parent_file)",
                      " (not a Lantian state file? The parent run writes it with output.state_file)");
    parent_ = nc.find_var("crs") ? read_source_grid(nc) : read_cf_latlon_grid(nc);
    parent_proj_.emplace(parent_.kind, parent_.center_lon, parent_.center_lat, parent_.truelat1, parent_.truelat2,
                         parent_.stand_lon);
    for (int k = 0; k < parent_.nz(); ++k) parent_zc_.push_back(0.5 * (parent_.z_face_m[k] + parent_.z_face_m[k + 1]));

    // Records covering the run.
    epochs_ = state_record_times(file_);
    if (epochs_.empty()) fail("the file holds no records");
    for (std::size_t n = 1; n < epochs_.size(); ++n)
        if (!(epochs_[n] > epochs_[n - 1])) fail("record times do not increase (record " + std::to_string(n + 1) + ")");
    if (epochs_.front() > start_epoch_s + kSameTimeS || epochs_.back() < end_epoch_s - kSameTimeS)
        fail("its records run from " + format_iso_time_utc(epochs_.front()) + " to " + format_iso_time_utc(epochs_.back()) +
             " UTC; this domain runs from " + format_iso_time_utc(start_epoch_s) + " to " + format_iso_time_utc(end_epoch_s) +
             " UTC and needs the parent's fields over all of it");
    for (std::size_t n = 1; n < epochs_.size(); ++n)
        if (epochs_[n] > start_epoch_s - 3600.0 && epochs_[n - 1] < end_epoch_s + 3600.0)
            spacing_h_ = std::max(spacing_h_, (epochs_[n] - epochs_[n - 1]) / 3600.0);

    // Every species of this run: NAME_3d (a Lantian state file) or NAME (any CF file), as a
    // concentration (needs the air density) or a mixing ratio.
    bool density_needed = false;
    for (const std::string& name : species_) {
        auto var = nc.find_var(name + "_3d");
        std::string var_name = name + "_3d";
        if (!var) {
            var = nc.find_var(name);
            var_name = name;
        }
        if (!var)
            fail("no " + name + "_3d or " + name + " variable: the parent does not carry " + name +
                 ", which this domain transports (the parent's species.names must include every species of the inner)");
        int ndims = 0;
        nc.check(nc_inq_varndims(nc.id(), *var, &ndims), "reading " + var_name);
        if (ndims != 4) fail(var_name + " has " + std::to_string(ndims) + " dimensions; nesting reads (time, z, y, x)");
        const std::string units = nc.text_att(*var, "units");
        // To µg m-3 (concentrations) or µg kg-1 (mixing ratios).
        static const std::array<std::pair<const char*, double>, 2> concentration{{{"ug m-3", 1.0}, {"mg m-3", 1e3}}};
        static const std::array<std::pair<const char*, double>, 4> mixing{
            {{"ug kg-1", 1.0}, {"mg kg-1", 1e3}, {"g kg-1", 1e6}, {"kg kg-1", 1e9}}};
        double scale = 0;
        bool ratio = false;
        for (const auto& [u, f] : concentration)
            if (units == u) scale = f;
        for (const auto& [u, f] : mixing)
            if (units == u) scale = f, ratio = true;
        if (scale == 0)
            fail(var_name + ": units '" + units + "'; nesting reads concentrations (ug m-3, mg m-3, with air_density_3d) "
                            "or mixing ratios (ug kg-1, mg kg-1, g kg-1, kg kg-1)");
        variable_.push_back(var_name);
        scale_.push_back(scale);
        is_ratio_.push_back(ratio);
        density_needed = density_needed || !ratio;
    }
    if (density_needed) {
        if (nc.find_var("air_density_3d"))
            density_variable_ = "air_density_3d";
        else if (nc.find_var("air_density"))
            density_variable_ = "air_density";
        else
            fail("no air_density_3d variable: the parent's concentrations cannot be turned into mixing ratios (a state "
                 "file written by Lantian before nesting existed? Rerun the parent; other files may give mixing ratios)");
        const int rho_var = nc.var(density_variable_);
        int ndims = 0;
        nc.check(nc_inq_varndims(nc.id(), rho_var, &ndims), "reading " + density_variable_);
        if (ndims != 4) fail(density_variable_ + " is not (time, z, y, x)");
    }
    for (const std::string& name : tracer_species) {
        const auto it = std::find(species_.begin(), species_.end(), name);
        tracer_to_species_.push_back(it == species_.end() ? -1 : static_cast<int>(it - species_.begin()));
    }

    // The inner top must lie within the parent.
    const double inner_top = inner.z_face().back(), parent_top = parent_.z_face_m.back();
    if (parent_top < inner_top - kTopSlackM)
        fail("the parent's top is at " + fmt(parent_top) + " m, below this domain's top at " + fmt(inner_top) +
             " m: the inflow above it is unknown (raise the parent's grid.top_m or lower this one's)");

    // The boundary points: ghost-cell centres outside each face, in every layer, and above the top.
    const int nx = inner.nx(), ny = inner.ny(), nz = inner.nz();
    const double x0 = inner.x().front(), y0 = inner.y().front(), dx = inner.dx(), dy = inner.dy();
    auto xi = [&](int i) { return x0 + i * dx; };
    auto yj = [&](int j) { return y0 + j * dy; };
    const double z_above = inner_top + 0.5 * inner.dz().back();
    offset_[0] = 0;
    for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j) points_.push_back(stencil_at(xi(-1), yj(j), inner.z_center()[k], "west"));
    offset_[1] = points_.size();
    for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j) points_.push_back(stencil_at(xi(nx), yj(j), inner.z_center()[k], "east"));
    offset_[2] = points_.size();
    for (int k = 0; k < nz; ++k)
        for (int i = 0; i < nx; ++i) points_.push_back(stencil_at(xi(i), yj(-1), inner.z_center()[k], "south"));
    offset_[3] = points_.size();
    for (int k = 0; k < nz; ++k)
        for (int i = 0; i < nx; ++i) points_.push_back(stencil_at(xi(i), yj(ny), inner.z_center()[k], "north"));
    offset_[4] = points_.size();
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) points_.push_back(stencil_at(xi(i), yj(j), z_above, "top"));
    now_.assign(species_.size(), std::vector<double>(points_.size(), 0.0));
}

NestBoundary::Stencil NestBoundary::stencil_at(double x_inner, double y_inner, double z_m, const char* where) const {
    const LonLat p = inner_.projection().inverse({x_inner, y_inner});
    const XY q = parent_proj_->forward(p);
    // Fractional parent indices of the point (cell centres at integers).
    const double fi = (q.x - parent_.x.front()) / parent_.dx, fj = (q.y - parent_.y.front()) / parent_.dy;
    const int pnx = parent_.nx(), pny = parent_.ny(), pnz = parent_.nz();
    constexpr double kOnTheLine = 1e-4;  // parent cells: round-off of projections and stored coordinates
    if (fi < margin_ - kOnTheLine || fi > pnx - 1 - margin_ + kOnTheLine || fj < margin_ - kOnTheLine ||
        fj > pny - 1 - margin_ + kOnTheLine) {
        std::ostringstream m;
        m << file_ << ": this domain is not wholly inside the parent with a margin of " << margin_
          << " parent cells (nest.margin_cells): its " << where << " boundary at " << fmt(p.lon_deg, 7) << "°E "
          << fmt(p.lat_deg, 7) << "°N falls at parent cell i = " << fmt(fi, 9) << ", j = " << fmt(fj, 9) << "; the parent has "
          << pnx << " × " << pny << " cells, so i must lie in [" << margin_ << ", " << pnx - 1 - margin_ << "] and j in ["
          << margin_ << ", " << pny - 1 - margin_ << "] (nest.parent_file)";
        throw ConfigError(m.str());
    }
    const int i0 = std::clamp(static_cast<int>(std::floor(fi)), 0, pnx - 2), j0 = std::clamp(static_cast<int>(std::floor(fj)), 0, pny - 2);
    const double a = std::clamp(fi - i0, 0.0, 1.0), b = std::clamp(fj - j0, 0.0, 1.0);
    // Height: between the two parent layer centres around z (constant outside the centres).
    const std::vector<double>& zc = parent_zc_;
    int k0 = 0, k1 = 0;
    double c = 0;
    if (z_m <= zc.front()) {
        k0 = k1 = 0;
    } else if (z_m >= zc.back()) {
        k0 = k1 = pnz - 1;
    } else {
        k1 = static_cast<int>(std::upper_bound(zc.begin(), zc.end(), z_m) - zc.begin());
        k0 = k1 - 1;
        c = (z_m - zc[k0]) / (zc[k1] - zc[k0]);
    }
    Stencil s;
    const std::size_t plane = static_cast<std::size_t>(pnx) * pny;
    const double wh[4] = {(1 - a) * (1 - b), a * (1 - b), (1 - a) * b, a * b};
    const std::size_t col[4] = {static_cast<std::size_t>(j0) * pnx + i0, static_cast<std::size_t>(j0) * pnx + i0 + 1,
                                static_cast<std::size_t>(j0 + 1) * pnx + i0, static_cast<std::size_t>(j0 + 1) * pnx + i0 + 1};
    for (int h = 0; h < 4; ++h) {
        s.cell[h] = static_cast<std::size_t>(k0) * plane + col[h];
        s.weight[h] = wh[h] * (1 - c);
        s.cell[4 + h] = static_cast<std::size_t>(k1) * plane + col[h];
        s.weight[4 + h] = wh[h] * c;
    }
    return s;
}

NestBoundary::~NestBoundary() {
    if (!reader_) return;
    try {
        io_thread().run_sync([&] { reader_.reset(); });
    } catch (...) {
        // A destructor must not throw (closing a file opened read-only).
    }
}

std::vector<std::vector<double>> NestBoundary::parent_q(std::size_t n) const {
    return io_thread().run_sync([&] { return read_parent_q(n); });
}

std::vector<std::vector<double>> NestBoundary::read_parent_q(std::size_t n) const {
    const std::size_t pnx = parent_.x.size(), pny = parent_.y.size(), pnz = static_cast<std::size_t>(parent_.nz());
    if (!reader_) {
        reader_ = std::make_unique<NcReader>(file_, "cannot open the parent domain's state file (nest.parent_file)");
        // A chunk cache of one record per variable read (the library's default holds many MB per
        // variable, kept while the file stays open: 200 MB for the demonstration's parent).
        const std::size_t record_bytes = pnx * pny * pnz * sizeof(float) + 4096;
        std::vector<std::string> names = variable_;
        if (!density_variable_.empty()) names.push_back(density_variable_);
        for (const auto& name : names)
            reader_->check(nc_set_var_chunk_cache(reader_->id(), reader_->var(name), record_bytes, 1009, 0.75f),
                           "setting the chunk cache of " + name);
    }
    const NcReader& nc = *reader_;
    const std::array<std::size_t, 4> start{n, 0, 0, 0}, count{1, pnz, pny, pnx};
    const std::size_t plane = pnx * pny, cells = pnz * plane;
    std::vector<double> rho;
    if (!density_variable_.empty()) {
        rho.resize(cells);
        nc.check(nc_get_vara_double(nc.id(), nc.var(density_variable_), start.data(), count.data(), rho.data()),
                 "reading " + density_variable_);
    }
    auto bad = [&](const std::string& name, double value, std::size_t m, const char* why) {
        std::ostringstream o;
        o << file_ << ": " << name << " at " << format_iso_time_utc(epochs_[n]) << ": value " << value << " at i=" << m % pnx
          << " j=" << (m / pnx) % pny << " k=" << m / plane << " is " << why << " (nest.parent_file)";
        throw ConfigError(o.str());
    };
    for (std::size_t m = 0; m < rho.size(); ++m)
        if (!std::isfinite(rho[m]) || !(rho[m] > 0) || rho[m] >= 0.5 * NC_FILL_FLOAT)
            bad(density_variable_, rho[m], m, "not a positive density");
    std::vector<std::vector<double>> q(species_.size(), std::vector<double>(cells));
    for (std::size_t s = 0; s < species_.size(); ++s) {
        std::vector<double>& c = q[s];
        const std::string& name = variable_[s];
        nc.check(nc_get_vara_double(nc.id(), nc.var(name), start.data(), count.data(), c.data()), "reading " + name);
        for (std::size_t m = 0; m < cells; ++m) {
            if (!std::isfinite(c[m]) || c[m] < 0 || c[m] >= 0.5 * NC_FILL_FLOAT)
                bad(name, c[m], m, "negative or not finite (or the fill value)");
            c[m] = is_ratio_[s] ? c[m] * scale_[s] : c[m] * scale_[s] / rho[m];  // q = c / ρ (µg kg-1)
        }
    }
    return q;
}

const std::vector<std::vector<double>>& NestBoundary::record_values(std::size_t n, std::size_t keep) const {
    for (int h = 0; h < 2; ++h)
        if (cached_index_[h] == n) return cached_[h];
    // The slot not holding `keep`.
    const std::size_t slot = cached_index_[0] == keep ? 1 : 0;
    auto& values = cached_[slot];
    values.assign(species_.size(), std::vector<double>(points_.size(), 0.0));
    const std::vector<std::vector<double>> all = parent_q(n);
    for (std::size_t s = 0; s < species_.size(); ++s) {
        const std::vector<double>& q = all[s];
        for (std::size_t p = 0; p < points_.size(); ++p) {
            double sum = 0;
            for (int h = 0; h < 8; ++h) sum += points_[p].weight[h] * q[points_[p].cell[h]];
            values[s][p] = sum;
        }
    }
    cached_index_[slot] = n;
    return values;
}

NestBoundary::Bracket NestBoundary::bracket(double t_epoch_s) const {
    // t is within the covered span (checked at construction); clamp at its ends.
    if (epochs_.size() == 1) return {0, 0, 0.0};
    const auto after = std::upper_bound(epochs_.begin(), epochs_.end(), t_epoch_s);
    const std::size_t n1 = std::clamp<std::size_t>(static_cast<std::size_t>(after - epochs_.begin()), 1, epochs_.size() - 1);
    const std::size_t n0 = n1 - 1;
    return {n0, n1, std::clamp((t_epoch_s - epochs_[n0]) / (epochs_[n1] - epochs_[n0]), 0.0, 1.0)};
}

void NestBoundary::prepare(double t_epoch_s) {
    const auto [n0, n1, w] = bracket(t_epoch_s);
    // The cache holds two records: loading n1 keeps n0.
    const auto& v0 = record_values(n0, n1);
    const auto& v1 = record_values(n1, n0);
    for (std::size_t s = 0; s < species_.size(); ++s)
        for (std::size_t p = 0; p < points_.size(); ++p) now_[s][p] = (1 - w) * v0[s][p] + w * v1[s][p];
}

double NestBoundary::q(Edge4 edge, int tracer, int along, int k) const {
    const int s = tracer < static_cast<int>(tracer_to_species_.size()) ? tracer_to_species_[static_cast<std::size_t>(tracer)] : -1;
    if (s < 0) return 0.0;
    const int e = static_cast<int>(edge);
    const std::size_t per_layer = edge == Edge4::west || edge == Edge4::east ? static_cast<std::size_t>(inner_.ny())
                                                                            : static_cast<std::size_t>(inner_.nx());
    const std::size_t index = edge == Edge4::top ? offset_[4] + static_cast<std::size_t>(along)
                                                 : offset_[e] + static_cast<std::size_t>(k) * per_layer + static_cast<std::size_t>(along);
    return now_[static_cast<std::size_t>(s)][index];
}

std::vector<std::vector<double>> NestBoundary::interior(double t_epoch_s) const {
    const auto [n0, n1, w] = bracket(t_epoch_s);
    const int nx = inner_.nx(), ny = inner_.ny(), nz = inner_.nz();
    std::vector<Stencil> cells;
    cells.reserve(inner_.cells());
    for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j)
            for (int i = 0; i < nx; ++i) cells.push_back(stencil_at(inner_.x()[i], inner_.y()[j], inner_.z_center()[k], "interior"));
    std::vector<std::vector<double>> out(species_.size(), std::vector<double>(inner_.cells(), 0.0));
    const std::vector<std::vector<double>> all0 = parent_q(n0);
    const std::vector<std::vector<double>> all1 = n1 == n0 ? all0 : parent_q(n1);
    for (std::size_t s = 0; s < species_.size(); ++s) {
        const std::vector<double>& q0 = all0[s];
        const std::vector<double>& q1 = all1[s];
        for (std::size_t m = 0; m < cells.size(); ++m) {
            double a = 0, b = 0;
            for (int h = 0; h < 8; ++h) {
                a += cells[m].weight[h] * q0[cells[m].cell[h]];
                b += cells[m].weight[h] * q1[cells[m].cell[h]];
            }
            out[s][m] = (1 - w) * a + w * b;
        }
    }
    return out;
}

void NestBoundary::check_wrf_child(const std::string& wrf_file) const {
    const NcReader nc(wrf_file, "cannot open the WRF file");
    auto integer = [&](const char* name, int fallback) {
        int value = fallback;
        std::size_t len = 0;
        if (nc_inq_attlen(nc.id(), NC_GLOBAL, name, &len) == NC_NOERR && len == 1)
            nc.check(nc_get_att_int(nc.id(), NC_GLOBAL, name, &value), std::string("reading the attribute ") + name);
        return value;
    };
    const int grid_id = integer("GRID_ID", 1), ratio = integer("PARENT_GRID_RATIO", 1);
    if (grid_id <= 1) return;  // a WRF d01: not a child domain
    constexpr double kTolerance = 0.02;  // parent cells
    const double want_dx = inner_.dx() * ratio;
    if (parent_.kind == Projection::latlon || std::fabs(want_dx / parent_.dx - 1.0) > 1e-3) {
        std::ostringstream m;
        m << wrf_file << ": GRID_ID = " << grid_id << " with DX = " << inner_.dx() << " m and PARENT_GRID_RATIO = " << ratio
          << " sits on a parent of " << want_dx << " m cells, but the parent " << file_ << " has "
          << (parent_.kind == Projection::latlon ? std::string("a latitude-longitude grid") : fmt(parent_.dx, 8) + " m cells")
          << " (nest.parent_file: the state of the run driven by this nest's parent wrfout)";
        throw ConfigError(m.str());
    }
    // The south-west corner of the domain, in parent cells from the parent's own south-west corner.
    const XY corner = parent_proj_->forward(inner_.projection().inverse({inner_.x().front() - 0.5 * inner_.dx(),
                                                                         inner_.y().front() - 0.5 * inner_.dy()}));
    const double ci = (corner.x - (parent_.x.front() - 0.5 * parent_.dx)) / parent_.dx;
    const double cj = (corner.y - (parent_.y.front() - 0.5 * parent_.dy)) / parent_.dy;
    if (std::fabs(ci - std::round(ci)) > kTolerance || std::fabs(cj - std::round(cj)) > kTolerance) {
        std::ostringstream m;
        m << wrf_file << ": GRID_ID = " << grid_id << ": the domain's south-west corner falls at parent cell face i = "
          << fmt(ci, 6) << ", j = " << fmt(cj, 6) << " of " << file_
          << "; a WRF nest's cells sit on its parent's faces (whole numbers): this wrfout is not a child of the "
             "grid the parent run used (nest.parent_file)";
        throw ConfigError(m.str());
    }
}

std::string NestBoundary::summary() const {
    std::ostringstream o;
    o << "nested in " << file_ << " (" << parent_.nx() << " × " << parent_.ny() << " × " << parent_.nz() << " parent cells, "
      << epochs_.size() << " records, every " << fmt(spacing_h_) << " h; margin " << margin_ << " cells)";
    return o.str();
}

}  // namespace lantian
