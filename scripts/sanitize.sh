#!/usr/bin/env bash
# AddressSanitizer + UBSan build in ./build-asan (cmake -DLANTIAN_SANITIZE=ON, GCC, serial
# netCDF/HDF5, RelWithDebInfo = -O2 -g) and a run of the `unit` and `property` tests and of a 2-hour
# forecast under it. Any sanitizer report fails (UBSan does not recover; ASan and LeakSanitizer exit
# non-zero). Suppressions of third-party findings only: tests/sanitizers/*.supp (docs/fuzzing.md).
# Usage: scripts/sanitize.sh [--build-only]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/install-deps.sh
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLANTIAN_SANITIZE=ON -DLANTIAN_WERROR=ON \
  -DLANTIAN_MPI=OFF -DLANTIAN_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-asan -j2 --target lantian lantian_tests
[ "${1:-}" = "--build-only" ] && exit 0

supp="$here/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="suppressions=$supp/ubsan.supp:print_stacktrace=1:halt_on_error=1"
(cd build-asan && ctest --output-on-failure -L 'unit|property')
log=build-asan/e2e.log
build-asan/lantian run configs/episode_baotou.ini run.hours=2 output.file="$here/build-asan/e2e.nc" --no-progress >"$log" 2>&1 ||
  { echo "sanitize: the 2-hour run failed"; cat "$log"; exit 1; }
if grep -qE "runtime error|AddressSanitizer|LeakSanitizer" "$log"; then
  echo "sanitize: sanitizer report in the 2-hour run"; cat "$log"; exit 1
fi
echo "sanitize: unit, property and a 2-hour run clean under ASan + UBSan"
