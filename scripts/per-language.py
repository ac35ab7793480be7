#!/usr/bin/python3
"""F1 of each language's cross-language pairs with a set of reference
languages, from `neardup eval`'s per-language-pair lines: "which languages
work", as the README reports it for udhr-wide.

  scripts/per-language.py RUN LABELS [REFERENCE]

RUN and LABELS as for `neardup eval` (build/neardup of this checkout runs it). REFERENCE is a comma-separated list
of languages (default: the 15 of the UDHR set, en de fr it es pt ru uk zh
ja ko pl cs hr nl). For every language of LABELS, its pairs with the
reference languages (other than itself) are summed: pairwise precision,
recall and F1. Prints one line per language, best first.
"""
import json
import os
import subprocess
import sys

UDHR15 = "en,de,fr,it,es,pt,ru,uk,zh,ja,ko,pl,cs,hr,nl"


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    run, labels = sys.argv[1], sys.argv[2]
    reference = set((sys.argv[3] if len(sys.argv) == 4 else UDHR15).split(","))
    langs = sorted({json.loads(line).get("lang") for line in open(labels, encoding="utf-8")} - {None})
    neardup = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "neardup")
    out = subprocess.run([neardup, "eval", run, labels], capture_output=True,
                         text=True, check=True).stdout
    counts = {lang: [0, 0, 0] for lang in langs}  # true, predicted, correct
    in_section = False
    for line in out.split("\n"):
        if line.startswith("per language pair"):
            in_section = True
            continue
        fields = line.split()
        if not in_section or len(fields) != 7 or not fields[1].isdigit():
            if in_section and line.strip():
                in_section = False
            continue
        a, b = fields[0].split("-", 1)
        true, predicted, correct = (int(x) for x in fields[1:4])
        for x, y in ((a, b), (b, a)):
            if x in counts and y in reference and x != y:
                c = counts[x]
                c[0] += true
                c[1] += predicted
                c[2] += correct
    rows = []
    for lang, (true, predicted, correct) in counts.items():
        p = correct / predicted if predicted else 1.0
        r = correct / true if true else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        rows.append((f, lang, p, r))
    for f, lang, p, r in sorted(rows, key=lambda x: (-x[0], x[1])):
        print(f"{lang:<4} F1 {f:.2f}  precision {p:.2f}  recall {r:.2f}")


if __name__ == "__main__":
    main()
