#include "neardup/program_hash.h"

#include <sys/stat.h>

#define XXH_INLINE_ALL  // xxHash is used header-only (as in crosslingual.cc)
#include <xxhash.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace neardup {

uint64_t ProgramHash() {
  static const uint64_t hash = [] {
    std::ifstream f("/proc/self/exe", std::ios::binary);
    XXH3_state_t* st = XXH3_createState();
    XXH3_64bits_reset(st);
    std::vector<char> buf(1 << 20);
    while (f) {
      f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      XXH3_64bits_update(st, buf.data(), static_cast<size_t>(f.gcount()));
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
