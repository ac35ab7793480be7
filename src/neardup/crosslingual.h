// crosslingual: a language-independent representation of a document, and
// the rule that links translations.
//
// Pivot features. Each word becomes a feature that should be the same in a
// translation:
//   - a token with a digit is an anchor ("#r2", "#2025"), its commas
//     read as points, so that decimal and thousands separators agree
//     across languages (5,5 and 5.5; 1.250 and 1,250);
//   - English words (not stop words) become their Snowball stem;
//   - Latin-script words inside text of another script (names, product
//     names, commands) become their English stem;
//   - other words are looked up in the lexicon (built from Debian's
//     bilingual dictionaries by scripts/build-lexicon.py; docs/lexicon.md)
//     and become the English stem of their first gloss; Chinese goes
//     to EDICT as it is, then through traditional/Japanese character
//     variants (Unihan);
//   - words the lexicon lacks become the English stem of themselves (Latin
//     script: names, cognates, identifiers) or of their ICU romanization
//     (Cyrillic, kana, hangul); a Han word is itself, each character in
//     one spelling of its variants (zh_chars.tsv); Japanese particles
//     (hiragana-only tokens) are dropped;
//   - a stem that is not a common English word of the lexicon
//     (en_vocab.tsv: Putin, Biden, words no table has) is a name and
//     becomes its name key ("~bdn", name_key.h), so that its spellings in
//     other scripts meet; a Cyrillic case ending or a Korean particle is
//     taken off first. Han words are not keyed.
// A document's features form a set; weights (IDF over the corpus) are
// applied by the pipeline, which signs the set with a weighted MinHash.
//
// Linking (LinkTranslations): candidates from the pivot LSH index are
// scored by exact weighted Jaccard; a cross-language pair is kept when each
// document is the other's best match in the other's language and the score
// reaches a floor ("mutual best match"); pairs are then merged in
// decreasing score, refusing a merge that would put two documents of one
// language in a group unless they were already grouped by surface
// similarity. Why: same-language siblings (cos/sin man pages) are closer
// than translations, so thresholds plus union-find chain unrelated pages
// (docs/decisions.md, shared research).
//
// Thread-safety: Lexicon is immutable once loaded (share it);
// PivotFeaturizer holds stemmers (one per thread); the ICU transforms that
// romanize words are shared by all, each compiled at its first use.
#ifndef NEARDUP_CROSSLINGUAL_H_
#define NEARDUP_CROSSLINGUAL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <mutex>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "neardup/calibration.h"
#include "neardup/lsh.h"
#include "neardup/normalize.h"
#include "neardup/story.h"
#include "neardup/token_cache.h"

namespace neardup {

struct CrossLingualOptions {
  // Link translations across languages. Default: true.
  bool enabled = true;
  // Folder with the lexicon files. Default: empty, meaning the folder the
  // build wrote ($NEARDUP_LEXICON overrides it).
  std::string lexicon_dir;
  // Weighted Jaccard of pivot features a mutual best match must reach.
  // Default: 0.03.
  double floor = 0.03;
  // A mutual best match must score this many times each document's next
  // best candidate in the other's language (MutualBestMatches); 1 turns it
  // off. Default: 1.1 (measured 2026-12-04 on the held-out sets, each
  // also with one document per group: false pairs where no translation is
  // there fell by 10-60 % in eight of nine sets (dev 346 -> 216, news
  // 406 -> 334, GNOME 114 -> 87; history rose 31 -> 39), F1 with
  // translations there stayed within 0.004 except the UDHR's 0.986 ->
  // 0.975, whose articles share whole formulas).
  double margin = 1.1;
  // A translation link that joins two groups (one of two documents or
  // more) must be borne out by their other members (MembersAgree): the
  // best calibrated score among their other cross pairs at least this
  // times the link's own; 0 turns it off. Default: 0.3 (measured
  // 2026-12-04: false pairs where translations are missing fell in nine
  // of ten held-out sets, dev 247 -> 229, UDHR 57 -> 42, GNOME 87 -> 71,
  // press releases rose 334 -> 342; F1 with translations there within
  // 0.003, udhr-wide 0.747 -> 0.752).
  double agreement = 0.3;
  // Translations keep their numbers: a translation link between two
  // documents that each write at least 3 numbers (NumbersOf) needs at
  // least this share of the smaller set of numbers in the other; 0 turns
  // it off. Default: 0.5 (session 18: of the translation links made where
  // no translation is there, press-releases-one 100 -> 83, dev-one 71 ->
  // 58; false pairs Project-News-one 101 -> 35, history-one 31 -> 4; F1
  // with translations there unchanged but press releases 0.975 -> 0.977;
  // README, "The numbers rule").
  double numbers = 0.5;
  // A translation link between two languages of the lexicon's background
  // sample (calibration.h) must also reach this calibrated score against
  // the background's unrelated pairs of those languages alone. Why: a
  // large input is calibrated on its own pairs, and when some documents
  // are far from the input's domain (news among manuals), words common in
  // them are rare in the input and weigh heavily, so two unrelated
  // articles that share "market", "enterprise" and "announce" stand many
  // deviations above the input's random pairs. Against the fixed sample
  // they do not (z 1.2-1.4), while the seeds' weakest translation link, a
  // rewrite, stands at 3.6. Default: 1.5 (held-out sets within 0.002 of
  // no such rule; docs/performance.md).
  double background_z = 1.5;
  // A translation link must reach this calibrated score against the
  // input's own unrelated pairs of its two languages (calibration.h; the
  // score pairs.jsonl gives a link). At 0, a best match that scores no
  // better than an average unrelated pair is no translation, whatever its
  // margin: where pages of one manual share boilerplate in every language
  // (man pages of one package), a page whose translation is missing still
  // has a best match, below the average of its languages' pairs. Default: 0
  // (session 31: false pairs where no translation is there, man pages in
  // 24 languages 172 -> 113; the 52 eval runs otherwise unchanged. At 0.5,
  // false pairs fell in eight of nine such sets, dev 198 -> 120, but the
  // sets with half their translations lost F1: history 0.875 -> 0.855,
  // LibreOffice 0.983 -> 0.973, GNOME cut 0.967 -> 0.956;
  // docs/crosslingual.md).
  double input_z = 0;
  // The background rule: translation links as above, and a story link's
  // best pair (story.h) must reach the story level against the background
  // too: against its pairs of the two languages, or its pooled
  // cross-language pairs where it lacks either (session 28). Default:
  // true.
  bool background_rule = true;
  // Languages the background sample lacks whose translation links must
  // reach background_z all the same, against its pooled cross-language
  // pairs: languages glossed as fully as the background's own, whose true
  // translations stand at that level there too. Default: {"uk"}
  // (Ukrainian, glossed through the Russian tables; session 30: the 52
  // eval runs' F1 unchanged, and false pairs where no translation is there
  // fewer, GNOME 46 -> 39, GNOME cut 26 -> 20, GNOME in 41 languages 75 ->
  // 71; among c100k every set within 0.001. With Belarusian, glossed
  // through Russian by respelling, the 61-language UDHR lost 0.001; with
  // every language the background lacks, session 29, GNOME in 41
  // languages lost 0.058 and that UDHR 0.093: docs/crosslingual.md).
  std::vector<std::string> pooled_background = {"uk"};
  // Values in a document's pivot signature, one LSH band each. Default: 96
  // (dev-set F1 as with 128 within the spread of --seed, 0.952-0.955
  // against 0.952-0.956, for 16 % less time in the translation stage;
  // 64 loses 0.005). With the bucket tiers, fewer values find far fewer
  // candidates, and the translations among many documents go with them
  // (session 48, 64: among 100,000 documents 1.89 -> 0.81 million
  // candidates, the stage about a third shorter, every held-out set
  // within 0.005 or better; among a million GNOME 0.946 -> 0.913, its
  // 14-language set 0.926 -> 0.898, man pages 0.912 -> 0.888; 80 still
  // lost 0.02 there).
  int num_perm = 96;
  // The pivot index's bucket tiers (lsh.h, BucketTier; a bucket holds the
  // documents whose signatures share one value): a bucket of up to 10
  // documents makes a candidate pair of any two of them in different
  // languages; two of up to 200 are needed, or four of up to 800, or five
  // of up to 4,500 (or one of up to 200 and two of up to 800, ...); larger
  // buckets come from common features and are skipped. Why: a bucket grows with the input. With 50
  // as the only cap, the held-out sets read among the 100,000 documents of
  // bench/xl-cost.sh (scripts/eval-at-scale.sh) lost 0.04-0.21 F1 against
  // the sets alone, since the features a translation shares filled larger
  // buckets. The tier of 200 (session 26) took dev 0.959 -> 0.979 and man
  // pages 0.740 -> 0.872 there, the tier of 800 (session 27) to 0.991 and
  // 0.911; the tier of 4,500, which applies from 100,000 documents on,
  // took them from 0.925 to 0.961 and from 0.673 to 0.844 among a million
  // (docs/crosslingual.md, "At scale"). One value alone pairs only up to
  // 10, not 50 (session 44): most candidates came from buckets of 11-50
  // on one shared value. Among c100k with its European documents read as
  // their languages, 2.41 -> 1.89 million candidates and 0.92 of the run's
  // time; every held-out set alone unchanged, among c100k within 0.006
  // (GNOME 0.966 -> 0.960), among a million within 0.005.
  std::vector<BucketTier> bucket_tiers = {{10, 1}, {200, 2}, {800, 4}, {4500, 5}};
  // A document's pivot signature weighs each feature by its IDF raised to
  // this power (1-4), but for the features that the input has in
  // documents of one language only, which keep their plain IDF
  // (IndexFeatures); scores keep the plain IDF weights. Why: in a large
  // input a bucket of the index holds the documents whose signatures share
  // a value, and a value drawn from a common feature makes a large bucket,
  // which says little. Raised weights draw the values from rarer
  // features, whose buckets are small. But the rarest features of a
  // document in a language the rest of the input lacks are its own
  // unglossed words, which can never make a bucket of two languages;
  // raised, they took the values from the features a translation can share
  // (the Vietnamese man pages among a million documents, 0.810 -> 0.466).
  // Default: 3 (session 28: among a million documents GNOME 0.814 ->
  // 0.861, man pages in 24 languages 0.900 -> 0.927, every held-out set
  // there as good or better; the sets alone within 0.004; with the story
  // guard of background_rule, which the new candidates made necessary;
  // docs/crosslingual.md, "Raised index weights").
  int index_idf_power = 3;
  // A tier that needs more than two bands covers buckets of at most this
  // share of the documents indexed (and of more than the tier before's):
  // in a small input such a bucket holds a feature common in it, and four
  // of those say little. At 10,000 documents the tier of 800 found 90 %
  // more candidates and no F1 (dev, man pages, GNOME unchanged inside
  // c10k). Default: 0.008 (800 at 100,000 documents, 4,500 from 562,500).
  double many_band_share = 0.008;
  // A bucket over the last tier's size is skipped, but where one language
  // fills it (90 % of it or more), it keeps the documents of the others (if
  // they are of two languages or more, and no more than that size or
  // thin_max_kept) as a bucket of their number
  // (BandedIndex::ThinLargeBuckets). Among a million mostly English
  // documents, the features a German page shares with its translations
  // are common English words, in buckets of 1,200 to 100,000: skipped, the
  // page had no candidate at all, in any language. Default: true (session
  // 34: among a million documents GNOME 0.859 -> 0.948, LibreOffice 0.847
  // -> 0.962; docs/crosslingual.md, "Session 34").
  bool thin_buckets = true;
  // What a thinned bucket may keep. Up to 800 documents (the tier of four
  // bands), not the tier of 4,500 that inputs of over 100,000 documents
  // have: among a million, remainders of 800-4,500 documents (mostly two
  // large languages of the corpus, Basque and Japanese, not the pages'
  // translations) doubled the translation candidates (3.6 -> 7.1 million,
  // the stage 2.7 s more; measured before the 90 % condition) for GNOME
  // 0.948 -> 0.957, LibreOffice 0.962 -> 0.969. Default: 800 (no effect
  // up to 100,000 documents).
  int thin_max_kept = 800;
  // Of the pairs that large buckets make candidates (those of the tiers
  // of more than one band), each document keeps its strongest with each
  // other language: a pair stays a candidate if it is among this many of
  // either document's, ranked by the large buckets' shared evidence, then
  // by the other document's number (BandedIndex::KeepStrongestLargePairs).
  // Pairs that share a bucket of the one-band tier stay candidates. Why: a
  // document whose features are common meets thousands of documents of a
  // large language in large buckets, and only its best match in each
  // language counts (MutualBestMatches), mostly among the strongest. Among
  // c100k with its European documents read as their languages, 1.81 of
  // the 1.89 million candidates came from large buckets alone, and 4,164
  // of them were mutual best matches. 0 keeps them all. Default: 8 (every
  // held-out set within 0.004 F1 at three scales; docs/crosslingual.md,
  // "Session 50: each document's strongest pairs").
  int strongest_pairs = 8;
  // Join clusters that report the same story (story.h). Needs the
  // lexicon's background sample. Default: true.
  bool stories = true;
  // A translation link may join two groups that each hold a document of
  // one language when those two are versions of one text (two
  // translations of it: pt and pt_BR, zh-CN and zh-TW; AreVersions). A
  // group otherwise holds one document per language but for surface
  // near-duplicates, and which version links first decides where the other
  // goes: history's dedication in Galician linked to its European
  // Portuguese version, and the two stayed apart from the 17 others.
  // Default: true (session 31: history 0.884 -> 0.893, its mixed variant
  // 0.875 -> 0.895, every other eval run unchanged; among c100k history
  // 0.881 -> 0.891 and dev's zh-CN and zh-TW pages of one chapter joined).
  bool join_versions = true;
  // Join two multilingual groups that state one date near their start
  // (DatesOf), which no other document states (pipeline.cc, DateStories).
  bool date_stories = true;
  StoryOptions story;
};

// Whether a translation link into `lang` has a background level to reach
// (background_z): the background sample has the language, or
// options.pooled_background names it and there is a background, whose
// pooled pairs then stand in (NullModel::For). The rule applies to a pair
// when both its languages have one and options.background_rule is on.
bool HasBackgroundLevel(std::string_view lang, std::span<const BackgroundDoc> background,
                        const CrossLingualOptions& options);

// The tiers a run's pivot index uses over `documents` indexed documents:
// options.bucket_tiers, those of more than two bands capped at
// options.many_band_share of the documents (at least 1), and a tier left
// out where that cap is not above the tier before's.
std::vector<BucketTier> PivotBucketTiers(const CrossLingualOptions& options, size_t documents);

// What a document's pivot signature (its values in the pivot index) is
// made of: its features `ids` into out_ids, and their index weights into
// out_weights. A feature's index weight is its weight in `idf` raised to
// `power`, but for a feature of one language of the input
// (IdfTable::Entry), which keeps its plain weight. Name keys
// (IsNameKeyId) are left out, unless they are most of the document's
// weight: a document of names (or of a language no table has, whose words
// are all keys) would otherwise never be a candidate. Returns the
// document's total weight (the sum of its plain weights), which its scores
// use.
double IndexFeatures(std::span<const uint32_t> ids, const IdfTable& idf, int power,
                     std::vector<uint32_t>* out_ids, std::vector<float>* out_weights);
// The same with each feature's entry looked up beforehand: entries[i] is
// idf.Find(ids[i]).
double IndexFeatures(std::span<const uint32_t> ids, std::span<const IdfTable::Entry> entries,
                     int power, std::vector<uint32_t>* out_ids, std::vector<float>* out_weights);

// The folder the lexicon is looked for in when the options name none.
std::string DefaultLexiconDir();

// The numbers a document writes, which a translation keeps: in each token
// that starts with a digit of any script, each run of digits with '.' or ',' between digit groups (a separator
// before three digits is a thousands separator: 1,250, 1.250, 1250 and
// 1 250 are one number; another is a decimal point: 5,5 and 5.5 are one
// number), not all zeros, 3 characters or
// more (7.4, 1948, 320; not 12 or 05, which days and months of dates
// write: a man page translated from an older version has another date).
// In Thai, Lao and Khmer (`lang`), a year of the Buddhist era (2400-2700)
// also counts as the year of the common era: 2558 is 2015. `hashes` holds the smallest kMaxNumbers
// of their hashes, sorted; `count` how many distinct there are. Bit 0 of
// a hash says whether the number is a year (four digits, 1900-2099);
// `years` counts the distinct years.
class PivotFeaturizer;

struct DocumentNumbers {
  static constexpr size_t kMaxNumbers = 64;
  // The numbers rule applies when both documents write this many.
  static constexpr uint32_t kMinCount = 3;
  static constexpr uint32_t kYearBit = 1;
  std::vector<uint32_t> hashes;
  uint32_t count = 0;
  uint32_t years = 0;
  // DatesOf's dates.
  std::vector<uint32_t> dates;
};
void NumbersOf(const TokenList& tokens, std::string_view lang, DocumentNumbers* out);

// The dates a text states near its start, where an article states its
// event (a footer's or a boilerplate's dates come later): in its first
// kDateTokens tokens, a day (1-31), a month and a year (1900-2099) within
// kDateWindow tokens of one another, in any order: "11 July 2000", "July
// 11th, 2000", "11. Juli 2000", "2000年7月11日", "2000년 7월 11일". A month
// is a token whose feature is a month's (`pivot`: the month of any
// language the lexicon glosses) or a number before 月 / with 월. Each as
// year * 10000 + month * 100 + day, sorted, distinct, at most kMaxDates.
inline constexpr size_t kDateTokens = 60;
inline constexpr size_t kDateWindow = 6;
inline constexpr size_t kMaxDates = 4;
void DatesOf(const TokenList& tokens, std::string_view lang, PivotFeaturizer& pivot,
             std::vector<uint32_t>* out);

// False when two documents' numbers say they are no translation of each
// other: each writes at least `min_count` numbers and less than `share`
// of the smaller set is in the other (estimated from the smallest hashes
// when a set has more than kMaxNumbers).
bool NumbersAgree(std::span<const uint32_t> a, uint32_t count_a,
                  std::span<const uint32_t> b, uint32_t count_b,
                  uint32_t min_count, double share);
// The same with the years of both left out (hashes with kYearBit; `years_a`
// and `years_b` of the counts): for two articles of one story, which a
// story link joins (story.h). Two Debian point releases' announcements
// share their text but not their version numbers; a manual page and its
// translation from an older version share their numbers but not the
// years of their copyright lines.
bool NumbersAgreeBesidesYears(std::span<const uint32_t> a, uint32_t count_a, uint32_t years_a,
                              std::span<const uint32_t> b, uint32_t count_b, uint32_t years_b,
                              uint32_t min_count, double share);

class Lexicon {
 public:
  // Opens the lexicon in `dir` (its en.stop must exist); each language's
  // files are read on first use, so a corpus in one language costs nothing.
  // An error names the folder and says how to build it.
  static absl::StatusOr<std::shared_ptr<const Lexicon>> Load(
      const std::string& dir);
  ~Lexicon();

  // The first English stem for `word` (normalized) in `lang`, or "".
  std::string_view Form(std::string_view lang, std::string_view word) const;
  // The same for the Snowball stem of a word in `lang`.
  std::string_view Stem(std::string_view lang, std::string_view stem) const;
  // The English stem of what CLDR calls a country, territory, language,
  // month, weekday, city, unit or date field in `lang` (names.tsv: צרפת →
  // franc, دسامبر → decemb, ساعت → hour), or "".
  std::string_view Name(std::string_view lang, std::string_view word) const;
  // Unihan: the variants of a Han character (traditional, semantic).
  std::string_view CharVariants(std::string_view ch) const;
  bool IsEnglishStopWord(std::string_view word) const {
    return stop_.contains(word);
  }
  // True if some table glosses a word to `stem` (en_vocab.tsv); then a
  // word whose stem is not one of them is taken for a name (name_key.h).
  bool IsGlossWord(std::string_view stem) const;
  // False for a lexicon without en_vocab.tsv: no name keys.
  bool has_vocabulary() const { return has_vocabulary_; }

 private:
  struct Table;  // one file set, read once (thread-safe)
  // A table's two maps: forms and stems (for zh: glosses and variants).
  enum class Column { kFirst, kSecond };
  Lexicon() = default;
  const Table* TableFor(std::string_view lang) const;
  std::string_view Lookup(std::string_view lang, Column column, std::string_view key) const;

  std::string dir_;
  bool has_vocabulary_ = false;
  std::string stop_bytes_;
  absl::flat_hash_set<std::string_view> stop_;
  std::vector<std::unique_ptr<Table>> tables_;  // kLexiconLanguages, then zh
};

// The token caches (token_cache.h) of featurizers over one lexicon, one
// per language; thread-safe. Featurizers that share them (a run's
// workers) compute each word's feature once, not once each; a run's words
// also go to the next run (word_cache.h) through Entries and Offer.
class PivotCaches {
 public:
  PivotCaches();
  ~PivotCaches();
  TokenCache& For(std::string_view lang);
  // Every language's entries (TokenCache::Entries), and those offered for
  // languages no featurizer has asked for, by language name.
  LanguageEntries Entries(size_t max_per_language);
  // Entries of an earlier run (word_cache.h), by language: a language's go
  // into its cache when a featurizer first asks for it (For), as if its
  // featurizers had made them, so that a run pays, in time and memory, for
  // the languages it meets only. They must come from the same lexicon and
  // code.
  void Offer(LanguageEntries words);
  // The entries stored so far, over all languages (TokenCache::inserted),
  // and of them those that came from Offer.
  uint64_t Inserted();
  uint64_t FromOffer();

 private:
  std::mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<TokenCache>> caches_;
  absl::flat_hash_map<std::string, std::vector<TokenEntry>> offered_;
  uint64_t from_offer_ = 0;
};

class PivotFeaturizer {
 public:
  // `caches`: shared with other featurizers over the same lexicon, or null
  // for caches of its own.
  static absl::StatusOr<std::unique_ptr<PivotFeaturizer>> Create(
      std::shared_ptr<const Lexicon> lexicon,
      std::shared_ptr<PivotCaches> caches = nullptr);
  ~PivotFeaturizer();

  // The distinct feature ids (sorted) of a document's tokens in `lang`
  // (normalized tag, "und" if unknown). With `names`, also the feature
  // strings, for explanations. `token_hashes`, if given, holds
  // XXH3_64bits of each token (Shingler::token_hashes), saving that work.
  // With `words` (and `names`), also the token each name came from (the
  // first one), for explanations of name keys.
  void Features(const TokenList& tokens, std::string_view lang,
                std::vector<uint32_t>* ids,
                std::vector<std::string>* names = nullptr,
                std::span<const uint64_t> token_hashes = {},
                std::vector<std::string>* words = nullptr);

  // The feature a single token becomes ("" if dropped).
  std::string Feature(std::string_view token, std::string_view lang);
  // The feature id of one token (0 if it makes none), through the
  // language's cache as Features looks it up.
  uint32_t FeatureIdOf(std::string_view token, std::string_view lang);

 private:
  PivotFeaturizer() = default;
  // The language's token cache (shared through PivotCaches).
  TokenCache& CacheFor(std::string_view lang);
  // A token's feature id, computed: `id` (0, "dropped", if it makes no
  // feature), whether it makes one, and whether the id may be cached (a
  // feature whose id is 0 itself would read as dropped: it is not).
  struct NewId {
    uint32_t id = 0;
    bool feature = false;
    bool cacheable = false;
  };
  NewId ComputeId(std::string_view token, std::string_view lang);
  // A token missing from `cache`: its feature, computed and cached under
  // `key`; its id, or nothing if it makes no feature.
  std::optional<uint32_t> IdOnMiss(TokenCache& cache, uint64_t key, std::string_view token,
                                   std::string_view lang);
  // As IdOnMiss, for Features: the id is kept among the document's pending
  // words (Impl::pending), which Features puts into the cache at the end.
  std::optional<uint32_t> PendingId(uint64_t key, std::string_view token, std::string_view lang);
  std::string_view Gloss(std::string_view token, std::string_view lang);
  // Japanese: katakana words that ICU's dictionary split (バイ|デ|ン for
  // バイデン, プー|チン) put back together, into *out; false if `tokens`
  // has no glued katakana. Parts are kept apart when each has 3
  // characters or more and EDICT has each but not the whole (ファイル|
  // マネージャー).
  bool JoinKatakana(const TokenList& tokens, TokenList* out) const;
  // Vietnamese: the syllables of a Sino-Vietnamese word the lexicon has
  // (vi.tsv: "tự do", freedom) as one token, three syllables before two;
  // false, leaving *out unset, if there are none. `token_hashes`: XXH3 of
  // each token, if the caller has them.
  bool JoinVietnamese(const TokenList& tokens, std::span<const uint64_t> token_hashes,
                      TokenList* out);
  // `stem` (ASCII), or its name key after kNameKeyPrefix when no table
  // glosses to it (a name, name_key.h) and the key has 3 letters or more.
  std::string NameOrWord(std::string stem) const;
  std::string StemAs(std::string_view algorithm, std::string_view word);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Marks a name key (name_key.h) among the features: "~bdn" for Biden,
// Байден, バイデン and 바이든.
inline constexpr std::string_view kNameKeyPrefix = "~";

// A feature's id: a hash, odd for a name key and even otherwise.
uint32_t FeatureId(std::string_view feature);
// Name keys count in a pair's score but make no candidates (the pivot
// signature leaves them out, unless they are most of a document's weight:
// pipeline.cc): unrelated rare words share keys (linux and
// lynxos, posix and pesquisa), and with them in the signature the 100,000
// documents of bench/xl-cost.sh gave 636,106 candidate pairs instead of
// 474,041 (424,935 without name keys).
inline bool IsNameKeyId(uint32_t id) { return (id & 1u) != 0; }

// A scored cross-language candidate. Plain data, set where made: the
// pipeline's workers fill a large array of them that is not zeroed first.
struct PivotPair {
  uint32_t a, b;  // a < b
  double score;   // exact weighted Jaccard of pivot features
};

// The chain rule: a translation link (a, b) that would join a's group to
// b's group, one of them of two documents or more, needs the groups' other
// members to agree. The best calibrated score `z_of` among their other
// cross pairs (the first kMaxAgreementPairs, in the groups' order) must be
// at least `ratio` times the link's own `link_z`. A chain of unrelated
// pages (A-B linked, then B-C) has nothing between A and C; a page and its
// translations mostly score well against each other. True when `ratio` is
// 0 or less, when both groups are single documents, or when no other pair
// exists.
inline constexpr size_t kMaxAgreementPairs = 64;
bool MembersAgree(std::span<const uint32_t> group_a, std::span<const uint32_t> group_b,
                  uint32_t a, uint32_t b, double link_z, double ratio,
                  const std::function<double(uint32_t, uint32_t)>& z_of);

// Mutual best match per language pair: keeps pairs where b is a's best
// candidate in b's language and a is b's best in a's language, with score
// >= floor. `lang_of[d]` is a small integer per language. Ties go to the
// earlier document. Output sorted by (a, b). REQUIRES: each pair is in
// `scored` once.
//
// With margin > 1, the pair's score must also be at least `margin` times
// each one's rival: the next best candidate in the other's language. A
// document whose translation is not in the input still has a best match,
// but among documents alike (news from one template, pages of one manual)
// not by a margin. A candidate that is a version of the best one
// (similarity(best, candidate) >= kVersionSimilarity, e.g. a page in
// zh-Hans and zh-Hant) is no rival; the first kMaxRivalsLookedAt next
// candidates are looked at. `below_margin`, if given, counts the mutual
// best pairs the margin drops. `threads`: for placing and sorting each
// document's candidates, and for the rivals (`similarity` is then called
// from several threads at once); the result is the same on any number.
inline constexpr double kVersionSimilarity = 0.5;
inline constexpr size_t kMaxRivalsLookedAt = 5;

// Two documents of one language are versions of one text, to join two
// groups (CrossLingualOptions::join_versions), when all of these hold:
//   - their pivot features are kVersionSimilarity alike or more (history's
//     dedication in pt and pt_BR: 0.677; a translation and its original
//     mostly 0.1-0.35);
//   - each writes DocumentNumbers::kMinCount numbers or more, and they
//     agree as the numbers rule has it (NumbersAgree at 0.5): versions
//     keep the numbers, point releases of one template do not;
//   - their wording differs: the exact Jaccard of their shingle sets is
//     below kVersionMaxSurface (0.16 for that pt and pt_BR, 0.05 for a
//     page in zh-CN and zh-TW). Two translators write a text each their
//     own way; pages of one template share their wording (coreutils' man
//     pages of one template, whose numbers agree: 0.39-0.79). On the eval
//     sets only history's and dev's versions pass. The texts are read
//     again for this (as for exact re-checks); where they cannot be
//     (standard input, a compressed input), no document is a version.
inline constexpr double kVersionMaxSurface = 0.3;
inline constexpr double kVersionNumbersShare = 0.5;
std::vector<PivotPair> MutualBestMatches(
    std::span<const PivotPair> scored, std::span<const uint16_t> lang_of, double floor,
    double margin = 1.0,
    const std::function<double(uint32_t, uint32_t)>& similarity = nullptr,
    uint64_t* below_margin = nullptr, int threads = 1);
// For tests: true makes MutualBestMatches place its candidates on its
// threads (as it does from a few million on) whatever their number.
void PlaceMutualEntriesApartForTesting(bool on);

}  // namespace neardup

#endif  // NEARDUP_CROSSLINGUAL_H_
