#!/usr/bin/env python3
"""Twin experiment of the daily forecast cycle (issue 15; docs/forecast-cycle.md, "Proof").

A "truth" run differs from the forecast model in two ways a real forecast gets wrong: Baotou's
emissions are 1.5 times the inventory (every point stack, area cell and road link inside the
Baotou box) and the weather is shifted (the valley winds 0.8 instead of 0.7 m/s, the episode's
fronts 2 h earlier). Pseudo-observations of PM2.5, PM10, SO2, NO2 and CO are sampled from the truth at 27
stations, with 5 % multiplicative noise (fixed seed). Three consecutive daily cycles are then run in
three set-ups:

  A  analysis on,  warm start (the previous cycle's state)
  B  analysis off, warm start
  C  analysis off, cold start from the background every day (no spin-up)

and the script checks:
  1. at the analysis time, the RMSE of surface PM2.5 against the truth over the whole grid is at
     least 50 % lower with analysis (A's analysis) than without (B's initial state), summed over
     the three cycles;
  2. the day-1 daily-mean PM2.5 error at the stations (mean absolute error against the truth's
     daily means) of A is at most 75 % of B's;
  3. warm start beats cold start on day 1: B's error is below C's.

Usage: twin_experiment.py LANTIAN_BINARY SOURCE_DIR [WORK_DIR] [--days N]
Prints the figures (recorded in docs/forecast-cycle.md) and exits 1 when a check fails.
"""
import csv
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from netCDF4 import Dataset, chartostring

BAOTOU_BOX = (109.45, 110.45, 40.35, 40.95)  # lon min, lon max, lat min, lat max
STATIONS = [  # code, city, lon, lat
    ("BT01", "Baotou", 109.82, 40.65), ("BT02", "Baotou", 110.05, 40.58), ("BT03", "Baotou", 109.90, 40.70),
    ("BT04", "Baotou", 109.70, 40.60), ("BT05", "Baotou", 110.20, 40.62), ("BT06", "Baotou", 109.95, 40.52),
    ("HH01", "Hohhot", 111.68, 40.82), ("HH02", "Hohhot", 111.60, 40.85), ("HH03", "Hohhot", 111.75, 40.78),
    ("HH04", "Hohhot", 111.50, 40.75), ("OR01", "Ordos", 109.98, 39.82), ("OR02", "Ordos", 110.10, 39.90),
    ("RU01", "", 110.60, 40.70), ("RU02", "", 110.90, 40.55), ("RU03", "", 109.40, 40.45),
    ("RU04", "", 111.20, 40.30), ("RU05", "", 110.40, 40.20), ("RU06", "", 111.00, 40.90),
    # County and industrial-park stations of the kind the provincial network adds around the cities.
    ("BT07", "Baotou", 109.97, 40.60), ("BT08", "Baotou", 110.27, 40.68), ("BT09", "Baotou", 110.52, 40.57),
    ("OR03", "Ordos", 110.03, 40.40), ("OR04", "Ordos", 109.79, 39.61), ("HH05", "Hohhot", 111.19, 40.27),
    ("HH06", "Hohhot", 111.15, 40.69), ("RU07", "", 109.55, 40.25), ("RU08", "", 109.70, 40.05),
]
# The truth's weather: valley winds TRUTH_STAGNANT m/s instead of the model's 0.7, the episode's
# cycle counted from TRUTH_ORIGIN instead of 2026-01-10T00:00 (its fronts arrive that much earlier).
TRUTH_STAGNANT = os.environ.get("TWIN_STAGNANT", "0.8")
TRUTH_ORIGIN = os.environ.get("TWIN_ORIGIN", "2026-01-09T22:00:00")
CYCLES = ["2026-01-11", "2026-01-12", "2026-01-13"]


def in_baotou(lon, lat):
    return BAOTOU_BOX[0] <= lon <= BAOTOU_BOX[1] and BAOTOU_BOX[2] <= lat <= BAOTOU_BOX[3]


def scale_csv(src, dst, scale_row):
    """Copies a CSV, scaling the numeric emission columns of the rows scale_row(row) accepts by 1.5."""
    with open(src, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out, header = [], None
    for line in lines:
        if not line or line.startswith("#"):
            out.append(line)
            continue
        cells = line.split(",")
        if header is None:
            header = cells
            out.append(line)
            continue
        row = dict(zip(header, cells))
        if scale_row(row):
            for k, name in enumerate(header):
                if (name.endswith("_t_yr") or name.startswith("vkt_")) and cells[k]:
                    cells[k] = repr(float(cells[k]) * 1.5)
        out.append(",".join(cells))
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def road_in_baotou(row):
    lon, lat = (float(v) for v in row["path"].split(";")[0].split())
    return in_baotou(lon, lat)


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.stderr.write(" ".join(cmd) + "\n" + r.stdout[-3000:] + r.stderr[-3000:])
        raise SystemExit(f"command failed ({r.returncode})")
    return r


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    days = 2
    if "--days" in sys.argv:
        days = int(sys.argv[sys.argv.index("--days") + 1])
    lantian, src = os.path.abspath(args[0]), os.path.abspath(args[1])
    work = os.path.abspath(args[2]) if len(args) > 2 else tempfile.mkdtemp(prefix="lantian_twin_")
    os.makedirs(work, exist_ok=True)
    inv = os.path.join(src, "configs", "inventories", "baotou")

    # Inventories: the model's (as shipped) and the truth's (Baotou × 1.5).
    truth_inv = os.path.join(work, "truth_inventory")
    os.makedirs(truth_inv, exist_ok=True)
    scale_csv(f"{inv}/points.csv", f"{truth_inv}/points.csv", lambda r: in_baotou(float(r["lon"]), float(r["lat"])))
    scale_csv(f"{inv}/areas.csv", f"{truth_inv}/areas.csv", lambda r: in_baotou(float(r["lon"]), float(r["lat"])))
    scale_csv(f"{inv}/roads.csv", f"{truth_inv}/roads.csv", road_in_baotou)
    shutil.copy(f"{inv}/road_factors.csv", f"{truth_inv}/road_factors.csv")

    with open(os.path.join(work, "stations.csv"), "w", encoding="utf-8") as f:
        f.write("code,name,city,lon,lat\n")
        for code, city, lon, lat in STATIONS:
            f.write(f"{code},{code},{city},{lon},{lat}\n")
    receptors = " ".join(f"{c}:{lon}:{lat}" for c, _, lon, lat in STATIONS)

    base = open(os.path.join(src, "configs", "episode_baotou.ini"), encoding="utf-8").read()
    base = base.replace("inventories/baotou/", inv + "/")
    # The cycles' weather continues in time from one cycle to the next (the episode counted from a
    # fixed origin); the truth's origin is 3 h earlier.
    base = base.replace("[met]\n", "[met]\nepisode_origin = 2026-01-10T00:00:00\n", 1)
    cycle_ini = os.path.join(work, "cycle.ini")
    with open(cycle_ini, "w", encoding="utf-8") as f:
        f.write(base + f"""
[forecast]
days = {days}
stations = stations.csv
observations = obs.csv
bulletin = false
spinup_h = 24
keep_days = 30
""")

    # Truth: from 24 h before the first cycle to the end of the last cycle's forecast.
    end_h = 24 + 24 * (len(CYCLES) - 1) + 24 * days + 16
    truth_out = os.path.join(work, "truth.nc")
    run([lantian, "run", os.path.join(src, "configs", "episode_baotou.ini"), "--no-progress",
         f"inventory.points={truth_inv}/points.csv", f"inventory.areas={truth_inv}/areas.csv",
         f"inventory.roads={truth_inv}/roads.csv", f"inventory.road_factors={truth_inv}/road_factors.csv",
         "run.start=2026-01-10T00:00:00", f"run.hours={end_h}", f"met.episode_origin={TRUTH_ORIGIN}",
         f"met.stagnant_speed_m_s={TRUTH_STAGNANT}", f"receptors.stations={receptors}", f"output.file={truth_out}"])

    # Pseudo-observations: the truth at the stations, 5 % noise, Beijing time, hour ending.
    rng = random.Random(20260111)
    with Dataset(truth_out.replace(".nc", "_receptors.nc")) as ds:
        ds.set_auto_chartostring(False)
        names = [str(n).strip() for n in chartostring(ds["station_name"][:])]
        hours = ds["time"][:]
        series = {p: ds[v][:] for p, v in
                  [("PM2.5", "PM25_total"), ("PM10", "PM10_total"), ("SO2", "SO2"), ("NO2", "NO2"), ("CO", "CO")]}
    truth_daily = {}  # (station, Beijing date) -> truth 24-h PM2.5
    t0 = _epoch("2026-01-10")
    with open(os.path.join(work, "obs.csv"), "w", encoding="utf-8") as f:
        f.write("station,time,pollutant,value,unit\n")
        by_day = {}
        for s, name in enumerate(names):
            for t, h in enumerate(hours):
                epoch_bjt = t0 + h * 3600 + 8 * 3600
                stamp = _iso(epoch_bjt)
                for p, values in series.items():
                    v = float(values[s, t]) * max(0.0, rng.gauss(1.0, 0.05))
                    unit = "mg/m3" if p == "CO" else "ug/m3"
                    f.write(f"{name},{stamp}+08:00,{p},{v:.4f},{unit}\n")
                day = _iso(epoch_bjt - 3600)[:10]  # the hour ending at 00:00 belongs to the day before
                by_day.setdefault((name, day), []).append(float(series["PM2.5"][s, t]))
        for k, v in by_day.items():
            if len(v) == 24:
                truth_daily[k] = sum(v) / 24.0

    with Dataset(truth_out) as ds:
        truth_hours = ds["time"][:]
        truth_pm = ds["PM25_total"]

        def truth_field(epoch):
            k = int(np.argmin(np.abs(truth_hours - (epoch - t0) / 3600.0)))
            assert abs(truth_hours[k] - (epoch - t0) / 3600.0) < 1e-6
            return np.array(truth_pm[k, :, :], dtype=float)

        setups = {"A": ["forecast.analysis=true"],
                  "B": ["forecast.analysis=false"],
                  "C": ["forecast.analysis=false", "forecast.search_days=0", "forecast.spinup_h=0"]}
        analysed, unanalysed = {}, {}
        day1 = {}
        for key, extra in setups.items():
            cycles_dir = os.path.join(work, "cycles" + key)
            errors = []
            for date in CYCLES:
                run([lantian, "forecast", cycle_ini, "--date", date, "--no-progress", f"forecast.cycles_dir={cycles_dir}"] + extra)
                folder = os.path.join(cycles_dir, date.replace("-", ""))
                epoch = _epoch(date)  # 08:00 Beijing time = 00:00 UTC of the date: the analysis time
                if key == "A":
                    with Dataset(os.path.join(folder, "analysis", "analysis.nc")) as an:
                        a = np.array(an["PM25_analysis"][:], dtype=float)
                        analysed[date] = math.sqrt(float(np.mean((a - truth_field(epoch)) ** 2)))
                if key == "B":
                    # The same cycle without analysis: its initial state, the warm (or spin-up) state it
                    # started from, surface PM2.5 from the species' PM2.5 fractions.
                    with open(os.path.join(folder, "cycle.json"), encoding="utf-8") as f:
                        source = json.load(f)["initial_state"]["source"]
                    b = initial_pm25(source, epoch)
                    unanalysed[date] = math.sqrt(float(np.mean((b - truth_field(epoch)) ** 2)))
                with open(os.path.join(folder, "forecast_daily.csv"), encoding="utf-8") as f:
                    for row in csv.DictReader(f):
                        if row["kind"] == "station" and row["lead_day"] == "1":
                            k = (row["receptor"], row["date"])
                            if k in truth_daily:
                                errors.append(abs(float(row["pm25"]) - truth_daily[k]))
            day1[key] = sum(errors) / len(errors)
            print(f"set-up {key}: day-1 daily PM2.5 mean absolute error at the stations {day1[key]:.2f} ug/m3 "
                  f"({len(errors)} station-days)")

    for date in CYCLES:
        rb, ra = unanalysed[date], analysed[date]
        print(f"cycle {date}: surface PM2.5 RMSE against the truth at the analysis time: without analysis (B) "
              f"{rb:.2f}, with analysis (A) {ra:.2f} ug/m3 ({100 * (1 - ra / rb):.0f}% lower)")
    fall = 1 - sum(analysed.values()) / sum(unanalysed.values())
    gain = 1 - day1["A"] / day1["B"]
    warm = 1 - day1["B"] / day1["C"]
    print(f"analysis lowers the RMSE at the analysis time by {100 * fall:.0f}% (required >= 50%)")
    print(f"analysis lowers the day-1 station error by {100 * gain:.0f}% (required >= 25%)")
    print(f"warm start lowers the day-1 station error by {100 * warm:.0f}% against cold starts (required > 0)")
    ok = fall >= 0.5 and gain >= 0.25 and warm > 0
    print("twin experiment: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


# PM2.5 fractions of the episode's species (configs/species.csv).
PM25_FRACTIONS = {"PM25": 1.0, "SO4": 1.0, "NO3": 1.0, "NH4": 1.0, "DUST": 0.3}


def initial_pm25(state_file, epoch):
    """Surface PM2.5 (ug m-3) of a state file's record valid at `epoch`."""
    with Dataset(state_file) as ds:
        units = ds["time"].units  # hours since YYYY-MM-DD HH:MM:SS
        ref = _epoch(units.split()[2])
        hours = ds["time"][:]
        k = int(np.argmin(np.abs(ref + hours * 3600 - epoch)))
        assert abs(ref + hours[k] * 3600 - epoch) < 1
        return sum(w * np.array(ds[v][k, :, :], dtype=float) for v, w in PM25_FRACTIONS.items())


def _iso(epoch):
    import datetime
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def _epoch(date):
    import datetime
    return int(datetime.datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc).timestamp())


if __name__ == "__main__":
    sys.exit(main())
