#include "neardup/eval.h"

#include <fstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "neardup/io/json.h"

namespace neardup {
namespace {

double Choose2(double n) { return n * (n - 1) / 2; }

// A language as the report names it: "und" when unknown.
std::string LangKey(const std::string& lang) { return lang.empty() ? "und" : lang; }

std::string PairKey(const std::string& a, const std::string& b) {
  const std::string x = LangKey(a), y = LangKey(b);
  return x < y ? absl::StrCat(x, "-", y) : absl::StrCat(y, "-", x);
}

// Per group: how many members of each language.
using LangCounts = std::map<std::string, double>;

// Adds the pairs inside one group (by language pair) to `field` of counts.
void AddPairs(const LangCounts& langs, EvalReport* r, double PairCounts::*field) {
  for (auto i = langs.begin(); i != langs.end(); ++i) {
    const double same = Choose2(i->second);
    r->all.*field += same;
    r->same_language.*field += same;
    r->by_language_pair[PairKey(i->first, i->first)].*field += same;
    for (auto j = std::next(i); j != langs.end(); ++j) {
      const double cross = i->second * j->second;
      r->all.*field += cross;
      r->cross_language.*field += cross;
      r->by_language_pair[PairKey(i->first, j->first)].*field += cross;
      r->by_language[LangKey(i->first)].*field += cross;
      r->by_language[LangKey(j->first)].*field += cross;
    }
  }
}

}  // namespace

EvalReport Evaluate(const std::vector<EvalDocument>& docs) {
  EvalReport r;
  r.documents = docs.size();
  // Documents alone in a group get a key of their own.
  auto key = [](const std::string& g, size_t i) {
    return g.empty() ? absl::StrCat("\x01", i) : g;
  };
  absl::flat_hash_map<std::string, LangCounts> pred, truth;
  absl::flat_hash_map<std::string, LangCounts> cell;
  absl::flat_hash_map<std::string, double> pred_size, truth_size, cell_size;
  for (size_t i = 0; i < docs.size(); ++i) {
    const EvalDocument& d = docs[i];
    const std::string p = key(d.predicted, i), t = key(d.truth, i);
    pred[p][d.lang] += 1;
    truth[t][d.lang] += 1;
    const std::string c = absl::StrCat(p, "\x02", t);
    cell[c][d.lang] += 1;
    pred_size[p] += 1;
    truth_size[t] += 1;
    cell_size[c] += 1;
  }
  for (const auto& [k, langs] : pred) AddPairs(langs, &r, &PairCounts::predicted);
  for (const auto& [k, langs] : truth) AddPairs(langs, &r, &PairCounts::truth);
  for (const auto& [k, langs] : cell) AddPairs(langs, &r, &PairCounts::correct);
  double bp = 0, br = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    const EvalDocument& d = docs[i];
    const std::string p = key(d.predicted, i), t = key(d.truth, i);
    const double overlap = cell_size[absl::StrCat(p, "\x02", t)];
    bp += overlap / pred_size[p];
    br += overlap / truth_size[t];
  }
  if (!docs.empty()) {
    r.bcubed_precision = bp / docs.size();
    r.bcubed_recall = br / docs.size();
  }
  return r;
}

namespace {

void AppendCounts(std::string* out, const PairCounts& c) {
  absl::StrAppend(out, "{\"true\":", static_cast<uint64_t>(c.truth),
                  ",\"predicted\":", static_cast<uint64_t>(c.predicted),
                  ",\"correct\":", static_cast<uint64_t>(c.correct), ",\"precision\":");
  AppendJsonScore(out, c.Precision());
  out->append(",\"recall\":");
  AppendJsonScore(out, c.Recall());
  out->append(",\"f1\":");
  AppendJsonScore(out, c.F1());
  out->append("}");
}

void AppendCountsMap(std::string* out, const std::map<std::string, PairCounts>& m) {
  out->append("{");
  bool first = true;
  for (const auto& [key, c] : m) {
    if (c.truth == 0 && c.predicted == 0) continue;
    if (!first) out->append(",");
    first = false;
    AppendJsonString(out, key);
    out->append(":");
    AppendCounts(out, c);
  }
  out->append("}");
}

}  // namespace

std::string EvalReportJson(const EvalReport& r, size_t unmatched) {
  std::string out = absl::StrCat("{\"documents\":", r.documents, ",\"unmatched\":", unmatched,
                                 ",\"pairs\":{\"all\":");
  AppendCounts(&out, r.all);
  out.append(",\"same_language\":");
  AppendCounts(&out, r.same_language);
  out.append(",\"cross_language\":");
  AppendCounts(&out, r.cross_language);
  out.append("},\"by_language\":");
  AppendCountsMap(&out, r.by_language);
  out.append(",\"by_language_pair\":");
  AppendCountsMap(&out, r.by_language_pair);
  const double bp = r.bcubed_precision, br = r.bcubed_recall;
  out.append(",\"bcubed\":{\"precision\":");
  AppendJsonScore(&out, bp);
  out.append(",\"recall\":");
  AppendJsonScore(&out, br);
  out.append(",\"f1\":");
  AppendJsonScore(&out, bp + br > 0 ? 2 * bp * br / (bp + br) : 0.0);
  out.append("}}\n");
  return out;
}

absl::StatusOr<std::vector<EvalDocument>> LoadForEval(
    const std::string& documents_jsonl, const std::string& labels_jsonl,
    size_t* unmatched) {
  struct Row {
    std::string lang, group;
  };
  auto load = [](const std::string& path, const char* group_field)
      -> absl::StatusOr<std::vector<std::pair<std::string, Row>>> {
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
    std::vector<std::pair<std::string, Row>> rows;
    std::string line, error;
    std::vector<std::optional<std::string>> v;
    const std::vector<std::string> names = {"id", group_field, "lang"};
    for (uint64_t n = 1; std::getline(in, line); ++n) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (!ParseFields(line, names, &v, &error)) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ":", n, ": ", error));
      }
      if (!v[0]) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ":", n, ": no \"id\""));
      }
      rows.emplace_back(*v[0], Row{v[2].value_or(""), v[1].value_or("")});
    }
    return rows;
  };
  auto run = load(documents_jsonl, "group");
  if (!run.ok()) return run.status();
  auto labels = load(labels_jsonl, "group");
  if (!labels.ok()) return labels.status();
  absl::flat_hash_map<std::string, Row> predicted;
  for (auto& [id, row] : *run) predicted.emplace(id, row);
  std::vector<EvalDocument> docs;
  size_t missing = 0;
  absl::flat_hash_map<std::string, bool> labelled;
  for (auto& [id, row] : *labels) {
    auto it = predicted.find(id);
    if (it == predicted.end()) {
      ++missing;
      continue;
    }
    if (!labelled.emplace(id, true).second) continue;  // repeated label
    EvalDocument d;
    d.id = id;
    d.lang = row.lang.empty() ? it->second.lang : row.lang;
    d.predicted = it->second.group;
    d.truth = row.group;
    docs.push_back(std::move(d));
  }
  if (unmatched) {
    size_t unlabelled = 0;
    for (const auto& [id, row] : predicted) unlabelled += !labelled.contains(id);
    *unmatched = missing + unlabelled;
  }
  return docs;
}

}  // namespace neardup
