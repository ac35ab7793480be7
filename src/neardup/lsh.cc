#include "neardup/lsh.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "absl/strings/str_cat.h"

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

double DetectionProbability(double j, LshParams p) {
  return 1.0 - std::pow(1.0 - std::pow(j, p.rows), p.bands);
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
      skip_over_(skip_buckets_over),
      bands_(params.bands) {}

uint64_t BandedIndex::BandKey(const uint32_t* mins, int band) const {
  return XXH3_64bits_withSeed(mins + band * params_.rows,
                              sizeof(uint32_t) * params_.rows,
                              static_cast<uint64_t>(band));
}

void BandedIndex::Add(uint32_t doc, const uint32_t* mins) {
  for (int b = 0; b < params_.bands; ++b) {
    bands_[b].push_back(Entry{BandKey(mins, b), doc});
  }
  ++size_;
}

void BandedIndex::Freeze(int threads) {
  // Bands are independent: sort them on several threads.
  const int n = std::max(1, std::min(threads, params_.bands));
  std::vector<std::thread> workers;
  for (int t = 1; t < n; ++t) {
    workers.emplace_back([this, t, n] {
      for (int b = t; b < params_.bands; b += n) {
        std::sort(bands_[b].begin(), bands_[b].end());
      }
    });
  }
  for (int b = 0; b < params_.bands; b += n) {
    std::sort(bands_[b].begin(), bands_[b].end());
  }
  for (std::thread& w : workers) w.join();
  frozen_ = true;
}

std::vector<DocPair> BandedIndex::CandidatePairs(
    std::span<const uint16_t> class_of) const {
  std::vector<DocPair> pairs;
  for (const auto& band : bands_) {
    size_t i = 0;
    while (i < band.size()) {
      size_t j = i + 1;
      while (j < band.size() && band[j].key == band[i].key) ++j;
      // Members i..j-1 share the bucket, in increasing doc order.
      if (skip_over_ > 0 && j - i > static_cast<size_t>(skip_over_)) {
        i = j;
        continue;
      }
      for (size_t m = i + 1; m < j; ++m) {
        const size_t from =
            m - i > static_cast<size_t>(window_) ? m - window_ : i;
        for (size_t k = from; k < m; ++k) {
          if (!class_of.empty() &&
              class_of[band[k].doc] == class_of[band[m].doc]) {
            continue;
          }
          pairs.push_back(DocPair{band[k].doc, band[m].doc});
        }
      }
      i = j;
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

std::vector<uint32_t> BandedIndex::Query(const uint32_t* mins, int min_shared) const {
  std::vector<uint32_t> out;
  for (int b = 0; b < params_.bands; ++b) {
    const uint64_t key = BandKey(mins, b);
    const auto& band = bands_[b];
    const auto first = std::lower_bound(band.begin(), band.end(), Entry{key, 0});
    auto last = first;
    while (last != band.end() && last->key == key) ++last;
    if (skip_over_ > 0 && last - first > skip_over_) continue;  // as CandidatePairs
    for (auto it = first; it != last; ++it) out.push_back(it->doc);
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
