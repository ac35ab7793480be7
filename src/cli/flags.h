// cli/flags: command-line flags → PipelineOptions. No logic beyond parsing
// and the help texts, which list every option with its default.
#ifndef NEARDUP_CLI_FLAGS_H_
#define NEARDUP_CLI_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/pipeline.h"

namespace neardup::cli {

enum class ProgressMode { kAuto, kAlways, kNever };

struct DedupCommand {
  bool help = false;
  std::vector<std::string> inputs;
  std::string out_dir;  // empty: report to stdout
  std::string kept;     // --kept: the deduplicated corpus ("-": stdout)
  bool quiet = false;
  ProgressMode progress = ProgressMode::kAuto;
  PipelineOptions options;
};

// Parses the arguments after "dedup". Errors are usage errors.
absl::StatusOr<DedupCommand> ParseDedupFlags(const std::vector<std::string>& args);

std::string MainHelp();
std::string DedupHelp();

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_FLAGS_H_
