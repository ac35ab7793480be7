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
