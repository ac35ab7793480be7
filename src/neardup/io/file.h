// io/file: reads a whole regular file into memory in one piece (its size
// first, then one read), for `explain`'s text files and exact re-checks,
// or maps it read-only (the lexicon's tables and their indexes). Inputs to a run go through io/reader.h instead, which
// streams and enforces the size limit. Also writes the caches' files
// whole (a temporary name, then renamed) and prunes the old ones.
#ifndef NEARDUP_IO_FILE_H_
#define NEARDUP_IO_FILE_H_

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"

namespace neardup {

// The bytes of `path`. NotFound if it cannot be opened, DataLoss if reading
// fails; the message names the path.
absl::StatusOr<std::string> ReadFile(const std::filesystem::path& path);

// Writes `parts`, one after the other, to `path`: to a temporary name of
// this process first, then renamed, so that a concurrent reader (another
// run sharing a cache folder) sees the old file or the new one, never half
// of one. Unavailable if it cannot be written; the message names the path.
absl::Status WriteFileWhole(const std::filesystem::path& path,
                            std::initializer_list<std::string_view> parts);

// Removes the oldest files of `dir` whose names start with `prefix` and
// end with `suffix`, beyond the newest `keep` (best effort: errors are
// ignored).
void KeepNewestFiles(const std::filesystem::path& dir, std::string_view prefix,
                     std::string_view suffix, size_t keep);

// A whole file mapped read-only (and read ahead), until destroyed.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept { *this = std::move(other); }
  MappedFile& operator=(MappedFile&& other) noexcept;
  ~MappedFile();
  // NotFound if `path` cannot be opened, DataLoss if it cannot be mapped.
  static absl::StatusOr<MappedFile> Open(const std::filesystem::path& path);
  std::string_view bytes() const { return {data_, size_}; }

 private:
  void Unmap();
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace neardup

#endif  // NEARDUP_IO_FILE_H_
