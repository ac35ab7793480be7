#include "neardup/kana_latin.h"

#include <array>
#include <cstdint>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "neardup/utf8.h"

namespace neardup {
namespace {

constexpr uint32_t kFirst = 0x30A1;  // ァ
constexpr uint32_t kLast = 0x30FA;   // ヺ
constexpr uint32_t kLong = 0x30FC;   // ー
constexpr uint32_t kSokuon = 0x30C3;  // ッ
constexpr uint32_t kN = 0x30F3;       // ン

// Each katakana's spelling alone (ICU's rules for one kana), U+30A1 on.
constexpr std::array<std::string_view, kLast - kFirst + 1> kAlone = {
    "~a",  "a",   "~i",  "i",   "~u",   "u",   "~e",  "e",   "~o",  "o",    // ァ-オ
    "ka",  "ga",  "ki",  "gi",  "ku",   "gu",  "ke",  "ge",  "ko",  "go",   // カ-ゴ
    "sa",  "za",  "shi", "ji",  "su",   "zu",  "se",  "ze",  "so",  "zo",   // サ-ゾ
    "ta",  "da",  "chi", "dji", "~tsu", "tsu", "dzu", "te",  "de",  "to",   // タ-ト
    "do",  "na",  "ni",  "nu",  "ne",   "no",                               // ド-ノ
    "ha",  "ba",  "pa",  "hi",  "bi",   "pi",  "fu",  "bu",  "pu",  "he",   // ハ-ヘ
    "be",  "pe",  "ho",  "bo",  "po",                                       // ベ-ポ
    "ma",  "mi",  "mu",  "me",  "mo",                                       // マ-モ
    "~ya", "ya",  "~yu", "yu",  "~yo",  "yo",                               // ャ-ヨ
    "ra",  "ri",  "ru",  "re",  "ro",                                       // ラ-ロ
    "~wa", "wa",  "wi",  "we",  "wo",   "n",   "vu",  "~ka", "~ke",         // ヮ-ヶ
    "va",  "vi",  "ve",  "vo"};                                             // ヷ-ヺ

constexpr uint32_t K(std::u32string_view s) { return s[0]; }

// Two kana with one spelling (ICU's rules for a pair), in its order.
struct Pair {
  uint32_t first, second;
  std::string_view latin;
};
constexpr Pair kPairs[] = {
    {K(U"デ"), K(U"ィ"), "di"},    {K(U"デ"), K(U"ゥ"), "du"},
    {K(U"ヂ"), K(U"ャ"), "dja"},     {K(U"ヂ"), K(U"ィ"), "dji~i"},
    {K(U"ヂ"), K(U"ュ"), "dju"},     {K(U"ヂ"), K(U"ェ"), "dje"},
    {K(U"ヂ"), K(U"ョ"), "djo"},     {K(U"チ"), K(U"ャ"), "cha"},
    {K(U"チ"), K(U"ィ"), "chi~i"},   {K(U"チ"), K(U"ュ"), "chu"},
    {K(U"チ"), K(U"ェ"), "che"},     {K(U"チ"), K(U"ョ"), "cho"},
    {K(U"ジ"), K(U"ャ"), "ja"},      {K(U"ジ"), K(U"ィ"), "ji~i"},
    {K(U"ジ"), K(U"ュ"), "ju"},      {K(U"ジ"), K(U"ェ"), "je"},
    {K(U"ジ"), K(U"ョ"), "jo"},      {K(U"ヘ"), K(U"ゥ"), "hu"},
    {K(U"フ"), K(U"ァ"), "fa"},      {K(U"フ"), K(U"ィ"), "fi"},
    {K(U"フ"), K(U"ェ"), "fe"},      {K(U"フ"), K(U"ォ"), "fo"},
    {K(U"ゼ"), K(U"ィ"), "zi"},      {K(U"セ"), K(U"ィ"), "si"},
    {K(U"シ"), K(U"ャ"), "sha"},     {K(U"シ"), K(U"ィ"), "shi~i"},
    {K(U"シ"), K(U"ュ"), "shu"},     {K(U"シ"), K(U"ェ"), "she"},
    {K(U"シ"), K(U"ョ"), "sho"},     {K(U"テ"), K(U"ィ"), "ti"},
    {K(U"テ"), K(U"ゥ"), "tu"},
};

// The consonant of キ, ギ, ... before ィェャュョ ({キ}[ィェャュョ] > k|'~',
// then '~ャ' > ya), else 0.
char YoonConsonant(uint32_t k) {
  switch (k) {
    case K(U"ビ"): return 'b';
    case K(U"ギ"): return 'g';
    case K(U"キ"): return 'k';
    case K(U"ミ"): return 'm';
    case K(U"ニ"): return 'n';
    case K(U"ピ"): return 'p';
    case K(U"ヒ"): return 'h';
    case K(U"リ"): return 'r';
    default: return 0;
  }
}

// ィェャュョ after such a consonant: '~ィ' > yi, '~ェ' > ye, ...
std::string_view YoonVowel(uint32_t k) {
  switch (k) {
    case K(U"ィ"): return "yi";
    case K(U"ェ"): return "ye";
    case K(U"ャ"): return "ya";
    case K(U"ュ"): return "yu";
    case K(U"ョ"): return "yo";
    default: return {};
  }
}

// The consonant ッ writes before a kana of each set ({ッ}[カ-コ] > k, ...),
// in ICU's order: the voiced sets first, as ICU reads ガ as カ and a mark.
constexpr std::pair<std::u32string_view, char> kGeminates[] = {
    {U"ジ", 'j'},     {U"バビブベボ", 'b'}, {U"ダヂヅデド", 'd'},   {U"ガギグゲゴ", 'g'},
    {U"パピプペポ", 'p'}, {U"ザズゼゾ", 'z'},  {U"ヷヸヹヺ", 'v'},     {U"カキクケコ", 'k'},
    {U"マミムメモ", 'm'}, {U"ナニヌネノン", 'n'}, {U"ハヒヘホ", 'h'},   {U"フ", 'f'},
    {U"ラリルレロ", 'r'}, {U"タチツテト", 't'}, {U"サシスセソ", 's'}, {U"ワヰヱヲ", 'w'},
    {U"ヤユヨ", 'y'}};

// The consonant ッ writes before `next`, 0 for none.
char Geminate(uint32_t next) {
  for (const auto& [set, consonant] : kGeminates) {
    if (set.find(static_cast<char32_t>(next)) != std::u32string_view::npos) return consonant;
  }
  return 0;
}

// ン before these is n' ({ン}[アイウエオナ-ノヤユヨン] > n\'; ICU reads
// decomposed text, where ヴ is ウ and a voicing mark).
bool NeedsApostrophe(uint32_t next) {
  return std::u32string_view(U"アイウエオナニヌネノヤユヨンヴ").find(next) !=
         std::u32string_view::npos;
}

// Decodes `utf8` into katakana (hiragana moved to their katakana), or
// returns false.
bool DecodeKana(std::string_view utf8, absl::InlinedVector<uint32_t, 32>* kana) {
  kana->clear();
  int script = 0;  // 1 katakana, 2 hiragana
  for (size_t i = 0; i < utf8.size();) {
    size_t len;
    uint32_t c = DecodeUtf8At(utf8, i, &len);
    i += len;
    if (c == kLong) {
      kana->push_back(c);
      continue;
    }
    int s = 0;
    if (c >= kFirst && c <= kLast) {
      s = 1;
    } else if (c >= 0x3041 && c <= 0x3094) {  // not ゕ ゖ: ICU leaves them
      s = 2;
      c += 0x60;
    } else {
      return false;
    }
    if (script != 0 && script != s) return false;  // mixed: ICU's order matters
    script = s;
    kana->push_back(c);
  }
  return script != 0;
}

bool EndsInVowel(const std::string& s) {
  if (s.empty()) return false;
  const char c = s.back();
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

}  // namespace

bool KanaToLatin(std::string_view utf8, std::string* out) {
  out->clear();
  absl::InlinedVector<uint32_t, 32> kana;
  if (!DecodeKana(utf8, &kana)) return false;
  const size_t n = kana.size();
  auto at = [&](size_t i) { return i < n ? kana[i] : 0u; };
  for (size_t i = 0; i < n;) {
    const uint32_t k = kana[i];
    if (k == kLong) {
      // A macron on the vowel before, which Latin-ASCII drops; anywhere
      // else ICU leaves a combining macron: not read here.
      if (!EndsInVowel(*out)) return false;
      ++i;
      continue;
    }
    if (const char c = YoonConsonant(k); c != 0 && !YoonVowel(at(i + 1)).empty()) {
      out->push_back(c);
      out->append(YoonVowel(at(i + 1)));
      i += 2;
      continue;
    }
    bool paired = false;
    for (const Pair& p : kPairs) {
      if (p.first == k && p.second == at(i + 1)) {
        out->append(p.latin);
        i += 2;
        paired = true;
        break;
      }
    }
    if (paired) continue;
    if (k == kSokuon) {
      if (const char c = Geminate(at(i + 1)); c != 0) {
        out->push_back(c);
        ++i;
        continue;
      }
    }
    if (k == kN && NeedsApostrophe(at(i + 1))) {
      out->append("n'");
      ++i;
      continue;
    }
    out->append(kAlone[k - kFirst]);
    ++i;
  }
  return true;
}

}  // namespace neardup
