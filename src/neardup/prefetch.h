// prefetch: a loop whose every step probes a table far larger than the
// processor's caches (a hash table of features or words, tens of MiB),
// with each probe's memory asked for a few steps before it is read.
//
// Why: such a loop otherwise waits for each probe's cache miss in turn.
// The document-frequency count, the index weights and the pivot features'
// token look-ups are such loops (docs/performance.md, session 36).
#ifndef NEARDUP_PREFETCH_H_
#define NEARDUP_PREFETCH_H_

#include <algorithm>
#include <cstddef>

namespace neardup {

// How far ahead the loops over a document's feature ids (document
// frequencies, index weights) fetch their table slots. At a million
// documents the tables outgrow the last-level cache, and 8 ahead was
// too short: 24 took the frequencies step 1.32-1.37 ->
// 1.13-1.22 s and the signatures step 2.00-2.07 -> 1.59-1.63 s (two
// alternated rounds); among c100k the signatures step 0.137 -> 0.122 s.
inline constexpr size_t kFeatureTableAhead = 24;

// Calls visit(i) for i in [0, n) in order, having called prefetch(i +
// ahead) first (prefetch(j) for the first `ahead` steps before the loop).
// prefetch should only hint (__builtin_prefetch): it may run for any i.
template <typename Prefetch, typename Visit>
void VisitAhead(size_t n, size_t ahead, const Prefetch& prefetch, const Visit& visit) {
  for (size_t i = 0; i < std::min(ahead, n); ++i) prefetch(i);
  for (size_t i = 0; i < n; ++i) {
    if (i + ahead < n) prefetch(i + ahead);
    visit(i);
  }
}

}  // namespace neardup

#endif  // NEARDUP_PREFETCH_H_
