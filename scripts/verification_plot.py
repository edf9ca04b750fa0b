#!/usr/bin/python3
"""The skill plot of `lantian verify` (called by it; uses Debian's python3-matplotlib).

Reads the scores table (--summary, summary.csv of a cycle's verification/ folder) and draws, for
the aggregate over all receptors (receptor "(all)", kind "all"), skill against lead day:
  top:    AQI category hit rate, level-range hit rate and heavy-day CSI (%), with the 80 % target
          of the 24-hour forecast;
  bottom: NME and NMB of daily PM2.5 (%).
Undefined scores (empty cells) are left out of the lines. Writes one PNG (--out).
"""
import argparse
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def value(row, key):
    """A score as a float, or None for an empty (undefined) cell."""
    text = row.get(key, "")
    return float(text) if text not in ("", None) else None


def series(rows, key, scale=100.0):
    xs, ys = [], []
    for r in rows:
        v = value(r, key)
        if v is not None:
            xs.append(int(r["lead_day"]))
            ys.append(scale * v)
    return xs, ys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--summary", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--target", type=float, default=80.0, help="accuracy target, %%")
    args = ap.parse_args()
    with open(args.summary, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["receptor"] == "(all)" and r["kind"] == "all"]
    rows.sort(key=lambda r: int(r["lead_day"]))

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    for key, label, style in [("category_hit_rate", "AQI category hit rate", "o-"),
                              ("level_range_hit_rate", "level-range hit rate", "s-"),
                              ("heavy_csi", "heavy-day CSI (AQI > 200)", "^--")]:
        xs, ys = series(rows, key)
        top.plot(xs, ys, style, label=label)
    top.axhline(args.target, color="red", lw=1, ls=":", label=f"target {args.target:.0f}% (24-hour forecast)")
    top.set_ylim(0, 105)
    top.set_ylabel("%")
    counts = ", ".join(f"{int(r['lead_day'])}: {r['n']}" for r in rows)
    top.set_title("Forecast skill against lead day, all receptors\n(days verified per lead day: " + (counts or "none") + ")",
                  fontsize=10)
    top.legend(fontsize=8, loc="lower left")
    top.grid(alpha=0.3)

    for key, label, style in [("pm25_nme", "PM2.5 NME", "o-"), ("pm25_nmb", "PM2.5 NMB", "s--")]:
        xs, ys = series(rows, key)
        bottom.plot(xs, ys, style, label=label)
    bottom.axhline(0, color="black", lw=0.8)
    bottom.set_xlabel("lead day (1 = the 24-hour forecast)")
    bottom.set_ylabel("%")
    bottom.legend(fontsize=8, loc="upper left")
    bottom.grid(alpha=0.3)
    if rows:
        bottom.set_xticks([int(r["lead_day"]) for r in rows])
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)


if __name__ == "__main__":
    main()
