// pipeline: the whole dedup run, from input paths to groups and scores.
//
//   RunDedup(inputs, options) reads every record, rejects what cannot be
//   used (with a reason), signs the rest, finds candidate pairs with LSH,
//   verifies them, groups them, and returns one DocumentResult per input
//   record, in input order, plus the verified pairs and the groups.
//
// Threads: the calling thread reads; `threads` workers parse, normalize,
// shingle and sign batches of records, and later verify candidate pairs.
// Results are put back in input order before anything depends on them, so
// the result is identical for any thread count.
//
// The library never prints: progress goes to an optional callback, and
// problems with single records are in the result. The returned status is
// an error only for what ends a run: an unreadable input, invalid options,
// or (with `strict`) the first rejected record.
#ifndef NEARDUP_PIPELINE_H_
#define NEARDUP_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "neardup/cluster.h"
#include "neardup/crosslingual.h"
#include "neardup/io/json.h"
#include "neardup/io/reader.h"
#include "neardup/lsh.h"
#include "neardup/minhash.h"
#include "neardup/normalize.h"
#include "neardup/shingle.h"

namespace neardup {

struct Progress {
  const char* phase = "";  // "reading", "indexing", "verifying", ...
  uint64_t records = 0;
  uint64_t bytes = 0;
  double seconds = 0;
};

struct PipelineOptions {
  InputOptions input;
  NormalizeOptions normalize;
  ShingleOptions shingle;
  MinHashOptions minhash;
  LshOptions lsh;  // lsh.threshold is also the verification threshold
  CrossLingualOptions crosslingual;
  VerifyMode verify = VerifyMode::kAuto;
  KeepPolicy keep = KeepPolicy::kLongest;
  // Keep one document per group, instead of one per language and group.
  // Default: false.
  bool keep_one_per_group = false;
  // Also report the pivot pairs that were scored but not linked (pairs.jsonl
  // with "linked": false), for choosing thresholds: those the run scored,
  // and the other pairs that share a bucket of the pivot index where the
  // index holds at most all_pairs_max_documents documents and they are at
  // most all_pairs_limit pairs (else a warning says so: each costs about
  // 400 bytes of memory, and listing them among a million documents took
  // more than 24 GB). Default: false; 20,000 documents, 10 million pairs.
  bool all_pairs = false;
  size_t all_pairs_max_documents = 20'000;
  size_t all_pairs_limit = 10'000'000;
  // Worker threads. Default: 0, one per core.
  int threads = 0;
  // Records (or candidate pairs, or documents) per task handed to a worker.
  // Default: 512. Results never depend on it.
  int batch_size = 512;
  // Stop at the first rejected record. Default: false (reject and go on).
  bool strict = false;
  // The first `seen_inputs` inputs hold documents seen before: an archive of
  // earlier runs' kept documents, or an evaluation set to keep out of a
  // training corpus. They are read and matched like the others, but where
  // they match they are the ones kept: an input document that duplicates
  // (or, with keep_one_per_group, translates) one is dropped. They are not
  // reported: not in RunResult's documents' counts, nor in its pairs
  // unless paired with an input document, nor in groups of their own.
  // Default: 0.
  uint32_t seen_inputs = 0;
  // An input document in a seen document's variant set (its near-
  // duplicates and translations, not other articles on its story) is
  // dropped whatever its language, "translation of seen document ID"; by
  // default one per language is kept. Default: false.
  bool seen_drops_translations = false;
  // A folder where what reading made of each seen input that is a regular
  // file is kept between runs (seen_cache.h): an unchanged seen input is
  // then replayed, not read and signed again. Not with exact verification
  // (which keeps every shingle set). Default: empty, none.
  std::string seen_cache_dir;
  // A folder where work that depends only on the lexicon, the options and
  // the program is kept between runs: the pivot features of the lexicon's
  // background documents (background_cache.h), which every cross-language
  // run needs. The CLI's default is $XDG_CACHE_HOME/neardup. Default:
  // empty, none (the library writes nothing unless asked).
  std::string cache_dir;
  // Called from the reading thread a few times a second. Optional.
  std::function<void(const Progress&)> progress;

  absl::Status Validate() const;
  int ResolvedThreads() const;
};

// Stable, machine-readable reasons for rejecting a record.
enum class RejectCode : uint8_t {
  kNone = 0,
  kInvalidJson,
  kInvalidUtf8,
  kNulByte,
  kMissingText,
  kBadField,
  kEmpty,
  kNoWords,
  kTooLarge,
  kUnreadable,
  kDuplicateId,
  kTooShort,  // check: fewer units than CheckOptions::min_length
};
std::string_view RejectCodeName(RejectCode code);

enum class Outcome : uint8_t { kKept, kDuplicate, kRejected };
std::string_view OutcomeName(Outcome outcome);

struct DocumentResult {
  std::string id;     // the record's id; "<input>:<line>" if it had none
  bool id_given = false;
  uint32_t input = 0;  // index into RunResult::input_names
  uint64_t line = 0;   // JSONL line (1-based); 0 for files
  uint64_t offset = 0; // byte offset of the JSONL line in its input
  std::string lang;    // as given (normalized: "pt-BR" → "pt"), or guessed
  bool lang_guessed = false;
  // The input's tag when it was set aside for a guess: a language not
  // written in the script of most of the text's words (TagFitsText).
  std::string lang_given;
  uint64_t text_bytes = 0;
  uint32_t num_shingles = 0;
  Outcome outcome = Outcome::kKept;
  RejectCode reject = RejectCode::kNone;
  std::string reason;  // why rejected, in words (empty otherwise)
  int64_t group = -1;  // index into RunResult::groups, or -1
  // From one of the seen inputs (PipelineOptions::seen_inputs): not one of
  // the run's documents to report.
  bool seen = false;
};

struct RunStats {
  // Records of the inputs (documents), not of the seen inputs.
  uint64_t records = 0;
  uint64_t kept = 0;
  uint64_t duplicates = 0;
  // Of the duplicates, those dropped for a kept document of another
  // language ("translation of ID": --keep-one-per-group,
  // --seen-drops-translations).
  uint64_t dropped_translations = 0;
  uint64_t rejected = 0;
  std::map<std::string, uint64_t> rejected_by_code;
  // Records of the seen inputs, and how many of them were rejected.
  uint64_t seen_records = 0;
  uint64_t seen_rejected = 0;
  uint64_t seen_cached_inputs = 0;  // seen inputs replayed from their cache
  // The background's pivot features came from the lexicon's folder
  // (PrepareLexicon) or from the cache folder (cache_dir) rather than
  // featurized (not in summary.json, which two runs of one input write
  // alike).
  bool background_prepared = false;
  bool background_from_cache = false;
  // Words whose pivot features came from the cache folder (word_cache.h),
  // and those the run featurized (not in summary.json either).
  uint64_t words_from_cache = 0;
  uint64_t words_featurized = 0;
  uint64_t blank_lines = 0;
  uint64_t bytes_read = 0;
  uint64_t text_bytes = 0;  // of accepted documents
  LshParams lsh;
  uint64_t identical_signatures = 0;  // documents collapsed onto a twin
  uint64_t candidate_pairs = 0;
  uint64_t verified_pairs = 0;
  uint64_t exact_rechecks = 0;  // borderline pairs decided on exact Jaccard
  // Cross-language linking.
  bool crosslingual = false;  // ran (enabled, lexicon found, >= 2 languages)
  std::map<std::string, uint64_t> languages;  // accepted documents per language
  uint64_t lang_tags_set_aside = 0;  // tags that did not fit the text's script
  uint64_t pivot_candidate_pairs = 0;  // cross-language candidates from LSH
  uint64_t pivot_mutual_pairs = 0;     // mutual best matches above the floor
  uint64_t pivot_below_margin = 0;      // mutual best, below the margin
  uint64_t pivot_without_agreement = 0; // links the chain rule stopped
  uint64_t pivot_numbers_disagree = 0;  // links the numbers rule stopped
  uint64_t pivot_below_background = 0;  // mutual best, below background_z
  uint64_t pivot_below_input = 0;       // mutual best, below input_z
  uint64_t pivot_linked_pairs = 0;     // merged (all links made)
  uint64_t pivot_version_joins = 0;    // of them, joining versions of a text
  uint64_t story_linked_pairs = 0;     // clusters joined as one story
  uint64_t date_story_pairs = 0;       // of them, two groups on one date
  double seconds_crosslingual = 0;
  int threads = 0;
  // Wall-clock seconds per phase.
  double seconds_read = 0;  // read, parse, normalize, shingle, sign
  double seconds_index = 0;
  double seconds_verify = 0;
  double seconds_group = 0;
  double seconds_total = 0;
  uint64_t peak_rss_bytes = 0;
};

struct RunResult {
  std::vector<std::string> input_names;  // the seen inputs' first
  uint32_t seen_inputs = 0;              // how many of them are seen inputs
  std::vector<InputKind> input_kinds;  // one per input name
  // Things the user should know that are not about one record (e.g. the
  // lexicon is missing, so cross-language grouping is off).
  std::vector<std::string> warnings;
  // One per record, input order; the seen inputs' records (seen = true)
  // first. Pairs and groups index it.
  std::vector<DocumentResult> documents;
  // Verified, sorted by (a, b); none between two seen documents.
  std::vector<ScoredPair> pairs;
  // With all_pairs: pivot pairs scored but not linked, sorted by (a, b).
  std::vector<ScoredPair> unlinked_pairs;
  std::vector<Group> groups;  // those with an input (not seen) document
  RunStats stats;

  // The index of the first document of the inputs (after the seen ones').
  size_t FirstInputDocument() const;

  // "file:line" for a JSONL record, "folder/relative/path" for a file.
  std::string SourceOf(const DocumentResult& doc) const;
};

// Where a document came from: "file:line" for a JSONL record,
// "folder/relative/path" for a file of a folder, the path of a text-file
// input. `names` and `kinds` are a reader's, per input.
std::string SourceOf(const std::vector<std::string>& names,
                     const std::vector<InputKind>& kinds, const DocumentResult& doc);

// The id of a JSONL record that gives none: "FILE:LINE" (`input_name` as
// the reader names the input, the line from 1).
std::string DefaultId(const std::string& input_name, uint64_t line);

// The text of a raw record, or why it has none. Fills the document's
// place (input, line, offset), its id and language tag when the record
// gives them, and text_bytes; returns false with the rejection filled in
// (unreadable, too large, invalid JSON or UTF-8, NUL, empty). `*text`
// views rec's bytes or the parser's buffer. Shared by dedup and check.
bool TextOfRecord(const RawRecord& rec, JsonRecordParser& parser,
                  DocumentResult* doc, std::string_view* text);

absl::StatusOr<RunResult> RunDedup(const std::vector<std::string>& inputs,
                                   const PipelineOptions& options);

}  // namespace neardup

#endif  // NEARDUP_PIPELINE_H_
