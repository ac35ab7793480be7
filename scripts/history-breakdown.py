#!/usr/bin/env python3
"""Splits the history set's pairs (scripts/build-eval-sets.py) by kind.

  scripts/history-breakdown.py LABELS.jsonl RUN_DIR
  e.g. build/neardup dedup build/eval/history.jsonl --out /tmp/h --quiet
       scripts/history-breakdown.py build/eval/history.jsonl /tmp/h

Prints, for the true pairs (same label), how many the run grouped:
translations of one history section, translations of one dedication, and
pairs across a dedication and the history section it retells (a second
article on the same story); and the run's pairs that join two labels.
"""
import itertools
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    label = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        d = json.loads(line)
        label[d["id"]] = d["group"]
    group = {}
    for line in open(sys.argv[2] + "/documents.jsonl", encoding="utf-8"):
        d = json.loads(line)
        group[d["id"]] = d["group"]
    kinds = {"history section translations": [0, 0], "dedication translations": [0, 0],
             "dedication ~ the section it retells": [0, 0]}
    false_pairs = 0
    for a, b in itertools.combinations(sorted(label), 2):
        together = group[a] is not None and group[a] == group[b]
        if label[a] != label[b]:
            false_pairs += together
            continue
        ka, kb = a.split("/")[0], b.split("/")[0]
        if ka != kb:
            kind = "dedication ~ the section it retells"
        elif ka == "history":
            kind = "history section translations"
        else:
            kind = "dedication translations"
        kinds[kind][0] += 1
        kinds[kind][1] += together
    for kind, (true, found) in kinds.items():
        print("%-38s %5d of %5d true pairs grouped (recall %.3f)" %
              (kind, found, true, found / true if true else 1.0))
    print("%-38s %5d" % ("grouped pairs of different labels", false_pairs))


if __name__ == "__main__":
    main()
