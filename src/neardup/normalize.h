// normalize: turns UTF-8 text into the word tokens every later stage sees.
//
// This is the only unit that includes ICU. The steps:
//   1. NFKC with case folding (ICU's NFKC_Casefold): full-width and
//      half-width forms, ligatures, case and compatibility characters
//      compare equal; default-ignorable characters (soft hyphens) vanish.
//   2. Optionally, diacritics are folded (NFD, drop non-spacing marks, NFC).
//   3. ICU's word break iterator splits the text; only segments that ICU
//      classes as words (letters, numbers, kana, ideographs) are kept, so
//      punctuation and whitespace disappear. Japanese and Chinese text
//      without spaces is segmented with ICU's dictionaries.
//   4. Typographic apostrophes (U+2019, U+2018, U+02BC) inside tokens become
//      ASCII ', so "don’t" and "don't" are the same token.
//
// Fast path: runs of pure ASCII between whitespace skip ICU and use a
// re-implementation of the same rules for ASCII (lower-casing and Unicode
// word-break rules WB5-WB13b restricted to ASCII). tests/normalize_test.cc
// checks on random text that both paths give identical tokens; set
// NEARDUP_NO_ASCII_FAST_PATH=1 in the environment to force the ICU path.
//
// Thread-safety: a Tokenizer holds ICU iterators and is not thread-safe;
// create one per thread. Precondition: input is valid UTF-8 (the io layer
// rejects anything else before it gets here).
#ifndef NEARDUP_NORMALIZE_H_
#define NEARDUP_NORMALIZE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace neardup {

struct NormalizeOptions {
  // Fold diacritics: "café" == "cafe". Default: false (they differ).
  bool fold_diacritics = false;
  // Use the ASCII fast path where it applies. Default: true. Tokens are the
  // same either way; this exists for testing and benchmarking.
  bool ascii_fast_path = true;
};

// The tokens of one document: spans of one buffer, in order. Tokens are
// either appended (Add) or marked in text written to the buffer first
// (Extend, then Mark), which saves copying each token.
class TokenList {
 public:
  void Clear() {
    bytes_.clear();
    spans_.clear();
    glued_.clear();
  }
  void Add(std::string_view token) {
    const uint32_t begin = static_cast<uint32_t>(bytes_.size());
    bytes_.append(token);
    spans_.push_back({begin, static_cast<uint32_t>(bytes_.size())});
  }
  // Adds an ASCII token, lower-cased on the way in.
  void AddLowerAscii(std::string_view token) {
    const uint32_t begin = static_cast<uint32_t>(bytes_.size());
    bytes_.append(token);
    for (size_t i = begin; i < bytes_.size(); ++i) {
      const char c = bytes_[i];
      bytes_[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    }
    spans_.push_back({begin, static_cast<uint32_t>(bytes_.size())});
  }
  // Grows the buffer by n bytes and returns their offset; write them at
  // buffer() + offset.
  size_t Extend(size_t n) {
    const size_t at = bytes_.size();
    bytes_.resize(at + n);
    return at;
  }
  char* buffer() { return bytes_.data(); }
  // Adds the token at [begin, end) of the buffer.
  void Mark(size_t begin, size_t end) {
    spans_.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
  }
  // Drops buffer bytes past n (no token may lie there).
  void Truncate(size_t n) { bytes_.resize(n); }

  // Records that the last token follows the one before it in the text with
  // nothing between (ICU path only: 4 katakana tokens of one name that
  // ICU's dictionary split, バイ|デ|ン).
  void MarkLastGlued() { glued_.push_back(static_cast<uint32_t>(spans_.size() - 1)); }
  // The indices of the tokens so marked, ascending.
  const std::vector<uint32_t>& glued() const { return glued_; }

  size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  std::string_view operator[](size_t i) const {
    return std::string_view(bytes_).substr(spans_[i].begin, spans_[i].end - spans_[i].begin);
  }
  // The first byte of token i, or 0 if it is empty (for scans that look
  // at every token's start).
  unsigned char first_byte(size_t i) const {
    return spans_[i].end > spans_[i].begin ? static_cast<unsigned char>(bytes_[spans_[i].begin]) : 0;
  }
  std::vector<std::string> ToVector() const;

 private:
  struct Span {
    uint32_t begin, end;
  };
  std::string bytes_;
  std::vector<Span> spans_;
  std::vector<uint32_t> glued_;
};

class Tokenizer {
 public:
  static absl::StatusOr<std::unique_ptr<Tokenizer>> Create(
      const NormalizeOptions& options);
  virtual ~Tokenizer() = default;

  // Replaces *tokens with the tokens of `utf8`. REQUIRES: valid UTF-8.
  virtual void Tokenize(std::string_view utf8, TokenList* tokens) = 0;

  // The normalized text (steps 1-2) of `utf8`, for explanations and tests.
  virtual std::string Normalize(std::string_view utf8) = 0;
};

// Romanizes words with an ICU transform (e.g. "Russian-Latin/BGN;
// Latin-ASCII"), so names written in other scripts compare across
// languages. Apply may be called from several threads at once. Share one:
// creating a transform parses its rules (Han-Latin: tens of thousands,
// about 0.1 s), and ICU runs rule-based transforms one at a time in a
// process anyway. "Any-Latin; Latin-ASCII" romanizes a word of Latin
// letters one character at a time, each character through ICU once, with
// ICU's result for the whole word (normalize.cc says why; a test compares
// them).
class Transliterator {
 public:
  static absl::StatusOr<std::unique_ptr<Transliterator>> Create(
      std::string_view icu_id);
  virtual ~Transliterator() = default;
  virtual std::string Apply(std::string_view utf8) const = 0;
};

// True if `utf8` is well-formed UTF-8. On failure, *bad_offset (if not null)
// receives the byte offset of the first invalid sequence.
bool IsValidUtf8(std::string_view utf8, size_t* bad_offset = nullptr);

}  // namespace neardup

#endif  // NEARDUP_NORMALIZE_H_
