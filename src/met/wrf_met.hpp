// Weather from WRF output (wrfout NetCDF), read directly: one or many files, hourly or irregular
// times. Owns reading and checking the files, the model grid they imply (the WRF grid or a window
// of it, same projection: Lambert, polar stereographic or Mercator), the mass-consistent remap of WRF's levels onto Lantian's layers,
// and the derived boundary-layer quantities. Every problem with the files is a ConfigError naming
// file, variable and what is wrong.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "met/met_source.hpp"

namespace lantian {

class Grid;

// The files named by met.files, glob patterns expanded (each pattern's matches sorted by name),
// resolved against the config's folder. ConfigError when a pattern matches nothing.
std::vector<std::string> wrf_files(const Config& cfg);

// The horizontal grid of the WRF files, or of the window met.i0..i1 × met.j0..j1: the files'
// projection (MAP_PROJ 1 Lambert conformal, 2 polar stereographic, 3 Mercator; others are a
// ConfigError) with their TRUELAT1/2, STAND_LON, DX and DY, centred on the window's centre as
// located from XLAT/XLONG, which must lie on that grid. The vertical layers are those of cfg.grid.
GridConfig wrf_grid_config(const Config& cfg);

// cfg with its horizontal grid taken from the WRF files when met.source = wrf; cfg otherwise.
Config with_met_grid(const Config& cfg);

// The WRF met source for a grid made by wrf_grid_config. Checks every file (variables present,
// same grid, supported projection) and that the files' times increase and cover the run.
std::unique_ptr<MetSource> make_wrf_met_source(const Config& cfg, const Grid& grid, double start_epoch_s);

}  // namespace lantian
