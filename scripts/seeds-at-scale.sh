#!/usr/bin/env bash
# Do the seed articles still group as labels.json says when they are mixed
# into a large corpus? Appends data/seeds (as JSONL, languages guessed) to
# each CORPUS (JSONL), runs `neardup dedup` with default options and prints
# the seeds' groups: 000-003 must share one group that holds no other seed,
# and 004 must not be in it. Other documents may join that group; how many
# is printed too. Exit 1 if a corpus breaks the labels.
#
#   scripts/seeds-at-scale.sh CORPUS.jsonl [CORPUS.jsonl ...] [-- DEDUP OPTIONS]
#
# The figures in docs/crosslingual.md (the background rule) used bench/.cache/c10k.jsonl and c100k.jsonl
# (bench/peers.sh builds them when ../shared/peers is there).
set -euo pipefail
cd "$(dirname "$0")/.."
corpora=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do corpora+=("$1"); shift; done
[ $# -gt 0 ] && shift  # the rest are options for neardup dedup
[ ${#corpora[@]} -ge 1 ] || { sed -n '2,14p' "$0"; exit 2; }
[ -x build/neardup ] || scripts/build.sh >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/seeds.jsonl" <<'PY'
import json, os, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for f in sorted(os.listdir("data/seeds")):
        if f.endswith(".txt"):
            text = open(os.path.join("data/seeds", f), encoding="utf-8").read()
            out.write(json.dumps({"id": "seed/" + f, "text": text}, ensure_ascii=False) + "\n")
PY
status=0
for corpus in "${corpora[@]}"; do
  cat "$corpus" "$work/seeds.jsonl" > "$work/input.jsonl"
  build/neardup dedup "$work/input.jsonl" --quiet --out "$work/out" "$@" >/dev/null
  /usr/bin/python3 - "$work/out" "$corpus" <<'PY' || status=1
import json, sys
out, corpus = sys.argv[1], sys.argv[2]
group = {}
for line in open(out + "/documents.jsonl", encoding="utf-8"):
    d = json.loads(line)
    if d["id"].startswith("seed/"):
        group[d["id"][5:8]] = d["group"]
members = {}
for line in open(out + "/groups.jsonl", encoding="utf-8"):
    g = json.loads(line)
    members[g["group"]] = g["members"]
story = group["000"]
ok = story is not None and all(group[s] == story for s in ("001", "002", "003")) \
    and group["004"] != story
others = [m for m in members.get(story, []) if not m.startswith("seed/")]
alone = group["004"] is None
print(f"{corpus}: seeds {group}; 000-003 together: {'yes' if ok else 'NO'}; "
      f"other documents in their group: {len(others)}; 004 "
      f"{'alone' if alone else 'with ' + str(len(members[group['004']]) - 1) + ' others'}")
sys.exit(0 if ok else 1)
PY
done
exit $status
