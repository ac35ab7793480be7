// russian_latin: Russian words in Latin letters without ICU, exactly as
// ICU's "Russian-Latin/BGN; Any-Latin; Latin-ASCII" writes them
// (crosslingual.cc romanizes the Cyrillic words no table glosses, names
// mostly, for their name keys).
//
// Why: ICU's rule-based transforms run one at a time in a process (a
// global lock), at about 4 µs a word, and compiling the first costs
// 15 ms; on Russian and English pages romanizing was an eighth of a run.
// BGN/PCGN is a letter-for-letter table (ж zh, х kh, щ shch, ъ ", ь '),
// е and ё written ye at a word's start and after a vowel or a sign, and
// a middle dot between two letters that would read back as one (тс t·s,
// шч sh·ch, consonant and э: m·e). Where е, ё, ы or э meets a vowel
// after it, ICU's rules look further back than one letter (аее is ayee,
// ее is yeye): such words, and words with any other letter (Ukrainian
// і ї є ґ, Serbian ђ ј, capitals), are left to ICU. A test compares
// this with ICU on every word of up to three letters and random longer
// ones.
//
// Thread-safety: pure function.
#ifndef NEARDUP_RUSSIAN_LATIN_H_
#define NEARDUP_RUSSIAN_LATIN_H_

#include <string>
#include <string_view>

namespace neardup {

// Writes `utf8` in Latin letters to *out and returns true if it is one or
// more lower-case Russian letters that this table spells as ICU does;
// else returns false (and the caller asks ICU).
bool RussianToLatin(std::string_view utf8, std::string* out);

}  // namespace neardup

#endif  // NEARDUP_RUSSIAN_LATIN_H_
