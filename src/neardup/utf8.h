// utf8: the code point at a byte offset of text already checked as UTF-8
// (a document's tokens: the reader rejects invalid UTF-8), for the units
// that read words letter by letter (crosslingual.cc and the romanizers:
// hangul, kana_latin, latin_ascii, russian_latin). It does not check the
// bytes again: on invalid UTF-8 it gives some code point, never reads
// past the end.
#ifndef NEARDUP_UTF8_H_
#define NEARDUP_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace neardup {

// The code point that starts at s[i], and its length in bytes in *len.
// A sequence cut short by the end of `s` gives what its bytes there make.
inline uint32_t DecodeUtf8At(std::string_view s, size_t i, size_t* len) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  const size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  uint32_t cp = c & (0x3F >> (n - 1));
  for (size_t k = 1; k < n && i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  *len = n;
  return cp;
}

}  // namespace neardup

#endif  // NEARDUP_UTF8_H_
