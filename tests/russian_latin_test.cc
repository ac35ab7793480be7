#include "neardup/russian_latin.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "neardup/normalize.h"

namespace neardup {
namespace {

// Russian's 33 letters, ё last, then the 14 of Ukrainian, Belarusian,
// Serbian and Macedonian that BGN leaves to Any-Latin.
const std::vector<std::string> kLetters = {
    "а", "б", "в", "г", "д", "е", "ж", "з", "и", "й", "к", "л", "м", "н", "о", "п",
    "р", "с", "т", "у", "ф", "х", "ц", "ч", "ш", "щ", "ъ", "ы", "ь", "э", "ю", "я",
    "ё", "ђ", "ѓ", "є", "ѕ", "і", "ї", "ј", "љ", "њ", "ћ", "ќ", "ў", "џ", "ґ"};
// What may stand between letters in a token (пам'ять, имя_пакета, т.д):
// ICU starts a word again after each.
const std::vector<std::string> kSeparators = {"'", "_", ".", "@", "\u2019"};

// Whether `word` holds one of kLetters.
bool HasLetter(const std::string& word) {
  return std::any_of(kLetters.begin(), kLetters.end(),
                     [&](const std::string& l) { return word.find(l) != std::string::npos; });
}

// ICU's output lower-cased, as crosslingual.cc lower-cases it.
std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return s;
}

// Calls check on every word of one to three of `symbols`, then on 60,000
// random words of 4 to 9 (seeded).
template <typename Check>
void ForEachWord(const std::vector<std::string>& symbols, uint32_t seed, const Check& check) {
  for (const std::string& a : symbols) {
    check(a);
    for (const std::string& b : symbols) {
      check(a + b);
      for (const std::string& c : symbols) check(a + b + c);
    }
  }
  std::mt19937 rng(seed);
  for (int w = 0; w < 60000; ++w) {
    std::string word;
    for (int n = 4 + static_cast<int>(rng() % 6); n > 0; --n) word += symbols[rng() % symbols.size()];
    check(word);
  }
}

TEST(RussianLatin, KnownWords) {
  std::string out;
  for (const auto& [word, latin] : std::vector<std::pair<std::string, std::string>>{
           {"путин", "putin"}, {"зеленского", "zelenskogo"}, {"ельцин", "yel'tsin"},
           {"объявил", "ob\"yavil"}, {"подъезд", "pod\"yezd"}, {"тсар", "t\u00B7sar"},
           {"шчука", "sh\u00B7chuka"}, {"семья", "sem'ya"}, {"ёлка", "yelka"},
           // Runs of vowels: ICU's first pass sees the letter before as it
           // left it (аее: the second е follows a rewritten ye).
           {"аее", "ayee"}, {"ее", "yeye"}, {"новые", "novyye"}, {"аэа", "aea"},
           {"київ", "kiiv"}, {"ђорђе", "dorde"}, {"європа", "evropa"}, {"љубљана", "lublana"},
           {"пам'яті", "pam'yati"}, {"об\u2019єм", "ob'em"}, {"т.е", "t.ye"},
           // Parts of ASCII and Latin letters between separators.
           {"файл_shadow", "fayl_shadow"}, {"шрифтом@t", "shriftom@t"},
           {"t_е", "t_ye"}, {"назив_датотеке.ext", "naziv_datoteke.ext"}}) {
    ASSERT_TRUE(RussianToLatin(word, &out)) << word;
    EXPECT_EQ(out, latin) << word;
  }
  // Left to ICU: capitals, other letters (Kazakh қ), Latin or digits
  // beside Cyrillic in one part, no Cyrillic letter at all.
  for (const char* other : {"", "Путин", "қазақ", "abc", "поэт1", "а б", "'", "._", "shadowмають",
                            "tсx", "x_ǝ_б"}) {
    EXPECT_FALSE(RussianToLatin(other, &out)) << other;
  }
}

// The same letters as ICU's transform, for every word of up to three
// letters and separators and 60,000 random words of 4 to 9 (a throwaway
// check also found every Russian word of four letters alike: 1,185,921).
TEST(RussianLatin, SpellsAsIcuDoes) {
  auto icu = Transliterator::Create("Russian-Latin/BGN; Any-Latin; Latin-ASCII");
  ASSERT_TRUE(icu.ok()) << icu.status();
  std::string ours;
  size_t checked = 0;
  std::vector<std::string> symbols = kLetters;
  symbols.insert(symbols.end(), kSeparators.begin(), kSeparators.end());
  size_t without_letters = 0;
  ForEachWord(symbols, 23, [&](const std::string& word) {
    const bool letters = HasLetter(word);
    ASSERT_EQ(RussianToLatin(word, &ours), letters) << word;
    if (!letters) {
      ++without_letters;
      return;
    }
    ASSERT_EQ(ours, (*icu)->Apply(word)) << word;
    ++checked;
  });
  EXPECT_EQ(checked + without_letters, 52u + 52 * 52 + 52 * 52 * 52 + 60000);
  EXPECT_LT(without_letters, 200u);
}

// Tokens of Cyrillic parts and parts of ASCII and Latin letters between
// separators (файл_shadow): ICU spells each part as it spells it alone,
// and starts a word again after each separator. 60,000 random tokens of
// 1 to 4 parts.
TEST(RussianLatin, SpellsLatinPartsAsIcuDoes) {
  auto icu = Transliterator::Create("Russian-Latin/BGN; Any-Latin; Latin-ASCII");
  ASSERT_TRUE(icu.ok()) << icu.status();
  const std::vector<std::string> latin = {"a", "t", "z", "q", "1", "0", "-", "#", "é",
                                          "ß", "ł", "ø", "A", "Ž", "ŉ", "æ"};
  std::mt19937 rng(41);
  std::string ours;
  size_t with_latin = 0;
  for (int w = 0; w < 60000; ++w) {
    std::string word;
    bool cyrillic = false, any_latin = false;
    for (int part = 0, parts = 1 + static_cast<int>(rng() % 4); part < parts; ++part) {
      if (part > 0) word += kSeparators[rng() % kSeparators.size()];
      const bool is_latin = rng() % 2 == 0;
      for (int n = 1 + static_cast<int>(rng() % 5); n > 0; --n) {
        word += is_latin ? latin[rng() % latin.size()] : kLetters[rng() % kLetters.size()];
      }
      cyrillic = cyrillic || !is_latin;
      any_latin = any_latin || is_latin;
    }
    ASSERT_EQ(RussianToLatin(word, &ours), cyrillic) << word;
    if (!cyrillic) continue;
    ASSERT_EQ(ours, Lower((*icu)->Apply(word))) << word;
    with_latin += any_latin;
  }
  EXPECT_GT(with_latin, 20000u);
}

// A token that starts in Latin and holds Cyrillic letters (ltред, cпроц)
// is spelled as "Any-Latin; Latin-ASCII" spells it: every word of up to
// three of the 47 letters, ASCII letters, digits and signs, then 60,000
// random ones of 4 to 9 with Latin letters too.
TEST(RussianLatin, CyrillicLatinSpellsAsIcuDoes) {
  auto icu = Transliterator::Create("Any-Latin; Latin-ASCII");
  ASSERT_TRUE(icu.ok()) << icu.status();
  std::vector<std::string> symbols = kLetters;
  for (const char* other : {"a", "t", "Z", "5", "_", "@", ".", "'", "-", "é", "ł", "ß"}) {
    symbols.push_back(other);
  }
  std::string ours;
  size_t checked = 0;
  ForEachWord(symbols, 41, [&](const std::string& word) {
    const bool letters = HasLetter(word);
    ASSERT_EQ(CyrillicLatinToAscii(word, &ours), letters) << word;
    if (!letters) return;
    ASSERT_EQ(ours, Lower((*icu)->Apply(word))) << word;
    ++checked;
  });
  EXPECT_GT(checked, 150000u);
  EXPECT_TRUE(CyrillicLatinToAscii("ltред", &ours));
  EXPECT_EQ(ours, "ltred");
  EXPECT_FALSE(CyrillicLatinToAscii("abc", &ours));
  EXPECT_FALSE(CyrillicLatinToAscii("a\u00B7б", &ours));  // · is not ICU's ASCII
}

}  // namespace
}  // namespace neardup
