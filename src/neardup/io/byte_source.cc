#include "neardup/io/byte_source.h"

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace neardup {
namespace {
constexpr size_t kInBuffer = 256 << 10;
}  // namespace

Compression SniffCompression(std::string_view b) {
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f &&
      static_cast<unsigned char>(b[1]) == 0x8b) {
    return Compression::kGzip;
  }
  if (b.size() >= 4 && b.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4)) {
    return Compression::kZstd;
  }
  return Compression::kNone;
}

const char* CompressionName(Compression c) {
  switch (c) {
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
    case Compression::kNone: break;
  }
  return "none";
}

struct ByteSource::Codec {
  z_stream z{};
  bool z_ready = false;
  ZSTD_DCtx* zstd = nullptr;
  bool in_unit = false;  // inside a gzip member or zstd frame
  absl::Status error;    // corrupt data met after some output
  ~Codec() {
    if (z_ready) inflateEnd(&z);
    if (zstd != nullptr) ZSTD_freeDCtx(zstd);
  }
};

ByteSource::ByteSource(int fd) : fd_(fd), in_(new char[kInBuffer]) {}
ByteSource::~ByteSource() = default;

absl::StatusOr<size_t> ByteSource::Fill() {
  if (in_pos_ == in_end_) in_pos_ = in_end_ = 0;
  if (eof_ || in_end_ == kInBuffer) return 0;
  ssize_t n;
  do {
    n = ::read(fd_, in_.get() + in_end_, kInBuffer - in_end_);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return absl::InternalError(absl::StrCat("read error: ", std::strerror(errno)));
  if (n == 0) eof_ = true;
  in_end_ += static_cast<size_t>(n);
  raw_bytes_ += static_cast<uint64_t>(n);
  return static_cast<size_t>(n);
}

absl::StatusOr<size_t> ByteSource::Read(char* out, size_t cap) {
  if (!started_) {
    started_ = true;
    while (in_end_ < 4 && !eof_) {
      absl::StatusOr<size_t> n = Fill();
      if (!n.ok()) return n.status();
    }
    compression_ = SniffCompression(std::string_view(in_.get(), in_end_));
    if (compression_ != Compression::kNone) codec_ = std::make_unique<Codec>();
    if (compression_ == Compression::kGzip) {
      // 16 + 15: a gzip header and the largest window.
      if (inflateInit2(&codec_->z, 16 + MAX_WBITS) != Z_OK) {
        return absl::ResourceExhaustedError("cannot start gzip decompression");
      }
      codec_->z_ready = true;
    } else if (compression_ == Compression::kZstd) {
      codec_->zstd = ZSTD_createDCtx();
      if (codec_->zstd == nullptr) {
        return absl::ResourceExhaustedError("cannot start zstd decompression");
      }
    }
  }
  if (cap == 0) return 0;
  switch (compression_) {
    case Compression::kGzip: return Inflate(out, cap);
    case Compression::kZstd: return Unzstd(out, cap);
    case Compression::kNone: break;
  }
  if (in_pos_ < in_end_) {  // the sniffed bytes first
    const size_t n = std::min(cap, in_end_ - in_pos_);
    std::memcpy(out, in_.get() + in_pos_, n);
    in_pos_ += n;
    return n;
  }
  if (eof_) return 0;
  ssize_t n;
  do {
    n = ::read(fd_, out, cap);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return absl::InternalError(absl::StrCat("read error: ", std::strerror(errno)));
  if (n == 0) eof_ = true;
  raw_bytes_ += static_cast<uint64_t>(n);
  return static_cast<size_t>(n);
}

absl::StatusOr<size_t> ByteSource::Inflate(char* out, size_t cap) {
  if (!codec_->error.ok()) return codec_->error;
  z_stream& z = codec_->z;
  while (true) {
    if (in_pos_ == in_end_) {
      absl::StatusOr<size_t> n = Fill();
      if (!n.ok()) return n.status();
      if (*n == 0 && !codec_->in_unit) return 0;
    }
    if (!codec_->in_unit) {
      // Zero bytes after a member (tape blocking, a padded copy) end the
      // data, as GNU gzip reads them; a member never starts with one.
      while (in_pos_ < in_end_ && in_[in_pos_] == '\0') ++in_pos_;
      if (in_pos_ == in_end_) continue;
    }
    z.next_in = reinterpret_cast<Bytef*>(in_.get() + in_pos_);
    z.avail_in = static_cast<uInt>(in_end_ - in_pos_);
    z.next_out = reinterpret_cast<Bytef*>(out);
    z.avail_out = static_cast<uInt>(std::min<size_t>(cap, 1u << 30));
    const uInt room = z.avail_out;
    const int r = inflate(&z, Z_NO_FLUSH);
    in_pos_ = in_end_ - z.avail_in;
    const size_t produced = room - z.avail_out;
    if (r == Z_STREAM_END) {
      codec_->in_unit = false;
      inflateReset(&z);  // another member may follow
    } else if (r == Z_OK || r == Z_BUF_ERROR) {
      codec_->in_unit = true;
      if (produced == 0 && in_pos_ == in_end_ && eof_) {
        return absl::DataLossError(
            "gzip data ends in the middle of a member (truncated file?)");
      }
    } else {
      // What came out before the damage is delivered first.
      codec_->error = absl::DataLossError(absl::StrCat(
          "corrupt gzip data (zlib: ", z.msg != nullptr ? z.msg : "error ",
          z.msg != nullptr ? "" : absl::StrCat(r), ")"));
      if (produced > 0) return produced;
      return codec_->error;
    }
    if (produced > 0) return produced;
  }
}

absl::StatusOr<size_t> ByteSource::Unzstd(char* out, size_t cap) {
  if (!codec_->error.ok()) return codec_->error;
  while (true) {
    if (in_pos_ == in_end_) {
      absl::StatusOr<size_t> n = Fill();
      if (!n.ok()) return n.status();
      if (*n == 0 && !codec_->in_unit) return 0;
    }
    ZSTD_inBuffer in{in_.get(), in_end_, in_pos_};
    ZSTD_outBuffer o{out, cap, 0};
    const size_t r = ZSTD_decompressStream(codec_->zstd, &o, &in);
    if (ZSTD_isError(r)) {
      codec_->error = absl::DataLossError(
          absl::StrCat("corrupt zstd data (", ZSTD_getErrorName(r), ")"));
      if (o.pos > 0) return o.pos;
      return codec_->error;
    }
    in_pos_ = in.pos;
    codec_->in_unit = r != 0;
    if (o.pos > 0) return o.pos;
    if (codec_->in_unit && in_pos_ == in_end_ && eof_) {
      return absl::DataLossError(
          "zstd data ends in the middle of a frame (truncated file?)");
    }
  }
}

}  // namespace neardup
