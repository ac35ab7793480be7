#include "neardup/russian_latin.h"

#include <cstdint>

namespace neardup {
namespace {

// Letters by index: а-я (U+0430-U+044F) are 0-31 in order, ё (U+0451) 32.
constexpr int kYo = 32;
constexpr const char* kLatin[33] = {
    "a", "b", "v", "g", "d", "e",  "zh", "z", "i",  "y",    "k", "l", "m", "n", "o", "p", "r",
    "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "\"", "y", "'", "e", "yu", "ya", "e"};

constexpr int Index(char32_t c) { return c == U'ё' ? kYo : static_cast<int>(c - U'а'); }

constexpr bool In(std::u32string_view set, int letter) {
  for (char32_t c : set) {
    if (Index(c) == letter) return true;
  }
  return false;
}

// Vowels and signs, after which е and ё are ye.
bool AfterVowel(int letter) { return In(U"аеёиойуъыьэюя", letter); }

// ICU 72's middle dots: between these two letters (read off ICU).
struct DotTable {
  bool dotted[33][33] = {};
  DotTable() {
    constexpr std::u32string_view kPairs[] = {
        U"аы", U"бэ", U"вэ", U"гэ", U"дэ", U"еы", U"ёы", U"жэ", U"зэ", U"иы", U"йа", U"йу",
        U"йы", U"йэ", U"кэ", U"лэ", U"мэ", U"нэ", U"оы", U"пэ", U"рэ", U"сэ", U"тс", U"тэ",
        U"уы", U"фэ", U"хэ", U"цэ", U"чэ", U"шч", U"шэ", U"щэ", U"ъэ", U"ыа", U"ыу", U"ыы",
        U"ыэ", U"ьэ", U"юы", U"яы"};
    for (std::u32string_view p : kPairs) dotted[Index(p[0])][Index(p[1])] = true;
  }
};

bool Dotted(int a, int b) {
  static const DotTable kTable;
  return kTable.dotted[a][b];
}

// Where ICU's rules look further back than the letter before: е, ё, ы or
// э followed by a vowel.
bool BeyondThisTable(int a, int b) { return In(U"еёыэ", a) && In(U"аеёоуыэюя", b); }

}  // namespace

bool RussianToLatin(std::string_view utf8, std::string* out) {
  out->clear();
  if (utf8.empty() || utf8.size() % 2 != 0) return false;  // two bytes each
  int prev = -1;
  for (size_t i = 0; i < utf8.size(); i += 2) {
    const auto b0 = static_cast<unsigned char>(utf8[i]);
    const auto b1 = static_cast<unsigned char>(utf8[i + 1]);
    if ((b0 & 0xE0) != 0xC0 || (b1 & 0xC0) != 0x80) return false;
    const char32_t c = (b0 & 0x1Fu) << 6 | (b1 & 0x3Fu);
    if ((c < U'а' || c > U'я') && c != U'ё') return false;
    const int letter = Index(c);
    if (prev >= 0) {
      if (BeyondThisTable(prev, letter)) return false;
      if (Dotted(prev, letter)) out->append("\u00B7");
    }
    if (letter == Index(U'е') || letter == kYo) {
      out->append(prev < 0 || AfterVowel(prev) ? "ye" : "e");
    } else {
      out->append(kLatin[letter]);
    }
    prev = letter;
  }
  return true;
}

}  // namespace neardup
