#include "neardup/russian_latin.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "neardup/latin_ascii.h"
#include "neardup/utf8.h"

namespace neardup {
namespace {

// Letters by index: а-я (U+0430-U+044F) are 0-31 in order, ё (U+0451) 32,
// then the other Cyrillic letters of Ukrainian, Belarusian, Serbian and
// Macedonian, 33-46, in the order of kOthers.
constexpr int kYo = 32;
constexpr int kLetters = 47;
constexpr std::u32string_view kOthers = U"ђѓєѕіїјљњћќўџґ";
constexpr const char* kLatin[kLetters] = {
    "a", "b", "v", "g", "d", "e",  "zh", "z", "i",  "y",    "k", "l", "m", "n", "o", "p", "r",
    "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "\"", "y", "'", "e", "yu", "ya", "e",
    // As ICU's Any-Latin and Latin-ASCII spell them after BGN, which
    // leaves them alone.
    "d", "g", "e", "z", "i", "i", "j", "l", "n", "c", "k", "u", "d", "g"};
// The same letters as ICU's "Any-Latin; Latin-ASCII" spells them, each on
// its own (Cyrillic-Latin has no rules of context for small letters).
constexpr const char* kAnyLatin[kLetters] = {
    "a", "b", "v", "g", "d", "e", "z", "z", "i", "j", "k", "l", "m", "n", "o", "p", "r",
    "s", "t", "u", "f", "h", "c", "c", "s", "s", "\"", "y", "'", "e", "u", "a", "e",
    "d", "g", "e", "z", "i", "i", "j", "l", "n", "c", "k", "u", "d", "g"};
// Longer words are left to ICU.
constexpr size_t kMaxLetters = 64;

// The letter's index, or -1 for any other character.
constexpr int Index(char32_t c) {
  if (c >= U'а' && c <= U'я') return static_cast<int>(c - U'а');
  if (c == U'ё') return kYo;
  const size_t at = kOthers.find(c);
  return at == std::u32string_view::npos ? -1 : 33 + static_cast<int>(at);
}

constexpr bool In(std::u32string_view set, int letter) {
  for (char32_t c : set) {
    if (Index(c) == letter) return true;
  }
  return false;
}

// ICU's "Russian-Latin/BGN" (CLDR's ru-ru_Latn-BGN rules) makes two
// passes over a word. The first, left to right, rewrites three letters by
// the letter before as it stands by then (still a Cyrillic letter of
// BGN's, or already rewritten by this pass, or one BGN leaves alone):
//   ы after a vowel: ·y;
//   э after a letter that is neither a vowel nor й: ·e;
//   е, ё after a vowel, й, ъ or ь: ye.
// The second spells the other letters by the table, but е and ё at the
// word's start (ye), й and ы before а, у, ы or э that are still
// Cyrillic (y·), тс (t·s) and шч (sh·ch). Any-Latin then spells the
// letters BGN leaves alone (kOthers) and Latin-ASCII drops diacritics.
bool IsVowel(int letter) { return In(U"аеёиоуыэюя", letter); }

// Appends the spelling of letters[0..n), a word or a part of one after
// a separator (where ICU sees a word's start too).
void SpellPart(const int* letters, size_t n, std::string* out) {
  // The first pass: what it wrote for each letter, or null.
  const char* first[kMaxLetters];
  // Letter i is still one of BGN's Cyrillic letters after the first pass.
  auto cyrillic = [&](size_t i) { return letters[i] <= kYo && first[i] == nullptr; };
  for (size_t i = 0; i < n; ++i) {
    first[i] = nullptr;
    if (i == 0) continue;
    const int l = letters[i], before = letters[i - 1];
    const bool vowel_before = cyrillic(i - 1) && IsVowel(before);
    if (l == Index(U'ы')) {
      if (vowel_before) first[i] = "\u00B7y";
    } else if (l == Index(U'э')) {
      if (!vowel_before && !(cyrillic(i - 1) && before == Index(U'й'))) first[i] = "\u00B7e";
    } else if (l == Index(U'е') || l == kYo) {
      if (vowel_before || (cyrillic(i - 1) && In(U"йъь", before))) first[i] = "ye";
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (first[i] != nullptr) {
      out->append(first[i]);
      continue;
    }
    const int l = letters[i];
    const bool has_next = i + 1 < n;
    if (l == Index(U'е') || l == kYo) {
      out->append(i == 0 ? "ye" : "e");
    } else if ((l == Index(U'й') || l == Index(U'ы')) && has_next && cyrillic(i + 1) &&
               In(U"ауыэ", letters[i + 1])) {
      out->append("y\u00B7");
    } else {
      out->append(kLatin[l]);
      if (has_next && ((l == Index(U'т') && letters[i + 1] == Index(U'с')) ||
                       (l == Index(U'ш') && letters[i + 1] == Index(U'ч')))) {
        out->append("\u00B7");
      }
    }
  }
}

}  // namespace

bool RussianToLatin(std::string_view utf8, std::string* out) {
  out->clear();
  int letters[kMaxLetters];
  size_t n = 0;  // letters of the current part
  bool latin = false;  // the current part is of ASCII and Latin letters
  bool any = false;
  for (size_t i = 0; i < utf8.size();) {
    const auto b0 = static_cast<unsigned char>(utf8[i]);
    if (b0 == '\'' || b0 == '_' || b0 == '.' || b0 == '@') {
      SpellPart(letters, n, out);
      n = 0;
      latin = false;
      out->push_back(static_cast<char>(b0));
      ++i;
      continue;
    }
    if (utf8.substr(i, 3) == "\u2019") {  // ’: Latin-ASCII's '
      SpellPart(letters, n, out);
      n = 0;
      latin = false;
      out->push_back('\'');
      i += 3;
      continue;
    }
    size_t len;
    const char32_t c = DecodeUtf8At(utf8, i, &len);
    const int letter = Index(c);
    if (letter >= 0) {
      if (latin || n == kMaxLetters) return false;
      letters[n++] = letter;
      any = true;
    } else {
      // A part of ASCII and Latin letters (файл_shadow), as Latin-ASCII
      // spells it: BGN leaves it alone, and starts a word after it too.
      char ascii[2] = {};
      const char* spelling = LatinAsciiSpelling(c, ascii);
      if (spelling == nullptr || n > 0) return false;
      out->append(spelling);
      latin = true;
    }
    i += len;
  }
  SpellPart(letters, n, out);
  return any;
}

bool CyrillicLatinToAscii(std::string_view utf8, std::string* out) {
  out->clear();
  bool any = false;
  for (size_t i = 0; i < utf8.size();) {
    size_t len;
    const char32_t c = DecodeUtf8At(utf8, i, &len);
    if (const int letter = Index(c); letter >= 0) {
      out->append(kAnyLatin[letter]);
      any = true;
    } else {
      char ascii[2] = {};
      const char* spelling = LatinAsciiSpelling(c, ascii);
      if (spelling == nullptr) return false;
      out->append(spelling);
    }
    i += len;
  }
  return any;
}

}  // namespace neardup
