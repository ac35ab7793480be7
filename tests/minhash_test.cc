#include "neardup/minhash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>
#include <vector>

namespace neardup {
namespace {

struct SetPair {
  std::vector<uint64_t> a, b;
  double jaccard;
};

// Two random sets with |A∪B| = u and |A∩B| = round(j·u).
SetPair MakePair(std::mt19937_64& rng, size_t u, double j) {
  const size_t inter = static_cast<size_t>(std::llround(j * u));
  const size_t rest = u - inter;
  const size_t only_a = rest == 0 ? 0 : rng() % (rest + 1);
  SetPair p;
  for (size_t i = 0; i < inter; ++i) {
    const uint64_t x = rng();
    p.a.push_back(x);
    p.b.push_back(x);
  }
  for (size_t i = 0; i < only_a; ++i) p.a.push_back(rng());
  for (size_t i = only_a; i < rest; ++i) p.b.push_back(rng());
  std::sort(p.a.begin(), p.a.end());
  std::sort(p.b.begin(), p.b.end());
  p.jaccard = static_cast<double>(inter) / u;
  return p;
}

// Over 1,200 pairs spanning J = 0..1 and set sizes 20..3,000 (smaller and
// larger than num_perm), the estimate is an unbiased binomial proportion:
// its standard error is sqrt(J(1-J)/k). Tolerances:
//  - per pair, |est - J| <= 3 sigma + 1/k: a binomial breaks this for
//    about 0.3 % of pairs; we allow 1.5 % (18 of 1,200);
//  - the mean error is within 0.005 (bias);
//  - the mean squared z-score is within [0.85, 1.15] (its standard error
//    is about 0.04), so correlated permutations, which inflate the
//    variance, are caught.
TEST(MinHash, EstimateTracksExactJaccardStatistically) {
  MinHasher hasher(MinHashOptions{});
  const int k = hasher.num_perm();
  std::mt19937_64 rng(2024);
  constexpr int kPairs = 1200;
  int outside = 0, zn = 0;
  double sum_err = 0, sum_z2 = 0;
  for (int i = 0; i < kPairs; ++i) {
    const double target = static_cast<double>(i) / (kPairs - 1);
    const size_t u = 20 + rng() % 2981;
    const SetPair p = MakePair(rng, u, target);
    const Signature sa = hasher.Sign(p.a), sb = hasher.Sign(p.b);
    const double est = *EstimateJaccard(sa, sb);
    const double sigma = std::sqrt(p.jaccard * (1 - p.jaccard) / k);
    sum_err += est - p.jaccard;
    if (std::abs(est - p.jaccard) > 3 * sigma + 1.0 / k) ++outside;
    if (sigma > 0) {
      const double z = (est - p.jaccard) / sigma;
      sum_z2 += z * z;
      ++zn;
    }
  }
  std::printf("pairs outside 3 sigma: %d of %d; mean error %.5f; mean z^2 %.3f\n",
              outside, kPairs, sum_err / kPairs, sum_z2 / zn);
  EXPECT_LE(outside, kPairs * 15 / 1000);
  EXPECT_LE(std::abs(sum_err / kPairs), 0.005);
  const double mean_z2 = sum_z2 / zn;
  EXPECT_GE(mean_z2, 0.85);
  EXPECT_LE(mean_z2, 1.15);
}

TEST(MinHash, IdenticalSetsAgreeEverywhereDisjointSetsAlmostNowhere) {
  MinHasher hasher(MinHashOptions{});
  std::mt19937_64 rng(7);
  const SetPair same = MakePair(rng, 500, 1.0);
  EXPECT_EQ(*EstimateJaccard(hasher.Sign(same.a), hasher.Sign(same.b)), 1.0);
  const SetPair disjoint = MakePair(rng, 500, 0.0);
  EXPECT_LE(*EstimateJaccard(hasher.Sign(disjoint.a), hasher.Sign(disjoint.b)),
            2.0 / 128);
}

TEST(MinHash, DuplicatesInTheInputDoNotChangeTheSignature) {
  MinHasher hasher(MinHashOptions{});
  std::vector<uint64_t> once = {1, 2, 3, 4, 5}, twice = {1, 1, 2, 3, 3, 4, 5, 5};
  std::vector<uint32_t> a(128), b(128);
  hasher.Compute(once, a.data());
  hasher.Compute(twice, b.data());
  EXPECT_EQ(a, b);
}

TEST(MinHash, IncomparableSignaturesAreAnError) {
  MinHashOptions o64;
  o64.num_perm = 64;
  MinHashOptions seed2;
  seed2.seed = 2;
  const std::vector<uint64_t> s = {1, 2, 3};
  const Signature base = MinHasher(MinHashOptions{}).Sign(s);
  EXPECT_FALSE(EstimateJaccard(base, MinHasher(o64).Sign(s)).ok());
  EXPECT_FALSE(EstimateJaccard(base, MinHasher(seed2).Sign(s)).ok());
  EXPECT_TRUE(EstimateJaccard(base, base).ok());
}

TEST(MinHash, NumPermNotAMultipleOfTheBlockWorks) {
  MinHashOptions o;
  o.num_perm = 50;
  MinHasher h(o);
  std::mt19937_64 rng(3);
  const SetPair p = MakePair(rng, 1000, 0.5);
  const double est = *EstimateJaccard(h.Sign(p.a), h.Sign(p.b));
  EXPECT_NEAR(est, 0.5, 4 * std::sqrt(0.25 / 50));
}

// A document of few weighted features leaves most bins empty, and nearly
// every empty bin finds no filled one among its first candidates, so
// densification follows the bin's sequence further. Every bin must still
// hold one of the document's features (never an empty bin's 0xFFFFFFFF),
// the same as another document with the same features; and a feature of
// weight 0 never appears.
TEST(MinHash, WeightedSignatureOfFewFeaturesHoldsOnlyThoseFeatures) {
  for (int num_perm : {96, 128, 7}) {
    MinHasher h(MinHashOptions{num_perm, 11});
    std::mt19937_64 rng(num_perm);
    for (int trial = 0; trial < 200; ++trial) {
      const int n = 1 + trial % 4;
      std::vector<uint32_t> ids;
      std::vector<float> w;
      for (int k = 0; k < n; ++k) {
        ids.push_back(static_cast<uint32_t>(rng()));
        w.push_back(0.1f + (rng() % 100) / 10.0f);
      }
      ids.push_back(static_cast<uint32_t>(rng()));  // weight 0: not a feature
      w.push_back(0.0f);
      std::vector<uint32_t> sig(num_perm), again(num_perm);
      h.ComputeWeighted(ids, w, sig.data());
      h.ComputeWeighted(ids, w, again.data());
      EXPECT_EQ(sig, again);
      for (uint32_t v : sig) {
        ASSERT_NE(std::find(ids.begin(), ids.end() - 1, v), ids.end() - 1)
            << "num_perm " << num_perm << ", " << n << " features: bin holds " << v;
      }
      if (n == 1) {
        EXPECT_EQ(std::count(sig.begin(), sig.end(), ids[0]), num_perm);
      }
    }
  }
}

// The pivot stage gives a document's features hot ones first, then the
// others (pivot_spill.h), not sorted: the signature must not depend on
// the order. Values tie (as floats) where the weights are so large that
// every value is a subnormal float or 0: then the smaller id keeps the
// bin, as the first one did when the ids came sorted.
TEST(MinHash, WeightedSignatureTakesFeaturesInAnyOrder) {
  MinHasher h(MinHashOptions{16, 3});
  std::mt19937_64 rng(9);
  for (float weight : {1.0f, 3e38f}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::set<uint32_t> distinct;
      const size_t n = weight > 1 ? 50000 : 1 + rng() % 400;
      while (distinct.size() < n) distinct.insert(static_cast<uint32_t>(rng()));
      std::vector<uint32_t> ids(distinct.begin(), distinct.end());
      std::vector<float> w(ids.size());
      for (float& x : w) x = weight * (1.0f + (rng() % 8));
      std::vector<uint32_t> sorted_sig(16), sig(16);
      h.ComputeWeighted(ids, w, sorted_sig.data());
      std::vector<size_t> order(ids.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      for (int shuffle = 0; shuffle < 3; ++shuffle) {
        std::shuffle(order.begin(), order.end(), rng);
        std::vector<uint32_t> ids2;
        std::vector<float> w2;
        for (size_t i : order) {
          ids2.push_back(ids[i]);
          w2.push_back(w[i]);
        }
        h.ComputeWeighted(ids2, w2, sig.data());
        ASSERT_EQ(sig, sorted_sig) << "weight " << weight << ", trial " << trial;
      }
    }
  }
}

// A bin goes to its least race value, -ln(u) / weight: a feature made far
// heavier takes its own bin, and no other bin changes hands; a feature of
// weight 0 holds none, and the others keep theirs. (Enough features that
// no bin is empty, so no bin copies another's.) Statistically: -ln(u) is
// approximated (NegLog, within 1e-3), and for u within about 0.1 % of 1 it
// comes out below 0, so a bin that holds such a feature stays its own
// whatever the weight of the others: the heavier feature took its bin in
// 199 of these 200 trials (at least 85 % asked), and in none when a bin
// went to the least id whatever the weight.
TEST(MinHash, AHeavierFeatureTakesItsBinAndChangesNoOther) {
  constexpr int kPerm = 16, kTrials = 200;
  MinHasher h(MinHashOptions{kPerm, 5});
  std::mt19937_64 rng(21);
  int took = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    std::set<uint32_t> distinct;
    while (distinct.size() < 400) distinct.insert(static_cast<uint32_t>(rng()));
    std::vector<uint32_t> ids(distinct.begin(), distinct.end());
    std::vector<float> w(ids.size());
    for (float& x : w) x = 1.0f + static_cast<float>(rng() % 8);
    const size_t f = rng() % ids.size();
    std::vector<uint32_t> before(kPerm), heavier(kPerm), without(kPerm);
    h.ComputeWeighted(ids, w, before.data());
    w[f] = 1e30f;
    h.ComputeWeighted(ids, w, heavier.data());
    w[f] = 0.0f;
    h.ComputeWeighted(ids, w, without.data());
    took += std::count(heavier.begin(), heavier.end(), ids[f]) > 0;
    EXPECT_EQ(std::count(without.begin(), without.end(), ids[f]), 0) << "trial " << trial;
    for (int j = 0; j < kPerm; ++j) {
      EXPECT_TRUE(heavier[j] == before[j] || heavier[j] == ids[f])
          << "trial " << trial << ", bin " << j;
      if (before[j] != ids[f]) {
        EXPECT_EQ(without[j], before[j]) << "trial " << trial << ", bin " << j;
      }
    }
  }
  EXPECT_GE(took, kTrials * 85 / 100);
}

TEST(MinHash, ContainmentFollowsFromJaccardAndSizes) {
  // A ⊂ B, |A| = 50, |B| = 100: J = 0.5, A is fully contained in B.
  const Overlap o = OverlapFromJaccard(0.5, 50, 100);
  EXPECT_NEAR(o.a_in_b, 1.0, 1e-12);
  EXPECT_NEAR(o.b_in_a, 0.5, 1e-12);
  const std::vector<uint64_t> a = {1, 2, 3, 4}, b = {3, 4, 5, 6, 7, 8};
  const Overlap e = ExactOverlap(a, b);
  EXPECT_DOUBLE_EQ(e.jaccard, 2.0 / 8);
  EXPECT_DOUBLE_EQ(e.a_in_b, 0.5);
  EXPECT_DOUBLE_EQ(e.b_in_a, 2.0 / 6);
}

TEST(MinHash, SerializationRoundTripsAndRejectsCorruption) {
  const Signature sig = MinHasher(MinHashOptions{}).Sign(std::vector<uint64_t>{5, 6, 7});
  const std::string bytes = SerializeSignature(sig);
  EXPECT_EQ(bytes.size(), 24u + 4 * 128);
  EXPECT_EQ(bytes.substr(0, 4), "NDSG");
  absl::StatusOr<Signature> back = ParseSignature(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, sig);

  std::string bad_magic = bytes;
  bad_magic[0] = 'X';
  EXPECT_FALSE(ParseSignature(bad_magic).ok());
  std::string bad_version = bytes;
  bad_version[4] = 9;
  EXPECT_EQ(ParseSignature(bad_version).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_FALSE(ParseSignature(bytes.substr(0, bytes.size() - 1)).ok());
  EXPECT_FALSE(ParseSignature("").ok());
}

}  // namespace
}  // namespace neardup
