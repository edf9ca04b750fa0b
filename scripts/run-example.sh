#!/usr/bin/env bash
# README command 1: install dependencies, build, and run the default forecast (a 10-day idealized
# winter episode over Baotou-Hohhot, embedded in configs/; no outside data needed), then write its report.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/install-deps.sh
bash scripts/build.sh lantian
mkdir -p out
./build/lantian run configs/episode_baotou.ini output.file=out/episode_baotou.nc "$@"
echo
./build/lantian report out/episode_baotou.nc
echo
echo "Output written to out/episode_baotou.nc (fields), out/episode_baotou_receptors.{nc,csv} (city and"
echo "station series) and out/episode_baotou_report/index.html (daily AQI, alerts, maps, series)."
echo "Try: ncdump -h out/episode_baotou.nc; cdo sinfon out/episode_baotou.nc"
