#include "neardup/io/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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
