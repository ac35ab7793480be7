#include "neardup/hangul.h"

#include <cstdint>

#include "neardup/utf8.h"

namespace neardup {
namespace {

constexpr uint32_t kFirstSyllable = 0xAC00, kLastSyllable = 0xD7A3;
constexpr int kSilentInitial = 11;  // ㅇ at the start of a syllable: no letter

// ICU's Hangul-Latin spelling of each jamo, in Unicode's order.
constexpr const char* kInitial[19] = {"g", "kk", "n", "d", "tt", "l", "m", "b", "pp", "s",
                                      "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
constexpr const char* kVowel[21] = {"a",  "ae", "ya", "yae", "eo", "e",  "yeo",
                                    "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                    "wo", "we", "wi", "yu",  "eu", "ui", "i"};
constexpr const char* kFinal[28] = {"",   "g",  "kk", "gs", "n",  "nj", "nh", "d",  "l", "lg",
                                    "lm", "lb", "ls", "lt", "lp", "lh", "m",  "b",  "bs", "s",
                                    "ss", "ng", "j",  "ch", "k",  "t",  "p",  "h"};

// Where ICU 72 puts a hyphen between two syllables: after a vowel (no
// final), bit v of kAfterVowel[v1] when the next syllable starts with
// vowel v; after a final t, always before a vowel, and before initial l
// when bit l of kAfterFinal[t] is set. (Read off ICU by the test's
// comparison; a vowel never takes one before a consonant.)
constexpr uint32_t kAfterVowel[21] = {
    0x040030, 0x000000, 0x040030, 0x000000, 0x000000, 0x082900, 0x000000,
    0x000900, 0x040030, 0x040030, 0x000000, 0x000000, 0x000000, 0x100000,
    0x040030, 0x000000, 0x000000, 0x000000, 0x100000, 0x000000, 0x000000};
constexpr uint32_t kAfterFinal[28] = {
    0x00000, 0x00000, 0x00000, 0x00600, 0x00000, 0x03000, 0x00000, 0x00000, 0x00000, 0x00001,
    0x00000, 0x00080, 0x00600, 0x10000, 0x20000, 0x00000, 0x00000, 0x00000, 0x00600, 0x00600,
    0x00000, 0x00001, 0x01000, 0x00000, 0x08002, 0x10000, 0x20000, 0x00000};

}  // namespace

namespace {

// The index (from 0) of the precomposed syllable in the three bytes at
// utf8[i], or -1 if they are not one.
int SyllableAt(std::string_view utf8, size_t i) {
  size_t len;
  const uint32_t cp = DecodeUtf8At(utf8, i, &len);
  if (cp < kFirstSyllable || cp > kLastSyllable) return -1;  // (3 bytes, then)
  return static_cast<int>(cp - kFirstSyllable);
}

}  // namespace

bool IsHangulSyllables(std::string_view utf8) {
  if (utf8.empty() || utf8.size() % 3 != 0) return false;  // three bytes each
  for (size_t i = 0; i < utf8.size(); i += 3) {
    if (SyllableAt(utf8, i) < 0) return false;
  }
  return true;
}

bool HangulSyllablesToLatin(std::string_view utf8, std::string* out) {
  out->clear();
  if (utf8.empty() || utf8.size() % 3 != 0) return false;  // three bytes each
  int prev_vowel = -1, prev_final = -1;
  for (size_t i = 0; i < utf8.size(); i += 3) {
    const int syllable = SyllableAt(utf8, i);
    if (syllable < 0) return false;
    const auto s = static_cast<uint32_t>(syllable);
    const int initial = static_cast<int>(s / 588), vowel = static_cast<int>(s % 588 / 28),
              final = static_cast<int>(s % 28);
    if (prev_final > 0) {
      if (initial == kSilentInitial || (kAfterFinal[prev_final] >> initial & 1u)) out->push_back('-');
    } else if (prev_vowel >= 0 && initial == kSilentInitial &&
               (kAfterVowel[prev_vowel] >> vowel & 1u)) {
      out->push_back('-');
    }
    out->append(kInitial[initial]);
    out->append(kVowel[vowel]);
    out->append(kFinal[final]);
    prev_vowel = vowel;
    prev_final = final;
  }
  return true;
}

}  // namespace neardup
