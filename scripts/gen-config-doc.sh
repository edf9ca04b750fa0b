#!/usr/bin/env bash
# Regenerates the key tables of docs/config.md from the key table in the code (the introduction
# above "## Key reference" is kept). Run after adding or changing a config key; a test fails when a
# key is missing from docs/config.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
[ -x build/lantian ] || bash scripts/build.sh lantian
intro="$(sed '/^## Key reference/,$d' docs/config.md)"
{ printf '%s\n\n' "$intro"; ./build/lantian config-reference; } > docs/config.md.new
mv docs/config.md.new docs/config.md
