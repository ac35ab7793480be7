#include "neardup/line_index.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "neardup/le_bytes.h"

namespace neardup {
namespace {

constexpr char kMagic[8] = {'N', 'D', 'L', 'X', 'I', 'D', 'X', '2'};
constexpr size_t kHeader = 8 + 8 + 4 + 4;

// A slot's layout for a file of `size` bytes (the header's format): the low
// OffsetBits hold 1 + the line's offset, the bits above them the key's tag.
int OffsetBits(uint64_t size) { return std::max(1, static_cast<int>(std::bit_width(size))); }
// The top 32 - offset_bits bits of the key's CRC-32 (the slot's position
// comes from its low bits), or 0 when the offset takes every bit.
uint32_t TagOf(uint32_t crc, int offset_bits) {
  return offset_bits >= 32 ? 0 : crc >> offset_bits;
}
uint32_t SlotOf(uint32_t tag, int offset_bits, size_t offset) {
  const auto value = static_cast<uint32_t>(offset + 1);
  return offset_bits >= 32 ? value : (tag << offset_bits) | value;
}

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
  const int offset_bits = OffsetBits(data.size());
  const uint32_t offset_mask = offset_bits >= 32 ? ~0u : (1u << offset_bits) - 1;
  *keys = 0;
  EachIndexedLine(data, [&](std::string_view key, size_t offset) {
    const uint32_t crc = Crc32(key);
    const uint32_t slot = SlotOf(TagOf(crc, offset_bits), offset_bits, offset);
    for (size_t i = crc & mask;; i = (i + 1) & mask) {
      if (slots[i] == 0) {
        slots[i] = slot;
        ++*keys;
        return;
      }
      const size_t start = (slots[i] & offset_mask) - 1;
      if ((slots[i] & ~offset_mask) == (slot & ~offset_mask) &&
          data.substr(start).starts_with(key) && data[start + key.size()] == '\t') {
        return;  // an earlier line has this key
      }
    }
  });
  return slots;
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
  PutLe<uint64_t>(&out, data.size());
  PutLe<uint32_t>(&out, static_cast<uint32_t>(slots.size()));
  PutLe<uint32_t>(&out, keys);
  for (uint32_t s : slots) PutLe<uint32_t>(&out, s);
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
  const int offset_bits = OffsetBits(data.size());
  const uint32_t offset_mask = offset_bits >= 32 ? ~0u : (1u << offset_bits) - 1;
  const uint32_t crc = Crc32(key);
  // The tag in place, so that most slots of other keys are passed over
  // without reading the table's text (a cold page, in a run).
  const uint32_t tag = SlotOf(TagOf(crc, offset_bits), offset_bits, 0) & ~offset_mask;
  size_t i = crc & mask;
  for (size_t probes = 0; probes < slots_.size(); ++probes, i = (i + 1) & mask) {
    const uint32_t s = slots_[i];
    if (s == 0) return {};
    if ((s & ~offset_mask) != tag) continue;
    const size_t start = (s & offset_mask) - 1;
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
