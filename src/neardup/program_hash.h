// program_hash: a key for "the same code": this program's bytes and the
// shared libraries it has loaded. Caches kept between runs (seen_cache.h,
// background_cache.h) include it in their keys, so that a rebuilt program
// or an updated library (ICU, libstemmer, CLD2) never replays work that an
// older one did.
#ifndef NEARDUP_PROGRAM_HASH_H_
#define NEARDUP_PROGRAM_HASH_H_

#include <cstdint>

namespace neardup {

// XXH3 of /proc/self/exe's bytes and of the path, size and modification
// time of each shared library mapped. Computed once per process (about a
// millisecond for a program of a few MB).
uint64_t ProgramHash();

}  // namespace neardup

#endif  // NEARDUP_PROGRAM_HASH_H_
