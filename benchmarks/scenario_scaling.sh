#!/usr/bin/env bash
# Cost of several emission scenarios in one run against one scenario, on the reference workload
# (configs/benchmark_reference.ini, 200 x 160 x 20 cells, 10 species), 12 simulated hours.
# Usage: bash benchmarks/scenario_scaling.sh [hours]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
hours="${1:-12}"
out="$(mktemp -d)"
list="reduction_lists/baotou_emergency.csv"
runs=""
for k in 1 2 3 4 5 6 7; do
  case $((k % 4)) in 0) level=always;; 1) level=yellow;; 2) level=orange;; 3) level=red;; esac
  runs="$runs s$k:$list:$level"
done
time_of() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
one=$(OMP_NUM_THREADS=2 time_of ./build/lantian run configs/benchmark_reference.ini --no-progress run.hours="$hours" output.file="$out/one.nc")
eight=$(OMP_NUM_THREADS=2 time_of ./build/lantian run configs/benchmark_reference.ini --no-progress run.hours="$hours" output.file="$out/eight.nc" "scenarios.runs=$runs")
echo "1 scenario : wall ${one% *} s, peak ${one#* } KiB"
echo "8 scenarios: wall ${eight% *} s, peak ${eight#* } KiB"
python3 -c "print(f'ratio 8/1: {${eight% *}/${one% *}:.2f} (target <= 6)')"
rm -rf "$out"
