// kana_latin: Japanese kana words in Latin letters without ICU, exactly as
// ICU's "Katakana-Latin; Hiragana-Latin; Latin-ASCII" writes them
// (crosslingual.cc romanizes the katakana and hiragana words of Japanese
// text that no table glosses, for their name keys).
//
// Why: that compound transform takes about 9.4 µs a word (EDICT's 59,560
// katakana keys), and the first transform a process creates initializes
// ICU's registry of transforms, 24 ms; on 100,000 documents of new text
// ICU's romanization was 48 ms of processor time for 4,224 words, plus 20
// ms to compile (docs/performance.md, session 40).
//
// ICU 72's Katakana-Latin is a list of rules read left to right, the first
// that matches at each place winning: a kana, or a kana and the small one
// after it, has one spelling (キ ki, キャ kya, シェ she, ティ ti, ヴ vu); a
// small kana no rule joins is written with a tilde (ヴァ vu~a, ウィ u~i); ッ
// doubles the consonant that follows (ッカ kka, ッチ tchi, ッシ sshi) and
// is ~tsu before anything else; ン is n' before a vowel, ナ-ノ, ヤユヨ or ン,
// else n; ー is a macron on the letter before, which Latin-ASCII then
// drops (コンピューター konpyuta). Hiragana-Latin turns hiragana into
// katakana and reads them alike. A test compares this with ICU on every
// katakana and hiragana key of the lexicon's Japanese table and on random
// kana strings.
//
// Thread-safety: pure function.
#ifndef NEARDUP_KANA_LATIN_H_
#define NEARDUP_KANA_LATIN_H_

#include <string>
#include <string_view>

namespace neardup {

// Writes `utf8` in Latin letters to *out and returns true if it is kana
// this function reads (all katakana U+30A1-U+30FA, or all hiragana
// U+3041-U+3096, either with ー U+30FC after a kana that ends in a vowel)
// and nothing else; else returns false (and the caller asks ICU).
bool KanaToLatin(std::string_view utf8, std::string* out);

}  // namespace neardup

#endif  // NEARDUP_KANA_LATIN_H_
