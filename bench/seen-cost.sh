#!/usr/bin/env bash
# What a feed's run against its archive costs (--seen, --seen-cache): NEW
# deduplicated against ARCHIVE without a cache, then with one (the first
# run writes it, the others replay it), alternately, with wall seconds,
# docs/s of the new documents, and peak memory. Checks that the cached
# runs' output files are byte-identical to the uncached run's.
#
#   bench/seen-cost.sh [NEW] [ARCHIVE] [RUNS=3] [THREADS=2]
#
# Defaults: bench/.cache/c10k.jsonl against bench/.cache/c100k.jsonl (the
# multilingual benchmark corpora of bench/peers.sh; built like xl-cost.sh
# builds them when ../shared/peers is there). They share ids, so ids are
# taken from the line (--id-field none). Builds first (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
new="${1:-bench/.cache/c10k.jsonl}"
archive="${2:-bench/.cache/c100k.jsonl}"
runs="${3:-3}"
threads="${4:-2}"
scripts/build.sh >/dev/null
if [ -d ../shared/peers ]; then
  for n in 10000 100000; do
    c="bench/.cache/c$((n / 1000))k.jsonl"
    if { [ "$new" = "$c" ] || [ "$archive" = "$c" ]; } && [ ! -s "$c" ]; then
      echo "seen-cost.sh: building $c with bench/peers.sh" >&2
      bench/peers.sh "$n" --skip-datasketch --skip-go >/dev/null
    fi
  done
fi
for f in "$new" "$archive"; do
  [ -s "$f" ] || { echo "seen-cost.sh: $f: no such corpus" >&2; exit 1; }
done
out=bench/.cache/seen-cost
rm -rf "$out" && mkdir -p "$out"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "new:     $new ($(wc -l < "$new") lines); archive: $archive ($(wc -l < "$archive") lines, $(stat -L -c %s "$archive") bytes); $threads thread(s)"
lines=$(wc -l < "$new")
printf '%-4s %-14s %8s %9s %9s\n' run mode seconds new_docs/s peak_MiB
run() {  # run MODE DIR [flags...]
  local mode=$1 dir=$2
  shift 2
  /usr/bin/time -f '%e %M' -o "$out/time" build/neardup dedup "$new" --seen "$archive" \
    --id-field none --threads "$threads" --quiet --out "$dir" "$@"
  read -r secs kib < "$out/time"
  printf '%-4s %-14s %8.2f %9.0f %9.0f\n' "$i" "$mode" "$secs" \
    "$(python3 -c "print($lines / max($secs, 0.001))")" "$((kib / 1024))"
}
i=0
run cache-write "$out/write" --seen-cache "$out/cache"
for i in $(seq "$runs"); do
  run no-cache "$out/plain"
  run cache-replay "$out/replay" --seen-cache "$out/cache"
done
for f in documents.jsonl pairs.jsonl groups.jsonl; do
  cmp -s "$out/plain/$f" "$out/replay/$f" || { echo "seen-cost.sh: $f differs with the cache" >&2; exit 1; }
  cmp -s "$out/plain/$f" "$out/write/$f" || { echo "seen-cost.sh: $f differs writing the cache" >&2; exit 1; }
done
echo "outputs: documents, pairs and groups identical with and without the cache"
echo "cache:   $(du -sh "$out/cache" | cut -f1) for the archive"
