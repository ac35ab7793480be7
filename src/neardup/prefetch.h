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
