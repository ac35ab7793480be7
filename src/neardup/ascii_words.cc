#include "neardup/ascii_words.h"

#include <immintrin.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace neardup {
namespace {

// Word-break classes of ASCII characters in ICU's root word rules.
enum AsciiClass : uint8_t {
  kOther = 0,
  kLetter,      // ALetter: A-Z a-z, and @ (ICU's rules add it for e-mail)
  kDigit,       // Numeric: 0-9
  kUnderscore,  // ExtendNumLet: _
  kMidNumLet,   // MidNumLet and Single_Quote: . '
  kMidNum,      // MidNum: , ;
};

constexpr std::array<uint8_t, 128> MakeClassTable() {
  std::array<uint8_t, 128> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLetter;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kLetter;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  t['@'] = kLetter;
  t['_'] = kUnderscore;
  t['.'] = kMidNumLet;
  t['\''] = kMidNumLet;
  t[','] = kMidNum;
  t[';'] = kMidNum;
  return t;
}
constexpr std::array<uint8_t, 128> kClass = MakeClassTable();

inline bool IsWordClass(uint8_t k) {
  return k == kLetter || k == kDigit || k == kUnderscore;
}

// Bit i of each mask: byte i of a 64-byte block is of that class.
struct BlockMasks {
  uint64_t letter;
  uint64_t digit;
  uint64_t word;       // letter, digit or '_'
  uint64_t midnumlet;  // . '
  uint64_t midnum;     // , ;
};

#define NEARDUP_AVX2 __attribute__((target("avx2")))

// Bytes of x (ASCII) in [lo, hi], as 0xFF.
NEARDUP_AVX2 inline __m256i InRange(__m256i x, char lo, char hi) {
  return _mm256_and_si256(_mm256_cmpgt_epi8(x, _mm256_set1_epi8(static_cast<char>(lo - 1))),
                          _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(hi + 1)), x));
}

NEARDUP_AVX2 inline __m256i Equal(__m256i x, char v) {
  return _mm256_cmpeq_epi8(x, _mm256_set1_epi8(v));
}

NEARDUP_AVX2 inline uint64_t Bits(__m256i x) {
  return static_cast<uint32_t>(_mm256_movemask_epi8(x));
}

// Classifies the 64 bytes at `p` and writes them, lower-cased, to `lower`.
NEARDUP_AVX2 BlockMasks ClassifyAvx2(const char* p, char* lower) {
  BlockMasks m{0, 0, 0, 0, 0};
  for (int half = 0; half < 2; ++half) {
    const __m256i c =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * half));
    const __m256i upper = InRange(c, 'A', 'Z');
    const __m256i letter = _mm256_or_si256(
        InRange(_mm256_or_si256(c, _mm256_set1_epi8(0x20)), 'a', 'z'), Equal(c, '@'));
    const __m256i digit = InRange(c, '0', '9');
    const __m256i word = _mm256_or_si256(_mm256_or_si256(letter, digit), Equal(c, '_'));
    const __m256i midnumlet = _mm256_or_si256(Equal(c, '.'), Equal(c, '\''));
    const __m256i midnum = _mm256_or_si256(Equal(c, ','), Equal(c, ';'));
    _mm256_storeu_si256(
        reinterpret_cast<__m256i*>(lower + 32 * half),
        _mm256_or_si256(c, _mm256_and_si256(upper, _mm256_set1_epi8(0x20))));
    const int shift = 32 * half;
    m.letter |= Bits(letter) << shift;
    m.digit |= Bits(digit) << shift;
    m.word |= Bits(word) << shift;
    m.midnumlet |= Bits(midnumlet) << shift;
    m.midnum |= Bits(midnum) << shift;
  }
  return m;
}

struct Scratch {
  std::vector<BlockMasks> masks;
  std::vector<uint64_t> in_token;  // bit i: byte i belongs to a token
};

}  // namespace

// Tokenizes exactly as ICU's root word break iterator does after
// NFKC_Casefold (which, on ASCII, only lower-cases). Rules: letters, digits
// and '_' join (WB5, WB8-WB10, WB13); a single '.' or '\'' joins letters to
// letters (WB6/7) and digits to digits (WB11/12), ',' and ';' join digits
// to digits only. ICU gives a lone "_" the status "not a word", so it is
// dropped.
void TokenizeAsciiScalar(std::string_view run, TokenList* tokens) {
  const size_t n = run.size();
  size_t i = 0;
  while (i < n) {
    uint8_t k = kClass[static_cast<unsigned char>(run[i])];
    if (!IsWordClass(k)) {
      ++i;
      continue;
    }
    const size_t start = i;
    uint8_t prev = k;
    ++i;
    while (i < n) {
      const uint8_t c = kClass[static_cast<unsigned char>(run[i])];
      if (IsWordClass(c)) {
        prev = c;
        ++i;
        continue;
      }
      if ((c == kMidNumLet || c == kMidNum) && i + 1 < n) {
        const uint8_t next = kClass[static_cast<unsigned char>(run[i + 1])];
        const bool letters = prev == kLetter && next == kLetter &&
                             c == kMidNumLet;
        const bool digits = prev == kDigit && next == kDigit;
        if (letters || digits) {
          prev = next;
          i += 2;
          continue;
        }
      }
      break;
    }
    if (i - start == 1 && run[start] == '_') continue;
    tokens->AddLowerAscii(run.substr(start, i - start));
  }
}

// The same rules on bit masks. A joiner (. ' , ;) belongs to a token when
// both its neighbours are letters (. and ' only) or both digits; neither
// neighbour can then be a joiner, so a token is a maximal run of bits in
// word | joiner.
void TokenizeAsciiAvx2(std::string_view run, TokenList* tokens) {
  thread_local Scratch scratch;
  const size_t n = run.size();
  const size_t blocks = (n + 63) / 64;
  scratch.masks.resize(blocks);
  scratch.in_token.resize(blocks);
  // The lower-cased run goes straight into the token list's buffer, and
  // the tokens are marked in it.
  const size_t base = tokens->Extend(blocks * 64);
  char* lower = tokens->buffer() + base;
  const size_t full = n / 64;
  for (size_t b = 0; b < full; ++b) {
    scratch.masks[b] = ClassifyAvx2(run.data() + 64 * b, lower + 64 * b);
  }
  if (full < blocks) {  // the tail, padded with NULs (class "other")
    char tail[64] = {};
    std::memcpy(tail, run.data() + 64 * full, n - 64 * full);
    scratch.masks[full] = ClassifyAvx2(tail, lower + 64 * full);
  }
  tokens->Truncate(base + n);
  uint64_t letter_before = 0, digit_before = 0;  // bit 63 of the block before
  for (size_t b = 0; b < blocks; ++b) {
    const BlockMasks& m = scratch.masks[b];
    const uint64_t letter_after = b + 1 < blocks ? scratch.masks[b + 1].letter & 1 : 0;
    const uint64_t digit_after = b + 1 < blocks ? scratch.masks[b + 1].digit & 1 : 0;
    const uint64_t letter_prev = (m.letter << 1) | letter_before;
    const uint64_t letter_next = (m.letter >> 1) | (letter_after << 63);
    const uint64_t digit_prev = (m.digit << 1) | digit_before;
    const uint64_t digit_next = (m.digit >> 1) | (digit_after << 63);
    const uint64_t joiner = (m.midnumlet & letter_prev & letter_next) |
                            ((m.midnumlet | m.midnum) & digit_prev & digit_next);
    scratch.in_token[b] = m.word | joiner;
    letter_before = m.letter >> 63;
    digit_before = m.digit >> 63;
  }
  // Walk the token runs: bits past n are clear (NUL padding).
  const uint64_t* bits = scratch.in_token.data();
  size_t b = 0;
  uint64_t word = blocks > 0 ? bits[0] : 0;
  while (true) {
    while (word == 0) {
      if (++b >= blocks) return;
      word = bits[b];
    }
    const size_t start = 64 * b + static_cast<size_t>(__builtin_ctzll(word));
    // Find the first clear bit at or after start.
    uint64_t rest = ~word & (~uint64_t{0} << (start % 64));
    while (rest == 0) {
      ++b;
      rest = b < blocks ? ~bits[b] : ~uint64_t{0};
    }
    const size_t end = 64 * b + static_cast<size_t>(__builtin_ctzll(rest));
    if (!(end - start == 1 && run[start] == '_')) tokens->Mark(base + start, base + end);
    if (b >= blocks) return;
    word = bits[b] & (~uint64_t{0} << (end % 64));  // end lies in block b
  }
}

void TokenizeAscii(std::string_view ascii, TokenList* tokens) {
  if (CpuHasAvx2()) {
    TokenizeAsciiAvx2(ascii, tokens);
  } else {
    TokenizeAsciiScalar(ascii, tokens);
  }
}

size_t FindNonAscii(std::string_view s, size_t from) {
  size_t i = from;
  const size_t n = s.size();
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    w &= 0x8080808080808080ull;
    if (w != 0) return i + static_cast<size_t>(__builtin_ctzll(w)) / 8;
  }
  for (; i < n; ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return i;
  }
  return n;
}

}  // namespace neardup
