// Calibration of pivot scores (calibration.h), the story stage (story.h)
// and what story pairs mean for keeping (cluster.h).
#include "neardup/story.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "neardup/calibration.h"
#include "neardup/cluster.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::TempDir;

std::vector<NullSample> Samples(const char* a, const char* b,
                                std::initializer_list<double> scores) {
  std::vector<NullSample> out;
  for (double s : scores) out.push_back({a, b, s});
  return out;
}

// Scores repeating `values` until `n` samples.
std::vector<NullSample> Repeat(const char* a, const char* b,
                               std::vector<double> values, size_t n) {
  std::vector<NullSample> out;
  for (size_t i = 0; i < n; ++i) out.push_back({a, b, values[i % values.size()]});
  return out;
}

TEST(Calibration, ZIsDistanceFromUnrelatedPairsOfTheSameLanguages) {
  // ja-ja background pairs: mean 0.10, sd 0.02 (0.08 and 0.12 alternating);
  // de-ja: mean 0.02, sd 0.01.
  std::vector<NullSample> bg = Repeat("ja", "ja", {0.08, 0.12}, 100);
  for (auto& s : Repeat("de", "ja", {0.01, 0.03}, 100)) bg.push_back(s);
  const NullModel m = NullModel::Fit({}, bg);
  const double sd_jj = std::sqrt(0.0004 * 100 / 99);
  const double sd_dj = std::sqrt(0.0001 * 100 / 99);
  EXPECT_NEAR(m.Z("ja", "ja", 0.14), 0.04 / sd_jj, 1e-9);
  EXPECT_NEAR(m.Z("ja", "de", 0.06), 0.04 / sd_dj, 1e-9);  // either order
  // The same raw score is ordinary for ja-ja, remarkable for de-ja.
  EXPECT_LT(m.Z("ja", "ja", 0.10), 0.5);
  EXPECT_GT(m.Z("de", "ja", 0.10), 5);
  // A language pair the background lacks: the pooled cross-language figures.
  EXPECT_NEAR(m.For("fr", "ru").mean, 0.02, 1e-12);
  EXPECT_NEAR(m.For("fr", "fr").mean, 0.10, 1e-12);
}

TEST(Calibration, ALanguagePairThatSharesNothingHasAFlooredDeviation) {
  // en-de: sd 0.01. et-pt unrelated pairs share nothing (all 0): a shared
  // feature must not be infinitely (or, with sd 0, not at all) remarkable.
  std::vector<NullSample> bg = Repeat("en", "de", {0.01, 0.03}, 300);
  for (auto& s : Repeat("et", "pt", {0.0}, 300)) bg.push_back(s);
  const NullModel m = NullModel::Fit({}, bg);
  const double pooled_sd = m.For("fr", "ru").sd;  // a pair it lacks: pooled
  ASSERT_GT(pooled_sd, 0);
  EXPECT_NEAR(m.For("et", "pt").sd, kMinSdShare * pooled_sd, 1e-12);
  EXPECT_NEAR(m.Z("et", "pt", 0.03), 0.03 / (kMinSdShare * pooled_sd), 1e-9);
  // A pair whose own deviation is above the floor keeps it.
  EXPECT_NEAR(m.For("en", "de").sd, std::sqrt(0.0001 * 300 / 299), 1e-9);
}

TEST(Calibration, TheInputsOwnPairsWinWhenThereAreEnough) {
  const std::vector<NullSample> bg = Repeat("en", "de", {0.01, 0.03}, 300);
  // Few input pairs: pooled with the background.
  const std::vector<NullSample> few = Repeat("en", "de", {0.2, 0.4}, 10);
  const double pooled_mean = (300 * 0.02 + 10 * 0.3) / 310;
  EXPECT_NEAR(NullModel::Fit(few, bg).For("en", "de").mean, pooled_mean, 1e-9);
  // Enough: the input's own domain sets the null.
  const std::vector<NullSample> many = Repeat("en", "de", {0.2, 0.4}, kMinCorpusPairs);
  EXPECT_NEAR(NullModel::Fit(many, bg).For("en", "de").mean, 0.3, 1e-9);
  // No samples at all: scores stay raw.
  EXPECT_TRUE(NullModel::Fit({}, {}).empty());
  EXPECT_EQ(NullModel::Fit({}, {}).Z("en", "de", 0.25), 0.25);
}

TEST(Calibration, BackgroundSamplesLeaveOutTranslationsOfOneText) {
  const std::vector<BackgroundDoc> docs = {
      {"en", "g1", ""}, {"de", "g1", ""}, {"en", "g2", ""}};
  const std::vector<std::vector<uint32_t>> features = {{1, 2}, {1, 2}, {2, 3}};
  const absl::flat_hash_map<uint32_t, float> weight = {{1, 1.0f}, {2, 1.0f}, {3, 2.0f}};
  const std::vector<NullSample> s = BackgroundSamples(docs, features, IdfTable(weight));
  ASSERT_EQ(s.size(), 2u);  // en1-en2 and de1-en2; not the g1 pair
  for (const NullSample& x : s) EXPECT_NEAR(x.score, 1.0 / 4.0, 1e-9);  // {2} of {1,2,3}
}

TEST(Calibration, BackgroundSamplesTakeALanguagePairWithinOneSourceWhenOneHasIt) {
  // Two manuals: "a" in en, de and ja; "b" in pt and en.
  const std::vector<BackgroundDoc> docs = {{"en", "a/1", ""},
                                           {"de", "a/2", ""},
                                           {"pt", "b/1", ""},
                                           {"en", "b/2", ""},
                                           {"ja", "a/3", ""}};
  const std::vector<std::vector<uint32_t>> features = {{1, 2}, {1, 6}, {3, 4}, {2, 3}, {1, 5}};
  absl::flat_hash_map<uint32_t, float> weight;
  for (uint32_t f = 1; f <= 6; ++f) weight[f] = 1.0f;
  const std::vector<NullSample> s = BackgroundSamples(docs, features, IdfTable(weight));
  // The scores sampled for languages a <= b.
  auto scores = [&](const std::string& a, const std::string& b) {
    std::vector<double> out;
    for (const NullSample& x : s) {
      if (std::minmax(x.lang_a, x.lang_b) == std::minmax(a, b)) out.push_back(x.score);
    }
    return out;
  };
  // Within "b" only: not the earlier en of "a" with b's pt (score 0).
  ASSERT_EQ(scores("en", "pt").size(), 1u);
  EXPECT_NEAR(scores("en", "pt")[0], 1.0 / 3.0, 1e-9);
  // Within "a" only: not b's en with a's ja (score 0).
  ASSERT_EQ(scores("en", "ja").size(), 1u);
  EXPECT_NEAR(scores("en", "ja")[0], 1.0 / 3.0, 1e-9);
  EXPECT_EQ(scores("de", "en").size(), 1u);
  // No manual has both: pairs of two manuals.
  EXPECT_EQ(scores("ja", "pt").size(), 1u);
  EXPECT_EQ(scores("de", "pt").size(), 1u);
  EXPECT_EQ(scores("en", "en").size(), 1u);
  EXPECT_EQ(scores("de", "ja").size(), 1u);
  EXPECT_EQ(s.size(), 7u);
}

TEST(Calibration, LoadBackgroundNamesTheBadLine) {
  TempDir dir;
  EXPECT_TRUE(LoadBackground(dir.path().string())->empty());  // no file
  dir.Write("background.tsv", "en\tg1\tsome text\nde\tno text column\n");
  auto r = LoadBackground(dir.path().string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("background.tsv:2"), std::string_view::npos)
      << r.status();
  dir.Write("background.tsv", "en\tg1\tsome text\npt-BR\tg1\tum texto\n");
  r = LoadBackground(dir.path().string());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].lang, "pt");
  EXPECT_EQ((*r)[1].group, "g1");
  EXPECT_EQ((*r)[1].text, "um texto");
  // The texts are views of the mapped file: a document kept after the
  // others are gone still reads its text (the mapping lives with it).
  const BackgroundDoc kept = (*r)[0];
  r = std::vector<BackgroundDoc>();
  EXPECT_EQ(kept.text, "some text");
  // Lines end at a newline only; a last line without one is read too.
  dir.Write("background.tsv", "\nfr\tg2\tun\ttexte\n\nde\tg2\tein Text");
  r = LoadBackground(dir.path().string());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].text, "un\ttexte");
  EXPECT_EQ((*r)[1].text, "ein Text");
}

// Documents 0 (en), 1 (de), 2 (fr) form a multilingual cluster (root 0);
// the others are alone. z values come from a table.
struct World {
  std::vector<uint16_t> lang_of = {0, 1, 2, 0, 0, 1};
  std::vector<uint32_t> cluster_of = {0, 0, 0, 3, 4, 5};
  std::vector<uint8_t> multilingual = {1, 0, 0, 0, 0, 0};
  std::map<std::pair<uint32_t, uint32_t>, double> z;
  std::vector<StoryLink> Link(std::vector<StoryCandidate> candidates,
                              StoryOptions o = {}) {
    return LinkStories(cluster_of, multilingual, lang_of, candidates,
                       [&](uint32_t a, uint32_t b) -> std::optional<double> {
                         auto it = z.find({a, b});
                         return it == z.end() ? 0.0 : it->second;
                       },
                       o);
  }
};

TEST(Story, AnArticleJoinsTheStoryItMatchesInEveryLanguage) {
  World w;
  w.z = {{{0, 3}, 3.0}, {{1, 3}, 2.8}, {{2, 3}, 2.7}};
  const auto links = w.Link({{0, 3, 3.0}});
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].a, 0u);
  EXPECT_EQ(links[0].b, 3u);
  EXPECT_NEAR(links[0].mean_z, (3.0 + 2.8 + 2.7) / 3, 1e-12);
}

TEST(Story, OneStrongPairWithoutTheOtherLanguagesIsNotEnough) {
  World w;
  // 3 matches the English member only (a same-language artefact).
  w.z = {{{0, 3}, 4.5}, {{1, 3}, 0.5}, {{2, 3}, 0.3}};
  EXPECT_TRUE(w.Link({{0, 3, 4.5}}).empty());
  // Below the threshold everywhere: nothing, whatever the mean.
  w.z = {{{0, 3}, 1.9}, {{1, 3}, 1.9}, {{2, 3}, 1.9}};
  EXPECT_TRUE(w.Link({{0, 3, 1.9}}).empty());
  StoryOptions lower;
  lower.min_z = 1.5;
  EXPECT_EQ(w.Link({{0, 3, 1.9}}, lower).size(), 1u);
}

TEST(Story, AKnownMemberScoreIsUsedAndNotAskedAgain) {
  World w;
  w.z = {{{0, 3}, 3.0}, {{1, 3}, 2.8}, {{2, 3}, 2.7}};
  std::vector<std::pair<uint32_t, uint32_t>> asked;
  auto link = [&](std::vector<StoryCandidate> candidates) {
    asked.clear();
    return LinkStories(w.cluster_of, w.multilingual, w.lang_of, candidates,
                       [&](std::span<const std::pair<uint32_t, uint32_t>> pairs,
                           std::span<std::optional<double>> z) {
                         for (size_t i = 0; i < pairs.size(); ++i) {
                           asked.push_back(pairs[i]);
                           z[i] = w.z.at(pairs[i]);
                         }
                       },
                       StoryOptions{});
  };
  // The candidate's own member score (0.2, on the input's calibration) is
  // what the mean takes; its story score (3.0) only picks the best pair.
  auto links = link({{0, 3, 3.0, 0.2}});
  EXPECT_EQ(asked, (std::vector<std::pair<uint32_t, uint32_t>>{{1, 3}, {2, 3}}));
  EXPECT_TRUE(links.empty());  // mean (0.2 + 2.8 + 2.7) / 3 < 2
  // Given the same value the scorer has, the result is the scorer's.
  links = link({{0, 3, 3.0, 3.0}});
  ASSERT_EQ(links.size(), 1u);
  EXPECT_NEAR(links[0].mean_z, (3.0 + 2.8 + 2.7) / 3, 1e-12);
  link({{0, 3, 3.0}});
  EXPECT_EQ(asked.size(), 3u);  // without member_z, every member pair
}

// Clusters joined by more member pairs than max_pairs are judged on their
// candidate pairs alone, which are gathered per cluster pair whatever
// their order among the candidates.
TEST(Story, LargeClusterPairsAreJudgedOnTheirCandidatesAlone) {
  World w;
  StoryOptions o;
  o.max_pairs = 2;  // the story has 3 members: 3 member pairs with 3, with 4
  int asked = 0;
  auto link = [&](std::vector<StoryCandidate> candidates) {
    return LinkStories(w.cluster_of, w.multilingual, w.lang_of, candidates,
                       [&](uint32_t, uint32_t) -> std::optional<double> {
                         ++asked;
                         return 9.0;
                       },
                       o);
  };
  // 3's candidates, with one of 4's between them: the mean is 3's own.
  auto links = link({{0, 3, 3.0}, {0, 4, 2.1}, {1, 3, 2.5}, {4, 2, 1.0}});
  EXPECT_EQ(asked, 0);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].a, 0u);
  EXPECT_EQ(links[0].b, 3u);
  EXPECT_NEAR(links[0].mean_z, (3.0 + 2.5) / 2, 1e-12);
  // A low candidate pulls the mean under min_z; 4 (mean 1.55) stays out too.
  EXPECT_TRUE(link({{0, 3, 3.0}, {0, 4, 2.1}, {1, 3, 0.5}, {4, 2, 1.0}}).empty());
  // One candidate alone is not enough to judge by.
  EXPECT_TRUE(link({{0, 3, 3.0}}).empty());
}

TEST(Story, TwoArticlesOfOneLanguageNeverMakeAStoryAlone) {
  World w;
  w.z = {{{3, 4}, 9.0}};
  EXPECT_TRUE(w.Link({{3, 4, 9.0}}).empty());
}

TEST(Story, OnlyTheMutualBestArticleOfALanguageJoins) {
  World w;
  // 3 and 4 (both en) match the story; 4 better. 5 (de) matches too.
  w.z = {{{0, 3}, 3.0}, {{1, 3}, 3.0}, {{2, 3}, 3.0},
         {{0, 4}, 4.0}, {{1, 4}, 4.0}, {{2, 4}, 4.0},
         {{0, 5}, 3.5}, {{1, 5}, 3.5}, {{2, 5}, 3.5}};
  const auto links = w.Link({{0, 3, 3.0}, {0, 4, 4.0}, {1, 5, 3.5}});
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].b, 4u);
  EXPECT_EQ(links[1].b, 5u);
}

TEST(Story, MembersThatTakeNoPartAreLeftOutOfTheMean) {
  World w;
  w.z = {{{0, 3}, 3.0}, {{1, 3}, 3.0}};
  const auto links = LinkStories(
      w.cluster_of, w.multilingual, w.lang_of, std::vector<StoryCandidate>{{0, 3, 3.0}},
      [&](uint32_t a, uint32_t b) -> std::optional<double> {
        if (a == 2 || b == 2) return std::nullopt;  // e.g. a copy of 0
        return w.z.at({a, b});
      },
      StoryOptions{});
  ASSERT_EQ(links.size(), 1u);
  EXPECT_DOUBLE_EQ(links[0].mean_z, 3.0);
}

TEST(Story, StoryPairsJoinGroupsButEachArticleKeepsItsOwnVersions) {
  // 0 (ja) and 1 (de) are translations; 2 (ja) is another article of the
  // story; 3 (ja) is a near-duplicate of 2.
  std::vector<ScoredPair> pairs(3);
  pairs[0].a = 0, pairs[0].b = 1, pairs[0].channel = Channel::kPivot;
  pairs[1].a = 0, pairs[1].b = 2, pairs[1].channel = Channel::kPivot, pairs[1].story = true;
  pairs[2].a = 2, pairs[2].b = 3;
  const std::vector<uint64_t> bytes = {10, 10, 10, 20};
  const std::vector<uint16_t> lang = {0, 1, 0, 0};
  const auto groups = BuildGroups(4, pairs, bytes, KeepPolicy::kLongest, lang);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].members, (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(groups[0].kept, (std::vector<uint32_t>{0, 1, 3}));
  EXPECT_EQ(groups[0].kept_for, (std::vector<uint32_t>{0, 1, 3, 3}));
  // One per group: the longest of all.
  const auto one = BuildGroups(4, pairs, bytes, KeepPolicy::kLongest);
  EXPECT_EQ(one[0].kept, (std::vector<uint32_t>{3}));
}

}  // namespace
}  // namespace neardup
