// io/byte_source: the bytes of one JSONL input, decompressed if need be.
//
// A ByteSource reads a file descriptor in chunks. The first bytes decide
// what the stream is: gzip (1f 8b; several members, as `cat a.gz b.gz`
// makes, are read one after the other) or Zstandard (28 b5 2f fd; several
// frames likewise) is decompressed as it is read; anything else passes
// through unchanged. So `neardup dedup corpus.jsonl.zst` and
// `zcat corpus.jsonl.gz | neardup dedup -` need no glue, and the file's
// name does not matter.
//
// Errors (the caller names the input): a read error is Internal;
// compressed data that is corrupt or ends in the middle of a member or
// frame is DataLoss, and the stream cannot go on past it. Memory: a 256 KiB input buffer and
// the codec's state (zstd: about 130 KiB; zlib: about 40 KiB).
//
// Thread-safety: one thread per source.
#ifndef NEARDUP_IO_BYTE_SOURCE_H_
#define NEARDUP_IO_BYTE_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "absl/status/statusor.h"

namespace neardup {

enum class Compression : uint8_t { kNone, kGzip, kZstd };

// What the first bytes of a stream say it is (kNone when they are too
// few to tell).
Compression SniffCompression(std::string_view first_bytes);

// "gzip", "zstd" or "none".
const char* CompressionName(Compression c);

class ByteSource {
 public:
  // Reads `fd` (not owned, not closed).
  explicit ByteSource(int fd);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Fills out[0, cap) with the next bytes of the (decompressed) stream and
  // returns how many; 0 at its end.
  absl::StatusOr<size_t> Read(char* out, size_t cap);

  // Known after the first Read.
  Compression compression() const { return compression_; }
  // Bytes read from the descriptor so far (compressed, for compressed
  // streams).
  uint64_t raw_bytes() const { return raw_bytes_; }

 private:
  struct Codec;
  absl::StatusOr<size_t> Fill();  // more raw bytes into in_; 0 at EOF
  absl::StatusOr<size_t> Inflate(char* out, size_t cap);
  absl::StatusOr<size_t> Unzstd(char* out, size_t cap);

  int fd_;
  bool started_ = false;
  bool eof_ = false;
  Compression compression_ = Compression::kNone;
  std::unique_ptr<char[]> in_;
  size_t in_pos_ = 0, in_end_ = 0;
  uint64_t raw_bytes_ = 0;
  std::unique_ptr<Codec> codec_;
};

}  // namespace neardup

#endif  // NEARDUP_IO_BYTE_SOURCE_H_
