// line_index: finds the line of a "key<TAB>rest" file by its key without
// parsing the file: the lexicon's tables (crosslingual.h) are read this way.
//
// Why: parsing the tables into hash maps cost 0.15-0.35 s a language (de:
// 22 MB, ja: 12 MB), most of it in fresh memory for the maps, paid by
// every run and every `neardup explain` that met the language.
//
// The file is mapped read-only. Its index, FILE.idx, is written next to it
// by scripts/build-lexicon.py (the bytes of BuildLineIndex below, which a
// test checks against the built lexicon): an open-addressing table of line
// offsets probed by CRC-32 of the key. Without a matching FILE.idx (a
// lexicon made by hand, as in the tests) the same table is built in memory.
//
// FILE.idx, little-endian:
//   8 bytes  "NDLXIDX2"
//   u64      size of FILE in bytes (a stale index is not used)
//   u32      number of slots, a power of two >= 2 x keys (at least 16)
//   u32      number of keys
//   u32[]    slots: 0 = empty, else (tag << b) | (1 + byte offset of the
//            line's start), where b = bit width of FILE's size (at least
//            1) and tag = the key's CRC-32 >> b (none when b is 32)
// A key is the bytes before the line's first tab; lines without a tab or
// with nothing after it are not indexed; for a key on several lines, the
// first. Position = CRC-32 (zlib's) of the key, masked; then linear
// probing. The tag lets a look-up pass over other keys' slots without
// reading their lines: a key that is absent (most look-ups of a run: a
// word's candidate forms) costs the slots alone.
//
// Thread-safety: immutable once opened; share it.
#ifndef NEARDUP_LINE_INDEX_H_
#define NEARDUP_LINE_INDEX_H_

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/io/file.h"

namespace neardup {

// zlib's CRC-32 (IEEE 802.3, reflected, initial and final XOR ~0).
uint32_t Crc32(std::string_view bytes);

// The bytes of the index of `data` (the format above).
std::string BuildLineIndex(std::string_view data);

class LineIndex {
 public:
  LineIndex() = default;  // empty: finds nothing
  // Maps `path` and uses `path`.idx if it matches; NotFound if `path` is
  // missing.
  static absl::StatusOr<LineIndex> Open(const std::filesystem::path& path);

  // What follows the tab on the line of `key`, without the newline; empty
  // if no line has that key.
  std::string_view Find(std::string_view key) const;
  // True if the index came from FILE.idx (not built at load).
  bool prebuilt() const { return prebuilt_; }

 private:
  MappedFile data_;
  MappedFile index_file_;     // FILE.idx, if used
  std::vector<uint32_t> own_;  // the slots, if built here
  std::span<const uint32_t> slots_;
  bool prebuilt_ = false;
};

}  // namespace neardup

#endif  // NEARDUP_LINE_INDEX_H_
