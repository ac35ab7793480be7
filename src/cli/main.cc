// The neardup command: maps arguments to library calls and prints.
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/flags.h"
#include "cli/report.h"
#include "neardup/check.h"
#include "neardup/eval.h"
#include "neardup/explain.h"
#include "neardup/io/output.h"
#include "neardup/pipeline.h"
#include "neardup/prepare.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// An output (--kept, --clean) written after reading `inputs` again: each
// input must be a file or folder (a pipe cannot be read twice, and the
// same standard input not by two readers), and the output, or its
// temporary PATH.tmp, must be none of them nor inside an input folder.
// `also`: inputs not read again (--seen), which the output must not be
// either.
absl::Status OutputMayRereadInputs(const std::string& flag, const std::string& out,
                                   const std::vector<std::string>& inputs,
                                   const std::vector<std::string>& also = {}) {
  namespace fs = std::filesystem;
  std::vector<std::string> all = inputs;
  all.insert(all.end(), also.begin(), also.end());
  for (size_t i = 0; i < all.size(); ++i) {
    const std::string& in = all[i];
    struct stat st;
    if (i < inputs.size() &&
        (in == "-" || (::stat(in.c_str(), &st) == 0 && !S_ISREG(st.st_mode) &&
                       !S_ISDIR(st.st_mode)))) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag, " reads the inputs again, and ", in == "-" ? "standard input" : in,
          " is not a file or folder"));
    }
    if (out == "-" || in == "-") continue;
    std::error_code ec;
    const bool is_dir = fs::is_directory(in, ec);
    const fs::path folder = fs::weakly_canonical(in, ec);
    for (const fs::path p : {fs::path(out), fs::path(out + ".tmp")}) {
      std::error_code e2;
      const fs::path target = fs::weakly_canonical(p, e2);
      const bool inside =
          is_dir && !e2 && !ec &&
          std::mismatch(folder.begin(), folder.end(), target.begin(), target.end()).first ==
              folder.end();
      if (fs::equivalent(in, p, e2) || inside) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag, " ", out, " would write over or into an input (", in, ")"));
      }
    }
  }
  return absl::OkStatus();
}

// Where a run will write, checked before it starts (a long run must not end
// on a folder that is missing or read-only): `dir` (--out, --seen-cache)
// is created now; a file's (--kept, --clean) folder must exist and be
// writable. "-" is standard output.
absl::Status WillWrite(const std::string& flag, const std::string& path, bool is_dir) {
  namespace fs = std::filesystem;
  if (path.empty() || path == "-") return absl::OkStatus();
  std::error_code ec;
  fs::path dir = is_dir ? fs::path(path) : fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  auto bad = [&](const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " ", path, ": ", dir.string(), what));
  };
  if (is_dir && (fs::create_directories(dir, ec), ec)) {
    return bad(absl::StrCat(" cannot be made (", ec.message(), ")"));
  }
  if (!fs::exists(dir, ec)) return bad(": no such folder");
  if (!fs::is_directory(dir, ec)) return bad(" is not a folder");
  if (::access(dir.c_str(), W_OK) != 0) return bad(" is not writable");
  return absl::OkStatus();
}

// WillWrite for each (flag, path, is a folder) of a command.
struct OutputPlace {
  const char* flag;
  std::string path;
  bool is_dir;
};
absl::Status WillWriteAll(std::initializer_list<OutputPlace> places) {
  for (const OutputPlace& p : places) {
    if (absl::Status s = WillWrite(p.flag, p.path, p.is_dir); !s.ok()) return s;
  }
  return absl::OkStatus();
}

int Dedup(const std::vector<std::string>& args) {
  using namespace neardup;
  absl::StatusOr<cli::DedupCommand> cmd = cli::ParseDedupFlags(args);
  if (!cmd.ok()) {
    absl::FPrintF(stderr, "neardup dedup: %s\n", cmd.status().message());
    return kExitUsage;
  }
  if (cmd->help) {
    std::fputs(cli::DedupHelp().c_str(), stdout);
    return kExitOk;
  }
  const bool progress =
      !cmd->quiet && (cmd->progress == cli::ProgressMode::kAlways ||
                      (cmd->progress == cli::ProgressMode::kAuto &&
                       isatty(STDERR_FILENO)));
  bool progress_shown = false;
  if (progress) {
    cmd->options.progress = [&progress_shown](const Progress& p) {
      cli::PrintProgress(p, stderr);
      progress_shown = true;
    };
  }
  if (!cmd->kept.empty()) {
    if (absl::Status s = OutputMayRereadInputs("--kept", cmd->kept, cmd->inputs, cmd->seen);
        !s.ok()) {
      absl::FPrintF(stderr, "neardup dedup: %s\n", s.message());
      return kExitUsage;
    }
  }
  if (absl::Status s = WillWriteAll(
          {{"--out", cmd->out_dir, true},
           {"--kept", cmd->kept, false},
           {"--seen-cache",
            cmd->options.verify == VerifyMode::kExact ? "" : cmd->options.seen_cache_dir, true}});
      !s.ok()) {
    absl::FPrintF(stderr, "neardup dedup: %s\n", s.message());
    return kExitUsage;
  }
  absl::StatusOr<RunResult> result = RunDedup(cmd->AllInputs(), cmd->options);
  if (progress_shown && isatty(STDERR_FILENO)) std::fputs("\r\x1b[K", stderr);
  if (!result.ok()) {
    absl::FPrintF(stderr, "neardup dedup: error: %s\n",
                  result.status().message());
    return kExitFailure;
  }
  if (!cmd->out_dir.empty()) {
    absl::Status s = WriteOutputDir(cmd->out_dir, *result, cmd->options);
    if (!s.ok()) {
      absl::FPrintF(stderr, "neardup dedup: error: %s\n", s.message());
      return kExitFailure;
    }
  }
  if (!cmd->kept.empty()) {
    absl::Status s = WriteKept(cmd->kept, cmd->AllInputs(), cmd->options.input, *result);
    if (!s.ok()) {
      absl::FPrintF(stderr, "neardup dedup: error: %s\n", s.message());
      return kExitFailure;
    }
  }
  if (cmd->quiet) return kExitOk;
  for (const std::string& w : result->warnings) {
    absl::FPrintF(stderr, "neardup: warning: %s\n", w);
  }
  cli::PrintWarnings(*result, 20, stderr);
  // With --kept -, standard output is the corpus: the report goes to stderr.
  FILE* report = cmd->kept == "-" ? stderr : stdout;
  cli::PrintSummary(*result, cmd->options, report);
  if (cmd->out_dir.empty()) {
    cli::PrintDetails(*result, 100, report);
  } else {
    absl::FPrintF(report, "  results in %s/ (documents.jsonl, pairs.jsonl, "
                  "groups.jsonl, summary.json)\n", cmd->out_dir);
  }
  if (!cmd->kept.empty() && cmd->kept != "-") {
    absl::FPrintF(report, "  kept documents in %s\n", cmd->kept);
  }
  return kExitOk;
}

int Check(const std::vector<std::string>& args) {
  using namespace neardup;
  absl::StatusOr<cli::CheckCommand> cmd = cli::ParseCheckFlags(args);
  if (!cmd.ok()) {
    absl::FPrintF(stderr, "neardup check: %s\n", cmd.status().message());
    return kExitUsage;
  }
  if (cmd->help) {
    std::fputs(cli::CheckHelp().c_str(), stdout);
    return kExitOk;
  }
  const bool progress =
      !cmd->quiet && (cmd->progress == cli::ProgressMode::kAlways ||
                      (cmd->progress == cli::ProgressMode::kAuto && isatty(STDERR_FILENO)));
  if (progress) {
    const auto start = std::chrono::steady_clock::now();
    cmd->options.progress = [start](uint64_t records, uint64_t bytes) {
      cli::PrintProgress(
          Progress{"training corpus", records, bytes,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()},
          stderr);
    };
  }
  if (!cmd->clean.empty()) {
    if (absl::Status s = OutputMayRereadInputs("--clean", cmd->clean, cmd->eval_inputs);
        !s.ok()) {
      absl::FPrintF(stderr, "neardup check: %s\n", s.message());
      return kExitUsage;
    }
  }
  if (!cmd->clean_train.empty()) {
    if (absl::Status s = OutputMayRereadInputs("--clean-train", cmd->clean_train,
                                               cmd->train_inputs, cmd->eval_inputs);
        !s.ok()) {
      absl::FPrintF(stderr, "neardup check: %s\n", s.message());
      return kExitUsage;
    }
  }
  if (absl::Status s = WillWriteAll({{"--out", cmd->out_dir, true},
                                     {"--clean", cmd->clean, false},
                                     {"--clean-train", cmd->clean_train, false}});
      !s.ok()) {
    absl::FPrintF(stderr, "neardup check: %s\n", s.message());
    return kExitUsage;
  }
  absl::StatusOr<CheckResult> r = RunCheck(cmd->eval_inputs, cmd->train_inputs, cmd->options);
  if (progress && isatty(STDERR_FILENO)) std::fputs("\r\x1b[K", stderr);
  if (!r.ok()) {
    absl::FPrintF(stderr, "neardup check: error: %s\n", r.status().message());
    return kExitFailure;
  }
  if (!cmd->out_dir.empty()) {
    absl::Status s = WriteTextFiles(cmd->out_dir, {{"contamination.jsonl", ContaminationJsonl(*r)},
                                                   {"summary.json", CheckSummaryJson(*r, cmd->options)}});
    if (!s.ok()) {
      absl::FPrintF(stderr, "neardup check: error: %s\n", s.message());
      return kExitFailure;
    }
  }
  if (!cmd->clean.empty()) {
    absl::Status s = WriteRecords(cmd->clean, cmd->eval_inputs, cmd->options.input, r->eval.size(),
                                  [&](size_t k) {
                                    const CheckedDocument& c = r->eval[k];
                                    return RecordChoice{c.doc.input, c.doc.line, c.doc.offset, c.doc.id,
                                                        c.doc.outcome != Outcome::kRejected && !c.contaminated};
                                  });
    if (!s.ok()) {
      absl::FPrintF(stderr, "neardup check: error: %s\n", s.message());
      return kExitFailure;
    }
  }
  if (!cmd->clean_train.empty()) {
    // Only the records left out keep their place: they, and the number of
    // records, are checked as the corpus is read again.
    const std::vector<ContainingRecord>& drop = r->train_containing;
    size_t next = 0;
    absl::Status s = WriteRecords(
        cmd->clean_train, cmd->train_inputs, cmd->options.input, r->train_records,
        [&](size_t k) {
          if (next < drop.size() && drop[next].record == k) {
            const ContainingRecord& c = drop[next++];
            return RecordChoice{c.input, c.line, c.offset, c.name, false, true};
          }
          RecordChoice keep;
          keep.write = true;
          keep.check = false;
          return keep;
        });
    if (!s.ok()) {
      absl::FPrintF(stderr, "neardup check: error: %s\n", s.message());
      return kExitFailure;
    }
  }
  if (cmd->quiet) return kExitOk;
  FILE* out = cmd->clean == "-" || cmd->clean_train == "-" ? stderr : stdout;
  const uint64_t checked = r->eval.size() - r->eval_rejected;
  absl::FPrintF(out,
                "neardup check: %d evaluation documents: %d contaminated (%.1f %%), %d clean, "
                "%d rejected%s\n",
                r->eval.size(), r->contaminated,
                checked ? 100.0 * r->contaminated / checked : 0.0, checked - r->contaminated,
                r->eval_rejected,
                r->eval_too_short > 0
                    ? absl::StrCat(" (", r->eval_too_short, " shorter than --min-length ",
                                   cmd->options.ResolvedMinLength(), ")")
                    : "");
  absl::FPrintF(out,
                "  contaminated: at least %.0f %% of a document's distinct %s %d-grams "
                "(%d distinct in all) occur in the training corpus\n",
                100 * cmd->options.containment,
                cmd->options.shingle.unit == ShingleUnit::kWord ? "word" : "character",
                cmd->options.shingle.n, r->distinct_eval_shingles);
  if (r->short_eval > 0) {
    absl::FPrintF(out,
                  "  shorter than %d %s: %d checked documents, each contaminated when a "
                  "training document has all of it in a row\n",
                  cmd->options.shingle.n,
                  cmd->options.shingle.unit == ShingleUnit::kWord ? "words" : "characters",
                  r->short_eval);
  }
  absl::FPrintF(out,
                "  training corpus: %d records (%d rejected), %.1f MB; %d records each hold "
                "an evaluation document%s\n",
                r->train_records, r->train_rejected, r->train_bytes / 1e6,
                r->train_containing.size(),
                cmd->clean_train.empty() || cmd->clean_train == "-"
                    ? ""
                    : absl::StrCat(" (left out of ", cmd->clean_train, ")"));
  absl::FPrintF(out, "  %.2f s (%.1f MB/s of training text) on %d threads\n", r->seconds,
                r->seconds > 0 ? r->train_bytes / 1e6 / r->seconds : 0.0, r->threads);
  size_t shown = 0;
  for (const CheckedDocument& c : r->eval) {
    if (!c.contaminated) continue;
    if (shown++ == 0) absl::FPrintF(out, "\nContaminated:\n");
    if (shown > 50) {
      absl::FPrintF(out, "  ... %d more (--out DIR lists them all)\n", r->contaminated - 50);
      break;
    }
    absl::FPrintF(out, "  %s  %.0f %% found", c.doc.id, 100 * c.containment);
    if (!c.matches.empty()) {
      absl::FPrintF(out, "; most in %s (%.0f %%)", c.matches[0].id, 100 * c.matches[0].containment);
    }
    absl::FPrintF(out, "\n");
  }
  for (const CheckedDocument& c : r->eval) {
    if (c.doc.outcome == Outcome::kRejected && c.doc.reject != RejectCode::kTooShort) {
      absl::FPrintF(stderr, "neardup: warning: %s: %s (rejected)\n", c.source, c.doc.reason);
    }
  }
  if (r->eval_too_short > 0) {
    absl::FPrintF(stderr,
                  "neardup: warning: %d evaluation documents are shorter than --min-length %d "
                  "and were not checked (rejected, code too_short)\n",
                  r->eval_too_short, cmd->options.ResolvedMinLength());
  }
  if (!cmd->out_dir.empty()) {
    absl::FPrintF(out, "  results in %s/ (contamination.jsonl, summary.json)\n", cmd->out_dir);
  }
  return kExitOk;
}

constexpr char kEvalHelp[] = R"(Usage: neardup eval [--json] RUN LABELS

Compares the groups of a run with labelled groups and prints pairwise
precision, recall and F1 (overall, same-language, cross-language, per
language with every other, and per language pair) and B-cubed precision
and recall.

  RUN      the --out folder of a neardup dedup run (or its documents.jsonl)
  LABELS   JSONL with "id" and "group" per document ("lang" optional; the
           run's language is used when absent). Documents with the same
           group are duplicates or translations of each other.
  --json   print the same figures as one JSON object instead, for scripts
           and dashboards (docs/formats.md)

Only documents present in both are counted. Use it on a labelled sample of
your own data to choose --threshold and --translation-floor.
)";

int Eval(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    std::fputs(kEvalHelp, stdout);
    return kExitOk;
  }
  std::vector<std::string> paths;
  bool json = false;
  for (const std::string& a : args) {
    if (a == "--json") {
      json = true;
    } else if (a.size() > 1 && a[0] == '-') {
      absl::FPrintF(stderr, "neardup eval: unknown option %s (see neardup eval --help)\n", a);
      return kExitUsage;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.size() != 2) {
    absl::FPrintF(stderr, "neardup eval: expected RUN and LABELS (see neardup eval --help)\n");
    return kExitUsage;
  }
  std::string docs = paths[0];
  if (docs.size() < 6 || docs.substr(docs.size() - 6) != ".jsonl") {
    docs += "/documents.jsonl";
  }
  size_t unmatched = 0;
  auto loaded = neardup::LoadForEval(docs, paths[1], &unmatched);
  if (!loaded.ok()) {
    absl::FPrintF(stderr, "neardup eval: error: %s\n", loaded.status().message());
    return kExitFailure;
  }
  const neardup::EvalReport r = neardup::Evaluate(*loaded);
  if (json) {
    std::fputs(neardup::EvalReportJson(r, unmatched).c_str(), stdout);
    return kExitOk;
  }
  absl::PrintF("neardup eval: %d documents in both (%d in only one, not counted)\n\n",
               r.documents, unmatched);
  absl::PrintF("%-16s %10s %10s %10s %9s %9s %9s\n", "pairs", "true", "predicted",
               "correct", "precision", "recall", "F1");
  auto row = [](const std::string& name, const neardup::PairCounts& c) {
    absl::PrintF("%-16s %10.0f %10.0f %10.0f %9.3f %9.3f %9.3f\n", name, c.truth,
                 c.predicted, c.correct, c.Precision(), c.Recall(), c.F1());
  };
  row("all", r.all);
  row("same-language", r.same_language);
  row("cross-language", r.cross_language);
  if (r.by_language.size() > 2) {  // with two languages it is the one pair below
    absl::PrintF("\nper language (its pairs with every other language):\n");
    for (const auto& [lang, c] : r.by_language) {
      if (c.truth == 0 && c.predicted == 0) continue;
      row("  " + lang, c);
    }
  }
  absl::PrintF("\nper language pair:\n");
  for (const auto& [pair, c] : r.by_language_pair) {
    if (c.truth == 0 && c.predicted == 0) continue;
    row("  " + pair, c);
  }
  const double bp = r.bcubed_precision, br = r.bcubed_recall;
  absl::PrintF("\nB-cubed: precision %.3f, recall %.3f, F1 %.3f\n", bp, br,
               bp + br > 0 ? 2 * bp * br / (bp + br) : 0.0);
  return kExitOk;
}

constexpr char kExplainHelp[] = R"(Usage: neardup explain [options] A B
       neardup explain --input CORPUS [options] ID_A ID_B

Shows why two documents are, or are not, near-duplicates or translations:
their surface Jaccard against --threshold, and the language-independent
features they share (numbers as anchors, names as name keys such as ~bdn
for Biden and Байден, with the words behind them, English stems of their
other words), with the IDF weights that make up their weighted Jaccard
against --translation-floor.

  A B             two text files
  --input CORPUS  look ID_A and ID_B up in CORPUS (JSONL or a folder, as for
                  dedup; repeatable); IDF then comes from the whole corpus,
                  and each one's best and next best match among the
                  corpus's documents of the other's language are shown
                  (a translation link needs each to be the other's best,
                  by --translation-margin), with the pair's score against
                  the corpus's random pairs of the two languages, as a
                  run's pairs.jsonl gives it (--translation-input-z)
Any dedup option that shapes the comparison applies (--threshold, --ngram,
--shingle, --lexicon, --translation-floor, --id-field, --text-field, ...).
)";

int Explain(const std::vector<std::string>& args) {
  using namespace neardup;
  std::vector<std::string> corpus, rest;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "-h" || args[i] == "--help") {
      std::fputs(kExplainHelp, stdout);
      return kExitOk;
    }
    if (args[i] == "--input" && i + 1 < args.size()) {
      corpus.push_back(args[++i]);
    } else if (args[i].rfind("--input=", 0) == 0) {
      corpus.push_back(args[i].substr(8));
    } else {
      rest.push_back(args[i]);
    }
  }
  absl::StatusOr<cli::DedupCommand> cmd = cli::ParseDedupFlags(rest);
  if (!cmd.ok() || cmd->inputs.size() != 2 || !cmd->seen.empty()) {
    absl::FPrintF(stderr, "neardup explain: %s\n",
                  !cmd.ok()             ? std::string(cmd.status().message())
                  : !cmd->seen.empty() ? "--seen is an option of dedup"
                                       : "expected two documents (see neardup explain --help)");
    return kExitUsage;
  }
  auto e = Explain(corpus, cmd->inputs[0], cmd->inputs[1], cmd->options);
  if (!e.ok()) {
    absl::FPrintF(stderr, "neardup explain: error: %s\n", e.status().message());
    return kExitFailure;
  }
  absl::PrintF("A  %s  (%s, %d words)\nB  %s  (%s, %d words)\n\n", e->id_a,
               e->lang_a, e->tokens_a, e->id_b, e->lang_b, e->tokens_b);
  absl::PrintF("surface:      Jaccard %.3f of the shingles; near-duplicates need "
               "%.2f -> %s\n",
               e->surface_jaccard, e->threshold,
               e->surface_jaccard + 1e-9 >= e->threshold ? "near-duplicates"
                                                          : "not near-duplicates");
  if (!e->crosslingual) return kExitOk;
  absl::PrintF("translation:  weighted Jaccard %.3f of language-independent "
               "features (IDF from %s); the floor is %.2f -> %s\n",
               e->pivot_score, e->idf_source, e->floor,
               e->pivot_score >= e->floor ? "above the floor" : "below the floor");
  if (e->calibrated) {
    // Without pairs of these two languages the background's pooled pairs of
    // one language, or of two, stand in (NullModel::For).
    const std::string against =
        e->background_languages
            ? absl::StrCat("unrelated ", e->lang_a, "-", e->lang_b,
                           " pairs of the background sample")
            : absl::StrCat("unrelated pairs ",
                           e->lang_a == e->lang_b ? "within one language" : "across languages",
                           " of the background sample (it has no ", e->lang_a, "-",
                           e->lang_b, " pairs)");
    if (e->translation_rule && e->lang_a != e->lang_b) {
      absl::PrintF("calibrated:   z %.2f, standard deviations above %s; a translation "
                   "link needs %.2f, a story link %.2f -> %s\n",
                   e->z, against, e->translation_z, e->story_z,
                   e->z >= e->story_z         ? "story level"
                   : e->z >= e->translation_z ? "translation level, below story level"
                                              : "below translation level");
    } else {
      absl::PrintF("calibrated:   z %.2f, standard deviations above %s; a story link "
                   "needs %.2f -> %s\n",
                   e->z, against, e->story_z,
                   e->z >= e->story_z ? "story level" : "below story level");
    }
  }
  if (e->input_calibrated) {
    // The score pairs.jsonl gives the pair in a run of the corpus.
    const std::string verdict =
        e->lang_a == e->lang_b ? std::string()
        : e->input_score >= e->input_z
            ? absl::StrFormat("; a translation link needs %.2f -> above", e->input_z)
            : absl::StrFormat("; a translation link needs %.2f -> below: no translation link",
                              e->input_z);
    absl::PrintF("input:        z %.2f, standard deviations above %d random %s-%s pairs of "
                 "the input%s (pairs.jsonl's score)%s\n",
                 e->input_score, e->input_pairs, e->lang_a, e->lang_b,
                 e->input_pairs < kMinCorpusPairs ? " together with the background's" : "",
                 verdict);
  }
  absl::PrintF("              a run links a translation pair only if each is the "
               "other's best match in its language, by a margin of %.2f over the "
               "next best, with a calibrated score of at least %.2f against the "
               "input's random pairs of the two languages (pairs.jsonl's score; and, "
               "to join two groups, if their other members agree; and if their "
               "numbers agree, below), "
               "and an article to a story only if it matches the story's "
               "versions in every language and their numbers, years aside, "
               "agree (see pairs.jsonl)\n",
               e->margin, e->input_z);
  if (e->lang_a != e->lang_b) {
    absl::PrintF("numbers:      A writes %d, B %d, both %d%s -> %s\n", e->numbers_a,
                 e->numbers_b, e->numbers_shared,
                 std::max(e->numbers_a, e->numbers_b) > DocumentNumbers::kMaxNumbers
                     ? absl::StrFormat(" (of the first %d each)", DocumentNumbers::kMaxNumbers)
                     : std::string(),
                 e->numbers_share <= 0 ||
                         std::min(e->numbers_a, e->numbers_b) < DocumentNumbers::kMinCount
                     ? absl::StrFormat("the numbers rule does not apply (%d each needed)",
                                       DocumentNumbers::kMinCount)
                 : e->numbers_agree
                     ? absl::StrFormat("they agree (%.2f of the smaller set needed)",
                                       e->numbers_share)
                     : absl::StrFormat("they disagree: no translation link (%.2f of the "
                                       "smaller set needed)",
                                       e->numbers_share));
  }
  absl::PrintF("story:        numbers besides years: A writes %d, B %d -> %s\n",
               e->story_numbers_a, e->story_numbers_b,
               e->numbers_share <= 0 || std::min(e->story_numbers_a, e->story_numbers_b) <
                                            DocumentNumbers::kMinCount
                   ? absl::StrFormat("the rule does not apply (%d each needed)",
                                     DocumentNumbers::kMinCount)
               : e->story_numbers_agree
                   ? std::string("they agree: a story link may join them")
                   : std::string("they disagree: no story link through this pair"));
  auto best = [&](const char* who, const std::string& in, const BestMatches& m) {
    if (!m.found) return;
    absl::PrintF("best match:   %s's in %s: %s (%.3f)", who, in, m.best_id, m.best);
    if (m.next_id.empty()) {
      absl::PrintF(", no other\n");
    } else {
      absl::PrintF(", next %s (%.3f, x%.2f)\n", m.next_id, m.next,
                   m.next > 0 ? m.best / m.next : 0.0);
    }
  };
  best("A", e->lang_b, e->a_in_b);
  best("B", e->lang_a, e->b_in_a);
  if (e->a_in_b.found && e->b_in_a.found) {
    const bool mutual = e->a_in_b.best_id == e->id_b && e->b_in_a.best_id == e->id_a;
    double rival = 0;
    for (const BestMatches* m : {&e->a_in_b, &e->b_in_a}) {
      if (!m->next_id.empty()) rival = std::max(rival, m->next);
    }
    absl::PrintF("              %s\n",
                 !mutual ? "not each other's best match, so not linked as a translation"
                 : e->pivot_score >= e->margin * rival
                     ? "each other's best match, by the margin"
                     : "each other's best match, but not by the margin over the next "
                       "best (unless that one is a version of the best: similarity 0.5 "
                       "or more)");
  }
  auto list = [](const char* title, const std::vector<ExplainedFeature>& fs,
                 size_t limit) {
    absl::PrintF("\n%s (%d):\n", title, fs.size());
    for (size_t i = 0; i < fs.size() && i < limit; ++i) {
      absl::PrintF("  %-24s %.2f%s\n", fs[i].name, fs[i].weight,
                   fs[i].name.rfind("#", 0) == 0 ? "  (anchor)"
                   : fs[i].words.empty()         ? ""
                                                 : absl::StrCat("  (name: ", fs[i].words, ")"));
    }
    if (fs.size() > limit) absl::PrintF("  ... %d more\n", fs.size() - limit);
  };
  list("shared features, by weight", e->shared, 40);
  list("only in A", e->only_a, 10);
  list("only in B", e->only_b, 10);
  return kExitOk;
}

constexpr char kPrepareHelp[] = R"(Usage: neardup prepare [--lexicon DIR] [--threads N] [--quiet]

Computes, once, what every cross-language run would otherwise compute from
the lexicon alone (the features of its background documents, about 0.1 s
of processor time a run) and writes it into the lexicon's folder, where
every later run of this build reads it, with --cache-dir none too.
scripts/build.sh runs it after each build. It prepares for the default
normalization; a run with --fold-diacritics computes its own as before.
Nothing is computed when the folder already holds the file for this
program and lexicon.

  --lexicon DIR   the lexicon's folder (default: $NEARDUP_LEXICON, else the
                  one the build wrote, build/lexicon); it must be writable
  --threads N     threads (default: one per core)
  --quiet         print nothing on success

Exit codes: 0 prepared (or already prepared); 1 the lexicon cannot be read
or its folder written; 2 the command line is wrong.
)";

int Prepare(const std::vector<std::string>& args) {
  std::string lexicon;
  int threads = 0;
  bool quiet = false;
  for (size_t i = 0; i < args.size(); ++i) {
    // --flag=value is --flag value, as in dedup.
    const size_t eq = args[i].find('=');
    const std::string a = args[i].substr(0, eq);
    const bool inline_value = eq != std::string::npos && a.starts_with("--");
    if (a == "-h" || a == "--help") {
      std::fputs(kPrepareHelp, stdout);
      return kExitOk;
    } else if ((a == "--quiet" || a == "-q") && !inline_value) {
      quiet = true;
    } else if ((a == "--lexicon" || a == "--threads") && (inline_value || i + 1 < args.size())) {
      const std::string v = inline_value ? args[i].substr(eq + 1) : args[++i];
      if (a == "--lexicon") {
        lexicon = v;
      } else if (!absl::SimpleAtoi(v, &threads) || threads < 1 || threads > 1024) {
        absl::FPrintF(stderr,
                      "neardup prepare: invalid value '%s' for --threads: expected 1 to 1024\n",
                      v);
        return kExitUsage;
      }
    } else {
      absl::FPrintF(stderr, "neardup prepare: %s %s (see neardup prepare --help)\n",
                    a == "--lexicon" || a == "--threads" ? "missing value for" : "unknown option",
                    args[i]);
      return kExitUsage;
    }
  }
  neardup::PipelineOptions defaults;
  defaults.threads = threads;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<neardup::PrepareResult> r =
      neardup::PrepareLexicon(lexicon, defaults.normalize, defaults.ResolvedThreads());
  if (!r.ok()) {
    absl::FPrintF(stderr, "neardup prepare: error: %s\n", r.status().message());
    return kExitFailure;
  }
  if (!quiet) {
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (r->already_there) {
      absl::PrintF("neardup prepare: already prepared: %s\n", r->path);
    } else {
      absl::PrintF("neardup prepare: the features of %d background documents in %s (%.2f s)\n",
                   r->documents, r->path, secs);
    }
  }
  return kExitOk;
}

// Runs this program again, with the same arguments, with glibc's malloc
// tunable glibc.malloc.hugetlb=1 added to GLIBC_TUNABLES, unless that
// already names the tunable (the user's choice, =0 to turn it off, or this
// re-run's). glibc then advises its heaps for transparent huge pages (on
// Debian's default THP setting, "madvise", nothing else gets them), so a
// run's memory faults in 2 MiB at a time, not 4 KiB: c10k's faults 12,700
// -> 1,700, both modes a tenth to a fifth faster from 10,000 documents to
// a million, for up to a fifth more peak memory on small inputs
// (docs/performance.md, session 35). A tunable is read only when a program
// starts, hence the exec (about 10 ms). If it fails, the run goes on as it
// is; with LD_PRELOAD set, there is none. (Standard input and the other
// open files pass through the exec untouched: nothing has read them yet.)
void RerunWithHugePageMalloc(char** argv) {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.hugetlb") != nullptr) return;
  // A preloaded library (valgrind's, heaptrack's, another malloc) means a
  // tool runs this process: under valgrind, /proc/self/exe is the tool.
  if (const char* preload = std::getenv("LD_PRELOAD"); preload != nullptr && *preload != 0) return;
  const bool had = tunables != nullptr;
  const std::string before = had ? tunables : "";
  const std::string value =
      before.empty() ? "glibc.malloc.hugetlb=1" : before + ":glibc.malloc.hugetlb=1";
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  if (had) {
    setenv("GLIBC_TUNABLES", before.c_str(), 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
}

}  // namespace

int main(int argc, char** argv) {
  RerunWithHugePageMalloc(argv);
  // A run's phases allocate and free hundreds of megabytes in turn. glibc
  // would hand freed blocks back to the kernel and fault fresh, zeroed
  // pages in for the next phase; keep them for reuse instead (measured on
  // 100,000 documents: a fifth fewer page faults, 4 % less time in
  // cross-language mode, the same peak memory). Environment variables
  // (MALLOC_TRIM_THRESHOLD_ and so on) still override these.
  if (std::getenv("MALLOC_TRIM_THRESHOLD_") == nullptr) mallopt(M_TRIM_THRESHOLD, 1 << 30);
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) mallopt(M_MMAP_THRESHOLD, 32 << 20);
  if (std::getenv("MALLOC_TOP_PAD_") == nullptr) mallopt(M_TOP_PAD, 64 << 20);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help" ||
      args[0] == "help") {
    if (args.size() >= 2 && args[0] == "help" && args[1] == "dedup") {
      std::fputs(neardup::cli::DedupHelp().c_str(), stdout);
      return kExitOk;
    }
    std::fputs(neardup::cli::MainHelp().c_str(), args.empty() ? stderr : stdout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::puts("neardup 0.1.0");
    return kExitOk;
  }
  if (args[0] == "explain") {
    return Explain(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (args[0] == "eval") {
    return Eval(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (args[0] == "check") {
    return Check(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (args[0] == "prepare") {
    return Prepare(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (args[0] == "dedup") {
    return Dedup(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  absl::FPrintF(stderr, "neardup: unknown command '%s' (see neardup --help)\n",
                args[0]);
  return kExitUsage;
}
