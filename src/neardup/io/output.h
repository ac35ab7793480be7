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

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "neardup/pipeline.h"

namespace neardup {

std::string DocumentsJsonl(const RunResult& result);
std::string PairsJsonl(const RunResult& result);
std::string GroupsJsonl(const RunResult& result);
std::string SummaryJson(const RunResult& result, const PipelineOptions& options);

// Writes the kept documents to `path` ("-": standard output; .gz and .zst
// compress, io/byte_sink.h), in input order, by reading `inputs` again
// with the run's input options: a JSONL record as its line, unchanged
// (every field kept); a text file as {"id": ..., "text": ...}. `inputs`
// are the run's, the seen inputs first; their documents are not written
// (nor read again). This is the
// deduplicated corpus a pipeline passes on. The inputs must be files or
// folders (not standard input or a pipe), unchanged since the run: a
// record that is not where the run saw it is an error, and nothing is
// written.
absl::Status WriteKept(const std::string& path,
                       const std::vector<std::string>& inputs,
                       const InputOptions& options, const RunResult& result);

// The general form: record k of `inputs` (k < count) is written when
// choice(k).write, and must be where choice(k) says the run saw it (unless
// !choice(k).check: a caller that keeps no place for most records checks
// those it drops and the count).
struct RecordChoice {
  uint32_t input = 0;
  uint64_t line = 0, offset = 0;
  std::string_view name;  // a text file's id
  bool write = false;
  bool check = true;
};
absl::Status WriteRecords(const std::string& path,
                          const std::vector<std::string>& inputs,
                          const InputOptions& options, size_t count,
                          const std::function<RecordChoice(size_t)>& choice);

// Creates `dir` if needed and writes each (name, content) into it, each
// under a temporary name then renamed.
absl::Status WriteTextFiles(
    const std::string& dir,
    const std::vector<std::pair<std::string, std::string>>& files);

// Creates `dir` if needed and writes the four files (each written to a
// temporary name and renamed, so a reader never sees half a file).
absl::Status WriteOutputDir(const std::string& dir, const RunResult& result,
                            const PipelineOptions& options);

}  // namespace neardup

#endif  // NEARDUP_IO_OUTPUT_H_
