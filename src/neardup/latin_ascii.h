// latin_ascii: words of ASCII and Latin letters in ASCII without ICU,
// exactly as each of crosslingual.cc's ICU transforms writes them (and
// lower-cased, as crosslingual.cc lower-cases ICU's output).
//
// Why: after Korean, Cyrillic and kana (hangul.h, russian_latin.h,
// kana_latin.h), the words that still reached ICU in the reference
// corpora were tokens of ASCII that are not letters alone (e-mail
// addresses, @t), Latin words with diacritics in a document read as
// another script's language (fernández, informações) and tokens of Latin
// and Cyrillic (файл_shadow, ltред): 548 words among 100,000 documents of
// new text, 142 among 10,000. ICU only lower-cases their ASCII and drops
// diacritics, but the first transform a process creates initializes its
// registry of transforms (13 ms here, 24 ms in session 40's measure), and
// each word then takes a few microseconds under ICU's global lock
// (docs/performance.md, session 41).
//
// Latin-ASCII, the last step of each transform, spells each Latin letter
// of U+00C0-U+024F on its own: é e, ß ss, æ ae, ł l, ŉ 'n. Its few rules
// of context look only at capitals (Æ before a small letter is Ae), which
// lower-casing makes alike. The transforms before it (Any-Latin, BGN's
// Russian-Latin, Katakana-Latin, Hiragana-Latin) leave ASCII and Latin
// letters alone. A test compares these spellings with ICU's three
// transforms on every letter alone and among others, on every pair of
// ASCII characters, and on random words.
//
// Thread-safety: pure functions.
#ifndef NEARDUP_LATIN_ASCII_H_
#define NEARDUP_LATIN_ASCII_H_

#include <string>
#include <string_view>

namespace neardup {

// Latin-ASCII's spelling of code point `c`, lower-cased: the character
// itself, lower-cased, for ASCII (the result's first byte is then at
// *ascii, which the caller provides); the table's for the Latin letters of
// U+00C0-U+024F it spells in ASCII; null for any other character (× ÷,
// the 44 letters there it leaves as they are or spells in other letters,
// such as ǝ, and everything beyond).
const char* LatinAsciiSpelling(char32_t c, char* ascii);

// Writes `utf8` lower-cased, its Latin letters in ASCII, to *out and
// returns true if it is made of ASCII characters and Latin letters that
// LatinAsciiSpelling spells (at least one character); else returns false.
bool LatinToAscii(std::string_view utf8, std::string* out);

}  // namespace neardup

#endif  // NEARDUP_LATIN_ASCII_H_
