// The store of pivot features (pivot_spill.h): documents come back as
// appended, the hot features are the common ones, and a pair's score from
// the two parts equals the score of the whole lists to the bit.
#include "neardup/pivot_spill.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "neardup/calibration.h"

namespace neardup {
namespace {

// `n` documents of sorted, distinct ids: a few from a small vocabulary
// where low ids are common (Zipf-like), some rare ones, and every 17th
// document empty.
std::vector<std::vector<uint32_t>> MakeDocs(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<uint32_t>> docs(n);
  for (size_t d = 0; d < n; ++d) {
    if (d % 17 == 16) continue;
    std::set<uint32_t> ids;
    const size_t common = 5 + rng() % 60;
    for (size_t i = 0; i < common; ++i) {
      // Rank r with probability about 1/r over 20,000 ranks; the id a
      // hash of the rank, as feature ids are.
      const double u = std::uniform_real_distribution<double>(0, 1)(rng);
      const uint32_t rank = static_cast<uint32_t>(std::exp(u * std::log(20000.0)));
      ids.insert(rank * 0x9E3779B1u ^ 0x5bd1e995u);
    }
    const size_t rare = rng() % 40;
    for (size_t i = 0; i < rare; ++i) ids.insert(static_cast<uint32_t>(rng()));
    docs[d].assign(ids.begin(), ids.end());
  }
  return docs;
}

PivotSpill* Spill(const std::vector<std::vector<uint32_t>>& docs) {
  auto* spill = new PivotSpill;
  for (const auto& ids : docs) EXPECT_TRUE(spill->Append(ids).ok());
  EXPECT_TRUE(spill->Load().ok());
  return spill;
}

TEST(PivotSpill, DocumentsComeBackAsAppended) {
  // Before and after the hot features are chosen (the first kSampleDocs
  // are held back, the rest written as they come), and when fewer
  // documents than that are appended (chosen at Map).
  for (size_t n : {PivotSpill::kSampleDocs + 2500, size_t{300}}) {
    const auto docs = MakeDocs(n, n);
    std::unique_ptr<PivotSpill> spill(Spill(docs));
    ASSERT_EQ(spill->size(), n);
    EXPECT_FALSE(spill->hot_ids().empty());
    EXPECT_LE(spill->hot_ids().size(), PivotSpill::kHotFeatures);
    EXPECT_TRUE(std::is_sorted(spill->hot_ids().begin(), spill->hot_ids().end()));
    size_t hot = 0, all = 0;
    std::vector<uint32_t> back;
    for (uint32_t d = 0; d < n; ++d) {
      EXPECT_EQ(spill->empty(d), docs[d].empty()) << d;
      spill->Ids(d, &back);
      ASSERT_EQ(back, docs[d]) << "document " << d << " of " << n;
      const PivotSpill::Features f = (*spill)[d];
      ASSERT_EQ(f.hot.size() + f.cold.size(), docs[d].size());
      EXPECT_TRUE(std::is_sorted(f.hot.begin(), f.hot.end()));
      for (uint32_t id : f.cold) {
        EXPECT_FALSE(std::binary_search(spill->hot_ids().begin(), spill->hot_ids().end(), id));
      }
      hot += f.hot.size();
      all += docs[d].size();
    }
    // Most of the ids are hot among many documents, a good part among 300
    // (fewer ids are in two of them).
    EXPECT_GT(hot, n > 1000 ? all / 2 : all / 3) << n << " documents";
  }
}

TEST(PivotSpill, LargeDocumentsChooseTheHotFeaturesSooner) {
  // 200 documents of 30,000 ids hold more ids than kSampleIds: the hot
  // features are chosen before kSampleDocs documents, and the documents
  // held until then and those after come back alike.
  ASSERT_GT(200 * 30000, PivotSpill::kSampleIds);
  // Each document: 100 ids all have, and ids of its own (distinct by
  // construction: an odd multiplier is a bijection).
  std::vector<std::vector<uint32_t>> docs(200);
  for (uint32_t d = 0; d < docs.size(); ++d) {
    std::set<uint32_t> s;
    for (uint32_t common = 1; common <= 100; ++common) s.insert(common * 0x9E3779B1u);
    for (uint32_t i = 0; s.size() < 30000; ++i) s.insert(((d + 1) << 16 | i) * 0x9E3779B1u);
    docs[d].assign(s.begin(), s.end());
  }
  std::unique_ptr<PivotSpill> spill(Spill(docs));
  // The 100 common ids are hot, but for the few that find their bucket
  // full (left cold).
  EXPECT_GE(spill->hot_ids().size(), 95u);
  for (uint32_t id : spill->hot_ids()) {
    bool common = false;
    for (uint32_t c = 1; c <= 100; ++c) common |= id == c * 0x9E3779B1u;
    EXPECT_TRUE(common) << id;
  }
  std::vector<uint32_t> back;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    spill->Ids(d, &back);
    ASSERT_EQ(back, docs[d]) << d;
    EXPECT_EQ((*spill)[d].hot.size(), spill->hot_ids().size());
  }
}

TEST(PivotSpill, HotFeaturesAreThoseMostDocumentsHave) {
  // Every document has id 7, and one of 5000, 5001 and 5002; ids 100 to
  // 119 are in one document each, too few to be hot.
  std::vector<std::vector<uint32_t>> docs(200);
  for (uint32_t d = 0; d < docs.size(); ++d) {
    docs[d].push_back(7);
    if (d < 20) docs[d].push_back(100 + d);
    docs[d].push_back(5000 + d % 3);  // in 66-67 documents each
  }
  std::unique_ptr<PivotSpill> spill(Spill(docs));
  const std::vector<uint32_t> hot(spill->hot_ids().begin(), spill->hot_ids().end());
  EXPECT_EQ(hot, (std::vector<uint32_t>{7, 5000, 5001, 5002}));
}

TEST(PivotSpill, NoFeaturesAtAll) {
  PivotSpill spill;
  for (int d = 0; d < 10; ++d) ASSERT_TRUE(spill.Append({}).ok());
  ASSERT_TRUE(spill.Load().ok());
  ASSERT_EQ(spill.size(), 10u);
  for (uint32_t d = 0; d < 10; ++d) {
    EXPECT_TRUE(spill.empty(d));
    EXPECT_TRUE(spill[d].hot.empty());
    EXPECT_TRUE(spill[d].cold.empty());
  }
}

// IDF weights of the documents' ids, as a run makes them.
absl::flat_hash_map<uint32_t, float> Weights(const std::vector<std::vector<uint32_t>>& docs) {
  absl::flat_hash_map<uint32_t, uint32_t> df;
  for (const auto& ids : docs) {
    for (uint32_t id : ids) ++df[id];
  }
  return IdfWeights(df, static_cast<uint32_t>(docs.size()));
}

TEST(HotWeights, ScoresEqualTheWholeListsScoresToTheBit) {
  const auto docs = MakeDocs(PivotSpill::kSampleDocs + 1000, 3);
  std::unique_ptr<PivotSpill> spill(Spill(docs));
  const auto weight = Weights(docs);
  auto weight_of = [&](uint32_t id) {
    auto it = weight.find(id);
    return it == weight.end() ? 0.0f : it->second;
  };
  std::vector<float> hot_weight;
  for (uint32_t id : spill->hot_ids()) hot_weight.push_back(weight_of(id));
  // A second table of other weights, used in turn with the first on one
  // thread: each call must score with its own.
  std::vector<float> doubled = hot_weight;
  for (float& w : doubled) w *= 2;
  const HotWeights hot(hot_weight), hot2(doubled);
  std::vector<double> total(docs.size());
  for (size_t d = 0; d < docs.size(); ++d) {
    std::vector<float> w;
    for (uint32_t id : docs[d]) w.push_back(weight_of(id));
    total[d] = TotalWeight(w);
  }
  std::mt19937_64 rng(5);
  int scored = 0, shared = 0;
  for (int run = 0; run < 400; ++run) {
    // Runs of pairs with one first document, as the candidates come, and
    // single pairs.
    const uint32_t a = rng() % docs.size();
    const int len = run % 2 == 0 ? 1 + static_cast<int>(rng() % 30) : 1;
    for (int k = 0; k < len; ++k) {
      const uint32_t b = rng() % docs.size();
      const double whole =
          WeightedJaccardBy(docs[a], total[a], docs[b], total[b],
                            [&](size_t i) { return weight_of(docs[a][i]); });
      const double split = hot.Jaccard((*spill)[a], total[a], (*spill)[b], total[b], weight_of);
      ASSERT_EQ(split, whole) << a << " and " << b;
      if (k % 3 == 0) {
        // hot2: the hot features weigh twice as much.
        double inter = 0;
        for (uint32_t id : docs[a]) {
          if (std::binary_search(docs[b].begin(), docs[b].end(), id)) {
            const bool is_hot = std::binary_search(spill->hot_ids().begin(),
                                                   spill->hot_ids().end(), id);
            inter += is_hot ? 2.0 * weight_of(id) : weight_of(id);
          }
        }
        const double uni = total[a] + total[b] - inter;
        const double expected = uni > 0 ? inter / uni : 0.0;
        EXPECT_DOUBLE_EQ(
            hot2.Jaccard((*spill)[a], total[a], (*spill)[b], total[b], weight_of), expected);
      }
      ++scored;
      shared += whole > 0;
    }
  }
  // The test compared pairs that share features, not only empty ones.
  EXPECT_GT(shared, scored / 2);
  // A document against itself: every feature shared.
  for (uint32_t d = 0; d < 50; ++d) {
    if (docs[d].empty()) continue;
    EXPECT_DOUBLE_EQ(hot.Jaccard((*spill)[d], total[d], (*spill)[d], total[d], weight_of), 1.0);
  }
}

}  // namespace
}  // namespace neardup
