#include "neardup/io/reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "neardup/io/byte_source.h"

namespace neardup {
namespace fs = std::filesystem;

absl::Status InputOptions::Validate() const {
  if (text_field.empty()) {
    return absl::InvalidArgumentError("the text field name must not be empty");
  }
  if (id_field.empty()) {
    return absl::InvalidArgumentError("the id field name must not be empty");
  }
  if (max_doc_bytes == 0 || max_doc_bytes > (1ull << 30)) {
    return absl::InvalidArgumentError(
        "the document size limit must be between 1 byte and 1 GiB");
  }
  return absl::OkStatus();
}

namespace {
std::string ExtensionOf(const fs::path& p) {
  std::string ext = p.extension().string();
  if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
  return ext;
}
}  // namespace

bool IsTextFileInput(const std::string& path,
                     const std::vector<std::string>& extensions) {
  if (extensions.empty() || path == "-") return false;
  const std::string ext = ExtensionOf(fs::path(path));
  if (ext == "jsonl" || ext == "json" || ext == "ndjson") return false;
  return std::find(extensions.begin(), extensions.end(), ext) !=
         extensions.end();
}

namespace {

struct Input {
  std::string path;  // as given; "-" is stdin
  InputKind kind = InputKind::kJsonl;
  // Folders: relative paths, sorted; a text-file input: its path as given.
  std::vector<std::string> files;
};

bool HasExtension(const fs::path& p, const std::vector<std::string>& exts) {
  if (exts.empty()) return true;
  return std::find(exts.begin(), exts.end(), ExtensionOf(p)) != exts.end();
}

class Reader final : public RecordReader {
 public:
  Reader(std::vector<Input> inputs, const InputOptions& options)
      : inputs_(std::move(inputs)), options_(options), buffer_(1 << 20) {
    for (const Input& in : inputs_) {
      names_.push_back(in.path == "-" ? "<stdin>" : in.path);
      kinds_.push_back(in.kind);
    }
  }
  ~Reader() override { CloseFd(); }

  absl::StatusOr<bool> Next(size_t max_records, size_t max_bytes,
                            std::vector<RawRecord>* out) override {
    size_t bytes = 0;
    bool any = false;
    while (out->size() < max_records && bytes < max_bytes) {
      if (current_ >= inputs_.size()) break;
      const Input& in = inputs_[current_];
      bool got;
      if (in.kind == InputKind::kFolder || in.kind == InputKind::kTextFile) {
        got = NextFile(in, out);
      } else {
        absl::StatusOr<bool> r = NextLine(out);
        if (!r.ok()) return r.status();
        got = *r;
      }
      if (!got) {
        ++current_;
        file_index_ = 0;
        continue;
      }
      any = true;
      bytes += out->back().bytes.size() + 64;
    }
    return any;
  }

  const std::vector<std::string>& input_names() const override {
    return names_;
  }
  const std::vector<InputKind>& input_kinds() const override {
    return kinds_;
  }
  uint64_t bytes_read() const override { return bytes_read_; }
  uint64_t blank_lines() const override { return blank_lines_; }

 private:
  void CloseFd() {
    source_.reset();
    if (fd_ > 0) ::close(fd_);
    fd_ = -1;
  }

  // Appends the folder's next file (or the text-file input itself); false
  // when the input is done.
  bool NextFile(const Input& in, std::vector<RawRecord>* out) {
    if (file_index_ >= in.files.size()) return false;
    const std::string& rel = in.files[file_index_++];
    RawRecord rec;
    rec.input = static_cast<uint32_t>(current_);
    rec.format = RecordFormat::kTextFile;
    rec.name = rel;
    const fs::path full = in.kind == InputKind::kFolder
                              ? fs::path(in.path) / rel
                              : fs::path(rel);
    std::error_code ec;
    const uintmax_t size = fs::file_size(full, ec);
    if (ec) {
      rec.problem = ReadProblem::kUnreadable;
      rec.error = absl::StrCat("cannot read file: ", ec.message());
    } else if (size > options_.max_doc_bytes) {
      rec.problem = ReadProblem::kTooLarge;
      rec.error = absl::StrCat("document too large (", size,
                               " bytes; the limit is ", options_.max_doc_bytes,
                               ", see --max-doc-bytes)");
    } else {
      std::ifstream f(full, std::ios::binary);
      rec.bytes.resize(size);
      if (!f || !f.read(rec.bytes.data(), static_cast<std::streamsize>(size))) {
        rec.bytes.clear();
        rec.problem = ReadProblem::kUnreadable;
        rec.error = absl::StrCat("cannot read file: ", std::strerror(errno));
      }
      bytes_read_ += rec.bytes.size();
    }
    out->push_back(std::move(rec));
    return true;
  }

  // Reads the current JSONL input's next bytes (decompressed) into
  // buffer_. A read error ends the run; corrupt compressed data is
  // returned as DataLoss, for NextLine to turn into a rejected record.
  absl::Status Refill() {
    if (fd_ < 0) {
      const Input& in = inputs_[current_];
      if (in.path == "-") {
        fd_ = 0;
      } else {
        fd_ = ::open(in.path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) {
          return absl::NotFoundError(
              absl::StrCat(in.path, ": cannot open: ", std::strerror(errno)));
        }
      }
      source_ = std::make_unique<ByteSource>(fd_);
      line_no_ = 0;
      at_start_ = true;
      file_base_ = 0;
      line_start_ = 0;
      end_ = 0;
    }
    file_base_ += end_;  // the buffer about to be replaced
    pos_ = end_ = 0;
    absl::StatusOr<size_t> n = source_->Read(buffer_.data(), buffer_.size());
    if (!n.ok()) {
      if (absl::IsDataLoss(n.status())) return n.status();
      return absl::DataLossError(
          absl::StrCat(names_[current_], ": ", n.status().message()));
    }
    end_ = *n;
    bytes_read_ += end_;
    if (*n == 0) eof_ = true;
    return absl::OkStatus();
  }

  // Appends the next line of the current JSONL input (skipping blank
  // lines); false at its end.
  absl::StatusOr<bool> NextLine(std::vector<RawRecord>* out) {
    if (done_early_) {
      done_early_ = false;
      return false;
    }
    while (true) {
      if (pos_ == end_) {
        if (eof_) {
          const bool have = !line_.empty() || skipping_;
          if (have) {
            const size_t before = out->size();
            EmitLine(out, line_);
            if (out->size() > before) return true;
          }
          CloseFd();
          eof_ = false;
          pos_ = end_ = 0;
          return false;
        }
        absl::Status s = Refill();
        if (absl::IsDataLoss(s) && source_ != nullptr &&
            source_->compression() != Compression::kNone) {
          // Corrupt or truncated compressed data: the lines before it
          // stand; the rest of the input becomes one rejected record.
          RawRecord rec;
          rec.input = static_cast<uint32_t>(current_);
          rec.line = line_no_ + 1;
          rec.offset = line_start_;
          rec.problem = ReadProblem::kUnreadable;
          rec.error = absl::StrCat(s.message(),
                                   "; the rest of this input is not read");
          out->push_back(std::move(rec));
          line_.clear();
          skipping_ = false;
          CloseFd();
          eof_ = false;
          pos_ = end_ = 0;
          done_early_ = true;
          return true;
        }
        if (!s.ok()) return s;
        continue;
      }
      const char* begin = buffer_.data() + pos_;
      const char* nl =
          static_cast<const char*>(std::memchr(begin, '\n', end_ - pos_));
      const size_t chunk = (nl ? nl : buffer_.data() + end_) - begin;
      if (nl != nullptr && line_.empty() && !skipping_ &&
          chunk <= options_.max_doc_bytes) {
        // The whole line is in the buffer (the usual case): copy it once,
        // straight into its record.
        pos_ += chunk + 1;
        const size_t before = out->size();
        EmitLine(out, std::string_view(begin, chunk));
        if (out->size() > before) return true;
        continue;
      }
      if (skipping_) {
        skipped_bytes_ += chunk;
      } else if (line_.size() + chunk > options_.max_doc_bytes) {
        skipping_ = true;
        skipped_bytes_ = line_.size() + chunk;
        line_.clear();
        line_.shrink_to_fit();
      } else {
        line_.append(begin, chunk);
      }
      pos_ += chunk;
      if (nl != nullptr) {
        ++pos_;
        const size_t before = out->size();
        EmitLine(out, line_);
        if (out->size() > before) return true;
      }
    }
  }

  // Turns a line (the accumulated line_, or a slice of the buffer) into a
  // record, or counts it as blank.
  void EmitLine(std::vector<RawRecord>* out, std::string_view line) {
    ++line_no_;
    if (at_start_) {
      at_start_ = false;
      if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);  // BOM
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    RawRecord rec;
    rec.input = static_cast<uint32_t>(current_);
    rec.line = line_no_;
    rec.offset = line_start_;
    line_start_ = file_base_ + pos_;  // the next line starts here
    rec.format = RecordFormat::kJsonLine;
    if (skipping_) {
      rec.problem = ReadProblem::kTooLarge;
      rec.error = absl::StrCat("document too large (", skipped_bytes_,
                               " bytes; the limit is ", options_.max_doc_bytes,
                               ", see --max-doc-bytes)");
      skipping_ = false;
      skipped_bytes_ = 0;
    } else if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      ++blank_lines_;
      line_.clear();
      return;
    } else {
      rec.bytes.assign(line);  // one exact allocation; line_ keeps its buffer
    }
    line_.clear();
    out->push_back(std::move(rec));
  }

  std::vector<Input> inputs_;
  InputOptions options_;
  std::vector<std::string> names_;
  std::vector<InputKind> kinds_;
  size_t current_ = 0;
  size_t file_index_ = 0;
  // JSONL state.
  int fd_ = -1;
  std::unique_ptr<ByteSource> source_;
  bool done_early_ = false;  // the input's data broke off; it is done
  std::vector<char> buffer_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool at_start_ = true;
  uint64_t line_no_ = 0;
  uint64_t file_base_ = 0;   // file offset of buffer_[0]
  uint64_t line_start_ = 0;  // file offset of the line being read
  std::string line_;
  bool skipping_ = false;
  uint64_t skipped_bytes_ = 0;
  uint64_t bytes_read_ = 0;
  uint64_t blank_lines_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RecordReader>> RecordReader::Open(
    const std::vector<std::string>& paths, const InputOptions& options) {
  if (paths.empty()) return absl::InvalidArgumentError("no input given");
  std::vector<Input> inputs;
  int stdin_count = 0;
  for (const std::string& path : paths) {
    Input in;
    in.path = path;
    if (path == "-") {
      if (++stdin_count > 1) {
        return absl::InvalidArgumentError("standard input ('-') given twice");
      }
      inputs.push_back(std::move(in));
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file or folder"));
    }
    if (fs::is_directory(st)) {
      in.kind = InputKind::kFolder;
      fs::recursive_directory_iterator it(
          path, fs::directory_options::skip_permission_denied, ec);
      if (ec) {
        return absl::PermissionDeniedError(
            absl::StrCat(path, ": cannot list folder: ", ec.message()));
      }
      for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) {
          return absl::DataLossError(
              absl::StrCat(path, ": cannot list folder: ", ec.message()));
        }
        if (!it->is_regular_file(ec)) continue;
        if (!HasExtension(it->path(), options.extensions)) continue;
        in.files.push_back(
            fs::relative(it->path(), path, ec).generic_string());
      }
      std::sort(in.files.begin(), in.files.end());
    } else if (fs::is_regular_file(st) &&
               IsTextFileInput(path, options.extensions)) {
      in.kind = InputKind::kTextFile;
      in.files.push_back(path);
    } else if (fs::is_regular_file(st)) {
      // Probe regular files only: opening a pipe or FIFO here would take
      // its data (or block) before the real read.
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        return absl::PermissionDeniedError(
            absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
      }
      char magic[4];
      const ssize_t n = ::read(fd, magic, sizeof magic);
      ::close(fd);
      if (n > 0 && SniffCompression(std::string_view(magic, n)) !=
                       Compression::kNone) {
        in.kind = InputKind::kCompressedJsonl;
      }
    }
    inputs.push_back(std::move(in));
  }
  return std::unique_ptr<RecordReader>(new Reader(std::move(inputs), options));
}

}  // namespace neardup
