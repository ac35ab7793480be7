// eval: compares a run's groups with labelled groups.
//
// Pairwise: a pair of documents is positive when both are in one group.
// Precision = correct predicted pairs / predicted pairs, recall = correct /
// true pairs, over the documents that are both in the run and labelled;
// reported overall, for same-language and cross-language pairs, per
// language (its pairs with the other languages) and per language pair. B-cubed: per document, the overlap of its predicted and
// true groups over the predicted (precision) or true (recall) group size,
// averaged. Counting is done per (predicted group × true group) cell, so
// the cost is linear in the number of documents.
//
// Thread-safety: pure functions.
#ifndef NEARDUP_EVAL_H_
#define NEARDUP_EVAL_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace neardup {

struct EvalDocument {
  std::string id;
  std::string lang;            // "" if unknown
  std::string predicted;       // group key; "" = alone
  std::string truth;           // group key; "" = alone
};

struct PairCounts {
  double predicted = 0, truth = 0, correct = 0;
  double Precision() const { return predicted > 0 ? correct / predicted : 1; }
  double Recall() const { return truth > 0 ? correct / truth : 1; }
  double F1() const {
    const double p = Precision(), r = Recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

struct EvalReport {
  size_t documents = 0;
  PairCounts all, same_language, cross_language;
  std::map<std::string, PairCounts> by_language_pair;  // "de-en" (sorted)
  // Each language's cross-language pairs, with every other language: where
  // a language is read badly, all its pairs are low, which a list of
  // hundreds of language pairs hides.
  std::map<std::string, PairCounts> by_language;
  double bcubed_precision = 0, bcubed_recall = 0;
};

EvalReport Evaluate(const std::vector<EvalDocument>& docs);

// The report as one JSON object (docs/formats.md, "neardup eval --json"),
// with `unmatched` documents (in only one of the run and the labels).
// Keys in a fixed order, scores to 4 decimals: the same input gives the
// same bytes.
std::string EvalReportJson(const EvalReport& report, size_t unmatched);

// Reads RUN_DIR/documents.jsonl and a labels JSONL (id, group, lang) and
// joins them on id. Documents missing on either side are left out and
// counted in *unmatched.
absl::StatusOr<std::vector<EvalDocument>> LoadForEval(
    const std::string& documents_jsonl, const std::string& labels_jsonl,
    size_t* unmatched);

}  // namespace neardup

#endif  // NEARDUP_EVAL_H_
