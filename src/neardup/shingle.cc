#include "neardup/shingle.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace neardup {

absl::Status ShingleOptions::Validate() const {
  if (n < 1 || n > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("shingle size must be between 1 and 64, got ", n));
  }
  return absl::OkStatus();
}

void Shingler::Shingle(const TokenList& tokens, std::vector<uint64_t>* out) {
  out->clear();
  units_ = 0;
  if (tokens.empty()) return;
  if (options_.unit == ShingleUnit::kWord) {
    WordShingles(tokens, out);
  } else {
    CharShingles(tokens, out);
  }
  Deduplicate(out);
}

// Keeps the first occurrence of each hash, in order. Linear probing in a
// table of at least four times the input size; 0 marks an empty slot, so a
// hash of 0 is tracked apart. Cheaper than sorting for the few hundred to
// few thousand shingles of a document (bench/stages_bench.cc,
// BM_Shingle_Word5). Why four times, and no branch on keeping: at twice,
// a probe met a taken slot a quarter to half of the time, at random, and
// these branches were mispredicted (session 38: same-language c100k
// 1.55-1.70 -> 1.38-1.51 s, outputs byte-identical).
void Shingler::Deduplicate(std::vector<uint64_t>* hashes) {
  const size_t n = hashes->size();
  if (n < 2) return;
  size_t size = 16;
  while (size < 4 * n) size <<= 1;
  table_.assign(size, 0);
  const size_t mask = size - 1;
  bool seen_zero = false;
  size_t kept = 0;
  uint64_t* h = hashes->data();
  for (size_t i = 0; i < n; ++i) {
    const uint64_t x = h[i];
    bool fresh;
    if (x == 0) {
      fresh = !seen_zero;
      seen_zero = true;
    } else {
      // The high bits of an XXH3 hash are as good as any; the low bits
      // are used by the MinHash fold, so take the high ones for the slot.
      size_t slot = (x >> 32) & mask;
      while (table_[slot] != 0 && table_[slot] != x) slot = (slot + 1) & mask;
      fresh = table_[slot] == 0;
      table_[slot] = x;
    }
    h[kept] = x;
    kept += fresh;
  }
  hashes->resize(kept);
}

void Shingler::WordShingles(const TokenList& tokens,
                            std::vector<uint64_t>* out) {
  const size_t count = tokens.size();
  token_hashes_.resize(count);
  for (size_t i = 0; i < count; ++i) {
    const std::string_view t = tokens[i];
    token_hashes_[i] = XXH3_64bits(t.data(), t.size());
  }
  units_ = count;
  const size_t n = static_cast<size_t>(options_.n);
  if (count < n) {
    out->push_back(WordRun(0, count));
    return;
  }
  out->reserve(count - n + 1);
  for (size_t i = 0; i + n <= count; ++i) out->push_back(WordRun(i, n));
}

uint64_t Shingler::WordRun(size_t i, size_t k) const {
  return XXH3_64bits_withSeed(token_hashes_.data() + i, k * 8, options_.seed);
}

void Shingler::ShinglesOfLength(size_t k, std::vector<uint64_t>* out) const {
  if (k == 0 || k >= units_) return;
  if (options_.unit == ShingleUnit::kWord) {
    for (size_t i = 0; i + k <= units_; ++i) out->push_back(WordRun(i, k));
    return;
  }
  for (size_t i = 0; i + k <= units_; ++i) {
    out->push_back(XXH3_64bits_withSeed(joined_.data() + starts_[i],
                                        starts_[i + k] - starts_[i], options_.seed));
  }
}

void Shingler::CharShingles(const TokenList& tokens,
                            std::vector<uint64_t>* out) {
  joined_.clear();
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) joined_.push_back(' ');
    joined_.append(tokens[i]);
  }
  starts_.clear();
  for (size_t i = 0; i < joined_.size(); ++i) {
    if ((static_cast<unsigned char>(joined_[i]) & 0xC0) != 0x80) {
      starts_.push_back(static_cast<uint32_t>(i));
    }
  }
  const size_t count = starts_.size();
  units_ = count;
  starts_.push_back(static_cast<uint32_t>(joined_.size()));  // the end
  const size_t n = static_cast<size_t>(options_.n);
  if (count < n) {
    out->push_back(
        XXH3_64bits_withSeed(joined_.data(), joined_.size(), options_.seed));
    return;
  }
  out->reserve(count - n + 1);
  for (size_t i = 0; i + n <= count; ++i) {
    out->push_back(XXH3_64bits_withSeed(joined_.data() + starts_[i],
                                        starts_[i + n] - starts_[i],
                                        options_.seed));
  }
}

}  // namespace neardup
