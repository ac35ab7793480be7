#include "neardup/lsh.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <bit>
#include <cmath>
#include <memory>
#include <numeric>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "neardup/cpu_features.h"
#include "neardup/radix_sort.h"
#include "neardup/thread_pool.h"

namespace neardup {
namespace {

// Composite Simpson's rule; the integrands are smooth polynomials.
template <typename F>
double Integrate(F f, double a, double b) {
  constexpr int kSteps = 200;  // even; the integrands are smooth
  const double h = (b - a) / kSteps;
  double sum = f(a) + f(b);
  for (int i = 1; i < kSteps; ++i) sum += f(a + i * h) * (i % 2 ? 4 : 2);
  return sum * h / 3;
}

// Sorts entries (key << 32 | doc) whose docs are already increasing by
// their keys alone: a stable LSD radix sort, three passes of 11 bits.
void SortByKey(std::span<uint64_t> v, LargeVector<uint64_t>* tmp) {
  constexpr int kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  tmp->resize(v.size());
  std::span<uint64_t> from = v, to = *tmp;
  for (int shift = 32; shift < 64; shift += kBits) {
    size_t count[kBuckets + 1] = {};
    for (uint64_t e : from) ++count[((e >> shift) & (kBuckets - 1)) + 1];
    for (size_t b = 1; b <= kBuckets; ++b) count[b] += count[b - 1];
    for (uint64_t e : from) to[count[(e >> shift) & (kBuckets - 1)]++] = e;
    std::swap(from, to);
  }
  if (from.data() != v.data()) std::copy(from.begin(), from.end(), v.begin());
}

}  // namespace

absl::Status LshOptions::Validate(int num_perm) const {
  if (!(threshold > 0 && threshold <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("threshold must be in (0, 1], got ", threshold));
  }
  if ((bands == 0) != (rows == 0)) {
    return absl::InvalidArgumentError(
        "bands and rows must be given together (or neither)");
  }
  if (bands < 0 || rows < 0 || static_cast<long>(bands) * rows > num_perm) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bands × rows (", bands, " × ", rows, ") must not exceed num_perm (",
        num_perm, ")"));
  }
  if (fp_weight < 0 || fn_weight < 0 || fp_weight + fn_weight <= 0) {
    return absl::InvalidArgumentError("LSH weights must be non-negative");
  }
  if (max_bucket_pairs_window < 1) {
    return absl::InvalidArgumentError("max_bucket_pairs_window must be >= 1");
  }
  return absl::OkStatus();
}

namespace {

// x to the power n >= 0, by squaring: std::pow made most of the start-up
// of a run on a few documents (ChooseLshParams evaluates the S-curve about
// 560,000 times for 128 permutations: 8-9 ms of a 40 ms run).
double IntPow(double x, int n) {
  double r = 1.0;
  for (; n > 0; n >>= 1, x *= x) {
    if (n & 1) r *= x;
  }
  return r;
}

}  // namespace

double DetectionProbability(double j, LshParams p) {
  return 1.0 - IntPow(1.0 - IntPow(j, p.rows), p.bands);
}

LshParams ChooseLshParams(double threshold, int num_perm, double fp_weight,
                          double fn_weight) {
  double best = INFINITY;
  LshParams opt{1, 1};
  for (int b = 1; b <= num_perm; ++b) {
    for (int r = 1; r <= num_perm / b; ++r) {
      const LshParams p{b, r};
      const double fp = Integrate(
          [&](double s) { return DetectionProbability(s, p); }, 0, threshold);
      const double fn = Integrate(
          [&](double s) { return 1 - DetectionProbability(s, p); }, threshold,
          1);
      const double error = fp * fp_weight + fn * fn_weight;
      if (error < best) {
        best = error;
        opt = p;
      }
    }
  }
  return opt;
}

LshParams ResolveLshParams(const LshOptions& options, int num_perm) {
  if (options.bands > 0) return LshParams{options.bands, options.rows};
  return ChooseLshParams(options.threshold, num_perm, options.fp_weight,
                         options.fn_weight);
}

absl::Status ValidateBucketTiers(std::span<const BucketTier> tiers, std::string_view what) {
  int units = 1;
  for (size_t i = 0; i < tiers.size(); ++i) {
    const BucketTier& t = tiers[i];
    if (t.up_to < 1 || t.bands < 1 || t.bands > 64 ||
        (i > 0 && (t.up_to <= tiers[i - 1].up_to || t.bands < tiers[i - 1].bands))) {
      return absl::InvalidArgumentError(absl::StrCat(
          std::string(what), ": bucket sizes must be >= 1 and increasing, and bands from 1 to 64, not "
          "decreasing; tier ", i + 1, " is up to ", t.up_to, " documents, ", t.bands, " bands"));
    }
    units = std::lcm(units, t.bands);
    if (units > 64) {
      return absl::InvalidArgumentError(absl::StrCat(
          std::string(what), ": the least common multiple of the tiers' bands must be at most 64"));
    }
  }
  return absl::OkStatus();
}

BandedIndex::BandedIndex(LshParams params, int max_bucket_pairs_window,
                         std::vector<BucketTier> tiers)
    : params_(params), window_(max_bucket_pairs_window), tiers_(std::move(tiers)) {
  assert(ValidateBucketTiers(tiers_, "BandedIndex").ok());
  if (!tiers_.empty()) skip_over_ = tiers_.back().up_to;
  for (const BucketTier& t : tiers_) units_ = std::lcm(units_, t.bands);
}

uint32_t BandedIndex::BandKey(const uint32_t* mins, int band) const {
  if (params_.rows == 1) return mins[band];
  const uint64_t h = XXH3_64bits_withSeed(mins + band * params_.rows,
                                          sizeof(uint32_t) * params_.rows,
                                          static_cast<uint64_t>(band));
  return static_cast<uint32_t>(h ^ (h >> 32));
}

void BandedIndex::Reserve(size_t docs) {
  docs_.reserve(docs);
  keys_.reserve(docs * params_.bands);
}

void BandedIndex::Add(uint32_t doc, const uint32_t* mins) {
  docs_in_order_ = docs_in_order_ && (docs_.empty() || doc > docs_.back());
  docs_.push_back(doc);
  max_doc_ = std::max(max_doc_, doc);
  const size_t at = keys_.size();
  keys_.resize(at + params_.bands);  // not zeroed: written just below
  uint32_t* keys = keys_.data() + at;
  if (params_.rows == 1) {
    std::copy(mins, mins + params_.bands, keys);
  } else {
    for (int b = 0; b < params_.bands; ++b) keys[b] = BandKey(mins, b);
  }
  ++size_;
}

void BandedIndex::AddAll(std::span<const uint32_t> docs, const uint32_t* mins,
                         size_t stride) {
  if (params_.rows != 1 || size_ > 0) {
    for (uint32_t d : docs) Add(d, mins + d * stride);
    return;
  }
  docs_.assign(docs.begin(), docs.end());
  docs_in_order_ = std::is_sorted(docs.begin(), docs.end());
  for (uint32_t d : docs) max_doc_ = std::max(max_doc_, d);
  borrowed_ = mins;
  stride_ = stride;
  size_ = docs.size();
}

void BandedIndex::Freeze(int threads) {
  // Bands are independent: the threads transpose and sort them a group of
  // adjacent bands per pass over the keys, each taking the next group as
  // it comes free, four groups a thread at least (with a fixed share of
  // three groups each, one thread worked alone for a third of this step
  // among 100,000 documents). A band is the same whichever thread makes it.
  const int num_bands = params_.bands;
  const int n = std::max(1, std::min(threads, num_bands));
  const int group = std::max(1, std::min(16, num_bands / (4 * n)));
  const int groups = (num_bands + group - 1) / group;
  const size_t docs = docs_.size();
  bands_.assign(num_bands, LargeVector<uint64_t>());
  std::atomic<int> next_group{0};
  auto work = [&](int) {
    LargeVector<uint64_t> tmp;
    for (int g; (g = next_group.fetch_add(1, std::memory_order_relaxed)) < groups;) {
      const int first = g * group, last = std::min(num_bands, first + group);
      for (int b = first; b < last; ++b) bands_[b].resize(docs);
      for (size_t i = 0; i < docs; ++i) {
        const uint32_t* k = borrowed_ != nullptr ? borrowed_ + docs_[i] * stride_
                                                 : &keys_[i * num_bands];
        for (int b = first; b < last; ++b) {
          bands_[b][i] = static_cast<uint64_t>(k[b]) << 32 | docs_[i];
        }
      }
      for (int b = first; b < last; ++b) {
        LargeVector<uint64_t>& band = bands_[b];
        if (docs_in_order_) {
          SortByKey(band, &tmp);
        } else {
          std::sort(band.begin(), band.end());
        }
        if (skip_over_ > 0) DropSkippedBuckets(&band);
      }
    }
  };
  RunOnThreads(n, work);
  LargeVector<uint32_t>().swap(docs_);
  LargeVector<uint32_t>().swap(keys_);
  borrowed_ = nullptr;
  thin_class_of_ = {};
  threads_ = std::max(1, threads);
  frozen_ = true;
}

void BandedIndex::DropSkippedBuckets(LargeVector<uint64_t>* band) const {
  // Members per class of the bucket at hand, and the classes counted.
  std::vector<uint32_t> count;
  std::vector<uint16_t> counted;
  auto class_of = [&](uint64_t e) { return thin_class_of_[static_cast<uint32_t>(e)]; };
  size_t kept = 0;
  for (size_t i = 0; i < band->size();) {
    size_t j = i + 1;
    while (j < band->size() && ((*band)[j] >> 32) == ((*band)[i] >> 32)) ++j;
    if (j - i <= static_cast<size_t>(skip_over_)) {
      for (size_t k = i; k < j; ++k) (*band)[kept++] = (*band)[k];
    } else if (!thin_class_of_.empty()) {  // kept without its largest class, if it can be
      for (size_t k = i; k < j; ++k) {
        const uint16_t c = class_of((*band)[k]);
        if (c >= count.size()) count.resize(c + 1, 0);
        if (count[c]++ == 0) counted.push_back(c);
      }
      uint16_t most = counted.front();
      for (uint16_t c : counted) {
        if (count[c] > count[most] || (count[c] == count[most] && c < most)) most = c;
      }
      const size_t rest = (j - i) - count[most];
      if (counted.size() >= 3 && rest <= std::min<size_t>(skip_over_, thin_max_kept_) &&
          10 * rest <= j - i) {  // the class fills 90 % of it or more
        for (size_t k = i; k < j; ++k) {
          if (class_of((*band)[k]) != most) (*band)[kept++] = (*band)[k];
        }
      }
      for (uint16_t c : counted) count[c] = 0;
      counted.clear();
    }
    i = j;
  }
  // A copy of the right size, so that the rest of the memory goes back now.
  LargeVector<uint64_t> fitted(band->begin(), band->begin() + kept);
  band->swap(fitted);
}

namespace {
// Below this many pair occurrences, CandidatePairs merges them on one
// thread (c10k's translation candidates: 0.33 million occurrences).
constexpr size_t kParallelMergeOccurrences = size_t{1} << 20;
}  // namespace

std::vector<DocPair> BandedIndex::CandidatePairs(const PairFilter& filter) const {
  auto key = [](uint64_t e) { return static_cast<uint32_t>(e >> 32); };
  auto doc = [](uint64_t e) { return static_cast<uint32_t>(e); };
  auto admit = [&](uint32_t x, uint32_t y) {
    if (!filter.class_of.empty() &&
        (filter.class_of[x] == filter.class_of[y]) != filter.same_class) {
      return false;
    }
    return filter.involving.empty() || filter.involving[x] || filter.involving[y];
  };
  // Pairs across classes, each once, from the large buckets without
  // listing every pair they hold (LargePairsAcrossClasses, which pairs a
  // bucket's members in full: only where no window applies); other filters
  // list them all, as the small buckets' pairs are.
  const bool large_apart = units_ > 1 && filter.large_buckets && !filter.class_of.empty() &&
                           !filter.same_class && filter.involving.empty() &&
                           filter.min_shared <= 1 && window_ >= skip_over_;
  const size_t num_tiers = std::max<size_t>(1, tiers_.size());
  // The buckets of band b that take part, as visit(members, tier); the
  // members of a bucket are in increasing doc order (buckets over the cap
  // were dropped at Freeze).
  auto for_each_bucket = [&](size_t b, auto&& visit) {
    const std::span<const uint64_t> band = Band(b);
    size_t i = 0;
    while (i < band.size()) {
      size_t j = i + 1;
      while (j < band.size() && key(band[j]) == key(band[i])) ++j;
      const size_t tier = TierOf(j - i);
      const bool large = TierWeight(tier) < units_;
      if (!(large && (!filter.large_buckets || large_apart)) &&
          (filter.involving.empty() ||
           std::any_of(band.begin() + i, band.begin() + j,
                       [&](uint64_t e) { return filter.involving[doc(e)] != 0; }))) {
        visit(band.subspan(i, j - i), tier);
      }
      i = j;
    }
  };
  // Each thread scans a share of the bands and sorts what it found; a pair
  // appears once per band it shares, among the pairs of its bucket's tier.
  // Pairs are packed into one number, first << bits | second, which sorts
  // as the pair does.
  const int bits = std::max(1, static_cast<int>(std::bit_width(max_doc_)));
  using Found = std::vector<std::vector<uint64_t>>;  // by tier
  auto scan = [&](int t, int n, Found* found) {
    found->resize(num_tiers);
    for (size_t b = t; b < static_cast<size_t>(params_.bands); b += n) {
      for_each_bucket(b, [&](std::span<const uint64_t> members, size_t tier) {
        std::vector<uint64_t>& pairs = (*found)[tier];
        for (size_t m = 1; m < members.size(); ++m) {
          const size_t from = m > static_cast<size_t>(window_) ? m - window_ : 0;
          for (size_t k = from; k < m; ++k) {
            if (admit(doc(members[k]), doc(members[m]))) {
              pairs.push_back(static_cast<uint64_t>(doc(members[k])) << bits | doc(members[m]));
            }
          }
        }
      });
    }
    for (std::vector<uint64_t>& pairs : *found) SortPacked(&pairs, 2 * bits);
  };
  const int n = std::max(1, std::min<int>(threads_, params_.bands));
  std::vector<Found> found(n);
  RunOnThreads(n, [&](int t) { scan(t, n, &found[t]); });
  std::vector<std::vector<uint64_t>> apart;
  if (large_apart) apart = LargePairsAcrossClasses(filter.class_of, bits);
  // Each distinct pair, with how many buckets it shares and the evidence
  // they add up to, from the sorted runs (merged by their heads, without
  // copying them: up to a run a tier and thread, each pair a scan of the
  // heads, as cheap as the pairwise merges it replaced on 2-16 threads). A
  // pair of `apart` has a candidate's evidence from large buckets already.
  struct Run {
    const uint64_t* at;
    const uint64_t* end;
    int weight;  // the evidence of one occurrence, in units_
  };
  std::vector<Run> runs;
  auto add_run = [&](const std::vector<uint64_t>& v, int weight) {
    if (!v.empty()) runs.push_back({v.data(), v.data() + v.size(), weight});
  };
  for (const Found& f : found) {
    for (size_t t = 0; t < f.size(); ++t) {
      add_run(f[t], TierWeight(t));
    }
  }
  for (const std::vector<uint64_t>& v : apart) add_run(v, units_);
  const uint64_t second_mask = (uint64_t{1} << bits) - 1;
  auto merge = [&](std::vector<Run> runs, std::vector<DocPair>* pairs) {
    std::erase_if(runs, [](const Run& r) { return r.at == r.end; });
    while (!runs.empty()) {
      uint64_t p = *runs[0].at;
      for (size_t r = 1; r < runs.size(); ++r) p = std::min(p, *runs[r].at);
      size_t shared = 0;
      int evidence = 0;
      for (Run& r : runs) {
        while (r.at != r.end && *r.at == p) {
          ++r.at;
          ++shared;
          evidence += r.weight;
        }
      }
      std::erase_if(runs, [](const Run& r) { return r.at == r.end; });
      if (shared >= static_cast<size_t>(filter.min_shared) && evidence >= units_) {
        pairs->push_back(DocPair{static_cast<uint32_t>(p >> bits),
                                 static_cast<uint32_t>(p & second_mask)});
      }
    }
  };
  // The merge on the threads too, each over a range of pairs (cut at
  // pairs of the longest run, so that the ranges hold about as many): on
  // one thread it was the step's part that did not shrink with threads
  // (the translation candidates: 1.4 million occurrences among c100k,
  // 4.4 million among a million documents).
  size_t total = 0;
  const Run* longest = nullptr;
  for (const Run& r : runs) {
    total += static_cast<size_t>(r.end - r.at);
    if (longest == nullptr || r.end - r.at > longest->end - longest->at) longest = &r;
  }
  const int parts = total >= kParallelMergeOccurrences ? n : 1;
  if (parts == 1) {
    std::vector<DocPair> pairs;
    merge(std::move(runs), &pairs);
    return pairs;
  }
  // Range t holds the pairs from cut[t] up to cut[t + 1], exclusive.
  std::vector<uint64_t> cut(parts + 1, 0);
  cut[parts] = ~uint64_t{0};
  const size_t len = static_cast<size_t>(longest->end - longest->at);
  for (int t = 1; t < parts; ++t) cut[t] = longest->at[len * t / parts];
  std::vector<std::vector<DocPair>> part(parts);
  RunOnThreads(parts, [&](int t) {
    std::vector<Run> mine;
    for (const Run& r : runs) {
      const uint64_t* from = std::lower_bound(r.at, r.end, cut[t]);
      const uint64_t* to = t + 1 == parts ? r.end : std::lower_bound(r.at, r.end, cut[t + 1]);
      mine.push_back({from, to, r.weight});
    }
    merge(std::move(mine), &part[t]);
  });
  std::vector<DocPair> pairs;
  size_t count = 0;
  for (const auto& p : part) count += p.size();
  pairs.reserve(count);
  for (const auto& p : part) pairs.insert(pairs.end(), p.begin(), p.end());
  return pairs;
}

namespace {

// The evidence count of LargePairsAcrossClasses: `weight` added to the
// evidence of each of an anchor's partners in one bucket (met[x]: the
// anchor's turn << kCountBits | the count, which stops at kMaxCount), and
// each pair whose evidence reaches `units` with it appended to `found`
// (first << bits | second). The partners of one bucket are distinct
// documents.
struct EvidenceTurn {
  uint32_t base;  // the turn << kCountBits
  uint32_t units;
  uint32_t anchor;
  int bits;
};
// Counts go on past a candidate's evidence (at most 64), for
// KeepStrongestLargePairs to rank the partners by.
constexpr int kCountBits = 11;
constexpr uint32_t kMaxCount = (uint32_t{1} << kCountBits) - 1;
constexpr uint32_t kMaxTurns = uint32_t{1} << (32 - kCountBits);  // turn << kCountBits fits
constexpr size_t kSeatsAhead = 8;
using AddEvidenceFn = void (*)(uint32_t* met, const uint32_t* partners, uint32_t count,
                               uint32_t weight, const EvidenceTurn& now,
                               std::vector<uint64_t>* found);

// The pair of partner x and the anchor, packed as the runs hold pairs.
inline uint64_t WithAnchor(uint32_t x, const EvidenceTurn& now) {
  return static_cast<uint64_t>(std::min(x, now.anchor)) << now.bits | std::max(x, now.anchor);
}

inline void AddEvidenceOne(uint32_t* __restrict met, uint32_t x, uint32_t weight,
                           const EvidenceTurn& now, std::vector<uint64_t>* found) {
  const uint32_t d = met[x] - now.base;  // wraps for an earlier turn
  const uint32_t before = d <= kMaxCount ? d : 0;
  // Without a branch but where a pair is found (rare).
  const uint32_t after = std::min(before + weight, kMaxCount);
  met[x] = now.base | after;
  if (before < now.units && after >= now.units) [[unlikely]] {
    found->push_back(WithAnchor(x, now));
  }
}

void AddEvidenceScalar(uint32_t* met, const uint32_t* partners, uint32_t count,
                       uint32_t weight, const EvidenceTurn& now, std::vector<uint64_t>* found) {
  for (uint32_t k = 0; k < count; ++k) AddEvidenceOne(met, partners[k], weight, now, found);
}

// 16 partners at a time: their counts gathered, added to and scattered
// back (a bucket's partners are distinct, so no two lanes write one
// count). Among a million documents (/tmp/p/c1m.jsonl of performance.md)
// the count took 0.94-1.48 s in six runs; one partner at a time it took
// 2.39-2.57 s with these 32-bit counts, and 1.43-2.62 s with the 16-bit
// ones before (the host's memory was slow in some runs: one partner at a
// time waits on it the most). Among c100k's 27.6 million partner visits:
// 0.039 s against 0.046 s.
__attribute__((target("avx512f"))) void AddEvidenceAvx512(uint32_t* met,
                                                          const uint32_t* partners,
                                                          uint32_t count, uint32_t weight,
                                                          const EvidenceTurn& now,
                                                          std::vector<uint64_t>* found) {
  const __m512i base = _mm512_set1_epi32(static_cast<int>(now.base));
  const __m512i limit = _mm512_set1_epi32(kMaxCount + 1);
  const __m512i most = _mm512_set1_epi32(kMaxCount);
  const __m512i units = _mm512_set1_epi32(static_cast<int>(now.units));
  const __m512i add = _mm512_set1_epi32(static_cast<int>(weight));
  uint32_t k = 0;
  for (; k + 16 <= count; k += 16) {
    const __m512i x = _mm512_loadu_si512(partners + k);
    // (The masked gather: GCC 12 warns of the plain one's unset source.)
    const __m512i counts =
        _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), 0xFFFF, x, met, 4);
    const __m512i d = _mm512_sub_epi32(counts, base);
    const __m512i before = _mm512_maskz_mov_epi32(_mm512_cmplt_epu32_mask(d, limit), d);
    const __mmask16 below = _mm512_cmplt_epu32_mask(before, units);
    // (The zero-masked minimum: GCC 12 warns of the plain one's unset source.)
    const __m512i after = _mm512_maskz_min_epu32(0xFFFF, _mm512_add_epi32(before, add), most);
    _mm512_i32scatter_epi32(met, x, _mm512_or_si512(base, after), 4);
    const __mmask16 reached = below & _mm512_cmpge_epu32_mask(after, units);
    if (reached != 0) [[unlikely]] {
      alignas(64) uint32_t lanes[16];
      _mm512_store_si512(lanes, x);
      for (unsigned m = reached; m != 0; m &= m - 1) {
        found->push_back(WithAnchor(lanes[__builtin_ctz(m)], now));
      }
    }
  }
  for (; k < count; ++k) AddEvidenceOne(met, partners[k], weight, now, found);
}

std::atomic<bool> one_at_a_time{false};  // CountEvidenceOneAtATimeForTesting

// A pair that large buckets make a candidate, found from its anchor's side
// (LargePairsAcrossClasses).
struct FoundPair {
  uint32_t partner, anchor;
  uint32_t count_kept;  // the evidence << 1 | 1 if among the anchor's strongest
};

// A thread's found pairs, in blocks of kFoundBlock: appended without moving
// what is there (grown by doubling, a vector of them touched about twice
// its memory fresh: 0.15 GB more among a million documents).
using FoundBlocks = std::vector<std::vector<FoundPair>>;
constexpr size_t kFoundBlock = size_t{1} << 16;
void Append(const FoundPair& p, FoundBlocks* blocks) {
  if (blocks->empty() || blocks->back().size() == kFoundBlock) {
    blocks->emplace_back();
    blocks->back().reserve(kFoundBlock);
  }
  blocks->back().push_back(p);
}

// Calls fn(entry, place) for each entry of `sorted` (ascending), `place`
// being its rank among the entries that share the bits from `class_shift`
// up (a class): both sides of KeepStrongestLargePairs rank so.
template <typename Fn>
void RankWithinClass(std::span<const uint64_t> sorted, int class_shift, const Fn& fn) {
  size_t place = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && sorted[i] >> class_shift != sorted[i - 1] >> class_shift) place = 0;
    fn(sorted[i], place++);
  }
}

// The partners' side of KeepStrongestLargePairs: each pair of `found` is
// ranked among its partner's pairs with documents of the anchor's class,
// by evidence, then by the anchor's number; a pair among the first `k`
// there, or kept on its anchor's side, goes to `out`, packed as
// CandidatePairs packs pairs: one sorted run a thread, each over a share
// of the partners (a counting sort by partner first). Empties `found`.
void KeepStrongestPairs(std::span<const uint16_t> class_of, int bits, size_t k, int threads,
                        std::vector<FoundBlocks>* found,
                        std::vector<std::vector<uint64_t>>* out) {
  const size_t docs = class_of.size();
  // Partner x's pairs go to by_partner[start[x]] to by_partner[start[x + 1] - 1].
  std::vector<size_t> start(docs + 1, 0);
  for (const FoundBlocks& f : *found) {
    for (const std::vector<FoundPair>& block : f) {
      for (const FoundPair& p : block) ++start[p.partner + 1];
    }
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  const size_t total = start[docs];
  std::vector<size_t> share(threads + 1, docs);  // thread t: partners share[t] to share[t + 1] - 1
  share[0] = 0;
  for (int t = 1; t < threads; ++t) {
    const size_t x = std::lower_bound(start.begin(), start.end(), total * t / threads) - start.begin();
    share[t] = std::clamp(x, share[t - 1], docs);
  }
  LargeVector<uint64_t> by_partner(total);  // (not zeroed: each is written)
  out->assign(threads, {});
  RunOnThreads(threads, [&](int t) {
    const size_t lo = share[t], hi = share[t + 1];
    std::vector<size_t> fill(start.begin() + lo, start.begin() + hi);
    // Each as the anchor's class << 44 | (kMaxCount - evidence) << 33 |
    // the anchor << 1 | kept on its side: sorted, the strongest first.
    for (const FoundBlocks& f : *found) {
      for (const std::vector<FoundPair>& block : f) {
        for (const FoundPair& p : block) {
          if (p.partner < lo || p.partner >= hi) continue;
          by_partner[fill[p.partner - lo]++] =
              uint64_t{class_of[p.anchor]} << 44 |
              uint64_t{kMaxCount - (p.count_kept >> 1)} << 33 | uint64_t{p.anchor} << 1 |
              (p.count_kept & 1);
        }
      }
    }
    std::vector<uint64_t>& mine = (*out)[t];
    // As many as its share's pairs at most: reserved, not touched, so that
    // it is not copied as it grows.
    mine.reserve(start[hi] - start[lo]);
    for (size_t x = lo; x < hi; ++x) {
      const std::span<uint64_t> pairs(by_partner.data() + start[x], start[x + 1] - start[x]);
      std::sort(pairs.begin(), pairs.end());
      RankWithinClass(pairs, 44,
                      [&](uint64_t e, size_t place) {
                        if (place < k || (e & 1) != 0) {
                          const uint64_t a = static_cast<uint32_t>(e >> 1);
                          mine.push_back(std::min<uint64_t>(x, a) << bits |
                                         std::max<uint64_t>(x, a));
                        }
                      });
    }
    SortPacked(&mine, 2 * bits);
  });
  std::vector<FoundBlocks>().swap(*found);
}

AddEvidenceFn AddEvidenceFor() {
  return CpuHasAvx512() && !one_at_a_time.load(std::memory_order_relaxed) ? &AddEvidenceAvx512
                                                                   : &AddEvidenceScalar;
}

}  // namespace

void CountEvidenceOneAtATimeForTesting(bool on) { one_at_a_time.store(on); }

std::vector<std::vector<uint64_t>> BandedIndex::LargePairsAcrossClasses(
    std::span<const uint16_t> class_of, int bits) const {
  // Classes ranked by how many documents they have (then by number): a
  // pair is found from its member of the lower rank, its anchor, which in
  // a large bucket is mostly one of a few documents among many of one
  // language.
  std::vector<uint32_t> population;
  for (uint16_t c : class_of) {
    if (c >= population.size()) population.resize(c + 1, 0);
    ++population[c];
  }
  std::vector<uint16_t> by_size(population.size());
  std::iota(by_size.begin(), by_size.end(), uint16_t{0});
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](uint16_t x, uint16_t y) { return population[x] < population[y]; });
  std::vector<uint16_t> rank(population.size());
  for (size_t r = 0; r < by_size.size(); ++r) rank[by_size[r]] = static_cast<uint16_t>(r);
  auto rank_of = [&](uint64_t e) { return rank[class_of[static_cast<uint32_t>(e)]]; };

  // Where each anchor sits: its large buckets, each copied once (to the
  // thread's `members`) in decreasing rank, so that an anchor's partners
  // are the first `partners` of them and counting reads them in order.
  struct Seat {
    size_t members_at;  // in members[thread]
    uint32_t doc, size, partners, thread;
  };
  const int n = std::max(1, std::min<int>(threads_, params_.bands));
  std::vector<std::vector<Seat>> seats(n);
  std::vector<std::vector<uint32_t>> members(n);
  RunOnThreads(n, [&](int t) {
    std::vector<uint64_t> by_rank;  // (max rank - rank) << 32 | doc
    for (size_t b = t; b < static_cast<size_t>(params_.bands); b += n) {
      const std::span<const uint64_t> band = Band(b);
      size_t i = 0;
      while (i < band.size()) {
        size_t j = i + 1;
        while (j < band.size() && (band[j] >> 32) == (band[i] >> 32)) ++j;
        if (IsLarge(j - i)) {
          by_rank.clear();
          for (size_t k = i; k < j; ++k) {
            by_rank.push_back(static_cast<uint64_t>(0xFFFF - rank_of(band[k])) << 32 |
                              static_cast<uint32_t>(band[k]));
          }
          // (One class: no pair.)
          if (std::any_of(by_rank.begin(), by_rank.end(),
                          [&](uint64_t e) { return e >> 32 != by_rank.front() >> 32; })) {
            std::sort(by_rank.begin(), by_rank.end());
            const size_t at = members[t].size();
            uint32_t group = 0;  // where the current rank's members start
            for (uint32_t k = 0; k < by_rank.size(); ++k) {
              if (by_rank[k] >> 32 != by_rank[group] >> 32) group = k;
              members[t].push_back(static_cast<uint32_t>(by_rank[k]));
              if (group > 0) {  // below the top rank: an anchor
                seats[t].push_back({at, static_cast<uint32_t>(by_rank[k]),
                                    static_cast<uint32_t>(j - i), group, static_cast<uint32_t>(t)});
              }
            }
          }
        }
        i = j;
      }
    }
  });
  // The seats by anchor, each anchor's in (thread, members_at) order: a
  // stable counting sort by document of the threads' seats taken in
  // thread order, each thread's being in members_at order already. (It
  // was one sort of them all, which among 100,000 documents took most of
  // this function's time, on one thread.)
  std::vector<uint32_t> next(class_of.size() + 1, 0);  // where each document's go
  for (const std::vector<Seat>& s : seats) {
    for (const Seat& seat : s) ++next[seat.doc + 1];
  }
  std::partial_sum(next.begin(), next.end(), next.begin());
  std::vector<Seat> all(next.back());
  for (std::vector<Seat>& s : seats) {
    for (const Seat& seat : s) all[next[seat.doc]++] = seat;
    std::vector<Seat>().swap(s);
  }
  // The threads take the anchors in chunks, each the next one left, and
  // add up each anchor's evidence with each partner (a member of a higher
  // rank) over its buckets: when it reaches a candidate's, the pair is
  // found. The chunks hold about as many partners (a seat's work), not as
  // many seats: seats have from one partner to thousands, and with a fixed
  // share of the seats each, one thread counted alone for up to a third of
  // this step among a million documents. (Which thread finds a pair does not
  // change the pairs: they are merged by value.)
  constexpr uint64_t kSeatWork = 16;  // a seat's own cost, in partners
  constexpr uint64_t kChunksPerThread = 64;
  uint64_t total_work = 0;
  for (const Seat& seat : all) total_work += seat.partners + kSeatWork;
  std::vector<size_t> cut = {0};  // chunk c: the seats from cut[c] to cut[c + 1]
  {
    const uint64_t chunks = kChunksPerThread * static_cast<uint64_t>(n);
    uint64_t work = 0;
    size_t at = 0;
    for (uint64_t c = 1; c < chunks && at < all.size(); ++c) {
      const uint64_t share = total_work * c / chunks;
      while (at < all.size() && (work < share || (at > 0 && all[at].doc == all[at - 1].doc))) {
        work += all[at++].partners + kSeatWork;
      }
      if (at > cut.back()) cut.push_back(at);
    }
    if (all.size() > cut.back()) cut.push_back(all.size());
  }
  std::atomic<size_t> next_chunk{0};
  std::vector<std::vector<uint64_t>> out(n);
  const uint32_t units = static_cast<uint32_t>(units_);  // at most 64
  const AddEvidenceFn add_evidence = AddEvidenceFor();
  // With KeepStrongestLargePairs, each pair found, kept for the partners'
  // side (KeepStrongestPairs) instead of in `out`.
  std::vector<FoundBlocks> found(strongest_ > 0 ? n : 0);
  RunOnThreads(n, [&](int t) {
    // Each document's evidence with the current anchor: the anchor's turn
    // above the low kCountBits bits, the count in them (32 bits, so that 16
    // can be gathered at once). A count of an earlier turn reads as 0, so
    // nothing is reset between anchors (resetting each anchor's partners
    // one by one took about a third of this loop).
    std::vector<uint32_t> met(class_of.size(), 0);
    std::vector<uint64_t> ranked;  // an anchor's partners: class, evidence, number
    uint32_t turn = 0;
    for (size_t c; (c = next_chunk.fetch_add(1, std::memory_order_relaxed)) + 1 < cut.size();) {
      const size_t end = cut[c + 1];
      for (size_t a = cut[c]; a < end;) {
        const uint32_t anchor = all[a].doc;
        if (++turn == kMaxTurns) {
          std::fill(met.begin(), met.end(), 0u);
          turn = 1;
        }
        const EvidenceTurn now{turn << kCountBits, units, anchor, bits};
        const size_t first_found = out[t].size();
        for (; a < end && all[a].doc == anchor; ++a) {
          const Seat& seat = all[a];
          // Each seat's partners are elsewhere in `members`: the first
          // lines of a later seat's are asked for now (among a million
          // documents the count took 1.16 and 1.42 s so, 1.29 and 1.65 s
          // without).
          if (a + kSeatsAhead < end) {
            const Seat& later = all[a + kSeatsAhead];
            const uint32_t* p = members[later.thread].data() + later.members_at;
            __builtin_prefetch(p);
            __builtin_prefetch(p + 16);
          }
          add_evidence(met.data(), members[seat.thread].data() + seat.members_at,
                       seat.partners, static_cast<uint32_t>(Weight(seat.size)), now, &out[t]);
        }
        if (strongest_ == 0) continue;
        // The anchor's partners ranked per class: by evidence, then by
        // number; the first strongest_ of each class are kept on its side.
        ranked.clear();
        const uint64_t second_mask = (uint64_t{1} << bits) - 1;
        for (size_t i = first_found; i < out[t].size(); ++i) {
          const uint64_t p = out[t][i];
          const uint32_t x = static_cast<uint32_t>(p >> bits) == anchor
                                 ? static_cast<uint32_t>(p & second_mask)
                                 : static_cast<uint32_t>(p >> bits);
          const uint64_t count = met[x] - now.base;
          ranked.push_back(uint64_t{class_of[x]} << 48 | (kMaxCount - count) << 32 | x);
        }
        out[t].resize(first_found);
        std::sort(ranked.begin(), ranked.end());
        RankWithinClass(ranked, 48, [&](uint64_t e, size_t place) {
          const uint32_t count = kMaxCount - static_cast<uint32_t>(e >> 32 & kMaxCount);
          Append({static_cast<uint32_t>(e), anchor, count << 1 | (place < strongest_ ? 1u : 0u)},
                 &found[t]);
        });
      }
    }
    SortPacked(&out[t], 2 * bits);
  });
  if (strongest_ > 0) KeepStrongestPairs(class_of, bits, strongest_, n, &found, &out);
  return out;
}

std::vector<uint32_t> BandedIndex::Query(const uint32_t* mins, int min_shared) const {
  // Each document found, << 7, | the evidence of its bucket (at most 64):
  // the same rule as CandidatePairs.
  std::vector<uint64_t> found;
  for (int b = 0; b < params_.bands; ++b) {
    const uint64_t key = BandKey(mins, b);
    const std::span<const uint64_t> band = Band(b);
    const auto first = std::lower_bound(band.begin(), band.end(), key << 32);
    auto last = first;
    while (last != band.end() && (*last >> 32) == key) ++last;
    const uint64_t weight = static_cast<uint64_t>(Weight(static_cast<size_t>(last - first)));
    for (auto it = first; it != last; ++it) {
      found.push_back(static_cast<uint64_t>(static_cast<uint32_t>(*it)) << 7 | weight);
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<uint32_t> out;
  for (size_t i = 0; i < found.size();) {
    size_t j = i;
    int evidence = 0;
    while (j < found.size() && (found[j] >> 7) == (found[i] >> 7)) {
      evidence += static_cast<int>(found[j++] & 127);
    }
    const size_t shared = j - i;
    if (shared >= static_cast<size_t>(min_shared) && evidence >= units_) {
      out.push_back(static_cast<uint32_t>(found[i] >> 7));
    }
    i = j;
  }
  return out;
}

}  // namespace neardup
