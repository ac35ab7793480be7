#include "neardup/lsh.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <span>
#include <tuple>
#include <vector>

#include "neardup/minhash.h"

namespace neardup {
namespace {

TEST(Lsh, ParamsMatchDatasketch) {
  // datasketch 1.10 picks 9 bands × 13 rows for threshold 0.8 and 128
  // permutations with its default weights (0.5, 0.5); see
  // datasketch.lsh._optimal_param.
  const LshParams p = ChooseLshParams(0.8, 128, 0.5, 0.5);
  EXPECT_EQ(p.bands, 9);
  EXPECT_EQ(p.rows, 13);
  // neardup's default weights, 0.05 and 0.95: 16 × 8.
  const LshOptions defaults;
  const LshParams ours = ResolveLshParams(defaults, 128);
  EXPECT_EQ(ours.bands, 16);
  EXPECT_EQ(ours.rows, 8);
}

TEST(Lsh, DetectionProbabilityIsAnSCurve) {
  const LshParams p{9, 13};
  EXPECT_DOUBLE_EQ(DetectionProbability(0.0, p), 0.0);
  EXPECT_DOUBLE_EQ(DetectionProbability(1.0, p), 1.0);
  double prev = 0;
  for (double j = 0.05; j <= 1.0; j += 0.05) {
    const double d = DetectionProbability(j, p);
    EXPECT_GE(d, prev);
    prev = d;
  }
}

TEST(Lsh, ExplicitParamsOverrideAndAreValidated) {
  LshOptions o;
  o.bands = 16;
  o.rows = 8;
  EXPECT_TRUE(o.Validate(128).ok());
  EXPECT_EQ(ResolveLshParams(o, 128).bands, 16);
  o.rows = 9;  // 144 > 128
  EXPECT_FALSE(o.Validate(128).ok());
  o.rows = 0;  // bands without rows
  EXPECT_FALSE(o.Validate(128).ok());
  LshOptions t;
  t.threshold = 0;
  EXPECT_FALSE(t.Validate(128).ok());
}

// P(no band fully agrees | m of k positions agree): the agreeing positions
// are a uniformly random m-subset, so by inclusion-exclusion over bands
// P = sum_j (-1)^j C(b, j) C(k - j r, m - j r) / C(k, m).
double MissProbability(int m, int k, LshParams p) {
  auto log_choose = [](int n, int r) {
    if (r < 0 || r > n) return -1e300;
    return std::lgamma(n + 1.0) - std::lgamma(r + 1.0) - std::lgamma(n - r + 1.0);
  };
  double total = 0;
  for (int j = 0; j <= p.bands && j * p.rows <= m; ++j) {
    const double term = std::exp(log_choose(p.bands, j) +
                                 log_choose(k - j * p.rows, m - j * p.rows) -
                                 log_choose(k, m));
    total += (j % 2 ? -1 : 1) * term;
  }
  return std::clamp(total, 0.0, 1.0);
}

// LSH recall on a generated corpus with planted near-duplicates: the pairs
// LSH finds and verifies must be exactly the brute-force pairs (estimate >=
// threshold) minus misses, and the number of misses must stay within what
// b × r predicts: expected misses E = sum over true pairs of P(miss | m);
// we allow E + 4 sqrt(E) + 2.
TEST(Lsh, RecallMatchesBruteForceWithinPredictedMisses) {
  constexpr double kThreshold = 0.8;
  MinHasher hasher(MinHashOptions{});
  const int k = hasher.num_perm();
  std::mt19937_64 rng(99);
  std::vector<std::vector<uint64_t>> sets;
  for (int i = 0; i < 1500; ++i) {
    std::vector<uint64_t> s(100 + rng() % 700);
    for (auto& x : s) x = rng();
    sets.push_back(s);
  }
  for (int i = 0; i < 1500; ++i) {  // near-duplicates of earlier sets
    std::vector<uint64_t> s = sets[rng() % sets.size()];
    const double change = (rng() % 1000) / 1000.0 * 0.25;
    for (auto& x : s) {
      if ((rng() % 10000) / 10000.0 < change) x = rng();
    }
    sets.push_back(s);
  }
  std::vector<uint32_t> sigs(sets.size() * k);
  for (size_t d = 0; d < sets.size(); ++d) hasher.Compute(sets[d], &sigs[d * k]);
  auto agree = [&](size_t a, size_t b) {
    int m = 0;
    for (int i = 0; i < k; ++i) m += sigs[a * k + i] == sigs[b * k + i];
    return m;
  };
  const int need = static_cast<int>(std::ceil(kThreshold * k - 1e-9));

  const LshParams params = ChooseLshParams(kThreshold, k, 0.5, 0.5);
  BandedIndex index(params, 256);
  for (size_t d = 0; d < sets.size(); ++d) index.Add(d, &sigs[d * k]);
  index.Freeze();
  std::set<std::pair<uint32_t, uint32_t>> found;
  for (const DocPair& p : index.CandidatePairs()) {
    if (agree(p.first, p.second) >= need) found.insert({p.first, p.second});
  }

  size_t truth = 0, missed = 0;
  double expected_missed = 0;
  for (size_t a = 0; a < sets.size(); ++a) {
    for (size_t b = a + 1; b < sets.size(); ++b) {
      const int m = agree(a, b);
      if (m < need) continue;
      ++truth;
      expected_missed += MissProbability(m, k, params);
      if (!found.count({a, b})) ++missed;
    }
  }
  std::printf("b x r = %d x %d: %zu true pairs, %zu missed, %.1f expected\n",
              params.bands, params.rows, truth, missed, expected_missed);
  ASSERT_GT(truth, 300u);
  EXPECT_LE(missed, expected_missed + 4 * std::sqrt(expected_missed) + 2);
  EXPECT_GE(missed + 4 * std::sqrt(expected_missed) + 2, expected_missed);
}

TEST(Lsh, LargeBucketsArePairedThroughAWindow) {
  const LshParams p{2, 4};
  BandedIndex index(p, /*max_bucket_pairs_window=*/10);
  const std::vector<uint32_t> same(8, 42);
  for (uint32_t d = 0; d < 1000; ++d) index.Add(d, same.data());
  index.Freeze();
  const std::vector<DocPair> pairs = index.CandidatePairs();
  // Each member pairs with up to 10 predecessors: 45 + 990 * 10 pairs.
  EXPECT_EQ(pairs.size(), 45u + 990u * 10u);
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
  EXPECT_EQ(index.Query(same.data()).size(), 1000u);
}


// Over a million pair occurrences, CandidatePairs merges them on its
// threads, each over a range of pairs: the same pairs, in the same order,
// as a brute force (and as one thread).
TEST(Lsh, CandidatePairsMergedOnThreadsMatchBruteForce) {
  constexpr int kBands = 12;
  constexpr uint32_t kDocs = 3000;
  std::mt19937_64 rng(19);
  std::vector<uint32_t> sigs(kDocs * kBands);
  for (uint32_t& v : sigs) v = static_cast<uint32_t>(rng() % 20);  // buckets of ~150
  std::vector<uint16_t> lang(kDocs);
  for (uint16_t& l : lang) l = static_cast<uint16_t>(rng() % 2);
  auto shared = [&](uint32_t x, uint32_t y) {
    int n = 0;
    for (int b = 0; b < kBands; ++b) n += sigs[x * kBands + b] == sigs[y * kBands + b];
    return n;
  };
  BandedIndex two(LshParams{kBands, 1}, /*max_bucket_pairs_window=*/1000);
  BandedIndex one(LshParams{kBands, 1}, /*max_bucket_pairs_window=*/1000);
  for (uint32_t d = 0; d < kDocs; ++d) {
    two.Add(d, &sigs[d * kBands]);
    one.Add(d, &sigs[d * kBands]);
  }
  two.Freeze(2);
  one.Freeze(1);
  for (const PairFilter& f : {PairFilter{}, PairFilter{.class_of = lang},
                              PairFilter{.min_shared = 2}}) {
    std::vector<DocPair> expected;
    for (uint32_t x = 0; x < kDocs; ++x) {
      for (uint32_t y = x + 1; y < kDocs; ++y) {
        if (shared(x, y) < std::max(1, f.min_shared)) continue;
        if (!f.class_of.empty() && lang[x] == lang[y]) continue;
        expected.push_back({x, y});
      }
    }
    ASSERT_GT(expected.size(), 100000u);
    EXPECT_TRUE(two.CandidatePairs(f) == expected) << "min_shared " << f.min_shared;
    EXPECT_TRUE(one.CandidatePairs(f) == expected) << "min_shared " << f.min_shared;
  }
}

// Every filter of CandidatePairs against a brute force over the signatures:
// with one row per band, two documents share band b when their values at
// b are equal.
TEST(Lsh, FilteredCandidatePairsMatchBruteForce) {
  constexpr int kBands = 12;
  constexpr uint32_t kDocs = 300;
  std::mt19937_64 rng(11);
  std::vector<uint32_t> sigs(kDocs * kBands);
  for (uint32_t& v : sigs) v = static_cast<uint32_t>(rng() % 40);  // many collisions
  std::vector<uint16_t> lang(kDocs);
  std::vector<uint8_t> flagged(kDocs);
  for (uint32_t d = 0; d < kDocs; ++d) {
    lang[d] = static_cast<uint16_t>(rng() % 3);
    flagged[d] = rng() % 5 == 0;
  }
  auto shared = [&](uint32_t x, uint32_t y) {
    int n = 0;
    for (int b = 0; b < kBands; ++b) n += sigs[x * kBands + b] == sigs[y * kBands + b];
    return n;
  };
  // Out of order adds take the general sort; in order ones the radix sort;
  // AddAll reads the signatures at Freeze instead of copying them. Large
  // document numbers (up to 2^32 - 1: 32-bit halves, 64-bit packed pairs)
  // make the pairs' sort take more passes.
  enum Mode { kInOrder, kShuffled, kAddAll, kLargeNumbers };
  auto number = [](Mode mode, uint32_t d) {
    return mode == kLargeNumbers ? d * 14364210u + 5 : d;  // 299 -> 4,294,898,795
  };
  for (const Mode mode : {kInOrder, kShuffled, kAddAll, kLargeNumbers}) {
    const bool in_order = mode != kShuffled;
    BandedIndex index(LshParams{kBands, 1}, /*max_bucket_pairs_window=*/1000);
    std::vector<uint32_t> order(kDocs);
    for (uint32_t d = 0; d < kDocs; ++d) order[d] = d;
    if (!in_order) std::shuffle(order.begin(), order.end(), rng);
    if (mode == kAddAll) {
      index.AddAll(order, sigs.data(), kBands);
    } else {
      for (uint32_t d : order) index.Add(number(mode, d), &sigs[d * kBands]);
    }
    index.Freeze(2);
    const std::vector<PairFilter> filters = {
        {},
        {.class_of = lang},
        {.class_of = lang, .same_class = true, .involving = flagged, .min_shared = 3},
        {.min_shared = 2},
    };
    for (const PairFilter& f : filters) {
      std::vector<DocPair> expected;
      for (uint32_t x = 0; x < kDocs; ++x) {
        for (uint32_t y = x + 1; y < kDocs; ++y) {
          if (shared(x, y) < std::max(1, f.min_shared)) continue;
          if (!f.class_of.empty() && (lang[x] == lang[y]) != f.same_class) continue;
          if (!f.involving.empty() && !flagged[x] && !flagged[y]) continue;
          expected.push_back({number(mode, x), number(mode, y)});
        }
      }
      ASSERT_FALSE(expected.empty());
      if (mode == kLargeNumbers && (!f.class_of.empty() || !f.involving.empty())) continue;
      EXPECT_EQ(index.CandidatePairs(f), expected)
          << "mode " << mode << ", min_shared " << f.min_shared;
    }
  }
}

TEST(Lsh, BucketsOverTheCapAreSkipped) {
  BandedIndex index(LshParams{1, 1}, 256, {{3, 1}});  // buckets over 3 skipped
  const uint32_t common = 7, rare = 9;
  for (uint32_t d = 0; d < 4; ++d) index.Add(d, &common);  // 4 > 3: skipped
  for (uint32_t d = 4; d < 7; ++d) index.Add(d, &rare);    // 3: paired
  index.Freeze();
  const std::vector<DocPair> expected = {{4, 5}, {4, 6}, {5, 6}};
  EXPECT_EQ(index.CandidatePairs(), expected);
  EXPECT_TRUE(index.Query(&common).empty());
  EXPECT_EQ(index.Query(&rare).size(), 3u);
}

// An index of the one-row signatures `sigs` (`bands` values a document,
// documents 0, 1, ...) with bucket tiers, added one by one or with AddAll
// (read at Freeze), frozen on `threads` threads (which CandidatePairs then
// uses too); with `thin`, its buckets over the cap thinned by those classes
// (keeping at most `max_kept`).
std::unique_ptr<BandedIndex> FrozenIndex(const std::vector<uint32_t>& sigs, int bands,
                                         bool add_all, std::vector<BucketTier> tiers,
                                         int threads = 2, int window = 1000,
                                         std::span<const uint16_t> thin = {},
                                         size_t max_kept = SIZE_MAX) {
  auto index = std::make_unique<BandedIndex>(LshParams{bands, 1}, window, std::move(tiers));
  std::vector<uint32_t> docs(sigs.size() / bands);
  for (uint32_t d = 0; d < docs.size(); ++d) docs[d] = d;
  if (add_all) {
    index->AddAll(docs, sigs.data(), bands);
  } else {
    for (uint32_t d : docs) index->Add(d, &sigs[d * bands]);
  }
  if (!thin.empty()) index->ThinLargeBuckets(thin, max_kept);
  index->Freeze(threads);
  return index;
}

// With a cap, every band keeps only its buckets within it (Freeze drops
// the others, with their memory): pairs and queries as a brute force over
// the signatures that counts a band only where at most `kCap` documents
// share its value, on many bands with buckets of every size.
TEST(Lsh, CappedIndexMatchesBruteForce) {
  constexpr int kBands = 24;
  constexpr uint32_t kDocs = 400, kCap = 5;
  std::mt19937_64 rng(29);
  std::vector<uint32_t> sigs(kDocs * kBands);
  for (uint32_t& v : sigs) {
    const uint64_t values = 20 + rng() % 300;  // (two calls in a fixed order)
    v = static_cast<uint32_t>(rng() % values);
  }
  auto in_cap = [&](uint32_t d, int b) {
    uint32_t n = 0;
    for (uint32_t x = 0; x < kDocs; ++x) n += sigs[x * kBands + b] == sigs[d * kBands + b];
    return n <= kCap;
  };
  for (const bool add_all : {false, true}) {
    const std::unique_ptr<BandedIndex> frozen = FrozenIndex(sigs, kBands, add_all, {{kCap, 1}});
    const BandedIndex& index = *frozen;
    for (const int min_shared : {1, 2}) {
      std::vector<DocPair> expected;
      for (uint32_t x = 0; x < kDocs; ++x) {
        for (uint32_t y = x + 1; y < kDocs; ++y) {
          int shared = 0;
          for (int b = 0; b < kBands; ++b) {
            shared += sigs[x * kBands + b] == sigs[y * kBands + b] && in_cap(x, b);
          }
          if (shared >= min_shared) expected.push_back({x, y});
        }
      }
      ASSERT_FALSE(expected.empty());
      EXPECT_EQ(index.CandidatePairs({.min_shared = min_shared}), expected)
          << "add_all " << add_all << ", min_shared " << min_shared;
    }
    for (uint32_t d = 0; d < kDocs; d += 37) {
      std::vector<uint32_t> expected;
      for (uint32_t x = 0; x < kDocs; ++x) {
        for (int b = 0; b < kBands; ++b) {
          if (sigs[x * kBands + b] == sigs[d * kBands + b] && in_cap(x, b)) {
            expected.push_back(x);
            break;
          }
        }
      }
      EXPECT_EQ(index.Query(&sigs[d * kBands]), expected) << "doc " << d;
    }
  }
}

// The pairs x < y that `f` admits (classes `lang`, flags `flagged`) whose
// shared(x, y, f.large_buckets) has f.min_shared bands or more and a
// candidate's evidence (4 quarters), in order; found(shared) is called on
// each.
template <typename SharedFn, typename Found>
std::vector<DocPair> BruteForcePairs(uint32_t docs, const std::vector<uint16_t>& lang,
                                     const std::vector<uint8_t>& flagged, const PairFilter& f,
                                     const SharedFn& shared, const Found& found) {
  std::vector<DocPair> pairs;
  for (uint32_t x = 0; x < docs; ++x) {
    for (uint32_t y = x + 1; y < docs; ++y) {
      if (!f.class_of.empty() && (lang[x] == lang[y]) != f.same_class) continue;
      if (!f.involving.empty() && !flagged[x] && !flagged[y]) continue;
      const auto s = shared(x, y, f.large_buckets);
      if (s.bands < std::max(1, f.min_shared) || s.evidence < 4) continue;
      pairs.push_back({x, y});
      found(s);
    }
  }
  return pairs;
}

// With bucket tiers, a shared bucket is 1/bands of a pair's evidence: here
// buckets of up to 5 pair any two members, two of 6-10 are needed, or four
// of 11-24 (or one of 6-10 and two of 11-24), and larger ones are skipped.
// Pairs and queries as a brute force that adds up each shared band's
// evidence, for every filter (across classes, pairs from large buckets
// come from their own path, LargePairsAcrossClasses), with classes of
// unequal sizes whose largest is not the first.
TEST(Lsh, TieredIndexMatchesBruteForce) {
  constexpr int kBands = 24;
  constexpr uint32_t kDocs = 400;
  const std::vector<BucketTier> kTiers = {{5, 1}, {10, 2}, {24, 4}};
  std::mt19937_64 rng(31);
  std::vector<uint32_t> sigs(kDocs * kBands);
  for (uint32_t& v : sigs) {
    const uint64_t values = 16 + rng() % 100;  // (two calls in a fixed order)
    v = static_cast<uint32_t>(rng() % values);
  }
  // Classes 2 (most documents), 0 and 5 (as many, a tie), none between.
  std::vector<uint16_t> lang(kDocs);
  std::vector<uint8_t> flagged(kDocs);
  for (uint32_t d = 0; d < kDocs; ++d) {
    lang[d] = d % 10 < 7 ? 2 : d % 10 < 9 ? (d % 20 < 10 ? 0 : 5) : (d % 2 == 0 ? 0 : 5);
    flagged[d] = rng() % 5 == 0;
  }
  auto bucket_size = [&](uint32_t d, int b) {
    uint32_t n = 0;
    for (uint32_t x = 0; x < kDocs; ++x) n += sigs[x * kBands + b] == sigs[d * kBands + b];
    return n;
  };
  // What x and y share: bands, and their evidence in quarters, from small
  // buckets (4 each), the 2-band tier (2) and the 4-band tier (1).
  struct Shared {
    int bands = 0, small = 0, evidence = 0, deep = 0;
  };
  auto shared = [&](uint32_t x, uint32_t y, bool large) {
    Shared s;
    for (int b = 0; b < kBands; ++b) {
      if (sigs[x * kBands + b] != sigs[y * kBands + b]) continue;
      const uint32_t size = bucket_size(x, b);
      if (size <= 5) {
        ++s.bands, ++s.small, s.evidence += 4;
      } else if (large && size <= 10) {
        ++s.bands, s.evidence += 2;
      } else if (large && size <= 24) {
        ++s.bands, ++s.evidence, ++s.deep;
      }
    }
    return s;
  };
  // Threads split the bands and the anchors (an anchor's buckets must stay
  // on one thread): 1 to 7, and more than bands.
  for (const auto [add_all, threads] :
       {std::pair{false, 2}, std::pair{true, 2}, std::pair{true, 1}, std::pair{false, 3},
        std::pair{true, 4}, std::pair{true, 5}, std::pair{false, 7}, std::pair{true, 30}}) {
    const std::unique_ptr<BandedIndex> frozen =
        FrozenIndex(sigs, kBands, add_all, kTiers, threads);
    const BandedIndex& index = *frozen;
    const std::vector<PairFilter> filters = {
        {},
        {.min_shared = 2},
        {.class_of = lang},
        {.class_of = lang, .min_shared = 2},
        {.class_of = lang, .large_buckets = false},
        {.class_of = lang, .same_class = true, .involving = flagged, .min_shared = 2,
         .large_buckets = false},
        {.class_of = lang, .same_class = true},
    };
    for (const PairFilter& f : filters) {
      size_t from_large_only = 0, needing_deep = 0;
      const std::vector<DocPair> expected =
          BruteForcePairs(kDocs, lang, flagged, f, shared, [&](const Shared& s) {
            from_large_only += s.small == 0;
            needing_deep += s.small == 0 && s.evidence - s.deep < 4;
          });
      ASSERT_FALSE(expected.empty()) << "filter " << (&f - filters.data());
      // The large tiers are exercised where large buckets take part
      // (filter 2 by the per-anchor path), the 4-band one too.
      if (f.large_buckets && f.min_shared <= 2) {
        EXPECT_GT(from_large_only, 0u) << "filter " << (&f - filters.data());
        EXPECT_GT(needing_deep, 0u) << "filter " << (&f - filters.data());
      }
      EXPECT_EQ(index.CandidatePairs(f), expected)
          << "add_all " << add_all << ", threads " << threads << ", filter "
          << (&f - filters.data());
    }
    for (uint32_t d = 0; d < kDocs; d += 37) {
      for (const int min_shared : {1, 2, 3}) {
        std::vector<uint32_t> expected;
        for (uint32_t x = 0; x < kDocs; ++x) {
          const Shared s = shared(d, x, true);
          if (s.evidence >= 4 && s.bands >= min_shared) expected.push_back(x);
        }
        EXPECT_EQ(index.Query(&sigs[d * kBands], min_shared), expected)
            << "doc " << d << ", min_shared " << min_shared;
      }
    }
  }
  // With a window smaller than the cap, a large bucket is paired through
  // it: pairs across classes are then listed as for any filter (the same
  // as with every document flagged as involved, which takes that path).
  const std::unique_ptr<BandedIndex> windowed =
      FrozenIndex(sigs, kBands, true, kTiers, 2, /*window=*/3);
  const std::vector<uint8_t> all(kDocs, 1);
  EXPECT_EQ(windowed->CandidatePairs({.class_of = lang}),
            windowed->CandidatePairs({.class_of = lang, .involving = all}));
}

// Signatures of `docs` documents, `bands` one-row bands, with mostly
// `common` values a band (large buckets) and one in `rare_one_in` a rare
// value (a small bucket); and the size of each (document, band)'s bucket.
struct ManyMemberBuckets {
  std::vector<uint32_t> sigs;
  std::vector<uint32_t> size;  // of the bucket of (d, b): size[d * bands + b]
};
ManyMemberBuckets MakeManyMemberBuckets(uint64_t seed, uint32_t docs, int bands,
                                        uint64_t common, uint64_t rare_one_in) {
  std::mt19937_64 rng(seed);
  ManyMemberBuckets m;
  m.sigs.resize(docs * bands);
  for (uint32_t& v : m.sigs) {
    const bool rare = rng() % rare_one_in == 0;
    const uint64_t r = rng();
    v = static_cast<uint32_t>(rare ? 100 + r % 1000 : r % common);
  }
  m.size.assign(docs * bands, 0);
  for (int b = 0; b < bands; ++b) {
    for (uint32_t d = 0; d < docs; ++d) {
      for (uint32_t x = 0; x < docs; ++x) {
        m.size[d * bands + b] += m.sigs[x * bands + b] == m.sigs[d * bands + b];
      }
    }
  }
  return m;
}

// Large buckets of many members (here 30-150): an anchor's evidence with
// each of its partners is counted 16 partners at a time where the
// processor can (LargePairsAcrossClasses), else one at a time, and a pair
// is found when its buckets add up to a candidate's evidence: the same
// pairs as a brute force, both ways, on 1 to 3 threads.
TEST(Lsh, LargeBucketsOfManyMembersPairAsTheirEvidenceSays) {
  constexpr int kBands = 12;
  constexpr uint32_t kDocs = 600;
  const std::vector<BucketTier> kTiers = {{3, 1}, {200, 4}};
  // Mostly 8 values a band (buckets of about 75); one in 250 a rare value
  // (a small bucket, a whole candidate's evidence).
  const auto [sigs, size] = MakeManyMemberBuckets(47, kDocs, kBands, 8, 250);
  std::vector<uint16_t> lang(kDocs);
  for (uint32_t d = 0; d < kDocs; ++d) lang[d] = d % 10 < 7 ? 0 : (d % 10 < 9 ? 1 : 2);
  struct Shared {
    int bands = 0, evidence = 0;  // evidence in quarters
  };
  size_t from_large_only = 0;  // pairs whose buckets are all large
  auto shared = [&](uint32_t x, uint32_t y, bool) {
    Shared s;
    for (int b = 0; b < kBands; ++b) {
      if (sigs[x * kBands + b] != sigs[y * kBands + b]) continue;
      const uint32_t n = size[x * kBands + b];
      if (n <= 200) ++s.bands, s.evidence += n <= 3 ? 4 : 1;
    }
    return s;
  };
  const PairFilter across = {.class_of = lang};
  const std::vector<DocPair> expected =
      BruteForcePairs(kDocs, lang, {}, across, shared, [&](const Shared& s) {
        from_large_only += s.evidence == s.bands;
      });
  ASSERT_GT(from_large_only, 100u);
  for (const bool one_at_a_time : {false, true}) {
    CountEvidenceOneAtATimeForTesting(one_at_a_time);
    for (int threads : {1, 2, 3}) {
      EXPECT_EQ(FrozenIndex(sigs, kBands, true, kTiers, threads)->CandidatePairs(across),
                expected)
          << threads << " threads, one partner at a time: " << one_at_a_time;
    }
  }
  CountEvidenceOneAtATimeForTesting(false);
}

// KeepStrongestLargePairs(k): of the pairs across classes that large
// buckets alone make candidates, a pair stays one only if it is among the
// k strongest of either document with the other's class (by the large
// buckets' evidence, counted on past a candidate's, then by the other
// document's number); pairs sharing a small bucket stay. The same pairs as
// a brute force, on 1 to 3 threads, counting 16 partners at a time and
// one at a time; k = 0, and a k above any document's count, keep them all.
TEST(Lsh, KeepsEachDocumentsStrongestLargeBucketPairs) {
  constexpr int kBands = 12;
  constexpr uint32_t kDocs = 600;
  const std::vector<BucketTier> kTiers = {{3, 1}, {200, 4}};
  // Mostly 6 values a band (buckets of about 100), so that evidence varies
  // from pair to pair; one in 200 a rare value (a small bucket).
  const auto [sigs, size] = MakeManyMemberBuckets(53, kDocs, kBands, 6, 200);
  std::vector<uint16_t> lang(kDocs);
  for (uint32_t d = 0; d < kDocs; ++d) lang[d] = d % 10 < 6 ? 0 : (d % 10 < 9 ? 1 : 2);
  // Per pair across classes: whether it shares a small bucket, and its
  // large buckets' evidence (in quarters: a candidate's is 4).
  std::vector<uint8_t> small(kDocs * kDocs, 0);
  std::vector<int> large(kDocs * kDocs, 0);
  for (uint32_t x = 0; x < kDocs; ++x) {
    for (uint32_t y = 0; y < kDocs; ++y) {
      if (lang[x] == lang[y]) continue;
      for (int b = 0; b < kBands; ++b) {
        if (sigs[x * kBands + b] != sigs[y * kBands + b]) continue;
        const uint32_t n = size[x * kBands + b];
        if (n <= 3) small[x * kDocs + y] = 1;
        if (n > 3 && n <= 200) ++large[x * kDocs + y];
      }
    }
  }
  // strong(x, y): y is among x's k strongest partners of y's class.
  auto strong = [&](uint32_t x, uint32_t y, size_t k) {
    size_t stronger = 0;
    for (uint32_t z = 0; z < kDocs; ++z) {
      if (lang[z] != lang[y] || large[x * kDocs + z] < 4) continue;
      const int ez = large[x * kDocs + z], ey = large[x * kDocs + y];
      stronger += ez > ey || (ez == ey && z < y);
    }
    return stronger < k;
  };
  auto expected_pairs = [&](size_t k, size_t* one_side) {
    std::vector<DocPair> pairs;
    for (uint32_t x = 0; x < kDocs; ++x) {
      for (uint32_t y = x + 1; y < kDocs; ++y) {
        if (lang[x] == lang[y]) continue;
        const bool found = large[x * kDocs + y] >= 4;
        const bool by_x = found && (k == 0 || strong(x, y, k));
        const bool by_y = found && (k == 0 || strong(y, x, k));
        if (small[x * kDocs + y] || by_x || by_y) pairs.push_back({x, y});
        *one_side += by_x != by_y;
      }
    }
    return pairs;
  };
  size_t one_side = 0;
  const std::vector<DocPair> all = expected_pairs(0, &one_side);
  const PairFilter across = {.class_of = lang};
  for (const size_t k : {size_t{0}, size_t{1}, size_t{3}, size_t{kDocs}}) {
    one_side = 0;
    const std::vector<DocPair> expected = expected_pairs(k, &one_side);
    if (k == 1 || k == 3) {
      // Pruned, and kept from one side only in many pairs (each side's
      // ranking is exercised).
      EXPECT_LT(expected.size(), all.size() * 2 / 3) << "k " << k;
      EXPECT_GT(one_side, 50u) << "k " << k;
    } else {
      EXPECT_EQ(expected, all);
    }
    for (const bool one_at_a_time : {false, true}) {
      CountEvidenceOneAtATimeForTesting(one_at_a_time);
      for (int threads : {1, 2, 3}) {
        const std::unique_ptr<BandedIndex> index =
            FrozenIndex(sigs, kBands, true, kTiers, threads);
        index->KeepStrongestLargePairs(k);
        EXPECT_EQ(index->CandidatePairs(across), expected)
            << "k " << k << ", " << threads << " threads, one at a time: " << one_at_a_time;
      }
    }
    CountEvidenceOneAtATimeForTesting(false);
  }
}

// ThinLargeBuckets: a bucket over the cap (24) whose most numerous class
// (ties to the lower number) fills 90 % of it keeps its other members when
// they are of two classes or more and at most 24, and they count as a
// bucket of their number. Pairs and queries as a brute force that thins
// each bucket so, for every filter; here one class has 85 % of the
// documents and a third of the values are common, so large buckets are
// mostly of one class, some 90 % or more.
TEST(Lsh, ThinnedIndexMatchesBruteForce) {
  constexpr int kBands = 24;
  constexpr uint32_t kDocs = 400, kCap = 24;
  const std::vector<BucketTier> kTiers = {{5, 1}, {10, 2}, {kCap, 4}};
  std::mt19937_64 rng(41);
  std::vector<uint32_t> sigs(kDocs * kBands);
  for (uint32_t& v : sigs) {  // a third common values (buckets of about 40)
    const uint64_t values = rng() % 3 == 0 ? 3 : 10 + rng() % 120;
    v = static_cast<uint32_t>(rng() % values);
  }
  // Class 3 (most documents), then 1 and 0; class 2 has none.
  std::vector<uint16_t> lang(kDocs);
  std::vector<uint8_t> flagged(kDocs);
  for (uint32_t d = 0; d < kDocs; ++d) {
    lang[d] = d % 20 < 17 ? 3 : d % 20 < 19 ? 1 : 0;
    flagged[d] = rng() % 5 == 0;
  }
  // Where x sits in band b's bucket: the size the bucket counts as, or 0
  // if it is not in it (skipped, or thinned without x).
  size_t max_kept = SIZE_MAX;  // ThinLargeBuckets' (the loop below sets it)
  auto seat = [&](uint32_t x, int b) -> uint32_t {
    std::map<uint16_t, uint32_t> count;
    uint32_t size = 0;
    for (uint32_t y = 0; y < kDocs; ++y) {
      if (sigs[y * kBands + b] == sigs[x * kBands + b]) ++size, ++count[lang[y]];
    }
    if (size <= kCap) return size;
    uint16_t most = count.begin()->first;  // (the lower number on a tie)
    for (const auto& [c, n] : count) {
      if (n > count[most]) most = c;
    }
    const uint32_t rest = size - count[most];
    return count.size() >= 3 && rest <= std::min<size_t>(kCap, max_kept) && 10 * rest <= size &&
                   lang[x] != most
               ? rest
               : 0;
  };
  auto weight = [](uint32_t size) { return size <= 5 ? 4 : size <= 10 ? 2 : 1; };
  // How many bands x and y share in buckets that take part, and their
  // evidence in quarters; whether a thinned bucket gave any of it.
  struct Shared {
    int bands = 0, evidence = 0;
    bool thinned = false;
  };
  auto shared = [&](uint32_t x, uint32_t y, bool large) {
    Shared s;
    for (int b = 0; b < kBands; ++b) {
      if (sigs[x * kBands + b] != sigs[y * kBands + b]) continue;
      const uint32_t size = seat(x, b);
      if (size == 0 || seat(y, b) == 0 || (!large && size > 5)) continue;
      ++s.bands;
      s.evidence += weight(size);
      uint32_t all = 0;
      for (uint32_t z = 0; z < kDocs; ++z) all += sigs[z * kBands + b] == sigs[x * kBands + b];
      s.thinned = s.thinned || all > kCap;
    }
    return s;
  };
  const std::vector<PairFilter> filters = {
      {},
      {.class_of = lang},
      {.class_of = lang, .min_shared = 2},
      {.class_of = lang, .large_buckets = false},
      {.class_of = lang, .same_class = true, .involving = flagged, .min_shared = 2,
       .large_buckets = false},
  };
  // The last with at most 3 kept (the remainders are 2-4 here).
  for (const auto [add_all, threads, most_kept] :
       {std::tuple{true, 2, SIZE_MAX}, std::tuple{false, 1, SIZE_MAX},
        std::tuple{true, 3, SIZE_MAX}, std::tuple{true, 2, size_t{3}}}) {
    max_kept = most_kept;
    const std::unique_ptr<BandedIndex> index =
        FrozenIndex(sigs, kBands, add_all, kTiers, threads, 1000, lang, most_kept);
    const std::unique_ptr<BandedIndex> unthinned =
        FrozenIndex(sigs, kBands, add_all, kTiers, threads, 1000);
    for (const PairFilter& f : filters) {
      const size_t which = &f - filters.data();
      size_t through_thinned = 0;
      const std::vector<DocPair> expected = BruteForcePairs(
          kDocs, lang, flagged, f, shared, [&](const Shared& s) { through_thinned += s.thinned; });
      ASSERT_FALSE(expected.empty()) << "filter " << which;
      const std::vector<DocPair> got = index->CandidatePairs(f);
      EXPECT_EQ(got, expected) << "add_all " << add_all << ", threads " << threads
                               << ", filter " << which;
      // Across classes, thinned buckets found pairs the plain index lacks.
      if (which == 1) {
        if (most_kept == 3) {  // fewer than with any remainder kept
          EXPECT_LT(got.size(), FrozenIndex(sigs, kBands, add_all, kTiers, threads, 1000, lang)
                                    ->CandidatePairs(f)
                                    .size());
        }
        EXPECT_GT(through_thinned, most_kept == 3 ? 0u : 10u);
        EXPECT_GT(got.size(), unthinned->CandidatePairs(f).size());
      }
    }
    for (uint32_t d = 0; d < kDocs; d += 37) {
      std::vector<uint32_t> expected;
      for (uint32_t x = 0; x < kDocs; ++x) {
        int evidence = 0;
        for (int b = 0; b < kBands; ++b) {
          if (sigs[x * kBands + b] == sigs[d * kBands + b] && seat(x, b) > 0) {
            evidence += weight(seat(x, b));
          }
        }
        if (evidence >= 4) expected.push_back(x);
      }
      EXPECT_EQ(index->Query(&sigs[d * kBands]), expected) << "doc " << d;
    }
  }
}

// The per-anchor count of large buckets keeps each anchor's evidence apart
// from the last one's without resetting it, and clears its counts every
// 511 anchors: with 750-1,500 anchors a thread, pairs across classes
// are as a brute force finds them (pairs from buckets of up to 2, or four
// shared buckets of 3-60). (Counts of the anchor just before are kept
// apart by the turn: TieredIndexMatchesBruteForce fails without it.)
TEST(Lsh, LargeBucketCountsStayApartAcrossManyAnchors) {
  constexpr int kBands = 16;
  constexpr uint32_t kDocs = 4500, kFamilies = 511;
  std::mt19937_64 rng(37);
  // A document takes its family's value in about half the bands and a
  // value of its own in the others, so buckets are families (3-9
  // documents) and only a family's anchors meet its documents. Anchors
  // 511 apart (documents 3 * 511 apart) are of one family: a count left
  // from the anchor of the same turn 511 anchors before would show.
  std::vector<uint32_t> sigs(kDocs * kBands);
  for (uint32_t d = 0; d < kDocs; ++d) {
    const uint32_t f = (d / 3) % kFamilies;
    for (int b = 0; b < kBands; ++b) {
      sigs[d * kBands + b] = rng() % 2 == 0 ? f * kBands + b : 1000000 + d * kBands + b;
    }
  }
  std::vector<uint16_t> lang(kDocs);
  for (uint32_t d = 0; d < kDocs; ++d) lang[d] = d % 3 == 0 ? 1 : 0;  // 1,500 anchors
  std::map<std::pair<uint32_t, uint32_t>, int> evidence;
  for (int b = 0; b < kBands; ++b) {
    std::map<uint32_t, std::vector<uint32_t>> bucket;
    for (uint32_t d = 0; d < kDocs; ++d) bucket[sigs[d * kBands + b]].push_back(d);
    for (const auto& [value, members] : bucket) {
      if (members.size() > 60) continue;
      const int weight = members.size() <= 2 ? 4 : 1;
      for (size_t i = 0; i < members.size(); ++i) {
        for (size_t j = i + 1; j < members.size(); ++j) {
          if (lang[members[i]] != lang[members[j]]) evidence[{members[i], members[j]}] += weight;
        }
      }
    }
  }
  std::vector<DocPair> expected;
  for (const auto& [pair, e] : evidence) {
    if (e >= 4) expected.push_back({pair.first, pair.second});
  }
  ASSERT_GT(expected.size(), 1000u);
  for (const int threads : {1, 2}) {
    const std::unique_ptr<BandedIndex> index =
        FrozenIndex(sigs, kBands, true, {{2, 1}, {60, 4}}, threads);
    EXPECT_EQ(index->CandidatePairs({.class_of = lang}), expected) << threads << " threads";
  }
}

}  // namespace
}  // namespace neardup
