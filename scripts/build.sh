#!/usr/bin/env bash
# Configures and builds Lantian in ./build (Release, tests and benchmarks included).
# Usage: scripts/build.sh [target ...]; extra CMake options via LANTIAN_CMAKE_ARGS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLANTIAN_WERROR="$werror" ${LANTIAN_CMAKE_ARGS:-} >/dev/null
if [ $# -gt 0 ]; then
  for t in "$@"; do cmake --build build -j2 --target "$t"; done
else
  cmake --build build -j2
fi
