// seen_cache: what the read stage made of a --seen input, kept between
// runs, so that a feed's archive is read and signed once, not every day.
//
// The read stage turns each record into a Featurized (its result, surface
// signature, pivot features and numbers). For a seen input that is a
// regular file, the pipeline can write those to a cache file and, on a
// later run, replay them instead of reading the input again. The replay
// gives the run exactly what reading would: the cache is used only when
//   - the input is the same file, unchanged: its path as given, size,
//     modification and change times (ns), inode and device;
//   - everything else the read stage depends on is the same: the options
//     that shape it, the lexicon (its MANIFEST, which holds every table's
//     SHA-256), this program's own bytes and the shared libraries it has
//     loaded (ICU, libstemmer, ...: their paths, sizes and times).
// Anything else (a missing, damaged or stale file) is a miss, and the
// input is read and the cache written again. Folders are not cached (their
// files' changes do not show on the folder).
//
// Cache file (DIR/<XXH3 of the input path, hex>.ndseen), little-endian:
//   8 bytes "NDSEEN03", u64 fingerprint, u64 size, u64 mtime_ns, u64 inode,
//   u64 device, u64 ctime_ns,
//   u8 input kind, u64 blank lines, u64 bytes read, u64 records,
//   string input path (u32 length + bytes), then each record:
//   u8 flags (1 id given, 2 lang guessed), u8 outcome, u8 reject code,
//   u64 line, u64 offset, u64 text bytes, u32 shingles,
//   strings id, lang, lang_given, reason,
//   u32 n + n x u32 signature minima, u32 n + n x u32 pivot ids,
//   u32 n + n x u32 number hashes, u32 number count,
//   u32 n + n x u32 dates (DatesOf),
//   and at the end u64 XXH3 of everything before it.
//
// Thread-safety: a SeenCacheWriter or SeenCache is used by one thread.
#ifndef NEARDUP_SEEN_CACHE_H_
#define NEARDUP_SEEN_CACHE_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "neardup/crosslingual.h"
#include "neardup/io/file.h"
#include "neardup/io/reader.h"
#include "neardup/pipeline.h"

namespace neardup {

// What the read stage makes of one record.
struct Featurized {
  DocumentResult doc;
  std::vector<uint32_t> mins;      // num_perm values, if accepted
  std::vector<uint64_t> shingles;  // kept only for exact verification (not cached)
  std::vector<uint32_t> pivot;     // pivot feature ids, if cross-language
  DocumentNumbers numbers;         // its numbers, if cross-language
  // As a new one, but the lists keep their memory, for the next record.
  void Reset() {
    doc = DocumentResult();
    mins.clear();
    shingles.clear();
    pivot.clear();
    numbers.hashes.clear();
    numbers.dates.clear();
    numbers.count = numbers.years = 0;
  }
};

// The key of what the read stage's output depends on besides the input:
// `options`' fields that shape it and `lexicon_manifest` (empty: no
// lexicon, so no pivot features), and this program's bytes.
uint64_t ReadStageFingerprint(const PipelineOptions& options, std::string_view lexicon_manifest);

// A regular file as the cache identifies it; nullopt for anything else
// (standard input, a pipe, a folder, a missing file).
struct FileIdentity {
  uint64_t size = 0, mtime_ns = 0, inode = 0, device = 0, ctime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};
std::optional<FileIdentity> IdentifyFile(const std::string& path);

std::filesystem::path SeenCachePath(const std::filesystem::path& dir, std::string_view input);

// Collects an input's records as the read stage made them, in order, and
// writes the cache file.
class SeenCacheWriter {
 public:
  void Add(const Featurized& f);
  // Writes DIR's file for `input` (under a temporary name, then renamed;
  // DIR is created if needed).
  absl::Status Write(const std::filesystem::path& dir, const std::string& input,
                     uint64_t fingerprint, const FileIdentity& id, InputKind kind,
                     uint64_t blank_lines, uint64_t bytes_read) const;

 private:
  std::string records_;
  uint64_t count_ = 0;
};

// A valid cache file, read record by record.
class SeenCache {
 public:
  // The cache of `input` in `dir` if it is there and valid for this
  // fingerprint and the file as it is now; otherwise nullopt.
  static std::optional<SeenCache> Load(const std::filesystem::path& dir, const std::string& input,
                                       uint64_t fingerprint);
  InputKind kind() const { return kind_; }
  uint64_t blank_lines() const { return blank_lines_; }
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t records() const { return records_; }
  // The next record into *out (its doc.input is 0: the caller sets it);
  // false after the last.
  bool Next(Featurized* out);

 private:
  MappedFile file_;
  std::string_view rest_;
  InputKind kind_ = InputKind::kJsonl;
  uint64_t blank_lines_ = 0, bytes_read_ = 0, records_ = 0, next_ = 0;
};

}  // namespace neardup

#endif  // NEARDUP_SEEN_CACHE_H_
