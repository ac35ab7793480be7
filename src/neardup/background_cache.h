// background_cache: the pivot features of the lexicon's background
// documents (calibration.h), kept between runs.
//
// Every cross-language run needs the background documents of its
// languages featurized (about 150 KB of text a language, Chinese and
// Japanese through ICU's dictionary word break): about 80 ms of CPU at
// 10,000 documents, the same for 10 or 10 million. They depend only on
// the lexicon, the normalization options and the code, so they are
// computed once and read by every later run and `neardup explain`
// (pipeline.cc and explain.cc read and write the same files), from the
// first of:
//   1. the lexicon's own folder: `neardup prepare` (PrepareLexicon in
//      pipeline.h) writes the file there for the default normalization;
//      scripts/build.sh runs it after each build, so even a build's first
//      run, or one with --cache-dir none, does not featurize them;
//   2. the cache folder (--cache-dir): a run that had to compute them
//      writes them there.
//
// The key (BackgroundCacheKey) holds everything the features depend on:
// this program's bytes and the shared libraries it loads (ProgramHash),
// the lexicon's MANIFEST (every table's SHA-256, background.tsv's too) and
// the normalization options. Another key, a damaged file or another number
// of documents is a miss: the run featurizes as before and writes the file
// again. Read or computed, the features are the same, and so is the output.
//
// File (DIR/background-<key, 16 hex digits>.features), little-endian:
//   8 bytes "NDBGF001", u64 key, u32 documents, then per document
//   u32 n + n x u32 feature ids; at the end u64 XXH3 of everything before.
#ifndef NEARDUP_BACKGROUND_CACHE_H_
#define NEARDUP_BACKGROUND_CACHE_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "neardup/normalize.h"

namespace neardup {

uint64_t BackgroundCacheKey(const NormalizeOptions& normalize, std::string_view lexicon_manifest);

std::filesystem::path BackgroundCachePath(const std::filesystem::path& dir, uint64_t key);

// The features of `num_docs` documents, in background.tsv's order; nullopt
// if DIR has no valid file for `key` with that many.
std::optional<std::vector<std::vector<uint32_t>>> ReadBackgroundFeatures(
    const std::filesystem::path& dir, uint64_t key, size_t num_docs);

// Writes DIR's file for `key` (DIR created if needed; a temporary name,
// then renamed, so concurrent runs never read half a file), and removes
// the oldest other background files there beyond the newest few (one per
// build of the program that ran).
absl::Status WriteBackgroundFeatures(const std::filesystem::path& dir, uint64_t key,
                                     const std::vector<std::vector<uint32_t>>& features);

// What a run and `neardup explain` call: the features of the `num_docs`
// background documents, read from `lexicon_dir` (its prepared file) or
// else from `dir` (the cache folder) when it has a valid file for
// `lexicon_manifest` and `normalize`; else `compute(all, &features)` fills
// them and, when there is a cache folder (`dir` and `lexicon_manifest`
// both given), they are written there. `all` is true when there is a
// cache folder, so that the file serves later runs in any language; else
// the caller may compute only the documents it needs and leave the others
// empty. An empty `lexicon_manifest` (a lexicon made by hand) reads and
// writes nothing.
struct BackgroundFeatureSet {
  std::vector<std::vector<uint32_t>> features;
  bool prepared = false;    // read from the lexicon's folder
  bool from_cache = false;  // read from the cache folder
  absl::Status written;     // OK unless writing the file failed
};
BackgroundFeatureSet LoadOrComputeBackgroundFeatures(
    const std::string& dir, const std::string& lexicon_dir, std::string_view lexicon_manifest,
    const NormalizeOptions& normalize, size_t num_docs,
    const std::function<void(bool all, std::vector<std::vector<uint32_t>>* features)>& compute);

}  // namespace neardup

#endif  // NEARDUP_BACKGROUND_CACHE_H_
