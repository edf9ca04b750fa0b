#!/usr/bin/env bash
# Installs everything Lantian needs to build, run and test on Debian 12 (run as root).
# Idempotent: packages already present are left alone.
# Usage: scripts/install-deps.sh [fuzz]  — `fuzz` adds the tools of scripts/fuzz.sh (clang 14,
# libFuzzer, LLVM's OpenMP runtime). The sanitizer runtimes of scripts/sanitize.sh (libasan8,
# libubsan1) come with GCC (build-essential).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libeigen3-dev libhdf5-dev libnetcdf-dev libboost-program-options-dev libproj-dev
  openmpi-bin libopenmpi-dev libnetcdf-mpi-dev libhdf5-openmpi-dev pkg-config
  catch2 libsundials-dev
  netcdf-bin cdo bc
  python3 python3-matplotlib python3-netcdf4 python3-numpy python3-scipy python3-fonttools
  fonts-noto-cjk gmt-dcw chromium
)
fuzz_packages=(clang-14 libfuzzer-14-dev libclang-rt-14-dev libomp-14-dev)
for group in "$@"; do
  case "$group" in
    fuzz) packages+=("${fuzz_packages[@]}") ;;
    *) echo "install-deps: unknown group '$group' (known: fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi
