#!/usr/bin/python3
"""Plots for `lantian report` (called by it; uses Debian's python3-matplotlib and python3-netcdf4).

Writes, into --outdir:
  map_PM25_<date>.png   daily-mean (local day) PM2.5 in the lowest layer with city markers,
                        coloured by the HJ 633-2012 PM2.5 category bands;
  series_<name>.png     hourly PM2.5 and its 24-h running mean at each city, over the AQI colour bands.
The names of the files made go to --list, one per line.
"""
import argparse
import datetime as dt
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: E402
from netCDF4 import Dataset  # noqa: E402

# PM2.5 24-h breakpoints of HJ 633-2012 (µg m-3) and the standard's category colours.
BOUNDS = [0, 35, 75, 115, 150, 250, 500]
COLOURS = ["#00e400", "#ffff00", "#ff7e00", "#ff0000", "#99004c", "#7e0023"]
NAMES = ["Excellent", "Good", "Lightly", "Moderately", "Heavily", "Severely"]


def reference_time(units):
    text = units.replace("hours since ", "").strip()[:19].replace("T", " ")
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--series", required=True)
    ap.add_argument("--daily", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--utc-offset", type=float, default=8.0)
    ap.add_argument("--list", required=True)
    args = ap.parse_args()
    made = []
    cmap = ListedColormap(COLOURS[:5])
    cmap.set_over(COLOURS[5])  # above 250: severely polluted
    norm = BoundaryNorm(BOUNDS[:6], cmap.N)

    series = Dataset(args.series)
    names = ["".join(c.decode() if isinstance(c, bytes) else c for c in row if c not in (b"", "")).strip("\x00 ")
             for row in series.variables["station_name"][:].filled(b"")]
    kinds = series.variables["receptor_kind"][:]
    slat, slon = series.variables["lat"][:], series.variables["lon"][:]

    with Dataset(args.run) as run:
        var = "PM25_total" if "PM25_total" in run.variables else "PM25"
        pm = run.variables[var][:]
        hours = run.variables["time"][:]
        ref = reference_time(run.variables["time"].units)
        if "lat" in run.variables and run.variables["lat"].ndim == 2:
            lat, lon = run.variables["lat"][:], run.variables["lon"][:]
        else:
            lon, lat = np.meshgrid(run.variables["x"][:], run.variables["y"][:])
        local = [ref + dt.timedelta(hours=float(h) - 0.5 + args.utc_offset) for h in hours]
        dates = sorted({t.date() for t in local})
        for day in dates:
            idx = [k for k, t in enumerate(local) if t.date() == day]
            if len(idx) < 20:
                continue  # an incomplete day: no daily-mean map
            mean = pm[idx].mean(axis=0)
            fig, ax = plt.subplots(figsize=(8, 5.5))
            mesh = ax.pcolormesh(lon, lat, mean, cmap=cmap, norm=norm, shading="auto")
            cb = fig.colorbar(mesh, ax=ax, extend="max")
            cb.set_label("daily-mean PM2.5 (ug m-3), HJ 633-2012 bands")
            for k in range(len(names)):
                if kinds[k] == 1:
                    ax.plot(slon[k], slat[k], "k^", markersize=8)
                    ax.annotate(names[k], (slon[k], slat[k]), xytext=(4, 4), textcoords="offset points", fontsize=9,
                                fontweight="bold")
            ax.set_xlabel("longitude (deg E)")
            ax.set_ylabel("latitude (deg N)")
            ax.set_title(f"PM2.5, daily mean of {day.isoformat()} (local time)")
            name = f"map_PM25_{day.isoformat()}.png"
            fig.savefig(os.path.join(args.outdir, name), dpi=90, bbox_inches="tight")
            plt.close(fig)
            made.append(name)

    sv = "PM25_total" if "PM25_total" in series.variables else "PM25"
    times = series.variables["time"][:]
    sref = reference_time(series.variables["time"].units)
    tloc = [sref + dt.timedelta(hours=float(h) + args.utc_offset) for h in times]
    for k in range(len(names)):
        if kinds[k] != 1:
            continue
        values = series.variables[sv][k, :]
        running = np.convolve(values, np.ones(24) / 24.0, mode="full")[: len(values)]
        running[:23] = np.nan
        fig, ax = plt.subplots(figsize=(9, 4))
        top = max(160.0, float(np.nanmax(values)) * 1.1)
        for lo, hi, colour, label in zip(BOUNDS[:-1], BOUNDS[1:], COLOURS, NAMES):
            if lo < top:
                ax.axhspan(lo, min(hi, top), color=colour, alpha=0.25, label=label)
        ax.plot(tloc, values, color="0.3", linewidth=0.8, label="hourly")
        ax.plot(tloc, running, color="k", linewidth=2, label="24-h running mean")
        ax.set_ylim(0, top)
        ax.set_ylabel("PM2.5 (ug m-3)")
        ax.set_title(f"{names[k]}: PM2.5 forecast (local time)")
        ax.legend(loc="upper left", fontsize=7, ncol=4)
        fig.autofmt_xdate()
        name = f"series_{names[k]}.png"
        fig.savefig(os.path.join(args.outdir, name), dpi=90, bbox_inches="tight")
        plt.close(fig)
        made.append(name)
    series.close()

    # Source contributions (tagged runs): stacked daily bars per city.
    contrib = os.path.join(args.outdir, "contributions.csv")
    if os.path.exists(contrib):
        import csv
        rows = list(csv.DictReader(open(contrib)))
        for city in sorted({r["receptor"] for r in rows}):
            mine = [r for r in rows if r["receptor"] == city]
            dates = sorted({r["date"] for r in mine})
            groups = list(dict.fromkeys(r["group"] for r in mine))
            fig, ax = plt.subplots(figsize=(9, 4.5))
            bottom = np.zeros(len(dates))
            cmap_groups = plt.get_cmap("tab20")
            for k, g in enumerate(groups):
                values = np.array([next(float(r["PM25_ug_m3"]) for r in mine if r["date"] == d and r["group"] == g)
                                   for d in dates])
                ax.bar(dates, values, bottom=bottom, label=g, color=cmap_groups(k % 20))
                bottom += values
            ax.set_ylabel("daily-mean PM2.5 (ug m-3)")
            ax.set_title(f"{city}: PM2.5 by source (tags)")
            ax.legend(fontsize=7, ncol=3, loc="upper left")
            fig.autofmt_xdate()
            name = f"contributions_{city}.png"
            fig.savefig(os.path.join(args.outdir, name), dpi=90, bbox_inches="tight")
            plt.close(fig)
            made.append(name)
    with open(args.list, "w") as f:
        f.write("\n".join(made) + "\n")


if __name__ == "__main__":
    main()
