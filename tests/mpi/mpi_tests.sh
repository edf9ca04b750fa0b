#!/usr/bin/env bash
# MPI tests with real OpenMPI runs of the binary (mpirun --oversubscribe on a small machine):
#  - 1, 2, 3 and 4 ranks (and 1x4, 4x1 blocks) give identical output files and ledgers, also when
#    every rank writes its block collectively (parallel.io = collective);
#  - 48 h == 24 h + restart 24 h (with another rank count);
#  - the warm-start state file (output.state_file) and a warm start from it on 2 ranks == 1 rank;
#  - SIGTERM mid-run leaves a checkpoint, and the restart completes to the same result;
#  - scenario rank groups == the scenarios run together on one rank;
#  - source-apportionment tags on 3 and 4 ranks == on one rank;
#  - photochemistry with the inorganic aerosol (winter haze, its diagnostics, 3-D) on 4 ranks and
#    collectively on 2 == on one rank;
#  - bad input (ranks too many for the grid, foreign/missing/truncated checkpoints, blocks without
#    mpirun) exits 2 with a message, never hangs.
# Usage: mpi_tests.sh LANTIAN_BINARY SOURCE_DIR
set -uo pipefail
lantian=$1
src=$2
cmp="/usr/bin/python3 $src/tests/mpi/compare_outputs.py"
work=$(mktemp -d /tmp/lantian_mpi_tests.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMP_NUM_THREADS=1
mpi="timeout 300 mpirun --oversubscribe -np"
cfg=$src/configs/episode_baotou.ini
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
same() { $cmp "$1" "$2" || fail "$1 and $2 differ"; }
ledger() { sed -n '/^mass budget/,/^done/p' "$1" | grep -v -E '^(done|chemistry: [0-9])'; }  # the solver statistics are per rank

# ---- decompositions ------------------------------------------------------------------------------
run1() { $lantian run "$cfg" --no-progress "$@"; }
runN() { local n=$1; shift; $mpi "$n" "$lantian" run "$cfg" --no-progress "$@"; }
base=(run.hours=12 output.interval_h=3)
run1 "${base[@]}" output.file=d1.nc > d1.log 2>&1 || fail "1 rank run"
for n in 2 3 4; do
  runN $n "${base[@]}" output.file=d$n.nc > d$n.log 2>&1 || fail "$n-rank run"
  same d1.nc d$n.nc
  same d1_receptors.nc d$n\_receptors.nc
  cmp -s d1_receptors.csv d$n\_receptors.csv || fail "receptor CSV of $n ranks differs"
  [ "$(ledger d1.log)" == "$(ledger d$n.log)" ] || fail "printed ledger of $n ranks differs"
done
grep -q "2 x 2 blocks" d4.log || fail "4 ranks were not split 2 x 2: $(grep blocks d4.log)"
runN 4 "${base[@]}" parallel.px=1 parallel.py=4 output.file=d4y.nc > d4y.log 2>&1 || fail "1x4 run"
same d1.nc d4y.nc
OMP_NUM_THREADS=2 runN 4 "${base[@]}" parallel.px=4 parallel.py=1 output.file=d4x.nc > d4x.log 2>&1 || fail "4x1 run"
same d1.nc d4x.nc
# Collective output (HDF5 MPI-IO, every rank writes its block), with the 3-D fields: the same file.
run1 "${base[@]}" output.fields_3d=true output.file=c1.nc > c1.log 2>&1 || fail "1 rank 3-D run"
runN 4 "${base[@]}" output.fields_3d=true parallel.io=collective output.file=c4.nc > c4.log 2>&1 || fail "collective run"
same c1.nc c4.nc
same c1_receptors.nc c4_receptors.nc
[ "$(ncdump -h c1.nc | grep -v -e history -e lantian_config -e lantian_receptors_file -e '^netcdf')" == \
  "$(ncdump -h c4.nc | grep -v -e history -e lantian_config -e lantian_receptors_file -e '^netcdf')" ] ||
  fail "collective file header differs from the serial one"
# The state file for warm starts (output.state_file): gathered on 2 ranks and collective on 4 are
# the 1-rank file; a warm start from it on another grid gives the same files on 2 ranks as on 1.
state=(output.state_file=s1.nc "output.state_hours=6 12")
run1 "${base[@]}" output.file=s1out.nc "${state[@]}" > s1.log 2>&1 || fail "1 rank run with a state file"
runN 2 "${base[@]}" output.file=s2out.nc output.state_file=s2.nc "output.state_hours=6 12" > s2.log 2>&1 ||
  fail "2-rank run with a state file"
runN 4 "${base[@]}" parallel.io=collective output.file=s4out.nc output.state_file=s4.nc "output.state_hours=6 12" > s4.log 2>&1 ||
  fail "collective run with a state file"
same s1.nc s2.nc
same s1.nc s4.nc
warm=(run.start=2026-01-10T12:00:00 run.hours=6 output.interval_h=3 grid.dx_m=5000 grid.nx=80 grid.ny=52 grid.center_lon=110.8)
run1 "${warm[@]}" output.file=w1.nc --initial-state s1.nc > w1.log 2>&1 || fail "warm start on 1 rank"
grep -q "initial state from .*s1.nc at 2026-01-10 12:00:00" w1.log || fail "the warm start does not say where it started from"
runN 2 "${warm[@]}" output.file=w2.nc --initial-state s1.nc > w2.log 2>&1 || fail "warm start on 2 ranks"
same w1.nc w2.nc
# A test that can fail: another physics setting must change the files.
run1 "${base[@]}" transport.kh_m2_s=200 output.file=other.nc > other.log 2>&1
$cmp d1.nc other.nc > /dev/null && fail "the comparison cannot tell different runs apart"

# ---- restart -------------------------------------------------------------------------------------
run1 run.hours=48 output.file=full.nc output.state_file=full_state.nc "output.state_hours=12 24" > full.log 2>&1 || fail "48 h run"
runN 2 run.hours=24 checkpoint.interval_h=24 output.file=part.nc output.state_file=part_state.nc "output.state_hours=12 24" > part1.log 2>&1 ||
  fail "24 h run"
[ -f part.checkpoint.h5 ] || fail "no checkpoint after the 24 h run"
runN 3 run.hours=48 output.file=part.nc output.state_file=part_state.nc "output.state_hours=12 24" parallel.io=collective \
  --restart part.checkpoint.h5 > part2.log 2>&1 || fail "restart on 3 ranks (collective output)"
same full.nc part.nc
same full_state.nc part_state.nc
same full_receptors.nc part_receptors.nc
cmp -s full_receptors.csv part_receptors.csv || fail "receptor CSV after restart differs"
[ "$(ledger full.log)" == "$(ledger part2.log)" ] || fail "ledger after restart differs"

# ---- SIGTERM mid-run -----------------------------------------------------------------------------
run1 run.hours=120 output.file=long.nc > long.log 2>&1 || fail "120 h run"
# (mpirun itself, not under timeout: the signal goes to mpirun, which passes it to the ranks)
mpirun --oversubscribe -np 2 "$lantian" run "$cfg" --no-progress run.hours=120 output.file=killed.nc > killed1.log 2>&1 &
pid=$!
sleep 3  # the whole run takes several times longer
kill -TERM $pid
wait $pid
rc=$?
[ $rc -ne 0 ] || fail "the killed run exited 0 (was it killed before the end?)"
[ -f killed.checkpoint.h5 ] || fail "no checkpoint after SIGTERM: $(cat killed1.log | tail -3)"
[ -f killed.incomplete.nc ] || fail "the killed run's output is not marked incomplete"
[ -f killed.nc ] && fail "the killed run left a file that looks complete"
run1 run.hours=120 output.file=killed.nc --restart killed.checkpoint.h5 > killed2.log 2>&1 || fail "restart after SIGTERM"
same long.nc killed.nc
[ "$(ledger long.log)" == "$(ledger killed2.log)" ] || fail "ledger after SIGTERM restart differs"

# ---- scenario groups -----------------------------------------------------------------------------
list=$src/configs/reduction_lists/baotou_emergency.csv
scen="scenarios.runs=red:$list:red orange:$list:orange"
run1 run.hours=6 "$scen" output.file=g1.nc > g1.log 2>&1 || fail "scenarios on one rank"
runN 4 run.hours=6 "$scen" parallel.scenario_groups=2 output.file=g4.nc > g4.log 2>&1 || fail "scenario groups"
for s in "" _red _orange; do same g1$s.nc g4$s.nc; done
runN 3 run.hours=6 "$scen" parallel.scenario_groups=3 output.file=g3.nc > g3.log 2>&1 || fail "3 groups of 1"
for s in "" _red _orange; do same g1$s.nc g3$s.nc; done

# ---- source-apportionment tags: the blocks of a line hand the tag fluxes over in turn --------------
run1 run.hours=6 tags.by=sector output.file=t1.nc > t1.log 2>&1 || fail "tagged run on one rank"
for n in 3 4; do
  runN $n run.hours=6 tags.by=sector output.file=t$n.nc > t$n.log 2>&1 || fail "tagged run on $n ranks"
  same t1.nc t$n.nc
  same t1_receptors.nc t$n\_receptors.nc
done

# ---- photochemistry (CB6r3): each cell's solve depends on its own data only ---------------------------
# The winter haze example: the inorganic aerosol is at work in every cell (equilibrium with a per-cell
# warm start, aqueous sulfate), with its diagnostics (state fields that are not tracers: gathered, or
# written per block).
summer=$src/configs/winter_haze_baotou.ini
pc=(run.hours=3 grid.nx=24 grid.ny=16 grid.center_lon=109.95 grid.center_lat=40.62 receptors.stations=Baotou:109.93:40.62
    receptors.cities= output.aerosol_diagnostics=true output.fields_3d=true)
$lantian run "$summer" --no-progress "${pc[@]}" output.file=p1.nc > p1.log 2>&1 || fail "photochemical run on one rank"
$mpi 4 "$lantian" run "$summer" --no-progress "${pc[@]}" output.file=p4.nc > p4.log 2>&1 || fail "photochemical run on 4 ranks"
same p1.nc p4.nc
same p1_receptors.nc p4_receptors.nc
$mpi 2 "$lantian" run "$summer" --no-progress "${pc[@]}" parallel.io=collective output.file=p2c.nc > p2c.log 2>&1 ||
  fail "photochemical run on 2 ranks, collective output"
same p1.nc p2c.nc
same p1_receptors.nc p2c_receptors.nc
[ "$(ledger p1.log)" == "$(ledger p4.log)" ] || fail "printed ledger of the photochemical run on 4 ranks differs"

# ---- bad input: exit 2, a message, no hang ------------------------------------------------------------
expect2() {  # expect2 LOG PATTERN CMD...
  local log=$1 pattern=$2; shift 2
  "$@" > "$log" 2>&1
  local rc=$?
  [ $rc -eq 2 ] || fail "$log: exit $rc, expected 2: $(head -3 "$log")"
  grep -q "$pattern" "$log" || fail "$log: no message matching '$pattern': $(head -3 "$log")"
}
small=(run.hours=1 grid.nx=8 grid.ny=8 receptors.stations= receptors.cities= output.file=bad.nc)
expect2 bad_ranks.log "cannot decompose the 8 x 8 grid" $mpi 9 "$lantian" run "$cfg" --no-progress "${small[@]}"
expect2 bad_px.log "thinner than the 3-cell advection halo" $mpi 4 "$lantian" run "$cfg" --no-progress "${small[@]}" parallel.px=4
expect2 bad_nompi.log "start it with mpirun" run1 "${small[@]}" parallel.px=2 parallel.py=2
expect2 bad_groups.log "does not divide" $mpi 3 "$lantian" run "$cfg" --no-progress "${small[@]}" parallel.scenario_groups=2
expect2 bad_missing.log "no such file" run1 run.hours=48 output.file=part.nc --restart nothing.h5
head -c 4000 part.checkpoint.h5 > truncated.h5
expect2 bad_truncated.log "truncated" run1 run.hours=48 output.file=part.nc --restart truncated.h5
echo "not a checkpoint" > text.h5
expect2 bad_text.log "not an HDF5 file" run1 run.hours=48 output.file=part.nc --restart text.h5
expect2 bad_config.log "another configuration" $mpi 2 "$lantian" run "$cfg" --no-progress run.hours=48 transport.kh_m2_s=77 \
  output.file=part.nc --restart part.checkpoint.h5
grep -q "kh_m2_s = 77" bad_config.log || fail "the foreign-config message does not name the differing key"

if [ $failures -gt 0 ]; then
  echo "$failures MPI check(s) failed (work files in $work)"
  trap - EXIT
  exit 1
fi
echo "all MPI checks passed"
