// cluster: verified pairs → groups (connected components) with one
// representative each, plus the verification rule and pair scores.
//
// Verification: a candidate pair is kept when its similarity reaches the
// threshold, judged either on the signature estimate (default) or on the
// exact Jaccard of the two shingle sets (--verify exact).
//
// Groups are the connected components of the kept pairs (union-find),
// numbered in order of their first member; members are listed in document
// order. The representative is chosen by a KeepPolicy. Everything here is
// deterministic: the output depends only on the inputs, never on timing.
//
// Thread-safety: pure functions.
#ifndef NEARDUP_CLUSTER_H_
#define NEARDUP_CLUSTER_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/minhash.h"

namespace neardup {

enum class VerifyMode {
  // The estimate decides, except for pairs whose estimate is within
  // kBorderline of the threshold: their documents are read again from the
  // input and the exact Jaccard decides (inputs read from standard input
  // cannot be read again; their pairs keep the estimate). Pairs whose
  // documents are connected by surer pairs anyway keep the estimate too:
  // they cannot change a group. Default.
  kAuto,
  kEstimate,  // signature agreement rate >= threshold
  kExact,     // exact Jaccard of the shingle sets >= threshold (keeps them)
};
// Half-width of the band around the threshold that kAuto re-checks: about
// 1.7 standard errors of a 128-value estimate at J = 0.8 (0.08 re-checked
// 23 % more pairs on the 100k reference corpus for the same recall).
inline constexpr double kBorderline = 0.06;

enum class KeepPolicy {
  kLongest,  // the member with the most text bytes; ties: first seen (default)
  kFirst,    // the first member in input order
};

absl::StatusOr<VerifyMode> ParseVerifyMode(std::string_view name);
absl::StatusOr<KeepPolicy> ParseKeepPolicy(std::string_view name);
std::string_view VerifyModeName(VerifyMode mode);
std::string_view KeepPolicyName(KeepPolicy policy);

// One verified pair of documents (numbers as given to the index, a < b).
struct ScoredPair {
  uint32_t a = 0;
  uint32_t b = 0;
  // kSurface: near-duplicates in their own words (scores below);
  // kPivot: linked through language-independent features (`score`).
  Channel channel = Channel::kSurface;
  // kSurface: the Jaccard the pair was judged on. kPivot: the calibrated
  // score (calibration.h: standard deviations above unrelated documents of
  // the same two languages), or pivot_jaccard without a background.
  double score = 0;
  double pivot_jaccard = 0;  // kPivot: weighted Jaccard of pivot features
  bool story = false;        // kPivot: joined by the story stage (story.h)
  bool linked = true;        // false: scored but not linked (--all-pairs)
  double estimated_jaccard = 0;
  std::optional<double> exact_jaccard;  // when computed (kExact, or kAuto near the threshold)
  double a_in_b = 0;  // containment |A∩B| / |A| (exact if computed)
  double b_in_a = 0;  // containment |A∩B| / |B|
};

struct Group {
  std::vector<uint32_t> members;  // sorted, size >= 2
  uint32_t representative = 0;
  // The members kept: the representative alone, or one per language of
  // each variant set (members joined by other than story pairs).
  std::vector<uint32_t> kept;
  // Parallel to members: the kept member that stands for each one.
  std::vector<uint32_t> kept_for;
};

class UnionFind {
 public:
  explicit UnionFind(size_t n);
  uint32_t Find(uint32_t x);
  void Union(uint32_t a, uint32_t b);

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint8_t> rank_;
};

// Connected components of size >= 2 over `num_docs` documents linked by
// `pairs`, ordered by their smallest member. `text_bytes[d]` is document d's
// length, used by KeepPolicy::kLongest. With `lang_of` (one small integer
// per document), one member per language is kept, chosen by `policy`; the
// representative is the one kept for the first member's language. Without
// it, only the representative is kept. Story pairs (ScoredPair::story) join
// groups but not variant sets: one member per language is kept in each
// variant set, since a story's articles are not copies of each other. A
// document whose language is
// `unknown_lang` counts as being in the language of the member kept before
// it (it is never kept beside one). With `preferred` (one flag per
// document), a preferred member is kept before any other, whatever the
// policy (documents seen before: an input document is dropped for them);
// with `preferred_takes_variants` too, a preferred member kept stands for
// every member of its variant set that is not preferred, whatever their
// languages (the translations of an evaluation set's documents are
// dropped from a training corpus; other articles on their stories stay).
std::vector<Group> BuildGroups(size_t num_docs,
                               std::span<const ScoredPair> pairs,
                               std::span<const uint64_t> text_bytes,
                               KeepPolicy policy,
                               std::span<const uint16_t> lang_of = {},
                               uint16_t unknown_lang = UINT16_MAX,
                               std::span<const uint8_t> preferred = {},
                               bool preferred_takes_variants = false);

}  // namespace neardup

#endif  // NEARDUP_CLUSTER_H_
