#include "neardup/pipeline.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "neardup/io/json.h"
#include "neardup/io/output.h"
#include "compress_util.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::ReadFile;
using testing::SourceDir;
using testing::TempDir;

const std::string kPlanted = SourceDir() + "/data/planted.jsonl";

PipelineOptions Defaults(int threads = 2) {
  PipelineOptions o;
  o.threads = threads;
  return o;
}

// Defaults, deciding every pair on its estimate.
PipelineOptions EstimateOnly(int threads = 2) {
  PipelineOptions o = Defaults(threads);
  o.verify = VerifyMode::kEstimate;
  return o;
}

// Ground truth of the planted corpus: the "cluster" of each id, and the
// (document, source) edges of the planted near-duplicates.
struct Truth {
  std::map<std::string, std::string> cluster;
  std::vector<std::pair<std::string, std::string>> planted;
  std::map<std::string, std::string> text;
};

Truth LoadTruth() {
  Truth t;
  InputOptions cluster_opts, dup_opts;
  cluster_opts.text_field = "cluster";
  dup_opts.text_field = "dup_of";
  JsonRecordParser as_cluster(cluster_opts), as_dup(dup_opts), as_text(InputOptions{});
  for (const std::string& line : testing::Lines(ReadFile(kPlanted))) {
    JsonRecord r;
    std::string err;
    EXPECT_TRUE(as_cluster.Parse(line, &r, &err)) << err;
    t.cluster[r.id] = std::string(r.text);
    EXPECT_TRUE(as_text.Parse(line, &r, &err));
    t.text[r.id] = std::string(r.text);
    if (as_dup.Parse(line, &r, &err)) t.planted.emplace_back(r.id, std::string(r.text));
  }
  return t;
}

// Exact Jaccard of two texts under the default normalization, computed
// directly from the shingle sets (not through signatures or the index).
double ExactJaccard(const std::string& a, const std::string& b) {
  auto tok = Tokenizer::Create(NormalizeOptions{});
  Shingler sh(ShingleOptions{});
  TokenList ta, tb;
  (*tok)->Tokenize(a, &ta);
  (*tok)->Tokenize(b, &tb);
  std::vector<uint64_t> sa, sb;
  sh.Shingle(ta, &sa);
  sh.Shingle(tb, &sb);
  return ExactOverlap(sa, sb).jaccard;
}

TEST(Pipeline, PlantedCorpusGroupsMatchTheTruth) {
  const Truth truth = LoadTruth();
  absl::StatusOr<RunResult> r = RunDedup({kPlanted}, Defaults());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->documents.size(), truth.cluster.size());
  EXPECT_EQ(r->stats.rejected, 0u);
  // Precision: a group never mixes planted clusters.
  for (const Group& g : r->groups) {
    const std::string& c = truth.cluster.at(r->documents[g.members[0]].id);
    for (uint32_t m : g.members) {
      EXPECT_EQ(truth.cluster.at(r->documents[m].id), c)
          << r->documents[m].id << " grouped with the wrong cluster";
    }
  }
  // Recall: planted pairs with exact Jaccard >= 0.95 are found with
  // probability > 0.9999 at 16 x 8 bands; all must be grouped. Of those in
  // [0.85, 0.95), LSH finds >= 0.994 and verification (estimate >= 0.8
  // with 128 values) keeps >= 0.94 at J = 0.85: require 80 %.
  std::map<std::string, int64_t> group_of;
  for (const DocumentResult& d : r->documents) group_of[d.id] = d.group;
  int high = 0, mid = 0, mid_found = 0;
  for (const auto& [doc, src] : truth.planted) {
    const double j = ExactJaccard(truth.text.at(doc), truth.text.at(src));
    const bool together = group_of[doc] >= 0 && group_of[doc] == group_of[src];
    if (j >= 0.95) {
      ++high;
      EXPECT_TRUE(together) << doc << " ~ " << src << " J=" << j;
    } else if (j >= 0.85) {
      ++mid;
      mid_found += together;
    }
  }
  EXPECT_GT(high, 20);
  EXPECT_GE(mid_found, mid * 8 / 10) << mid_found << " of " << mid;
  // Accounting: every document is kept, dropped or rejected.
  EXPECT_EQ(r->stats.kept + r->stats.duplicates + r->stats.rejected,
            r->documents.size());
  EXPECT_EQ(r->stats.duplicates,
            r->documents.size() - r->stats.kept);  // nothing rejected here
  for (const Group& g : r->groups) {
    EXPECT_EQ(r->documents[g.representative].outcome, Outcome::kKept);
  }
}

// The pivot index's bucket tiers must be ordered (lsh.h, BucketTier:
// larger buckets, more bands), and the share that caps the tiers of more
// than two bands must be one.
TEST(Pipeline, IndexIdfPowerIsValidated) {
  PipelineOptions options;
  for (int power : {1, 2, 3, 4}) {
    options.crosslingual.index_idf_power = power;
    EXPECT_TRUE(options.Validate().ok()) << power;
  }
  for (int power : {0, -1, 5}) {
    options.crosslingual.index_idf_power = power;
    EXPECT_FALSE(options.Validate().ok()) << power;
  }
}

TEST(Pipeline, PivotBucketTiersAreValidated) {
  PipelineOptions options;
  EXPECT_TRUE(options.Validate().ok());
  const std::vector<BucketTier> defaults = options.crosslingual.bucket_tiers;
  for (const std::vector<BucketTier>& bad : std::vector<std::vector<BucketTier>>{
           {{0, 1}},
           {{50, 0}},
           {{50, 1}, {40, 2}},               // sizes not increasing
           {{50, 2}, {200, 1}},              // bands decreasing
           {{50, 1}, {200, 3}, {800, 5}, {1600, 7}},  // lcm 105
       }) {
    options.crosslingual.bucket_tiers = bad;
    EXPECT_FALSE(options.Validate().ok()) << bad.size() << " tiers, first " << bad[0].up_to;
  }
  options.crosslingual.bucket_tiers = {{50, 1}, {300, 2}};
  EXPECT_TRUE(options.Validate().ok());
  options.crosslingual.bucket_tiers = {};  // every bucket (windowed)
  EXPECT_TRUE(options.Validate().ok());
  options.crosslingual.bucket_tiers = defaults;
  for (const double share : {0.0, -0.1, 1.5}) {
    options.crosslingual.many_band_share = share;
    EXPECT_FALSE(options.Validate().ok()) << share;
  }
  options.crosslingual.many_band_share = 0.008;
  for (const int kept : {1, 0, -5}) {  // a thinned bucket of one pairs nothing
    options.crosslingual.thin_max_kept = kept;
    EXPECT_FALSE(options.Validate().ok()) << kept;
  }
  options.crosslingual.thin_max_kept = 2;
  EXPECT_TRUE(options.Validate().ok());
  options.crosslingual.strongest_pairs = -1;
  EXPECT_FALSE(options.Validate().ok());
  options.crosslingual.strongest_pairs = 0;  // keeps them all
  EXPECT_TRUE(options.Validate().ok());
}

// A run's tiers: those of more than two bands capped at many_band_share of
// the documents indexed (0.008 by default: 800 at 100,000, 4,500 from
// 562,500), and left out where that is not above the tier before.
TEST(Pipeline, PivotBucketTiersFollowTheInputsSize) {
  CrossLingualOptions options;
  using Tiers = std::vector<BucketTier>;
  EXPECT_EQ(PivotBucketTiers(options, 10000), (Tiers{{10, 1}, {200, 2}}));
  EXPECT_EQ(PivotBucketTiers(options, 25000), (Tiers{{10, 1}, {200, 2}}));
  EXPECT_EQ(PivotBucketTiers(options, 50000), (Tiers{{10, 1}, {200, 2}, {400, 4}}));
  EXPECT_EQ(PivotBucketTiers(options, 100000), (Tiers{{10, 1}, {200, 2}, {800, 4}}));
  EXPECT_EQ(PivotBucketTiers(options, 200000),
            (Tiers{{10, 1}, {200, 2}, {800, 4}, {1600, 5}}));
  EXPECT_EQ(PivotBucketTiers(options, 1000000),
            (Tiers{{10, 1}, {200, 2}, {800, 4}, {4500, 5}}));
  options.bucket_tiers = {{800, 4}};
  EXPECT_EQ(PivotBucketTiers(options, 10), (Tiers{{1, 4}}));  // at least 1
}

TEST(Pipeline, OutputIsIdenticalForAnyThreadCount) {
  auto one = RunDedup({kPlanted}, Defaults(1));
  auto two = RunDedup({kPlanted}, Defaults(2));
  auto three = RunDedup({kPlanted}, Defaults(3));
  ASSERT_TRUE(one.ok() && two.ok() && three.ok());
  EXPECT_EQ(DocumentsJsonl(*one), DocumentsJsonl(*two));
  EXPECT_EQ(PairsJsonl(*one), PairsJsonl(*two));
  EXPECT_EQ(GroupsJsonl(*one), GroupsJsonl(*two));
  EXPECT_EQ(PairsJsonl(*one), PairsJsonl(*three));
  EXPECT_FALSE(PairsJsonl(*one).empty());
}

// Auto verification: pairs near the threshold are re-read and decided on
// their exact Jaccard, which is reported; every kept re-checked pair
// reaches the threshold exactly, and the re-checked scores equal those of
// a full exact run.
TEST(Pipeline, AutoVerificationRechecksBorderlinePairsExactly) {
  auto r = RunDedup({kPlanted}, Defaults());
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r->stats.exact_rechecks, 0u);
  PipelineOptions exact = Defaults();
  exact.verify = VerifyMode::kExact;
  auto e = RunDedup({kPlanted}, exact);
  ASSERT_TRUE(e.ok());
  std::map<std::pair<uint32_t, uint32_t>, double> exact_score;
  for (const ScoredPair& p : e->pairs) exact_score[{p.a, p.b}] = *p.exact_jaccard;
  int checked = 0;
  for (const ScoredPair& p : r->pairs) {
    if (!p.exact_jaccard) continue;
    ++checked;
    EXPECT_GE(*p.exact_jaccard, 0.8 - 1e-9);
    auto it = exact_score.find({p.a, p.b});
    if (it != exact_score.end()) EXPECT_DOUBLE_EQ(it->second, *p.exact_jaccard);
  }
  EXPECT_GT(checked, 0);
}

// Text-file inputs are read again for exact re-checks, by their own
// path: the planted corpus as one file per document gives the JSONL run's
// pairs and exact scores.
TEST(Pipeline, TextFileInputsAreRereadForExactRechecks) {
  TempDir dir;
  const Truth t = LoadTruth();
  std::vector<std::string> files;
  // Relative paths, as a shell gives them (an absolute one would hide a
  // folder's path joined in front of it).
  for (const auto& [id, text] : t.text) {
    files.push_back(std::filesystem::relative(dir.Write(id + ".txt", text)).string());
  }
  ASSERT_TRUE(std::filesystem::path(files[0]).is_relative());
  // Same-language pairs only: the JSONL tags every document "en", while
  // the files' languages are guessed from made-up words (es, pt, und ...),
  // so the two runs' cross-language links are not comparable.
  PipelineOptions o = Defaults();
  o.crosslingual.enabled = false;
  auto from_files = RunDedup(files, o);
  auto from_jsonl = RunDedup({kPlanted}, o);
  ASSERT_TRUE(from_files.ok() && from_jsonl.ok());
  EXPECT_GT(from_files->stats.exact_rechecks, 0u);
  EXPECT_EQ(from_files->stats.exact_rechecks, from_jsonl->stats.exact_rechecks);
  auto pairs = [](const RunResult& r, bool strip) {
    std::set<std::tuple<std::string, std::string, double>> out;
    for (const ScoredPair& p : r.pairs) {
      std::string a = r.documents[p.a].id, b = r.documents[p.b].id;
      if (strip) {
        a = std::filesystem::path(a).stem().string();
        b = std::filesystem::path(b).stem().string();
      }
      if (b < a) std::swap(a, b);
      out.emplace(a, b, p.exact_jaccard.value_or(-1));
    }
    return out;
  };
  const auto expected = pairs(*from_jsonl, false);
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(pairs(*from_files, true), expected);
}

// gzip and zstd compressed JSONL give the plain file's output: the same
// records, pairs and groups, and borderline pairs are re-checked exactly
// (the compressed file is decompressed again for them).
TEST(Pipeline, CompressedJsonlGivesThePlainFilesOutput) {
  TempDir dir;
  const std::string plain = ReadFile(kPlanted);
  auto expected = RunDedup({kPlanted}, Defaults());
  ASSERT_TRUE(expected.ok());
  ASSERT_GT(expected->stats.exact_rechecks, 0u);
  for (const std::string& path : {dir.Write("p.jsonl.gz", testing::Gzip(plain)),
                                   dir.Write("p.jsonl.zst", testing::Zstd(plain))}) {
    auto r = RunDedup({path}, Defaults());
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->stats.exact_rechecks, expected->stats.exact_rechecks) << path;
    EXPECT_EQ(PairsJsonl(*r), PairsJsonl(*expected)) << path;
    EXPECT_EQ(GroupsJsonl(*r), GroupsJsonl(*expected)) << path;
    EXPECT_EQ(r->documents.size(), expected->documents.size());
  }
}

// WriteKept reads the inputs again; an input that changed since the run
// is an error and leaves nothing behind, not a corpus that disagrees with
// documents.jsonl.
TEST(Pipeline, KeptCorpusRefusesAChangedInput) {
  TempDir dir;
  const std::string input = dir.Write("in.jsonl", ReadFile(kPlanted));
  auto r = RunDedup({input}, Defaults());
  ASSERT_TRUE(r.ok());
  const std::string kept = (dir.path() / "kept.jsonl").string();
  ASSERT_TRUE(WriteKept(kept, {input}, InputOptions{}, *r).ok());
  EXPECT_EQ(testing::Lines(ReadFile(kept)).size(), r->stats.kept);
  std::filesystem::remove(kept);
  // A line inserted, and (as many lines) one line made longer.
  const std::vector<std::string> lines = testing::Lines(ReadFile(kPlanted));
  std::string longer;
  for (size_t i = 0; i < lines.size(); ++i) {
    longer += (i == 10 ? "{\"id\":\"x\",\"text\":\"longer than it was, and more\"}" : lines[i]) + "\n";
  }
  for (const std::string& changed :
       {"{\"id\":\"new\",\"text\":\"a line inserted\"}\n" + ReadFile(kPlanted), longer}) {
    dir.Write("in.jsonl", changed);
    absl::Status s = WriteKept(kept, {input}, InputOptions{}, *r);
    EXPECT_TRUE(absl::IsDataLoss(s)) << s;
    EXPECT_NE(s.message().find("changed since it was read"), std::string::npos) << s;
    EXPECT_FALSE(std::filesystem::exists(kept));
    EXPECT_FALSE(std::filesystem::exists(kept + ".tmp"));
  }
}

// --seen: the planted corpus' first 150 records as documents seen before,
// its last 150 as the run's inputs. The matching is the run's over all
// 300 (the same pairs as one run over both files, but those between two
// seen documents); what changes is what is kept and what is reported: an
// input document grouped with a seen one of its language is dropped for
// it, even when it is longer (the default keeps the longest), and only
// the inputs' documents are counted and written.
TEST(Pipeline, SeenDocumentsAreKeptAndTheInputsMatchingThemDropped) {
  const Truth truth = LoadTruth();
  TempDir dir;
  const std::vector<std::string> lines = testing::Lines(ReadFile(kPlanted));
  std::string first, second;
  for (size_t i = 0; i < lines.size(); ++i) (i < 150 ? first : second) += lines[i] + "\n";
  const std::string archive = dir.Write("archive.jsonl", first);
  const std::string today = dir.Write("today.jsonl", second);
  PipelineOptions seen_opts = Defaults();
  seen_opts.seen_inputs = 1;
  auto r = RunDedup({archive, today}, seen_opts);
  auto all = RunDedup({archive, today}, Defaults());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(r->documents.size(), 300u);
  EXPECT_EQ(r->FirstInputDocument(), 150u);
  for (size_t d = 0; d < 300; ++d) EXPECT_EQ(r->documents[d].seen, d < 150) << d;
  EXPECT_EQ(r->stats.records, 150u);
  EXPECT_EQ(r->stats.seen_records, 150u);
  EXPECT_EQ(r->stats.kept + r->stats.duplicates + r->stats.rejected, 150u);

  // The same pairs, but those between two seen documents outside the
  // groups reported (inside one, they show how its inputs joined it).
  std::set<std::tuple<uint32_t, uint32_t, double>> expected, got;
  int seen_pairs_inside = 0;
  for (const ScoredPair& p : all->pairs) {
    const bool inside = r->documents[p.a].group >= 0;
    if (p.b >= 150 || inside) expected.emplace(p.a, p.b, p.score);
    seen_pairs_inside += p.b < 150 && inside;
  }
  EXPECT_GT(seen_pairs_inside, 0);
  for (const ScoredPair& p : r->pairs) got.emplace(p.a, p.b, p.score);
  EXPECT_EQ(got, expected);

  int dropped_for_seen = 0, across = 0;
  for (const Group& g : r->groups) {
    std::vector<uint32_t> seen_members;
    for (uint32_t m : g.members) {
      if (m < 150) seen_members.push_back(m);
    }
    ASSERT_TRUE(g.members.back() >= 150) << "a group of seen documents alone is not reported";
    for (size_t i = 0; i < g.members.size(); ++i) {
      const uint32_t m = g.members[i];
      const DocumentResult& d = r->documents[m];
      if (m < 150) continue;
      // Grouped as the run over both files groups it.
      const DocumentResult& same = all->documents[m];
      ASSERT_GE(same.group, 0);
      EXPECT_EQ(all->groups[same.group].members, g.members) << d.id;
      if (!seen_members.empty()) {
        // Stood for by a seen member (the planted corpus is one language).
        EXPECT_EQ(d.outcome, Outcome::kDuplicate) << d.id;
        EXPECT_LT(g.kept_for[i], 150u) << d.id;
        EXPECT_EQ(d.reason, "duplicate of seen document " + r->documents[g.kept_for[i]].id);
        ++dropped_for_seen;
        if (d.text_bytes > r->documents[g.kept_for[i]].text_bytes) ++across;
      }
    }
    if (seen_members.empty()) {
      EXPECT_EQ(r->documents[g.representative].outcome, Outcome::kKept);
    }
  }
  // The planted truth, independently of the run: inputs whose cluster has
  // a seen document, and the pairs the run found between them.
  std::set<std::string> seen_clusters;
  for (size_t d = 0; d < 150; ++d) seen_clusters.insert(truth.cluster.at(r->documents[d].id));
  int inputs_in_seen_clusters = 0;
  for (size_t d = 150; d < 300; ++d) {
    inputs_in_seen_clusters += seen_clusters.count(truth.cluster.at(r->documents[d].id)) > 0 &&
                               truth.cluster.at(r->documents[d].id) != r->documents[d].id;
  }
  EXPECT_GT(dropped_for_seen, 10);
  EXPECT_LE(dropped_for_seen, inputs_in_seen_clusters);
  EXPECT_GT(across, 0) << "some dropped input is longer than the seen document kept";

  // Reported: the inputs' documents only; a group names its seen members.
  const std::vector<std::string> docs = testing::Lines(DocumentsJsonl(*r));
  ASSERT_EQ(docs.size(), 150u);
  EXPECT_NE(docs[0].find(r->documents[150].id), std::string::npos);
  EXPECT_NE(GroupsJsonl(*r).find("\"seen\":[\""), std::string::npos);
  // --kept writes the kept inputs, and does not read the seen ones again.
  const std::string kept = (dir.path() / "kept.jsonl").string();
  std::filesystem::remove(archive);
  ASSERT_TRUE(WriteKept(kept, {archive, today}, InputOptions{}, *r).ok());
  std::vector<std::string> want;
  for (size_t d = 150; d < 300; ++d) {
    if (r->documents[d].outcome == Outcome::kKept) want.push_back(lines[d]);
  }
  EXPECT_EQ(testing::Lines(ReadFile(kept)), want);
  EXPECT_EQ(want.size(), r->stats.kept);
}

// An input document with the id of a seen one is rejected as a duplicate
// id, named by where the seen one is; and a shorter seen copy is kept over
// a longer input, with either keep policy.
TEST(Pipeline, SeenIdsAndKeepPolicies) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 200; ++i) text += "word" + std::to_string(i * 7919 % 1000) + " ";
  const std::string archive =
      dir.Write("a.jsonl", "{\"id\":\"old\",\"text\":\"" + text + "\"}\n");
  const std::string today = dir.Write(
      "t.jsonl", "{\"id\":\"new\",\"text\":\"" + text + " and a few more words at its end\"}\n"
                 "{\"id\":\"old\",\"text\":\"another text altogether\"}\n");
  for (KeepPolicy keep : {KeepPolicy::kLongest, KeepPolicy::kFirst}) {
    PipelineOptions o = Defaults();
    o.keep = keep;
    o.seen_inputs = 1;
    auto r = RunDedup({archive, today}, o);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->documents.size(), 3u);
    EXPECT_EQ(r->documents[1].outcome, Outcome::kDuplicate);
    EXPECT_EQ(r->documents[1].reason, "duplicate of seen document old");
    EXPECT_EQ(r->documents[2].reject, RejectCode::kDuplicateId);
    EXPECT_NE(r->documents[2].reason.find("a.jsonl:1"), std::string::npos) << r->documents[2].reason;
    EXPECT_EQ(r->stats.records, 2u);
    EXPECT_EQ(r->stats.duplicates, 1u);
    EXPECT_EQ(r->stats.rejected, 1u);
  }
  PipelineOptions o = Defaults();
  o.seen_inputs = 3;
  EXPECT_FALSE(RunDedup({archive, today}, o).ok());
  // An empty input is reported as one, seen documents or not.
  o.seen_inputs = 1;
  auto empty = RunDedup({archive, dir.Write("empty.jsonl", "")}, o);
  ASSERT_TRUE(empty.ok());
  ASSERT_EQ(empty->warnings.size(), 1u);
  EXPECT_NE(empty->warnings[0].find("no documents in the input"), std::string::npos);
  EXPECT_EQ(empty->stats.records, 0u);
}

// --seen-cache: a seen input's records replayed from the cache give the
// run exactly what reading it gives (every output file, the counts), for a
// plain and a compressed archive; a changed archive, other options or a
// damaged cache file are read again (and the cache rewritten), never
// replayed.
TEST(Pipeline, SeenCacheReplaysExactlyWhatReadingGives) {
  TempDir dir;
  const std::vector<std::string> lines = testing::Lines(ReadFile(kPlanted));
  std::string first, second;
  for (size_t i = 0; i < lines.size(); ++i) (i < 200 ? first : second) += lines[i] + "\n";
  const std::string today = dir.Write("today.jsonl", second);
  const std::string cache = (dir.path() / "cache").string();
  for (const std::string& archive : {dir.Write("archive.jsonl", first),
                                     dir.Write("archive.jsonl.zst", testing::Zstd(first))}) {
    SCOPED_TRACE(archive);
    PipelineOptions plain = Defaults();
    plain.seen_inputs = 1;
    PipelineOptions cached = plain;
    cached.seen_cache_dir = cache;
    auto expected = RunDedup({archive, today}, plain);
    ASSERT_TRUE(expected.ok());
    ASSERT_GT(expected->stats.exact_rechecks, 0u);
    for (int run = 0; run < 2; ++run) {
      auto r = RunDedup({archive, today}, cached);
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(r->stats.seen_cached_inputs, run == 0 ? 0u : 1u);
      EXPECT_EQ(DocumentsJsonl(*r), DocumentsJsonl(*expected));
      EXPECT_EQ(PairsJsonl(*r), PairsJsonl(*expected));
      EXPECT_EQ(GroupsJsonl(*r), GroupsJsonl(*expected));
      EXPECT_EQ(r->stats.seen_records, 200u);
      EXPECT_EQ(r->stats.bytes_read, expected->stats.bytes_read);
      EXPECT_EQ(r->stats.exact_rechecks, expected->stats.exact_rechecks);
    }
    // Other options: read again.
    PipelineOptions other = cached;
    other.minhash.seed = 7;
    auto r = RunDedup({archive, today}, other);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->stats.seen_cached_inputs, 0u);
  }
  // The archive changed: a line that duplicates today's first record is
  // appended, and that record is now dropped for it.
  const std::string archive = (dir.path() / "archive.jsonl").string();
  PipelineOptions cached = Defaults();
  cached.seen_inputs = 1;
  cached.seen_cache_dir = cache;
  ASSERT_TRUE(RunDedup({archive, today}, cached).ok());
  auto before = RunDedup({archive, today}, cached);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->stats.seen_cached_inputs, 1u);
  JsonRecord rec;
  std::string err;
  JsonRecordParser parser{InputOptions{}};
  ASSERT_TRUE(parser.Parse(lines[200], &rec, &err));
  {
    std::ofstream f(archive, std::ios::app);
    std::string line = "{\"id\":\"again\",\"text\":";
    AppendJsonString(&line, rec.text);
    f << line << "}\n";
  }
  auto after = RunDedup({archive, today}, cached);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->stats.seen_cached_inputs, 0u);
  EXPECT_EQ(after->stats.seen_records, 201u);
  EXPECT_EQ(after->documents[201].reason, "duplicate of seen document again");
  // Edited in place, same size, its modification time set back (as
  // `touch -d` or `cp -p` do): the change time shows it, read again.
  {
    struct stat st;
    ASSERT_EQ(::stat(archive.c_str(), &st), 0);
    std::string bytes = ReadFile(archive);
    const size_t at = bytes.find("\"again\"");
    ASSERT_NE(at, std::string::npos);
    bytes.replace(at, 7, "\"AGAIN\"");
    std::ofstream(archive, std::ios::in | std::ios::out | std::ios::binary) << bytes;
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    ASSERT_EQ(::utimensat(AT_FDCWD, archive.c_str(), times, 0), 0);
    auto edited = RunDedup({archive, today}, cached);
    ASSERT_TRUE(edited.ok());
    EXPECT_EQ(edited->stats.seen_cached_inputs, 0u);
    EXPECT_EQ(edited->documents[201].reason, "duplicate of seen document AGAIN");
    after = std::move(edited);
  }
  // Standard input twice is refused, also when a cached seen file lies
  // between the two (each is read by its own reader).
  PipelineOptions twice = cached;
  twice.seen_inputs = 2;
  EXPECT_FALSE(RunDedup({"-", archive, "-"}, twice).ok());
  // A damaged cache file: read again, and rewritten.
  for (const auto& entry : std::filesystem::directory_iterator(cache)) {
    if (entry.path().extension() != ".ndseen") continue;
    std::string bytes = ReadFile(entry.path());
    bytes[bytes.size() / 2] ^= 0x20;
    dir.Write(std::filesystem::relative(entry.path(), dir.path()).string(), bytes);
  }
  auto damaged = RunDedup({archive, today}, cached);
  ASSERT_TRUE(damaged.ok());
  EXPECT_EQ(damaged->stats.seen_cached_inputs, 0u);
  EXPECT_EQ(DocumentsJsonl(*damaged), DocumentsJsonl(*after));
  auto again = RunDedup({archive, today}, cached);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stats.seen_cached_inputs, 1u);
  EXPECT_EQ(PairsJsonl(*again), PairsJsonl(*after));
}

TEST(Pipeline, ExactVerificationReportsExactScores) {
  PipelineOptions o = Defaults();
  o.verify = VerifyMode::kExact;
  auto r = RunDedup({kPlanted}, o);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->pairs.empty());
  for (const ScoredPair& p : r->pairs) {
    ASSERT_TRUE(p.exact_jaccard.has_value());
    EXPECT_GE(*p.exact_jaccard, 0.8 - 1e-9);
    EXPECT_LE(*p.exact_jaccard, std::min(p.a_in_b, p.b_in_a) + 1e-9);
  }
}

// Every kind of bad record: rejected with its code and a reason, located
// by file and line, and counted; good records around them still processed.
TEST(Pipeline, BadRecordsAreRejectedWithReasonsAndAccountedFor) {
  TempDir dir;
  const std::string good = "the quick brown fox jumps over the lazy dog again";
  const std::string huge(3000, 'x');
  const std::string path = dir.Write(
      "bad.jsonl",
      "{\"id\":\"ok1\",\"text\":\"" + good + "\"}\n"      // 1
      "{\"id\":\"broken\",\"text\":\"no end}\n"             // 2
      "{\"id\":\"utf8\",\"text\":\"caf\xE9\"}\n"            // 3
      "{\"id\":\"nul\",\"text\":\"a\\u0000b\"}\n"           // 4
      "{\"id\":\"empty\",\"text\":\"\"}\n"                   // 5
      "{\"id\":\"blank\",\"text\":\"  \\n \"}\n"            // 6
      "{\"id\":\"notext\"}\n"                                // 7
      "{\"id\":\"numtext\",\"text\":12}\n"                   // 8
      "\n"                                                   // 9 (blank line)
      "{\"id\":\"ok1\",\"text\":\"another text entirely here\"}\n"  // 10
      "{\"id\":\"big\",\"text\":\"" + huge + "\"}\n"         // 11
      "{\"id\":\"punct\",\"text\":\"!!! ... ???\"}\n"        // 12
      "{\"text\":\"" + good + "\"}\n");                      // 13: no id
  PipelineOptions o = Defaults();
  o.input.max_doc_bytes = 1000;
  auto r = RunDedup({path}, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->documents.size(), 12u);  // 13 lines, one blank
  EXPECT_EQ(r->stats.blank_lines, 1u);
  std::map<uint64_t, RejectCode> want = {
      {2, RejectCode::kInvalidJson}, {3, RejectCode::kInvalidUtf8},
      {4, RejectCode::kNulByte},     {5, RejectCode::kEmpty},
      {6, RejectCode::kEmpty},       {7, RejectCode::kMissingText},
      {8, RejectCode::kBadField},    {10, RejectCode::kDuplicateId},
      {11, RejectCode::kTooLarge},   {12, RejectCode::kNoWords}};
  for (const DocumentResult& d : r->documents) {
    auto it = want.find(d.line);
    if (it == want.end()) {
      EXPECT_NE(d.outcome, Outcome::kRejected) << "line " << d.line << ": " << d.reason;
      continue;
    }
    EXPECT_EQ(d.outcome, Outcome::kRejected) << "line " << d.line;
    EXPECT_EQ(d.reject, it->second) << "line " << d.line << ": " << d.reason;
    EXPECT_FALSE(d.reason.empty());
    EXPECT_EQ(r->SourceOf(d), path + ":" + std::to_string(d.line));
  }
  EXPECT_EQ(r->stats.rejected, want.size());
  // The duplicate id names where the id was first seen.
  EXPECT_NE(r->documents[8].reason.find(path + ":1"), std::string::npos)
      << r->documents[8].reason;
  // Line 13 has no id: it is named by its place, and it duplicates line 1.
  EXPECT_EQ(r->documents[11].id, path + ":13");
  EXPECT_EQ(r->documents[11].outcome, Outcome::kDuplicate);
  EXPECT_EQ(r->documents[11].reason, "duplicate of ok1");
  // documents.jsonl has one line per record.
  EXPECT_EQ(testing::Lines(DocumentsJsonl(*r)).size(), 12u);
}

TEST(Pipeline, BadFilesInFoldersAreRejectedWithLineNumbers) {
  TempDir dir;
  dir.Write("in/a.txt", "a perfectly ordinary document with enough words in it");
  dir.Write("in/b.txt", "first line\nsecond line has a bad byte \xFF here\n");
  dir.Write("in/c.txt", std::string("nul\0byte", 8));
  dir.Write("in/d.txt", "");
  dir.Write("in/e.txt", std::string(5000, 'y'));
  PipelineOptions o = Defaults();
  o.input.max_doc_bytes = 1000;
  const std::string in = (dir.path() / "in").string();
  auto r = RunDedup({in}, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->documents.size(), 5u);
  EXPECT_EQ(r->documents[0].outcome, Outcome::kKept);
  EXPECT_EQ(r->documents[1].reject, RejectCode::kInvalidUtf8);
  EXPECT_NE(r->documents[1].reason.find("line 2"), std::string::npos)
      << r->documents[1].reason;
  EXPECT_EQ(r->SourceOf(r->documents[1]), in + "/b.txt");
  EXPECT_EQ(r->documents[2].reject, RejectCode::kNulByte);
  EXPECT_EQ(r->documents[3].reject, RejectCode::kEmpty);
  EXPECT_EQ(r->documents[4].reject, RejectCode::kTooLarge);
}

TEST(Pipeline, StrictStopsAtTheFirstBadRecord) {
  TempDir dir;
  const std::string path = dir.Write(
      "s.jsonl", "{\"id\":1,\"text\":\"fine text here\"}\n{\"id\":2,\"text\":\n");
  PipelineOptions o = Defaults();
  o.strict = true;
  auto r = RunDedup({path}, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(path + ":2"), std::string::npos)
      << r.status();
}

TEST(Pipeline, ShortDocumentsAreComparedNotDropped) {
  TempDir dir;
  const std::string path = dir.Write(
      "short.jsonl",
      "{\"id\":\"a\",\"text\":\"Hello World\"}\n"
      "{\"id\":\"b\",\"text\":\"hello,   WORLD!\"}\n"
      "{\"id\":\"c\",\"text\":\"goodbye world\"}\n");
  auto r = RunDedup({path}, Defaults());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->groups.size(), 1u);
  EXPECT_EQ(r->groups[0].members, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(r->documents[2].outcome, Outcome::kKept);
}

TEST(Pipeline, OptionsAreValidated) {
  PipelineOptions o;
  o.minhash.num_perm = 0;
  EXPECT_FALSE(RunDedup({kPlanted}, o).ok());
  PipelineOptions t;
  t.lsh.threshold = 1.5;
  EXPECT_FALSE(RunDedup({kPlanted}, t).ok());
}

}  // namespace
}  // namespace neardup
