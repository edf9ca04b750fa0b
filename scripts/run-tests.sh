#!/usr/bin/env bash
# README command 2: install dependencies, build everything with warnings as errors, run the tests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
ctest --output-on-failure "$@"
