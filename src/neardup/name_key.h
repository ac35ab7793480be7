// name_key: one spelling of a name across transliterations, for the pivot
// features (crosslingual.h) of words that no dictionary glosses.
//
// Biden, Байден (bayden), バイデン (baiden) and 바이든 (baideun) are one
// name written by four transliteration rules. A key keeps what such rules
// agree on: the first letter and the consonants, the letters they trade
// merged (c/k/q, s/z/ts, l/r, b/v/w, f/p, j/zh/dzh, y/i; sh, kh, ph, th
// and ch read as one letter; n before b, p or m as m, as Japanese writes
// it: ハンプトン hanputon), vowels and h dropped, doubled letters once:
//   biden, bayden, baiden, baideun     -> bdn
//   macron, makron, makuron            -> mkrn
//   zelensky, zelenskiy, zerensukii    -> srnsk
// Measured on CLDR's exemplar cities (unicode-cldr-core, ~350 one-word
// names), the share whose key in a language equals English's, against
// romanized spellings compared as they are: ru 0.83 (0.38), uk 0.67
// (0.34), bg 0.68 (0.31), ja 0.66 (0.12), ko 0.63 (0.09), hi 0.77
// (0.18), el 0.45 (0.12), ar 0.29 (0.02) (the n before b or p: ja 0.66 ->
// 0.67, by a Python copy of these rules). The price: 11 % of the English
// names share their key with another city's (Biden and Baden).
//
// Thread-safety: pure functions.
#ifndef NEARDUP_NAME_KEY_H_
#define NEARDUP_NAME_KEY_H_

#include <string>
#include <string_view>

namespace neardup {

// The key of a lower-case word in Latin letters: accented letters of
// Latin-1 and Latin Extended-A count as their base letter (ç as c, ı as
// i), as do Romanian ș ț; apostrophes and quotes (romanized ь, ъ) and a
// combining dot above (case-folded İ) are skipped. Empty if the word is
// empty or has any other character: identifiers (types.h, st_mode,
// node.js) and hyphenated words are not names.
std::string NameKey(std::string_view word);

}  // namespace neardup

#endif  // NEARDUP_NAME_KEY_H_
