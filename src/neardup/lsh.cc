#include "neardup/lsh.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "absl/strings/str_cat.h"
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

// Sorts values below 2^bits: a LSD radix sort in passes of at most 12
// bits (candidate pairs packed as first << b | second, b the width of the
// largest document number: 3 passes up to 2^18 documents, where
// std::sort took 2.5 % of a 10,000-document run).
void SortPacked(std::vector<uint64_t>* v, int bits) {
  const int passes = std::max(1, (bits + 11) / 12);
  const int width = (bits + passes - 1) / passes;
  const uint64_t mask = (uint64_t{1} << width) - 1;
  std::vector<uint64_t> tmp(v->size());
  std::vector<size_t> count(mask + 2);
  for (int shift = 0; shift < bits; shift += width) {
    std::fill(count.begin(), count.end(), 0);
    for (uint64_t e : *v) ++count[((e >> shift) & mask) + 1];
    for (size_t b = 1; b < count.size(); ++b) count[b] += count[b - 1];
    for (uint64_t e : *v) tmp[count[(e >> shift) & mask]++] = e;
    v->swap(tmp);
  }
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

BandedIndex::BandedIndex(LshParams params, int max_bucket_pairs_window,
                         int skip_buckets_over)
    : params_(params),
      window_(max_bucket_pairs_window),
      skip_over_(skip_buckets_over) {}

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
  // Bands are independent: each thread transposes and sorts a share of
  // them, a group of adjacent bands per pass over the keys.
  const int num_bands = params_.bands;
  const int n = std::max(1, std::min(threads, num_bands));
  const int group = std::min(16, (num_bands + n - 1) / n);
  const int groups = (num_bands + group - 1) / group;
  const size_t docs = docs_.size();
  bands_.assign(num_bands, LargeVector<uint64_t>());
  auto work = [&](int t) {
    LargeVector<uint64_t> tmp;
    for (int g = t; g < groups; g += n) {
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
  threads_ = std::max(1, threads);
  frozen_ = true;
}

void BandedIndex::DropSkippedBuckets(LargeVector<uint64_t>* band) const {
  size_t kept = 0;
  for (size_t i = 0; i < band->size();) {
    size_t j = i + 1;
    while (j < band->size() && ((*band)[j] >> 32) == ((*band)[i] >> 32)) ++j;
    if (j - i <= static_cast<size_t>(skip_over_)) {
      for (size_t k = i; k < j; ++k) (*band)[kept++] = (*band)[k];
    }
    i = j;
  }
  // A copy of the right size, so that the rest of the memory goes back now.
  LargeVector<uint64_t> fitted(band->begin(), band->begin() + kept);
  band->swap(fitted);
}

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
  // Each thread scans a share of the bands and sorts what it found; a pair
  // appears once per band it shares. Pairs are packed into one number,
  // first << bits | second, which sorts as the pair does.
  const int bits = std::max(1, static_cast<int>(std::bit_width(max_doc_)));
  auto scan = [&](int t, int n, std::vector<uint64_t>* pairs) {
    for (size_t b = t; b < static_cast<size_t>(params_.bands); b += n) {
      const std::span<const uint64_t> band = Band(b);
      size_t i = 0;
      while (i < band.size()) {
        size_t j = i + 1;
        while (j < band.size() && key(band[j]) == key(band[i])) ++j;
        // Members i..j-1 share the bucket, in increasing doc order (a
        // bucket over the cap was dropped at Freeze).
        if (!filter.involving.empty() &&
            std::none_of(band.begin() + i, band.begin() + j,
                         [&](uint64_t e) { return filter.involving[doc(e)] != 0; })) {
          i = j;
          continue;
        }
        for (size_t m = i + 1; m < j; ++m) {
          const size_t from =
              m - i > static_cast<size_t>(window_) ? m - window_ : i;
          for (size_t k = from; k < m; ++k) {
            if (admit(doc(band[k]), doc(band[m]))) {
              pairs->push_back(static_cast<uint64_t>(doc(band[k])) << bits | doc(band[m]));
            }
          }
        }
        i = j;
      }
    }
    SortPacked(pairs, 2 * bits);
  };
  const int n = std::max(1, std::min<int>(threads_, params_.bands));
  std::vector<std::vector<uint64_t>> found(n);
  RunOnThreads(n, [&](int t) { scan(t, n, &found[t]); });
  std::vector<uint64_t> packed = std::move(found[0]);
  for (int t = 1; t < n; ++t) {
    std::vector<uint64_t> merged(packed.size() + found[t].size());
    std::merge(packed.begin(), packed.end(), found[t].begin(), found[t].end(), merged.begin());
    packed.swap(merged);
    std::vector<uint64_t>().swap(found[t]);
  }
  std::vector<DocPair> pairs;
  const uint64_t second_mask = (uint64_t{1} << bits) - 1;
  for (size_t i = 0; i < packed.size();) {
    size_t j = i + 1;
    while (j < packed.size() && packed[j] == packed[i]) ++j;
    if (j - i >= static_cast<size_t>(filter.min_shared)) {
      pairs.push_back(DocPair{static_cast<uint32_t>(packed[i] >> bits),
                              static_cast<uint32_t>(packed[i] & second_mask)});
    }
    i = j;
  }
  return pairs;
}

std::vector<uint32_t> BandedIndex::Query(const uint32_t* mins, int min_shared) const {
  std::vector<uint32_t> out;
  for (int b = 0; b < params_.bands; ++b) {
    const uint64_t key = BandKey(mins, b);
    const std::span<const uint64_t> band = Band(b);
    const auto first = std::lower_bound(band.begin(), band.end(), key << 32);
    auto last = first;
    while (last != band.end() && (*last >> 32) == key) ++last;
    for (auto it = first; it != last; ++it) out.push_back(static_cast<uint32_t>(*it));
  }
  std::sort(out.begin(), out.end());
  size_t kept = 0;
  for (size_t i = 0; i < out.size();) {
    size_t j = i;
    while (j < out.size() && out[j] == out[i]) ++j;
    if (j - i >= static_cast<size_t>(min_shared)) out[kept++] = out[i];
    i = j;
  }
  out.resize(kept);
  return out;
}

}  // namespace neardup
