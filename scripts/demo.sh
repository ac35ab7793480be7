#!/usr/bin/env bash
# Quick start 1: installs what is missing, builds, and runs neardup on the
# sample corpus in data/: the planted near-duplicates (results written to
# out/planted/) and the five seed articles.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo
echo "== neardup dedup data/planted.jsonl --out out/planted"
build/neardup dedup data/planted.jsonl --out out/planted
echo
echo "== neardup dedup data/seeds   (five news articles; report on stdout)"
build/neardup dedup data/seeds
