#!/usr/bin/env bash
# End-to-end benchmark: generates a corpus of N documents with planted
# near-duplicates (bench/make_corpus, deterministic), runs neardup on it with
# 1 and 2 threads, and prints docs/s, MB/s, peak memory and the recall of
# the planted near-duplicates.
#
#   bench/e2e.sh [N=100000] [THREADS="1 2"]
#
# Builds first (scripts/build.sh). The corpus is cached in bench/.cache/.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
threads="${2:-1 2}"
scripts/build.sh >/dev/null
mkdir -p bench/.cache
corpus="bench/.cache/gen-$n.jsonl"
[ -s "$corpus" ] || build/bench/make_corpus --n "$n" --seed 1 > "$corpus"
bytes=$(stat -L -c %s "$corpus")

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "corpus:  $corpus ($n documents, $(awk -v b="$bytes" 'BEGIN{printf "%.1f MB", b/1e6}'))"
printf '%-8s %9s %10s %8s %10s %11s %9s %8s\n' threads seconds docs/s MB/s peak_MiB candidates verified recall
for t in $threads; do
  out="bench/.cache/out-$n-t$t"
  /usr/bin/time -f '%e %M' -o "$out.time" \
    build/neardup dedup "$corpus" --threads "$t" --out "$out" --quiet
  read -r secs kib < "$out.time"
  cand=$(grep -o '"candidate_pairs":[0-9]*' "$out/summary.json" | cut -d: -f2)
  ver=$(grep -o '"verified_pairs":[0-9]*' "$out/summary.json" | cut -d: -f2)
  # Recall: planted near-duplicates (documents with a dup_of) that share
  # a group with the document they were made from.
  recall=$(python3 - "$corpus" "$out/documents.jsonl" <<'PY'
import json, sys
corpus, docs = sys.argv[1], sys.argv[2]
group = {}
with open(docs) as f:
    for line in f:
        d = json.loads(line)
        group[d["id"]] = d["group"]
found = total = 0
with open(corpus) as f:
    for line in f:
        d = json.loads(line)
        if d["dup_of"] is None:
            continue
        total += 1
        g = group.get(d["id"])
        found += g is not None and g == group.get(d["dup_of"])
print(f"{found / total:.3f}" if total else "n/a")
PY
)
  awk -v t="$t" -v s="$secs" -v n="$n" -v b="$bytes" -v k="$kib" -v c="$cand" -v v="$ver" -v r="$recall" \
    'BEGIN{printf "%-8s %9.2f %10.0f %8.1f %10.0f %11s %9s %8s\n", t, s, n/s, b/1e6/s, k/1024, c, v, r}'
done
echo "(recall: planted near-duplicates of every edit kind grouped with their source;"
echo " token edits of several percent fall below J = 0.8 by design)"
