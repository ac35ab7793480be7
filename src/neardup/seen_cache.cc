#include "neardup/seen_cache.h"

#include <sys/stat.h>

#define XXH_INLINE_ALL  // xxHash is used header-only (as in crosslingual.cc)
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "neardup/io/file.h"
#include "neardup/le_bytes.h"
#include "neardup/program_hash.h"

namespace neardup {
namespace {

constexpr char kMagic[8] = {'N', 'D', 'S', 'E', 'E', 'N', '0', '3'};

void PutString(std::string* out, std::string_view s) {
  PutLe<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}
template <typename T>
void PutVector(std::string* out, const std::vector<T>& v) {
  PutLe<uint32_t>(out, static_cast<uint32_t>(v.size()));
  out->append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

bool GetString(std::string_view* in, std::string* s) {
  uint32_t n;
  if (!GetLe(in, &n) || in->size() < n) return false;
  s->assign(in->data(), n);
  in->remove_prefix(n);
  return true;
}
template <typename T>
bool GetVector(std::string_view* in, std::vector<T>* v) {
  uint32_t n;
  if (!GetLe(in, &n) || in->size() / sizeof(T) < n) return false;
  v->resize(n);
  if (n > 0) std::memcpy(v->data(), in->data(), n * sizeof(T));
  in->remove_prefix(n * sizeof(T));
  return true;
}


}  // namespace

uint64_t ReadStageFingerprint(const PipelineOptions& o, std::string_view lexicon_manifest) {
  // Every option Featurizer::Run (pipeline.cc) reads. A new one must be
  // added here, or a cache made under another value would be replayed.
  std::string key = absl::StrCat(
      "ids:", o.input.id_field, "\ntext:", o.input.text_field, "\nlang:", o.input.lang_field,
      "\nmax:", o.input.max_doc_bytes, "\nfold:", o.normalize.fold_diacritics,
      "\nascii:", o.normalize.ascii_fast_path,
      "\nshingle:", static_cast<int>(o.shingle.unit), ",", o.shingle.n, ",", o.shingle.seed,
      "\nminhash:", o.minhash.num_perm, ",", o.minhash.seed,
      "\ncross:", o.crosslingual.enabled, "\next:");
  for (const std::string& e : o.input.extensions) absl::StrAppend(&key, e, ",");
  absl::StrAppend(&key, "\nlexicon:", lexicon_manifest.size(), "\n");
  key.append(lexicon_manifest);
  absl::StrAppend(&key, "\nprogram:", ProgramHash());
  return XXH3_64bits(key.data(), key.size());
}

std::optional<FileIdentity> IdentifyFile(const std::string& path) {
  struct stat st;
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  FileIdentity id;
  id.size = static_cast<uint64_t>(st.st_size);
  id.mtime_ns = static_cast<uint64_t>(st.st_mtim.tv_sec) * 1000000000ull +
                static_cast<uint64_t>(st.st_mtim.tv_nsec);
  id.inode = static_cast<uint64_t>(st.st_ino);
  id.device = static_cast<uint64_t>(st.st_dev);
  // The change time cannot be set back (touch -d sets the modification
  // time only): an edit in place that keeps size and mtime still shows.
  id.ctime_ns = static_cast<uint64_t>(st.st_ctim.tv_sec) * 1000000000ull +
                static_cast<uint64_t>(st.st_ctim.tv_nsec);
  return id;
}

std::filesystem::path SeenCachePath(const std::filesystem::path& dir, std::string_view input) {
  return dir / absl::StrFormat("%016x.ndseen", XXH3_64bits(input.data(), input.size()));
}

void SeenCacheWriter::Add(const Featurized& f) {
  const DocumentResult& d = f.doc;
  PutLe<uint8_t>(&records_, static_cast<uint8_t>((d.id_given ? 1 : 0) | (d.lang_guessed ? 2 : 0)));
  PutLe<uint8_t>(&records_, static_cast<uint8_t>(d.outcome));
  PutLe<uint8_t>(&records_, static_cast<uint8_t>(d.reject));
  PutLe<uint64_t>(&records_, d.line);
  PutLe<uint64_t>(&records_, d.offset);
  PutLe<uint64_t>(&records_, d.text_bytes);
  PutLe<uint32_t>(&records_, d.num_shingles);
  PutString(&records_, d.id);
  PutString(&records_, d.lang);
  PutString(&records_, d.lang_given);
  PutString(&records_, d.reason);
  PutVector(&records_, f.mins);
  PutVector(&records_, f.pivot);
  PutVector(&records_, f.numbers.hashes);
  PutLe<uint32_t>(&records_, f.numbers.count);
  PutVector(&records_, f.numbers.dates);
  ++count_;
}

absl::Status SeenCacheWriter::Write(const std::filesystem::path& dir, const std::string& input,
                                    uint64_t fingerprint, const FileIdentity& id,
                                    InputKind kind, uint64_t blank_lines,
                                    uint64_t bytes_read) const {
  std::string head(kMagic, sizeof(kMagic));
  PutLe<uint64_t>(&head, fingerprint);
  PutLe<uint64_t>(&head, id.size);
  PutLe<uint64_t>(&head, id.mtime_ns);
  PutLe<uint64_t>(&head, id.inode);
  PutLe<uint64_t>(&head, id.device);
  PutLe<uint64_t>(&head, id.ctime_ns);
  PutLe<uint8_t>(&head, static_cast<uint8_t>(kind));
  PutLe<uint64_t>(&head, blank_lines);
  PutLe<uint64_t>(&head, bytes_read);
  PutLe<uint64_t>(&head, count_);
  PutString(&head, input);
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  XXH3_64bits_update(st, head.data(), head.size());
  XXH3_64bits_update(st, records_.data(), records_.size());
  std::string tail;
  PutLe<uint64_t>(&tail, XXH3_64bits_digest(st));
  XXH3_freeState(st);

  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  return WriteFileWhole(SeenCachePath(dir, input), {head, records_, tail});
}

std::optional<SeenCache> SeenCache::Load(const std::filesystem::path& dir,
                                         const std::string& input, uint64_t fingerprint) {
  const std::optional<FileIdentity> now = IdentifyFile(input);
  if (!now) return std::nullopt;
  absl::StatusOr<MappedFile> f = MappedFile::Open(SeenCachePath(dir, input));
  if (!f.ok()) return std::nullopt;
  SeenCache c;
  c.file_ = *std::move(f);
  std::string_view all = c.file_.bytes();
  if (all.size() < sizeof(kMagic) + 8 || std::memcmp(all.data(), kMagic, sizeof(kMagic)) != 0) {
    return std::nullopt;
  }
  uint64_t sum;
  std::memcpy(&sum, all.data() + all.size() - 8, 8);
  all.remove_suffix(8);
  if (XXH3_64bits(all.data(), all.size()) != sum) return std::nullopt;
  all.remove_prefix(sizeof(kMagic));
  uint64_t fp = 0;
  FileIdentity id;
  uint8_t kind = 0;
  std::string name;
  if (!GetLe(&all, &fp) || !GetLe(&all, &id.size) || !GetLe(&all, &id.mtime_ns) ||
      !GetLe(&all, &id.inode) || !GetLe(&all, &id.device) || !GetLe(&all, &id.ctime_ns) ||
      !GetLe(&all, &kind) || !GetLe(&all, &c.blank_lines_) ||
      !GetLe(&all, &c.bytes_read_) || !GetLe(&all, &c.records_) || !GetString(&all, &name)) {
    return std::nullopt;
  }
  if (fp != fingerprint || !(id == *now) || name != input ||
      kind > static_cast<uint8_t>(InputKind::kCompressedJsonl)) {
    return std::nullopt;
  }
  c.kind_ = static_cast<InputKind>(kind);
  c.rest_ = all;
  return c;
}

bool SeenCache::Next(Featurized* out) {
  if (next_ >= records_) return false;
  DocumentResult& d = out->doc;
  d = DocumentResult();
  uint8_t flags, outcome, reject;
  if (!GetLe(&rest_, &flags) || !GetLe(&rest_, &outcome) || !GetLe(&rest_, &reject) ||
      !GetLe(&rest_, &d.line) || !GetLe(&rest_, &d.offset) || !GetLe(&rest_, &d.text_bytes) ||
      !GetLe(&rest_, &d.num_shingles) || !GetString(&rest_, &d.id) ||
      !GetString(&rest_, &d.lang) || !GetString(&rest_, &d.lang_given) ||
      !GetString(&rest_, &d.reason) || !GetVector(&rest_, &out->mins) ||
      !GetVector(&rest_, &out->pivot) || !GetVector(&rest_, &out->numbers.hashes) ||
      !GetLe(&rest_, &out->numbers.count) || !GetVector(&rest_, &out->numbers.dates) ||
      outcome > static_cast<uint8_t>(Outcome::kRejected) ||
      reject > static_cast<uint8_t>(RejectCode::kDuplicateId)) {
    next_ = records_;
    return false;
  }
  d.id_given = (flags & 1) != 0;
  d.lang_guessed = (flags & 2) != 0;
  d.outcome = static_cast<Outcome>(outcome);
  d.reject = static_cast<RejectCode>(reject);
  out->shingles.clear();
  ++next_;
  return true;
}

}  // namespace neardup
