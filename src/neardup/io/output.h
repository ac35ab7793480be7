// io/output: writes a run's result as the files pipelines parse
// (documented in docs/formats.md):
//   documents.jsonl  one line per input record, input order
//   pairs.jsonl      one line per verified pair, sorted
//   groups.jsonl     one line per group of two or more
//   summary.json     counts, parameters, timings
// Everything but the "timings", "threads" and "peak_rss_mib" fields of
// summary.json is byte-identical for identical input and options.
#ifndef NEARDUP_IO_OUTPUT_H_
#define NEARDUP_IO_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "neardup/pipeline.h"

namespace neardup {

std::string DocumentsJsonl(const RunResult& result);
std::string PairsJsonl(const RunResult& result);
std::string GroupsJsonl(const RunResult& result);
std::string SummaryJson(const RunResult& result, const PipelineOptions& options);

// Creates `dir` if needed and writes the four files (each written to a
// temporary name and renamed, so a reader never sees half a file).
absl::Status WriteOutputDir(const std::string& dir, const RunResult& result,
                            const PipelineOptions& options);

}  // namespace neardup

#endif  // NEARDUP_IO_OUTPUT_H_
