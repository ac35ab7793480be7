#!/usr/bin/env python3
"""Measures `dedup --seen EVAL --seen-drops-translations` on a labelled set.

  scripts/seen-translations-eval.py LABELS.jsonl WORKDIR [NEARDUP]
  e.g. scripts/seen-translations-eval.py build/eval/gnome.jsonl /tmp/st-gnome

LABELS is a set of scripts/build-eval-sets.py (id, lang, text, group: the
versions of one page in several languages). A third of the groups with an
English page and two other languages give the evaluation set (their
English pages); the other-language pages of half of those, and up to
three pages of every other group, give the training corpus. The run
should drop exactly the former ("translation of seen document ID").
Prints how many of them it dropped, and how many other pages. Fixed seed.
"""
import collections
import json
import os
import random
import subprocess
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    labels, work = sys.argv[1], sys.argv[2]
    neardup = sys.argv[3] if len(sys.argv) == 4 else "build/neardup"
    os.makedirs(work, exist_ok=True)
    by = collections.defaultdict(dict)
    for line in open(labels, encoding="utf-8"):
        d = json.loads(line)
        by[d["group"]][d["lang"]] = d
    random.seed(5)
    groups = sorted(g for g in by if "en" in by[g] and len(by[g]) >= 3)
    random.shuffle(groups)
    evaluated = groups[: len(groups) // 3]
    translated = evaluated[: len(evaluated) // 2]
    others = sorted(set(by) - set(evaluated))
    with open(os.path.join(work, "eval.jsonl"), "w", encoding="utf-8") as f:
        for g in evaluated:
            f.write(json.dumps({"id": "eval/" + g, "lang": "en", "text": by[g]["en"]["text"]}) + "\n")
    truth = set()
    with open(os.path.join(work, "train.jsonl"), "w", encoding="utf-8") as f:
        for g in translated:
            for lang, d in sorted(by[g].items()):
                if lang == "en":
                    continue
                truth.add("tr/%s/%s" % (g, lang))
                f.write(json.dumps({"id": "tr/%s/%s" % (g, lang), "lang": lang, "text": d["text"]}) + "\n")
        for g in others:
            for lang, d in sorted(by[g].items())[:3]:
                f.write(json.dumps({"id": "x/%s/%s" % (g, lang), "lang": lang, "text": d["text"]}) + "\n")
    out = os.path.join(work, "run")
    subprocess.run([neardup, "dedup", os.path.join(work, "train.jsonl"), "--seen",
                    os.path.join(work, "eval.jsonl"), "--seen-drops-translations", "--out", out,
                    "--quiet"], check=True)
    dropped = set()
    records = 0
    for line in open(os.path.join(out, "documents.jsonl"), encoding="utf-8"):
        d = json.loads(line)
        records += 1
        if "seen document" in (d.get("reason") or ""):
            dropped.add(d["id"])
    print("%s: %d evaluation pages; training corpus %d pages, %d of them translations of "
          "evaluation pages: %d dropped; %d other pages dropped"
          % (labels, len(evaluated), records, len(truth), len(dropped & truth), len(dropped - truth)))


if __name__ == "__main__":
    main()
