// check: which documents of an evaluation set a training corpus contains
// (benchmark contamination), by exact n-gram overlap.
//
// Near-duplicate search (RunDedup) compares whole documents by Jaccard,
// so it misses what matters here: a 60-word test question inside a
// 3,000-word web page has a Jaccard of 0.02 with it. The check measures
// containment instead, exactly, not by sampling. The evaluation set is
// small; its distinct shingles (word 8-grams by default) are held in
// memory with the documents that have them. The training corpus is
// streamed once, on every thread, and each of its documents' distinct
// shingles is looked up. An evaluation document is contaminated when at
// least `containment` of its shingles occur in the training corpus
// (PaLM's definition: 70 % of its 8-grams); the training documents that
// share the most of them are reported as evidence, with their own
// containment (the share of the evaluation document's shingles that one
// training document has). An evaluation document shorter than n units has
// one shingle, all of it: each training document's runs of that length
// are looked up too (only those starting with a short document's first
// word, in word mode), so it is found whole. Documents shorter than
// `min_length` are rejected: runs that short turn up by chance.
//
// Memory: about 70 bytes per distinct evaluation shingle at the peak
// (postings sorted into runs, a hash map of keys), plus the evaluation
// set's ids; the training corpus is not held. Time: one pass
// over the training corpus at about the speed of dedup's reading stage.
#ifndef NEARDUP_CHECK_H_
#define NEARDUP_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/io/reader.h"
#include "neardup/normalize.h"
#include "neardup/pipeline.h"
#include "neardup/shingle.h"

namespace neardup {

struct CheckOptions {
  InputOptions input;
  NormalizeOptions normalize;
  // Word 8-grams by default (PaLM); short documents have one shingle of
  // all their words.
  ShingleOptions shingle{ShingleUnit::kWord, 8, 0};
  // Share of an evaluation document's shingles found in the training
  // corpus at which it is contaminated. In (0, 1]. Default: 0.7.
  double containment = 0.7;
  // Evaluation documents of fewer units (words, or code points in char
  // mode) are not checked: they are rejected as too short. A document of
  // at least this many units but fewer than n is found when a training
  // document has all of it in a row. Measured: of 100 runs of k words
  // from Debian's documentation (the dev set), the 100,000 documents of
  // the reference corpus had 98 of the 1-word ones, 68 at 2 words, 34 at
  // 3, 8 at 4, and 0 to 2 from 5 words on. Default: 0, which means 5
  // words or 20 characters (a 5-character run is a piece of a word), and
  // never more than n. REQUIRES: >= 0.
  int min_length = 0;
  // min_length, or its default when 0.
  int ResolvedMinLength() const;
  // Training documents listed per evaluation document (those sharing the
  // most shingles). Default: 3.
  int max_matches = 3;
  // Worker threads; 0 = every core.
  int threads = 0;
  // Called now and then while the training corpus is read.
  std::function<void(uint64_t records, uint64_t bytes)> progress;

  absl::Status Validate() const;
};

// A training document that shares shingles with an evaluation document.
struct CheckMatch {
  std::string id;      // its id (FILE:LINE if it has none)
  std::string source;  // FILE:LINE, FOLDER/PATH or FILE
  uint32_t shared = 0; // distinct shingles of the evaluation document it has
  double containment = 0;  // shared / the evaluation document's shingles
};

struct CheckedDocument {
  DocumentResult doc;  // place, id, and outcome kRejected with a reason
  std::string source;
  uint32_t num_shingles = 0;
  // Its units (words by default) when fewer than n: its one shingle is all
  // of it, found where a training document has all of it in a row
  // (Shingler::ShinglesOfLength). 0 for the others.
  uint32_t short_units = 0;
  uint32_t found = 0;  // of its shingles, those the training corpus has
  double containment = 0;  // found / num_shingles
  bool contaminated = false;
  std::vector<CheckMatch> matches;  // most shared first
};

// A training record that holds, by itself, at least `containment` of some
// evaluation document's shingles: what --clean-train leaves out.
struct ContainingRecord {
  uint64_t record = 0;  // its number in the training corpus, from 0
  uint32_t input = 0;   // its place, as DocumentResult has it
  uint64_t line = 0, offset = 0;
  std::string name;     // a text file's id
};

struct CheckResult {
  std::vector<CheckedDocument> eval;  // one per evaluation record, in order
  std::vector<ContainingRecord> train_containing;  // by record number
  std::vector<std::string> eval_inputs, train_inputs;
  uint64_t contaminated = 0;
  uint64_t eval_rejected = 0;
  uint64_t eval_too_short = 0;  // of those rejected, below min_length
  uint64_t short_eval = 0;      // checked documents shorter than n units
  uint64_t train_records = 0;
  uint64_t train_rejected = 0;  // unreadable, invalid, empty: not searched
  uint64_t train_bytes = 0;
  uint64_t distinct_eval_shingles = 0;
  double seconds = 0;
  int threads = 1;
};

absl::StatusOr<CheckResult> RunCheck(const std::vector<std::string>& eval_inputs,
                                     const std::vector<std::string>& train_inputs,
                                     const CheckOptions& options);

// One line per evaluation record, in input order (README, "Checking an
// evaluation set").
std::string ContaminationJsonl(const CheckResult& result);
std::string CheckSummaryJson(const CheckResult& result, const CheckOptions& options);

}  // namespace neardup

#endif  // NEARDUP_CHECK_H_
