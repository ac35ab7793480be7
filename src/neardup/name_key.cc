#include "neardup/name_key.h"

#include <cstdint>
#include <memory>

namespace neardup {
namespace {

// The base letter of U+00C0-U+017F (Latin-1 and Latin Extended-A), '.'
// for the signs among them (×, ÷).
constexpr std::string_view kLatinBase =
    "aaaaaaaceeeeiiiidnooooo.ouuuuytsaaaaaaaceeeeiiiidnooooo.ouuuuyty"
    "aaaaaaccccccccddddeeeeeeeeeegggggggghh..iiiiiiiiiiiijjkk.lllllll"
    "lllnnnnnn...oooooooorrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzzs";

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// Appends c unless it repeats the last letter appended (runs of one
// letter count once).
struct RunWriter {
  char* out;
  size_t n = 0;
  void Put(char c) {
    if (n == 0 || out[n - 1] != c) out[n++] = c;
  }
};

}  // namespace

// Three passes over buffers on the stack (a word of up to 64 bytes; longer
// ones on the heap): letters, sounds, key. A new word of a cross-language
// run takes this once (crosslingual.cc, NameOrWord); it was three strings,
// a table of rules searched at each letter and two more passes, 6 % of
// the extra time of a run on new text.
std::string NameKey(std::string_view word) {
  constexpr size_t kStack = 64;
  char stack[5 * kStack];  // letters, then sounds (x is ks: twice as many), then the key
  std::unique_ptr<char[]> heap;
  char* letters = stack;
  if (word.size() > kStack) {
    heap = std::make_unique<char[]>(5 * word.size());
    letters = heap.get();
  }
  // Letters a-z, accented ones as their base letter.
  size_t n = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    if (c >= 'a' && c <= 'z') {
      letters[n++] = static_cast<char>(c);
      continue;
    }
    // Apostrophes and quotes are signs of romanized Cyrillic (ь, ъ:
    // zelens'kiy, bayd"n) or elisions (o'brien): no letter.
    if (c == '\'' || c == '"') continue;
    const auto next = i + 1 < word.size() ? static_cast<unsigned char>(word[i + 1]) : 0;
    if (c == 0xCC && next == 0x87) {  // U+0307, left by case-folding İ
      ++i;
      continue;
    }
    if (c == 0xC8 && (next == 0x98 || next == 0x99 || next == 0x9A || next == 0x9B)) {
      letters[n++] = next <= 0x99 ? 's' : 't';  // Romanian ș ț (and capitals)
      ++i;
      continue;
    }
    // Two bytes of U+00C0-U+017F: its base letter (ç is c, ł is l).
    const uint32_t cp = (c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < word.size()
                            ? ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(word[i + 1]) & 0x3Fu)
                            : 0;
    if (cp < 0xC0 || kLatinBase[cp - 0xC0] == '.') return "";  // not a letter
    letters[n++] = kLatinBase[cp - 0xC0];
    ++i;
  }
  // A soft c is an s (Nice, Valencia); the hard c is a k, below.
  for (size_t i = 0; i + 1 < n; ++i) {
    const char next = letters[i + 1];
    if (letters[i] == 'c' && (next == 'e' || next == 'i' || next == 'y')) letters[i] = 's';
  }
  // Spellings of one sound, read left to right, the longest first at each
  // letter: shch sch sh -> s, tch -> k, ts tz -> s, th -> t, dzh dj zh -> j,
  // kh -> h, ch ck c -> k, ph -> f, gh -> g, qu q -> k, x -> ks, w -> v,
  // y -> i, z -> s. Runs of one sound count once.
  const std::string_view s(letters, n);
  RunWriter sounds{letters + n};
  for (size_t i = 0; i < n;) {
    const std::string_view rest = s.substr(i);
    const char c = s[i];
    char sound = c;
    size_t taken = 1;
    auto spelt = [&](std::string_view spelling, char as) {
      if (!rest.starts_with(spelling)) return false;
      sound = as;
      taken = spelling.size();
      return true;
    };
    switch (c) {
      case 's': spelt("shch", 's') || spelt("sch", 's') || spelt("sh", 's'); break;
      case 't': spelt("tch", 'k') || spelt("ts", 's') || spelt("tz", 's') || spelt("th", 't'); break;
      case 'd': spelt("dzh", 'j') || spelt("dj", 'j'); break;
      case 'z': spelt("zh", 'j') || (sound = 's'); break;
      case 'k': spelt("kh", 'h'); break;
      case 'c': spelt("ch", 'k') || spelt("ck", 'k') || (sound = 'k'); break;
      case 'p': spelt("ph", 'f'); break;
      case 'g': spelt("gh", 'g'); break;
      case 'q': spelt("qu", 'k') || (sound = 'k'); break;
      case 'x': sounds.Put('k'); sound = 's'; break;
      case 'w': sound = 'v'; break;
      case 'y': sound = 'i'; break;
      default: break;
    }
    sounds.Put(sound);
    i += taken;
  }
  // The key: l as r, v as b, f as p, no h, an n before b, p or m (or v,
  // read as b) as m (ハンプトン hanputon, Hampton); vowels only first.
  RunWriter key{sounds.out + sounds.n};
  for (size_t i = 0; i < sounds.n; ++i) {
    char c = sounds.out[i];
    const char next = i + 1 < sounds.n ? sounds.out[i + 1] : 0;
    switch (c) {
      case 'l': c = 'r'; break;
      case 'v': c = 'b'; break;
      case 'f': c = 'p'; break;
      case 'h': continue;
      case 'n': c = next == 'b' || next == 'p' || next == 'v' || next == 'm' ? 'm' : 'n'; break;
      default: break;
    }
    if (key.n > 0 && IsVowel(c)) continue;  // the first letter stays
    key.Put(c);
  }
  return std::string(key.out, key.n);
}

}  // namespace neardup
