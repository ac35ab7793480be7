// cli/report: what a person reads: the stdout report, warnings about
// rejected records, and the progress line.
#ifndef NEARDUP_CLI_REPORT_H_
#define NEARDUP_CLI_REPORT_H_

#include <cstdio>

#include "neardup/pipeline.h"

namespace neardup::cli {

// The run in a few lines: counts, parameters, LSH detection probabilities.
void PrintSummary(const RunResult& result, const PipelineOptions& options,
                  FILE* out);
// Groups with their members and pair scores, and rejected records.
// At most `max_groups` groups are listed.
void PrintDetails(const RunResult& result, size_t max_groups, FILE* out);
// One line per rejected record (at most `max_lines`, then a count).
void PrintWarnings(const RunResult& result, size_t max_lines, FILE* out);
// Overwrites the current terminal line with the progress.
void PrintProgress(const Progress& progress, FILE* out);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_REPORT_H_
