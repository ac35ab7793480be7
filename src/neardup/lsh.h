// lsh: finds candidate pairs of similar signatures without comparing all
// pairs, by banding.
//
// A signature of num_perm values is cut into `bands` bands of `rows` values;
// two documents become candidates when any band is identical, which happens
// with probability 1 - (1 - J^rows)^bands. ChooseLshParams picks bands ×
// rows for a threshold the way datasketch does: it minimises
// fp_weight · ∫₀ᵗ P(s) ds + fn_weight · ∫ₜ¹ (1 - P(s)) ds over
// bands · rows <= num_perm.
//
// The index has three phases, as RE2::Set: Add() signatures, Freeze(), then
// const, thread-safe queries. CandidateIndex is the interface a persistent
// store can implement; BandedIndex keeps everything in memory.
//
// Large buckets: a bucket of s documents yields s(s-1)/2 pairs. Up to
// `max_bucket_pairs_window` members a bucket is paired in full; beyond that
// each member is paired with the `max_bucket_pairs_window` members before it
// (in document order), so cost stays linear in s. Exact copies never reach
// that point: the pipeline collapses identical signatures before indexing.
// An index may skip buckets over a cap instead, and sort the others into
// size tiers: the members of a larger bucket pair only when they share more
// bands (BandedIndex, BucketTier); and where one class of documents fills
// a bucket over the cap, keep the few others in it (ThinLargeBuckets); and
// keep of the pairs that large buckets make only each document's strongest
// (KeepStrongestLargePairs).
#ifndef NEARDUP_LSH_H_
#define NEARDUP_LSH_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "neardup/huge_pages.h"

namespace neardup {

struct LshParams {
  int bands = 0;
  int rows = 0;
};

struct LshOptions {
  // Jaccard similarity at which documents count as near-duplicates.
  // Default: 0.8. REQUIRES: 0 < threshold <= 1.
  double threshold = 0.8;
  // Explicit bands × rows; both 0 (the default) derives them from the
  // threshold. REQUIRES: bands * rows <= num_perm.
  int bands = 0;
  int rows = 0;
  // Weights of the false-positive and false-negative areas when deriving
  // bands × rows. Default: 0.05 and 0.95, which gives 16 × 8 at 0.8 and
  // 128 (found with probability 0.994 at J = 0.85). datasketch's 0.5/0.5
  // gives 9 × 13, which finds only 69 % of pairs at J = 0.85; a false
  // positive only costs one cheap verification, a miss is lost.
  double fp_weight = 0.05;
  double fn_weight = 0.95;
  // Buckets larger than this are paired through a sliding window of this
  // many members. Default: 256.
  int max_bucket_pairs_window = 256;

  absl::Status Validate(int num_perm) const;
};

// bands × rows minimising the weighted error areas around `threshold`.
LshParams ChooseLshParams(double threshold, int num_perm, double fp_weight,
                          double fn_weight);

// The params the options ask for: explicit ones, or ChooseLshParams.
LshParams ResolveLshParams(const LshOptions& options, int num_perm);

// Probability that a pair with Jaccard `j` shares at least one band.
double DetectionProbability(double j, LshParams params);

// A candidate pair of document numbers, first < second.
struct DocPair {
  uint32_t first;
  uint32_t second;
  bool operator==(const DocPair&) const = default;
  auto operator<=>(const DocPair&) const = default;
};

// Which candidate pairs to return; the default is all of them.
struct PairFilter {
  // With class_of (indexed by document): only pairs of documents of
  // different classes (e.g. languages), or of the same class if same_class.
  std::span<const uint16_t> class_of = {};
  bool same_class = false;
  // With involving (indexed by document): only pairs with at least one
  // document whose entry is non-zero.
  std::span<const uint8_t> involving = {};
  // Only pairs sharing at least this many bands.
  int min_shared = 1;
  // Whether an index's large buckets (BandedIndex: those of a tier that
  // needs more than one shared band) take part.
  bool large_buckets = true;
};

class CandidateIndex {
 public:
  virtual ~CandidateIndex() = default;
  // Adds a document. REQUIRES: not frozen; mins has num_perm values.
  virtual void Add(uint32_t doc, const uint32_t* mins) = 0;
  // A hint: about `docs` documents will be added.
  virtual void Reserve(size_t docs) { (void)docs; }
  // Ends the add phase, using up to `threads` threads (for the later
  // scans of CandidatePairs too).
  virtual void Freeze(int threads = 1) = 0;
  // The pairs of added documents sharing a band that `filter` admits,
  // sorted and distinct (in an index with bucket tiers, a pair whose shared
  // buckets' evidence adds up to one: BucketTier). REQUIRES: frozen.
  virtual std::vector<DocPair> CandidatePairs(const PairFilter& filter = {}) const = 0;
  // Added documents sharing at least `min_shared` bands with `mins`, sorted
  // and distinct (buckets an index skips for CandidatePairs are skipped here
  // too, and large ones count as they do there; a bucket's every member is
  // found, whatever the window). REQUIRES: frozen.
  virtual std::vector<uint32_t> Query(const uint32_t* mins, int min_shared = 1) const = 0;
  virtual size_t size() const = 0;
};

// A size class of an index's buckets: those of up to `up_to` members
// (and more than the tier before's). A shared bucket of this tier is
// 1/`bands` of the evidence a candidate pair needs: two documents pair when
// their shared buckets add up to 1 (say one small bucket, two of a tier of
// 2 bands, or one of those and two of a tier of 4). For indexes where large
// buckets come from common features: one says little, several say more.
struct BucketTier {
  int up_to;
  int bands;
  bool operator==(const BucketTier&) const = default;
};

// OK if tiers can be an index's: up_to >= 1 and increasing, bands >= 1
// and not decreasing, and the least common multiple of the bands at most
// 64. `what` names them in the message.
absl::Status ValidateBucketTiers(std::span<const BucketTier> tiers, std::string_view what);

// For tests: true makes BandedIndex count the large buckets' evidence one
// partner at a time even where the processor has AVX-512F (the vector
// version otherwise), so both are checked on one machine.
void CountEvidenceOneAtATimeForTesting(bool on);

class BandedIndex final : public CandidateIndex {
 public:
  // With tiers (ValidateBucketTiers), buckets of more members than the
  // last tier's up_to are skipped instead of windowed, and the others count
  // as their tier says. Without, every bucket makes candidates (windowed).
  // E.g. the pivot index's {50, 1}, {200, 2}, {800, 4}: at 100,000
  // documents the features a translation shares fill buckets of 50-800.
  // REQUIRES: ValidateBucketTiers(tiers).ok().
  BandedIndex(LshParams params, int max_bucket_pairs_window,
              std::vector<BucketTier> tiers = {});

  void Add(uint32_t doc, const uint32_t* mins) override;
  // Adds docs[i] (increasing) with signature mins + docs[i] * stride, as
  // Add would one by one. Bands of one row (the pivot index) are then read
  // from `mins` at Freeze instead of copied: the signatures must stay
  // unchanged until then.
  void AddAll(std::span<const uint32_t> docs, const uint32_t* mins, size_t stride);
  void Reserve(size_t docs) override;
  // Before Freeze, with tiers: each document's class (a language), indexed
  // by document, kept until Freeze. A bucket over the last tier's size
  // whose most numerous class (ties: the lower number) fills 90 % of it or
  // more then keeps its other members, if they are of two classes or more
  // and no more than that size or `max_kept`, as a bucket of their number:
  // where one language fills a bucket, the few documents of others in it
  // still pair with each other.
  void ThinLargeBuckets(std::span<const uint16_t> class_of, size_t max_kept = SIZE_MAX) {
    thin_class_of_ = class_of;
    thin_max_kept_ = max_kept;
  }
  // With tiers: a pair of two classes that only large buckets make a
  // candidate (those of a tier of more than one band, whose shared
  // evidence adds up to a candidate's) stays one in CandidatePairs across
  // classes only if it is among the `k` strongest such pairs of either
  // document with documents of the other's class: ranked by that evidence
  // (counted on past a candidate's), then by the other document's number.
  // A document whose buckets are large has thousands of such partners, and
  // a best match is mostly among the strongest. 0 (the default) keeps
  // them all.
  void KeepStrongestLargePairs(size_t k) { strongest_ = k; }
  void Freeze(int threads = 1) override;
  std::vector<DocPair> CandidatePairs(const PairFilter& filter = {}) const override;
  std::vector<uint32_t> Query(const uint32_t* mins, int min_shared = 1) const override;
  size_t size() const override { return size_; }

 private:
  // A band's key: the row's value itself for one row, else a hash of the
  // rows folded to 32 bits (a false collision only adds a candidate pair,
  // which verification rejects).
  uint32_t BandKey(const uint32_t* mins, int band) const;
  // The pairs of documents of two classes whose shared large buckets add
  // up to a candidate's evidence (with KeepStrongestLargePairs, the
  // strongest of them), packed as CandidatePairs packs them: sorted runs,
  // distinct.
  std::vector<std::vector<uint64_t>> LargePairsAcrossClasses(std::span<const uint16_t> class_of,
                                                             int bits) const;
  // Removes the buckets of more than skip_over_ entries from a sorted band
  // (they make no candidates), and the memory they took; with
  // ThinLargeBuckets, thins them instead where it can.
  void DropSkippedBuckets(LargeVector<uint64_t>* band) const;
  std::span<const uint16_t> thin_class_of_;  // ThinLargeBuckets, until Freeze
  size_t thin_max_kept_ = SIZE_MAX;
  size_t strongest_ = 0;  // KeepStrongestLargePairs

  LshParams params_;
  int window_;
  std::vector<BucketTier> tiers_;
  int skip_over_ = 0;  // the last tier's up_to; 0 without tiers
  int units_ = 1;      // the evidence a pair needs: the lcm of the tiers' bands
  // The tier of a bucket of `members` (0 without tiers). REQUIRES: members
  // <= skip_over_ if there are tiers.
  size_t TierOf(size_t members) const {
    size_t t = 0;
    while (t + 1 < tiers_.size() && members > static_cast<size_t>(tiers_[t].up_to)) ++t;
    return t;
  }
  // A shared bucket's evidence in a tier, in units_ (units_ for a one-band
  // tier, and without tiers).
  int TierWeight(size_t tier) const {
    return tiers_.empty() ? units_ : units_ / tiers_[tier].bands;
  }
  int Weight(size_t members) const { return TierWeight(TierOf(members)); }
  bool IsLarge(size_t members) const { return Weight(members) < units_; }
  bool frozen_ = false;
  int threads_ = 1;
  size_t size_ = 0;
  // Band b's entries, after Freeze.
  std::span<const uint64_t> Band(size_t b) const { return bands_[b]; }

  // Until Freeze: each added document's number and band keys (doc-major),
  // or, after AddAll of one-row bands, where its signature is.
  LargeVector<uint32_t> docs_;
  LargeVector<uint32_t> keys_;
  const uint32_t* borrowed_ = nullptr;
  size_t stride_ = 0;
  bool docs_in_order_ = true;  // added in increasing order: radix sort
  uint32_t max_doc_ = 0;       // the largest document number added
  // After Freeze: each band's entries (key << 32 | doc), sorted; with
  // tiers, without the buckets over the last one (most of a pivot index's
  // entries: 81 % at 100,000 documents).
  std::vector<LargeVector<uint64_t>> bands_;
};

}  // namespace neardup

#endif  // NEARDUP_LSH_H_
