// Warm start from an earlier run's state; see the header.
#include "simulation/warm_start.hpp"

#include <netcdf.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "config/time_utils.hpp"
#include "output/netcdf_reader.hpp"
#include "simulation/initial_state.hpp"

namespace lantian {

namespace {

constexpr double kSameTimeS = 1.0;          // s: a record within this of the start is at the start
constexpr double kSameDegrees = 1e-9;       // degrees: projection parameters this close are the same
constexpr double kUniformSpacing = 1e-6;    // relative: coordinates evenly spaced to this
constexpr double kFaceMatchM = 1e-6;        // m: z_bnds of adjacent layers meet to this

struct Point {
    double x, y;
};

// Signed area of a polygon (shoelace formula), positive when counter-clockwise; taken about the
// first vertex, so that coordinates of 10^6 m do not cost the area its digits.
double signed_area(const std::vector<Point>& p) {
    if (p.size() < 3) return 0.0;
    double twice = 0;
    const Point o = p[0];
    for (std::size_t n = 1; n + 1 < p.size(); ++n) {
        const double ax = p[n].x - o.x, ay = p[n].y - o.y, bx = p[n + 1].x - o.x, by = p[n + 1].y - o.y;
        twice += ax * by - bx * ay;
    }
    return 0.5 * twice;
}

// Sutherland–Hodgman: the part of polygon `poly` inside the rectangle [x0, x1] × [y0, y1], clipped
// against one edge at a time. The rectangle is convex, so the result's area is exact (degenerate
// zero-width edges a non-convex input may leave add no area).
std::vector<Point> clip_to_rectangle(std::vector<Point> poly, double x0, double x1, double y0, double y1) {
    // Edge e keeps points with inside(e, p); the crossing is found along the segment.
    auto clip = [&](int edge) {
        auto inside = [&](const Point& p) {
            switch (edge) {
            case 0: return p.x >= x0;
            case 1: return p.x <= x1;
            case 2: return p.y >= y0;
            default: return p.y <= y1;
            }
        };
        auto cross = [&](const Point& a, const Point& b) {
            // The point of segment a→b on the edge's line.
            if (edge < 2) {
                const double xe = edge == 0 ? x0 : x1;
                const double t = (xe - a.x) / (b.x - a.x);
                return Point{xe, a.y + t * (b.y - a.y)};
            }
            const double ye = edge == 2 ? y0 : y1;
            const double t = (ye - a.y) / (b.y - a.y);
            return Point{a.x + t * (b.x - a.x), ye};
        };
        std::vector<Point> out;
        out.reserve(poly.size() + 4);
        for (std::size_t n = 0; n < poly.size(); ++n) {
            const Point& cur = poly[n];
            const Point& prev = poly[(n + poly.size() - 1) % poly.size()];
            const bool in_cur = inside(cur), in_prev = inside(prev);
            if (in_cur) {
                if (!in_prev) out.push_back(cross(prev, cur));
                out.push_back(cur);
            } else if (in_prev) {
                out.push_back(cross(prev, cur));
            }
        }
        poly = std::move(out);
    };
    for (int edge = 0; edge < 4 && !poly.empty(); ++edge) clip(edge);
    return poly;
}

bool same_projection(const SourceGrid& s, const Grid& g) {
    const GridConfig& c = g.config();
    if (s.kind != c.projection) return false;
    auto same = [](double a, double b) { return std::fabs(a - b) < kSameDegrees; };
    switch (s.kind) {
    case Projection::latlon: return true;
    case Projection::cartesian: return same(s.center_lon, c.center_lon) && same(s.center_lat, c.center_lat);
    case Projection::polar:
    case Projection::mercator:
        return same(s.truelat1, c.truelat1) && same(s.stand_lon, c.stand_lon > 1e8 ? c.center_lon : c.stand_lon);
    case Projection::lambert:
    default: {
        const double stand = c.stand_lon > 1e8 ? c.center_lon : c.stand_lon;
        return same(s.center_lat, c.center_lat) && same(s.truelat1, c.truelat1) && same(s.truelat2, c.truelat2) &&
               same(s.stand_lon, stand);
    }
    }
}

// Cell area on the sphere (m2), as Grid computes it: dx dy / m² at the centre on a conformal
// projection, the exact spherical zone for latlon.
double source_area_m2(const SourceGrid& s, const MapProjection& proj, int i, int j) {
    if (s.kind == Projection::latlon) {
        const double phi_s = (s.y[j] - 0.5 * s.dy) * kDegToRad, phi_n = (s.y[j] + 0.5 * s.dy) * kDegToRad;
        return kEarthRadiusM * kEarthRadiusM * s.dx * kDegToRad * (std::sin(phi_n) - std::sin(phi_s));
    }
    const double m = proj.map_factor(proj.inverse({s.x[i], s.y[j]}).lat_deg);
    return s.dx * s.dy / (m * m);
}

std::string format_hours(double h) {
    std::ostringstream o;
    o << h;
    return o.str();
}

}  // namespace

SourceGrid source_grid_of(const Grid& grid) {
    const GridConfig& c = grid.config();
    SourceGrid s;
    s.kind = c.projection;
    s.center_lon = c.center_lon;
    s.center_lat = c.center_lat;
    s.truelat1 = c.truelat1;
    s.truelat2 = c.truelat2;
    s.stand_lon = c.stand_lon > 1e8 ? c.center_lon : c.stand_lon;
    s.x = grid.x();
    s.y = grid.y();
    s.dx = grid.dx();
    s.dy = grid.dy();
    s.z_face_m = grid.z_face();
    return s;
}

ConservativeRemap::ConservativeRemap(const SourceGrid& source, const Grid& target, const std::string& source_name)
    : snx_(source.nx()), sny_(source.ny()), snz_(source.nz()), tnz_(target.nz()), tcols_(target.columns()) {
    const MapProjection sproj(source.kind, source.center_lon, source.center_lat, source.truelat1, source.truelat2,
                              source.stand_lon);
    const bool same_plane = same_projection(source, target);
    const int tnx = target.nx(), tny = target.ny();

    // Target cell corners in the source plane, shared by neighbouring cells so that the mapped
    // quadrilaterals tile the plane without gaps or overlaps.
    const std::size_t cnx = static_cast<std::size_t>(tnx) + 1;
    std::vector<Point> corner(cnx * (static_cast<std::size_t>(tny) + 1));
    // A latlon source: longitudes taken within 180° of the source's middle (no seam inside a domain).
    const double mid_lon = 0.5 * (source.x.front() + source.x.back());
    for (int cj = 0; cj <= tny; ++cj)
        for (int ci = 0; ci <= tnx; ++ci) {
            const double xt = target.x()[0] + (ci - 0.5) * target.dx();
            const double yt = target.y()[0] + (cj - 0.5) * target.dy();
            Point p{xt, yt};
            if (!same_plane) {
                const XY q = sproj.forward(target.projection().inverse({xt, yt}));
                p = {q.x, q.y};
                if (source.kind == Projection::latlon) {
                    while (p.x - mid_lon > 180.0) p.x -= 360.0;
                    while (p.x - mid_lon < -180.0) p.x += 360.0;
                }
            }
            corner[static_cast<std::size_t>(cj) * cnx + ci] = p;
        }

    source_area_m2_.resize(static_cast<std::size_t>(snx_) * sny_);
    for (int j = 0; j < sny_; ++j)
        for (int i = 0; i < snx_; ++i)
            source_area_m2_[static_cast<std::size_t>(j) * snx_ + i] = source_area_m2(source, sproj, i, j);
    const double plane_cell = source.dx * source.dy;  // A_s
    const double xe0 = source.x[0] - 0.5 * source.dx, ye0 = source.y[0] - 0.5 * source.dy;

    overlaps_.resize(tcols_);
    cover_h_.assign(tcols_, 0.0);
    double covered_sum = 0;
    for (int j = 0; j < tny; ++j)
        for (int i = 0; i < tnx; ++i) {
            const std::size_t t = static_cast<std::size_t>(j) * tnx + i;
            std::vector<Point> quad = {corner[j * cnx + i], corner[j * cnx + i + 1], corner[(j + 1) * cnx + i + 1],
                                       corner[(j + 1) * cnx + i]};
            double quad_area = signed_area(quad);
            if (quad_area < 0) {  // a projection that flips orientation: make it counter-clockwise
                std::reverse(quad.begin(), quad.end());
                quad_area = -quad_area;
            }
            if (!(quad_area > 0) || !std::isfinite(quad_area)) continue;  // degenerate, or a corner at a pole
            double lo_x = quad[0].x, hi_x = quad[0].x, lo_y = quad[0].y, hi_y = quad[0].y;
            for (const Point& p : quad) {
                lo_x = std::min(lo_x, p.x), hi_x = std::max(hi_x, p.x);
                lo_y = std::min(lo_y, p.y), hi_y = std::max(hi_y, p.y);
            }
            // Source cells under the bounding box (clamped as doubles: a far corner must not overflow int).
            auto index = [](double at, double edge0, double d, int n) {
                return static_cast<int>(std::clamp(std::floor((at - edge0) / d), -1.0, static_cast<double>(n)));
            };
            const int i0 = std::max(0, index(lo_x, xe0, source.dx, snx_)), i1 = std::min(snx_ - 1, index(hi_x, xe0, source.dx, snx_));
            const int j0 = std::max(0, index(lo_y, ye0, source.dy, sny_)), j1 = std::min(sny_ - 1, index(hi_y, ye0, source.dy, sny_));
            double covered = 0;
            for (int sj = j0; sj <= j1; ++sj)
                for (int si = i0; si <= i1; ++si) {
                    const double x0 = xe0 + si * source.dx, y0 = ye0 + sj * source.dy;
                    const double overlap = std::fabs(signed_area(clip_to_rectangle(quad, x0, x0 + source.dx, y0, y0 + source.dy)));
                    if (!(overlap > 0)) continue;
                    const std::size_t s = static_cast<std::size_t>(sj) * snx_ + si;
                    covered += overlap;
                    overlaps_[t].push_back({s, overlap * source_area_m2_[s] / (plane_cell * target.area_m2()[t])});
                }
            cover_h_[t] = std::min(1.0, covered / quad_area);
            covered_sum += cover_h_[t];
        }
    covered_fraction_ = covered_sum / static_cast<double>(tcols_);
    if (!(covered_sum > 0))
        throw ConfigError(source_name + ": its grid does not overlap the run's grid at all (no warm start possible)");

    // Vertical: depth of each source layer inside each target layer.
    const auto& zs = source.z_face_m;
    const auto& zt = target.z_face();
    vertical_.assign(static_cast<std::size_t>(tnz_) * snz_, 0.0);
    cover_v_.assign(tnz_, 0.0);
    source_above_.assign(snz_, 0.0);
    source_dz_m_.resize(snz_);
    for (int ks = 0; ks < snz_; ++ks) {
        source_dz_m_[ks] = zs[ks + 1] - zs[ks];
        source_above_[ks] = std::max(0.0, zs[ks + 1] - std::max(zs[ks], zt[tnz_])) / source_dz_m_[ks];
    }
    for (int k = 0; k < tnz_; ++k) {
        const double dz = zt[k + 1] - zt[k];
        for (int ks = 0; ks < snz_; ++ks) {
            const double depth = std::min(zs[ks + 1], zt[k + 1]) - std::max(zs[ks], zt[k]);
            if (depth > 0) {
                vertical_[static_cast<std::size_t>(k) * snz_ + ks] = depth / dz;
                cover_v_[k] += depth / dz;
            }
        }
        cover_v_[k] = std::min(1.0, cover_v_[k]);
    }

    same_grid_ = same_plane && snx_ == tnx && sny_ == tny && snz_ == tnz_;
    for (int i = 0; same_grid_ && i < snx_; ++i) same_grid_ = std::fabs(source.x[i] - target.x()[i]) <= 1e-9 * std::fabs(source.dx);
    for (int j = 0; same_grid_ && j < sny_; ++j) same_grid_ = std::fabs(source.y[j] - target.y()[j]) <= 1e-9 * std::fabs(source.dy);
    for (int k = 0; same_grid_ && k <= snz_; ++k) same_grid_ = std::fabs(zs[k] - zt[k]) <= kFaceMatchM;
}

std::vector<double> ConservativeRemap::apply(const std::vector<double>& c_source, const std::vector<double>& background) const {
    const std::size_t splane = static_cast<std::size_t>(snx_) * sny_;
    // Horizontal, per source layer: H(ks, t) = Σ_s weight c_s (the covered part's contribution).
    std::vector<double> h(static_cast<std::size_t>(snz_) * tcols_, 0.0);
    for (int ks = 0; ks < snz_; ++ks)
        for (std::size_t t = 0; t < tcols_; ++t) {
            double sum = 0;
            for (const Overlap& o : overlaps_[t]) sum += o.weight * c_source[ks * splane + o.source_column];
            h[ks * tcols_ + t] = sum;
        }
    // Vertical: c(k, t) = Σ_ks H(ks, t) depth(ks, k) / dz_k + background × (uncovered part).
    std::vector<double> out(static_cast<std::size_t>(tnz_) * tcols_);
    for (int k = 0; k < tnz_; ++k)
        for (std::size_t t = 0; t < tcols_; ++t) {
            double sum = 0;
            for (int ks = 0; ks < snz_; ++ks) {
                const double w = vertical_[static_cast<std::size_t>(k) * snz_ + ks];
                if (w > 0) sum += h[ks * tcols_ + t] * w;
            }
            const std::size_t cell = k * tcols_ + t;
            out[cell] = sum + background[cell] * (1.0 - cover_h_[t] * cover_v_[k]);
        }
    return out;
}

double ConservativeRemap::fraction_above_top(const std::vector<double>& c_source) const {
    const std::size_t splane = static_cast<std::size_t>(snx_) * sny_;
    double total = 0, above = 0;
    for (int ks = 0; ks < snz_; ++ks)
        for (std::size_t s = 0; s < splane; ++s) {
            const double m = c_source[ks * splane + s] * source_area_m2_[s] * source_dz_m_[ks];
            total += m;
            above += m * source_above_[ks];
        }
    return total > 0 ? above / total : 0.0;
}

std::string WarmStartReport::summary() const {
    std::ostringstream o;
    o << "initial state from " << file << " at " << format_iso_time_utc(valid_epoch_s) << " UTC ("
      << species_read.size() << " species" << (regridded ? ", regridded" : ", same grid") << ", "
      << 100.0 * covered_fraction << " % of the columns covered)";
    return o.str();
}

namespace {

// The valid times (UTC epoch s) of the `nt` records of an open state file or gridded output, from
// its time variable in "hours since YYYY-MM-DD HH:MM:SS"; ConfigError naming the file otherwise.
std::vector<double> record_epochs(const NcReader& nc, std::size_t nt) {
    const int time_var = nc.var("time");
    const std::string units = nc.text_att(time_var, "units");
    const std::string since = "hours since ";
    double reference_s = 0;
    std::string why;
    if (units.rfind(since, 0) != 0 || !try_parse_iso_time_utc(units.substr(since.size()), reference_s, why))
        throw ConfigError(nc.path() + ": time: units '" + units + "' are not 'hours since YYYY-MM-DD HH:MM:SS'");
    std::vector<double> epochs = nc.doubles(time_var, nt);
    for (double& e : epochs) e = reference_s + e * 3600.0;
    return epochs;
}

}  // namespace

SourceGrid read_source_grid(const NcReader& nc) {
    const std::string& file = nc.path();
    auto fail = [&](const std::string& why) { throw ConfigError(file + ": " + why); };
    // The grid: projection from the crs variable (CF grid mapping), cells from x and y, layers from z_bnds.
    SourceGrid src;
    const auto crs = nc.find_var("crs");
    if (!crs) fail("no crs variable: the projection of the state is unknown");
    auto number = [&](const char* name, std::size_t count) {
        std::size_t len = 0;
        if (nc_inq_attlen(nc.id(), *crs, name, &len) != NC_NOERR || len < count)
            fail(std::string("crs: attribute ") + name + " is missing (the projection cannot be read)");
        std::vector<double> all(len);
        nc.check(nc_get_att_double(nc.id(), *crs, name, all.data()), std::string("reading crs:") + name);
        return all;
    };
    const std::string mapping = nc.text_att(*crs, "grid_mapping_name");
    if (mapping == "lambert_conformal_conic") {
        src.kind = Projection::lambert;
        const std::vector<double> parallels = number("standard_parallel", 1);
        src.truelat1 = parallels[0];
        src.truelat2 = parallels.size() > 1 ? parallels[1] : parallels[0];
        src.stand_lon = number("longitude_of_central_meridian", 1)[0];
        src.center_lat = number("latitude_of_projection_origin", 1)[0];
        src.center_lon = src.stand_lon;
    } else if (mapping == "azimuthal_equidistant") {
        src.kind = Projection::cartesian;
        src.center_lon = number("longitude_of_projection_origin", 1)[0];
        src.center_lat = number("latitude_of_projection_origin", 1)[0];
    } else if (mapping == "polar_stereographic") {
        // Lantian's polar grids are true at standard_parallel (WRF's TRUELAT1), on the pole of its hemisphere.
        src.kind = Projection::polar;
        const double pole = number("latitude_of_projection_origin", 1)[0];
        if (std::fabs(std::fabs(pole) - 90.0) > kSameDegrees)
            fail("crs: latitude_of_projection_origin = " + format_hours(pole) + ": a polar stereographic grid needs +90 or -90");
        std::size_t len = 0;
        if (nc_inq_attlen(nc.id(), *crs, "standard_parallel", &len) != NC_NOERR)
            fail("crs: attribute standard_parallel is missing (Lantian reads polar stereographic grids by their true "
                 "latitude, not scale_factor_at_projection_origin)");
        src.truelat1 = number("standard_parallel", 1)[0];
        if (src.truelat1 == 0.0 || (src.truelat1 > 0) != (pole > 0))
            fail("crs: standard_parallel = " + format_hours(src.truelat1) + " is not in the hemisphere of the pole (" +
                 format_hours(pole) + ")");
        src.stand_lon = number("straight_vertical_longitude_from_pole", 1)[0];
        src.center_lat = pole;
        src.center_lon = src.stand_lon;
    } else if (mapping == "mercator") {
        src.kind = Projection::mercator;
        std::size_t len = 0;
        if (nc_inq_attlen(nc.id(), *crs, "standard_parallel", &len) != NC_NOERR)
            fail("crs: attribute standard_parallel is missing (Lantian reads Mercator grids by their true latitude, "
                 "not scale_factor_at_projection_origin)");
        src.truelat1 = number("standard_parallel", 1)[0];
        if (!(std::fabs(src.truelat1) < 90.0))
            fail("crs: standard_parallel = " + format_hours(src.truelat1) + ": a Mercator grid needs |value| < 90");
        src.stand_lon = number("longitude_of_projection_origin", 1)[0];
        src.center_lat = 0.0;
        src.center_lon = src.stand_lon;
    } else if (mapping == "latitude_longitude") {
        src.kind = Projection::latlon;
    } else if (mapping.empty()) {
        fail("crs has no grid_mapping_name: the projection of the state cannot be read");
    } else {
        fail("crs: grid_mapping_name '" + mapping + "' is not one Lantian reads (lambert_conformal_conic, "
             "polar_stereographic, mercator, azimuthal_equidistant, latitude_longitude)");
    }
    if (std::size_t len = 0; nc_inq_attlen(nc.id(), *crs, "earth_radius", &len) == NC_NOERR) {
        const double r = number("earth_radius", 1)[0];
        if (std::fabs(r - kEarthRadiusM) > 1.0)
            fail("crs: earth_radius = " + format_hours(r) + " m; Lantian's grids use a sphere of " +
                 format_hours(kEarthRadiusM) + " m");
    }
    // Parameters PROJ cannot make a projection of (a Lambert cone across the equator, a pole as the
    // origin) are the file's fault, named as such.
    try {
        (void)MapProjection(src.kind, src.center_lon, src.center_lat, src.truelat1, src.truelat2, src.stand_lon);
    } catch (const std::invalid_argument& e) {
        fail("crs: the projection of its grid mapping '" + mapping + "' cannot be built: " + e.what());
    }
    const std::size_t nx = nc.dim("x"), ny = nc.dim("y"), nz = nc.dim("z");
    src.x = nc.doubles("x", nx);
    src.y = nc.doubles("y", ny);
    auto spacing = [&](const std::vector<double>& c, const char* axis, const char* attribute) {
        double d = 0;
        if (c.size() >= 2) {
            d = (c.back() - c.front()) / static_cast<double>(c.size() - 1);
        } else {
            const std::string text = nc.text_att(NC_GLOBAL, attribute);
            if (!text.empty()) d = std::strtod(text.c_str(), nullptr);
        }
        if (!(d > 0))
            fail(std::string("cannot tell the cell size along ") + axis + " (the coordinates must increase; one cell needs the attribute " +
                 attribute + ")");
        for (std::size_t n = 1; n < c.size(); ++n)
            if (std::fabs(c[n] - c[n - 1] - d) > kUniformSpacing * d)
                fail(std::string("the ") + axis + " coordinates are not evenly spaced (a regular grid is needed)");
        return d;
    };
    src.dx = spacing(src.x, "x", "lantian_grid_dx");
    src.dy = spacing(src.y, "y", "lantian_grid_dy");
    const auto bounds_var = nc.find_var("z_bnds");
    if (!bounds_var) fail("no z_bnds variable: the layer faces of the state are unknown");
    const std::vector<double> bounds = nc.doubles(*bounds_var, nz * 2);
    src.z_face_m.resize(nz + 1);
    for (std::size_t k = 0; k < nz; ++k) {
        src.z_face_m[k] = bounds[2 * k];
        if (!(bounds[2 * k + 1] > bounds[2 * k]) || (k > 0 && std::fabs(bounds[2 * k] - bounds[2 * k - 1]) > kFaceMatchM))
            fail("z_bnds: layer " + std::to_string(k + 1) + " is not a layer above the one below it");
    }
    src.z_face_m[nz] = bounds[2 * nz - 1];

    return src;
}

std::vector<double> state_record_times(const std::string& file) {
    const NcReader nc(file, "cannot open the state file", " (not a Lantian gridded output or state file?)");
    return record_epochs(nc, nc.dim("time"));
}

WarmStartReport warm_start(const Config& cfg, const std::string& file, double start_epoch_s, const Grid& grid,
                           const TracerLayout& layout, const MetState& met0, State& state) {
    fill_initial_state(cfg, grid, layout, met0, state);
    WarmStartReport report;
    report.file = file;
    report.valid_epoch_s = start_epoch_s;
    const NcReader nc(file, "cannot open the initial state", " (not a Lantian gridded output or state file?)");
    auto fail = [&](const std::string& why) { throw ConfigError(file + ": " + why); };

    const SourceGrid src = read_source_grid(nc);
    const std::size_t nx = src.x.size(), ny = src.y.size(), nz = static_cast<std::size_t>(src.nz()), nt = nc.dim("time");

    // The record at the start.
    const std::vector<double> epochs = record_epochs(nc, nt);
    std::size_t record = nt;
    std::string available;
    for (std::size_t n = 0; n < nt; ++n) {
        const double epoch = epochs[n];
        if (std::fabs(epoch - start_epoch_s) < kSameTimeS) record = n;
        available += (available.empty() ? "" : ", ") + format_iso_time_utc(epoch);
    }
    if (record == nt)
        fail("no record at the run's start " + format_iso_time_utc(start_epoch_s) + " UTC; the file holds " +
             (nt == 0 ? std::string("no records") : available));

    const ConservativeRemap remap(src, grid, file);
    report.regridded = !remap.same_grid();
    report.covered_fraction = remap.covered_fraction();

    const std::size_t splane = nx * ny, plane = grid.columns();
    const int nphys = layout.nphys();
    double worst_above = 0;
    std::string worst_above_species;
    for (int s = 0; s < nphys; ++s) {
        const std::string& name = layout.species[s];
        const auto var = nc.find_var(name + "_3d");
        if (!var) {
            report.missing.push_back(name);
            continue;
        }
        int ndims = 0;
        nc.check(nc_inq_varndims(nc.id(), *var, &ndims), "reading " + name + "_3d");
        if (ndims != 4) fail(name + "_3d has " + std::to_string(ndims) + " dimensions, expected (time, z, y, x)");
        const std::string var_units = nc.text_att(*var, "units");
        double scale = 1.0;  // to µg m-3
        if (var_units == "mg m-3")
            scale = 1000.0;
        else if (var_units != "ug m-3")
            fail(name + "_3d: units '" + var_units + "'; a warm start reads ug m-3 or mg m-3");
        std::vector<double> c(nz * splane);
        const std::array<std::size_t, 4> start{record, 0, 0, 0}, count{1, nz, ny, nx};
        nc.check(nc_get_vara_double(nc.id(), *var, start.data(), count.data(), c.data()), "reading " + name + "_3d");
        for (std::size_t n = 0; n < c.size(); ++n) {
            if (!std::isfinite(c[n]) || c[n] < 0 || c[n] >= 0.5 * NC_FILL_FLOAT) {
                std::ostringstream m;
                m << name << "_3d at " << format_iso_time_utc(start_epoch_s) << ": value " << c[n] << " at i=" << n % nx
                  << " j=" << (n / nx) % ny << " k=" << n / splane << " is " << (c[n] < 0 ? "negative" : "not finite (or the fill value)");
                fail(m.str());
            }
            c[n] *= scale;
        }
        // Background: the concentration fill_initial_state gave (c = m q / V).
        const real* q_base = state.species(layout.tracer(0, s));
        std::vector<double> background(grid.cells());
        for (int k = 0; k < grid.nz(); ++k)
            for (std::size_t col = 0; col < plane; ++col) {
                const std::size_t cell = k * plane + col;
                background[cell] = q_base[cell] * state.air_mass_kg[cell] / (grid.area_m2()[col] * grid.dz()[k]);
            }
        const std::vector<double> warm = remap.apply(c, background);
        const double above = remap.fraction_above_top(c);
        if (above > worst_above) worst_above = above, worst_above_species = name;
        // Mixing ratio q = c V / m (µg kg-1), into every scenario block and the background tag.
        std::vector<int> blocks;
        for (int b = 0; b < layout.nscenarios(); ++b) blocks.push_back(b);
        if (layout.ntags() > 0) blocks.push_back(layout.blocks() - 1);
        for (int b : blocks) {
            if (layout.tracer(b, s) < 0) continue;  // a species without tags (tags.species)
            real* q = state.species(layout.tracer(b, s));
            for (int k = 0; k < grid.nz(); ++k)
                for (std::size_t col = 0; col < plane; ++col) {
                    const std::size_t cell = k * plane + col;
                    q[cell] = static_cast<real>(warm[cell] * grid.area_m2()[col] * grid.dz()[k] / state.air_mass_kg[cell]);
                }
        }
        report.species_read.push_back(name);
    }
    if (report.species_read.empty())
        fail("none of the run's species has a _3d variable (is it a state file or 3-D output?)");
    if (!report.missing.empty()) {
        std::string list;
        for (const auto& n : report.missing) list += (list.empty() ? "" : " ") + n;
        report.warnings.push_back("species " + list + " not in " + file + ": start" + (report.missing.size() == 1 ? "s" : "") +
                                  " from background");
    }
    if (report.covered_fraction < 1.0 - 1e-9) {
        std::ostringstream m;
        m << file << " covers " << 100.0 * report.covered_fraction
          << " % of the grid's columns; the rest starts from background";
        report.warnings.push_back(m.str());
    }
    if (worst_above > 1e-12) {
        std::ostringstream m;
        m << file << " reaches " << src.z_face_m.back() << " m, above the grid's top at " << grid.z_face().back()
          << " m: up to " << 100.0 * worst_above << " % of a species' column mass (" << worst_above_species
          << ") is above and left out";
        report.warnings.push_back(m.str());
    }
    return report;
}

}  // namespace lantian
