#include "neardup/normalize.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "neardup/ascii_words.h"

namespace neardup {

std::vector<std::string> TokenList::ToVector() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (size_t i = 0; i < size(); ++i) out.emplace_back((*this)[i]);
  return out;
}

bool IsValidUtf8(std::string_view s, size_t* bad_offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Skip ASCII eight bytes at a time.
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    if (i + len > n) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) {
        if (bad_offset) *bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

namespace {

inline bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

// Replaces typographic apostrophes with ASCII ones.
void FoldApostrophes(std::string* token) {
  // One pass, writing behind reading: every form is longer than "'".
  std::string& t = *token;
  size_t out = 0;
  for (size_t in = 0; in < t.size();) {
    const std::string_view rest = std::string_view(t).substr(in);
    if (rest.starts_with("\xE2\x80\x99") || rest.starts_with("\xE2\x80\x98")) {
      t[out++] = '\'';
      in += 3;
    } else if (rest.starts_with("\xCA\xBC")) {
      t[out++] = '\'';
      in += 2;
    } else {
      t[out++] = t[in++];
    }
  }
  t.resize(out);
}

class IcuTokenizer final : public Tokenizer {
 public:
  IcuTokenizer(const NormalizeOptions& options, const icu::Normalizer2* nfkc_cf,
               const icu::Normalizer2* nfd, const icu::Normalizer2* nfc,
               std::unique_ptr<icu::BreakIterator> words)
      : options_(options),
        nfkc_cf_(nfkc_cf),
        nfd_(nfd),
        nfc_(nfc),
        words_(std::move(words)) {
    const char* env = std::getenv("NEARDUP_NO_ASCII_FAST_PATH");
    if (env != nullptr && env[0] != '\0' && env[0] != '0') {
      options_.ascii_fast_path = false;
    }
  }

  void Tokenize(std::string_view text, TokenList* tokens) override {
    tokens->Clear();
    if (!options_.ascii_fast_path) {
      TokenizeWithIcu(text, tokens);
      return;
    }
    // Split at ASCII whitespace, where a word break always falls and
    // normalization cannot reach across. Stretches of pure-ASCII words
    // take the fast path (whitespace is just another non-word character
    // there); consecutive words with other characters go to ICU together.
    // Pure-ASCII text, most documents in most corpora, is one stretch.
    const size_t n = text.size();
    size_t pos = 0;  // text before pos is tokenized
    while (pos < n) {
      const size_t q = FindNonAscii(text, pos);
      if (q == n) {
        TokenizeAscii(text.substr(pos), tokens);
        return;
      }
      size_t begin = q;  // start of the word holding q
      while (begin > pos && !IsAsciiSpace(static_cast<unsigned char>(text[begin - 1]))) {
        --begin;
      }
      if (begin > pos) TokenizeAscii(text.substr(pos, begin - pos), tokens);
      size_t end = q;  // end of the last word of the ICU span
      while (end < n && !IsAsciiSpace(static_cast<unsigned char>(text[end]))) ++end;
      while (true) {
        size_t w = end;
        while (w < n && IsAsciiSpace(static_cast<unsigned char>(text[w]))) ++w;
        if (w >= n) break;
        size_t e = w;
        bool ascii = true;
        while (e < n && !IsAsciiSpace(static_cast<unsigned char>(text[e]))) {
          ascii &= static_cast<unsigned char>(text[e]) < 0x80;
          ++e;
        }
        if (ascii) break;
        end = e;
      }
      TokenizeWithIcu(text.substr(begin, end - begin), tokens);
      pos = end;
    }
  }

  std::string Normalize(std::string_view text) override {
    std::string out;
    NormalizeInto(text, &out);
    return out;
  }

 private:
  void NormalizeInto(std::string_view text, std::string* out) {
    out->clear();
    UErrorCode status = U_ZERO_ERROR;
    icu::StringByteSink<std::string> sink(out);
    nfkc_cf_->normalizeUTF8(0, icu::StringPiece(text.data(), text.size()),
                            sink, nullptr, status);
    if (U_FAILURE(status)) {
      out->assign(text);  // cannot happen on valid UTF-8; keep the text
    }
    if (options_.fold_diacritics) FoldDiacritics(out);
  }

  void FoldDiacritics(std::string* text) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString decomposed =
        nfd_->normalize(icu::UnicodeString::fromUTF8(*text), status);
    if (U_FAILURE(status)) return;
    icu::UnicodeString stripped;
    for (int32_t i = 0; i < decomposed.length();) {
      const UChar32 c = decomposed.char32At(i);
      if (u_charType(c) != U_NON_SPACING_MARK) stripped.append(c);
      i += U16_LENGTH(c);
    }
    icu::UnicodeString composed = nfc_->normalize(stripped, status);
    if (U_FAILURE(status)) return;
    text->clear();
    composed.toUTF8String(*text);
  }

  void TokenizeWithIcu(std::string_view text, TokenList* tokens) {
    NormalizeInto(text, &normalized_);
    UErrorCode status = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, normalized_.data(),
                   static_cast<int64_t>(normalized_.size()), &status);
    words_->setText(&ut, status);
    if (U_FAILURE(status)) {
      utext_close(&ut);
      return;
    }
    int32_t start = words_->first();
    int32_t last_end = -1;  // of the last token added here
    for (int32_t end = words_->next(); end != icu::BreakIterator::DONE;
         start = end, end = words_->next()) {
      if (words_->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
      scratch_.assign(normalized_, start, end - start);
      FoldApostrophes(&scratch_);
      tokens->Add(scratch_);
      if (start == last_end) tokens->MarkLastGlued();
      last_end = end;
    }
    utext_close(&ut);
  }

  NormalizeOptions options_;
  const icu::Normalizer2* nfkc_cf_;
  const icu::Normalizer2* nfd_;
  const icu::Normalizer2* nfc_;
  std::unique_ptr<icu::BreakIterator> words_;
  std::string normalized_;
  std::string scratch_;
};

}  // namespace

namespace {

class IcuTransliterator final : public Transliterator {
 public:
  explicit IcuTransliterator(std::unique_ptr<icu::Transliterator> t)
      : t_(std::move(t)) {}
  // One call at a time: ICU runs rule-based transforms under a lock of its
  // own anyway, and Any-Latin fills its cache of per-script transforms on
  // first use without one.
  std::string Apply(std::string_view utf8) const override {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    {
      std::lock_guard<std::mutex> lock(mu_);
      t_->transliterate(u);
    }
    std::string out;
    u.toUTF8String(out);
    return out;
  }

 private:
  std::unique_ptr<icu::Transliterator> t_;
  mutable std::mutex mu_;
};

// "Any-Latin; Latin-ASCII" one character at a time for words of Latin
// letters (accented words of Latin-script languages without a lexicon,
// Vietnamese, Basque), each character going through ICU once (ICU's
// rule-based transforms run one at a time in a process, at several µs a
// call); other words go through ICU whole. Any-Latin leaves Latin text
// alone, and Latin-ASCII is NFD, removal of combining marks after a Latin
// letter or digit, NFC, and one rule per character; so a word of
// Latin-script characters and no combining marks of its own comes out as
// its characters' results concatenated.
class AnyLatinAscii final : public Transliterator {
 public:
  explicit AnyLatinAscii(std::unique_ptr<Transliterator> whole) : whole_(std::move(whole)) {}

  std::string Apply(std::string_view utf8) const override {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    UErrorCode status = U_ZERO_ERROR;
    bool latin = u.length() > 0;
    for (int32_t i = 0; i < u.length() && latin;) {
      const UChar32 c = u.char32At(i);
      latin = uscript_getScript(c, &status) == USCRIPT_LATIN &&
              u_charType(c) != U_NON_SPACING_MARK;
      i += U16_LENGTH(c);
    }
    if (!latin || U_FAILURE(status)) return whole_->Apply(utf8);
    std::string out;
    std::lock_guard<std::mutex> lock(mu_);
    for (int32_t i = 0; i < u.length();) {
      const UChar32 c = u.char32At(i);
      i += U16_LENGTH(c);
      auto it = chars_.find(c);
      if (it == chars_.end()) {
        std::string one;
        icu::UnicodeString(c).toUTF8String(one);
        it = chars_.emplace(c, whole_->Apply(one)).first;
      }
      out.append(it->second);
    }
    return out;
  }

 private:
  std::unique_ptr<Transliterator> whole_;
  mutable std::mutex mu_;  // guards chars_
  mutable absl::flat_hash_map<UChar32, std::string> chars_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Transliterator>> Transliterator::Create(
    std::string_view icu_id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8(icu::StringPiece(
          icu_id.data(), static_cast<int32_t>(icu_id.size()))),
      UTRANS_FORWARD, status));
  if (U_FAILURE(status) || t == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("ICU has no transliterator '", std::string(icu_id),
                     "': ", u_errorName(status)));
  }
  std::unique_ptr<Transliterator> whole(new IcuTransliterator(std::move(t)));
  if (icu_id == "Any-Latin; Latin-ASCII") {
    return std::unique_ptr<Transliterator>(new AnyLatinAscii(std::move(whole)));
  }
  return whole;
}

absl::StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::Create(
    const NormalizeOptions& options) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("ICU could not be initialised: ", u_errorName(status)));
  }
  return std::unique_ptr<Tokenizer>(
      new IcuTokenizer(options, nfkc_cf, nfd, nfc, std::move(words)));
}

}  // namespace neardup
