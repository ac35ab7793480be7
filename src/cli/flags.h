// cli/flags: command-line flags → PipelineOptions. No logic beyond parsing
// and the help texts, which list every option with its default.
#ifndef NEARDUP_CLI_FLAGS_H_
#define NEARDUP_CLI_FLAGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/check.h"
#include "neardup/pipeline.h"

namespace neardup::cli {

enum class ProgressMode { kAuto, kAlways, kNever };

struct DedupCommand {
  bool help = false;
  std::vector<std::string> inputs;
  std::string out_dir;  // empty: report to stdout
  std::string kept;     // --kept: the deduplicated corpus ("-": stdout)
  // --seen: documents seen before, read ahead of the inputs
  // (options.seen_inputs is their number).
  std::vector<std::string> seen;
  // The seen inputs, then the inputs: what RunDedup reads.
  std::vector<std::string> AllInputs() const {
    std::vector<std::string> all = seen;
    all.insert(all.end(), inputs.begin(), inputs.end());
    return all;
  }
  bool quiet = false;
  ProgressMode progress = ProgressMode::kAuto;
  PipelineOptions options;
};

struct CheckCommand {
  bool help = false;
  std::vector<std::string> eval_inputs, train_inputs;
  std::string out_dir;  // empty: report only
  std::string clean;    // --clean: the evaluation records found clean
  std::string clean_train;  // --clean-train: the training records minus those containing one
  bool quiet = false;
  ProgressMode progress = ProgressMode::kAuto;
  CheckOptions options;
};

// Parses the arguments after "check": its own options, and those it
// shares with dedup (input fields, shingles, threads, output), parsed by
// ParseDedupFlags. Errors are usage errors.
absl::StatusOr<CheckCommand> ParseCheckFlags(const std::vector<std::string>& args);
std::string CheckHelp();

// Parses the arguments after "dedup". Errors are usage errors.
absl::StatusOr<DedupCommand> ParseDedupFlags(const std::vector<std::string>& args);

// The cache folder (PipelineOptions::cache_dir): --cache-dir's value if
// given, else $NEARDUP_CACHE_DIR, else $XDG_CACHE_HOME/neardup, else
// $HOME/.cache/neardup; "none" or empty is none ("").
std::string ResolveCacheDir(const std::optional<std::string>& given);

std::string MainHelp();
std::string DedupHelp();

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_FLAGS_H_
