#include "neardup/minhash.h"

#include <algorithm>
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
__attribute__((target_clones("avx2", "default"))) void MinBlock(
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

// Weighted MinHash, eight positions at a time. For one feature, the
// exponentials E_1..E_8 of a block of eight positions are drawn as their
// minimum M ~ Exp(8), the position j* holding it (uniform), and M + E'_j for
// the others with E'_j ~ Exp(1) (memorylessness): the same joint law as
// eight independent draws. M alone decides whether the feature can improve
// any position of the block, so most (feature, block) combinations cost one
// hash instead of eight once the minima are small.
constexpr int kLanes = 8;

// -ln(u) of a 32-bit hash, u in (0, 1) from its top 24 bits.
inline float NegLogOfHash(uint32_t h) {
  return NegLog((static_cast<float>(h >> 8) + 0.5f) * (1.0f / 16777216.0f));
}

// Eight lanes as GCC vector types: AVX2 in the avx2 clone, two SSE halves
// in the baseline.
typedef uint32_t V8u __attribute__((vector_size(32)));
typedef float V8f __attribute__((vector_size(32)));
constexpr V8u kLaneIndex = {0, 1, 2, 3, 4, 5, 6, 7};

inline V8u LoadV8u(const uint32_t* p) {
  V8u v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
inline V8f LoadV8f(const float* p) {
  V8f v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
inline V8u Fmix32x8(V8u h) {
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}
// NegLogOfHash, lane by lane (the same operations).
inline V8f NegLogOfHashx8(V8u h) {
  const V8f u = (__builtin_convertvector(h >> 8, V8f) + 0.5f) * (1.0f / 16777216.0f);
  V8u bits;
  std::memcpy(&bits, &u, sizeof(bits));
  typedef int32_t V8i __attribute__((vector_size(32)));
  const V8f e = __builtin_convertvector(reinterpret_cast<const V8i&>(bits) >> 23, V8f) - 127.0f;
  bits = (bits & 0x007FFFFFu) | 0x3F800000u;
  V8f mant;
  std::memcpy(&mant, &bits, sizeof(mant));
  const V8f log2m =
      ((0.15391477f * mant - 1.02950006f) * mant + 3.01074372f) * mant - 2.13382433f;
  return -(e + log2m) * 0.69314718f;
}

// The whole sketch of one document: best[] and arg[] hold num_blocks ×
// kLanes positions, block_max[b] the largest best[] of block b.
__attribute__((target_clones("avx2", "default"))) void WeightedSketch(
    const uint32_t* ids, const float* inv_weights, size_t count,
    const uint32_t* block_salts, const uint32_t* lane_salts, int num_blocks,
    float* best, uint32_t* arg, float* block_max) {
  constexpr int kMaxBlocks = 512;  // num_perm <= 4096
  float m[kMaxBlocks];
  for (size_t i = 0; i < count; ++i) {
    const uint32_t id = ids[i];
    const float inv = inv_weights[i];
    const float inv_m = inv * (1.0f / kLanes);
    for (int b = 0; b < num_blocks; ++b) {
      m[b] = NegLogOfHash(Fmix32(id ^ block_salts[b])) * inv_m;
    }
    for (int b = 0; b < num_blocks; ++b) {
      if (!(m[b] < block_max[b])) continue;
      const uint32_t jstar = Fmix32(id ^ block_salts[b]) & (kLanes - 1);
      float* bb = best + b * kLanes;
      uint32_t* ab = arg + b * kLanes;
      const uint32_t* salts = lane_salts + b * kLanes;
      const V8u h = Fmix32x8(id ^ LoadV8u(salts));
      const V8f e = NegLogOfHashx8(h) * inv;
      V8f v = m[b] + (e > 0.0f ? e : V8f{} );
      v = kLaneIndex == jstar ? V8f{} + m[b] : v;
      V8f cur = LoadV8f(bb);
      const auto better = v < cur;
      cur = better ? v : cur;
      const V8u ids_now = better ? V8u{} + id : LoadV8u(ab);
      std::memcpy(bb, &cur, sizeof(cur));
      std::memcpy(ab, &ids_now, sizeof(ids_now));
      V8f top = cur;
      V8f t = __builtin_shufflevector(top, top, 4, 5, 6, 7, 0, 1, 2, 3);
      top = top > t ? top : t;
      t = __builtin_shufflevector(top, top, 2, 3, 0, 1, 6, 7, 4, 5);
      top = top > t ? top : t;
      t = __builtin_shufflevector(top, top, 1, 0, 3, 2, 5, 4, 7, 6);
      top = top > t ? top : t;
      block_max[b] = top[0];
    }
  }
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
  const int blocks = (options.num_perm + kLanes - 1) / kLanes;
  block_salts_.resize(blocks);
  for (uint32_t& s : block_salts_) s = static_cast<uint32_t>(SplitMix64(&state));
  lane_salts_ = salts_;
  lane_salts_.resize(static_cast<size_t>(blocks) * kLanes, 0);
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

void MinHasher::ComputeWeighted(std::span<const uint32_t> features,
                                std::span<const float> weights,
                                uint32_t* out) const {
  const int num_perm = this->num_perm();
  const int num_blocks = (num_perm + kLanes - 1) / kLanes;
  thread_local std::vector<float> best, block_max, inv;
  thread_local std::vector<uint32_t> arg, ids;
  // Positions past num_perm (the last block's padding) hold 0: never
  // improved, never the block's maximum.
  best.assign(static_cast<size_t>(num_blocks) * kLanes, 0.0f);
  std::fill(best.begin(), best.begin() + num_perm, INFINITY);
  arg.assign(best.size(), kMax);
  block_max.assign(num_blocks, INFINITY);
  ids.clear();
  inv.clear();
  for (size_t i = 0; i < features.size(); ++i) {
    if (weights[i] > 0) {
      ids.push_back(features[i]);
      inv.push_back(1.0f / weights[i]);
    }
  }
  WeightedSketch(ids.data(), inv.data(), ids.size(), block_salts_.data(), lane_salts_.data(),
                 num_blocks, best.data(), arg.data(), block_max.data());
  std::copy(arg.begin(), arg.begin() + num_perm, out);
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
