#include "neardup/cluster.h"

#include <gtest/gtest.h>

#include <vector>

namespace neardup {
namespace {

ScoredPair P(uint32_t a, uint32_t b) {
  ScoredPair p;
  p.a = a;
  p.b = b;
  p.score = 0.9;
  return p;
}

TEST(Cluster, ComponentsAreGroupsOrderedByFirstMember) {
  // 0-3, 3-5 chain; 2-4; 1 and 6 alone.
  const std::vector<ScoredPair> pairs = {P(3, 5), P(2, 4), P(0, 3)};
  const std::vector<uint64_t> len(7, 10);
  const auto groups = BuildGroups(7, pairs, len, KeepPolicy::kFirst);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].members, (std::vector<uint32_t>{0, 3, 5}));
  EXPECT_EQ(groups[1].members, (std::vector<uint32_t>{2, 4}));
  EXPECT_EQ(groups[0].representative, 0u);
  EXPECT_EQ(groups[1].representative, 2u);
}

TEST(Cluster, LongestPolicyKeepsTheMostTextTiesGoFirst) {
  const std::vector<ScoredPair> pairs = {P(0, 1), P(1, 2), P(3, 4)};
  const std::vector<uint64_t> len = {10, 30, 30, 7, 7};
  const auto groups = BuildGroups(5, pairs, len, KeepPolicy::kLongest);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].representative, 1u);
  EXPECT_EQ(groups[1].representative, 3u);
}

// Seen documents (preferred) in one group: 0 (language 0, seen) and its
// translation 1 (language 1), 1's near-duplicate 2 (language 1, longer),
// and 3 (language 0), another article joined by a story pair. By default
// one per language and variant set: 0, the longer 2 for 1, and 3. With
// preferred_takes_variants, 0 stands for 1 and 2 too; 3 stays.
TEST(Cluster, APreferredMemberCanStandForItsTranslations) {
  ScoredPair story = P(0, 3);
  story.story = true;
  const std::vector<ScoredPair> pairs = {P(0, 1), P(1, 2), story};
  const std::vector<uint64_t> len = {10, 10, 20, 10};
  const std::vector<uint16_t> lang = {0, 1, 1, 0};
  const std::vector<uint8_t> seen = {1, 0, 0, 0};
  auto groups = BuildGroups(4, pairs, len, KeepPolicy::kLongest, lang, UINT16_MAX, seen);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].kept, (std::vector<uint32_t>{0, 2, 3}));
  EXPECT_EQ(groups[0].kept_for, (std::vector<uint32_t>{0, 2, 2, 3}));
  groups = BuildGroups(4, pairs, len, KeepPolicy::kLongest, lang, UINT16_MAX, seen, true);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].kept, (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(groups[0].kept_for, (std::vector<uint32_t>{0, 0, 0, 3}));
  EXPECT_EQ(groups[0].representative, 0u);
  // Two seen versions, 0 (language 0) and 4 (language 1), and 5, a
  // near-copy of 4: it stands for 4 (its language), not for 0.
  {
    const std::vector<ScoredPair> two = {P(0, 4), P(4, 5)};
    const std::vector<uint64_t> l5 = {10, 10, 10, 10, 10, 20};
    const std::vector<uint16_t> g5 = {0, 0, 0, 0, 1, 1};
    const std::vector<uint8_t> s5 = {1, 0, 0, 0, 1, 0};
    auto g = BuildGroups(6, two, l5, KeepPolicy::kLongest, g5, UINT16_MAX, s5, true);
    ASSERT_EQ(g.size(), 1u);
    EXPECT_EQ(g[0].kept_for, (std::vector<uint32_t>{0, 4, 4}));
  }
  // Nothing preferred: the flag changes nothing.
  groups = BuildGroups(4, pairs, len, KeepPolicy::kLongest, lang, UINT16_MAX, {}, true);
  EXPECT_EQ(groups[0].kept, (std::vector<uint32_t>{0, 2, 3}));
}

TEST(Cluster, PolicyAndModeNamesParse) {
  EXPECT_EQ(*ParseKeepPolicy("first"), KeepPolicy::kFirst);
  EXPECT_EQ(*ParseKeepPolicy("longest"), KeepPolicy::kLongest);
  EXPECT_FALSE(ParseKeepPolicy("random").ok());
  EXPECT_EQ(*ParseVerifyMode("exact"), VerifyMode::kExact);
  EXPECT_FALSE(ParseVerifyMode("fuzzy").ok());
}

TEST(Cluster, UnionFindIsTransitive) {
  UnionFind uf(10);
  uf.Union(1, 2);
  uf.Union(2, 3);
  uf.Union(7, 8);
  EXPECT_EQ(uf.Find(1), uf.Find(3));
  EXPECT_NE(uf.Find(1), uf.Find(7));
  EXPECT_EQ(uf.Find(9), 9u);
}

}  // namespace
}  // namespace neardup
