// shingle: turns a document's tokens into its set of shingle hashes.
//
// A shingle is n consecutive tokens (word mode, the default) or n
// consecutive code points of the tokens joined by single spaces (char
// mode). Each shingle is hashed with XXH3-64 under a seed; in word mode the
// token hashes are computed once and the n token hashes are hashed together,
// so no shingle string is ever built. A document with fewer than n units
// still gets one shingle: all of its units. A document without tokens gets
// none (the pipeline rejects it as empty).
//
// Thread-safety: pure functions; `Shingler` holds scratch buffers, so use
// one per thread.
#ifndef NEARDUP_SHINGLE_H_
#define NEARDUP_SHINGLE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "neardup/normalize.h"

namespace neardup {

enum class ShingleUnit { kWord, kChar };

struct ShingleOptions {
  // What a shingle is made of. Default: words.
  ShingleUnit unit = ShingleUnit::kWord;
  // Units per shingle. Default: 5. REQUIRES: 1 <= n <= 64.
  int n = 5;
  // Seed of the shingle hash. Default: 0.
  uint64_t seed = 0;

  absl::Status Validate() const;
};

class Shingler {
 public:
  explicit Shingler(const ShingleOptions& options) : options_(options) {}

  // Replaces *out with the distinct shingle hashes of `tokens`, in no
  // particular order (sort them for ExactOverlap).
  void Shingle(const TokenList& tokens, std::vector<uint64_t>* out);

  // Units (tokens, or code points with the spaces between tokens) of the
  // last Shingle() call's document.
  size_t units() const { return units_; }

  // Appends the hashes of the last Shingle() call's runs of k units, for k
  // below that document's units (else nothing), each hashed as the one
  // shingle of a document of exactly those k units is: a document shorter
  // than n units is then found inside a longer one (the contamination
  // check's short items). Not de-duplicated.
  void ShinglesOfLength(size_t k, std::vector<uint64_t>* out) const;

  // Word shingles: the hash of the last Shingle() call's tokens [i, i + k)
  // as one shingle (i + k <= units()), as ShinglesOfLength makes it.
  uint64_t WordRun(size_t i, size_t k) const;

  // XXH3_64bits of each token of the last Shingle() call, when it made
  // word shingles (empty for character shingles): others may reuse them.
  std::span<const uint64_t> token_hashes() const {
    return options_.unit == ShingleUnit::kWord ? token_hashes_ : std::span<const uint64_t>{};
  }

 private:
  void WordShingles(const TokenList& tokens, std::vector<uint64_t>* out);
  void CharShingles(const TokenList& tokens, std::vector<uint64_t>* out);
  void Deduplicate(std::vector<uint64_t>* hashes);

  ShingleOptions options_;
  size_t units_ = 0;
  std::vector<uint64_t> token_hashes_;
  std::string joined_;
  std::vector<uint32_t> starts_;  // byte offset of each code point in joined_
  std::vector<uint64_t> table_;   // open-addressing set for de-duplication
};

}  // namespace neardup

#endif  // NEARDUP_SHINGLE_H_
