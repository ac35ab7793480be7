// io/file: reads a whole regular file into memory in one piece (its size
// first, then one read), for the lexicon tables, `explain`'s text files and
// exact re-checks. Inputs to a run go through io/reader.h instead, which
// streams and enforces the size limit.
#ifndef NEARDUP_IO_FILE_H_
#define NEARDUP_IO_FILE_H_

#include <filesystem>
#include <string>

#include "absl/status/statusor.h"

namespace neardup {

// The bytes of `path`. NotFound if it cannot be opened, DataLoss if reading
// fails; the message names the path.
absl::StatusOr<std::string> ReadFile(const std::filesystem::path& path);

}  // namespace neardup

#endif  // NEARDUP_IO_FILE_H_
