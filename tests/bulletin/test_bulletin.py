#!/usr/bin/python3
"""End-to-end test of scripts/bulletin.py (docs/bulletin.md) with the real binary and real headless
Chromium: makes a cycle folder (tests/bulletin/make_fixture.py: a short coarse run of the default
example, the daily archive from `lantian report`, cycle.json, a verification summary and an edit),
renders the bulletin with --screenshot and checks the page, the applied edits and the screenshot;
then the refusals (bad edit lines, a missing forecast archive: exit 2 naming the file and line, the
published bulletin left as it was) and the degraded cases (cold start, no verification, no borders,
a bureau boundary file).

    test_bulletin.py LANTIAN_BINARY SOURCE_DIR
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
from netCDF4 import Dataset  # noqa: E402

BINARY, SOURCE = sys.argv[1], sys.argv[2]
BULLETIN = os.path.join(SOURCE, "scripts", "bulletin.py")
FIXTURE = os.path.join(SOURCE, "tests", "bulletin", "make_fixture.py")
COLOURS = ["#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023"]
TOPS = [50, 100, 150, 200, 300]
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def category(aqi):
    return next((k for k, top in enumerate(TOPS) if aqi <= top), 5)


def bulletin(cycle, *extra, env=None):
    return subprocess.run(["/usr/bin/python3", BULLETIN, cycle] + list(extra), capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})), timeout=180)


def page(cycle):
    with open(os.path.join(cycle, "bulletin", "index.html"), encoding="utf-8") as f:
        return f.read()


def main():
    scratch = tempfile.mkdtemp(prefix="lantian_bulletin_")
    try:
        cycle = os.path.join(scratch, "20260110")
        done = subprocess.run(["/usr/bin/python3", FIXTURE, BINARY, SOURCE, cycle], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"fixture failed:\n{done.stdout}\n{done.stderr}")

        # The gridded output carries the static terrain the maps shade.
        with Dataset(os.path.join(cycle, "forecast.nc")) as ds:
            v = ds.variables.get("surface_altitude")
            check(v is not None and v.dimensions == ("y", "x"), "forecast.nc: surface_altitude(y, x), no time dimension")
            check(v is not None and getattr(v, "standard_name", "") == "surface_altitude" and v.units == "m",
                  "surface_altitude: CF standard_name and units m")
            check(v is not None and float(v[:].max()) > float(v[:].min()) + 500, "surface_altitude: the ridge is there")

        done = bulletin(cycle, "--screenshot")
        print(done.stdout + done.stderr)
        check(done.returncode == 0, f"bulletin --screenshot exits 0 (got {done.returncode})")
        check("missing from current font" not in done.stderr, "no glyph is missing from the fonts (no tofu)")
        html = page(cycle)
        with open(os.path.join(cycle, "forecast_daily.csv"), newline="", encoding="utf-8") as f:
            daily = [r for r in csv.DictReader(f) if r["kind"] == "city"]

        # The joint-warning table: every city, every city-day's AQI range (the edited one edited).
        for zh in ("包头", "呼和浩特", "鄂尔多斯"):
            check(f'class="cityname">{zh}' in html, f"table row of {zh}")
        hanzi = len(re.findall(r"[\u4e00-\u9fff]", html))
        check(hanzi > 300, f"the page is in Chinese ({hanzi} hanzi)")
        fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
        check("Noto Sans CJK SC" in fonts, "Noto Sans CJK SC installed for Chromium (fonts-noto-cjk)")
        # Each city's row of the table: its cells in date order.
        zh_names = {"Baotou": "包头", "Hohhot": "呼和浩特", "Ordos": "鄂尔多斯"}
        dates = sorted({r["date"] for r in daily})
        table = html[html.index('<table class="warning'):]
        table = table[:table.index("</table>")]

        def cell(city, date):
            row = next(tr for tr in table.split("<tr>") if f'class="cityname">{zh_names[city]}' in tr)
            return row.split("<td")[2 + dates.index(date)]

        expected_colours = set()
        for r in daily:
            low, high = int(r["aqi_low"]), int(r["aqi_high"])
            c = cell(r["receptor"], r["date"])
            if r["receptor"] == "Ordos" and r["date"] == "2026-01-12":
                check("AQI 110–160" in c and f"model: AQI {low}–{high}" in c and "forecaster-edited" in c and
                      "轻度至中度污染" in c, f"Ordos 2026-01-12 cell: edited to AQI 110–160 (light to moderate), "
                      f"model AQI {low}–{high} shown")
                low, high = 110, 160
            else:
                check(f"AQI {low}–{high}" in c and "forecaster-edited" not in c,
                      f"{r['receptor']} {r['date']}: AQI {low}–{high} in its cell")
            expected_colours.add(COLOURS[category(high)])
            check(f"background:{COLOURS[category(high)]}" in c, f"{r['receptor']} {r['date']}: cell colour")
            alert = r["alert"] if r["receptor"] != "Ordos" else "none"
            badge = {"none": None, "yellow": "黄色预警", "orange": "橙色预警", "red": "红色预警"}[alert]
            check((badge in c) if badge else ("预警" not in c), f"{r['receptor']} {r['date']}: alert {alert}")
        check("Expected heavy-pollution episodes" in html and "2026-01-11 – 2026-01-13" in html,
              "Baotou's heavy-pollution episode listed")
        check("燃煤采暖季" in html, "the forecaster's general note is shown")
        check("示意边界" in html or "illustrative" in html, "the DCW border disclaimer")
        check("warm start from cycle 20260109" in html and "14 stations" in html, "start: warm, analysis with 14 stations")
        check("82%" in html and "target 80%" in html, "24-h accuracy against the 80% target")
        check('font-family: "Noto Sans CJK SC"' in html, "the page names Noto Sans CJK SC")
        for img in ("maps.png", "series.png"):
            check(os.path.getsize(os.path.join(cycle, "bulletin", img)) > 20000, f"{img} written")
        check("no surface_altitude" not in html, "maps shaded with the terrain")

        with open(os.path.join(cycle, "bulletin", "edits_applied.csv"), newline="", encoding="utf-8") as f:
            applied = list(csv.DictReader(f))
        ordos = [a for a in applied if a["city"] == "Ordos"]
        check(len(ordos) == 1 and ordos[0]["aqi_low"] == "110" and ordos[0]["aqi_high"] == "160" and
              ordos[0]["level_range"] == "light-moderate" and ordos[0]["line"] == "3",
              "edits_applied.csv: the Ordos override, its line and the recomputed level range")
        check(any(a["city"] == "*" for a in applied), "edits_applied.csv: the general note")
        check(all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a["applied_utc"]) for a in applied),
              "edits_applied.csv: UTC timestamps")

        png = os.path.join(cycle, "bulletin", "bulletin.png")
        check(os.path.exists(png) and os.path.getsize(png) > 100000, "bulletin.png written")
        img = mpimg.imread(png)[..., :3]
        check(img.shape[1] == 1400 and 1500 < img.shape[0] < 8000, f"bulletin.png is 1400 wide, of page height ({img.shape})")
        pixels = np.round(img.reshape(-1, 3) * 255).astype(np.int32)
        codes = pixels[:, 0] * 65536 + pixels[:, 1] * 256 + pixels[:, 2]
        distinct = len(np.unique(codes))
        check(distinct > 2000, f"screenshot not blank: {distinct} distinct colours")
        for colour in sorted(expected_colours):
            code = int(colour[1:], 16)
            n = int((codes == code).sum())
            check(n > 2000, f"screenshot: table cells in {colour} ({n} pixels)")

        # Refusals: the published bulletin stays as it was, nothing half-written is left.
        before = page(cycle)
        edits = os.path.join(scratch, "bad_edits.csv")
        cases = [
            ("city,date,aqi_low,aqi_high,note\nOrdos,2026-01-12,160,110,backwards\n", "bad_edits.csv:2", "low ≤ high"),
            ("city,date,aqi_low,aqi_high,note\nOrdos,2026-01-12,100,150,ok\nBoatou,2026-01-11,100,150,typo\n",
             "bad_edits.csv:3", "not a city"),
            ("city,date,aqi_low,aqi_high,note\nBaotou,2026-02-30,100,150,x\n", "bad_edits.csv:2", "YYYY-MM-DD"),
            ("city,date,aqi_low,aqi_high,note\nBaotou,2026-01-11,abc,150,x\n", "bad_edits.csv:2", "not a number"),
            ("city,date,aqi_low,aqi_high,note\nHohhot,2026-01-20,100,150,x\n", "bad_edits.csv:2", "not a forecast day"),
            ("city,day,low,high,note\n", "bad_edits.csv:1", "header"),
        ]
        for text, where, why in cases:
            with open(edits, "w", encoding="utf-8") as f:
                f.write(text)
            done = bulletin(cycle, "--edits", edits)
            check(done.returncode == 2 and where in done.stderr and why in done.stderr,
                  f"bad edit ({why}): exit 2 naming {where} (got {done.returncode}: {done.stderr.strip()})")
        check(page(cycle) == before, "a refused edit leaves the published bulletin as it was")
        check(not [n for n in os.listdir(cycle) if n.startswith(".bulletin")], "no temporary bulletin folder left")

        # An edit that breaks Baotou's run of days above 200: its alerts are recomputed with the
        # default rules (3 days > 200: orange; 2 days: yellow), the other cities keep the model's.
        baotou = {r["date"]: r for r in daily if r["receptor"] == "Baotou"}
        if [int(baotou[d]["aqi"]) > 200 for d in dates] == [False, True, True, True]:
            with open(edits, "w", encoding="utf-8") as f:
                f.write("city,date,aqi_low,aqi_high,note\n包头,2026-01-11,120,150,\"front earlier, cleaner air\"\n")
            done = bulletin(cycle, "--edits", edits)
            html = page(cycle)
            table = html[html.index('<table class="warning'):]
            table = table[:table.index("</table>")]
            check(done.returncode == 0 and "黄色预警" in cell("Baotou", "2026-01-12") and
                  "黄色预警" in cell("Baotou", "2026-01-13") and "预警" not in cell("Baotou", "2026-01-11").split("edited")[0]
                  and "alert recomputed after edits" in cell("Baotou", "2026-01-12"),
                  "edit by Chinese name: Baotou's alerts recomputed (orange → yellow on 12 and 13 Jan)")
            with open(os.path.join(cycle, "bulletin", "edits_applied.csv"), newline="", encoding="utf-8") as f:
                applied = list(csv.DictReader(f))
            check([(a["city"], a["model_alert"], a["alert"], a["note"]) for a in applied] ==
                  [("Baotou", baotou["2026-01-11"]["alert"], "none", "front earlier, cleaner air")],
                  "edits_applied.csv: the Baotou edit with its alert change and the quoted note")
        else:
            check(False, f"fixture: Baotou's daily AQI no longer above 200 on days 1-3 ({[baotou[d]['aqi'] for d in dates]})")

        # Degraded inputs: cold start, no verification, no DCW file, a bureau boundary file.
        other = os.path.join(scratch, "20260110_cold")
        os.makedirs(other)
        for name in ("forecast.nc", "forecast_receptors.nc", "forecast_receptors.csv"):
            shutil.copy(os.path.join(cycle, name), other)
        done = subprocess.run(["/usr/bin/python3", FIXTURE, BINARY, SOURCE, other, "--reuse", "--cold",
                               "--no-verification"], capture_output=True, text=True)
        check(done.returncode == 0, "fixture (cold, no verification)")
        borders = os.path.join(scratch, "bureau_borders.csv")
        with open(borders, "w", encoding="utf-8") as f:
            f.write("id,name,lon,lat\nA,Baotou,109.0,40.2\nA,Baotou,110.6,40.2\nA,Baotou,110.6,41.2\nA,Baotou,109.0,40.2\n")
        done = bulletin(other, "--borders", borders)
        check(done.returncode == 0, f"bulletin with a CSV boundary file exits 0 ({done.stderr.strip()})")
        html = page(other)
        check("cold start" in html and "48 h of spin-up" in html, "cold start with its spin-up stated")
        check("No verified days yet" in html, "no verification: 'No verified days yet'")
        check("bureau_borders.csv" in html, "the bureau boundary file is named")
        done = bulletin(other, env={"LANTIAN_DCW_FILE": os.path.join(scratch, "no_such_dcw.nc")})
        check(done.returncode == 0 and "maps without borders" in page(other), "no gmt-dcw: no borders, said on the page")
        with open(borders, "w", encoding="utf-8") as f:
            f.write("id,name,lon,lat\nA,Baotou,109.0,north\n")
        done = bulletin(other, "--borders", borders)
        check(done.returncode == 2 and "bureau_borders.csv:2" in done.stderr, "bad boundary file: exit 2 naming the line")
        os.remove(os.path.join(other, "forecast_receptors.nc"))
        os.remove(os.path.join(other, "cycle.json"))
        done = bulletin(other)
        html = page(other)
        check(done.returncode == 0 and "cycle.json 缺失 missing" in html and 'src="series.png"' in html,
              "no cycle.json: said on the page; the series come from forecast_receptors.csv")
        os.remove(os.path.join(other, "forecast_daily.csv"))
        done = bulletin(other)
        check(done.returncode == 2 and "forecast_daily.csv" in done.stderr, "missing forecast_daily.csv: exit 2 naming it")
        os.remove(os.path.join(other, "forecast.nc"))
        done = bulletin(other)
        check(done.returncode == 2 and "forecast.nc" in done.stderr, "missing forecast.nc: exit 2 naming it")
    finally:
        if os.environ.get("LANTIAN_KEEP_BULLETIN_TEST"):
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
