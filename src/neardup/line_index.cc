#include "neardup/line_index.h"

#include <array>
#include <bit>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace neardup {
namespace {

constexpr char kMagic[8] = {'N', 'D', 'L', 'X', 'I', 'D', 'X', '1'};
constexpr size_t kHeader = 8 + 8 + 4 + 4;

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

// Calls fn(key, offset of the line) for each line that is indexed.
template <typename Fn>
void EachIndexedLine(std::string_view data, Fn fn) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) nl = data.size();
    const std::string_view line = data.substr(pos, nl - pos);
    const size_t tab = line.find('\t');
    if (tab != std::string_view::npos && tab > 0 && tab + 1 < line.size()) {
      fn(line.substr(0, tab), pos);
    }
    pos = nl + 1;
  }
}

// The slots of `data`'s index (the format in the header).
std::vector<uint32_t> BuildSlots(std::string_view data, uint32_t* keys) {
  size_t lines = 0;
  EachIndexedLine(data, [&](std::string_view, size_t) { ++lines; });
  const size_t size = std::max<size_t>(16, std::bit_ceil(2 * lines));
  std::vector<uint32_t> slots(size, 0);
  const size_t mask = size - 1;
  *keys = 0;
  EachIndexedLine(data, [&](std::string_view key, size_t offset) {
    for (size_t i = Crc32(key) & mask;; i = (i + 1) & mask) {
      if (slots[i] == 0) {
        slots[i] = static_cast<uint32_t>(offset + 1);
        ++*keys;
        return;
      }
      if (data.substr(slots[i] - 1).starts_with(key) &&
          data[slots[i] - 1 + key.size()] == '\t') {
        return;  // an earlier line has this key
      }
    }
  });
  return slots;
}

template <typename T>
void Put(std::string* out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // little-endian hosts (x86-64, arm64)
  out->append(b, sizeof(T));
}

}  // namespace

uint32_t Crc32(std::string_view bytes) {
  uint32_t c = ~0u;
  for (unsigned char b : bytes) c = kCrcTable[(c ^ b) & 0xff] ^ (c >> 8);
  return ~c;
}

std::string BuildLineIndex(std::string_view data) {
  uint32_t keys = 0;
  const std::vector<uint32_t> slots = BuildSlots(data, &keys);
  std::string out(kMagic, sizeof(kMagic));
  Put<uint64_t>(&out, data.size());
  Put<uint32_t>(&out, static_cast<uint32_t>(slots.size()));
  Put<uint32_t>(&out, keys);
  for (uint32_t s : slots) Put<uint32_t>(&out, s);
  return out;
}

absl::StatusOr<LineIndex> LineIndex::Open(const std::filesystem::path& path) {
  LineIndex index;
  absl::StatusOr<MappedFile> data = MappedFile::Open(path);
  if (!data.ok()) return data.status();
  index.data_ = *std::move(data);
  const std::string_view bytes = index.data_.bytes();
  if (bytes.size() >= UINT32_MAX) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": larger than 4 GiB"));
  }
  std::filesystem::path idx = path;
  idx += ".idx";
  if (absl::StatusOr<MappedFile> f = MappedFile::Open(idx); f.ok()) {
    const std::string_view h = f->bytes();
    uint64_t size = 0;
    uint32_t slots = 0;
    if (h.size() >= kHeader && std::memcmp(h.data(), kMagic, 8) == 0) {
      std::memcpy(&size, h.data() + 8, 8);
      std::memcpy(&slots, h.data() + 16, 4);
    }
    if (size == bytes.size() && slots >= 16 && std::has_single_bit(slots) &&
        h.size() == kHeader + 4 * static_cast<size_t>(slots)) {
      index.index_file_ = *std::move(f);
      index.slots_ = std::span<const uint32_t>(
          reinterpret_cast<const uint32_t*>(index.index_file_.bytes().data() + kHeader), slots);
      index.prebuilt_ = true;
      return index;
    }
  }
  uint32_t keys = 0;
  index.own_ = BuildSlots(bytes, &keys);
  index.slots_ = index.own_;
  return index;
}

std::string_view LineIndex::Find(std::string_view key) const {
  if (slots_.empty() || key.empty()) return {};
  const std::string_view data = data_.bytes();
  const size_t mask = slots_.size() - 1;
  size_t i = Crc32(key) & mask;
  for (size_t probes = 0; probes < slots_.size(); ++probes, i = (i + 1) & mask) {
    const uint32_t s = slots_[i];
    if (s == 0) return {};
    const size_t start = s - 1;
    if (start + key.size() < data.size() && data[start + key.size()] == '\t' &&
        data.compare(start, key.size(), key) == 0) {
      const size_t rest = start + key.size() + 1;
      size_t nl = data.find('\n', rest);
      if (nl == std::string_view::npos) nl = data.size();
      return data.substr(rest, nl - rest);
    }
  }
  return {};  // a full table: only a damaged FILE.idx has none empty
}

}  // namespace neardup
