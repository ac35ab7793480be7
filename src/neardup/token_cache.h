// token_cache: remembers the pivot feature id of each token the featurizers
// have seen (crosslingual.h), keyed by the token's 64-bit hash. One per
// language, shared by a run's workers: Find and Prefetch may run on any
// number of threads at once, without a lock; Insert and InsertAll take one
// (inserts are the rare misses, about one token in a hundred; a featurizer
// puts each document's new words in at once).
#ifndef NEARDUP_TOKEN_CACHE_H_
#define NEARDUP_TOKEN_CACHE_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "neardup/huge_pages.h"
#include "neardup/prefetch.h"

namespace neardup {

// One stored token: its hash and its feature id.
struct TokenEntry {
  uint64_t key;
  uint32_t id;
};

// Entries by language name: what a run's token caches hold, and what the
// word cache (word_cache.h) keeps of them between runs.
using LanguageEntries = std::vector<std::pair<std::string, std::vector<TokenEntry>>>;

// Token hash → feature id: a table probed from the hash's low bits whose
// 8-byte slots hold the hash's high 32 bits as a tag and the id, half the
// bytes of a general map, so the cache of a large corpus stays in the
// processor's last-level cache. Two tokens are confused only if 32 + k
// bits of their hashes agree (2^k slots; k >= 10). Each entry (its full
// hash and id, 16 bytes) is also logged, cold, to re-place the entries
// when the table grows and to list them (Entries).
//
// Sharing: a slot is written whole, once, by an atomic store, so a reader
// sees it empty or complete. A grown table is filled before it is
// published; readers still probing the old one find less (a miss only
// costs the caller the work the cache saves), and old tables are kept
// until the cache is destroyed. Shared by two workers, the cache computes
// each word's feature once instead of once per worker (283,756 misses
// instead of 515,323 at 100,000 documents).
class TokenCache {
 public:
  // At most kLimit entries (16 MiB of slots) unless told otherwise; Insert
  // clears a full cache.
  static constexpr size_t kLimit = size_t{1} << 20;

  TokenCache() = default;
  explicit TokenCache(size_t limit) : limit_(limit) {}
  TokenCache(const TokenCache&) = delete;
  TokenCache& operator=(const TokenCache&) = delete;

  // True, with *id, if `key` is stored.
  bool Find(uint64_t key, uint32_t* id) const {
    const Table* t = table_.load(std::memory_order_acquire);
    return t != nullptr && t->Find(key, id);
  }
  // The stored entries, oldest first, at most `max` (takes the lock).
  std::vector<TokenEntry> Entries(size_t max) const {
    std::lock_guard<std::mutex> lock(mu_);
    const size_t n = std::min(max, log_.size());
    return std::vector<TokenEntry>(log_.begin(), log_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  // How many entries Insert has stored, ever (a cleared cache's too).
  uint64_t inserted() const { return inserted_.load(std::memory_order_relaxed); }
  // Starts fetching the slot where Find(key) begins, to look it up soon.
  void Prefetch(uint64_t key) const {
    const Table* t = table_.load(std::memory_order_relaxed);
    if (t != nullptr) __builtin_prefetch(&t->slots[key & t->mask]);
  }
  // Stores `id` for `key` (unless another thread just did). (Not stored,
  // once in 2^32 keys: id 0 for a key whose high half is 0, which would
  // read as an empty slot; such a token is just looked up again.)
  void Insert(uint64_t key, uint32_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    InsertLocked(key, id);
  }
  // Insert of each entry, under one lock, the table grown once.
  void InsertAll(std::span<const TokenEntry> entries) {
    std::lock_guard<std::mutex> lock(mu_);
    Table* t = table_.load(std::memory_order_relaxed);
    const size_t want = std::min(log_.size() + entries.size(), limit_);
    if (t == nullptr || 2 * want > t->slots.size()) {
      size_t size = t == nullptr ? size_t{1024} : t->slots.size();
      while (2 * want > size) size *= 2;
      Grow(size);
    }
    for (const TokenEntry& e : entries) InsertLocked(e.key, e.id);
  }

 private:
  static uint32_t Tag(uint64_t key) { return static_cast<uint32_t>(key >> 32); }

  struct Table {
    explicit Table(size_t size) : slots(size, 0), mask(size - 1) {}
    bool Find(uint64_t key, uint32_t* id) const {
      const uint32_t tag = Tag(key);
      for (size_t i = key & mask;; i = (i + 1) & mask) {
        const uint64_t s = Load(i);
        if (s == 0) return false;  // empty
        if (static_cast<uint32_t>(s >> 32) == tag) {
          *id = static_cast<uint32_t>(s);
          return true;
        }
      }
    }
    // Under the cache's lock.
    void Place(uint64_t key, uint32_t id) {
      size_t i = key & mask;
      while (Load(i) != 0) i = (i + 1) & mask;
      std::atomic_ref<uint64_t>(slots[i]).store(
          (static_cast<uint64_t>(Tag(key)) << 32) | id, std::memory_order_release);
    }
    uint64_t Load(size_t i) const {
      return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(slots[i]))
          .load(std::memory_order_acquire);
    }
    LargeVector<uint64_t> slots;
    size_t mask;
  };

  void InsertLocked(uint64_t key, uint32_t id) {
    if (Tag(key) == 0 && id == 0) return;
    Table* t = table_.load(std::memory_order_relaxed);
    uint32_t found;
    if (t != nullptr && t->Find(key, &found)) return;
    if (t == nullptr || 2 * (log_.size() + 1) > t->slots.size()) {
      if (t != nullptr && log_.size() >= limit_) {
        for (uint64_t& s : t->slots) std::atomic_ref<uint64_t>(s).store(0, std::memory_order_relaxed);
        log_.clear();
      } else {
        t = Grow(t == nullptr ? size_t{1024} : 2 * t->slots.size());
      }
    }
    t->Place(key, id);
    log_.push_back({key, id});
    inserted_.fetch_add(1, std::memory_order_relaxed);
  }

  // A table of `size` slots (a power of two) holding every logged entry,
  // published; under the lock. The log is read in order, and each entry's
  // slot fetched kGrowAhead entries before it is written: reading each id
  // back from the old table, one wait on memory after another, had made
  // the inserts of a run on new text (100,000 documents) 0.41 us a word.
  Table* Grow(size_t size) {
    constexpr size_t kGrowAhead = 16;
    auto larger = std::make_unique<Table>(size);
    VisitAhead(
        log_.size(), kGrowAhead,
        [&](size_t i) { __builtin_prefetch(&larger->slots[log_[i].key & larger->mask], 1); },
        [&](size_t i) { larger->Place(log_[i].key, log_[i].id); });
    Table* t = larger.get();
    tables_.push_back(std::move(larger));
    table_.store(t, std::memory_order_release);
    return t;
  }

  size_t limit_ = kLimit;
  std::atomic<Table*> table_{nullptr};  // the newest of tables_
  std::atomic<uint64_t> inserted_{0};
  mutable std::mutex mu_;               // guards the rest
  std::vector<std::unique_ptr<Table>> tables_;
  LargeVector<TokenEntry> log_;  // every stored entry, in insertion order
};

}  // namespace neardup

#endif  // NEARDUP_TOKEN_CACHE_H_
