// ascii_words: the tokenizer's fast path for text that is pure ASCII.
//
// On ASCII, NFKC_Casefold only lower-cases, and ICU's root word-break rules
// reduce to a few byte classes: letters (and '@'), digits and '_' join; a
// single '.' or '\'' joins letters to letters and digits to digits; ',' and
// ';' join digits to digits; a lone "_" is not a word. This unit applies
// exactly those rules, so its tokens are the ones the ICU path gives
// (tests/normalize_test.cc checks both against ICU on random text).
//
// Two implementations give identical tokens: a scalar one, and one that
// classifies 64 bytes at a time with AVX2 into bit masks and finds the
// joiners and token ends with bit operations. `TokenizeAscii` picks AVX2
// when the processor has it.
//
// Thread-safety: free functions; the AVX2 version keeps its scratch in
// thread-local storage.
#ifndef NEARDUP_ASCII_WORDS_H_
#define NEARDUP_ASCII_WORDS_H_

#include <cstddef>
#include <string_view>

#include "neardup/cpu_features.h"  // CpuHasAvx2
#include "neardup/normalize.h"

namespace neardup {

// Appends the lower-cased word tokens of `ascii` to *tokens.
// REQUIRES: every byte of `ascii` is below 0x80.
void TokenizeAscii(std::string_view ascii, TokenList* tokens);

// The two implementations behind TokenizeAscii, for tests and benchmarks.
// TokenizeAsciiAvx2 REQUIRES CpuHasAvx2().
void TokenizeAsciiScalar(std::string_view ascii, TokenList* tokens);
void TokenizeAsciiAvx2(std::string_view ascii, TokenList* tokens);

// Offset of the first byte of `s` at or after `from` that is 0x80 or above,
// or s.size() if there is none.
size_t FindNonAscii(std::string_view s, size_t from);

}  // namespace neardup

#endif  // NEARDUP_ASCII_WORDS_H_
