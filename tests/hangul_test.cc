#include "neardup/hangul.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "neardup/normalize.h"

namespace neardup {
namespace {

std::string Utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | c >> 6));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | c >> 12));
      out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

char32_t Syllable(int initial, int vowel, int final) {
  return static_cast<char32_t>(0xAC00 + initial * 588 + vowel * 28 + final);
}

TEST(Hangul, KnownWords) {
  std::string out;
  for (const auto& [word, latin] : std::vector<std::pair<std::string, std::string>>{
           {"설정을", "seoljeong-eul"}, {"한국어", "hangug-eo"}, {"바이든", "baideun"},
           {"많이", "manh-i"}, {"밖에", "bakk-e"}, {"아어", "a-eo"}, {"삯송", "sags-song"}}) {
    ASSERT_TRUE(HangulSyllablesToLatin(word, &out)) << word;
    EXPECT_EQ(out, latin) << word;
  }
  // Anything but precomposed syllables is ICU's: jamo, Latin, Han, a mix.
  for (const char* other : {"", "ㄱ", "abc", "한a", "漢字", "한\xE2\x80\x8B"}) {
    EXPECT_FALSE(HangulSyllablesToLatin(other, &out)) << other;
    EXPECT_FALSE(IsHangulSyllables(other)) << other;
  }
  EXPECT_TRUE(IsHangulSyllables("설정을"));
  EXPECT_TRUE(IsHangulSyllables("가"));
  EXPECT_TRUE(IsHangulSyllables("힣"));
}

// The same letters as ICU's "Any-Latin; Latin-ASCII": every syllable; every
// pair of a syllable's last jamo (its final, or its vowel) and the next
// one's first jamo (its initial, or its vowel after a silent ㅇ), on which
// ICU's hyphens depend, with the rest of the two syllables drawn at
// random; and 20,000 random words of 2 to 6 syllables.
TEST(Hangul, SpellsAsIcuDoes) {
  auto icu = Transliterator::Create("Any-Latin; Latin-ASCII");
  ASSERT_TRUE(icu.ok()) << icu.status();
  std::string ours;
  size_t checked = 0;
  auto check = [&](const std::u32string& word) {
    const std::string utf8 = Utf8(word);
    ASSERT_TRUE(HangulSyllablesToLatin(utf8, &ours)) << utf8;
    ASSERT_EQ(ours, (*icu)->Apply(utf8)) << utf8;
    ++checked;
  };
  for (int s = 0; s < 11172; ++s) check({static_cast<char32_t>(0xAC00 + s)});
  std::mt19937 rng(17);
  for (int vowel = 0; vowel < 21; ++vowel) {
    for (int final = 0; final < 28; ++final) {
      for (int initial = 0; initial < 19; ++initial) {
        for (int next_vowel = 0; next_vowel < 21; ++next_vowel) {
          check({Syllable(static_cast<int>(rng() % 19), vowel, final),
                 Syllable(initial, next_vowel, static_cast<int>(rng() % 28))});
        }
      }
    }
  }
  for (int w = 0; w < 20000; ++w) {
    std::u32string word;
    for (int n = 2 + static_cast<int>(rng() % 5); n > 0; --n) {
      word.push_back(static_cast<char32_t>(0xAC00 + rng() % 11172));
    }
    check(word);
  }
  EXPECT_EQ(checked, 11172u + 21 * 28 * 19 * 21 + 20000);
}

}  // namespace
}  // namespace neardup
