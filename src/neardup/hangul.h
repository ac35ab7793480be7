// hangul: Korean words in Latin letters without ICU, exactly as ICU's
// "Any-Latin; Latin-ASCII" writes them (crosslingual.cc romanizes the
// Korean words no table glosses, for their name keys).
//
// Why: ICU's rule-based transforms run one at a time in a process (a
// global lock), at about 4.3 µs a Korean word, and compiling the first
// transform costs 15 ms; on Korean text that was a sixth of a run. A
// precomposed syllable (U+AC00-U+D7A3) is arithmetic: initial, vowel and
// final jamo, each with one fixed spelling in ICU's Hangul-Latin (ㄱ g,
// ㅓ eo, final ㅇ ng). ICU adds a hyphen between two syllables where their
// letters would read back otherwise (국어 gug-eo, 아어 a-eo, 삯송
// sags-song); whether it does depends only on the last jamo of the first
// syllable and the first jamo of the second, and the tables below are
// ICU 72's choices. A test compares this with ICU on every syllable,
// every pair of those jamo, and random words.
//
// Thread-safety: pure function.
#ifndef NEARDUP_HANGUL_H_
#define NEARDUP_HANGUL_H_

#include <string>
#include <string_view>

namespace neardup {

// Writes `utf8` in Latin letters to *out and returns true if it is one or
// more precomposed Hangul syllables and nothing else; else returns false
// (and the caller asks ICU).
bool HangulSyllablesToLatin(std::string_view utf8, std::string* out);

// True if `utf8` is one or more precomposed Hangul syllables and nothing
// else (what HangulSyllablesToLatin reads).
bool IsHangulSyllables(std::string_view utf8);

}  // namespace neardup

#endif  // NEARDUP_HANGUL_H_
