#include "neardup/explain.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "neardup/background_cache.h"
#include "neardup/calibration.h"
#include "neardup/io/file.h"
#include "neardup/io/json.h"
#include "neardup/langid.h"

namespace neardup {
namespace {

struct Doc {
  std::string id, lang, text;
  bool found = false;
};

// A corpus document's pivot features, for best matches.
struct Featured {
  std::string id, lang;
  std::vector<uint32_t> features;
};

absl::StatusOr<std::string> ReadText(const std::string& path) {
  absl::StatusOr<std::string> read = ReadFile(path);
  if (!read.ok()) return read.status();
  std::string text = *std::move(read);
  if (!IsValidUtf8(text)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": invalid UTF-8"));
  }
  return text;
}

}  // namespace

absl::StatusOr<Explanation> Explain(const std::vector<std::string>& corpus,
                                    const std::string& a, const std::string& b,
                                    const PipelineOptions& options) {
  auto tokenizer = Tokenizer::Create(options.normalize);
  if (!tokenizer.ok()) return tokenizer.status();
  std::shared_ptr<const Lexicon> lexicon;
  std::unique_ptr<PivotFeaturizer> pivot;
  std::vector<BackgroundDoc> background;
  std::string lexicon_dir;
  std::string manifest;  // the lexicon's, to key its background features
  if (options.crosslingual.enabled) {
    const std::string dir = options.crosslingual.lexicon_dir.empty()
                                ? DefaultLexiconDir()
                                : options.crosslingual.lexicon_dir;
    auto lex = Lexicon::Load(dir);
    if (!lex.ok()) return lex.status();
    auto bg = LoadBackground(dir);
    if (!bg.ok()) return bg.status();
    background = std::move(*bg);
    lexicon_dir = dir;
    absl::StatusOr<std::string> m = ReadFile(std::filesystem::path(dir) / "MANIFEST");
    if (m.ok()) manifest = *std::move(m);
    lexicon = *lex;
    auto p = PivotFeaturizer::Create(lexicon);
    if (!p.ok()) return p.status();
    pivot = std::move(*p);
  }
  Doc docs[2];
  docs[0].id = a;
  docs[1].id = b;
  absl::flat_hash_map<uint32_t, uint32_t> df;
  uint32_t n = 0;
  TokenList tokens;
  std::vector<uint32_t> ids;
  std::set<std::string> seen_langs;  // languages of the documents counted
  // Their numbers in order of first appearance, as a run numbers them.
  absl::flat_hash_map<std::string, uint32_t> lang_number;
  std::vector<Featured> featured;     // the corpus's documents (with pivot)
  if (corpus.empty()) {
    for (Doc& d : docs) {
      auto text = ReadText(d.id);
      if (!text.ok()) return text.status();
      d.text = std::move(*text);
      d.found = true;
    }
  } else {
    auto reader = RecordReader::Open(corpus, options.input);
    if (!reader.ok()) return reader.status();
    JsonRecordParser parser(options.input);
    std::vector<RawRecord> batch;
    while (true) {
      batch.clear();
      auto more = (*reader)->Next(1024, 8 << 20, &batch);
      if (!more.ok()) return more.status();
      if (!*more) break;
      for (RawRecord& rec : batch) {
        if (rec.problem != ReadProblem::kNone) continue;
        Doc d;
        if (rec.format == RecordFormat::kTextFile) {
          d.id = rec.name;
          d.text = std::move(rec.bytes);
          if (!IsValidUtf8(d.text)) continue;
        } else {
          JsonRecord jr;
          std::string error;
          if (!parser.Parse(rec.bytes, &jr, &error)) continue;
          d.id = jr.has_id ? jr.id : DefaultId((*reader)->input_names()[rec.input], rec.line);
          d.text.assign(jr.text);
          d.lang = NormalizeLanguageTag(jr.lang);
        }
        (*tokenizer)->Tokenize(d.text, &tokens);
        if (tokens.empty()) continue;
        if (pivot) {
          const std::string lang =
              DocumentLanguage(d.lang, d.text, tokens, /*cross_language=*/true);
          seen_langs.insert(lang);
          lang_number.emplace(lang, static_cast<uint32_t>(lang_number.size()));
          pivot->Features(tokens, lang, &ids);
          if (!ids.empty()) ++n;
          for (uint32_t f : ids) ++df[f];
          if (!ids.empty()) featured.push_back({d.id, lang, ids});
        }
        for (Doc& want : docs) {
          if (!want.found && want.id == d.id) {
            want = std::move(d);
            want.found = true;
            break;
          }
        }
      }
    }
    for (const Doc& d : docs) {
      if (!d.found) {
        return absl::NotFoundError(
            absl::StrCat("no readable document with id '", d.id, "' in the input"));
      }
    }
  }

  Explanation e;
  e.id_a = docs[0].id;
  e.id_b = docs[1].id;
  e.threshold = options.lsh.threshold;
  e.floor = options.crosslingual.floor;
  Shingler shingler(options.shingle);
  std::vector<uint64_t> sh[2];
  std::vector<uint32_t> feat[2];
  std::vector<std::string> names[2], words[2];
  DocumentNumbers numbers[2];
  for (int i = 0; i < 2; ++i) {
    (*tokenizer)->Tokenize(docs[i].text, &tokens);
    // As the run decides (CLD2 and the tag check only where translations
    // are looked for).
    docs[i].lang = DocumentLanguage(docs[i].lang, docs[i].text, tokens,
                                    /*cross_language=*/pivot != nullptr);
    (i == 0 ? e.tokens_a : e.tokens_b) = tokens.size();
    shingler.Shingle(tokens, &sh[i]);
    std::sort(sh[i].begin(), sh[i].end());
    if (pivot) {
      pivot->Features(tokens, docs[i].lang, &feat[i], &names[i], {}, &words[i]);
      NumbersOf(tokens, docs[i].lang, &numbers[i]);
    }
  }
  e.lang_a = docs[0].lang;
  e.lang_b = docs[1].lang;
  e.surface_jaccard = ExactOverlap(sh[0], sh[1]).jaccard;
  if (!pivot) return e;
  e.crosslingual = true;
  if (corpus.empty()) {
    n = 0;
    for (int i = 0; i < 2; ++i) {
      seen_langs.insert(docs[i].lang);
      if (!feat[i].empty()) ++n;
      for (uint32_t f : feat[i]) ++df[f];  // sorted and distinct
    }
    e.idf_source = "the two documents";
  } else {
    e.idf_source = absl::StrCat(n, " documents of the input");
  }
  // As a run does: background documents of the languages at hand count in
  // the IDF, and their unrelated pairs give the null model (calibration.h).
  // Their features come from the lexicon's folder or the cache folder
  // when either has them, as a run's do (background_cache.h). A folder
  // that cannot be written only costs the next call.
  BackgroundFeatureSet all = LoadOrComputeBackgroundFeatures(
      options.cache_dir, lexicon_dir, manifest, options.normalize, background.size(),
      [&](bool every, std::vector<std::vector<uint32_t>>* features) {
        for (size_t i = 0; i < background.size(); ++i) {
          if (!every && !seen_langs.contains(background[i].lang)) continue;
          (*tokenizer)->Tokenize(background[i].text, &tokens);
          pivot->Features(tokens, background[i].lang, &(*features)[i]);
        }
      });
  std::vector<std::vector<uint32_t>> bg_features;
  {
    std::vector<BackgroundDoc> kept;
    for (size_t i = 0; i < background.size(); ++i) {
      if (!seen_langs.contains(background[i].lang)) continue;
      kept.push_back(std::move(background[i]));
      bg_features.push_back(std::move(all.features[i]));
    }
    background = std::move(kept);
  }
  uint32_t bg_counted = 0;
  for (const std::vector<uint32_t>& ids : bg_features) {
    if (!ids.empty()) ++bg_counted;
    for (uint32_t f : ids) ++df[f];
  }
  n += bg_counted;
  if (bg_counted > 0) absl::StrAppend(&e.idf_source, " and ", bg_counted, " of the background");
  const absl::flat_hash_map<uint32_t, float> weights = IdfWeights(df, n);
  auto weight = [&](uint32_t f) -> double {
    auto it = weights.find(f);
    return it == weights.end() ? 0.0 : it->second;
  };
  // Feature name and first word per id, per document; a name key shows
  // its words.
  absl::flat_hash_map<uint32_t, std::pair<std::string, std::string>> name_of[2];
  for (int i = 0; i < 2; ++i) {
    for (size_t k = 0; k < names[i].size(); ++k) {
      name_of[i].emplace(FeatureId(names[i][k]), std::pair(names[i][k], words[i][k]));
    }
  }
  auto words_of = [](const std::string& name, const std::string& word) {
    return name.starts_with(kNameKeyPrefix) ? word : std::string();
  };
  for (const auto& [f, nw] : name_of[0]) {
    const auto& [nm, word] = nw;
    auto other = name_of[1].find(f);
    if (other == name_of[1].end()) {
      e.only_a.push_back({nm, weight(f), words_of(nm, word)});
      continue;
    }
    std::string both = words_of(nm, word);
    if (!both.empty() && other->second.second != word) {
      absl::StrAppend(&both, " / ", other->second.second);
    }
    e.shared.push_back({nm, weight(f), both});
  }
  for (const auto& [f, nw] : name_of[1]) {
    if (!name_of[0].contains(f)) e.only_b.push_back({nw.first, weight(f), words_of(nw.first, nw.second)});
  }
  // The score a run computes: the same function, the same weights.
  std::vector<float> w[2];
  for (int i = 0; i < 2; ++i) {
    for (uint32_t f : feat[i]) w[i].push_back(static_cast<float>(weight(f)));
  }
  e.pivot_score = WeightedJaccard(feat[0], w[0], feat[1], w[1]);
  e.numbers_a = numbers[0].count;
  e.numbers_b = numbers[1].count;
  std::vector<uint32_t> common;
  std::set_intersection(numbers[0].hashes.begin(), numbers[0].hashes.end(),
                        numbers[1].hashes.begin(), numbers[1].hashes.end(),
                        std::back_inserter(common));
  e.numbers_shared = static_cast<uint32_t>(common.size());  // of the first 64 each
  e.numbers_share = options.crosslingual.numbers;
  e.numbers_agree = NumbersAgree(numbers[0].hashes, numbers[0].count, numbers[1].hashes,
                                 numbers[1].count, DocumentNumbers::kMinCount,
                                 options.crosslingual.numbers);
  e.story_numbers_a = numbers[0].count - numbers[0].years;
  e.story_numbers_b = numbers[1].count - numbers[1].years;
  e.story_numbers_agree = NumbersAgreeBesidesYears(
      numbers[0].hashes, numbers[0].count, numbers[0].years, numbers[1].hashes,
      numbers[1].count, numbers[1].years, DocumentNumbers::kMinCount,
      options.crosslingual.numbers);
  // Best and next best matches in the other's language (ties: the first in
  // the corpus), as MutualBestMatches ranks a run's candidates.
  e.margin = options.crosslingual.margin;
  e.input_z = options.crosslingual.input_z;
  auto matches = [&](int i, const std::string& lang) {
    BestMatches m;
    std::vector<float> wd;
    for (const Featured& d : featured) {
      if (d.lang != lang || d.id == docs[i].id) continue;
      wd.clear();
      for (uint32_t f : d.features) wd.push_back(static_cast<float>(weight(f)));
      const double s = WeightedJaccard(feat[i], w[i], d.features, wd);
      if (!m.found || s > m.best) {
        if (m.found) {
          m.next = m.best;
          m.next_id = m.best_id;
        }
        m.best = s;
        m.best_id = d.id;
        m.found = true;
      } else if (m.next_id.empty() || s > m.next) {
        m.next = s;
        m.next_id = d.id;
      }
    }
    return m;
  };
  if (!corpus.empty() && e.lang_a != e.lang_b) {
    e.a_in_b = matches(0, e.lang_b);
    e.b_in_a = matches(1, e.lang_a);
  }
  const std::vector<NullSample> bg_samples =
      BackgroundSamples(background, bg_features, IdfTable(weights));
  const NullModel null = NullModel::Fit({}, bg_samples);
  if (!corpus.empty() && !featured.empty()) {
    // As a run calibrates its pairs: random pairs of the corpus's documents
    // per pair of languages, with the background's unrelated pairs.
    std::vector<std::vector<uint32_t>> by_lang(lang_number.size());
    for (uint32_t d = 0; d < featured.size(); ++d) {
      if (featured[d].lang != "und") by_lang[lang_number.at(featured[d].lang)].push_back(d);
    }
    std::vector<std::vector<float>> wd(featured.size());
    auto weights_of = [&](uint32_t d) -> const std::vector<float>& {
      if (wd[d].empty()) {
        for (uint32_t f : featured[d].features) wd[d].push_back(static_cast<float>(weight(f)));
      }
      return wd[d];
    };
    std::vector<NullSample> samples;
    for (const auto& [x, y] : NullPairs(by_lang, kNullPairsPerLanguagePair)) {
      samples.push_back({featured[x].lang, featured[y].lang,
                         WeightedJaccard(featured[x].features, weights_of(x),
                                         featured[y].features, weights_of(y))});
      const NullSample& s = samples.back();
      if ((s.lang_a == e.lang_a && s.lang_b == e.lang_b) ||
          (s.lang_a == e.lang_b && s.lang_b == e.lang_a)) {
        ++e.input_pairs;
      }
    }
    const NullModel input = NullModel::Fit(samples, bg_samples);
    if (!input.empty()) {
      e.input_calibrated = true;
      e.input_score = input.Z(e.lang_a, e.lang_b, e.pivot_score);
    }
  }
  e.story_z = options.crosslingual.story.min_z;
  e.translation_z = options.crosslingual.background_z;
  auto in_background = [&](const std::string& lang) {
    return std::any_of(background.begin(), background.end(),
                       [&](const BackgroundDoc& b) { return b.lang == lang; });
  };
  e.background_languages = in_background(e.lang_a) && in_background(e.lang_b);
  e.translation_rule = options.crosslingual.background_rule &&
                       HasBackgroundLevel(e.lang_a, background, options.crosslingual) &&
                       HasBackgroundLevel(e.lang_b, background, options.crosslingual);
  if (!null.empty()) {
    e.calibrated = true;
    e.z = null.Z(e.lang_a, e.lang_b, e.pivot_score);
  }
  auto by_weight = [](const ExplainedFeature& x, const ExplainedFeature& y) {
    return x.weight != y.weight ? x.weight > y.weight : x.name < y.name;
  };
  std::sort(e.shared.begin(), e.shared.end(), by_weight);
  std::sort(e.only_a.begin(), e.only_a.end(), by_weight);
  std::sort(e.only_b.begin(), e.only_b.end(), by_weight);
  return e;
}

}  // namespace neardup
