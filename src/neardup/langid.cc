#include "neardup/langid.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <cstdio>  // before CLD2's header, which uses FILE without including it

#include <cld2/public/compact_lang_det.h>
#include <unicode/locid.h>
#include <unicode/uloc.h>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "neardup/ascii_words.h"

namespace neardup {
namespace {

// Decodes the code point at s[i] (valid UTF-8) and advances i.
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto c = static_cast<unsigned char>(s[*i]);
  if (c < 0x80) {
    *i += 1;
    return c;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  uint32_t cp = c & (0x3F >> (len - 1));
  for (int k = 1; k < len && *i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += len;
  return cp;
}

enum Script { kLatin, kKana, kHan, kHangul, kCyrillic, kGreek, kArabic,
              kHebrew, kThai, kDevanagari, kBengali, kOtherScripts };

// Scripts that one language writes nearly alone (session 19; before, their
// text was "und" unless Latin words around it sent it to CLD2): the
// script's block, the languages written in it, the first one its text is
// taken for. In the order of their blocks.
struct OneLanguageScript {
  uint32_t first, last;  // code points, inclusive
  std::array<std::string_view, 2> langs;  // "" for none
};
const OneLanguageScript kOneLanguageScripts[] = {
    {0x530, 0x58F, {"hy"}},         // Armenian
    {0xA00, 0xA7F, {"pa"}},         // Gurmukhi
    {0xA80, 0xAFF, {"gu"}},         // Gujarati
    {0xB00, 0xB7F, {"or"}},         // Oriya
    {0xB80, 0xBFF, {"ta"}},         // Tamil
    {0xC00, 0xC7F, {"te"}},         // Telugu
    {0xC80, 0xCFF, {"kn"}},         // Kannada
    {0xD00, 0xD7F, {"ml"}},         // Malayalam
    {0xD80, 0xDFF, {"si"}},         // Sinhala
    {0xE80, 0xEFF, {"lo"}},         // Lao
    {0xF00, 0xFFF, {"bo", "dz"}},   // Tibetan
    {0x1000, 0x109F, {"my"}},       // Myanmar
    {0x10A0, 0x10FF, {"ka"}},       // Georgian
    {0x1200, 0x139F, {"am", "ti"}}, // Ethiopic
    {0x1780, 0x17FF, {"km"}},       // Khmer
};
constexpr int kNumScripts = kOtherScripts + static_cast<int>(std::size(kOneLanguageScripts));

int ScriptOf(uint32_t cp) {
  if (cp < 0x250) return (cp >= 'a' && cp <= 'z') || cp >= 0xC0 ? kLatin : -1;
  if (cp >= 0x370 && cp < 0x400) return kGreek;
  if (cp >= 0x400 && cp < 0x530) return kCyrillic;
  if (cp >= 0x590 && cp < 0x600) return kHebrew;
  if (cp >= 0x600 && cp < 0x700) return kArabic;
  if (cp >= 0xE00 && cp < 0xE80) return kThai;
  if (cp >= 0x900 && cp < 0x980) return kDevanagari;
  if (cp >= 0x980 && cp < 0xA00) return kBengali;
  if ((cp >= 0x3040 && cp < 0x3100) || (cp >= 0x31F0 && cp < 0x3200) ||
      (cp >= 0xFF66 && cp < 0xFFA0)) {
    return kKana;
  }
  if ((cp >= 0x3400 && cp < 0xA000) || (cp >= 0xF900 && cp < 0xFB00) ||
      (cp >= 0x20000 && cp < 0x30000)) {
    return kHan;
  }
  if (cp >= 0xAC00 && cp < 0xD7B0) return kHangul;
  for (size_t k = 0; k < std::size(kOneLanguageScripts); ++k) {
    if (cp < kOneLanguageScripts[k].first) break;
    if (cp <= kOneLanguageScripts[k].last) return kOtherScripts + static_cast<int>(k);
  }
  return -1;
}

struct Profile {
  const char* lang;
  std::initializer_list<const char*> words;
};

// Frequent function words; overlaps between languages are fine, the
// counts decide.
const Profile kProfiles[] = {
    {"en", {"the", "of", "and", "to", "in", "is", "that", "for", "it", "with",
            "as", "was", "on", "are", "be", "this", "by", "you", "not", "or",
            "from", "at", "which", "have", "an", "they", "can", "if", "will",
            "a", "i", "we", "he", "she", "there", "their", "has", "had",
            "were", "been", "all", "would", "what", "so", "about", "more",
            "few", "some", "when", "your", "its", "into", "than", "them"}},
    {"de", {"der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich",
            "des", "auf", "für", "ist", "im", "dem", "nicht", "ein", "eine",
            "als", "auch", "es", "an", "werden", "aus", "er", "hat", "dass",
            "sie", "nach", "wird", "bei", "oder", "wenn", "kann", "sind"}},
    {"fr", {"de", "la", "le", "et", "les", "des", "en", "un", "du", "une",
            "que", "est", "pour", "qui", "dans", "par", "sur", "pas", "au",
            "avec", "ce", "il", "sont", "ou", "vous", "peut", "cette", "aux",
            "être", "si", "ne"}},
    {"it", {"di", "e", "il", "la", "che", "in", "per", "un", "del", "della",
            "una", "non", "sono", "con", "le", "si", "da", "dei", "al", "è",
            "gli", "come", "nel", "alla", "anche", "delle", "questo", "più",
            "può", "essere", "se", "o"}},
    {"es", {"de", "la", "que", "el", "en", "y", "los", "del", "se", "las",
            "por", "un", "para", "con", "no", "una", "su", "al", "es", "lo",
            "como", "más", "pero", "sus", "le", "ya", "o", "este", "puede",
            "si", "entre", "cuando", "también"}},
    {"pt", {"de", "a", "o", "que", "e", "do", "da", "em", "um", "para", "é",
            "com", "não", "uma", "os", "no", "se", "na", "por", "mais", "as",
            "dos", "como", "mas", "ao", "ele", "das", "à", "seu", "sua", "ou",
            "pode", "você", "também", "são"}},
    {"nl", {"de", "van", "een", "het", "en", "in", "is", "dat", "op", "te",
            "zijn", "voor", "met", "niet", "aan", "er", "om", "ook", "als",
            "bij", "of", "door", "kan", "wordt", "deze", "u", "naar", "dan"}},
};

// The bytes of w (1-8 of them) in one integer, the rest zero: two loads
// that may overlap, not a copy of variable length (a call).
uint64_t PackBytes(std::string_view w) {
  const char* p = w.data();
  const size_t n = w.size();
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return a | (uint64_t{b} << (8 * (n - 4)));
  }
  if (n >= 2) {
    uint16_t a, b;
    std::memcpy(&a, p, 2);
    std::memcpy(&b, p + n - 2, 2);
    return a | (uint64_t{b} << (8 * (n - 2)));
  }
  return static_cast<unsigned char>(p[0]);
}

// Of the 8 bytes in k, all below 0x80, how many are a-z: a byte's top bit
// set by adding 0x80 - 'a' (it is 'a' or above) and not by adding 0x80 -
// ('z' + 1) (it is 'z' or below). No sum carries into the next byte.
int LowerAsciiLetters(uint64_t k) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kTops = 0x8080808080808080ull;
  const uint64_t from_a = k + (0x80 - 'a') * kOnes;
  const uint64_t past_z = k + (0x80 - 'z' - 1) * kOnes;
  // One top bit per byte that is a letter: summed into the top byte by a
  // multiply (no popcount instruction in the portable build).
  return static_cast<int>((((from_a & ~past_z & kTops) >> 7) * kOnes) >> 56);
}

// Function words → the profiles that list them, keyed by their bytes in
// one integer: every word is 8 bytes or fewer ("también"), so a token
// longer than that is no function word, and a shorter one is found by one
// multiply and a probe or two. (GuessLanguage took a third of the
// processor time of a same-language run of untagged text, 6 % in the
// string hashing of the hash map this replaced.)
class FunctionWords {
 public:
  static constexpr size_t kMaxBytes = 8;
  FunctionWords() {
    for (size_t p = 0; p < std::size(kProfiles); ++p) {
      for (std::string_view w : kProfiles[p].words) {
        if (w.empty() || w.size() > kMaxBytes) {  // a word added to kProfiles
          std::fprintf(stderr, "langid: function word '%s' is not 1-8 bytes\n", w.data());
          std::abort();
        }
        Slot& s = SlotFor(PackBytes(w), w.size());
        s.key = PackBytes(w);
        s.size = static_cast<uint8_t>(w.size());
        s.profiles |= 1u << p;
      }
    }
  }
  // The bit set of the profiles that list the word of `size` bytes (1 to
  // kMaxBytes) whose PackBytes is `key` (0: none).
  uint32_t Profiles(uint64_t key, size_t size) const { return SlotFor(key, size).profiles; }

 private:
  struct Slot {
    uint64_t key = 0;
    uint8_t size = 0;  // 0: empty
    uint32_t profiles = 0;
  };
  static constexpr int kBits = 10;  // 1024 slots for about 200 words
  // The slot of (key, size), or the empty slot where it would go.
  template <typename Self>
  static auto& SlotIn(Self& self, uint64_t key, size_t size) {
    size_t i = ((key ^ size) * 0x9E3779B97F4A7C15ull) >> (64 - kBits);
    while (self.slots_[i].size != 0 &&
           (self.slots_[i].key != key || self.slots_[i].size != size)) {
      i = (i + 1) & ((size_t{1} << kBits) - 1);
    }
    return self.slots_[i];
  }
  Slot& SlotFor(uint64_t key, size_t size) { return SlotIn(*this, key, size); }
  const Slot& SlotFor(uint64_t key, size_t size) const { return SlotIn(*this, key, size); }
  std::array<Slot, size_t{1} << kBits> slots_{};
};

const FunctionWords& ProfileIndex() {
  static const auto* index = new FunctionWords;
  return *index;
}

// CLD2's guess (for Latin, Cyrillic, Arabic or Devanagari text), as a tag of ours, or "" when it
// does not know or is not sure.
std::string Cld2Language(std::string_view text) {
  constexpr size_t kMaxBytes = 1 << 10;
  size_t n = std::min(text.size(), kMaxBytes);
  // Cut at a code point boundary.
  while (n < text.size() && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  bool reliable = false;
  const CLD2::Language lang =
      CLD2::DetectLanguage(text.data(), static_cast<int>(n), /*is_plain_text=*/true, &reliable);
  // Unreliable guesses (short texts: two Russian words come back "en")
  // leave the decision to the script and the function words.
  if (lang == CLD2::UNKNOWN_LANGUAGE || !reliable) return "";
  std::string_view code = CLD2::LanguageCode(lang);
  // CLD2 keeps a few withdrawn ISO 639-1 codes.
  if (code == "iw") code = "he";
  if (code == "jw") code = "jv";
  return NormalizeLanguageTag(code);
}

// CLD2 reads a document's first KiB, the script counts cover all of it: a
// Russian text that opens with an English paragraph must not be English.
// Languages CLD2 may name for Cyrillic text.
bool IsCyrillicLanguage(std::string_view lang) {
  for (std::string_view l : {"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg", "tt",
                             "ba", "cv", "ab", "os", "ce"}) {
    if (lang == l) return true;
  }
  return false;
}

// Letters and words of each script in a document's tokens, and its
// function words of each profile.
struct ScriptCounts {
  std::array<size_t, kNumScripts> letters{};
  std::array<size_t, kNumScripts> words{};  // tokens, by their first letter
  size_t total = 0;                         // letters of any script above
  size_t accented = 0;                      // Latin letters beyond ASCII
  bool ukrainian_letters = false;           // і ї є ґ: Ukrainian, not Russian
  size_t esperanto_letters = 0;             // ĉ ĝ ĥ ĵ ŝ: Esperanto's alone
  size_t u_breve = 0;                       // ŭ: Esperanto's, and others'
  bool not_esperanto = false;               // ŏ or ł: ŭ is not Esperanto's
  // Tokens that are function words of each profile (kProfiles).
  std::array<size_t, std::size(kProfiles)> function_words{};
};

ScriptCounts CountScripts(const TokenList& tokens) {
  ScriptCounts c;
  const FunctionWords& function_words = ProfileIndex();
  for (size_t t = 0; t < tokens.size(); ++t) {
    const std::string_view tok = tokens[t];
    // A token of 8 bytes or fewer (most of most text) in one integer: a
    // function word or not, and if it is ASCII alone, its letters at once.
    if (!tok.empty() && tok.size() <= FunctionWords::kMaxBytes) {
      const uint64_t k = PackBytes(tok);
      if (const uint32_t profiles = function_words.Profiles(k, tok.size()); profiles != 0) {
        for (size_t p = 0; p < std::size(kProfiles); ++p) {
          c.function_words[p] += (profiles >> p) & 1;
        }
      }
      if ((k & 0x8080808080808080ull) == 0) {
        const int n = LowerAsciiLetters(k);
        c.letters[kLatin] += n;
        c.words[kLatin] += n > 0;
        continue;
      }
    }
    // The token's ASCII start, most often all of it, without branches: a
    // byte below 0x80 is a Latin letter if it is a-z (tokens are lower
    // case), else no letter.
    size_t i = 0, ascii_letters = 0;
    for (; i < tok.size() && static_cast<unsigned char>(tok[i]) < 0x80; ++i) {
      ascii_letters += static_cast<unsigned char>(tok[i] - 'a') < 26;
    }
    c.letters[kLatin] += ascii_letters;
    c.words[kLatin] += ascii_letters > 0;
    bool first = ascii_letters == 0;
    while (i < tok.size()) {
      const uint32_t cp = NextCodePoint(tok, &i);
      const int s = ScriptOf(cp);
      if (s >= 0) ++c.letters[s];
      if (s >= 0 && first) {
        ++c.words[s];
        first = false;
      }
      if (cp >= 0xC0 && cp < 0x250) ++c.accented;
      if (cp == 0x456 || cp == 0x457 || cp == 0x454 || cp == 0x491) {
        c.ukrainian_letters = true;
      }
      if (cp == 0x109 || cp == 0x11D || cp == 0x125 || cp == 0x135 || cp == 0x15D) {
        ++c.esperanto_letters;
      }
      if (cp == 0x16D) ++c.u_breve;
      // McCune-Reischauer Korean (Chosŏn) and Belarusian Łacinka write ŭ too.
      if (cp == 0x14F || cp == 0x142) c.not_esperanto = true;
    }
  }
  for (size_t n : c.letters) c.total += n;
  return c;
}

// The text's script: kana when a tenth of the letters or more are kana
// (Japanese, even when Han characters outnumber it); else the script of
// the most words, not letters (a Chinese word is one or two characters,
// an English one five letters, and a Chinese man page keeps its options
// and examples in English). -1 without letters.
// The script with the most words (Latin on a tie).
int MostWords(const std::array<size_t, kNumScripts>& words) {
  int best = kLatin;
  for (int s = 0; s < kNumScripts; ++s) {
    if (words[s] > words[best]) best = s;
  }
  return best;
}

int MainScript(const ScriptCounts& c) {
  if (c.total == 0) return -1;
  if (c.letters[kKana] * 10 >= c.total && c.letters[kKana] > 0) return kKana;
  return MostWords(c.words);
}

// Whether `lang` is written in `script` (not Latin, which any language may
// be romanized in).
bool WrittenIn(std::string_view lang, int script) {
  auto any = [&](std::initializer_list<std::string_view> langs) {
    return std::find(langs.begin(), langs.end(), lang) != langs.end();
  };
  switch (script) {
    case kKana: return lang == "ja";
    case kHan: return any({"zh", "ja", "ko"});
    case kHangul: return lang == "ko";
    // Uzbek, Azerbaijani and Turkmen are written in Cyrillic too.
    case kCyrillic: return IsCyrillicLanguage(lang) || any({"uz", "az", "tk"});
    case kGreek: return lang == "el";
    case kArabic: return any({"ar", "fa", "ur", "ps", "ku", "ug", "sd"});
    case kHebrew: return any({"he", "yi"});
    case kThai: return lang == "th";
    case kDevanagari: return any({"hi", "mr", "ne", "sa"});
    case kBengali: return any({"bn", "as"});
    default:
      if (script >= kOtherScripts && script < kNumScripts) {
        const auto& langs = kOneLanguageScripts[script - kOtherScripts].langs;
        return !lang.empty() && std::find(langs.begin(), langs.end(), lang) != langs.end();
      }
      return true;
  }
}

}  // namespace

bool TagFitsText(std::string_view lang, const TokenList& tokens) {
  // Words by the script of their first letter: one byte looked at for the
  // ASCII ones, which most are (counting every letter, as GuessLanguage
  // does, cost 7 % of a run), and without making each token's view: c100k's
  // English documents with a curly quote or an accented name scan half
  // their tokens here (this function and its views 59 -> 46 ms).
  // Latin words past half of all tokens are the most whatever follows:
  // the tag fits (an English text with a few accented words stops halfway).
  std::array<size_t, kNumScripts> words{};
  for (size_t t = 0; t < tokens.size(); ++t) {
    const unsigned char c = tokens.first_byte(t);  // 0: an empty token
    if (c < 0x80) {
      words[kLatin] += c >= 'a' && c <= 'z';
      if (2 * words[kLatin] > tokens.size()) return true;
      continue;
    }
    size_t i = 0;
    const int s = ScriptOf(NextCodePoint(tokens[t], &i));
    if (s >= 0) ++words[s];
  }
  const int main = MostWords(words);
  return main == kLatin || WrittenIn(lang, main);
}

std::string DocumentLanguage(std::string_view tag, std::string_view text,
                             const TokenList& tokens, bool cross_language, bool* guessed,
                             std::string* set_aside) {
  // Only translations depend on the language: without them, tags stand and
  // the guess is the cheap one (CLD2 would cost 40 % of a run of untagged
  // text). ASCII text is Latin: it fits any tag, and most text is ASCII.
  if (!tag.empty() && cross_language && FindNonAscii(text, 0) < text.size() &&
      !TagFitsText(tag, tokens)) {
    if (set_aside != nullptr) set_aside->assign(tag);
    tag = {};
  }
  if (guessed != nullptr) *guessed = tag.empty();
  if (!tag.empty()) return std::string(tag);
  return GuessLanguage(text, tokens, cross_language);
}

std::string GuessLanguage(std::string_view text, const TokenList& tokens, bool use_cld2) {
  const ScriptCounts counts = CountScripts(tokens);
  const auto& script = counts.letters;
  const size_t total = counts.total;
  const size_t accented = counts.accented;
  const bool ukrainian_letters = counts.ukrainian_letters;
  const int best = MainScript(counts);
  if (best < 0) return "und";
  switch (best) {
    case kHan: return "zh";
    case kKana: return "ja";
    case kHangul: return "ko";
    case kCyrillic: {
      std::string lang = use_cld2 ? Cld2Language(text) : "";
      if (IsCyrillicLanguage(lang)) return lang;
      return ukrainian_letters ? "uk" : "ru";
    }
    case kGreek: return "el";
    // Arabic script writes Persian and Urdu too, Devanagari Marathi and
    // Nepali: CLD2 tells them apart, else the script's commonest language.
    case kArabic: {
      std::string lang = use_cld2 ? Cld2Language(text) : "";
      return lang == "fa" || lang == "ur" || lang == "ps" || lang == "ku" ? lang : "ar";
    }
    case kDevanagari: {
      std::string lang = use_cld2 ? Cld2Language(text) : "";
      return lang == "mr" || lang == "ne" ? lang : "hi";
    }
    case kBengali: return "bn";
    case kHebrew: return "he";
    case kThai: return "th";
    default:
      if (best >= kOtherScripts) {
        return std::string(kOneLanguageScripts[best - kOtherScripts].langs[0]);
      }
      break;
  }
  // Latin: the profile with the most function words.
  const auto& hits = counts.function_words;
  size_t top = 0;
  for (size_t p = 1; p < hits.size(); ++p) {
    if (hits[p] > hits[top]) top = p;
  }
  // Plain English needs no CLD2: English function words a quarter of the
  // words or more, no other script, an accented letter in a thousand at
  // most (a name such as Müller). A text that mixes English with another
  // Latin-script language has that language's accents, and CLD2 then names
  // the other language, as it should (it reads a text three quarters
  // English and one Czech as Czech).
  const bool plain_english = top == 0 && hits[0] >= 3 && hits[0] * 4 >= tokens.size() &&
                             script[kLatin] == total && accented * 1000 <= total;
  // Esperanto, which CLD2 does not know (it read the UDHR's as Spanish,
  // Croatian, French or Italian): its six letters with a circumflex or a
  // breve, 1-6 % of the letters of its UDHR articles and in no other
  // language's text of the held-out sets; 1 % is required (a name such as
  // Ŝimon in a paragraph of another language stays below). ŭ counts only
  // in text without ŏ or ł (Korean romanized, Belarusian in Latin letters).
  // (With --fold-diacritics the letters are folded away: CLD2 decides.)
  const size_t esperanto =
      counts.esperanto_letters + (counts.not_esperanto ? 0 : counts.u_breve);
  if (esperanto > 0 && esperanto * 100 >= script[kLatin]) return "eo";
  if (use_cld2 && !plain_english) {
    std::string lang = Cld2Language(text);
    // CLD2 tells Bosnian, Croatian and Serbian in Latin script apart by
    // chance (Croatian pages come back "bs"), and one of them taken for
    // another would pair with its own translation's siblings: all are hr.
    if (lang == "bs" || lang == "sr") lang = "hr";
    // A language of a script the text has no letter of (its first KiB
    // aside) is not its language; a Russian page with more letters of
    // English commands than of Russian prose is still Russian.
    const auto none = [&](std::initializer_list<int> scripts) {
      for (int sc : scripts) {
        if (script[sc] > 0) return false;
      }
      return true;
    };
    const bool foreign = (IsCyrillicLanguage(lang) && none({kCyrillic})) ||
                         ((lang == "zh" || lang == "ja") && none({kHan, kKana})) ||
                         (lang == "ko" && none({kHangul})) || (lang == "el" && none({kGreek})) ||
                         (lang == "ar" && none({kArabic})) || (lang == "he" && none({kHebrew})) ||
                         (lang == "th" && none({kThai})) ||
                         ((lang == "hi" || lang == "mr" || lang == "ne") && none({kDevanagari})) ||
                         ((lang == "fa" || lang == "ur") && none({kArabic})) ||
                         (lang == "bn" && none({kBengali}));
    if (!lang.empty() && !foreign) return lang;
  }
  if (hits[top] < 2) return "und";
  return kProfiles[top].lang;
}

namespace {

// The languages ICU has locale data for (ast, yue, fil, de, ...).
bool HasIcuLocale(const std::string& lang) {
  static const absl::flat_hash_set<std::string> kLanguages = [] {
    absl::flat_hash_set<std::string> langs;
    for (int32_t i = 0; i < uloc_countAvailable(); ++i) {
      char buf[ULOC_LANG_CAPACITY];
      UErrorCode e = U_ZERO_ERROR;
      uloc_getLanguage(uloc_getAvailable(i), buf, sizeof buf, &e);
      if (U_SUCCESS(e)) langs.insert(buf);
    }
    return langs;
  }();
  return kLanguages.contains(lang);
}

// A three-letter code, or a deprecated two-letter one, through ICU's
// alias data (CLDR): deu, ger → de; zsm → ms; cmn → zh; iw → he; else
// itself.
std::string CanonicalLanguage(const std::string& code) {
  return icu::Locale::createCanonical(code.c_str()).getLanguage();
}

}  // namespace

std::string NormalizeLanguageTag(std::string_view tag) {
  std::string out;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  if ((out.size() != 2 && out.size() != 3) ||
      !std::all_of(out.begin(), out.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return "";
  }
  constexpr std::string_view kDeprecated[] = {"iw", "in", "ji", "jw", "mo", "sh", "tl"};
  if (out.size() == 3 || std::find(std::begin(kDeprecated), std::end(kDeprecated), out) !=
                             std::end(kDeprecated)) {
    // ICU's look-up costs about a microsecond: once per code and thread.
    thread_local absl::flat_hash_map<std::string, std::string> known;
    auto it = known.find(out);
    if (it == known.end()) {
      std::string lang = CanonicalLanguage(out);
      if (lang.size() != 2 && !HasIcuLocale(lang)) lang.clear();  // cjk, xxx: guessed
      it = known.emplace(out, std::move(lang)).first;
    }
    out = it->second;
  }
  if (out == "no") return "nb";
  return out;
}

}  // namespace neardup
