#include "neardup/io/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace neardup {

absl::StatusOr<std::string> ReadFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(absl::StrCat(path.string(), ": cannot open: ",
                                            std::strerror(errno)));
  }
  std::string bytes;
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    bytes.reserve(static_cast<size_t>(st.st_size));
  }
  char buffer[1 << 16];
  for (;;) {
    // Straight into the string while it has room (a regular file: once).
    const size_t room = bytes.capacity() - bytes.size();
    if (room > 0) {
      const size_t old = bytes.size();
      bytes.resize(bytes.capacity());
      const ssize_t n = ::read(fd, bytes.data() + old, room);
      bytes.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
      if (n > 0) continue;
      if (n == 0) break;
    } else {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) {
        bytes.append(buffer, static_cast<size_t>(n));
        continue;
      }
      if (n == 0) break;
    }
    if (errno == EINTR) continue;
    const int error = errno;
    ::close(fd);
    return absl::DataLossError(absl::StrCat(path.string(), ": cannot read: ",
                                            std::strerror(error)));
  }
  ::close(fd);
  return bytes;
}

absl::Status WriteFileWhole(const std::filesystem::path& path,
                            std::initializer_list<std::string_view> parts) {
  std::filesystem::path tmp = path;
  tmp += absl::StrCat(".", ::getpid(), ".tmp");
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return absl::UnavailableError(
        absl::StrCat(tmp.string(), ": cannot write: ", std::strerror(errno)));
  }
  bool ok = true;
  for (std::string_view part : parts) {
    ok = ok && std::fwrite(part.data(), 1, part.size(), f) == part.size();
  }
  ok = std::fclose(f) == 0 && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, path, ec);
  if (!ok || ec) {
    std::filesystem::remove(tmp, ec);
    return absl::UnavailableError(absl::StrCat(path.string(), ": write failed"));
  }
  return absl::OkStatus();
}

void KeepNewestFiles(const std::filesystem::path& dir, std::string_view prefix,
                     std::string_view suffix, size_t keep) {
  std::error_code ec;
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with(prefix) || !name.ends_with(suffix)) continue;
    const auto t = e.last_write_time(ec);
    if (!ec) files.emplace_back(t, e.path());
  }
  if (files.size() <= keep) return;
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = keep; i < files.size(); ++i) std::filesystem::remove(files[i].second, ec);
}

void MappedFile::Unmap() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  data_ = nullptr;
  size_ = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    Unmap();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() { Unmap(); }

absl::StatusOr<MappedFile> MappedFile::Open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(absl::StrCat(path.string(), ": cannot open: ",
                                            std::strerror(errno)));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::DataLossError(absl::StrCat(path.string(), ": not a regular file"));
  }
  MappedFile f;
  if (st.st_size > 0) {
    void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ,
                     MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) {
      const int error = errno;
      ::close(fd);
      return absl::DataLossError(absl::StrCat(path.string(), ": cannot map: ",
                                              std::strerror(error)));
    }
    f.data_ = static_cast<const char*>(p);
    f.size_ = static_cast<size_t>(st.st_size);
  }
  ::close(fd);
  return f;
}

}  // namespace neardup
