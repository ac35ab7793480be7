// explain: why two documents are, or are not, near-duplicates or
// translations of each other: their surface Jaccard against the threshold,
// and the language-independent features they share, with the IDF weights
// that make up their weighted Jaccard against the translation floor.
//
// IDF comes from `corpus` when given (every readable record of it; a run
// counts identical copies once, so its scores can differ slightly), else
// from the two documents alone, plus, as in a run, the lexicon's background
// documents of the languages at hand. The calibrated score z is measured
// against the background's unrelated pairs only (a run also uses the
// input's own pairs when it has enough of them). Whether a pair is linked
// in a run also depends on the other documents (mutual best match, and its
// margin over the next best); with a corpus the explanation shows both
// documents' best and next best matches (the corpus's features are kept in
// memory for that: about 0.5 KB a document) and the pair's score against
// the corpus's own random pairs, as a run calibrates it.
#ifndef NEARDUP_EXPLAIN_H_
#define NEARDUP_EXPLAIN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/pipeline.h"

namespace neardup {

struct ExplainedFeature {
  std::string name;  // "#2025" (anchor), "nvidia", "chip", "~bdn" (name key)
  double weight = 0;
  // For a name key (crosslingual.h): the words it came from, "biden" or
  // "biden / байдена".
  std::string words;
};

// With a corpus: a document's best and next best match among the corpus's
// documents of the other's language (every one of them, by the same
// weighted Jaccard; a run scores its LSH candidates only).
struct BestMatches {
  bool found = false;           // the other language has documents
  std::string best_id, next_id;  // next_id empty: no other document
  double best = 0, next = 0;
};

struct Explanation {
  std::string id_a, id_b, lang_a, lang_b;
  size_t tokens_a = 0, tokens_b = 0;
  double surface_jaccard = 0;  // exact, over shingles
  double threshold = 0;
  bool crosslingual = false;   // pivot features computed
  double pivot_score = 0;      // weighted Jaccard of pivot features
  double floor = 0;
  // The calibrated score (calibration.h) against unrelated background pairs
  // of the two languages, if the lexicon has a background; a story link
  // needs story_z.
  bool calibrated = false;
  double z = 0;
  double story_z = 0;
  // Both languages are in the background sample.
  bool background_languages = false;
  // A translation link also needs z >= translation_z
  // (CrossLingualOptions::background_z): both languages are in the
  // background, or stood in for by its pooled pairs (pooled_background).
  bool translation_rule = false;
  double translation_z = 0;
  std::vector<ExplainedFeature> shared, only_a, only_b;  // by weight
  std::string idf_source;
  // With a corpus and two languages: A's matches in B's language, B's in
  // A's, and the margin a run requires (CrossLingualOptions::margin).
  BestMatches a_in_b, b_in_a;
  double margin = 0;
  // The calibrated score against the input's random pairs that a run's
  // translation link needs (CrossLingualOptions::input_z).
  double input_z = 0;
  // With a corpus: the pair's calibrated score against the corpus's own
  // random pairs of the two languages (NullPairs; pooled with the
  // background's where it has fewer than kMinCorpusPairs), the score a
  // run's pairs.jsonl gives, and how many of the corpus's pairs of the two
  // languages were scored for it.
  bool input_calibrated = false;
  double input_score = 0;
  uint32_t input_pairs = 0;
  // The numbers rule (CrossLingualOptions::numbers): how many numbers each
  // writes (NumbersOf), how many both, and whether they agree.
  uint32_t numbers_a = 0, numbers_b = 0, numbers_shared = 0;
  double numbers_share = 0;
  bool numbers_agree = true;
  // The same with the years left aside, as a story link asks
  // (NumbersAgreeBesidesYears): how many each writes, and whether they agree.
  uint32_t story_numbers_a = 0, story_numbers_b = 0;
  bool story_numbers_agree = true;
};

// Documents by id from `corpus` inputs (JSONL or folders), or, when
// `corpus` is empty, a and b are paths of two text files.
absl::StatusOr<Explanation> Explain(const std::vector<std::string>& corpus,
                                    const std::string& a, const std::string& b,
                                    const PipelineOptions& options);

}  // namespace neardup

#endif  // NEARDUP_EXPLAIN_H_
