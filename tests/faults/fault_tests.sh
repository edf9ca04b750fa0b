#!/usr/bin/env bash
# Faults lose nothing, and runs that cannot fit are refused before they start (docs/resources.md):
#  - memory beyond the machine, output beyond the free disk space, a missing output folder:
#    refused with exit 2 and the estimate, within seconds;
#  - an unwritable output or checkpoint folder: exit 1 before the first step;
#  - the output file system filling up mid-run (a small tmpfs mounted here as root), another
#    process filling the checkpoint's file system mid-run, and a file-size limit (RLIMIT_FSIZE,
#    always run, and the stand-in for the tmpfs where mounting is impossible): exit 1, a message
#    that names the file and says the disk is full, no file under a final name, and the last
#    checkpoint continues the run to output identical to an uninterrupted run;
#  - SIGKILL at three points of a run that writes 3-D fields and a checkpoint every hour: no file
#    under a final name, and the restart from the last checkpoint gives identical output.
# Never skips silently: a check that cannot be made here fails. Prints "N passed, M failed".
# Usage: fault_tests.sh LANTIAN_BINARY SOURCE_DIR
set -uo pipefail
lantian=$(readlink -f "$1")
src=$(readlink -f "$2")
cmp="/usr/bin/python3 $src/tests/mpi/compare_outputs.py"
work=$(mktemp -d /tmp/lantian_fault_tests.XXXXXX)
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2> /dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export OMP_NUM_THREADS=1
cfg=$src/configs/episode_baotou.ini
coarse=(grid.nx=50 grid.ny=32 grid.dx_m=8000)
passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
run() { timeout 120 "$lantian" run "$cfg" --no-progress "$@"; }
# check NAME CONDITION...: one line per check.
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }
no_final_names() { ! ls "$1"/*.nc "$1"/*.csv 2> /dev/null | grep -v -e '\.incomplete\.' -e '\.partial$' | grep -q .; }
can_mount=0
# LANTIAN_FAULTS_NO_MOUNT=1 takes the path of a machine where mounting is impossible.
if [ -z "${LANTIAN_FAULTS_NO_MOUNT:-}" ]; then
  mkdir -p probe && mount -t tmpfs -o size=1m tmpfs probe 2> /dev/null && { can_mount=1; umount probe; }
fi
[ $can_mount -eq 1 ] && echo "tmpfs: mounting works here (root)" || echo "tmpfs: cannot mount here; the full disk is tested with RLIMIT_FSIZE only"
# tmpfs DIR SIZE [ro]: mounts a small file system of its own.
tmpfs() { mkdir -p "$1" && mount -t tmpfs -o "size=$2${3:+,$3}" tmpfs "$1" && mounts+=("$work/$1"); }

# ---- refused before the run: exit 2 with the estimate ---------------------------------------------
start=$(date +%s)
run grid.nx=20000 grid.ny=20000 grid.nz=50 output.file=mem.nc > mem.log 2>&1
rc=$?
check "memory beyond the machine: exit 2 ($rc)" [ $rc -eq 2 ]
check "memory refusal gives the estimate and the machine's memory" grep -q "of memory per rank.*but this machine has" mem.log
check "memory refusal within 10 s" [ $(($(date +%s) - start)) -le 10 ]
run run.hours=8784 grid.nx=400 grid.ny=400 grid.nz=50 output.fields_3d=true output.file=disk.nc > disk.log 2>&1
rc=$?
check "output beyond the free disk space: exit 2 ($rc)" [ $rc -eq 2 ]
check "disk refusal names the file system and the free space" grep -q "needs about .* free" disk.log
check "disk refusal leaves no file" [ ! -e disk.nc.partial ]
run run.hours=1 output.file=no/such/folder/x.nc > nofolder.log 2>&1
rc=$?
check "missing output folder: exit 2 ($rc)" [ $rc -eq 2 ]
check "missing folder named" grep -q "no/such/folder.* does not exist" nofolder.log

# ---- the memory estimate holds, and memory does not grow with the records written ------------------
run run.hours=24 output.file=m24.nc > m24.log 2>&1 || fail "24 h run"
run run.hours=96 output.file=m96.nc > m96.log 2>&1 || fail "96 h run"
est=$(grep -o "memory about [0-9.]* MiB" m24.log | awk '{print $3}')
p24=$(grep -o "peak memory [0-9.]*" m24.log | awk '{print $3}')
p96=$(grep -o "peak memory [0-9.]*" m96.log | awk '{print $3}')
echo "memory: estimate $est MiB, peak $p24 MiB (24 h), $p96 MiB (96 h)"
check "the memory estimate is within -20%..+30% of the peak" awk -v e="$est" -v p="$p24" 'BEGIN { exit !(e >= 0.8 * p && e <= 1.3 * p) }'
# netCDF's default chunk cache kept every record in memory (+28 MiB from 24 to 96 h here).
check "peak memory grows by less than 5 MiB from 24 to 96 output records" awk -v a="$p24" -v b="$p96" 'BEGIN { exit !(b - a < 5) }'

# ---- unwritable folders: exit 1 before the first step ----------------------------------------------
# As root, permission bits do not stop writes: a read-only mount, or the run as user nobody.
if [ $can_mount -eq 1 ]; then
  tmpfs ro 1m ro
  as=()
elif [ "$(id -u)" -eq 0 ]; then
  mkdir -p ro && chmod 755 ro "$work"
  as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
  mkdir -p ro && chmod 555 ro
  as=()
fi
"${as[@]}" timeout 60 "$lantian" run "$cfg" --no-progress run.hours=2 "${coarse[@]}" output.file=ro/x.nc > ro_out.log 2>&1
rc=$?
check "unwritable output folder: exit 1 ($rc)" [ $rc -eq 1 ]
check "unwritable output folder named" grep -q "ro.* is not writable" ro_out.log
mkdir -p w && chmod 777 w
"${as[@]}" timeout 60 "$lantian" run "$cfg" --no-progress run.hours=2 "${coarse[@]}" output.file=w/x.nc \
  checkpoint.interval_h=1 checkpoint.file=ro/ck.h5 > ro_ck.log 2>&1
rc=$?
check "unwritable checkpoint folder: exit 1 ($rc)" [ $rc -eq 1 ]
check "refused before the first step" grep -q "is not writable" ro_ck.log
# Refused before the first step: not even an incomplete or partial file was started.
check "no output left by the refused run" [ -z "$(ls -A w)" ]

# ---- the full disk ----------------------------------------------------------------------------------
# The reference: the same run uninterrupted.
full=(run.hours=24 "${coarse[@]}" checkpoint.interval_h=3)
run "${full[@]}" output.file=ref.nc checkpoint.file=ref.h5 > ref.log 2>&1 || fail "reference run"
# restarted NAME OUT CHECKPOINT: the restart completes and equals the reference.
restarted() {
  run "${full[@]}" output.file="$2" checkpoint.file="$3" --restart "$3" > "$1.restart.log" 2>&1 &&
    $cmp ref.nc "$2" > /dev/null && $cmp ref_receptors.nc "${2%.nc}_receptors.nc" > /dev/null
}
# full_disk NAME OUT CHECKPOINT LOG: the invariants after a run stopped by a full disk.
full_disk() {
  local name=$1 out=$2 ck=$3 log=$4 rc=$5
  check "$name: exit 1 ($rc)" [ "$rc" -eq 1 ]
  check "$name: the message says the disk is full or the file limit is reached" grep -Eq "is full|file-size limit" "$log"
  check "$name: no file under a final name" no_final_names "$(dirname "$out")"
  check "$name: the message names the checkpoint that continues the run" grep -q "the last checkpoint, .*--restart" "$log"
  check "$name: a checkpoint is there" [ -f "$ck" ]
}
if [ $can_mount -eq 1 ]; then
  # The output's file system fills (1 MiB: the check before the run lets it start, since deflated
  # fields may compress 4:1; they compress about 2:1 and fill it near hour 17).
  tmpfs outfs 1m
  run "${full[@]}" output.file=outfs/run.nc checkpoint.file=ck_a.h5 > full_a.log 2>&1
  full_disk "output disk full" outfs/run.nc ck_a.h5 full_a.log $?
  mount -o remount,size=20m outfs
  check "output disk full: the restart from the checkpoint gives the uninterrupted output" restarted full_a outfs/run.nc ck_a.h5
  # Another process fills the checkpoint's file system after the first checkpoint.
  tmpfs ckfs 6m
  mkdir -p b
  run run.hours=240 "${coarse[@]}" checkpoint.interval_h=1 output.file=b/run.nc checkpoint.file=ckfs/ck.h5 > full_b.log 2>&1 &
  pid=$!
  for _ in $(seq 600); do [ -f ckfs/ck.h5 ] && break; sleep 0.05; done
  dd if=/dev/zero of=ckfs/filler bs=64k > /dev/null 2>&1
  wait $pid
  rc=$?
  full_disk "checkpoint disk full" b/run.nc ckfs/ck.h5 full_b.log $rc
  check "checkpoint disk full: the message names the checkpoint that failed" grep -q "ckfs/ck.h5.partial: writing the checkpoint failed" full_b.log
  check "checkpoint disk full: no partial checkpoint left" [ ! -e ckfs/ck.h5.partial ]
  rm -f ckfs/filler
  run run.hours=240 "${coarse[@]}" checkpoint.interval_h=1 output.file=b/run.nc checkpoint.file=ckfs/ck.h5 --restart ckfs/ck.h5 > full_b.restart.log 2>&1
  check "checkpoint disk full: the restart completes" [ $? -eq 0 ]
  run run.hours=240 "${coarse[@]}" output.file=b_ref.nc > b_ref.log 2>&1
  check "checkpoint disk full: the restarted output equals the uninterrupted run" $cmp b_ref.nc b/run.nc
fi
# A file-size limit of 1 MiB on every file the run writes (the process ignores SIGXFSZ and gets EFBIG).
mkdir -p lim
(ulimit -f 1024 && exec timeout 120 "$lantian" run "$cfg" --no-progress "${full[@]}" output.file=lim/run.nc checkpoint.file=ck_c.h5 checkpoint.interval_h=0) > full_c.log 2>&1
rc=$?
check "file-size limit: exit 1 ($rc)" [ $rc -eq 1 ]
check "file-size limit: the message says so" grep -q "file-size limit" full_c.log
check "file-size limit: no file under a final name" no_final_names lim
check "file-size limit: the output is kept as incomplete" [ -f lim/run.incomplete.nc ]

# ---- SIGKILL during a run that writes every hour -----------------------------------------------------
kill_run=(run.hours=168 "${coarse[@]}" output.fields_3d=true checkpoint.interval_h=1)
run "${kill_run[@]}" output.file=kref.nc > kref.log 2>&1 || fail "SIGKILL reference run"
for n in 1 2 3; do
  mkdir -p k$n
  # Started directly (not under timeout) so that the kill reaches lantian itself.
  "$lantian" run "$cfg" --no-progress "${kill_run[@]}" output.file=k$n/run.nc > k$n.log 2>&1 &
  pid=$!
  # Wait for the n-th checkpoint's hour to pass, then kill at a varying moment.
  for _ in $(seq 600); do [ -f k$n/run.checkpoint.h5 ] && break; sleep 0.02; done
  sleep "0.$((n * 3))"
  kill -9 $pid 2> /dev/null
  wait $pid 2> /dev/null
  check "SIGKILL $n: no file under a final name" no_final_names k$n
  check "SIGKILL $n: a checkpoint is there" [ -f k$n/run.checkpoint.h5 ]
  run "${kill_run[@]}" output.file=k$n/run.nc --restart k$n/run.checkpoint.h5 > k$n.restart.log 2>&1
  check "SIGKILL $n: the restart completes" [ $? -eq 0 ]
  check "SIGKILL $n: the restarted output equals the uninterrupted run" $cmp kref.nc k$n/run.nc
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
