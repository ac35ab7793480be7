#include "neardup/calibration.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <random>

#include "absl/strings/str_cat.h"
#include "neardup/langid.h"
#include "neardup/thread_pool.h"

namespace neardup {

absl::StatusOr<std::vector<BackgroundDoc>> LoadBackground(const std::string& dir) {
  const std::filesystem::path path = std::filesystem::path(dir) / "background.tsv";
  std::vector<BackgroundDoc> docs;
  absl::StatusOr<MappedFile> mapped = MappedFile::Open(path);
  if (absl::IsNotFound(mapped.status())) return docs;
  if (!mapped.ok()) return mapped.status();
  const auto file = std::make_shared<const MappedFile>(*std::move(mapped));
  std::string_view rest = file->bytes();
  for (uint64_t n = 1; !rest.empty(); ++n) {
    const size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    if (line.empty()) continue;
    const size_t t1 = line.find('\t');
    const size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) {
      return absl::DataLossError(absl::StrCat(
          path.string(), ":", n,
          ": expected lang<TAB>group<TAB>text (rebuild the lexicon: scripts/build.sh)"));
    }
    BackgroundDoc d;
    d.lang = NormalizeLanguageTag(line.substr(0, t1));
    d.group = std::string(line.substr(t1 + 1, t2 - t1 - 1));
    d.text = line.substr(t2 + 1);
    d.source = file;
    if (!d.lang.empty()) docs.push_back(std::move(d));
  }
  return docs;
}

namespace {

// The merge's common ends: whole blocks of `width` ids on each side, the
// block with the smaller last id moving on (both if equal), so every
// common id meets its match exactly once, in ascending order.
size_t CommonTail(std::span<const uint32_t> a, std::span<const uint32_t> b, size_t i, size_t j,
                  uint32_t* out, size_t n) {
#ifdef __SSE2__
  // Four ids of each side at a time, each of a's against every rotation
  // of b's.
  while (i + 4 <= a.size() && j + 4 <= b.size()) {
    const __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.data() + i));
    const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.data() + j));
    const __m128i eq = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi32(va, vb),
                     _mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, 0x39))),
        _mm_or_si128(_mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, 0x4E)),
                     _mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, 0x93))));
    for (int mask = _mm_movemask_ps(_mm_castsi128_ps(eq)); mask != 0; mask &= mask - 1) {
      out[n++] = static_cast<uint32_t>(i + __builtin_ctz(mask));
    }
    const uint32_t last_a = a[i + 3], last_b = b[j + 3];
    i += last_a <= last_b ? 4 : 0;
    j += last_b <= last_a ? 4 : 0;
  }
#endif
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      out[n++] = static_cast<uint32_t>(i);
      ++i;
      ++j;
    }
  }
  return n;
}

// The next blocks of up to 16 ids of a (from i) and b (from j), for the
// AVX-512 merges: a short block is loaded masked (lanes past the end are
// not read), b's filled with its last id (a repeat matches only what that
// id matches), a's missing lanes to be left out of the matches (`lanes_a`).
struct Blocks {
  size_t ka, kb;     // ids in each
  __mmask16 lanes_a;  // a's lanes that hold ids
  uint32_t last_a, last_b;
  __m512i va, vb;
};
__attribute__((target("avx512f"))) inline Blocks LoadBlocks(std::span<const uint32_t> a,
                                                            std::span<const uint32_t> b,
                                                            size_t i, size_t j) {
  Blocks k;
  k.ka = std::min<size_t>(16, a.size() - i);
  k.kb = std::min<size_t>(16, b.size() - j);
  k.lanes_a = static_cast<__mmask16>((1u << k.ka) - 1);
  const __mmask16 lanes_b = static_cast<__mmask16>((1u << k.kb) - 1);
  k.last_a = a[i + k.ka - 1];
  k.last_b = b[j + k.kb - 1];
  k.va = _mm512_maskz_loadu_epi32(k.lanes_a, a.data() + i);
  k.vb = _mm512_mask_loadu_epi32(_mm512_set1_epi32(static_cast<int>(k.last_b)), lanes_b,
                                 b.data() + j);
  return k;
}

}  // namespace

// Appends the positions i + lane of `found`'s lanes to out[n..] and returns
// the new count: packed to the front of a whole 16-lane store, with no
// branch on how many there are (out has room: kCommonSlack). A loop over
// the mask's bits mispredicted its exit at nearly every block of real
// documents, whose matches are few and scattered: the VP2INTERSECT merge
// took 0.28-0.31 s of c100k's scores with it, 0.21-0.26 s without.
__attribute__((target("avx512f"))) inline size_t StorePositions(__mmask16 found, size_t i,
                                                                uint32_t* out, size_t n) {
  const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i at = _mm512_add_epi32(lanes, _mm512_set1_epi32(static_cast<int>(i)));
  _mm512_storeu_si512(out + n, _mm512_maskz_compress_epi32(found, at));
  return n + static_cast<size_t>(__builtin_popcount(found));
}

__attribute__((target("avx512f,avx512vp2intersect"))) size_t CommonPositionsVp2intersect(
    std::span<const uint32_t> a, std::span<const uint32_t> b, uint32_t* out) {
  size_t i = 0, j = 0, n = 0;
  while (i + 16 <= a.size() && j + 16 <= b.size()) {
    const __m512i va = _mm512_loadu_si512(a.data() + i);
    const __m512i vb = _mm512_loadu_si512(b.data() + j);
    __mmask16 in_b, in_a;
    _mm512_2intersect_epi32(va, vb, &in_b, &in_a);
    n = StorePositions(in_b, i, out, n);
    const uint32_t last_a = a[i + 15], last_b = b[j + 15];
    i += last_a <= last_b ? 16 : 0;
    j += last_b <= last_a ? 16 : 0;
  }
  // The ends, still 16 lanes at a time, no scalar tail (CommonTail took
  // 40 % of this function's time in a run: when one side has fewer than 16
  // ids left, the other may have many).
  while (i < a.size() && j < b.size()) {
    const Blocks k = LoadBlocks(a, b, i, j);
    __mmask16 in_b, in_a;
    _mm512_2intersect_epi32(k.va, k.vb, &in_b, &in_a);
    n = StorePositions(in_b & k.lanes_a, i, out, n);
    i += k.last_a <= k.last_b ? k.ka : 0;
    j += k.last_b <= k.last_a ? k.kb : 0;
  }
  return n;
}

// GCC 12 warns that _mm512_alignr_epi32 "may use uninitialized" the
// register its own header leaves undefined on purpose (__Y = __Y, the
// pass-through of a mask that selects every lane): not so, and no
// warning in a user's build.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
__attribute__((target("avx512f"))) size_t CommonPositionsAvx512(std::span<const uint32_t> a,
                                                                std::span<const uint32_t> b,
                                                                uint32_t* out) {
  size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    // Up to 16 ids of each side, so no scalar tail (which took half the
    // time).
    const Blocks k = LoadBlocks(a, b, i, j);
    __m512i vb = k.vb;
    // Each of a's ids against each rotation of b's.
    __mmask16 found = _mm512_cmpeq_epi32_mask(k.va, vb);
    for (int r = 1; r < 16; ++r) {
      vb = _mm512_alignr_epi32(vb, vb, 1);
      found |= _mm512_cmpeq_epi32_mask(k.va, vb);
    }
    // (A loop over the mask's bits cost all of this version's gain:
    // BM_CommonPositions. StorePositions uses the register form of the
    // compress, which every AVX-512 processor runs fast.)
    n = StorePositions(found & k.lanes_a, i, out, n);
    i += k.last_a <= k.last_b ? k.ka : 0;
    j += k.last_b <= k.last_a ? k.kb : 0;
  }
  return n;
}
#pragma GCC diagnostic pop

namespace {

// For each 8-bit mask, the indices of its set bits, packed to the front (a
// byte each): what AVX2 lacks of AVX-512's compress.
constexpr std::array<uint64_t, 256> kSetLanes = [] {
  std::array<uint64_t, 256> t{};
  for (int m = 0; m < 256; ++m) {
    int k = 0;
    for (int lane = 0; lane < 8; ++lane) {
      if (m & (1 << lane)) t[m] |= static_cast<uint64_t>(lane) << (8 * k++);
    }
  }
  return t;
}();

}  // namespace

__attribute__((target("avx2"))) size_t CommonPositionsAvx2(std::span<const uint32_t> a,
                                                          std::span<const uint32_t> b,
                                                          uint32_t* out) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    // Up to 8 ids of each side, a short block loaded masked: b's missing
    // lanes hold its last id (a repeat matches only what that id
    // matches), a's are left out of the matches.
    const size_t ka = std::min<size_t>(8, a.size() - i);
    const size_t kb = std::min<size_t>(8, b.size() - j);
    const __m256i in_a = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(ka)), lanes);
    const __m256i in_b = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(kb)), lanes);
    const uint32_t last_a = a[i + ka - 1], last_b = b[j + kb - 1];
    const __m256i va = _mm256_maskload_epi32(reinterpret_cast<const int*>(a.data() + i), in_a);
    const __m256i vb = _mm256_blendv_epi8(
        _mm256_set1_epi32(static_cast<int>(last_b)),
        _mm256_maskload_epi32(reinterpret_cast<const int*>(b.data() + j), in_b), in_b);
    // Each of a's ids against each rotation of b's.
    __m256i eq = _mm256_cmpeq_epi32(va, vb);
    for (int r = 1; r < 8; ++r) {
      const __m256i rotate = _mm256_and_si256(_mm256_add_epi32(lanes, _mm256_set1_epi32(r)),
                                              _mm256_set1_epi32(7));
      eq = _mm256_or_si256(eq, _mm256_cmpeq_epi32(va, _mm256_permutevar8x32_epi32(vb, rotate)));
    }
    const unsigned found =
        static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_and_si256(eq, in_a))));
    // The matches' positions, packed to the front of a whole store, with
    // no branch on how many there are (see StorePositions).
    const __m256i at = _mm256_add_epi32(
        _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(kSetLanes[found]))),
        _mm256_set1_epi32(static_cast<int>(i)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + n), at);
    n += static_cast<size_t>(__builtin_popcount(found));
    i += last_a <= last_b ? ka : 0;
    j += last_b <= last_a ? kb : 0;
  }
  return n;
}

size_t CommonPositionsSse2(std::span<const uint32_t> a, std::span<const uint32_t> b,
                           uint32_t* out) {
  return CommonTail(a, b, 0, 0, out, 0);
}

size_t CommonPositions(std::span<const uint32_t> a, std::span<const uint32_t> b, uint32_t* out) {
  if (CpuHasVp2intersect()) return CommonPositionsVp2intersect(a, b, out);
  if (CpuHasAvx512()) return CommonPositionsAvx512(a, b, out);
  return CpuHasAvx2() ? CommonPositionsAvx2(a, b, out) : CommonPositionsSse2(a, b, out);
}

double TotalWeight(std::span<const float> w) {
  double s[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= w.size(); i += 4) {
    for (int k = 0; k < 4; ++k) s[k] += w[i + k];
  }
  for (; i < w.size(); ++i) s[0] += w[i];
  return (s[0] + s[1]) + (s[2] + s[3]);
}

absl::flat_hash_map<uint32_t, float> IdfWeights(
    const absl::flat_hash_map<uint32_t, uint32_t>& df, uint32_t docs) {
  absl::flat_hash_map<uint32_t, float> weight;
  weight.reserve(df.size());
  for (const auto& [f, count] : df) {
    weight[f] = IdfWeight(docs, count);
  }
  return weight;
}

double WeightedJaccard(std::span<const uint32_t> a, std::span<const float> wa,
                       std::span<const uint32_t> b, std::span<const float> wb) {
  return WeightedJaccard(a, wa, TotalWeight(wa), b, wb, TotalWeight(wb));
}

double WeightedJaccard(std::span<const uint32_t> a, std::span<const float> wa, double total_a,
                       std::span<const uint32_t> b, std::span<const float> /*wb*/,
                       double total_b) {
  return WeightedJaccardBy(a, total_a, b, total_b, [&](size_t i) { return wa[i]; });
}

void FeatureCounts::Add(uint32_t id, uint32_t count, uint16_t lang) {
  if (2 * (used_ + 1) > slots_.size()) Grow();
  for (size_t i = Mix(id) & mask_;; i = (i + 1) & mask_) {
    uint64_t& s = slots_[i];
    if (s == kEmpty) {
      s = static_cast<uint64_t>(id) << 32 | count;
      if (languages_) langs_[i] = lang;
      ++used_;
      return;
    }
    if (static_cast<uint32_t>(s >> 32) == id) {
      s += count;  // counts stay below 2^32: at most one per document
      if (languages_) langs_[i] = Join(langs_[i], lang);
      return;
    }
  }
}

void FeatureCounts::Merge(const FeatureCounts& other) {
  for (size_t i = 0; i < other.slots_.size(); ++i) {
    const uint64_t s = other.slots_[i];
    if (s != kEmpty) {
      Add(static_cast<uint32_t>(s >> 32), static_cast<uint32_t>(s),
          other.languages_ ? other.langs_[i] : kManyLanguages);
    }
  }
}

void FeatureCounts::Grow() {
  LargeVector<uint64_t> old(std::max<size_t>(1024, 2 * slots_.size()), kEmpty);
  LargeVector<uint16_t> old_langs(languages_ ? old.size() : 0);
  old.swap(slots_);
  old_langs.swap(langs_);
  mask_ = slots_.size() - 1;
  for (size_t j = 0; j < old.size(); ++j) {
    const uint64_t s = old[j];
    if (s == kEmpty) continue;
    size_t i = Mix(static_cast<uint32_t>(s >> 32)) & mask_;
    while (slots_[i] != kEmpty) i = (i + 1) & mask_;
    slots_[i] = s;
    if (languages_) langs_[i] = old_langs[j];
  }
}

IdfTable::IdfTable(FeatureCounts&& df, uint32_t docs) {
  static_assert(FeatureCounts::kEmpty == kEmpty);
  slots_.swap(df.slots_);
  const LargeVector<uint16_t> langs = std::move(df.langs_);
  mask_ = df.mask_;
  df.mask_ = 0;
  df.used_ = 0;
  if (slots_.empty()) {  // nothing counted: an empty table
    slots_.assign(16, kEmpty);
    mask_ = 15;
    return;
  }
  for (size_t i = 0; i < slots_.size(); ++i) {
    uint64_t& s = slots_[i];
    if (s == kEmpty) continue;
    const float w = IdfWeight(docs, static_cast<uint32_t>(s));
    uint32_t bits;
    std::memcpy(&bits, &w, sizeof bits);
    if (!langs.empty() && langs[i] != FeatureCounts::kManyLanguages) bits |= kOneLanguageBit;
    s = (s & 0xFFFFFFFF00000000ull) | bits;
  }
}

IdfTable::IdfTable(const absl::flat_hash_map<uint32_t, float>& weight) {
  size_t size = 16;
  while (size < 2 * weight.size()) size <<= 1;
  slots_.assign(size, kEmpty);
  mask_ = size - 1;
  for (const auto& [id, w] : weight) {
    uint32_t bits;
    std::memcpy(&bits, &w, sizeof bits);
    size_t i = Mix(id) & mask_;
    while (slots_[i] != kEmpty) i = (i + 1) & mask_;
    slots_[i] = static_cast<uint64_t>(id) << 32 | bits;
  }
}

namespace {

std::string PairKey(std::string_view a, std::string_view b) {
  if (b < a) std::swap(a, b);
  std::string key(a);
  key.push_back('|');
  key.append(b);
  return key;
}

struct Moments {
  double sum = 0, sum2 = 0;
  uint32_t n = 0;
  void Add(double x) {
    sum += x;
    sum2 += x * x;
    ++n;
  }
  NullModel::Stats Get() const {
    NullModel::Stats s;
    s.pairs = n;
    if (n == 0) return s;
    s.mean = sum / n;
    s.sd = n > 1 ? std::sqrt(std::max(0.0, (sum2 - n * s.mean * s.mean) / (n - 1))) : 0;
    return s;
  }
};

}  // namespace

std::vector<NullSample> BackgroundSamples(
    std::span<const BackgroundDoc> docs,
    std::span<const std::vector<uint32_t>> features,
    const IdfTable& weight, uint32_t max_pairs, int threads) {
  std::vector<std::vector<float>> w(docs.size());
  std::vector<double> total(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    w[i].reserve(features[i].size());
    for (uint32_t f : features[i]) w[i].push_back(weight(f));
    total[i] = TotalWeight(w[i]);
  }
  // The pairs, in a fixed order; counted per pair of languages by language
  // number (the loop visits every pair of documents, so no strings here).
  std::vector<std::string_view> langs;
  std::vector<uint32_t> lang_of(docs.size());
  // A document's source too: its group up to the first '/' (one manual).
  std::vector<std::string_view> sources;
  std::vector<uint32_t> source_of(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    auto it = std::find(langs.begin(), langs.end(), docs[i].lang);
    lang_of[i] = static_cast<uint32_t>(it - langs.begin());
    if (it == langs.end()) langs.push_back(docs[i].lang);
    const std::string_view source =
        std::string_view(docs[i].group).substr(0, docs[i].group.find('/'));
    auto st = std::find(sources.begin(), sources.end(), source);
    source_of[i] = static_cast<uint32_t>(st - sources.begin());
    if (st == sources.end()) sources.push_back(source);
  }
  // Pairs of one source first, then, for a pair of languages that no
  // source has both of, pairs of two sources.
  const size_t num_pairs = langs.size() * langs.size();
  std::vector<uint32_t> taken(num_pairs, 0);
  std::vector<uint8_t> one_source(num_pairs, 0);
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (const bool same_source : {true, false}) {
    for (size_t i = 0; i < docs.size(); ++i) {
      if (features[i].empty()) continue;
      for (size_t j = i + 1; j < docs.size(); ++j) {
        if ((source_of[i] == source_of[j]) != same_source) continue;
        const uint32_t li = std::min(lang_of[i], lang_of[j]);
        const uint32_t lj = std::max(lang_of[i], lang_of[j]);
        const size_t key = li * langs.size() + lj;
        if (!same_source && one_source[key]) continue;
        uint32_t& n = taken[key];
        if (n >= max_pairs || docs[i].group == docs[j].group || features[j].empty()) {
          continue;
        }
        ++n;
        if (same_source) one_source[key] = 1;
        pairs.emplace_back(static_cast<uint32_t>(i), static_cast<uint32_t>(j));
      }
    }
  }
  // Their scores, on `threads` threads.
  std::vector<NullSample> out(pairs.size());
  const int n = std::max(1, threads);
  RunOnThreads(n, [&](int t) {
    for (size_t k = t; k < pairs.size(); k += n) {
      const auto [i, j] = pairs[k];
      out[k] = {docs[i].lang, docs[j].lang,
                WeightedJaccard(features[i], w[i], total[i], features[j], w[j], total[j])};
    }
  });
  return out;
}

std::vector<std::pair<uint32_t, uint32_t>> NullPairs(
    std::span<const std::vector<uint32_t>> by_lang, uint64_t per_pair) {
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (size_t i = 0; i < by_lang.size(); ++i) {
    for (size_t j = i; j < by_lang.size(); ++j) {
      const auto& x = by_lang[i];
      const auto& y = by_lang[j];
      const uint64_t possible = i == j ? x.size() * (x.size() - (x.empty() ? 0 : 1)) / 2
                                       : static_cast<uint64_t>(x.size()) * y.size();
      if (possible == 0) continue;
      if (possible <= per_pair) {
        for (size_t p = 0; p < x.size(); ++p) {
          for (size_t q = i == j ? p + 1 : 0; q < y.size(); ++q) pairs.emplace_back(x[p], y[q]);
        }
        continue;
      }
      std::mt19937_64 rng(0x4e554c4cull * (i + 1) + j);
      for (uint64_t s = 0; s < per_pair; ++s) {
        const uint32_t a = x[rng() % x.size()];
        uint32_t b = y[rng() % y.size()];
        while (b == a) b = y[rng() % y.size()];
        pairs.emplace_back(a, b);
      }
    }
  }
  return pairs;
}

NullModel NullModel::Fit(std::span<const NullSample> corpus,
                         std::span<const NullSample> background) {
  absl::flat_hash_map<std::string, Moments> own, both;
  Moments own_same, own_cross, both_same, both_cross;
  for (const auto* list : {&corpus, &background}) {
    const bool is_corpus = list == &corpus;
    for (const NullSample& s : *list) {
      const std::string key = PairKey(s.lang_a, s.lang_b);
      const bool same = s.lang_a == s.lang_b;
      both[key].Add(s.score);
      (same ? both_same : both_cross).Add(s.score);
      if (is_corpus) {
        own[key].Add(s.score);
        (same ? own_same : own_cross).Add(s.score);
      }
    }
  }
  NullModel model;
  for (const auto& [key, m] : both) {
    auto it = own.find(key);
    const Moments& use = it != own.end() && it->second.n >= kMinCorpusPairs ? it->second : m;
    // Fewer than 30 pairs give a shaky deviation: use the pooled figures.
    if (use.n >= 30) model.by_pair_[key] = use.Get();
  }
  model.pooled_same_ = (own_same.n >= kMinCorpusPairs ? own_same : both_same).Get();
  model.pooled_cross_ = (own_cross.n >= kMinCorpusPairs ? own_cross : both_cross).Get();
  // Two languages that share next to nothing (neither has a lexicon) have
  // a deviation near 0, which made any shared feature dozens of
  // deviations, and exactly 0 made every score 0: a floor, a share of the
  // pooled figure (kMinSdShare).
  for (auto& [key, stats] : model.by_pair_) {
    const size_t bar = key.find('|');
    const bool same = std::string_view(key).substr(0, bar) == std::string_view(key).substr(bar + 1);
    stats.sd = std::max(stats.sd, kMinSdShare * (same ? model.pooled_same_ : model.pooled_cross_).sd);
  }
  return model;
}

NullModel::Stats NullModel::For(std::string_view a, std::string_view b) const {
  auto it = by_pair_.find(PairKey(a, b));
  if (it != by_pair_.end()) return it->second;
  return a == b && pooled_same_.pairs > 0 ? pooled_same_ : pooled_cross_;
}

double NullModel::Z(std::string_view a, std::string_view b, double score) const {
  return empty() ? score : For(a, b).Z(score);
}

}  // namespace neardup
