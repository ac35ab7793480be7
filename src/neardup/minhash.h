// minhash: summarises a set of shingle hashes as a fixed-size signature
// whose agreement rate estimates Jaccard similarity.
//
// Each shingle hash is folded to 32 bits once; permutation i maps it to
// fmix32(h ^ salt_i), where fmix32 is MurmurHash3's finaliser (a bijection
// on 32-bit values) and the salts come from the seed. A signature keeps the
// minimum of each permutation, so two signatures agree at position i with
// probability J(A, B). tests/minhash_test.cc checks the estimate against the
// exact Jaccard over 1,000+ pairs.
//
// Signatures remember num_perm, seed and channel; comparing signatures that
// differ in any of them is an error, not a number.
//
// Thread-safety: MinHasher is immutable after construction; share it.
#ifndef NEARDUP_MINHASH_H_
#define NEARDUP_MINHASH_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace neardup {

// Which representation of a document a signature summarises. Each channel
// has its own index and verification rule.
enum class Channel : uint8_t {
  kSurface = 0,  // the document's own words, normalized
  kPivot = 1,    // language-independent features (crosslingual.h), weighted
};

struct MinHashOptions {
  // Number of permutations (signature length). Default: 128.
  // REQUIRES: 1 <= num_perm <= 4096.
  int num_perm = 128;
  // Seed of the permutations. Default: 1 (as datasketch).
  uint64_t seed = 1;

  absl::Status Validate() const;
};

struct Signature {
  Channel channel = Channel::kSurface;
  uint64_t seed = 0;
  // Number of distinct shingles the signature summarises; used for
  // containment estimates.
  uint32_t num_shingles = 0;
  std::vector<uint32_t> mins;  // size num_perm

  int num_perm() const { return static_cast<int>(mins.size()); }
  bool operator==(const Signature&) const = default;
};

class MinHasher {
 public:
  explicit MinHasher(const MinHashOptions& options);

  int num_perm() const { return static_cast<int>(salts_.size()); }
  uint64_t seed() const { return seed_; }

  // Writes num_perm() minima to out[0..num_perm). Duplicated hashes are
  // harmless. An empty input gives all 0xFFFFFFFF.
  void Compute(std::span<const uint64_t> shingles, uint32_t* out) const;

  // Weighted MinHash, one permutation hashing with densification: each
  // feature f falls into one of num_perm bins (by a hash of its id) and bin
  // i keeps the feature of the bin minimising -ln(u(f)) / weight(f), u(f)
  // uniform in (0, 1); an empty bin copies a filled one chosen by a fixed
  // sequence. Two signatures built with the same weights agree at a bin
  // with about the weighted Jaccard sum_f min / sum_f max of their weights
  // (the statistical test checks it). One hash per feature. out[i] is a
  // feature id; 0xFFFFFFFF if no feature has a positive weight. Two
  // features of one value in a bin (as floats: rare) leave it the smaller
  // id, so the features may come in any order.
  // REQUIRES: features.size() == weights.size().
  void ComputeWeighted(std::span<const uint32_t> features,
                       std::span<const float> weights, uint32_t* out) const;

  // REQUIRES: `shingles` are distinct (num_shingles is their count).
  Signature Sign(std::span<const uint64_t> shingles,
                 Channel channel = Channel::kSurface) const;

 private:
  // Densification's first kDonors candidates of each bin, bin j's at
  // [j * kDonors, (j + 1) * kDonors): the start of its fixed sequence.
  static constexpr int kDonors = 8;
  uint64_t seed_;
  std::vector<uint32_t> salts_;
  std::vector<uint16_t> donors_;
};

// Fraction of positions where a and b agree.
double AgreementRate(const uint32_t* a, const uint32_t* b, int num_perm);

// Estimated Jaccard; an error if the signatures are not comparable.
absl::StatusOr<double> EstimateJaccard(const Signature& a, const Signature& b);

// How much two sets overlap.
struct Overlap {
  double jaccard = 0;  // |A∩B| / |A∪B|
  double a_in_b = 0;   // containment of A in B: |A∩B| / |A|
  double b_in_a = 0;   // |A∩B| / |B|
};

// Overlap implied by a Jaccard estimate and the two set sizes:
// |A∩B| = J (|A| + |B|) / (1 + J), clipped to the smaller set.
Overlap OverlapFromJaccard(double jaccard, uint32_t size_a, uint32_t size_b);

// Exact overlap of two sorted, distinct hash sets.
Overlap ExactOverlap(std::span<const uint64_t> a, std::span<const uint64_t> b);

// Binary format, version 1 (docs/formats.md): "NDSG", u16 version, u8
// channel, u8 reserved, u32 num_perm, u64 seed, u32 num_shingles, then
// num_perm u32 values; all little-endian.
std::string SerializeSignature(const Signature& signature);
absl::StatusOr<Signature> ParseSignature(std::string_view bytes);

}  // namespace neardup

#endif  // NEARDUP_MINHASH_H_
