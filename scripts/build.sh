#!/usr/bin/env bash
# Configures and builds neardup (Release) into build/, and the
# cross-language lexicon into build/lexicon/ (from the Debian dictionaries
# that scripts/install-deps.sh installs; rebuilt when its script changes),
# then prepares the lexicon for this build (`neardup prepare`: the
# background documents' features, which every run would otherwise compute;
# a fraction of a second, nothing when already done). Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
if [ ! -f build/lexicon/MANIFEST ] || [ scripts/build-lexicon.py -nt build/lexicon/MANIFEST ]; then
  echo "build: building the cross-language lexicon (about two minutes)"
  rm -rf build/lexicon.tmp
  /usr/bin/python3 scripts/build-lexicon.py build/lexicon.tmp
  rm -rf build/lexicon
  mv build/lexicon.tmp build/lexicon
fi
build/neardup prepare --quiet --lexicon build/lexicon
