#!/usr/bin/python3
"""Gold-file regression: small committed reference outputs, compared variable by variable.

    gold.py check BINARY [--case NAME ...] [--set key=value ...] [--expect-fail]
    gold.py regenerate BINARY            (scripts/regen-gold.sh; a deliberate commit, see README.md)

Each case runs the binary with fixed arguments in a scratch folder and compares what it wrote with
tests/gold/reference/. Numbers: every element of every numeric NetCDF variable within
    |new - gold| <= RTOL * |gold| + ATOL_FRACTION * max|gold of that variable|
(RTOL = 1e-5, ATOL_FRACTION = 1e-7); names, dimensions, shapes and units exactly. CSV tables: text
columns exactly, numbers within RTOL or one unit of the last printed decimal. A 1% change of the
vertical exchange coefficient (--set met.kz_scale=1.01) moves the fields by 0.1-0.6%, several hundred
times the tolerance, and fails every case: the gold_sensitivity test runs exactly that with
--expect-fail. Python's netCDF4 and numpy (Debian python3-netcdf4) are all it needs.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from netCDF4 import Dataset

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
REFERENCE = os.path.join(HERE, "reference")
RTOL = 1e-5
ATOL_FRACTION = 1e-7

# The default example on a coarse grid for one Beijing-time calendar day (00-24 BJT, hourly), so that
# the report's daily table has a complete day.
DEFAULT_ARGS = ["run", "configs/episode_baotou.ini", "run.start=2026-01-09T16:00:00", "run.hours=24",
                "grid.nx=50", "grid.ny=32", "grid.dx_m=8000", "output.interval_h=1"]
CASES = {
    "default": {
        "commands": [DEFAULT_ARGS + ["output.file={out}/default.nc"],
                     ["report", "{out}/default.nc", "--output-dir", "{out}/default_report", "--no-plots"]],
        "files": ["default.nc", "default_receptors.nc", "default_report/daily.csv"],
    },
    "wrf": {
        "commands": [["run", "configs/wrf_example.ini", "output.file={out}/wrf.nc"]],
        "files": ["wrf.nc"],
    },
    "tagged": {
        "commands": [["run", "configs/episode_baotou.ini", "run.hours=12", "grid.nx=50", "grid.ny=32", "grid.dx_m=8000",
                      "output.interval_h=3", "tags.by=sector", "receptors.stations=", "receptors.cities=",
                      "output.file={out}/tagged.nc"]],
        "files": ["tagged.nc"],
    },
}


def run_case(binary, name, out, extra):
    for command in CASES[name]["commands"]:
        args = [binary] + [a.format(out=out) for a in command]
        if command[0] == "run":
            args += list(extra) + ["--no-progress"]
        done = subprocess.run(args, cwd=SOURCE, capture_output=True, text=True,
                              env=dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "2")))
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")


def compare_netcdf(gold_path, new_path):
    """Returns (problems, largest relative change per variable)."""
    problems, changes = [], {}
    with Dataset(gold_path) as g, Dataset(new_path) as n:
        if set(g.variables) != set(n.variables):
            problems.append(f"variables differ: only in gold {sorted(set(g.variables) - set(n.variables))}, "
                            f"only in new {sorted(set(n.variables) - set(g.variables))}")
        for name in sorted(set(g.variables) & set(n.variables)):
            gv, nv = g.variables[name], n.variables[name]
            if gv.dimensions != nv.dimensions or gv.shape != nv.shape:
                problems.append(f"{name}: dimensions {gv.dimensions}{gv.shape} in gold, {nv.dimensions}{nv.shape} now")
                continue
            if getattr(gv, "units", None) != getattr(nv, "units", None):
                problems.append(f"{name}: units '{getattr(gv, 'units', None)}' in gold, '{getattr(nv, 'units', None)}' now")
            if gv.dtype.kind not in "fiu" or gv.size == 0:
                if gv.dtype.kind in "SU" and not np.array_equal(gv[:], nv[:]):
                    problems.append(f"{name}: text differs")
                continue
            a = np.ma.filled(np.ma.asarray(gv[:], dtype=float), np.nan)
            b = np.ma.filled(np.ma.asarray(nv[:], dtype=float), np.nan)
            if not np.array_equal(np.isnan(a), np.isnan(b)):
                problems.append(f"{name}: missing values at other places than in gold")
                continue
            a, b = np.nan_to_num(a), np.nan_to_num(b)
            scale = np.abs(a).max()
            diff = np.abs(b - a)
            allowed = RTOL * np.abs(a) + ATOL_FRACTION * scale
            changes[name] = float((diff / np.maximum(np.abs(a), scale * 1e-3 if scale > 0 else 1e-300)).max())
            bad = diff > allowed
            if bad.any():
                at = np.unravel_index(np.argmax(diff - allowed), a.shape)
                problems.append(f"{name}: {int(bad.sum())} of {a.size} values outside tolerance; worst at index "
                                f"{tuple(int(i) for i in at)}: gold {a[at]:.9g}, now {b[at]:.9g}")
    return problems, changes


def decimals(text):
    return len(text.split(".")[1]) if "." in text and "e" not in text.lower() else 0


def compare_csv(gold_path, new_path):
    problems, changes = [], {}
    with open(gold_path, newline="", encoding="utf-8") as f:
        gold = list(csv.reader(f))
    with open(new_path, newline="", encoding="utf-8") as f:
        new = list(csv.reader(f))
    if len(gold) != len(new) or (gold and gold[0] != new[0]):
        return [f"{len(gold)} rows / header {gold[0] if gold else []} in gold, {len(new)} / {new[0] if new else []} now"], {}
    header = gold[0]
    for r, (gr, nr) in enumerate(zip(gold[1:], new[1:]), start=2):
        for c, (gs, ns) in enumerate(zip(gr, nr)):
            try:
                a, b = float(gs), float(ns)
            except ValueError:
                if gs != ns:
                    problems.append(f"line {r}, {header[c]}: '{gs}' in gold, '{ns}' now")
                continue
            unit = 10.0 ** -decimals(gs)
            col = header[c]
            changes[col] = max(changes.get(col, 0.0), abs(b - a) / max(abs(a), unit))
            if abs(b - a) > max(RTOL * abs(a), 1.01 * unit if decimals(gs) else 0.0):
                problems.append(f"line {r}, {col}: {gs} in gold, {ns} now")
    return problems, changes


def compare(gold_path, new_path):
    if not os.path.exists(new_path):
        return [f"{new_path} was not written"], {}
    return (compare_csv if gold_path.endswith(".csv") else compare_netcdf)(gold_path, new_path)


def reference_name(name, rel):
    return rel.replace("/", "_") if rel.startswith(name) else f"{name}_{rel}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["check", "regenerate"])
    parser.add_argument("binary")
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    parser.add_argument("--set", action="append", default=[], help="extra config override for every run (key=value)")
    parser.add_argument("--expect-fail", action="store_true", help="succeed only if every case fails (sensitivity proof)")
    opt = parser.parse_args()
    binary = os.path.abspath(opt.binary)
    cases = opt.case or sorted(CASES)
    failed_cases = 0
    scratch = tempfile.mkdtemp(prefix="lantian-gold-")
    try:
        for name in cases:
            out = os.path.join(scratch, name)
            os.makedirs(out)
            run_case(binary, name, out, opt.set)
            case_problems = []
            for rel in CASES[name]["files"]:
                gold = os.path.join(REFERENCE, reference_name(name, rel))
                new = os.path.join(out, rel)
                if opt.action == "regenerate":
                    if not os.path.exists(new):
                        raise RuntimeError(f"case {name} did not write {rel}")
                    if os.path.exists(gold):
                        _, changes = compare(gold, new)
                        moved = {k: v for k, v in changes.items() if v > 0}
                        print(f"{name}/{rel}: " + (", ".join(f"{k} {v:.3g}" for k, v in sorted(moved.items()))
                                                   if moved else "unchanged") + " (largest relative change)")
                    else:
                        print(f"{name}/{rel}: new reference")
                    os.makedirs(REFERENCE, exist_ok=True)
                    shutil.copyfile(new, gold)
                    continue
                if not os.path.exists(gold):
                    case_problems.append(f"{gold}: no reference (run scripts/regen-gold.sh)")
                    continue
                problems, _ = compare(gold, new)
                case_problems += [f"{rel}: {p}" for p in problems]
            if opt.action == "check":
                verdict = "differs from gold" if case_problems else "matches gold"
                print(f"gold {name}: {verdict}")
                for p in case_problems[:12]:
                    print("    " + p)
                if len(case_problems) > 12:
                    print(f"    ... and {len(case_problems) - 12} more")
                failed_cases += bool(case_problems)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if opt.action == "regenerate":
        return 0
    if opt.expect_fail:
        caught = failed_cases
        print(f"{caught} passed, {len(cases) - caught} failed")
        print(f"with {' '.join(opt.set)}: {caught} of {len(cases)} cases detected the change")
        return 0 if caught == len(cases) else 1
    print(f"{len(cases) - failed_cases} passed, {failed_cases} failed")
    return 1 if failed_cases else 0


if __name__ == "__main__":
    sys.exit(main())
