// Stage benchmarks: where the time of one document goes. Each reports the
// bytes of text it processed (SetBytesProcessed), so MB/s compare across
// stages. Input: the texts of data/planted.jsonl (pseudo-English) and the
// Japanese seed articles in data/seeds.
//
//   build/bench/neardup_bench [--benchmark_filter=Tokenize]
#include <benchmark/benchmark.h>

#include <filesystem>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "neardup/calibration.h"
#include "neardup/crosslingual.h"
#include "neardup/io/json.h"
#include "neardup/langid.h"
#include "neardup/lsh.h"
#include "neardup/minhash.h"
#include "neardup/name_key.h"
#include "neardup/normalize.h"
#include "neardup/pipeline.h"
#include "neardup/shingle.h"

namespace neardup {
namespace {

const std::string kRoot = NEARDUP_SOURCE_DIR;

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const std::vector<std::string>& Lines() {
  static const auto* lines = [] {
    auto* v = new std::vector<std::string>;
    std::istringstream in(ReadFile(kRoot + "/data/planted.jsonl"));
    for (std::string line; std::getline(in, line);) v->push_back(line);
    return v;
  }();
  return *lines;
}

const std::vector<std::string>& EnglishTexts() {
  static const auto* texts = [] {
    auto* v = new std::vector<std::string>;
    JsonRecordParser parser(InputOptions{});
    for (const std::string& line : Lines()) {
      JsonRecord r;
      std::string err;
      if (parser.Parse(line, &r, &err)) v->emplace_back(r.text);
    }
    return v;
  }();
  return *texts;
}

const std::vector<std::string>& JapaneseTexts() {
  static const auto* texts = [] {
    auto* v = new std::vector<std::string>;
    for (const char* name : {"000_7dc76a8ccd74af40.txt", "003_72d4e36795caebc5.txt",
                             "004_09d0fca17295f493.txt"}) {
      v->push_back(ReadFile(kRoot + "/data/seeds/" + name));
    }
    return v;
  }();
  return *texts;
}

int64_t TotalBytes(const std::vector<std::string>& texts) {
  int64_t n = 0;
  for (const auto& t : texts) n += t.size();
  return n;
}

void Tokenize(benchmark::State& state, const std::vector<std::string>& texts,
              bool fast_path) {
  NormalizeOptions o;
  o.ascii_fast_path = fast_path;
  auto tok = Tokenizer::Create(o);
  TokenList tokens;
  for (auto _ : state) {
    for (const auto& t : texts) {
      (*tok)->Tokenize(t, &tokens);
      benchmark::DoNotOptimize(tokens.size());
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(texts));
}

void BM_Tokenize_English_AsciiFastPath(benchmark::State& s) { Tokenize(s, EnglishTexts(), true); }
void BM_Tokenize_English_IcuOnly(benchmark::State& s) { Tokenize(s, EnglishTexts(), false); }
void BM_Tokenize_Japanese_Icu(benchmark::State& s) { Tokenize(s, JapaneseTexts(), true); }
BENCHMARK(BM_Tokenize_English_AsciiFastPath);
BENCHMARK(BM_Tokenize_English_IcuOnly);
BENCHMARK(BM_Tokenize_Japanese_Icu);

// GuessLanguage (langid.h) on documents given no "lang": the script and
// function-word counts over all of a document's tokens, then CLD2 on its
// first KiB where the run links translations. Arg 0: the pseudo-English
// texts of data/planted.jsonl; 1: the seed articles (Japanese, Italian,
// German). Arg 1 of the second: with CLD2 (cross-language mode).
void BM_GuessLanguage(benchmark::State& state) {
  static const auto* inputs = [] {
    auto* v = new std::array<std::pair<std::vector<std::string>, std::vector<TokenList>>, 2>;
    (*v)[0].first = EnglishTexts();
    for (const auto& e : std::filesystem::directory_iterator(kRoot + "/data/seeds")) {
      if (e.path().extension() == ".txt") (*v)[1].first.push_back(ReadFile(e.path().string()));
    }
    auto tok = Tokenizer::Create(NormalizeOptions{});
    for (auto& [texts, tokens] : *v) {
      for (const auto& t : texts) {
        tokens.emplace_back();
        (*tok)->Tokenize(t, &tokens.back());
      }
    }
    return v;
  }();
  const auto& [texts, tokens] = (*inputs)[state.range(0)];
  const bool cld2 = state.range(1) != 0;
  for (auto _ : state) {
    for (size_t i = 0; i < texts.size(); ++i) {
      benchmark::DoNotOptimize(GuessLanguage(texts[i], tokens[i], cld2));
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(texts));
}
BENCHMARK(BM_GuessLanguage)->Args({0, 0})->Args({0, 1})->Args({1, 0})->Args({1, 1});

struct Prepared {
  std::vector<TokenList> tokens;
  std::vector<std::vector<uint64_t>> shingles;
};

const Prepared& EnglishPrepared() {
  static const auto* p = [] {
    auto* p = new Prepared;
    auto tok = Tokenizer::Create(NormalizeOptions{});
    Shingler sh(ShingleOptions{});
    for (const auto& t : EnglishTexts()) {
      p->tokens.emplace_back();
      (*tok)->Tokenize(t, &p->tokens.back());
      p->shingles.emplace_back();
      sh.Shingle(p->tokens.back(), &p->shingles.back());
    }
    return p;
  }();
  return *p;
}

void BM_Shingle_Word5(benchmark::State& state) {
  const Prepared& p = EnglishPrepared();
  Shingler sh(ShingleOptions{});
  std::vector<uint64_t> out;
  for (auto _ : state) {
    for (const auto& t : p.tokens) {
      sh.Shingle(t, &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(EnglishTexts()));
}
BENCHMARK(BM_Shingle_Word5);

void BM_MinHash_128Perm(benchmark::State& state) {
  const Prepared& p = EnglishPrepared();
  MinHasher h(MinHashOptions{});
  std::vector<uint32_t> mins(128);
  int64_t shingles = 0;
  for (const auto& s : p.shingles) shingles += s.size();
  for (auto _ : state) {
    for (const auto& s : p.shingles) {
      h.Compute(s, mins.data());
      benchmark::DoNotOptimize(mins.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(EnglishTexts()));
  state.counters["shingles/s"] = benchmark::Counter(
      static_cast<double>(shingles * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MinHash_128Perm);

// Pivot features (cross-language channel) of tokenized texts: the texts of
// $NEARDUP_BENCH_CORPUS (JSONL, first 5,000 lines; e.g. a bench/.cache
// corpus) or of data/planted.jsonl. Needs the built lexicon.
const Prepared& PivotInput() {
  static const auto* input = [] {
    auto* p = new Prepared;
    std::vector<std::string> texts;
    const char* corpus = std::getenv("NEARDUP_BENCH_CORPUS");
    if (corpus != nullptr) {
      std::ifstream f(corpus);
      JsonRecordParser parser(InputOptions{});
      std::string line;
      for (int i = 0; i < 5000 && std::getline(f, line); ++i) {
        JsonRecord r;
        std::string err;
        if (parser.Parse(line, &r, &err)) texts.emplace_back(r.text);
      }
    } else {
      texts = EnglishTexts();
    }
    auto tok = Tokenizer::Create(NormalizeOptions{});
    for (const auto& t : texts) {
      p->tokens.emplace_back();
      (*tok)->Tokenize(t, &p->tokens.back());
    }
    return p;
  }();
  return *input;
}

void BM_PivotFeatures(benchmark::State& state) {
  const Prepared* input = &PivotInput();
  auto lexicon = Lexicon::Load(DefaultLexiconDir());
  if (!lexicon.ok()) {
    state.SkipWithError(std::string(lexicon.status().message()).c_str());
    return;
  }
  auto pivot = PivotFeaturizer::Create(*lexicon);
  std::vector<uint32_t> ids;
  int64_t tokens = 0;
  for (const auto& t : input->tokens) tokens += t.size();
  for (auto _ : state) {
    for (const auto& t : input->tokens) {
      (*pivot)->Features(t, "en", &ids);
      benchmark::DoNotOptimize(ids.data());
    }
  }
  state.counters["tokens/s"] = benchmark::Counter(
      static_cast<double>(tokens * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PivotFeatures);

// The numbers rule's reading of a document (NumbersOf: one look at each
// token's first byte, the numbers parsed and hashed); it runs on every
// document of a cross-language run. The same texts as BM_PivotFeatures.
void BM_NumbersOf(benchmark::State& state) {
  const Prepared& input = PivotInput();
  DocumentNumbers numbers;
  int64_t tokens = 0, bytes = 0;
  for (const auto& t : input.tokens) {
    tokens += t.size();
    for (size_t i = 0; i < t.size(); ++i) bytes += t[i].size();
  }
  for (auto _ : state) {
    for (const auto& t : input.tokens) {
      NumbersOf(t, "en", &numbers);
      benchmark::DoNotOptimize(numbers.hashes.data());
    }
  }
  state.SetBytesProcessed(bytes * state.iterations());
  state.counters["tokens/s"] = benchmark::Counter(
      static_cast<double>(tokens * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NumbersOf);

// The name key (name_key.h) of each distinct word of the same texts: a
// new word of a cross-language run takes it once (NameOrWord), stemmed in
// the run; here as written.
void BM_NameKey(benchmark::State& state) {
  const Prepared& input = PivotInput();
  std::set<std::string> distinct;
  for (const auto& t : input.tokens) {
    for (size_t i = 0; i < t.size(); ++i) distinct.emplace(t[i]);
  }
  const std::vector<std::string> words(distinct.begin(), distinct.end());
  int64_t bytes = 0;
  for (const std::string& w : words) bytes += static_cast<int64_t>(w.size());
  for (auto _ : state) {
    for (const std::string& w : words) {
      std::string key = NameKey(w);
      benchmark::DoNotOptimize(key.data());
    }
  }
  state.SetBytesProcessed(bytes * state.iterations());
  state.counters["words/s"] = benchmark::Counter(
      static_cast<double>(words.size() * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NameKey)->Unit(benchmark::kMillisecond);

// The same texts with empty token caches each time (a fresh featurizer):
// every distinct token takes the slow path (stemming, table look-ups,
// romanization), as most do in a run of 10,000 documents.
void BM_PivotFeatures_Cold(benchmark::State& state) {
  const Prepared& input = PivotInput();
  auto lexicon = Lexicon::Load(DefaultLexiconDir());
  if (!lexicon.ok()) {
    state.SkipWithError(std::string(lexicon.status().message()).c_str());
    return;
  }
  std::vector<uint32_t> ids;
  int64_t tokens = 0;
  for (const auto& t : input.tokens) tokens += t.size();
  for (auto _ : state) {
    state.PauseTiming();
    auto pivot = PivotFeaturizer::Create(*lexicon);
    state.ResumeTiming();
    for (const auto& t : input.tokens) {
      (*pivot)->Features(t, "en", &ids);
      benchmark::DoNotOptimize(ids.data());
    }
    state.PauseTiming();
    pivot->reset();
    state.ResumeTiming();
  }
  state.counters["tokens/s"] = benchmark::Counter(
      static_cast<double>(tokens * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PivotFeatures_Cold)->Unit(benchmark::kMillisecond);

// A language's first use: the lexicon opens its tables (mapped, through
// their index files) and looks up a few words. Arg 0: German (the largest
// tables, 22 MB), 1: Japanese (EDICT, 12 MB). Needs the built lexicon.
void BM_LexiconFirstUse(benchmark::State& state) {
  const bool german = state.range(0) == 0;
  const std::string lang = german ? "de" : "ja";
  const std::vector<std::string> words =
      german ? std::vector<std::string>{"haus", "hund", "schnell", "bahnhof", "zeitung", "regierung"}
             : std::vector<std::string>{"\xE7\x8C\xAB", "\xE6\x9D\xB1\xE4\xBA\xAC",
                                        "\xE6\x96\xB0\xE8\x81\x9E"};  // cat, Tokyo, newspaper
  size_t found = 0;
  for (auto _ : state) {
    auto lexicon = Lexicon::Load(DefaultLexiconDir());
    if (!lexicon.ok()) {
      state.SkipWithError(std::string(lexicon.status().message()).c_str());
      return;
    }
    for (const auto& w : words) found += !(*lexicon)->Form(lang, w).empty();
  }
  if (found == 0) state.SkipWithError("no word found: is the lexicon built?");
  const uintmax_t bytes =
      std::filesystem::file_size(std::filesystem::path(DefaultLexiconDir()) / (lang + ".tsv"));
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
}
BENCHMARK(BM_LexiconFirstUse)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_JsonParse(benchmark::State& state) {
  JsonRecordParser parser(InputOptions{});
  JsonRecord r;
  std::string err;
  int64_t bytes = 0;
  for (const auto& l : Lines()) bytes += l.size();
  for (auto _ : state) {
    for (const auto& l : Lines()) {
      benchmark::DoNotOptimize(parser.Parse(l, &r, &err));
    }
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_JsonParse);

void BM_LshIndex_AddAndPairs(benchmark::State& state) {
  const Prepared& p = EnglishPrepared();
  MinHasher h(MinHashOptions{});
  std::vector<uint32_t> sigs;
  for (const auto& s : p.shingles) {
    sigs.resize(sigs.size() + 128);
    h.Compute(s, sigs.data() + sigs.size() - 128);
  }
  const size_t n = p.shingles.size();
  for (auto _ : state) {
    BandedIndex index(LshParams{9, 13}, 256);
    for (size_t d = 0; d < n; ++d) index.Add(d, sigs.data() + d * 128);
    index.Freeze();
    benchmark::DoNotOptimize(index.CandidatePairs().size());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_LshIndex_AddAndPairs);

// Pivot features of a typical document: a few hundred distinct ids with
// IDF-like weights (most features common, a few rare).
struct WeightedDocs {
  std::vector<std::vector<uint32_t>> ids;
  std::vector<std::vector<float>> weights;
};
const WeightedDocs& PivotLikeDocs() {
  static const auto* docs = [] {
    auto* d = new WeightedDocs;
    std::mt19937_64 rng(7);
    for (int i = 0; i < 1000; ++i) {
      const int n = 50 + static_cast<int>(rng() % 500);
      std::vector<uint32_t> ids;
      for (int k = 0; k < n; ++k) ids.push_back(static_cast<uint32_t>(rng() % 200000));
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      std::vector<float> w;
      for (uint32_t f : ids) w.push_back(std::log1p(100000.0f / (1 + f % 5000)));
      d->ids.push_back(std::move(ids));
      d->weights.push_back(std::move(w));
    }
    return d;
  }();
  return *docs;
}

void BM_WeightedMinHash_128Perm(benchmark::State& state) {
  const WeightedDocs& docs = PivotLikeDocs();
  MinHasher h(MinHashOptions{});
  std::vector<uint32_t> mins(128);
  int64_t features = 0;
  for (const auto& ids : docs.ids) features += ids.size();
  for (auto _ : state) {
    for (size_t i = 0; i < docs.ids.size(); ++i) {
      h.ComputeWeighted(docs.ids[i], docs.weights[i], mins.data());
      benchmark::DoNotOptimize(mins.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * docs.ids.size());
  state.counters["features/s"] = benchmark::Counter(
      static_cast<double>(features * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WeightedMinHash_128Perm);

// The index weights of each document's features (IndexFeatures: an IDF
// look-up per feature, cubed unless of one language, names set aside):
// the 1,000 pivot-like documents against a table of their 200,000 ids,
// odd ids (name keys) and even ones at random as in a run. Bytes: the
// ids' 4 bytes each.
void BM_IndexFeatures(benchmark::State& state) {
  const WeightedDocs& docs = PivotLikeDocs();
  absl::flat_hash_map<uint32_t, float> weight;
  for (size_t d = 0; d < docs.ids.size(); ++d) {
    for (size_t i = 0; i < docs.ids[d].size(); ++i) weight[docs.ids[d][i]] = docs.weights[d][i];
  }
  const IdfTable idf(weight);
  std::vector<uint32_t> ids;
  std::vector<float> w;
  int64_t features = 0;
  for (const auto& d : docs.ids) features += static_cast<int64_t>(d.size());
  for (auto _ : state) {
    for (const auto& d : docs.ids) {
      benchmark::DoNotOptimize(IndexFeatures(d, idf, 3, &ids, &w));
    }
  }
  state.SetBytesProcessed(state.iterations() * features * 4);
  state.SetItemsProcessed(state.iterations() * features);
}
BENCHMARK(BM_IndexFeatures);

// The pivot channel's index: 128 bands of one row over 20,000 documents.
void BM_LshIndex_PivotBands(benchmark::State& state) {
  const WeightedDocs& docs = PivotLikeDocs();
  MinHasher h(MinHashOptions{});
  constexpr size_t kDocs = 20000;
  std::vector<uint32_t> sigs(kDocs * 128);
  for (size_t d = 0; d < kDocs; ++d) {
    const size_t i = d % docs.ids.size();
    std::vector<uint32_t> ids = docs.ids[i];
    for (uint32_t& f : ids) f ^= static_cast<uint32_t>(d / docs.ids.size()) << 20;  // vary
    h.ComputeWeighted(ids, docs.weights[i], sigs.data() + d * 128);
  }
  for (auto _ : state) {
    BandedIndex index(LshParams{128, 1}, 256, {{50, 1}});
    for (size_t d = 0; d < kDocs; ++d) index.Add(d, sigs.data() + d * 128);
    index.Freeze(static_cast<int>(state.range(0)));
    benchmark::DoNotOptimize(index.size());
  }
  state.SetItemsProcessed(state.iterations() * kDocs);
}
BENCHMARK(BM_LshIndex_PivotBands)->Arg(1)->Arg(2)->UseRealTime();

// Times a frozen index's candidate pairs across the languages `lang`.
// Items: documents; counter "candidates": the pairs found.
void TimeCandidatesAcrossLanguages(benchmark::State& state, const BandedIndex& index,
                                   std::span<const uint16_t> lang) {
  size_t pairs = 0;
  for (auto _ : state) {
    const std::vector<DocPair> found = index.CandidatePairs({.class_of = lang});
    pairs = found.size();
    benchmark::DoNotOptimize(found.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(lang.size()));
  state.counters["candidates"] = static_cast<double>(pairs);
}

// The pivot index's candidate pairs across languages, 20,000 documents of
// 96 one-row bands, 93 % of them in one language (as c10k and c100k):
// with one cap of 50 (Arg 0, before session 26), with two tiers (Arg 1:
// buckets of 51-200 pair documents sharing a second band, found per
// anchor; session 26) and with the pipeline's three tiers at 100,000
// documents (Arg 2: and four of up to 800), on 2 threads. Items: documents.
void BM_LshIndex_PivotCandidates(benchmark::State& state) {
  const WeightedDocs& docs = PivotLikeDocs();
  MinHasher h(MinHashOptions{.num_perm = 96});
  constexpr size_t kDocs = 20000;
  std::vector<uint32_t> sigs(kDocs * 96);
  std::vector<uint16_t> lang(kDocs);
  std::mt19937_64 rng(11);
  for (size_t d = 0; d < kDocs; ++d) {
    const size_t i = d % docs.ids.size();
    std::vector<uint32_t> ids = docs.ids[i];
    for (uint32_t& f : ids) f ^= static_cast<uint32_t>(d / docs.ids.size()) << 20;  // vary
    h.ComputeWeighted(ids, docs.weights[i], sigs.data() + d * 96);
    lang[d] = rng() % 100 < 93 ? 0 : static_cast<uint16_t>(1 + rng() % 4);
  }
  const std::vector<std::vector<BucketTier>> tiers = {
      {{50, 1}}, {{50, 1}, {200, 2}}, {{50, 1}, {200, 2}, {800, 4}}};
  BandedIndex index(LshParams{96, 1}, 800, tiers[state.range(0)]);
  for (size_t d = 0; d < kDocs; ++d) index.Add(d, sigs.data() + d * 96);
  index.Freeze(2);
  TimeCandidatesAcrossLanguages(state, index, lang);
}
BENCHMARK(BM_LshIndex_PivotCandidates)->Arg(0)->Arg(1)->Arg(2)->UseRealTime();

// The per-anchor count of the pivot index's large buckets
// (LargePairsAcrossClasses), where its time goes at a million documents:
// 200,000 documents of 96 one-row bands whose values are log-uniform (a
// value v is drawn with probability about 1/v, so buckets of every size
// from 1 to 15,000 occur, as common features make them), 93 % of them in
// one language, with the pipeline's tiers at a million documents (up to
// 50, 200, 800 and 4,500), on 2 threads. Arg: the largest tier (800 or
// 4,500). Items: documents; counter "reads": the partners the anchors read.
void BM_LshIndex_LargeBucketCount(benchmark::State& state) {
  constexpr size_t kDocs = 200000;
  constexpr int kBands = 96;
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<uint32_t> sigs(kDocs * kBands);
  for (uint32_t& v : sigs) v = static_cast<uint32_t>(std::exp(u(rng) * std::log(2e5)));
  std::vector<uint16_t> lang(kDocs);
  for (uint16_t& l : lang) l = rng() % 100 < 93 ? 0 : static_cast<uint16_t>(1 + rng() % 4);
  std::vector<BucketTier> tiers = {{50, 1}, {200, 2}, {800, 4}};
  if (state.range(0) > 800) tiers.push_back({static_cast<int>(state.range(0)), 5});
  BandedIndex index(LshParams{kBands, 1}, tiers.back().up_to, tiers);
  std::vector<uint32_t> docs(kDocs);
  for (uint32_t d = 0; d < kDocs; ++d) docs[d] = d;
  index.AddAll(docs, sigs.data(), kBands);
  index.Freeze(2);
  // The reads: each document below the top language, over its large
  // buckets, reads their members of the top language.
  size_t reads = 0;
  for (int b = 0; b < kBands; ++b) {
    std::vector<uint32_t> top(static_cast<size_t>(2e5) + 1, 0), all(top.size(), 0);
    for (uint32_t d = 0; d < kDocs; ++d) {
      ++all[sigs[d * kBands + b]];
      top[sigs[d * kBands + b]] += lang[d] == 0;
    }
    for (size_t v = 0; v < all.size(); ++v) {
      if (all[v] > 50 && all[v] <= static_cast<uint32_t>(tiers.back().up_to)) {
        reads += static_cast<size_t>(all[v] - top[v]) * top[v];
      }
    }
  }
  TimeCandidatesAcrossLanguages(state, index, lang);
  state.counters["reads"] = static_cast<double>(reads);
}
BENCHMARK(BM_LshIndex_LargeBucketCount)->Arg(800)->Arg(4500)->UseRealTime()->Unit(benchmark::kMillisecond);

// Mutual best matches over 400,000 scored candidate pairs of 100,000
// documents in 8 languages (about c100k's 413,568), with the margin rule
// off (Arg 0) and on (Arg 1: 1.1, a similarity look-up per rival). Scores
// are exponential with mean 0.015, as the candidates of c10k and c100k
// are (13 % at the floor 0.03 or more, 3-4 % at 0.05).
void BM_MutualBestMatches(benchmark::State& state) {
  constexpr uint32_t kDocs = 100000;
  constexpr size_t kPairs = 400000;
  std::mt19937 rng(7);
  std::vector<uint16_t> lang(kDocs);
  for (uint32_t d = 0; d < kDocs; ++d) lang[d] = static_cast<uint16_t>(d % 8);
  std::vector<PivotPair> scored;
  scored.reserve(kPairs);
  std::uniform_int_distribution<uint32_t> doc(0, kDocs - 1);
  std::exponential_distribution<double> score(1 / 0.015);
  while (scored.size() < kPairs) {
    uint32_t a = doc(rng), b = doc(rng);
    if (lang[a] == lang[b]) continue;
    if (a > b) std::swap(a, b);
    scored.push_back({a, b, score(rng)});
  }
  std::sort(scored.begin(), scored.end(), [](const PivotPair& x, const PivotPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  scored.erase(std::unique(scored.begin(), scored.end(),
                           [](const PivotPair& x, const PivotPair& y) {
                             return x.a == y.a && x.b == y.b;
                           }),
               scored.end());
  const double margin = state.range(0) ? 1.1 : 1.0;
  auto similarity = [](uint32_t, uint32_t) { return 0.1; };
  for (auto _ : state) {
    auto m = MutualBestMatches(scored, lang, 0.03, margin, similarity);
    benchmark::DoNotOptimize(m.data());
  }
  state.SetItemsProcessed(state.iterations() * scored.size());
}
BENCHMARK(BM_MutualBestMatches)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_Pipeline_Planted(benchmark::State& state) {
  PipelineOptions o;
  o.threads = static_cast<int>(state.range(0));
  int64_t bytes = 0;
  for (const auto& l : Lines()) bytes += l.size() + 1;
  for (auto _ : state) {
    auto r = RunDedup({kRoot + "/data/planted.jsonl"}, o);
    benchmark::DoNotOptimize(r->pairs.size());
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_Pipeline_Planted)->Arg(1)->Arg(2)->UseRealTime();

}  // namespace
}  // namespace neardup

// The common ids of two pivot feature sets, as candidate scoring finds
// them: 4,096 pairs of sorted sets of 50-225 ids out of 2^20, sharing
// about a tenth (c100k's candidates: 9.4 common ids of 103 in the smaller
// set, on average). Why so many pairs: over 256 pairs, run again and
// again, the branch predictor learnt where the matches fall, and a
// version that branches on them ran 58 ns a pair here but 262 ns over
// 4,096 (as on real candidates, each scored once). Arg: 0 the SSE2
// merge, 1 AVX-512F (rotations), 2 VP2INTERSECT, 3 AVX2 (rotations),
// where the processor has them.
void BM_CommonPositions(benchmark::State& state) {
  std::mt19937_64 rng(3);
  std::vector<std::vector<uint32_t>> a(4096), b(4096);
  size_t ids = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    std::set<uint32_t> sa, sb;
    const size_t na = 50 + rng() % 175, nb = 50 + rng() % 175;
    while (sa.size() < na) sa.insert(static_cast<uint32_t>(rng() % (1u << 20)));
    for (uint32_t x : sa) {
      if (rng() % 10 == 0) sb.insert(x);
    }
    while (sb.size() < nb) sb.insert(static_cast<uint32_t>(rng() % (1u << 20)));
    a[k].assign(sa.begin(), sa.end());
    b[k].assign(sb.begin(), sb.end());
    ids += na + nb;
  }
  const int kind = static_cast<int>(state.range(0));
  if (kind == 1 && !neardup::CpuHasAvx512()) {
    state.SkipWithError("no AVX-512F");
    return;
  }
  if (kind == 3 && !neardup::CpuHasAvx2()) {
    state.SkipWithError("no AVX2");
    return;
  }
  if (kind == 2 && !neardup::CpuHasVp2intersect()) {
    state.SkipWithError("no VP2INTERSECT");
    return;
  }
  std::vector<uint32_t> out(512);
  size_t found = 0;
  for (auto _ : state) {
    for (size_t k = 0; k < a.size(); ++k) {
      found += kind == 0   ? neardup::CommonPositionsSse2(a[k], b[k], out.data())
               : kind == 1 ? neardup::CommonPositionsAvx512(a[k], b[k], out.data())
               : kind == 3 ? neardup::CommonPositionsAvx2(a[k], b[k], out.data())
                           : neardup::CommonPositionsVp2intersect(a[k], b[k], out.data());
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(a.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(ids * sizeof(uint32_t)));
}
BENCHMARK(BM_CommonPositions)->Arg(0)->Arg(1)->Arg(2)->Arg(3);

BENCHMARK_MAIN();
