// cache_file: the framing the cache folder's files share (background_cache,
// word_cache): 8 bytes of magic (the kind and its version), a u64 key
// (what the contents depend on), the kind's own body, and at the end the
// XXH3-64 of everything before it. A file is written whole or not at all,
// and the folder keeps the newest few files of each kind.
//
// Thread-safety: pure functions (files are replaced by rename).
#ifndef NEARDUP_CACHE_FILE_H_
#define NEARDUP_CACHE_FILE_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace neardup {

// A kind of cache file: its magic and its name in the folder,
// <prefix><key, 16 hex digits><suffix>, of which the folder keeps `keep`.
struct CacheFileKind {
  std::string_view magic;  // 8 bytes
  std::string_view prefix;
  std::string_view suffix;
  size_t keep = 4;
};

std::filesystem::path CacheFilePath(const std::filesystem::path& dir, const CacheFileKind& kind,
                                    uint64_t key);

// The body of DIR's file of `kind` for `key` (after the magic and the key,
// before the checksum), read into *file; nullopt if there is none, or it is
// damaged (its checksum), of another kind or version, or for another key.
std::optional<std::string_view> ReadCacheFile(const std::filesystem::path& dir,
                                              const CacheFileKind& kind, uint64_t key,
                                              std::string* file);

// The start of a file of `kind` for `key`: the magic and the key, to which
// the caller appends its body before WriteCacheFile.
std::string CacheFileHead(const CacheFileKind& kind, uint64_t key);

// Appends the checksum to `bytes` (from CacheFileHead), writes them as
// DIR's file of `kind` for `key` (DIR created if needed), and removes the
// oldest other files of that kind beyond kind.keep.
absl::Status WriteCacheFile(const std::filesystem::path& dir, const CacheFileKind& kind,
                            uint64_t key, std::string bytes);

}  // namespace neardup

#endif  // NEARDUP_CACHE_FILE_H_
