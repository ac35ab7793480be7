// story: joins clusters of variants (near-duplicates and translations) that
// report the same story, the way a careful reader would group a rewrite by
// another outlet with the article it retells.
//
// Input: the clusters the earlier stages built, and pivot candidate pairs
// (any languages) with calibrated scores (calibration.h; the pipeline gives,
// for two languages of its background sample, the lower of the input's and
// the background's calibration, so the best pair must clear both). A single-language
// cluster Q (an article and its near-duplicates) joins a multilingual
// cluster P (an article and its translations) when
//   - some candidate pair between them reaches `min_z`;
//   - the mean calibrated score over all pairs between their members
//     (x in P, y in Q) reaches `min_z`: the match must hold against P's
//     variants in the other languages too, not against one of them only;
//   - P is Q's best such cluster, and Q is P's best among the
//     single-language clusters of Q's language (mutual best match).
// The pipeline gives as candidates only pairs whose numbers, years aside,
// agree (NumbersAgreeBesidesYears, crosslingual.h).
// So two documents of one language never form a story on their own (two
// man pages of one family are close in every representation), a story
// gains at most one article per language, and stories do not chain: a
// joined cluster is not a candidate again.
//
// Thread-safety: pure functions; the scorer is called from the calling
// thread.
#ifndef NEARDUP_STORY_H_
#define NEARDUP_STORY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace neardup {

struct StoryOptions {
  // Calibrated score (standard deviations above unrelated documents of the
  // same two languages) a story link needs. Default: 2.0 (seeds: 003 joins
  // at a mean of 2.4-2.7, 004 stays at 1.3-1.6; dev-set precision 0.999).
  double min_z = 2.0;
  // Clusters joined by more member pairs than this are judged on their
  // candidate pairs only. Default: 256.
  uint32_t max_pairs = 256;
};

struct StoryCandidate {
  uint32_t a = 0, b = 0;
  double z = 0;  // calibrated score
  // What the scorer would give for this pair among member pairs, if the
  // caller knows it already (it is then not asked again).
  std::optional<double> member_z;
};

struct StoryLink {
  uint32_t a = 0, b = 0;  // the best-scoring pair between the two clusters
  double z = 0;           // its calibrated score
  double mean_z = 0;      // mean over the member pairs judged
};

// The member pairs whose calibrated scores the rule needs are asked for
// in one batch (but for candidates with member_z): `score_all(pairs, z)`
// sets z[i] for pairs[i] (x < y), or leaves it empty for a document that
// takes no part (no features, a copy of another member). The caller may
// score them in parallel.
using StoryScorer = std::function<void(std::span<const std::pair<uint32_t, uint32_t>>,
                                       std::span<std::optional<double>>)>;

// `lang_of[d]`: a small integer per language. `cluster_of[d]`: the cluster
// of document d, a number below cluster_of.size() (a union-find root, say;
// documents outside every cluster have their own). `multilingual[c]` is
// true for clusters of two languages or more. Returns the links made,
// ordered by cluster pair.
std::vector<StoryLink> LinkStories(
    std::span<const uint32_t> cluster_of, std::span<const uint8_t> multilingual,
    std::span<const uint16_t> lang_of, std::span<const StoryCandidate> candidates,
    const StoryScorer& score_all, const StoryOptions& options);

// The same, with one pair scored at a time: `z_of(x, y)`.
std::vector<StoryLink> LinkStories(
    std::span<const uint32_t> cluster_of, std::span<const uint8_t> multilingual,
    std::span<const uint16_t> lang_of, std::span<const StoryCandidate> candidates,
    const std::function<std::optional<double>(uint32_t, uint32_t)>& z_of,
    const StoryOptions& options);

}  // namespace neardup

#endif  // NEARDUP_STORY_H_
