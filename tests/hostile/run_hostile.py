#!/usr/bin/python3
"""Hostile-input suite: every malformed input of tests/hostile/cases.py must make the `lantian`
binary exit with code 2 (bad input) within 10 s, with a message naming the file and the line
(CSV, INI), the key (command line) or the variable (NetCDF, HDF5). docs/hostile-inputs.md.

Usage: run_hostile.py LANTIAN_BINARY SOURCE_DIR [--only REGEX] [--keep DIR] [--list]

One line per case (PASS, FAIL, XFAIL: expected to fail, with the reason; XPASS: an expected
failure that now passes, which fails the suite so the table is updated), then the line
`N passed, M failed`. Exits 1 when any case failed.
"""
import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as case_table  # noqa: E402
from workspace import Workspace  # noqa: E402

TIMEOUT_S = 10.0  # a hang guard, not a speed target
MEMORY_BYTES = 4 << 30  # address space of one case: a hostile input must not take the machine's memory
EXIT_BAD_INPUT = 2


def expand(text, ws, fixtures):
    return text.replace("{ws}", ws.root).replace("{fx}", fixtures)


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def run_case(case, binary, source, fixtures, scratch):
    """Returns (ok, detail, seconds)."""
    ws = Workspace(os.path.join(scratch, case.id), source)
    try:
        subs = case.make(ws) or {}
    except Exception as e:  # a case that cannot make its input is a broken case, not a crash of the suite
        return False, "could not make the input: %s: %s" % (type(e).__name__, e), 0.0
    argv = [binary] + [expand(a, ws, fixtures) for a in case.cmd]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    t0 = time.monotonic()
    try:
        p = subprocess.run(argv, cwd=ws.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=TIMEOUT_S, preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        return False, "no exit within %.0f s (hang)" % TIMEOUT_S, time.monotonic() - t0
    elapsed = time.monotonic() - t0
    out = p.stdout.decode("utf-8", "replace")
    pattern = case.expect
    for key, value in subs.items():
        pattern = pattern.replace("{" + key + "}", re.escape(str(value)))
    last = [line for line in out.splitlines() if line.strip()][-3:]
    said = " | ".join(last)[:400]
    if p.returncode != EXIT_BAD_INPUT:
        return False, "exit %d, expected 2: %s" % (p.returncode, said), elapsed
    if not re.search(pattern, out):
        return False, "message does not match /%s/: %s" % (pattern, said), elapsed
    return True, said[:160], elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("source")
    ap.add_argument("--only", help="run the cases whose id matches this regex")
    ap.add_argument("--keep", help="make the inputs in this folder and keep them")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    args = ap.parse_args()
    binary, source = os.path.abspath(args.binary), os.path.abspath(args.source)
    selected = [c for c in case_table.CASES if not args.only or re.search(args.only, c.id)]
    ids = [c.id for c in case_table.CASES]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        print("hostile: duplicate case ids: " + " ".join(duplicates))
        return 1
    if args.list:
        for c in selected:
            print("%-34s %-16s %s" % (c.id, c.kind, " ".join(c.cmd)))
        return 0

    scratch = args.keep or tempfile.mkdtemp(prefix="lantian_hostile_")
    os.makedirs(scratch, exist_ok=True)
    started = time.monotonic()
    try:
        fixtures = case_table.make_fixtures(binary, source, os.path.join(scratch, "_fixtures"))
        passed = failed = xfailed = 0
        by_kind = {}
        for case in selected:
            ok, detail, seconds = run_case(case, binary, source, fixtures, scratch)
            by_kind[case.kind] = by_kind.get(case.kind, 0) + 1
            if case.xfail:
                if ok:
                    failed += 1
                    print("XPASS %-32s %5.2fs  passes now: drop its xfail (%s)" % (case.id, seconds, case.xfail))
                else:
                    passed += 1
                    xfailed += 1
                    print("XFAIL %-32s %5.2fs  %s [%s]" % (case.id, seconds, case.xfail, detail))
            elif ok:
                passed += 1
                print("PASS  %-32s %5.2fs  %s" % (case.id, seconds, detail))
            else:
                failed += 1
                print("FAIL  %-32s %5.2fs  %s" % (case.id, seconds, detail))
            sys.stdout.flush()
        print("cases by file kind: " + ", ".join("%s %d" % kv for kv in sorted(by_kind.items())))
        print("%d expected failures; %.1f s in all" % (xfailed, time.monotonic() - started))
        print("%d passed, %d failed" % (passed, failed))
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
