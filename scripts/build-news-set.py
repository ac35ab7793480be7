#!/usr/bin/python3
"""Builds labelled cross-language news sets from a checkout of the Debian
website's sources (webwml: the project's press releases and its weekly
Debian Project News, each translated by volunteers into up to 30
languages). Debian does not package them, so the checkout is the user's:

  git clone --depth 1 https://salsa.debian.org/webmaster-team/webwml.git

  scripts/build-news-set.py WEBWML OUTDIR [GROUPS=200]

  OUTDIR/news.jsonl    press releases (News/YYYY/YYYYMMDD.wml): GROUPS
                       stories drawn with a fixed seed among those with an
                       English original, each in every language it was
                       translated into; group = the release. Many are
                       point-release announcements written from one
                       template ("Updated Debian 7: 7.4 released"), so
                       stories of one language can be near-duplicates of
                       each other at the default threshold.
  OUTDIR/news-weekly.jsonl  Debian Project News issues
                       (News/weekly/YYYY/NN/index.wml), GROUPS * 3 / 5
                       issues drawn likewise: long newsletters of many
                       short items, names and links.

Each document is the page's title, a blank line and its text: WML
markup, HTML tags, comments and macros removed, entities decoded; the
Chinese pages' [CN:...:] variants are kept and [HK:...:] [TW:...:]
dropped. Pages under 80 characters are left out. Reads the checkout with
git (HEAD), so its working tree may be absent (a bare mirror works).
"""
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys

LANG = {
    "english": "en", "german": "de", "french": "fr", "japanese": "ja",
    "russian": "ru", "chinese": "zh", "italian": "it", "spanish": "es",
    "portuguese": "pt", "dutch": "nl", "swedish": "sv", "danish": "da",
    "polish": "pl", "czech": "cs", "catalan": "ca", "korean": "ko",
    "ukrainian": "uk", "greek": "el", "finnish": "fi", "hungarian": "hu",
    "turkish": "tr", "romanian": "ro", "indonesian": "id", "lithuanian": "lt",
    "slovak": "sk", "croatian": "hr", "bulgarian": "bg", "arabic": "ar",
    "norwegian": "nb", "vietnamese": "vi", "persian": "fa", "hebrew": "he",
    "galician": "gl", "slovene": "sl",
}
# The language folder may sit at the top (salsa) or under webwml/ (older
# mirrors).
KINDS = {
    "news": r"(?:^|/)(\w+)/News/((?:19|20)\d\d/\d{8}[a-z]?)\.wml$",
    "news-weekly": r"(?:^|/)(\w+)/News/weekly/(20\d\d/\d+)/index\.wml$",
}


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], capture_output=True,
                          check=True).stdout


def text_of(repo, path):
    s = git(repo, "show", "HEAD:" + path).decode("utf-8", errors="replace")
    title = re.search(r"<define-tag pagetitle>(.*?)</define-tag>", s, re.S)
    s = re.sub(r"<define-tag.*?</define-tag>", " ", s, flags=re.S)
    s = re.sub(r"<:.*?:>", " ", s, flags=re.S)
    s = re.sub(r"\[(?:HK|TW):.*?:\]", "", s, flags=re.S)
    s = re.sub(r"\[CN:(.*?):\]", r"\1", s, flags=re.S)
    s = "\n".join(l for l in s.split("\n") if not l.lstrip().startswith("#"))
    s = re.sub(r"<(?:p|br|li|tr|h\d|dt|dd)\b[^>]*>", "\n", s)
    s = re.sub(r"<[^>]*>", " ", s)
    s = html.unescape(s)
    s = re.sub(r"[ \t]+", " ", s)
    s = re.sub(r"\n\s*\n+", "\n\n", s).strip()
    if title:
        t = re.sub(r"<[^>]*>", "", html.unescape(title.group(1))).strip()
        s = t + "\n\n" + s
    return s


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    repo, out = sys.argv[1], sys.argv[2]
    groups = int(sys.argv[3]) if len(sys.argv) == 4 else 200
    if shutil.which("git") is None:
        sys.exit("build-news-set.py: needs git (apt-get install git)")
    if subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True).returncode:
        sys.exit(f"build-news-set.py: {repo}: not a git checkout of webwml")
    os.makedirs(out, exist_ok=True)
    files = git(repo, "ls-tree", "-r", "--name-only", "HEAD").decode().split("\n")
    for kind, pattern in KINDS.items():
        pages = {}  # story -> {language folder: path}
        for f in files:
            m = re.search(pattern, f)
            if m and m.group(1) in LANG:
                pages.setdefault(m.group(2), {})[m.group(1)] = f
        stories = sorted(k for k in pages if "english" in pages[k])
        random.Random(7).shuffle(stories)
        n = groups if kind == "news" else groups * 3 // 5
        docs = 0
        with open(f"{out}/{kind}.jsonl", "w", encoding="utf-8") as o:
            for story in sorted(stories[:n]):
                for folder, path in sorted(pages[story].items()):
                    text = text_of(repo, path)
                    if len(text) < 80:
                        continue
                    lang = LANG[folder]
                    o.write(json.dumps({"id": f"{lang}:{story}", "lang": lang, "text": text,
                                        "group": story}, ensure_ascii=False) + "\n")
                    docs += 1
        print(f"{out}/{kind}.jsonl: {min(n, len(stories))} stories, {docs} documents",
              file=sys.stderr)


if __name__ == "__main__":
    main()
