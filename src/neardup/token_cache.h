// token_cache: remembers the pivot feature id of each token a featurizer
// has seen (crosslingual.h), keyed by the token's 64-bit hash. One per
// language and worker; not thread-safe.
#ifndef NEARDUP_TOKEN_CACHE_H_
#define NEARDUP_TOKEN_CACHE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "neardup/huge_pages.h"

namespace neardup {

// Token hash → feature id: a table probed from the hash's low bits whose
// 8-byte slots hold the hash's high 32 bits as a tag and the id, half the
// bytes of a general map, so a worker's cache of a large corpus stays in
// the processor's last-level cache. Two tokens are confused only if 32 + k
// bits of their hashes agree (2^k slots; k >= 10). The full hashes are
// also logged, cold, to re-place the entries when the table grows.
class TokenCache {
 public:
  // At most kLimit entries (8 MiB of slots) unless told otherwise; Insert
  // clears a full cache.
  static constexpr size_t kLimit = size_t{1} << 19;

  TokenCache() = default;
  explicit TokenCache(size_t limit) : limit_(limit) {}

  // True, with *id, if `key` is stored.
  bool Find(uint64_t key, uint32_t* id) const {
    if (slots_.empty()) return false;
    const uint32_t tag = Tag(key);
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      const uint64_t s = slots_[i];
      if (s == 0) return false;  // empty
      if (static_cast<uint32_t>(s >> 32) == tag) {
        *id = static_cast<uint32_t>(s);
        return true;
      }
    }
  }
  // Starts fetching the slot where Find(key) begins, to look it up soon.
  void Prefetch(uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[key & mask_]);
  }
  // Stores `id` for `key`, which Find did not find. (Not stored, once in
  // 2^32 keys: id 0 for a key whose high half is 0, which would read as an
  // empty slot; such a token is just looked up again.)
  void Insert(uint64_t key, uint32_t id) {
    if (Tag(key) == 0 && id == 0) return;
    if (2 * (keys_.size() + 1) > slots_.size()) {
      if (keys_.size() >= limit_) {
        std::fill(slots_.begin(), slots_.end(), 0);
        keys_.clear();
      } else {
        Grow();
      }
    }
    Place(key, id);
    keys_.push_back(key);
  }

 private:
  static uint32_t Tag(uint64_t key) { return static_cast<uint32_t>(key >> 32); }
  void Place(uint64_t key, uint32_t id) {
    size_t i = key & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = (static_cast<uint64_t>(Tag(key)) << 32) | id;
  }
  void Grow() {
    LargeVector<uint64_t> larger(std::max<size_t>(1024, 2 * slots_.size()), 0);
    larger.swap(slots_);
    const size_t old_mask = mask_;
    mask_ = slots_.size() - 1;
    for (uint64_t key : keys_) {
      // The entry's id, from the old table (the same probe as Find).
      size_t i = key & old_mask;
      while (static_cast<uint32_t>(larger[i] >> 32) != Tag(key)) i = (i + 1) & old_mask;
      Place(key, static_cast<uint32_t>(larger[i]));
    }
  }

  size_t limit_ = kLimit;
  LargeVector<uint64_t> slots_;
  size_t mask_ = 0;
  LargeVector<uint64_t> keys_;  // every stored key, in insertion order
};

}  // namespace neardup

#endif  // NEARDUP_TOKEN_CACHE_H_
