#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages neardup needs to build,
# test and benchmark, and the dictionaries its cross-language lexicon is
# built from (about 260 MB), skipping those already installed. Uses sudo when not
# run as root.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libicu-dev        # normalization, word breaking
  libxxhash-dev     # shingle hashing (XXH3)
  libabsl-dev       # Status, containers, string formatting
  libsimdjson-dev   # JSONL parsing
  libstemmer-dev    # Snowball stemmers for cross-language pivot features
  libcld2-dev       # language of untagged Latin- and Cyrillic-script documents
  zlib1g-dev libzstd-dev  # gzip and zstd compressed JSONL inputs
  libgtest-dev      # tests
  libbenchmark-dev  # stage benchmarks
  time python3      # bench/e2e.sh: peak memory, recall
  # Cross-language lexicon (scripts/build-lexicon.py, docs/lexicon.md):
  python3-stemmer python3-icu  # python3-icu: names.tsv from ICU's CLDR data
  dict-freedict-deu-eng dict-freedict-eng-deu dict-de-en dict-freedict-fra-eng dict-freedict-eng-fra
  dict-freedict-ita-eng dict-freedict-eng-ita dict-freedict-spa-eng
  dict-freedict-eng-spa dict-freedict-por-eng dict-freedict-eng-por
  dict-freedict-eng-rus dict-freedict-deu-rus dict-freedict-fra-rus
  dict-freedict-ita-rus dict-freedict-nld-eng dict-freedict-eng-nld
  dict-freedict-swe-eng dict-freedict-eng-swe dict-freedict-dan-eng
  dict-freedict-eng-dan dict-freedict-ell-eng dict-freedict-eng-ell
  dict-freedict-ces-eng dict-freedict-eng-ces dict-freedict-pol-eng
  dict-freedict-eng-pol dict-freedict-ara-eng dict-freedict-eng-ara
  dict-freedict-eng-rom dict-freedict-eng-ind dict-freedict-fin-eng
  dict-freedict-eng-fin dict-freedict-lit-eng dict-freedict-eng-lit
  dict-freedict-hun-eng dict-freedict-eng-hun dict-freedict-tur-eng
  dict-freedict-eng-tur dict-freedict-hrv-eng dict-freedict-eng-hrv
  dict-freedict-slk-eng dict-freedict-slv-eng dict-freedict-eng-bul dict-freedict-eng-hin
  dict-freedict-eng-nor
  dict-freedict-afr-eng dict-freedict-eng-afr dict-freedict-cym-eng dict-freedict-eng-cym
  dict-freedict-gle-eng dict-freedict-eng-gle dict-freedict-isl-eng dict-freedict-swh-eng
  dict-freedict-eng-swh dict-freedict-epo-eng
  apertium-rus-ukr lttoolbox lttoolbox-dev  # Ukrainian, through Russian (lt-print reads the pair)
  # Spanish, Italian, French, Portuguese and Catalan word lists, analysed
  # and translated by Apertium (lt-proc) where FreeDict lacks the form
  apertium-eng-spa apertium-spa-ita apertium-fr-es apertium-es-pt apertium-eng-cat
  wspanish witalian wfrench wportuguese wcatalan
  apertium-es-ro hunspell-ro  # Romanian: hunspell's words through Apertium's ro-es pair
  apertium-isl-eng apertium-br-fr apertium-eu-en  # Icelandic's forms, Breton (via French), Basque
  apertium-urd-hin  # Urdu, through Hindi
  libhangul-data  # Korean: the hanja of Sino-Korean words, glossed through EDICT
  edict kanjidic-xml unicode-data  # kanjidic-xml: Japanese and traditional forms (権, 權)
  # Background sample that calibrates cross-language scores (background.tsv)
  maint-guide maint-guide-de maint-guide-es maint-guide-fr maint-guide-it
  maint-guide-ja maint-guide-ru maint-guide-zh-cn maint-guide-zh-tw
  # ... and in pt nl cs fi too: the Debian Edu manual (about 92 MB to
  # download, most of it the manual's PDF and EPUB) and aptitude's
  debian-edu-doc-en debian-edu-doc-de debian-edu-doc-es debian-edu-doc-fr
  debian-edu-doc-it debian-edu-doc-ja debian-edu-doc-nl debian-edu-doc-pt-br
  debian-edu-doc-zh-cn
  aptitude-doc-en aptitude-doc-es aptitude-doc-fr aptitude-doc-it aptitude-doc-ja
  aptitude-doc-ru aptitude-doc-cs aptitude-doc-fi aptitude-doc-nl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
