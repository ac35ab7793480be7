#!/usr/bin/env python3
"""How much do the seeds' story decisions depend on the background sample?

The calibrated scores of a small input (the five seed articles) are
measured against the lexicon's background sample (background.tsv, sections
of a translated Debian manual). This script draws R random halves of that
sample (each language's sections, half of them, without replacement),
runs `neardup dedup data/seeds --all-pairs` against each, and prints, per
draw, the grouping and the scores that decide it: the mean z of 003
against the 000/001/002 story (a story link needs --story-z, 2.0), and the
highest z of a pair with 004. It ends with the fraction of draws whose
grouping matches labels.json.

  scripts/story-robustness.py [R=20] [--lexicon build/lexicon] [--neardup build/neardup]

Needs a build (scripts/build.sh). Deterministic for a given R (fixed seed).
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("draws", nargs="?", type=int, default=20)
    ap.add_argument("--lexicon", default=os.path.join(ROOT, "build", "lexicon"))
    ap.add_argument("--neardup", default=os.path.join(ROOT, "build", "neardup"))
    ap.add_argument("--seeds", default=os.path.join(ROOT, "data", "seeds"))
    args = ap.parse_args()

    bg_path = os.path.join(args.lexicon, "background.tsv")
    if not os.path.exists(bg_path):
        sys.exit("%s: missing (run scripts/build.sh)" % bg_path)
    with open(bg_path, encoding="utf-8") as f:
        lines = [l for l in f if l.strip()]
    by_lang = defaultdict(list)
    for l in lines:
        by_lang[l.split("\t", 1)[0]].append(l)

    names = sorted(n for n in os.listdir(args.seeds) if n.endswith(".txt"))
    short = {n: n[:3] for n in names}
    rng = random.Random(1)
    ok = 0
    print("draw  groups                      003 mean z  max z with 004")
    for r in range(args.draws):
        with tempfile.TemporaryDirectory() as tmp:
            lex = os.path.join(tmp, "lexicon")
            shutil.copytree(args.lexicon, lex, ignore=shutil.ignore_patterns("background.tsv"))
            with open(os.path.join(lex, "background.tsv"), "w", encoding="utf-8") as f:
                for lang in sorted(by_lang):
                    docs = by_lang[lang]
                    f.writelines(rng.sample(docs, len(docs) // 2))
            out = os.path.join(tmp, "run")
            env = dict(os.environ, NEARDUP_LEXICON=lex)
            subprocess.run([args.neardup, "dedup", args.seeds, "--all-pairs", "--quiet",
                            "--out", out], check=True, env=env)
            group = {}
            with open(os.path.join(out, "documents.jsonl"), encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    group[short[d["id"]]] = d["group"]
            z = {}
            with open(os.path.join(out, "pairs.jsonl"), encoding="utf-8") as f:
                for line in f:
                    p = json.loads(line)
                    z[(short[p["a"]], short[p["b"]])] = p["score"]
        members = defaultdict(list)
        for doc, g in sorted(group.items()):
            members[g if g is not None else doc].append(doc)
        groups = sorted(members.values())
        mean003 = sum(z.get((x, "003"), 0.0) for x in ("000", "001", "002")) / 3
        max004 = max(v for (a, b), v in z.items() if "004" in (a, b))
        right = ["000", "001", "002", "003"] in groups and ["004"] in groups
        ok += right
        print("%4d  %-26s  %10.2f  %14.2f%s" % (r + 1, " ".join("{" + ",".join(g) + "}" for g in groups),
                                                 mean003, max004, "" if right else "   <- differs from labels.json"))
    print("\n%d of %d draws group the seeds as labels.json does" % (ok, args.draws))


if __name__ == "__main__":
    main()
