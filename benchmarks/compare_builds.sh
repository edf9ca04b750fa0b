#!/usr/bin/env bash
# Compares two builds of lantian on one case in one sitting: the runs alternate (A, B, A, B, …) so
# that the machine's drift (±10–20% within minutes on a shared VM) falls on both alike, and each
# build's wall time and per-phase times (LANTIAN_PROFILE) are reported as min / median / max over
# the runs, with the ratio of the medians. The first run of each build also writes its output, and
# the two outputs are compared variable by variable (tests/mpi/compare_outputs.py): a speed change
# that moves numbers says so.
#
# Cases:
#   single     configs/single_tracer.ini, 1 thread (issue 17's single passive tracer)
#   reference  configs/benchmark_reference.ini, OMP_NUM_THREADS (default 2), --hours (default 24)
#
# Usage: benchmarks/compare_builds.sh [--case single|reference] [--runs N] [--hours H] LANTIAN_A LANTIAN_B
# Example (main against a worktree of an older commit):
#   git worktree add /tmp/old <commit> && (cd /tmp/old && bash scripts/build.sh lantian)
#   bash benchmarks/compare_builds.sh --runs 5 /tmp/old/build/lantian build/lantian
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case_name=single
runs=5
hours=24
bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --case) case_name=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --hours) hours=$2; shift 2 ;;
    -*) echo "compare_builds.sh: unknown option $1" >&2; exit 2 ;;
    *) bins+=("$(readlink -f "$1")"); shift ;;
  esac
done
if [ ${#bins[@]} -ne 2 ]; then
  echo "compare_builds.sh: give two lantian binaries (A and B)" >&2
  exit 2
fi
for b in "${bins[@]}"; do
  [ -x "$b" ] || { echo "compare_builds.sh: $b is not an executable" >&2; exit 2; }
done
case "$case_name" in
  single) config="$here/configs/single_tracer.ini"; threads=1 ;;
  reference) config="$here/configs/benchmark_reference.ini"; threads=${OMP_NUM_THREADS:-2} ;;
  *) echo "compare_builds.sh: unknown case '$case_name' (single or reference)" >&2; exit 2 ;;
esac
work=$(mktemp -d /tmp/lantian_compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$(dirname "$config")"  # (relative inventory and source paths resolve from the config's folder)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); case $case_name" \
  "($(basename "$config"), $hours h, $threads thread(s)), $runs alternating runs per build"
echo "A: ${bins[0]}"
echo "B: ${bins[1]}"
for r in $(seq "$runs"); do
  for ab in 0 1; do
    label=$([ "$ab" -eq 0 ] && echo A || echo B)
    out="$work/$label.nc"
    [ "$r" -eq 1 ] || out="$work/$label.$r.nc"
    OMP_NUM_THREADS=$threads LANTIAN_PROFILE=1 "${bins[$ab]}" run "$config" run.hours="$hours" output.file="$out" \
      --no-progress > "$work/$label.$r.log" 2>&1 || { cat "$work/$label.$r.log"; exit 1; }
    [ "$r" -eq 1 ] || rm -f "$out"
  done
done
/usr/bin/python3 - "$work" "$runs" <<'EOF'
import re, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
def parse(path):
    text = open(path).read()
    wall = re.search(r"([0-9.]+) s wall", text)
    prof = re.search(r"^profile \(rank 0, s\): (.*)$", text, re.M)
    phases = {"wall": float(wall.group(1))} if wall else {}
    if prof:  # "name words 1.23 other name 0.45 …"
        for name, value in re.findall(r"\s*([^0-9]+?)\s+([0-9.]+)", prof.group(1)):
            phases[name] = float(value)
    return phases
res = {lab: [parse(f"{work}/{lab}.{r}.log") for r in range(1, runs + 1)] for lab in "AB"}
names = list(res["A"][0].keys())
print(f"{'seconds':48s} {'A min / median / max':>24s} {'B min / median / max':>24s} {'B/A':>6s}")
for n in names:
    a = [p.get(n, float("nan")) for p in res["A"]]
    b = [p.get(n, float("nan")) for p in res["B"]]
    ma, mb = statistics.median(a), statistics.median(b)
    fmt = lambda v: f"{min(v):6.2f} {statistics.median(v):6.2f} {max(v):6.2f}"
    ratio = f"{mb / ma:6.3f}" if ma > 0 else "     -"
    print(f"{n:48s} {fmt(a):>24s} {fmt(b):>24s} {ratio}")
EOF
echo "outputs (first run of each):"
/usr/bin/python3 "$here/tests/mpi/compare_outputs.py" "$work/A.nc" "$work/B.nc" || echo "the outputs differ (above)"
