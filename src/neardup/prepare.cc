#include "neardup/prepare.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "neardup/background_cache.h"
#include "neardup/calibration.h"
#include "neardup/crosslingual.h"
#include "neardup/io/file.h"
#include "neardup/thread_pool.h"

namespace neardup {

absl::StatusOr<PrepareResult> PrepareLexicon(const std::string& lexicon_dir,
                                             const NormalizeOptions& normalize, int threads) {
  const std::string dir = lexicon_dir.empty() ? DefaultLexiconDir() : lexicon_dir;
  absl::StatusOr<std::shared_ptr<const Lexicon>> lexicon = Lexicon::Load(dir);
  if (!lexicon.ok()) return lexicon.status();
  absl::StatusOr<std::string> manifest = ReadFile(std::filesystem::path(dir) / "MANIFEST");
  if (!manifest.ok() || manifest->empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the lexicon in '", dir, "' has no MANIFEST, so nothing prepared could be keyed to it"));
  }
  absl::StatusOr<std::vector<BackgroundDoc>> background = LoadBackground(dir);
  if (!background.ok()) return background.status();
  if (background->empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the lexicon in '", dir, "' has no background.tsv"));
  }
  PrepareResult result;
  result.documents = background->size();
  const uint64_t key = BackgroundCacheKey(normalize, *manifest);
  result.path = BackgroundCachePath(dir, key).string();
  if (ReadBackgroundFeatures(dir, key, background->size())) {
    result.already_there = true;
    return result;
  }
  // Each thread its own tokenizer and featurizer (neither is thread-safe);
  // documents taken in turn, each written to its own slot.
  std::vector<std::vector<uint32_t>> features(background->size());
  std::atomic<size_t> next{0};
  const int workers = std::max(threads, 1);
  std::vector<absl::Status> failed(static_cast<size_t>(workers));
  RunOnThreads(workers, [&](int t) {
    absl::StatusOr<std::unique_ptr<Tokenizer>> tokenizer = Tokenizer::Create(normalize);
    absl::StatusOr<std::unique_ptr<PivotFeaturizer>> pivot = PivotFeaturizer::Create(*lexicon);
    if (!tokenizer.ok() || !pivot.ok()) {
      failed[t] = tokenizer.ok() ? pivot.status() : tokenizer.status();
      return;
    }
    TokenList tokens;
    for (size_t i; (i = next.fetch_add(1)) < background->size();) {
      const BackgroundDoc& doc = (*background)[i];
      (*tokenizer)->Tokenize(doc.text, &tokens);
      (*pivot)->Features(tokens, doc.lang, &features[i]);
    }
  });
  for (const absl::Status& s : failed) {
    if (!s.ok()) return s;
  }
  if (absl::Status s = WriteBackgroundFeatures(dir, key, features); !s.ok()) return s;
  return result;
}

}  // namespace neardup
