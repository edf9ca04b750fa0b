#!/usr/bin/env bash
# Evaluating many reduction lists after one tagged run: 100 variants of the demonstration list (the
# same targets, cuts scaled from 50% to 149% of the original, capped at 1) on a tagged run of the
# reference workload (configs/benchmark_reference.ini with the demonstration stations and cities).
# Usage: bash benchmarks/superposition_benchmark.sh [hours]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
hours="${1:-24}"
work="$(mktemp -d)"
list=configs/reduction_lists/baotou_emergency.csv
for n in $(seq 1 100); do
  python3 - "$list" "$work/list_$n.csv" "$n" <<'PY'
import sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
factor = 0.5 + (n - 1) / 100.0
with open(src) as f, open(dst, "w") as g:
    for line in f:
        cells = line.rstrip("\n").split(",")
        if line.startswith("#") or cells[0] == "target" or len(cells) < 4:
            g.write(line)
            continue
        cells[2] = f"{min(1.0, float(cells[2]) * factor):.4f}"
        g.write(",".join(cells) + "\n")
PY
done
receptors='receptors.stations=Baotou_Kundulun:109.82:40.65 Hohhot_centre:111.68:40.82'
cities='receptors.cities=Baotou:109.93:40.62:18 Hohhot:111.70:40.83:15 Ordos:109.98:39.82:12'
/usr/bin/time -f "tagged run: %e s wall, %M KiB" env OMP_NUM_THREADS=2 ./build/lantian run configs/benchmark_reference.ini \
  --no-progress run.hours="$hours" tags.by=lists tags.lists="$here/$list" "$receptors" "$cities" \
  output.file="$work/run.nc" > /dev/null
start=$(date +%s.%N)
./build/lantian scenarios --run "$work/run.nc" --lists "$work"/list_*.csv --csv "$work/s.csv" | tail -1
end=$(date +%s.%N)
python3 -c "print(f'100 lists x 3 levels evaluated in {$end - $start:.2f} s wall (target <= 10 s)')"
rm -rf "$work"
