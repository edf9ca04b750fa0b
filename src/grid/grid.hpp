// The model grid: sizes, horizontal geometry on the sphere (cell areas, face lengths, centre
// distances from the projection's map factors) and layer heights. Built once; read by everyone.
#pragma once

#include <cstddef>
#include <vector>

#include "config/config.hpp"
#include "grid/projection.hpp"

namespace lantian {

class Grid {
public:
    explicit Grid(const GridConfig& cfg);

    int nx() const { return nx_; }
    int ny() const { return ny_; }
    int nz() const { return nz_; }
    std::size_t cells() const { return static_cast<std::size_t>(nx_) * ny_ * nz_; }
    std::size_t columns() const { return static_cast<std::size_t>(nx_) * ny_; }
    const MapProjection& projection() const { return proj_; }
    const GridConfig& config() const { return cfg_; }

    // Projection coordinates of centres (m, or degrees for latlon) and their spacing.
    const std::vector<double>& x() const { return x_; }
    const std::vector<double>& y() const { return y_; }
    double dx() const { return dx_; }
    double dy() const { return dy_; }
    const std::vector<double>& lat() const { return lat_; }  // ny*nx, degrees
    const std::vector<double>& lon() const { return lon_; }  // ny*nx, degrees

    // Horizontal geometry on the sphere (m, m2), all row-major:
    const std::vector<double>& area_m2() const { return area_; }           // ny*nx cell areas
    const std::vector<double>& face_x_length_m() const { return len_x_; }  // ny*(nx+1): length of x-faces
    const std::vector<double>& face_y_length_m() const { return len_y_; }  // (ny+1)*nx: length of y-faces
    const std::vector<double>& face_x_distance_m() const { return dist_x_; }  // ny*(nx+1): centre-to-centre
    const std::vector<double>& face_y_distance_m() const { return dist_y_; }  // (ny+1)*nx

    // Vertical (m above ground).
    const std::vector<double>& z_face() const { return z_face_; }     // nz+1, from 0
    const std::vector<double>& z_center() const { return z_center_; } // nz
    const std::vector<double>& dz() const { return dz_; }             // nz

    // Fractional grid index of a point (cell i spans [i-0.5, i+0.5)); false if outside the domain.
    bool locate(LonLat p, double& fi, double& fj) const;
    // Layer containing height z (m above ground), clamped to [0, nz-1].
    int layer_of(double z_m) const;

private:
    GridConfig cfg_;
    MapProjection proj_;
    int nx_, ny_, nz_;
    double dx_, dy_;
    std::vector<double> x_, y_, lat_, lon_;
    std::vector<double> area_, len_x_, len_y_, dist_x_, dist_y_;
    std::vector<double> z_face_, z_center_, dz_;
};

// Stretched layer faces: first layer `first_m` thick, geometric growth to `top_m` in nz layers.
std::vector<double> stretched_faces(int nz, double first_m, double top_m);

}  // namespace lantian
