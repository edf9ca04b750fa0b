#!/usr/bin/env bash
# Strong and weak scaling of the MPI × OpenMP path, and the single-rank overhead against the non-MPI
# build. Reports per run: wall time, species-cell updates per second (cells × tracers × steps /
# wall), parallel efficiency, and the share of rank 0's wall time in halo exchanges/reductions and in
# output. On a machine with fewer cores than ranks × threads the runs are oversubscribed: the
# figures then show that the path works, not how it scales (see README.md).
#
# Usage: benchmarks/mpi_scaling.sh [--hours H] [--ranks "1 2 4"] [--threads "1 2"] [--no-overhead]
#        LANTIAN=path/to/lantian MPIRUN="srun" benchmarks/mpi_scaling.sh ...   (on a cluster)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hours=6
ranks_list="1 2 4"
threads_list="1 2"
overhead=1
while [ $# -gt 0 ]; do
  case "$1" in
    --hours) hours=$2; shift 2 ;;
    --ranks) ranks_list=$2; shift 2 ;;
    --threads) threads_list=$2; shift 2 ;;
    --no-overhead) overhead=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
lantian=${LANTIAN:-$here/build/lantian}
mpirun_cmd=${MPIRUN:-mpirun --oversubscribe --bind-to none -x OMP_NUM_THREADS}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cfg=$here/configs/benchmark_reference.ini
work=$(mktemp -d /tmp/lantian_scaling.XXXXXX)
trap 'rm -rf "$work"' EXIT
cores=$(nproc)

# run LABEL RANKS THREADS FACTOR [overrides...] -> one table row. Efficiency = ref_wall / (FACTOR × wall)
# when ref_wall is set (FACTOR: ranks × threads for strong scaling, 1 for weak scaling).
ref_wall=""
run() {
  local label=$1 ranks=$2 threads=$3 factor=$4
  shift 4
  local log=$work/$label.log
  if [ "$ranks" -eq 0 ]; then  # no launcher at all
    OMP_NUM_THREADS=$threads "$lantian" run "$cfg" --no-progress run.hours=$hours output.interval_h=$hours \
      output.file=$work/$label.nc "$@" > "$log" 2>&1
    ranks=1
  else
    OMP_NUM_THREADS=$threads $mpirun_cmd -n "$ranks" "$lantian" run "$cfg" --no-progress \
      run.hours=$hours output.interval_h=$hours output.file=$work/$label.nc "$@" > "$log" 2>&1
  fi
  local wall steps cells nspec comm io
  wall=$(grep -o '[0-9.]* s wall' "$log" | head -1 | cut -d' ' -f1)
  steps=$(grep -o 'done: [0-9]* steps' "$log" | grep -o '[0-9]*')
  cells=$(grep -o '[0-9]*x[0-9]*x[0-9]* cells' "$log" | head -1 | cut -d' ' -f1 | tr x '*' | bc)
  nspec=$(grep -o '[0-9][0-9]* species' "$log" | head -1 | cut -d' ' -f1)
  comm=$(grep -o '([0-9.]*%) in halo' "$log" | grep -o '[0-9.]*' || echo 0)
  io=$(grep -o '([0-9.]*%) writing' "$log" | grep -o '[0-9.]*' || echo 0)
  local updates
  updates=$(echo "$cells * $nspec * $steps / $wall" | bc -l)
  last_wall=$wall
  local efficiency="—"
  [ -n "$ref_wall" ] && efficiency=$(printf '%.0f%%' "$(echo "100 * $ref_wall / ($factor * $wall)" | bc -l)")
  printf '| %-12s | %5d | %7d | %8.1f | %9.2e | %10s | %5.1f%% | %5.1f%% |\n' "$label" "$ranks" "$threads" "$wall" "$updates" \
    "$efficiency" "$comm" "$io"
}

echo "Lantian MPI scaling — $(date -u +%Y-%m-%dT%H:%MZ), $(uname -n), $cores cores, $(g++ --version | head -1)"
echo "binary: $lantian; reference workload configs/benchmark_reference.ini, $hours h"
[ "$cores" -lt 4 ] && echo "NOTE: $cores cores: runs with ranks x threads > $cores are oversubscribed (functional, not representative)"
header='| run | ranks | threads | wall (s) | cell-updates/s | efficiency | halo+reductions | output |'
rule='|---|---|---|---|---|---|---|---|'

echo
echo "Strong scaling (fixed 200 x 160 x 20 grid); efficiency = T(1x1) / (ranks x threads x T)"
echo "$header"; echo "$rule"
ref_wall=""
run strong_1x1 0 1 1
ref_wall=$last_wall
for r in $ranks_list; do
  for t in $threads_list; do
    [ "$r" -eq 1 ] && [ "$t" -eq 1 ] && continue
    run "strong_${r}x$t" "$r" "$t" $((r * t))
  done
done

echo
echo "Weak scaling (100 x 80 columns per rank, 1 thread per rank); efficiency = T(1) / T(ranks)"
echo "$header"; echo "$rule"
ref_wall=""
run weak_1 0 1 1 grid.nx=100 grid.ny=80
ref_wall=$last_wall
for r in $ranks_list; do
  [ "$r" -eq 1 ] && continue
  px=1; py=$r
  [ "$r" -eq 2 ] && { px=2; py=1; }
  [ "$r" -eq 4 ] && { px=2; py=2; }
  run "weak_$r" "$r" 1 1 grid.nx=$((100 * px)) grid.ny=$((80 * py)) parallel.px=$px parallel.py=$py
done

if [ "$overhead" -eq 1 ]; then
  echo
  echo "Single-rank overhead of the MPI path (2 threads, best of 3 each)"
  nompi=$here/build-nompi/lantian
  if [ ! -x "$nompi" ] || [ "$nompi" -ot "$lantian" ]; then
    echo "(building the non-MPI binary in build-nompi/)"
    cmake -S "$here" -B "$here/build-nompi" -DCMAKE_BUILD_TYPE=Release -DLANTIAN_MPI=OFF -DLANTIAN_BUILD_TESTS=OFF \
      -DLANTIAN_BUILD_BENCHMARKS=OFF > /dev/null
    cmake --build "$here/build-nompi" -j2 --target lantian > /dev/null
  fi
  best() {  # best wall of 3 runs of the given command
    local b=999999 w
    for _ in 1 2 3; do
      "$@" > "$work/o.log" 2>&1
      w=$(grep -o '[0-9.]* s wall' "$work/o.log" | head -1 | cut -d' ' -f1)
      b=$(echo "if ($w < $b) $w else $b" | bc -l)
    done
    echo "$b"
  }
  common=(run "$cfg" --no-progress run.hours=$hours output.interval_h=$hours output.file=$work/o.nc)
  a=$(OMP_NUM_THREADS=2 best "$nompi" "${common[@]}")
  b=$(OMP_NUM_THREADS=2 best $mpirun_cmd -n 1 "$lantian" "${common[@]}")
  printf 'non-MPI build: %.2f s; MPI build under mpirun -np 1: %.2f s; overhead %+.1f%%\n' "$a" "$b" "$(echo "100 * ($b - $a) / $a" | bc -l)"
fi
