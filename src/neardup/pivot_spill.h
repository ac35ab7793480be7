// PivotSpill: every document's pivot feature ids (crosslingual.h), kept
// for the translation stage. They are appended to an unlinked temporary
// file as documents are accepted, and read back only if the input turns
// out to hold two languages or more: while reading, memory holds an offset
// per document, not the features (about 1 KB per document), but for the
// first few thousand documents', until the hot features are chosen.
//
// A document's features are stored in two parts:
//   - the hot ones, as 16-bit numbers: the kHotFeatures features most of
//     the first kSampleDocs documents have (the common words of the
//     input's languages), numbered in the order of their ids;
//   - the rest, the cold ones, as sorted ids.
// Why: the translation stage scores millions of pairs, and each pair read
// two whole lists at random from an array far larger than the caches
// (c100k: 157 ids a document, 13 of them in common), and looked the common
// ones' weights up in the table of all features. Most of a document's ids
// are hot: half the bytes to read, and their weights come from a small
// array (HotWeights).
#ifndef NEARDUP_PIVOT_SPILL_H_
#define NEARDUP_PIVOT_SPILL_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "neardup/calibration.h"

namespace neardup {

class PivotSpill {
 public:
  // Hot features at most: numbered 0 to kHotFeatures - 1.
  static constexpr size_t kHotFeatures = 8192;
  // The hot features are chosen among the first this many documents
  // appended (kept in memory until then; fewer if the input has fewer).
  static constexpr size_t kSampleDocs = 4096;
  // Or fewer: as many as hold this many ids between them (16 MB), so
  // that huge documents do not hold much memory.
  static constexpr size_t kSampleIds = size_t{1} << 22;
  // A hot feature is in at least this many of them (one that only one
  // sampled document has saves nothing).
  static constexpr uint32_t kMinHotCount = 2;

  // One document's features, as stored: views into the array read back.
  struct Features {
    std::span<const uint16_t> hot;   // ascending numbers: hot_ids()[k] for k
    std::span<const uint32_t> cold;  // sorted ids
  };

  PivotSpill() = default;
  PivotSpill(const PivotSpill&) = delete;
  PivotSpill& operator=(const PivotSpill&) = delete;
  ~PivotSpill();

  // Appends the next document's feature ids (sorted, distinct; may be
  // empty).
  absl::Status Append(std::span<const uint32_t> ids);
  // Reads the file back into memory of its own, on huge pages
  // (huge_pages.h), and closes it (the file goes); call once, after the
  // last Append. Why not a mapping of the file: its 4 KiB pages made each
  // pair the translation stage reads at random a miss of the TLB's too.
  // Among a million documents the stage took 0.5-2.0 s less in each of
  // five alternated pairs of runs (in one with laps: scores 4.2 -> 2.7 s,
  // stories 3.3 -> 2.3 s), and the reading back 0.3 s; among 100,000 it
  // is a wash (17 ms to read back, about as much saved).
  absl::Status Load();

  // After Load:
  size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  bool empty(uint32_t d) const { return offsets_[d] == offsets_[d + 1]; }
  Features operator[](uint32_t d) const {
    if (ids_ == nullptr || empty(d)) return {};
    const uint32_t* begin = ids_ + offsets_[d];
    const uint32_t hot = begin[0];
    // The numbers were written as an array of 16-bit numbers (Write).
    const uint16_t* numbers = reinterpret_cast<const uint16_t*>(begin + 1);
    return {{numbers, hot}, {begin + 1 + (hot + 1) / 2, ids_ + offsets_[d + 1]}};
  }
  // All of document d's ids, sorted (as appended), into *out.
  void Ids(uint32_t d, std::vector<uint32_t>* out) const;
  // The hot features' ids, ascending: hot feature k is hot_ids()[k].
  std::span<const uint32_t> hot_ids() const { return hot_ids_; }
  // Starts fetching where document d's features start (PrefetchWhere
  // ahead of Prefetch, ahead of operator[], in a loop over documents at
  // random).
  void PrefetchWhere(uint32_t d) const { __builtin_prefetch(&offsets_[d]); }
  void Prefetch(uint32_t d) const {
    if (ids_ == nullptr) return;
    const uint32_t* p = ids_ + offsets_[d];
    __builtin_prefetch(p);
    __builtin_prefetch(p + 16);
  }

 private:
  // Picks the hot features from the documents held back, then writes them.
  absl::Status ChooseHotAndFlush();
  // Writes one document's two parts and records where it ends: the number
  // of hot features, their numbers two to a 32-bit word (the last one
  // padded), then the cold ids.
  absl::Status Write(std::span<const uint32_t> ids);
  absl::Status WriteWords(const uint32_t* words, size_t n);
  static constexpr uint32_t kNone = 0xFFFFFFFF;
  // id → hot number: buckets of two slots (id << 32 | number, or all
  // ones), each hot id in its bucket (a third one for a bucket is left
  // cold).
  struct HotTable {
    const uint64_t* buckets;
    int shift;
    // MurmurHash3's finalizer: every bit of the id moves the bucket (a
    // multiply alone put ids of a pattern, c * k, into few buckets).
    size_t BucketOf(uint32_t id) const {
      id ^= id >> 16;
      id *= 0x85EBCA6Bu;
      id ^= id >> 13;
      id *= 0xC2B2AE35u;
      id ^= id >> 16;
      return id >> shift;
    }
    // The number of hot feature `id`, or kNone: one look at its bucket,
    // without a branch (whether an id is hot is a toss-up).
    uint32_t Number(uint32_t id) const {
      const uint64_t* b = &buckets[BucketOf(id) * 2];
      const uint32_t n0 =
          static_cast<uint32_t>(b[0] >> 32) == id ? static_cast<uint32_t>(b[0]) : kNone;
      const uint32_t n1 =
          static_cast<uint32_t>(b[1] >> 32) == id ? static_cast<uint32_t>(b[1]) : kNone;
      return std::min(n0, n1);
    }
  };
  HotTable Table() const { return {buckets_.data(), bucket_shift_}; }

  static constexpr size_t kBufferBytes = size_t{1} << 20;
  std::unique_ptr<char[]> buffer_;  // file_'s; freed after it is closed
  std::FILE* file_ = nullptr;
  std::vector<uint64_t> offsets_;  // in 32-bit words
  uint32_t* ids_ = nullptr;  // the ids read back (AllocateHuge)
  size_t ids_bytes_ = 0;

  bool chosen_ = false;                      // hot features picked
  std::vector<std::vector<uint32_t>> held_;  // documents before that
  size_t held_ids_ = 0;
  std::vector<uint32_t> hot_ids_;
  std::vector<uint64_t> buckets_;  // HotTable's
  int bucket_shift_ = 32;
  std::vector<uint32_t> words_;              // Write's scratch
  std::vector<uint32_t> cold_;
  std::vector<uint16_t> numbers_;
};

// The hot features' weights, and the weighted Jaccard of two documents'
// features from them. Read-only once made: share it among threads.
class HotWeights {
 public:
  // weight[k]: hot feature k's.
  explicit HotWeights(std::vector<float> weight);
  // Weighted Jaccard of two documents' features, with `cold_weight(id)`
  // a cold feature's weight; `total_a` and `total_b` are the documents'
  // total weights (TotalWeight). Equal to the bit to WeightedJaccardBy
  // over the two whole id lists with the same weights, which adds the
  // common features' weights in another order: the sums are exact in any
  // order, since every weight is 0 or a float of 0.5 or more (an IDF
  // weight ln(1 + docs / df) is at least ln 2) below 2^5, so a multiple
  // of 2^-24, and a double holds every such sum of fewer than 2^24 terms
  // exactly.
  //
  // a's hot features are set in a table of this thread's, kept while the
  // next calls have the same a (or b): pairs come by their first document
  // (the translation candidates are sorted), and each of b's hot features
  // is then one read of that table, whatever the two have in common.
  template <typename ColdWeight>
  double Jaccard(const PivotSpill::Features& a, double total_a, const PivotSpill::Features& b,
                 double total_b, const ColdWeight& cold_weight) const {
    bool holds_b = false;
    const float* table = TableFor(a.hot, b.hot, &holds_b);
    const std::span<const uint16_t> probe = holds_b ? a.hot : b.hot;
    double h[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= probe.size(); i += 4) {
      for (int k = 0; k < 4; ++k) h[k] += table[probe[i + k]];
    }
    for (; i < probe.size(); ++i) h[0] += table[probe[i]];
    double inter = (h[0] + h[1]) + (h[2] + h[3]);
    thread_local std::vector<uint32_t> common;
    common.resize(std::min(a.cold.size(), b.cold.size()) + kCommonSlack);
    const size_t n = CommonPositions(a.cold, b.cold, common.data());
    for (size_t k = 0; k < n; ++k) inter += cold_weight(a.cold[common[k]]);
    const double uni = total_a + total_b - inter;
    return uni > 0 ? inter / uni : 0.0;
  }

 private:
  // This thread's table: weight_[k] at each of `hot`'s numbers k, 0
  // elsewhere; or, if it holds `other`'s already, that one
  // (*holds_other set: the sum is the same either way).
  const float* TableFor(std::span<const uint16_t> hot, std::span<const uint16_t> other,
                        bool* holds_other) const;
  uint64_t serial_;  // tells a thread's table whose it is
  std::vector<float> weight_;
};

}  // namespace neardup

#endif  // NEARDUP_PIVOT_SPILL_H_
