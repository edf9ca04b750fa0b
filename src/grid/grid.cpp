// Grid geometry. On a conformal projection a map length L_map corresponds to L_map / m on the
// sphere, so areas are dx dy / m² and face lengths dy / m (m at the face); for latlon the exact
// spherical formulas are used.
#include "grid/grid.hpp"

#include <cmath>
#include <stdexcept>

namespace lantian {

std::vector<double> stretched_faces(int nz, double first_m, double top_m) {
    // Find the growth ratio r with first (r^nz − 1)/(r − 1) = top by bisection.
    std::vector<double> faces(static_cast<std::size_t>(nz) + 1, 0.0);
    double r = 1.0;
    if (first_m * nz < top_m) {
        double lo = 1.0, hi = 3.0;
        for (int it = 0; it < 200; ++it) {
            const double mid = 0.5 * (lo + hi);
            const double total = first_m * (std::pow(mid, nz) - 1.0) / (mid - 1.0);
            (total > top_m ? hi : lo) = mid;
        }
        r = 0.5 * (lo + hi);
    }
    double thick = (r == 1.0) ? top_m / nz : first_m;
    for (int k = 1; k <= nz; ++k) {
        faces[k] = faces[k - 1] + thick;
        thick *= r;
    }
    faces[nz] = top_m;
    return faces;
}

Grid::Grid(const GridConfig& cfg)
    : cfg_(cfg),
      proj_(cfg.projection, cfg.center_lon, cfg.center_lat, cfg.truelat1, cfg.truelat2,
            cfg.stand_lon > 1e8 ? cfg.center_lon : cfg.stand_lon),
      nx_(cfg.nx), ny_(cfg.ny) {
    const bool ll = cfg.projection == Projection::latlon;
    dx_ = ll ? cfg.dlon_deg : cfg.dx_m;
    dy_ = ll ? cfg.dlat_deg : (cfg.dy_m > 0 ? cfg.dy_m : cfg.dx_m);

    const XY c = proj_.forward({cfg.center_lon, cfg.center_lat});
    x_.resize(nx_);
    y_.resize(ny_);
    for (int i = 0; i < nx_; ++i) x_[i] = c.x + (i - 0.5 * (nx_ - 1)) * dx_;
    for (int j = 0; j < ny_; ++j) y_[j] = c.y + (j - 0.5 * (ny_ - 1)) * dy_;

    lat_.resize(columns());
    lon_.resize(columns());
    area_.resize(columns());
    len_x_.resize(static_cast<std::size_t>(ny_) * (nx_ + 1));
    dist_x_.resize(len_x_.size());
    len_y_.resize(static_cast<std::size_t>(ny_ + 1) * nx_);
    dist_y_.resize(len_y_.size());

    auto lat_at = [&](double xx, double yy) { return proj_.inverse({xx, yy}).lat_deg; };
    for (int j = 0; j < ny_; ++j) {
        for (int i = 0; i < nx_; ++i) {
            const LonLat p = proj_.inverse({x_[i], y_[j]});
            const std::size_t at = static_cast<std::size_t>(j) * nx_ + i;
            lat_[at] = p.lat_deg;
            lon_[at] = p.lon_deg;
            if (ll) {
                const double phi_s = (y_[j] - 0.5 * dy_) * kDegToRad, phi_n = (y_[j] + 0.5 * dy_) * kDegToRad;
                area_[at] = kEarthRadiusM * kEarthRadiusM * dx_ * kDegToRad * (std::sin(phi_n) - std::sin(phi_s));
            } else {
                const double m = proj_.map_factor(p.lat_deg);
                area_[at] = dx_ * dy_ / (m * m);
            }
        }
        for (int f = 0; f <= nx_; ++f) {
            const double xf = x_[0] + (f - 0.5) * dx_;
            const std::size_t at = static_cast<std::size_t>(j) * (nx_ + 1) + f;
            if (ll) {
                len_x_[at] = kEarthRadiusM * dy_ * kDegToRad;
                dist_x_[at] = kEarthRadiusM * std::cos(y_[j] * kDegToRad) * dx_ * kDegToRad;
            } else {
                const double m = proj_.map_factor(lat_at(xf, y_[j]));
                len_x_[at] = dy_ / m;
                dist_x_[at] = dx_ / m;
            }
        }
    }
    for (int f = 0; f <= ny_; ++f) {
        const double yf = y_[0] + (f - 0.5) * dy_;
        for (int i = 0; i < nx_; ++i) {
            const std::size_t at = static_cast<std::size_t>(f) * nx_ + i;
            if (ll) {
                len_y_[at] = kEarthRadiusM * std::cos(yf * kDegToRad) * dx_ * kDegToRad;
                dist_y_[at] = kEarthRadiusM * dy_ * kDegToRad;
            } else {
                const double m = proj_.map_factor(lat_at(x_[i], yf));
                len_y_[at] = dx_ / m;
                dist_y_[at] = dy_ / m;
            }
        }
    }

    z_face_ = cfg.layer_faces_m.empty() ? stretched_faces(cfg.nz, cfg.first_layer_m, cfg.top_m) : cfg.layer_faces_m;
    nz_ = static_cast<int>(z_face_.size()) - 1;
    z_center_.resize(nz_);
    dz_.resize(nz_);
    for (int k = 0; k < nz_; ++k) {
        dz_[k] = z_face_[k + 1] - z_face_[k];
        z_center_[k] = 0.5 * (z_face_[k] + z_face_[k + 1]);
    }
}

bool Grid::locate(LonLat p, double& fi, double& fj) const {
    const XY q = proj_.forward(p);
    fi = (q.x - x_[0]) / dx_;
    fj = (q.y - y_[0]) / dy_;
    return fi >= -0.5 && fi < nx_ - 0.5 && fj >= -0.5 && fj < ny_ - 0.5;
}

int Grid::layer_of(double z_m) const {
    for (int k = 0; k < nz_; ++k)
        if (z_m < z_face_[k + 1]) return k;
    return nz_ - 1;
}

}  // namespace lantian
