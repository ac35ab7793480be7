#include "neardup/pipeline.h"

#define XXH_INLINE_ALL
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <iterator>
#include <cmath>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <numeric>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/container/flat_hash_set.h"
#include "neardup/background_cache.h"
#include "neardup/calibration.h"
#include "neardup/huge_pages.h"
#include "neardup/io/file.h"
#include "neardup/io/json.h"
#include "neardup/pivot_spill.h"
#include "neardup/prefetch.h"
#include "neardup/story.h"
#include "neardup/langid.h"
#include "neardup/seen_cache.h"
#include "neardup/thread_pool.h"
#include "neardup/word_cache.h"

namespace neardup {

std::string_view RejectCodeName(RejectCode code) {
  switch (code) {
    case RejectCode::kNone: return "";
    case RejectCode::kInvalidJson: return "invalid_json";
    case RejectCode::kInvalidUtf8: return "invalid_utf8";
    case RejectCode::kNulByte: return "nul_byte";
    case RejectCode::kMissingText: return "missing_text";
    case RejectCode::kBadField: return "bad_field";
    case RejectCode::kEmpty: return "empty";
    case RejectCode::kNoWords: return "no_words";
    case RejectCode::kTooLarge: return "too_large";
    case RejectCode::kUnreadable: return "unreadable";
    case RejectCode::kDuplicateId: return "duplicate_id";
    case RejectCode::kTooShort: return "too_short";
  }
  return "unknown";
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kKept: return "kept";
    case Outcome::kDuplicate: return "duplicate";
    case Outcome::kRejected: return "rejected";
  }
  return "unknown";
}

absl::Status PipelineOptions::Validate() const {
  if (absl::Status s = input.Validate(); !s.ok()) return s;
  if (absl::Status s = shingle.Validate(); !s.ok()) return s;
  if (absl::Status s = minhash.Validate(); !s.ok()) return s;
  if (absl::Status s = lsh.Validate(minhash.num_perm); !s.ok()) return s;
  if (crosslingual.num_perm < 1 || crosslingual.num_perm > 4096) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the pivot signature's size must be between 1 and 4096, got ",
        crosslingual.num_perm));
  }
  if (absl::Status st = ValidateBucketTiers(crosslingual.bucket_tiers, "the pivot index");
      !st.ok()) {
    return st;
  }
  if (crosslingual.index_idf_power < 1 || crosslingual.index_idf_power > 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "index_idf_power must be between 1 and 4, got ", crosslingual.index_idf_power));
  }
  if (!(crosslingual.many_band_share > 0 && crosslingual.many_band_share <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "many_band_share must be in (0, 1], got ", crosslingual.many_band_share));
  }
  if (crosslingual.strongest_pairs < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("strongest_pairs must be at least 0, got ", crosslingual.strongest_pairs));
  }
  if (crosslingual.thin_max_kept < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("thin_max_kept must be at least 2, got ", crosslingual.thin_max_kept));
  }

  if (!(crosslingual.floor >= 0 && crosslingual.floor <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the translation floor must be in [0, 1], got ", crosslingual.floor));
  }
  if (!(crosslingual.margin >= 1 && std::isfinite(crosslingual.margin))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the translation margin must be a number of at least 1, got ", crosslingual.margin));
  }
  if (!(crosslingual.numbers >= 0 && crosslingual.numbers <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the translation numbers share must be a number in [0, 1], got ", crosslingual.numbers));
  }
  if (!(crosslingual.agreement >= 0 && std::isfinite(crosslingual.agreement))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the translation agreement must be a number of at least 0, got ",
        crosslingual.agreement));
  }
  if (batch_size < 1) {
    return absl::InvalidArgumentError("batch_size must be at least 1");
  }
  if (threads < 0 || threads > 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads must be between 0 and 1024, got ", threads));
  }
  return absl::OkStatus();
}

int PipelineOptions::ResolvedThreads() const {
  if (threads > 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

std::string DefaultId(const std::string& input_name, uint64_t line) {
  return absl::StrCat(input_name, ":", line);
}

std::string SourceOf(const std::vector<std::string>& names,
                     const std::vector<InputKind>& kinds, const DocumentResult& doc) {
  const std::string& name = names[doc.input];
  if (doc.line > 0) return DefaultId(name, doc.line);  // the same form
  if (kinds[doc.input] == InputKind::kTextFile) return name;
  return absl::StrCat(name, "/", doc.id);
}

size_t RunResult::FirstInputDocument() const {
  return std::partition_point(documents.begin(), documents.end(),
                              [](const DocumentResult& d) { return d.seen; }) -
         documents.begin();
}

std::string RunResult::SourceOf(const DocumentResult& doc) const {
  return neardup::SourceOf(input_names, input_kinds, doc);
}

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// 1-based line of byte `offset` in `text`.
uint64_t LineOf(std::string_view text, size_t offset) {
  return 1 + std::count(text.begin(), text.begin() + offset, '\n');
}

}  // namespace

bool TextOfRecord(const RawRecord& rec, JsonRecordParser& parser,
                  DocumentResult* out, std::string_view* text_out) {
  DocumentResult& doc = *out;
  auto reject = [&doc](RejectCode code, std::string reason) {
    doc.outcome = Outcome::kRejected;
    doc.reject = code;
    doc.reason = std::move(reason);
    return false;
  };
  doc.input = rec.input;
  doc.line = rec.line;
  doc.offset = rec.offset;
  if (rec.format == RecordFormat::kTextFile) {
    doc.id = rec.name;
    doc.id_given = true;
  }
  if (rec.problem != ReadProblem::kNone) {
    return reject(rec.problem == ReadProblem::kTooLarge ? RejectCode::kTooLarge
                                                        : RejectCode::kUnreadable,
                  rec.error);
  }
  std::string_view text;
  if (rec.format == RecordFormat::kJsonLine) {
    JsonRecord jr;
    std::string error;
    if (!parser.Parse(rec.bytes, &jr, &error)) {
      RejectCode code = RejectCode::kInvalidJson;
      if (error.starts_with("invalid UTF-8")) code = RejectCode::kInvalidUtf8;
      if (error.starts_with("missing text")) code = RejectCode::kMissingText;
      if (error.starts_with("field")) code = RejectCode::kBadField;
      return reject(code, error);
    }
    doc.id_given = jr.has_id;
    doc.id = std::move(jr.id);
    doc.lang = NormalizeLanguageTag(jr.lang);
    text = jr.text;
  } else {
    text = rec.bytes;
    size_t bad = 0;
    if (!IsValidUtf8(text, &bad)) {
      return reject(RejectCode::kInvalidUtf8,
                    absl::StrCat("invalid UTF-8 at line ", LineOf(text, bad),
                                 " (byte offset ", bad, ")"));
    }
  }
  doc.text_bytes = text.size();
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    const size_t at = static_cast<const char*>(nul) - text.data();
    return reject(RejectCode::kNulByte,
                  absl::StrCat("text contains a NUL character (text line ",
                               LineOf(text, at), ", byte offset ", at, ")"));
  }
  if (text.find_first_not_of(" \t\r\n\v\f") == std::string_view::npos) {
    return reject(RejectCode::kEmpty, "empty text");
  }
  *text_out = text;
  return true;
}

namespace {

// Per-worker state: everything here is not thread-safe.
class Featurizer {
 public:
  // `caches`: the token caches all of a run's featurizers share.
  static absl::StatusOr<std::unique_ptr<Featurizer>> Create(
      const PipelineOptions& options, const MinHasher* hasher,
      std::shared_ptr<const Lexicon> lexicon, std::shared_ptr<PivotCaches> caches) {
    absl::StatusOr<std::unique_ptr<Tokenizer>> tok =
        Tokenizer::Create(options.normalize);
    if (!tok.ok()) return tok.status();
    std::unique_ptr<Featurizer> f(new Featurizer(options, hasher, std::move(*tok)));
    if (lexicon) {
      auto pivot = PivotFeaturizer::Create(std::move(lexicon), std::move(caches));
      if (!pivot.ok()) return pivot.status();
      f->pivot_ = std::move(*pivot);
    }
    return f;
  }

  // Pivot features of a text in `lang` (background documents).
  void PivotOf(std::string_view text, std::string_view lang,
               std::vector<uint32_t>* ids) {
    ids->clear();
    if (!pivot_) return;
    tokenizer_->Tokenize(text, &tokens_);
    pivot_->Features(tokens_, lang, ids);
  }

  // Fills *out, which may hold an earlier record's results (Batch reuse).
  void Run(RawRecord& rec, Featurized* out) {
    out->Reset();
    DocumentResult& doc = out->doc;
    std::string_view text;
    if (!TextOfRecord(rec, json_, &doc, &text)) return;
    tokenizer_->Tokenize(text, &tokens_);
    if (tokens_.empty()) {
      Reject(doc, RejectCode::kNoWords, "no words in the text after normalization");
      return;
    }
    // The tag, unless the text's script contradicts it ("en" or "eu" on
    // Japanese or Ukrainian text); else a guess.
    doc.lang = DocumentLanguage(doc.lang, text, tokens_, /*cross_language=*/pivot_ != nullptr,
                                &doc.lang_guessed, &doc.lang_given);
    shingler_.Shingle(tokens_, &shingles_);
    if (pivot_) {
      pivot_->Features(tokens_, doc.lang, &out->pivot, nullptr, shingler_.token_hashes());
      NumbersOf(tokens_, doc.lang, &out->numbers);
      DatesOf(tokens_, doc.lang, *pivot_, &out->numbers.dates);
    }
    doc.num_shingles = static_cast<uint32_t>(shingles_.size());
    out->mins.resize(hasher_->num_perm());
    hasher_->Compute(shingles_, out->mins.data());
    if (keep_shingles_) {
      out->shingles = shingles_;
      std::sort(out->shingles.begin(), out->shingles.end());  // ExactOverlap
    }
  }

 private:
  Featurizer(const PipelineOptions& options, const MinHasher* hasher,
             std::unique_ptr<Tokenizer> tokenizer)
      : json_(options.input),
        tokenizer_(std::move(tokenizer)),
        shingler_(options.shingle),
        hasher_(hasher),
        keep_shingles_(options.verify == VerifyMode::kExact) {}

  static void Reject(DocumentResult& doc, RejectCode code, std::string reason) {
    doc.outcome = Outcome::kRejected;
    doc.reject = code;
    doc.reason = std::move(reason);
  }

  JsonRecordParser json_;
  std::unique_ptr<Tokenizer> tokenizer_;
  Shingler shingler_;
  const MinHasher* hasher_;
  bool keep_shingles_;
  std::unique_ptr<PivotFeaturizer> pivot_;  // null: no cross-language
  TokenList tokens_;
  std::vector<uint64_t> shingles_;
};

// Everything kept per document after its text is gone. Signatures live in
// fixed-size blocks, so growing the store never copies what it holds.
struct Store {
  static constexpr size_t kBlockDocs = 4096;
  int num_perm = 0;
  std::vector<DocumentResult> docs;
  std::vector<LargeVector<uint32_t>> blocks;  // kBlockDocs × num_perm (2 MiB); freed after verification
  std::vector<std::vector<uint64_t>> shingles;  // exact verification only
  PivotSpill pivot;                              // cross-language only
  // Each document's numbers (NumbersOf): hashes from number_start[d] to
  // number_start[d + 1], and how many distinct it writes.
  std::vector<uint32_t> number_hashes;
  std::vector<uint64_t> number_start = {0};
  std::vector<uint32_t> number_count;
  std::vector<uint32_t> year_count;  // of number_count, the years
  std::span<const uint32_t> Numbers(uint32_t d) const {
    return std::span<const uint32_t>(number_hashes)
        .subspan(number_start[d], number_start[d + 1] - number_start[d]);
  }
  // Each document's dates near its start (DatesOf), as its numbers.
  std::vector<uint32_t> dates;
  std::vector<uint64_t> date_start = {0};
  std::span<const uint32_t> Dates(uint32_t d) const {
    return std::span<const uint32_t>(dates).subspan(date_start[d],
                                                    date_start[d + 1] - date_start[d]);
  }
  std::vector<uint16_t> lang_of;                 // language number per doc
  std::vector<std::string> languages;            // language number → code
  absl::flat_hash_map<std::string, uint32_t> first_with_id;

  uint32_t* MutableMins(uint32_t d) {
    while (d / kBlockDocs >= blocks.size()) {
      blocks.emplace_back(kBlockDocs * num_perm);
    }
    return blocks[d / kBlockDocs].data() + (d % kBlockDocs) * num_perm;
  }
  const uint32_t* Mins(uint32_t d) const {
    return blocks[d / kBlockDocs].data() + (d % kBlockDocs) * num_perm;
  }
  bool Accepted(uint32_t d) const {
    return docs[d].outcome != Outcome::kRejected;
  }
};

class Run {
 public:
  Run(const PipelineOptions& options)
      : options_(options),
        hasher_(options.minhash),
        pivot_hasher_(MinHashOptions{options.crosslingual.num_perm,
                                     options.minhash.seed ^ 0x5049564f54ull}) {}

  absl::StatusOr<RunResult> Go(const std::vector<std::string>& inputs) {
    const Clock::time_point start = Clock::now();
    // The inputs in segments read one after the other: all of them at
    // once, but with a seen-cache folder each seen input that is a regular
    // file on its own, to be replayed from its cache or cached.
    const bool caching = !options_.seen_cache_dir.empty() && options_.seen_inputs > 0 &&
                         options_.verify != VerifyMode::kExact;
    if (!options_.seen_cache_dir.empty() && options_.verify == VerifyMode::kExact) {
      result_.warnings.push_back(
          "the seen cache is not used with exact verification (which needs every shingle set)");
    }
    // One reader per segment: standard input is refused twice here, as one
    // reader of all the inputs would.
    if (std::count(inputs.begin(), inputs.end(), "-") > 1) {
      return absl::InvalidArgumentError("standard input ('-') given twice");
    }
    std::vector<Segment> segments;
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::optional<FileIdentity> id;
      if (caching && i < options_.seen_inputs) id = IdentifyFile(inputs[i]);
      if (id || segments.empty() || segments.back().file) {
        segments.push_back(Segment{i, i + 1, id, nullptr});
      } else {
        segments.back().last = i + 1;
      }
    }
    result_.input_names.resize(inputs.size());
    result_.input_kinds.resize(inputs.size());
    // Readers are opened now (a missing input fails before any work), but
    // for a seen file, which may be replayed instead: its reader (and its
    // buffer) is opened only if it is read.
    for (Segment& seg : segments) {
      if (seg.file) continue;
      if (absl::Status s = OpenReader(seg, inputs); !s.ok()) return s;
    }
    result_.seen_inputs = options_.seen_inputs;
    // Only regular files and folders can be read again (exact re-checks);
    // opening a pipe or FIFO again would block.
    for (size_t i = 0; i < inputs.size(); ++i) {
      const std::string& path = inputs[i];
      struct stat st;
      rereadable_.push_back(path != "-" && ::stat(path.c_str(), &st) == 0 &&
                            (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)));
    }
    const int threads = options_.ResolvedThreads();
    result_.stats.threads = threads;
    ThreadPool pool(threads);
    std::shared_ptr<const Lexicon> lexicon;
    if (options_.seen_drops_translations && !options_.crosslingual.enabled) {
      result_.warnings.push_back(
          "--seen-drops-translations has no effect without cross-language grouping: "
          "no translations are linked");
    }
    if (options_.crosslingual.enabled) {
      const std::string dir = options_.crosslingual.lexicon_dir.empty()
                                  ? DefaultLexiconDir()
                                  : options_.crosslingual.lexicon_dir;
      // The background sample (calibration.h) is read on a thread of its
      // own while the lexicon is opened and the featurizers are made (a few
      // ms each, as the sample's 3.9 MB are), and taken before the
      // documents are read (TakeBackground).
      background_loading_ = std::async(std::launch::async, [dir] { return LoadBackground(dir); });
      absl::StatusOr<std::shared_ptr<const Lexicon>> lex = Lexicon::Load(dir);
      if (lex.ok()) {
        lexicon = *lex;
        lexicon_dir_ = dir;
        absl::StatusOr<std::string> manifest = ReadFile(std::filesystem::path(dir) / "MANIFEST");
        // A lexicon without its manifest (made by hand) cannot key a
        // cache, nor its prepared background: such a run is not cached.
        lexicon_manifest_ = manifest.ok() ? *manifest : std::string();
        if (caching && lexicon_manifest_.empty()) {
          result_.warnings.push_back(absl::StrCat(
              "the seen cache is not used: the lexicon in '", dir, "' has no MANIFEST"));
        }
      } else {
        result_.warnings.push_back(absl::StrCat(
            "cross-language grouping is off: ", lex.status().message()));
      }
    }
    const auto caches = std::make_shared<PivotCaches>();
    // The words earlier runs over this lexicon and code featurized
    // (word_cache.h), with a cache folder.
    const bool words_kept = lexicon && !options_.cache_dir.empty() && !lexicon_manifest_.empty();
    const uint64_t words_key =
        words_kept ? BackgroundCacheKey(options_.normalize, lexicon_manifest_) : 0;
    if (words_kept) {
      if (std::optional<CachedWords> words = ReadWordCache(options_.cache_dir, words_key)) {
        caches->Offer(*std::move(words));
      }
    }
    for (int i = 0; i < threads; ++i) {
      absl::StatusOr<std::unique_ptr<Featurizer>> f =
          Featurizer::Create(options_, &hasher_, lexicon, caches);
      if (!f.ok()) return f.status();
      featurizers_.push_back(std::move(*f));
    }
    store_.num_perm = hasher_.num_perm();
    if (lexicon) TakeBackground();

    const bool cache_ok = caching && (!lexicon || !lexicon_manifest_.empty());
    const uint64_t fingerprint =
        cache_ok ? ReadStageFingerprint(options_, lexicon ? lexicon_manifest_ : "") : 0;
    for (Segment& seg : segments) {
      if (absl::Status s = ReadSegment(seg, inputs, cache_ok, fingerprint, pool, start);
          !s.ok()) {
        return s;
      }
    }
    result_.stats.words_from_cache = caches->FromOffer();
    result_.stats.words_featurized = caches->Inserted() - result_.stats.words_from_cache;
    // New words go to the next run. A folder that cannot be written only
    // costs the next run this work.
    if (words_kept && result_.stats.words_featurized > 0) {
      if (absl::Status s = WriteWordCache(options_.cache_dir, words_key,
                                          caches->Entries(kWordCacheMaxPerLanguage));
          !s.ok()) {
        result_.warnings.push_back(absl::StrCat(
            "the words' features are not cached (--cache-dir none stops trying): ",
            s.message()));
      }
    }
    result_.stats.seconds_read = SecondsSince(start);

    Clock::time_point t = Clock::now();
    Report("indexing", start);
    // Under exact verification a pair of identical signatures may still fail
    // (high thresholds), so every document is indexed.
    std::vector<ScoredPair> twins;
    if (options_.verify == VerifyMode::kExact) {
      leader_.assign(store_.docs.size(), true);
    } else {
      twins = CollapseTwins();
    }
    const std::vector<DocPair> candidates = Index();
    result_.stats.seconds_index = SecondsSince(t);

    t = Clock::now();
    Report("verifying", start);
    std::vector<ScoredPair> pairs = Verify(candidates, twins, pool);
    for (ScoredPair& p : twins) {
      if (Score(&p)) pairs.push_back(p);
    }
    result_.stats.verified_pairs = pairs.size();
    result_.stats.seconds_verify = SecondsSince(t);
    // Signatures are not read after verification. Their pages go back now,
    // for the cross-language stage to reuse (see ReleaseForReuse).
    ReleaseForReuse(store_.blocks);

    if (lexicon) {
      t = Clock::now();
      Report("linking translations", start);
      LinkTranslations(pool, &pairs);
      result_.stats.seconds_crosslingual = SecondsSince(t);
    }
    std::sort(pairs.begin(), pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
      return x.a != y.a ? x.a < y.a : x.b < y.b;
    });

    if (!task_error_.ok()) return task_error_;
    if (std::all_of(store_.docs.begin(), store_.docs.end(),
                    [](const DocumentResult& d) { return d.seen; })) {
      result_.warnings.push_back(
          "no documents in the input (for folders: no files with the extensions "
          "--ext names, compared case-sensitively)");
    }
    t = Clock::now();
    Report("grouping", start);
    Group(std::move(pairs));
    result_.stats.seconds_group = SecondsSince(t);
    result_.stats.seconds_total = SecondsSince(start);
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
      result_.stats.peak_rss_bytes = static_cast<uint64_t>(ru.ru_maxrss) * 1024;
    }
    return std::move(result_);
  }

 private:
  struct Batch {
    std::vector<RawRecord> records;
    std::vector<Featurized> out;
    std::future<void> done;
  };

  // Inputs [first, last) read by one reader; `file`: a seen input, alone,
  // as the cache identifies it.
  struct Segment {
    size_t first = 0, last = 0;
    std::optional<FileIdentity> file;
    std::unique_ptr<RecordReader> reader;
  };

  absl::Status OpenReader(Segment& seg, const std::vector<std::string>& inputs) {
    absl::StatusOr<std::unique_ptr<RecordReader>> reader = RecordReader::Open(
        std::vector<std::string>(inputs.begin() + seg.first, inputs.begin() + seg.last),
        options_.input);
    if (!reader.ok()) return reader.status();
    for (size_t i = seg.first; i < seg.last; ++i) {
      result_.input_names[i] = (*reader)->input_names()[i - seg.first];
      result_.input_kinds[i] = (*reader)->input_kinds()[i - seg.first];
    }
    seg.reader = *std::move(reader);
    return absl::OkStatus();
  }

  // Reads a segment, or replays it from its cache; caches a seen input
  // that had none.
  absl::Status ReadSegment(Segment& seg, const std::vector<std::string>& inputs, bool cache_ok,
                           uint64_t fingerprint, ThreadPool& pool, Clock::time_point start) {
    const std::filesystem::path dir = options_.seen_cache_dir;
    const std::string& path = inputs[seg.first];
    if (seg.file && cache_ok) {
      if (std::optional<SeenCache> cache = SeenCache::Load(dir, path, fingerprint)) {
        result_.input_names[seg.first] = path;  // a file's name is its path as given
        result_.input_kinds[seg.first] = cache->kind();
        return Replay(*cache, static_cast<uint32_t>(seg.first));
      }
    }
    if (!seg.reader) {
      if (absl::Status s = OpenReader(seg, inputs); !s.ok()) return s;
    }
    SeenCacheWriter writer;
    const bool write = seg.file && cache_ok;
    cache_writer_ = write ? &writer : nullptr;
    const absl::Status s = ReadAll(*seg.reader, pool, start, static_cast<uint32_t>(seg.first));
    cache_writer_ = nullptr;
    if (!s.ok()) return s;
    CountRead(seg.reader->blank_lines(), seg.reader->bytes_read());
    // Not if the input changed while it was read.
    if (write && IdentifyFile(path) == seg.file) {
      const absl::Status w =
          writer.Write(dir, path, fingerprint, *seg.file, result_.input_kinds[seg.first],
                       seg.reader->blank_lines(), seg.reader->bytes_read());
      if (!w.ok()) {
        result_.warnings.push_back(absl::StrCat("the seen input is not cached: ", w.message()));
      }
    }
    seg.reader.reset();
    return absl::OkStatus();
  }

  // A segment's blank lines and bytes, read or replayed.
  void CountRead(uint64_t blank_lines, uint64_t bytes) {
    result_.stats.blank_lines += blank_lines;
    result_.stats.bytes_read += bytes;
    bytes_before_ += bytes;
  }

  // A seen input's records from its cache, accepted as reading would.
  absl::Status Replay(SeenCache& cache, uint32_t input) {
    Batch batch;
    uint64_t n = 0;
    for (bool more = true; more;) {
      batch.out.clear();
      while (batch.out.size() < static_cast<size_t>(options_.batch_size)) {
        Featurized f;
        if (!(more = cache.Next(&f))) break;
        f.doc.input = input;
        batch.out.push_back(std::move(f));
      }
      n += batch.out.size();
      if (absl::Status s = Accept(batch); !s.ok()) return s;
    }
    if (n != cache.records()) {
      return absl::DataLossError(absl::StrCat(
          result_.input_names[input], ": its cache in ", options_.seen_cache_dir,
          " is damaged (delete it)"));
    }
    CountRead(cache.blank_lines(), cache.bytes_read());
    ++result_.stats.seen_cached_inputs;
    return absl::OkStatus();
  }

  void Report(const char* phase, Clock::time_point start) {
    if (!options_.progress) return;
    Progress p;
    p.phase = phase;
    p.records = store_.docs.size();
    p.bytes = bytes_seen_;
    p.seconds = SecondsSince(start);
    options_.progress(p);
  }

  // Reads every record of `reader`, whose input 0 is the run's
  // `input_base`.
  absl::Status ReadAll(RecordReader& reader, ThreadPool& pool,
                       Clock::time_point start, uint32_t input_base) {
    const size_t kBatchRecords = static_cast<size_t>(options_.batch_size);
    constexpr size_t kBatchBytes = 4 << 20;
    const size_t max_in_flight = 2 * static_cast<size_t>(pool.size()) + 1;
    std::deque<std::unique_ptr<Batch>> in_flight;
    // Accepted batches, for reuse: their results' lists keep their memory,
    // and their records are freed on this thread, which read them. glibc's
    // free takes the lock of the allocating thread's arena: when this
    // thread freed the results the workers had allocated, and the workers
    // the texts it had read, a third of a cross-language run's context
    // switches at c100k were a thread waiting for another's arena (920
    // voluntary switches, now about 230; same-language mode 400 -> 200).
    std::vector<std::unique_ptr<Batch>> spare;
    Clock::time_point last_report = Clock::now();
    bool more = true;
    while (more || !in_flight.empty()) {
      if (more && in_flight.size() < max_in_flight) {
        std::unique_ptr<Batch> batch;
        if (spare.empty()) {
          batch = std::make_unique<Batch>();
        } else {
          batch = std::move(spare.back());
          spare.pop_back();
        }
        absl::StatusOr<bool> got =
            reader.Next(kBatchRecords, kBatchBytes, &batch->records);
        if (!got.ok()) {
          for (auto& b : in_flight) b->done.wait();
          return got.status();
        }
        if (!*got) {
          more = false;
          continue;
        }
        Batch* b = batch.get();
        for (RawRecord& rec : b->records) rec.input += input_base;
        b->out.resize(b->records.size());
        b->done = pool.Submit([this, b](int worker) {
          for (size_t i = 0; i < b->records.size(); ++i) {
            // (The text stays until the batch is accepted: freed here, by
            // a worker, it took the reading thread's arena's lock.)
            featurizers_[worker]->Run(b->records[i], &b->out[i]);
          }
        });
        in_flight.push_back(std::move(batch));
        continue;
      }
      std::unique_ptr<Batch> b = std::move(in_flight.front());
      in_flight.pop_front();
      if (absl::Status s = Finish(b->done); !s.ok()) {
        for (auto& rest : in_flight) rest->done.wait();
        return s;
      }
      if (absl::Status s = Accept(*b); !s.ok()) {
        for (auto& rest : in_flight) rest->done.wait();
        return s;
      }
      b->records.clear();
      spare.push_back(std::move(b));
      if (options_.progress && SecondsSince(last_report) > 0.25) {
        last_report = Clock::now();
        bytes_seen_ = bytes_before_ + reader.bytes_read();
        Report("reading", start);
      }
    }
    bytes_seen_ = bytes_before_ + reader.bytes_read();
    return absl::OkStatus();
  }

  // Waits for a task; an exception it threw (out of memory on a huge
  // document, say) becomes an error instead of a half-filled result.
  static absl::Status Finish(std::future<void>& f) {
    try {
      f.get();
      return absl::OkStatus();
    } catch (const std::bad_alloc&) {
      return absl::ResourceExhaustedError(
          "out of memory (a very large document? see --max-doc-bytes)");
    } catch (const std::exception& e) {
      return absl::InternalError(e.what());
    }
  }
  // Waits for every task, then reports the first failure.
  static absl::Status FinishAll(std::vector<std::future<void>>& done) {
    for (auto& f : done) f.wait();
    absl::Status first = absl::OkStatus();
    for (auto& f : done) {
      absl::Status s = Finish(f);
      if (first.ok()) first = s;
    }
    return first;
  }

  // Takes a finished batch in input order: duplicate ids, storage.
  absl::Status Accept(Batch& batch) {
    for (Featurized& f : batch.out) {
      const uint32_t d = static_cast<uint32_t>(store_.docs.size());
      DocumentResult& doc = f.doc;
      if (cache_writer_ != nullptr) cache_writer_->Add(f);  // as read, before the run's checks
      doc.seen = doc.input < options_.seen_inputs;
      if (!doc.id_given) {
        doc.id = DefaultId(result_.input_names[doc.input], doc.line);
      }
      if (doc.outcome != Outcome::kRejected) {
        auto [it, inserted] = store_.first_with_id.try_emplace(doc.id, d);
        if (!inserted) {
          doc.outcome = Outcome::kRejected;
          doc.reject = RejectCode::kDuplicateId;
          doc.reason = absl::StrCat("duplicate id (first seen at ",
                                    result_.SourceOf(store_.docs[it->second]),
                                    ")");
        }
      }
      uint32_t* mins = store_.MutableMins(d);
      if (doc.outcome != Outcome::kRejected) {
        std::copy(f.mins.begin(), f.mins.end(), mins);
        if (!doc.seen) result_.stats.text_bytes += doc.text_bytes;
      } else if (options_.strict) {
        return absl::InvalidArgumentError(
            absl::StrCat(result_.SourceOf(doc), ": ", doc.reason,
                         " (--strict stops at the first bad record)"));
      }
      if (options_.verify == VerifyMode::kExact) {
        store_.shingles.push_back(std::move(f.shingles));
      }
      if (doc.outcome == Outcome::kRejected) {
        f.pivot.clear();
        f.numbers = DocumentNumbers();
      }
      if (absl::Status s = store_.pivot.Append(f.pivot); !s.ok()) return s;
      store_.number_hashes.insert(store_.number_hashes.end(), f.numbers.hashes.begin(),
                                  f.numbers.hashes.end());
      store_.number_start.push_back(store_.number_hashes.size());
      store_.number_count.push_back(f.numbers.count);
      store_.year_count.push_back(f.numbers.years);
      store_.dates.insert(store_.dates.end(), f.numbers.dates.begin(), f.numbers.dates.end());
      store_.date_start.push_back(store_.dates.size());
      auto lang = std::find(store_.languages.begin(), store_.languages.end(), doc.lang);
      if (lang == store_.languages.end()) {
        store_.languages.push_back(doc.lang);
        lang = store_.languages.end() - 1;
      }
      // Far fewer than 65,536 languages: NormalizeLanguageTag keeps two-letter
      // codes and the three-letter ones ICU knows.
      store_.lang_of.push_back(static_cast<uint16_t>(lang - store_.languages.begin()));
      store_.docs.push_back(std::move(doc));
    }
    return absl::OkStatus();
  }

  // Documents whose signatures are identical to an earlier one's (exact or
  // format-only copies) are paired with that one and kept out of the index.
  std::vector<ScoredPair> CollapseTwins() {
    const uint32_t n = static_cast<uint32_t>(store_.docs.size());
    const size_t bytes = sizeof(uint32_t) * store_.num_perm;
    std::vector<std::pair<uint64_t, uint32_t>> keys;
    for (uint32_t d = 0; d < n; ++d) {
      if (!store_.Accepted(d)) continue;
      keys.emplace_back(XXH3_64bits(store_.Mins(d), bytes), d);
    }
    std::sort(keys.begin(), keys.end());
    leader_.assign(n, true);
    std::vector<ScoredPair> twins;
    for (size_t i = 0; i < keys.size();) {
      size_t j = i;
      while (j < keys.size() && keys[j].first == keys[i].first) ++j;
      // Within a run of equal hashes, each document joins the first
      // earlier one with byte-identical minima.
      for (size_t m = i + 1; m < j; ++m) {
        for (size_t k = i; k < m; ++k) {
          if (!leader_[keys[k].second]) continue;
          if (std::memcmp(store_.Mins(keys[k].second), store_.Mins(keys[m].second),
                          bytes) == 0) {
            leader_[keys[m].second] = false;
            ScoredPair twin;
            twin.a = keys[k].second;
            twin.b = keys[m].second;
            twin.estimated_jaccard = 1.0;
            twins.push_back(twin);
            break;
          }
        }
      }
      i = j;
    }
    result_.stats.identical_signatures = twins.size();
    return twins;
  }

  std::vector<DocPair> Index() {
    const LshParams params = ResolveLshParams(options_.lsh, store_.num_perm);
    result_.stats.lsh = params;
    BandedIndex index(params, options_.lsh.max_bucket_pairs_window);
    index.Reserve(store_.docs.size());
    for (uint32_t d = 0; d < store_.docs.size(); ++d) {
      if (store_.Accepted(d) && leader_[d]) index.Add(d, store_.Mins(d));
    }
    index.Freeze(options_.ResolvedThreads());
    std::vector<DocPair> pairs = index.CandidatePairs();
    result_.stats.candidate_pairs = pairs.size();
    return pairs;
  }

  // Frees `v`'s memory now. The pages a run has already touched are cheap
  // to touch again; fresh ones cost a fault each, and on virtual machines
  // (where the host backs guest memory lazily) about 2 ms a MiB even on
  // huge pages: freeing what a stage no longer reads before the next one
  // allocates lets the next one reuse those pages.
  template <typename V>
  static void ReleaseForReuse(V& v) {
    V().swap(v);
  }

  // Fills in the scores of p; true if the pair passes verification.
  bool Score(ScoredPair* p) const {
    p->estimated_jaccard =
        AgreementRate(store_.Mins(p->a), store_.Mins(p->b), store_.num_perm);
    const DocumentResult& a = store_.docs[p->a];
    const DocumentResult& b = store_.docs[p->b];
    Overlap o;
    if (options_.verify == VerifyMode::kExact) {
      o = ExactOverlap(store_.shingles[p->a], store_.shingles[p->b]);
      p->exact_jaccard = o.jaccard;
    } else {
      o = OverlapFromJaccard(p->estimated_jaccard, a.num_shingles,
                             b.num_shingles);
    }
    p->a_in_b = o.a_in_b;
    p->b_in_a = o.b_in_a;
    p->score = options_.verify == VerifyMode::kExact ? o.jaccard
                                                      : p->estimated_jaccard;
    constexpr double kEps = 1e-9;
    return o.jaccard + kEps >= options_.lsh.threshold;
  }

  // Waits for the background sample (background_loading_) and keeps it,
  // or says why cross-language scores will not be calibrated.
  void TakeBackground() {
    absl::StatusOr<std::vector<BackgroundDoc>> bg = background_loading_.get();
    if (bg.ok()) {
      background_ = std::move(*bg);
    } else {
      result_.warnings.push_back(absl::StrCat(
          "cross-language scores are not calibrated: ", bg.status().message()));
    }
    if (background_.empty()) {
      result_.warnings.push_back(absl::StrCat(
          "the lexicon in '", lexicon_dir_, "' has no background.tsv: cross-language "
          "scores are raw and stories are not linked (rebuild it: scripts/build.sh)"));
    }
  }

  // The pivot features of the background documents, in background_'s
  // order (background_cache.h): those `wanted` at least, the others empty
  // unless they come from, or go to, the cache folder.
  template <typename Wanted>
  std::vector<std::vector<uint32_t>> BackgroundFeatures(ThreadPool& pool, const Wanted& wanted) {
    BackgroundFeatureSet bg = LoadOrComputeBackgroundFeatures(
        options_.cache_dir, lexicon_dir_, lexicon_manifest_, options_.normalize,
        background_.size(),
        [&](bool all, std::vector<std::vector<uint32_t>>* features) {
          ParallelFor(pool, features->size(), 16, [&](int worker, size_t begin, size_t end) {
            for (size_t i = begin; i < end; ++i) {
              if (!all && !wanted(background_[i])) continue;
              featurizers_[worker]->PivotOf(background_[i].text, background_[i].lang,
                                            &(*features)[i]);
            }
          });
        });
    result_.stats.background_prepared = bg.prepared;
    result_.stats.background_from_cache = bg.from_cache;
    // A folder that cannot be written only costs the next run this work.
    if (!bg.written.ok()) {
      result_.warnings.push_back(absl::StrCat(
          "the background features are not cached (--cache-dir none stops trying): ",
          bg.written.message()));
    }
    return std::move(bg.features);
  }

  // The cross-language stage: IDF weights over the corpus, weighted MinHash
  // of each document's pivot features, LSH with one row per band, exact
  // weighted Jaccard of the candidates in different languages, mutual best
  // match per language pair, then merges that never put two documents of
  // one language together unless surface similarity already did.
  void LinkTranslations(ThreadPool& pool, std::vector<ScoredPair>* pairs) {
    RunStats& st = result_.stats;
    const uint32_t n = static_cast<uint32_t>(store_.docs.size());
    // Documents of unknown language take no part: "und" is not a language,
    // and linking it to everything would be noise.
    auto eligible = [&](uint32_t d) {
      return store_.Accepted(d) && leader_[d] &&
             store_.languages[store_.lang_of[d]] != "und";
    };
    std::vector<uint8_t> seen_lang(store_.languages.size(), 0);
    for (uint32_t d = 0; d < n; ++d) {
      if (eligible(d)) seen_lang[store_.lang_of[d]] = 1;
    }
    if (std::count(seen_lang.begin(), seen_lang.end(), 1) < 2) return;
    if (absl::Status s = store_.pivot.Load(); !s.ok()) {
      result_.warnings.push_back(
          absl::StrCat("cross-language grouping skipped: ", s.message()));
      return;
    }
    st.crosslingual = true;
    // The documents this stage compares: eligible, with pivot features.
    auto takes_part = [&](uint32_t d) { return eligible(d) && !store_.pivot.empty(d); };
    // Background documents (calibration.h) of the input's languages count
    // in the document frequencies and give the null model; their features
    // live here only. (Other languages would only cost lexicon loading.)
    auto in_input = [&](const BackgroundDoc& b) {
      auto it = std::find(store_.languages.begin(), store_.languages.end(), b.lang);
      return it != store_.languages.end() && seen_lang[it - store_.languages.begin()] != 0;
    };
    std::vector<std::vector<uint32_t>> bg = BackgroundFeatures(pool, in_input);
    {
      size_t kept = 0;
      for (size_t i = 0; i < background_.size(); ++i) {
        if (!in_input(background_[i])) continue;
        if (kept != i) {  // (a vector moved onto itself is emptied)
          background_[kept] = std::move(background_[i]);
          bg[kept] = std::move(bg[i]);
        }
        ++kept;
      }
      background_.resize(kept);
      bg.resize(kept);
    }
    // The featurizers' work is done; their token caches go back for reuse.
    ReleaseForReuse(featurizers_);
    // Document frequencies: counted per worker over chunks of documents,
    // then summed (order does not matter).
    // Each feature's language too, where the index weights need it. The
    // hot features (pivot_spill.h) are counted in arrays, by number.
    const bool raised = options_.crosslingual.index_idf_power > 1;
    const std::span<const uint32_t> hot_ids = store_.pivot.hot_ids();
    const size_t num_hot = hot_ids.size();
    std::vector<FeatureCounts> df_part(pool.size(), FeatureCounts(raised));
    std::vector<uint32_t> with_part(pool.size(), 0);
    std::vector<uint32_t> hot_count(pool.size() * num_hot, 0);
    std::vector<uint16_t> hot_lang(pool.size() * num_hot, FeatureCounts::kNoLanguage);
    ParallelFor(pool, n, 4 * static_cast<size_t>(options_.batch_size),
                [&](int worker, size_t begin, size_t end) {
                  uint32_t* counted = hot_count.data() + worker * num_hot;
                  uint16_t* langs = hot_lang.data() + worker * num_hot;
                  for (uint32_t d = begin; d < end; ++d) {
                    if (!takes_part(d)) continue;
                    ++with_part[worker];
                    const PivotSpill::Features fs = store_.pivot[d];
                    const uint16_t lang = store_.lang_of[d];
                    FeatureCounts& counts = df_part[worker];
                    VisitAhead(
                        fs.cold.size(), kFeatureTableAhead,
                        [&](size_t i) { counts.Prefetch(fs.cold[i]); },
                        [&](size_t i) { counts.Add(fs.cold[i], 1, lang); });
                    for (uint16_t k : fs.hot) {
                      ++counted[k];
                      langs[k] = FeatureCounts::Join(langs[k], lang);
                    }
                  }
                });
    FeatureCounts df = std::move(df_part[0]);
    for (size_t i = 1; i < df_part.size(); ++i) {
      df.Merge(df_part[i]);
      df_part[i] = FeatureCounts();
    }
    for (size_t i = 0; i < hot_count.size(); ++i) {
      if (hot_count[i] != 0) df.Add(hot_ids[i % num_hot], hot_count[i], hot_lang[i]);
    }
    uint32_t with_features = 0;
    for (uint32_t c : with_part) with_features += c;
    for (const auto& ids : bg) {
      if (ids.empty()) continue;
      ++with_features;
      for (uint32_t f : ids) df.Add(f);
    }
    // IDF weights (IdfWeights), made in the counts' table. They are looked
    // up by feature id when needed, not stored with every document (that
    // was 4 bytes a feature: 0.65 KB a document).
    const IdfTable idf(std::move(df), with_features);
    std::vector<IdfTable::Entry> hot_entry(num_hot);
    for (size_t k = 0; k < num_hot; ++k) hot_entry[k] = idf.Find(hot_ids[k]);
    const std::vector<NullSample> bg_samples = BackgroundSamples(
        background_, bg, idf, 1000, options_.ResolvedThreads());
    bg.clear();
    std::vector<double> total(n, 0.0);  // TotalWeight of each document
    // Document d's weighted MinHash signature into out (num_perm values),
    // and its total weight.
    auto sign = [&](uint32_t d, uint32_t* out) {
      thread_local std::vector<float> signed_wd;
      thread_local std::vector<uint32_t> signed_ids;
      // Its ids, the hot ones first, each with its entry: a hot one's from
      // an array (most of a document's), a cold one's looked up. (The
      // signature takes its features in any order: ComputeWeighted.)
      thread_local std::vector<uint32_t> ids;
      thread_local std::vector<IdfTable::Entry> entries;
      const PivotSpill::Features f = store_.pivot[d];
      const size_t hot_n = f.hot.size();
      ids.resize(hot_n + f.cold.size());
      entries.resize(ids.size());
      for (size_t i = 0; i < hot_n; ++i) {
        ids[i] = hot_ids[f.hot[i]];
        entries[i] = hot_entry[f.hot[i]];
      }
      std::copy(f.cold.begin(), f.cold.end(), ids.begin() + hot_n);
      idf.FindAll(f.cold, entries.data() + hot_n);
      const double weight = IndexFeatures(ids, entries,
                                          options_.crosslingual.index_idf_power, &signed_ids,
                                          &signed_wd);
      pivot_hasher_.ComputeWeighted(signed_ids, signed_wd, out);
      return weight;
    };
    // Every document's, for the index; freed once it is built (0.4 KB a
    // document), but with --all-pairs, which reports every scored pair:
    // the few linked pairs' are made again for their estimated_jaccard.
    LargeVector<uint32_t> sigs(static_cast<size_t>(n) * pivot_hasher_.num_perm());
    ParallelFor(pool, n, options_.batch_size, [&](int, size_t begin, size_t end) {
      for (uint32_t d = begin; d < end; ++d) {
        if (!eligible(d)) continue;
        total[d] = sign(d, &sigs[static_cast<size_t>(d) * pivot_hasher_.num_perm()]);
      }
    });
    // Weighted Jaccard of two documents' features (HotWeights::Jaccard).
    std::vector<float> hot_weight(num_hot);
    for (size_t k = 0; k < num_hot; ++k) hot_weight[k] = hot_entry[k].weight;
    const HotWeights hot(std::move(hot_weight));
    auto raw = [&](uint32_t a, uint32_t b) {
      return hot.Jaccard(store_.pivot[a], total[a], store_.pivot[b], total[b],
                         [&](uint32_t id) { return idf(id); });
    };
    const NullModel null = NullModel::Fit(CorpusSamples(pool, takes_part, raw), bg_samples);
    // The background alone, for links between two of its languages
    // (CrossLingualOptions::background_z and background_rule).
    const NullModel bg_null = NullModel::Fit({}, bg_samples);
    // Both null models' figures per pair of language numbers; the
    // background's only where the rule applies (HasBackgroundLevel).
    const size_t num_langs = store_.languages.size();
    std::vector<uint8_t> has_level(num_langs, 0);
    for (size_t i = 0; i < num_langs; ++i) {
      has_level[i] =
          HasBackgroundLevel(store_.languages[i], background_, options_.crosslingual);
    }
    std::vector<NullModel::Stats> null_of(num_langs * num_langs);
    // The background's figures for every pair of languages where the rule
    // applies: its own for two of its languages, its pooled ones where it
    // lacks either (NullModel::For). Translation links use the former only,
    // story links both.
    std::vector<std::optional<NullModel::Stats>> bg_of(num_langs * num_langs);
    for (size_t i = 0; i < num_langs; ++i) {
      for (size_t j = 0; j < num_langs; ++j) {
        null_of[i * num_langs + j] = null.For(store_.languages[i], store_.languages[j]);
        if (options_.crosslingual.background_rule && !bg_null.empty()) {
          bg_of[i * num_langs + j] = bg_null.For(store_.languages[i], store_.languages[j]);
        }
      }
    }
    // The pair's score against the background alone, if the rule applies;
    // with `pooled` false, only where both languages have a level.
    auto background_z = [&](const PivotPair& p, bool pooled) -> std::optional<double> {
      const uint16_t la = store_.lang_of[p.a], lb = store_.lang_of[p.b];
      const std::optional<NullModel::Stats>& s = bg_of[la * num_langs + lb];
      if (!s || (!pooled && !(has_level[la] && has_level[lb]))) return std::nullopt;
      return s->Z(p.score);
    };
    auto below_background = [&](const PivotPair& p) {
      const std::optional<double> z = background_z(p, /*pooled=*/false);
      return z && *z < options_.crosslingual.background_z;
    };

    const int k = pivot_hasher_.num_perm();
    std::vector<uint32_t> indexed;
    for (uint32_t d = 0; d < n; ++d) {
      if (takes_part(d)) indexed.push_back(d);
    }
    // Tiers of more than two bands only up to their share of this input;
    // a window as large as the largest bucket, so that large buckets are
    // counted per anchor (BandedIndex::CandidatePairs).
    std::vector<BucketTier> tiers = PivotBucketTiers(options_.crosslingual, indexed.size());
    const int window = std::max(options_.lsh.max_bucket_pairs_window,
                                tiers.empty() ? 0 : tiers.back().up_to);
    BandedIndex index(LshParams{k, 1}, window, std::move(tiers));
    index.AddAll(indexed, sigs.data(), k);  // read from sigs at Freeze
    // Buckets over the largest tier that one language fills keep the few
    // documents of the others (CrossLingualOptions::thin_buckets).
    if (options_.crosslingual.thin_buckets) {
      index.ThinLargeBuckets(store_.lang_of, options_.crosslingual.thin_max_kept);
    }
    index.KeepStrongestLargePairs(static_cast<size_t>(options_.crosslingual.strongest_pairs));
    index.Freeze(options_.ResolvedThreads());
    if (!options_.all_pairs) LargeVector<uint32_t>().swap(sigs);
    // Translations: pairs of two languages. Pairs in one language are left
    // to the surface channel, and to the story stage below.
    std::vector<DocPair> candidates = index.CandidatePairs({.class_of = store_.lang_of});
    st.pivot_candidate_pairs = candidates.size();
    // With --all-pairs, every other pair that shares a bucket (in one
    // language, or through a large bucket short of its tier's evidence) is
    // scored too, for pairs.jsonl only: what the run decides on is what it
    // decides on without the option. (Both lists are sorted and distinct.)
    std::vector<DocPair> listed_only;
    if (options_.all_pairs && indexed.size() > options_.all_pairs_max_documents) {
      result_.warnings.push_back(absl::StrCat(
          "--all-pairs lists only the pairs the run scored: the other pairs that share a "
          "bucket are listed for up to ",
          options_.all_pairs_max_documents, " documents (", indexed.size(),
          " here; run it on a sample)"));
    } else if (options_.all_pairs) {
      const std::vector<DocPair> all = index.CandidatePairs();
      std::set_difference(all.begin(), all.end(), candidates.begin(), candidates.end(),
                          std::back_inserter(listed_only));
      if (listed_only.size() > options_.all_pairs_limit) {
        result_.warnings.push_back(absl::StrCat(
            "--all-pairs lists only the pairs the run scored: ", listed_only.size(),
            " more share a bucket, over the limit of ", options_.all_pairs_limit,
            " (run it on a sample)"));
        std::vector<DocPair>().swap(listed_only);
      }
    }
    auto calibrated = [&](uint32_t a, uint32_t b, double score) {
      if (null.empty()) return score;
      return null_of[store_.lang_of[a] * num_langs + store_.lang_of[b]].Z(score);
    };
    // A story candidate's score: the calibrated one, and no more than
    // against the background alone (for a language it lacks, against its
    // pooled cross-language pairs), so the best pair of a story link
    // clears both (story.h; the mean over member pairs stays on the
    // input's calibration). Why the pooled figures: a language the input
    // glosses thinly (Ukrainian) has unrelated pairs that share almost
    // nothing, so a pair sharing a few common words stands 2 deviations
    // above them; with session 28's raised index weights such a pair
    // joined an unrelated page to the seeds' story among c100k.
    auto story_z = [&](const PivotPair& p) {
      const double z = calibrated(p.a, p.b, p.score);
      const std::optional<double> bz = background_z(p, /*pooled=*/true);
      return bz ? std::min(z, *bz) : z;
    };
    const LargeVector<PivotPair> scored = ScorePairs(pool, candidates, raw);
    // The candidates are in `scored` now: freed before mutual best makes
    // its entries, so that the two are not held at once (a million
    // documents: 100 MB and 150 MB; the run's peak 2.44 -> 2.34 GB).
    std::vector<DocPair>().swap(candidates);

    std::vector<PivotPair> mutual =
        MutualBestMatches(scored, store_.lang_of, options_.crosslingual.floor,
                          options_.crosslingual.margin, raw, &st.pivot_below_margin,
                          options_.ResolvedThreads());
    st.pivot_mutual_pairs = mutual.size() + st.pivot_below_margin;
    std::stable_sort(mutual.begin(), mutual.end(),
                     [](const PivotPair& x, const PivotPair& y) {
                       return x.score > y.score;
                     });
    // Components so far (surface groups) and the languages each holds.
    UnionFind uf(n);
    for (const ScoredPair& p : *pairs) uf.Union(p.a, p.b);
    std::vector<std::vector<uint16_t>> langs(n);
    for (uint32_t d = 0; d < n; ++d) {
      if (!store_.Accepted(d)) continue;
      auto& l = langs[uf.Find(d)];
      if (std::find(l.begin(), l.end(), store_.lang_of[d]) == l.end()) {
        l.push_back(store_.lang_of[d]);
      }
    }
    auto pivot_pair = [&](uint32_t a, uint32_t b, double score) {
      ScoredPair sp;
      sp.a = a;
      sp.b = b;
      sp.channel = Channel::kPivot;
      sp.pivot_jaccard = score;
      sp.score = calibrated(a, b, score);
      // (Without the signatures, set when the links are all made.)
      if (!sigs.empty()) {
        sp.estimated_jaccard = AgreementRate(&sigs[static_cast<size_t>(a) * k],
                                             &sigs[static_cast<size_t>(b) * k], k);
      }
      return sp;
    };
    const size_t first_linked = pairs->size();  // the pairs after it are pivot_pair's
    absl::flat_hash_set<std::pair<uint32_t, uint32_t>> linked;
    // For the chain rule, each group's documents that take part form a
    // circular list through next_member (two lists merge in O(1): 4 bytes
    // a document, where a vector per group cost 24 and an allocation).
    std::vector<uint32_t> next_member(n);
    std::iota(next_member.begin(), next_member.end(), 0u);
    {
      std::vector<uint32_t> head(n, UINT32_MAX);
      for (uint32_t d = 0; d < n; ++d) {
        if (!takes_part(d)) continue;
        uint32_t& h = head[uf.Find(d)];
        if (h == UINT32_MAX) {
          h = d;
        } else {
          std::swap(next_member[d], next_member[h]);
        }
      }
    }
    // A group's members from `start` on, as many as MembersAgree can use.
    std::vector<uint32_t> group_a, group_b;
    auto members_from = [&](uint32_t start, std::vector<uint32_t>* out) {
      out->clear();
      uint32_t d = start;
      do {
        out->push_back(d);
        d = next_member[d];
      } while (d != start && out->size() <= kMaxAgreementPairs);
    };
    for (const PivotPair& p : mutual) {
      const uint32_t ra = uf.Find(p.a), rb = uf.Find(p.b);
      if (ra == rb) continue;
      if (!null.empty() &&
          calibrated(p.a, p.b, p.score) < options_.crosslingual.input_z) {
        ++st.pivot_below_input;
        continue;
      }
      if (below_background(p)) {
        ++st.pivot_below_background;
        continue;
      }
      if (!NumbersAgree(store_.Numbers(p.a), store_.number_count[p.a], store_.Numbers(p.b),
                        store_.number_count[p.b], DocumentNumbers::kMinCount,
                        options_.crosslingual.numbers)) {
        ++st.pivot_numbers_disagree;
        continue;
      }
      const auto& la = langs[ra];
      const auto& lb = langs[rb];
      const bool conflict = std::any_of(la.begin(), la.end(), [&](uint16_t x) {
        return std::find(lb.begin(), lb.end(), x) != lb.end();
      });
      if (conflict) {
        // Allowed where each language both groups hold has a version of
        // one text in each (AreVersions).
        if (!options_.crosslingual.join_versions) continue;
        members_from(p.a, &group_a);
        members_from(p.b, &group_b);
        const bool versions = std::all_of(la.begin(), la.end(), [&](uint16_t x) {
          if (std::find(lb.begin(), lb.end(), x) == lb.end()) return true;
          for (uint32_t u : group_a) {
            if (store_.lang_of[u] != x) continue;
            for (uint32_t v : group_b) {
              if (store_.lang_of[v] == x && AreVersions(u, v, raw)) return true;
            }
          }
          return false;
        });
        if (!versions) continue;
      }
      if (options_.crosslingual.agreement > 0) {  // the chain rule is on
        if (!conflict) {  // (else listed above)
          members_from(p.a, &group_a);
          members_from(p.b, &group_b);
        }
        if (!MembersAgree(group_a, group_b, p.a, p.b, calibrated(p.a, p.b, p.score),
                          options_.crosslingual.agreement,
                          [&](uint32_t x, uint32_t y) { return calibrated(x, y, raw(x, y)); })) {
          ++st.pivot_without_agreement;
          continue;
        }
      }
      std::vector<uint16_t> merged = la;
      for (uint16_t x : lb) {
        if (std::find(la.begin(), la.end(), x) == la.end()) merged.push_back(x);
      }
      if (conflict) ++st.pivot_version_joins;
      uf.Union(p.a, p.b);
      langs[uf.Find(p.a)] = std::move(merged);
      std::swap(next_member[p.a], next_member[p.b]);  // one list
      pairs->push_back(pivot_pair(p.a, p.b, p.score));
      linked.insert({p.a, p.b});
      ++st.pivot_linked_pairs;
    }

    // Stories (story.h): needs calibrated scores, so a background.
    std::vector<uint32_t> cluster_of(n);
    std::vector<uint8_t> multilingual(n, 0);
    for (uint32_t d = 0; d < n; ++d) {
      cluster_of[d] = uf.Find(d);
      multilingual[cluster_of[d]] = langs[cluster_of[d]].size() >= 2;
    }
    // Same-language candidates of the members of multilingual clusters
    // (looked up in the index: there are few such members) are scored now.
    std::vector<DocPair> more;
    if (options_.crosslingual.stories && !null.empty()) {
      std::vector<uint8_t> in_multilingual(n, 0);
      for (uint32_t d = 0; d < n; ++d) in_multilingual[d] = multilingual[cluster_of[d]];
      // Three shared values: what weighted Jaccard 0.03 gives on average
      // with the default 96, below any story pair's; one is common between
      // unrelated documents of one language. (Sorted and distinct already.)
      for (const DocPair& c : index.CandidatePairs({.class_of = store_.lang_of,
                                                    .same_class = true,
                                                    .involving = in_multilingual,
                                                    .min_shared = 3,
                                                    .large_buckets = false})) {
        if (cluster_of[c.first] != cluster_of[c.second]) more.push_back(c);
      }
    }
    // Scored apart from the translation candidates, not appended to them
    // (a copy of them all into fresh memory: 0.03 s among c100k).
    const LargeVector<PivotPair> more_scored = ScorePairs(pool, more, raw);
    const std::array<std::span<const PivotPair>, 2> all_scored = {scored, more_scored};
    absl::flat_hash_map<std::pair<uint32_t, uint32_t>, double> judged;
    if (!null.empty() && options_.crosslingual.stories) {
      // Only pairs between a multilingual and a single-language cluster
      // can make a story link, and only pairs that reach the translation
      // floor: a calibrated score can be high on next to no shared weight
      // where a language pair's calibration has little to go on (a pair at
      // weighted Jaccard 0.027 stood at z 6.9 against a language of one
      // document). And only pairs whose numbers, years aside, agree
      // (NumbersAgreeBesidesYears): pages alike in their words but not in
      // their versions, counts or sizes are no one story (session 33:
      // most false story links of the mixed press releases were point
      // releases' announcements).
      auto numbers_agree = [&](uint32_t a, uint32_t b) {
        return NumbersAgreeBesidesYears(store_.Numbers(a), store_.number_count[a],
                                        store_.year_count[a], store_.Numbers(b),
                                        store_.number_count[b], store_.year_count[b],
                                        DocumentNumbers::kMinCount,
                                        options_.crosslingual.numbers);
      };
      // On the pool, in chunks whose finds are then joined in order (one
      // thread took 1.1 s over a million documents' 14.6 million pairs).
      // (Then joined into an array sized first: grown by doubling, it
      // touched twice its 120 MB of fresh memory among a million.)
      std::vector<std::vector<StoryCandidate>> found;  // chunks of both, in order
      for (std::span<const PivotPair> some : all_scored) {
        constexpr size_t kChunk = size_t{1} << 16;
        const size_t base = found.size();
        found.resize(base + (some.size() + kChunk - 1) / kChunk);
        ParallelFor(pool, some.size(), kChunk, [&](int, size_t begin, size_t end) {
          std::vector<StoryCandidate>& out = found[base + begin / kChunk];
          for (const PivotPair& p : some.subspan(begin, end - begin)) {
            // The score first: most pairs are below the floor, and it is
            // read in order, the clusters at random (a million documents'
            // 12.5 million pairs).
            if (p.score < options_.crosslingual.floor) continue;
            const uint32_t ca = cluster_of[p.a], cb = cluster_of[p.b];
            if (ca != cb && multilingual[ca] != multilingual[cb] && numbers_agree(p.a, p.b)) {
              // Its score among member pairs is known: the input's calibration.
              out.push_back({p.a, p.b, story_z(p), calibrated(p.a, p.b, p.score)});
            }
          }
        });
      }
      size_t num_candidates = 0;
      for (const std::vector<StoryCandidate>& f : found) num_candidates += f.size();
      std::vector<StoryCandidate> story_candidates;
      story_candidates.reserve(num_candidates);
      for (std::vector<StoryCandidate>& f : found) {
        story_candidates.insert(story_candidates.end(), f.begin(), f.end());
        std::vector<StoryCandidate>().swap(f);
      }
      std::vector<StoryLink> links = LinkStories(
          cluster_of, multilingual, store_.lang_of, story_candidates,
          [&](std::span<const std::pair<uint32_t, uint32_t>> asked,
              std::span<std::optional<double>> z) {
            // Each pair's calibrated score set by the worker that scores
            // it (in a loop after, on one thread, it took 0.1-0.2 s among
            // a million documents' 4.4 million member pairs); the raw
            // scores are kept for --all-pairs only.
            std::vector<double> s(options_.all_pairs ? asked.size() : 0);
            ScoreEach(pool, asked, 1024,
                      [&](uint32_t a, uint32_t b) {
                        return takes_part(a) && takes_part(b) ? raw(a, b) : 0.0;
                      },
                      [&](size_t i, double score) {
                        const auto [a, b] = asked[i];
                        if (!takes_part(a) || !takes_part(b)) return;
                        if (!s.empty()) s[i] = score;
                        z[i] = calibrated(a, b, score);
                      });
            for (size_t i = 0; i < s.size(); ++i) {
              if (z[i]) judged.emplace(asked[i], s[i]);  // (set where both take part)
            }
          },
          options_.crosslingual.story);
      for (const StoryLink& l : links) {
        ScoredPair sp = pivot_pair(l.a, l.b, raw(l.a, l.b));
        sp.story = true;
        pairs->push_back(sp);
        linked.insert({l.a, l.b});
        ++st.story_linked_pairs;
      }
    }
    if (options_.crosslingual.date_stories) {
      for (const auto& [a, b] : DateStories(*pairs, takes_part)) {
        ScoredPair sp = pivot_pair(a, b, raw(a, b));
        sp.story = true;
        pairs->push_back(sp);
        linked.insert({a, b});
        ++st.story_linked_pairs;
        ++st.date_story_pairs;
      }
    }
    // The linked pairs' estimated Jaccard, from their documents'
    // signatures made again, on the pool (one thread took 0.2 s among a
    // million documents). With --all-pairs the signatures were kept.
    if (sigs.empty()) {
      ParallelFor(pool, pairs->size() - first_linked, 64, [&](int, size_t begin, size_t end) {
        std::vector<uint32_t> sig_a(k), sig_b(k);
        for (size_t i = first_linked + begin; i < first_linked + end; ++i) {
          ScoredPair& sp = (*pairs)[i];
          sign(sp.a, sig_a.data());
          sign(sp.b, sig_b.data());
          sp.estimated_jaccard = AgreementRate(sig_a.data(), sig_b.data(), k);
        }
      });
    }
    if (options_.all_pairs) {
      for (std::span<const PivotPair> some : all_scored) {
        for (const PivotPair& p : some) judged.emplace(std::pair(p.a, p.b), p.score);
      }
      for (const PivotPair& p : ScorePairs(pool, listed_only, raw)) {
        judged.emplace(std::pair(p.a, p.b), p.score);
      }
      for (const auto& [ab, score] : judged) {
        if (linked.contains(ab)) continue;
        ScoredPair sp = pivot_pair(ab.first, ab.second, score);
        sp.linked = false;
        unlinked_.push_back(sp);
      }
    }
  }

  // Scores of random pairs of input documents, per pair of languages
  // (NullPairs), for the null model.
  template <typename TakesPart, typename Raw>
  std::vector<NullSample> CorpusSamples(ThreadPool& pool, const TakesPart& takes_part,
                                        const Raw& raw) {
    std::vector<std::vector<uint32_t>> by_lang(store_.languages.size());
    for (uint32_t d = 0; d < store_.docs.size(); ++d) {
      if (takes_part(d)) by_lang[store_.lang_of[d]].push_back(d);
    }
    // The pairs first, in a fixed order; then their scores on the pool.
    const std::vector<std::pair<uint32_t, uint32_t>> pairs =
        NullPairs(by_lang, kNullPairsPerLanguagePair);
    // Scored by their first document (HotWeights keeps one document's
    // table while it stays first), each score to its pair's place.
    std::vector<uint64_t> order(pairs.size());  // first document << 32 | place
    for (size_t i = 0; i < pairs.size(); ++i) order[i] = uint64_t{pairs[i].first} << 32 | i;
    std::sort(order.begin(), order.end());
    std::vector<std::pair<uint32_t, uint32_t>> by_first(pairs.size());
    for (size_t k = 0; k < order.size(); ++k) by_first[k] = pairs[static_cast<uint32_t>(order[k])];
    std::vector<double> score(pairs.size());
    ScoreEach(pool, std::span<const std::pair<uint32_t, uint32_t>>(by_first), 256, raw,
              [&](size_t k, double s) { score[static_cast<uint32_t>(order[k])] = s; });
    std::vector<NullSample> out(pairs.size());
    for (size_t i = 0; i < pairs.size(); ++i) {
      out[i] = {store_.docs[pairs[i].first].lang, store_.docs[pairs[i].second].lang, score[i]};
    }
    return out;
  }

  // Runs fn(worker, begin, end) over [0, n) in chunks on the pool, and
  // waits; a task's exception becomes the run's error. One task per
  // worker, each taking the next chunk until none is left: a task per
  // chunk (2,347 for c100k's 1.2 million candidate scores) cost a wake-up
  // and a future each, and the scores 0.02 s more.
  template <typename Fn>
  void ParallelFor(ThreadPool& pool, size_t n, size_t chunk, const Fn& fn) {
    const size_t chunks = (n + chunk - 1) / chunk;
    std::atomic<size_t> next{0};
    std::vector<std::future<void>> done;
    for (size_t t = 0; t < std::min<size_t>(pool.size(), chunks); ++t) {
      done.push_back(pool.Submit([&fn, &next, n, chunk, chunks](int worker) {
        for (size_t c; (c = next.fetch_add(1, std::memory_order_relaxed)) < chunks;) {
          fn(worker, c * chunk, std::min(n, (c + 1) * chunk));
        }
      }));
    }
    NoteFailure(FinishAll(done));
  }

  // put(i, raw(a, b)) for each pair (a, b) = pairs[i], on the pool, in
  // chunks of `chunk` pairs. The pairs' features lie all over a large
  // array: the start of each list is fetched a few pairs ahead (one miss
  // after another was most of this loop's time).
  template <typename Pair, typename Raw, typename Put>
  void ScoreEach(ThreadPool& pool, std::span<const Pair> pairs, size_t chunk, const Raw& raw,
                 const Put& put) {
    constexpr size_t kAhead = 6;
    ParallelFor(pool, pairs.size(), chunk, [&](int, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        // Where a list starts is itself a miss: fetched twice as far ahead.
        if (i + 2 * kAhead < end) store_.pivot.PrefetchWhere(pairs[i + 2 * kAhead].second);
        if (i + kAhead < end) {
          store_.pivot.Prefetch(pairs[i + kAhead].first);
          store_.pivot.Prefetch(pairs[i + kAhead].second);
        }
        put(i, raw(pairs[i].first, pairs[i].second));
      }
    });
  }
  // The same into out[i].
  template <typename Pair, typename Raw>
  void ScoreEach(ThreadPool& pool, std::span<const Pair> pairs, size_t chunk, const Raw& raw,
                 double* out) {
    ScoreEach(pool, pairs, chunk, raw, [out](size_t i, double score) { out[i] = score; });
  }

  // Exact weighted Jaccard of each candidate pair, on the pool. The
  // workers write the pairs in place, into an array nothing zeroed first:
  // a pass of one thread over them (1.2 million among c100k) took 0.04 s.
  template <typename Raw>
  LargeVector<PivotPair> ScorePairs(ThreadPool& pool, const std::vector<DocPair>& pairs,
                                    const Raw& raw) {
    LargeVector<PivotPair> scored(pairs.size());
    ScoreEach(pool, std::span<const DocPair>(pairs), options_.batch_size, raw,
              [&](size_t i, double score) {
                scored[i] = PivotPair{pairs[i].first, pairs[i].second, score};
              });
    return scored;
  }

  // The texts of `docs` (sorted) that come from compressed inputs, into
  // decompressed_: such an input's line offsets are not file offsets, so
  // it is decompressed again from its start, once, up to its last line
  // needed. A line that no longer parses is left out (Reread: "could not").
  void DecompressAgain(const std::vector<uint32_t>& docs) {
    decompressed_.clear();
    for (uint32_t input = 0; input < result_.input_kinds.size(); ++input) {
      if (result_.input_kinds[input] != InputKind::kCompressedJsonl ||
          !rereadable_[input]) {
        continue;
      }
      absl::flat_hash_map<uint64_t, uint32_t> doc_at_line;
      uint64_t last = 0;
      for (uint32_t d : docs) {
        const DocumentResult& doc = store_.docs[d];
        if (doc.input != input) continue;
        doc_at_line[doc.line] = d;
        last = std::max(last, doc.line);
      }
      if (doc_at_line.empty()) continue;
      InputOptions in = options_.input;
      in.extensions.clear();  // the file is JSONL, whatever its name
      auto reader = RecordReader::Open({result_.input_names[input]}, in);
      if (!reader.ok()) continue;
      JsonRecordParser parser(options_.input);
      std::vector<RawRecord> batch;
      bool more = true;
      while (more) {
        batch.clear();
        absl::StatusOr<bool> got = (*reader)->Next(1024, 8 << 20, &batch);
        more = got.ok() && *got;
        for (const RawRecord& rec : batch) {
          if (rec.line > last) more = false;
          auto it = doc_at_line.find(rec.line);
          if (it == doc_at_line.end() || rec.problem != ReadProblem::kNone) continue;
          JsonRecord jr;
          std::string error;
          if (parser.Parse(rec.bytes, &jr, &error)) {
            decompressed_[it->second] = std::string(jr.text);
          }
        }
      }
    }
  }

  // Two multilingual groups that report one event (CrossLingualOptions::
  // date_stories): half or more of each one's documents state one date
  // near their start (DatesOf) that no other document states, and the two
  // documents that link them (the first of each group, in input order,
  // with that date) write numbers that agree. `pairs`: the links so far.
  template <typename TakesPart>
  std::vector<std::pair<uint32_t, uint32_t>> DateStories(const std::vector<ScoredPair>& pairs,
                                                         const TakesPart& takes_part) {
    const uint32_t n = static_cast<uint32_t>(store_.docs.size());
    UnionFind groups(n);
    for (const ScoredPair& p : pairs) groups.Union(p.a, p.b);
    // Per group (by its root): the documents taking part, and whether they
    // are of two languages or more (the one of the first, until another).
    // Flat arrays, not maps of lists: among a million documents the maps
    // made this step 0.4 s on one thread, most of it allocating and
    // freeing a list per group.
    constexpr uint16_t kNoLanguage = UINT16_MAX;
    std::vector<uint32_t> size(n, 0);
    std::vector<uint16_t> first_lang(n, kNoLanguage);
    std::vector<uint8_t> multilingual(n, 0);
    absl::flat_hash_map<uint32_t, std::vector<uint32_t>> docs_of;  // date -> documents
    for (uint32_t d = 0; d < n; ++d) {
      if (!takes_part(d)) continue;
      const uint32_t g = groups.Find(d);
      ++size[g];
      if (first_lang[g] == kNoLanguage) {
        first_lang[g] = store_.lang_of[d];
      } else if (first_lang[g] != store_.lang_of[d]) {
        multilingual[g] = 1;
      }
      for (uint32_t date : store_.Dates(d)) docs_of[date].push_back(d);
    }
    std::vector<uint32_t> dates;
    for (const auto& [date, docs] : docs_of) dates.push_back(date);
    std::sort(dates.begin(), dates.end());
    std::vector<std::pair<uint32_t, uint32_t>> out;
    for (uint32_t date : dates) {
      const std::vector<uint32_t>& docs = docs_of[date];  // in input order
      std::vector<std::pair<uint32_t, uint32_t>> per;     // (group, first document)
      absl::flat_hash_map<uint32_t, uint32_t> count;
      for (uint32_t d : docs) {
        const uint32_t g = groups.Find(d);
        if (count[g]++ == 0) per.emplace_back(g, d);
      }
      if (per.size() != 2) continue;
      bool all = true;
      for (const auto& [g, first] : per) {
        all = all && multilingual[g] && 2 * count[g] >= size[g];
      }
      if (!all) continue;
      const uint32_t a = per[0].second, b = per[1].second;
      if (!NumbersAgree(store_.Numbers(a), store_.number_count[a], store_.Numbers(b),
                        store_.number_count[b], DocumentNumbers::kMinCount,
                        options_.crosslingual.numbers)) {
        continue;
      }
      // One group now, for the dates after this one (of both groups'
      // languages: two or more).
      const uint32_t ga = per[0].first, gb = per[1].first;
      groups.Union(a, b);
      const uint32_t g = groups.Find(a);
      size[g] = size[ga] + size[gb];
      multilingual[g] = 1;
      out.emplace_back(std::min(a, b), std::max(a, b));
    }
    return out;
  }

  // Versions of one text in one language (crosslingual.h, before
  // kVersionMaxSurface), decided once per pair. raw(u, v): their pivot
  // score.
  template <typename Raw>
  bool AreVersions(uint32_t u, uint32_t v, const Raw& raw) {
    if (u > v) std::swap(u, v);
    if (auto it = versions_.find(std::pair(u, v)); it != versions_.end()) return it->second;
    const bool yes =
        store_.number_count[u] >= DocumentNumbers::kMinCount &&
        store_.number_count[v] >= DocumentNumbers::kMinCount &&
        NumbersAgree(store_.Numbers(u), store_.number_count[u], store_.Numbers(v),
                     store_.number_count[v], DocumentNumbers::kMinCount,
                     kVersionNumbersShare) &&
        raw(u, v) >= kVersionSimilarity && SurfaceJaccardOfTexts(u, v) < kVersionMaxSurface;
    versions_.emplace(std::pair(u, v), yes);
    return yes;
  }

  // The exact Jaccard of two documents' shingle sets, from their texts read
  // again (ShinglesOfText); 1 if either cannot be (standard input, a
  // compressed input, a changed file): no evidence that their wording
  // differs.
  double SurfaceJaccardOfTexts(uint32_t u, uint32_t v) {
    if (!version_reading_) version_reading_ = NewRereading();
    if (!version_reading_) return 1;
    std::vector<uint64_t> a, b;
    if (!ShinglesOfText(u, version_reading_.get(), &a) ||
        !ShinglesOfText(v, version_reading_.get(), &b)) {
      return 1;
    }
    return ExactOverlap(a, b).jaccard;
  }

  // What reading texts again and shingling them needs; one per thread.
  struct Rereading {
    std::unique_ptr<Tokenizer> tokenizer;
    Shingler shingler;
    JsonRecordParser parser;
    std::vector<std::unique_ptr<std::ifstream>> open;  // Reread's streams
    TokenList tokens;
  };
  // Null if the tokenizer cannot be made.
  std::unique_ptr<Rereading> NewRereading() {
    auto tokenizer = Tokenizer::Create(options_.normalize);
    if (!tokenizer.ok()) return nullptr;
    return std::unique_ptr<Rereading>(
        new Rereading{*std::move(tokenizer), Shingler(options_.shingle),
                      JsonRecordParser(options_.input),
                      std::vector<std::unique_ptr<std::ifstream>>(result_.input_names.size()),
                      TokenList()});
  }
  // Document d's shingle set, sorted, from its text read again (Reread),
  // into *out; false, with *out empty, if the text cannot be read again or
  // is no longer the one signed (a changed input must not decide).
  bool ShinglesOfText(uint32_t d, Rereading* r, std::vector<uint64_t>* out) {
    out->clear();
    const std::string text = Reread(d, &r->parser, &r->open);
    if (text.empty()) return false;
    r->tokenizer->Tokenize(text, &r->tokens);
    r->shingler.Shingle(r->tokens, out);
    if (out->size() != store_.docs[d].num_shingles) {
      out->clear();
      return false;
    }
    std::sort(out->begin(), out->end());
    return true;
  }

  // Reads document d's text again from its input, for exact re-checks.
  // Empty on failure (the input changed, or is standard input).
  // `open` caches one stream per JSONL input; compressed inputs were read
  // by DecompressAgain.
  std::string Reread(uint32_t d, JsonRecordParser* parser,
                     std::vector<std::unique_ptr<std::ifstream>>* open) {
    const DocumentResult& doc = store_.docs[d];
    const std::string& name = result_.input_names[doc.input];
    if (!rereadable_[doc.input]) return {};
    if (result_.input_kinds[doc.input] == InputKind::kCompressedJsonl) {
      auto it = decompressed_.find(d);
      return it == decompressed_.end() ? std::string() : it->second;
    }
    if (doc.line == 0) {  // a file of a folder, or a text-file input
      const std::filesystem::path path =
          result_.input_kinds[doc.input] == InputKind::kTextFile
              ? std::filesystem::path(name)
              : std::filesystem::path(name) / doc.id;
      absl::StatusOr<std::string> text = ReadFile(path);
      return text.ok() ? *std::move(text) : std::string();
    }
    auto& stream = (*open)[doc.input];
    if (!stream) stream = std::make_unique<std::ifstream>(name, std::ios::binary);
    std::ifstream& f = *stream;
    f.clear();
    if (!f.seekg(static_cast<std::streamoff>(doc.offset))) return {};
    std::string line;
    if (!std::getline(f, line)) return {};
    if (doc.offset == 0 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    JsonRecord jr;
    std::string error;
    if (!parser->Parse(line, &jr, &error)) return {};
    return std::string(jr.text);
  }

  // kAuto: pairs whose estimate is within kBorderline of the threshold are
  // decided on the exact Jaccard of their shingle sets, recomputed from the
  // re-read texts. A borderline pair whose documents are already connected
  // by confident pairs (or identical signatures) cannot change a group; it
  // keeps the estimate's verdict and costs no re-read.
  void RecheckBorderline(ThreadPool& pool, const std::vector<ScoredPair>& twins,
                         std::vector<ScoredPair>* scored,
                         std::vector<uint8_t>* pass) {
    const double t = options_.lsh.threshold;
    UnionFind confident(store_.docs.size());
    for (const ScoredPair& p : twins) confident.Union(p.a, p.b);
    for (size_t i = 0; i < scored->size(); ++i) {
      if ((*pass)[i] && (*scored)[i].estimated_jaccard > t + kBorderline) {
        confident.Union((*scored)[i].a, (*scored)[i].b);
      }
    }
    std::vector<size_t> borderline;
    std::vector<uint32_t> docs;
    for (size_t i = 0; i < scored->size(); ++i) {
      const ScoredPair& p = (*scored)[i];
      if (std::abs(p.estimated_jaccard - t) > kBorderline) continue;
      if (confident.Find(p.a) == confident.Find(p.b)) continue;
      borderline.push_back(i);
      docs.push_back(p.a);
      docs.push_back(p.b);
    }
    if (borderline.empty()) return;
    std::sort(docs.begin(), docs.end());
    docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
    DecompressAgain(docs);
    // Re-read and shingle the documents on the pool, in chunks of input
    // order (reads stay mostly sequential). An empty set means "could not".
    std::vector<std::vector<uint64_t>> sets(docs.size());
    ParallelFor(pool, docs.size(), options_.batch_size, [&](int, size_t begin, size_t end) {
      std::unique_ptr<Rereading> reading = NewRereading();
      if (!reading) return;
      for (size_t k = begin; k < end; ++k) ShinglesOfText(docs[k], reading.get(), &sets[k]);
    });
    auto set_of = [&](uint32_t d) -> const std::vector<uint64_t>& {
      return sets[std::lower_bound(docs.begin(), docs.end(), d) - docs.begin()];
    };
    for (size_t i : borderline) {
      ScoredPair& p = (*scored)[i];
      const std::vector<uint64_t>& a = set_of(p.a);
      const std::vector<uint64_t>& b = set_of(p.b);
      if (a.empty() || b.empty()) continue;
      const Overlap o = ExactOverlap(a, b);
      p.exact_jaccard = o.jaccard;
      p.score = o.jaccard;
      p.a_in_b = o.a_in_b;
      p.b_in_a = o.b_in_a;
      (*pass)[i] = o.jaccard + 1e-9 >= t;
      ++result_.stats.exact_rechecks;
    }
  }

  std::vector<ScoredPair> Verify(const std::vector<DocPair>& candidates,
                                 const std::vector<ScoredPair>& twins,
                                 ThreadPool& pool) {
    std::vector<ScoredPair> scored(candidates.size());
    std::vector<uint8_t> pass(candidates.size(), 0);
    ParallelFor(pool, candidates.size(), options_.batch_size,
                [&](int, size_t begin, size_t end) {
                  for (size_t i = begin; i < end; ++i) {
                    scored[i].a = candidates[i].first;
                    scored[i].b = candidates[i].second;
                    pass[i] = Score(&scored[i]);
                  }
                });
    if (options_.verify == VerifyMode::kAuto) {
      RecheckBorderline(pool, twins, &scored, &pass);
    }
    std::vector<ScoredPair> kept;
    for (size_t i = 0; i < scored.size(); ++i) {
      if (pass[i]) kept.push_back(scored[i]);
    }
    return kept;
  }

  void Group(std::vector<ScoredPair> pairs) {
    std::vector<uint64_t> lengths(store_.docs.size());
    for (size_t d = 0; d < lengths.size(); ++d) {
      lengths[d] = store_.docs[d].text_bytes;
    }
    const bool per_language = !options_.keep_one_per_group;
    const auto und = std::find(store_.languages.begin(), store_.languages.end(), "und");
    std::vector<DocumentResult>& docs = store_.docs;
    std::vector<uint8_t> seen;
    if (options_.seen_inputs > 0) {
      seen.resize(docs.size());
      for (size_t d = 0; d < docs.size(); ++d) seen[d] = docs[d].seen;
    }
    std::vector<neardup::Group> groups = BuildGroups(
        store_.docs.size(), pairs, lengths, options_.keep,
        per_language ? std::span<const uint16_t>(store_.lang_of)
                     : std::span<const uint16_t>(),
        und == store_.languages.end()
            ? UINT16_MAX
            : static_cast<uint16_t>(und - store_.languages.begin()),
        seen, options_.seen_drops_translations);
    if (!seen.empty()) {
      // Groups of seen documents alone are not this run's.
      std::erase_if(groups, [&](const neardup::Group& g) {
        return std::all_of(g.members.begin(), g.members.end(),
                           [&](uint32_t m) { return seen[m] != 0; });
      });
    }
    for (size_t g = 0; g < groups.size(); ++g) {
      for (size_t i = 0; i < groups[g].members.size(); ++i) {
        const uint32_t m = groups[g].members[i];
        docs[m].group = static_cast<int64_t>(g);
        // The kept document that stands for m: in its language and variant
        // set if there is one.
        const uint32_t by = groups[g].kept_for[i];
        if (by == m) continue;
        const bool same_language = store_.lang_of[by] == store_.lang_of[m] ||
                                   docs[by].lang == "und" || docs[m].lang == "und";
        docs[m].outcome = Outcome::kDuplicate;
        if (!same_language && !docs[m].seen) ++result_.stats.dropped_translations;
        docs[m].reason = absl::StrCat(same_language ? "duplicate of " : "translation of ",
                                      docs[by].seen ? "seen document " : "", docs[by].id);
      }
    }
    if (!seen.empty()) {
      // Pairs between two seen documents are reported only inside a group
      // reported (they explain how its inputs were joined).
      auto outside = [&](const ScoredPair& p) {
        return seen[p.a] && seen[p.b] && docs[p.a].group < 0;
      };
      std::erase_if(pairs, outside);
      std::erase_if(unlinked_, [&](const ScoredPair& p) { return seen[p.a] && seen[p.b]; });
    }
    RunStats& st = result_.stats;
    for (const DocumentResult& d : docs) {
      if (d.seen) {
        ++st.seen_records;
        if (d.outcome == Outcome::kRejected) ++st.seen_rejected;
        continue;
      }
      ++st.records;
      if (d.outcome != Outcome::kRejected) ++st.languages[d.lang];
      if (!d.lang_given.empty()) ++st.lang_tags_set_aside;
      switch (d.outcome) {
        case Outcome::kKept: ++st.kept; break;
        case Outcome::kDuplicate: ++st.duplicates; break;
        case Outcome::kRejected:
          ++st.rejected;
          ++st.rejected_by_code[std::string(RejectCodeName(d.reject))];
          break;
      }
    }
    result_.documents = std::move(docs);
    result_.pairs = std::move(pairs);
    std::sort(unlinked_.begin(), unlinked_.end(), [](const ScoredPair& x, const ScoredPair& y) {
      return x.a != y.a ? x.a < y.a : x.b < y.b;
    });
    result_.unlinked_pairs = std::move(unlinked_);
    result_.groups = std::move(groups);
  }

  const PipelineOptions& options_;
  MinHasher hasher_;
  MinHasher pivot_hasher_;  // for the pivot channel: its own permutations
  std::vector<std::unique_ptr<Featurizer>> featurizers_;
  Store store_;
  std::vector<bool> leader_;
  std::vector<BackgroundDoc> background_;  // with the lexicon
  std::future<absl::StatusOr<std::vector<BackgroundDoc>>> background_loading_;
  std::vector<ScoredPair> unlinked_;       // --all-pairs
  std::vector<bool> rereadable_;  // per input
  // Texts of borderline documents of compressed inputs, by document.
  absl::flat_hash_map<uint32_t, std::string> decompressed_;
  // AreVersions' decisions by pair (u < v), and how it reads texts again.
  absl::flat_hash_map<std::pair<uint32_t, uint32_t>, bool> versions_;
  std::unique_ptr<Rereading> version_reading_;
  absl::Status task_error_;       // first failure of a pool task after reading
  void NoteFailure(absl::Status s) {
    if (task_error_.ok()) task_error_ = std::move(s);
  }
  RunResult result_;
  uint64_t bytes_seen_ = 0;
  uint64_t bytes_before_ = 0;  // read by the segments before the current one
  SeenCacheWriter* cache_writer_ = nullptr;  // while reading a seen input to cache
  std::string lexicon_dir_;                  // with cross-language grouping
  std::string lexicon_manifest_;             // its MANIFEST, if it has one
};

}  // namespace

absl::StatusOr<RunResult> RunDedup(const std::vector<std::string>& inputs,
                                   const PipelineOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  if (options.seen_inputs > inputs.size()) {
    return absl::InvalidArgumentError("more seen inputs than inputs");
  }
  Run run(options);
  return run.Go(inputs);
}

}  // namespace neardup
