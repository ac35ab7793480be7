// The neardup command: maps arguments to library calls and prints.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "cli/flags.h"
#include "cli/report.h"
#include "neardup/io/output.h"
#include "neardup/pipeline.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

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
  absl::StatusOr<RunResult> result = RunDedup(cmd->inputs, cmd->options);
  if (progress_shown) std::fputs("\r\x1b[K", stderr);
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
  if (cmd->quiet) return kExitOk;
  cli::PrintWarnings(*result, 20, stderr);
  cli::PrintSummary(*result, cmd->options, stdout);
  if (cmd->out_dir.empty()) {
    cli::PrintDetails(*result, 100, stdout);
  } else {
    absl::FPrintF(stdout, "  results in %s/ (documents.jsonl, pairs.jsonl, "
                  "groups.jsonl, summary.json)\n", cmd->out_dir);
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
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
  if (args[0] == "dedup") {
    return Dedup(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  absl::FPrintF(stderr, "neardup: unknown command '%s' (see neardup --help)\n",
                args[0]);
  return kExitUsage;
}
