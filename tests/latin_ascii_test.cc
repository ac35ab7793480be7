#include "neardup/latin_ascii.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "neardup/normalize.h"

namespace neardup {
namespace {

std::string Utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else {
    out.push_back(static_cast<char>(0xC0 | c >> 6));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
  return out;
}

// The three transforms crosslingual.cc romanizes with, lower-cased as it
// lower-cases their output.
struct Icu {
  std::vector<std::unique_ptr<Transliterator>> transforms;
  Icu() {
    for (const char* id : {"Any-Latin; Latin-ASCII", "Russian-Latin/BGN; Any-Latin; Latin-ASCII",
                           "Katakana-Latin; Hiragana-Latin; Latin-ASCII"}) {
      auto t = Transliterator::Create(id);
      EXPECT_TRUE(t.ok()) << t.status();
      if (t.ok()) transforms.push_back(*std::move(t));
    }
  }
  static std::string Lower(std::string s) {
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return s;
  }
};

TEST(LatinAscii, KnownWords) {
  std::string out;
  for (const auto& [word, ascii] : std::vector<std::pair<std::string, std::string>>{
           {"fernández", "fernandez"}, {"informações", "informacoes"}, {"straße", "strasse"},
           {"Björn", "bjorn"}, {"łódź", "lodz"}, {"æon", "aeon"}, {"þing", "thing"},
           {"jfh@bga.com", "jfh@bga.com"}, {"@T", "@t"}, {"œuvre", "oeuvre"},
           {"ŉ", "'n"}, {"ǆ", "dz"}}) {
    ASSERT_TRUE(LatinToAscii(word, &out)) << word;
    EXPECT_EQ(out, ascii) << word;
  }
  // Left to ICU: nothing, a letter Latin-ASCII leaves alone (ǝ), other
  // scripts, a sign that is not a letter (×, ·).
  for (const char* other : {"", "ǝ", "ελλάδα", "файл", "a×b", "a·b", "ファイル", "ａ"}) {
    EXPECT_FALSE(LatinToAscii(other, &out)) << other;
  }
}

// Each transform writes each letter of the table as the table does: alone,
// doubled, among ASCII letters, capitals and digits, before another
// letter of the table, inside an e-mail address; and the letters the
// table leaves out are the ones ICU does not spell in ASCII (it holds
// letters only: × and ÷ are left out though ICU spells them x and /).
TEST(LatinAscii, SpellsEachLetterAsIcuDoes) {
  Icu icu;
  ASSERT_EQ(icu.transforms.size(), 3u);
  std::string ours;
  size_t spelled = 0;
  for (char32_t c = 0xC0; c <= 0x24F; ++c) {
    const std::string l = Utf8(c);
    char ascii[2] = {};
    if (LatinAsciiSpelling(c, ascii) == nullptr) {
      EXPECT_FALSE(LatinToAscii(l, &ours));
      if (c == 0xD7 || c == 0xF7) continue;  // × and ÷: signs, not letters
      const std::string theirs = icu.transforms[0]->Apply(l);
      bool all_ascii = true;
      for (char b : theirs) all_ascii = all_ascii && static_cast<unsigned char>(b) < 0x80;
      EXPECT_TRUE(!all_ascii || theirs.empty()) << static_cast<uint32_t>(c) << " " << theirs;
      continue;
    }
    ++spelled;
    for (const std::string& word : {l, l + l, "a" + l + "b", "A" + l + "B", "1" + l + "2",
                                    l + "Z", "z" + l, l + "é", "x_" + l + "@y.org"}) {
      ASSERT_TRUE(LatinToAscii(word, &ours)) << word;
      for (const auto& t : icu.transforms) {
        ASSERT_EQ(ours, Icu::Lower(t->Apply(word))) << word;
      }
    }
  }
  EXPECT_EQ(spelled, 354u);
}

// ASCII alone: every transform only lower-cases it (every pair of
// printable characters), and random words of ASCII and the table's
// letters are spelled alike.
TEST(LatinAscii, SpellsAsciiAndRandomWordsAsIcuDoes) {
  Icu icu;
  ASSERT_EQ(icu.transforms.size(), 3u);
  std::string ours;
  for (char a = 0x20; a < 0x7F; ++a) {
    for (char b = 0x20; b < 0x7F; ++b) {
      const std::string word{a, b};
      ASSERT_TRUE(LatinToAscii(word, &ours));
      for (const auto& t : icu.transforms) ASSERT_EQ(ours, Icu::Lower(t->Apply(word))) << word;
    }
  }
  std::vector<std::string> symbols;
  for (char32_t c = 0x21; c < 0x7F; ++c) symbols.push_back(Utf8(c));
  for (char32_t c = 0xC0; c <= 0x24F; ++c) {
    char ascii[2] = {};
    if (LatinAsciiSpelling(c, ascii) != nullptr) symbols.push_back(Utf8(c));
  }
  std::mt19937 rng(41);
  for (int w = 0; w < 30000; ++w) {
    std::string word;
    for (int n = 1 + static_cast<int>(rng() % 12); n > 0; --n) word += symbols[rng() % symbols.size()];
    ASSERT_TRUE(LatinToAscii(word, &ours)) << word;
    for (const auto& t : icu.transforms) ASSERT_EQ(ours, Icu::Lower(t->Apply(word))) << word;
  }
}

}  // namespace
}  // namespace neardup
