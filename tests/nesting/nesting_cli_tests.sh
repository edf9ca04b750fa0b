#!/usr/bin/env bash
# One-way nesting from the command line (docs/nesting.md):
#  - `lantian run OUTER.ini` with nest.inner runs the outer domain, writes its state every hour from
#    hour 0 (with air_density_3d), then two inner domains from it;
#  - the two-run mode (an inner config with nest.parent_file = the outer's state) gives the same
#    inner output bit for bit as the one command;
#  - a nested inner domain on 2 MPI ranks gives the single-rank output bit for bit;
#  - bad input is exit 2 naming the file and the problem: an inner domain outside its outer, a parent
#    that ends before the inner run, a missing inner config.
# Prints "N passed, M failed"; exit 1 when any check fails.
# Usage: nesting_cli_tests.sh LANTIAN_BINARY SOURCE_DIR
set -uo pipefail
lantian=$(readlink -f "$1")
src=$(readlink -f "$2")
work=$(mktemp -d /tmp/lantian_nesting_tests.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
export OMP_NUM_THREADS=1
passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }
same() { /usr/bin/python3 "$src/tests/mpi/compare_outputs.py" "$1" "$2" >/dev/null; }

# The outer: 15 km over central Inner Mongolia, the idealized episode, a stack near Baotou.
cat > outer.ini <<'INI'
[run]
title = nest test outer
start = 2026-03-01T00:00:00
hours = 3
max_dt_s = 900
[grid]
projection = lambert
nx = 30
ny = 24
dx_m = 15000
center_lon = 110.5
center_lat = 40.8
stand_lon = 110.5
nz = 8
first_layer_m = 40
top_m = 3000
[met]
source = episode
episode_origin = 2026-02-27T00:00:00
[species]
names = SO2 PM25 DUST
background_ug_m3 = SO2:8 PM25:12 DUST:10
[sources]
points = stacks.csv
[nest]
inner = inner_a.ini inner_b.ini
[output]
file = outer.nc
interval_h = 1
INI
cat > stacks.csv <<'CSV'
id,name,lon,lat,height_m,SO2_g_s,PM25_g_s
s1,test stack,109.3,40.6,100,2000,500
CSV
# Inner domains: 5 km around Baotou and around Hohhot; standalone configs (each also runs alone).
inner() {  # name centre_lon centre_lat
  cat > "inner_$1.ini" <<INI
[run]
title = nest test inner $1
start = 2026-03-01T00:00:00
hours = 3
max_dt_s = 600
[grid]
projection = lambert
nx = 24
ny = 20
dx_m = 5000
center_lon = $2
center_lat = $3
nz = 8
first_layer_m = 40
top_m = 3000
[met]
source = episode
episode_origin = 2026-02-27T00:00:00
[species]
names = SO2 PM25 DUST
[output]
file = inner_$1.nc
interval_h = 1
INI
}
inner a 109.9 40.65
inner b 111.4 40.85

"$lantian" run outer.ini --no-progress > run.out 2> run.err
rc=$?
check "one command runs the outer and two inner domains (exit $rc)" test "$rc" = 0
check "stderr names both inner domains" grep -q "inner domain 2 of 2: inner_b.ini" run.err
check "the inner runs say where their inflow comes from" grep -q "nested in .*outer_nest_state.nc (30 × 24 × 8 parent cells, 4 records, every 1 h" run.err
check "outer, state and both inner outputs exist" test -s outer.nc -a -s outer_nest_state.nc -a -s inner_a.nc -a -s inner_b.nc
check "the state has hour 0 and the air density" bash -c "ncdump -h outer_nest_state.nc | grep -q 'time = UNLIMITED ; // (4 currently)' && ncdump -h outer_nest_state.nc | grep -q 'float air_density_3d(time, z, y, x)'"
check "the inner's ledger books inflow from the parent" bash -c "grep -A12 'mass budget' run.out | grep -q inflow"

# Two runs: the inner alone from the outer's state file equals the inner of the one command.
"$lantian" run inner_a.ini nest.parent_file=outer_nest_state.nc output.file=inner_a_alone.nc --no-progress > /dev/null 2> alone.err
check "two-run mode runs (exit $?)" test -s inner_a_alone.nc
check "two-run mode equals the one command bit for bit" same inner_a.nc inner_a_alone.nc

# MPI: the inner on 2 ranks.
if command -v mpirun > /dev/null; then
  mpirun --allow-run-as-root --oversubscribe -np 2 "$lantian" run inner_a.ini nest.parent_file=outer_nest_state.nc \
    output.file=inner_a_mpi.nc --no-progress > /dev/null 2> mpi.err
  check "a nested inner on 2 MPI ranks runs (exit $?)" test -s inner_a_mpi.nc
  check "2 MPI ranks equal 1 rank bit for bit" same inner_a_alone.nc inner_a_mpi.nc
fi

# Bad input.
"$lantian" run inner_a.ini nest.parent_file=outer_nest_state.nc grid.nx=80 output.file=x.nc --no-progress > /dev/null 2> outside.err
rc=$?
check "an inner domain outside its outer is exit 2 (got $rc)" test "$rc" = 2
check "... naming the file, the boundary and the margin" bash -c "grep -q 'outer_nest_state.nc: this domain is not wholly inside the parent' outside.err && grep -q 'nest.margin_cells' outside.err"
"$lantian" run inner_a.ini nest.parent_file=outer_nest_state.nc run.hours=5 output.file=x.nc --no-progress > /dev/null 2> period.err
rc=$?
check "a parent that ends before the inner is exit 2 (got $rc)" test "$rc" = 2
check "... naming the parent's and the run's periods" grep -q "records run from 2026-03-01 00:00:00 to 2026-03-01 03:00:00 UTC; this domain runs from" period.err
"$lantian" run outer.ini "nest.inner=inner_a.ini missing.ini" output.file=y.nc --no-progress > /dev/null 2> missing.err
rc=$?
check "a missing inner config is exit 2 before anything runs (got $rc)" bash -c "test $rc = 2 && ! test -e y.nc"
check "... naming it" grep -q "nest.inner.*missing.ini" missing.err

echo "$passed passed, $failed failed"
test "$failed" = 0
