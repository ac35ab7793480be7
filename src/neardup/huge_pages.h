// huge_pages: an allocator that puts large arrays on transparent huge pages.
//
// Why: a run touches a few hundred MiB of fresh memory (signature blocks,
// band indexes, pivot weights), and each first touch of a 4 KiB page is a
// page fault. On the virtual machines neardup runs on a fault costs about
// 10 us, so 100,000 documents paid about 1 s of system time in faults; one
// 2 MiB page replaces 512 of them (measured in docs/performance.md).
//
// Arrays of at least kHugePageBytes get a mapping of their own, aligned to
// 2 MiB and advised MADV_HUGEPAGE (the kernel honours it when THP is
// "madvise" or "always", Debian's default being "madvise"; elsewhere it is
// a no-op). Smaller arrays come from operator new as usual. The memory of
// a fresh mapping is zero, like any new page.
#ifndef NEARDUP_HUGE_PAGES_H_
#define NEARDUP_HUGE_PAGES_H_

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace neardup {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// A mapping of at least `bytes` (rounded up to 2 MiB), 2 MiB aligned and
// advised for huge pages. Throws std::bad_alloc when out of memory.
void* AllocateHuge(size_t bytes);
// Releases what AllocateHuge(bytes) returned (same `bytes`).
void FreeHuge(void* p, size_t bytes);

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes >= kHugePageBytes) return static_cast<T*>(AllocateHuge(bytes));
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes >= kHugePageBytes) {
      FreeHuge(p, bytes);
    } else {
      std::allocator<T>().deallocate(p, n);
    }
  }
  // Elements made without a value are default-initialized: LargeVector<T>
  // (n) or resize(n) leave trivial elements unset (zero when the array got
  // its own mapping), sparing a pass over memory the caller fills anyway.
  // Ask for zeros with LargeVector<T>(n, T{}).
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
};

// A vector whose storage, once large, is on huge pages, and whose sized
// construction does not zero (see construct above).
template <typename T>
using LargeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace neardup

#endif  // NEARDUP_HUGE_PAGES_H_
