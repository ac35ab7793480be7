#include "neardup/program_hash.h"

#include <elf.h>
#include <link.h>
#include <sys/stat.h>

#define XXH_INLINE_ALL  // xxHash is used header-only (as in crosslingual.cc)
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace neardup {
namespace {

// dl_iterate_phdr's callback: the first object is the program itself.
int FindBuildId(dl_phdr_info* info, size_t, void* out) {
  auto* id = static_cast<std::string_view*>(out);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
    const char* end = p + ph.p_memsz;
    auto aligned = [](size_t n) { return (n + 3) & ~size_t{3}; };
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) note;
      std::memcpy(&note, p, sizeof note);
      const char* name = p + sizeof note;
      const char* desc = name + aligned(note.n_namesz);
      if (desc + note.n_descsz > end) break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
          std::memcmp(name, "GNU", 4) == 0 && note.n_descsz > 0) {
        *id = std::string_view(desc, note.n_descsz);
        return 1;
      }
      p = desc + aligned(note.n_descsz);
    }
  }
  return 1;  // only the program
}

}  // namespace

std::string_view ProgramBuildId() {
  static const std::string_view id = [] {
    std::string_view found;
    dl_iterate_phdr(FindBuildId, &found);
    return found;
  }();
  return id;
}

uint64_t ProgramHash() {
  static const uint64_t hash = [] {
    XXH3_state_t* st = XXH3_createState();
    XXH3_64bits_reset(st);
    if (const std::string_view id = ProgramBuildId(); !id.empty()) {
      XXH3_64bits_update(st, "build-id:", 9);
      XXH3_64bits_update(st, id.data(), id.size());
    } else {
      std::ifstream f("/proc/self/exe", std::ios::binary);
      std::vector<char> buf(1 << 20);
      while (f) {
        f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        XXH3_64bits_update(st, buf.data(), static_cast<size_t>(f.gcount()));
      }
    }
    // The shared libraries mapped (ICU, libstemmer, CLD2, ...): a system
    // update changes their size or time.
    std::ifstream maps("/proc/self/maps");
    std::vector<std::string> libs;
    for (std::string line; std::getline(maps, line);) {
      const size_t slash = line.find('/');
      if (slash != std::string::npos && line.find(".so", slash) != std::string::npos) {
        libs.push_back(line.substr(slash));
      }
    }
    std::sort(libs.begin(), libs.end());
    libs.erase(std::unique(libs.begin(), libs.end()), libs.end());
    for (const std::string& lib : libs) {
      struct stat ls;
      if (::stat(lib.c_str(), &ls) != 0) continue;
      const std::string entry = absl::StrCat(lib, "\t", ls.st_size, "\t", ls.st_mtim.tv_sec, ".",
                                             ls.st_mtim.tv_nsec, "\n");
      XXH3_64bits_update(st, entry.data(), entry.size());
    }
    const uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
  }();
  return hash;
}

}  // namespace neardup
