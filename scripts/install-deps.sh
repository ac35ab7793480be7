#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages neardup needs to build,
# test and benchmark, skipping those already installed. Uses sudo when not
# run as root.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libicu-dev        # normalization, word breaking
  libxxhash-dev     # shingle hashing (XXH3)
  libabsl-dev       # Status, containers, string formatting
  libsimdjson-dev   # JSONL parsing
  libgtest-dev      # tests
  libbenchmark-dev  # stage benchmarks
  time python3      # bench/e2e.sh: peak memory, recall
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
