#include "neardup/latin_ascii.h"

#include <cstddef>
#include <cstdint>

#include "neardup/utf8.h"

namespace neardup {
namespace {

constexpr char32_t kFirst = 0xC0, kLast = 0x24F;

// Latin-ASCII's spelling of U+00C0-U+024F, lower-cased; null where it is
// not a letter spelled in ASCII. Made by ICU 72 (PyICU:
// Transliterator.createInstance("Latin-ASCII").transliterate(c).lower()
// for each letter, kept where the result is ASCII and not the letter);
// latin_ascii_test compares each entry with the ICU the program links.
constexpr const char* kSpelling[kLast - kFirst + 1] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e",  // U+00C0
    "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", nullptr,  // U+00CC
    "o", "u", "u", "u", "u", "y", "th", "ss", "a", "a", "a", "a",  // U+00D8
    "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  // U+00E4
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u",  // U+00F0
    "u", "y", "th", "y", "a", "a", "a", "a", "a", "a", "c", "c",  // U+00FC
    "c", "c", "c", "c", "c", "c", "d", "d", "d", "d", "e", "e",  // U+0108
    "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",  // U+0114
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i",  // U+0120
    "i", "i", "i", "i", "i", "i", "ij", "ij", "j", "j", "k", "k",  // U+012C
    "q", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "n",  // U+0138
    "n", "n", "n", "n", "n", "'n", "n", "n", "o", "o", "o", "o",  // U+0144
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s",  // U+0150
    "s", "s", "s", "s", "s", "s", "t", "t", "t", "t", "t", "t",  // U+015C
    "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u",  // U+0168
    "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",  // U+0174
    "b", "b", "b", "b", nullptr, nullptr, nullptr, "c", "c", "d", "d", "d",  // U+0180
    "d", nullptr, nullptr, nullptr, "e", "f", "f", "g", nullptr, "hv", "i", "i",  // U+018C
    "k", "k", "l", nullptr, nullptr, "n", "n", nullptr, "o", "o", "oi", "oi",  // U+0198
    "p", "p", nullptr, nullptr, nullptr, nullptr, nullptr, "t", "t", "t", "t", "u",  // U+01A4
    "u", nullptr, "v", "y", "y", "z", "z", nullptr, nullptr, nullptr, nullptr, nullptr,  // U+01B0
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "dz", "dz", "dz", "lj",  // U+01BC
    "lj", "lj", "nj", "nj", "nj", "a", "a", "i", "i", "o", "o", "u",  // U+01C8
    "u", "u", "u", "u", "u", "u", "u", "u", "u", nullptr, "a", "a",  // U+01D4
    "a", "a", "ae", "ae", "g", "g", "g", "g", "k", "k", "o", "o",  // U+01E0
    "o", "o", nullptr, nullptr, "j", "dz", "dz", "dz", "g", "g", nullptr, nullptr,  // U+01EC
    "n", "n", "a", "a", "ae", "ae", "o", "o", "a", "a", "a", "a",  // U+01F8
    "e", "e", "e", "e", "i", "i", "i", "i", "o", "o", "o", "o",  // U+0204
    "r", "r", "r", "r", "u", "u", "u", "u", "s", "s", "t", "t",  // U+0210
    nullptr, nullptr, "h", "h", nullptr, "d", nullptr, nullptr, "z", "z", "a", "a",  // U+021C
    "e", "e", "o", "o", "o", "o", "o", "o", "o", "o", "y", "y",  // U+0228
    "l", "n", "t", "j", "db", "qp", "a", "c", "c", "l", "t", "s",  // U+0234
    "z", nullptr, nullptr, "b", "u", nullptr, "e", "e", "j", "j", nullptr, nullptr,  // U+0240
    "r", "r", "y", "y",  // U+024C
};

}  // namespace

const char* LatinAsciiSpelling(char32_t c, char* ascii) {
  if (c < 0x80) {
    *ascii = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return ascii;
  }
  if (c < kFirst || c > kLast) return nullptr;
  return kSpelling[c - kFirst];
}

bool LatinToAscii(std::string_view utf8, std::string* out) {
  out->clear();
  if (utf8.empty()) return false;
  for (size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    if (b < 0x80) {
      out->push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
      ++i;
      continue;
    }
    size_t len;
    char ascii[2] = {};
    const char* spelling = LatinAsciiSpelling(DecodeUtf8At(utf8, i, &len), ascii);
    if (spelling == nullptr) return false;
    out->append(spelling);
    i += len;
  }
  return true;
}

}  // namespace neardup
