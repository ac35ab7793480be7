#include "neardup/io/byte_sink.h"

#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"

namespace neardup {

Compression CompressionForName(std::string_view path) {
  if (path.ends_with(".gz")) return Compression::kGzip;
  if (path.ends_with(".zst")) return Compression::kZstd;
  return Compression::kNone;
}

struct ByteSink::Codec {
  z_stream z{};
  bool z_ready = false;
  ZSTD_CCtx* zstd = nullptr;
  std::vector<char> out = std::vector<char>(256 << 10);
  ~Codec() {
    if (z_ready) deflateEnd(&z);
    if (zstd != nullptr) ZSTD_freeCCtx(zstd);
  }
};

absl::StatusOr<std::unique_ptr<ByteSink>> ByteSink::Open(const std::string& path) {
  if (path == "-") {
    return std::unique_ptr<ByteSink>(new ByteSink(path, stdout, Compression::kNone));
  }
  const std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(tmp, ": cannot write: ", std::strerror(errno)));
  }
  std::unique_ptr<ByteSink> sink(new ByteSink(path, f, CompressionForName(path)));
  if (sink->compression_ == Compression::kGzip) {
    // 16 + 15: a gzip header and trailer, the largest window.
    if (deflateInit2(&sink->codec_->z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
      return absl::ResourceExhaustedError("cannot start gzip compression");
    }
    sink->codec_->z_ready = true;
  } else if (sink->compression_ == Compression::kZstd) {
    sink->codec_->zstd = ZSTD_createCCtx();
    if (sink->codec_->zstd == nullptr) {
      return absl::ResourceExhaustedError("cannot start zstd compression");
    }
    ZSTD_CCtx_setParameter(sink->codec_->zstd, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(sink->codec_->zstd, ZSTD_c_checksumFlag, 1);
  }
  return sink;
}

ByteSink::ByteSink(std::string path, FILE* f, Compression c)
    : path_(std::move(path)), file_(f), compression_(c) {
  if (c != Compression::kNone) codec_ = std::make_unique<Codec>();
}

ByteSink::~ByteSink() {
  if (closed_ || path_ == "-") return;
  std::fclose(file_);
  std::error_code ec;
  std::filesystem::remove(path_ + ".tmp", ec);
}

absl::Status ByteSink::Put(const char* data, size_t n) {
  if (n > 0 && std::fwrite(data, 1, n, file_) != n) {
    return absl::DataLossError(absl::StrCat(
        path_ == "-" ? "<stdout>" : path_ + ".tmp", ": write failed: ",
        std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status ByteSink::Compress(std::string_view bytes, bool finish) {
  Codec& c = *codec_;
  if (compression_ == Compression::kGzip) {
    c.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    c.z.avail_in = static_cast<uInt>(bytes.size());
    int r;
    do {
      c.z.next_out = reinterpret_cast<Bytef*>(c.out.data());
      c.z.avail_out = static_cast<uInt>(c.out.size());
      r = deflate(&c.z, finish ? Z_FINISH : Z_NO_FLUSH);
      if (r == Z_STREAM_ERROR) return absl::InternalError("gzip compression failed");
      if (auto s = Put(c.out.data(), c.out.size() - c.z.avail_out); !s.ok()) return s;
    } while (c.z.avail_out == 0 || (finish && r != Z_STREAM_END));
    return absl::OkStatus();
  }
  ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
  size_t left;
  do {
    ZSTD_outBuffer o{c.out.data(), c.out.size(), 0};
    left = ZSTD_compressStream2(c.zstd, &o, &in, finish ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(left)) {
      return absl::InternalError(
          absl::StrCat("zstd compression failed: ", ZSTD_getErrorName(left)));
    }
    if (auto s = Put(c.out.data(), o.pos); !s.ok()) return s;
  } while (in.pos < in.size || (finish && left != 0));
  return absl::OkStatus();
}

absl::Status ByteSink::Write(std::string_view bytes) {
  if (compression_ == Compression::kNone) return Put(bytes.data(), bytes.size());
  // Large writes go through in pieces zlib's 32-bit counts can hold.
  while (!bytes.empty()) {
    const size_t n = std::min<size_t>(bytes.size(), 1u << 30);
    if (auto s = Compress(bytes.substr(0, n), false); !s.ok()) return s;
    bytes.remove_prefix(n);
  }
  return absl::OkStatus();
}

absl::Status ByteSink::Close() {
  if (compression_ != Compression::kNone) {
    if (auto s = Compress({}, true); !s.ok()) return s;
  }
  if (path_ == "-") {
    closed_ = true;
    if (std::fflush(file_) != 0) {
      return absl::DataLossError(absl::StrCat("<stdout>: write failed: ",
                                              std::strerror(errno)));
    }
    return absl::OkStatus();
  }
  const bool ok = std::fflush(file_) == 0;
  const bool closed = std::fclose(file_) == 0;
  closed_ = true;
  const std::string tmp = path_ + ".tmp";
  if (!ok || !closed) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    return absl::DataLossError(
        absl::StrCat(tmp, ": write failed: ", std::strerror(errno)));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path_, ec);
  if (ec) {
    return absl::DataLossError(
        absl::StrCat(path_, ": cannot rename: ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace neardup
