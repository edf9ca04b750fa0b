"""The hostile-input table (docs/hostile-inputs.md). Each case: an id, the file kind, how the bad
input is made in a copy of configs/ (a function of the Workspace; what it returns, e.g. the line it
broke, fills {name} in the expected message), the `lantian` command line ({ws}: the case's folder,
{fx}: the shared fixtures), and a regex the output must match: the file and the line (CSV, INI),
the key (command line) or the variable (NetCDF, checkpoint). Every case must exit 2 within 10 s.
A case that cannot pass yet carries xfail="reason"."""
import os
import subprocess
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np


@dataclass
class Case:
    id: str
    kind: str
    make: Callable
    cmd: list
    expect: str
    xfail: Optional[str] = None


CASES = []


def case(id, kind, make, cmd, expect, xfail=None):
    CASES.append(Case(id, kind, make, cmd, expect, xfail))


# ---- base command lines --------------------------------------------------------------------------
EPISODE = "configs/episode_baotou.ini"
WRF_INI = "configs/wrf_example.ini"
WRF_NC = "configs/wrf/wrf_d01_allvars_cropped.nc"
POINTS = "configs/inventories/baotou/points.csv"
ROADS = "configs/inventories/baotou/roads.csv"
FACTORS = "configs/inventories/baotou/road_factors.csv"
AREAS = "configs/inventories/baotou/areas.csv"
PROFILES = "configs/profiles/temporal_profiles.csv"
SPECIATION = "configs/profiles/speciation.csv"
SPECIES = "configs/species.csv"
STACKS = "configs/wrf/tracer_stacks.csv"
LIST = "configs/reduction_lists/baotou_emergency.csv"

COARSE = ["run.hours=1", "grid.nx=20", "grid.ny=16", "grid.dx_m=20000", "output.file={ws}/out.nc"]
# The default example, one hour on a coarse grid; the config as shipped (for config cases).
RUN = ["run", "{ws}/" + EPISODE, "--no-progress"] + COARSE
RUN_AS_IS = ["run", "{ws}/" + EPISODE, "--no-progress", "run.hours=1", "output.file={ws}/out.nc"]
INVENTORY = ["inventory", "{ws}/" + EPISODE, "grid.nx=20", "grid.ny=16", "grid.dx_m=20000", "--output", "{ws}/inv.nc"]
# The WRF example (two 3-hourly records are read at the start).
WRF = ["run", "{ws}/" + WRF_INI, "--no-progress", "run.hours=3", "output.file={ws}/out.nc"]
# A uniform boundary layer from an hourly table.
TABLE = RUN + ["met.source=surface_layer", "met.table={ws}/table.csv", "run.hours=2"]
SCENARIOS = ["scenarios", "{ws}/" + EPISODE, "grid.nx=20", "grid.ny=16", "grid.dx_m=20000", "--lists", "{ws}/list.csv"]
REPORT = ["report", "{fx}/episode.nc", "--observations", "{ws}/obs.csv", "--output-dir", "{ws}/report", "--no-plots"]
RESTART = ["run", "{ws}/" + WRF_INI, "--no-progress", "run.hours=6", "output.file=ck.nc", "--restart", "{ws}/ck.h5"]


def nothing(ws):
    return None


def ini(pattern, repl, rel=EPISODE):
    return lambda ws: {"line": ws.sub(rel, pattern, repl)}


def cell(rel, key, column, value):
    return lambda ws: {"line": ws.csv_cell(rel, key, column, value)}


def text(rel, content):
    return lambda ws: ws.write(rel, content) and None


def edited(rel, good):
    """make(old, new): the good text with its first `old` replaced by `new`, written as rel."""
    return lambda old, new: text(rel, good.replace(old, new, 1))


# ==== config: INI syntax, unknown keys, types, ranges ==============================================
K = "config"
case("ini-no-equals", K, ini(r"^nx = 100$", "nx 100"), RUN_AS_IS, r"episode_baotou\.ini:{line}: nx 100: expected")
case("ini-section-unclosed", K, ini(r"^\[grid\]$", "[grid"), RUN_AS_IS, r"episode_baotou\.ini:{line}: \[grid: a section header")
case("ini-unknown-section", K, ini(r"^\[grid\]$", "[gird]"), RUN_AS_IS, r"episode_baotou\.ini:{line}: \[gird\]: unknown section")
case("ini-unknown-key", K, lambda ws: {"line": ws.insert_after(EPISODE, r"^\[grid\]$", "nxx = 100")}, RUN_AS_IS,
     r"episode_baotou\.ini:{line}: grid\.nxx = 100")
case("ini-duplicate-key", K, lambda ws: {"line": ws.insert_after(EPISODE, r"^nx = 100$", "nx = 50")}, RUN_AS_IS,
     r"episode_baotou\.ini:{line}: grid\.nx = 50: duplicate key")
case("ini-key-before-section", K, lambda ws: {"line": ws.insert_after(EPISODE, r"^; Keys and defaults", "hours = 5")},
     RUN_AS_IS, r"episode_baotou\.ini:{line}: hours = 5: key outside any \[section\]")
case("ini-empty-key-name", K, ini(r"^nx = 100$", "= 100"), RUN_AS_IS, r"episode_baotou\.ini:{line}: = 100: missing key name")
case("ini-int-not-a-number", K, ini(r"^nx = 100$", "nx = hundred"), RUN_AS_IS, r"episode_baotou\.ini:{line}: grid\.nx = hundred")
case("ini-int-fraction", K, ini(r"^nx = 100$", "nx = 100.5"), RUN_AS_IS, r"episode_baotou\.ini:{line}: grid\.nx = 100\.5")
case("ini-int-negative", K, ini(r"^ny = 64$", "ny = -64"), RUN_AS_IS, r"episode_baotou\.ini:{line}: grid\.ny = -64")
case("ini-int-overflow", K, ini(r"^nz = 16$", "nz = 99999999999999999999"), RUN_AS_IS,
     r"episode_baotou\.ini:{line}: grid\.nz = 99999999999999999999")
case("ini-float-nan", K, ini(r"^cfl = 0\.9$", "cfl = nan"), RUN_AS_IS, r"episode_baotou\.ini:{line}: run\.cfl = nan")
case("ini-float-inf", K, ini(r"^max_dt_s = 900$", "max_dt_s = inf"), RUN_AS_IS, r"episode_baotou\.ini:{line}: run\.max_dt_s = inf")
case("ini-float-trailing-junk", K, ini(r"^dx_m = 4000$", "dx_m = 4000m"), RUN_AS_IS, r"episode_baotou\.ini:{line}: grid\.dx_m = 4000m")
case("ini-out-of-range", K, ini(r"^cfl = 0\.9$", "cfl = 5"), RUN_AS_IS, r"episode_baotou\.ini:{line}: run\.cfl = 5")
case("ini-grid-too-large", K, ini(r"^nx = 100$", "nx = 2000000"), RUN_AS_IS, r"episode_baotou\.ini:{line}: grid\.nx = 2000000")
case("ini-bad-date", K, ini(r"^start = .*$", "start = 2026-13-40T00:00:00"), RUN_AS_IS,
     r"episode_baotou\.ini:{line}: run\.start = 2026-13-40T00:00:00")
case("ini-bad-enum", K, ini(r"^advection = ppm$", "advection = upwind3"), RUN_AS_IS,
     r"episode_baotou\.ini:{line}: transport\.advection = upwind3")
case("ini-bad-bool", K, ini(r"^fields_3d = false$", "fields_3d = perhaps"), RUN_AS_IS,
     r"episode_baotou\.ini:{line}: output\.fields_3d = perhaps")
case("ini-species-twice", K, ini(r"^names = SO2 NO2", "names = SO2 SO2 NO2"), RUN_AS_IS, r"episode_baotou\.ini:{line}: species\.names")
case("ini-background-unknown-species", K, ini(r"^background_ug_m3 = SO2:8", "background_ug_m3 = XYZ:8"), RUN_AS_IS,
     r"episode_baotou\.ini:{line}: species\.background_ug_m3")
case("ini-missing-data-file", K, ini(r"^points = .*$", "points = inventories/baotou/no_such_points.csv"), RUN_AS_IS,
     r"episode_baotou\.ini:{line}: inventory\.points = .*no_such_points\.csv")
case("ini-station-malformed", K, ini(r"^stations = .*$", "stations = Baotou:east:40.6"), RUN_AS_IS,
     r"episode_baotou\.ini:{line}: receptors\.stations")
case("ini-alert-rule", K, lambda ws: {"line": ws.insert_after(EPISODE, r"^daily = calendar$", "yellow = aqi > lots for 2 days")},
     RUN_AS_IS, r"episode_baotou\.ini:{line}: alerts\.yellow")
case("ini-layers-not-increasing", K, ini(r"^top_m = 4000$", "layer_faces_m = 0 50 40 100"), RUN_AS_IS,
     r"episode_baotou\.ini:{line}: grid\.layer_faces_m")
case("receptor-station-outside", K, nothing, RUN + ["receptors.stations=Far:130:40"], r"receptors\.stations: Far at 130\.0+, 40\.0+ lies outside the domain")
case("receptor-city-no-cell", K, nothing, RUN + ["receptors.cities=Tiny:110.0:40.5:0.5"], r"receptors\.cities: Tiny: no cell centre lies inside the city")
case("receptor-station-no-lat", K, nothing, RUN + ["receptors.stations=Broken:110.0"], r"command line: receptors\.stations = Broken:110\.0")
case("alerts-rule-glued", K, nothing, RUN + ["alerts.red=aqi>200for4days"], r"command line: alerts\.red = aqi>200for4days")
case("alerts-rule-pollutant", K, nothing, RUN + ["alerts.yellow=pm25 > 75 for 2 days"], r"command line: alerts\.yellow = pm25 > 75 for 2 days: unexpected 'pm25'")
case("ini-grid-beyond-memory", K, nothing, RUN_AS_IS + ["grid.nx=20000", "grid.ny=20000", "grid.nz=200"],
     r"needs about .* of memory per rank \(20000 x 20000 x 200 cells, 10 tracers.*but this machine has")
case("ini-binary-garbage", K, text("bad.ini", b"\x00\xff\xfe[run]\x00\nhours = \x01\x02\n"),
     ["run", "{ws}/bad.ini", "--no-progress"], r"bad\.ini:1: ")
def with_bom(rel):
    """The file with a UTF-8 byte-order mark before its first line (as spreadsheets save it)."""
    def make(ws):
        with open(ws.path(rel), "rb") as f:
            ws.write(rel, b"\xef\xbb\xbf" + f.read())
    return make


# A byte-order mark is read as no mark at all: the error on a later line is still found on its line.
case("ini-utf8-bom", K, lambda ws: (ini(r"^nx = 100$", "nx = many")(ws), with_bom(EPISODE)(ws))[0], RUN_AS_IS,
     r"episode_baotou\.ini:{line}: grid\.nx = many")
case("ini-scenario-spec", K, nothing, RUN + ["scenarios.runs=justaname"], r"command line: scenarios\.runs = justaname")
case("ini-tags-without-lists", K, nothing, RUN + ["tags.by=lists"], r"tags\.lists")
case("ini-no-such-file", K, nothing, ["run", "{ws}/absent.ini"], r"absent\.ini: cannot open config file")
case("ini-is-a-folder", K, nothing, ["run", "{ws}/configs"], r"configs: cannot open config file")

# ==== command-line overrides and options ===========================================================
K = "override"
case("cli-no-equals", K, nothing, RUN + ["grid.nx"], r"command line: grid\.nx: an override must be section\.key=value")
case("cli-no-section", K, nothing, RUN + ["nx=20"], r"command line: nx = 20: .*section is missing")
case("cli-unknown-section", K, nothing, RUN + ["gird.nx=20"], r"command line: gird\.nx = 20: unknown section")
case("cli-unknown-key", K, nothing, RUN + ["grid.nxx=20"], r"command line: grid\.nxx = 20")
case("cli-wrong-type", K, nothing, RUN + ["run.hours=ten"], r"command line: run\.hours = ten")
case("cli-out-of-range", K, nothing, RUN + ["run.cfl=0"], r"command line: run\.cfl = 0")
case("cli-nan", K, nothing, RUN + ["run.max_dt_s=nan"], r"command line: run\.max_dt_s = nan")
case("cli-bad-time", K, nothing, RUN + ["run.start=yesterday"], r"command line: run\.start = yesterday")
case("cli-no-species", K, nothing, RUN + ["species.names="], r"command line: species\.names")
case("cli-multiline-value", K, nothing, RUN + ["run.title=first\nsecond"], r"command line: run\.title = first\s+second: a value must fit on one line")
case("cli-unknown-option", K, nothing, RUN + ["--frobnicate"], r"lantian run: .*frobnicate")
case("cli-restart-without-file", K, nothing, RUN + ["--restart"], r"lantian run: .*restart")

# ==== inventory point stacks =======================================================================
K = "points"
case("points-lon-text", K, cell(POINTS, "PWR_DALATE_1", "lon", "east"), RUN, r"points\.csv:{line}: lon: east: not a number")
case("points-lat-range", K, cell(POINTS, "PWR_DALATE_1", "lat", "95"), RUN, r"points\.csv:{line}: lat: 95: must be in")
case("points-celsius", K, cell(POINTS, "PWR_DALATE_1", "exit_temp_k", "50"), RUN, r"points\.csv:{line}: exit_temp_k: 50: .*kelvin")
case("points-diameter-zero", K, cell(POINTS, None, "diameter_m", "0"), RUN, r"points\.csv:{line}: diameter_m: 0: must be > 0")
case("points-unknown-sector", K, cell(POINTS, None, "sector", "steal"), RUN, r"points\.csv:{line}: sector: steal: unknown sector")
case("points-pm10-below-pm25", K, cell(POINTS, None, "PM10_t_yr", "1"), RUN, r"points\.csv:{line}: PM10_t_yr: 1: PM10 must be >= PM2\.5")
case("points-negative", K, cell(POINTS, None, "SO2_t_yr", "-5"), RUN, r"points\.csv:{line}: SO2_t_yr: -5: must be >= 0")
case("points-nan", K, cell(POINTS, None, "NOx_t_yr", "nan"), RUN, r"points\.csv:{line}: NOx_t_yr: nan: not a number")
case("points-grade", K, cell(POINTS, None, "grade", "D"), RUN, r"points\.csv:{line}: grade: D: must be A, B, C or empty")
case("points-duplicate-id", K, lambda ws: {"line": ws.append(POINTS, ws.csv_row(POINTS)[0])}, RUN,
     r"points\.csv:{line}: id: PWR_TUOKETUO_1: duplicate id")
case("points-comma-in-name", K, lambda ws: {"line": ws.csv_cell(POINTS, None, "name", "Tuoketuo, unit 1")}, RUN,
     r"points\.csv:{line}: expected 17 columns")
case("points-missing-column", K, lambda ws: {"line": ws.sub(POINTS, r"NH3_t_yr$", "NH3_kg_yr")}, RUN,
     r"points\.csv:{line}: header: missing column 'NH3_t_yr'")
case("points-column-twice", K, lambda ws: {"line": ws.sub(POINTS, r",VOC_t_yr,", ",SO2_t_yr,")}, RUN,
     r"points\.csv:{line}: header: column 'SO2_t_yr' appears twice")
case("points-is-a-folder", K, nothing, RUN + ["inventory.points=inventories"], r"inventory\.points = inventories|inventories: ")
case("points-utf8-bom", K, lambda ws: (cell(POINTS, "PWR_DALATE_1", "lat", "95")(ws), with_bom(POINTS)(ws))[0], RUN,
     r"points\.csv:{line}: lat: 95: must be in")
case("points-only-comments", K, text(POINTS, "# nothing but a comment\n\n"), RUN, r"points\.csv: empty file")
case("points-binary", K, text(POINTS, bytes(range(256)) * 4), RUN, r"points\.csv:\d+: ")

# ==== road links and emission factors ==============================================================
K = "roads"
case("roads-one-vertex", K, cell(ROADS, "G110_01", "path", "108.66 40.73"), RUN, r"roads\.csv:{line}: path: .*at least 2 vertices")
case("roads-vertex-text", K, cell(ROADS, "G110_01", "path", "108.66 north;108.75 40.725"), RUN,
     r"roads\.csv:{line}: path: .*vertex '108\.66 north' is not 'lon lat'")
case("roads-vertex-range", K, cell(ROADS, "G110_01", "path", "108.66 140;108.75 40.725"), RUN,
     r"roads\.csv:{line}: path: .*outside lon")
case("roads-vkt-negative", K, cell(ROADS, "G110_01", "vkt_hdt_km_day", "-3"), RUN, r"roads\.csv:{line}: vkt_hdt_km_day: -3: ")
case("roads-unknown-vehicle-class", K, lambda ws: {"line": ws.sub(ROADS, r"vkt_mc_km_day", "vkt_tractor_km_day")}, RUN,
     r"roads\.csv:{line}: header: column 'vkt_tractor_km_day': vehicle class 'tractor'")
case("roads-no-factor", K, lambda ws: {"line": ws.csv_cell(ROADS, "G110_01", "road_class", "dirt_track"),
                                       "f": ws.delete(FACTORS, r"^hdt,\*,")}, RUN,
     r"roads\.csv:{line}: vkt_hdt_km_day: .*no emission factor for vehicle class hdt on road class dirt_track")
case("roads-duplicate-id", K, lambda ws: {"line": ws.append(ROADS, ws.csv_row(ROADS)[0])}, RUN,
     r"roads\.csv:{line}: id: G110_01: duplicate id")
case("roads-empty-class", K, cell(ROADS, "G110_01", "road_class", ""), RUN, r"roads\.csv:{line}: road_class: \(empty\): must not be empty")
K = "road_factors"
case("factors-duplicate", K, lambda ws: {"line": ws.append(FACTORS, ws.csv_row(FACTORS)[0])}, RUN,
     r"road_factors\.csv:{line}: road_class: \*: factors for hdt on \* already given")
case("factors-negative", K, cell(FACTORS, None, "NOx_g_km", "-5"), RUN, r"road_factors\.csv:{line}: NOx_g_km: -5: must be >= 0")
case("factors-text", K, cell(FACTORS, None, "CO_g_km", "lots"), RUN, r"road_factors\.csv:{line}: CO_g_km: lots: not a number")
case("factors-empty-vehicle", K, cell(FACTORS, None, "vehicle_class", ""), RUN, r"road_factors\.csv:{line}: vehicle_class: \(empty\)")

# ==== gridded area sectors (CSV) ===================================================================
K = "areas"
case("areas-dlon-zero", K, cell(AREAS, None, "dlon", "0"), RUN, r"areas\.csv:{line}: dlon: 0: must be > 0")
case("areas-beyond-pole", K, lambda ws: {"line": ws.csv_cell(AREAS, None, "lat", "89.99")}, RUN,
     r"areas\.csv:{line}: lat: 89\.99: the cell reaches beyond a pole")
case("areas-unknown-sector", K, cell(AREAS, None, "sector", "heating"), RUN, r"areas\.csv:{line}: sector: heating: unknown sector")
case("areas-inf", K, cell(AREAS, None, "CO_t_yr", "inf"), RUN, r"areas\.csv:{line}: CO_t_yr: inf: not a number")

# ==== temporal profiles and speciation ============================================================
K = "profiles"
PROF = RUN + ["inventory.profiles=profiles/temporal_profiles.csv"]
case("profiles-missing-hour", K, lambda ws: ws.delete(PROFILES, r"^traffic,hour,23,") and None, PROF,
     r"temporal_profiles\.csv: sector traffic: profile hour: missing index 23")
case("profiles-wrong-table", K, lambda ws: ws.copy(SPECIATION, PROFILES), PROF, r"temporal_profiles\.csv:\d+: header: missing column 'profile'")
case("profiles-duplicate", K, lambda ws: {"line": ws.sub(PROFILES, r"^steel,month,2,", "steel,month,1,")}, PROF,
     r"temporal_profiles\.csv:{line}: index: 1: duplicate")
case("profiles-hour-24", K, lambda ws: {"line": ws.sub(PROFILES, r"^power,hour,0,", "power,hour,24,")}, PROF,
     r"temporal_profiles\.csv:{line}: index: 24: ")
case("profiles-index-fraction", K, lambda ws: {"line": ws.sub(PROFILES, r"^power,hour,5,", "power,hour,5.5,")}, PROF,
     r"temporal_profiles\.csv:{line}: index: 5\.5: must be a whole number")
case("profiles-all-zero", K, lambda ws: ws.sub(PROFILES, r"^(dust,weekday,\d+),[^,]*$", r"\1,0", every=True) and None, PROF,
     r"temporal_profiles\.csv: sector dust: profile weekday: all factors are 0")
case("profiles-unknown-profile", K, lambda ws: {"line": ws.sub(PROFILES, r"^power,hour,5,", "power,season,5,")}, PROF,
     r"temporal_profiles\.csv:{line}: profile: season: must be month, weekday or hour")
case("profiles-negative", K, lambda ws: {"line": ws.sub(PROFILES, r"^(power,hour,5),[^,]*$", r"\1,-1")}, PROF,
     r"temporal_profiles\.csv:{line}: factor: -1: must be >= 0")
K = "speciation"
SPEC = RUN + ["inventory.speciation=profiles/speciation.csv"]
case("speciation-unknown-pollutant", K, lambda ws: {"line": ws.sub(SPECIATION, r"^\*,SO2,SO2,", "*,SOx,SO2,")}, SPEC,
     r"speciation\.csv:{line}: pollutant: SOx: unknown inventory pollutant")
case("speciation-fraction-range", K, lambda ws: {"line": ws.sub(SPECIATION, r"^\*,SO2,SO2,1$", "*,SO2,SO2,11")}, SPEC,
     r"speciation\.csv:{line}: fraction: 11: must be in \[0, 10\]")
case("speciation-species-name", K, lambda ws: {"line": ws.sub(SPECIATION, r"^\*,SO2,SO2,", "*,SO2,SO-2,")}, SPEC,
     r"speciation\.csv:{line}: species: SO-2: not a species name")
case("speciation-twice", K, lambda ws: {"line": ws.insert_after(SPECIATION, r"^\*,SO2,SO2,", "*,SO2,SO2,0.5")}, SPEC,
     r"speciation\.csv:{line}: species: SO2: mapping given twice")
case("speciation-unknown-sector", K, lambda ws: {"line": ws.sub(SPECIATION, r"^\*,SO2,SO2,", "shipping,SO2,SO2,")}, SPEC,
     r"speciation\.csv:{line}: sector: shipping: unknown sector")

# ==== constant-rate sources ========================================================================
K = "sources"
AREA_SOURCES = "id,name,lon_min,lat_min,lon_max,lat_max,SO2_g_s\nA1,valley,109.5,40.4,110.5,40.9,10\n"
case("sources-header-order", K, lambda ws: ws.sub(STACKS, r"^id,name,lon,lat,", "id,name,lat,lon,") and None, WRF,
     r"tracer_stacks\.csv: header column 3 must be 'lon' \(found 'lat'\)")
case("sources-species-not-run", K, lambda ws: ws.sub(STACKS, r"PM25_g_s", "NO2_g_s") and None, WRF,
     r"tracer_stacks\.csv: header column 'NO2_g_s': not a rate of a run species")
case("sources-height-range", K, cell(STACKS, "TALL", "height_m", "6000"), WRF, r"tracer_stacks\.csv:{line}: height_m: 6000: must be in")
case("sources-duplicate-id", K, lambda ws: {"line": ws.sub(STACKS, r"^LOW,", "TALL,")}, WRF, r"tracer_stacks\.csv:{line}: id: TALL: duplicate id")
case("sources-rate-negative", K, cell(STACKS, "LOW", "SO2_g_s", "-10"), WRF, r"tracer_stacks\.csv:{line}: SO2_g_s: -10: must be >= 0")
case("sources-area-inverted", K, text("area_sources.csv", AREA_SOURCES.replace("109.5,40.4,110.5", "110.5,40.4,109.5")),
     RUN + ["sources.areas={ws}/area_sources.csv"], r"area_sources\.csv:2: lon_max: 109\.5: must exceed lon_min")
case("sources-area-lat-text", K, text("area_sources.csv", AREA_SOURCES.replace("40.9", "north")),
     RUN + ["sources.areas={ws}/area_sources.csv"], r"area_sources\.csv:2: lat_max: north: not a number")

# ==== surface-layer met table ======================================================================
K = "met_table"
GOOD_TABLE = ("time,speed_m_s,direction_deg,mo_length_m,pblh_m\n2026-01-10T00:00:00,2.0,300,40,150\n"
              "2026-01-10T01:00:00,2.2,305,45,160\n2026-01-10T02:00:00,2.5,310,60,200\n")

table = edited("table.csv", GOOD_TABLE)


case("table-header", K, table("direction_deg", "dir_deg"), TABLE, r"table\.csv:1: header must start with")
case("table-bad-time", K, table("2026-01-10T01:00:00", "2026-01-10 1am"), TABLE, r"table\.csv:3: time: 2026-01-10 1am")
case("table-times-repeat", K, table("2026-01-10T02:00:00", "2026-01-10T01:00:00"), TABLE, r"table\.csv:4: time: .*times must increase")
case("table-speed-absurd", K, table("2.2,305", "500,305"), TABLE, r"table\.csv:3: speed_m_s at 2026-01-10T01:00:00: .*outside the plausible")
case("table-speed-text", K, table("2.2,305", "fast,305"), TABLE, r"table\.csv:3: speed_m_s: fast: not a number")
case("table-pblh-zero", K, table("45,160", "45,0"), TABLE, r"table\.csv:3: pblh_m: 0: must be > 0")
case("table-mo-zero", K, table("2.2,305,45", "2.2,305,0"), TABLE, r"table\.csv:3: mo_length_m: 0: must be non-zero")
case("table-direction-range", K, table("2.2,305", "2.2,400"), TABLE, r"table\.csv:3: direction_deg: 400: must be in \[0, 360\]")
case("table-short-row", K, table("2.2,305,45,160", "2.2,305"), TABLE, r"table\.csv:3: expected 5 columns \(as in the header\), found 3")
case("table-not-covering", K, table("2026-01-10T02:00:00,2.5,310,60,200\n", ""), TABLE,
     r"table\.csv: met\.table covers 2026-01-10 00:00:00 to 2026-01-10 01:00:00")
case("table-extra-cell", K, table("2.2,305,45,160", "2.2,305,45,160,junk"), TABLE, r"table\.csv:3: ")
case("table-sixth-column", K, text("table.csv", GOOD_TABLE.replace("pblh_m\n", "pblh_m,gust_m_s\n")
                                   .replace("150\n", "150,3\n").replace("160\n", "160,4\n").replace("200\n", "200,5\n")),
     TABLE, r"table\.csv:1: header")
case("table-ustar-absurd", K, text("table.csv", GOOD_TABLE.replace("pblh_m\n", "pblh_m,ustar_m_s\n")
                                   .replace("150\n", "150,0.3\n").replace("160\n", "160,50\n").replace("200\n", "200,0.3\n")),
     TABLE, r"table\.csv:3: ustar_m_s at 2026-01-10T01:00:00: .*outside the plausible")

# ==== emergency reduction lists ====================================================================
K = "reduction_list"
GOOD_LIST = "target,pollutants,cut,level,start,end\ngrade:C,all,0.3,yellow,,\nsector:steel,SO2 NOx,0.2,orange,,\n"

red_list = edited("list.csv", GOOD_LIST)


case("list-cut-range", K, red_list("0.3", "1.5"), SCENARIOS, r"list\.csv:2: cut: 1\.5: must be in \[0, 1\]")
case("list-level", K, red_list("yellow", "purple"), SCENARIOS, r"list\.csv:2: level: purple: unknown alert level")
case("list-target", K, red_list("grade:C", "factory:X"), SCENARIOS, r"list\.csv:2: target: factory:X: expected all")
case("list-pollutant", K, red_list("SO2 NOx", "SO2 O3"), SCENARIOS, r"list\.csv:3: pollutants: SO2 O3: unknown pollutant 'O3'")
case("list-overlap", K, red_list("sector:steel,SO2 NOx,0.2,orange", "grade:C,SO2,0.2,yellow"), SCENARIOS,
     r"list\.csv:3: target: grade:C: overlaps line 2")
case("list-no-pollutants", K, red_list("SO2 NOx", ""), SCENARIOS, r"list\.csv:3: pollutants: \(empty\): name at least one")
case("list-end-before-start", K, red_list("yellow,,", "yellow,2026-01-12T00:00:00,2026-01-11T00:00:00"), SCENARIOS,
     r"list\.csv:2: end: 2026-01-11T00:00:00: must be after start")
case("list-unknown-region", K, red_list("grade:C", "region:Atlantis"), SCENARIOS,
     r"list\.csv:2: target: region:Atlantis: region Atlantis is not in regions\.areas")
case("list-in-a-run", K, red_list("0.3", "abc"), RUN + ["scenarios.runs=bad:{ws}/list.csv:red"], r"list\.csv:2: cut: abc: not a number")
case("list-as-tags", K, red_list("grade:C", "grade:E"), RUN + ["tags.by=lists", "tags.lists={ws}/list.csv"],
     r"list\.csv:2: target: grade:E: grade must be A, B or C")

# ==== observations for `lantian report --observations` =============================================
K = "observations"
GOOD_OBS = ("station,time,pollutant,value,unit\nBaotou_Kundulun,2026-01-10T01:00:00,PM2.5,80,ug/m3\n"
            "Hohhot_centre,2026-01-10T09:00:00+08:00,CO,1.2,mg/m3\n")

obs = edited("obs.csv", GOOD_OBS)


case("obs-time", K, obs("2026-01-10T01:00:00", "10/01/2026 01:00"), REPORT, r"obs\.csv:2: time: 10/01/2026 01:00: ")
case("obs-offset", K, obs("+08:00", "+8h"), REPORT, r"obs\.csv:3: time: .*offset '\+8h' is not")
case("obs-offset-range", K, obs("+08:00", "+48:00"), REPORT, r"obs\.csv:3: time: .*offset '\+48:00'")
case("obs-pollutant", K, obs("PM2.5", "PM1"), REPORT, r"obs\.csv:2: pollutant: PM1: unknown pollutant")
case("obs-negative", K, obs("80", "-80"), REPORT, r"obs\.csv:2: value: -80: must be >= 0")
case("obs-unit", K, obs("mg/m3", "ppm"), REPORT, r"obs\.csv:3: unit: ppm: unknown unit")
case("obs-missing-column", K, obs("unit", "units"), REPORT, r"obs\.csv:1: header: missing column 'unit'")
case("obs-ragged", K, obs("80,ug/m3", "80"), REPORT, r"obs\.csv:2: expected 5 columns")
case("obs-value-text", K, obs("80", "eighty"), REPORT, r"obs\.csv:2: value: eighty: not a number")

# ==== the forecast archive and station list read by `lantian verify` =======================K = "forecast_archive"
VERIFY = ["verify", "{ws}/cycles", "--observations", "{ws}/obs.csv", "--no-plots"]
GOOD_DAILY = ("cycle,receptor,kind,date,lead_day,hours,pm25,pm10,so2,no2,co,o3_1h_max,o3_mda8,aqi,category,primary,alert,"
              "aqi_low,aqi_high,level_range,level_range_zh\n"
              "2026-01-10,Baotou,city,2026-01-11,1,24,80.00,120.00,20.00,40.00,1.200,,,106,3,PM2.5,none,90,120,good-light,"
              "良至轻度污染\n")


def archive(old=None, new=None, folder="20260110", stations=None):
    """A cycles folder with one forecast_daily.csv (GOOD_DAILY, its first `old` replaced by `new`)."""
    def make(ws):
        ws.write("obs.csv", GOOD_OBS)
        ws.write("cycles/%s/forecast_daily.csv" % folder, GOOD_DAILY if old is None else GOOD_DAILY.replace(old, new, 1))
        if stations is not None:
            ws.write("stations.csv", stations)
    return make


FD = r"20260110/forecast_daily\.csv:2: "
case("verify-lead-day", K, archive("2026-01-11,1,", "2026-01-11,3,"), VERIFY, FD + r"lead_day: 3: is not date . cycle \(1 days\)")
case("verify-category", K, archive(",106,3,", ",106,4,"), VERIFY, FD + r"category: 4: is not the category of AQI 106")
case("verify-kind", K, archive(",city,", ",town,"), VERIFY, FD + r"kind: town: must be station or city")
case("verify-level-range", K, archive("good-light", "light"), VERIFY, FD + r"level_range: light: is not the level range of AQI 90.120")
case("verify-alert", K, archive(",none,", ",purple,"), VERIFY, FD + r"alert: purple: must be none, yellow, orange or red")
case("verify-aqi", K, archive(",106,", ",600,"), VERIFY, FD + r"aqi: 600: must be 0 to 500")
case("verify-aqi-nan", K, archive(",106,", ",nan,"), VERIFY, FD + r"aqi: nan: not a number")
case("verify-range-inverted", K, archive(",90,120,", ",130,120,"), VERIFY, FD + r"aqi_high: 120: is below aqi_low \(130\)")
case("verify-date", K, archive("2026-01-11", "2026-02-30"), VERIFY, FD + r"date: 2026-02-30: not a date")
case("verify-negative", K, archive("80.00", "-80"), VERIFY, FD + r"pm25: -80: must be >= 0")
case("verify-missing-column", K, archive("level_range_zh", "zh"), VERIFY, r"forecast_daily\.csv:1: header: missing column 'level_range_zh'")
case("verify-repeated-row", K, archive("良至轻度污染\n", "良至轻度污染\n" + GOOD_DAILY.split("\n")[1] + "\n"), VERIFY,
     r"forecast_daily\.csv:3: date: 2026-01-11: a second row for city Baotou on this date \(the first: line 2\)")
case("verify-other-cycle", K, archive(folder="20260111"), VERIFY,
     r"20260111/forecast_daily\.csv: a row of cycle 2026-01-10 in the folder of cycle 2026-01-11")
case("verify-no-cycles", K, lambda ws: (ws.write("obs.csv", GOOD_OBS), ws.write("cycles/readme.txt", "none yet")) and None, VERIFY,
     r"cycles: no cycle folder YYYYMMDD")
case("verify-cycle-option", K, archive(), VERIFY + ["--cycle", "2026-01-10"], r"cycle '2026-01-10' is not a date YYYYMMDD")
case("verify-stations-twice", K, archive(stations="station,city\nA1,Baotou\nA1,Hohhot\n"), VERIFY + ["--stations", "{ws}/stations.csv"],
     r"stations\.csv:3: station: A1: is listed twice")
case("verify-stations-no-city", K, archive(stations="station,town\nA1,Baotou\n"), VERIFY + ["--stations", "{ws}/stations.csv"],
     r"stations\.csv:1: header: missing column 'city'")
case("verify-stations-empty-city", K, archive(stations="code,city,lat\nA1,,40.6\n"), VERIFY + ["--stations", "{ws}/stations.csv"],
     r"stations\.csv:2: city: \(empty\): must not be empty")
case("verify-observations-bad", K, lambda ws: (archive()(ws), ws.write("obs.csv", GOOD_OBS.replace("PM2.5", "PM1", 1)))[0], VERIFY,
     r"obs\.csv:2: pollutant: PM1: unknown pollutant")
# ==== observations of the forecast cycle: `lantian observations check|import` =======================
# Bad rows are skipped and counted there (exit 0); a file that cannot be read, a missing column and a
# bad station list are exit 2.
K = "cycle_observations"
GOOD_STATIONS = "code,name,city,lon,lat\n1001A,Kundulun,Baotou,109.83,40.66\n1002A,Qingshan,Baotou,109.9,40.64\n"
NATIONAL_STATIONS = "\ufeff监测点编码,监测点名称,城市,经度,纬度,对照点\n1001A,昆都仑,包头,109.83,40.66,N\n"
GOOD_DAY = "date,hour,type,1001A,1002A\n20260110,8,PM2.5,85,90\n20260110,8,AQI,110,118\n"
IMPORT = ["observations", "import", "--stations", "{ws}/stations.csv", "--output", "{ws}/obs_long.csv", "{ws}/day.csv"]
CHECK = ["observations", "check", "{ws}/obs.csv"]


def cycle_files(stations=GOOD_STATIONS, day=GOOD_DAY):
    def make(ws):
        ws.write("stations.csv", stations if isinstance(stations, bytes) else stations.encode("utf-8"))
        ws.write("day.csv", day.encode("utf-8"))
    return make


case("cycle-obs-missing-column", K, text("obs.csv", GOOD_OBS.replace(",unit", "")), CHECK,
     r"obs\.csv:1: header: missing column 'unit'")
case("cycle-obs-missing-file", K, nothing, CHECK, r"obs\.csv: cannot open file")
case("cycle-obs-empty", K, text("obs.csv", "# only a comment\n"), CHECK, r"obs\.csv: empty file")
case("stations-duplicate", K, cycle_files(GOOD_STATIONS + "1001A,again,Baotou,109.8,40.6\n"), IMPORT,
     r"stations\.csv:4: code: 1001A: duplicate station code \(first on line 2\)")
case("stations-national-lon-text", K, cycle_files(NATIONAL_STATIONS.replace("109.83", "东经109.83")), IMPORT,
     r"stations\.csv:2: 经度: 东经109\.83: not a number")
case("stations-lat-range", K, cycle_files(GOOD_STATIONS.replace("40.66", "140.66")), IMPORT,
     r"stations\.csv:2: lat: 140\.66: must be in \[-90, 90\]")
case("stations-gbk", K, cycle_files(NATIONAL_STATIONS[1:].encode("gbk")), IMPORT, r"stations\.csv:1: not UTF-8 text")
case("stations-no-code", K, cycle_files("station,lon,lat\nA,109,40\n"), IMPORT, r"stations\.csv:1: header: missing column 'code'")
case("stations-missing-file", K, lambda ws: ws.write("day.csv", GOOD_DAY) and None, IMPORT, r"stations\.csv: cannot open file")
case("national-no-type", K, cycle_files(day=GOOD_DAY.replace(",type", "")), IMPORT, r"day\.csv:1: header: missing column 'type'")
case("national-station-twice", K, cycle_files(day=GOOD_DAY.replace("1002A", "1001A", 1)), IMPORT,
     r"day\.csv:1: header: column '1001A' appears twice")
case("national-empty", K, cycle_files(day=""), IMPORT, r"day\.csv: empty file")
case("import-no-output", K, cycle_files(), ["observations", "import", "--stations", "{ws}/stations.csv", "{ws}/day.csv"],
     r"--stations, --output and at least one file are required")

# ==== the daily forecast cycle: `lantian forecast` ==================================================
# Refused with exit 2 before (or instead of) the run, with status.json saying so where the cycle
# folder exists (tests/forecast/forecast_cycle_tests.sh checks the status files).
K = "forecast"
FORECAST = ["forecast", "{ws}/configs/forecast_cycle.ini", "--date", "2026-01-11", "--no-progress", "forecast.spinup_h=0",
            "forecast.bulletin=false", "grid.nx=20", "grid.ny=16", "grid.dx_m=20000"]
case("forecast-bad-date", K, nothing, FORECAST[:2] + ["--date", "2026-13-45"] + FORECAST[4:],
     r"--date 2026-13-45: not a date YYYY-MM-DD")
case("forecast-no-date", K, nothing, ["forecast", "{ws}/configs/forecast_cycle.ini"], r"--date YYYY-MM-DD is required")
case("forecast-days", K, nothing, FORECAST + ["forecast.days=20"], r"forecast\.days")
case("forecast-observations-format", K, nothing, FORECAST + ["forecast.observations_format=wide"],
     r"forecast\.observations_format = wide: must be long or national")
case("forecast-weather-not-wrf", K, nothing, FORECAST + ["forecast.weather=wrf/wrfout_d0{n}_{date}_*"],
     r"forecast\.weather is set but met\.source is not wrf")
case("forecast-missing-weather", K, nothing, FORECAST + ["met.source=wrf", "forecast.weather={ws}/wrf/wrfout_d0{n}_{date}_*"],
     r"no weather file for 2026-01-11 .*wrfout_d01_2026-01-11_\* matches nothing")
case("forecast-observations-column", K, text("obs/obs.csv", "station,time,pollutant,value\nA,2026-01-11T08:00:00+08:00,PM2.5,50\n"),
     FORECAST + ["forecast.observations={ws}/obs/obs.csv"], r"obs\.csv:1: header: missing column 'unit'")
case("forecast-stations-missing", K, nothing, FORECAST + ["forecast.stations={ws}/none.csv"],
     r"forecast\.stations.*none\.csv")
case("forecast-initial-state-missing", K, nothing, FORECAST + ["--initial-state", "{ws}/none.nc"], r"none\.nc")
case("forecast-products-only-no-run", K, nothing, FORECAST + ["--products-only"],
     r"--products-only: .*20260111 has no finished run")
case("forecast-assimilation-pollutant", K, text("obs/obs.csv", "station,time,pollutant,value,unit\n"
                                                "Baotou_Kundulun,2026-01-11T08:00:00+08:00,PM2.5,50,ug/m3\n"),
     FORECAST + ["forecast.observations={ws}/obs/obs.csv", "assimilation.pollutants=PM1"],
     r"assimilation\.pollutants: 'PM1' is not one of PM2\.5, PM10, SO2, NO2, CO, O3")

# ==== the run output read by `lantian report` ======================================================
K = "run_output"
case("report-not-netcdf", K, text("junk.nc", "not netcdf"), ["report", "{ws}/junk.nc", "--no-plots"], r"junk\.nc: cannot open the run's output")
case("report-truncated", K, lambda ws: (ws.copy("{}/episode.nc".format(FIXTURES[0]), "run.nc"), ws.truncate("run.nc", 0.5))[1],
     ["report", "{ws}/run.nc", "--no-plots"], r"run\.nc: cannot open the run's output")
case("report-a-wrfout", K, nothing, ["report", "{ws}/" + WRF_NC, "--no-plots"], r"wrf_d01_allvars_cropped\.nc: no lantian_config attribute")
case("report-no-receptors", K, nothing, ["report", "{fx}/plain.nc", "--no-plots", "--output-dir", "{ws}/report"],
     r"plain\.nc: the run has no receptor series")

case("superpose-untagged-run", K, text("list.csv", GOOD_LIST),
     ["scenarios", "--run", "{fx}/episode.nc", "--lists", "{ws}/list.csv"], r"episode\.nc: ")
case("report-observations-missing", K, nothing, REPORT, r"obs\.csv: cannot open file")

# ==== species table ================================================================================
K = "species"
SP = RUN + ["species.table={ws}/" + SPECIES]
case("species-empty-file", K, text(SPECIES, ""), SP, r"species\.csv: empty file")
case("species-size-class", K, cell(SPECIES, "PM25", "size_class", "liquid"), SP, r"species\.csv:{line}: size_class: liquid: must be gas, fine or coarse")
case("species-pm25-over-pm10", K, cell(SPECIES, "PM25", "pm10_fraction", "0.5"), SP, r"species\.csv:{line}: pm25_fraction: 1: must not exceed")
case("species-missing-rc", K, lambda ws: {"line": ws.sub(SPECIES, r"rc_snow_s_m", "rc_ice_s_m")}, SP,
     r"species\.csv:{line}: header: missing column 'rc_snow_s_m'")
case("species-henry-without-f0-column", K, lambda ws: ws.sub(SPECIES, r",f0,", ",f1,") and None, SP,
     r"species\.csv:\d+: henry_m_atm: .*: henry_m_atm and f0 go together.*no f0 column")
case("species-twice", K, lambda ws: {"line": ws.append(SPECIES, ws.csv_row(SPECIES)[0])}, SP, r"species\.csv:{line}: name: SO2: species listed twice")
case("species-molar-mass", K, cell(SPECIES, "SO2", "molar_mass_g_mol", "heavy"), SP, r"species\.csv:{line}: molar_mass_g_mol: heavy: not a number")
# A gas without henry_m_atm and f0 needs its r_c cells (with them, an empty cell is the Wesely model).
case("species-gas-no-rc", K,
     lambda ws: (ws.csv_cell(SPECIES, "SO2", "henry_m_atm", ""), ws.csv_cell(SPECIES, "SO2", "f0", ""),
                 {"line": ws.csv_cell(SPECIES, "SO2", "rc_urban_s_m", "")})[-1],
     SP, r"species\.csv:{line}: rc_urban_s_m: \(empty\): a number is required")
case("species-negative-henry", K, cell(SPECIES, "O3", "henry_m_atm", "-0.01"), SP, r"species\.csv:{line}: henry_m_atm: -0\.01: must be in \[0, 1e20\] M atm-1")
case("species-f0-range", K, cell(SPECIES, "O3", "f0", "1.5"), SP, r"species\.csv:{line}: f0: 1\.5: must be in \[0, 1\]")
case("species-henry-without-f0", K, cell(SPECIES, "O3", "f0", ""), SP, r"species\.csv:{line}: f0: \(empty\): henry_m_atm and f0 go together")


# ==== wrfout NetCDF ================================================================================
K = "wrf"
BAD = "configs/wrf/bad.nc"
WRF_BAD = WRF + ["met.files=wrf/bad.nc"]


def wrf(edit):
    """A copy of the example wrfout as configs/wrf/bad.nc, edited in place."""
    def make(ws):
        ws.copy(WRF_NC, BAD)
        ws.nc_edit(BAD, edit)
    return make


def put(name, index, value):
    def edit(d):
        d.variables[name][index] = value
    return wrf(edit)


def scale(name, factor):
    def edit(d):
        d.variables[name][...] = d.variables[name][...] * factor
    return wrf(edit)


def attribute(name, value):
    return wrf(lambda d: d.setncattr(name, value))


def rewrite(**kw):
    def make(ws):
        ws.nc_rewrite(WRF_NC, BAD, **kw)
    return make


def wrf_raw(edit_bytes):
    def make(ws):
        ws.copy(WRF_NC, BAD)
        edit_bytes(ws)
    return make


def set_times(stamps):
    def edit(d):
        d.variables["Times"][...] = np.array([list(s) for s in stamps], dtype="S1")
    return wrf(edit)


def unstaggered_u(ws):
    import netCDF4
    with netCDF4.Dataset(ws.path(WRF_NC)) as s:
        u = s.variables["U"][...][:, :, :, :-1]
    ws.nc_rewrite(WRF_NC, BAD, replace={"U": (("Time", "bottom_top", "south_north", "west_east"), "f4", u)})


def first_records(n):
    """The example wrfout with its first n time records only (the Time dimension shortened)."""
    def make(ws):
        import netCDF4
        with netCDF4.Dataset(ws.path(WRF_NC)) as s:
            s.set_auto_mask(False)
            replace = {name: (v.dimensions, v.dtype, v[...][:n]) for name, v in s.variables.items()
                       if v.dimensions[:1] == ("Time",)}
        ws.nc_rewrite(WRF_NC, BAD, replace=replace, dims={"Time": n})
    return make


def times_on(dims, shape_of):
    """Times moved onto other dimensions (a malformed file)."""
    def make(ws):
        import netCDF4
        with netCDF4.Dataset(ws.path(WRF_NC)) as s:
            s.set_auto_mask(False)
            times = s.variables["Times"][...]
        ws.nc_rewrite(WRF_NC, BAD, replace={"Times": (dims, "S1", shape_of(times))})
    return make


T4 = ["2005-09-21_00:00:00", "2005-09-21_03:00:00", "2005-09-21_06:00:00", "2005-09-21_09:00:00"]
case("wrf-truncated", K, wrf_raw(lambda ws: ws.truncate(BAD, 1 / 3)), WRF_BAD, r"bad\.nc: ")
case("wrf-not-netcdf", K, text(BAD, "wrfout? no\n"), WRF_BAD, r"bad\.nc: cannot read as NetCDF")
case("wrf-empty-file", K, text(BAD, b""), WRF_BAD, r"bad\.nc: cannot read as NetCDF")
case("wrf-missing-variable", K, wrf(lambda d: d.renameVariable("PBLH", "PBLH_OLD")), WRF_BAD, r"bad\.nc: variable PBLH is missing")
case("wrf-missing-times", K, wrf(lambda d: d.renameVariable("Times", "Times_")), WRF_BAD, r"bad\.nc: variable Times is missing")
case("wrf-missing-attribute", K, wrf(lambda d: d.delncattr("DX")), WRF_BAD, r"bad\.nc: global attribute DX is missing")
case("wrf-nan", K, put("T", (0, 3, 4, 5), np.nan), WRF_BAD, r"bad\.nc: variable T at 2005-09-21 00:00:00: value at \[0, 3, 4, 5\] is nan")
case("wrf-inf", K, put("U10", (0, 2, 2), np.inf), WRF_BAD, r"bad\.nc: variable U10 at .*is inf")
case("wrf-absurd-wind", K, put("U", (0, 2, 3, 4), 1e30), WRF_BAD, r"bad\.nc: variable U at 2005-09-21 00:00:00: .*is 1e\+30 m s-1: outside")
case("wrf-celsius-t2", K, scale("T2", 0.0), WRF_BAD, r"bad\.nc: variable T2 .*outside the plausible")
case("wrf-hpa-pressure", K, scale("PB", 0.01), WRF_BAD, r"bad\.nc: .*\bPB\b.*outside the plausible")
case("wrf-negative-pblh", K, put("PBLH", (0, 1, 1), -50.0), WRF_BAD, r"bad\.nc: variable PBLH .*-50")
case("wrf-eta-range", K, put("ZNW", (0, 3), 1.5), WRF_BAD, r"bad\.nc: variable ZNW .*outside")
case("wrf-xlat-nan", K, put("XLAT", (0, 0), np.nan), WRF_BAD, r"bad\.nc: variable XLAT")
case("wrf-decreasing-times", K, set_times([T4[0], T4[2], T4[1], T4[3]]), WRF_BAD,
     r"bad\.nc: time 2005-09-21 03:00:00 \(record 2\) does not come after")
case("wrf-times-garbage", K, set_times([T4[0], "2005-09-2X_03:00:00", T4[2], T4[3]]), WRF_BAD,
     r"bad\.nc: Times\[1\] = '2005-09-2X.03:00:00'")
case("wrf-not-covering", K, wrf(lambda d: None), WRF_BAD + ["run.hours=12"], r"met\.files cover .* but the run goes")
case("wrf-one-record", K, first_records(1), WRF_BAD, r"bad\.nc: 1 time\(s\) in met\.files")
case("wrf-no-records", K, first_records(0), WRF_BAD, r"bad\.nc: 0 time\(s\) in met\.files")
# Wind-blown dust needs the land fields (docs/dust.md): a missing one without its dust.* key, or a bad category.
DUST_ON = ["dust.windblown=true", "species.names=SO2 PM25 DUST"]
case("wrf-dust-missing-landuse", K, wrf(lambda d: d.renameVariable("LU_INDEX", "LU_OLD")), WRF_BAD + DUST_ON,
     r"bad\.nc: variable LU_INDEX is missing; wind-blown dust .*dust\.erodible_fraction")
case("wrf-dust-missing-smois", K, wrf(lambda d: d.renameVariable("SMOIS", "SMOIS_OLD")), WRF_BAD + DUST_ON,
     r"bad\.nc: variable SMOIS is missing; wind-blown dust .*dust\.soil_moisture_m3_m3")
case("wrf-dust-bad-soil-type", K, put("ISLTYP", (3, 4), 42), WRF_BAD + DUST_ON,
     r"bad\.nc: variable ISLTYP .*south_north 3, west_east 4\] is 42 \(not a soil category")
case("wrf-times-1d", K, times_on(("Time",), lambda t: t[:, 0]), WRF_BAD, r"bad\.nc: variable Times ")
case("wrf-times-off-time", K, times_on(("Time1", "string19"), lambda t: t[:1]), WRF_BAD, r"bad\.nc: variable Times ")
case("wrf-no-file-matches", K, nothing, WRF + ["met.files=wrf/wrfout_d09_*"], r"met\.files = wrf/wrfout_d09_\*: no file matches")
# Polar stereographic and Mercator are read (docs/input-formats.md); a Lambert file relabelled as one
# fits XLAT/XLONG within the tolerance (a small domain) but not the map factors.
case("wrf-polar", K, attribute("MAP_PROJ", np.int32(2)), WRF_BAD,
     r"bad\.nc: MAPFAC_M\[0, 0\] = 1\.000853 but the polar stereographic projection of its attributes gives")
def same_level(d):
    for name in ("PH", "PHB"):
        d.variables[name][:, 5] = d.variables[name][:, 4]


case("wrf-levels-equal", K, wrf(same_level), WRF_BAD, r"bad\.nc: PH\+PHB at 2005-09-21 00:00:00: heights do not increase between levels 4 and 5")
case("wrf-xlong-one-cell", K, put("XLONG", (3, 4), 95.0), WRF_BAD, r"bad\.nc: XLAT/XLONG do not lie on a Lambert conformal grid")
case("wrf-second-file-truncated", K, lambda ws: (ws.copy(WRF_NC, "configs/wrf/first.nc"), first_records(4)(ws),
                                                 ws.truncate(BAD, 0.4))[-1],
     WRF + ["met.files=wrf/first.nc wrf/bad.nc"], r"bad\.nc: cannot read as NetCDF")
case("wrf-mercator", K, attribute("MAP_PROJ", np.int32(3)), WRF_BAD, r"bad\.nc: MAPFAC_M\[0, 0\] = 1\.000853 but the Mercator projection of its attributes gives")
case("wrf-map-proj-unknown", K, attribute("MAP_PROJ", np.int32(5)), WRF_BAD, r"bad\.nc: MAP_PROJ = 5 \(unknown\) is not supported")
case("wrf-latlon", K, attribute("MAP_PROJ", np.int32(6)), WRF_BAD, r"bad\.nc: MAP_PROJ = 6 \(latitude-longitude.*\) is not supported")
case("wrf-dx-nan", K, attribute("DX", np.float32(np.nan)), WRF_BAD, r"bad\.nc: .*DX")
case("wrf-dx-zero", K, attribute("DX", np.float32(0)), WRF_BAD, r"bad\.nc: .*DX")
case("wrf-truelat-absurd", K, attribute("TRUELAT1", np.float32(200)), WRF_BAD, r"bad\.nc: .*TRUELAT1")
case("wrf-truelat-equator", K, wrf(lambda d: (d.setncattr("TRUELAT1", np.float32(0)), d.setncattr("TRUELAT2", np.float32(0)))),
     WRF_BAD, r"bad\.nc: .*TRUELAT1")
case("wrf-stand-lon-nan", K, attribute("STAND_LON", np.float32(np.nan)), WRF_BAD, r"bad\.nc: .*STAND_LON")
case("wrf-dy-negative", K, attribute("DY", np.float32(-30000)), WRF_BAD, r"bad\.nc: .*DY")
case("wrf-map-proj-nan", K, attribute("MAP_PROJ", np.float32(np.nan)), WRF_BAD, r"bad\.nc: .*MAP_PROJ")
case("wrf-eta-reversed", K, wrf(lambda d: d.variables["ZNW"].__setitem__(Ellipsis, d.variables["ZNW"][...][:, ::-1])), WRF_BAD,
     r"bad\.nc: .*ZNW")
case("wrf-mapfac-wrong", K, scale("MAPFAC_M", 1.5), WRF_BAD, r"bad\.nc: MAPFAC_M\[0, 0\] = ")
case("wrf-unstaggered-u", K, unstaggered_u, WRF_BAD, r"bad\.nc: .*\bU\b")
case("wrf-heights-decreasing", K, scale("PHB", -1.0), WRF_BAD, r"bad\.nc: .*PH")
case("wrf-other-grid", K, lambda ws: (ws.copy(WRF_NC, "configs/wrf/first.nc"),
                                       set_times([t.replace("21_", "22_") for t in T4])(ws),
                                       ws.nc_edit(BAD, lambda d: d.setncattr("DX", np.float32(27000))))[-1],
     WRF + ["met.files=wrf/first.nc wrf/bad.nc"], r"bad\.nc: its grid differs from that of .*first\.nc")
case("wrf-checkpoint-as-wrfout", K, lambda ws: ws.copy("{}/ck.h5".format(FIXTURES[0]), BAD), WRF_BAD,
     r"bad\.nc: variable \w+ is missing")


# ==== gridded NetCDF inventories (inventory.areas = FILE.nc) ========================================
K = "inventory_nc"
GRID_NC = "grid.nc"
INV_NC = INVENTORY + ["inventory.areas={ws}/grid.nc"]


def gridded(lon=None, lat=None, fields=None, lon_dims=("lon",), lat_name="lat"):
    """A small inventory on 0.1° cells around Baotou: residential_SO2 and residential_PM25/PM10."""
    lon = np.arange(109.55, 110.5, 0.1) if lon is None else lon
    lat = np.arange(40.35, 40.9, 0.1) if lat is None else lat
    ones = np.ones((len(lat), len(lon)))
    fields = fields if fields is not None else {
        "residential_SO2": (("lat", "lon"), 10 * ones, "t yr-1"),
        "residential_PM25": (("lat", "lon"), 4 * ones, "t yr-1"),
        "residential_PM10": (("lat", "lon"), 6 * ones, "t yr-1"),
    }

    def make(ws):
        import netCDF4
        with netCDF4.Dataset(ws.path(GRID_NC), "w") as d:
            d.createDimension("lon", len(lon))
            d.createDimension("lat", len(lat))
            v = d.createVariable("lon", "f8", lon_dims if len(lon_dims) == 1 else ("lat", "lon"))
            v[...] = lon if len(lon_dims) == 1 else np.broadcast_to(lon, (len(lat), len(lon)))
            if lat_name:
                d.createVariable(lat_name, "f8", ("lat",))[...] = lat
            for name, (dims, values, units) in fields.items():
                for dn, n in zip(dims, values.shape):
                    if dn not in d.dimensions:
                        d.createDimension(dn, n)
                var = d.createVariable(name, "f8", dims)
                var[...] = values
                if units is not None:
                    var.units = units
    return make


ONES = np.ones((6, 10))
case("gridnc-not-netcdf", K, text(GRID_NC, "sector,lon,lat\n"), INV_NC, r"grid\.nc: cannot open as NetCDF")
case("gridnc-truncated", K, lambda ws: (gridded()(ws), ws.truncate(GRID_NC, 0.5))[1], INV_NC, r"grid\.nc: ")
case("gridnc-irregular-lon", K, gridded(lon=np.array([109.55, 109.65, 109.8, 109.85, 109.95, 110.05, 110.15, 110.25, 110.35, 110.45])),
     INV_NC, r"grid\.nc: variable 'lon': spacing is not regular at index 2")
case("gridnc-no-lat", K, gridded(lat_name=None), INV_NC, r"grid\.nc: no coordinate variable lat")
case("gridnc-2d-lon", K, gridded(lon_dims=("lat", "lon")), INV_NC, r"grid\.nc: variable 'lon': must be 1-D")
case("gridnc-one-lon", K, gridded(lon=np.array([109.55]), fields={"residential_SO2": (("lat", "lon"), np.ones((6, 1)), "t yr-1")}),
     INV_NC, r"grid\.nc: variable 'lon': needs at least 2 values")
case("gridnc-sector-typo", K, gridded(fields={"residental_SO2": (("lat", "lon"), ONES, "t yr-1")}), INV_NC,
     r"grid\.nc: variable 'residental_SO2': a field on \(lat, lon\) must be named")
case("gridnc-no-units", K, gridded(fields={"residential_SO2": (("lat", "lon"), ONES, None)}), INV_NC,
     r"grid\.nc: variable 'residential_SO2': no units attribute")
case("gridnc-wrong-units", K, gridded(fields={"residential_SO2": (("lat", "lon"), ONES, "kg s-1")}), INV_NC,
     r"grid\.nc: variable 'residential_SO2': units 'kg s-1'")
case("gridnc-nan", K, gridded(fields={"residential_SO2": (("lat", "lon"), np.where(np.arange(60).reshape(6, 10) == 13, np.nan, 1.0), "t yr-1")}),
     INV_NC, r"grid\.nc: variable 'residential_SO2'\[1, 3\]: value is not finite")
case("gridnc-negative", K, gridded(fields={"residential_SO2": (("lat", "lon"), -ONES, "t yr-1")}), INV_NC,
     r"grid\.nc: variable 'residential_SO2'\[0, 0\]: .*must be >= 0")
case("gridnc-pm10-below-pm25", K, gridded(fields={"residential_PM25": (("lat", "lon"), 5 * ONES, "t yr-1"),
                                                  "residential_PM10": (("lat", "lon"), ONES, "t yr-1")}),
     INV_NC, r"grid\.nc: variable 'residential_PM10'\[0, 0\]: .*PM10 includes PM2\.5")
case("gridnc-no-fields", K, gridded(fields={}), INV_NC, r"grid\.nc: no emission fields")
# A field on (lon, lat) beside a good one: it must not be dropped without a word.
case("gridnc-lon-lat-order", K, gridded(fields={"residential_SO2": (("lat", "lon"), ONES, "t yr-1"),
                                                "residential_NOx": (("lon", "lat"), np.ones((10, 6)), "t yr-1")}), INV_NC,
     r"grid\.nc: variable 'residential_NOx'")
case("gridnc-units-numeric", K, gridded(fields={"residential_SO2": (("lat", "lon"), ONES, 5.0)}), INV_NC,
     r"grid\.nc: variable 'residential_SO2': .*units")
case("gridnc-lat-beyond-pole", K, gridded(lat=np.arange(85.5, 91, 1.0), lon=np.arange(109.5, 119, 1.0)), INV_NC,
     r"grid\.nc: variable 'lat'")
case("gridnc-lon-range", K, gridded(lon=np.arange(1000.05, 1001, 0.1)), INV_NC, r"grid\.nc: variable 'lon'")
case("gridnc-3d-field", K, gridded(fields={"residential_SO2": (("time", "lat", "lon"), np.ones((2, 6, 10)), "t yr-1")}), INV_NC,
     r"grid\.nc: variable 'residential_SO2'")
case("gridnc-in-a-run", K, gridded(fields={"residential_SO2": (("lat", "lon"), -ONES, "t yr-1")}),
     RUN + ["inventory.areas={ws}/grid.nc"], r"grid\.nc: variable 'residential_SO2'\[0, 0\]: .*must be >= 0")


# ==== checkpoints (`lantian run --restart`) =========================================================
K = "checkpoint"
FIXTURES = [""]  # set by make_fixtures


def checkpoint(edit=None, **rewrite_kw):
    """The fixture's checkpoint as {ws}/ck.h5, rewritten through netCDF4 with changes."""
    def make(ws):
        src = os.path.join(FIXTURES[0], "ck.h5")
        ws.copy(os.path.join(FIXTURES[0], "ck.nc"), "ck.nc")  # the output the restart continues
        if edit is None and not rewrite_kw:
            ws.copy(src, "ck.h5")
            return
        ws.nc_rewrite(src, "ck.h5", **rewrite_kw)
        if edit:
            ws.nc_edit("ck.h5", edit)
    return make


def ck_put(name, index, value):
    def edit(d):
        d.variables[name][index] = value
    return checkpoint(edit)


case("checkpoint-missing", K, nothing, RESTART, r"checkpoint .*ck\.h5: no such file")
case("checkpoint-garbage", K, text("ck.h5", "\x89HDF but not really\n" * 50), RESTART, r"checkpoint .*ck\.h5: not an HDF5 file")
case("checkpoint-truncated", K, lambda ws: (checkpoint()(ws), ws.truncate("ck.h5", 0.5))[1], RESTART, r"checkpoint .*ck\.h5: ")
case("checkpoint-empty", K, text("ck.h5", b""), RESTART, r"checkpoint .*ck\.h5: not an HDF5 file")
case("checkpoint-is-a-wrfout", K, lambda ws: ws.copy(WRF_NC, "ck.h5"), RESTART, r"checkpoint .*ck\.h5: attribute 'format' is missing")
case("checkpoint-bytes-damaged", K, lambda ws: (checkpoint()(ws), ws.overwrite("ck.h5", 0.5, b"A" * 4096))[0], RESTART,
     r"checkpoint .*ck\.h5: ")
case("checkpoint-other-config", K, checkpoint(), RESTART + ["chemistry.so2_gas_per_h=0.02"], r"checkpoint .*ck\.h5 was written for another configuration")
case("checkpoint-other-version", K, checkpoint(lambda d: d.setncattr("lantian_version", "0.0.1")), RESTART,
     r"checkpoint .*ck\.h5: written by Lantian 0\.0\.1")
case("checkpoint-short-dataset", K, checkpoint(skip=("q_ug_kg",), replace={}), RESTART, r"checkpoint .*ck\.h5: dataset 'q_ug_kg' is missing")
case("checkpoint-nan-air-mass", K, ck_put("air_mass_kg", 7, np.nan), RESTART, r"checkpoint .*ck\.h5: dataset 'air_mass_kg'")
case("checkpoint-negative-tracer", K, ck_put("q_ug_kg", 11, -1e6), RESTART, r"checkpoint .*ck\.h5: dataset 'q_ug_kg'")
case("checkpoint-ledger-inf", K, ck_put("ledger_kg", 3, np.inf), RESTART, r"checkpoint .*ck\.h5: dataset 'ledger_kg'")
case("checkpoint-clock-nan", K, ck_put("clock", 0, np.nan), RESTART, r"checkpoint .*ck\.h5: dataset 'clock'")
case("checkpoint-clock-negative-time", K, ck_put("clock", 0, -3600.0), RESTART, r"checkpoint .*ck\.h5: dataset 'clock'\[0\] = -3600\.0+: the time must be >= 0 s")
case("checkpoint-clock-fraction", K, ck_put("clock", 11, 1.5), RESTART, r"checkpoint .*ck\.h5: dataset 'clock'\[11\] = 1\.50+: a grid size or species count")
case("checkpoint-clock-size", K, ck_put("clock", 8, 11.0), RESTART, r"checkpoint .*ck\.h5: ")


# ==== warm-start states (`lantian run --initial-state`, `run.initial_state`) ========================
K = "state"


def state(edit=None, **rewrite_kw):
    """The fixture's state file (the 1-hour run's states at 00:00 and 01:00; records 0 and 1) as {ws}/state.nc, with changes."""
    def make(ws):
        src = os.path.join(FIXTURES[0], "state.nc")
        if edit is None and not rewrite_kw:
            ws.copy(src, "state.nc")
            return
        if rewrite_kw:
            ws.nc_rewrite(src, "state.nc", **rewrite_kw)
        else:
            ws.copy(src, "state.nc")
        if edit:
            ws.nc_edit("state.nc", edit)
    return make


def st_put(name, index, value):
    def edit(d):
        d.variables[name][index] = value
    return state(edit)


def st_attr(variable, name, value=None):
    def edit(d):
        v = d.variables[variable]
        if value is None:
            v.delncattr(name)
        else:
            v.setncattr(name, value)
    return state(edit)


WARM = RUN + ["run.start=2026-01-10T01:00:00", "--initial-state", "{ws}/state.nc"]
case("state-missing", K, nothing, WARM, r"--initial-state .*state\.nc: file not found")
case("state-key-missing", K, nothing, RUN + ["run.initial_state={ws}/none.nc"], r"run\.initial_state.*none\.nc.*not found")
case("state-not-netcdf", K, text("state.nc", "not a state\n"), WARM, r"state\.nc: cannot open the initial state")
case("state-truncated", K, lambda ws: (state()(ws), ws.truncate("state.nc", 0.5))[1], WARM, r"state\.nc: ")
case("state-wrong-time", K, state(), RUN + ["run.start=2026-01-10T05:00:00", "--initial-state", "{ws}/state.nc"],
     r"state\.nc: no record at the run's start 2026-01-10 05:00:00 UTC; the file holds 2026-01-10 00:00:00, 2026-01-10 01:00:00")
case("state-no-overlap", K, state(), WARM + ["grid.center_lon=125"], r"state\.nc: its grid does not overlap")
case("state-no-z-bounds", K, state(skip=("z_bnds",)), WARM, r"state\.nc: no z_bnds variable")
case("state-no-crs", K, state(skip=("crs",)), WARM, r"state\.nc: no crs variable")
case("state-no-mapping", K, st_attr("crs", "grid_mapping_name"), WARM, r"state\.nc: crs has no grid_mapping_name")
case("state-unknown-mapping", K, st_attr("crs", "grid_mapping_name", "transverse_mercator"), WARM,
     r"state\.nc: crs: grid_mapping_name 'transverse_mercator' is not one Lantian reads")
# A Lambert state relabelled Mercator or polar stereographic lacks those mappings' parameters.
case("state-mercator-no-origin", K, st_attr("crs", "grid_mapping_name", "mercator"), WARM,
     r"state\.nc: crs: attribute longitude_of_projection_origin is missing")
case("state-polar-bad-origin", K, st_attr("crs", "grid_mapping_name", "polar_stereographic"), WARM,
     r"state\.nc: crs: latitude_of_projection_origin = .*: a polar stereographic grid needs \+90 or -90")
case("state-other-sphere", K, st_attr("crs", "earth_radius", 6371229.0), WARM, r"state\.nc: crs: earth_radius")
case("state-no-parallels", K, st_attr("crs", "standard_parallel"), WARM, r"state\.nc: crs: attribute standard_parallel is missing")
case("state-negative", K, st_put("SO2_3d", (1, 2, 3, 4), -5.0), WARM, r"state\.nc: SO2_3d at .*i=4 j=3 k=2 is negative")
case("state-nan", K, st_put("PM25_3d", (1, 0, 1, 1), np.nan), WARM, r"state\.nc: PM25_3d at .*not finite")
case("state-units", K, st_attr("SO2_3d", "units", "ppb"), WARM, r"state\.nc: SO2_3d: units 'ppb'")
case("state-uneven-x", K, st_put("x", 3, 1.0e6), WARM, r"state\.nc: the x coordinates are not evenly spaced")
case("state-no-species", K, state(skip=tuple(n + "_3d" for n in "SO2 NO2 CO PM25 PMC NH3 DUST SO4 NO3 NH4".split())), WARM,
     r"state\.nc: none of the run's species")
case("state-time-units", K, st_attr("time", "units", "days since 2026-01-10"), WARM, r"state\.nc: time: units")
case("state-with-restart", K, state(), WARM + ["--restart", "{ws}/state.nc"], r"--restart .*cannot also start from an initial state")


# ---- photochemical mode: mechanism file, photolysis table, background profiles -----------------------
K = "photochemistry"
SUMMER = "configs/summer_baotou.ini"
MECH = "configs/mechanisms/cb6r3.txt"
JTAB = "configs/mechanisms/cb6r3_photolysis.txt"
BG = "configs/mechanisms/cb6r3_background.csv"
PC = ["run", "{ws}/" + SUMMER, "--no-progress", "run.hours=1", "grid.nx=20", "grid.ny=16", "grid.dx_m=20000",
      "output.file={ws}/out.nc"]
PCM = PC + ["chemistry.mechanism_file={ws}/" + MECH]
case("mech-unknown-species", K, lambda ws: {"line": ws.sub(MECH, r"^R3 +O3 \+ NO -> NO2", "R3   O3 + NO -> NO4")}, PCM,
     r"cb6r3\.txt:{line}: .*NO4")
case("mech-no-rate", K, lambda ws: {"line": ws.sub(MECH, r"^(R3 +O3 \+ NO -> NO2\s*); arrhenius.*$", r"\1")}, PCM,
     r"cb6r3\.txt:{line}: ")
case("mech-nitrogen-imbalance", K, lambda ws: {"line": ws.sub(MECH, r"^R3 +O3 \+ NO -> NO2", "R3   O3 + NO -> NO2 + NO")}, PCM,
     r"cb6r3\.txt:{line}: .*[Nn]itrogen")
case("photolysis-no-mapping", K, lambda ws: ws.delete(JTAB, r"^NO2_IUPAC10\b") and None,
     PC + ["chemistry.photolysis_file={ws}/" + JTAB], r"cb6r3_photolysis\.txt.*NO2_IUPAC10")
case("background-negative", K, lambda ws: {"line": ws.sub(BG, r"^O3,0,40$", "O3,0,-40")},
     PC + ["chemistry.background_file={ws}/" + BG], r"cb6r3_background\.csv:{line}: ppb: -40")
case("background-heights", K, lambda ws: {"line": ws.sub(BG, r"^O3,1000,45$", "O3,0,45")},
     PC + ["chemistry.background_file={ws}/" + BG], r"cb6r3_background\.csv:{line}: height_m: 0: heights of O3 must increase")
case("photochemistry-tags", K, nothing, PC + ["tags.by=sector"], r"tags\.by.*non-linear")
case("photochemistry-output-species", K, nothing, PC + ["output.species=O3 XYZ"], r"output\.species: XYZ")


# ---- seasonal inflow climatology (species.boundary_climatology) ---------------------------------------
K = "boundary_climatology"
CLIM = "configs/boundary/climatology_north_china.csv"
# The default example (January: winter) with the shipped climatology; its species.background_ug_m3
# still wins for its species, but the whole file is read and checked.
CRUN = RUN + ["species.boundary_climatology={ws}/" + CLIM]
case("climatology-negative", K, lambda ws: {"line": ws.sub(CLIM, r"^CO,winter,0,220,ppb$", "CO,winter,0,-220,ppb")}, CRUN,
     r"climatology_north_china\.csv:{line}: value: -220: must be")
case("climatology-unknown-season", K, lambda ws: {"line": ws.sub(CLIM, r"^SO2,spring,0,1\.5,ppb$", "SO2,sprung,0,1.5,ppb")}, CRUN,
     r"climatology_north_china\.csv:{line}: season: sprung: unknown season")
case("climatology-heights", K, lambda ws: {"line": ws.sub(CLIM, r"^O3,summer,1000,55,ppb$", "O3,summer,0,55,ppb")}, CRUN,
     r"climatology_north_china\.csv:{line}: height_m: 0: heights of O3 in summer must increase")
case("climatology-unknown-species", K, lambda ws: {"line": ws.sub(CLIM, r"^NH3,autumn,0,2,ppb$", "NH4X,autumn,0,2,ppb")}, CRUN,
     r"climatology_north_china\.csv:{line}: species: NH4X: unknown species")
case("climatology-no-winter", K, lambda ws: {"line": ws.sub(CLIM, r"^CO,winter,", "# CO,winter,", every=True) + 4}, CRUN,
     r"climatology_north_china\.csv:{line}: species: CO: no rows for season winter")


# ==== nesting: a parent domain's state file (`nest.parent_file`, docs/nesting.md) ==================
K = "nest"
# An inner domain of 10 x 8 cells of 10 km in the middle of the fixture's 20 km parent (records at
# 00:00 and 01:00).
NEST = RUN + ["grid.nx=10", "grid.ny=8", "grid.dx_m=10000", "nest.parent_file={ws}/state.nc"]
case("nest-parent-missing", K, nothing, RUN + ["nest.parent_file={ws}/none.nc"],
     r"none\.nc: cannot open the parent domain's state file \(nest\.parent_file\)")
case("nest-parent-not-netcdf", K, text("state.nc", "not a state\n"), NEST, r"state\.nc: cannot open the parent domain's state file")
case("nest-outside", K, state(), RUN + ["nest.parent_file={ws}/state.nc"],
     r"state\.nc: this domain is not wholly inside the parent with a margin of 3 parent cells \(nest\.margin_cells\): its west boundary")
case("nest-period", K, state(), NEST + ["run.hours=2"],
     r"state\.nc: its records run from 2026-01-10 00:00:00 to 2026-01-10 01:00:00 UTC; this domain runs from")
case("nest-species-missing", K, state(skip=("SO2_3d", "SO2")), NEST,
     r"state\.nc: no SO2_3d or SO2 variable: the parent does not carry SO2")
case("nest-no-density", K, state(skip=("air_density_3d", "air_density")), NEST, r"state\.nc: no air_density_3d variable")
case("nest-negative", K, st_put("PM25_3d", (0, 0, 8, 10), -5.0), NEST,
     r"state\.nc: PM25_3d at 2026-01-10 00:00:00: value -5 at i=10 j=8 k=0 is negative")
case("nest-zero-density", K, st_put("air_density_3d", (0, 0, 8, 10), 0.0), NEST,
     r"state\.nc: air_density_3d at 2026-01-10 00:00:00: value 0 at i=10 j=8 k=0 is not a positive density")
case("nest-too-tall", K, state(), NEST + ["grid.top_m=9000"], r"state\.nc: the parent's top is at 4000 m, below this domain's top")
case("nest-units", K, st_attr("CO_3d", "units", "ppb"), NEST, r"state\.nc: CO_3d: units 'ppb'")
case("nest-inner-missing", K, nothing, RUN + ["nest.inner={ws}/none.ini"], r"nest\.inner.*none\.ini")
case("nest-periodic", K, nothing, RUN + ["nest.parent_file={ws}/x.nc", "transport.boundary=periodic"],
     r"nest\.parent_file.*needs transport\.boundary = open")


# ==== cases of the box tool: `lantian aerosol-equilibrium --cases` =================================
K = "aerosol_cases"
AEROSOL = ["aerosol-equilibrium", "--cases", "{ws}/cases.csv"]
GOOD_CASES = "T_K,rh,pressure_hpa,so4_ug_m3,nh3_total_ug_m3,hno3_total_ug_m3\n298.15,0.8,1013.25,10,5,5\n"
aerosol_cases = edited("cases.csv", GOOD_CASES)
case("aerosol-rh-percent", K, aerosol_cases(",0.8,", ",80,"), AEROSOL,
     r"cases\.csv:2: rh: 80: must be a relative humidity between 0 and 1")
case("aerosol-celsius", K, aerosol_cases("298.15", "25"), AEROSOL, r"cases\.csv:2: T_K: 25: must be a temperature in K")
case("aerosol-negative", K, aerosol_cases(",10,", ",-10,"), AEROSOL, r"cases\.csv:2: so4_ug_m3: -10: must be an amount")
case("aerosol-nan", K, aerosol_cases(",5,5", ",nan,5"), AEROSOL, r"cases\.csv:2: nh3_total_ug_m3: nan: not a number")
case("aerosol-missing-column", K, aerosol_cases(",hno3_total_ug_m3", ",hno3_ug_m3"), AEROSOL,
     r"cases\.csv:1: header: missing column 'hno3_total_ug_m3'")
case("aerosol-ragged", K, aerosol_cases(",5,5\n", ",5\n"), AEROSOL, r"cases\.csv:2: expected 6 columns")
case("aerosol-no-cases", K, text("cases.csv", GOOD_CASES.split("\n")[0] + "\n# none\n"), AEROSOL,
     r"cases\.csv: no cases")
case("aerosol-missing-file", K, nothing, AEROSOL, r"cases\.csv: cannot open file")
case("aerosol-branch", K, text("cases.csv", GOOD_CASES), AEROSOL + ["--branch", "liquid"],
     r"--branch: liquid: must be 'stable'")

def make_fixtures(binary, source, folder):
    """A one-hour run of the default example with receptor series (for report --observations) and
    its states at 00:00 and 01:00 (for --initial-state and as a nesting parent), one without receptors, and
    a checkpoint of the WRF example at 3 h (for --restart); checks that a checkpoint rewritten
    through netCDF4 unchanged still restarts, so the checkpoint cases fail for their own reason."""
    from workspace import Workspace
    os.makedirs(folder, exist_ok=True)
    FIXTURES[0] = folder
    env = dict(os.environ, OMP_NUM_THREADS="1")

    def lantian(*args, cwd=folder):
        p = subprocess.run([binary] + list(args), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        if p.returncode != 0:
            raise RuntimeError("fixture: lantian %s: exit %d\n%s" % (" ".join(args), p.returncode, p.stdout.decode()))

    lantian("run", os.path.join(source, EPISODE), "--no-progress", "run.hours=1", "grid.nx=20", "grid.ny=16",
            "grid.dx_m=20000", "output.file=" + os.path.join(folder, "episode.nc"),
            "output.state_file=" + os.path.join(folder, "state.nc"), "output.state_hours=0 1")
    lantian("run", os.path.join(source, EPISODE), "--no-progress", "run.hours=1", "grid.nx=20", "grid.ny=16",
            "grid.dx_m=20000", "receptors.stations=", "receptors.cities=", "output.file=" + os.path.join(folder, "plain.nc"))
    lantian("run", os.path.join(source, WRF_INI), "--no-progress", "run.hours=3", "output.file=ck.nc",
            "checkpoint.interval_h=3", "checkpoint.file=ck.h5")
    control = Workspace(os.path.join(folder, "control"), source)
    control.copy(os.path.join(folder, "ck.nc"), "ck.nc")
    control.nc_rewrite(os.path.join(folder, "ck.h5"), "ck.h5")
    lantian(*[a.replace("{ws}", control.root) for a in RESTART], cwd=control.root)
    return folder
