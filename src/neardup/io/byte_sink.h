// io/byte_sink: writes one output file, compressed if its name asks.
//
// A name ending in .gz is written as gzip (zlib, level 6, as gzip(1)
// does), one ending in .zst as Zstandard (level 3, as zstd(1) does);
// anything else as is. "-" is standard output (never compressed). A file
// is written under PATH.tmp and renamed to PATH by Close(), so a reader
// never sees half a file; a sink destroyed without Close() removes it.
//
// Errors name the path. Thread-safety: one thread per sink.
#ifndef NEARDUP_IO_BYTE_SINK_H_
#define NEARDUP_IO_BYTE_SINK_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "neardup/io/byte_source.h"

namespace neardup {

// The compression a file name asks for: .gz, .zst, or none.
Compression CompressionForName(std::string_view path);

class ByteSink {
 public:
  static absl::StatusOr<std::unique_ptr<ByteSink>> Open(const std::string& path);
  ~ByteSink();
  ByteSink(const ByteSink&) = delete;
  ByteSink& operator=(const ByteSink&) = delete;

  absl::Status Write(std::string_view bytes);
  // Flushes, closes and renames the file into place.
  absl::Status Close();

 private:
  struct Codec;
  ByteSink(std::string path, FILE* f, Compression c);
  absl::Status Put(const char* data, size_t n);  // raw bytes to the file
  absl::Status Compress(std::string_view bytes, bool finish);

  std::string path_;
  FILE* file_;
  Compression compression_;
  std::unique_ptr<Codec> codec_;
  bool closed_ = false;
};

}  // namespace neardup

#endif  // NEARDUP_IO_BYTE_SINK_H_
