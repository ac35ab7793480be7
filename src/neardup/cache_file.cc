#include "neardup/cache_file.h"

#define XXH_INLINE_ALL  // xxHash is used header-only (as in crosslingual.cc)
#include <xxhash.h>

#include <system_error>

#include "absl/strings/str_format.h"
#include "neardup/io/file.h"
#include "neardup/le_bytes.h"

namespace neardup {

std::filesystem::path CacheFilePath(const std::filesystem::path& dir, const CacheFileKind& kind,
                                    uint64_t key) {
  std::string name(kind.prefix);
  name += absl::StrFormat("%016x", key);
  name += kind.suffix;
  return dir / name;
}

std::optional<std::string_view> ReadCacheFile(const std::filesystem::path& dir,
                                              const CacheFileKind& kind, uint64_t key,
                                              std::string* file) {
  absl::StatusOr<std::string> read = ReadFile(CacheFilePath(dir, kind, key));
  if (!read.ok() || read->size() < kind.magic.size() + 8 + 8) return std::nullopt;
  *file = *std::move(read);
  std::string_view body(file->data(), file->size() - 8);
  std::string_view tail(file->data() + body.size(), 8);
  uint64_t sum, file_key;
  if (!GetLe(&tail, &sum) || sum != XXH3_64bits(body.data(), body.size())) return std::nullopt;
  if (!body.starts_with(kind.magic)) return std::nullopt;
  body.remove_prefix(kind.magic.size());
  if (!GetLe(&body, &file_key) || file_key != key) return std::nullopt;
  return body;
}

std::string CacheFileHead(const CacheFileKind& kind, uint64_t key) {
  std::string head(kind.magic);
  PutLe<uint64_t>(&head, key);
  return head;
}

absl::Status WriteCacheFile(const std::filesystem::path& dir, const CacheFileKind& kind,
                            uint64_t key, std::string bytes) {
  PutLe<uint64_t>(&bytes, XXH3_64bits(bytes.data(), bytes.size()));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (absl::Status s = WriteFileWhole(CacheFilePath(dir, kind, key), {bytes}); !s.ok()) return s;
  KeepNewestFiles(dir, kind.prefix, kind.suffix, kind.keep);
  return absl::OkStatus();
}

}  // namespace neardup
