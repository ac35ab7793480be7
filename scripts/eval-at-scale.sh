#!/usr/bin/env bash
# Cross-language quality at scale: each held-out set that
# scripts/eval-crosslingual.sh built is read together with a large corpus
# of other documents (two inputs of one run) and scored on the set's own
# labels (neardup eval counts the labelled documents only). Among 100,000
# other documents a translation has more rivals, and the features it
# shares fill larger LSH buckets: this is what a pipeline sees, where the
# sets alone show what the method can do.
#
#   scripts/eval-at-scale.sh [CORPUS] [EVAL_DIR]
#
# CORPUS defaults to bench/.cache/c100k.jsonl (bench/peers.sh 100000
# --skip-datasketch --skip-go builds it); EVAL_DIR to build/eval
# (scripts/eval-crosslingual.sh fills it; with WEBWML= set, the news sets
# too). Prints one line a set: its documents, then the cross-language
# pairs' precision, recall and F1 (as `neardup eval` does), and the run's
# seconds. Uses build/neardup as built (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-bench/.cache/c100k.jsonl}"
dir="${2:-build/eval}"
[ -s "$corpus" ] || { echo "eval-at-scale.sh: $corpus: no such corpus (bench/peers.sh 100000 --skip-datasketch --skip-go builds bench/.cache/c100k.jsonl)" >&2; exit 1; }
[ -x build/neardup ] || { echo "eval-at-scale.sh: build/neardup missing (scripts/build.sh)" >&2; exit 1; }
out="$dir/at-scale"
mkdir -p "$out"
echo "corpus: $corpus ($(wc -l < "$corpus") documents), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
printf '%-12s %6s %9s %9s %9s %8s\n' set docs precision recall F1 seconds
for name in dev faq man man-wide history gnome gnome-wide udhr udhr-wide libreoffice news news-weekly; do
  set_file="$dir/$name.jsonl"
  [ -s "$set_file" ] || continue
  start=$(date +%s%N)
  build/neardup dedup "$set_file" "$corpus" --quiet --out "$out/run-$name"
  ms=$((($(date +%s%N) - start) / 1000000))
  report=$(build/neardup eval "$out/run-$name" "$set_file")
  line=$(grep -m1 '^cross-language' <<< "$report")
  read -r _ _ _ _ p r f <<< "$line"
  printf '%-12s %6s %9s %9s %9s %5d.%01d\n' "$name" "$(wc -l < "$set_file")" "$p" "$r" "$f" \
    $((ms / 1000)) $((ms % 1000 / 100))
done
