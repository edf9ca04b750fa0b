#!/usr/bin/python3
"""Makes a forecast-cycle folder for the bulletin test (docs/forecast-cycle.md, docs/bulletin.md).

    make_fixture.py LANTIAN_BINARY SOURCE_DIR CYCLE_DIR [--full] [--no-verification] [--cold] [--reuse]

Runs the default example for 72 h from 2026-01-10 00:00 UTC (08:00 Beijing time: cycle 2026-01-10)
into CYCLE_DIR/forecast.nc (on the gold tests' coarse 50 x 32 grid of 8 km cells unless --full, to
keep the test short), then writes by hand what the cycle's other stages will write:
forecast_daily.csv (from `lantian report`'s daily table, with an illustrative AQI range rule),
cycle.json, verification/summary.csv and an edits.csv with one override and a general note.
The range rule here is the fixture's own, not the verification's: the bulletin reads the range the
file gives.
"""
import argparse
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile

CYCLE = "2026-01-10"
COARSE = ["grid.nx=50", "grid.ny=32", "grid.dx_m=8000"]
CATEGORY_KEYS = ["excellent", "good", "light", "moderate", "heavy", "severe"]
# Upper AQI of categories 1..5 (HJ 633-2012 Table 2); above 300: severe.
CATEGORY_TOPS = [50, 100, 150, 200, 300]


def category(aqi):
    for k, top in enumerate(CATEGORY_TOPS):
        if aqi <= top:
            return k + 1
    return 6


def fixture_range(aqi):
    """An issued AQI range around the point forecast: 30 wide up to AQI 100, 50 wide above."""
    width = 30 if aqi <= 100 else 50
    low = max(0, int(round((aqi - width / 2) / 5.0)) * 5)
    return low, low + width


def run(args, cwd):
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                          env=dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "2")))
    if done.returncode != 0:
        sys.exit(f"make_fixture: {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")


def write_daily(report_csv, path):
    with open(report_csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cycle_date = dt.date.fromisoformat(CYCLE)
    columns = ["cycle", "receptor", "kind", "date", "lead_day", "hours", "pm25", "pm10", "so2", "no2", "co",
               "o3_1h_max", "o3_mda8", "aqi", "category", "primary", "alert", "aqi_low", "aqi_high", "level_range"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            lead = (dt.date.fromisoformat(r["date"]) - cycle_date).days
            aqi = int(r["AQI"])
            low, high = fixture_range(aqi)
            levels = f"{CATEGORY_KEYS[category(low) - 1]}-{CATEGORY_KEYS[category(high) - 1]}"
            if category(low) == category(high):
                levels = CATEGORY_KEYS[category(low) - 1]
            w.writerow([CYCLE, r["receptor"], r["kind"], r["date"], lead, r["hours"], r["PM25_ug_m3"], r["PM10_ug_m3"],
                        r["SO2_ug_m3"], r["NO2_ug_m3"], r["CO_mg_m3"], "", "", aqi, category(aqi),
                        r["primary_pollutant"], r["alert_level"], low, high, levels])


def write_cycle_json(path, cold):
    start = {"kind": "warm", "source": "cycles/20260109/state.nc", "valid_utc": "2026-01-10T00:00:00",
             "regridded": False, "missing_species": [], "spinup_h": 0}
    if cold:
        start = {"kind": "cold", "source": "", "valid_utc": "", "regridded": False, "missing_species": [],
                 "spinup_h": 48}
    doc = {"date": CYCLE, "start_utc": "2026-01-10T00:00:00", "days": 2,
           "weather_files": ["idealized episode weather (met.source = episode)"],
           "initial_state": start,
           "analysis": {"done": True, "reason": "", "observation_time_utc": "2026-01-10T00:00:00",
                        "pollutants": [{"name": "PM2.5", "used": 14, "rejected": 1, "skipped": 0,
                                        "rms_omb": 21.3, "rms_oma": 6.2},
                                       {"name": "PM10", "used": 13, "rejected": 0, "skipped": 2,
                                        "rms_omb": 30.1, "rms_oma": 9.8}]},
           "stages": [{"name": "run", "seconds": 20.1, "status": "ok"}]}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)


def write_verification(path):
    # Columns of docs/forecast-cycle.md; one the bulletin does not know (extra_score) and none of
    # pm25_r, which it must tolerate.
    columns = ["receptor", "kind", "lead_day", "n", "category_hit_rate", "range_hit_rate", "level_range_hit_rate",
               "pod", "far", "csi", "pm25_nmb", "pm25_nme", "extra_score"]
    rows = [
        ["Baotou", "city", 1, 28, 0.71, 0.64, 0.82, 0.8, 0.2, 0.67, -0.08, 0.31, 1],
        ["Baotou", "city", 2, 27, 0.63, 0.52, 0.74, 0.75, 0.25, 0.6, -0.11, 0.36, 1],
        ["Hohhot", "city", 1, 28, 0.75, 0.68, 0.86, 0.67, 0.33, 0.5, 0.05, 0.28, 1],
        ["Hohhot", "city", 2, 27, 0.67, 0.59, 0.78, "", "", "", 0.02, 0.33, 1],
        ["Ordos", "city", 1, 28, 0.82, 0.75, 0.89, "", "", "", 0.12, 0.35, 1],
        ["Ordos", "city", 2, 27, 0.74, 0.63, 0.81, "", "", "", 0.15, 0.41, 1],
        ["Baotou_Kundulun", "station", 1, 28, 0.68, 0.6, 0.79, 0.8, 0.2, 0.67, -0.1, 0.33, 1],
    ]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(columns)
        w.writerows(rows)


def write_edits(path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# forecaster edits of cycle 2026-01-10 (docs/bulletin.md)\n")
        f.write("city,date,aqi_low,aqi_high,note\n")
        f.write("Ordos,2026-01-12,110,160,dust from the Kubuqi expected with the afternoon wind\n")
        f.write("*,,,,燃煤采暖季：请关注夜间逆温 Heating season: watch the night-time inversions\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary")
    p.add_argument("source")
    p.add_argument("cycle_dir")
    p.add_argument("--full", action="store_true", help="the example's own 4 km grid (about 40 s)")
    p.add_argument("--no-verification", action="store_true")
    p.add_argument("--cold", action="store_true", help="cycle.json says cold start")
    p.add_argument("--reuse", action="store_true", help="keep CYCLE_DIR/forecast.nc when it exists (no run)")
    a = p.parse_args()
    out = os.path.abspath(a.cycle_dir)
    os.makedirs(out, exist_ok=True)
    grid = [] if a.full else COARSE
    if not (a.reuse and os.path.exists(os.path.join(out, "forecast.nc"))):
        run([a.binary, "run", "configs/episode_baotou.ini", "run.start=2026-01-10T00:00:00", "run.hours=72"] + grid +
            [f"output.file={out}/forecast.nc", "--no-progress"], a.source)
    scratch = tempfile.mkdtemp(prefix="bulletin_report_")
    try:
        run([a.binary, "report", f"{out}/forecast.nc", "--output-dir", scratch, "--no-plots"], a.source)
        write_daily(os.path.join(scratch, "daily.csv"), os.path.join(out, "forecast_daily.csv"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    write_cycle_json(os.path.join(out, "cycle.json"), a.cold)
    if not a.no_verification:
        write_verification(os.path.join(out, "verification", "summary.csv"))
    write_edits(os.path.join(out, "edits.csv"))
    print(f"make_fixture: cycle folder {out}")


if __name__ == "__main__":
    main()
