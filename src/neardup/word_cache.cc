#include "neardup/word_cache.h"

#define XXH_INLINE_ALL  // xxHash is used header-only (as in crosslingual.cc)
#include <xxhash.h>

#include <algorithm>
#include <string_view>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "neardup/io/file.h"
#include "neardup/le_bytes.h"

namespace neardup {
namespace {

constexpr char kMagic[8] = {'N', 'D', 'W', 'R', 'D', '0', '0', '1'};
constexpr char kPrefix[] = "words-";
constexpr char kSuffix[] = ".cache";
// Word files kept per folder: the newest, one per program build.
constexpr size_t kKeep = 4;
// A language's name is a short tag; anything longer is damage.
constexpr uint32_t kMaxNameLength = 64;

}  // namespace

std::filesystem::path WordCachePath(const std::filesystem::path& dir, uint64_t key) {
  return dir / absl::StrCat(kPrefix, absl::StrFormat("%016x", key), kSuffix);
}

std::optional<CachedWords> ReadWordCache(const std::filesystem::path& dir, uint64_t key) {
  absl::StatusOr<std::string> file = ReadFile(WordCachePath(dir, key));
  if (!file.ok() || file->size() < sizeof(kMagic) + 8 + 4 + 8) return std::nullopt;
  std::string_view body(file->data(), file->size() - 8);
  std::string_view tail(file->data() + body.size(), 8);
  uint64_t sum;
  if (!GetLe(&tail, &sum) || sum != XXH3_64bits(body.data(), body.size())) return std::nullopt;
  if (!body.starts_with(std::string_view(kMagic, sizeof(kMagic)))) return std::nullopt;
  body.remove_prefix(sizeof(kMagic));
  uint64_t file_key;
  uint32_t languages;
  if (!GetLe(&body, &file_key) || file_key != key || !GetLe(&body, &languages)) {
    return std::nullopt;
  }
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
  std::string out(kMagic, sizeof(kMagic));
  PutLe<uint64_t>(&out, key);
  PutLe<uint32_t>(&out, static_cast<uint32_t>(words.size()));
  for (const auto& [name, entries] : words) {
    PutLe<uint32_t>(&out, static_cast<uint32_t>(name.size()));
    out.append(name);
    const size_t n = std::min(entries.size(), kWordCacheMaxPerLanguage);
    PutLe<uint32_t>(&out, static_cast<uint32_t>(n));
    for (size_t i = 0; i < n; ++i) {
      PutLe<uint64_t>(&out, entries[i].key);
      PutLe<uint32_t>(&out, entries[i].id);
    }
  }
  PutLe<uint64_t>(&out, XXH3_64bits(out.data(), out.size()));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (absl::Status s = WriteFileWhole(WordCachePath(dir, key), {out}); !s.ok()) return s;
  KeepNewestFiles(dir, kPrefix, kSuffix, kKeep);
  return absl::OkStatus();
}

}  // namespace neardup
