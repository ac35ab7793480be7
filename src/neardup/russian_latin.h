// russian_latin: Cyrillic words in Latin letters without ICU, exactly as
// ICU's "Russian-Latin/BGN; Any-Latin; Latin-ASCII" writes them
// (crosslingual.cc romanizes the Cyrillic words no table glosses, names
// mostly, for their name keys).
//
// Why: ICU's rule-based transforms run one at a time in a process (a
// global lock), at about 4 µs a word, and compiling this one costs
// 12 ms; on Russian and English pages romanizing was an eighth of a run,
// and a Ukrainian word (і ї є ґ, which BGN leaves to Any-Latin) cost
// about 12 µs.
// BGN/PCGN is a letter table (ж zh, х kh, щ shch, ъ ", ь ') with a few
// rules of context: е and ё are ye at a word's start and after a vowel
// or a sign, and a middle dot goes between letters that would read back
// as one (тс t·s, шч sh·ch, a consonant and э: m·e). ICU applies the
// context rules in two passes (russian_latin.cc), which this follows, so
// that runs of vowels come out as ICU's do (аее is ayee, ее is yeye).
// The letters BGN leaves alone (Ukrainian і ї є ґ, Belarusian ў,
// Serbian and Macedonian ђ ѓ ѕ ј љ њ ћ ќ џ) are spelled as Any-Latin and
// Latin-ASCII spell them. The separators ' _ . @ ’ inside a token
// (пам'ять, имя_пакета, т.д) are kept, and ICU starts a word again after
// each; a part between them may instead be of ASCII and Latin letters
// (файл_shadow, шрифтом@t), which BGN leaves to Latin-ASCII
// (latin_ascii.h). Any other character (capitals, other Cyrillic letters,
// Latin beside Cyrillic in one part) leaves the word to ICU. A test
// compares this with ICU on every word of up to three of these 47 letters
// and 5 separators, and on random longer ones with Latin parts.
//
// A token that starts with a Latin letter and holds Cyrillic ones (ltред,
// cпроц: markup and typing slips) goes to ICU's "Any-Latin;
// Latin-ASCII" instead, which spells each of these letters on its own
// (Cyrillic-Latin: ж z, х h, щ s, ю u): CyrillicLatinToAscii, compared
// with ICU by a test on random mixed words.
//
// Thread-safety: pure function.
#ifndef NEARDUP_RUSSIAN_LATIN_H_
#define NEARDUP_RUSSIAN_LATIN_H_

#include <string>
#include <string_view>

namespace neardup {

// Writes `utf8` in Latin letters to *out and returns true if it is parts
// joined by the separators ' _ . @ ’ (ICU starts a word again after each;
// ’ is written '), each part either of the 47 lower-case letters above
// (at most 64) or of ASCII characters and Latin letters (written
// lower-cased), with at least one of the 47 in all; else returns false
// (and the caller asks ICU).
bool RussianToLatin(std::string_view utf8, std::string* out);

// Writes `utf8` as "Any-Latin; Latin-ASCII" writes it, lower-cased, to
// *out and returns true if it is made of the 47 lower-case letters above,
// ASCII characters and Latin letters (LatinAsciiSpelling), at least one
// of the first; else returns false (and the caller asks ICU).
bool CyrillicLatinToAscii(std::string_view utf8, std::string* out);

}  // namespace neardup

#endif  // NEARDUP_RUSSIAN_LATIN_H_
