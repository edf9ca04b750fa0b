// Geometry that puts inventory sources on the model grid: road polylines rasterised by the length
// in each cell, and longitude-latitude cells regridded conservatively by area overlap. Returns
// weights only; what is emitted where is the emission model's business.
#pragma once

#include <cstddef>
#include <vector>

#include "grid/projection.hpp"

namespace lantian {

class Grid;

struct CellWeight {
    std::size_t column;  // j*nx + i
    double weight;       // share of the source in that column
};

// Shares of a polyline's length per grid column. Vertices are joined by straight lines on the map
// (index space of the grid); each segment's great-circle length is split by the fraction of the
// segment inside each cell, so a segment through a cell corner splits exactly by length.
// `outside` receives the share of the length outside the domain; weights + outside sum to 1.
std::vector<CellWeight> rasterise_polyline(const Grid& grid, const std::vector<LonLat>& vertices, double& outside);

// Great-circle length of a polyline on the model sphere (m).
double polyline_length_m(const std::vector<LonLat>& vertices);

// Shares of a longitude-latitude rectangle [lon0, lon1] × [lat0, lat1] per grid column by area
// overlap: the rectangle's edges are densified, projected into the grid's index space and clipped
// against each model cell (Sutherland–Hodgman); each clipped area is weighted by the cell's area
// on the sphere per unit index area, and the weights are normalised so that weights + outside = 1
// (conservative by construction).
std::vector<CellWeight> regrid_lonlat_cell(const Grid& grid, double lon0, double lat0, double lon1, double lat1,
                                           double& outside);

}  // namespace lantian
