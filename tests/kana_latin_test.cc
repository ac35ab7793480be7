#include "neardup/kana_latin.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "neardup/crosslingual.h"
#include "neardup/normalize.h"

namespace neardup {
namespace {

std::string Utf8(char32_t c) {
  std::string out;
  out.push_back(static_cast<char>(0xE0 | c >> 12));
  out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
  out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  return out;
}

TEST(KanaLatin, KnownWords) {
  std::string out;
  for (const auto& [word, latin] : std::vector<std::pair<std::string, std::string>>{
           {"コンピューター", "konpyuta"}, {"キャッシュ", "kyasshu"},
           {"ヴァイオリン", "vu~aiorin"}, {"ウィンドウズ", "u~indouzu"},
           {"ンア", "n'a"}, {"カンヴァス", "kan'vu~asu"}, {"ティー", "ti"},
           {"ファイル", "fairu"}, {"ジェー", "je"}, {"ッ", "~tsu"}, {"バイデン", "baiden"},
           {"らーめん", "ramen"}, {"ちょっと", "chotto"}, {"ヂ", "dji"}, {"ッヷ", "vva"}}) {
    ASSERT_TRUE(KanaToLatin(word, &out)) << word;
    EXPECT_EQ(out, latin) << word;
  }
  // Anything else is ICU's: other scripts, a mix of katakana and hiragana
  // (ICU reads the katakana first), ゕ ゖ (which ICU leaves as they are),
  // iteration marks, the middle dot, ー after no vowel or first.
  for (const char* other : {"", "abc", "カa", "漢字", "カか", "ゕ", "ゖ", "ヽ", "カ・カ", "ンー",
                            "ー", "カ\xE2\x80\x8B"}) {
    EXPECT_FALSE(KanaToLatin(other, &out)) << other;
  }
}

// The same letters as ICU's "Katakana-Latin; Hiragana-Latin; Latin-ASCII"
// (lower-cased, as crosslingual.cc uses it) on every katakana and hiragana
// key of the built lexicon's Japanese table (EDICT's words) that this
// reads, and on 300,000 random strings of 1 to 14 kana, a third of them
// the small kana, ッ, ン and ー that its rules are about. The oracle
// program of session 40 also checked 1.5 million: none differed. The
// same for "Any-Latin; Latin-ASCII", which crosslingual.cc uses for kana
// in a document read as Korean or Chinese: it gives a word of one kana
// script to the same transforms.
TEST(KanaLatin, SpellsAsIcuDoes) {
  auto icu = Transliterator::Create("Katakana-Latin; Hiragana-Latin; Latin-ASCII");
  ASSERT_TRUE(icu.ok()) << icu.status();
  auto any = Transliterator::Create("Any-Latin; Latin-ASCII");
  ASSERT_TRUE(any.ok()) << any.status();
  size_t checked = 0, offered = 0;
  std::string ours;
  auto check = [&](const std::string& word) {
    ++offered;
    if (!KanaToLatin(word, &ours)) return;
    for (const auto* t : {&*icu, &*any}) {
      std::string theirs = (*t)->Apply(word);
      for (char& c : theirs) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      ASSERT_EQ(ours, theirs) << word;
    }
    ++checked;
  };
  std::ifstream table(DefaultLexiconDir() + "/ja.tsv");
  ASSERT_TRUE(table.good()) << "the lexicon is built by scripts/build.sh (README quick start)";
  std::string line;
  size_t edict = 0;
  while (std::getline(table, line)) {
    const std::string key = line.substr(0, line.find('\t'));
    if (key.size() < 3 || static_cast<unsigned char>(key[0]) != 0xE3) continue;
    const size_t before = checked;
    check(key);
    if (HasFatalFailure()) return;
    edict += checked - before;
  }
  EXPECT_GT(edict, 150000u);  // the table's kana keys, but for marks and ・
  std::mt19937 rng(40);
  const char32_t special[] = {0x30FC, 0x30C3, 0x30F3, 0x30E3, 0x30E5,
                              0x30E7, 0x30A3, 0x30A7, 0x30A1, 0x30F4};
  for (int i = 0; i < 300000; ++i) {
    std::string word;
    const bool hiragana = rng() % 4 == 0;
    const int length = 1 + static_cast<int>(rng() % 14);
    for (int j = 0; j < length; ++j) {
      char32_t c = rng() % 3 == 0 ? special[rng() % 10] : 0x30A1 + rng() % (0x30FA - 0x30A1 + 1);
      if (hiragana && c != 0x30FC && c <= 0x30F4) c -= 0x60;
      word += Utf8(c);
    }
    check(word);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(checked, offered * 8 / 10);
}

// crosslingual.cc leaves a Hangul word that its Japanese romanization meets
// (a Korean word in a document read as Japanese) as it is, without ICU:
// ICU's transform does the same to every syllable, and to random words of
// them.
TEST(KanaLatin, IcusJapaneseTransformLeavesHangulAsItIs) {
  auto icu = Transliterator::Create("Katakana-Latin; Hiragana-Latin; Latin-ASCII");
  ASSERT_TRUE(icu.ok()) << icu.status();
  for (char32_t c = 0xAC00; c <= 0xD7A3; ++c) {
    ASSERT_EQ((*icu)->Apply(Utf8(c)), Utf8(c)) << static_cast<uint32_t>(c);
  }
  std::mt19937 rng(40);
  for (int i = 0; i < 20000; ++i) {
    std::string word;
    for (int j = 0, n = 2 + static_cast<int>(rng() % 5); j < n; ++j) {
      word += Utf8(0xAC00 + rng() % (0xD7A3 - 0xAC00 + 1));
    }
    ASSERT_EQ((*icu)->Apply(word), word);
  }
}

}  // namespace
}  // namespace neardup
