#!/usr/bin/python3
"""Derives a harder evaluation set from a labelled one: the groups are taken
in sorted order and, with a fixed seed, half of them keep every document
(all their languages) while each of the others keeps one document drawn at
random. So about half of the stories have no translation in the set, as in
a news feed where most stories are reported in one language only, and every
cross-language pair a run makes for them is a false one. With --one, every
group keeps one document: the set has no true cross-language pair at all.

Usage: /usr/bin/python3 scripts/mix-eval-set.py IN.jsonl OUT.jsonl [--one] [--seed N]
"""
import argparse
import collections
import json
import random


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('inp')
    ap.add_argument('out')
    ap.add_argument('--one', action='store_true', help='one document per group')
    ap.add_argument('--seed', type=int, default=7)
    args = ap.parse_args()
    groups = collections.defaultdict(list)
    with open(args.inp, encoding='utf-8') as f:
        for line in f:
            groups[json.loads(line)['group']].append(line)
    rng = random.Random(args.seed)
    kept = 0
    with open(args.out, 'w', encoding='utf-8') as out:
        for g in sorted(groups):
            lines = groups[g]
            if not args.one and rng.random() < 0.5:
                chosen = lines
            else:
                chosen = [rng.choice(lines)]
            out.writelines(chosen)
            kept += len(chosen)
    print('%s: %d groups, %d documents' % (args.out, len(groups), kept))


if __name__ == '__main__':
    main()
