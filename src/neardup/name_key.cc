#include "neardup/name_key.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <cstdint>
#include <utility>
#include <vector>

namespace neardup {
namespace {

// Keeps the first of each run of one letter.
void CollapseRuns(std::string* s) {
  size_t n = 0;
  for (size_t i = 0; i < s->size(); ++i) {
    if (n == 0 || (*s)[n - 1] != (*s)[i]) (*s)[n++] = (*s)[i];
  }
  s->resize(n);
}

// The base letter of U+00C0-U+017F (Latin-1 and Latin Extended-A), '.'
// for the signs among them (×, ÷).
constexpr std::string_view kLatinBase =
    "aaaaaaaceeeeiiiidnooooo.ouuuuytsaaaaaaaceeeeiiiidnooooo.ouuuuyty"
    "aaaaaaccccccccddddeeeeeeeeeegggggggghh..iiiiiiiiiiiijjkk.lllllll"
    "lllnnnnnn...oooooooorrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzzs";

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

}  // namespace

std::string NameKey(std::string_view word) {
  std::string s;
  for (size_t i = 0; i < word.size(); ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    if (c >= 'a' && c <= 'z') {
      s.push_back(static_cast<char>(c));
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
      s.push_back(next <= 0x99 ? 's' : 't');  // Romanian ș ț (and capitals)
      ++i;
      continue;
    }
    // Two bytes of U+00C0-U+017F: its base letter (ç is c, ł is l).
    const uint32_t cp = (c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < word.size()
                            ? ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(word[i + 1]) & 0x3Fu)
                            : 0;
    if (cp < 0xC0 || kLatinBase[cp - 0xC0] == '.') return "";  // not a letter
    s.push_back(kLatinBase[cp - 0xC0]);
    ++i;
  }
  // A soft c is an s (Nice, Valencia); the hard c is a k, below.
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    const char next = s[i + 1];
    if (s[i] == 'c' && (next == 'e' || next == 'i' || next == 'y')) s[i] = 's';
  }
  // Spellings of one sound, read left to right, the longest first at
  // each letter (shch before sh, dzh before zh); a hard c is a k.
  static constexpr std::pair<std::string_view, std::string_view> kSpellings[] = {
      {"shch", "s"}, {"sch", "s"}, {"tch", "k"}, {"dzh", "j"}, {"dj", "j"}, {"zh", "j"},
      {"kh", "h"},   {"ch", "k"},  {"sh", "s"},  {"ts", "s"},  {"tz", "s"}, {"ph", "f"},
      {"th", "t"},   {"ck", "k"},  {"gh", "g"},  {"qu", "k"},  {"q", "k"},  {"x", "ks"},
      {"w", "v"},    {"y", "i"},   {"z", "s"},   {"c", "k"}};
  // The rules by their first letter, in the order above: a word's letters
  // are a-z here, and most letters start no rule (this was a scan of all
  // 22 rules at each letter, the most of NameKey's time).
  using Rule = std::pair<std::string_view, std::string_view>;
  static const std::array<std::vector<Rule>, 26> kByLetter = [] {
    std::array<std::vector<Rule>, 26> by;
    for (const Rule& r : kSpellings) by[r.first[0] - 'a'].push_back(r);
    return by;
  }();
  std::string sounds;
  sounds.reserve(s.size() + 2);
  for (size_t i = 0; i < s.size();) {
    const std::string_view rest = std::string_view(s).substr(i);
    const std::vector<Rule>& rules = kByLetter[s[i] - 'a'];
    const auto rule = std::find_if(rules.begin(), rules.end(),
                                   [&](const Rule& r) { return rest.starts_with(r.first); });
    if (rule == rules.end()) {
      sounds.push_back(s[i++]);
    } else {
      sounds.append(rule->second);
      i += rule->first.size();
    }
  }
  s.swap(sounds);
  CollapseRuns(&s);
  std::string key;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : 0;
    switch (c) {
      case 'l': c = 'r'; break;
      case 'v': c = 'b'; break;
      case 'f': c = 'p'; break;
      case 'h': continue;
      // An n before b, p or m (or v, read as b) is an m (ハンプトン
      // hanputon, Hampton).
      case 'n': c = next == 'b' || next == 'p' || next == 'v' || next == 'm' ? 'm' : 'n'; break;
      default: break;
    }
    if (!key.empty() && IsVowel(c)) continue;  // the first letter stays
    key.push_back(c);
  }
  CollapseRuns(&key);
  return key;
}

}  // namespace neardup
