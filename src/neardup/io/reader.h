// io/reader: delivers input records, in input order, as raw bytes.
//
// Inputs: a JSONL file (one document per line; gzip or zstd compressed
// JSONL is decompressed as it is read, see io/byte_source.h), "-" for
// JSONL on standard input, a folder, whose files with the chosen extensions (default .txt)
// are read recursively in byte order of their relative paths, one document
// each (id = relative path), or a file with one of those extensions, which
// is one document (id = its path as given; .jsonl, .json and .ndjson are
// always JSONL). Several inputs are read one after the other.
//
// The reader does not parse: JSON lines are parsed by the workers
// (io/json.h). It only enforces the size limit (a longer line or file
// becomes a record carrying an error, and its bytes are skipped, never
// held) and reports unreadable files as records with an error, so every
// document reaches the accounting. Blank lines are not documents; they are
// counted. Memory: one batch of records plus a read buffer.
//
// Thread-safety: one thread per reader.
#ifndef NEARDUP_IO_READER_H_
#define NEARDUP_IO_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace neardup {

struct InputOptions {
  // JSONL field names. Defaults: "id", "text", "lang". The id may be a
  // string or a number; "lang" is optional.
  std::string id_field = "id";
  std::string text_field = "text";
  std::string lang_field = "lang";
  // File extensions read from folders, without dots. Default: {"txt"}.
  // An empty list reads every regular file. A file given as an input with
  // one of them (not with an empty list) is one document too.
  std::vector<std::string> extensions = {"txt"};
  // Documents larger than this are rejected, not read. Default: 64 MiB.
  uint64_t max_doc_bytes = 64ull << 20;

  absl::Status Validate() const;
};

enum class RecordFormat : uint8_t { kJsonLine, kTextFile };

// What an input is: JSONL lines (a file or standard input), a folder of
// text files, one text file, or a JSONL file compressed with gzip or zstd
// (its line offsets are in the decompressed stream, so its records cannot
// be read again by seeking; standard input is decompressed too, and is
// never read again anyway).
enum class InputKind : uint8_t { kJsonl, kFolder, kTextFile, kCompressedJsonl };

// Whether a file given as an input is one text document rather than JSONL:
// its extension is one of `extensions` (not empty) and not a JSON one.
bool IsTextFileInput(const std::string& path,
                     const std::vector<std::string>& extensions);

// Why the reader could not deliver a record's bytes.
enum class ReadProblem : uint8_t { kNone, kTooLarge, kUnreadable };

struct RawRecord {
  uint32_t input = 0;  // index into the reader's inputs
  uint64_t line = 0;   // 1-based line of a JSONL record; 0 for a file
  uint64_t offset = 0; // byte offset of the line in its input; 0 for a file
  RecordFormat format = RecordFormat::kJsonLine;
  std::string name;    // text file: its path relative to the folder, or
                       // as given for a text-file input
  std::string bytes;   // the line (without newline) or the file's contents
  ReadProblem problem = ReadProblem::kNone;
  std::string error;   // the problem, in words
};

class RecordReader {
 public:
  // Checks that every input exists and lists folders. Errors name the path.
  static absl::StatusOr<std::unique_ptr<RecordReader>> Open(
      const std::vector<std::string>& paths, const InputOptions& options);
  virtual ~RecordReader() = default;

  // Appends records to *out until it holds `max_records` or about
  // `max_bytes` bytes. Returns false once every input is exhausted and
  // nothing was appended. Errors are I/O failures that end the run.
  virtual absl::StatusOr<bool> Next(size_t max_records, size_t max_bytes,
                                    std::vector<RawRecord>* out) = 0;

  // How each input is named in messages: its path, or "<stdin>".
  virtual const std::vector<std::string>& input_names() const = 0;
  virtual const std::vector<InputKind>& input_kinds() const = 0;
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t blank_lines() const = 0;
};

}  // namespace neardup

#endif  // NEARDUP_IO_READER_H_
