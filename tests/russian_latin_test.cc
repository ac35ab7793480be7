#include "neardup/russian_latin.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "neardup/normalize.h"

namespace neardup {
namespace {

// The 33 letters, ё last.
const std::vector<std::string> kLetters = {"а", "б", "в", "г", "д", "е", "ж", "з", "и", "й", "к",
                                           "л", "м", "н", "о", "п", "р", "с", "т", "у", "ф", "х",
                                           "ц", "ч", "ш", "щ", "ъ", "ы", "ь", "э", "ю", "я", "ё"};

TEST(RussianLatin, KnownWords) {
  std::string out;
  for (const auto& [word, latin] : std::vector<std::pair<std::string, std::string>>{
           {"путин", "putin"}, {"зеленского", "zelenskogo"}, {"ельцин", "yel'tsin"},
           {"объявил", "ob\"yavil"}, {"подъезд", "pod\"yezd"}, {"тсар", "t\u00B7sar"},
           {"шчука", "sh\u00B7chuka"}, {"семья", "sem'ya"}, {"ёлка", "yelka"}}) {
    ASSERT_TRUE(RussianToLatin(word, &out)) << word;
    EXPECT_EQ(out, latin) << word;
  }
  // Left to ICU: other letters, capitals, Latin, and е, ё, ы or э before
  // a vowel.
  for (const char* other : {"", "київ", "ђорђе", "Путин", "abc", "аее", "новые", "поэт1"}) {
    EXPECT_FALSE(RussianToLatin(other, &out)) << other;
  }
}

// The same letters as ICU's transform, for every word of up to three
// letters (but those it leaves to ICU) and 60,000 random words of 4 to 9.
TEST(RussianLatin, SpellsAsIcuDoes) {
  auto icu = Transliterator::Create("Russian-Latin/BGN; Any-Latin; Latin-ASCII");
  ASSERT_TRUE(icu.ok()) << icu.status();
  std::string ours;
  size_t checked = 0, left = 0;
  auto check = [&](const std::string& word) {
    if (!RussianToLatin(word, &ours)) {
      ++left;
      return;
    }
    ASSERT_EQ(ours, (*icu)->Apply(word)) << word;
    ++checked;
  };
  for (const std::string& a : kLetters) {
    check(a);
    for (const std::string& b : kLetters) {
      check(a + b);
      for (const std::string& c : kLetters) check(a + b + c);
    }
  }
  std::mt19937 rng(23);
  for (int w = 0; w < 60000; ++w) {
    std::string word;
    for (int n = 4 + static_cast<int>(rng() % 6); n > 0; --n) word += kLetters[rng() % 33];
    check(word);
  }
  EXPECT_EQ(checked + left, 33u + 33 * 33 + 33 * 33 * 33 + 60000);
  EXPECT_LT(left, checked / 4) << "most words are spelled here";
}

}  // namespace
}  // namespace neardup
