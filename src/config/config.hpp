// Typed run configuration with in-line defaults. Owns the meaning and default of every key;
// the key table lives in config_keys.cpp, reading and checks in config_parser.cpp. Nothing here touches the grid or files.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "advection_schemes.hpp"  // kernels::Reconstruction and its names: the advection schemes

namespace lantian {

// A configuration problem: exit code 2. The message names the file/key, the value and what is allowed.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Drops the UTF-8 byte-order mark that spreadsheet programs and some editors put before the first
// line of a text file (the INI, CSV tables), so that it is read as the same text without it.
inline void drop_utf8_bom(std::string& first_line) {
    if (first_line.starts_with("\xEF\xBB\xBF")) first_line.erase(0, 3);
}

enum class Projection { lambert, latlon, cartesian, polar, mercator };
enum class MetKind { episode, uniform, rotation, swirl, ridge, surface_layer, wrf };
// The advection scheme (transport.advection) is the kernels' own enum, kernels::Reconstruction: one
// list of schemes, kernels/advection_schemes.hpp.
enum class HorizontalDiffusion { off, constant, smagorinsky };
enum class KzMode { similarity, constant };
enum class BoundaryKind { open, periodic };

struct RunConfig {
    std::string start = "2026-01-10T00:00:00";  // UTC, ISO 8601
    double hours = 240.0;                       // h, length of the run
    double max_dt_s = 900.0;                    // s, upper bound of the adaptive step
    double min_dt_s = 1.0;                      // s, floor of the CFL step: a run needing less stops (RunError)
    double cfl = 0.9;                           // horizontal Courant limit of the split scheme
    std::string title = "Lantian simulation";
    int log_interval_h = 6;                     // h of simulated time between log lines (non-terminal)
    std::string initial_state;                  // "" = cold start; else a state file (warm start, relative to the config)
};

struct GridConfig {
    Projection projection = Projection::lambert;
    int nx = 100;
    int ny = 64;
    double dx_m = 4000.0;        // m (all but latlon)
    double dy_m = 0.0;           // m; 0 = same as dx_m
    double dlon_deg = 0.05;      // degrees (latlon)
    double dlat_deg = 0.05;      // degrees (latlon)
    double center_lon = 110.75;  // degrees east
    double center_lat = 40.70;   // degrees north
    double truelat1 = 30.0;      // degrees (lambert; polar, mercator: the true latitude)
    double truelat2 = 60.0;      // degrees (lambert)
    double stand_lon = 1.0e9;    // degrees (lambert, polar, mercator); sentinel = center_lon
    // Vertical: explicit faces (m above ground, starting at 0) or a stretched set.
    std::vector<double> layer_faces_m;
    int nz = 16;
    double first_layer_m = 30.0;  // m, thickness of the lowest layer (stretched)
    double top_m = 4000.0;        // m, model top above ground (stretched)
};

// The climate of the idealized episode (met.source = episode).
enum class EpisodeSeason { winter, summer, spring };

struct MetConfig {
    MetKind source = MetKind::episode;
    double interval_s = 3600.0;        // s between met snapshots (interpolated linearly in time)
    // Analytic flows
    double speed_m_s = 5.0;            // m s-1 (uniform, ridge)
    double direction_deg = 270.0;      // meteorological: direction the wind blows FROM (270 = westerly)
    double period_h = 24.0;            // h (rotation: one revolution; swirl: reversal period)
    double ridge_height_m = 800.0;     // m (ridge)
    double ridge_halfwidth_m = 20000.0;// m (ridge)
    double ridge_amplitude = 0.5;      // relative speed-up over the ridge crest
    double ridge_oscillation_h = 6.0;  // h, period of the time variation of the ridge flow
    // Thermodynamics and mixing shared by the analytic flows
    double temperature_k = 270.0;      // K at the surface
    double surface_pressure_pa = 90000.0;  // Pa
    KzMode kz_mode = KzMode::similarity;
    double kz_m2_s = 10.0;             // m2 s-1 (kz_mode = constant)
    double kz_min_m2_s = 0.1;          // m2 s-1, floor above the boundary layer
    double kz_scale = 1.0;             // factor on Kz after the floor (sensitivity studies)
    // Surface-layer driven boundary layer (met station style)
    double ref_height_m = 10.0;        // m, height of speed_m_s
    double ustar_m_s = 0.0;            // m s-1; > 0 overrides speed_m_s
    double z0_m = 0.1;                 // m, roughness length
    double mo_length_m = 1.0e6;        // m, Monin-Obukhov length (|L| large = neutral)
    double pblh_m = 800.0;             // m
    std::string table;                 // hourly CSV of surface parameters (surface_layer); empty = constant
    // Episode
    EpisodeSeason episode_season = EpisodeSeason::winter;  // the episode's climate (temperature, day length, mixing)
    double episode_cycle_h = 108.0;    // h, one build-up plus cold-front clearing
    std::string episode_origin;        // UTC ISO time the episode cycles count from; empty = the run's start
    double front_duration_h = 20.0;    // h of strong NW flow at the end of each cycle
    double front_speed_m_s = 10.0;     // m s-1
    double stagnant_speed_m_s = 1.0;   // m s-1
    double relative_humidity = 0.6;    // 0..1, of the idealized sources (WRF gives its own)
    // WRF output (source = wrf)
    std::vector<std::string> files;    // wrfout files or glob patterns, relative to the config file
    int i0 = 0, i1 = -1;               // window of WRF mass columns (0-based, inclusive; -1 = last)
    int j0 = 0, j1 = -1;               // window of WRF mass rows
};

struct TransportConfig {
    kernels::Reconstruction advection = kernels::Reconstruction::ppm;  // passed as is to Advection
    HorizontalDiffusion horizontal_diffusion = HorizontalDiffusion::smagorinsky;
    double kh_m2_s = 50.0;            // m2 s-1 (constant), also the floor for smagorinsky
    double smagorinsky_c = 0.2;       // dimensionless
    bool vertical_diffusion = true;
    BoundaryKind boundary = BoundaryKind::open;
};

// One-way nesting (docs/nesting.md): this domain's lateral and top inflow, and its initial state,
// from a parent domain's state file; and the inner domains run after this one.
struct NestConfig {
    std::string parent_file;         // parent's state file (hourly NAME_3d and air_density_3d); empty = not nested
    int margin_cells = 3;            // parent cells the inner boundary must keep from the parent's edges
    bool initial_state = true;       // start from the parent's state at run.start (unless run.initial_state)
    std::vector<std::string> inner;  // config files of inner domains run after this one (one command)
};

// Season of the climatological inflow profiles: `auto` takes it from the run's start month and the
// hemisphere of the domain centre (Dec-Feb winter, Mar-May spring, Jun-Aug summer, Sep-Nov autumn).
enum class BoundarySeason { auto_, winter, spring, summer, autumn };

struct SpeciesConfig {
    std::vector<std::string> names = {"SO2", "NO2", "CO", "PM25", "PMC"};
    // "NAME:value" lists; species not named get 0.
    std::map<std::string, double> background_ug_m3;      // µg m-3 at the surface (CO too)
    double background_scale_height_m = 2000.0;            // m
    std::map<std::string, double> deposition_velocity_m_s;// m s-1, constant dry deposition
    std::map<std::string, double> initial_ug_m3;          // µg m-3, uniform initial field; default = background
    std::string table;                                    // species properties CSV; empty = built-in configs/species.csv
    // Seasonal climatological inflow (docs/boundary-climatology.md): a CSV of per-species, per-season
    // profiles; empty = species.background_ug_m3 with its scale height (and the photochemical table).
    std::string boundary_climatology;
    BoundarySeason boundary_season = BoundarySeason::auto_;  // which season's profiles the run takes
    double boundary_elevation_m = 0.0;  // m above sea level: ground of the standard atmosphere turning µg m-3 into µg kg-1
};

// Land class of the surface for dry deposition (one per domain).
enum class LandClass { urban, cropland, grassland, forest, water, desert, snow };

// Season of the Wesely (1989) surface resistances of gases (docs/removal.md): `auto` takes it
// from the run's start month and hemisphere; the others are Wesely's seasonal categories 1-5.
enum class DepositionSeason { auto_, midsummer, autumn, late_autumn, winter_snow, transitional };

struct RemovalConfig {
    LandClass land_class = LandClass::cropland;
    DepositionSeason season = DepositionSeason::auto_;
    bool dry_deposition = true;    // resistance model (species.deposition_velocity_m_s overrides per species)
    bool settling = true;          // gravitational settling of particles through the layers
    bool wet_scavenging = true;    // Λ = a P^b from the species table
};

// The chemistry of a run: the linear mechanism (superposition exact) or a photochemical mechanism
// read from a file (CB6r3: O3, VOCs, NOx; docs/chemistry-solver.md).
enum class ChemistryMechanism { linear, cb6r3 };
// The Rosenbrock method of the photochemical solver (docs/chemistry-solver.md).
enum class ChemistrySolver { rodas3, ros2 };
// The inorganic aerosol equilibrium of the photochemical mode (docs/aerosol-equilibrium.md): `auto`
// runs it when the run carries its species (SO4, NH3, NH4, NO3 and the mechanism's HNO3).
enum class AerosolEquilibriumMode { automatic, on, off };
// The branch of the deliquescence hysteresis: `stable` (solids below the deliquescence RH) or
// `metastable` (particles stay liquid at any RH).
enum class AerosolBranchChoice { stable, metastable };

// Linear chemistry (first order in concentration); rates in h-1, see docs/config.md.
struct ChemistryConfig {
    bool enabled = true;
    ChemistryMechanism mechanism = ChemistryMechanism::linear;
    std::string mechanism_file;      // photochemical: mechanism file; empty = built-in configs/mechanisms/cb6r3.txt
    std::string photolysis_file;     // photochemical: photolysis table; empty = built-in cb6r3_photolysis.txt
    ChemistrySolver solver = ChemistrySolver::rodas3;
    double rtol = 1e-2;              // photochemical solver: relative tolerance (1); docs/chemistry-solver.md
    double atol_ppb = 1e-4;          // photochemical solver: absolute tolerance (ppb at the surface)
    std::string background_file;     // photochemical: inflow/initial profiles; empty = built-in cb6r3_background.csv
    double so2_gas_per_h = 0.01;     // SO2 + OH at overhead sun, scaled by cos(zenith)
    double so2_het_per_h = 0.15;     // heterogeneous (aqueous/aerosol) SO2 → SO4 at saturation
    double het_rh_threshold = 0.5;   // RH below which the heterogeneous path is off
    double no2_day_per_h = 0.10;     // NO2 + OH at overhead sun
    double no2_night_per_h = 0.03;   // N2O5 hydrolysis at night, × RH
    double nh3_per_h = 0.05;         // NH3 uptake as NH4 (neutralisation), × RH
    // Photochemical mode: inorganic aerosol (docs/aerosol-equilibrium.md).
    AerosolEquilibriumMode aerosol_equilibrium = AerosolEquilibriumMode::automatic;
    AerosolBranchChoice aerosol_branch = AerosolBranchChoice::stable;
    bool aqueous_sulfate = true;           // S(IV) + H2O2 / O3 in cloud and aerosol water, SO2 uptake on haze
    double so2_uptake_gamma_dry = 1e-5;    // SO2 uptake coefficient (1) at RH ≤ 50%
    double so2_uptake_gamma_wet = 1e-4;    // ... at RH ≥ 90% (linear in between)
    double aerosol_dry_radius_um = 0.1;    // µm, surface-area radius of the dry fine particles
};

struct SourcesConfig {
    std::string points;   // CSV of point sources (empty = none)
    std::string areas;    // CSV of area sources (empty = none)
};

// Sectoral emission inventory (docs/input-formats.md, "Sectoral emission inventory"); paths
// relative to the config file.
enum class PlumeRise { briggs, off };

struct InventoryConfig {
    std::string points;                 // CSV of point stacks (empty = none)
    std::string roads;                  // CSV of road links (empty = none)
    std::string road_factors;           // CSV of road emission factors (required with roads)
    std::vector<std::string> areas;     // gridded area sectors: .csv or .nc files
    std::string profiles;               // CSV of temporal profiles; empty = built-in defaults
    std::string speciation;             // CSV pollutant -> species; empty = built-in defaults
    int utc_offset_h = 8;               // h, local time = UTC + offset (China Standard Time = 8)
    PlumeRise plume_rise = PlumeRise::briggs;
    double min_wind_m_s = 1.0;          // m s-1, wind floor of the plume-rise formulas
    bool stack_tip_downwash = true;
    double min_dtheta_dz_k_m = 0.005;   // K m-1, floor of the lapse rate in the stable branch
    // Biogenic isoprene (ISOP) and monoterpenes (TERP), MEGAN-style, from removal.land_class; acts
    // only with chemistry.mechanism = cb6r3 (docs/emissions-photochemistry.md).
    bool biogenic = true;
    double biogenic_scale = 1.0;        // 1, factor on the biogenic emission factors

    bool any() const { return !points.empty() || !roads.empty() || !areas.empty(); }
};

// Wind-blown dust from erodible land (docs/dust.md): Marticorena & Bergametti (1995) flux above the
// Shao & Lu (2000) threshold, raised by soil moisture (Fécan et al. 1999), off under snow and on frozen
// soil. The land fields come from the weather (WRF LU_INDEX, ISLTYP, SMOIS) when it has them; the
// three "fraction" keys, when set (≥ 0), replace a field the weather lacks; −1 = not set.
struct DustConfig {
    bool windblown = false;             // emit wind-blown dust (sector dust_windblown) into species DUST
    double scale = 1.0;                 // 1, factor on the vertical flux
    double erodible_fraction = -1;      // 1, erodible share of each cell (−1 = from LU_INDEX / idealized default)
    double clay_fraction = -1;          // 1, clay mass fraction of the soil (−1 = from ISLTYP / idealized default)
    double soil_moisture_m3_m3 = -1;    // m3 m-3, top-layer volumetric water (−1 = from SMOIS / idealized default)
    double particle_diameter_um = 75;   // µm, diameter of the threshold (most easily lifted) particle
    double snow_cover_threshold = 0.5;  // 1, no emission where snow cover ≥ this
    double bulk_density_kg_m3 = 1500;   // kg m-3, dry bulk density of the soil (volumetric → gravimetric water)
    std::vector<double> erodible_box;   // degrees: lon_min lat_min lon_max lat_max; empty = everywhere
};

// Where hourly series are extracted: stations (a point) and cities (a circle or a polygon).
struct ReceptorsConfig {
    std::vector<std::string> stations;  // "NAME:lon:lat"
    std::vector<std::string> cities;    // "NAME:lon:lat:radius_km" or "NAME:lon/lat;lon/lat;lon/lat[;…]"
};

enum class DailyMode { calendar, rolling24 };

// Heavy-pollution alert rules (report/alerts.hpp for the grammar).
struct AlertsConfig {
    std::string yellow = "aqi > 200 for 2 days";
    std::string orange = "aqi > 200 for 3 days";
    std::string red = "aqi > 200 for 4 days with 2 days aqi > 300 or aqi >= 500 for 1 day";
    DailyMode daily = DailyMode::calendar;  // calendar days, or the largest rolling 24-h mean ending in the day
    int utc_offset_h = 8;                   // h, local time of the daily means (Beijing time = 8)
};

// Dust-affected hours and days in `lantian report` (docs/dust-days.md): a labelled proxy of the
// Ministry's supplementary provisions for sand-dust weather (环办监测〔2016〕120号), which remove
// PM10 and PM2.5 from the assessment of dust-affected periods.
struct DustDaysConfig {
    double model_share_min = 0.5;        // fraction: an hour is dust-affected when the model's DUST / PM10 is at least this
    double obs_ratio_max = 0.35;         // fraction: … or, when observed, PM2.5/PM10 at most this
    double obs_pm10_min_ug_m3 = 150.0;   // µg m-3: … with observed PM10 above this
    int min_hours = 6;                   // h: a local day with at least this many dust-affected hours is a dust day
};

// Named areas (regions) for reduction-list targets and tags.
struct RegionsConfig {
    std::vector<std::string> areas;  // "NAME:lon:lat:radius_km" or "NAME:lon/lat;lon/lat;lon/lat…"
};

// Source apportionment: tracers tagged by the sector of their emission (plus the background:
// initial state and boundary inflow), moved as shares of the bulk fluxes.
enum class TagKind { none, sector, lists, region, sector_region };

struct TagsConfig {
    TagKind by = TagKind::none;
    std::vector<std::string> lists;  // tags.by = lists: reduction lists whose targets define the tag groups
    double period_h = 0;             // h; > 0 splits every emission tag by emission period (0 = no split)
    std::vector<std::string> species;  // tags.species: the species tagged (empty = every species)
};

// Emission scenarios run together in one simulation (the scenario is a dimension of the tracers).
struct ScenariosConfig {
    bool base = true;                    // include the unreduced inventory as scenario "base"
    std::vector<std::string> runs;       // "NAME:LIST.csv:LEVEL", LEVEL = always | yellow | orange | red | triggered
    std::string trigger_city;            // city whose forecast alert switches triggered scenarios ("" = the first)
    double lead_time_h = 0;              // h between the start of an alert day and its measures
    // Runtime, not a key: the measure level in force in each hour of the run for triggered
    // scenarios (set by the CLI from the base run's own alerts).
    std::vector<int> trigger_levels;
};

struct OutputConfig {
    std::string file = "lantian_output.nc";
    double interval_h = 1.0;   // h between output records
    bool fields_3d = false;    // also write 3-D concentrations
    std::vector<std::string> species;  // species written; empty = all (linear) or the photochemical default set
    int deflate_level = 4;     // 0..9
    std::string state_file;    // "" = none; the 3-D state of every species at state_hours (relative like file)
    std::vector<double> state_hours;  // h since the start at which the state is written
    bool aerosol_diagnostics = false;  // aerosol_water (ug m-3) and aerosol_ph (1): cb6r3 runs only
};

enum class ParallelIo { gather, collective };

// MPI runs (see docs/parallel.md). Ignored by a single-rank run.
struct ParallelConfig {
    int px = 0;                 // blocks along x; 0 = chosen with py for the shortest cut
    int py = 0;                 // blocks along y; 0 = chosen
    int scenario_groups = 1;    // rank groups that each run a share of the scenarios
    ParallelIo io = ParallelIo::gather;  // how the gridded output is written
};

struct CheckpointConfig {
    double interval_h = 0;      // h of simulated time between checkpoints; 0 = only on SIGTERM/SIGINT
    std::string file;           // "" = the output file's stem + ".checkpoint.h5"
};

// The daily forecast cycle, `lantian forecast CYCLE.ini --date YYYY-MM-DD` (docs/forecast-cycle.md).
struct ForecastConfig {
    std::string cycles_dir = "cycles";       // folder of the cycle folders (relative to the config file)
    int days = 10;                           // lead days forecast after the cycle date (1..15)
    int start_hour_bjt = 8;                  // h, Beijing time of the start and of the analysis (0..23)
    std::string weather;                     // pattern of the weather files ({date} {yyyymmdd} {n}); empty = met as configured
    std::vector<std::string> observations;   // hourly observation files or patterns ({date} {yyyymmdd})
    std::string observations_format = "long";  // long (Lantian's) or national (the network's wide daily files)
    std::string stations;                    // station list CSV (code, name, city, lon, lat); empty = receptors.stations
    int keep_days = 30;                      // cycle folders older than this many days are pruned (0 = keep all)
    int search_days = 3;                     // earlier cycles searched for a state valid at the start
    double spinup_h = 48.0;                  // h of spin-up before a cold start (0 = none)
    bool analysis = true;                    // optimal interpolation of the observations at the start
    bool verification = true;                // score earlier cycles against the observations
    bool bulletin = true;                    // write the bulletin (HTML + PNG)
    std::string borders;                     // boundary file of the bulletin maps; empty = the illustrative gmt-dcw outlines
    std::string title = "Air quality forecast";  // bulletin title (English; the Chinese title is fixed)
};

// Optimal interpolation of surface observations at the start of a cycle (docs/assimilation.md).
struct AssimilationConfig {
    std::vector<std::string> pollutants = {"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"};
    double correlation_length_km = 30.0;     // km, L of the exponential correlation exp(-d/L)
    double sigma_b_fraction = 0.4;           // 1, background error as a fraction of the background
    std::map<std::string, double> sigma_b_min;  // floor of the background error per pollutant (µg m-3; CO mg m-3)
    std::map<std::string, double> sigma_o;      // observation error per pollutant (µg m-3; CO mg m-3)
    double qc_k = 3.0;                       // background check: reject |O-B| > qc_k sqrt(σb² + σo²)
    double full_fraction = 0.8;              // increment carried in full up to this fraction of the PBL height
    double min_depth_m = 500.0;              // m, the increment's depth is at least this (residual layer)
    double window_h = 1.0;                   // h: the latest observation ending within this window before the start
};

struct Config {
    RunConfig run;
    GridConfig grid;
    MetConfig met;
    TransportConfig transport;
    NestConfig nest;
    SpeciesConfig species;
    SourcesConfig sources;
    InventoryConfig inventory;
    DustConfig dust;
    RemovalConfig removal;
    ChemistryConfig chemistry;
    ReceptorsConfig receptors;
    AlertsConfig alerts;
    DustDaysConfig dust_days;
    ScenariosConfig scenarios;
    RegionsConfig regions;
    TagsConfig tags;
    OutputConfig output;
    ParallelConfig parallel;
    CheckpointConfig checkpoint;
    ForecastConfig forecast;
    AssimilationConfig assimilation;
    std::string source_file;  // the INI this came from ("" for built-in); paths resolve against its folder
};

}  // namespace lantian
