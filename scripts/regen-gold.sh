#!/usr/bin/env bash
# Regenerates the gold reference outputs of tests/gold/reference/ with the current build and prints,
# per file and variable, the largest relative change against the old references. Regenerating is a
# deliberate commit: its message says why the numbers moved and by how much (paste what this prints).
# Usage: scripts/regen-gold.sh [--case default|wrf|tagged ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/build.sh lantian
/usr/bin/python3 tests/gold/gold.py regenerate build/lantian "$@"
echo "regen-gold: references rewritten in tests/gold/reference/; commit them saying why the numbers moved."
