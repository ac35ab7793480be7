#include "neardup/background_cache.h"

#define XXH_INLINE_ALL  // xxHash is used header-only (as in crosslingual.cc)
#include <xxhash.h>

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "neardup/cache_file.h"
#include "neardup/le_bytes.h"
#include "neardup/program_hash.h"

namespace neardup {
namespace {

// Background files kept per folder: the newest, one per program build.
constexpr CacheFileKind kKind = {
    .magic = "NDBGF001", .prefix = "background-", .suffix = ".features", .keep = 4};

}  // namespace

uint64_t BackgroundCacheKey(const NormalizeOptions& normalize, std::string_view lexicon_manifest) {
  // Every field of NormalizeOptions: a new one must be added here.
  std::string key = absl::StrCat("fold:", normalize.fold_diacritics,
                                 "\nascii:", normalize.ascii_fast_path,
                                 "\nlexicon:", lexicon_manifest.size(), "\n");
  key.append(lexicon_manifest);
  absl::StrAppend(&key, "\nprogram:", ProgramHash());
  return XXH3_64bits(key.data(), key.size());
}

std::filesystem::path BackgroundCachePath(const std::filesystem::path& dir, uint64_t key) {
  return CacheFilePath(dir, kKind, key);
}

std::optional<std::vector<std::vector<uint32_t>>> ReadBackgroundFeatures(
    const std::filesystem::path& dir, uint64_t key, size_t num_docs) {
  std::string file;
  std::optional<std::string_view> read = ReadCacheFile(dir, kKind, key, &file);
  if (!read) return std::nullopt;
  std::string_view body = *read;
  uint32_t docs;
  if (!GetLe(&body, &docs) || docs != num_docs) return std::nullopt;
  std::vector<std::vector<uint32_t>> features(num_docs);
  for (std::vector<uint32_t>& ids : features) {
    uint32_t n;
    if (!GetLe(&body, &n) || body.size() / sizeof(uint32_t) < n) return std::nullopt;
    ids.resize(n);
    if (n > 0) std::memcpy(ids.data(), body.data(), n * sizeof(uint32_t));
    body.remove_prefix(n * sizeof(uint32_t));
  }
  if (!body.empty()) return std::nullopt;
  return features;
}

absl::Status WriteBackgroundFeatures(const std::filesystem::path& dir, uint64_t key,
                                     const std::vector<std::vector<uint32_t>>& features) {
  std::string out = CacheFileHead(kKind, key);
  PutLe<uint32_t>(&out, static_cast<uint32_t>(features.size()));
  for (const std::vector<uint32_t>& ids : features) {
    PutLe<uint32_t>(&out, static_cast<uint32_t>(ids.size()));
    for (uint32_t id : ids) PutLe<uint32_t>(&out, id);
  }
  return WriteCacheFile(dir, kKind, key, std::move(out));
}

BackgroundFeatureSet LoadOrComputeBackgroundFeatures(
    const std::string& dir, const std::string& lexicon_dir, std::string_view lexicon_manifest,
    const NormalizeOptions& normalize, size_t num_docs,
    const std::function<void(bool all, std::vector<std::vector<uint32_t>>* features)>& compute) {
  BackgroundFeatureSet set;
  const bool keyed = !lexicon_manifest.empty();
  const bool cached = keyed && !dir.empty();
  const uint64_t key = keyed ? BackgroundCacheKey(normalize, lexicon_manifest) : 0;
  if (keyed && !lexicon_dir.empty()) {
    if (auto read = ReadBackgroundFeatures(lexicon_dir, key, num_docs)) {
      set.features = *std::move(read);
      set.prepared = true;
      return set;
    }
  }
  if (cached) {
    if (auto read = ReadBackgroundFeatures(dir, key, num_docs)) {
      set.features = *std::move(read);
      set.from_cache = true;
      return set;
    }
  }
  set.features.resize(num_docs);
  compute(/*all=*/cached, &set.features);
  if (cached) set.written = WriteBackgroundFeatures(dir, key, set.features);
  return set;
}

}  // namespace neardup
