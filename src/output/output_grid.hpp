// The model grid described for output files (coordinates and grid-mapping parameters).
#pragma once

#include "output/netcdf_writer.hpp"

namespace lantian {

class Grid;
OutputGrid output_grid(const Grid& grid);

}  // namespace lantian
