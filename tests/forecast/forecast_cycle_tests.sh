#!/usr/bin/env bash
# The daily forecast cycle as cron runs it (docs/forecast-cycle.md):
#  - a missing weather file is exit 2 naming the file, and status.json says failed at "weather";
#  - the first cycle is a cold start with spin-up, stated in cycle.json and the bulletin; the next
#    day's cycle starts warm from it; observations give an analysis, none give "no analysis" stated;
#  - rerunning a cycle gives the same products and no duplicate archive rows;
#  - verification scores the earlier cycles; pruning removes old folders but keeps their scores;
#  - the forecaster's edits.csv is applied by --products-only;
#  - `lantian run --initial-state` starts from a cycle's state.
# Then the twin experiment (twin_experiment.py) with its three checks.
# Prints "N passed, M failed"; exit 1 when any check fails.
# Usage: forecast_cycle_tests.sh LANTIAN_BINARY SOURCE_DIR [--no-twin]
set -uo pipefail
lantian=$(readlink -f "$1")
src=$(readlink -f "$2")
work=$(mktemp -d /tmp/lantian_forecast_tests.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
export OMP_NUM_THREADS=2
passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }
py() { /usr/bin/python3 -c "$@"; }
json() { py "import json,sys; d=json.load(open('$1')); print($2)"; }

# A cycle config: the default episode, 1 lead day (40 h runs), continuous weather across cycles,
# the stations of the episode as the station list, observations from a file with {yyyymmdd}.
sed -e "s#inventories/baotou/#$src/configs/inventories/baotou/#" \
    -e 's#^\[met\]$#[met]\nepisode_origin = 2026-01-10T00:00:00#' "$src/configs/episode_baotou.ini" > cycle.ini
cat >> cycle.ini <<'EOF'
[forecast]
days = 1
stations = stations.csv
observations = obs/obs_{yyyymmdd}.csv
spinup_h = 24
keep_days = 30
title = Test bureau forecast
EOF
cat > stations.csv <<'EOF'
code,name,city,lon,lat
Baotou_Kundulun,昆都仑区,Baotou,109.82,40.65
Baotou_Donghe,东河区,Baotou,110.05,40.58
Hohhot_centre,呼和浩特市中心,Hohhot,111.68,40.82
Ordos_Dongsheng,东胜区,Ordos,109.98,39.82
EOF
mkdir -p obs
# Observations of 2026-01-11 and 2026-01-12 (Beijing time, hour ending): a smooth diurnal PM2.5.
py "
import math
for day in ('11', '12', '13'):
    with open(f'obs/obs_202601{day}.csv', 'w') as f:
        f.write('station,time,pollutant,value,unit\n')
        for h in range(1, 25):
            hh = h % 24
            d = day if h < 24 else str(int(day) + 1)
            for k, st in enumerate(('Baotou_Kundulun', 'Baotou_Donghe', 'Hohhot_centre', 'Ordos_Dongsheng')):
                v = 80 + 40 * k + 30 * math.sin(h / 24 * 2 * math.pi)
                f.write(f'{st},2026-01-{d}T{hh:02d}:00:00+08:00,PM2.5,{v:.1f},ug/m3\n')
                f.write(f'{st},2026-01-{d}T{hh:02d}:00:00+08:00,NO2,{40 + 5 * k:.1f},ug/m3\n')
"

# 1. Missing weather: exit 2, the file named, status failed.
sed -e 's#^source = episode#source = wrf#' cycle.ini > wrf_cycle.ini
echo "weather = wrf/wrfout_d0{n}_{date}_*" >> wrf_cycle.ini
"$lantian" forecast wrf_cycle.ini --date 2026-01-11 --no-progress forecast.cycles_dir=wrf_cycles > wrf.log 2>&1
rc=$?
check "missing weather: exit 2 (got $rc)" test "$rc" = 2
check "missing weather: the message names the file" grep -q "wrfout_d01_2026-01-11_\*" wrf.log
check "missing weather: status.json failed at stage weather" \
  test "$(json wrf_cycles/20260111/status.json "d['status'] + '/' + d['stage'] + '/' + str(d['exit_code'])")" = "failed/weather/2"
# The real wrfout (2005-09-21, 9 hours) found by the pattern: the run is refused for the missing hours.
mkdir -p wrf && ln -sf "$src/configs/wrf/wrf_d01_allvars_cropped.nc" "wrf/wrfout_d01_2005-09-21_00:00:00"
"$lantian" forecast wrf_cycle.ini --date 2005-09-21 --no-progress forecast.cycles_dir=wrf_cycles grid.nz=16 \
  species.names="SO2 PM25" species.background_ug_m3="SO2:2 PM25:5" inventory.points= inventory.roads= inventory.areas= \
  inventory.road_factors= receptors.cities= forecast.stations= forecast.observations= > wrf2.log 2>&1
rc=$?
check "WRF weather resolved from the pattern and named in cycle.log (rc $rc)" grep -q "wrfout_d01_2005-09-21_00:00:00" wrf_cycles/20050921/logs/cycle.log
check "a weather file too short for the cycle: exit 2 with the reason" bash -c "test $rc = 2 && grep -qi 'hour\|cover\|time' wrf2.log"

# 2. First cycle: cold start with spin-up, analysis from the observations.
"$lantian" forecast cycle.ini --date 2026-01-11 --no-progress > c1.log 2>&1
rc=$?
check "cycle 1: exit 0 (got $rc)" test "$rc" = 0
c1=cycles/20260111
check "cycle 1: status ok" test "$(json $c1/status.json "d['status']")" = ok
check "cycle 1: cold start with 24 h spin-up in cycle.json" \
  test "$(json $c1/cycle.json "d['initial_state']['kind'] + '/' + str(d['initial_state']['spinup_h'])")" = "cold/24"
check "cycle 1: analysis done, the 4 PM2.5 stations used or rejected by the background check" \
  test "$(json $c1/cycle.json "[(p['used'] + p['rejected'], p['used'] > 0) for p in d['analysis']['pollutants'] if p['name']=='PM2.5'][0]")" = "(4, True)"
check "cycle 1: files of the cycle folder" bash -c "ls $c1/forecast.nc $c1/forecast_receptors.nc $c1/state.nc $c1/analysis/analysis.nc \
  $c1/analysis/innovations.csv $c1/forecast_daily.csv $c1/cycle.ini $c1/bulletin/index.html $c1/bulletin/bulletin.png > /dev/null"
check "cycle 1: no partial files left" bash -c "! find $c1 -name '*.partial' | grep -q ."
check "cycle 1: bulletin states the cold start" grep -qi "cold start\|冷启动" $c1/bulletin/index.html
check "cycle 1: innovations.csv has the 4 stations for PM2.5" \
  test "$(grep -c ',PM2.5,' $c1/analysis/innovations.csv)" = 4
check "cycle 1: state.nc valid 24 h after the start (cdo reads it)" bash -c "cdo -s showtimestamp $c1/state.nc | grep -q 2026-01-12T00:00:00"

# 3. Second cycle: warm start from the first.
"$lantian" forecast cycle.ini --date 2026-01-12 --no-progress forecast.bulletin=false > c2.log 2>&1
check "cycle 2: exit 0" test $? = 0
c2=cycles/20260112
check "cycle 2: warm start from cycle 1's state" \
  test "$(json $c2/cycle.json "d['initial_state']['kind'] + ' ' + d['initial_state']['source'].split('/cycles/')[-1]")" = "warm 20260111/state.nc"
check "cycle 2: verification scored cycle 1's day 1" bash -c "grep -q '^2026-01-11,' cycles/verification.csv"
cp cycles/verification.csv v_before.csv
cp $c2/forecast_daily.csv daily_before.csv

# 4. Rerun: the same products, no duplicate rows.
"$lantian" forecast cycle.ini --date 2026-01-12 --no-progress forecast.bulletin=false > c2b.log 2>&1
check "rerun: exit 0" test $? = 0
check "rerun: forecast_daily.csv identical" cmp -s daily_before.csv $c2/forecast_daily.csv
check "rerun: verification.csv identical (no duplicated rows)" cmp -s v_before.csv cycles/verification.csv
check "rerun: verification.csv has no duplicate rows" test "$(sort cycles/verification.csv | uniq -d | wc -l)" = 0

# 5. No observations for the date: no analysis, stated.
"$lantian" forecast cycle.ini --date 2026-01-14 --no-progress forecast.bulletin=true > c4.log 2>&1
check "no observations: exit 0" test $? = 0
check "no observations: analysis not done, reason in cycle.json" \
  bash -c "test \"\$(/usr/bin/python3 -c \"import json; d=json.load(open('cycles/20260114/cycle.json')); print(d['analysis']['done'])\")\" = False"
check "no observations: the bulletin says so" grep -qi "no analysis\|no observations\|无观测" cycles/20260114/bulletin/index.html
# 2026-01-13 was skipped: with days = 1, 01-12's state.nc holds only 01-13 08:00, not 01-14's start,
# so 01-14 is a cold start with spin-up (and says so).
check "a gap day: a cold start with spin-up, as no earlier state is valid at its start" \
  test "$(json cycles/20260114/cycle.json "d['initial_state']['kind'] + '/' + str(d['initial_state']['spinup_h'])")" = "cold/24"

# 6. Forecaster's edits, re-rendered with --products-only.
printf 'city,date,aqi_low,aqi_high,note\nBaotou,2026-01-15,160,210,Test override by the duty forecaster\n' > cycles/20260114/edits.csv
"$lantian" forecast cycle.ini --date 2026-01-14 --products-only --no-progress > c4e.log 2>&1
check "edits: --products-only exit 0" test $? = 0
check "edits: the override is in the bulletin" grep -q "Test override by the duty forecaster" cycles/20260114/bulletin/index.html
check "edits: edits_applied.csv records it" grep -q "Baotou" cycles/20260114/bulletin/edits_applied.csv

# 7. Pruning keeps the scores of removed cycles.
rows_before=$(grep -c '^2026-01-11,' cycles/verification.csv)
"$lantian" forecast cycle.ini --date 2026-01-15 --no-progress forecast.bulletin=false forecast.keep_days=2 > c5.log 2>&1
check "prune: exit 0" test $? = 0
check "prune: cycle 20260111 removed, 20260114 kept" bash -c "test ! -d cycles/20260111 && test -d cycles/20260114"
check "prune: cycle 1's verification rows kept ($rows_before)" test "$(grep -c '^2026-01-11,' cycles/verification.csv)" = "$rows_before"

# 8. lantian run --initial-state from a cycle's state.
"$lantian" run cycle.ini --no-progress --initial-state cycles/20260114/state.nc run.start=2026-01-15T00:00:00 run.hours=3 \
  output.file=warm_run.nc > warmrun.log 2>&1
check "run --initial-state: exit 0" test $? = 0
check "run --initial-state: the first hour is not the background" py "
from netCDF4 import Dataset
import numpy as np
a = Dataset('warm_run.nc')['PM25_total'][0]
print(float(a.max()))
assert float(a.max()) > 40.0
"

if [ "${3:-}" != "--no-twin" ]; then
  if /usr/bin/python3 "$src/tests/forecast/twin_experiment.py" "$lantian" "$src" "$work/twin" > twin.log 2>&1; then
    ok "twin experiment"
  else
    fail "twin experiment"
  fi
  cat twin.log | grep -v "^$" | tail -12
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
