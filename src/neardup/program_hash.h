// program_hash: a key for "the same code": this program's bytes and the
// shared libraries it has loaded. Caches kept between runs (seen_cache.h,
// background_cache.h) include it in their keys, so that a rebuilt program
// or an updated library (ICU, libstemmer, CLD2) never replays work that an
// older one did.
#ifndef NEARDUP_PROGRAM_HASH_H_
#define NEARDUP_PROGRAM_HASH_H_

#include <cstdint>
#include <string_view>

namespace neardup {

// XXH3 of this program's GNU build ID (the linker's SHA-1 of the linked
// file: Debian's GCC links every program with one), else of
// /proc/self/exe's bytes; and of the path, size and modification time of
// each shared library mapped. Computed once per process. Reading and
// hashing the program's 1.6 MB took 1-1.7 ms of every cross-language run;
// its build ID is in memory already.
uint64_t ProgramHash();

// The build ID's bytes, from the program's PT_NOTE segments as loaded;
// empty if it has none.
std::string_view ProgramBuildId();

}  // namespace neardup

#endif  // NEARDUP_PROGRAM_HASH_H_
