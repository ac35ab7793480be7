// The memory helpers: the huge-page allocator, the look-ahead loop and the
// token cache.
#include <algorithm>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "neardup/huge_pages.h"
#include "neardup/prefetch.h"
#include "neardup/token_cache.h"

namespace neardup {
namespace {

TEST(HugePages, LargeVectorHoldsWhatIsWrittenAcrossSizes) {
  // Below, at and above the 2 MiB threshold, and through reallocation.
  LargeVector<uint64_t> v;
  const size_t n = 3 * kHugePageBytes / sizeof(uint64_t) + 17;
  for (size_t i = 0; i < n; ++i) v.push_back(i * 2654435761u);
  for (size_t i = 0; i < n; i += 997) ASSERT_EQ(v[i], i * 2654435761u);
  EXPECT_EQ(v.back(), (n - 1) * 2654435761u);
}

TEST(HugePages, LargeArraysAreAlignedAndZeroed) {
  LargeVector<uint32_t> v(kHugePageBytes / sizeof(uint32_t) + 1);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageBytes, 0u);
  for (size_t i = 0; i < v.size(); i += 4096) ASSERT_EQ(v[i], 0u);
  EXPECT_EQ(v.back(), 0u);
}

TEST(VisitAhead, VisitsInOrderEachItemFetchedOnceAndBeforeItsVisit) {
  for (size_t n : {0, 1, 7, 8, 9, 40}) {
    for (size_t ahead : {1, 8, 64}) {
      std::vector<int> events;  // i + 1 for prefetch(i), -(i + 1) for visit(i)
      VisitAhead(
          n, ahead, [&](size_t i) { events.push_back(static_cast<int>(i) + 1); },
          [&](size_t i) { events.push_back(-static_cast<int>(i) - 1); });
      std::vector<int> visited, fetched(n, 0);
      for (size_t k = 0; k < events.size(); ++k) {
        const int e = events[k];
        if (e < 0) {
          const size_t i = static_cast<size_t>(-e - 1);
          visited.push_back(static_cast<int>(i));
          ASSERT_EQ(fetched[i], 1) << "n " << n << " ahead " << ahead << " item " << i;
          // The items up to `ahead` later are asked for by now.
          for (size_t j = i; j < std::min(n, i + ahead + 1); ++j) {
            EXPECT_EQ(fetched[j], 1) << "n " << n << " ahead " << ahead << " at " << i;
          }
        } else {
          ASSERT_LT(static_cast<size_t>(e - 1), n);
          ++fetched[e - 1];
        }
      }
      std::vector<int> in_order(n);
      for (size_t i = 0; i < n; ++i) in_order[i] = static_cast<int>(i);
      EXPECT_EQ(visited, in_order);
      EXPECT_EQ(std::count(fetched.begin(), fetched.end(), 1), static_cast<long>(n));
    }
  }
}

TEST(TokenCache, FindsEveryInsertedKeyThroughGrowth) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> keys(200000);
  for (uint64_t& k : keys) k = rng();
  TokenCache cache;
  uint32_t id;
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_FALSE(cache.Find(keys[i], &id));
    cache.Insert(keys[i], static_cast<uint32_t>(i % 3 == 0 ? 0 : i));  // 0: dropped
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_TRUE(cache.Find(keys[i], &id)) << i;
    EXPECT_EQ(id, i % 3 == 0 ? 0u : i);
  }
  // Keys never inserted are absent (a false hit needs 49+ equal bits).
  for (int i = 0; i < 200000; ++i) ASSERT_FALSE(cache.Find(rng(), &id));
}

TEST(TokenCache, KeysThatShareLowOrHighBitsStayApart) {
  TokenCache cache;
  uint32_t id;
  // Same low 32 bits (same probe start), different tags; and a tag of 0.
  for (uint64_t hi = 0; hi < 64; ++hi) cache.Insert(hi << 32 | 0x1234, static_cast<uint32_t>(hi + 100));
  // Same high 32 bits, different slots.
  for (uint64_t lo = 1; lo < 64; ++lo) cache.Insert(uint64_t{77} << 32 | lo << 3, static_cast<uint32_t>(lo + 1000));
  for (uint64_t hi = 0; hi < 64; ++hi) {
    ASSERT_TRUE(cache.Find(hi << 32 | 0x1234, &id));
    EXPECT_EQ(id, hi + 100);
  }
  // The one pair a slot cannot hold (it reads as empty) is not stored.
  cache.Insert(0x5678, 0);
  EXPECT_FALSE(cache.Find(0x5678, &id));
  for (uint64_t lo = 1; lo < 64; ++lo) {
    ASSERT_TRUE(cache.Find(uint64_t{77} << 32 | lo << 3, &id));
    EXPECT_EQ(id, lo + 1000);
  }
}

TEST(TokenCache, ClearsWhenFullAndKeepsWorking) {
  TokenCache cache(1000);
  std::mt19937_64 rng(3);
  std::vector<uint64_t> keys(5000);
  for (uint64_t& k : keys) k = rng();
  for (size_t i = 0; i < keys.size(); ++i) cache.Insert(keys[i], static_cast<uint32_t>(i + 1));
  uint32_t id;
  // The last insert happened into a cache holding at most 1,000 entries:
  // the most recent key is there, the first is long gone.
  ASSERT_TRUE(cache.Find(keys.back(), &id));
  EXPECT_EQ(id, keys.size());
  EXPECT_FALSE(cache.Find(keys.front(), &id));
  size_t present = 0;
  for (uint64_t k : keys) present += cache.Find(k, &id);
  EXPECT_LE(present, 1000u);
  EXPECT_GE(present, 1u);
}

// What a run leaves for the next (word_cache.h): Entries lists what was
// stored, oldest first, and InsertAll stores it in another cache as Insert
// would, growing its table once.
TEST(TokenCache, EntriesCarryOverToAnotherCache) {
  std::mt19937_64 rng(5);
  TokenCache first;
  std::vector<uint64_t> keys(30000);
  for (size_t i = 0; i < keys.size(); ++i) {
    keys[i] = rng();
    first.Insert(keys[i], static_cast<uint32_t>(i % 5 == 0 ? 0 : i));
  }
  first.Insert(keys[7], 999);  // already there: not stored again
  EXPECT_EQ(first.inserted(), keys.size());
  const std::vector<TokenEntry> all = first.Entries(keys.size() + 10);
  ASSERT_EQ(all.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(all[i].key, keys[i]);
    ASSERT_EQ(all[i].id, i % 5 == 0 ? 0u : i);
  }
  const std::vector<TokenEntry> oldest = first.Entries(100);
  ASSERT_EQ(oldest.size(), 100u);
  EXPECT_EQ(oldest.back().key, keys[99]);

  TokenCache second;
  second.Insert(keys[1], 1);  // one it has already
  second.InsertAll(all);
  EXPECT_EQ(second.inserted(), keys.size());
  uint32_t id;
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_TRUE(second.Find(keys[i], &id)) << i;
    EXPECT_EQ(id, i % 5 == 0 ? 0u : i);
  }
  // It goes on growing from there.
  const uint64_t later = rng();
  second.Insert(later, 5);
  ASSERT_TRUE(second.Find(later, &id));
  EXPECT_EQ(id, 5u);
}

TEST(TokenCache, SharedByThreadsItNeverAnswersWrong) {
  // Four threads insert and look up overlapping keys at once, through the
  // table's growth: a key found must carry its own id (id = key's low
  // half, or 0), and every key inserted is found afterwards.
  std::mt19937_64 rng(11);
  std::vector<uint64_t> keys(120000);
  for (uint64_t& k : keys) k = rng() | 1;  // odd: never the one unstorable pair
  auto id_of = [](uint64_t k) { return k % 5 == 0 ? 0u : static_cast<uint32_t>(k); };
  TokenCache cache;
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 pick(100 + t);
      for (int i = 0; i < 200000; ++i) {
        const uint64_t k = keys[pick() % keys.size()];
        cache.Prefetch(k);
        uint32_t id;
        if (cache.Find(k, &id)) {
          wrong[t] += id != id_of(k);
        } else {
          cache.Insert(k, id_of(k));
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(wrong[t], 0) << "thread " << t;
  // Every key some thread drew (the draws replayed) was inserted by the
  // first thread to miss it, and no other key is there.
  std::vector<char> drawn(keys.size(), 0);
  for (int t = 0; t < 4; ++t) {
    std::mt19937_64 pick(100 + t);
    for (int i = 0; i < 200000; ++i) drawn[pick() % keys.size()] = 1;
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    uint32_t id;
    ASSERT_EQ(cache.Find(keys[i], &id), drawn[i] != 0) << i;
    if (drawn[i]) ASSERT_EQ(id, id_of(keys[i]));
  }
}

}  // namespace
}  // namespace neardup
