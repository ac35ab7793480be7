#include "neardup/minhash.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"

namespace neardup {
namespace {

constexpr uint32_t kMax = std::numeric_limits<uint32_t>::max();
constexpr char kMagic[4] = {'N', 'D', 'S', 'G'};
constexpr uint16_t kFormatVersion = 1;
constexpr size_t kHeaderSize = 4 + 2 + 1 + 1 + 4 + 8 + 4;

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline uint32_t Fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

inline uint32_t Fold(uint64_t x) {
  return static_cast<uint32_t>(x ^ (x >> 32));
}

constexpr int kBlock = 32;

// The hot loop: a block of kBlock permutations over all shingles, minima
// kept in registers. Compiled for AVX2 and for the baseline; the loader
// picks one at start-up.
__attribute__((target_clones("avx512f", "avx2", "default"))) void MinBlock(
    const uint32_t* folded, size_t count, const uint32_t* salts,
    uint32_t* out) {
  uint32_t acc[kBlock];
  for (int k = 0; k < kBlock; ++k) acc[k] = kMax;
  for (size_t s = 0; s < count; ++s) {
    const uint32_t y = folded[s];
    for (int k = 0; k < kBlock; ++k) {
      const uint32_t v = Fmix32(y ^ salts[k]);
      acc[k] = v < acc[k] ? v : acc[k];
    }
  }
  for (int k = 0; k < kBlock; ++k) out[k] = acc[k];
}

// -ln(u) for u in (0, 1], from the float's exponent and a cubic fit of
// log2 on [1, 2) (absolute error below 1.4e-3 on log2): fast and
// deterministic, and accurate enough to rank exponential-race values.
inline float NegLog(float u) {
  uint32_t bits;
  std::memcpy(&bits, &u, 4);
  const float e = static_cast<float>(static_cast<int32_t>(bits >> 23) - 127);
  bits = (bits & 0x007FFFFFu) | 0x3F800000u;
  float m;
  std::memcpy(&m, &bits, 4);
  const float log2m = ((0.15391477f * m - 1.02950006f) * m + 3.01074372f) * m -
                      2.13382433f;
  return -(e + log2m) * 0.69314718f;
}

// -ln(u) of a 32-bit hash, u in (0, 1) from its top 24 bits.
inline float NegLogOfHash(uint32_t h) {
  return NegLog((static_cast<float>(h >> 8) + 0.5f) * (1.0f / 16777216.0f));
}

// A uniform number below n from 32 random bits.
inline uint32_t Below(uint32_t bits, uint32_t n) {
  return static_cast<uint32_t>((static_cast<uint64_t>(bits) * n) >> 32);
}

// Densification's sequence of candidate bins for empty bin j of m: its
// start state, and the next candidate.
inline uint64_t DonorState(uint64_t seed, uint32_t j) {
  return seed ^ (0xD1B54A32D192ED03ull * (j + 1));
}
inline uint32_t NextDonor(uint64_t* state, uint32_t m) {
  return Below(static_cast<uint32_t>(SplitMix64(state) >> 32), m);
}

void Put(std::string* out, const void* p, size_t n) {
  out->append(static_cast<const char*>(p), n);
}

template <typename T>
T Get(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

}  // namespace

absl::Status MinHashOptions::Validate() const {
  if (num_perm < 1 || num_perm > 4096) {
    return absl::InvalidArgumentError(absl::StrCat(
        "num_perm must be between 1 and 4096, got ", num_perm));
  }
  return absl::OkStatus();
}

MinHasher::MinHasher(const MinHashOptions& options) : seed_(options.seed) {
  uint64_t state = options.seed;
  salts_.resize(options.num_perm);
  for (uint32_t& s : salts_) s = static_cast<uint32_t>(SplitMix64(&state));
  const uint32_t m = static_cast<uint32_t>(salts_.size());
  donors_.resize(static_cast<size_t>(m) * kDonors);
  for (uint32_t j = 0; j < m; ++j) {
    uint64_t bin_state = DonorState(seed_, j);
    for (int k = 0; k < kDonors; ++k) {
      donors_[j * kDonors + k] = static_cast<uint16_t>(NextDonor(&bin_state, m));
    }
  }
}

void MinHasher::Compute(std::span<const uint64_t> shingles,
                        uint32_t* out) const {
  thread_local std::vector<uint32_t> folded;
  folded.resize(shingles.size());
  for (size_t i = 0; i < shingles.size(); ++i) folded[i] = Fold(shingles[i]);
  const int num_perm = this->num_perm();
  int base = 0;
  for (; base + kBlock <= num_perm; base += kBlock) {
    MinBlock(folded.data(), folded.size(), salts_.data() + base, out + base);
  }
  for (int k = base; k < num_perm; ++k) {
    uint32_t m = kMax;
    for (uint32_t y : folded) m = std::min(m, Fmix32(y ^ salts_[k]));
    out[k] = m;
  }
}

namespace {

// A race value and a feature id as one key, whose order as an integer is
// the race's: the value (-0 taken as +0) in the high half, as bits that
// sort as the float does, then the id, so that the smaller id wins a tie.
// A value that cannot win (a weight that is not positive, or a value that
// overflowed to infinity) is kNoKey, above every other key.
constexpr uint64_t kNoKey = ~uint64_t{0};
inline uint64_t RaceKey(float value, float weight, uint32_t feature) {
  uint32_t bits = std::bit_cast<uint32_t>(value + 0.0f);
  bits = (bits & 0x80000000u) != 0 ? ~bits : (bits | 0x80000000u);
  const uint64_t key = uint64_t{bits} << 32 | feature;
  return weight > 0 && value < INFINITY ? key : kNoKey;
}

// Each feature's bin and race key: branch-free, so the compiler
// vectorizes it; one clone per instruction set, all with the same results
// (minhash.cc is compiled without contracting multiply-adds, so every
// clone rounds alike).
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void RaceKeys(
    const uint32_t* features, const float* weights, size_t n, uint64_t seed, uint32_t m,
    uint32_t* bins, uint64_t* keys) {
  for (size_t i = 0; i < n; ++i) {
    uint64_t state = seed ^ (static_cast<uint64_t>(features[i]) * 0x9E3779B97F4A7C15ull);
    const uint64_t h = SplitMix64(&state);
    bins[i] = Below(static_cast<uint32_t>(h >> 32), m);
    keys[i] = RaceKey(NegLogOfHash(static_cast<uint32_t>(h)) / weights[i], weights[i], features[i]);
  }
}

}  // namespace

void MinHasher::ComputeWeighted(std::span<const uint32_t> features,
                                std::span<const float> weights,
                                uint32_t* out) const {
  // One permutation hashing: each feature falls into one of num_perm bins
  // and races only there, at -ln(u) / weight.
  const uint32_t m = static_cast<uint32_t>(num_perm());
  thread_local std::vector<uint64_t> best;
  thread_local std::vector<uint32_t> bins;
  thread_local std::vector<uint64_t> keys;
  best.assign(m, kNoKey);
  const size_t n = features.size();
  bins.resize(n);
  keys.resize(n);
  RaceKeys(features.data(), weights.data(), n, seed_, m, bins.data(), keys.data());
  // Each bin keeps its least key: the least value, ties to the smaller id
  // (so the features may come in any order). One minimum a feature: with
  // the value and the id compared apart, and no branch on which wins (bins
  // and values come at random), this loop took 6.5 ns a feature, more
  // than the hashing (BM_WeightedMinHash_128Perm).
  uint64_t* const b = best.data();
  for (size_t i = 0; i < n; ++i) b[bins[i]] = std::min(b[bins[i]], keys[i]);
  // Densification (Shrivastava 2017): an empty bin takes the value of the
  // first filled bin in a sequence that depends on the bin alone, so two
  // documents agree there with the probability of agreeing at that bin.
  // Each bin's first kDonors candidates are in donors_: a bit per filled
  // one, and the lowest set bit is the donor, without a branch per bin;
  // only a bin whose kDonors candidates are all empty (a document of few
  // features) follows its sequence further.
  thread_local std::vector<uint8_t> filled;
  filled.resize(m);
  uint32_t count = 0;
  for (uint32_t j = 0; j < m; ++j) {
    count += filled[j] = b[j] != kNoKey;
    out[j] = filled[j] ? static_cast<uint32_t>(b[j]) : kMax;
  }
  if (count == 0 || count == m) return;
  for (uint32_t j = 0; j < m; ++j) {
    const uint16_t* donors = &donors_[static_cast<size_t>(j) * kDonors];
    uint32_t found = 0;
    for (int k = 0; k < kDonors; ++k) found |= static_cast<uint32_t>(filled[donors[k]]) << k;
    uint32_t from = donors[std::countr_zero(found | (1u << (kDonors - 1)))];
    if (found == 0 && !filled[j]) {
      uint64_t state = DonorState(seed_, j);
      for (int k = 0; k < kDonors; ++k) NextDonor(&state, m);
      do {
        from = NextDonor(&state, m);
      } while (!filled[from]);
    }
    out[j] = filled[j] ? out[j] : out[from];
  }
}

Signature MinHasher::Sign(std::span<const uint64_t> shingles,
                          Channel channel) const {
  Signature sig;
  sig.channel = channel;
  sig.seed = seed_;
  sig.num_shingles = static_cast<uint32_t>(shingles.size());
  sig.mins.resize(num_perm());
  Compute(shingles, sig.mins.data());
  return sig;
}

double AgreementRate(const uint32_t* a, const uint32_t* b, int num_perm) {
  int equal = 0;
  for (int i = 0; i < num_perm; ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / num_perm;
}

absl::StatusOr<double> EstimateJaccard(const Signature& a,
                                       const Signature& b) {
  if (a.num_perm() != b.num_perm()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot compare signatures of different num_perm (",
                     a.num_perm(), " and ", b.num_perm(), ")"));
  }
  if (a.seed != b.seed) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot compare signatures of different seeds (", a.seed,
                     " and ", b.seed, ")"));
  }
  if (a.channel != b.channel) {
    return absl::InvalidArgumentError(
        "cannot compare signatures of different channels");
  }
  if (a.num_perm() == 0) {
    return absl::InvalidArgumentError("cannot compare empty signatures");
  }
  return AgreementRate(a.mins.data(), b.mins.data(), a.num_perm());
}

Overlap OverlapFromJaccard(double jaccard, uint32_t size_a, uint32_t size_b) {
  Overlap o;
  o.jaccard = jaccard;
  if (size_a == 0 || size_b == 0) return o;
  double inter = jaccard * (static_cast<double>(size_a) + size_b) /
                 (1.0 + jaccard);
  inter = std::min(inter, static_cast<double>(std::min(size_a, size_b)));
  o.a_in_b = inter / size_a;
  o.b_in_a = inter / size_b;
  return o;
}

Overlap ExactOverlap(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  size_t i = 0, j = 0, inter = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++inter;
      ++i;
      ++j;
    }
  }
  Overlap o;
  const size_t uni = a.size() + b.size() - inter;
  o.jaccard = uni == 0 ? 1.0 : static_cast<double>(inter) / uni;
  o.a_in_b = a.empty() ? 0.0 : static_cast<double>(inter) / a.size();
  o.b_in_a = b.empty() ? 0.0 : static_cast<double>(inter) / b.size();
  return o;
}

std::string SerializeSignature(const Signature& sig) {
  static_assert(sizeof(kMagic) == 4);
  std::string out;
  out.reserve(kHeaderSize + 4 * sig.mins.size());
  Put(&out, kMagic, 4);
  const uint16_t version = kFormatVersion;
  const uint8_t channel = static_cast<uint8_t>(sig.channel);
  const uint8_t reserved = 0;
  const uint32_t num_perm = static_cast<uint32_t>(sig.mins.size());
  Put(&out, &version, 2);
  Put(&out, &channel, 1);
  Put(&out, &reserved, 1);
  Put(&out, &num_perm, 4);
  Put(&out, &sig.seed, 8);
  Put(&out, &sig.num_shingles, 4);
  Put(&out, sig.mins.data(), 4 * sig.mins.size());
  return out;
}

absl::StatusOr<Signature> ParseSignature(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, 4) != 0) {
    return absl::DataLossError("not a neardup signature (bad magic or size)");
  }
  const char* p = bytes.data();
  const auto version = Get<uint16_t>(p + 4);
  if (version != kFormatVersion) {
    return absl::UnimplementedError(
        absl::StrCat("signature format version ", version,
                     " is not supported (this build reads version ",
                     kFormatVersion, ")"));
  }
  const auto channel = Get<uint8_t>(p + 6);
  if (channel > static_cast<uint8_t>(Channel::kPivot)) {
    return absl::DataLossError(absl::StrCat("unknown signature channel ", channel));
  }
  const auto num_perm = Get<uint32_t>(p + 8);
  if (num_perm == 0 || num_perm > 4096 ||
      bytes.size() != kHeaderSize + 4ull * num_perm) {
    return absl::DataLossError(absl::StrCat(
        "signature size does not match num_perm ", num_perm));
  }
  Signature sig;
  sig.channel = static_cast<Channel>(channel);
  sig.seed = Get<uint64_t>(p + 12);
  sig.num_shingles = Get<uint32_t>(p + 20);
  sig.mins.resize(num_perm);
  std::memcpy(sig.mins.data(), p + kHeaderSize, 4ull * num_perm);
  return sig;
}

}  // namespace neardup
