#include "cli/flags.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace neardup::cli {
namespace {

absl::Status Bad(absl::string_view flag, absl::string_view value,
                 absl::string_view expected) {
  return absl::InvalidArgumentError(absl::StrCat(
      "invalid value '", value, "' for ", flag, ": expected ", expected));
}

// A flag as given: "--x=v" is the flag --x with the value v.
struct FlagArg {
  std::string name, value;
  bool has_value = false;
};

FlagArg SplitFlag(const std::string& arg) {
  FlagArg f{arg, "", false};
  if (const size_t eq = arg.find('='); eq != std::string::npos) {
    f.value = arg.substr(eq + 1);
    f.name = arg.substr(0, eq);
    f.has_value = true;
  }
  return f;
}

// The flag's value: after its '=', or the next argument (advancing *i).
absl::StatusOr<std::string> FlagValue(const FlagArg& f, const std::vector<std::string>& args,
                                      size_t* i) {
  if (f.has_value) return f.value;
  if (*i + 1 >= args.size()) {
    return absl::InvalidArgumentError(absl::StrCat(f.name, " needs a value"));
  }
  return args[++*i];
}

absl::StatusOr<uint64_t> ParseSize(absl::string_view flag, absl::string_view v) {
  uint64_t mult = 1;
  absl::string_view num = v;
  if (!num.empty()) {
    switch (num.back()) {
      case 'K': case 'k': mult = 1ull << 10; break;
      case 'M': case 'm': mult = 1ull << 20; break;
      case 'G': case 'g': mult = 1ull << 30; break;
      default: break;
    }
    if (mult != 1) num.remove_suffix(1);
  }
  uint64_t n;
  if (!absl::SimpleAtoi(num, &n) || n == 0 || n > (1ull << 30) / mult) {
    return Bad(flag, v, "a size from 1 to 1G, such as 1048576, 512K or 64M");
  }
  return n * mult;
}

}  // namespace

std::string MainHelp() {
  return R"(neardup: find duplicate and near-duplicate documents, group them, score them.

Usage:
  neardup dedup [options] INPUT...   find and group near-duplicates and
                                     translations
  neardup explain A B                why two documents are (not) grouped
  neardup eval RUN LABELS            score a run's groups against labels
  neardup check EVAL --against TRAIN which evaluation documents a training
                                     corpus contains (contamination)
  neardup prepare                    store in the lexicon's folder what every
                                     run would compute from it (build.sh
                                     runs it)
  neardup --help                     this text
  neardup dedup --help               every option of dedup, with its default
  neardup --version                  the version

INPUT is a JSONL file (one {"id": ..., "text": ...} object per line; gzip or
zstd compressed JSONL is read as it is decompressed), a folder
of .txt files (each file one document, its id the path inside the folder), a
.txt file (one document, its id the path as given), or - for JSONL on
standard input.

Examples:
  neardup dedup corpus.jsonl --out results/
  neardup dedup articles/ --threshold 0.7 --out results/
  neardup dedup a.txt b.txt c.txt
  neardup dedup corpus.jsonl.zst --out results/
  zcat corpus.jsonl.gz | neardup dedup - --out results/

Environment:
  NEARDUP_LEXICON=DIR     the cross-language lexicon's folder (default: the
                          one the build wrote, build/lexicon)
  NEARDUP_CACHE_DIR=DIR   the cache folder's default (dedup --cache-dir)
  GLIBC_TUNABLES          neardup runs itself again with
                          glibc.malloc.hugetlb=1 added (its heap on 2 MiB
                          pages: a tenth to a fifth faster); naming that
                          tunable here (=0 to turn it off) or setting
                          LD_PRELOAD leaves it as it is

Exit codes: 0 the run finished (rejected records are listed in the output,
not errors); 1 the run failed (unreadable input, unwritable output, or a bad
record under --strict); 2 the command line is wrong.
)";
}

std::string DedupHelp() {
  return R"(Usage: neardup dedup [options] INPUT...

Reads every document, finds near-duplicates with MinHash and LSH and
translations through language-independent features, verifies them, groups
them and keeps one document per language in each group. Without --out,
prints a readable report; with --out DIR, writes documents.jsonl,
pairs.jsonl, groups.jsonl and summary.json (formats: README, "Output").

Output:
  --out DIR              write the result files into DIR (created if needed)
  --kept PATH            also write the kept documents, the deduplicated
                         corpus, to PATH in input order: each JSONL record
                         as its line, unchanged; each text file as
                         {"id", "text"}; .gz or .zst compress; - writes to
                         standard output (the report then goes to stderr).
                         Reads the inputs again: files or folders only
  --seen PATH            documents seen before (JSONL, compressed or not, a
                         folder or a text file, like INPUT; repeat for more):
                         an archive of earlier runs' --kept output, or an
                         evaluation set to keep out of a training corpus.
                         They are matched like the inputs and always kept:
                         an input document that duplicates one is dropped
                         ("duplicate of seen document ID"). They are not
                         reported (documents.jsonl lists the inputs only;
                         groups name them under "seen") nor written by
                         --kept. Read and signed on every run, unless:
  --seen-cache DIR       keep what reading made of each seen file in DIR
                         (created if needed), and replay it on later runs
                         while the file, the options, the lexicon and
                         neardup are unchanged: the archive is read once
  --seen-drops-translations
                         drop an input that translates a seen document too
                         ("translation of seen document ID"), as a training
                         corpus cleaned of an evaluation set needs; by
                         default one document per language is kept. Other
                         articles on its story stay (--keep-one-per-group
                         drops them as well)
  --quiet                print no report and no warnings (errors still go to
                         stderr)
  --progress MODE        progress line on stderr: auto (when stderr is a
                         terminal), always, never            [default: auto]
  --cache-dir DIR        where work that depends only on the lexicon, the
                         options and neardup itself is kept between runs
                         (the features of the lexicon's background sample,
                         under 1 MB, and of the words runs have read, 12
                         bytes a word, at most 24 MB, per build); none:
                         nothing is kept
                         [default: $NEARDUP_CACHE_DIR, else
                         $XDG_CACHE_HOME/neardup, else ~/.cache/neardup]

Similarity:
  --threshold X          Jaccard similarity at which two documents are
                         near-duplicates, in (0, 1]          [default: 0.8]
  --shingle UNIT         word or char                        [default: word]
  --ngram N              units per shingle                   [default: 5]
  --num-perm N           MinHash permutations                [default: 128]
  --seed N               MinHash seed                        [default: 1]
  --bands B --rows R     LSH bands and rows; by default derived from the
                         threshold by minimising the weighted false-positive
                         and false-negative areas, as datasketch does
                         (0.8 and 128 -> 16 x 8)
  --lsh-weights FP,FN    the weights of that minimisation     [default: 0.05,0.95]
                         (datasketch's 0.5,0.5 gives 9 x 13)
  --verify MODE          auto: the signature estimate decides, except within
                         0.06 of the threshold, where the two documents are
                         read again and their exact Jaccard decides (not for
                         standard input); estimate: the estimate always
                         decides; exact: exact Jaccard for every candidate
                         (keeps every shingle set in memory)  [default: auto]
  --fold-diacritics      treat "café" and "cafe" as the same word
                                                             [default: off]

Grouping:
  --keep POLICY          which member of a group is kept: longest (most text;
                         ties: first seen) or first (first in input order)
                                                             [default: longest]
  --keep-one-per-group   keep one document per group; by default one per
                         language is kept (translations are not dropped).
                         A page with no translation in the input can be
                         linked to a related one and dropped (README)
  --no-cross-language    do not link translations across languages
  --lexicon DIR          the lexicon for cross-language linking (built by
                         scripts/build-lexicon.py)  [default: the build's]
  --translation-floor X  weighted Jaccard of language-independent features
                         a translation pair must reach       [default: 0.03]
  --translation-margin X
                         a translation pair's score must be at least X times
                         each one's next best candidate in the other's
                         language (a page without its translation in the
                         input still has a best match, but not by a margin);
                         1 turns this off                     [default: 1.1]
  --translation-agreement R
                         a translation link that joins two groups needs
                         their other members to agree: the best score of
                         their other cross pairs at least R times the
                         link's (a chain of unrelated pages has none);
                         0 turns this off                     [default: 0.3]
  --translation-numbers S
                         translations keep their numbers: a translation
                         link between two documents that each write 3
                         numbers or more (7.4, 1948; not 12) needs at least
                         the share S of the smaller set in the other (point
                         releases of one template, issues of a newsletter);
                         0 turns this off                     [default: 0.5]
  --translation-z Z      calibrated score against the lexicon's background
                         sample that a translation pair of two of its
                         languages must also reach            [default: 1.5]
  --translation-input-z Z
                         calibrated score against the input's own unrelated
                         pairs of its two languages (pairs.jsonl's score)
                         that a translation pair must reach: 0 is their
                         average                              [default: 0]
  --no-background-rule   judge translation and story links on the input's
                         own calibration only (README, Translations)
  --pivot-perm N         values in the language-independent signature (one
                         LSH band each); fewer run faster but find fewer
                         translations among many documents (README)
                                                              [default: 96]
  --pivot-pairs N        of the translation candidates that only large pivot
                         buckets find, keep each document's N strongest with
                         each other language; 0 keeps them all (README)
                                                              [default: 8]
  --story-z Z            calibrated score (standard deviations above unrelated
                         documents of the same two languages) that joins a
                         cluster of translations with another article of the
                         same story                           [default: 2.0]
  --no-stories           do not join different articles of one story
  --no-date-stories      do not join two groups of translations that state
                         one date near their start which no other document
                         states (another article on the same event)
  --no-thinned-buckets   skip every pivot bucket over the largest tier's size,
                         also where one language fills it and a few
                         documents of others share it (README, Translations)
  --no-version-joins     never let a translation link join two groups that
                         each hold a version of one text in one language
                         (two translations of it, pt and pt_BR: alike in
                         features and numbers, unlike in wording)
  --all-pairs            pairs.jsonl also lists, scored, the pairs that
                         share a pivot bucket but were not linked
                         ("linked": false), in any language; the run's
                         decisions are the same. About 300 a document at
                         10,000 documents: for samples (past 20,000
                         documents or 10 million pairs, only the pairs
                         the run scored)

Input:
  --id-field NAME        JSONL field holding the id (string or integer;
                         missing ids become FILE:LINE)       [default: id]
  --text-field NAME      JSONL field holding the text        [default: text]
  --lang-field NAME      JSONL field holding the language (ISO 639-1 such as
                         en, pt-BR; guessed from the text when absent: the
                         script, then CLD2 for Latin, Cyrillic, Arabic and
                         Devanagari text, and also when the tag names a
                         language not written in the script of most of the
                         text's words; name a field the records lack,
                         e.g. none, to guess every language)
                                                             [default: lang]
  --ext LIST             extensions of text documents, comma-separated,
                         case-sensitive: the files read from folders, and
                         input files read as one document each (other
                         files, and .jsonl, .json, .ndjson, are JSONL); *
                         reads every file of a folder        [default: txt]
  --max-doc-bytes SIZE   larger documents are rejected unread (K, M, G
                         suffixes; at most 1G)               [default: 64M]
  --strict               stop at the first bad record (exit 1) instead of
                         rejecting it and going on           [default: off]

Performance:
  --threads N            worker threads; 0 uses every core   [default: 0]

Bad records (invalid JSON or UTF-8, NUL characters, missing or empty text,
too large, unreadable, duplicate ids) are rejected with a reason naming the
file and line; every input record appears exactly once in documents.jsonl.
)";
}

std::string CheckHelp() {
  return R"(Usage: neardup check EVAL... --against TRAIN... [options]

Finds the documents of an evaluation set that a training corpus contains
(benchmark contamination), by exact word n-gram overlap: an evaluation
document is contaminated when at least --containment of its distinct
n-grams occur in the training corpus (PaLM's definition: 70 % of its
8-grams). Unlike dedup, which compares whole documents by Jaccard, this
finds a short test item inside a long training page. The evaluation set is
held in memory; the training corpus is read once, on every thread. Inputs
are read as by dedup (JSONL, gzip or zstd JSONL, folders, text files).

Options:
  --against PATH         a training input (repeat for several)
  --containment X        share of an evaluation document's n-grams found in
                         the training corpus that makes it contaminated, in
                         (0, 1]                                [default: 0.7]
  --ngram N              words per n-gram (--shingle char: code points)
                                                               [default: 8]
  --shingle UNIT         word or char                       [default: word]
  --min-length N         evaluation documents of fewer words (--shingle
                         char: characters) are not checked: rejected as too
                         short, since runs that short turn up by chance.
                         Shorter than --ngram but this long: contaminated
                         when a training document has all of it in a row
                                       [default: 5 words or 20 characters, at most --ngram]
  --max-matches N        training documents listed per evaluation document,
                         those sharing the most n-grams        [default: 3]
  --out DIR              write contamination.jsonl (one line per evaluation
                         record: status, containment, matches) and
                         summary.json
  --clean PATH           write the evaluation records found clean (JSONL
                         lines unchanged; .gz and .zst compress; - for
                         standard output, the report then on stderr)
  --clean-train PATH     write the training corpus without the records that
                         each hold at least --containment of an evaluation
                         document's n-grams (its other records unchanged,
                         rejected ones too; .gz and .zst compress; -)
  --fold-diacritics, --id-field, --text-field, --ext, --max-doc-bytes,
  --threads, --quiet, --progress   as for dedup (neardup dedup --help)

Exit codes: 0 the check finished (whatever it found); 1 it failed; 2 the
command line is wrong.
)";
}

absl::StatusOr<CheckCommand> ParseCheckFlags(const std::vector<std::string>& args) {
  CheckCommand cmd;
  // check's own options here; the shared ones go to ParseDedupFlags, with
  // any input as a placeholder (dedup needs one).
  std::vector<std::string> shared;
  bool ngram_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "-" || args[i].empty() || args[i][0] != '-') {
      cmd.eval_inputs.push_back(args[i]);
      continue;
    }
    const FlagArg flag = SplitFlag(args[i]);
    const std::string& arg = flag.name;
    auto take = [&] { return FlagValue(flag, args, &i); };
    if (arg == "-h" || arg == "--help") {
      cmd.help = true;
      return cmd;
    }
    if (arg == "--against") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      cmd.train_inputs.push_back(*v);
    } else if (arg == "--containment") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      double x;
      if (!absl::SimpleAtod(*v, &x) || !(x > 0) || x > 1) {
        return Bad(arg, *v, "a number in (0, 1]");
      }
      cmd.options.containment = x;
    } else if (arg == "--min-length") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      if (!absl::SimpleAtoi(*v, &cmd.options.min_length) || cmd.options.min_length < 1 ||
          cmd.options.min_length > 1000) {
        return Bad(arg, *v, "an integer from 1 to 1000");
      }
    } else if (arg == "--max-matches") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      if (!absl::SimpleAtoi(*v, &cmd.options.max_matches) || cmd.options.max_matches < 0 ||
          cmd.options.max_matches > 1000) {
        return Bad(arg, *v, "an integer from 0 to 1000");
      }
    } else if (arg == "--clean") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      cmd.clean = *v;
    } else if (arg == "--clean-train") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      cmd.clean_train = *v;
    } else if (arg == "--out" || arg == "--progress" || arg == "--shingle" ||
               arg == "--ngram" || arg == "--id-field" || arg == "--text-field" ||
               arg == "--ext" || arg == "--max-doc-bytes" || arg == "--threads") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      ngram_given |= arg == "--ngram";
      shared.push_back(arg);
      shared.push_back(*v);
    } else if (arg == "--quiet" || arg == "-q" || arg == "--fold-diacritics") {
      shared.push_back(args[i]);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option ", arg, " (see neardup check --help)"));
    }
  }
  if (cmd.eval_inputs.empty()) {
    return absl::InvalidArgumentError("no evaluation set given (see neardup check --help)");
  }
  if (cmd.train_inputs.empty()) {
    return absl::InvalidArgumentError("no training corpus given: --against PATH");
  }
  for (const std::string& in : cmd.train_inputs) {
    if (in == "-" && std::find(cmd.eval_inputs.begin(), cmd.eval_inputs.end(), "-") !=
                         cmd.eval_inputs.end()) {
      return absl::InvalidArgumentError(
          "standard input can be the evaluation set or the training corpus, not both");
    }
  }
  shared.push_back("placeholder");
  absl::StatusOr<DedupCommand> d = ParseDedupFlags(shared);
  if (!d.ok()) return d.status();
  cmd.out_dir = d->out_dir;
  cmd.quiet = d->quiet;
  cmd.progress = d->progress;
  cmd.options.input = d->options.input;
  cmd.options.normalize = d->options.normalize;
  cmd.options.shingle.unit = d->options.shingle.unit;
  if (ngram_given) cmd.options.shingle.n = d->options.shingle.n;
  cmd.options.threads = d->options.threads;
  if (!cmd.clean.empty()) {
    for (const std::string& in : cmd.eval_inputs) {
      if (in == "-") {
        return absl::InvalidArgumentError(
            "--clean reads the evaluation set again, which standard input cannot be");
      }
    }
  }
  if (!cmd.clean_train.empty()) {
    for (const std::string& in : cmd.train_inputs) {
      if (in == "-") {
        return absl::InvalidArgumentError(
            "--clean-train reads the training corpus again, which standard input cannot be");
      }
    }
    if (cmd.clean_train == "-" && cmd.clean == "-") {
      return absl::InvalidArgumentError("--clean and --clean-train cannot both be standard output");
    }
  }
  if (absl::Status s = cmd.options.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(s.message());
  }
  return cmd;
}

std::string ResolveCacheDir(const std::optional<std::string>& given) {
  auto none = [](std::string_view v) { return v.empty() || v == "none"; };
  if (given) return none(*given) ? std::string() : *given;
  if (const char* env = std::getenv("NEARDUP_CACHE_DIR")) {
    return none(env) ? std::string() : std::string(env);
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
    return absl::StrCat(xdg, "/neardup");
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
    return absl::StrCat(home, "/.cache/neardup");
  }
  return "";
}

absl::StatusOr<DedupCommand> ParseDedupFlags(
    const std::vector<std::string>& args) {
  DedupCommand cmd;
  PipelineOptions& o = cmd.options;
  bool bands_given = false, rows_given = false;
  std::optional<std::string> cache_dir;  // --cache-dir, if given
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "-" || arg.empty() || arg[0] != '-') {
      cmd.inputs.push_back(arg);
      continue;
    }
    if (arg == "--") {
      for (++i; i < args.size(); ++i) cmd.inputs.push_back(args[i]);
      break;
    }
    const FlagArg flag = SplitFlag(arg);
    arg = flag.name;
    auto take = [&] { return FlagValue(flag, args, &i); };
    auto flag_only = [&]() -> absl::Status {
      if (flag.has_value) {
        return absl::InvalidArgumentError(
            absl::StrCat(arg, " takes no value"));
      }
      return absl::OkStatus();
    };
    auto take_int = [&](int* out, int lo, int hi) -> absl::Status {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      if (!absl::SimpleAtoi(*v, out) || *out < lo || *out > hi) {
        return Bad(arg, *v, absl::StrCat("an integer from ", lo, " to ", hi));
      }
      return absl::OkStatus();
    };
    // A finite number in [lo, hi]; `what` describes it in the error.
    auto take_number = [&](double* out, double lo, double hi,
                           const char* what) -> absl::Status {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      if (!absl::SimpleAtod(*v, out) || !std::isfinite(*out) || *out < lo || *out > hi) {
        return Bad(arg, *v, what);
      }
      return absl::OkStatus();
    };
    auto take_into = [&](std::string* out) -> absl::Status {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      *out = *v;
      return absl::OkStatus();
    };
    absl::Status st = absl::OkStatus();
    if (arg == "-h" || arg == "--help") {
      cmd.help = true;
      return cmd;
    } else if (arg == "--out") {
      st = take_into(&cmd.out_dir);
    } else if (arg == "--kept") {
      st = take_into(&cmd.kept);
    } else if (arg == "--seen-cache") {
      st = take_into(&o.seen_cache_dir);
    } else if (arg == "--cache-dir") {
      std::string v;
      st = take_into(&v);
      cache_dir = std::move(v);
    } else if (arg == "--seen-drops-translations") {
      st = flag_only();
      o.seen_drops_translations = true;
    } else if (arg == "--seen") {
      std::string v;
      st = take_into(&v);
      cmd.seen.push_back(std::move(v));
    } else if (arg == "--quiet" || arg == "-q") {
      st = flag_only();
      cmd.quiet = true;
    } else if (arg == "--progress") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      if (*v == "auto") cmd.progress = ProgressMode::kAuto;
      else if (*v == "always") cmd.progress = ProgressMode::kAlways;
      else if (*v == "never") cmd.progress = ProgressMode::kNever;
      else return Bad(arg, *v, "auto, always or never");
    } else if (arg == "--threshold") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      if (!absl::SimpleAtod(*v, &o.lsh.threshold) || !(o.lsh.threshold > 0) ||
          o.lsh.threshold > 1) {
        return Bad(arg, *v, "a number in (0, 1]");
      }
    } else if (arg == "--shingle") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      if (*v == "word") o.shingle.unit = ShingleUnit::kWord;
      else if (*v == "char") o.shingle.unit = ShingleUnit::kChar;
      else return Bad(arg, *v, "word or char");
    } else if (arg == "--ngram") {
      st = take_int(&o.shingle.n, 1, 64);
    } else if (arg == "--num-perm") {
      st = take_int(&o.minhash.num_perm, 1, 4096);
    } else if (arg == "--seed") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      if (!absl::SimpleAtoi(*v, &o.minhash.seed)) {
        return Bad(arg, *v, "a non-negative integer");
      }
    } else if (arg == "--bands") {
      st = take_int(&o.lsh.bands, 1, 4096);
      bands_given = true;
    } else if (arg == "--rows") {
      st = take_int(&o.lsh.rows, 1, 4096);
      rows_given = true;
    } else if (arg == "--lsh-weights") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      std::vector<std::string> parts = absl::StrSplit(*v, ',');
      if (parts.size() != 2 || !absl::SimpleAtod(parts[0], &o.lsh.fp_weight) ||
          !absl::SimpleAtod(parts[1], &o.lsh.fn_weight) ||
          o.lsh.fp_weight < 0 || o.lsh.fn_weight < 0 ||
          o.lsh.fp_weight + o.lsh.fn_weight <= 0) {
        return Bad(arg, *v, "two non-negative weights such as 0.5,0.5");
      }
    } else if (arg == "--verify") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      absl::StatusOr<VerifyMode> m = ParseVerifyMode(*v);
      if (!m.ok()) return m.status();
      o.verify = *m;
    } else if (arg == "--keep") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      absl::StatusOr<KeepPolicy> k = ParseKeepPolicy(*v);
      if (!k.ok()) return k.status();
      o.keep = *k;
    } else if (arg == "--keep-one-per-group") {
      st = flag_only();
      o.keep_one_per_group = true;
    } else if (arg == "--no-cross-language") {
      st = flag_only();
      o.crosslingual.enabled = false;
    } else if (arg == "--lexicon") {
      st = take_into(&o.crosslingual.lexicon_dir);
    } else if (arg == "--translation-floor") {
      st = take_number(&o.crosslingual.floor, 0, 1, "a number in [0, 1]");
    } else if (arg == "--translation-margin") {
      st = take_number(&o.crosslingual.margin, 1, HUGE_VAL, "a number of at least 1");
    } else if (arg == "--translation-numbers") {
      st = take_number(&o.crosslingual.numbers, 0, 1, "a number in [0, 1]");
    } else if (arg == "--translation-agreement") {
      st = take_number(&o.crosslingual.agreement, 0, HUGE_VAL, "a number of at least 0");
    } else if (arg == "--no-background-rule") {
      st = flag_only();
      o.crosslingual.background_rule = false;
    } else if (arg == "--translation-z") {
      st = take_number(&o.crosslingual.background_z, -HUGE_VAL, HUGE_VAL, "a number");
    } else if (arg == "--translation-input-z") {
      st = take_number(&o.crosslingual.input_z, -HUGE_VAL, HUGE_VAL, "a number");
    } else if (arg == "--pivot-perm") {
      st = take_int(&o.crosslingual.num_perm, 1, 4096);
    } else if (arg == "--pivot-pairs") {
      st = take_int(&o.crosslingual.strongest_pairs, 0, 1 << 20);
    } else if (arg == "--story-z") {
      st = take_number(&o.crosslingual.story.min_z, -HUGE_VAL, HUGE_VAL, "a number");
    } else if (arg == "--no-date-stories") {
      st = flag_only();
      o.crosslingual.date_stories = false;
    } else if (arg == "--no-thinned-buckets") {
      st = flag_only();
      o.crosslingual.thin_buckets = false;
    } else if (arg == "--no-version-joins") {
      st = flag_only();
      o.crosslingual.join_versions = false;
    } else if (arg == "--no-stories") {
      st = flag_only();
      o.crosslingual.stories = false;
    } else if (arg == "--all-pairs") {
      st = flag_only();
      o.all_pairs = true;
    } else if (arg == "--fold-diacritics") {
      st = flag_only();
      o.normalize.fold_diacritics = true;
    } else if (arg == "--id-field") {
      st = take_into(&o.input.id_field);
    } else if (arg == "--text-field") {
      st = take_into(&o.input.text_field);
    } else if (arg == "--lang-field") {
      st = take_into(&o.input.lang_field);
    } else if (arg == "--ext") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      o.input.extensions.clear();
      if (*v != "*") {
        for (absl::string_view e : absl::StrSplit(*v, ',', absl::SkipEmpty())) {
          if (!e.empty() && e[0] == '.') e.remove_prefix(1);
          o.input.extensions.emplace_back(e);
        }
      }
    } else if (arg == "--max-doc-bytes") {
      absl::StatusOr<std::string> v = take();
      if (!v.ok()) return v.status();
      absl::StatusOr<uint64_t> n = ParseSize(arg, *v);
      if (!n.ok()) return n.status();
      o.input.max_doc_bytes = *n;
    } else if (arg == "--strict") {
      st = flag_only();
      o.strict = true;
    } else if (arg == "--threads") {
      st = take_int(&o.threads, 0, 1024);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option ", arg, " (see neardup dedup --help)"));
    }
    if (!st.ok()) return st;
  }
  if (bands_given != rows_given) {
    return absl::InvalidArgumentError("--bands and --rows go together");
  }
  if (cmd.inputs.empty()) {
    return absl::InvalidArgumentError(
        "no input given (a JSONL file, a folder, or - for standard input)");
  }
  if (absl::Status s = o.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(s.message());
  }
  o.cache_dir = ResolveCacheDir(cache_dir);
  o.seen_inputs = static_cast<uint32_t>(cmd.seen.size());
  if (!o.seen_cache_dir.empty() && cmd.seen.empty()) {
    return absl::InvalidArgumentError("--seen-cache keeps what --seen reads: give --seen PATH");
  }
  if (o.seen_drops_translations && cmd.seen.empty()) {
    return absl::InvalidArgumentError(
        "--seen-drops-translations drops the translations of --seen documents: give --seen PATH");
  }
  if (!cmd.kept.empty()) {
    for (const std::string& in : cmd.inputs) {
      if (in == "-") {
        return absl::InvalidArgumentError(
            "--kept reads the inputs again, which standard input cannot be: "
            "give the file (gzip and zstd files are read as they are)");
      }
    }
  }
  return cmd;
}

}  // namespace neardup::cli
