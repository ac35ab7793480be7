#!/usr/bin/python3
"""Build neardup's cross-language pivot lexicons from Debian 12 packages.

Usage: /usr/bin/python3 scripts/build-lexicon.py OUTDIR
       /usr/bin/python3 scripts/build-lexicon.py --list-packages

Maps words of de fr it es pt nl sv da el cs pl ar ro id fi lt hu tr hr ca
sk sl bg hi ru uk ja ko (and zh words and characters) to English Snowball
stems, reading only dictionaries installed by Debian packages. The formats,
data sources and licences are described in docs/lexicon.md. The output is
deterministic: the same package versions give byte-identical files, and
OUTDIR/MANIFEST records line counts, SHA-256 sums and package versions.

It also writes background.tsv: sections of translated Debian manuals that
no evaluation set uses, the unrelated-document sample that calibrates
cross-language scores per language pair (docs/design.md): the New
Maintainers' Guide (maint-guide) in en de es fr it ja ru zh, the Debian
Edu manual in en de es fr it ja nl pt zh, aptitude's manual in en es fr it
ja ru cs fi nl.

It also writes names.tsv: what ICU's locale data (CLDR) calls countries,
languages, months and weekdays in every language it has, glossed to the
English names (build_names).

Only the standard library, python3-stemmer (PyStemmer over libstemmer, the
same Snowball algorithms the C++ side links) and python3-icu (PyICU, over
the ICU the C++ side links) are used.
"""

import bz2
import collections
import gzip
import hashlib
import itertools
import struct
import os
import re
import subprocess
import sys
import time
import unicodedata
import zlib

# Bump when the output format or the extraction rules change.
FORMAT_VERSION = 2

MAX_STEMS = 3        # stems kept per form in LANG.tsv / LANG.stem.tsv
ZH_MAX_STEMS = 4     # stems kept per character in zh_chars.tsv

DICTD = "/usr/share/dictd"
EDICT = "/usr/share/edict/edict"
KANJIDIC = "/usr/share/edict/kanjidic2.xml.gz"
APERTIUM = "/usr/share/apertium"
APERTIUM_RU_UK = f"{APERTIUM}/apertium-rus-ukr"
HANJA = "/usr/share/libhangul/hanja/hanja.txt"
UNIHAN = "/usr/share/unicode"


def dictd_files(name):
    return [f"{DICTD}/{name}.index", f"{DICTD}/{name}.dict.dz"]


# Debian package -> files this script reads from it.
REQUIRED = {
    "dict-freedict-deu-eng": dictd_files("freedict-deu-eng"),
    "dict-de-en": dictd_files("german-english") + dictd_files("english-german"),
    "dict-freedict-fra-eng": dictd_files("freedict-fra-eng"),
    "dict-freedict-eng-fra": dictd_files("freedict-eng-fra"),
    "dict-freedict-ita-eng": dictd_files("freedict-ita-eng"),
    "dict-freedict-eng-ita": dictd_files("freedict-eng-ita"),
    "dict-freedict-spa-eng": dictd_files("freedict-spa-eng"),
    "dict-freedict-eng-spa": dictd_files("freedict-eng-spa"),
    "dict-freedict-por-eng": dictd_files("freedict-por-eng"),
    "dict-freedict-eng-por": dictd_files("freedict-eng-por"),
    "dict-freedict-eng-rus": dictd_files("freedict-eng-rus"),
    "dict-freedict-deu-rus": dictd_files("freedict-deu-rus"),
    "dict-freedict-fra-rus": dictd_files("freedict-fra-rus"),
    "dict-freedict-ita-rus": dictd_files("freedict-ita-rus"),
    "dict-freedict-nld-eng": dictd_files("freedict-nld-eng"),
    "dict-freedict-eng-nld": dictd_files("freedict-eng-nld"),
    "dict-freedict-swe-eng": dictd_files("freedict-swe-eng"),
    "dict-freedict-eng-swe": dictd_files("freedict-eng-swe"),
    "dict-freedict-dan-eng": dictd_files("freedict-dan-eng"),
    "dict-freedict-eng-dan": dictd_files("freedict-eng-dan"),
    "dict-freedict-ell-eng": dictd_files("freedict-ell-eng"),
    "dict-freedict-eng-ell": dictd_files("freedict-eng-ell"),
    "dict-freedict-ces-eng": dictd_files("freedict-ces-eng"),
    "dict-freedict-eng-ces": dictd_files("freedict-eng-ces"),
    "dict-freedict-pol-eng": dictd_files("freedict-pol-eng"),
    "dict-freedict-eng-pol": dictd_files("freedict-eng-pol"),
    "dict-freedict-ara-eng": dictd_files("freedict-ara-eng"),
    "dict-freedict-eng-ara": dictd_files("freedict-eng-ara"),
    "dict-freedict-eng-rom": dictd_files("freedict-eng-rom"),
    "dict-freedict-eng-ind": dictd_files("freedict-eng-ind"),
    "dict-freedict-fin-eng": dictd_files("freedict-fin-eng"),
    "dict-freedict-eng-fin": dictd_files("freedict-eng-fin"),
    "dict-freedict-lit-eng": dictd_files("freedict-lit-eng"),
    "dict-freedict-eng-lit": dictd_files("freedict-eng-lit"),
    "dict-freedict-hun-eng": dictd_files("freedict-hun-eng"),
    "dict-freedict-eng-hun": dictd_files("freedict-eng-hun"),
    "dict-freedict-tur-eng": dictd_files("freedict-tur-eng"),
    "dict-freedict-eng-tur": dictd_files("freedict-eng-tur"),
    "dict-freedict-hrv-eng": dictd_files("freedict-hrv-eng"),
    "dict-freedict-eng-hrv": dictd_files("freedict-eng-hrv"),
    "dict-freedict-slk-eng": dictd_files("freedict-slk-eng"),
    "dict-freedict-slv-eng": dictd_files("freedict-slv-eng"),
    "dict-freedict-eng-bul": dictd_files("freedict-eng-bul"),
    "dict-freedict-eng-hin": dictd_files("freedict-eng-hin"),
    "dict-freedict-eng-nor": dictd_files("freedict-eng-nor"),
    "dict-freedict-afr-eng": dictd_files("freedict-afr-eng"),
    "dict-freedict-eng-afr": dictd_files("freedict-eng-afr"),
    "dict-freedict-cym-eng": dictd_files("freedict-cym-eng"),
    "dict-freedict-eng-cym": dictd_files("freedict-eng-cym"),
    "dict-freedict-gle-eng": dictd_files("freedict-gle-eng"),
    "dict-freedict-eng-gle": dictd_files("freedict-eng-gle"),
    "dict-freedict-isl-eng": dictd_files("freedict-isl-eng"),
    "dict-freedict-swh-eng": dictd_files("freedict-swh-eng"),
    "dict-freedict-eng-swh": dictd_files("freedict-eng-swh"),
    "dict-freedict-epo-eng": dictd_files("freedict-epo-eng"),
    # German's back-translation ranking (BACK_TRANSLATIONS)
    "dict-freedict-eng-deu": dictd_files("freedict-eng-deu"),
    "apertium-rus-ukr": [f"{APERTIUM_RU_UK}/ukr-rus.automorf.bin",
                         f"{APERTIUM_RU_UK}/ukr-rus.autobil.bin"],
    "lttoolbox-dev": ["/usr/bin/lt-print"],  # reads Apertium's transducers
    "lttoolbox": ["/usr/bin/lt-proc"],       # runs them
    "apertium-isl-eng": [f"{APERTIUM}/apertium-isl-eng/isl-eng.automorf.bin",
                         f"{APERTIUM}/apertium-isl-eng/isl-eng.autobil.bin"],
    "apertium-br-fr": [f"{APERTIUM}/apertium-br-fr/br-fr.automorf.bin",
                       f"{APERTIUM}/apertium-br-fr/br-fr.autobil.bin"],
    "apertium-eu-en": [f"{APERTIUM}/apertium-eu-en/eu-en.autobil.bin"],
    "apertium-urd-hin": [f"{APERTIUM}/apertium-urd-hin/urd-hin.automorf.bin",
                         f"{APERTIUM}/apertium-urd-hin/urd-hin.autobil.bin",
                         f"{APERTIUM}/apertium-urd-hin/urd-hin.autogen.bin"],
    "apertium-eng-spa": [f"{APERTIUM}/apertium-eng-spa/spa-eng.automorf.bin",
                         f"{APERTIUM}/apertium-eng-spa/spa-eng.autobil.bin"],
    "apertium-spa-ita": [f"{APERTIUM}/apertium-spa-ita/ita-spa.automorf.bin",
                         f"{APERTIUM}/apertium-spa-ita/ita-spa.autobil.bin"],
    "apertium-fr-es": [f"{APERTIUM}/apertium-fr-es/fr-es.automorf.bin",
                       f"{APERTIUM}/apertium-fr-es/fr-es.autobil.bin"],
    "apertium-es-pt": [f"{APERTIUM}/apertium-es-pt/pt-es.automorf.bin",
                       f"{APERTIUM}/apertium-es-pt/pt-es.autobil.bin"],
    "wspanish": ["/usr/share/dict/spanish"],
    "witalian": ["/usr/share/dict/italian"],
    "wfrench": ["/usr/share/dict/french"],
    "wportuguese": ["/usr/share/dict/portuguese"],
    "apertium-eng-cat": [f"{APERTIUM}/apertium-eng-cat/cat-eng.automorf.bin",
                         f"{APERTIUM}/apertium-eng-cat/cat-eng.autobil.bin"],
    "wcatalan": ["/usr/share/dict/catalan"],
    "apertium-es-ro": [f"{APERTIUM}/apertium-es-ro/ro-es.automorf.bin",
                       f"{APERTIUM}/apertium-es-ro/ro-es.autobil.bin"],
    "hunspell-ro": ["/usr/share/hunspell/ro_RO.dic"],
    "libhangul-data": [HANJA],
    "edict": [EDICT],
    "kanjidic-xml": [KANJIDIC],
    "unicode-data": [f"{UNIHAN}/Unihan_Readings.txt.bz2",
                     f"{UNIHAN}/Unihan_Variants.txt.bz2"],
    "python3-stemmer": [],  # checked by importing Stemmer
}
# The background sample (background.tsv): maint-guide, one package per
# language; neardup's language code for each.
MAINT_GUIDE = [("maint-guide", "en"), ("maint-guide-de", "de"),
               ("maint-guide-es", "es"), ("maint-guide-fr", "fr"),
               ("maint-guide-it", "it"), ("maint-guide-ja", "ja"),
               ("maint-guide-ru", "ru"), ("maint-guide-zh-cn", "zh"),
               ("maint-guide-zh-tw", "zh")]
for _pkg, _lang in MAINT_GUIDE:
    REQUIRED[_pkg] = [f"/usr/share/doc/{_pkg}/html"]
# Then two more translated Debian manuals that no evaluation set uses, for
# the languages maint-guide lacks (session 30): Portuguese (the Debian Edu
# manual), Czech and Finnish (aptitude's), Dutch (both). Without a
# background in a language, a translation link into it has no background
# level to reach (docs/crosslingual.md, "Translation links where the
# background lacks a language"). Each comes in the other languages it has
# too, so that a pair of languages is sampled within one manual
# (BackgroundSamples, calibration.h). (package, language, source, path):
# a page of one section per heading, or a folder of chunks, one each.
_EDU = "/usr/share/doc/debian-edu-doc"
_EDU_LANGS = [("en", "en"), ("de", "de"), ("es", "es"), ("fr", "fr"),
              ("it", "it"), ("ja", "ja"), ("nl", "nl"), ("pt-br", "pt"),
              ("zh-cn", "zh")]
_APTITUDE_LANGS = ["en", "es", "fr", "it", "ja", "ru", "cs", "fi", "nl"]
MORE_BACKGROUND = (
    [(f"debian-edu-doc-{d}", lang, "debian-edu",
      f"{_EDU}-{d}/debian-edu-bookworm-manual.html") for d, lang in _EDU_LANGS]
    + [(f"aptitude-doc-{lang}", lang, "aptitude",
        f"/usr/share/doc/aptitude/html/{lang}") for lang in _APTITUDE_LANGS])
for _pkg, _lang, _src, _path in MORE_BACKGROUND:
    REQUIRED[_pkg] = [_path]
# Recorded in MANIFEST too: their versions can change the output.
EXTRA_VERSIONED = ["libstemmer0d", "python3-icu", "libicu72"]


def die(msg):
    print("build-lexicon: error: " + msg, file=sys.stderr)
    sys.exit(2)


def installed(pkg):
    try:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg],
                           capture_output=True, text=True)
    except OSError:
        return False
    return r.stdout.endswith("installed") and "not-installed" not in r.stdout


def check_packages():
    problems = []
    excluded = []  # installed, but their files are not there
    for pkg, files in REQUIRED.items():
        missing = [f for f in files if not os.path.exists(f)]
        if missing and installed(pkg):
            excluded.append(pkg)
        elif missing:
            problems.append(f"package {pkg} is missing ({', '.join(missing)})")
    if excluded:
        # Slim images (Docker's Debian ones among them) tell dpkg not to
        # unpack /usr/share/doc, where the background's manuals are.
        die(f"{', '.join(excluded)} installed, but without their files under "
            "/usr/share/doc (a dpkg path-exclude, as slim container images "
            "set in /etc/dpkg/dpkg.cfg.d/): allow them, e.g.\n"
            "  echo 'path-include=/usr/share/doc/*/html/*' > "
            "/etc/dpkg/dpkg.cfg.d/neardup-docs\n"
            "  echo 'path-include=/usr/share/doc/debian-edu-doc-*' >> "
            "/etc/dpkg/dpkg.cfg.d/neardup-docs\n"
            f"  apt-get install --reinstall -y {' '.join(excluded)}")
    try:
        import Stemmer  # noqa: F401
    except ImportError:
        problems.append("package python3-stemmer is missing "
                        "(cannot import Stemmer)")
    try:
        import icu  # noqa: F401
    except ImportError:
        problems.append("package python3-icu is missing (cannot import icu)")
    if problems:
        pkgs = " ".join(sorted({p.split()[1] for p in problems}))
        die("; ".join(problems) +
            f"\n  install with: apt-get install -y {pkgs}")


if __name__ == "__main__" and sys.argv[1:] == ["--list-packages"]:
    # The Debian packages this script reads, one a line, checked against
    # scripts/install-deps.sh by tests/setup_packages_test.py.
    print("\n".join(sorted(set(REQUIRED) | {"python3-icu"})))
    sys.exit(0)
check_packages()
import Stemmer  # noqa: E402  (after the check so a missing package is named)
import icu  # noqa: E402

# ---------------------------------------------------------------- glosses

# English stopwords: dropped from glosses here and from English text by the
# C++ side (written out as en.stop).
EN_STOP = frozenset("""
a an the of to in on at by for with from and or not no nor but as is are was
were be been being it its this that these those there here than then so such
into onto out up down over under about above below one ones some any all each
every other another sth sb something someone somebody anything etc e g i.e eg
ie you your he she they we i me my his her their our us them him do does did
done have has had having can could may might must shall should will would
very more most less least much many also only just which who whom whose what
when where why how if oneself own self same kind thing way make makes made get
gets got give gave put take let
""".split())

SNOWBALL = {"en": "english", "de": "german", "fr": "french",
            "it": "italian", "es": "spanish", "pt": "portuguese",
            "ru": "russian", "nl": "dutch", "sv": "swedish", "da": "danish",
            "el": "greek", "ar": "arabic", "ro": "romanian",
            "id": "indonesian", "fi": "finnish", "lt": "lithuanian",
            "hu": "hungarian", "tr": "turkish",
            # No Croatian Snowball stemmer: Serbian's, whose Latin-script
            # rules are Croatian's (the languages share their inflection).
            "hr": "serbian", "ca": "catalan", "hi": "hindi",
            "no": "norwegian", "ga": "irish"}
STEM = {lang: Stemmer.Stemmer(alg) for lang, alg in SNOWBALL.items()}
EN = STEM["en"]

WORD = re.compile(r"[a-z][a-z'\-]*")
WORD_ANY_CASE = re.compile(r"[A-Za-z][A-Za-z'\-]*")
BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|<[^>]*>|/[^/]*/")


def norm(s):
    """Key normalization shared with the C++ side: NFKC, then casefold."""
    return unicodedata.normalize("NFKC", s).casefold()


# How often each stem of a gloss word is written in lower case and
# capitalized: a stem written in lower case at least as often is a common
# word, the others are names (Putin, put in by a typo once); en_vocab.tsv
# holds the common words the tables gloss to (Writer.vocabulary).
CASE_COUNTS = collections.defaultdict(lambda: [0, 0])  # stem -> [lower, upper]


def gloss_stems(text, maxw=3):
    """English gloss phrase -> up to maxw distinct stems of content words.

    Bracketed parts ((...) [...] {...} <...> /.../) are dropped first:
    they hold labels, grammar and pronunciation, not the translation.
    Every word is counted in CASE_COUNTS as written.
    """
    for w in WORD_ANY_CASE.findall(BRACKETS.sub("", unicodedata.normalize("NFKC", text))):
        CASE_COUNTS[EN.stemWord(norm(w).strip("-'"))][0 if w[:1].islower() else 1] += 1
    t = BRACKETS.sub("", norm(text))
    out = []
    for w in WORD.findall(t):
        w = w.strip("-'")
        if len(w) < 2 or w in EN_STOP:
            continue
        s = EN.stemWord(w)
        if s not in out:
            out.append(s)
            if len(out) >= maxw:
                break
    return out


def add(lex, key, stems):
    """Append stems to lex[key] in order, without duplicates, capped."""
    if not stems or not key:
        return
    cur = lex.setdefault(key, [])
    for s in stems:
        if len(cur) >= MAX_STEMS:
            break
        if s not in cur:
            cur.append(s)


# ---------------------------------------------------------------- dictd

B64 = {c: i for i, c in enumerate(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def b64(s):
    v = 0
    for c in s:
        v = v * 64 + B64[c]
    return v


def dictd_entries(name):
    """Yield (headword, entry text) in .index order (dictzip = gzip)."""
    if not any(f"{DICTD}/{name}.index" in files for files in REQUIRED.values()):
        # So that a dictionary read without being listed fails on the
        # machine that has it, not first on a fresh one.
        die(f"internal error: dictionary {name} is read but not listed in "
            "REQUIRED (and scripts/install-deps.sh)")
    with gzip.open(f"{DICTD}/{name}.dict.dz") as f:
        data = f.read()
    with open(f"{DICTD}/{name}.index", encoding="utf-8",
              errors="replace") as idx:
        for line in idx:
            p = line.rstrip("\n").split("\t")
            if len(p) < 3 or p[0].startswith("00-database"):
                continue
            off, size = b64(p[1]), b64(p[2])
            yield p[0], data[off:off + size].decode("utf-8", "replace")


SKIP_LINE = re.compile(
    r'^\s*(Note:|see:|Synonyms:|Antonyms?:|Example|Ex:|"|\w+:)')
SENSE_NUM = re.compile(r"^\s*\d+\.\s*")
SENSE_SPLIT = re.compile(r"[;,]|\s/\s")


def senses(text):
    """Translation phrases of a FreeDict/Ding dictd entry, in order.

    The first line is the headword; notes, synonyms, cross-references and
    quoted examples are skipped; senses are split at ; , and ' / '.
    """
    out = []
    for ln in text.split("\n")[1:]:
        if not ln.strip() or SKIP_LINE.match(ln):
            continue
        ln = SENSE_NUM.sub("", ln)
        for part in SENSE_SPLIT.split(ln):
            part = part.strip()
            if part:
                out.append(part)
    return out


# A form whose translations are all English function words (dessen ->
# "whose", dieser -> "this"; the translations of "the" in an eng-X dictionary)
# is a function word itself: written to LANG.tsv with the gloss STOP, and
# the C++ side makes no feature of it, as of an English stopword. Only
# forms that no dictionary glosses otherwise.
STOP = "-"


def ding_entry(text):
    """A Ding entry (german-english) as senses() reads it, or None for a
    phrase. Ding writes the German side's first word on the first line,
    the rest of it on lines indented by one space (grammar such as "{n}
    [adm.]", or more words: "das" + "(Thermometer) steht auf ..."), and
    the English side indented by three. dictd indexes a phrase under its
    first word: read as senses, its German words glossed das as
    "thermometer", der as "jargon", mit as "joint"."""
    lines = text.split("\n")
    i = 1
    while i < len(lines) and lines[i].startswith(" ") and not lines[i].startswith("   "):
        i += 1
    german = BRACKETS.sub(" ", " ".join(lines[:i]))
    if len(german.split()) != 1:  # E-Mail is one word
        return None
    return "\n".join(lines[:1] + lines[i:])


def name_fragment(text):
    """True for a dictd entry whose headword, written with a capital, is a
    word of a longer name that its translation writes whole: FreeDict
    ita-eng's Città (of Città del Capo, the rest lost) as Cape Town."""
    lines = text.lstrip().split("\n")
    if len(lines) < 2 or not lines[0][:1].isupper():
        return False
    words = BRACKETS.sub(" ", lines[1]).split(",")[0].split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def names_last(entries):
    """dictd entries, a headword's name fragments (name_fragment) after
    its other entries: città was glossed "cape", then "mexico", and city
    came third (session 33). A headword's entries are adjacent in the
    index."""
    group = []
    for entry in entries:
        if group and norm(group[0][0]) != norm(entry[0]):
            yield from sorted(group, key=lambda e: name_fragment(e[1]))
            group = []
        group.append(entry)
    yield from sorted(group, key=lambda e: name_fragment(e[1]))


def x_eng(lex, name, stops=None, seen=None):
    """X->English dictionary: headword -> stems of its first 4 senses, a
    headword's name fragments last (names_last). With `seen` (headword ->
    stem -> its place), every stem of those senses is also noted there in
    the order read, not only the first MAX_STEMS (rank_by_back_translation
    ranks them)."""
    for head, text in names_last(dictd_entries(name)):
        key = norm(head)
        if name == "german-english":
            text = ding_entry(text)
            if text is None:
                continue
        glossed = function = False
        for s in senses(text)[:4]:
            st = gloss_stems(s)
            add(lex, key, st)
            if seen is not None:
                for x in st:
                    seen[key].setdefault(x, len(seen[key]))
            glossed = glossed or bool(st)
            function = function or bool(WORD.findall(BRACKETS.sub("", norm(s))))
        if stops is not None and function and not glossed and " " not in key:
            stops.add(key)


PAREN_ANGLE = re.compile(r"\([^)]*\)|<[^>]*>")


def eng_x(lex, name, stops=None):
    """English->X dictionary, inverted: single-word translation -> stem of
    the single-word English headword. A word's glosses come in the order of
    where it stands among the headwords' translations, first translations
    first, then in the dictionary's order; until session 19 in the
    dictionary's (alphabetical) order only. Hindi अच्छा, the first
    translation of "good" and a later one of "decent", was "decent" and is
    "good"; अकाल was "dearth" and is "famine"."""
    ranked = collections.defaultdict(list)  # word -> (position, order, stems)
    for order, (head, text) in enumerate(dictd_entries(name)):
        if " " in head.strip():
            continue
        # The index has the headword in lower case, the entry as written
        # (Biden, Putin: names, CASE_COUNTS).
        written = text.lstrip()[:len(head)]
        st = gloss_stems(written if norm(written) == norm(head) else head, 1)
        if not st:
            if stops is not None and norm(head).strip() in EN_STOP:
                for s in senses(text)[:6]:
                    s = norm(PAREN_ANGLE.sub("", s)).strip()
                    if s and " " not in s:
                        stops.add(s)
            continue
        for position, s in enumerate(senses(text)[:6]):
            s = norm(PAREN_ANGLE.sub("", s)).strip()
            if s and " " not in s:
                ranked[s].append((position, order, st))
    for s in sorted(ranked):
        for _, _, st in sorted(ranked[s], key=lambda r: r[:2]):
            add(lex, s, st)


def stem_map(lex, lang, merge):
    """Snowball stem of each single-word form -> stems.

    Forms are visited in sorted order; the first form of a stem gives its
    stems. With merge, stems of later forms fill up to MAX_STEMS (used only
    internally, for the Russian chaining, as in the prototype).
    """
    st = STEM[lang]
    out = {}
    for k in sorted(lex):
        if " " in k or lex[k] == [STOP]:
            continue
        sk = st.stemWord(k)
        if sk not in out:
            out[sk] = list(lex[k])
        elif merge:
            add(out, sk, lex[k])
    return out


# ---------------------------------------------------------------- languages

# lang -> (X->eng dictionaries, eng->X dictionaries to invert)
EUROPEAN = [
    ("de", ["freedict-deu-eng", "german-english"], []),
    ("fr", ["freedict-fra-eng"], ["freedict-eng-fra"]),
    ("it", ["freedict-ita-eng"], ["freedict-eng-ita"]),
    ("es", ["freedict-spa-eng"], ["freedict-eng-spa"]),
    ("pt", ["freedict-por-eng"], ["freedict-eng-por"]),
    ("nl", ["freedict-nld-eng"], ["freedict-eng-nld"]),
    ("sv", ["freedict-swe-eng"], ["freedict-eng-swe"]),
    ("da", ["freedict-dan-eng"], ["freedict-eng-dan"]),
    ("el", ["freedict-ell-eng"], ["freedict-eng-ell"]),
    ("cs", ["freedict-ces-eng"], ["freedict-eng-ces"]),
    ("pl", ["freedict-pol-eng"], ["freedict-eng-pol"]),
    ("ar", ["freedict-ara-eng"], ["freedict-eng-ara"]),
    ("ro", [], ["freedict-eng-rom"]),
    ("id", [], ["freedict-eng-ind"]),
    ("fi", ["freedict-fin-eng"], ["freedict-eng-fin"]),
    ("lt", ["freedict-lit-eng"], ["freedict-eng-lit"]),
    ("hu", ["freedict-hun-eng"], ["freedict-eng-hun"]),
    ("tr", ["freedict-tur-eng"], ["freedict-eng-tur"]),
    ("hr", ["freedict-hrv-eng"], ["freedict-eng-hrv"]),
    ("ca", [], []),  # Apertium only (APERTIUM_ROMANCE)
    # Small tables; the C++ side falls back to Czech's for Slovak and to
    # Russian's for Bulgarian, and tries Slavic endings (no stemmers).
    ("sk", ["freedict-slk-eng"], []),
    ("sl", ["freedict-slv-eng"], []),
    ("bg", [], ["freedict-eng-bul"]),
    ("hi", [], ["freedict-eng-hin"]),
    # Norwegian (Bokmål; the C++ side reads it for nb, nn and no).
    ("no", [], ["freedict-eng-nor"]),
    # Small FreeDict tables (1,200-12,600 headwords; Esperanto 190,000).
    ("af", ["freedict-afr-eng"], ["freedict-eng-afr"]),
    ("cy", ["freedict-cym-eng"], ["freedict-eng-cym"]),
    ("ga", ["freedict-gle-eng"], ["freedict-eng-gle"]),
    ("is", ["freedict-isl-eng"], []),
    ("sw", ["freedict-swh-eng"], ["freedict-eng-swh"]),
    ("eo", ["freedict-epo-eng"], []),
]
RU_CHAINS = [("de", "freedict-deu-rus"), ("fr", "freedict-fra-rus"),
             ("it", "freedict-ita-rus")]
RU_WORD = re.compile(r"^[а-яё\-]+$")
PAREN = re.compile(r"\([^)]*\)")
RU_SPLIT = re.compile(r"[;,]")


# X->English dictionaries list a headword's senses in no order of use:
# FreeDict's and Ding's German glossed Seite as "spin", Haus as
# "establishment", Zeit as "spell" and Mann as "husband", and the
# featurizer takes a form's first stem. So German's stems are ranked by how
# the English words translate back (session 33): first the stems of English
# words whose entry in an English->German dictionary (there each sense of
# an English word has an entry of its own) gives the form as its first
# translation (page -> Seite, man -> Mann, house -> Haus; not husband ->
# Ehemann, Mann), then the others, each in the German->English order.
# Fenster stays "box" before "window": box -> Fenster is a first
# translation too. The same rule for the other languages of EUROPEAN, by
# their English->X dictionaries, was measured and not kept: their
# X->English order is better than German's (temps: time, weather), and a
# form that is the first translation of a rarer English word moved ahead
# (weather -> temps, while -> tiempo); LibreOffice among 100,000 documents
# lost 0.009 (docs/crosslingual.md). lang -> English->X dictionaries.
BACK_TRANSLATIONS = {"de": ["freedict-eng-deu", "english-german"]}


def first_translations(names):
    """The (X form, English stem) pairs where the form is the first
    translation in an entry of an English headword with that stem, in the
    English->X dictionaries `names`."""
    pairs = set()
    for name in names:
        for head, text in dictd_entries(name):
            if " " in head.strip():
                continue
            st = gloss_stems(head, 1)
            if not st:
                continue
            for s in senses(text)[:6]:
                # "seite s.", "datei {f} [comp.]": the word, without its
                # grammar, labels, abbreviations and pronunciation.
                words = [w for w in norm(BRACKETS.sub(" ", s)).split()
                         if not w.endswith(".")]
                if words:
                    if len(words) == 1:
                        pairs.add((words[0], st[0]))
                    break
    return pairs


def rank_by_back_translation(lex, seen, back):
    """Re-ranks the stems x_eng gave each form of lex, from all the senses
    it read (`seen`, not only its first MAX_STEMS stems): those whose
    English word translates back to the form (`back`, first_translations)
    first."""
    for key, order in seen.items():
        if key not in lex or lex[key] == [STOP]:
            continue
        ranked = sorted(order, key=lambda st: ((key, st) not in back, order[st]))
        lex[key] = ranked[:MAX_STEMS]


def build_european(lang, xe, ex, stops):
    lex = {}
    seen = collections.defaultdict(dict) if lang in BACK_TRANSLATIONS else None
    for n in xe:
        x_eng(lex, n, stops, seen)
    if seen is not None:
        rank_by_back_translation(lex, seen, first_translations(BACK_TRANSLATIONS[lang]))
    for n in ex:
        eng_x(lex, n, stops)
    return lex


def with_stops(lex, stops):
    """lex plus its function words (STOP): the forms whose every
    translation is an English stopword, that no dictionary glosses
    otherwise (dessen: "whose"; dieser: "this"). Snowball's stop lists
    (Lingua::StopWords) were tried on top, overriding the dictionaries'
    glosses of der, est or pas ("jargon", "east", "pace"): GNOME cut
    0.952 -> 0.951, UDHR 0.987 -> 0.973, history 0.883 -> 0.868, since
    they drop words whose English side is kept (jeder, everyone).
    Measured again on 2026-12-04 (session 16; de 187 -> 390 function
    words, it 22 -> 291), though die, der, das still gloss as "relat" and
    und as "well": GNOME 0.989 -> 0.991 and fewer false pairs where
    translations are missing in GNOME (87 -> 59) and the UDHR (57 -> 38),
    but GNOME cut 0.962 -> 0.954 and more false pairs in dev (247 -> 283),
    the FAQ (135 -> 147) and the press releases (334 -> 363): a
    document's scores rise with fewer features, the unrelated pairs'
    too. Left out again."""
    out = dict(lex)
    for w in stops:
        if w not in out and LETTERS.match(w):
            out[w] = [STOP]
    return out


# Romance languages whose FreeDict dictionaries are small (a third to half
# of the words of a page found) or missing (Catalan): the word list of
# their Debian package, analysed by an Apertium pair (form -> lemma), then
# translated by Apertium's bilingual dictionaries to English, through
# Spanish where the pair is not with English. lang -> (word list,
# analyser, dictionaries in order).
SPA_ENG = "apertium-eng-spa/spa-eng.autobil.bin"
APERTIUM_ROMANCE = {
    "es": ("/usr/share/dict/spanish", "apertium-eng-spa/spa-eng.automorf.bin", [SPA_ENG]),
    "it": ("/usr/share/dict/italian", "apertium-spa-ita/ita-spa.automorf.bin",
           ["apertium-spa-ita/ita-spa.autobil.bin", SPA_ENG]),
    "fr": ("/usr/share/dict/french", "apertium-fr-es/fr-es.automorf.bin",
           ["apertium-fr-es/fr-es.autobil.bin", SPA_ENG]),
    "pt": ("/usr/share/dict/portuguese", "apertium-es-pt/pt-es.automorf.bin",
           ["apertium-es-pt/pt-es.autobil.bin", SPA_ENG]),
    "ca": ("/usr/share/dict/catalan", "apertium-eng-cat/cat-eng.automorf.bin",
           ["apertium-eng-cat/cat-eng.autobil.bin"]),
    # Romanian: FreeDict's eng-rom has 772 forms; the words of LibreOffice's
    # hunspell dictionary (its .dic, without affix flags), through
    # Apertium's Romanian-Spanish pair.
    "ro": ("/usr/share/hunspell/ro_RO.dic", "apertium-es-ro/ro-es.automorf.bin",
           ["apertium-es-ro/ro-es.autobil.bin", SPA_ENG]),
}
LETTERS = re.compile(r"^[^\W\d_]+(?:·[^\W\d_]+)*$")  # Catalan l·l


def lt_proc(args, units):
    """Apertium's lt-proc over a list of units (one per line); returns, for
    each, its readings: '^a/b/c$' -> ['b', 'c'] ([] when unknown: '*a')."""
    r = subprocess.run(["lt-proc"] + args, input="".join(u + "\n" for u in units),
                       capture_output=True, text=True, check=True,
                       env=dict(os.environ, LC_ALL="C.UTF-8"))
    out = []
    for unit in re.findall(r"\^(.*?)\$", r.stdout):
        readings = unit.split("/")[1:]
        out.append([x for x in readings if not x.startswith(("*", "@", "#"))])
    if len(out) != len(units):
        die(f"lt-proc {' '.join(args)}: {len(out)} readings for {len(units)} units")
    return out


def translate(dictionary, analyses):
    """Each lemma<tags> (or None) -> its first translation's lemma<tags>,
    or None."""
    todo = sorted({a for a in analyses if a})
    out = lt_proc(["-b", f"{APERTIUM}/{dictionary}"], [f"^{a}$" for a in todo])
    first = {a: r[0] for a, r in zip(todo, out) if r}
    return [first.get(a) if a else None for a in analyses]


def apertium_romance(lang, lex):
    """Forms of the word list that the FreeDict tables miss (neither the
    form nor its Snowball stem), glossed through Apertium: the first
    analysis that translates, its first English lemma, stemmed."""
    words_file, analyser, dictionaries = APERTIUM_ROMANCE[lang]
    st = STEM[lang]
    known_stems = {st.stemWord(k) for k in lex if " " not in k}
    words = []
    for ln in open(words_file, encoding="utf-8", errors="replace"):
        w = norm(ln.strip().split("/")[0])  # a hunspell .dic: word/FLAGS
        if LETTERS.match(w) and w not in lex and st.stemWord(w) not in known_stems:
            words.append(w)
    words = sorted(set(words))
    analyses = lt_proc(["-a", f"{APERTIUM}/{analyser}"], words)
    flat = [a for readings in analyses for a in readings]
    english = flat
    for d in dictionaries:
        english = translate(d, english)
    first = {}
    for a, e in zip(flat, english):
        if e and a not in first:
            first[a] = e
    added = {}
    for w, readings in zip(words, analyses):
        for a in readings:
            m = APERTIUM_LEMMA.match(first.get(a) or "")
            stems = gloss_stems(m.group(1), 1) if m else []
            if stems:
                added[w] = stems
                break
    return added


def build_russian(lexes, stops):
    """No ru->en dictionary in Debian: invert eng-rus, then chain the
    de/fr/it->ru dictionaries through the de/fr/it->en lexicons."""
    ru = {}
    eng_x(ru, "freedict-eng-rus", stops)
    for lang, name in RU_CHAINS:
        src = lexes[lang]
        sm = stem_map(src, lang, merge=True)
        st = STEM[lang]
        for head, text in dictd_entries(name):
            k = norm(head)
            g = src.get(k) or sm.get(st.stemWord(k))
            if not g:
                continue
            # The line after the headword holds the Russian equivalents.
            for ln in text.split("\n")[1:2]:
                for p in RU_SPLIT.split(ln):
                    p = norm(PAREN.sub("", p)).strip()
                    if p and " " not in p and RU_WORD.match(p):
                        add(ru, p, g[:2])
    return ru


def is_lower_letter(symbol):
    """A lower-case letter, or a letter of a script without case (Urdu's
    Arabic letters; not the modifier letters of the Latin blocks, such as
    Breton's cʼh, which the pairs' other paths spell c'h)."""
    return symbol.islower() or (symbol.isalpha() and ord(symbol[0]) >= 0x370 and
                                symbol == symbol.lower() == symbol.upper())


def transducer_paths(path, words_only=False):
    """(input, output) of every path of a compiled Apertium transducer,
    read through lt-print's ATT listing. A path never visits a state twice:
    the cycles are the patterns for numbers and punctuation, which are not
    words; so are paths that start with anything but a letter. With
    words_only, an input is a lower-case word (letters, then also ' and -;
    a script without case is lower case: Urdu),
    then tags (a bilingual dictionary's lemma<n>): the sections that
    generate abbreviations, acronyms and names, whose paths run into
    millions in some pairs (mkd-eng, gl-en), are left out."""
    att = subprocess.run(["lt-print", path], capture_output=True, text=True,
                         check=True, env=dict(os.environ, LC_ALL="C.UTF-8")).stdout
    sym = {"ε": "", "@0@": "", "@_SPACE_@": " "}
    for section in att.split("\n--\n"):
        arcs = collections.defaultdict(list)
        final = set()
        for ln in section.split("\n"):
            p = ln.split("\t")
            if len(p) >= 4:
                arcs[int(p[0])].append((int(p[1]), sym.get(p[2], p[2]),
                                        sym.get(p[3], p[3])))
            elif p[0].strip():
                final.add(int(p[0]))
        stack = [(0, "", "", (0,))]
        while stack:
            state, a, b, seen = stack.pop()
            if state in final:
                yield a, b
            for to, i, o in arcs.get(state, ()):
                if to in seen or (not a and i and not i[0].isalpha()):
                    continue
                if words_only and i and not (
                        (i.startswith("<") and a) or
                        ("<" not in a and (is_lower_letter(i) or (a and i in "'-")))):
                    continue
                stack.append((to, a + i, b + o, seen + (to,)))


APERTIUM_LEMMA = re.compile(r"^([^<]+)(<[^>]+>)")


def apertium_bidix(bidix):
    """(lemma, first tag) -> the target lemmas of an Apertium pair's
    bilingual dictionary, in its order."""
    to = collections.defaultdict(list)
    for a, b in transducer_paths(f"{APERTIUM}/{bidix}", words_only=True):
        ma, mb = APERTIUM_LEMMA.match(a), APERTIUM_LEMMA.match(b)
        if ma and mb:
            key = (norm(ma.group(1)), ma.group(2))
            t = mb.group(1).rstrip("¹²³⁴⁵")  # homonym marks
            if t not in to[key]:
                to[key].append(t)
    return to


def stop_only_if_every_reading(lex):
    """A form is a function word (STOP) only when every reading is one: a
    form with a content reading as well keeps that one (Ukrainian що: a
    pronoun and a conjunction, both stop words). Changes lex; returns it."""
    for v in lex.values():
        if STOP in v and len(v) > 1:
            v.remove(STOP)
    return lex


def english_of(lemmas, via, lexes):
    """Up to 2 English stems for a word whose translations are `lemmas`:
    English ones stemmed (via None), else looked up in the `via` lexicon by
    form or Snowball stem. [STOP] if each translation is a function word."""
    out, stop = [], False
    for t in lemmas:
        if via is None:
            words = WORD.findall(norm(t))
            g = gloss_stems(t, 1)
            if not g and words and all(w in EN_STOP for w in words):
                stop = True
        else:
            k = norm(t)
            g = lexes[via].get(k) or lexes[via + ".stem"].get(STEM[via].stemWord(k)) or []
            if not g and k in lexes[via + ".stops"]:
                stop = True
        for x in g[:2]:
            if x not in out and len(out) < 2:
                out.append(x)
    return out or ([STOP] if stop else [])


# Persian's function words (no Debian package lists them): fa.tsv, each
# glossed as a function word; its other words are looked up in Urdu's and
# Arabic's tables (src/neardup/crosslingual.cc, kBorrowedTables), where
# these would find wrong glosses (به "to" as Urdu's "bow"). As the C++ side
# normalizes them: the zero-width non-joiner dropped (میشود).
PERSIAN_STOP = frozenset("""
و در به از که این آن را با است برای یا تا بر هر هم نیز باید شود شده میشود
می نمی بود بودن شد کند کرد کرده دارد داشت هست نیست اند ای های ها خود وی او
ما شما آنها ایشان من تو اگر چون چه ولی اما پس نه همه هیچ یک دیگر بین روی
زیرا مگر آیا بی کسی چیزی باشد باشند دهد گردد
""".split())

# Apertium's tags of function words: postpositions, pronouns, the verb
# "to be" and auxiliaries, determiners, conjunctions.
APERTIUM_FUNCTION_TAGS = frozenset(
    "<post> <pr> <prn> <vbser> <vaux> <det> <cnjcoo> <cnjsub> <cnjadv>".split())


def apertium_function_forms(generator):
    """The one-word forms an Apertium generator (lemma and tags -> form)
    makes of function words (APERTIUM_FUNCTION_TAGS)."""
    out = set()
    for a, b in transducer_paths(f"{APERTIUM}/{generator}"):
        m = APERTIUM_LEMMA.match(a)
        if m and m.group(2) in APERTIUM_FUNCTION_TAGS and b and " " not in b:
            out.add(norm(b))
    return out


def apertium_forms(analyser, bidix, via, lexes, function_tags=frozenset()):
    """Every lower-case form of an Apertium analyser, glossed through its
    lemma's translations (english_of). For a language whose pair has an
    analyser of manageable size (is: 107,000 forms, br: 240,000). A form
    with any reading tagged as in `function_tags` is a function word
    (Urdu کی: "of", and a form of "to do"), whatever the via lexicon says."""
    to = apertium_bidix(bidix)
    out, function = {}, set()
    for a, b in sorted(transducer_paths(f"{APERTIUM}/{analyser}", words_only=True)):
        m = APERTIUM_LEMMA.match(b)
        if not m or " " in a:
            continue
        if m.group(2) in function_tags:
            function.add(norm(a))
        g = english_of(to.get((norm(m.group(1)), m.group(2)), ()), via, lexes)
        if g:
            add(out, norm(a), g)
    for form in function:
        out[form] = [STOP]
    return stop_only_if_every_reading(out)


def apertium_lemmas(bidix, via, lexes):
    """The lemmas of an Apertium pair's bilingual dictionary, glossed as
    apertium_forms does (Basque: its analyser's agglutinated forms run into
    millions, so the C++ side looks up a word's longest known head)."""
    out = {}
    for (lemma, _), targets in sorted(apertium_bidix(bidix).items()):
        g = english_of(targets, via, lexes)
        if g and " " not in lemma:
            add(out, lemma, g)
    return stop_only_if_every_reading(out)


def build_ukrainian(ru):
    """No Ukrainian-English dictionary in Debian: Apertium's Russian-
    Ukrainian pair gives each Ukrainian word form its lemma (the pair's
    Ukrainian analyser) and the lemma its Russian equivalents (the pair's
    bilingual dictionary), which the Russian lexicon glosses, by form or
    by Snowball stem, two stems each, as the Russian chains do."""
    ru_stem = stem_map(ru, "ru", merge=False)
    st = STEM["ru"]
    to_ru = collections.defaultdict(list)  # (uk lemma, part of speech) -> ru
    for a, b in transducer_paths(f"{APERTIUM_RU_UK}/ukr-rus.autobil.bin"):
        ma, mb = APERTIUM_LEMMA.match(a), APERTIUM_LEMMA.match(b)
        if ma and mb:
            r = norm(mb.group(1).rstrip("¹²³⁴⁵"))  # homonym marks (NFKC makes them digits)
            key = (norm(ma.group(1)), ma.group(2))
            if r not in to_ru[key]:
                to_ru[key].append(r)
    uk = {}
    for a, b in sorted(transducer_paths(
            f"{APERTIUM_RU_UK}/ukr-rus.automorf.bin")):
        m = APERTIUM_LEMMA.match(b)
        if not m or " " in a:
            continue
        for r in to_ru.get((norm(m.group(1)), m.group(2)), ()):
            g = ru.get(r) or ru_stem.get(st.stemWord(r))
            if g:
                add(uk, norm(a), g[:2])
    return stop_only_if_every_reading(uk)


EDICT_LINE = re.compile(r"^(\S+)(?:\s+\[([^\]]+)\])?\s+/(.*)/\s*$")
PAREN_LAZY = re.compile(r"\(.*?\)")


def build_japanese():
    """EDICT (EUC-JP): 'KANJI;KANJI [KANA;KANA] /gloss/gloss/.../'.
    Every kanji and kana form -> stems of the first 3 glosses (2 each)."""
    ja = {}
    with open(EDICT, encoding="euc_jp", errors="replace") as f:
        for ln in f:
            m = EDICT_LINE.match(ln)
            if not m:
                continue
            forms = m.group(1).split(";")
            if m.group(2):
                forms += m.group(2).split(";")
            glosses = [g for g in m.group(3).split("/")
                       if g and not g.startswith("EntL") and g != "(P)"]
            stems = []
            for g in glosses[:3]:
                for s in gloss_stems(g, 2):
                    if s not in stems:
                        stems.append(s)
            for form in forms:
                form = PAREN_LAZY.sub("", form)  # (P), (iK), ... markers
                if form:
                    add(ja, norm(form), stems[:4])
    return ja


def unihan(fn):
    with bz2.open(f"{UNIHAN}/{fn}", "rt", encoding="utf-8") as f:
        for ln in f:
            if ln.startswith("U+"):
                c, field, v = ln.rstrip("\n").split("\t", 2)
                yield chr(int(c[2:], 16)), field, v


ZH_VARIANT_FIELDS = ("kTraditionalVariant", "kZVariant", "kSemanticVariant")


def unihan_variants():
    """Unihan_Variants.txt, read once: (char, field, [variant chars]) in
    file order ('U+81FA<kHKGlyph,kLau' -> 臺)."""
    return [(ch, field, [chr(int(x.split("<")[0][2:], 16)) for x in v.split()])
            for ch, field, v in unihan("Unihan_Variants.txt.bz2")]


KANJIDIC_CODES = ("ucs", "jis208", "jis212", "jis213")


def kanjidic_variants():
    """KANJIDIC2's variant links, as rows like unihan_variants()'s
    (char, "kKanjidicVariant", [variants]): Japanese forms and the older
    ones they replaced (権 and 權, 広 and 廣), which Unihan does not link,
    so that EDICT's 権利 is found for Korean's 權利 and Chinese's 權利,
    权利. KANJIDIC names a variant by a code (JIS or Unicode), resolved
    through the characters' own codes."""
    import xml.etree.ElementTree as ET
    by_code, links = {}, []
    with gzip.open(KANJIDIC) as f:
        for _, el in ET.iterparse(f):
            if el.tag != "character":
                continue
            ch = el.findtext("literal")
            for cp in el.iter("cp_value"):
                if cp.get("cp_type") in KANJIDIC_CODES:
                    by_code[(cp.get("cp_type"), cp.text.lower())] = ch
            for v in el.iter("variant"):
                if v.get("var_type") in KANJIDIC_CODES:
                    links.append((ch, (v.get("var_type"), v.text.lower())))
            el.clear()
    rows = collections.defaultdict(list)
    for ch, code in links:
        other = by_code.get(code)
        if other and other != ch and other not in rows[ch]:
            rows[ch].append(other)
    return [(ch, "kKanjidicVariant", rows[ch]) for ch in sorted(rows)]


def build_zh_words(ja, variant_rows):
    """EDICT's words as Chinese writes them: each word of ideographs with
    every character replaced by its Unihan simplified variant, and again by
    its traditional one (设置 and 設置 for EDICT's 設置), where that
    spelling is new; the word's glosses. Chinese text looks its words up
    here after ja.tsv (zh_words.tsv)."""
    simplified, traditional = {}, {}
    for ch, field, others in variant_rows:
        other = others[0]
        if other == ch:
            continue
        if field == "kSimplifiedVariant":
            simplified.setdefault(ch, other)
        elif field == "kTraditionalVariant":
            traditional.setdefault(ch, other)
    # A Japanese form Unihan leaves alone (権) whose KANJIDIC variant is a
    # traditional Chinese character (權, simplified 权): that is its
    # traditional spelling, and that one's simplified its simplified.
    unihan_simplified = dict(simplified)  # not the links added below
    for ch, field, others in variant_rows:
        if field != "kKanjidicVariant" or ch in traditional or ch in simplified:
            continue
        old = next((o for o in others if o in unihan_simplified), None)
        if old:
            traditional[ch] = old
            simplified[ch] = unihan_simplified[old]
    words = {}
    for form in sorted(ja):
        if len(form) < 2 or not all(is_han(c) for c in form):
            continue
        for table in (simplified, traditional):
            spelling = "".join(table.get(c, c) for c in form)
            if spelling != form and spelling not in ja and spelling not in words:
                words[spelling] = ja[form]
    return words


def build_zh_chars(variant_rows):
    """char -> (stems of the first 3 kDefinition senses, variant chars)."""
    variants = collections.defaultdict(list)
    for ch, field, others in variant_rows:
        if field in ZH_VARIANT_FIELDS:
            variants[ch].extend(others)
    rows = {}
    for ch, field, v in unihan("Unihan_Readings.txt.bz2"):
        if field != "kDefinition":
            continue
        st = []
        for sense in re.split(r"[;,]", v)[:3]:
            for x in gloss_stems(sense, 2):
                if x not in st:
                    st.append(x)
        if st:
            var = "".join(dict.fromkeys(variants.get(ch, [])))
            rows[ch] = (st[:ZH_MAX_STEMS], var)
    return rows


def is_han(ch):
    cp = ord(ch)
    return (0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or
            0x20000 <= cp <= 0x3134F)


def unihan_variant_sets(variant_rows):
    """Each character -> every character Unihan links to it as a variant
    (traditional, simplified, semantic, specialized semantic, spoofing and
    Z variants) or KANJIDIC2 does (kanjidic_variants), in both directions."""
    var = collections.defaultdict(set)
    for ch, _field, others in variant_rows:
        for other in others:
            var[ch].add(other)
            var[other].add(ch)
    return var


def build_vietnamese(han_tables, variant_rows):
    """Sino-Vietnamese words: most of Vietnamese's learned vocabulary is
    Chinese words read in Vietnamese (tự do, 自由, freedom; xã hội, 社會,
    society), written as one syllable a character. Each Han word of 2 or 3
    characters in `han_tables` (EDICT's words, then their Chinese
    spellings), read with Unihan's kVietnamese readings of its characters
    (or of their variants, for characters Unihan gives none), is keyed
    "syllable syllable", glossed as the Han word; a key two words with
    different glosses share is left out. neardup joins a Vietnamese text's
    syllables that make such a key (JoinVietnamese)."""
    read = collections.defaultdict(set)
    for ch, field, v in unihan("Unihan_Readings.txt.bz2"):
        if field == "kVietnamese":
            read[ch].update(norm(r) for r in v.split())
    var = unihan_variant_sets(variant_rows)

    def readings(ch):
        return read.get(ch) or set().union(*(read.get(v, set()) for v in var.get(ch, ())))

    glosses = collections.defaultdict(set)
    for table in han_tables:
        for word, stems in table.items():
            if not 2 <= len(word) <= 3 or not all(is_han(c) for c in word):
                continue
            if not stems or stems == [STOP]:
                continue
            for syllables in itertools.product(*(sorted(readings(c)) for c in word)):
                glosses[" ".join(syllables)].add(stems[0])
    return {k: sorted(v) for k, v in glosses.items() if len(v) == 1}


KO_MAX_SPELLINGS = 64  # spellings of a word's characters tried in EDICT


def build_korean(ja, variant_rows):
    """No Korean-English dictionary in Debian, but most Korean words of
    news and documentation are Sino-Korean: libhangul's hanja table gives
    a word written in hangul its Chinese characters (the first listing of
    a reading, all ideographs, at least two syllables), which EDICT glosses
    as Japanese: as written, or with characters replaced by their Unihan
    variants (Korean writes traditional forms: 裝置 is EDICT's 装置), the
    first of at most KO_MAX_SPELLINGS spellings that EDICT knows."""
    var = unihan_variant_sets(variant_rows)
    ko, seen = {}, set()
    with open(HANJA, encoding="utf-8") as f:
        for ln in f:
            p = ln.rstrip("\n").split(":")
            if len(p) < 2 or ln.startswith("#") or len(p[0]) < 2:
                continue
            word, hanja = norm(p[0]), p[1]
            if word in seen or len(hanja) != len(word) or \
                    not all(is_han(c) for c in hanja):
                continue
            seen.add(word)  # later listings of a reading are homophones
            spellings = itertools.product(*([c] + sorted(var[c]) for c in hanja))
            for spelling in itertools.islice(spellings, KO_MAX_SPELLINGS):
                g = ja.get(norm("".join(spelling)))
                if g:
                    ko[word] = g
                    break
    return ko


# ---------------------------------------------------------------- background

BG_MIN_CHARS = 400    # shorter sections say too little to calibrate on
BG_MAX_CHARS = 6000   # longer ones are cut, so no document dominates
SECTION = re.compile(
    r'<h[1-4] class="title"(?: style="[^"]*")?><a (?:name|id)="([^"]+)"')
SECTION_NUMBER = re.compile(r"\W*((?:\d+|[A-Z])(?:\.\d+)*)\.\s")
# English function words that no language of MORE_BACKGROUND writes: a
# section of a translation where they are a tenth of the words or more is
# left in English (the GPL's text, a chapter not yet translated: 12 of the
# Portuguese manual's 106 sections), and would stand for an unrelated pair
# of its language that it is not. English prose has 0.2-0.27, the
# translations at most 0.04 (0.076: Finnish aptitude's index, of command
# names).
EN_MARKERS = frozenset("the and of to with you this that for are which".split())
UNTRANSLATED_SHARE = 0.1


def untranslated(text):
    words = re.findall(r"\w+", text.lower())
    return sum(w in EN_MARKERS for w in words) >= UNTRANSLATED_SHARE * max(1, len(words))


def html_sections(page):
    """(anchor, text) of each DocBook section heading of an HTML page: the
    text from the heading to the next heading, tags dropped."""
    import html
    parts = SECTION.split(page)
    sections = []
    for i in range(1, len(parts), 2):
        body = re.split(r'<h[1-4] class="title"', parts[i + 1])[0]
        text = html.unescape(re.sub(r"<[^>]+>", " ", body))
        sections.append((parts[i], re.sub(r"\s+", " ", text).strip()))
    return sections


def read_page(path):
    return open(path, encoding="utf-8", errors="replace").read()


def background():
    """Rows lang<TAB>group<TAB>text, one per manual section of at least
    BG_MIN_CHARS (documents of news-article length). The manuals are
    translated section by section, and documents of one group are
    translations of each other: never an unrelated pair.

    maint-guide comes first, in every language it has: neardup samples the
    unrelated pairs of a language pair in file order (calibration.h), so
    the sources after it leave the pairs of its languages as they were.
    Their sections are grouped by what names a section in every
    translation: the section's number in a manual of one page (its anchor
    is a generated id), the chunk's file name in a chunked one; those left
    in English are left out (untranslated)."""
    rows = []
    for pkg, lang in MAINT_GUIDE:
        base = f"/usr/share/doc/{pkg}/html"
        for name in sorted(os.listdir(base)):
            if name.endswith(".html"):
                for anchor, text in html_sections(read_page(os.path.join(base, name))):
                    if len(text) >= BG_MIN_CHARS:
                        rows.append(f"{lang}\tmaint-guide/{anchor}\t"
                                    f"{text[:BG_MAX_CHARS]}")
    for _pkg, lang, source, path in MORE_BACKGROUND:
        if os.path.isdir(path):
            docs = []
            for name in sorted(os.listdir(path)):
                if name.endswith(".html"):
                    text = " ".join(t for _, t in
                                    html_sections(read_page(os.path.join(path, name))))
                    docs.append((name[:-len(".html")], text))
        else:
            docs = []
            for k, (anchor, text) in enumerate(html_sections(read_page(path))):
                m = SECTION_NUMBER.match(text.lstrip("/>"))
                docs.append((m.group(1) if m else f"unnumbered-{k}", text))
        for key, text in docs:
            if len(text) >= BG_MIN_CHARS and (lang == "en" or not untranslated(text)):
                rows.append(f"{lang}\t{source}/{key}\t{text[:BG_MAX_CHARS]}")
    return rows


# ---------------------------------------------------------------- output

def line_index(data):
    """The index neardup reads beside a table (src/neardup/line_index.h):
    "NDLXIDX2", u64 size of the table, u32 slots (a power of two >= 2 x
    keys, at least 16), u32 keys, then u32 slots holding (tag << b) | (1 +
    the byte offset of a line), b the bit width of the table's size and tag
    the key's CRC-32 >> b, placed by zlib's CRC-32 of its key (the bytes
    before the first tab) with linear probing; lines without text after the
    tab are left out, and a repeated key keeps its first line."""
    lines = []
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        if nl < 0:
            nl = len(data)
        tab = data.find(b"\t", pos, nl)
        if tab > pos and tab + 1 < nl:
            lines.append((data[pos:tab], pos))
        pos = nl + 1
    size = 16
    while size < 2 * len(lines):
        size *= 2
    mask = size - 1
    bits = max(1, len(data).bit_length())
    slots = [0] * size
    keys = {}
    for key, offset in lines:
        if key in keys:
            continue
        keys[key] = True
        crc = zlib.crc32(key)
        i = crc & mask
        while slots[i]:
            i = (i + 1) & mask
        slots[i] = offset + 1 if bits >= 32 else ((crc >> bits) << bits) | (offset + 1)
    return (b"NDLXIDX2" + struct.pack("<QII", len(data), size, len(keys)) +
            struct.pack("<%dI" % size, *slots))


# ---------------------------------------------------------------- names

# Words of an English place name that do not name it alone (United States,
# South Africa, Hong Kong SAR China): a name of several words is glossed by
# its one other word (Korea, Zealand), or not at all.
NAME_GENERIC = frozenset("""
united states kingdom republic south north east west new islands island and
the of sar china st saint central democratic people's
""".split())


def icu_words(text):
    """The words of text as ICU's word break (root locale) finds them, as
    src/neardup/normalize.cc splits a document."""
    bi = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    bi.setText(text)
    out, start = [], bi.first()
    for end in bi:
        if bi.getRuleStatus() >= 100:  # UBRK_WORD_NUMBER and above: a word
            out.append(text[start:end])
        start = end
    return out


def cldr_word_table(lang):
    """CLDR's words for `lang` by key: the exemplar city of each time zone
    ("zone/Europe:Paris"), the long names of units with their counts taken
    out ("unit/duration/hour": hour, hours), the names of date fields
    ("field/year") and of yesterday, today and tomorrow ("field/day-1" ...).
    Each key maps to the set of forms (not normalized)."""
    def bundle(package):
        return icu.ResourceBundle(package, icu.Locale(lang))

    def children(b):
        return [b.get(i) for i in range(b.getSize())]

    def string(b):
        try:
            return b.getString()
        except icu.ICUError:
            return None

    table = collections.defaultdict(set)
    try:
        for z in children(bundle("ICUDATA-zone").get("zoneStrings")):
            if ":" in z.getKey():
                try:
                    table["zone/" + z.getKey()].add(z.get("ec").getString())
                except icu.ICUError:
                    pass
    except icu.ICUError:
        pass
    try:
        for category in children(bundle("ICUDATA-unit").get("units")):
            if category.getType() != icu.UResType.TABLE:
                continue
            for unit in children(category):
                if unit.getType() != icu.UResType.TABLE:
                    continue
                if unit.getKey() in CLDR_UNITS_LEFT_OUT:
                    continue
                for form in children(unit):
                    text = string(form)
                    if text and form.getKey() not in ("per", "gender"):
                        table[f"unit/{category.getKey()}/{unit.getKey()}"].add(
                            text.replace("{0}", "").strip())
    except icu.ICUError:
        pass
    try:
        fields = bundle("ICUDATA").get("fields")
        for name in ("year", "quarter", "month", "week", "day", "hour", "minute",
                     "second"):
            try:
                table["field/" + name].add(fields.get(name).get("dn").getString())
            except icu.ICUError:
                pass
        relative = fields.get("day").get("relative")
        for offset in ("-1", "0", "1"):
            try:
                table["field/day" + offset].add(relative.get(offset).getString())
            except icu.ICUError:
                pass
    except icu.ICUError:
        pass
    return table


# Cooking measures that are common words in other senses (Belarusian
# дробкі, a pinch, is also fractions).
CLDR_UNITS_LEFT_OUT = frozenset("pinch drop dram jigger".split())

CLDR_RELATIVE_DAYS = {"field/day-1": "yesterday", "field/day0": "today",
                      "field/day1": "tomorrow"}


def cldr_words(lang, english_stem, en_words):
    """(form, English stem) pairs of cldr_word_table(lang): each key's
    English stem is the one stem all its English forms give (a city not in
    English's table is named by its key: America:New_York is New York)."""
    pairs = []
    for key, forms in cldr_word_table(lang).items():
        if key in CLDR_RELATIVE_DAYS:
            english = {CLDR_RELATIVE_DAYS[key]}
        elif key in en_words:
            english = en_words[key]
        elif key.startswith("zone/"):
            english = {key.rsplit(":", 1)[-1].replace("_", " ")}
        else:
            continue
        stems = {english_stem(e) for e in english}
        if len(stems) == 1 and None not in stems:
            pairs += [(form, next(iter(stems))) for form in forms]
    return pairs


def build_names():
    """names.tsv: the names CLDR (ICU's locale data) gives countries and
    territories, languages, months and weekdays in every language ICU has a
    locale for, keyed "lang:form" and glossed to the English name's stem.

    For languages without a dictionary (he fa th bn et lv ...) these are the
    only words glossed; neardup looks here after the language's own tables.
    Kept: names that are one word in the language (ICU's word break) of 3
    characters or more, whose English name has one word (or one besides
    NAME_GENERIC), that gloss to one stem in their language, and that an
    English stem of the form itself would not already give (Andorra). Not
    Vietnamese (below).
    Months and weekdays come from the Gregorian calendar (fa and th default
    to others), in their format and stand-alone forms (Polish grudnia,
    grudzień).
    Also CLDR's other words that news and manuals write in every language
    (cldr_words): the cities of its time zones (Paris, Tokyo), units
    (hour, kilometer, byte, percent) and the names of date fields (year,
    month, week, day, yesterday, today, tomorrow)."""
    en = icu.Locale("en")
    # The C++ side's normalization (ICU's NFKC_Casefold also drops the
    # zero-width non-joiner of Persian سه‌شنبه, which Python's casefold keeps).
    nfkc_cf = icu.Normalizer2.getNFKCCasefoldInstance()

    def english_stem(name):
        words = [norm(w) for w in icu_words(name)]
        if len(words) != 1:
            words = [w for w in words if w not in NAME_GENERIC]
        return EN.stemWord(words[0]) if len(words) == 1 else None

    # Not Vietnamese: a word there is a syllable, and its one-syllable
    # names are common words too (Pháp France and law, Anh England and
    # brother, Mỹ America and beautiful).
    langs = sorted({icu.Locale(loc).getLanguage()
                    for loc in icu.Locale.getAvailableLocales()} - {"en", "vi", ""})
    regions = [(icu.Locale("", c), english_stem(icu.Locale("", c).getDisplayCountry(en)))
               for c in icu.Locale.getISOCountries()]
    languages = [(icu.Locale(l), english_stem(icu.Locale(l).getDisplayLanguage(en)))
                 for l in langs + ["en"]]
    dfs = icu.DateFormatSymbols
    en_dates = dfs(icu.Locale("en@calendar=gregorian"))
    en_words = cldr_word_table("en")
    lex = {}
    for lang in langs:
        loc = icu.Locale(lang)
        pairs = [(r.getDisplayCountry(loc), e) for r, e in regions]
        pairs += [(l.getDisplayLanguage(loc), e) for l, e in languages]
        dates = dfs(icu.Locale(lang + "@calendar=gregorian"))
        for ctx in (dfs.FORMAT, dfs.STANDALONE):
            for get in ("getMonths", "getWeekdays"):
                mine = getattr(dates, get)(ctx, dfs.WIDE)
                english = getattr(en_dates, get)(ctx, dfs.WIDE)
                pairs += [(n, EN.stemWord(norm(e)) if e else None)
                          for n, e in zip(mine, english)]
        # A country's or language's name before a city's or a unit's:
        # Arabic الجزائر is Algeria and Algiers.
        for group in (pairs, cldr_words(lang, english_stem, en_words)):
            glosses = collections.defaultdict(set)
            for name, stem in group:
                if not stem or not name:
                    continue
                form = nfkc_cf.normalize(name)
                words = icu_words(form)
                if len(words) != 1 or words[0] != form or len(form) < 3:
                    continue
                if EN.stemWord(form) != stem:
                    glosses[form].add(stem)
            for form, stems in glosses.items():
                lex.setdefault(f"{lang}:{form}", sorted(stems))
    return {k: v for k, v in lex.items() if len(v) == 1}


class Writer:
    def __init__(self, outdir):
        self.outdir = outdir
        self.files = []  # (name, lines, sha256)
        self.vocab = set()  # every stem a table glosses to (en_vocab.tsv)

    def write(self, name, lines, t0):
        """Write lines (no trailing LF) atomically; record the checksum."""
        data = "".join(ln + "\n" for ln in lines).encode("utf-8")
        path = os.path.join(self.outdir, name)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        if name.endswith(".tsv") and name != "background.tsv":
            index = line_index(data)
            with open(path + ".idx.tmp", "wb") as f:
                f.write(index)
            os.replace(path + ".idx.tmp", path + ".idx")
            self.files.append((name + ".idx", 0, hashlib.sha256(index).hexdigest()))
        n = len(lines)
        self.files.append((name, n, hashlib.sha256(data).hexdigest()))
        print(f"build-lexicon: {name:<13} {n:>8} lines {len(data):>10} bytes"
              f"  {time.monotonic() - t0:5.1f} s", file=sys.stderr)

    def lexicon(self, name, lex, t0):
        for k in lex:
            if "\t" in k or "\n" in k or "\r" in k:
                raise ValueError(f"{name}: key with a control char: {k!r}")
        lines = [k + "\t" + " ".join(lex[k][:MAX_STEMS])
                 for k in sorted(lex) if lex[k]]
        for k in lex:
            self.vocab.update(lex[k][:MAX_STEMS])
        self.write(name, lines, t0)

    def vocabulary(self, t0):
        """en_vocab.tsv: the English stems the tables gloss to that the
        glosses write in lower case at least as often as capitalized, one a
        line ("stem<TAB>+"). neardup
        reads any other stem (Putin, Geneva, names that no table has) as a
        name and gives it a name key (src/neardup/name_key.h)."""
        vocab = {v for v in self.vocab - {STOP}
                 if CASE_COUNTS[v][0] and CASE_COUNTS[v][0] >= CASE_COUNTS[v][1]}
        self.write("en_vocab.tsv", [f"{v}\t+" for v in sorted(vocab)], t0)


def package_versions():
    pkgs = sorted(list(REQUIRED) + EXTRA_VERSIONED)
    env = dict(os.environ, LC_ALL="C")
    try:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Version}\n"]
                           + pkgs, capture_output=True, text=True, env=env)
        found = dict(ln.split("\t", 1) for ln in r.stdout.splitlines()
                     if "\t" in ln)
    except OSError:
        found = {}
    return [(p, found.get(p) or "unknown") for p in pkgs]


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    w = Writer(outdir)
    start = time.monotonic()

    lexes = {}
    for lang, xe, ex in EUROPEAN:
        t0 = time.monotonic()
        stops = set()
        lexes[lang] = build_european(lang, xe, ex, stops)
        if lang in ("fr", "hi"):
            lexes[lang + ".stops"] = stops  # Breton's and Urdu's function words, below
        if lang == "hi":
            # Hindi's postpositions, pronouns, determiners, conjunctions and
            # auxiliaries, as the Hindi generator of Apertium's Urdu-Hindi
            # pair writes them: FreeDict's inverted table glosses के, का
            # and की as "sever" (session 19).
            for form in apertium_function_forms("apertium-urd-hin/urd-hin.autogen.bin"):
                lexes[lang][form] = [STOP]
        # Apertium's forms are written out, not chained into Russian.
        full = lexes[lang]
        if lang in APERTIUM_ROMANCE:
            full = dict(full)
            full.update(apertium_romance(lang, full))
        if lang == "is":
            # Icelandic: FreeDict's 12,000 forms, then the forms of
            # Apertium's analyser that they lack (session 18).
            full = dict(full)
            for k, v in apertium_forms("apertium-isl-eng/isl-eng.automorf.bin",
                                       "apertium-isl-eng/isl-eng.autobil.bin",
                                       None, lexes).items():
                full.setdefault(k, v)
        w.lexicon(f"{lang}.tsv", with_stops(full, stops), t0)
        if lang not in STEM:  # no Snowball stemmer (cs, pl): forms only
            continue
        t0 = time.monotonic()
        w.lexicon(f"{lang}.stem.tsv", stem_map(full, lang, merge=False), t0)

    # Breton through French, Basque (lemmas) through English: Apertium's
    # pairs, no FreeDict (session 18).
    t0 = time.monotonic()
    lexes["fr.stem"] = stem_map(lexes["fr"], "fr", merge=True)
    lexes["en.stem"], lexes["en.stops"] = {}, set()
    w.lexicon("br.tsv", apertium_forms("apertium-br-fr/br-fr.automorf.bin",
                                       "apertium-br-fr/br-fr.autobil.bin", "fr", lexes), t0)
    t0 = time.monotonic()
    w.lexicon("eu.tsv", apertium_lemmas("apertium-eu-en/eu-en.autobil.bin", None, lexes), t0)
    # Urdu through Hindi: Apertium's urd-hin pair, its analyser's forms
    # glossed through FreeDict's Hindi (session 19).
    t0 = time.monotonic()
    lexes["hi.stem"] = stem_map(lexes["hi"], "hi", merge=True)
    w.lexicon("ur.tsv", apertium_forms("apertium-urd-hin/urd-hin.automorf.bin",
                                       "apertium-urd-hin/urd-hin.autobil.bin", "hi", lexes,
                                       APERTIUM_FUNCTION_TAGS), t0)
    for k in ("fr.stem", "fr.stops", "en.stem", "en.stops", "hi.stem", "hi.stops"):
        del lexes[k]
    t0 = time.monotonic()
    w.lexicon("fa.tsv", {norm(f): [STOP] for f in PERSIAN_STOP}, t0)

    t0 = time.monotonic()
    ru_stops = set()
    ru = build_russian(lexes, ru_stops)
    ru_full = with_stops(ru, ru_stops)
    w.lexicon("ru.tsv", ru_full, t0)
    t0 = time.monotonic()
    w.lexicon("ru.stem.tsv", stem_map(ru, "ru", merge=False), t0)
    t0 = time.monotonic()
    w.lexicon("uk.tsv", build_ukrainian(ru_full), t0)
    del lexes, ru

    t0 = time.monotonic()
    ja = build_japanese()
    w.lexicon("ja.tsv", ja, t0)

    t0 = time.monotonic()
    variant_rows = unihan_variants() + kanjidic_variants()
    zh = build_zh_chars(variant_rows)
    w.write("zh_chars.tsv", [f"{c}\t{' '.join(zh[c][0])}\t{zh[c][1]}"
                             for c in sorted(zh)], t0)
    for c in zh:
        w.vocab.update(zh[c][0])

    t0 = time.monotonic()
    w.lexicon("ko.tsv", build_korean(ja, variant_rows), t0)
    t0 = time.monotonic()
    zh_words = build_zh_words(ja, variant_rows)
    w.lexicon("zh_words.tsv", zh_words, t0)
    t0 = time.monotonic()
    w.lexicon("vi.tsv", build_vietnamese([ja, zh_words], variant_rows), t0)
    del ja, variant_rows, zh_words

    t0 = time.monotonic()
    names = build_names()
    # Written as it is, not through w.lexicon: its stems do not make
    # en_vocab.tsv (names are not the common words that file holds).
    w.write("names.tsv", [f"{k}\t{names[k][0]}" for k in sorted(names)], t0)

    t0 = time.monotonic()
    w.vocabulary(t0)

    t0 = time.monotonic()
    w.write("en.stop", sorted(EN_STOP), t0)

    t0 = time.monotonic()
    w.write("background.tsv", background(), t0)

    lines = [f"# neardup lexicon, format {FORMAT_VERSION}, built by "
             "scripts/build-lexicon.py (see docs/lexicon.md)",
             f"python\t{sys.version.split()[0]}\tunicodedata\t"
             f"{unicodedata.unidata_version}"]
    lines += [f"file\t{n}\t{c}\t{h}" for n, c, h in sorted(w.files)]
    lines += [f"package\t{p}\t{v}" for p, v in package_versions()]
    data = "".join(ln + "\n" for ln in lines).encode("utf-8")
    with open(os.path.join(outdir, "MANIFEST.tmp"), "wb") as f:
        f.write(data)
    os.replace(os.path.join(outdir, "MANIFEST.tmp"),
               os.path.join(outdir, "MANIFEST"))
    print(f"build-lexicon: MANIFEST written, total "
          f"{time.monotonic() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
