#include "neardup/word_cache.h"

#include <algorithm>
#include <string_view>

#include "neardup/cache_file.h"
#include "neardup/le_bytes.h"

namespace neardup {
namespace {

// Word files kept per folder: the newest, one per program build.
constexpr CacheFileKind kKind = {
    .magic = "NDWRD001", .prefix = "words-", .suffix = ".cache", .keep = 4};
// A language's name is a short tag; anything longer is damage.
constexpr uint32_t kMaxNameLength = 64;

}  // namespace

std::filesystem::path WordCachePath(const std::filesystem::path& dir, uint64_t key) {
  return CacheFilePath(dir, kKind, key);
}

std::optional<CachedWords> ReadWordCache(const std::filesystem::path& dir, uint64_t key) {
  std::string file;
  std::optional<std::string_view> read = ReadCacheFile(dir, kKind, key, &file);
  if (!read) return std::nullopt;
  std::string_view body = *read;
  uint32_t languages;
  if (!GetLe(&body, &languages)) return std::nullopt;
  CachedWords words;
  for (uint32_t l = 0; l < languages; ++l) {
    uint32_t length, n;
    if (!GetLe(&body, &length) || length > kMaxNameLength || body.size() < length) {
      return std::nullopt;
    }
    std::string name(body.substr(0, length));
    body.remove_prefix(length);
    if (!GetLe(&body, &n) || n > kWordCacheMaxPerLanguage || body.size() / 12 < n) {
      return std::nullopt;
    }
    std::vector<TokenEntry> entries(n);
    for (TokenEntry& e : entries) {
      GetLe(&body, &e.key);
      GetLe(&body, &e.id);
    }
    words.emplace_back(std::move(name), std::move(entries));
  }
  if (!body.empty()) return std::nullopt;
  return words;
}

absl::Status WriteWordCache(const std::filesystem::path& dir, uint64_t key,
                            const CachedWords& words) {
  // Each language's share: its words up to its limit, all of them cut in
  // proportion where they add up to more than the file's.
  size_t total = 0;
  for (const auto& [name, entries] : words) total += std::min(entries.size(), kWordCacheMaxPerLanguage);
  const double share =
      total > kWordCacheMaxWords ? static_cast<double>(kWordCacheMaxWords) / total : 1.0;
  std::string out = CacheFileHead(kKind, key);
  PutLe<uint32_t>(&out, static_cast<uint32_t>(words.size()));
  for (const auto& [name, entries] : words) {
    PutLe<uint32_t>(&out, static_cast<uint32_t>(name.size()));
    out.append(name);
    const size_t n = static_cast<size_t>(
        static_cast<double>(std::min(entries.size(), kWordCacheMaxPerLanguage)) * share);
    PutLe<uint32_t>(&out, static_cast<uint32_t>(n));
    for (size_t i = 0; i < n; ++i) {
      PutLe<uint64_t>(&out, entries[i].key);
      PutLe<uint32_t>(&out, entries[i].id);
    }
  }
  return WriteCacheFile(dir, kKind, key, std::move(out));
}

}  // namespace neardup
