#!/usr/bin/python3
"""The morning air-quality bulletin of a forecast cycle (docs/bulletin.md, docs/forecast-cycle.md).

    bulletin.py CYCLE_DIR [--borders FILE.geojson|FILE.csv] [--edits FILE] [--city-names FILE]
                [--bureau TEXT] [--lang zh+en|zh|en] [--screenshot]

Reads the cycle folder (forecast.nc, forecast_receptors.nc or .csv, forecast_daily.csv, cycle.json,
verification/summary.csv, edits.csv) and writes CYCLE_DIR/bulletin/: index.html (one page, its
images beside it), edits_applied.csv, and with --screenshot bulletin.png taken by headless Chromium.
The page: the start of the run (warm/cold, analysis), the joint-warning table of every city and
forecast day (AQI range, level range, primary pollutant, alert; HJ 633-2012 category colours), the
expected heavy-pollution episodes, maps of the daily mean surface PM2.5 over the terrain with the
cities and borders, the cities' hourly PM2.5 and AQI, the verification of earlier cycles and the
forecaster's edits.

The new bulletin is built in a temporary folder inside CYCLE_DIR and renamed to bulletin/ only when
complete. Exit status: 0 done; 2 bad or missing input (the message names the file, and the line
for the edits and boundary files); 1 other failures (e.g. Chromium failed to take the screenshot).
Python 3 with numpy, matplotlib and netCDF4 (Debian python3-matplotlib, python3-netcdf4); no network.
"""
import argparse
import configparser
import csv
import datetime as dt
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings

import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.font_manager as font_manager  # noqa: E402
import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap, LightSource  # noqa: E402

try:
    from netCDF4 import Dataset
except ImportError:  # reported when forecast.nc is read
    Dataset = None

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
DEFAULT_CITY_NAMES = os.path.join(SOURCE, "configs", "city_names.csv")
# Debian gmt-dcw; LANTIAN_DCW_FILE replaces the file (the test points it nowhere).
DCW_FILE = os.environ.get("LANTIAN_DCW_FILE", "/usr/share/gmt-dcw/dcw-gmt.nc")
DCW_STATES = os.path.join(os.path.dirname(DCW_FILE), "dcw-states.txt")
NOTO_TTC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
HTML_FONT = '"Noto Sans CJK SC", "Noto Sans CJK", sans-serif'
BJT = dt.timezone(dt.timedelta(hours=8), "Beijing")
ACCURACY_TARGET = 0.80   # share of 24-h forecasts whose level range holds the observed level
HEAVY_AQI = 200          # AQI above this: heavy pollution (HJ 633-2012 category 5 and 6)

# HJ 633-2012 Table 2: AQI categories, upper AQI, names and colours (R, G, B as published).
CATEGORIES = [
    # key, top AQI, Chinese, English, colour, text colour
    ("excellent", 50, "优", "Excellent", "#00E400", "#000000"),
    ("good", 100, "良", "Good", "#FFFF00", "#000000"),
    ("light", 150, "轻度污染", "Lightly polluted", "#FF7E00", "#000000"),
    ("moderate", 200, "中度污染", "Moderately polluted", "#FF0000", "#FFFFFF"),
    ("heavy", 300, "重度污染", "Heavily polluted", "#99004C", "#FFFFFF"),
    ("severe", 10 ** 9, "严重污染", "Severely polluted", "#7E0023", "#FFFFFF"),
]
SHORT_ZH = ["优", "良", "轻度", "中度", "重度", "严重"]
SHORT_EN = ["excellent", "good", "light", "moderate", "heavy", "severe"]
ALERTS = {"none": (0, "", "", ""), "yellow": (1, "黄色预警", "Yellow alert", "#E6C700"),
          "orange": (2, "橙色预警", "Orange alert", "#FF7E00"), "red": (3, "红色预警", "Red alert", "#E00000")}
ALERT_BY_RANK = {v[0]: k for k, v in ALERTS.items()}
# Default alert rules (docs/config.md, [alerts]); cycle.ini's own rules replace them.
DEFAULT_RULES = {"yellow": "aqi > 200 for 2 days", "orange": "aqi > 200 for 3 days",
                 "red": "aqi > 200 for 4 days with 2 days aqi > 300 or aqi >= 500 for 1 day"}
# The map's colour steps (µg/m³): the PM2.5 24-h breakpoints of the six categories (HJ 633-2012
# Table 1: IAQI 50, 100, 150, 200, 300) and 500, the top of the table.
PM25_STEPS = [0, 35, 75, 115, 150, 250, 500]
# HJ 633-2012 Table 1, IAQI 0…500 (µg/m³; CO mg/m³); None where the table ends.
IAQI = [0, 50, 100, 150, 200, 300, 400, 500]
BREAKPOINTS = {
    "PM2.5": [0, 35, 75, 115, 150, 250, 350, 500], "PM10": [0, 50, 150, 250, 350, 420, 500, 600],
    "SO2_1h": [0, 150, 500, 650, 800], "NO2_1h": [0, 100, 200, 700, 1200, 2340, 3090, 3840],
    "CO_1h": [0, 5, 10, 35, 60, 90, 120, 150], "O3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
}
VERIFICATION_COLUMNS = [  # (column, Chinese, English, rate?)
    ("n", "样本", "n", False), ("category_hit_rate", "级别准确率", "category hit", True),
    ("range_hit_rate", "范围准确率", "range hit", True), ("level_range_hit_rate", "级别范围准确率", "level-range hit", True),
    ("pod", "命中率", "POD", True), ("far", "空报率", "FAR", True), ("csi", "CSI", "CSI", True),
    ("pm25_nmb", "PM2.5 NMB", "PM2.5 NMB", True), ("pm25_nme", "PM2.5 NME", "PM2.5 NME", True),
    ("pm25_r", "PM2.5 r", "PM2.5 r", False),
]


class BulletinError(Exception):
    """Bad or missing input: exit status 2, the message names the file (and line)."""


# ----------------------------------------------------------------------------------------------
# Language and names


class Text:
    def __init__(self, lang):
        self.lang = lang

    def __call__(self, zh, en):
        if self.lang == "zh":
            return zh
        if self.lang == "en":
            return en
        if zh == en:
            return zh
        return f"{zh} {en}" if zh and en else zh or en


def category_of(aqi):
    """Category index 0…5 of an AQI value (HJ 633-2012 Table 2)."""
    for k, c in enumerate(CATEGORIES):
        if aqi <= c[1]:
            return k
    return len(CATEGORIES) - 1


def level_range_text(low, high, T):
    a, b = category_of(low), category_of(high)
    if a == b:
        return T(CATEGORIES[a][2], CATEGORIES[a][3])
    zh = f"{SHORT_ZH[a]}至{CATEGORIES[b][2]}" if b >= 2 else f"{SHORT_ZH[a]}至{SHORT_ZH[b]}"
    return T(zh, f"{SHORT_EN[a]} to {SHORT_EN[b]}")


def level_range_key(low, high):
    a, b = category_of(low), category_of(high)
    return SHORT_EN[a] if a == b else f"{SHORT_EN[a]}-{SHORT_EN[b]}"


def load_city_names(path):
    names = {}
    if not path or not os.path.exists(path):
        return names
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["english", "chinese"]:
        raise BulletinError(f"{path}:1: the header must be 'english,chinese'")
    for n, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise BulletinError(f"{path}:{n}: expected 'english,chinese', got {','.join(row)!r}")
        names[row[0].strip().lower()] = row[1].strip()
    return names


# ----------------------------------------------------------------------------------------------
# Inputs


def read_csv_table(path, required, what):
    if not os.path.exists(path):
        raise BulletinError(f"{path}: missing ({what})")
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None:
            raise BulletinError(f"{path}: empty ({what})")
        header = [h.strip() for h in reader.fieldnames]
        missing = [c for c in required if c not in header]
        if missing:
            raise BulletinError(f"{path}:1: column(s) {', '.join(missing)} missing ({what})")
        rows = []
        for n, row in enumerate(reader, start=2):
            rows.append(({(k or "").strip(): (v or "").strip() for k, v in row.items()}, n))
    return rows


def as_int(text, path, line, column):
    try:
        value = float(text)
    except ValueError:
        raise BulletinError(f"{path}:{line}: {column} '{text}' is not a number") from None
    if not math.isfinite(value) or value != int(value):
        raise BulletinError(f"{path}:{line}: {column} '{text}' is not a whole number")
    return int(value)


def read_daily(path):
    """forecast_daily.csv → per receptor kind=city: {name: {date: day}} and the cycle date."""
    rows = read_csv_table(path, ["receptor", "kind", "date", "lead_day", "aqi_low", "aqi_high"], "the forecast archive")
    cities, cycle = {}, ""
    for r, n in rows:
        if r["kind"] != "city":
            continue
        try:
            dt.date.fromisoformat(r["date"])
        except ValueError:
            raise BulletinError(f"{path}:{n}: date '{r['date']}' is not YYYY-MM-DD") from None
        low, high = as_int(r["aqi_low"], path, n, "aqi_low"), as_int(r["aqi_high"], path, n, "aqi_high")
        if not 0 <= low <= high:
            raise BulletinError(f"{path}:{n}: AQI range {low}–{high} is not 0 ≤ low ≤ high")
        day = {"date": r["date"], "lead": as_int(r["lead_day"], path, n, "lead_day"),
               "hours": as_int(r["hours"], path, n, "hours") if r.get("hours") else 24,
               "aqi": as_int(r["aqi"], path, n, "aqi") if r.get("aqi") else (low + high) // 2,
               "model_low": low, "model_high": high, "low": low, "high": high,
               "primary": r.get("primary", "") or "", "model_alert": (r.get("alert") or "none").lower(),
               "edited": None}
        if day["model_alert"] not in ALERTS:
            raise BulletinError(f"{path}:{n}: alert '{r.get('alert')}' is none of none, yellow, orange, red")
        day["alert"] = day["model_alert"]
        if day["lead"] < 0:
            continue
        cities.setdefault(r["receptor"], {})[r["date"]] = day
        cycle = cycle or r.get("cycle", "")
    return cities, cycle


def read_cycle_json(path):
    """(document or None, message when missing or unreadable)."""
    if not os.path.exists(path):
        return None, "cycle.json 缺失 missing"
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        if not isinstance(doc, dict):
            raise ValueError("not a JSON object")
        return doc, ""
    except (OSError, ValueError) as e:
        return None, f"cycle.json unreadable: {e}"


def read_verification(path):
    if not os.path.exists(path):
        return []
    rows = read_csv_table(path, ["receptor", "lead_day"], "the verification summary")
    out = []
    for r, n in rows:
        rec = {"receptor": r["receptor"], "kind": r.get("kind", "city"), "lead": as_int(r["lead_day"], path, n, "lead_day")}
        for col, *_ in VERIFICATION_COLUMNS:
            text = r.get(col, "")
            try:
                rec[col] = float(text) if text not in ("", "nan", "NaN") else None
            except ValueError:
                raise BulletinError(f"{path}:{n}: {col} '{text}' is not a number") from None
        out.append(rec)
    return out


def parse_rule(text, where):
    clauses = []
    for part in re.split(r"\s+or\s+", text.strip()):
        m = re.fullmatch(r"aqi\s*(>=|>)\s*(\d+(?:\.\d+)?)\s+for\s+(\d+)\s+days?"
                         r"(?:\s+with\s+(\d+)\s+days?\s+aqi\s*(>=|>)\s*(\d+(?:\.\d+)?))?", part.strip())
        if not m:
            raise BulletinError(f"{where}: alert rule clause '{part}' does not parse (docs/input-formats.md)")
        clauses.append((m.group(1), float(m.group(2)), int(m.group(3)),
                        int(m.group(4) or 0), m.group(5) or ">", float(m.group(6) or 0)))
    return clauses


def alert_rules(cycle_dir):
    """The alert rules of the run (cycle.ini [alerts]) or the defaults."""
    rules, where = dict(DEFAULT_RULES), "defaults"
    ini = os.path.join(cycle_dir, "cycle.ini")
    if os.path.exists(ini):
        parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), strict=False, interpolation=None)
        try:
            parser.read(ini, encoding="utf-8")
        except configparser.Error as e:
            raise BulletinError(f"{ini}: {e}") from None
        if parser.has_section("alerts"):
            for level in rules:
                if parser.has_option("alerts", level):
                    rules[level] = parser.get("alerts", level)
            where = ini
    return {level: parse_rule(text, f"{where} [alerts] {level}") for level, text in rules.items()}


def above(value, op, threshold):
    return value >= threshold if op == ">=" else value > threshold


def alerts_of(aqis, rules):
    """Alert level per day of a consecutive daily AQI series: the highest level whose rule holds
    (a clause holds on every day of a run of ≥ N consecutive days above T with ≥ M of them above T2)."""
    out = ["none"] * len(aqis)
    for level in ("yellow", "orange", "red"):
        for op, t, n, m, op2, t2 in rules[level]:
            k = 0
            while k < len(aqis):
                if not above(aqis[k], op, t):
                    k += 1
                    continue
                e = k
                while e < len(aqis) and above(aqis[e], op, t):
                    e += 1
                if e - k >= n and sum(above(a, op2, t2) for a in aqis[k:e]) >= m:
                    for d in range(k, e):
                        if ALERTS[level][0] > ALERTS[out[d]][0]:
                            out[d] = level
                k = e
    return out


def read_edits(path, cities, names):
    """edits.csv → (city edits [(line, city, date, low|None, high|None, note)], general notes [(line, date, note)])."""
    if not os.path.exists(path):
        return [], []
    with open(path, newline="", encoding="utf-8-sig") as f:
        lines = [(n, row) for n, row in enumerate(csv.reader(f), start=1)
                 if row and "".join(row).strip() and not row[0].lstrip().startswith("#")]
    if not lines:
        return [], []
    n, header = lines[0]
    header = [h.strip().lower() for h in header]
    need = ["city", "date", "aqi_low", "aqi_high", "note"]
    if header[:5] != need:
        raise BulletinError(f"{path}:{n}: the header must be '{','.join(need)}', got '{','.join(header)}'")
    by_name = {}
    for city in cities:
        by_name[city.lower()] = city
        if city.lower() in names:
            by_name[names[city.lower()]] = city
    edits, notes, seen = [], [], {}
    for n, row in lines[1:]:
        if len(row) > 5:  # a note with commas and no quotes: join the rest back
            row = row[:4] + [",".join(row[4:])]
        if len(row) < 4:
            raise BulletinError(f"{path}:{n}: expected city,date,aqi_low,aqi_high,note; got {len(row)} fields")
        city, date, low, high = (c.strip() for c in row[:4])
        note = row[4].strip() if len(row) > 4 else ""
        if date:
            try:
                dt.date.fromisoformat(date)
            except ValueError:
                raise BulletinError(f"{path}:{n}: date '{date}' is not YYYY-MM-DD") from None
        if city == "*":
            if low or high:
                raise BulletinError(f"{path}:{n}: a general note (city '*') takes no AQI range")
            if not note:
                raise BulletinError(f"{path}:{n}: a general note (city '*') without a note")
            notes.append((n, date, note))
            continue
        key = by_name.get(city.lower(), by_name.get(city))
        if key is None:
            raise BulletinError(f"{path}:{n}: city '{city}' is not a city of this forecast "
                                f"({', '.join(sorted(cities))})")
        if not date:
            raise BulletinError(f"{path}:{n}: city '{city}' needs a date")
        if date not in cities[key]:
            raise BulletinError(f"{path}:{n}: {date} is not a forecast day of {key} "
                                f"({', '.join(sorted(cities[key]))})")
        if (key, date) in seen:
            raise BulletinError(f"{path}:{n}: {key} {date} was already edited on line {seen[(key, date)]}")
        seen[(key, date)] = n
        if bool(low) != bool(high):
            raise BulletinError(f"{path}:{n}: give both aqi_low and aqi_high, or neither (a note only)")
        lo = hi = None
        if low:
            lo, hi = as_int(low, path, n, "aqi_low"), as_int(high, path, n, "aqi_high")
            if not 0 <= lo <= hi <= 500:
                raise BulletinError(f"{path}:{n}: AQI range {lo}–{hi} is not 0 ≤ low ≤ high ≤ 500")
        elif not note:
            raise BulletinError(f"{path}:{n}: neither an AQI range nor a note")
        edits.append((n, key, date, lo, hi, note))
    return edits, notes


def apply_edits(cities, edits, rules):
    """Overrides the ranges, recomputes the alerts of edited cities from the effective daily AQI
    (the model's, or the middle of the forecaster's range)."""
    for n, city, date, lo, hi, note in edits:
        day = cities[city][date]
        day["note"] = note
        if lo is not None:
            day["low"], day["high"] = lo, hi
            day["edited"] = n
            if hi <= 50:
                day["primary"] = ""
    for city, days in cities.items():
        ordered = [days[d] for d in sorted(days)]
        if not any(d["edited"] for d in ordered):
            continue
        effective = [(d["low"] + d["high"]) / 2.0 if d["edited"] else d["aqi"] for d in ordered]
        for d, level in zip(ordered, alerts_of(effective, rules)):
            d["alert"] = level


def write_edits_applied(path, edits, notes, cities, edits_file):
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["applied_utc", "edits_file", "line", "city", "date", "model_aqi_low", "model_aqi_high",
                    "aqi_low", "aqi_high", "model_level_range", "level_range", "model_alert", "alert", "note"])
        for n, city, date, lo, hi, note in edits:
            d = cities[city][date]
            w.writerow([stamp, edits_file, n, city, date, d["model_low"], d["model_high"], d["low"], d["high"],
                        level_range_key(d["model_low"], d["model_high"]), level_range_key(d["low"], d["high"]),
                        d["model_alert"], d["alert"], note])
        for n, date, note in notes:
            w.writerow([stamp, edits_file, n, "*", date, "", "", "", "", "", "", "", "", note])


# ----------------------------------------------------------------------------------------------
# Gridded and receptor output


def reference_time(units, where):
    m = re.match(r"hours since (\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d)?)", units or "")
    if not m:
        raise BulletinError(f"{where}: time units '{units}' are not 'hours since YYYY-MM-DD HH:MM:SS'")
    hhmmss = m.group(2) if m.group(2).count(":") == 2 else m.group(2) + ":00"
    return dt.datetime.fromisoformat(f"{m.group(1)}T{hhmmss}").replace(tzinfo=dt.timezone.utc)


def local_day_of(times_bjt):
    """Beijing date of each hour-ending record: the record stamped 00:00 closes the previous day."""
    return [(t - dt.timedelta(minutes=1)).date().isoformat() for t in times_bjt]


def read_gridded(path, dates):
    """Daily mean surface PM2.5 (µg/m³) per Beijing date in `dates`, lat, lon and terrain."""
    if not os.path.exists(path):
        raise BulletinError(f"{path}: missing (the gridded forecast)")
    if Dataset is None:
        raise BulletinError(f"{path}: python3-netcdf4 is not installed")
    try:
        ds = Dataset(path)
    except OSError as e:
        raise BulletinError(f"{path}: cannot open: {e}") from None
    with ds:
        name = next((v for v in ("PM25_total", "PM25", "PM2.5", "pm25") if v in ds.variables), None)
        if name is None:
            raise BulletinError(f"{path}: no PM2.5 variable (PM25_total or PM25)")
        for v in ("time", "lat", "lon"):
            if v not in ds.variables:
                raise BulletinError(f"{path}: variable '{v}' missing")
        ref = reference_time(getattr(ds.variables["time"], "units", ""), path)
        hours = np.asarray(ds.variables["time"][:], dtype=float)
        times = [(ref + dt.timedelta(hours=float(h))).astimezone(BJT) for h in hours]
        days = local_day_of(times)
        lat, lon = np.asarray(ds.variables["lat"][:], dtype=float), np.asarray(ds.variables["lon"][:], dtype=float)
        if lat.ndim == 1:
            lon, lat = np.meshgrid(lon, lat)
        terrain = None
        if "surface_altitude" in ds.variables:
            terrain = np.ma.filled(np.ma.asarray(ds.variables["surface_altitude"][:], dtype=float), np.nan)
        pm = ds.variables[name]
        means = {}
        for date in dates:
            idx = [k for k, d in enumerate(days) if d == date]
            if idx:
                block = np.ma.filled(np.ma.asarray(pm[idx[0]:idx[-1] + 1], dtype=float), np.nan)
                means[date] = (np.nanmean(block, axis=0), len(idx))
        title = getattr(ds, "title", "")
        config = getattr(ds, "lantian_config", "")
    return {"lat": lat, "lon": lon, "terrain": terrain, "means": means, "variable": name, "title": title,
            "config": config}


def receptor_positions(config_text):
    """{name: (lon, lat)} of receptors.stations and receptors.cities in the run's configuration (the
    gridded file's lantian_config): NAME:lon:lat[:radius_km], or a polygon NAME:lon/lat;lon/lat;…
    (its vertices' mean)."""
    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), strict=False, interpolation=None)
    try:
        parser.read_string(config_text)
    except configparser.Error:
        return {}
    out = {}
    for key in ("stations", "cities"):
        for item in parser.get("receptors", key, fallback="").split():
            parts = item.split(":")
            try:
                if len(parts) >= 3:
                    out[parts[0]] = (float(parts[1]), float(parts[2]))
                elif len(parts) == 2 and "/" in parts[1]:
                    pts = [tuple(float(v) for v in p.split("/")) for p in parts[1].split(";") if p]
                    out[parts[0]] = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
            except (ValueError, ZeroDivisionError):
                continue
    return out


def iaqi(kind, c):
    bp = BREAKPOINTS[kind]
    if not np.isfinite(c):
        return np.nan
    c = max(c, 0.0)
    for k in range(1, len(bp)):
        if c <= bp[k]:
            return math.ceil((IAQI[k] - IAQI[k - 1]) / (bp[k] - bp[k - 1]) * (c - bp[k - 1]) + IAQI[k - 1] - 1e-9)
    return 500


def hourly_aqi(series, k):
    """The hourly (real-time) AQI: 1-h breakpoints for SO2, NO2, CO, O3; PM2.5 and PM10 on their
    24-h breakpoints with the hourly value (the national network's real-time convention)."""
    values = [iaqi("PM2.5", series["pm25"][k])]
    for key, kind in (("pm10", "PM10"), ("so2", "SO2_1h"), ("no2", "NO2_1h"), ("co", "CO_1h"), ("o3", "O3_1h")):
        if key in series:
            v = series[key][k]
            if key == "so2" and np.isfinite(v) and v > 800:
                continue  # above 800 µg/m³ the 1-h SO2 has no index (HJ 633-2012 note)
            values.append(iaqi(kind, v))
    values = [v for v in values if np.isfinite(v)]
    return max(values) if values else np.nan


def read_receptors(cycle_dir, wanted):
    """Hourly series of the cities: {name: {"t": [BJT], "pm25": array, …, "aqi": array, "lat", "lon"}}."""
    nc_path, csv_path = (os.path.join(cycle_dir, f) for f in ("forecast_receptors.nc", "forecast_receptors.csv"))
    columns = {"pm25": ("PM25_total", "PM25"), "pm10": ("PM10_total", "PM10"), "so2": ("SO2",), "no2": ("NO2",),
               "co": ("CO",), "o3": ("O3",)}
    out = {}
    if os.path.exists(nc_path) and Dataset is not None:
        with Dataset(nc_path) as ds:
            names = ["".join(c.decode() if isinstance(c, bytes) else str(c) for c in row if c not in (b"", ""))
                     for row in np.ma.filled(ds.variables["station_name"][:], b"")]
            ref = reference_time(ds.variables["time"].units, nc_path)
            times = [(ref + dt.timedelta(hours=float(h))).astimezone(BJT) for h in ds.variables["time"][:]]
            for r, name in enumerate(names):
                if name not in wanted:
                    continue
                s = {"t": times, "lat": float(ds.variables["lat"][r]), "lon": float(ds.variables["lon"][r])}
                for key, options in columns.items():
                    v = next((o for o in options if o in ds.variables), None)
                    if v:
                        s[key] = np.ma.filled(np.ma.asarray(ds.variables[v][r, :], dtype=float), np.nan)
                if "pm25" in s:
                    out[name] = s
    elif os.path.exists(csv_path):
        with open(csv_path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for name in wanted:
            mine = [r for r in rows if r.get("receptor") == name]
            if not mine:
                continue
            s = {"t": [dt.datetime.fromisoformat(r["time_utc"]).replace(tzinfo=dt.timezone.utc).astimezone(BJT)
                       for r in mine]}
            for key, options in columns.items():
                v = next((o for o in options if o in mine[0]), None)
                if v:
                    s[key] = np.array([float(r[v]) if r[v] else np.nan for r in mine])
            if "pm25" in s:
                out[name] = s
    for s in out.values():
        s["aqi"] = np.array([hourly_aqi(s, k) for k in range(len(s["t"]))])
    return out


# ----------------------------------------------------------------------------------------------
# Borders


def dcw_borders(extent):
    """Province (CN) and country (MN) outlines from Debian's gmt-dcw inside extent (lon0, lon1, lat0, lat1).
    dcw-gmt.nc stores each polygon set as NAME_lon/NAME_lat (ushort): value = min + raw / scale,
    a raw longitude of 65535 starts a new ring."""
    if not os.path.exists(DCW_FILE) or Dataset is None:
        return None
    codes = ["MN"]
    if os.path.exists(DCW_STATES):
        with open(DCW_STATES, encoding="utf-8") as f:
            codes += ["CN" + line.split()[1] for line in f if line.startswith("CN ")]
    lon0, lon1, lat0, lat1 = extent
    rings = []
    with Dataset(DCW_FILE) as ds:
        ds.set_auto_maskandscale(False)
        for code in codes:
            if f"{code}_lon" not in ds.variables:
                continue
            vx, vy = ds.variables[f"{code}_lon"], ds.variables[f"{code}_lat"]
            # netCDF4's Variable.scale is its own flag: read the attributes by name.
            x0, x1, xs = (float(vx.getncattr(a)) for a in ("min", "max", "scale"))
            y0, y1, ys = (float(vy.getncattr(a)) for a in ("min", "max", "scale"))
            if x1 < lon0 or x0 > lon1 or y1 < lat0 or y0 > lat1:
                continue
            raw_x, raw_y = vx[:].astype(np.int64), vy[:].astype(np.int64)
            breaks = np.where(raw_x == 65535)[0].tolist() + [len(raw_x)]
            for a, b in zip(breaks[:-1], breaks[1:]):
                x = x0 + raw_x[a + 1:b] / xs
                y = y0 + raw_y[a + 1:b] / ys
                if len(x) > 1 and x.max() >= lon0 and x.min() <= lon1 and y.max() >= lat0 and y.min() <= lat1:
                    rings.append((x, y))
    return rings


def file_borders(path):
    """A bureau's boundary file: GeoJSON (Polygon, MultiPolygon, LineString, MultiLineString features)
    or CSV id,name,lon,lat (one row per vertex in order; a new id starts a new ring)."""
    if not os.path.exists(path):
        raise BulletinError(f"{path}: missing (--borders)")
    rings = []
    if path.lower().endswith((".geojson", ".json")):
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except ValueError as e:
            raise BulletinError(f"{path}: not JSON: {e}") from None
        features = doc.get("features", [doc]) if isinstance(doc, dict) else None
        if not isinstance(features, list):
            raise BulletinError(f"{path}: neither a FeatureCollection nor a Feature")
        for k, feat in enumerate(features):
            geom = feat.get("geometry", feat) if isinstance(feat, dict) else None
            kind = geom.get("type") if isinstance(geom, dict) else None
            coords = geom.get("coordinates") if isinstance(geom, dict) else None
            try:
                if kind == "Polygon":
                    parts = coords
                elif kind == "MultiPolygon":
                    parts = [ring for poly in coords for ring in poly]
                elif kind == "LineString":
                    parts = [coords]
                elif kind == "MultiLineString":
                    parts = coords
                else:
                    raise BulletinError(f"{path}: feature {k}: geometry type {kind!r} is not Polygon, MultiPolygon, "
                                        "LineString or MultiLineString")
                for ring in parts:
                    xy = np.array([[float(p[0]), float(p[1])] for p in ring])
                    if xy.ndim != 2 or len(xy) < 2 or not np.isfinite(xy).all():
                        raise ValueError("a ring needs two or more finite lon, lat points")
                    rings.append((xy[:, 0], xy[:, 1]))
            except (TypeError, ValueError, IndexError) as e:
                raise BulletinError(f"{path}: feature {k}: bad coordinates ({e})") from None
        return rings
    rows = read_csv_table(path, ["id", "lon", "lat"], "boundary polygons")
    current, xs, ys = None, [], []
    for r, n in rows:
        try:
            lon, lat = float(r["lon"]), float(r["lat"])
        except ValueError:
            raise BulletinError(f"{path}:{n}: lon '{r['lon']}' / lat '{r['lat']}' are not numbers") from None
        if not (-180 <= lon <= 360 and -90 <= lat <= 90):
            raise BulletinError(f"{path}:{n}: lon {lon}, lat {lat} out of range")
        if r["id"] != current and xs:
            rings.append((np.array(xs), np.array(ys)))
            xs, ys = [], []
        current = r["id"]
        xs.append(lon)
        ys.append(lat)
    if xs:
        rings.append((np.array(xs), np.array(ys)))
    return rings


# ----------------------------------------------------------------------------------------------
# Figures


def setup_fonts():
    """Noto Sans CJK SC for matplotlib: the SC face of Debian's fonts-noto-cjk collection, copied out
    once to a cache (matplotlib reads only the first face of a .ttc, the JP one); DejaVu Sans as the
    fallback for symbols. Returns the family used or "" when no CJK font is found."""
    families = []
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
                         "lantian", "fonts")
    sc = os.path.join(cache, "NotoSansCJKsc-Regular.otf")
    if os.path.exists(NOTO_TTC):
        if not os.path.exists(sc):
            try:
                from fontTools.ttLib import TTCollection
                collection = TTCollection(NOTO_TTC, lazy=True)
                face = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
                os.makedirs(cache, exist_ok=True)
                tmp = sc + f".{os.getpid()}.partial"
                face.save(tmp)
                os.replace(tmp, sc)
            except Exception:  # fontTools missing or the collection differs: the JP face still has every hanzi
                sc = None
        for path in (sc, NOTO_TTC):
            if path and os.path.exists(path):
                font_manager.fontManager.addfont(path)
        names = {f.name for f in font_manager.fontManager.ttflist}
        families = [n for n in ("Noto Sans CJK SC", "Noto Sans CJK JP") if n in names]
    plt.rcParams["font.family"] = families[:1] + ["DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    return families[0] if families else ""


def cell_corners(centres):
    """(ny+1, nx+1) corner coordinates of a curvilinear grid from its (ny, nx) cell centres: the mean
    of the four surrounding centres inside, extrapolated linearly at the edges."""
    c = np.asarray(centres, dtype=float)
    padded = np.empty((c.shape[0] + 2, c.shape[1] + 2))
    padded[1:-1, 1:-1] = c
    padded[0, 1:-1], padded[-1, 1:-1] = 2 * c[0] - c[1], 2 * c[-1] - c[-2]
    padded[:, 0], padded[:, -1] = 2 * padded[:, 1] - padded[:, 2], 2 * padded[:, -2] - padded[:, -3]
    return 0.25 * (padded[:-1, :-1] + padded[1:, :-1] + padded[:-1, 1:] + padded[1:, 1:])


def pm25_colours():
    cmap = ListedColormap([c[4] for c in CATEGORIES] + ["#4C0010"])
    return cmap, BoundaryNorm(PM25_STEPS + [1000], cmap.N)


def plot_maps(grid, dates, labels, cities, stations, borders, border_label, names, path, T):
    ndays = len(dates)
    ncols = min(2 if ndays <= 4 else 3, max(ndays, 1))
    nrows = max(1, math.ceil(ndays / ncols))
    lat, lon = grid["lat"], grid["lon"]
    lon_c, lat_c = cell_corners(lon), cell_corners(lat)
    # The largest lon/lat box inside the (projected, so curved) domain: no empty corners.
    extent = (lon_c[:, 0].max(), lon_c[:, -1].min(), lat_c[0, :].max(), lat_c[-1, :].min())
    aspect = 1.0 / math.cos(math.radians(lat.mean()))
    # Layout in inches: panels of width panel_w side by side, a title line above each, the
    # colour bar below them all.
    fig_w, left, right, gap_w = 13.4, 0.45, 0.15, 0.45
    panel_w = (fig_w - left - right - gap_w * (ncols - 1)) / ncols
    panel_h = panel_w * (extent[3] - extent[2]) * aspect / (extent[1] - extent[0])
    title_h, gap_h, bar_h = 0.35, 0.4, 1.15
    fig_h = nrows * (panel_h + title_h) + (nrows - 1) * gap_h + bar_h + 0.1
    fig = plt.figure(figsize=(fig_w, fig_h))
    axes = []
    for k in range(nrows * ncols):
        r, c = divmod(k, ncols)
        x0 = left + c * (panel_w + gap_w)
        y0 = fig_h - 0.1 - (r + 1) * (panel_h + title_h) - r * gap_h
        axes.append(fig.add_axes([x0 / fig_w, y0 / fig_h, panel_w / fig_w, panel_h / fig_h]))
    cmap, norm = pm25_colours()
    shade = None
    if grid["terrain"] is not None and np.isfinite(grid["terrain"]).any():
        terrain = np.nan_to_num(grid["terrain"], nan=np.nanmin(grid["terrain"]))
        # Light from the north-west; the grid's rows run south to north, so flip for the image
        # convention of LightSource (row 0 at the top) and back. Cell size in m from the lat spacing.
        cell_m = max(float(np.nanmean(np.abs(np.diff(lat, axis=0)))) * 111e3, 1.0)
        shade = LightSource(azdeg=315, altdeg=45).hillshade(terrain[::-1], vert_exag=2.0, dx=cell_m, dy=cell_m)[::-1]
    for k, ax in enumerate(axes):
        if k >= ndays:
            ax.axis("off")
            continue
        date = dates[k]
        mean, hours = grid["means"][date]
        rgba = cmap(norm(np.ma.masked_invalid(mean)))
        if shade is not None:
            # Terrain shading: darken the PM2.5 colours by the hillshade, gently (0.78 in full shadow …
            # 1 on the light side) so that a shaded slope is not read as the next category.
            rgba[..., :3] *= (0.78 + 0.22 * shade)[..., None]
        mesh = ax.pcolormesh(lon_c, lat_c, np.zeros(mean.shape), shading="flat", rasterized=True)
        mesh.set_array(None)
        mesh.set_facecolor(rgba.reshape(-1, 4))
        if grid["terrain"] is not None:
            levels = np.arange(math.floor(np.nanmin(grid["terrain"]) / 250) * 250 + 250, np.nanmax(grid["terrain"]), 250)
            if len(levels):
                ax.contour(lon, lat, grid["terrain"], levels=levels, colors="#555555", linewidths=0.35, alpha=0.7)
        for x, y in borders or []:
            ax.plot(x, y, color="#1a1a1a", lw=1.1, ls=(0, (6, 2, 1.5, 2)))
        for name, (x, y) in stations.items():
            ax.plot(x, y, marker="^", ms=3.5, color="#1f3b73", mec="white", mew=0.4, ls="none")
        for name, (x, y) in cities.items():
            ax.plot(x, y, marker="o", ms=5.5, color="black", mec="white", mew=1.0, ls="none")
            ax.annotate(names.get(name.lower(), name), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=9,
                        fontweight="bold", color="black",
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.75))
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        ax.set_aspect(aspect)
        ax.tick_params(labelsize=7)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:g}°E")
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:g}°N")
        partial = "" if hours >= 24 else T(f"（不完整：{hours} 小时）", f"(partial: {hours} h)")
        ax.set_title(f"{labels[date]} {partial}", fontsize=11)
        ax.text(0.01, 0.01, border_label, transform=ax.transAxes, fontsize=7.5, color="#222222",
                bbox=dict(boxstyle="square,pad=0.2", fc="white", ec="none", alpha=0.7))
    cax = fig.add_axes([0.25, 0.5 / fig_h, 0.5, 0.16 / fig_h])
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="horizontal",
                       ticks=PM25_STEPS + [1000])
    bar.ax.set_xticklabels([str(s) for s in PM25_STEPS] + [">500"], fontsize=8)
    bar.set_label(T("日均 PM2.5 (µg/m³)，色阶按 HJ 633-2012 分级", "daily mean PM2.5 (µg/m³), steps of HJ 633-2012"),
                  fontsize=9)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_series(series, order, names, daily, path, T):
    n = len(order)
    fig, axes = plt.subplots(n, 1, figsize=(13.4, 2.3 * n + 0.6), squeeze=False, sharex=True)
    for ax, name in zip(axes[:, 0], order):
        s = series[name]
        t = [x.replace(tzinfo=None) for x in s["t"]]
        top = max(np.nanmax(s["aqi"]), np.nanmax(s["pm25"]), 100) * 1.1
        lo = 0
        for c in CATEGORIES:  # AQI category bands
            hi = min(c[1], top)
            if hi > lo:
                ax.axhspan(lo, hi, color=c[4], alpha=0.18, lw=0)
            lo = c[1]
        ax.plot(t, s["pm25"], color="#1f3b73", lw=1.6, label=T("PM2.5 (µg/m³)", ""))
        ax.plot(t, s["aqi"], color="#b00020", lw=1.3, ls="--", label=T("逐时 AQI", "hourly AQI"))
        ax.set_ylim(0, top)
        ax.set_ylabel(names.get(name.lower(), name), fontsize=10, fontweight="bold")
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
        for day in daily.get(name, {}).values():  # day boundaries
            ax.axvline(dt.datetime.fromisoformat(day["date"]), color="#888888", lw=0.6)
    axes[0, 0].legend(loc="upper left", fontsize=8, ncol=2, framealpha=0.85)
    axes[-1, 0].set_xlabel(T("北京时间", "Beijing time"), fontsize=9)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# ----------------------------------------------------------------------------------------------
# Page


def esc(text):
    return html.escape(str(text))


def day_label(date, lead, T):
    d = dt.date.fromisoformat(date)
    weekday = "一二三四五六日"[d.weekday()]
    if lead == 0:
        return T(f"今天 {d.month}月{d.day}日", f"today {d.strftime('%d %b')}")
    return T(f"{d.month}月{d.day}日（周{weekday}）", d.strftime("%a %d %b"))


def start_text(doc, message, T):
    """Lines about the start of the run and the analysis, from cycle.json."""
    if doc is None:
        return [("warn", T("启动方式未知", "start of the run unknown") + f" ({message})")]
    lines = []
    init = doc.get("initial_state") or {}
    kind = init.get("kind", "")
    if kind == "warm":
        source = init.get("source", "")
        m = re.search(r"(\d{8})", source)
        cycle = m.group(1) if m else source
        lines.append(("ok", T(f"热启动：接续 {cycle} 周期的状态", f"warm start from cycle {cycle}") +
                      (f" ({esc(source)}, {init.get('valid_utc', '')} UTC)" if source else "")))
    elif kind == "file":
        lines.append(("ok", T("初始状态取自文件", "initial state from file") + f" {init.get('source', '')}"))
    elif kind == "cold":
        spin = init.get("spinup_h", 0)
        lines.append(("warn", T(f"冷启动：背景浓度起算，预热 {spin} 小时；前期预报偏低的可能较大",
                                f"cold start: from background concentrations with {spin} h of spin-up; "
                                "the first days are likely underestimated")))
    else:
        lines.append(("warn", T("启动方式未知", "start of the run unknown") + f" ({kind or 'no initial_state'})"))
    if init.get("missing_species"):
        lines.append(("warn", T("缺少物种（以背景起算）", "species missing from the state (from background)") +
                      ": " + ", ".join(init["missing_species"])))
    an = doc.get("analysis") or {}
    if an.get("done"):
        pols = an.get("pollutants", [])
        zh = "，".join(f"{p.get('name')} {p.get('used', 0)} 站" for p in pols)
        en = ", ".join(f"{p.get('name')} {p.get('used', 0)} stations" for p in pols)
        when = f" ({an.get('observation_time_utc')} UTC)" if an.get("observation_time_utc") else ""
        lines.append(("ok", T(f"已同化观测：{zh}", f"analysis with observations: {en}") + when))
    else:
        reason = an.get("reason", "")
        lines.append(("warn", T("无观测：未做同化分析", "no observations: no analysis") + (f" ({reason})" if reason else "")))
    return lines


def verification_html(rows, cities, names, T):
    city_rows = [r for r in rows if r["kind"] == "city" and r["receptor"] in cities] or \
        [r for r in rows if r["kind"] == "city"]
    if not city_rows:
        return f'<p class="note">{T("尚无已检验的预报日", "No verified days yet")}</p>'

    def pct(v):
        if v is None:
            return "—"
        return f"{(v if v > 1 else 100 * v):.0f}%"

    def rate(v):
        return None if v is None else (v / 100 if v > 1 else v)

    out = []
    day1 = [r for r in city_rows if r["lead"] == 1]
    if day1:
        items = []
        for r in day1:
            acc = r["level_range_hit_rate"] if r["level_range_hit_rate"] is not None else r["category_hit_rate"]
            if acc is None:
                continue
            ok = rate(acc) >= ACCURACY_TARGET
            mark = "✓" if ok else "✗"
            items.append(f'<span class="acc {"ok" if ok else "bad"}">{esc(names.get(r["receptor"].lower(), r["receptor"]))} '
                         f'{pct(acc)} {mark}</span>')
        out.append(f'<p>{T("24 小时预报级别准确率（目标 80%）", "24-h forecast level accuracy (target 80%)")}: '
                   + " ".join(items) + "</p>")
    present = [c for c in VERIFICATION_COLUMNS if any(r.get(c[0]) is not None for r in city_rows)]
    head = "".join(f"<th>{esc(T(zh, en))}</th>" for _, zh, en, _ in present)
    body = []
    for lead in sorted({r["lead"] for r in city_rows}):
        sel = [r for r in city_rows if r["lead"] == lead]
        cells = []
        for col, _, _, is_rate in present:
            vals = [(r[col], r["n"] or 1) for r in sel if r[col] is not None]
            if not vals:
                cells.append("<td>—</td>")
            elif col == "n":
                cells.append(f"<td>{int(sum(v for v, _ in vals))}</td>")
            else:
                mean = sum(v * w for v, w in vals) / sum(w for _, w in vals)
                if col == "pm25_nmb":      # normalised mean bias: signed fraction
                    shown = f"{mean:+.2f}"
                elif col in ("pm25_nme", "pm25_r") or not is_rate:
                    shown = f"{mean:.2f}"
                else:
                    shown = pct(mean)
                cells.append(f"<td>{shown}</td>")
        body.append(f"<tr><td>{lead}</td>{''.join(cells)}</tr>")
    out.append(f'<table class="skill"><tr><th>{T("预报时效（天）", "lead day")}</th>{head}</tr>{"".join(body)}</table>')
    out.append(f'<p class="small">{T("城市平均，按样本数加权", "mean over the cities, weighted by n")}</p>')
    return "\n".join(out)


def build_page(ctx, T):
    cities, names, dates, leads = ctx["cities"], ctx["names"], ctx["dates"], ctx["leads"]

    def zh_name(n):
        return names.get(n.lower(), n)

    def display_name(n):
        z = zh_name(n)
        return T(z, n) if z != n else n

    css = f"""
body {{ font-family: {HTML_FONT}; margin: 0; background: #ffffff; color: #1a1a1a; }}
main {{ width: 1360px; margin: 0 auto; padding: 12px 16px 24px 16px; }}
header {{ border-bottom: 4px solid #1f3b73; margin-bottom: 10px; }}
h1 {{ font-size: 28px; margin: 6px 0 2px 0; color: #1f3b73; }}
h2 {{ font-size: 20px; margin: 18px 0 6px 0; color: #1f3b73; border-left: 6px solid #1f3b73; padding-left: 8px; }}
.meta {{ font-size: 14px; margin: 2px 0; }}
.ok::before {{ content: "● "; color: #2e7d32; }}
.warn {{ color: #8a4b00; font-weight: bold; }} .warn::before {{ content: "▲ "; }}
.notes {{ background: #fff7d6; border: 1px solid #e0c060; padding: 6px 10px; margin: 8px 0; font-size: 15px; }}
table.warning {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
table.warning th, table.warning td {{ border: 2px solid #ffffff; padding: 6px 6px; text-align: center; vertical-align: middle; }}
table.warning th {{ background: #1f3b73; color: white; font-size: 14px; }}
table.warning th.city {{ width: 150px; }}
td.cityname {{ background: #e8edf5; font-weight: bold; font-size: 16px; }}
.aqi {{ font-size: 18px; font-weight: bold; white-space: nowrap; }}
.level {{ font-size: 13px; }} .primary {{ font-size: 12px; }}
.alert {{ display: inline-block; margin-top: 3px; padding: 1px 6px; border-radius: 3px; font-size: 12px; font-weight: bold; border: 2px solid #ffffff; }}
.edited {{ display: inline-block; margin-top: 3px; padding: 1px 5px; font-size: 11px; background: #ffffff; color: #1a1a1a; border: 1px dashed #1a1a1a; }}
.partial {{ font-weight: normal; font-size: 11px; }}
table.compact th {{ font-size: 12px; }} table.compact td {{ padding: 4px 2px; }}
table.compact .aqi {{ font-size: 13px; }} table.compact .level {{ font-size: 11px; }}
table.compact .primary, table.compact .alert, table.compact .edited {{ font-size: 10px; }}
.legend span {{ display: inline-block; padding: 2px 8px; margin: 2px; font-size: 12px; }}
table.skill, table.episodes {{ border-collapse: collapse; font-size: 13px; }}
table.skill th, table.skill td, table.episodes th, table.episodes td {{ border: 1px solid #b0b8c8; padding: 3px 8px; text-align: center; }}
table.skill th, table.episodes th {{ background: #e8edf5; }}
.acc {{ padding: 1px 6px; margin-right: 6px; border-radius: 3px; }} .acc.ok {{ background: #d7f5d7; }} .acc.bad {{ background: #ffd9d9; }}
.note, .small {{ font-size: 13px; color: #444444; }}
img {{ display: block; max-width: 100%; }}
footer {{ margin-top: 16px; font-size: 12px; color: #555555; border-top: 1px solid #cccccc; padding-top: 6px; }}
"""
    p = [f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
         f'<title>{esc(T("空气质量预报", "Air quality forecast"))} {esc(ctx["cycle"])}</title><style>{css}</style></head><body><main>']
    bureau = ctx["bureau"]
    p.append("<header>")
    p.append(f'<h1>{esc(bureau + " " if bureau else "")}{esc(T("空气质量预报", "Air quality forecast"))}</h1>')
    p.append(f'<p class="meta">{T("预报周期", "Cycle")}: <b>{esc(ctx["cycle"])}</b> · '
             f'{T("发布时间", "Issued")}: {esc(ctx["issued"])} {T("北京时间", "Beijing time")} · '
             f'{T("预报时段", "Forecast")}: {esc(dates[0] if dates else "")} – {esc(dates[-1] if dates else "")}</p>')
    for cls, line in ctx["start_lines"]:
        p.append(f'<p class="meta {cls}">{esc(line)}</p>')
    p.append("</header>")
    if ctx["notes"]:
        p.append('<div class="notes"><b>' + T("预报员说明", "Forecaster's note") + "</b>: " +
                 "<br>".join(esc((f"{d}: " if d else "") + n) for _, d, n in ctx["notes"]) + "</div>")

    # Joint-warning table
    p.append(f'<h2>{T("城市联合预报预警", "Joint forecast and warning by city")}</h2>')
    if not cities:
        p.append(f'<p class="warn">{T("预报存档中没有城市", "no city rows in forecast_daily.csv")}</p>')
    else:
        head = [f'<th class="city">{T("城市", "City")}</th>']
        for date in dates:
            lead = leads[date]
            hours = max(d[date]["hours"] for d in cities.values() if date in d)
            partial = "" if hours >= 24 else f'<br><span class="partial">{T(f"不完整：{hours} 小时", f"partial: {hours} h")}</span>'
            head.append(f"<th>{esc(day_label(date, lead, T))}{partial}</th>")
        # More than 6 days (a 10-day forecast): smaller type so that "AQI 235–285" fits a column.
        compact = " compact" if len(dates) > 6 else ""
        p.append(f'<table class="warning{compact}"><tr>' + "".join(head) + "</tr>")
        for city in ctx["city_order"]:
            row = [f'<td class="cityname">{esc(display_name(city))}</td>']
            for date in dates:
                d = cities[city].get(date)
                if d is None:
                    row.append("<td>—</td>")
                    continue
                a, b = category_of(d["low"]), category_of(d["high"])
                bg, fg = CATEGORIES[b][4], CATEGORIES[b][5]
                stripe = f"border-left: 12px solid {CATEGORIES[a][4]};" if a != b else ""
                cell = [f'<div class="aqi">AQI {d["low"]}–{d["high"]}</div>',
                        f'<div class="level">{esc(level_range_text(d["low"], d["high"], T))}</div>']
                primary = d["primary"] if d["primary"] not in ("", "-", "—", "none") else ""
                # No primary pollutant at AQI ≤ 50 (HJ 633-2012 §6): "无 none" ("—" reads as 一 in CJK fonts).
                shown = esc(primary.replace(";", ", ")) if primary else T("无", "none")
                cell.append(f'<div class="primary">{T("首要污染物", "primary")}: {shown}</div>')
                if d["alert"] != "none":
                    _, zh, en, colour = ALERTS[d["alert"]]
                    text_colour = "#FFFFFF" if d["alert"] == "red" else "#000000"
                    cell.append(f'<div class="alert" style="background:{colour}; color:{text_colour}">⚠ {esc(T(zh, en))}</div>')
                if d["edited"]:
                    model = T(f'模式 AQI {d["model_low"]}–{d["model_high"]}', f'model: AQI {d["model_low"]}–{d["model_high"]}')
                    alert_note = ""
                    if d["alert"] != d["model_alert"]:
                        m_zh = ALERTS[d["model_alert"]][1] or "无预警"
                        m_en = ALERTS[d["model_alert"]][2] or "no alert"
                        alert_note = "; " + T(f"模式{m_zh}", f"model {m_en.lower()}")
                    cell.append(f'<div class="edited">✎ {T("预报员订正", "forecaster-edited")} ({esc(model)}{esc(alert_note)})</div>')
                elif d["alert"] != d["model_alert"]:
                    cell.append(f'<div class="edited">{T("预警据订正重算", "alert recomputed after edits")}</div>')
                if d.get("note"):
                    cell.append(f'<div class="primary"><i>{esc(d["note"])}</i></div>')
                row.append(f'<td style="background:{bg}; color:{fg}; {stripe}">{"".join(cell)}</td>')
            p.append("<tr>" + "".join(row) + "</tr>")
        p.append("</table>")
        legend = "".join(f'<span style="background:{c[4]}; color:{c[5]}">{esc(T(c[2], c[3]))} '
                         f'{0 if k == 0 else CATEGORIES[k - 1][1] + 1}–{c[1] if k < 5 else "500"}</span>'
                         for k, c in enumerate(CATEGORIES))
        caption = T("颜色：区间上限的级别（左侧色条：区间下限的级别）；HJ 633-2012",
                    "colour: the level of the range top (left stripe: of the range bottom); HJ 633-2012")
        p.append(f'<p class="legend small">{caption}: {legend}</p>')

    # Episodes
    p.append(f'<h2>{T("重污染过程预计", "Expected heavy-pollution episodes")}</h2>')
    if ctx["episodes"]:
        rows = "".join(
            f'<tr><td>{esc(display_name(e["city"]))}</td><td>{esc(e["start"])} – {esc(e["end"])}</td><td>{e["days"]}</td>'
            f'<td>AQI {e["low"]}–{e["high"]}</td><td>{esc(T(ALERTS[e["alert"]][1], ALERTS[e["alert"]][2]) if e["alert"] != "none" else T("无", "none"))}</td></tr>'
            for e in ctx["episodes"])
        p.append(f'<table class="episodes"><tr><th>{T("城市", "City")}</th><th>{T("时段", "Days")}</th>'
                 f'<th>{T("天数", "n")}</th><th>{T("最高 AQI 区间", "highest AQI range")}</th>'
                 f'<th>{T("预警级别", "alert")}</th></tr>{rows}</table>')
        p.append(f'<p class="small">{T("重污染：日 AQI 大于 200（订正日取订正区间中值）", "heavy: daily AQI above 200 (edited days: the middle of the edited range)")}</p>')
    else:
        p.append(f'<p class="note">{T("预报期内无重污染过程（日 AQI 均不超过 200）", "No heavy pollution expected (no daily AQI above 200)")}</p>')

    # Maps
    p.append(f'<h2>{T("PM2.5 日均浓度预报", "Daily mean PM2.5")}</h2>')
    p.append('<img src="maps.png" alt="daily mean PM2.5 maps">')
    for line in ctx["map_notes"]:
        p.append(f'<p class="note">{esc(line)}</p>')

    # Series
    p.append(f'<h2>{T("城市逐时 PM2.5 与 AQI", "Hourly PM2.5 and AQI by city")}</h2>')
    if ctx["series_png"]:
        p.append('<img src="series.png" alt="city series">')
        caption = T("逐时 AQI：SO2、NO2、CO、O3 用 1 小时分指数，PM2.5、PM10 用 24 小时分指数（实时发布惯例）",
                    "hourly AQI: 1-h sub-indices for SO2, NO2, CO, O3; PM2.5 and PM10 on their 24-h breakpoints "
                    "(real-time convention)")
        p.append(f'<p class="small">{caption}</p>')
    else:
        p.append(f'<p class="warn">{T("无城市逐时序列", "no city series")} (forecast_receptors.nc/.csv)</p>')

    # Verification
    p.append(f'<h2>{T("预报检验", "Verification of earlier forecasts")}</h2>')
    p.append(ctx["verification_html"])

    # Edits
    p.append(f'<h2>{T("预报员订正", "Forecaster edits")}</h2>')
    if ctx["edits"]:
        rows = []
        for n, city, date, lo, hi, note in ctx["edits"]:
            d = cities[city][date]
            new = f"AQI {lo}–{hi}" if lo is not None else T("仅说明", "note only")
            rows.append(f"<tr><td>{esc(display_name(city))}</td><td>{esc(date)}</td>"
                        f'<td>AQI {d["model_low"]}–{d["model_high"]}</td><td>{esc(new)}</td><td>{esc(note)}</td></tr>')
        p.append(f'<table class="episodes"><tr><th>{T("城市", "City")}</th><th>{T("日期", "Date")}</th>'
                 f'<th>{T("模式", "model")}</th><th>{T("订正", "edited")}</th><th>{T("说明", "note")}</th></tr>{"".join(rows)}</table>')
    else:
        p.append(f'<p class="note">{T("无订正", "No edits")}</p>')
    p.append(f'<p class="small">{esc(ctx["edits_source"])}</p>')

    p.append(f'<footer>{T("数值预报：Lantian 大气扩散与空气质量模式", "Numerical forecast: Lantian air-quality model")} '
             f'({esc(ctx["title"])}). {T("AQI 与级别按 HJ 633-2012。", "AQI and levels per HJ 633-2012.")} '
             f'{esc(ctx["border_footer"])}</footer>')
    p.append("</main></body></html>\n")
    return "\n".join(p)


def heavy_episodes(cities, order, dates):
    out = []
    for city in order:
        days = cities[city]
        run = []
        for date in dates + [None]:
            d = days.get(date) if date else None
            eff = None if d is None else ((d["low"] + d["high"]) / 2.0 if d["edited"] else d["aqi"])
            if eff is not None and eff > HEAVY_AQI:
                run.append(d)
                continue
            if run:
                top = max(run, key=lambda x: x["high"])
                alert = max((x["alert"] for x in run), key=lambda a: ALERTS[a][0])
                out.append({"city": city, "start": run[0]["date"], "end": run[-1]["date"], "days": len(run),
                            "low": top["low"], "high": top["high"], "alert": alert})
                run = []
    return out


# ----------------------------------------------------------------------------------------------
# Screenshot


def screenshot(html_path, png_path, width=1400):
    """Headless Chromium screenshot of the page, cropped to its content (a tall window, then the
    blank rows at the bottom removed; taller again when the page fills the window)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        raise RuntimeError("--screenshot: no chromium on PATH (Debian package chromium)")
    height = 5000
    profile = tempfile.mkdtemp(prefix="bulletin_chromium_")
    try:
        while True:
            raw = png_path + ".raw.png"
            cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                   "--force-device-scale-factor=1", f"--user-data-dir={profile}", "--no-first-run",
                   f"--window-size={width},{height}", f"--screenshot={raw}", "file://" + os.path.abspath(html_path)]
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            if done.returncode != 0 or not os.path.exists(raw):
                raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr.strip()[-800:]}")
            img = mpimg.imread(raw)
            os.remove(raw)
            rgb = img[..., :3]
            background = rgb[-1, -1]
            used = np.where(np.abs(rgb - background).max(axis=(1, 2)) > 1e-3)[0]
            last = int(used[-1]) + 1 if len(used) else rgb.shape[0]
            if last < rgb.shape[0] - 10 or height >= 30000:
                break
            height *= 2
        mpimg.imsave(png_path, np.ascontiguousarray(rgb[:min(rgb.shape[0], last + 20)]))
    finally:
        shutil.rmtree(profile, ignore_errors=True)


# ----------------------------------------------------------------------------------------------


def make(args):
    cycle_dir = os.path.abspath(args.cycle_dir)
    if not os.path.isdir(cycle_dir):
        raise BulletinError(f"{cycle_dir}: not a folder (the cycle folder)")
    T = Text(args.lang)
    names = load_city_names(args.city_names)
    daily_path = os.path.join(cycle_dir, "forecast_daily.csv")
    nc_path = os.path.join(cycle_dir, "forecast.nc")
    if not os.path.exists(nc_path):
        raise BulletinError(f"{nc_path}: missing (the gridded forecast)")
    cities, cycle = read_daily(daily_path)
    doc, cycle_message = read_cycle_json(os.path.join(cycle_dir, "cycle.json"))
    cycle = (doc or {}).get("date") or cycle or os.path.basename(cycle_dir)
    dates = sorted({date for days in cities.values() for date in days})
    leads = {date: next(d[date]["lead"] for d in cities.values() if date in d) for date in dates}
    city_order = list(cities)  # the order of the run (receptors.cities)

    edits_path = args.edits or os.path.join(cycle_dir, "edits.csv")
    if args.edits and not os.path.exists(args.edits):
        raise BulletinError(f"{args.edits}: missing (--edits)")
    edits, notes = read_edits(edits_path, cities, names)
    rules = alert_rules(cycle_dir)
    apply_edits(cities, edits, rules)

    grid = read_gridded(nc_path, dates)
    map_notes = []
    if grid["terrain"] is None:
        map_notes.append(T("forecast.nc 无地形（surface_altitude），地图不含地形晕渲",
                           "forecast.nc has no surface_altitude: maps without terrain shading"))
    extent = (grid["lon"].min(), grid["lon"].max(), grid["lat"].min(), grid["lat"].max())
    if args.borders:
        borders = file_borders(args.borders)
        border_label = T("边界", "borders") + ": " + os.path.basename(args.borders)
        border_footer = T("行政边界取自", "Administrative borders from") + f" {os.path.basename(args.borders)}."
    else:
        borders = dcw_borders(extent)
        border_label = T("示意边界", "illustrative borders: GMT DCW, not an approved map")
        if args.lang == "zh+en":
            border_label = "示意边界 illustrative borders: GMT DCW, not an approved map"
        border_footer = T("边界为示意（GMT DCW），非审定地图。", "Borders are illustrative (GMT DCW), not an approved map.")
        if borders is None:
            border_label = T("无边界", "no borders")
            map_notes.append(T(f"未找到 {DCW_FILE}（Debian gmt-dcw），地图未画行政边界",
                               f"{DCW_FILE} (Debian gmt-dcw) not found: maps without borders"))
            border_footer = ""

    series_all = read_receptors(cycle_dir, set(cities))
    # Where the receptors are: the run's configuration (also when only the CSV series exist).
    positions = receptor_positions(grid["config"])
    city_points = {c: positions[c] for c in cities if c in positions}
    stations = {n: xy for n, xy in positions.items() if n not in cities}

    labels = {date: day_label(date, leads[date], T) for date in dates}
    setup_fonts()
    parent = cycle_dir
    work = tempfile.mkdtemp(prefix=".bulletin.partial-", dir=parent)
    try:
        map_dates = [d for d in dates if d in grid["means"]]
        if len(map_dates) < len(dates):
            map_notes.append(T("部分预报日无网格输出", "some forecast days have no gridded output") + ": " +
                             ", ".join(d for d in dates if d not in grid["means"]))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            figure_names = {} if args.lang == "en" else names  # the figures label cities in Chinese
            plot_maps(grid, map_dates, labels, city_points, stations, borders, border_label, figure_names,
                      os.path.join(work, "maps.png"), T)
            series_png = False
            series = {c: series_all[c] for c in city_order if c in series_all}
            if series:
                plot_series(series, list(series), figure_names, cities, os.path.join(work, "series.png"), T)
                series_png = True
        for w in caught:
            if "missing from current font" in str(w.message) or "Glyph" in str(w.message):
                print(f"bulletin: warning: {w.message}", file=sys.stderr)
        verification = read_verification(os.path.join(cycle_dir, "verification", "summary.csv"))
        ctx = {
            "cities": cities, "names": names, "dates": dates, "leads": leads, "city_order": city_order,
            "cycle": cycle, "bureau": args.bureau,
            "issued": dt.datetime.now(BJT).strftime("%Y-%m-%d %H:%M"),
            "start_lines": start_text(doc, cycle_message, T), "notes": notes,
            "episodes": heavy_episodes(cities, city_order, dates), "map_notes": map_notes,
            "series_png": series_png, "verification_html": verification_html(verification, cities, names, T),
            "edits": edits, "title": grid["title"], "border_footer": border_footer,
            "edits_source": (T("订正文件", "edits file") + f": {edits_path}" if os.path.exists(edits_path)
                             else T("无订正文件", "no edits file") + f" ({edits_path})"),
        }
        with open(os.path.join(work, "index.html"), "w", encoding="utf-8") as f:
            f.write(build_page(ctx, T))
        write_edits_applied(os.path.join(work, "edits_applied.csv"), edits, notes, cities, edits_path)
        if args.screenshot:
            screenshot(os.path.join(work, "index.html"), os.path.join(work, "bulletin.png"))
        os.chmod(work, 0o755)
        final = os.path.join(cycle_dir, "bulletin")
        old = None
        if os.path.exists(final):
            old = tempfile.mkdtemp(prefix=".bulletin.old-", dir=parent)
            os.rename(final, os.path.join(old, "bulletin"))
        os.rename(work, final)
        if old:
            shutil.rmtree(old, ignore_errors=True)
        return final
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cycle_dir", help="the cycle folder (cycles/YYYYMMDD)")
    p.add_argument("--borders", help="bureau boundary file: GeoJSON (.geojson/.json) or CSV id,name,lon,lat")
    p.add_argument("--edits", help="forecaster edits (default CYCLE_DIR/edits.csv)")
    p.add_argument("--city-names", default=DEFAULT_CITY_NAMES, help="english,chinese table (default configs/city_names.csv)")
    p.add_argument("--bureau", default="", help="the bureau's name in the title, e.g. 包头市生态环境局")
    p.add_argument("--lang", default="zh+en", choices=["zh+en", "zh", "en"])
    p.add_argument("--screenshot", action="store_true", help="also bulletin.png by headless Chromium")
    args = p.parse_args()
    try:
        final = make(args)
    except BulletinError as e:
        print(f"bulletin: {e}", file=sys.stderr)
        return 2
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
        print(f"bulletin: {e}", file=sys.stderr)
        return 1
    print(f"bulletin: {os.path.join(final, 'index.html')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
