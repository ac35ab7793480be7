// calibration: puts pivot scores of different language pairs on one scale.
//
// A raw pivot score (weighted Jaccard of pivot features) means different
// things for different language pairs: two unrelated Japanese articles share
// more pivot features than a Japanese and an Italian one (one lexicon, the
// same mistranslations), and a small input gives no usable IDF at all. So
// the pipeline adds a background sample to its statistics:
//   - background.tsv in the lexicon folder (scripts/build-lexicon.py):
//     sections of three translated Debian manuals in 12 languages,
//     "lang<TAB>source/section<TAB>text"; documents of one group are
//     translations of each other;
//   - its documents count in the document frequencies (IDF) of the run;
//   - the null model is the mean and standard deviation of the score
//     between two documents drawn at random, per pair of languages, under
//     the run's weights: from the input itself when it offers enough pairs
//     of those two languages (kMinCorpusPairs), since it is the input's
//     domain that sets what unrelated documents share; otherwise from the
//     input's pairs and the background's unrelated pairs (different
//     groups) together.
// The calibrated score of a pair is z = (score - mean) / sd: how many
// standard deviations it stands above unrelated documents of its two
// languages. Language pairs the background lacks use the pooled figures of
// all cross-language (or all same-language) pairs.
//
// Thread-safety: NullModel is immutable once fitted.
#ifndef NEARDUP_CALIBRATION_H_
#define NEARDUP_CALIBRATION_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "neardup/cpu_features.h"
#include "neardup/huge_pages.h"
#include "neardup/io/file.h"
#include "neardup/prefetch.h"

namespace neardup {

struct BackgroundDoc {
  std::string lang;        // normalized tag
  std::string group;       // same group: translations of one text
  std::string_view text;   // in `source`, when read by LoadBackground
  std::shared_ptr<const MappedFile> source;  // keeps `text` valid
};

// Reads `dir`/background.tsv. A missing file gives an empty sample (older
// lexicons, test lexicons); a malformed line is an error naming it. The
// file is mapped and the texts are views of it: a run whose background
// features are prepared (background_cache.h) never reads them, and copying
// its 3.9 MB into fresh memory took 7-10 ms of every cross-language run.
absl::StatusOr<std::vector<BackgroundDoc>> LoadBackground(const std::string& dir);

// Weighted Jaccard of two sorted feature-id sets with per-feature weights
// (aligned with the ids; a feature's weight is the same in both sets).
double WeightedJaccard(std::span<const uint32_t> a, std::span<const float> wa,
                       std::span<const uint32_t> b, std::span<const float> wb);
// The same with the sets' total weights (TotalWeight) computed beforehand.
double WeightedJaccard(std::span<const uint32_t> a, std::span<const float> wa, double total_a,
                       std::span<const uint32_t> b, std::span<const float> wb, double total_b);
// The same, with `weight_of(i)` the weight of a[i] (looked up, say, rather
// than stored with every document). Same sums in the same order: the
// same result to the bit.
template <typename WeightOf>
double WeightedJaccardBy(std::span<const uint32_t> a, double total_a,
                         std::span<const uint32_t> b, double total_b,
                         const WeightOf& weight_of);
// The sum of a set's weights, as WeightedJaccard adds them.
double TotalWeight(std::span<const float> w);
// Writes the positions in `a` of the ids that `b` holds too, ascending, to
// out[0..] and returns their number; `out` has room for min(|a|, |b|) +
// kCommonSlack (whole blocks are stored). Both sorted, without repeats.
// Compares 16 ids of each side at once where the processor can (AVX-512
// VP2INTERSECT, else AVX-512F), else 8 (AVX2), else 4 (SSE2).
inline constexpr size_t kCommonSlack = 16;
size_t CommonPositions(std::span<const uint32_t> a, std::span<const uint32_t> b, uint32_t* out);
// The implementations behind it, for tests and benchmarks; the first
// REQUIRES CpuHasVp2intersect(), the second CpuHasAvx512(), the third
// CpuHasAvx2().
size_t CommonPositionsVp2intersect(std::span<const uint32_t> a, std::span<const uint32_t> b,
                                   uint32_t* out);
size_t CommonPositionsAvx512(std::span<const uint32_t> a, std::span<const uint32_t> b,
                             uint32_t* out);
size_t CommonPositionsAvx2(std::span<const uint32_t> a, std::span<const uint32_t> b,
                           uint32_t* out);
size_t CommonPositionsSse2(std::span<const uint32_t> a, std::span<const uint32_t> b,
                           uint32_t* out);

// Document frequencies of feature ids (each Add counts one document), in
// the slots IdfTable uses, so that the table of weights is made in place:
// one 8-byte slot (id, count) per probe instead of a general map's control
// byte and slot, and no second map of weights. Beside each count, which
// language's documents have the feature: one language, or several (a
// feature of one language cannot pair two, IdfTable::Entry). Not
// thread-safe: one per worker, then summed (Merge).
class FeatureCounts {
 public:
  // With `languages` false, Add's languages are not kept (each a second
  // random access), and IdfTable marks no feature as of one language.
  explicit FeatureCounts(bool languages = true) : languages_(languages) {}
  // A count from outside the input (the lexicon's background sample): it
  // leaves the feature's language as it was.
  static constexpr uint16_t kNoLanguage = 0xFFFE;
  // The language of a feature counted for documents of two or more.
  static constexpr uint16_t kManyLanguages = 0xFFFF;
  // `count` documents of language `lang` (a language number below
  // kNoLanguage, or kNoLanguage) have feature `id`.
  void Add(uint32_t id, uint32_t count = 1, uint16_t lang = kNoLanguage);
  // Fetches `id`'s first slot into the cache ahead of its Add.
  void Prefetch(uint32_t id) const {
    if (mask_ != 0) {
      const size_t i = Mix(id) & mask_;
      __builtin_prefetch(&slots_[i], 1);
      if (languages_) __builtin_prefetch(&langs_[i], 1);
    }
  }
  // Adds `other`'s counts to these.
  void Merge(const FeatureCounts& other);
  // The language of a feature counted for languages a and b (each a
  // language number, kNoLanguage or kManyLanguages).
  static uint16_t Join(uint16_t a, uint16_t b) {
    if (a == kNoLanguage) return b;
    if (b == kNoLanguage || a == b) return a;
    return kManyLanguages;
  }
  size_t size() const { return used_; }

 private:
  friend class IdfTable;
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static size_t Mix(uint32_t id) { return static_cast<size_t>(id * 0x9E3779B1u); }
  void Grow();
  LargeVector<uint64_t> slots_;  // id << 32 | count, or kEmpty
  LargeVector<uint16_t> langs_;  // each slot's language, kNoLanguage or kManyLanguages
  bool languages_ = true;         // langs_ kept (else empty)
  size_t mask_ = 0;
  size_t used_ = 0;
};

// Feature id → weight, for look-ups in the hot loop: 8-byte slots (id and
// weight), probed from the id's bits, about 16 bytes per feature; read-only
// once built (share it).
class IdfTable {
 public:
  explicit IdfTable(const absl::flat_hash_map<uint32_t, float>& weight);
  // The IDF weights (IdfWeights) of document frequencies `df` over `docs`
  // documents, made in df's slots; features that documents of one
  // language only were counted for (FeatureCounts::Add) are marked so.
  IdfTable(FeatureCounts&& df, uint32_t docs);
  struct Entry {
    float weight = 0;  // 0 if the id is not in the table
    // Counted for documents of one language only: such a feature cannot
    // be shared by two documents in different languages. Always false in
    // a table made from a map of weights.
    bool one_language = false;
  };
  Entry Find(uint32_t id) const {
    for (size_t i = Mix(id) & mask_;; i = (i + 1) & mask_) {
      const uint64_t s = slots_[i];
      if (s == kEmpty) return {};
      if (static_cast<uint32_t>(s >> 32) == id) {
        float w;
        const uint32_t bits = static_cast<uint32_t>(s) & ~kOneLanguageBit;
        std::memcpy(&w, &bits, sizeof w);
        return {w, (static_cast<uint32_t>(s) & kOneLanguageBit) != 0};
      }
    }
  }
  // The weight of `id`; 0 if it was not in the map.
  float operator()(uint32_t id) const { return Find(id).weight; }
  // Fetches `id`'s first slot into the cache ahead of its Find.
  void Prefetch(uint32_t id) const { __builtin_prefetch(&slots_[Mix(id) & mask_]); }
  // out[i] = Find(ids[i]) for each of a document's ids, each slot fetched
  // kFeatureTableAhead ids ahead (prefetch.h).
  void FindAll(std::span<const uint32_t> ids, Entry* out) const {
    VisitAhead(
        ids.size(), kFeatureTableAhead, [&](size_t i) { Prefetch(ids[i]); },
        [&](size_t i) { out[i] = Find(ids[i]); });
  }

 private:
  // An empty slot: weight bits all ones (a NaN, never a weight).
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  // Weights are > 0, so their sign bit is free: set, it marks a feature of
  // one language.
  static constexpr uint32_t kOneLanguageBit = 0x80000000u;
  static size_t Mix(uint32_t id) { return static_cast<size_t>(id * 0x9E3779B1u); }
  LargeVector<uint64_t> slots_;  // id << 32 | weight bits; weights are > 0
  size_t mask_ = 0;
};

// Feature weights from document frequencies over `docs` documents: the
// smoothed IDF ln(1 + docs / df), so rare features dominate and common
// ones keep a little weight (small inputs still compare). A run and
// `explain` both weigh features with it.
absl::flat_hash_map<uint32_t, float> IdfWeights(
    const absl::flat_hash_map<uint32_t, uint32_t>& df, uint32_t docs);
// One feature's weight: df documents of `docs` have it.
inline float IdfWeight(uint32_t docs, uint32_t df) {
  return static_cast<float>(std::log1p(static_cast<double>(docs) / df));
}

// The score of one pair of documents in languages a and b.
struct NullSample {
  std::string lang_a, lang_b;
  double score = 0;
};

// Scores of unrelated background pairs (different groups): `features[i]`
// (sorted ids) of `docs[i]`, weighted by `weight` (ids missing from it weigh
// 0). At most `max_pairs` per language pair, taken in file order, and
// scored on `threads` threads. A pair of languages is sampled from pairs of
// one source (a group's part before its first '/': one manual) when a
// source has both languages, and from pairs of two sources only when none
// has. Why: two unrelated sections of one manual share its domain's words,
// as the unrelated documents of one input do; a section of one
// manual and one of another share fewer, and a null drawn from such pairs
// stands too low (session 30, the seeds among 36,830 documents of c100k:
// ja-pt pairs scored 0.015 on average across two manuals, 0.028 within
// the Debian Edu manual; ja-de 0.024 within maint-guide).
std::vector<NullSample> BackgroundSamples(
    std::span<const BackgroundDoc> docs,
    std::span<const std::vector<uint32_t>> features,
    const IdfTable& weight, uint32_t max_pairs = 1000, int threads = 1);

// The input's random pairs for its null model (a run's, and explain's with
// a corpus): for each pair of languages i <= j, where `by_lang[i]` lists the
// documents of language i, every pair of two documents when there are at
// most `per_pair`, else `per_pair` drawn with a seed of that language pair
// (the same draws for the same lists, whatever else the input holds).
std::vector<std::pair<uint32_t, uint32_t>> NullPairs(
    std::span<const std::vector<uint32_t>> by_lang, uint64_t per_pair);
// Pairs per language pair that a run draws for its null model.
inline constexpr uint64_t kNullPairsPerLanguagePair = 500;

// Input pairs per language pair above which the background is not used.
inline constexpr uint32_t kMinCorpusPairs = 200;
// A language pair's deviation is at least this share of the pooled one
// (same-language or cross-language pairs), so that two languages whose
// unrelated documents share nothing do not make every shared feature a
// huge z (216 for an unrelated Estonian and Portuguese UDHR article,
// now 24; udhr-wide 0.732 -> 0.734). Below the deviation of every pair of languages with
// a lexicon on the evaluation sets, whose scores it leaves as they were
// (at 0.25 it reached one in GNOME's set and cost 0.002 of its F1).
inline constexpr double kMinSdShare = 0.1;

class NullModel {
 public:
  struct Stats {
    double mean = 0;
    double sd = 0;
    uint32_t pairs = 0;
    // (score - mean) / sd; 0 when sd is 0.
    double Z(double score) const { return sd > 0 ? (score - mean) / sd : 0.0; }
  };
  // `corpus`: scores of random pairs of input documents; `background`: of
  // unrelated background pairs.
  static NullModel Fit(std::span<const NullSample> corpus,
                       std::span<const NullSample> background);

  // Empty: no background, Z() is the raw score.
  bool empty() const { return pooled_cross_.pairs == 0 && pooled_same_.pairs == 0; }
  // The figures used for languages `a` and `b` (in either order).
  Stats For(std::string_view a, std::string_view b) const;
  double Z(std::string_view a, std::string_view b, double score) const;

 private:
  absl::flat_hash_map<std::string, Stats> by_pair_;  // "a|b", a <= b
  Stats pooled_same_, pooled_cross_;
};

template <typename WeightOf>
double WeightedJaccardBy(std::span<const uint32_t> a, double total_a,
                         std::span<const uint32_t> b, double total_b,
                         const WeightOf& weight_of) {
  // The union's weight is the two totals less the intersection's, so only
  // the intersection needs the merge; its weights are added in the order
  // of a, whichever way the common ids were found.
  thread_local std::vector<uint32_t> common;
  common.resize(std::min(a.size(), b.size()) + kCommonSlack);
  const size_t n = CommonPositions(a, b, common.data());
  double inter = 0;
  for (size_t k = 0; k < n; ++k) inter += weight_of(common[k]);
  const double uni = total_a + total_b - inter;
  return uni > 0 ? inter / uni : 0.0;
}

}  // namespace neardup

#endif  // NEARDUP_CALIBRATION_H_
