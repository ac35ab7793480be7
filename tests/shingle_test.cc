#include "neardup/shingle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace neardup {
namespace {

TokenList MakeTokens(const std::vector<std::string>& words) {
  TokenList t;
  for (const auto& w : words) t.Add(w);
  return t;
}

std::vector<uint64_t> Shingles(const std::vector<std::string>& words,
                               ShingleOptions options = {}) {
  Shingler s(options);
  std::vector<uint64_t> out;
  s.Shingle(MakeTokens(words), &out);
  return out;
}

TEST(Shingle, WordNgramsAreDistinct) {
  // 7 tokens, n = 5: 3 shingles.
  auto s = Shingles({"a", "b", "c", "d", "e", "f", "g"});
  EXPECT_EQ(s.size(), 3u);
  std::sort(s.begin(), s.end());
  EXPECT_EQ(std::adjacent_find(s.begin(), s.end()), s.end());
  // A repeated 5-gram counts once.
  auto r = Shingles({"a", "b", "c", "d", "e", "a", "b", "c", "d", "e"});
  EXPECT_EQ(r.size(), 5u);  // abcde bcdea cdeab deabc eabcd (abcde again)
}

TEST(Shingle, ShortDocumentsStillGetOneShingle) {
  auto s = Shingles({"only", "three", "words"});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_NE(s, Shingles({"only", "three", "other"}));
  EXPECT_TRUE(Shingles({}).empty());
}

// A run of k units inside a longer document hashes as a document of just
// those k units: how the contamination check finds a short item inside a
// page. Words and characters; runs as long as the document are not made.
TEST(Shingle, RunsOfALengthHashAsDocumentsOfThatLength) {
  const std::vector<std::string> words = {"a", "b", "c", "d", "e", "f", "g"};
  Shingler s(ShingleOptions{ShingleUnit::kWord, 5, 9});
  std::vector<uint64_t> out;
  s.Shingle(MakeTokens(words), &out);
  EXPECT_EQ(s.units(), 7u);
  for (size_t k = 1; k < 7; ++k) {
    std::vector<uint64_t> runs;
    s.ShinglesOfLength(k, &runs);
    ASSERT_EQ(runs.size(), 7 - k + 1) << k;
    for (size_t i = 0; i + k <= 7; ++i) {
      const std::vector<std::string> part(words.begin() + i, words.begin() + i + k);
      const std::vector<uint64_t> alone = Shingles(part, ShingleOptions{ShingleUnit::kWord, 8, 9});
      ASSERT_EQ(alone.size(), 1u);
      EXPECT_EQ(runs[i], alone[0]) << k << " at " << i;
      EXPECT_EQ(s.WordRun(i, k), alone[0]);
    }
  }
  std::vector<uint64_t> none;
  s.ShinglesOfLength(7, &none);
  EXPECT_TRUE(none.empty());

  // Characters: "abcdefghij" has the run "cdefg", as the document "cdefg".
  Shingler c(ShingleOptions{ShingleUnit::kChar, 8, 0});
  c.Shingle(MakeTokens({"abcdefghij"}), &out);
  EXPECT_EQ(c.units(), 10u);
  std::vector<uint64_t> runs;
  c.ShinglesOfLength(5, &runs);
  ASSERT_EQ(runs.size(), 6u);
  EXPECT_EQ(runs[2], Shingles({"cdefg"}, ShingleOptions{ShingleUnit::kChar, 8, 0})[0]);
  EXPECT_NE(runs[1], runs[2]);
}

TEST(Shingle, OrderMattersWithinAShingle) {
  EXPECT_NE(Shingles({"a", "b", "c", "d", "e"}), Shingles({"b", "a", "c", "d", "e"}));
}

TEST(Shingle, TokenBoundariesMatter) {
  // "ab"+"c" must not collide with "a"+"bc".
  ShingleOptions two;
  two.n = 2;
  EXPECT_NE(Shingles({"ab", "c"}, two), Shingles({"a", "bc"}, two));
}

TEST(Shingle, SeedChangesTheHashes) {
  ShingleOptions other;
  other.seed = 99;
  EXPECT_NE(Shingles({"a", "b", "c", "d", "e"}), Shingles({"a", "b", "c", "d", "e"}, other));
}

TEST(Shingle, CharacterNgramsCountCodePoints) {
  ShingleOptions chars;
  chars.unit = ShingleUnit::kChar;
  chars.n = 3;
  // "ab cd" has 5 code points -> 3 trigrams: "ab ", "b c", " cd".
  EXPECT_EQ(Shingles({"ab", "cd"}, chars).size(), 3u);
  // Multi-byte: "日本語です" is 5 code points -> 3 trigrams.
  EXPECT_EQ(Shingles({"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xA7\xE3\x81\x99"}, chars).size(), 3u);
  EXPECT_EQ(Shingles({"ab"}, chars).size(), 1u);
}

// The de-duplication keeps exactly the distinct hashes, whatever the mix
// of repeats: compare with std::set on random token streams drawn from a
// small vocabulary (many repeated 2-grams).
TEST(Shingle, DeduplicationMatchesASet) {
  ShingleOptions two;
  two.n = 2;
  Shingler sh(two);
  std::mt19937_64 rng(5);
  std::vector<uint64_t> out;
  for (int iter = 0; iter < 200; ++iter) {
    TokenList t;
    const int len = 1 + rng() % 3000;
    for (int i = 0; i < len; ++i) t.Add(std::string(1, 'a' + rng() % 6));
    sh.Shingle(t, &out);
    std::set<uint64_t> distinct(out.begin(), out.end());
    EXPECT_EQ(distinct.size(), out.size());
    EXPECT_LE(out.size(), 36u);  // at most 6 x 6 distinct 2-grams
    if (len > 1000) EXPECT_EQ(out.size(), 36u);
  }
}

TEST(Shingle, OptionsValidate) {
  ShingleOptions bad;
  bad.n = 0;
  EXPECT_FALSE(bad.Validate().ok());
  bad.n = 65;
  EXPECT_FALSE(bad.Validate().ok());
  EXPECT_TRUE(ShingleOptions{}.Validate().ok());
}

}  // namespace
}  // namespace neardup
