// WRF output → MetState. Reading with netCDF-C; heights from the geopotential PH + PHB; the air
// mass of each WRF level from the dry hydrostatic column mass (MU + MUB) × Δη / g × (1 + q_v), as
// WRF itself defines it; Lantian's layers take WRF's mass by height overlap (so each column keeps
// WRF's air mass exactly), and winds stay on WRF's C-grid faces, remapped with the same mass weights
// (so the horizontal mass flux through a face is WRF's). Records are read and remapped on the I/O
// thread (output/io_thread.hpp), the next one ahead while the run steps; the files stay open there.
#include "met/wrf_met.hpp"

#include <glob.h>
#include <netcdf.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <future>
#include <map>
#include <optional>
#include <tuple>
#include <sstream>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "grid/grid.hpp"
#include "grid/projection.hpp"
#include "met/boundary_layer.hpp"
#include "met/land_surface.hpp"
#include "met/plausibility.hpp"
#include "output/io_thread.hpp"
#include "output/netcdf_reader.hpp"
#include "met_kernels.hpp"
#include "physical_constants.hpp"

namespace lantian {

namespace {

constexpr double kNeutralL = 1.0e8;          // m, L used for a vanishing heat flux (neutral)
constexpr double kMinUstar = 1e-3;           // m s-1, floor of u* (calm nights)
constexpr double kGridFitTolerance = 0.05;   // of DX: XLAT/XLONG must sit on the implied grid
constexpr double kMapFactorTolerance = 1e-3; // relative, MAPFAC_M against the projection
constexpr double kSameTimeS = 1e-3;          // s

// Variables every file must have, and what they give.
constexpr const char* kRequired[] = {"Times", "U",   "V",   "PH",   "PHB",      "T",        "P",        "PB",
                                     "QVAPOR", "MU", "MUB", "ZNW",  "PBLH",     "UST",      "HFX",      "RAINC",
                                     "RAINNC", "U10", "V10", "T2",  "HGT",      "MAPFAC_M", "MAPFAC_U", "MAPFAC_V",
                                     "XLAT",   "XLONG"};

// Lantian's projection of a supported WRF MAP_PROJ (1, 2, 3; shape_of refuses the others).
Projection projection_of_map_proj(int p) {
    return p == 2 ? Projection::polar : p == 3 ? Projection::mercator : Projection::lambert;
}

std::string map_proj_name(int p) {
    switch (p) {
    case 1: return "Lambert conformal";
    case 2: return "polar stereographic";
    case 3: return "Mercator";
    case 6: return "latitude-longitude (cylindrical equidistant)";
    default: return "unknown";
    }
}

// One open wrfout file; every failure is a ConfigError naming the file.
class WrfFile {
public:
    explicit WrfFile(std::string path)
        : nc_(std::move(path), "cannot read as NetCDF (is it a complete wrfout file?)",
              " (Lantian needs it from every wrfout file)") {}

    // A netCDF-4 file kept open: each variable's chunk cache holds one time record (the library's
    // default keeps up to 64 MiB of chunks per variable while the file is open, so memory would
    // grow with the records read). Classic files have no chunk cache.
    void limit_chunk_cache() const {
        int format = 0, nvars = 0, time_dim = -1;
        check(nc_inq_format(nc_.id(), &format), "inquiring the format");
        if (format != NC_FORMAT_NETCDF4 && format != NC_FORMAT_NETCDF4_CLASSIC) return;
        check(nc_inq_nvars(nc_.id(), &nvars), "inquiring the variables");
        if (nc_inq_dimid(nc_.id(), "Time", &time_dim) != NC_NOERR) time_dim = -1;
        for (int v = 0; v < nvars; ++v) {
            int ndims = 0;
            check(nc_inq_varndims(nc_.id(), v, &ndims), "inquiring a variable");
            std::vector<int> dims(static_cast<std::size_t>(ndims));
            check(nc_inq_vardimid(nc_.id(), v, dims.data()), "inquiring a variable");
            std::size_t bytes = sizeof(double);
            for (int d : dims) {
                std::size_t len = 0;
                check(nc_inq_dimlen(nc_.id(), d, &len), "inquiring a dimension");
                if (d != time_dim) bytes *= std::max<std::size_t>(len, 1);
            }
            check(nc_set_var_chunk_cache(nc_.id(), v, bytes + 4096, 1009, 0.75f), "setting a chunk cache");
        }
    }

    const std::string& path() const { return nc_.path(); }
    int var(const std::string& name) const { return nc_.var(name); }
    bool has(const std::string& name) const { return nc_.find_var(name).has_value(); }
    std::string text_att(const std::string& name) const { return nc_.text_att(NC_GLOBAL, name); }
    std::size_t dim(const std::string& name) const { return nc_.dim(name); }
    double att(const std::string& name) const {
        double v = 0;
        if (nc_get_att_double(nc_.id(), NC_GLOBAL, name.c_str(), &v) != NC_NOERR)
            throw ConfigError(nc_.path() + ": global attribute " + name + " is missing (not a wrfout file?)");
        if (!std::isfinite(v)) throw ConfigError(nc_.path() + ": global attribute " + name + " is " + std::to_string(v) + " (not finite)");
        return v;
    }
    // Times as seconds since 1970 UTC.
    std::vector<double> times() const {
        const int v = var("Times");
        const std::size_t nt = dim("Time");
        int ndims = 0, time_dim = -1;
        check(nc_inq_varndims(nc_.id(), v, &ndims), "inquiring Times");
        check(nc_inq_dimid(nc_.id(), "Time", &time_dim), "inquiring Time");
        int dims[2] = {-1, -1};
        if (ndims == 2) check(nc_inq_vardimid(nc_.id(), v, dims), "inquiring Times");
        if (ndims != 2 || dims[0] != time_dim)
            throw ConfigError(nc_.path() + ": variable Times must be (Time, DateStrLen) text, one stamp per record");
        std::size_t len = 0;
        check(nc_inq_dimlen(nc_.id(), dims[1], &len), "inquiring Times");
        std::string text(nt * len, '\0');
        check(nc_get_var_text(nc_.id(), v, text.data()), "reading Times");
        std::vector<double> out;
        for (std::size_t t = 0; t < nt; ++t) {
            std::string stamp = text.substr(t * len, std::min<std::size_t>(len, 19));
            if (stamp.size() > 10 && stamp[10] == '_') stamp[10] = 'T';
            double s = 0;
            std::string reason;
            if (!try_parse_iso_time_utc(stamp, s, reason))
                throw ConfigError(nc_.path() + ": Times[" + std::to_string(t) + "] = '" + stamp + "': " + reason);
            out.push_back(s);
        }
        return out;
    }
    // A hyperslab as floats, checked for NaN/Inf (the message names variable, time and index) and,
    // when `plausible` names a quantity, against its plausible range (met/plausibility.hpp).
    // start/count lead with the time record; a variable stored without a Time dimension (static
    // fields such as HGT or XLAT in some files) is read without it.
    std::vector<float> read(const std::string& name, std::vector<std::size_t> start, std::vector<std::size_t> count,
                            const std::string& when, std::optional<Quantity> plausible = std::nullopt) const {
        const int v = var(name);
        drop_missing_time(name, start, count);
        std::size_t n = 1;
        for (std::size_t c : count) n *= c;
        std::vector<float> out(n);
        check(nc_get_vara_float(nc_.id(), v, start.data(), count.data(), out.data()), "reading " + name);
        for (std::size_t k = 0; k < n; ++k) {
            if (std::isfinite(out[k])) continue;
            // Index within the slab, outermost first, plus the slab's start.
            std::vector<std::size_t> idx(count.size());
            std::size_t rest = k;
            for (std::size_t d = count.size(); d-- > 0;) {
                idx[d] = start[d] + rest % count[d];
                rest /= count[d];
            }
            std::ostringstream m;
            m << nc_.path() << ": variable " << name << " " << when << ": value at [";
            for (std::size_t d = 0; d < idx.size(); ++d) m << (d ? ", " : "") << idx[d];
            m << "] is " << out[k] << " (not finite)";
            throw ConfigError(m.str());
        }
        if (plausible) {
            const std::size_t k = first_implausible(*plausible, n, [&](std::size_t q) { return out[q]; });
            if (k < n) implausible("variable " + name, name, start, count, k, when, *plausible, out[k]);
        }
        return out;
    }

    // Throws the ConfigError for an implausible value: element k of the slab start/count of the
    // variable `layout` (whose dimensions name the index), `what` said of it (a variable, a sum).
    [[noreturn]] void implausible(const std::string& what, const std::string& layout, std::vector<std::size_t> start,
                                  std::vector<std::size_t> count, std::size_t k, const std::string& when, Quantity q,
                                  double value) const {
        drop_missing_time(layout, start, count);
        const std::vector<std::string> names = dim_names(layout);
        std::ostringstream m;
        m << nc_.path() << ": " << what << " " << when << ": value at [";
        std::size_t rest = k;
        std::vector<std::size_t> idx(count.size());
        for (std::size_t d = count.size(); d-- > 0;) {
            idx[d] = start[d] + rest % count[d];
            rest /= count[d];
        }
        for (std::size_t d = 0; d < idx.size(); ++d) m << (d ? ", " : "") << names[d] << " " << idx[d];
        m << "] is " << implausible_reason(q, value);
        throw ConfigError(m.str());
    }

    // Checks a + b (times scale) element by element against q (P + PB, PH + PHB, MU + MUB).
    void check_sum(const std::string& a_name, const std::vector<float>& a, const std::string& b_name,
                   const std::vector<float>& b, const std::vector<std::size_t>& start, const std::vector<std::size_t>& count,
                   const std::string& when, Quantity q, double scale = 1.0, const std::string& label = "") const {
        auto value = [&](std::size_t k) { return (static_cast<double>(a[k]) + b[k]) * scale; };
        const std::size_t k = first_implausible(q, a.size(), value);
        if (k < a.size())
            implausible(label.empty() ? a_name + " + " + b_name : label, a_name, start, count, k, when, q, value(k));
    }

private:
    void check(int status, const std::string& what) const { nc_.check(status, what); }
    // Drops the leading time record of start/count when the variable has no Time dimension.
    void drop_missing_time(const std::string& name, std::vector<std::size_t>& start, std::vector<std::size_t>& count) const {
        const int v = var(name);
        int ndims = 0;
        check(nc_inq_varndims(nc_.id(), v, &ndims), "inquiring " + name);
        if (static_cast<std::size_t>(ndims) + 1 == start.size()) {
            start.erase(start.begin());
            count.erase(count.begin());
        } else if (static_cast<std::size_t>(ndims) != start.size()) {
            throw ConfigError(nc_.path() + ": variable " + name + " has " + std::to_string(ndims) + " dimensions, expected " +
                              std::to_string(start.size()));
        }
    }
    std::vector<std::string> dim_names(const std::string& name) const {
        const int v = var(name);
        int ndims = 0;
        check(nc_inq_varndims(nc_.id(), v, &ndims), "inquiring " + name);
        std::vector<int> ids(static_cast<std::size_t>(ndims));
        check(nc_inq_vardimid(nc_.id(), v, ids.data()), "inquiring " + name);
        std::vector<std::string> out;
        for (int id : ids) {
            char text[NC_MAX_NAME + 1] = {};
            check(nc_inq_dimname(nc_.id(), id, text), "inquiring the dimensions of " + name);
            out.emplace_back(text);
        }
        return out;
    }
    NcReader nc_;
};

struct WrfShape {
    std::size_t nx = 0, ny = 0, nz = 0;  // mass points and mass levels
    int map_proj = 0;
    double dx = 0, dy = 0, truelat1 = 0, truelat2 = 0, stand_lon = 0;
};

WrfShape shape_of(const WrfFile& f) {
    WrfShape s;
    s.nx = f.dim("west_east");
    s.ny = f.dim("south_north");
    s.nz = f.dim("bottom_top");
    s.map_proj = static_cast<int>(f.att("MAP_PROJ"));
    s.dx = f.att("DX");
    s.dy = f.att("DY");
    s.truelat1 = f.att("TRUELAT1");
    s.truelat2 = f.att("TRUELAT2");
    s.stand_lon = f.att("STAND_LON");
    if (s.map_proj == 6)
        throw ConfigError(f.path() + ": MAP_PROJ = 6 (" + map_proj_name(6) +
                          ") is not supported: its map factors differ in x and y (MAPFAC_MX, MAPFAC_MY) and its "
                          "pole may be rotated, which Lantian's WRF reader does not handle; Lantian reads MAP_PROJ = 1 "
                          "(Lambert conformal), 2 (polar stereographic) and 3 (Mercator)");
    if (s.map_proj < 1 || s.map_proj > 3)
        throw ConfigError(f.path() + ": MAP_PROJ = " + std::to_string(s.map_proj) + " (" + map_proj_name(s.map_proj) +
                          ") is not supported; Lantian reads MAP_PROJ = 1 (Lambert conformal), 2 (polar "
                          "stereographic) and 3 (Mercator)");
    // The projection's own limits, as grid.* of such a grid (docs/config.md): the grid is built from these.
    const auto bad = [&](const std::string& name, double value, const std::string& why) {
        throw ConfigError(f.path() + ": global attribute " + name + " = " + std::to_string(value) + ": " + why);
    };
    if (!(s.dx > 0)) bad("DX", s.dx, "the grid spacing must be > 0 m");
    if (!(s.dy > 0)) bad("DY", s.dy, "the grid spacing must be > 0 m");
    if (s.map_proj == 1) {
        for (const auto& [name, lat] : {std::pair{"TRUELAT1", s.truelat1}, std::pair{"TRUELAT2", s.truelat2}})
            if (lat == 0.0 || std::fabs(lat) >= 90.0) bad(name, lat, "a Lambert conformal grid needs 0 < |true latitude| < 90");
        if ((s.truelat1 > 0) != (s.truelat2 > 0)) bad("TRUELAT2", s.truelat2, "must be in the hemisphere of TRUELAT1");
    } else if (s.map_proj == 2) {
        if (s.truelat1 == 0.0 || std::fabs(s.truelat1) > 90.0)
            bad("TRUELAT1", s.truelat1, "a polar stereographic grid needs 0 < |true latitude| <= 90 (its sign picks the pole)");
    } else if (!(std::fabs(s.truelat1) < 90.0)) {
        bad("TRUELAT1", s.truelat1, "a Mercator grid needs |true latitude| < 90");
    }
    // TRUELAT2 is not used by polar stereographic and Mercator grids; WRF files carry any value there.
    if (s.map_proj != 1 && !(std::fabs(s.truelat2) <= 90.0)) s.truelat2 = s.truelat1;
    if (s.stand_lon < -180.0 || s.stand_lon > 360.0) bad("STAND_LON", s.stand_lon, "must be in [-180, 360] degrees");
    return s;
}

struct Window {
    std::size_t i0, i1, j0, j1;  // inclusive, file mass indices
    std::size_t nx() const { return i1 - i0 + 1; }
    std::size_t ny() const { return j1 - j0 + 1; }
};

Window window_of(const Config& cfg, const WrfShape& s, const std::string& file) {
    const auto& m = cfg.met;
    Window w{static_cast<std::size_t>(m.i0), m.i1 < 0 ? s.nx - 1 : static_cast<std::size_t>(m.i1),
             static_cast<std::size_t>(m.j0), m.j1 < 0 ? s.ny - 1 : static_cast<std::size_t>(m.j1)};
    if (w.i1 >= s.nx)
        throw ConfigError("met.i1 = " + std::to_string(w.i1) + ": beyond the " + std::to_string(s.nx) +
                          " mass columns of " + file + " (0-based, inclusive)");
    if (w.j1 >= s.ny)
        throw ConfigError("met.j1 = " + std::to_string(w.j1) + ": beyond the " + std::to_string(s.ny) +
                          " mass rows of " + file + " (0-based, inclusive)");
    if (w.i0 > w.i1 || w.j0 > w.j1 || w.nx() < 4 || w.ny() < 4)
        throw ConfigError("met.i0..i1 × met.j0..j1 = " + std::to_string(w.i0) + ".." + std::to_string(w.i1) + " × " +
                          std::to_string(w.j0) + ".." + std::to_string(w.j1) + ": the window needs at least 4 × 4 columns");
    return w;
}

class WrfMet final : public MetSource {
public:
    WrfMet(const Config& cfg, const Grid& grid, double start_epoch_s)
        : cfg_(cfg), grid_(grid), files_(wrf_files(cfg)) {
        // Every file: readable, every variable present, the same grid; times increasing.
        std::vector<double> first_lat_lon;
        for (std::size_t n = 0; n < files_.size(); ++n) {
            const WrfFile f(files_[n]);
            for (const char* v : kRequired) f.var(v);
            const WrfShape s = shape_of(f);
            const std::vector<float> ll = f.read("XLAT", {0, 0, 0}, {1, 1, 1}, "at the first time");
            const std::vector<float> lo = f.read("XLONG", {0, 0, 0}, {1, 1, 1}, "at the first time");
            if (n == 0) {
                shape_ = s;
                first_lat_lon = {ll[0], lo[0]};
            } else if (s.nx != shape_.nx || s.ny != shape_.ny || s.nz != shape_.nz || s.map_proj != shape_.map_proj || s.dx != shape_.dx ||
                       s.dy != shape_.dy || s.truelat1 != shape_.truelat1 || s.truelat2 != shape_.truelat2 ||
                       s.stand_lon != shape_.stand_lon || std::fabs(ll[0] - first_lat_lon[0]) > 1e-4 ||
                       std::fabs(lo[0] - first_lat_lon[1]) > 1e-4) {
                throw ConfigError(files_[n] + ": its grid differs from that of " + files_[0] +
                                  " (sizes, DX/DY, projection or XLAT/XLONG); all met.files must share one grid");
            }
            const std::vector<double> t = f.times();
            for (std::size_t r = 0; r < t.size(); ++r) {
                if (!records_.empty() && !(t[r] > records_.back().epoch_s + kSameTimeS))
                    throw ConfigError(files_[n] + ": time " + format_iso_time_utc(t[r]) + " (record " + std::to_string(r) +
                                      ") does not come after " + format_iso_time_utc(records_.back().epoch_s) + " in " +
                                      files_[records_.back().file] + "; met times must increase (order met.files by time)");
                records_.push_back({n, r, t[r]});
            }
        }
        window_ = window_of(cfg, shape_, files_[0]);
        if (records_.size() < 2)
            throw ConfigError(files_[0] + ": " + std::to_string(records_.size()) +
                              " time(s) in met.files; at least 2 are needed to interpolate in time");
        const double end = start_epoch_s + cfg.run.hours * 3600.0;
        if (start_epoch_s < records_.front().epoch_s - kSameTimeS || end > records_.back().epoch_s + kSameTimeS)
            throw ConfigError("met.files cover " + format_iso_time_utc(records_.front().epoch_s) + " to " +
                              format_iso_time_utc(records_.back().epoch_s) + " UTC, but the run goes from " +
                              format_iso_time_utc(start_epoch_s) + " to " + format_iso_time_utc(end) +
                              " (run.start, run.hours)");
        for (const auto& r : records_) t_rel_.push_back(r.epoch_s - start_epoch_s);
        check_map_factors();
        plan_remap();
        ahead_state_.resize(grid);
    }

    ~WrfMet() override {
        if (ahead_.valid()) ahead_.wait();
        try {
            io_thread().run_sync([&] { open_.clear(); });  // nc_close, where netCDF is called
        } catch (...) {
            // A destructor must not throw (files opened read-only).
        }
    }

    WrfMet(const WrfMet&) = delete;
    WrfMet& operator=(const WrfMet&) = delete;

    void set_read_ahead(bool on) override {
        read_ahead_ = on;
        if (on && last_asked_ < records_.size()) start_ahead(last_asked_ + 1);
        if (!on && ahead_.valid()) ahead_.wait();  // done with ahead_state_ (its result is kept)
    }

    double interval_s() const override { return (t_rel_.back() - t_rel_.front()) / static_cast<double>(t_rel_.size() - 1); }

    long bracket(double t_s, double& t0, double& t1) const override {
        auto it = std::upper_bound(t_rel_.begin(), t_rel_.end(), t_s + kSameTimeS);
        long n = static_cast<long>(it - t_rel_.begin()) - 1;
        n = std::clamp(n, 0L, static_cast<long>(t_rel_.size()) - 2);
        t0 = t_rel_[n];
        t1 = t_rel_[n + 1];
        return n;
    }

    void evaluate(double t_s, MetState& out) const override {
        long n = -1;
        for (std::size_t r = 0; r < t_rel_.size(); ++r)
            if (std::fabs(t_rel_[r] - t_s) < kSameTimeS) n = static_cast<long>(r);
        if (n < 0) throw std::logic_error("WRF met: evaluate() at a time that is not a snapshot");
        const std::size_t r = static_cast<std::size_t>(n);
        if (ahead_.valid() && ahead_record_ == r) {
            // Read ahead: ready, or being read now. Its ConfigError is the one a direct read throws.
            std::future<void> ready = std::move(ahead_);
            ready.get();
            std::swap(out, ahead_state_);
            if (ahead_state_.rho_kg_m3.size() != out.rho_kg_m3.size()) ahead_state_.resize(grid_);
        } else {
            io_thread().run_sync([&] { read_record(r, out); });
        }
        last_asked_ = r;
        start_ahead(r + 1);  // the record after it, while the run steps towards it
    }

private:
    struct Record {
        std::size_t file, index;
        double epoch_s;
    };

    std::string when(std::size_t n) const { return "at " + format_iso_time_utc(records_[n].epoch_s); }

    // With read-ahead on: record `next` read on the I/O thread into ahead_state_, unless it is
    // being read already or does not exist.
    void start_ahead(std::size_t next) const {
        if (!read_ahead_ || next >= records_.size() || (ahead_.valid() && ahead_record_ == next)) return;
        if (ahead_.valid()) ahead_.wait();  // its buffer is reused
        ahead_record_ = next;
        ahead_ = io_thread().submit([this, next] { read_record(next, ahead_state_); });
    }

    // MAPFAC_M must be the projection's map factor: validates the projection and the grid
    // placement against WRF's own.
    void check_map_factors() const {
        const WrfFile f(files_[0]);
        const Window& w = window_;
        const auto m = f.read("MAPFAC_M", {0, w.j0, w.i0}, {1, w.ny(), w.nx()}, when(0));
        for (std::size_t j = 0; j < w.ny(); ++j)
            for (std::size_t i = 0; i < w.nx(); ++i) {
                const double lat = grid_.lat()[j * w.nx() + i];
                const double mine = grid_.projection().map_factor(lat);
                const double theirs = m[j * w.nx() + i];
                if (std::fabs(mine - theirs) > kMapFactorTolerance * theirs)
                    throw ConfigError(files_[0] + ": MAPFAC_M[" + std::to_string(j + w.j0) + ", " + std::to_string(i + w.i0) +
                                      "] = " + std::to_string(theirs) + " but the " + map_proj_name(shape_.map_proj) +
                                      " projection of its attributes gives " +
                                      std::to_string(mine) + "; the file's grid is not the one its attributes describe");
            }
    }

    // File number i, opened at first use and kept open (on the I/O thread only).
    const WrfFile& file(std::size_t i) const {
        if (open_.size() < files_.size()) open_.resize(files_.size());
        if (!open_[i]) {
            auto f = std::make_unique<WrfFile>(files_[i]);
            f->limit_chunk_cache();
            open_[i] = std::move(f);
        }
        return *open_[i];
    }

    // Rain accumulated since the model start (mm) over the window at record n.
    std::vector<float> accumulated_rain(std::size_t n) const {
        const WrfFile& f = file(records_[n].file);
        const Window& w = window_;
        const std::vector<std::size_t> start{records_[n].index, w.j0, w.i0}, count{1, w.ny(), w.nx()};
        auto a = f.read("RAINC", start, count, when(n), Quantity::accumulated_precip);
        const auto b = f.read("RAINNC", start, count, when(n), Quantity::accumulated_precip);
        for (std::size_t k = 0; k < a.size(); ++k) a[k] += b[k];
        return a;
    }

    // The halo region read around the window (one column more on each side where the file has
    // it, so that edge faces average two columns) and the remap items, fixed for the run.
    void plan_remap() {
        const Window& w = window_;
        hi0_ = w.i0 > 0 ? w.i0 - 1 : 0;
        hi1_ = std::min(shape_.nx - 1, w.i1 + 1);
        hj0_ = w.j0 > 0 ? w.j0 - 1 : 0;
        hj1_ = std::min(shape_.ny - 1, w.j1 + 1);
        const std::size_t hnx = hi1_ - hi0_ + 1;
        auto halo = [&](std::size_t fi, std::size_t fj) { return static_cast<int>((fj - hj0_) * hnx + (fi - hi0_)); };
        const std::size_t nx = w.nx(), ny = w.ny(), nzw = shape_.nz;
        for (std::size_t j = 0; j < ny; ++j)
            for (std::size_t i = 0; i < nx; ++i) {
                const int c = halo(w.i0 + i, w.j0 + j);
                centre_.a.push_back(c);
                centre_.b.push_back(c);
                centre_.value_offset.push_back(static_cast<std::size_t>(c) * nzw);
                centre_.out_offset.push_back(j * nx + i);
            }
        for (std::size_t j = 0; j < ny; ++j)
            for (std::size_t fi = 0; fi <= nx; ++fi) {
                // x-face fi lies between window columns fi−1 and fi (file w.i0+fi−1, w.i0+fi).
                const std::size_t left = std::max(w.i0 + fi, hi0_ + 1) - 1, right = std::min(w.i0 + fi, hi1_);
                u_face_.a.push_back(halo(left, w.j0 + j));
                u_face_.b.push_back(halo(right, w.j0 + j));
                u_face_.value_offset.push_back(j * (nx + 1) + fi);
                u_face_.out_offset.push_back(j * (nx + 1) + fi);
            }
        for (std::size_t fj = 0; fj <= ny; ++fj)
            for (std::size_t i = 0; i < nx; ++i) {
                const std::size_t below = std::max(w.j0 + fj, hj0_ + 1) - 1, above = std::min(w.j0 + fj, hj1_);
                v_face_.a.push_back(halo(w.i0 + i, below));
                v_face_.b.push_back(halo(w.i0 + i, above));
                v_face_.value_offset.push_back(fj * nx + i);
                v_face_.out_offset.push_back(fj * nx + i);
            }
    }

    struct RemapItems {
        std::vector<int> a, b;
        std::vector<std::size_t> value_offset, out_offset;
    };

    kernels::LevelRemapViews remap_views(const RemapItems& items) const {
        kernels::LevelRemapViews v;
        v.n = static_cast<int>(items.a.size());
        v.nlevels = static_cast<int>(shape_.nz);
        v.nlayers = grid_.nz();
        v.layer_face_m = grid_.z_face().data();
        v.z_face_m = zw_.data();
        v.rho_kg_m3 = rho_.data();
        v.col_a = items.a.data();
        v.col_b = items.b.data();
        v.value_offset = items.value_offset.data();
        v.out_offset = items.out_offset.data();
        return v;
    }

    // Reads, checks and remaps record n into `out`. On the I/O thread only (its netCDF calls, the
    // open files and the work arrays below are that thread's).
    void read_record(std::size_t n, MetState& out) const {
        const WrfFile& f = file(records_[n].file);
        const std::size_t rec = records_[n].index;
        const std::string at = when(n);
        const Window& w = window_;
        const std::size_t hnx = hi1_ - hi0_ + 1, hny = hj1_ - hj0_ + 1, nzw = shape_.nz, hcols = hnx * hny;
        const std::vector<std::size_t> s3{rec, 0, hj0_, hi0_}, c3{1, nzw, hny, hnx}, c3w{1, nzw + 1, hny, hnx},
            s2{rec, hj0_, hi0_}, c2{1, hny, hnx};
        const auto ph = f.read("PH", s3, c3w, at), phb = f.read("PHB", s3, c3w, at);
        const auto theta_p = f.read("T", s3, c3, at), p = f.read("P", s3, c3, at), pb = f.read("PB", s3, c3, at);
        const auto qv = f.read("QVAPOR", s3, c3, at, Quantity::water_vapour);
        const auto mu = f.read("MU", s2, c2, at), mub = f.read("MUB", s2, c2, at);
        const auto hgt = f.read("HGT", s2, c2, at, Quantity::terrain_height);
        const auto znw = f.read("ZNW", {rec, 0}, {1, nzw + 1}, at, Quantity::eta);
        for (std::size_t k = 1; k <= nzw; ++k)
            if (!(znw[k] < znw[k - 1]))
                throw ConfigError(f.path() + ": variable ZNW " + at + ": η must decrease from the ground (1) to the model top (0), "
                                  "but ZNW[" + std::to_string(k) + "] = " + std::to_string(znw[k]) + " follows " +
                                  std::to_string(znw[k - 1]));
        // Plausibility of the sums the levels are built from (each part alone may be anything).
        f.check_sum("PH", ph, "PHB", phb, s3, c3w, at, Quantity::geopotential_height, 1.0 / phys::kGravity,
                    "(PH + PHB) / g");
        f.check_sum("P", p, "PB", pb, s3, c3, at, Quantity::pressure);
        f.check_sum("MU", mu, "MUB", mub, s2, c2, at, Quantity::dry_column_pressure);

        // Heights, densities, temperature and RH of every WRF level of the halo columns.
        zw_.resize(hcols * (nzw + 1));
        rho_.resize(hcols * nzw);
        temp_.resize(hcols * nzw);
        rh_.resize(hcols * nzw);
        kernels::WrfLevelViews lv;
        lv.ncolumns = static_cast<int>(hcols);
        lv.nlevels = static_cast<int>(nzw);
        lv.ph = ph.data();
        lv.phb = phb.data();
        lv.theta_pert = theta_p.data();
        lv.p = p.data();
        lv.pb = pb.data();
        lv.qv = qv.data();
        lv.mu = mu.data();
        lv.mub = mub.data();
        lv.hgt = hgt.data();
        lv.znw = znw.data();
        lv.z_face_m = zw_.data();
        lv.rho_kg_m3 = rho_.data();
        lv.temperature_k = temp_.data();
        lv.rh_frac = rh_.data();
        int bad_level = 0;
        const int bad = kernels::wrf_level_fields(lv, &bad_level);
        if (bad >= 0)
            throw ConfigError(f.path() + ": PH+PHB " + at + ": heights do not increase between levels " +
                              std::to_string(bad_level) + " and " + std::to_string(bad_level + 1) + " at [" +
                              std::to_string(bad / hnx + hj0_) + ", " + std::to_string(bad % hnx + hi0_) + "]");
        // The air temperature of every level (temp_ is column-major: column c, level k).
        const std::size_t hot = first_implausible(Quantity::air_temperature, temp_.size(), [&](std::size_t y) { return temp_[y]; });
        if (hot < temp_.size()) {
            const std::size_t c = hot / nzw, k = hot % nzw;
            f.implausible("air temperature from T (theta - 300 K), P and PB", "T", {rec, k, c / hnx + hj0_, c % hnx + hi0_},
                          {1, 1, 1, 1}, 0, at, Quantity::air_temperature, temp_[hot]);
        }
        const auto& zf = grid_.z_face();
        const int nz = grid_.nz(), nx = grid_.nx(), ny = grid_.ny();
        const std::size_t plane = grid_.columns();
        for (std::size_t k = 0; k < plane; ++k) {
            const std::size_t c = static_cast<std::size_t>(centre_.a[k]);
            if (zf[nz] > zw_[c * (nzw + 1) + nzw])
                throw ConfigError("grid top " + std::to_string(zf[nz]) + " m is above the WRF model top (" +
                                  std::to_string(zw_[c * (nzw + 1) + nzw]) + " m above ground at [" +
                                  std::to_string(c / hnx + hj0_) + ", " + std::to_string(c % hnx + hi0_) + "] of " +
                                  f.path() + "); lower grid.top_m or the layer faces");
        }

        // Cell centres: air mass (→ density), temperature and RH by mass-weighted overlap.
        layer_mass_.resize(static_cast<std::size_t>(nz) * plane);
        kernels::LevelRemapViews cv = remap_views(centre_);
        cv.values_d = temp_.data();
        cv.value_stride = 1;
        cv.out = out.temperature_k.data();
        cv.mass_out = layer_mass_.data();
        cv.out_stride = plane;
        kernels::remap_levels(cv);
        for (int l = 0; l < nz; ++l)
            for (std::size_t k = 0; k < plane; ++k) out.rho_kg_m3[l * plane + k] = layer_mass_[l * plane + k] / (zf[l + 1] - zf[l]);
        cv.values_d = rh_.data();
        cv.out = out.rh_frac.data();
        cv.mass_out = nullptr;
        kernels::remap_levels(cv);
        // Clouds for photolysis (docs/photochemistry.md), when the file has them: layer averages of
        // CLDFRA and QCLOUD by the same mass-weighted overlap; none (0) otherwise.
        std::fill(out.cloud_fraction.begin(), out.cloud_fraction.end(), 0.0);
        std::fill(out.cloud_water_kg_kg.begin(), out.cloud_water_kg_kg.end(), 0.0);
        if (f.has("CLDFRA") && f.has("QCLOUD")) {
            for (const auto& [name, quantity, field] :
                 {std::tuple{"CLDFRA", Quantity::cloud_fraction, &out.cloud_fraction},
                  std::tuple{"QCLOUD", Quantity::cloud_water, &out.cloud_water_kg_kg}}) {
                const auto values = f.read(name, s3, c3, at, quantity);  // (level, halo column)
                cloud_.resize(hcols * nzw);
                for (std::size_t c = 0; c < hcols; ++c)
                    for (std::size_t k = 0; k < nzw; ++k) cloud_[c * nzw + k] = std::max(0.0, static_cast<double>(values[k * hcols + c]));
                cv.values_d = cloud_.data();
                cv.out = field->data();
                kernels::remap_levels(cv);
            }
        }

        // Winds on faces, straight from WRF's C grid, remapped with the face's mass weights.
        const auto u = f.read("U", {rec, 0, w.j0, w.i0}, {1, nzw, w.ny(), w.nx() + 1}, at, Quantity::wind_component);
        const auto v = f.read("V", {rec, 0, w.j0, w.i0}, {1, nzw, w.ny() + 1, w.nx()}, at, Quantity::wind_component);
        kernels::LevelRemapViews uv = remap_views(u_face_);
        uv.values_f = u.data();
        uv.value_stride = w.ny() * (w.nx() + 1);
        uv.out = out.u_face_x_m_s.data();
        uv.out_stride = static_cast<std::size_t>(ny) * (nx + 1);
        kernels::remap_levels(uv);
        kernels::LevelRemapViews vv = remap_views(v_face_);
        vv.values_f = v.data();
        vv.value_stride = (w.ny() + 1) * w.nx();
        vv.out = out.v_face_y_m_s.data();
        vv.out_stride = static_cast<std::size_t>(ny + 1) * nx;
        kernels::remap_levels(vv);

        // Surface and boundary-layer fields.
        const std::vector<std::size_t> sw{rec, w.j0, w.i0}, cw{1, w.ny(), w.nx()};
        const auto pblh = f.read("PBLH", sw, cw, at, Quantity::pblh), ust = f.read("UST", sw, cw, at, Quantity::ustar);
        const auto hfx = f.read("HFX", sw, cw, at, Quantity::heat_flux);
        const auto u10 = f.read("U10", sw, cw, at, Quantity::wind_component);
        const auto v10 = f.read("V10", sw, cw, at, Quantity::wind_component);
        const auto t2 = f.read("T2", sw, cw, at, Quantity::temperature_2m);
        const auto hgt_w = f.read("HGT", sw, cw, at, Quantity::terrain_height);
        const auto theta_w = f.read("T", {rec, 0, w.j0, w.i0}, {1, 1, w.ny(), w.nx()}, at);
        const std::vector<float> snow = f.has("SNOWC") ? f.read("SNOWC", sw, cw, at, Quantity::snow_cover) : std::vector<float>(plane, 0.0f);
        // Precipitation rate (mm h-1) over the interval that starts at this record (the last
        // record uses the interval before it); a decrease (bucket reset) counts as no rain.
        std::vector<double> precip(plane, 0.0);
        {
            const std::size_t a = n + 1 < records_.size() ? n : n - 1, b = a + 1;
            const auto r0 = accumulated_rain(a), r1 = accumulated_rain(b);
            const double hours = (records_[b].epoch_s - records_[a].epoch_s) / 3600.0;
            for (std::size_t c = 0; c < plane; ++c) precip[c] = std::max(0.0, (r1[c] - r0[c]) / hours);
            const std::size_t wet = first_implausible(Quantity::precip_rate, plane, [&](std::size_t c) { return precip[c]; });
            if (wet < plane) {
                const WrfFile& later = file(records_[b].file);
                std::ostringstream rose;
                rose << "(" << r1[wet] - r0[wet] << " mm in " << hours << " h)";
                later.implausible("RAINC + RAINNC rate from " + format_iso_time_utc(records_[a].epoch_s) +
                                      (records_[a].file == records_[b].file ? "" : " (in " + files_[records_[a].file] + ")") +
                                      " to " + format_iso_time_utc(records_[b].epoch_s),
                                  "RAINNC", {records_[b].index, w.j0, w.i0}, {1, w.ny(), w.nx()}, wet, rose.str(),
                                  Quantity::precip_rate, precip[wet]);
            }
        }
        for (std::size_t col = 0; col < plane; ++col) {
            const double ustar = std::max(kMinUstar, static_cast<double>(ust[col]));
            out.pblh_m[col] = std::max(1.0, static_cast<double>(pblh[col]));
            out.ustar_m_s[col] = ustar;
            // L = −u*³ θ ρ c_p / (κ g H); a vanishing heat flux is neutral.
            const double theta = theta_w[col] + phys::kWrfTheta0;
            const double rho0 = rho_[static_cast<std::size_t>(centre_.a[col]) * nzw];
            double l = hfx[col] == 0.0f ? kNeutralL : bl::mo_length_from_flux(ustar, theta, rho0, hfx[col]);
            if (!std::isfinite(l) || std::fabs(l) > kNeutralL) l = kNeutralL;
            out.mo_length_m[col] = l;
            out.precip_mm_h[col] = precip[col];
            out.u10_m_s[col] = u10[col];
            out.v10_m_s[col] = v10[col];
            out.t2_k[col] = t2[col];
            out.terrain_m[col] = hgt_w[col];
            out.snow_cover[col] = snow[col];
            for (int k = 0; k <= nz; ++k)
                out.kz_face_z_m2_s[static_cast<std::size_t>(k) * plane + col] =
                    (k > 0 && k < nz) ? cfg_.met.kz_scale * bl::kz_similarity(zf[k], ustar, l, out.pblh_m[col], cfg_.met.kz_min_m2_s)
                                      : 0.0;
        }
        if (cfg_.dust.windblown) read_land_surface(f, sw, cw, at, out);
    }

    // The land surface of wind-blown dust (docs/dust.md): top-layer SMOIS, and the erodible share and
    // clay fraction from LU_INDEX (table by MMINLU) and ISLTYP. A field the file lacks stays −1 (the
    // dust scheme then takes its dust.* key); lacking it with the key not set is an error.
    void read_land_surface(const WrfFile& f, const std::vector<std::size_t>& sw, const std::vector<std::size_t>& cw,
                           const std::string& at, MetState& out) const {
        const DustConfig& d = cfg_.dust;
        const std::size_t plane = out.erodible_fraction.size();
        const auto missing = [&](const std::string& what, const std::string& key) {
            throw ConfigError(f.path() + ": " + what + " is missing; wind-blown dust (dust.windblown = true) needs it, "
                              "or set " + key + " to use one value everywhere");
        };
        const auto bad = [&](const std::string& name, std::size_t col, double value, const std::string& why) {
            std::ostringstream m;
            m << f.path() << ": variable " << name << " " << at << ": value at [south_north " << sw[1] + col / cw[2]
              << ", west_east " << sw[2] + col % cw[2] << "] is " << value << " (" << why << ")";
            throw ConfigError(m.str());
        };
        std::fill(out.soil_moisture_m3_m3.begin(), out.soil_moisture_m3_m3.end(), -1.0);
        std::fill(out.erodible_fraction.begin(), out.erodible_fraction.end(), -1.0);
        std::fill(out.clay_fraction.begin(), out.clay_fraction.end(), -1.0);
        if (f.has("SMOIS")) {
            const auto sm = f.read("SMOIS", {sw[0], 0, sw[1], sw[2]}, {1, 1, cw[1], cw[2]}, at);
            for (std::size_t c = 0; c < plane; ++c) {
                if (sm[c] < 0.0f || sm[c] > 1.0f) bad("SMOIS", c, sm[c], "volumetric soil water must lie in 0..1 m3 m-3");
                out.soil_moisture_m3_m3[c] = sm[c];
            }
        } else if (d.soil_moisture_m3_m3 < 0) {
            missing("variable SMOIS", "dust.soil_moisture_m3_m3");
        }
        std::vector<float> soil;
        if (f.has("ISLTYP")) {
            soil = f.read("ISLTYP", sw, cw, at);
            for (std::size_t c = 0; c < plane; ++c) {
                const auto sc = std::nearbyint(soil[c]) == soil[c] ? soil_class(static_cast<int>(soil[c])) : std::nullopt;
                if (!sc) bad("ISLTYP", c, soil[c], "not a soil category 1..19");
                out.clay_fraction[c] = sc.value_or(SoilClass{0.0, false}).clay_fraction;
            }
        } else if (d.clay_fraction < 0) {
            missing("variable ISLTYP", "dust.clay_fraction");
        }
        const bool want_land_use = d.erodible_fraction < 0;
        if (f.has("LU_INDEX")) {
            const std::string mminlu = f.text_att("MMINLU");
            const auto table = land_use_table(mminlu);
            if (!table) {
                if (want_land_use)
                    throw ConfigError(f.path() + ": global attribute MMINLU = '" + mminlu +
                                      "': not a land-use table wind-blown dust knows (USGS or MODIS); set "
                                      "dust.erodible_fraction to use one value everywhere");
                return;  // the key's value applies
            }
            const auto lu = f.read("LU_INDEX", sw, cw, at);
            for (std::size_t c = 0; c < plane; ++c) {
                const auto e = std::nearbyint(lu[c]) == lu[c] ? land_use_erodible_fraction(*table, static_cast<int>(lu[c]))
                                                               : std::nullopt;
                if (!e) bad("LU_INDEX", c, lu[c], "not a category of the " + mminlu + " land-use table");
                const bool soil_erodible =
                    soil.empty() || soil_class(static_cast<int>(soil[c])).value_or(SoilClass{0.0, false}).erodible;
                out.erodible_fraction[c] = soil_erodible ? e.value_or(0.0) : 0.0;
            }
        } else if (want_land_use) {
            missing("variable LU_INDEX", "dust.erodible_fraction");
        }
    }

    Config cfg_;
    const Grid& grid_;
    std::vector<std::string> files_;
    WrfShape shape_;
    Window window_{};
    std::vector<Record> records_;
    std::vector<double> t_rel_;  // record times relative to the run start (s)
    std::size_t hi0_ = 0, hi1_ = 0, hj0_ = 0, hj1_ = 0;  // halo region (file mass indices, inclusive)
    RemapItems centre_, u_face_, v_face_;
    // Work arrays of one record (evaluate() is const; read_record runs on the I/O thread only).
    mutable std::vector<double> zw_, rho_, temp_, rh_, layer_mass_, cloud_;
    // The files, open while the source lasts (touched on the I/O thread only).
    mutable std::vector<std::unique_ptr<WrfFile>> open_;
    // Read ahead: the record after the last one asked for, read into ahead_state_ on the I/O thread
    // (one more snapshot's memory); ahead_ holds its completion or its ConfigError.
    bool read_ahead_ = false;
    mutable std::future<void> ahead_;
    mutable std::size_t ahead_record_ = 0;
    mutable std::size_t last_asked_ = static_cast<std::size_t>(-1);  // the last record evaluate() gave
    mutable MetState ahead_state_;
};

}  // namespace

std::vector<std::string> wrf_files(const Config& cfg) {
    std::vector<std::string> out;
    for (const std::string& pattern : cfg.met.files) {
        const std::string resolved = resolve_path(cfg, pattern);
        glob_t g{};
        const int rc = glob(resolved.c_str(), GLOB_NOSORT, nullptr, &g);
        std::vector<std::string> matches;
        if (rc == 0)
            for (std::size_t k = 0; k < g.gl_pathc; ++k) matches.emplace_back(g.gl_pathv[k]);
        globfree(&g);
        if (matches.empty())
            throw ConfigError("met.files = " + pattern + ": no file matches (looked for " + resolved + ")");
        std::sort(matches.begin(), matches.end());
        out.insert(out.end(), matches.begin(), matches.end());
    }
    if (out.empty()) throw ConfigError("met.files: no WRF files given (required with met.source = wrf)");
    return out;
}

GridConfig wrf_grid_config(const Config& cfg) {
    const std::vector<std::string> files = wrf_files(cfg);
    const WrfFile f(files[0]);
    for (const char* v : {"XLAT", "XLONG"}) f.var(v);
    const WrfShape s = shape_of(f);
    const Window w = window_of(cfg, s, files[0]);
    const auto lat = f.read("XLAT", {0, w.j0, w.i0}, {1, w.ny(), w.nx()}, "at the first time");
    const auto lon = f.read("XLONG", {0, w.j0, w.i0}, {1, w.ny(), w.nx()}, "at the first time");
    // Place the window: project every mass point with the file's projection, take the mean position
    // as the centre, and check that the points sit on a regular DX × DY grid around it.
    const Projection kind = projection_of_map_proj(s.map_proj);
    const MapProjection proj(kind, s.stand_lon, s.truelat1, s.truelat1, s.truelat2, s.stand_lon);
    double sx = 0, sy = 0;
    std::vector<XY> xy(lat.size());
    for (std::size_t k = 0; k < lat.size(); ++k) {
        xy[k] = proj.forward({lon[k], lat[k]});
        sx += xy[k].x;
        sy += xy[k].y;
    }
    const double cx = sx / xy.size(), cy = sy / xy.size();
    double misfit = 0;
    for (std::size_t j = 0; j < w.ny(); ++j)
        for (std::size_t i = 0; i < w.nx(); ++i) {
            const XY& q = xy[j * w.nx() + i];
            misfit = std::max({misfit, std::fabs(q.x - (cx + (i - 0.5 * (w.nx() - 1)) * s.dx)),
                               std::fabs(q.y - (cy + (j - 0.5 * (w.ny() - 1)) * s.dy))});
        }
    if (misfit > kGridFitTolerance * s.dx)
        throw ConfigError(files[0] + ": XLAT/XLONG do not lie on a " + map_proj_name(s.map_proj) +
                          " grid (MAP_PROJ = " + std::to_string(s.map_proj) + ") with the file's TRUELAT1/2, STAND_LON, "
                          "DX and DY (worst misfit " + std::to_string(misfit) + " m)");
    const LonLat centre = proj.inverse({cx, cy});
    GridConfig g = cfg.grid;
    g.projection = kind;
    g.nx = static_cast<int>(w.nx());
    g.ny = static_cast<int>(w.ny());
    g.dx_m = s.dx;
    g.dy_m = s.dy;
    g.center_lon = centre.lon_deg;
    g.center_lat = centre.lat_deg;
    g.truelat1 = s.truelat1;
    g.truelat2 = s.truelat2;
    g.stand_lon = s.stand_lon;
    return g;
}

Config with_met_grid(const Config& cfg) {
    if (cfg.met.source != MetKind::wrf) return cfg;
    Config c = cfg;
    c.grid = wrf_grid_config(cfg);
    return c;
}

std::unique_ptr<MetSource> make_wrf_met_source(const Config& cfg, const Grid& grid, double start_epoch_s) {
    return std::make_unique<WrfMet>(cfg, grid, start_epoch_s);
}

}  // namespace lantian
