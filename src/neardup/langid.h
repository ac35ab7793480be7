// langid: a cheap guess of a document's language from its tokens, for
// documents whose input gives no "lang".
//
// Script decides first: kana → ja; Han without kana → zh; Hangul → ko;
// Cyrillic → ru (uk if it has letters only Ukrainian uses); Greek → el;
// Arabic → ar; Hebrew → he; Thai → th. Latin text goes to the language
// whose short list of function words covers most tokens (en, de, fr, it,
// es, pt, nl); with too little evidence the answer is "und". Input tokens
// are normalized (lower case), as the Tokenizer makes them.
//
// NormalizeLanguageTag maps input tags to the same codes: "pt-BR" → "pt",
// "zh_TW" → "zh", "EN" → "en". A tag that is not a two-letter code
// (ISO 639-1 shape, e.g. "cjk", "english") gives "", so the caller guesses.
//
// Thread-safety: pure functions.
#ifndef NEARDUP_LANGID_H_
#define NEARDUP_LANGID_H_

#include <string>
#include <string_view>

#include "neardup/normalize.h"

namespace neardup {

std::string GuessLanguage(const TokenList& tokens);
std::string NormalizeLanguageTag(std::string_view tag);

}  // namespace neardup

#endif  // NEARDUP_LANGID_H_
