// langid: a document's language, for documents whose input gives no "lang".
//
// Script decides first, from the tokens: kana (a tenth of the letters or
// more) → ja; else the script of the most words (not letters: a Chinese
// man page with its options and examples in English has fewer Han
// characters than Latin letters, but more Han words): Han → zh;
// Hangul → ko; Greek → el; Hebrew → he; Thai → th; Bengali → bn; Arabic →
// ar unless CLD2 names fa, ur, ps or ku; Devanagari → hi unless CLD2 names
// mr or ne; a script one language writes → that language (Gurmukhi → pa,
// Gujarati → gu, Tamil → ta, Telugu → te, Kannada → kn, Malayalam → ml,
// Georgian → ka, Armenian → hy, Khmer → km, ...: langid.cc). Text in
// Latin or Cyrillic script, where script says little, goes to CLD2 (except
// plain English: English function words a quarter of the words, no other
// script, an accented letter in a thousand at most; the
// Compact Language Detector: 83 languages), which reads the first KiB of
// the text (about 30 MB/s a core: more of the text cost more than it
// changed on the evaluation sets). When CLD2 does not know or is not
// sure (UNKNOWN_LANGUAGE, not reliable, as for a few words, or a code that
// is not two letters), or names a language of another script than the
// text's (a Russian text opening with a KiB of English), Cyrillic gives
// ru (uk if it has letters only Ukrainian uses) and Latin text goes to the
// language whose short list of function words covers most tokens (en, de,
// fr, it, es, pt, nl); with too little evidence the answer is "und".
// Serbo-Croatian in Latin script is "hr" whichever standard CLD2 names
// (it tells Bosnian, Croatian and Serbian apart by chance); in Cyrillic,
// Serbian is "sr".
// `text` is the document's UTF-8 text; `tokens` are its normalized tokens
// (lower case), as the Tokenizer makes them. Without `use_cld2` only the
// script and the function words decide: the pipeline's choice when
// nothing depends on the language (--no-cross-language).
//
// NormalizeLanguageTag maps input tags to the same codes: "pt-BR" → "pt",
// "zh_TW" → "zh", "EN" → "en", and Norwegian "no" (CLD2's code) → "nb"
// (Bokmål, what feeds tag; Nynorsk "nn" stays). Three-letter codes (ISO
// 639-2 and 639-3) and deprecated two-letter ones go through ICU's alias
// data: "deu" and "ger" → "de", "zsm" → "ms", "cmn" → "zh", "iw" → "he";
// a three-letter code with no two-letter one stays if ICU has locale
// data for it ("ast", "yue", "fil"). Anything else ("cjk", "english")
// gives "", so the caller guesses.
//
// TagFitsText is false when a document's tag names a language that is not
// written in the script of most of its words (by their first letter: kana,
// Han, Hangul,
// Cyrillic, Greek, Arabic, Hebrew, Thai, Devanagari, Bengali or a script
// one language writes; Latin fits
// every tag, since any language may be romanized): a feed that tags
// everything "en", or a category such as "eu" on Ukrainian text. The
// pipeline then guesses the language instead.
//
// Thread-safety: pure functions (CLD2's tables are read-only).
#ifndef NEARDUP_LANGID_H_
#define NEARDUP_LANGID_H_

#include <string>
#include <string_view>

#include "neardup/normalize.h"

namespace neardup {

std::string GuessLanguage(std::string_view text, const TokenList& tokens, bool use_cld2 = true);
std::string NormalizeLanguageTag(std::string_view tag);
bool TagFitsText(std::string_view lang, const TokenList& tokens);

// The language a run uses for a document with normalized tag `tag` (""
// if none): the tag, unless it is empty or, with `cross_language`, the
// text's script contradicts it (TagFitsText; ASCII text fits any tag);
// else GuessLanguage (CLD2 only with `cross_language`). *guessed (if
// given) says whether it was guessed; a tag set aside goes to *set_aside
// (if given).
std::string DocumentLanguage(std::string_view tag, std::string_view text,
                             const TokenList& tokens, bool cross_language,
                             bool* guessed = nullptr, std::string* set_aside = nullptr);

}  // namespace neardup

#endif  // NEARDUP_LANGID_H_
