// word_cache: the pivot features of the words a run has read (the token
// caches of crosslingual.h), kept between runs in the cache folder.
//
// A cross-language run turns each distinct word of each language into its
// pivot feature once (stemming, the lexicon's look-ups, a name key,
// romanization: crosslingual.h), then finds it in a token cache. At 10,000
// documents of new text nearly every other word is new, and those first
// sightings are a third of the run's reading. A word's feature depends
// only on the word, its language, the lexicon and the code, so a run
// writes its words to the cache folder (--cache-dir) and the next run
// starts with them: a feed read every day meets most of its words again.
//
// The key is the background cache's (BackgroundCacheKey: the program and
// the libraries it loads, the lexicon's MANIFEST, the normalization
// options); another key or a damaged file is a miss, and the run computes
// every word as before. Read or computed, the features are the same, and
// so is the output.
//
// File (DIR/words-<key, 16 hex digits>.cache), little-endian:
//   8 bytes "NDWRD001", u64 key, u32 languages, then per language:
//   u32 length + the language's name, u32 n, n x (u64 token hash, u32 id);
//   at the end u64 XXH3 of everything before it.
// At most kWordCacheMaxPerLanguage words a language are kept (the oldest:
// a corpus's common words come early), 12 bytes each, and kWordCacheMaxWords
// in all (each language's cut in proportion). A run reads the whole file,
// but stores a language's words in its token cache only when it meets the
// language (PivotCaches::Offer).
#ifndef NEARDUP_WORD_CACHE_H_
#define NEARDUP_WORD_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "neardup/token_cache.h"

namespace neardup {

// A cache's words, by language name.
using CachedWords = LanguageEntries;

// Half a token cache's limit, so that a run still has room for as many new
// words before its caches clear themselves (TokenCache::kLimit).
inline constexpr size_t kWordCacheMaxPerLanguage = TokenCache::kLimit / 2;
// 24 MB: what a run reads before its first document stays small.
inline constexpr size_t kWordCacheMaxWords = size_t{1} << 21;

std::filesystem::path WordCachePath(const std::filesystem::path& dir, uint64_t key);

// DIR's words for `key`; nullopt if it has no valid file for it.
std::optional<CachedWords> ReadWordCache(const std::filesystem::path& dir, uint64_t key);

// Writes DIR's file for `key` (DIR created if needed; whole or not at all,
// io/file.h), the oldest words of each language up to the limits above,
// and removes the oldest other word files there beyond the newest few (one
// per build of the program that ran).
absl::Status WriteWordCache(const std::filesystem::path& dir, uint64_t key,
                            const CachedWords& words);

}  // namespace neardup

#endif  // NEARDUP_WORD_CACHE_H_
