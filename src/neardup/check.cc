#include "neardup/check.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "neardup/io/json.h"
#include "neardup/thread_pool.h"

namespace neardup {

absl::Status CheckOptions::Validate() const {
  if (auto s = input.Validate(); !s.ok()) return s;
  if (auto s = shingle.Validate(); !s.ok()) return s;
  if (!(containment > 0 && containment <= 1)) {
    return absl::InvalidArgumentError("the containment must be in (0, 1]");
  }
  if (min_length < 0) return absl::InvalidArgumentError("the minimum length must be >= 0");
  if (max_matches < 0) {
    return absl::InvalidArgumentError("the number of matches must be >= 0");
  }
  if (threads < 0) return absl::InvalidArgumentError("threads must be >= 0");
  return absl::OkStatus();
}

int CheckOptions::ResolvedMinLength() const {
  if (min_length > 0) return min_length;
  return std::min(shingle.unit == ShingleUnit::kWord ? 5 : 20, shingle.n);
}

namespace {

std::string SourceOf(const RecordReader& reader, const DocumentResult& doc) {
  return neardup::SourceOf(reader.input_names(), reader.input_kinds(), doc);
}

// One thread's tools and its best matches so far.
struct Worker {
  std::unique_ptr<Tokenizer> tokenizer;
  JsonRecordParser parser;
  Shingler shingler;
  TokenList tokens;
  std::vector<uint64_t> shingles;
  std::vector<uint64_t> runs;   // runs of a short item's length (ShinglesOfLength)
  std::vector<uint32_t> keys;   // the keys they found, de-duplicated
  absl::flat_hash_map<uint32_t, uint32_t> shared;  // eval doc -> shingles
  struct Local {
    uint64_t record;  // training record number, for ties
    uint32_t shared;
    std::string id, source;
  };
  std::vector<std::vector<Local>> best;  // per eval doc, at most k
  std::vector<ContainingRecord> containing;
  uint64_t rejected = 0;
  Worker(std::unique_ptr<Tokenizer> t, const CheckOptions& o)
      : tokenizer(std::move(t)), parser(o.input), shingler(o.shingle) {}
};

// A number as the output files write it (4 decimals).
std::string Score(double v) {
  std::string s;
  AppendJsonScore(&s, v);
  return s;
}

bool Better(uint32_t shared_a, uint64_t record_a, uint32_t shared_b, uint64_t record_b) {
  return shared_a != shared_b ? shared_a > shared_b : record_a < record_b;
}

}  // namespace

absl::StatusOr<CheckResult> RunCheck(const std::vector<std::string>& eval_inputs,
                                     const std::vector<std::string>& train_inputs,
                                     const CheckOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (auto s = options.Validate(); !s.ok()) return s;
  if (eval_inputs.empty()) return absl::InvalidArgumentError("no evaluation set given");
  if (train_inputs.empty()) return absl::InvalidArgumentError("no training corpus given");
  CheckResult result;
  result.eval_inputs = eval_inputs;
  result.train_inputs = train_inputs;
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  result.threads = threads;

  // The threads' tools, for both passes.
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t) {
    auto tok = Tokenizer::Create(options.normalize);
    if (!tok.ok()) return tok.status();
    workers.push_back(std::make_unique<Worker>(std::move(*tok), options));
  }

  // 1. The evaluation set: its documents' distinct shingles, each batch on
  // every thread, appended in input order.
  auto eval_reader = RecordReader::Open(eval_inputs, options.input);
  if (!eval_reader.ok()) return eval_reader.status();
  std::vector<std::pair<uint64_t, uint32_t>> postings;  // (shingle, eval doc)
  // Each short document's one shingle, first token's hash and length.
  struct Short {
    uint64_t shingle, first_token;
    uint32_t units;
  };
  std::vector<Short> shorts;
  const int min_length = options.ResolvedMinLength();
  {
    std::vector<RawRecord> batch;
    std::vector<CheckedDocument> docs;
    std::vector<std::vector<uint64_t>> shingles;
    std::vector<uint64_t> first_token;  // word mode
    while (true) {
      batch.clear();
      absl::StatusOr<bool> more = (*eval_reader)->Next(1024, 8 << 20, &batch);
      if (!more.ok()) return more.status();
      if (!*more) break;
      docs.assign(batch.size(), CheckedDocument{});
      shingles.resize(batch.size());
      first_token.assign(batch.size(), 0);
      RunOnThreads(threads, [&](int t) {
        Worker& w = *workers[t];
        for (size_t i = t; i < batch.size(); i += threads) {
          CheckedDocument& c = docs[i];
          shingles[i].clear();
          std::string_view text;
          if (!TextOfRecord(batch[i], w.parser, &c.doc, &text)) continue;
          w.tokenizer->Tokenize(text, &w.tokens);
          if (w.tokens.empty()) {
            c.doc.outcome = Outcome::kRejected;
            c.doc.reject = RejectCode::kNoWords;
            c.doc.reason = "no words in the text after normalization";
            continue;
          }
          w.shingler.Shingle(w.tokens, &shingles[i]);
          const size_t units = w.shingler.units();
          if (units < static_cast<size_t>(min_length)) {
            shingles[i].clear();
            c.doc.outcome = Outcome::kRejected;
            c.doc.reject = RejectCode::kTooShort;
            c.doc.reason = absl::StrCat(
                units, options.shingle.unit == ShingleUnit::kWord ? " word" : " character",
                units == 1 ? "" : "s",
                ", fewer than the minimum length (", min_length,
                "): so short a run turns up by chance");
            continue;
          }
          c.num_shingles = static_cast<uint32_t>(shingles[i].size());
          if (units < static_cast<size_t>(options.shingle.n)) {
            c.short_units = static_cast<uint32_t>(units);
            if (!w.shingler.token_hashes().empty()) first_token[i] = w.shingler.token_hashes()[0];
          }
        }
      });
      for (size_t i = 0; i < batch.size(); ++i) {
        CheckedDocument& c = docs[i];
        if (!c.doc.id_given) {
          c.doc.id = DefaultId((*eval_reader)->input_names()[c.doc.input], c.doc.line);
        }
        c.source = SourceOf(**eval_reader, c.doc);
        if (c.doc.outcome == Outcome::kRejected) ++result.eval_rejected;
        if (c.doc.reject == RejectCode::kTooShort) ++result.eval_too_short;
        const uint32_t e = static_cast<uint32_t>(result.eval.size());
        for (uint64_t h : shingles[i]) postings.emplace_back(h, e);
        if (c.short_units > 0) shorts.push_back({shingles[i].front(), first_token[i], c.short_units});
        result.eval.push_back(std::move(c));
      }
    }
  }
  // Shingle -> its run of eval documents in `owners`.
  std::sort(postings.begin(), postings.end());
  absl::flat_hash_map<uint64_t, uint32_t> key_of;  // shingle -> key index
  std::vector<uint32_t> run_start, owners;
  owners.reserve(postings.size());
  for (size_t i = 0; i < postings.size(); ++i) {
    if (i == 0 || postings[i].first != postings[i - 1].first) {
      key_of.emplace(postings[i].first, static_cast<uint32_t>(run_start.size()));
      run_start.push_back(static_cast<uint32_t>(owners.size()));
    }
    owners.push_back(postings[i].second);
  }
  run_start.push_back(static_cast<uint32_t>(owners.size()));
  result.distinct_eval_shingles = key_of.size();
  std::vector<std::pair<uint64_t, uint32_t>>().swap(postings);
  std::vector<std::atomic<uint8_t>> found(key_of.size());
  // A training document's runs as long as a short item are looked up too,
  // in a map of the short items' shingles alone. In word mode only the runs
  // that start with a short item's first token are hashed: its lengths are
  // bits (k - 1) of short_starts, behind a bit per value of the token
  // hash's top 16 bits (8 KiB), since most tokens start none. (Hashing
  // every run of each length took 2.3 s where 1,000 documents without
  // short items took 1.5 s.) Char mode hashes every run of each length.
  absl::flat_hash_map<uint64_t, uint32_t> short_key_of;
  absl::flat_hash_map<uint64_t, uint64_t> short_starts;
  std::vector<uint64_t> may_start(1 << 10, 0);
  auto start_bit = [](uint64_t h) { return static_cast<uint32_t>(h >> 48); };
  std::vector<size_t> short_lengths;  // distinct, for char mode
  for (const Short& s : shorts) {
    short_key_of.emplace(s.shingle, key_of.at(s.shingle));
    const uint32_t bit = start_bit(s.first_token);
    may_start[bit >> 6] |= uint64_t{1} << (bit & 63);
    short_starts[s.first_token] |= uint64_t{1} << (s.units - 1);
    short_lengths.push_back(s.units);
  }
  const bool word_runs = options.shingle.unit == ShingleUnit::kWord;
  std::sort(short_lengths.begin(), short_lengths.end());
  short_lengths.erase(std::unique(short_lengths.begin(), short_lengths.end()),
                      short_lengths.end());

  // 2. The training corpus, streamed: each document's shingles looked up.
  for (auto& w : workers) w->best.resize(result.eval.size());
  const size_t k = static_cast<size_t>(options.max_matches);
  auto train_reader = RecordReader::Open(train_inputs, options.input);
  if (!train_reader.ok()) return train_reader.status();
  const RecordReader& reader = **train_reader;
  std::vector<RawRecord> batch;
  uint64_t first_record = 0;
  while (true) {
    batch.clear();
    absl::StatusOr<bool> more = (*train_reader)->Next(4096, 32 << 20, &batch);
    if (!more.ok()) return more.status();
    if (!*more) break;
    RunOnThreads(threads, [&](int t) {
      Worker& w = *workers[t];
      for (size_t i = t; i < batch.size(); i += threads) {
        DocumentResult doc;
        std::string_view text;
        if (!TextOfRecord(batch[i], w.parser, &doc, &text)) {
          ++w.rejected;
          continue;
        }
        w.tokenizer->Tokenize(text, &w.tokens);
        if (w.tokens.empty()) {
          ++w.rejected;
          continue;
        }
        w.shingler.Shingle(w.tokens, &w.shingles);
        w.shared.clear();
        auto count = [&](uint32_t key) {
          found[key].store(1, std::memory_order_relaxed);
          for (uint32_t j = run_start[key]; j < run_start[key + 1]; ++j) ++w.shared[owners[j]];
        };
        for (uint64_t h : w.shingles) {
          auto it = key_of.find(h);
          if (it != key_of.end()) count(it->second);
        }
        // Runs as long as a short item (shorter than the document, whose
        // own shingle was looked up above): a run found twice counts once.
        w.keys.clear();
        auto look_up = [&](uint64_t h) {
          auto it = short_key_of.find(h);
          if (it != short_key_of.end()) w.keys.push_back(it->second);
        };
        if (word_runs && !short_starts.empty()) {
          const std::span<const uint64_t> th = w.shingler.token_hashes();
          for (size_t i = 0; i < th.size(); ++i) {
            const uint32_t bit = start_bit(th[i]);
            if (!(may_start[bit >> 6] >> (bit & 63) & 1)) continue;
            auto s = short_starts.find(th[i]);
            if (s == short_starts.end()) continue;
            for (uint64_t m = s->second; m != 0; m &= m - 1) {
              const size_t len = static_cast<size_t>(std::countr_zero(m)) + 1;
              if (len < th.size() && i + len <= th.size()) look_up(w.shingler.WordRun(i, len));
            }
          }
        } else if (!word_runs) {
          for (size_t len : short_lengths) {
            w.runs.clear();
            w.shingler.ShinglesOfLength(len, &w.runs);
            for (uint64_t h : w.runs) look_up(h);
          }
        }
        std::sort(w.keys.begin(), w.keys.end());
        w.keys.erase(std::unique(w.keys.begin(), w.keys.end()), w.keys.end());
        for (uint32_t key : w.keys) count(key);
        const uint64_t record = first_record + i;
        for (const auto& [e, n] : w.shared) {
          if (n >= options.containment * result.eval[e].num_shingles - 1e-9) {
            w.containing.push_back(
                ContainingRecord{record, doc.input, doc.line, doc.offset, batch[i].name});
            break;
          }
        }
        if (k == 0) continue;
        for (const auto& [e, n] : w.shared) {
          std::vector<Worker::Local>& best = w.best[e];
          if (best.size() == k && !Better(n, record, best.back().shared, best.back().record)) {
            continue;
          }
          if (!doc.id_given) doc.id = DefaultId(reader.input_names()[doc.input], doc.line);
          Worker::Local m{record, n, doc.id, SourceOf(reader, doc)};
          auto at = std::find_if(best.begin(), best.end(), [&](const Worker::Local& b) {
            return Better(n, record, b.shared, b.record);
          });
          best.insert(at, std::move(m));
          if (best.size() > k) best.pop_back();
        }
      }
    });
    first_record += batch.size();
    result.train_records = first_record;
    if (options.progress) options.progress(first_record, reader.bytes_read());
  }
  result.train_bytes = reader.bytes_read();

  // 3. Per evaluation document: how much of it the corpus has, and where.
  std::vector<uint32_t> found_of(result.eval.size(), 0);
  for (uint32_t key = 0; key + 1 < run_start.size(); ++key) {
    if (!found[key].load(std::memory_order_relaxed)) continue;
    for (uint32_t j = run_start[key]; j < run_start[key + 1]; ++j) ++found_of[owners[j]];
  }
  for (const auto& w : workers) {
    result.train_rejected += w->rejected;
    for (const ContainingRecord& c : w->containing) result.train_containing.push_back(c);
  }
  std::sort(result.train_containing.begin(), result.train_containing.end(),
            [](const ContainingRecord& a, const ContainingRecord& b) { return a.record < b.record; });
  for (size_t e = 0; e < result.eval.size(); ++e) {
    CheckedDocument& c = result.eval[e];
    if (c.num_shingles == 0) continue;
    result.short_eval += c.short_units > 0;
    c.found = found_of[e];
    c.containment = static_cast<double>(c.found) / c.num_shingles;
    c.contaminated = c.containment + 1e-12 >= options.containment;
    result.contaminated += c.contaminated;
    std::vector<Worker::Local> all;
    for (auto& w : workers) {
      for (Worker::Local& m : w->best[e]) all.push_back(std::move(m));
    }
    std::sort(all.begin(), all.end(), [](const Worker::Local& a, const Worker::Local& b) {
      return Better(a.shared, a.record, b.shared, b.record);
    });
    if (all.size() > k) all.resize(k);
    for (Worker::Local& m : all) {
      c.matches.push_back(CheckMatch{std::move(m.id), std::move(m.source), m.shared,
                                     static_cast<double>(m.shared) / c.num_shingles});
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::string ContaminationJsonl(const CheckResult& r) {
  std::string out;
  for (const CheckedDocument& c : r.eval) {
    out.append("{\"id\":");
    AppendJsonString(&out, c.doc.id);
    out.append(",\"source\":");
    AppendJsonString(&out, c.source);
    out.append(",\"status\":");
    if (c.doc.outcome == Outcome::kRejected) {
      out.append("\"rejected\",\"reason\":");
      AppendJsonString(&out, c.doc.reason);
      out.append(",\"code\":\"");
      out.append(RejectCodeName(c.doc.reject));
      out.append("\"}\n");
      continue;
    }
    out.append(c.contaminated ? "\"contaminated\"" : "\"clean\"");
    absl::StrAppend(&out, ",\"containment\":", Score(c.containment),
                    ",\"shingles\":", c.num_shingles, ",\"found\":", c.found,
                    ",\"short\":", c.short_units > 0 ? "true" : "false", ",\"matches\":[");
    for (size_t i = 0; i < c.matches.size(); ++i) {
      const CheckMatch& m = c.matches[i];
      out.append(i ? ",{\"id\":" : "{\"id\":");
      AppendJsonString(&out, m.id);
      out.append(",\"source\":");
      AppendJsonString(&out, m.source);
      absl::StrAppend(&out, ",\"shared\":", m.shared, ",\"containment\":",
                      Score(m.containment), "}");
    }
    out.append("]}\n");
  }
  return out;
}

std::string CheckSummaryJson(const CheckResult& r, const CheckOptions& o) {
  const uint64_t checked = r.eval.size() - r.eval_rejected;
  std::string out = "{\n  \"counts\": {";
  absl::StrAppend(&out, "\"eval_records\":", r.eval.size(), ",\"eval_rejected\":",
                  r.eval_rejected, ",\"eval_too_short\":", r.eval_too_short,
                  ",\"eval_short\":", r.short_eval,
                  ",\"contaminated\":", r.contaminated,
                  ",\"clean\":", checked - r.contaminated,
                  ",\"train_records\":", r.train_records, ",\"train_rejected\":",
                  r.train_rejected, ",\"train_containing\":", r.train_containing.size(), ",\"train_bytes\":", r.train_bytes,
                  ",\"distinct_eval_shingles\":", r.distinct_eval_shingles, "},\n");
  absl::StrAppend(&out, "  \"contamination_rate\": ",
                  Score(checked ? static_cast<double>(r.contaminated) / checked : 0),
                  ",\n");
  absl::StrAppend(&out, "  \"parameters\": {\"shingle\":\"",
                  o.shingle.unit == ShingleUnit::kWord ? "word" : "char",
                  "\",\"ngram\":", o.shingle.n, ",\"min_length\":", o.ResolvedMinLength(),
                  ",\"containment\":", Score(o.containment),
                  ",\"max_matches\":", o.max_matches, ",\"fold_diacritics\":",
                  o.normalize.fold_diacritics ? "true" : "false", "},\n");
  auto list = [&out](const std::vector<std::string>& v) {
    out.append("[");
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out.append(",");
      AppendJsonString(&out, v[i]);
    }
    out.append("]");
  };
  out.append("  \"eval_inputs\": ");
  list(r.eval_inputs);
  out.append(",\n  \"train_inputs\": ");
  list(r.train_inputs);
  absl::StrAppend(&out, ",\n  \"timings\": {\"total_s\":", Score(r.seconds),
                  ",\"train_mb_per_s\":",
                  Score(r.seconds > 0 ? r.train_bytes / 1e6 / r.seconds : 0), "},\n");
  absl::StrAppend(&out, "  \"threads\":", r.threads, "\n}\n");
  return out;
}

}  // namespace neardup
