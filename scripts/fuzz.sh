#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz in ./build-fuzz (clang 14, -DLANTIAN_FUZZ=ON, ASan +
# UBSan) and runs each named target (default: all) for N executions on a fresh copy of its seed
# corpus tests/fuzz/corpus/<target>. One line per target: executions, exec/s, wall time, findings.
# Findings (crash-*, leak-*, timeout-*, oom-* inputs) are kept in build-fuzz/artifacts/<target>/;
# the full log of a target is build-fuzz/logs/<target>.log. Exit 1 when any target has a finding.
#
# Usage: scripts/fuzz.sh [TARGET ...] [-runs=N] [--no-build] [--build-only] [other libFuzzer flags]
#   N defaults to 1000000. Set LANTIAN_BUILD_LOCK=FILE to build under `flock FILE` (shared machines),
#   LANTIAN_FUZZ_DIR=DIR to build and run in DIR instead of build-fuzz.
set -euo pipefail
dir="${LANTIAN_FUZZ_DIR:-build-fuzz}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

runs=1000000
build=1
run=1
targets=()
extra=()
for a in "$@"; do
  case "$a" in
    -runs=*) runs="${a#-runs=}" ;;
    --no-build) build=0 ;;
    --build-only) run=0 ;;
    -*) extra+=("$a") ;;
    *) targets+=("$a") ;;
  esac
done

if [ "$build" = 1 ]; then
  bash scripts/install-deps.sh fuzz
  lock=()
  [ -n "${LANTIAN_BUILD_LOCK:-}" ] && lock=(flock "$LANTIAN_BUILD_LOCK")
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLANTIAN_FUZZ=ON \
    -DLANTIAN_WERROR=ON -DLANTIAN_MPI=OFF -DLANTIAN_BUILD_TESTS=OFF -DLANTIAN_BUILD_BENCHMARKS=OFF >/dev/null
  if [ ${#targets[@]} -gt 0 ]; then
    for t in "${targets[@]}"; do "${lock[@]}" cmake --build "$dir" -j2 --target "$t"; done
  else
    "${lock[@]}" cmake --build "$dir" -j2 --target fuzz
  fi
fi
[ "$run" = 1 ] || exit 0
if [ ${#targets[@]} -eq 0 ]; then
  read -r -a targets < <(tr ';' ' ' < "$dir/fuzz_targets.txt"; echo)
fi

supp="$here/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="suppressions=$supp/ubsan.supp:print_stacktrace=1:halt_on_error=1"
mkdir -p "$dir/logs"
failed=0
for t in "${targets[@]}"; do
  corpus="$dir/corpus/$t"
  artifacts="$dir/artifacts/$t"
  rm -rf "$corpus" "$artifacts" && mkdir -p "$corpus" "$artifacts"
  cp tests/fuzz/corpus/"$t"/* "$corpus"/
  log="$dir/logs/$t.log"
  start=$(date +%s.%N)
  set +e
  "$dir/tests/fuzz/$t" -runs="$runs" -timeout=1 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${extra[@]}" "$corpus" >"$log" 2>&1
  rc=$?
  set -e
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(echo "${execs:-0} / $wall" | bc)  # libFuzzer's own figure is rounded to whole seconds
  findings=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf 'fuzz: %-26s %10s execs %8s exec/s %8.1f s  findings %s%s\n' "$t" "${execs:-?}" "${rate:-?}" "$wall" \
    "$findings" "$([ "$rc" -ne 0 ] && echo "  (exit $rc, see $log)")"
  if [ "$rc" -ne 0 ] || [ "$findings" -ne 0 ]; then failed=1; fi
done
exit "$failed"
