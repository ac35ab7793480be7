// io/json: the JSON this tool reads (one JSONL record) and writes.
//
// Reading uses simdjson's DOM parser, which validates the whole line,
// including its UTF-8, so a malformed line is reported, never half-read.
// Writing escapes strings per RFC 8259 and prints numbers with a fixed
// precision so that output is byte-identical across runs.
//
// Thread-safety: JsonRecordParser holds a simdjson parser; one per thread.
#ifndef NEARDUP_IO_JSON_H_
#define NEARDUP_IO_JSON_H_

#include <memory>
#include <optional>
#include <vector>
#include <string>
#include <string_view>

#include "neardup/io/reader.h"

namespace neardup {

// The fields of one JSONL record. The views stay valid until the next Parse.
struct JsonRecord {
  bool has_id = false;
  std::string id;  // a string id as is; a numeric id as its JSON text
  std::string_view text;
  std::string_view lang;
};

class JsonRecordParser {
 public:
  explicit JsonRecordParser(const InputOptions& options);
  ~JsonRecordParser();

  // Parses one line. On failure returns false and sets *error to a
  // message without location ("invalid JSON: ...", "missing field ...").
  bool Parse(std::string_view line, JsonRecord* record, std::string* error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads named top-level fields of a JSON object line: strings as they
// are, numbers and booleans as their JSON text, null or absent as nullopt.
// False (with *error set) if the line is not a JSON object.
bool ParseFields(std::string_view line, const std::vector<std::string>& names,
                 std::vector<std::optional<std::string>>* values,
                 std::string* error);

// Appends `s` as a JSON string literal (with quotes); bytes that are not
// valid UTF-8 become U+FFFD, so the output is always valid JSON.
void AppendJsonString(std::string* out, std::string_view s);
// Appends a number rounded to 4 decimals ("0.8125", "1", "0").
void AppendJsonScore(std::string* out, double v);

}  // namespace neardup

#endif  // NEARDUP_IO_JSON_H_
