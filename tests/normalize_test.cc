#include "neardup/normalize.h"

#include "neardup/ascii_words.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace neardup {
namespace {

std::vector<std::string> Tokens(std::string_view text,
                                NormalizeOptions options = {}) {
  auto tok = Tokenizer::Create(options);
  EXPECT_TRUE(tok.ok());
  TokenList list;
  (*tok)->Tokenize(text, &list);
  return list.ToVector();
}

using V = std::vector<std::string>;

TEST(Normalize, CaseAndCompatibilityFormsCompareEqual) {
  // Full-width letters and digits, a ligature, upper case.
  EXPECT_EQ(Tokens("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3 \xEF\xBC\x91\xEF\xBC\x92"),
            (V{"abc", "12"}));
  EXPECT_EQ(Tokens("\xEF\xAC\x81nal Report"), (V{"final", "report"}));
  EXPECT_EQ(Tokens("STRASSE Stra\xC3\x9F" "e"), (V{"strasse", "strasse"}));
  // Half-width katakana become full-width.
  EXPECT_EQ(Tokens("\xEF\xBD\xB6\xEF\xBE\x80\xEF\xBD\xB6\xEF\xBE\x85"),
            Tokens("\xE3\x82\xAB\xE3\x82\xBF\xE3\x82\xAB\xE3\x83\x8A"));
}

TEST(Normalize, PunctuationAndWhitespaceAreDropped) {
  EXPECT_EQ(Tokens("  Hello,\tworld!!  (again) -- \"quoted\"\n"),
            (V{"hello", "world", "again", "quoted"}));
  EXPECT_TRUE(Tokens(" ... --- !!! ").empty());
}

TEST(Normalize, ApostrophesAreFolded) {
  EXPECT_EQ(Tokens("don\xE2\x80\x99t"), Tokens("don't"));
  EXPECT_EQ(Tokens("don't"), (V{"don't"}));
  // All three forms (U+2019, U+2018, U+02BC), several in one word.
  EXPECT_EQ(Tokens("rock\xE2\x80\x98n\xE2\x80\x99roll o\xCA\xBC" "clock"),
            (V{"rock'n'roll", "o'clock"}));
}

TEST(Normalize, NumbersKeepTheirSeparators) {
  EXPECT_EQ(Tokens("1,000.50 and 3.14"), (V{"1,000.50", "and", "3.14"}));
}

TEST(Normalize, JapaneseIsSegmentedIntoWords) {
  // "I live in Tokyo" without spaces: ICU's dictionary splits it.
  const V t = Tokens("\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD\xE3\x81\xAB\xE4\xBD\x8F"
                     "\xE3\x82\x93\xE3\x81\xA7\xE3\x81\x84\xE3\x81\xBE\xE3\x81\x99");
  EXPECT_GE(t.size(), 4u);
  EXPECT_EQ(t[0], "\xE6\x9D\xB1\xE4\xBA\xAC");  // 東京
}

// Tokens that follow the one before them with nothing between are marked
// (the pivot features put katakana names that ICU split back together).
TEST(Normalize, TokensWithNothingBetweenAreMarkedGlued) {
  auto tok = Tokenizer::Create(NormalizeOptions{});
  ASSERT_TRUE(tok.ok());
  TokenList t;
  // 東京都に住んでいます: every token after the first is glued.
  (*tok)->Tokenize("\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD\xE3\x81\xAB\xE4\xBD\x8F"
                   "\xE3\x82\x93\xE3\x81\xA7\xE3\x81\x84\xE3\x81\xBE\xE3\x81\x99",
                   &t);
  ASSERT_GE(t.size(), 4u);
  EXPECT_EQ(t.glued().size(), t.size() - 1);
  EXPECT_EQ(t.glued().front(), 1u);
  // A space or a middle dot (ウラジーミル・プーチン) separates: not glued.
  (*tok)->Tokenize("\xE6\x9D\xB1\xE4\xBA\xAC \xE9\x83\xBD", &t);
  EXPECT_TRUE(t.glued().empty());
  (*tok)->Tokenize("\xE3\x82\xA6\xE3\x83\xA9\xE3\x82\xB8\xE3\x83\xBC\xE3\x83\x9F"
                   "\xE3\x83\xAB\xE3\x83\xBB\xE3\x83\x97\xE3\x83\xBC\xE3\x83\x81"
                   "\xE3\x83\xB3", &t);
  ASSERT_GE(t.size(), 2u);
  EXPECT_EQ(t[0], "\xE3\x82\xA6\xE3\x83\xA9\xE3\x82\xB8\xE3\x83\xBC\xE3\x83\x9F"
                  "\xE3\x83\xAB");  // ウラジーミル, then the dot
  for (uint32_t g : t.glued()) EXPECT_NE(g, 1u);  // プー|チン may be, not ・
  // ASCII text takes the fast path and marks nothing.
  (*tok)->Tokenize("foo bar", &t);
  EXPECT_TRUE(t.glued().empty());
}

TEST(Normalize, DiacriticsFoldOnlyWhenAsked) {
  EXPECT_EQ(Tokens("Caf\xC3\xA9"), (V{"caf\xC3\xA9"}));
  NormalizeOptions fold;
  fold.fold_diacritics = true;
  EXPECT_EQ(Tokens("Caf\xC3\xA9 na\xC3\xAFve", fold), (V{"cafe", "naive"}));
}

// The ASCII fast path must give exactly ICU's tokens. Random strings over
// an alphabet dense in the characters whose word-break classes matter,
// mixed with non-ASCII letters, marks and spaces.
TEST(Normalize, AsciiFastPathMatchesIcuOnRandomText) {
  ::unsetenv("NEARDUP_NO_ASCII_FAST_PATH");  // the fast path must be on
  const std::vector<std::string> alphabet = {
      "a", "B", "z", "Q", "0", "7", "_", ".", "'", ",", ";", ":", "-", "\"",
      "/", "@", "#", "(", " ", " ", "\t", "\n", "\r\n", "$", "%", "&", "+",
      "\xC3\xA9",          // é
      "\xCC\x81",          // combining acute
      "\xE2\x80\x99",      // ’
      "\xC2\xA0",          // no-break space
      "\xE3\x80\x80",      // ideographic space
      "\xE6\x97\xA5",      // 日
      "\xE3\x81\x82",      // あ
      "\xEF\xBC\x91",      // full-width 1
      "\xD0\xB4",          // д
  };
  NormalizeOptions icu_only;
  icu_only.ascii_fast_path = false;
  auto fast = Tokenizer::Create(NormalizeOptions{});
  auto slow = Tokenizer::Create(icu_only);
  ASSERT_TRUE(fast.ok() && slow.ok());
  std::mt19937_64 rng(12345);
  TokenList a, b;
  int mismatches = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string text;
    // Mostly short texts; every tenth crosses the 64-byte blocks of the
    // vectorized path.
    const int len = iter % 10 == 9 ? 1 + rng() % 300 : 1 + rng() % 24;
    const bool ascii_only = iter % 2 == 0;
    for (int i = 0; i < len; ++i) {
      const size_t limit = ascii_only ? 27 : alphabet.size();
      text += alphabet[rng() % limit];
    }
    (*fast)->Tokenize(text, &a);
    (*slow)->Tokenize(text, &b);
    if (a.ToVector() != b.ToVector()) {
      ADD_FAILURE() << "tokens differ for [" << text << "]";
      if (++mismatches > 5) break;
    }
  }
}

// Both implementations of the ASCII path give the same tokens, on texts
// long enough to span several 64-byte blocks, with tokens and joiners on
// block edges.
TEST(Normalize, AsciiPathVectorizedMatchesScalar) {
  if (!CpuHasAvx2()) GTEST_SKIP() << "this processor has no AVX2";
  const std::string alphabet = "aBzQ07_.',;:-\"/@#( \t\n$%&+";
  std::mt19937_64 rng(777);
  TokenList scalar, vectorized;
  int mismatches = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string text;
    const int len = rng() % 260;
    // Runs of one character make long tokens across block edges.
    while (static_cast<int>(text.size()) < len) {
      const char c = alphabet[rng() % alphabet.size()];
      text.append(rng() % 8 == 0 ? 1 + rng() % 70 : 1, c);
    }
    scalar.Clear();
    vectorized.Clear();
    TokenizeAsciiScalar(text, &scalar);
    TokenizeAsciiAvx2(text, &vectorized);
    if (scalar.ToVector() != vectorized.ToVector()) {
      ADD_FAILURE() << "tokens differ for [" << text << "]";
      if (++mismatches > 5) break;
    }
  }
}

TEST(Normalize, LatinWordsRomanizedPerCharacterAsIcuDoes) {
  // Accented words of Latin-script languages go through ICU a character
  // at a time; the result must be ICU's for the whole word, also for
  // letters Latin-ASCII spells with two (ß, æ, œ, ǆ, ĳ, þ), in any case,
  // and for a word with a combining mark of its own (handled whole).
  auto fast = Transliterator::Create("Any-Latin; Latin-ASCII");
  auto icu = Transliterator::Create("Any-Latin;Latin-ASCII");
  ASSERT_TRUE(fast.ok() && icu.ok());
  const std::vector<std::string> words = {
      "tiếng", "việt", "nguyễn", "informació", "català", "euskarazko", "gaztelaniazko",
      "źdźbło", "łódź", "příliš", "žluťoučký", "straße", "STRASSE", "æsir", "ÆSIR",
      "œuvre", "ǆemal", "ǅemal", "ĳssel", "þorn", "ﬁnal", "città", "e\xCC\x81te",
      "n\xCC\x83" "a", "ø", "đường", "a", "ă"};
  for (const std::string& w : words) {
    EXPECT_EQ((*fast)->Apply(w), (*icu)->Apply(w)) << w;
  }
  EXPECT_EQ((*fast)->Apply("nguyễn"), "nguyen");
  EXPECT_EQ((*fast)->Apply("straße"), "strasse");
}

TEST(Normalize, Utf8Validation) {
  size_t bad = 99;
  EXPECT_TRUE(IsValidUtf8("plain ascii text, long enough for the 8-byte path"));
  EXPECT_TRUE(IsValidUtf8("\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("abc\xFF", &bad));
  EXPECT_EQ(bad, 3u);
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE6\x97"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

}  // namespace
}  // namespace neardup
