#!/usr/bin/env bash
# The daily forecast cycle's wall time (issue 15 target: a 10-day cycle on the default domain,
# analysis and bulletin included, in <= 3 minutes on 2 cores).
#
# Runs two consecutive cycles of configs/forecast_cycle.ini (the first a cold start with 48 h of
# spin-up, the second warm-started from it) with hourly pseudo-observations at the example's four
# stations, and prints each cycle's wall time and its stages (from cycle.json). The second cycle is
# the operational case: warm start, analysis, 10-day run, archive, verification of the first, bulletin.
#
# Usage: benchmarks/forecast_cycle.sh [LANTIAN_BINARY] [--days N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lantian=$(readlink -f "${1:-$here/build/lantian}")
days=10
if [ "${2:-}" = "--days" ]; then days=$3; fi
work=$(mktemp -d /tmp/lantian_cycle_bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
mkdir -p "$work/obs"
/usr/bin/python3 - "$work/obs" <<'EOF'
import math, sys
folder = sys.argv[1]
stations = ["Baotou_Kundulun", "Baotou_Donghe", "Hohhot_centre", "Ordos_Dongsheng"]
for day in range(10, 14):
    with open(f"{folder}/obs_202601{day:02d}.csv", "w") as f:
        f.write("station,time,pollutant,value,unit\n")
        for h in range(24):
            for k, st in enumerate(stations):
                v = 90 + 30 * k + 40 * math.sin(h / 24 * 2 * math.pi)
                f.write(f"{st},2026-01-{day:02d}T{h:02d}:00:00+08:00,PM2.5,{v:.1f},ug/m3\n")
                f.write(f"{st},2026-01-{day:02d}T{h:02d}:00:00+08:00,PM10,{1.5 * v:.1f},ug/m3\n")
                f.write(f"{st},2026-01-{day:02d}T{h:02d}:00:00+08:00,NO2,{45 + 5 * k:.1f},ug/m3\n")
EOF
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); OMP_NUM_THREADS=$OMP_NUM_THREADS"
for date in 2026-01-11 2026-01-12; do
  t0=$(date +%s.%N)
  "$lantian" forecast "$here/configs/forecast_cycle.ini" --date "$date" --no-progress forecast.days="$days" \
    forecast.cycles_dir="$work/cycles" forecast.observations="$work/obs/obs_{yyyymmdd}.csv" > "$work/$date.log" 2>&1 \
    || { cat "$work/$date.log"; exit 1; }
  t1=$(date +%s.%N)
  folder="$work/cycles/${date//-/}"
  /usr/bin/python3 - "$folder/cycle.json" "$(echo "$t1 - $t0" | bc)" "$date" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
wall = float(sys.argv[2])
stages = ", ".join(f"{s['name']} {s['seconds']:.1f}" for s in d["stages"])
an = d["analysis"]
analysis = ("analysis of " + ", ".join(f"{p['name']} ({p['used']} stations, RMS O-B {p['rms_omb']:.1f} -> O-A {p['rms_oma']:.1f})"
                                       for p in an["pollutants"])) if an["done"] else "no analysis: " + an["reason"]
print(f"cycle {sys.argv[3]} ({d['initial_state']['kind']} start, {d['days']} days, {d['hours']:.0f} h): "
      f"{wall:.1f} s wall; stages (s): {stages}; {analysis}")
EOF
done
# The products stages of the last cycle are in its log (archive, verification, bulletin).
grep -E "archive|verification|bulletin" "$work/cycles/20260112/logs/cycle.log" | sed 's/^/  /'
