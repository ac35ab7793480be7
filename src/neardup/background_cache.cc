#include "neardup/background_cache.h"

#define XXH_INLINE_ALL  // xxHash is used header-only (as in crosslingual.cc)
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "neardup/io/file.h"
#include "neardup/le_bytes.h"
#include "neardup/program_hash.h"

namespace neardup {
namespace {

constexpr char kMagic[8] = {'N', 'D', 'B', 'G', 'F', '0', '0', '1'};
constexpr char kPrefix[] = "background-";
constexpr char kSuffix[] = ".features";
// Background files kept per folder: the newest, one per program build.
constexpr size_t kKeep = 4;

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
  return dir / absl::StrCat(kPrefix, absl::StrFormat("%016x", key), kSuffix);
}

std::optional<std::vector<std::vector<uint32_t>>> ReadBackgroundFeatures(
    const std::filesystem::path& dir, uint64_t key, size_t num_docs) {
  absl::StatusOr<std::string> file = ReadFile(BackgroundCachePath(dir, key));
  if (!file.ok() || file->size() < sizeof(kMagic) + 8 + 4 + 8) return std::nullopt;
  std::string_view body(file->data(), file->size() - 8);
  std::string_view tail(file->data() + body.size(), 8);
  uint64_t sum;
  if (!GetLe(&tail, &sum) || sum != XXH3_64bits(body.data(), body.size())) return std::nullopt;
  if (!body.starts_with(std::string_view(kMagic, sizeof(kMagic)))) return std::nullopt;
  body.remove_prefix(sizeof(kMagic));
  uint64_t file_key;
  uint32_t docs;
  if (!GetLe(&body, &file_key) || file_key != key || !GetLe(&body, &docs) || docs != num_docs) {
    return std::nullopt;
  }
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
  std::string out(kMagic, sizeof(kMagic));
  PutLe<uint64_t>(&out, key);
  PutLe<uint32_t>(&out, static_cast<uint32_t>(features.size()));
  for (const std::vector<uint32_t>& ids : features) {
    PutLe<uint32_t>(&out, static_cast<uint32_t>(ids.size()));
    for (uint32_t id : ids) PutLe<uint32_t>(&out, id);
  }
  PutLe<uint64_t>(&out, XXH3_64bits(out.data(), out.size()));

  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (absl::Status s = WriteFileWhole(BackgroundCachePath(dir, key), {out}); !s.ok()) return s;
  KeepNewestFiles(dir, kPrefix, kSuffix, kKeep);
  return absl::OkStatus();
}

BackgroundFeatureSet LoadOrComputeBackgroundFeatures(
    const std::string& dir, std::string_view lexicon_manifest, const NormalizeOptions& normalize,
    size_t num_docs,
    const std::function<void(bool all, std::vector<std::vector<uint32_t>>* features)>& compute) {
  BackgroundFeatureSet set;
  const bool cached = !dir.empty() && !lexicon_manifest.empty();
  const uint64_t key = cached ? BackgroundCacheKey(normalize, lexicon_manifest) : 0;
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
