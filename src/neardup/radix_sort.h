// radix_sort: sorts 64-bit values by a range of their bits, stably, in
// passes of at most 12 bits (a least-significant-digit radix sort).
//
// Why: the lists sorted in the hot paths are packed numbers (candidate
// pairs as first << b | second; a pair's index beside a position), where
// std::sort was several times slower (2.5 % of a 10,000-document run in
// BandedIndex, a third of MutualBestMatches' time).
#ifndef NEARDUP_RADIX_SORT_H_
#define NEARDUP_RADIX_SORT_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace neardup {

// Sorts `v` by bits [from, bits) of each value, stably (values equal there
// keep their order). REQUIRES: 0 <= from < bits <= 64.
inline void SortPacked(std::vector<uint64_t>* v, int bits, int from = 0) {
  if (v->size() < 2) return;
  const int span = bits - from;
  const int passes = std::max(1, (span + 11) / 12);
  const int width = (span + passes - 1) / passes;
  const uint64_t mask = (uint64_t{1} << width) - 1;
  // Every pass's counts from one read; the other buffer is not zeroed
  // first (each pass writes all of it).
  std::vector<size_t> count(static_cast<size_t>(passes) * (mask + 1));
  for (uint64_t e : *v) {
    for (int p = 0; p < passes; ++p) {
      ++count[p * (mask + 1) + ((e >> (from + p * width)) & mask)];
    }
  }
  std::unique_ptr<uint64_t[]> tmp(new uint64_t[v->size()]);
  uint64_t* in = v->data();
  uint64_t* out = tmp.get();
  for (int p = 0; p < passes; ++p) {
    size_t* c = &count[p * (mask + 1)];
    size_t sum = 0;
    for (uint64_t b = 0; b <= mask; ++b) sum += std::exchange(c[b], sum);
    const int shift = from + p * width;
    for (size_t i = 0; i < v->size(); ++i) out[c[(in[i] >> shift) & mask]++] = in[i];
    std::swap(in, out);
  }
  if (in != v->data()) std::copy(in, in + v->size(), v->data());
}

}  // namespace neardup

#endif  // NEARDUP_RADIX_SORT_H_
