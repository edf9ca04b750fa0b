#!/usr/bin/python3
"""Exit 0 when two Lantian NetCDF files hold the same variables with identical values.

Compares variables (names, shapes, every value bit for bit), not HDF5 metadata or the history
attribute, which name the command and date. Usage: compare_outputs.py A.nc B.nc
"""
import sys

import netCDF4
import numpy as np


def main(a_path, b_path):
    a, b = netCDF4.Dataset(a_path), netCDF4.Dataset(b_path)
    problems = []
    if set(a.variables) != set(b.variables):
        problems.append(f"variables differ: {sorted(set(a.variables) ^ set(b.variables))}")
    for name in sorted(set(a.variables) & set(b.variables)):
        va, vb = a.variables[name], b.variables[name]
        va.set_auto_mask(False)
        vb.set_auto_mask(False)
        x, y = va[:], vb[:]
        if x.shape != y.shape:
            problems.append(f"{name}: shape {x.shape} vs {y.shape}")
        elif x.dtype.kind == "f" and not np.array_equal(x.view(np.uint8), y.view(np.uint8)):
            diff = np.nanmax(np.abs(x.astype(float) - y.astype(float)))
            problems.append(f"{name}: values differ (max |a - b| = {diff:g})")
        elif x.dtype.kind != "f" and not np.array_equal(x, y):
            problems.append(f"{name}: values differ")
    for p in problems:
        print(f"{a_path} vs {b_path}: {p}")
    if not problems:
        print(f"{a_path} == {b_path}: {len(a.variables)} variables identical")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
