// io/file: reads a whole regular file into memory in one piece (its size
// first, then one read), for `explain`'s text files and exact re-checks,
// or maps it read-only (the lexicon's tables and their indexes). Inputs to a run go through io/reader.h instead, which
// streams and enforces the size limit.
#ifndef NEARDUP_IO_FILE_H_
#define NEARDUP_IO_FILE_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"

namespace neardup {

// The bytes of `path`. NotFound if it cannot be opened, DataLoss if reading
// fails; the message names the path.
absl::StatusOr<std::string> ReadFile(const std::filesystem::path& path);

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
