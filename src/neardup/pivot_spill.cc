#include "neardup/pivot_spill.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstring>
#include <new>
#include <ranges>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "neardup/huge_pages.h"

namespace neardup {

PivotSpill::~PivotSpill() {
  if (ids_ != nullptr) FreeHuge(ids_, ids_bytes_);
  if (file_ != nullptr) std::fclose(file_);
}

absl::Status PivotSpill::Append(std::span<const uint32_t> ids) {
  if (!chosen_) {
    held_.emplace_back(ids.begin(), ids.end());
    held_ids_ += ids.size();
    return held_.size() < kSampleDocs && held_ids_ < kSampleIds ? absl::OkStatus()
                                                                 : ChooseHotAndFlush();
  }
  return Write(ids);
}

absl::Status PivotSpill::ChooseHotAndFlush() {
  chosen_ = true;
  absl::flat_hash_map<uint32_t, uint32_t> count;
  for (const std::vector<uint32_t>& ids : held_) {
    for (uint32_t id : ids) ++count[id];
  }
  std::vector<std::pair<uint32_t, uint32_t>> by_count;  // (count, id)
  for (const auto& [id, c] : count) {
    if (c >= kMinHotCount) by_count.emplace_back(c, id);
  }
  // Most documents first, ties to the smaller id: the same input picks
  // the same features.
  auto more = [](const std::pair<uint32_t, uint32_t>& x, const std::pair<uint32_t, uint32_t>& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  };
  const size_t kept = std::min(by_count.size(), kHotFeatures);
  std::partial_sort(by_count.begin(), by_count.begin() + kept, by_count.end(), more);
  by_count.resize(kept);
  // Buckets for twice as many ids, two slots each: about 3 % of the ids
  // find both slots taken (c100k: 7,911 of 8,192 kept), and stay cold;
  // placed commonest first, those are among the rarer ones.
  const int bits = std::bit_width(std::max<size_t>(8, 2 * by_count.size()) - 1);
  bucket_shift_ = 32 - bits;
  buckets_.assign(size_t{2} << bits, ~uint64_t{0});
  for (const auto& [c, id] : by_count) {
    uint64_t* b = &buckets_[Table().BucketOf(id) * 2];
    if (b[1] != ~uint64_t{0}) continue;
    b[b[0] == ~uint64_t{0} ? 0 : 1] = uint64_t{id} << 32;
    hot_ids_.push_back(id);
  }
  // Numbered in the order of their ids.
  std::sort(hot_ids_.begin(), hot_ids_.end());
  for (size_t k = 0; k < hot_ids_.size(); ++k) {
    uint64_t* b = &buckets_[Table().BucketOf(hot_ids_[k]) * 2];
    b[static_cast<uint32_t>(b[0] >> 32) == hot_ids_[k] && b[0] != ~uint64_t{0} ? 0 : 1] |= k;
  }
  std::vector<std::vector<uint32_t>> held = std::move(held_);
  held_ = {};
  for (const std::vector<uint32_t>& ids : held) {
    if (absl::Status s = Write(ids); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status PivotSpill::Write(std::span<const uint32_t> ids) {
  if (offsets_.empty()) offsets_.push_back(0);
  if (ids.empty()) {
    offsets_.push_back(offsets_.back());
    return absl::OkStatus();
  }
  // The hot numbers come out ascending, as the ids do (numbered in the
  // order of their ids), into numbers_; the cold ids into cold_. Each id
  // is written to both and counted in one: whether an id is hot is a
  // toss-up, and a branch on it mispredicted often (this runs on the
  // thread that takes the documents in order).
  numbers_.resize(ids.size() + 1);
  cold_.resize(ids.size());
  size_t hot = 0, cold = 0;
  uint16_t* numbers = numbers_.data();
  uint32_t* colds = cold_.data();
  if (hot_ids_.empty()) {
    std::copy(ids.begin(), ids.end(), colds);
    cold = ids.size();
  } else {
    const HotTable table = Table();  // in registers, not reloaded after each store
    for (uint32_t id : ids) {
      const uint32_t k = table.Number(id);
      numbers[hot] = static_cast<uint16_t>(k);
      colds[cold] = id;
      hot += k != kNone;
      cold += k == kNone;
    }
  }
  numbers_[hot] = 0;  // the padding of an odd count
  words_.resize(1 + (hot + 1) / 2 + cold);
  std::memcpy(&words_[1], numbers_.data(), (hot + 1) / 2 * sizeof(uint32_t));
  std::memcpy(&words_[1 + (hot + 1) / 2], cold_.data(), cold * sizeof(uint32_t));
  words_[0] = static_cast<uint32_t>(hot);
  if (absl::Status s = WriteWords(words_.data(), words_.size()); !s.ok()) return s;
  offsets_.push_back(offsets_.back() + words_.size());
  return absl::OkStatus();
}

absl::Status PivotSpill::WriteWords(const uint32_t* words, size_t n) {
  if (n == 0) return absl::OkStatus();
  if (file_ == nullptr) {
    if ((file_ = std::tmpfile()) == nullptr) {
      return absl::InternalError(absl::StrCat(
          "cannot create a temporary file for cross-language features: ", std::strerror(errno),
          " (is /tmp writable? or use --no-cross-language)"));
    }
    // The documents' features reach the file on the thread that takes
    // results in input order: in 1 MiB writes, not stdio's 4 KiB (71
    // system calls instead of 16k for 100k documents). glibc ignores the
    // size unless it is given the buffer.
    buffer_ = std::make_unique<char[]>(kBufferBytes);
    std::setvbuf(file_, buffer_.get(), _IOFBF, kBufferBytes);
  }
  if (std::fwrite(words, sizeof(uint32_t), n, file_) != n) {
    return absl::InternalError(absl::StrCat(
        "cannot write cross-language features to a temporary file: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status PivotSpill::Load() {
  if (!chosen_) {
    if (absl::Status s = ChooseHotAndFlush(); !s.ok()) return s;
  }
  ids_bytes_ = offsets_.empty() ? 0 : offsets_.back() * sizeof(uint32_t);
  if (ids_bytes_ == 0) return absl::OkStatus();
  if (std::fflush(file_) != 0) {
    return absl::InternalError(absl::StrCat("temporary file: ", std::strerror(errno)));
  }
  try {
    ids_ = static_cast<uint32_t*>(AllocateHuge(ids_bytes_));
  } catch (const std::bad_alloc&) {
    ids_bytes_ = 0;
    return absl::ResourceExhaustedError(
        "not enough memory to read cross-language features back from a temporary file");
  }
  char* to = reinterpret_cast<char*>(ids_);
  for (size_t done = 0; done < ids_bytes_;) {
    const ssize_t got = pread(fileno(file_), to + done, ids_bytes_ - done, static_cast<off_t>(done));
    if (got <= 0) {
      return absl::InternalError(absl::StrCat(
          "cannot read cross-language features back from a temporary file: ",
          got < 0 ? std::strerror(errno) : "it is shorter than written"));
    }
    done += static_cast<size_t>(got);
  }
  std::fclose(file_);  // an unlinked file: its pages go
  file_ = nullptr;
  buffer_.reset();
  return absl::OkStatus();
}

void PivotSpill::Ids(uint32_t d, std::vector<uint32_t>* out) const {
  const Features f = (*this)[d];
  out->resize(f.hot.size() + f.cold.size());
  auto hot_id = [&](uint16_t k) { return hot_ids_[k]; };
  // The hot ids come ascending, as their numbers do.
  std::merge(std::views::transform(f.hot, hot_id).begin(),
             std::views::transform(f.hot, hot_id).end(), f.cold.begin(), f.cold.end(),
             out->begin());
}

namespace {
std::atomic<uint64_t> next_serial{1};
}  // namespace

HotWeights::HotWeights(std::vector<float> weight)
    : serial_(next_serial.fetch_add(1, std::memory_order_relaxed)), weight_(std::move(weight)) {}

const float* HotWeights::TableFor(std::span<const uint16_t> hot,
                                  std::span<const uint16_t> other, bool* holds_other) const {
  struct Table {
    uint64_t serial = 0;            // the HotWeights it holds weights of
    std::vector<float> weight;      // weight_[k] for k in `set`, else 0
    std::vector<uint16_t> set;
    const uint16_t* of = nullptr;   // whose numbers they are
  };
  thread_local Table t;
  if (t.serial != serial_) {
    t.serial = serial_;
    t.weight.assign(weight_.size(), 0.0f);
    t.set.clear();
    t.of = nullptr;
  }
  *holds_other = false;
  if (t.of == hot.data() && t.set.size() == hot.size()) return t.weight.data();
  if (t.of == other.data() && t.set.size() == other.size()) {
    *holds_other = true;
    return t.weight.data();
  }
  for (uint16_t k : t.set) t.weight[k] = 0.0f;
  t.set.assign(hot.begin(), hot.end());
  for (uint16_t k : hot) t.weight[k] = weight_[k];
  t.of = hot.data();
  return t.weight.data();
}

}  // namespace neardup
