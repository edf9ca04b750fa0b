#!/usr/bin/env bash
# Regenerates the variable table of docs/output.md (between the output-reference markers) from the
# output catalogue in the code (`lantian output-reference`). Run after declaring an output variable;
# a unit test fails when a declared variable is missing from docs/output.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
[ -x build/lantian ] || bash scripts/build.sh lantian
table="$(./build/lantian output-reference)"
python3 - "$table" <<'PY'
import sys
path = "docs/output.md"
text = open(path, encoding="utf-8").read()
begin, end = "<!-- output-reference:begin -->", "<!-- output-reference:end -->"
a, b = text.index(begin) + len(begin), text.index(end)
open(path + ".new", "w", encoding="utf-8").write(text[:a] + "\n" + sys.argv[1] + "\n" + text[b:])
PY
mv docs/output.md.new docs/output.md
