#include "neardup/crosslingual.h"

#define XXH_INLINE_ALL
#include <libstemmer.h>
#include <unicode/uchar.h>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <numeric>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "neardup/io/file.h"
#include "neardup/hangul.h"
#include "neardup/kana_latin.h"
#include "neardup/latin_ascii.h"
#include "neardup/line_index.h"
#include "neardup/russian_latin.h"
#include "neardup/name_key.h"
#include "neardup/prefetch.h"
#include "neardup/radix_sort.h"
#include "neardup/thread_pool.h"
#include "neardup/token_cache.h"
#include "neardup/utf8.h"

#ifndef NEARDUP_DEFAULT_LEXICON_DIR
#define NEARDUP_DEFAULT_LEXICON_DIR "lexicon"
#endif

namespace neardup {
namespace {

constexpr std::string_view kLexiconLanguages[] = {
    "de", "fr", "it", "es", "pt", "ru", "ja", "nl", "sv", "da", "el",
    "cs", "pl", "ar", "ro", "id", "fi", "lt", "hu", "tr", "uk", "hr", "ko", "ca",
    "sk", "sl", "bg", "hi", "no", "af", "cy", "ga", "is", "sw", "eo", "br", "eu", "ur",
    "fa",         // function words only; Persian reads Urdu's and Arabic's tables
    "vi",         // Sino-Vietnamese words, keyed by their syllables
    "zh_words",   // not a language: Chinese spellings of EDICT's words
    "names",      // nor this: CLDR's names in every language, "lang:form"
    "en_vocab"};  // nor this: the common English words the tables gloss to

// A language tag of up to 4 bytes as one number, for a switch over tags
// (0 for a longer one); per word, 40 string comparisons were a tenth of a
// Basque-read word's time.
constexpr uint32_t TagCode(std::string_view lang) {
  if (lang.empty() || lang.size() > 4) return 0;
  uint32_t code = 0;
  for (size_t i = 0; i < lang.size(); ++i) {
    code |= static_cast<uint32_t>(static_cast<unsigned char>(lang[i])) << (8 * i);
  }
  return code;
}

bool IsLatinLanguage(std::string_view lang) {
  switch (TagCode(lang)) {
    case TagCode("en"): case TagCode("de"): case TagCode("fr"): case TagCode("it"):
    case TagCode("es"): case TagCode("pt"): case TagCode("nl"): case TagCode("ca"):
    case TagCode("da"): case TagCode("sv"): case TagCode("no"): case TagCode("nb"):
    case TagCode("nn"): case TagCode("cs"): case TagCode("pl"): case TagCode("ro"):
    case TagCode("hr"): case TagCode("bs"): case TagCode("id"): case TagCode("vi"):
    case TagCode("fi"): case TagCode("hu"): case TagCode("tr"): case TagCode("lt"):
    case TagCode("sk"): case TagCode("sl"): case TagCode("af"): case TagCode("cy"):
    case TagCode("ga"): case TagCode("is"): case TagCode("sw"): case TagCode("eo"):
    case TagCode("gl"): case TagCode("ast"): case TagCode("an"): case TagCode("oc"):
    case TagCode("ms"): case TagCode("lb"): case TagCode("br"): case TagCode("eu"):
    case TagCode("lv"):
      return true;
    default:
      return false;
  }
}

// A word spelt as a close language spells it (below).
using Respelling = std::string (*)(std::string_view word);
std::string AsturianAsSpanish(std::string_view word);
std::string MacedonianAsBulgarian(std::string_view word);
std::string PersianAsUrdu(std::string_view word);
std::string PersianAsArabic(std::string_view word);
template <uint32_t kBlock>
std::string BrahmicAsDevanagari(std::string_view word);

// Languages without tables of their own (or with a table of function words
// only), read with a close language's tables, by form and by that
// language's Snowball stem, in order; each table as the word is, then as
// its `respell` spells it, if it differs.
struct BorrowedTable {
  std::string_view table;  // "" for none
  Respelling respell = nullptr;
  // A word the table lacks is tried by its longest head the table knows,
  // cutting at most this many code points and keeping at least 4: an
  // agglutinated ending off (Telugu అధికారము, అధికారమునకు: अधिकार). 0: not.
  size_t max_cut = 0;
};
struct BorrowedTables {
  std::string_view lang;
  std::array<BorrowedTable, 2> tables;
};
constexpr size_t kIndicCut = 5;  // udhr-wide 0.779 -> 0.804 (3: 0.801)
constexpr BorrowedTables kBorrowedTables[] = {
    {"gl", {{{"pt"}, {"es"}}}},                   // Galician: dereito ~ direito, liberdade
    {"ast", {{{"es", &AsturianAsSpanish}, {}}}},  // Asturian: derechu ~ derecho
    {"an", {{{"es"}, {}}}},                       // Aragonese
    {"oc", {{{"ca"}, {"fr"}}}},  // Occitan: dreit ~ dret, libertat
    {"ms", {{{"id"}, {}}}},      // Malay: hak, kebebasan, as Indonesian writes them
    {"lb", {{{"de"}, {}}}},      // Luxembourgish: Fräiheet ~ Freiheit is lost, Recht is not
    {"lv", {{{"lt"}, {}}}},      // Latvian: darba ~ darbo, kultūras ~ kultūros
    // Persian: the words it shares with Urdu and Arabic (آزادی freedom,
    // قانون law, سیاسی political), in their letters.
    {"fa", {{{"ur", &PersianAsUrdu}, {"ar", &PersianAsArabic}}}},
    // Indian languages: the (Sanskrit) words they share with Hindi, in
    // Devanagari (BrahmicAsDevanagari).
    {"mr", {{{"hi", nullptr, kIndicCut}, {}}}},  // Marathi and Nepali: Devanagari already
    {"ne", {{{"hi", nullptr, kIndicCut}, {}}}},
    {"bn", {{{"hi", &BrahmicAsDevanagari<0x980>, kIndicCut}, {}}}},
    {"as", {{{"hi", &BrahmicAsDevanagari<0x980>, kIndicCut}, {}}}},
    {"pa", {{{"hi", &BrahmicAsDevanagari<0xA00>, kIndicCut}, {}}}},
    {"gu", {{{"hi", &BrahmicAsDevanagari<0xA80>, kIndicCut}, {}}}},
    {"te", {{{"hi", &BrahmicAsDevanagari<0xC00>, kIndicCut}, {}}}},
    {"kn", {{{"hi", &BrahmicAsDevanagari<0xC80>, kIndicCut}, {}}}},
};

// Languages with a Snowball stemmer, and its name in libstemmer.
constexpr std::pair<std::string_view, std::string_view> kStemmers[] = {
    {"en", "english"},    {"de", "german"},  {"fr", "french"},     {"it", "italian"},
    {"es", "spanish"},    {"pt", "portuguese"}, {"ru", "russian"}, {"nl", "dutch"},
    {"sv", "swedish"},    {"da", "danish"},  {"el", "greek"},      {"ar", "arabic"},
    {"ro", "romanian"},   {"id", "indonesian"}, {"fi", "finnish"}, {"lt", "lithuanian"},
    {"hu", "hungarian"},  {"tr", "turkish"},
    {"hr", "serbian"},  // no Croatian stemmer: Serbian's Latin-script rules
    {"ca", "catalan"},    {"hi", "hindi"},   {"no", "norwegian"}, {"ga", "irish"}};

// The gloss of a function word (der, est, що): no feature, as for an
// English stopword (scripts/build-lexicon.py, STOP).
constexpr std::string_view kFunctionWord = "-";

// Czech and Polish have no Snowball stemmer and their tables hold
// dictionary forms: a word the table lacks is tried without each case or
// verb ending it has, longest first (at least three letters left), as is
// or with a dictionary form's ending put back. In the dev and GNOME pages this finds
// 0.70 of Polish words instead of 0.41, 0.49 of Czech instead of 0.37.
struct SlavicEndings {
  std::string_view lang;
  std::string_view table;  // whose forms are looked up (Slovak: Czech's)
  // Russian's tables tried last, by form and Snowball stem: Bulgarian
  // spells most of the stems it shares with Russian alike.
  bool russian_fallback;
  // Endings, longest first; an ending with a dictionary ending of its own
  // (wartości → wartość) puts back only that one.
  std::vector<std::pair<std::string_view, std::string_view>> endings;
  std::vector<std::string_view> dictionary_endings;  // put back otherwise
  // Tried after the word as it is, if it spells it otherwise.
  Respelling respell = nullptr;
};
const SlavicEndings kSlavicEndings[] = {
    {"pl", "pl", false,
     {{"ości", "ość"}, {"owie", ""}, {"ami", ""}, {"ach", ""}, {"ego", ""}, {"emu", ""},
      {"ymi", ""}, {"ych", ""}, {"owi", ""}, {"ców", ""}, {"cie", ""}, {"imi", ""},
      {"ich", ""}, {"ej", ""}, {"ów", ""}, {"om", ""}, {"ie", ""}, {"em", ""}, {"ym", ""},
      {"ą", ""}, {"ę", ""}, {"y", ""}, {"i", ""}, {"a", ""}, {"u", ""}, {"e", ""}, {"o", ""}},
     {"", "a", "y", "e", "o", "ie"}},
    {"cs", "cs", false,
     {{"osti", "ost"}, {"ími", ""}, {"ech", ""}, {"ích", ""}, {"ách", ""}, {"ami", ""},
      {"emi", ""}, {"ého", ""}, {"ému", ""}, {"ými", ""}, {"ých", ""}, {"ovi", ""}, {"ové", ""},
      {"ům", ""}, {"ou", ""}, {"ém", ""}, {"ým", ""}, {"em", ""}, {"ě", ""}, {"e", ""}, {"i", ""},
      {"í", ""}, {"y", ""}, {"ý", ""}, {"a", ""}, {"á", ""}, {"u", ""}, {"ů", ""}, {"o", ""}},
     {"", "a", "y", "e", "o", "\xC3\xAD"}},  // í
    // Slovak words are looked up in Czech's table (sk.tsv is small):
    // most stems are spelt alike (právo, sloboda ~ svoboda aside).
    {"sk", "cs", false,
     {{"osti", "ost"}, {"ami", ""}, {"ách", ""}, {"ého", ""}, {"ému", ""}, {"ými", ""},
      {"ých", ""}, {"och", ""}, {"ovi", ""}, {"ov", ""}, {"om", ""}, {"ou", ""}, {"ej", ""},
      {"ie", ""}, {"ia", ""}, {"iu", ""}, {"ým", ""}, {"é", ""}, {"í", ""}, {"y", ""}, {"ý", ""},
      {"a", ""}, {"á", ""}, {"u", ""}, {"e", ""}, {"i", ""}, {"o", ""}},
     {"", "a", "e", "o", "\xC3\xAD", "\xC3\xBD", "ost"}},  // í, ý: staré → starý
    // Slovenian adjectives: svobodni, svobodna → svoboden.
    {"sl", "sl", false,
     {{"nega", "en"}, {"nemu", "en"}, {"nih", "en"}, {"nim", "en"}, {"ega", ""}, {"emu", ""},
      {"ami", ""}, {"imi", ""}, {"ni", "en"}, {"na", "en"}, {"no", "en"}, {"ne", "en"},
      {"ih", ""}, {"im", ""}, {"om", ""}, {"em", ""}, {"ov", ""}, {"ev", ""}, {"ah", ""},
      {"jo", "ti"}, {"mo", "ti"}, {"ta", ""}, {"a", ""}, {"e", ""}, {"i", ""}, {"o", ""},
      {"u", ""}},
     {"", "a", "o", "e", "ti"}},
    // Bulgarian: definite articles and plurals; adjectives back to -ен.
    {"bg", "bg", true,
     {{"ите", ""}, {"ата", ""}, {"ото", ""}, {"ият", ""}, {"ове", ""}, {"ища", ""},
      {"ета", ""}, {"ни", "ен"}, {"на", "ен"}, {"но", "ен"}, {"ът", ""}, {"ят", ""},
      {"та", ""}, {"то", ""}, {"те", ""}, {"ия", ""}, {"ат", ""}, {"и", ""}, {"а", ""},
      {"я", ""}, {"о", ""}, {"е", ""}},
     {"", "а", "я", "о", "е", "ие", "м"}},
    // Macedonian, through Bulgarian's tables (then Russian's): its
    // definite articles (-от, -та, -то, -те and their -ов/-он forms),
    // plurals, adjectives back to -ен. Its own letters are tried as
    // Bulgarian writes them (MacedonianAsBulgarian).
    {"mk", "bg", true,
     {{"ите", ""}, {"ата", ""}, {"ото", ""}, {"ови", ""}, {"еви", ""},
      {"ни", "ен"}, {"на", "ен"}, {"но", "ен"}, {"от", ""}, {"ов", ""}, {"он", ""},
      {"та", ""}, {"то", ""}, {"те", ""}, {"ва", ""}, {"во", ""}, {"ве", ""}, {"и", ""},
      {"а", ""}, {"о", ""}, {"е", ""}},
     {"", "а", "о", "е", "ие"},
     &MacedonianAsBulgarian},
};

std::string_view StemAlgorithm(std::string_view lang) {
  for (const auto& [code, algorithm] : kStemmers) {
    if (code == lang) return algorithm;
  }
  return "";
}

// Byte offsets of the code points of `s`. On the stack for a word of up to 32
// code points: a first sighting of a word (Basque's and Korean's heads,
// German compounds) asks for them, and the heap allocation was a tenth of
// a Basque-read word's time.
absl::InlinedVector<size_t, 32> CodePointStarts(std::string_view s) {
  absl::InlinedVector<size_t, 32> starts;
  for (size_t i = 0; i < s.size();) {
    size_t len;
    DecodeUtf8At(s, i, &len);
    starts.push_back(i);
    i += len;
  }
  return starts;
}

// How many code points `s` has (the bytes that do not continue a
// sequence; `s` is valid UTF-8, as every token is).
size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool IsHan(uint32_t cp) {
  return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x2FFFF);
}

// `word` respelt: `map(cp, rest, &out)` appends the replacement of each
// code point `cp` and returns how many bytes of `rest` (what follows it)
// it also took, or -1 to keep the code point as it is.
template <typename Map>
std::string Respell(std::string_view word, Map map) {
  std::string out;
  out.reserve(word.size());
  for (size_t i = 0; i < word.size();) {
    size_t len;
    const uint32_t cp = DecodeUtf8At(word, i, &len);
    const int took = map(cp, word.substr(i + len), &out);
    if (took < 0) {
      out.append(word.substr(i, len));
    } else {
      len += static_cast<size_t>(took);
    }
    i += len;
  }
  return out;
}

// A Ukrainian word its table lacks, spelled as Russian would spell it (і ї
// → и, є → е, ґ → г, the apostrophe → ь, and with or without и → ы), for
// the many words the two languages share (командним → командным,
// маршрутизатором, клавіші → клавиши): 0.66 → 0.72 of the words of
// GNOME's Ukrainian pages glossed.
std::string UkrainianAsRussian(std::string_view word, bool y_for_i) {
  return Respell(word, [&](uint32_t cp, std::string_view, std::string* out) {
    switch (cp) {
      case 0x456: case 0x457: *out += "\xD0\xB8"; return 0;             // і ї → и
      case 0x454: *out += "\xD0\xB5"; return 0;                          // є → е
      case 0x491: *out += "\xD0\xB3"; return 0;                          // ґ → г
      case '\'': case 0x2019: case 0x2BC: *out += "\xD1\x8C"; return 0;  // ' ’ ʼ → ь
      case 0x438: *out += y_for_i ? "\xD1\x8B" : "\xD0\xB8"; return 0;  // и
      default: return -1;
    }
  });
}

// A Macedonian word in Bulgarian letters: ја → я, ј → й, љ → л, њ → н,
// ќ → к, ѓ → г, ѕ → з (слобода and право are spelt alike already).
std::string MacedonianAsBulgarian(std::string_view word) {
  return Respell(word, [](uint32_t cp, std::string_view rest, std::string* out) {
    switch (cp) {
      case 0x458:  // ј; ја → я
        if (rest.starts_with("\xD0\xB0")) {
          *out += "\xD1\x8F";
          return 2;
        }
        *out += "\xD0\xB9";
        return 0;
      case 0x459: *out += "\xD0\xBB"; return 0;  // љ → л
      case 0x45A: *out += "\xD0\xBD"; return 0;  // њ → н
      case 0x45C: *out += "\xD0\xBA"; return 0;  // ќ → к
      case 0x453: *out += "\xD0\xB3"; return 0;  // ѓ → г
      case 0x455: *out += "\xD0\xB7"; return 0;  // ѕ → з
      default: return -1;
    }
  });
}

// A Belarusian word as Russian would spell it: і → и, ў → в, э → е,
// ' → ь, дз → д (дзень: день); with `akanye`, also а → о but at the end,
// since Belarusian writes an unstressed о as а (галава: голова).
std::string BelarusianAsRussian(std::string_view word, bool akanye) {
  return Respell(word, [&](uint32_t cp, std::string_view rest, std::string* out) {
    switch (cp) {
      case 0x456: *out += "\xD0\xB8"; return 0;                          // і → и
      case 0x45E: *out += "\xD0\xB2"; return 0;                          // ў → в
      case 0x44D: *out += "\xD0\xB5"; return 0;                          // э → е
      case '\'': case 0x2019: case 0x2BC: *out += "\xD1\x8C"; return 0;  // ' ’ ʼ → ь
      case 0x434:                                                         // д; дз → д
        *out += "\xD0\xB4";
        return rest.starts_with("\xD0\xB7") ? 2 : 0;
      case 0x430:  // а, not at the end (the ending is often а in Russian too)
        *out += akanye && !rest.empty() ? "\xD0\xBE" : "\xD0\xB0";
        return 0;
      default: return -1;
    }
  });
}

// A word of a Brahmic script as Devanagari writes it, to be read with
// Hindi's table: the scripts' Unicode blocks keep ISCII's common layout, so
// a letter is the Devanagari one at the same offset from its block's start
// (`kBlock`: Bengali and Assamese 0x980, Gurmukhi 0xA00, Gujarati 0xA80,
// Telugu 0xC00, Kannada 0xC80), as ICU's Bengali-Devanagari and the like
// transliterate them, but for what those blocks add: Assamese ৰ and ৱ
// are र and व, Bengali's khanda ta ৎ is त्, Gurmukhi's tippi ੰ is ं and its
// addak ੱ doubles the consonant after it (ਪੱਕਾ, पक्का). Tatsama words meet:
// অধিকার, અધિકાર, अधिकार (a right); শিক্ষা, शिक्षा (education).
template <uint32_t kBlock>
std::string BrahmicAsDevanagari(std::string_view word) {
  auto append = [](uint32_t cp, std::string* out) {  // U+0800-FFFF: 3 bytes
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  };
  std::string out;
  bool double_next = false;  // after a Gurmukhi addak
  for (size_t i = 0; i < word.size();) {
    size_t len;
    const uint32_t cp = DecodeUtf8At(word, i, &len);
    if (cp < kBlock || cp >= kBlock + 0x80) {
      out.append(word.substr(i, len));
      i += len;
      continue;
    }
    i += len;
    uint32_t d = cp - kBlock + 0x900;
    if (kBlock == 0x980 && cp == 0x9F0) d = 0x930;         // ৰ
    if (kBlock == 0x980 && cp == 0x9F1) d = 0x935;         // ৱ
    if (kBlock == 0xA00 && cp == 0xA70) d = 0x902;         // ੰ
    if (kBlock == 0xA00 && cp == 0xA71) {                  // ੱ
      double_next = true;
      continue;
    }
    if (kBlock == 0x980 && cp == 0x9CE) {  // ৎ: त, then a virama
      append(0x924, &out);
      append(0x94D, &out);
      continue;
    }
    if (double_next) {
      append(d, &out);
      append(0x94D, &out);  // virama
      double_next = false;
    }
    append(d, &out);
  }
  return out;
}

// Persian as Urdu writes the same word: a final he (ه) is Urdu's he goal
// (ہ): فاصله, فاصلہ.
std::string PersianAsUrdu(std::string_view word) {
  constexpr std::string_view kHe = "\u0647", kHeGoal = "\u06C1";
  std::string out(word);
  if (out.ends_with(kHe)) out.replace(out.size() - kHe.size(), kHe.size(), kHeGoal);
  return out;
}

// Persian as Arabic writes the same word: Arabic's yeh (ي) and kaf (ك) for
// Persian's (ی, ک): سیاسی, سياسي.
std::string PersianAsArabic(std::string_view word) {
  return absl::StrReplaceAll(absl::string_view(word.data(), word.size()),
                             {{"\u06CC", "\u064A"}, {"\u06A9", "\u0643"}});
}

// An Asturian word as Spanish spells it: ll- → l-, x → j, -u → -o,
// -es → -as, -á → -ad (llibertá: libertad, drechu: drecho, xente: gente).
std::string AsturianAsSpanish(std::string_view word) {
  std::string out(word.starts_with("ll") ? word.substr(1) : word);
  for (char& c : out) {
    if (c == 'x') c = 'j';
  }
  if (out.ends_with("u")) {
    out.back() = 'o';
  } else if (out.ends_with("es")) {
    out.replace(out.size() - 2, 2, "as");
  } else if (out.ends_with("\xC3\xA1")) {  // á
    out.replace(out.size() - 2, 2, "ad");
  }
  return out;
}

// Japanese particles and inflections: hiragana-only tokens (with the long
// vowel mark), or a single katakana character.
bool IsKanaFunctionWord(std::string_view token) {
  size_t count = 0;
  bool hiragana_only = true, katakana = false;
  for (size_t i = 0; i < token.size();) {
    size_t len;
    const uint32_t cp = DecodeUtf8At(token, i, &len);
    i += len;
    ++count;
    if (!((cp >= 0x3040 && cp <= 0x309F) || cp == 0x30FC)) hiragana_only = false;
    if (cp >= 0x30A0 && cp <= 0x30FF) katakana = true;
  }
  return hiragana_only || (count == 1 && katakana);
}

bool IsLatinToken(std::string_view token) {
  for (char c : token) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-' || c == '.' || c == '\'')) {
      return false;
    }
  }
  return !token.empty();
}

// Latin script, accented letters included (niš, đak): every code point
// below U+0250.
bool IsLatinScriptToken(std::string_view token) {
  for (size_t i = 0; i < token.size();) {
    size_t len;
    if (DecodeUtf8At(token, i, &len) >= 0x250) return false;
    i += len;
  }
  return !token.empty();
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// How many ASCII digits `s` has in a row from `i`.
size_t DigitsFrom(std::string_view s, size_t i) {
  size_t n = 0;
  while (i + n < s.size() && IsAsciiDigit(s[i + n])) ++n;
  return n;
}

// The separator (',' or '.') at `i` between two digits of `s`, as every
// language's numbers are read alike: nothing before a group of three
// digits (a thousands separator: 1,250, 1.250 and 1250 are one number), a
// point otherwise (a decimal one: 5,5 is 5.5). Anchors and NumbersOf.
void AppendSeparator(std::string_view s, size_t i, std::string* out) {
  if (DigitsFrom(s, i + 1) != 3) out->push_back('.');
}

// The length of `token`'s leading number if the rest of it is letters (an
// ending or a unit: 28th, 1994년, 10GB), else of the whole token (x86_64,
// v1.2, 3D: one digit is too little to be the number of a date or count).
size_t NumberWithEndingLength(std::string_view token) {
  size_t n = DigitsFrom(token, 0);
  if (n == 0) return token.size();
  size_t digits = n;
  while (n + 1 < token.size() && (token[n] == '.' || token[n] == ',') &&
         IsAsciiDigit(token[n + 1])) {
    const size_t more = DigitsFrom(token, n + 1);
    digits += more;
    n += 1 + more;
  }
  if (digits < 2 || n == token.size()) return token.size();
  for (size_t i = n; i < token.size(); ++i) {
    const char c = token[i];
    if (IsAsciiDigit(c) || c == '_' || c == '.' || c == ',' || c == '-' || c == '\'' ||
        c == ':' || c == '/') {
      return token.size();
    }
  }
  return n;
}

bool HasDigit(std::string_view token) {
  return std::any_of(token.begin(), token.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// `token` with the decimal digits of other scripts as ASCII digits (Arabic
// ١٩٤٨, Persian ۱۹۴۸, Devanagari १९४८, Bengali ১৯৪৮, Thai ๑๙๔๘, full-width
// １９４８: 1948) and the Arabic decimal and thousands separators (٫ ٬) as
// '.' and ','; false, leaving `out` alone, if it has no such digit.
bool WithAsciiDigits(std::string_view token, std::string* out) {
  if (std::all_of(token.begin(), token.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return false;
  }
  std::string s;
  bool digit = false;
  for (size_t i = 0; i < token.size();) {
    size_t len;
    const uint32_t cp = DecodeUtf8At(token, i, &len);
    if (cp >= 0x80 && u_charType(static_cast<UChar32>(cp)) == U_DECIMAL_DIGIT_NUMBER) {
      s.push_back(static_cast<char>('0' + u_charDigitValue(static_cast<UChar32>(cp))));
      digit = true;
    } else if (cp == 0x066B || cp == 0x066C) {
      s.push_back(cp == 0x066B ? '.' : ',');
    } else {
      s.append(token.substr(i, len));
    }
    i += len;
  }
  if (digit) *out = std::move(s);
  return digit;
}

// Cyrillic case endings with a consonant (Путиным, Макроном, Зеленского),
// which a name key would keep; vowel endings drop out of it anyway.
// Longest first. Not -ов/-ев: Лавров, Медведев.
constexpr std::string_view kCyrillicNameEndings[] = {
    "ого", "его", "ому", "ему", "ыми", "ими", "ым", "им", "ом", "ем"};

// Korean particles after a name (바이든은, 푸틴을): the ones whose
// consonants a key would keep, and not those that often end a name
// itself (콜로라도, 오타와, 니카라과, 리가). Longest first.
constexpr std::string_view kKoreanParticles[] = {
    "에서", "에게", "께서", "으로", "은", "는", "을", "를"};

// `token` without one of `endings`, if at least `keep` code points stay.
std::string_view WithoutEnding(std::string_view token,
                               std::span<const std::string_view> endings,
                               size_t keep) {
  const size_t letters = CodePointCount(token);
  for (std::string_view e : endings) {
    if (token.ends_with(e) && letters - CodePointCount(e) >= keep) {
      return token.substr(0, token.size() - e.size());
    }
  }
  return token;
}

// True if some code point of `token` is in `in`.
template <typename Pred>
bool HasCodePoint(std::string_view token, Pred in) {
  for (size_t i = 0; i < token.size();) {
    size_t len;
    const uint32_t cp = DecodeUtf8At(token, i, &len);
    if (in(cp)) return true;
    i += len;
  }
  return false;
}

bool HasHan(std::string_view token) { return HasCodePoint(token, IsHan); }

bool HasHiragana(std::string_view token) {
  return HasCodePoint(token, [](uint32_t cp) { return cp >= 0x3040 && cp <= 0x309F; });
}

// The first variant zh_chars.tsv lists for the character `ch` (Unihan's
// variant fields, in file order: for a simplified character mostly its
// traditional form) other than `ch` itself, or empty.
std::string_view FirstVariant(const Lexicon& lex, std::string_view ch) {
  const std::string_view v = lex.CharVariants(ch);
  for (size_t i = 0; i < v.size();) {
    size_t len;
    DecodeUtf8At(v, i, &len);
    if (v.substr(i, len) != ch) return v.substr(i, len);
    i += len;
  }
  return {};
}

// One spelling for the characters that first variants link: each
// character has at most one first variant, so following them from any
// character ends at one with none (习 → 習) or in one cycle (会 → 會 →
// 会; 国 → 國 → 囯 → 國), the same for every character that leads there;
// that character, or the cycle's lowest code point, is the spelling. (The
// first variant alone is no spelling: 会 → 會 but 會 → 会.)
std::string_view CanonicalHan(const Lexicon& lex, std::string_view ch) {
  std::vector<std::string_view> path = {ch};
  for (int step = 0; step < 32; ++step) {
    const std::string_view v = FirstVariant(lex, path.back());
    if (v.empty()) return path.back();
    auto seen = std::find(path.begin(), path.end(), v);
    if (seen != path.end()) {
      std::string_view lowest = *seen;
      for (auto it = seen; it != path.end(); ++it) {
        size_t l1, l2;
        if (DecodeUtf8At(*it, 0, &l1) < DecodeUtf8At(lowest, 0, &l2)) lowest = *it;
      }
      return lowest;
    }
    path.push_back(v);
  }
  return path.back();
}

// `token` with each character (UTF-8) replaced by spell(character).
template <typename Spell>
std::string RespellChars(std::string_view token, Spell spell) {
  std::string out;
  for (size_t i = 0; i < token.size();) {
    size_t len;
    DecodeUtf8At(token, i, &len);
    out.append(spell(token.substr(i, len)));
    i += len;
  }
  return out;
}

// `token` with each character written in CanonicalHan's spelling.
std::string CanonicalHanSpelling(const Lexicon& lex, std::string_view token) {
  return RespellChars(token, [&](std::string_view ch) { return CanonicalHan(lex, ch); });
}

// `token` with each character the lexicon lists a variant of written as
// its first variant (Unihan's traditional, Z or semantic variants in file
// order; for a simplified character mostly its traditional form, EDICT's
// and often Japanese's): 设置 → 設置. One step only, for looking words up
// in EDICT; CanonicalHanSpelling gives one spelling for features.
std::string FoldHanVariants(const Lexicon& lex, std::string_view token) {
  return RespellChars(token, [&](std::string_view ch) {
    const std::string_view v = lex.CharVariants(ch);
    if (v.empty()) return ch;
    size_t len;
    DecodeUtf8At(v, 0, &len);
    return v.substr(0, len);
  });
}

bool IsKatakanaWord(std::string_view token) {
  for (size_t i = 0; i < token.size();) {
    size_t len;
    const uint32_t cp = DecodeUtf8At(token, i, &len);
    if (!((cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC)) return false;
    i += len;
  }
  return !token.empty();
}

// True if the token's first code point is in [lo, hi].
bool StartsInRange(std::string_view token, uint32_t lo, uint32_t hi) {
  size_t len;
  const uint32_t cp = token.empty() ? 0 : DecodeUtf8At(token, 0, &len);
  return cp >= lo && cp <= hi;
}
bool IsCyrillic(std::string_view token) { return StartsInRange(token, 0x400, 0x4FF); }
bool IsHangul(std::string_view token) { return StartsInRange(token, 0xAC00, 0xD7A3); }

std::string_view FirstWord(std::string_view v) {
  const size_t end = v.find_first_of(" \t");
  return end == std::string_view::npos ? v : v.substr(0, end);
}

}  // namespace

std::string DefaultLexiconDir() {
  const char* env = std::getenv("NEARDUP_LEXICON");
  if (env != nullptr && env[0] != '\0') return env;
  return NEARDUP_DEFAULT_LEXICON_DIR;
}

uint32_t FeatureId(std::string_view feature) {
  const uint64_t h = XXH3_64bits(feature.data(), feature.size());
  const auto id = static_cast<uint32_t>(h ^ (h >> 32));
  return feature.starts_with(kNameKeyPrefix) ? (id | 1u) : (id & ~1u);
}

namespace {

std::string ReadWhole(const std::filesystem::path& path, bool* found) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  *found = bytes.ok();
  return bytes.ok() ? *std::move(bytes) : std::string();
}

// Calls fn(key, rest-of-line) for each "key\tvalue..." line.
template <typename Fn>
void EachLine(std::string_view all, Fn fn) {
  while (!all.empty()) {
    const size_t nl = all.find('\n');
    const std::string_view line = all.substr(0, nl);
    all = nl == std::string_view::npos ? std::string_view() : all.substr(nl + 1);
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
      fn(line, std::string_view());
    } else {
      fn(line.substr(0, tab), line.substr(tab + 1));
    }
  }
}

}  // namespace

struct Lexicon::Table {
  std::once_flag once;
  // Forms and stems (X.tsv, X.stem.tsv); for zh, one file whose lines are
  // "character<TAB>glosses<TAB>variants".
  LineIndex a, b;
  bool found = false;  // X.tsv (zh: zh_chars.tsv) opened
};

Lexicon::~Lexicon() = default;

absl::StatusOr<std::shared_ptr<const Lexicon>> Lexicon::Load(
    const std::string& dir) {
  auto lex = std::shared_ptr<Lexicon>(new Lexicon());
  lex->dir_ = dir;
  bool found;
  lex->stop_bytes_ = ReadWhole(std::filesystem::path(dir) / "en.stop", &found);
  if (!found) {
    return absl::NotFoundError(absl::StrCat(
        "no lexicon in '", dir,
        "' (cross-language grouping needs it: run scripts/build.sh, which "
        "runs scripts/build-lexicon.py, or pass --lexicon DIR, or "
        "--no-cross-language)"));
  }
  EachLine(lex->stop_bytes_, [&](std::string_view k, std::string_view) {
    if (!k.empty()) lex->stop_.insert(k);
  });
  for (size_t i = 0; i <= std::size(kLexiconLanguages); ++i) {
    lex->tables_.push_back(std::make_unique<Table>());
  }
  // Name keys need the vocabulary: a table that cannot be read would make
  // every word a name.
  lex->has_vocabulary_ = lex->TableFor("en_vocab")->found;
  return std::shared_ptr<const Lexicon>(std::move(lex));
}

const Lexicon::Table* Lexicon::TableFor(std::string_view lang) const {
  namespace fs = std::filesystem;
  // Each table's index, zh (Unihan characters) last: a hash look-up, not a
  // scan of 37 names (en_vocab, the most asked, came last) at every word.
  static const absl::flat_hash_map<absl::string_view, size_t> kIndex = [] {
    absl::flat_hash_map<absl::string_view, size_t> m;
    for (size_t i = 0; i < std::size(kLexiconLanguages); ++i) {
      m[absl::string_view(kLexiconLanguages[i].data(), kLexiconLanguages[i].size())] = i;
    }
    m["zh"] = std::size(kLexiconLanguages);
    return m;
  }();
  const auto slot = kIndex.find(absl::string_view(lang.data(), lang.size()));
  if (slot == kIndex.end()) return nullptr;
  Table* t = tables_[slot->second].get();
  std::call_once(t->once, [&] {
    // A missing file is an empty table: the lexicon has no such words.
    auto open = [&](const std::string& name, bool* found = nullptr) {
      absl::StatusOr<LineIndex> index = LineIndex::Open(fs::path(dir_) / name);
      if (found != nullptr) *found = index.ok();
      return index.ok() ? *std::move(index) : LineIndex();
    };
    if (lang == "zh") {
      t->a = open("zh_chars.tsv", &t->found);
      return;
    }
    const std::string l(lang);
    t->a = open(l + ".tsv", &t->found);
    t->b = open(l + ".stem.tsv");
  });
  return t;
}

std::string_view Lexicon::Lookup(std::string_view lang, Column column,
                                 std::string_view key) const {
  const Table* t = TableFor(lang);
  if (t == nullptr) return {};
  if (lang == "zh") {  // one file: glosses, then variants
    const std::string_view rest = t->a.Find(key);
    const size_t tab = rest.find('\t');
    if (column == Column::kFirst) return FirstWord(rest.substr(0, tab));
    return tab == std::string_view::npos ? std::string_view() : rest.substr(tab + 1);
  }
  return FirstWord((column == Column::kFirst ? t->a : t->b).Find(key));
}

std::string_view Lexicon::Form(std::string_view lang,
                               std::string_view word) const {
  return Lookup(lang, Column::kFirst, word);
}

std::string_view Lexicon::Stem(std::string_view lang,
                               std::string_view stem) const {
  return Lookup(lang, Column::kSecond, stem);
}

void NumbersOf(const TokenList& tokens, std::string_view lang, DocumentNumbers* out) {
  out->hashes.clear();
  const bool buddhist_era = lang == "th" || lang == "lo" || lang == "km";
  auto add = [&](std::string_view number) {
    const uint32_t h = static_cast<uint32_t>(XXH3_64bits(number.data(), number.size()));
    const bool year = number.size() == 4 && number >= "1900" && number <= "2099" &&
                      number.find_first_not_of("0123456789") == std::string_view::npos;
    out->hashes.push_back(year ? (h | DocumentNumbers::kYearBit)
                               : (h & ~DocumentNumbers::kYearBit));
  };
  auto all_digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::string previous;  // the token before, if all digits (a copy: `ascii` changes)
  std::string ascii, number;
  // A number starts its token (ICU's word break keeps 7.4, 1,250 and
  // 08.02.2014 whole and apart from letters of other scripts: 2024年).
  // Only the first byte is looked at: this runs on every token of every
  // document (a scan of each token's bytes cost c100k 0.3 s). The digits
  // of other scripts start with these bytes: U+0660-06F9 (Arabic,
  // Persian) 0xD9 and 0xDB, U+0966-1819 (Indic, Thai, Lao, Tibetan,
  // Myanmar, Khmer, Mongolian) 0xE0 and 0xE1.
  static constexpr std::array<bool, 256> kMayStartNumber = [] {
    std::array<bool, 256> may{};
    for (int c = '0'; c <= '9'; ++c) may[c] = true;
    may[0xD9] = may[0xDB] = may[0xE0] = may[0xE1] = true;
    return may;
  }();
  // Tokens 64 at a time: a bit for each that may start a number, and one
  // for each word between (not empty, and not such a token), which ends a
  // number's groups (12 000); then the former alone, in order. (A branch
  // on each token kept this loop's counter on the stack: 2.2 ns a token
  // in BM_NumbersOf.)
  const size_t num_tokens = tokens.size();
  bool word_before = false;  // a word since the last token looked at
  for (size_t base = 0; base < num_tokens; base += 64) {
    const size_t in_block = std::min<size_t>(64, num_tokens - base);
    uint64_t may = 0, words = 0;
    for (size_t k = 0; k < in_block; ++k) {
      const unsigned char lead = tokens.first_byte(base + k);
      may |= static_cast<uint64_t>(kMayStartNumber[lead]) << k;
      words |= static_cast<uint64_t>(lead != 0) << k;
    }
    words &= ~may;
    size_t done = 0;  // tokens of the block before this one
    for (uint64_t left = may; left != 0; left &= left - 1) {
      const size_t k = static_cast<size_t>(std::countr_zero(left));
      const uint64_t below_k = (uint64_t{1} << k) - 1;
      const uint64_t below_done = done == 64 ? ~uint64_t{0} : (uint64_t{1} << done) - 1;
      if (word_before || (words & below_k & ~below_done) != 0) previous.clear();
      word_before = false;
      done = k + 1;
      const size_t t = base + k;
      const unsigned char lead = tokens.first_byte(t);
      const bool digit = lead >= '0' && lead <= '9';
      std::string_view token = tokens[t];
      if (digit) {
        // as it is
      } else {
        size_t len;
        if (u_charType(static_cast<UChar32>(DecodeUtf8At(token, 0, &len))) != U_DECIMAL_DIGIT_NUMBER) {
          previous.clear();
          continue;
        }
        if (WithAsciiDigits(token, &ascii)) token = ascii;
      }
      // 12 000 (fr, fi, hu, ru: a space between groups of three) is 12000.
      if (token.size() == 3 && all_digits(token) && previous.size() >= 1 &&
          previous.size() <= 3 && all_digits(previous)) {
        number.assign(previous);
        number.append(token);
        add(number);
        previous.clear();
        continue;
      }
      if (all_digits(token)) {
        previous.assign(token);
      } else {
        previous.clear();
      }
      for (size_t i = 0; i < token.size();) {
        if (token[i] < '0' || token[i] > '9') {
          ++i;
          continue;
        }
        number.clear();
        while (i < token.size()) {
          if (token[i] >= '0' && token[i] <= '9') {
            number.push_back(token[i++]);
          } else if ((token[i] == '.' || token[i] == ',') && i + 1 < token.size() &&
                     token[i + 1] >= '0' && token[i + 1] <= '9') {
            AppendSeparator(token, i, &number);
            ++i;
          } else {
            break;
          }
        }
        if (number.size() >= 3 && number.find_first_not_of('0') != std::string::npos) add(number);
        if (buddhist_era && number.size() == 4 && all_digits(number) && number >= "2400" &&
            number <= "2700") {
          add(std::to_string(std::stoi(number) - 543));
        }
      }
    }
    if (done < 64 && (words >> done) != 0) word_before = true;
  }
  std::sort(out->hashes.begin(), out->hashes.end());
  out->hashes.erase(std::unique(out->hashes.begin(), out->hashes.end()), out->hashes.end());
  out->count = static_cast<uint32_t>(out->hashes.size());
  out->years = static_cast<uint32_t>(
      std::count_if(out->hashes.begin(), out->hashes.end(),
                    [](uint32_t h) { return (h & DocumentNumbers::kYearBit) != 0; }));
  if (out->hashes.size() > DocumentNumbers::kMaxNumbers) {
    out->hashes.resize(DocumentNumbers::kMaxNumbers);
  }
}

bool NumbersAgree(std::span<const uint32_t> a, uint32_t count_a,
                  std::span<const uint32_t> b, uint32_t count_b,
                  uint32_t min_count, double share) {
  if (share <= 0 || count_a < min_count || count_b < min_count) return true;
  // Bottom-k: among the k smallest hashes of the union, the share in both
  // estimates Jaccard (exact when both sets are whole).
  const size_t k = std::min<size_t>(DocumentNumbers::kMaxNumbers, count_a + count_b);
  size_t i = 0, j = 0, seen = 0, both = 0;
  while (seen < k && (i < a.size() || j < b.size())) {
    if (j == b.size() || (i < a.size() && a[i] < b[j])) {
      ++i;
    } else if (i == a.size() || b[j] < a[i]) {
      ++j;
    } else {
      ++i, ++j, ++both;
    }
    ++seen;
  }
  if (seen == 0) return true;
  const double jaccard = static_cast<double>(both) / static_cast<double>(seen);
  // |A ∩ B| = J (|A| + |B|) / (1 + J); its share of the smaller set.
  const double common = jaccard * (count_a + count_b) / (1 + jaccard);
  return common >= share * std::min(count_a, count_b);
}

bool NumbersAgreeBesidesYears(std::span<const uint32_t> a, uint32_t count_a, uint32_t years_a,
                              std::span<const uint32_t> b, uint32_t count_b, uint32_t years_b,
                              uint32_t min_count, double share) {
  // Without its years a kept sample is still its set's smallest hashes.
  thread_local std::vector<uint32_t> xa, xb;
  auto besides = [](std::span<const uint32_t> in, std::vector<uint32_t>* out) {
    out->clear();
    for (uint32_t h : in) {
      if ((h & DocumentNumbers::kYearBit) == 0) out->push_back(h);
    }
  };
  besides(a, &xa);
  besides(b, &xb);
  return NumbersAgree(xa, count_a - years_a, xb, count_b - years_b, min_count, share);
}

std::string_view Lexicon::Name(std::string_view lang,
                               std::string_view word) const {
  if (lang == "no") lang = "nb";  // CLDR's Norwegian is nb (and nn)
  // "lang:word", on the stack for a word of up to 60 bytes.
  absl::InlinedVector<char, 64> key(lang.begin(), lang.end());
  key.push_back(':');
  key.insert(key.end(), word.begin(), word.end());
  return Lookup("names", Column::kFirst, std::string_view(key.data(), key.size()));
}

bool Lexicon::IsGlossWord(std::string_view stem) const {
  return !Lookup("en_vocab", Column::kFirst, stem).empty();
}

std::string_view Lexicon::CharVariants(std::string_view ch) const {
  return Lookup("zh", Column::kSecond, ch);
}

namespace {

// Sorts 32-bit ids: a least-significant-digit radix sort (four passes of
// 8 bits, one counting pass for all four) above a few dozen ids, where it
// takes about a third of std::sort's time on a document's feature ids.
void SortIds(std::vector<uint32_t>* ids, std::vector<uint32_t>* scratch) {
  const size_t n = ids->size();
  if (n < 64) {
    std::sort(ids->begin(), ids->end());
    return;
  }
  uint32_t count[4][257] = {};
  for (uint32_t v : *ids) {
    ++count[0][(v & 0xff) + 1];
    ++count[1][((v >> 8) & 0xff) + 1];
    ++count[2][((v >> 16) & 0xff) + 1];
    ++count[3][(v >> 24) + 1];
  }
  scratch->resize(n);
  uint32_t* from = ids->data();
  uint32_t* to = scratch->data();
  for (int pass = 0; pass < 4; ++pass) {
    uint32_t* c = count[pass];
    for (int b = 1; b <= 256; ++b) c[b] += c[b - 1];
    const int shift = 8 * pass;
    for (size_t i = 0; i < n; ++i) to[c[(from[i] >> shift) & 0xff]++] = from[i];
    std::swap(from, to);
  }
  // Four passes: the sorted ids are back in *ids.
}

// Drops the repeats of sorted ids, with no branch on whether an id repeats
// (std::unique's mispredicted on most of a document's ids, as about half
// of them repeat, at random: a third of PivotFeaturizer::Features' time
// in BM_PivotFeatures).
void DropRepeats(std::vector<uint32_t>* ids) {
  if (ids->size() < 2) return;
  uint32_t* v = ids->data();
  uint32_t last = v[0];
  size_t kept = 1;
  for (size_t i = 1; i < ids->size(); ++i) {
    const uint32_t x = v[i];
    v[kept] = x;
    kept += x != last;
    last = x;
  }
  ids->resize(kept);
}

// The transforms that romanize words the lexicon lacks, shared by every
// featurizer (one per worker thread) in a process, with the words they have
// romanized. ICU runs rule-based transforms one at a time in a process (a
// global lock), at a few microseconds a word, so each word is romanized
// once, not once per worker. Each transform is compiled at its first use:
// compiling the three (and ICU's registry of transforms) took 15-20 ms, a
// third of a small run, and input in Latin script alone needs none.
class Romanizers {
 public:
  enum Kind { kRussian, kJapanese, kAny, kKinds };

  // `word` in Latin letters (ASCII), lower-cased; `word` itself, lower-cased,
  // if ICU cannot make the transform (its data missing: the tokenizer's
  // ICU services would have failed first).
  std::string Apply(Kind kind, std::string_view word) const {
    // Korean words, Cyrillic ones of Russian, Ukrainian, Belarusian,
    // Serbian and Macedonian letters, Japanese kana, and ASCII and Latin
    // letters need no ICU (hangul.h, russian_latin.h, kana_latin.h,
    // latin_ascii.h): the same letters, without its lock or compiling a
    // transform. No word of the 10,000 and 100,000 reference documents is
    // left to ICU; 3 of the balanced 100,000 are (i̇ş: a Latin i and a
    // combining dot; a Cyrillic word run into a Latin one).
    std::string roman;
    if (kind == kAny && HangulSyllablesToLatin(word, &roman)) return roman;
    if (kind == kRussian && RussianToLatin(word, &roman)) return roman;
    // Any-Latin gives kana to Katakana-Latin and Hiragana-Latin too (kana
    // in a document read as Korean or Chinese; a test compares them).
    if (kind != kRussian && KanaToLatin(word, &roman)) return roman;
    // A Korean word in a document read as Japanese (mixed text): ICU's
    // Japanese transform leaves Hangul syllables as they are (a test checks
    // every syllable), and so does this.
    if (kind == kJapanese && IsHangulSyllables(word)) return std::string(word);
    // E-mail addresses, Latin words with diacritics: each transform leaves
    // them to Latin-ASCII.
    if (LatinToAscii(word, &roman)) return roman;
    if (kind == kAny && CyrillicLatinToAscii(word, &roman)) return roman;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = memo_[kind].find(absl::string_view(word.data(), word.size()));
      if (it != memo_[kind].end()) return it->second;
    }
    const Transliterator* t = TransformFor(kind);
    // Outside our lock: two workers may romanize one word at once, alike.
    roman = t != nullptr ? t->Apply(word) : std::string(word);
    for (char& c : roman) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    std::lock_guard<std::mutex> lock(mu_);
    memo_[kind].emplace(std::string(word), roman);
    return roman;
  }

 private:
  const Transliterator* TransformFor(Kind kind) const {
    std::call_once(once_[kind], [&] {
      // BGN's Russian rules, then Any-Latin for the letters Russian lacks
      // (Ukrainian і ї є ґ): one romanization of a name in every Cyrillic
      // language (Байден is bayden in Bulgarian and Ukrainian too).
      static constexpr std::string_view kIds[kKinds] = {
          "Russian-Latin/BGN; Any-Latin; Latin-ASCII",
          "Katakana-Latin; Hiragana-Latin; Latin-ASCII", "Any-Latin; Latin-ASCII"};
      absl::StatusOr<std::unique_ptr<Transliterator>> t = Transliterator::Create(kIds[kind]);
      if (t.ok()) transforms_[kind] = *std::move(t);
    });
    return transforms_[kind].get();
  }

  mutable std::once_flag once_[kKinds];
  mutable std::unique_ptr<Transliterator> transforms_[kKinds];  // set once, under once_
  mutable std::mutex mu_;      // guards memo_
  mutable absl::flat_hash_map<std::string, std::string> memo_[kKinds];
};

const Romanizers* SharedRomanizers() {
  static const Romanizers shared;
  return &shared;
}

}  // namespace

PivotCaches::PivotCaches() = default;
PivotCaches::~PivotCaches() = default;

TokenCache& PivotCaches::For(std::string_view lang) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = caches_.find(absl::string_view(lang.data(), lang.size()));
  if (it == caches_.end()) {
    it = caches_.emplace(std::string(lang), std::make_unique<TokenCache>()).first;
    auto offered = offered_.find(absl::string_view(lang.data(), lang.size()));
    if (offered != offered_.end()) {
      it->second->InsertAll(offered->second);
      from_offer_ += it->second->inserted();
      offered_.erase(offered);
    }
  }
  return *it->second;
}

LanguageEntries PivotCaches::Entries(size_t max_per_language) {
  std::lock_guard<std::mutex> lock(mu_);
  LanguageEntries out;
  for (const auto& [lang, cache] : caches_) {
    out.emplace_back(lang, cache->Entries(max_per_language));
  }
  for (const auto& [lang, entries] : offered_) {
    out.emplace_back(lang, std::vector<TokenEntry>(
                               entries.begin(),
                               entries.begin() + std::min(entries.size(), max_per_language)));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  return out;
}

void PivotCaches::Offer(LanguageEntries words) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [lang, entries] : words) {
    if (!caches_.contains(lang)) offered_[lang] = std::move(entries);
  }
}

uint64_t PivotCaches::FromOffer() {
  std::lock_guard<std::mutex> lock(mu_);
  return from_offer_;
}

uint64_t PivotCaches::Inserted() {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t n = 0;
  for (const auto& [lang, cache] : caches_) n += cache->inserted();
  return n;
}

struct PivotFeaturizer::Impl {
  std::shared_ptr<const Lexicon> lexicon;
  // Per language: XXH3 of a token → feature id, or kDropped; words repeat
  // (Zipf), so most tokens skip stemming and lookups. Each is cleared when
  // it grows large (TokenCache::kLimit). `cache_of` holds this featurizer's
  // way to them, so that a document takes no lock.
  static constexpr uint32_t kDropped = 0;
  std::shared_ptr<PivotCaches> caches;
  absl::flat_hash_map<std::string, TokenCache*> cache_of;
  absl::flat_hash_map<std::string, sb_stemmer*> stemmers;
  std::vector<uint64_t> keys;      // Features: token hashes, when not given
  std::vector<uint32_t> scratch;   // Features: for SortIds
  // Features: the last id met at each slot (id mod 1024), for dropping
  // most repeats before the sort.
  std::array<uint32_t, 1024> last_at{};
  TokenList joined;                // Features: JoinKatakana's and JoinVietnamese's tokens
  // JoinVietnamese: whether vi.tsv has the syllables whose token hashes
  // hash to the key (a look-up in the table each time was a quarter of a
  // Vietnamese run). Cleared when it grows past kMaxJoins.
  static constexpr size_t kMaxJoins = size_t{1} << 20;
  absl::flat_hash_map<uint64_t, bool> vi_joins;
  std::vector<uint64_t> vi_hashes;
  const Romanizers* roman = nullptr;  // shared by all featurizers
  // Features: the document's new words, put into the shared cache at its
  // end under one lock (by word, the lock was fought over: 11-15 ms of
  // waiting among c10k's new text), and found here until then.
  std::vector<TokenEntry> pending;
  absl::flat_hash_map<uint64_t, uint32_t> pending_ids;
  ~Impl() {
    for (auto& [name, s] : stemmers) sb_stemmer_delete(s);
  }
};

absl::StatusOr<std::unique_ptr<PivotFeaturizer>> PivotFeaturizer::Create(
    std::shared_ptr<const Lexicon> lexicon, std::shared_ptr<PivotCaches> caches) {
  std::unique_ptr<PivotFeaturizer> f(new PivotFeaturizer());
  f->impl_ = std::make_unique<Impl>();
  f->impl_->lexicon = std::move(lexicon);
  f->impl_->caches = caches ? std::move(caches) : std::make_shared<PivotCaches>();
  f->impl_->roman = SharedRomanizers();
  return f;
}

PivotFeaturizer::~PivotFeaturizer() = default;

std::string PivotFeaturizer::StemAs(std::string_view algorithm,
                                    std::string_view word) {
  auto it = impl_->stemmers.find(absl::string_view(algorithm.data(), algorithm.size()));
  if (it == impl_->stemmers.end()) {
    it = impl_->stemmers
             .emplace(std::string(algorithm),
                      sb_stemmer_new(std::string(algorithm).c_str(), "UTF_8"))
             .first;
  }
  if (it->second == nullptr) return std::string(word);
  const sb_symbol* s = sb_stemmer_stem(
      it->second, reinterpret_cast<const sb_symbol*>(word.data()),
      static_cast<int>(word.size()));
  if (s == nullptr) return std::string(word);
  return std::string(reinterpret_cast<const char*>(s),
                     sb_stemmer_length(it->second));
}

namespace {

// Korean writes particles and endings onto the word (설정을, 설정하려면):
// the longest known head of two syllables or more.
std::string_view GlossKoreanHead(const Lexicon& lex, std::string_view token) {
  const auto starts = CodePointStarts(token);
  for (size_t i = starts.size(); i-- > 2;) {
    const std::string_view g = lex.Form("ko", token.substr(0, starts[i]));
    if (!g.empty()) return g;
  }
  return {};
}

// The gloss `lookup` gives `word`'s longest head of 4 code points or more,
// at most `max_cut` cut off; "" if it gives none. For endings written onto
// the word (Basque askatasuna, Telugu అధికారమునకు).
template <typename Lookup>
std::string_view LongestKnownHead(std::string_view word, size_t max_cut, const Lookup& lookup) {
  const auto starts = CodePointStarts(word);
  for (size_t cut = 1; cut <= max_cut && starts.size() >= cut + 4; ++cut) {
    const std::string_view g = lookup(word.substr(0, starts[starts.size() - cut]));
    if (!g.empty()) return g;
  }
  return {};
}

// Basque writes its article and case endings onto the word (askatasuna,
// eskubideen, herrialdeetan): the longest head of 4 letters or more that
// its table (the lemmas of Apertium's Basque-English pair) has, at most 6
// letters cut.
std::string_view GlossBasqueHead(const Lexicon& lex, std::string_view token) {
  return LongestKnownHead(token, 6, [&](std::string_view head) { return lex.Form("eu", head); });
}

// A Czech, Polish, Slovak, Slovenian or Bulgarian word without each ending
// it has (kSlavicEndings), as is
// or with a dictionary form's ending put back.
std::string_view GlossWithoutEnding(const Lexicon& lex, const SlavicEndings& e,
                                    std::string_view token) {
  const size_t letters = CodePointCount(token);
  std::string form;
  auto lookup = [&](std::string_view root, std::string_view back) {
    form.assign(root);
    form.append(back);
    const std::string_view g = lex.Form(e.table, form);
    // Another word's ending taken off may leave a function word.
    return g == kFunctionWord ? std::string_view() : g;
  };
  for (const auto& [ending, own] : e.endings) {
    if (!token.ends_with(ending)) continue;
    if (letters - CodePointCount(ending) < 3) continue;
    const std::string_view root = token.substr(0, token.size() - ending.size());
    if (!own.empty()) {
      if (std::string_view g = lookup(root, own); !g.empty()) return g;
      continue;
    }
    for (std::string_view back : e.dictionary_endings) {
      if (std::string_view g = lookup(root, back); !g.empty()) return g;
    }
  }
  return {};
}

// Hebrew and Arabic write prepositions and "and" as one word with the
// next (בצרפת in France, ובדצמבר and in December; بفرنسا, والأرجنتين).
// UTF-8, two bytes a letter.
constexpr std::string_view kHebrewPrefixes = "\u05D5\u05D4\u05D1\u05DC\u05DE\u05E9\u05DB";
constexpr std::string_view kArabicPrefixes = "\u0648\u0641\u0628\u0644\u0643";

// A name in CLDR's names (Lexicon::Name): the word as it is, else in
// Hebrew and Arabic without one or two of those prefixes, if 3 letters
// stay.
std::string_view GlossName(const Lexicon& lex, std::string_view lang,
                           std::string_view token) {
  std::string_view g = lex.Name(lang, token);
  if (!g.empty()) return g;
  const std::string_view prefixes = lang == "he"   ? kHebrewPrefixes
                                    : lang == "ar" ? kArabicPrefixes
                                                   : std::string_view();
  std::string_view rest = token;
  for (int taken = 0; taken < 2 && rest.size() >= 8; ++taken) {
    bool found = false;
    for (size_t p = 0; p + 2 <= prefixes.size() && !found; p += 2) {
      found = rest.starts_with(prefixes.substr(p, 2));
    }
    if (!found) break;
    rest.remove_prefix(2);
    g = lex.Name(lang, rest);
    if (!g.empty()) return g;
  }
  return {};
}

}  // namespace

std::string_view PivotFeaturizer::Gloss(std::string_view token,
                                        std::string_view lang) {
  const Lexicon& lex = *impl_->lexicon;
  if (lang == "zh") {
    std::string_view g = lex.Form("ja", token);
    if (!g.empty()) return g;
    g = lex.Form("zh_words", token);  // 设置 → EDICT's 設置
    if (!g.empty()) return g;
    // Simplified characters → traditional / Japanese forms for EDICT.
    const std::string variant = FoldHanVariants(lex, token);
    return variant == token ? std::string_view() : lex.Form("ja", variant);
  }
  // Bosnian, Croatian and Serbian are one language for glossing: Croatian's
  // tables, whose stems are Serbian's stemmer's, which reads both scripts.
  if (lang == "bs" || lang == "sr") lang = "hr";
  // Norwegian is tagged nb (Bokmål), nn (Nynorsk) or no: one table.
  if (lang == "nb" || lang == "nn") lang = "no";
  std::string_view g = lex.Form(lang, token);
  if (!g.empty()) return g;
  if (lang == "ko") return GlossKoreanHead(lex, token);
  if (lang == "eu") return GlossBasqueHead(lex, token);
  // A word as Russian would gloss it: its form, else its Snowball stem.
  auto as_russian = [&](std::string_view ru) {
    std::string_view r = lex.Form("ru", ru);
    return r.empty() ? lex.Stem("ru", StemAs("russian", ru)) : r;
  };
  if (lang == "uk") {
    for (bool y_for_i : {true, false}) {
      g = as_russian(UkrainianAsRussian(token, y_for_i));
      if (!g.empty()) return g;
    }
    return {};
  }
  if (lang == "be") {
    for (bool akanye : {false, true}) {
      g = as_russian(BelarusianAsRussian(token, akanye));
      if (!g.empty()) return g;
    }
    return {};
  }
  // The word, then its respelling if it has another (a borrowed table's).
  std::string respelt;
  auto spellings = [&](Respelling respell) {
    respelt = respell ? respell(token) : std::string();
    std::vector<std::string_view> out = {token};
    if (!respelt.empty() && respelt != token) out.push_back(respelt);
    return out;
  };
  for (const SlavicEndings& e : kSlavicEndings) {
    if (e.lang != lang) continue;
    for (std::string_view w : spellings(e.respell)) {
      if (e.table != lang) g = lex.Form(e.table, w);  // the borrowed table as is
      if (g.empty()) g = GlossWithoutEnding(lex, e, w);
      if (g.empty() && e.russian_fallback) g = as_russian(w);
      if (!g.empty()) break;
    }
    return g;
  }
  for (const BorrowedTables& b : kBorrowedTables) {
    if (b.lang != lang) continue;
    // The language's own words first: CLDR's (Persian ساعت is the hour
    // there, a clock in Urdu's table).
    g = GlossName(lex, lang, token);
    if (!g.empty()) return g;
    for (const BorrowedTable& t : b.tables) {
      if (t.table.empty()) continue;
      auto form_or_stem = [&](std::string_view w) {
        std::string_view f = lex.Form(t.table, w);
        return f.empty() ? lex.Stem(t.table, StemAs(StemAlgorithm(t.table), w)) : f;
      };
      for (std::string_view w : spellings(t.respell)) {
        g = form_or_stem(w);
        if (!g.empty()) return g;
        // A head that is a function word is another word's ending off.
        g = LongestKnownHead(w, t.max_cut, [&](std::string_view head) {
          const std::string_view h = form_or_stem(head);
          return h == kFunctionWord ? std::string_view() : h;
        });
        if (!g.empty()) return g;
      }
    }
    return {};
  }
  const std::string_view algorithm = StemAlgorithm(lang);
  if (!algorithm.empty() && lang != "en") {
    g = lex.Stem(lang, StemAs(algorithm, token));
    if (!g.empty()) return g;
  }
  if (lang == "de") {
    // German compounds: the longest known tail is the head noun.
    const auto starts = CodePointStarts(token);
    if (starts.size() > 8) {
      for (size_t i = 3; i + 3 < starts.size(); ++i) {
        std::string_view tail = token.substr(starts[i]);
        g = lex.Form("de", tail);
        // The linking s (Regierungs|eid), also when "seid" is a function word.
        if ((g.empty() || g == kFunctionWord) && tail.starts_with("s")) {
          g = lex.Form("de", tail.substr(1));
        }
        if (!g.empty() && g != kFunctionWord) return g;
      }
    }
  }
  return {};
}

std::string PivotFeaturizer::Feature(std::string_view token,
                                     std::string_view lang) {
  size_t first_len;
  const uint32_t first = DecodeUtf8At(token, 0, &first_len);
  if (first_len == token.size() && !IsHan(first)) return "";  // one character
  if ((lang == "ja" || lang == "zh") && IsKanaFunctionWord(token)) return "";
  std::string ascii_digits;
  if (WithAsciiDigits(token, &ascii_digits)) token = ascii_digits;
  if (HasDigit(token)) {
    // One spelling of a number in every language and script: 5,5 (de, fr,
    // ru) is 5.5 (en, ja); 1.250 (de), 1,250 (en) and 1250 (fi) are 1250;
    // ۱۹۴۸ (fa) is 1948. A number of two digits or more with letters
    // after it is the number: an ending or unit its language writes on
    // (28th, 1994년, 1994இல், 42வது, 10GB) and others apart.
    token = token.substr(0, NumberWithEndingLength(token));
    std::string anchor = "#";
    for (size_t i = 0; i < token.size(); ++i) {
      const char c = token[i];
      if ((c == '.' || c == ',') && i > 0 && IsAsciiDigit(token[i - 1]) &&
          i + 1 < token.size() && IsAsciiDigit(token[i + 1])) {
        AppendSeparator(token, i, &anchor);
      } else {
        anchor.push_back(c);
      }
    }
    return anchor;
  }
  const Lexicon& lex = *impl_->lexicon;
  if (lang == "en") {
    if (lex.IsEnglishStopWord(token)) return "";
    return NameOrWord(StemAs("english", token));
  }
  // Serbian is written in both scripts: its Latin words are its own too.
  const bool latin_language =
      IsLatinLanguage(lang) || (lang == "sr" && IsLatinScriptToken(token));
  if (IsLatinToken(token) && !latin_language) {
    // Estonian prantsusmaa is France (names.tsv), printf a name.
    const std::string_view n = GlossName(lex, lang, token);
    return NameOrWord(n.empty() ? StemAs("english", token) : std::string(n));
  }
  std::string_view g = Gloss(token, lang);
  // A word no table has may be a place, language, month or weekday.
  if (g.empty()) g = GlossName(lex, lang, token);
  if (g == kFunctionWord) return "";
  if (!g.empty()) return NameOrWord(std::string(g));  // Путин: as Putin
  if (latin_language || IsLatinToken(token)) return NameOrWord(StemAs("english", token));
  const bool cyrillic = IsCyrillic(token);
  const Romanizers::Kind kind = cyrillic         ? Romanizers::kRussian
                                : lang == "ja"   ? Romanizers::kJapanese
                                                 : Romanizers::kAny;
  // Han words and hiragana are words, not transliterated names. A Han word
  // no table glosses is itself, each character in one spelling of its
  // variants (CanonicalHan): it meets its other spellings (zh-Hans,
  // zh-Hant, Japanese kanji), and takes no ICU transform (compiling
  // Han-Latin costs a run about 0.2 s).
  if (HasHan(token)) return CanonicalHanSpelling(lex, token);
  if (HasHiragana(token)) return StemAs("english", impl_->roman->Apply(kind, token));
  // A name's case ending or particle is not part of its key.
  std::string_view name = token;
  if (lex.has_vocabulary()) {
    if (cyrillic) name = WithoutEnding(token, kCyrillicNameEndings, 3);
    if (IsHangul(token)) name = WithoutEnding(token, kKoreanParticles, 2);
  }
  return NameOrWord(StemAs("english", impl_->roman->Apply(kind, name)));
}

std::string PivotFeaturizer::NameOrWord(std::string stem) const {
  const Lexicon& lex = *impl_->lexicon;
  if (!lex.has_vocabulary()) return stem;
  std::string key = NameKey(stem);
  // Two letters match too many names. (The key first: it is cheaper than
  // the look-up, and often too short or none.)
  if (key.size() < 3 || lex.IsGlossWord(stem)) return stem;
  return absl::StrCat(absl::string_view(kNameKeyPrefix.data(), kNameKeyPrefix.size()), key);
}

void PivotFeaturizer::Features(const TokenList& input, std::string_view lang,
                               std::vector<uint32_t>* ids,
                               std::vector<std::string>* names,
                               std::span<const uint64_t> token_hashes,
                               std::vector<std::string>* words) {
  ids->clear();
  if (names) names->clear();
  if (words) words->clear();
  // Japanese: katakana names that ICU split, put back together (their
  // hashes are not the given ones).
  const bool joined = (lang == "ja" && JoinKatakana(input, &impl_->joined)) ||
                      (lang == "vi" && JoinVietnamese(input, token_hashes, &impl_->joined));
  const TokenList& tokens = joined ? impl_->joined : input;
  std::span<const uint64_t> keys = joined ? std::span<const uint64_t>() : token_hashes;
  if (keys.size() != tokens.size()) {
    impl_->keys.resize(tokens.size());
    for (size_t t = 0; t < tokens.size(); ++t) {
      impl_->keys[t] = XXH3_64bits(tokens[t].data(), tokens[t].size());
    }
    keys = impl_->keys;
  }
  if (names != nullptr) {
    // For explanations: each distinct token's feature, with its name.
    absl::flat_hash_set<uint64_t> seen;
    for (size_t t = 0; t < tokens.size(); ++t) {
      if (!seen.insert(keys[t]).second) continue;
      std::string f = Feature(tokens[t], lang);
      if (f.empty()) continue;
      ids->push_back(FeatureId(f));
      names->push_back(std::move(f));
      if (words) words->emplace_back(tokens[t]);
    }
  } else {
    // Every token is looked up in the language's cache, its slot fetched a
    // few tokens ahead: the cache is far bigger than the processor's, and
    // waiting for each slot in turn was most of this function's time. A
    // repeated token finds its slot near; duplicates go below.
    //
    // An id last met at its slot of last_at (id mod 1024) is a repeat,
    // and is left out before the sort: about half of a document's ids
    // repeat, and the sort took as long as the look-ups. Repeats with
    // another id of their slot between are dropped after it
    // (DropRepeats). No branch on whether an id is new or a word dropped:
    // both come at random (with one, BM_PivotFeatures took 1.55 ms, not
    // 1.35; without, 1.09). A dropped word's id is kDropped (0), never
    // counted; a feature whose id is 0 itself is never cached, so it comes
    // from PendingId, whose ids are all kept (misses are few). A miss is
    // computed once a document (PendingId), and the document's new words
    // go into the shared cache together at its end.
    TokenCache& cache = CacheFor(lang);
    std::array<uint32_t, 1024>& last_at = impl_->last_at;
    last_at.fill(Impl::kDropped);
    ids->resize(tokens.size());
    uint32_t* out = ids->data();
    size_t n = 0;
    VisitAhead(
        tokens.size(), 32, [&](size_t t) { cache.Prefetch(keys[t]); },
        [&](size_t t) {
          uint32_t id;
          if (cache.Find(keys[t], &id)) {
            uint32_t& last = last_at[id & 1023];
            out[n] = id;
            n += (last != id) & (id != Impl::kDropped);
            last = id;
          } else if (const std::optional<uint32_t> got = PendingId(keys[t], tokens[t], lang)) {
            out[n++] = *got;
          }
        });
    ids->resize(n);
    if (!impl_->pending.empty()) {
      cache.InsertAll(impl_->pending);
      impl_->pending.clear();
      impl_->pending_ids.clear();
    }
  }
  SortIds(ids, &impl_->scratch);
  DropRepeats(ids);
}

TokenCache& PivotFeaturizer::CacheFor(std::string_view lang) {
  auto known = impl_->cache_of.find(absl::string_view(lang.data(), lang.size()));
  if (known == impl_->cache_of.end()) {
    known = impl_->cache_of.emplace(std::string(lang), &impl_->caches->For(lang)).first;
  }
  return *known->second;
}

PivotFeaturizer::NewId PivotFeaturizer::ComputeId(std::string_view token,
                                                  std::string_view lang) {
  const std::string f = Feature(token, lang);
  NewId n;
  n.feature = !f.empty();
  n.id = n.feature ? FeatureId(f) : Impl::kDropped;
  n.cacheable = !n.feature || n.id != Impl::kDropped;
  return n;
}

std::optional<uint32_t> PivotFeaturizer::IdOnMiss(TokenCache& cache, uint64_t key,
                                                  std::string_view token,
                                                  std::string_view lang) {
  const NewId n = ComputeId(token, lang);
  if (n.cacheable) cache.Insert(key, n.id);
  if (!n.feature) return std::nullopt;
  return n.id;
}

std::optional<uint32_t> PivotFeaturizer::PendingId(uint64_t key, std::string_view token,
                                                    std::string_view lang) {
  if (const auto it = impl_->pending_ids.find(key); it != impl_->pending_ids.end()) {
    // A repeat: a dropped word again, or a feature the document has already
    // (DropRepeats drops it).
    if (it->second == Impl::kDropped) return std::nullopt;
    return it->second;
  }
  const NewId n = ComputeId(token, lang);
  impl_->pending_ids.emplace(key, n.id);
  if (n.cacheable) impl_->pending.push_back({key, n.id});
  if (!n.feature) return std::nullopt;
  return n.id;
}

uint32_t PivotFeaturizer::FeatureIdOf(std::string_view token, std::string_view lang) {
  TokenCache& cache = CacheFor(lang);
  const uint64_t key = XXH3_64bits(token.data(), token.size());
  uint32_t id;
  if (cache.Find(key, &id)) return id;
  return IdOnMiss(cache, key, token, lang).value_or(Impl::kDropped);
}

namespace {

// The feature ids of the twelve months (their English stems, or their name
// keys where the stem reads as a name: December is ~dsmb), month by id.
const absl::flat_hash_map<uint32_t, int>& MonthIds() {
  static const absl::flat_hash_map<uint32_t, int> ids = [] {
    absl::flat_hash_map<uint32_t, int> m;
    const char* stems[] = {"januari", "februari", "march", "april", "may", "june",
                           "juli", "august", "septemb", "octob", "novemb", "decemb"};
    for (int i = 0; i < 12; ++i) {
      m[FeatureId(stems[i])] = i + 1;
      const std::string key = NameKey(stems[i]);
      if (key.size() >= 3) m[FeatureId(std::string(kNameKeyPrefix) + key)] = i + 1;
    }
    return m;
  }();
  return ids;
}

}  // namespace

void DatesOf(const TokenList& tokens, std::string_view lang, PivotFeaturizer& pivot,
             std::vector<uint32_t>* out) {
  out->clear();
  enum Kind { kDay, kMonth, kYear };
  struct Item {
    size_t at;
    Kind kind;
    int value;
  };
  std::vector<Item> items;
  const size_t n = std::min(tokens.size(), kDateTokens);
  for (size_t i = 0; i < n; ++i) {
    std::string_view t = tokens[i];
    const size_t k = DigitsFrom(t, 0);
    if (k == 0) {
      // A word next to a number may be a month.
      const bool near_number = (i > 0 && DigitsFrom(tokens[i - 1], 0) > 0) ||
                               (i + 1 < tokens.size() && DigitsFrom(tokens[i + 1], 0) > 0) ||
                               (i + 2 < tokens.size() && DigitsFrom(tokens[i + 2], 0) > 0);
      if (!near_number) continue;
      const auto& months = MonthIds();
      if (auto it = months.find(pivot.FeatureIdOf(t, lang)); it != months.end()) {
        items.push_back({i, kMonth, it->second});
      }
      continue;
    }
    if (k > 4) continue;
    int v = 0;
    for (size_t j = 0; j < k; ++j) v = v * 10 + (t[j] - '0');
    const std::string_view rest = t.substr(k);
    const std::string_view next = i + 1 < tokens.size() ? tokens[i + 1] : std::string_view();
    // 年 月 日 (Chinese, Japanese) or 년 월 일 (Korean) on the number or
    // after it.
    auto unit = [&](std::string_view han, std::string_view hangul) {
      return rest == han || rest == hangul || (rest.empty() && (next == han || next == hangul));
    };
    if (unit("\u5E74", "\uB144")) {
      if (v >= 1900 && v <= 2099) items.push_back({i, kYear, v});
    } else if (unit("\u6708", "\uC6D4")) {
      if (v >= 1 && v <= 12) items.push_back({i, kMonth, v});
    } else if (unit("\u65E5", "\uC77C")) {
      if (v >= 1 && v <= 31) items.push_back({i, kDay, v});
    } else if (k == 4 && rest.empty()) {
      if (v >= 1900 && v <= 2099) items.push_back({i, kYear, v});
    } else if (k <= 2 && v >= 1 && v <= 31 &&
               std::none_of(rest.begin(), rest.end(), [](char c) {
                 return IsAsciiDigit(c) || c == '.' || c == ',' || c == '_' || c == ':';
               })) {
      items.push_back({i, kDay, v});  // 11, 11th, 11er
    }
  }
  auto near = [](const Item& a, const Item& b) {
    return (a.at > b.at ? a.at - b.at : b.at - a.at) <= kDateWindow;
  };
  for (const Item& d : items) {
    if (d.kind != kDay) continue;
    for (const Item& m : items) {
      if (m.kind != kMonth || !near(d, m)) continue;
      for (const Item& y : items) {
        if (y.kind != kYear || !near(d, y) || !near(m, y)) continue;
        out->push_back(static_cast<uint32_t>(y.value * 10000 + m.value * 100 + d.value));
      }
    }
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  if (out->size() > kMaxDates) out->resize(kMaxDates);
}

bool PivotFeaturizer::JoinVietnamese(const TokenList& tokens,
                                     std::span<const uint64_t> token_hashes, TokenList* out) {
  const Lexicon& lex = *impl_->lexicon;
  std::span<const uint64_t> hashes = token_hashes;
  if (hashes.size() != tokens.size()) {
    impl_->vi_hashes.resize(tokens.size());
    for (size_t t = 0; t < tokens.size(); ++t) {
      impl_->vi_hashes[t] = XXH3_64bits(tokens[t].data(), tokens[t].size());
    }
    hashes = impl_->vi_hashes;
  }
  auto& memo = impl_->vi_joins;
  if (memo.size() > Impl::kMaxJoins) memo.clear();
  std::string key;
  bool any = false;
  for (size_t i = 0; i < tokens.size();) {
    size_t n = 1;
    for (size_t len : {size_t{3}, size_t{2}}) {
      if (i + len > tokens.size()) continue;
      auto [slot, fresh] = memo.try_emplace(XXH3_64bits(&hashes[i], len * sizeof(uint64_t)), false);
      if (fresh || slot->second) {
        key.assign(tokens[i]);
        for (size_t k = 1; k < len; ++k) {
          key += ' ';
          key += tokens[i + k];
        }
      }
      if (fresh) slot->second = !lex.Form("vi", key).empty();
      if (slot->second) {
        n = len;
        break;
      }
    }
    if (n > 1 && !any) {  // the first word found: the tokens before it, as they are
      out->Clear();
      for (size_t k = 0; k < i; ++k) out->Add(tokens[k]);
      any = true;
    }
    if (any) out->Add(n > 1 ? std::string_view(key) : tokens[i]);
    i += n;
  }
  return any;
}

bool PivotFeaturizer::JoinKatakana(const TokenList& tokens, TokenList* out) const {
  const std::vector<uint32_t>& glued = tokens.glued();
  // Quick exit: no glued katakana token.
  if (std::none_of(glued.begin(), glued.end(), [&](uint32_t t) {
        return IsKatakanaWord(tokens[t]) && IsKatakanaWord(tokens[t - 1]);
      })) {
    return false;
  }
  const Lexicon& lex = *impl_->lexicon;
  out->Clear();
  size_t next_glued = 0;  // into glued
  auto is_glued = [&](size_t t) {
    while (next_glued < glued.size() && glued[next_glued] < t) ++next_glued;
    return next_glued < glued.size() && glued[next_glued] == t;
  };
  std::string joined;
  for (size_t i = 0; i < tokens.size();) {
    size_t j = i + 1;
    if (IsKatakanaWord(tokens[i])) {
      while (j < tokens.size() && IsKatakanaWord(tokens[j]) && is_glued(j)) ++j;
    }
    if (j == i + 1) {
      out->Add(tokens[i++]);
      continue;
    }
    joined.clear();
    bool known_words = true;  // parts of 3+ characters that EDICT has
    for (size_t k = i; k < j; ++k) {
      joined.append(tokens[k]);
      known_words = known_words && CodePointCount(tokens[k]) >= 3 &&
                    !lex.Form("ja", tokens[k]).empty();
    }
    if (known_words && lex.Form("ja", joined).empty()) {
      for (size_t k = i; k < j; ++k) out->Add(tokens[k]);  // ファイル|マネージャー
    } else {
      out->Add(joined);
    }
    i = j;
  }
  return true;
}

bool MembersAgree(std::span<const uint32_t> group_a, std::span<const uint32_t> group_b,
                  uint32_t a, uint32_t b, double link_z, double ratio,
                  const std::function<double(uint32_t, uint32_t)>& z_of) {
  if (ratio <= 0 || group_a.size() + group_b.size() <= 2) return true;
  double best = -INFINITY;
  size_t looked = 0;
  for (uint32_t x : group_a) {
    for (uint32_t y : group_b) {
      if ((x == a && y == b) || (x == b && y == a)) continue;
      if (looked++ == kMaxAgreementPairs) return best >= ratio * link_z;
      best = std::max(best, z_of(x, y));
    }
  }
  return looked == 0 || best >= ratio * link_z;
}

namespace {
// MutualBestMatches places this many entries or more on its threads.
constexpr size_t kPlaceApartFrom = size_t{1} << 22;
std::atomic<bool> place_apart_for_testing{false};
}  // namespace

void PlaceMutualEntriesApartForTesting(bool on) { place_apart_for_testing = on; }

std::vector<PivotPair> MutualBestMatches(
    std::span<const PivotPair> scored, std::span<const uint16_t> lang_of, double floor,
    double margin, const std::function<double(uint32_t, uint32_t)>& similarity,
    uint64_t* below_margin, int threads) {
  // Every candidate of every (document, language of the other), sorted by
  // that key, then best first (ties to the earlier document): a key's
  // candidates are one run, its best first. Each names its pair in
  // `scored` (in the padding after `other`).
  struct Entry {
    uint64_t key;
    double score;
    uint32_t other;
    uint32_t pair;
  };
  static_assert(sizeof(Entry) == 24);
  auto key = [&](uint32_t d, uint32_t other) {
    return (static_cast<uint64_t>(d) << 16) | lang_of[other];
  };
  // A candidate below floor / margin can neither be a kept pair nor stop
  // one as its rival (a kept pair scores at least the floor), so it is
  // left out: most candidates are (84-87 % of those of c10k and c100k),
  // and sorting them was most of this function's time.
  const double least = floor / std::max(margin, 1.0);
  // Placed by document first (a counting sort: each document's entries
  // get a slice), then each slice sorted: one sort of all entries was most
  // of this function's time, and a document's slice is short. (Sized
  // first, as counted: a vector grown by doubling touched three times the
  // memory it ends with, and on a virtual machine fresh pages cost about 3
  // ms a MiB; 1.4 s of a million documents' run went to growing this one.)
  std::vector<uint32_t> slice(lang_of.size() + 1, 0);  // where each document's starts
  for (const PivotPair& p : scored) {
    if (p.score < least) continue;
    ++slice[p.a + 1];
    ++slice[p.b + 1];
  }
  std::partial_sum(slice.begin(), slice.end(), slice.begin());
  // Each document's entries are placed in the order of `scored`, then
  // sorted, by `threads` threads, each over a range of documents holding
  // about as many entries. The array is not zeroed first (it is filled
  // whole). Many entries (a million documents: 6.5 million, 150 MB) are
  // placed on the threads too, each reading all of `scored` and placing
  // its own documents' entries, which then first touch their pages: on
  // one thread, placing them took 1.2 s, most of it the kernel clearing
  // fresh pages. Fewer are placed on one thread, in memory the run has
  // freed before (c100k: a million entries; on the threads, the step
  // took 10 ms more, as each read `scored` through).
  const size_t num_entries = slice.back();
  const std::unique_ptr<Entry[]> entry_memory(new Entry[num_entries]);
  const std::span<Entry> entries(entry_memory.get(), num_entries);
  const int sorters = std::max(1, threads);
  const uint32_t num_docs = static_cast<uint32_t>(lang_of.size());
  // Thread t's documents: from_doc[t] up to from_doc[t + 1], exclusive.
  std::vector<uint32_t> from_doc(sorters + 1, num_docs);
  from_doc[0] = 0;
  for (int t = 1; t < sorters; ++t) {
    const uint64_t share = static_cast<uint64_t>(num_entries) * t / sorters;
    // The last document whose entries start at or before the share.
    const auto after = std::upper_bound(slice.begin(), slice.begin() + num_docs, share);
    const uint32_t d =
        after == slice.begin() ? 0 : static_cast<uint32_t>(after - slice.begin() - 1);
    from_doc[t] = std::clamp(d, from_doc[t - 1], num_docs);
  }
  // Places the entries of documents [lo, hi).
  auto place = [&](uint32_t lo, uint32_t hi) {
    std::vector<uint32_t> next(slice.begin() + lo, slice.begin() + hi);
    auto one = [&](uint32_t d, uint32_t other, double score, size_t i) {
      if (d < lo || d >= hi) return;
      entries[next[d - lo]++] = {key(d, other), score, other, static_cast<uint32_t>(i)};
    };
    for (size_t i = 0; i < scored.size(); ++i) {
      const PivotPair& p = scored[i];
      if (p.score < least) continue;
      one(p.a, p.b, p.score, i);
      one(p.b, p.a, p.score, i);
    }
  };
  const bool place_apart =
      sorters > 1 && (num_entries >= kPlaceApartFrom || place_apart_for_testing);
  if (place_apart_for_testing) {  // an entry left unplaced is then noticed
    std::memset(static_cast<void*>(entries.data()), 0x5a, num_entries * sizeof(Entry));
  }
  if (!place_apart) place(0, num_docs);
  auto before = [](const Entry& x, const Entry& y) {
    if (x.key != y.key) return x.key < y.key;
    return x.score != y.score ? x.score > y.score : x.other < y.other;
  };
  constexpr size_t kRead = kMaxRivalsLookedAt + 1;  // of each run
  constexpr size_t kSortWhole = 64;                 // slices up to this long
  // Puts one document's entries [first, last) in the order of `before`
  // as far as they are read: a long slice grouped by language, each run's
  // first kRead in order. `scratch` is the calling thread's.
  struct Scratch {
    std::vector<uint32_t> at_lang;  // per language: a count, then where its run goes
    std::vector<uint16_t> langs;    // the slice's languages
    std::vector<Entry> grouped;
  };
  auto order_slice = [&](Entry* first, Entry* last, Scratch& scratch) {
    const size_t n = static_cast<size_t>(last - first);
    if (n <= kSortWhole) {
      std::sort(first, last, before);
      return;
    }
    std::vector<uint32_t>& at_lang = scratch.at_lang;
    std::vector<uint16_t>& langs = scratch.langs;
    if (at_lang.empty()) at_lang.assign(size_t{1} << 16, 0);
    langs.clear();
    for (const Entry* e = first; e != last; ++e) {
      const uint16_t l = static_cast<uint16_t>(e->key);
      if (at_lang[l]++ == 0) langs.push_back(l);
    }
    std::sort(langs.begin(), langs.end());
    if (langs.size() > 1) {
      uint32_t start = 0;
      for (uint16_t l : langs) start += std::exchange(at_lang[l], start);
      scratch.grouped.resize(n);
      for (const Entry* e = first; e != last; ++e) {
        scratch.grouped[at_lang[static_cast<uint16_t>(e->key)]++] = *e;
      }
      std::copy(scratch.grouped.begin(), scratch.grouped.end(), first);
    }
    for (Entry* run = first; run != last;) {
      Entry* end = run;
      while (end != last && end->key == run->key) ++end;
      std::partial_sort(run, run + std::min<ptrdiff_t>(kRead, end - run), end, before);
      run = end;
    }
    for (uint16_t l : langs) at_lang[l] = 0;
  };
  RunOnThreads(sorters, [&](int t) {
    const uint32_t lo = from_doc[t], hi = from_doc[t + 1];
    if (place_apart) place(lo, hi);
    Scratch scratch;
    for (uint32_t d = lo; d < hi; ++d) {
      if (slice[d + 1] - slice[d] < 2) continue;
      order_slice(entries.data() + slice[d], entries.data() + slice[d + 1], scratch);
    }
  });
  // The best score among the next candidates that are not versions of the
  // best one (at most kMaxRivalsLookedAt of them).
  auto rival = [&](size_t at) {
    for (size_t i = at + 1; i < entries.size() && entries[i].key == entries[at].key &&
                            i <= at + kMaxRivalsLookedAt;
         ++i) {
      if (!similarity || similarity(entries[at].other, entries[i].other) < kVersionSimilarity) {
        return entries[i].score;
      }
    }
    return 0.0;
  };
  // Each key's best, by its pair: a pair that is both its keys' best is a
  // mutual best match. (One pass over the runs and a sort of their heads,
  // where each pair at the floor looked up both its keys, a binary search
  // each: among a million documents the step took 1.23 s, not 1.38.)
  std::vector<uint64_t> heads;  // pair << 32 | where its run starts
  for (size_t i = 0; i < entries.size(); ++i) {
    if ((i == 0 || entries[i].key != entries[i - 1].key) && entries[i].score >= floor) {
      heads.push_back(static_cast<uint64_t>(entries[i].pair) << 32 | i);
    }
  }
  // By pair, a pair's heads in the order found (by position): a stable
  // sort of the pair's bits alone (std::sort took a third of this
  // function's time: BM_MutualBestMatches).
  SortPacked(&heads, 32 + std::max(1, static_cast<int>(std::bit_width(scored.size()))), 32);
  auto pair_of = [](uint64_t h) { return static_cast<uint32_t>(h >> 32); };
  auto run_of = [](uint64_t h) { return static_cast<size_t>(static_cast<uint32_t>(h)); };
  // The mutual best pairs (each the first of its two heads), then, with a
  // margin, their rivals, on `threads` threads: each rival is a few
  // similarity calls, pairs of documents at random (0.4 s of a million
  // documents' run on one thread).
  std::vector<size_t> mutual;
  for (size_t h = 0; h + 1 < heads.size(); ++h) {
    if (pair_of(heads[h]) != pair_of(heads[h + 1])) continue;
    mutual.push_back(h);
    ++h;
  }
  std::vector<uint8_t> kept(mutual.size(), 1);
  if (margin > 1.0) {
    RunOnThreads(sorters, [&](int t) {
      for (size_t m = t; m < mutual.size(); m += sorters) {
        const size_t h = mutual[m];
        const PivotPair& p = scored[pair_of(heads[h])];
        const double rivals = std::max(rival(run_of(heads[h])), rival(run_of(heads[h + 1])));
        kept[m] = p.score >= margin * rivals;
      }
    });
  }
  std::vector<PivotPair> out;
  for (size_t m = 0; m < mutual.size(); ++m) {
    if (kept[m]) {
      out.push_back(scored[pair_of(heads[mutual[m]])]);
    } else if (below_margin != nullptr) {
      ++*below_margin;
    }
  }
  std::sort(out.begin(), out.end(), [](const PivotPair& x, const PivotPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  return out;
}

bool HasBackgroundLevel(std::string_view lang, std::span<const BackgroundDoc> background,
                        const CrossLingualOptions& options) {
  if (background.empty()) return false;
  const auto& pooled = options.pooled_background;
  return std::find(pooled.begin(), pooled.end(), lang) != pooled.end() ||
         std::any_of(background.begin(), background.end(),
                     [&](const BackgroundDoc& b) { return b.lang == lang; });
}

std::vector<BucketTier> PivotBucketTiers(const CrossLingualOptions& options, size_t documents) {
  std::vector<BucketTier> tiers;
  for (const BucketTier& t : options.bucket_tiers) {
    int up_to = t.up_to;
    if (t.bands > 2) {
      const double share = options.many_band_share * static_cast<double>(documents);
      up_to = static_cast<int>(std::clamp(share, 1.0, static_cast<double>(up_to)));
    }
    if (tiers.empty() || up_to > tiers.back().up_to) tiers.push_back({up_to, t.bands});
  }
  return tiers;
}

double IndexFeatures(std::span<const uint32_t> ids, const IdfTable& idf, int power,
                     std::vector<uint32_t>* out_ids, std::vector<float>* out_weights) {
  thread_local std::vector<IdfTable::Entry> entries;
  entries.resize(ids.size());
  idf.FindAll(ids, entries.data());
  return IndexFeatures(ids, entries, power, out_ids, out_weights);
}

double IndexFeatures(std::span<const uint32_t> ids, std::span<const IdfTable::Entry> entries,
                     int power, std::vector<uint32_t>* out_ids, std::vector<float>* out_weights) {
  // No branch on whether a feature is a name or of one language: both
  // come at random along a document's ids. Each feature is written, and
  // the count of those kept moves past it unless it is a name.
  thread_local std::vector<float> plain;
  thread_local std::vector<float> raised;
  const size_t n = ids.size();
  plain.resize(n);
  raised.resize(n);
  out_ids->resize(n);
  out_weights->resize(n);
  uint32_t* kept_ids = out_ids->data();
  float* kept_weights = out_weights->data();
  size_t kept = 0;
  double names = 0;
  for (size_t i = 0; i < n; ++i) {
    const IdfTable::Entry e = entries[i];
    float index_weight = e.weight;
    for (int k = 1; k < power; ++k) index_weight *= e.weight;
    plain[i] = e.weight;
    raised[i] = e.one_language ? e.weight : index_weight;
    const bool name = IsNameKeyId(ids[i]);
    names += name ? e.weight : 0.0f;
    kept_ids[kept] = ids[i];
    kept_weights[kept] = raised[i];
    kept += !name;
  }
  const double total = TotalWeight(plain);
  if (2 * names > total) {  // mostly names (rare): signed by every feature
    std::copy(ids.begin(), ids.end(), kept_ids);
    std::copy(raised.begin(), raised.end(), kept_weights);
    kept = n;
  }
  out_ids->resize(kept);
  out_weights->resize(kept);
  return total;
}

}  // namespace neardup
