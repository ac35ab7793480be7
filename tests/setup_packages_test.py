#!/usr/bin/python3
"""Checks that scripts/install-deps.sh installs every Debian package that
scripts/build-lexicon.py reads (its REQUIRED list, printed by
--list-packages). A dictionary read by the lexicon script but missing from
the setup works on a machine that happens to have it and fails on a fresh
one: this test fails on any machine instead.

Usage: setup_packages_test.py SOURCE_DIR
"""
import re
import subprocess
import sys


def setup_packages(path):
    """The words of install-deps.sh's packages=( ... ) array, without
    comments."""
    text = open(path, encoding="utf-8").read()
    m = re.search(r"^packages=\((.*?)^\)", text, re.S | re.M)
    if not m:
        sys.exit(f"{path}: no packages=( ... ) array")
    words = set()
    for line in m.group(1).splitlines():
        words.update(line.split("#", 1)[0].split())
    return words


def main(src):
    listed = subprocess.run(
        [sys.executable, f"{src}/scripts/build-lexicon.py", "--list-packages"],
        check=True, capture_output=True, text=True).stdout.split()
    if len(listed) < 50:
        sys.exit(f"build-lexicon.py --list-packages printed only {len(listed)} packages")
    installed = setup_packages(f"{src}/scripts/install-deps.sh")
    missing = sorted(set(listed) - installed)
    if missing:
        sys.exit("scripts/install-deps.sh does not install these packages that "
                 f"scripts/build-lexicon.py reads: {' '.join(missing)}")
    print(f"ok: all {len(listed)} packages the lexicon reads are in install-deps.sh")


if __name__ == "__main__":
    main(sys.argv[1])
