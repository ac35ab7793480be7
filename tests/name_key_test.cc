#include "neardup/name_key.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace neardup {
namespace {

// One name as English, ICU's romanizations of Russian (BGN), Japanese
// katakana and Korean hangul write it: the keys agree.
TEST(NameKey, TransliterationsOfOneNameShareAKey) {
  EXPECT_EQ(NameKey("biden"), "bdn");
  EXPECT_EQ(NameKey("bayden"), "bdn");   // Байден
  EXPECT_EQ(NameKey("baiden"), "bdn");   // バイデン
  EXPECT_EQ(NameKey("baideun"), "bdn");  // 바이든
  EXPECT_EQ(NameKey("macron"), "mkrn");
  EXPECT_EQ(NameKey("hampton"), "amptn");
  EXPECT_EQ(NameKey("hanputon"), "amptn");  // ハンプトン: an n before p is an m
  EXPECT_EQ(NameKey("makron"), "mkrn");    // Макрон
  EXPECT_EQ(NameKey("makuron"), "mkrn");   // マクロン
  EXPECT_EQ(NameKey("zelenski"), "srnsk");   // Zelensky, English-stemmed
  EXPECT_EQ(NameKey("zelenskiy"), "srnsk");  // Зеленский
  EXPECT_EQ(NameKey("zerensukii"), "srnsk");  // ゼレンスキー
  EXPECT_EQ(NameKey("shcherbakov"), NameKey("scherbakow"));
  EXPECT_EQ(NameKey("dzhonson"), NameKey("jonson"));  // Джонсон
  EXPECT_EQ(NameKey("philipp"), NameKey("filip"));
}

TEST(NameKey, DifferentNamesKeepDifferentKeys) {
  EXPECT_NE(NameKey("biden"), NameKey("putin"));
  EXPECT_NE(NameKey("macron"), NameKey("merkel"));
  EXPECT_NE(NameKey("tokyo"), NameKey("kyoto"));
}

TEST(NameKey, FirstLetterStaysVowelsAndHGo) {
  EXPECT_EQ(NameKey("oslo"), "osr");
  EXPECT_EQ(NameKey("amsterdam"), "amstrdm");
  EXPECT_EQ(NameKey("hamburg"), "ambrg");
  EXPECT_EQ(NameKey("nice"), "ns");  // a soft c is an s
}

TEST(NameKey, AccentedLatinLettersCountAsTheirBaseLetter) {
  EXPECT_EQ(NameKey("cura\xC3\xA7" "ao"), NameKey("curacao"));  // curaçao
  EXPECT_EQ(NameKey("\xC5\x82\xC3\xB3" "d\xC5\xBA"), NameKey("lodz"));  // łódź
  EXPECT_EQ(NameKey("m\xC3\xBC" "nchen"), NameKey("munchen"));   // münchen
}

// Romanized Cyrillic keeps ь and ъ as signs: zelens'kiy, bayd"n.
TEST(NameKey, ApostrophesAndQuotesAreNoLetters) {
  EXPECT_EQ(NameKey("zelens'kiy"), NameKey("zelenskiy"));
  EXPECT_EQ(NameKey("bayd\"n"), NameKey("biden"));
  EXPECT_EQ(NameKey("o'brien"), NameKey("obrien"));
}

// Turkish dotless i and case-folded İ (i + U+0307), Romanian ș and ț.
TEST(NameKey, TurkishAndRomanianLettersCountAsTheirBaseLetter) {
  EXPECT_EQ(NameKey("k\xC4\xB1l\xC4\xB1\xC3\xA7" "daro\xC4\x9Flu"), NameKey("kilicdaroglu"));
  EXPECT_EQ(NameKey("i\xCC\x87zmir"), NameKey("izmir"));
  EXPECT_EQ(NameKey("timi\xC8\x99oara"), NameKey("timisoara"));
  EXPECT_EQ(NameKey("constan\xC8\x9B" "a"), NameKey("constanta"));
}

TEST(NameKey, OnlyWordsOfLettersHaveAKey) {
  EXPECT_EQ(NameKey(""), "");
  EXPECT_EQ(NameKey("2025"), "");
  EXPECT_EQ(NameKey("\xE2\x80\x94"), "");  // an em dash
  EXPECT_EQ(NameKey("types.h"), "");
  EXPECT_EQ(NameKey("st_mode"), "");
  EXPECT_EQ(NameKey("self-suffici"), "");
  EXPECT_EQ(NameKey("caf\xC3\xA9\xC3\x97"), "");  // café× (a sign, not a letter)
}

// Any word, however odd its bytes (a lone lead byte, a combining mark):
// a key of lower-case ASCII letters at most twice its length (x is ks),
// the same every time.
TEST(NameKey, AnyWordGivesLettersOnly) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"a", "c", "h", "sh", "x", "z", "'", "\"", ".", "-",
                                           "\xC3\xA7", "\xC4\xB1", "\xC5\xBA", "\xC8\x99",
                                           "\xCC\x87", "\xC3", "\xC8", "\xD0\xB1", "1", "q"};
  for (int trial = 0; trial < 2000; ++trial) {
    std::string word;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) word += pieces[rng() % pieces.size()];
    const std::string key = NameKey(word);
    EXPECT_LE(key.size(), 2 * word.size()) << word;
    for (char c : key) EXPECT_TRUE(c >= 'a' && c <= 'z') << word;
    EXPECT_EQ(NameKey(word), key);
  }
}

}  // namespace
}  // namespace neardup
