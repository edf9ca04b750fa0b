// Polyline rasterisation and conservative regridding onto the model grid.
#include "emissions/gridding.hpp"

#include <algorithm>
#include <cmath>

#include "grid/grid.hpp"

namespace lantian {

namespace {

struct IndexPoint {
    double i, j;  // fractional grid index (cell i spans [i − 0.5, i + 0.5))
};

IndexPoint to_index(const Grid& g, LonLat p) {
    IndexPoint q{0, 0};
    g.locate(p, q.i, q.j);
    return q;
}

bool inside_domain(const Grid& g, int i, int j) { return i >= 0 && i < g.nx() && j >= 0 && j < g.ny(); }

// Haversine great-circle distance on the model sphere (m).
double great_circle_m(LonLat a, LonLat b) {
    const double p1 = a.lat_deg * kDegToRad, p2 = b.lat_deg * kDegToRad;
    const double dp = p2 - p1, dl = (b.lon_deg - a.lon_deg) * kDegToRad;
    const double h = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2.0 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(h)));
}

// Sutherland–Hodgman clip of a polygon against the half-plane sign·(coord − edge) ≤ 0 on axis x (0) or y (1).
std::vector<IndexPoint> clip_half_plane(const std::vector<IndexPoint>& poly, int axis, double edge, double sign) {
    std::vector<IndexPoint> out;
    const std::size_t n = poly.size();
    if (n == 0) return out;
    auto coord = [axis](const IndexPoint& p) { return axis == 0 ? p.i : p.j; };
    auto inside = [&](const IndexPoint& p) { return sign * (coord(p) - edge) <= 0.0; };
    for (std::size_t k = 0; k < n; ++k) {
        const IndexPoint& a = poly[k];
        const IndexPoint& b = poly[(k + 1) % n];
        const bool ia = inside(a), ib = inside(b);
        if (ia) out.push_back(a);
        if (ia != ib) {
            const double t = (edge - coord(a)) / (coord(b) - coord(a));
            out.push_back({a.i + t * (b.i - a.i), a.j + t * (b.j - a.j)});
        }
    }
    return out;
}

// Shoelace area (index units², positive for either orientation).
double polygon_area(const std::vector<IndexPoint>& poly) {
    double twice = 0;
    for (std::size_t k = 0; k < poly.size(); ++k) {
        const IndexPoint& a = poly[k];
        const IndexPoint& b = poly[(k + 1) % poly.size()];
        twice += a.i * b.j - b.i * a.j;
    }
    return 0.5 * std::fabs(twice);
}

// Points per rectangle edge so that a densified edge deviates from the projected curve by far
// less than a cell: one vertex per quarter cell of extent, at least 2.
constexpr double kVerticesPerCell = 4.0;
constexpr double kSliverArea = 1e-12;      // index units²: edges that coincide leave slivers of round-off
constexpr int kMaxVerticesPerEdge = 4096;  // a source cell far larger than the domain needs no finer edge

}  // namespace

double polyline_length_m(const std::vector<LonLat>& v) {
    double length = 0;
    for (std::size_t k = 1; k < v.size(); ++k) length += great_circle_m(v[k - 1], v[k]);
    return length;
}

std::vector<CellWeight> rasterise_polyline(const Grid& g, const std::vector<LonLat>& vertices, double& outside) {
    std::vector<CellWeight> by_cell;
    outside = 0;
    const double total = polyline_length_m(vertices);
    if (vertices.size() < 2 || total <= 0) {
        // A degenerate link has no length to share: all of it goes to the cell of its first vertex.
        double fi = 0, fj = 0;
        const bool in = !vertices.empty() && g.locate(vertices[0], fi, fj);
        if (!in) {
            outside = 1;
            return by_cell;
        }
        by_cell.push_back({static_cast<std::size_t>(std::lround(fj)) * g.nx() + std::lround(fi), 1.0});
        return by_cell;
    }
    std::vector<double> crossings;
    for (std::size_t k = 1; k < vertices.size(); ++k) {
        const double seg_share = great_circle_m(vertices[k - 1], vertices[k]) / total;
        if (seg_share <= 0) continue;
        const IndexPoint a = to_index(g, vertices[k - 1]), b = to_index(g, vertices[k]);
        // Parameters t in (0, 1) where the segment crosses a cell edge (index + 0.5).
        crossings.assign({0.0, 1.0});
        for (int axis = 0; axis < 2; ++axis) {
            const double p0 = axis == 0 ? a.i : a.j, p1 = axis == 0 ? b.i : b.j;
            if (p0 == p1) continue;
            const double lo = std::min(p0, p1), hi = std::max(p0, p1);
            for (double e = std::floor(lo - 0.5) + 0.5; e <= hi; e += 1.0) {
                const double t = (e - p0) / (p1 - p0);
                if (t > 0 && t < 1) crossings.push_back(t);
            }
        }
        std::sort(crossings.begin(), crossings.end());
        for (std::size_t c = 1; c < crossings.size(); ++c) {
            const double t0 = crossings[c - 1], t1 = crossings[c];
            if (t1 <= t0) continue;
            const double tm = 0.5 * (t0 + t1);
            const int i = static_cast<int>(std::floor(a.i + tm * (b.i - a.i) + 0.5));
            const int j = static_cast<int>(std::floor(a.j + tm * (b.j - a.j) + 0.5));
            const double w = seg_share * (t1 - t0);
            if (inside_domain(g, i, j))
                by_cell.push_back({static_cast<std::size_t>(j) * g.nx() + i, w});
            else
                outside += w;
        }
    }
    // Merge repeated cells (a polyline may enter a cell more than once), in column order.
    std::sort(by_cell.begin(), by_cell.end(), [](const CellWeight& x, const CellWeight& y) { return x.column < y.column; });
    std::vector<CellWeight> merged;
    for (const auto& cw : by_cell) {
        if (!merged.empty() && merged.back().column == cw.column)
            merged.back().weight += cw.weight;
        else
            merged.push_back(cw);
    }
    return merged;
}

std::vector<CellWeight> regrid_lonlat_cell(const Grid& g, double lon0, double lat0, double lon1, double lat1,
                                           double& outside) {
    std::vector<CellWeight> weights;
    outside = 0;
    // Corners in index space give the extent that sets the densification.
    const IndexPoint c00 = to_index(g, {lon0, lat0}), c10 = to_index(g, {lon1, lat0}), c11 = to_index(g, {lon1, lat1}),
                     c01 = to_index(g, {lon0, lat1});
    double extent = 0;
    for (const auto& [p, q] : {std::pair{c00, c10}, std::pair{c10, c11}, std::pair{c11, c01}, std::pair{c01, c00}})
        extent = std::max(extent, std::hypot(q.i - p.i, q.j - p.j));
    if (!std::isfinite(extent)) {
        outside = 1;
        return weights;
    }
    const int n = std::clamp(static_cast<int>(std::ceil(extent * kVerticesPerCell)), 2, kMaxVerticesPerEdge);
    std::vector<IndexPoint> poly;
    poly.reserve(4 * n);
    // Counter-clockwise in lon/lat: south edge east-bound, east edge north-bound, north edge west-bound, west edge south-bound.
    for (int e = 0; e < 4; ++e)
        for (int k = 0; k < n; ++k) {
            const double s = static_cast<double>(k) / n;
            LonLat p{};
            if (e == 0) p = {lon0 + s * (lon1 - lon0), lat0};
            if (e == 1) p = {lon1, lat0 + s * (lat1 - lat0)};
            if (e == 2) p = {lon1 - s * (lon1 - lon0), lat1};
            if (e == 3) p = {lon0, lat1 - s * (lat1 - lat0)};
            poly.push_back(to_index(g, p));
        }
    double imin = 1e300, imax = -1e300, jmin = 1e300, jmax = -1e300;
    for (const auto& p : poly) {
        imin = std::min(imin, p.i);
        imax = std::max(imax, p.i);
        jmin = std::min(jmin, p.j);
        jmax = std::max(jmax, p.j);
    }
    if (imax < -0.5 || imin >= g.nx() - 0.5 || jmax < -0.5 || jmin >= g.ny() - 0.5) {
        outside = 1;
        return weights;
    }
    // Only cells inside the domain are clipped; the rest of the polygon is outside, weighted with
    // the area factor of the domain cell nearest to the polygon's centre.
    const int i0 = std::max(0, static_cast<int>(std::floor(imin + 0.5)));
    const int i1 = std::min(g.nx() - 1, static_cast<int>(std::floor(imax + 0.5)));
    const int j0 = std::max(0, static_cast<int>(std::floor(jmin + 0.5)));
    const int j1 = std::min(g.ny() - 1, static_cast<int>(std::floor(jmax + 0.5)));
    auto area_factor = [&](int i, int j) { return g.area_m2()[static_cast<std::size_t>(j) * g.nx() + i]; };
    double inside_index_area = 0, inside = 0;
    for (int j = j0; j <= j1; ++j) {
        // Clip the polygon to the row band first, then to each cell of the row.
        std::vector<IndexPoint> band = clip_half_plane(poly, 1, j - 0.5, -1.0);
        band = clip_half_plane(band, 1, j + 0.5, 1.0);
        if (band.size() < 3) continue;
        for (int i = i0; i <= i1; ++i) {
            std::vector<IndexPoint> cell = clip_half_plane(band, 0, i - 0.5, -1.0);
            cell = clip_half_plane(cell, 0, i + 0.5, 1.0);
            if (cell.size() < 3) continue;
            const double a = polygon_area(cell);
            if (a <= kSliverArea) continue;
            inside_index_area += a;
            inside += a * area_factor(i, j);
            weights.push_back({static_cast<std::size_t>(j) * g.nx() + i, a * area_factor(i, j)});
        }
    }
    const int ic = std::clamp(static_cast<int>(std::lround(0.5 * (imin + imax))), 0, g.nx() - 1);
    const int jc = std::clamp(static_cast<int>(std::lround(0.5 * (jmin + jmax))), 0, g.ny() - 1);
    outside = std::max(0.0, polygon_area(poly) - inside_index_area) * area_factor(ic, jc);
    const double total = inside + outside;
    if (total <= 0) {
        outside = 1;
        weights.clear();
        return weights;
    }
    for (auto& w : weights) w.weight /= total;
    outside /= total;
    return weights;
}

}  // namespace lantian
