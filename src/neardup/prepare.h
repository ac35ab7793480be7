// prepare: what `neardup prepare` does. It computes, once per build of the
// program, the work every cross-language run would otherwise repeat from
// the lexicon alone, and stores it in the lexicon's folder.
//
// Today that is the pivot features of the lexicon's background documents
// (calibration.h, background_cache.h): about 150 KB of text a language,
// Chinese and Japanese through ICU's dictionary word break. A run reads
// them from the lexicon's folder before it looks in its cache folder, so a
// build's first run, and every run with --cache-dir none (a container
// whose cache is not kept, a pipeline's fresh machine), does not featurize
// them. scripts/build.sh runs `neardup prepare` after each build.
//
// The file is keyed like the cache folder's (BackgroundCacheKey: the
// program and its libraries, the lexicon's MANIFEST, the normalization
// options), so a rebuilt program or lexicon, or other normalization
// options, miss it and featurize as before. Read or computed, the features
// are the same, and so is the output.
#ifndef NEARDUP_PREPARE_H_
#define NEARDUP_PREPARE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "neardup/normalize.h"

namespace neardup {

struct PrepareResult {
  std::string path;            // the file for this program, lexicon and options
  bool already_there = false;  // a valid file was there: nothing computed
  size_t documents = 0;        // background documents
};

// Writes the background documents' features for `normalize` into
// `lexicon_dir` (DefaultLexiconDir() if empty), on `threads` threads,
// unless a valid file is there already. Errors: the lexicon cannot be
// loaded, has no MANIFEST or no background.tsv, or its folder cannot be
// written.
absl::StatusOr<PrepareResult> PrepareLexicon(const std::string& lexicon_dir,
                                             const NormalizeOptions& normalize, int threads);

}  // namespace neardup

#endif  // NEARDUP_PREPARE_H_
