// End-to-end tests of the neardup command: exit codes, help, files, stdin,
// determinism across thread counts, and bad input.
#include <sys/stat.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/flags.h"
#include "neardup/crosslingual.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::Lines;
using testing::ReadFile;
using testing::SourceDir;
using testing::TempDir;

struct Result {
  int code;
  std::string out, err;
};

Result RunCli(const std::string& args, const TempDir& dir) {
  const std::string out = (dir.path() / "stdout").string();
  const std::string err = (dir.path() / "stderr").string();
  const std::string cmd = std::string(NEARDUP_BINARY) + " " + args + " >" +
                          out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  return Result{WEXITSTATUS(status), ReadFile(out), ReadFile(err)};
}

const std::string kPlanted = SourceDir() + "/data/planted.jsonl";
const std::string kSeeds = SourceDir() + "/data/seeds";

// The CLI runs itself again with glibc.malloc.hugetlb=1 (main.cc,
// RerunWithHugePageMalloc): with the same arguments, and with the same
// output as a run that keeps the allocator as it was (=0) or that had
// other tunables to keep.
TEST(Cli, RerunWithHugePageMallocKeepsArgumentsAndOutput) {
  TempDir dir;
  const std::string run = " dedup " + kSeeds + " --quiet --out ";
  std::vector<std::string> outputs;
  for (const char* env : {"env -u GLIBC_TUNABLES", "env GLIBC_TUNABLES=glibc.malloc.hugetlb=0",
                          "env GLIBC_TUNABLES=glibc.malloc.tcache_count=0"}) {
    const std::string out = (dir.path() / ("out" + std::to_string(outputs.size()))).string();
    const std::string cmd = std::string(env) + " " + NEARDUP_BINARY + run + out;
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    const std::string pairs = ReadFile(out + "/pairs.jsonl");
    EXPECT_NE(pairs.find("cross-language"), std::string::npos) << env;
    outputs.push_back(pairs + ReadFile(out + "/groups.jsonl") + ReadFile(out + "/documents.jsonl"));
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  EXPECT_EQ(outputs[0], outputs[2]);
}

TEST(Cli, HelpListsEveryOptionWithItsDefault) {
  TempDir dir;
  Result main = RunCli("--help", dir);
  EXPECT_EQ(main.code, 0);
  EXPECT_NE(main.out.find("Exit codes"), std::string::npos);
  for (const char* variable : {"NEARDUP_LEXICON", "NEARDUP_CACHE_DIR", "GLIBC_TUNABLES"}) {
    EXPECT_NE(main.out.find(variable), std::string::npos) << variable;
  }
  Result dedup = RunCli("dedup --help", dir);
  EXPECT_EQ(dedup.code, 0);
  for (const char* flag :
       {"--out", "--threshold", "--shingle", "--ngram", "--num-perm", "--seed",
        "--bands", "--rows", "--lsh-weights", "--verify", "--keep", "--fold-diacritics",
        "--id-field", "--text-field", "--lang-field", "--ext",
        "--max-doc-bytes", "--strict", "--threads", "--quiet", "--progress",
        "--no-cross-language", "--lexicon", "--translation-floor", "--translation-margin",
        "--translation-agreement", "--pivot-perm", "--pivot-pairs",
        "--story-z", "--no-stories", "--all-pairs", "--keep-one-per-group", "--kept",
        "--seen", "--seen-cache", "--cache-dir"}) {
    EXPECT_NE(dedup.out.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(dedup.out.find("[default: 0.8]"), std::string::npos);
}

TEST(Cli, UsageErrorsExitWithTwo) {
  TempDir dir;
  EXPECT_EQ(RunCli("", dir).code, 2);
  EXPECT_EQ(RunCli("frobnicate", dir).code, 2);
  Result r = RunCli("dedup", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no input"), std::string::npos);
  r = RunCli("dedup x.jsonl --threshold 2", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--threshold"), std::string::npos);
  EXPECT_EQ(RunCli("dedup x.jsonl --bands 4", dir).code, 2);
  r = RunCli("dedup x.jsonl --pivot-perm 0", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--pivot-perm"), std::string::npos);
  r = RunCli("dedup x.jsonl --pivot-pairs -1", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--pivot-pairs"), std::string::npos);
  r = RunCli("dedup x.jsonl --translation-margin 0.5", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--translation-margin"), std::string::npos);
  r = RunCli("dedup x.jsonl --translation-agreement -1", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--translation-agreement"), std::string::npos);
  EXPECT_EQ(RunCli("dedup x.jsonl --no-such-flag", dir).code, 2);
}

TEST(Cli, MissingInputFailsWithOneAndNamesIt) {
  TempDir dir;
  Result r = RunCli("dedup /nonexistent/corpus.jsonl", dir);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("/nonexistent/corpus.jsonl"), std::string::npos);
}

TEST(Cli, WritesTheFourFilesWithOneLinePerDocument) {
  TempDir dir;
  const std::string out = (dir.path() / "res").string();
  Result r = RunCli("dedup " + kPlanted + " --out " + out, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Lines(ReadFile(out + "/documents.jsonl")).size(),
            Lines(ReadFile(kPlanted)).size());
  const auto groups = Lines(ReadFile(out + "/groups.jsonl"));
  EXPECT_FALSE(groups.empty());
  EXPECT_NE(groups[0].find("\"representative\""), std::string::npos);
  const auto pairs = Lines(ReadFile(out + "/pairs.jsonl"));
  ASSERT_FALSE(pairs.empty());
  EXPECT_NE(pairs[0].find("\"containment_a_in_b\""), std::string::npos);
  const std::string summary = ReadFile(out + "/summary.json");
  EXPECT_NE(summary.find("\"bands\":16,\"rows\":8"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"read\":300"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"translation_margin\":1.1"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"translation_below_margin\":"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"translation_agreement\":0.3"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"translation_without_agreement\":"), std::string::npos) << summary;
  EXPECT_NE(r.out.find("results in"), std::string::npos);
  // A margin of 1 and an agreement of 0 (the rules off) are accepted and
  // recorded.
  r = RunCli("dedup " + kPlanted + " --translation-margin 1 --translation-agreement 0 --out " +
                 out,
             dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(ReadFile(out + "/summary.json").find("\"translation_margin\":1"), std::string::npos);
  EXPECT_NE(ReadFile(out + "/summary.json").find("\"translation_agreement\":0"),
            std::string::npos);
}

// --kept writes the deduplicated corpus: exactly the input lines whose
// documents documents.jsonl marks kept, unchanged and in input order; the
// same through gzip, and on standard output (the report then on stderr).
TEST(Cli, KeptWritesTheKeptInputLinesUnchanged) {
  TempDir dir;
  const std::string out = (dir.path() / "res").string();
  const std::string kept = (dir.path() / "kept.jsonl").string();
  Result r = RunCli("dedup " + kPlanted + " --out " + out + " --kept " + kept, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto input = Lines(ReadFile(kPlanted));
  const auto docs = Lines(ReadFile(out + "/documents.jsonl"));
  ASSERT_EQ(docs.size(), input.size());
  std::vector<std::string> expected;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].find("\"keep\":true") != std::string::npos) expected.push_back(input[i]);
  }
  ASSERT_GT(expected.size(), 100u);
  ASSERT_LT(expected.size(), input.size());  // some were dropped
  EXPECT_EQ(Lines(ReadFile(kept)), expected);
  EXPECT_NE(r.out.find("kept documents in " + kept), std::string::npos);

  r = RunCli("dedup " + kPlanted + " --kept " + kept + ".gz --quiet", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string unzipped = (dir.path() / "unzipped").string();
  ASSERT_EQ(std::system(("gzip -dc " + kept + ".gz > " + unzipped).c_str()), 0);
  EXPECT_EQ(ReadFile(unzipped), ReadFile(kept));

  r = RunCli("dedup " + kPlanted + " --kept -", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, ReadFile(kept));
  EXPECT_NE(r.err.find("documents read"), std::string::npos) << r.err;
}

// Where a run writes is checked before it reads anything: a missing
// folder for --kept or --clean, or --out under a file, is a usage error
// (exit 2) at once, not after a long run.
TEST(Cli, OutputPlacesAreCheckedBeforeTheRun) {
  TempDir dir;
  const std::string file = dir.Write("a-file", "x");
  const std::string missing = (dir.path() / "missing" / "k.jsonl").string();
  Result r = RunCli("dedup " + kPlanted + " --kept " + missing, dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no such folder"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("documents read"), std::string::npos) << "the run did not start";
  r = RunCli("dedup " + kPlanted + " --out " + file + "/res", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("cannot be made"), std::string::npos) << r.err;
  r = RunCli("check " + kPlanted + " --against " + kPlanted + " --clean " + missing, dir);
  EXPECT_EQ(r.code, 2) << r.err;
  // --out and --seen-cache folders are made as needed.
  const std::string deep = (dir.path() / "a" / "b").string();
  r = RunCli("dedup " + kPlanted + " --quiet --out " + deep, dir);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(deep + "/summary.json"));
}

// --kept needs inputs it can read again, and never writes over one.
TEST(Cli, KeptRefusesStandardInputAndOverwritingAnInput) {
  TempDir dir;
  Result r = RunCli("dedup - --kept k.jsonl < " + kPlanted, dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("standard input"), std::string::npos) << r.err;
  const std::string copy = dir.Write("copy.jsonl", ReadFile(kPlanted));
  r = RunCli("dedup " + copy + " --kept " + copy, dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("would write over or into an input"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(copy), ReadFile(kPlanted));
  // Nor over an input named PATH.tmp (its temporary name), nor inside an
  // input folder.
  const std::string tmp_named = dir.Write("k.jsonl.tmp", ReadFile(kPlanted));
  r = RunCli("dedup " + tmp_named + " --kept " + (dir.path() / "k.jsonl").string(), dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(ReadFile(tmp_named), ReadFile(kPlanted));
  const std::string inside = dir.Write("fold/a.txt", "some words here");
  r = RunCli("dedup " + (dir.path() / "fold").string() + " --kept " + inside, dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(ReadFile(inside), "some words here");
}

// neardup check: an evaluation set against a training corpus. The
// planted corpus' first 100 records against its other 200: the records
// that are near-duplicates of later ones are contaminated, and --clean
// keeps the others unchanged; an evaluation set checked against itself is
// all contaminated.
// check --clean-train: the training corpus without the records that hold
// an evaluation document, every other line unchanged (a rejected one too).
// The planted corpus' first 100 records as the evaluation set, its last
// 200 plus a bad line as the training corpus: the records dropped are
// exactly those the report lists holding at least 70 % of an evaluation
// document.
TEST(Cli, CheckCleanTrainLeavesOutTheRecordsHoldingAnEvaluationDocument) {
  TempDir dir;
  const auto lines = Lines(ReadFile(kPlanted));
  std::string eval, train;
  for (size_t i = 0; i < lines.size(); ++i) (i < 100 ? eval : train) += lines[i] + "\n";
  train += "{not json\n";
  const std::string ev = dir.Write("ev.jsonl", eval);
  const std::string tr = dir.Write("tr.jsonl", train);
  const std::string out = (dir.path() / "res").string();
  const std::string clean = (dir.path() / "tr.clean.jsonl").string();
  Result r = RunCli("check " + ev + " --against " + tr + " --max-matches 1000 --out " + out +
                        " --clean-train " + clean, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  // From contamination.jsonl: the training ids that hold >= 0.7 of one.
  std::set<std::string> holding;
  for (const std::string& line : Lines(ReadFile(out + "/contamination.jsonl"))) {
    for (size_t at = 0; (at = line.find("{\"id\":\"", at + 1)) != std::string::npos;) {
      const size_t id_end = line.find('"', at + 7);
      const size_t c = line.find("\"containment\":", id_end);
      if (c == std::string::npos) break;
      if (std::stod(line.substr(c + 14)) >= 0.7) holding.insert(line.substr(at + 7, id_end - at - 7));
    }
  }
  ASSERT_GT(holding.size(), 5u);
  std::vector<std::string> expected;
  for (const std::string& line : Lines(train)) {
    bool drop = false;
    for (const std::string& id : holding) drop |= line.starts_with("{\"id\":\"" + id + "\",");
    if (!drop) expected.push_back(line);
  }
  EXPECT_EQ(Lines(ReadFile(clean)), expected);
  EXPECT_EQ(Lines(ReadFile(clean)).back(), "{not json");
  EXPECT_NE(r.out.find(std::to_string(holding.size()) + " records each hold an evaluation document"),
            std::string::npos) << r.out;
  EXPECT_EQ(RunCli("check " + ev + " --against - --clean-train " + clean + " < " + tr, dir).code, 2);
  EXPECT_EQ(RunCli("check " + ev + " --against " + tr + " --clean-train " + tr, dir).code, 2);
  EXPECT_EQ(ReadFile(tr), train);
}

TEST(Cli, CheckFindsEvaluationDocumentsInATrainingCorpus) {
  TempDir dir;
  const auto lines = Lines(ReadFile(kPlanted));
  std::string eval, train;
  for (size_t i = 0; i < lines.size(); ++i) (i < 100 ? eval : train) += lines[i] + "\n";
  const std::string e = dir.Write("eval.jsonl", eval);
  const std::string t = (dir.path() / "train.jsonl.gz").string();  // compressed, too
  ASSERT_EQ(std::system(("gzip -c " + dir.Write("train.jsonl", train) + " > " + t).c_str()), 0);
  const std::string out = (dir.path() / "res").string();
  const std::string clean = (dir.path() / "clean.jsonl").string();
  Result r = RunCli("check " + e + " --against " + t + " --out " + out + " --clean " + clean, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto report = Lines(ReadFile(out + "/contamination.jsonl"));
  ASSERT_EQ(report.size(), 100u);
  size_t contaminated = 0;
  std::vector<std::string> expected_clean;
  for (size_t i = 0; i < report.size(); ++i) {
    if (report[i].find("\"status\":\"contaminated\"") != std::string::npos) {
      ++contaminated;
      EXPECT_NE(report[i].find("\"source\":\"" + t + ":"), std::string::npos) << report[i];
    } else {
      EXPECT_NE(report[i].find("\"status\":\"clean\""), std::string::npos) << report[i];
      expected_clean.push_back(lines[i]);
    }
  }
  EXPECT_GT(contaminated, 0u);
  EXPECT_LT(contaminated, 100u);
  EXPECT_EQ(Lines(ReadFile(clean)), expected_clean);
  EXPECT_NE(ReadFile(out + "/summary.json").find(absl::StrCat("\"contaminated\":", contaminated)),
            std::string::npos);
  EXPECT_NE(r.out.find(absl::StrCat(contaminated, " contaminated")), std::string::npos) << r.out;

  r = RunCli("check " + e + " --against " + e + " --quiet --out " + out, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadFile(out + "/contamination.jsonl").find("\"status\":\"clean\""), std::string::npos);

  EXPECT_EQ(RunCli("check " + e, dir).code, 2);                       // no --against
  EXPECT_EQ(RunCli("check " + e + " --against " + t + " --threshold 0.5", dir).code, 2);
  EXPECT_EQ(RunCli("check " + e + " --against " + t + " --containment 0", dir).code, 2);
  EXPECT_EQ(RunCli("check " + e + " --against " + t + " --min-length 0", dir).code, 2);
  r = RunCli("check --help", dir);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--against PATH"), std::string::npos);
}

// Items shorter than the n-gram: a six-word one found whole in a training
// page, a three-word one rejected as too short (one warning for all such),
// or checked with --min-length 3; "short" says which were checked whole.
TEST(Cli, CheckShortItems) {
  TempDir dir;
  const std::string e = dir.Write(
      "eval.jsonl", "{\"id\":\"q6\",\"text\":\"Who wrote the novel Moby Dick?\"}\n"
                    "{\"id\":\"q3\",\"text\":\"Capital of Liechtenstein?\"}\n");
  const std::string t = dir.Write(
      "train.jsonl", "{\"id\":\"t1\",\"text\":\"Quiz. Who wrote the novel Moby Dick? Melville. "
                     "The capital of Liechtenstein is Vaduz.\"}\n");
  const std::string out = (dir.path() / "res").string();
  Result r = RunCli("check " + e + " --against " + t + " --out " + out, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  auto report = Lines(ReadFile(out + "/contamination.jsonl"));
  ASSERT_EQ(report.size(), 2u);
  EXPECT_NE(report[0].find("\"status\":\"contaminated\""), std::string::npos) << report[0];
  EXPECT_NE(report[0].find("\"short\":true"), std::string::npos) << report[0];
  EXPECT_NE(report[1].find("\"status\":\"rejected\""), std::string::npos) << report[1];
  EXPECT_NE(report[1].find("\"code\":\"too_short\""), std::string::npos) << report[1];
  EXPECT_NE(r.err.find("1 evaluation documents are shorter than --min-length 5"),
            std::string::npos) << r.err;
  EXPECT_NE(ReadFile(out + "/summary.json").find("\"eval_too_short\":1"), std::string::npos);

  r = RunCli("check " + e + " --against " + t + " --min-length 3 --out " + out, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  report = Lines(ReadFile(out + "/contamination.jsonl"));
  EXPECT_NE(report[1].find("\"status\":\"contaminated\""), std::string::npos) << report[1];
}

// A tag that the text's script contradicts is set aside, said in the
// report and counted in summary.json (crosslingual_test has the rule).
TEST(Cli, ReportsTagsSetAside) {
  TempDir dir;
  // 東京で会議が開かれた (a meeting was held in Tokyo), tagged "en".
  const std::string in = dir.Write(
      "tags.jsonl",
      "{\"id\":\"a\",\"lang\":\"en\",\"text\":\"\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xA7"
      "\xE4\xBC\x9A\xE8\xAD\xB0\xE3\x81\x8C\xE9\x96\x8B\xE3\x81\x8B\xE3\x82\x8C"
      "\xE3\x81\x9F\"}\n"
      "{\"id\":\"b\",\"lang\":\"en\",\"text\":\"A meeting was held in Tokyo today\"}\n");
  Result r = RunCli("dedup " + in, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 language tags set aside"), std::string::npos) << r.out;
  const std::string out = (dir.path() / "res").string();
  r = RunCli("dedup " + in + " --out " + out, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(ReadFile(out + "/summary.json").find("\"lang_tags_set_aside\":1"), std::string::npos);
  EXPECT_NE(ReadFile(out + "/documents.jsonl").find("\"lang\":\"ja\",\"lang_guessed\":true,\"lang_given\":\"en\""),
            std::string::npos)
      << ReadFile(out + "/documents.jsonl");
  // explain decides as the run does.
  r = RunCli("explain --input " + in + " a b", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("a  (ja,"), std::string::npos) << r.out;
  // Without cross-language grouping the tags stand.
  r = RunCli("dedup " + in + " --no-cross-language", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("tags set aside"), std::string::npos) << r.out;
}

TEST(Cli, SameOutputWithOneAndTwoThreadsAndFromStdin) {
  TempDir dir;
  const std::string a = (dir.path() / "a").string();
  const std::string b = (dir.path() / "b").string();
  const std::string c = (dir.path() / "c").string();
  ASSERT_EQ(RunCli("dedup " + kPlanted + " --threads 1 --out " + a, dir).code, 0);
  ASSERT_EQ(RunCli("dedup " + kPlanted + " --threads 2 --out " + b, dir).code, 0);
  for (const char* f : {"/documents.jsonl", "/pairs.jsonl", "/groups.jsonl"}) {
    EXPECT_EQ(ReadFile(a + f), ReadFile(b + f)) << f;
  }
  // Standard input cannot be read again for exact re-checks: compare it
  // with a file run that decides on the estimate too.
  const std::string d = (dir.path() / "d").string();
  ASSERT_EQ(RunCli("dedup - --verify estimate --out " + c + " < " + kPlanted, dir).code, 0);
  ASSERT_EQ(RunCli("dedup " + kPlanted + " --verify estimate --out " + d, dir).code, 0);
  EXPECT_EQ(ReadFile(d + "/pairs.jsonl"), ReadFile(c + "/pairs.jsonl"));
  EXPECT_EQ(ReadFile(d + "/groups.jsonl"), ReadFile(c + "/groups.jsonl"));
  EXPECT_NE(ReadFile(c + "/documents.jsonl").find("<stdin>:1"), std::string::npos);
}

TEST(Cli, ReportWithoutOutListsGroupsAndScores) {
  TempDir dir;
  Result r = RunCli("dedup " + kPlanted, dir);
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Groups ("), std::string::npos);
  EXPECT_NE(r.out.find("jaccard"), std::string::npos);
  EXPECT_NE(r.out.find("containment"), std::string::npos);
  EXPECT_NE(r.out.find("16 bands x 8 rows"), std::string::npos);
  // Its pseudo-words are guessed "und" or one language: not a missing lexicon.
  EXPECT_NE(r.out.find("not linked (fewer than two known languages)"), std::string::npos)
      << r.out;
}

TEST(Cli, BadInputWarnsAndStrictFails) {
  TempDir dir;
  const std::string path = dir.Write(
      "bad.jsonl", "{\"id\":1,\"text\":\"some good text\"}\nnot json\n");
  Result r = RunCli("dedup " + path, dir);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.err.find(path + ":2: invalid JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("1 rejected"), std::string::npos);
  r = RunCli("dedup --strict " + path, dir);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path + ":2"), std::string::npos) << r.err;
}

TEST(Cli, FolderInputUsesRelativePathsAsIds) {
  TempDir dir;
  const std::string out = (dir.path() / "res").string();
  Result r = RunCli("dedup " + kSeeds + " --out " + out, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string docs = ReadFile(out + "/documents.jsonl");
  EXPECT_EQ(Lines(docs).size(), 5u);
  EXPECT_NE(docs.find("\"id\":\"000_7dc76a8ccd74af40.txt\""), std::string::npos);
}

// Text files named one by one (a shell's *.txt) are documents, as in a
// folder: the seeds group as they do from their folder, each named by its
// path as given.
TEST(Cli, TextFileInputsAreDocumentsNamedByTheirPath) {
  TempDir dir;
  std::string files;
  for (const char* n : {"000_7dc76a8ccd74af40", "001_ed91e4747c4b6de3",
                        "002_a648bb00cbac0b4d", "003_72d4e36795caebc5",
                        "004_09d0fca17295f493"}) {
    files += " " + kSeeds + "/" + n + ".txt";
  }
  const std::string by_file = (dir.path() / "files").string();
  const std::string by_folder = (dir.path() / "folder").string();
  ASSERT_EQ(RunCli("dedup" + files + " --out " + by_file, dir).code, 0);
  ASSERT_EQ(RunCli("dedup " + kSeeds + " --out " + by_folder, dir).code, 0);
  const std::string docs = ReadFile(by_file + "/documents.jsonl");
  ASSERT_EQ(Lines(docs).size(), 5u);
  const std::string id = kSeeds + "/000_7dc76a8ccd74af40.txt";
  EXPECT_NE(docs.find("\"id\":\"" + id + "\",\"source\":\"" + id + "\""),
            std::string::npos) << docs;
  EXPECT_EQ(docs.find("rejected"), std::string::npos) << docs;
  // The same groups: ids differ only by the folder's prefix.
  std::string groups = ReadFile(by_file + "/groups.jsonl");
  for (size_t at; (at = groups.find(kSeeds + "/")) != std::string::npos;) {
    groups.erase(at, kSeeds.size() + 1);
  }
  EXPECT_EQ(groups, ReadFile(by_folder + "/groups.jsonl"));
}

// A news feed against what it published before: yesterday's article 000
// (Japanese) seen, today's 001-004. The translation (002, German) and the
// Italian rewrite (001) of the same story are kept by default, one per
// language, in 000's group, which names it as seen; with
// --keep-one-per-group they are dropped for it. 004 (another story) is
// kept alone. 000 is not reported or written by --kept.
TEST(Cli, SeenArticlesAcrossLanguages) {
  TempDir dir;
  auto seed = [](const char* n) { return kSeeds + "/" + n + ".txt"; };
  const std::string old = seed("000_7dc76a8ccd74af40");
  const std::string today = seed("001_ed91e4747c4b6de3") + " " + seed("002_a648bb00cbac0b4d") +
                            " " + seed("003_72d4e36795caebc5") + " " + seed("004_09d0fca17295f493");
  const std::string out = (dir.path() / "res").string();
  const std::string kept = (dir.path() / "kept.jsonl").string();
  Result r = RunCli("dedup " + today + " --seen " + old + " --out " + out + " --kept " + kept, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::vector<std::string> docs = Lines(ReadFile(out + "/documents.jsonl"));
  ASSERT_EQ(docs.size(), 4u);
  for (int i : {0, 1, 2, 3}) {
    EXPECT_NE(docs[i].find("\"status\":\"kept\""), std::string::npos) << docs[i];
  }
  EXPECT_NE(docs[1].find("\"group\":0"), std::string::npos) << docs[1];
  EXPECT_NE(docs[3].find("\"group\":null"), std::string::npos) << docs[3];
  const std::string groups = ReadFile(out + "/groups.jsonl");
  EXPECT_NE(groups.find("\"seen\":[\"" + old + "\"]"), std::string::npos) << groups;
  EXPECT_EQ(Lines(groups).size(), 1u);
  EXPECT_EQ(Lines(ReadFile(kept)).size(), 4u);
  EXPECT_EQ(ReadFile(kept).find("000_7dc76a8ccd74af40"), std::string::npos);
  const std::string summary = ReadFile(out + "/summary.json");
  EXPECT_NE(summary.find("\"seen\":1,"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"seen_inputs\": [\"" + old + "\"]"), std::string::npos) << summary;

  r = RunCli("dedup " + today + " --seen " + old + " --keep-one-per-group --out " + out, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::vector<std::string> one = Lines(ReadFile(out + "/documents.jsonl"));
  ASSERT_EQ(one.size(), 4u);
  for (int i : {0, 1}) {
    EXPECT_NE(one[i].find("\"reason\":\"translation of seen document " + old + "\""),
              std::string::npos) << one[i];
  }
  EXPECT_NE(one[3].find("\"status\":\"kept\""), std::string::npos) << one[3];
  // --seen-drops-translations drops the translation and the rewrite, and
  // keeps 003, another article on the story (one per group dropped it).
  EXPECT_EQ(one[2].find("\"status\":\"kept\""), std::string::npos) << one[2];
  r = RunCli("dedup " + today + " --seen " + old + " --seen-drops-translations --out " + out, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::vector<std::string> tr = Lines(ReadFile(out + "/documents.jsonl"));
  ASSERT_EQ(tr.size(), 4u);
  for (int i : {0, 1}) {
    EXPECT_NE(tr[i].find("\"reason\":\"translation of seen document " + old + "\""),
              std::string::npos) << tr[i];
  }
  for (int i : {2, 3}) EXPECT_NE(tr[i].find("\"status\":\"kept\""), std::string::npos) << tr[i];
  EXPECT_NE(tr[2].find("\"group\":0"), std::string::npos) << tr[2];
  EXPECT_NE(ReadFile(out + "/summary.json").find("\"dropped\":2,\"dropped_translations\":2,"),
            std::string::npos);
  EXPECT_NE(r.out.find("2 dropped (0 as near-duplicates, 2 as translations)"),
            std::string::npos) << r.out;
  EXPECT_EQ(RunCli("dedup " + today + " --seen-drops-translations", dir).code, 2);
  // The report marks the seen document; explain has no --seen.
  r = RunCli("dedup " + today + " --seen " + old, dir);
  EXPECT_NE(r.out.find(old + " [seen]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("matched against 1 documents seen before"), std::string::npos) << r.out;
  EXPECT_EQ(RunCli("explain " + old + " " + seed("002_a648bb00cbac0b4d") + " --seen " + old, dir).code, 2);
  // --seen-cache: the second run replays 000 and reports the same.
  const std::string cache = (dir.path() / "cache").string();
  const std::string res2 = (dir.path() / "res2").string();
  r = RunCli("dedup " + today + " --seen " + old + " --seen-cache " + cache + " --out " + res2, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("0 of 1 seen inputs replayed"), std::string::npos) << r.out;
  r = RunCli("dedup " + today + " --seen " + old + " --seen-cache " + cache + " --out " + res2, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 of 1 seen inputs replayed"), std::string::npos) << r.out;
  EXPECT_EQ(ReadFile(res2 + "/groups.jsonl"), groups);
  EXPECT_EQ(RunCli("dedup " + today + " --seen-cache " + cache, dir).code, 2);
  // --kept never writes over a seen input.
  const std::string archive = dir.Write("archive.jsonl", ReadFile(kPlanted));
  r = RunCli("dedup " + kPlanted + " --seen " + archive + " --kept " + archive, dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(ReadFile(archive), ReadFile(kPlanted));
}

// A FIFO cannot be read twice: exact re-checks must not try (they would
// block forever), and the run must finish like one on standard input.
TEST(Cli, NamedPipeInputIsNotReadTwice) {
  TempDir dir;
  const std::string fifo = (dir.path() / "pipe.jsonl").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string out = (dir.path() / "res").string();
  const std::string cmd = "(cat " + kPlanted + " > " + fifo + " &) ; timeout 30 " +
                          std::string(NEARDUP_BINARY) + " dedup " + fifo +
                          " --out " + out + " --quiet";
  const int status = std::system(cmd.c_str());
  ASSERT_EQ(WEXITSTATUS(status), 0) << "timed out or failed";
  EXPECT_EQ(Lines(ReadFile(out + "/documents.jsonl")).size(),
            Lines(ReadFile(kPlanted)).size());
  EXPECT_NE(ReadFile(out + "/summary.json").find("\"exact_rechecks\":0"),
            std::string::npos);
}

TEST(Cli, EvalScoresARunAgainstLabels) {
  TempDir dir;
  // Truth: {a, b, c} and {d}; the run groups a with b only.
  const std::string docs = dir.Write(
      "run/documents.jsonl",
      "{\"id\":\"a\",\"group\":0,\"lang\":\"en\"}\n"
      "{\"id\":\"b\",\"group\":0,\"lang\":\"de\"}\n"
      "{\"id\":\"c\",\"group\":null,\"lang\":\"fr\"}\n"
      "{\"id\":\"d\",\"group\":null,\"lang\":\"fr\"}\n");
  const std::string labels = dir.Write(
      "labels.jsonl",
      "{\"id\":\"a\",\"group\":\"x\"}\n{\"id\":\"b\",\"group\":\"x\"}\n"
      "{\"id\":\"c\",\"group\":\"x\"}\n{\"id\":\"d\",\"group\":\"y\"}\n"
      "{\"id\":\"e\",\"group\":\"y\"}\n");
  Result r = RunCli("eval " + (dir.path() / "run").string() + " " + labels, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("4 documents in both (1 in only one"), std::string::npos) << r.out;
  // 3 true pairs, 1 predicted and correct: P 1, R 1/3, F1 0.5.
  EXPECT_NE(r.out.find("all                       3          1          1     1.000     0.333     0.500"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("de-en"), std::string::npos);
  // Three languages: each one's pairs with the others, before the pairs.
  // fr: its true pairs a-c and b-c, none predicted.
  const size_t per_language = r.out.find("per language (its pairs with every other language):");
  ASSERT_NE(per_language, std::string::npos) << r.out;
  EXPECT_LT(per_language, r.out.find("per language pair:"));
  const std::string fr = absl::StrFormat("%-16s %10d %10d %10d %9.3f %9.3f %9.3f\n", "  fr", 2,
                                         0, 0, 1.0, 0.0, 0.0);
  EXPECT_NE(r.out.find(fr, per_language), std::string::npos) << r.out;
  // The same figures as one JSON object (docs/formats.md).
  Result j = RunCli("eval --json " + (dir.path() / "run").string() + " " + labels, dir);
  ASSERT_EQ(j.code, 0) << j.err;
  EXPECT_EQ(std::count(j.out.begin(), j.out.end(), '\n'), 1) << j.out;
  EXPECT_TRUE(j.out.starts_with("{\"documents\":4,\"unmatched\":1,\"pairs\":{\"all\":"
                                "{\"true\":3,\"predicted\":1,\"correct\":1,\"precision\":1,"
                                "\"recall\":0.3333,\"f1\":0.5}"))
      << j.out;
  EXPECT_NE(j.out.find("\"fr\":{\"true\":2,\"predicted\":0,\"correct\":0,\"precision\":1,"
                       "\"recall\":0,\"f1\":0}"),
            std::string::npos) << j.out;
  EXPECT_NE(j.out.find("\"bcubed\":{\"precision\":1,\"recall\":0.6667,\"f1\":0.8}}"),
            std::string::npos) << j.out;
  EXPECT_EQ(RunCli("eval --jsn " + (dir.path() / "run").string() + " " + labels, dir).code, 2);
  EXPECT_EQ(RunCli("eval " + docs, dir).code, 2);
  EXPECT_EQ(RunCli("eval /nonexistent " + labels, dir).code, 1);
}

TEST(Cli, ExplainShowsSharedEvidenceAcrossLanguages) {
  TempDir dir;
  Result r = RunCli("explain " + kSeeds + "/000_7dc76a8ccd74af40.txt " + kSeeds +
                        "/002_a648bb00cbac0b4d.txt",
                    dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("(ja, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(de, "), std::string::npos);
  EXPECT_NE(r.out.find("not near-duplicates"), std::string::npos);
  EXPECT_NE(r.out.find("above the floor"), std::string::npos);
  // The translation pair stands far above unrelated ja-de pairs.
  EXPECT_NE(r.out.find("ja-de pairs of the background sample; a translation link needs 1.50, "
                       "a story link 2.00 -> story level"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("#r2"), std::string::npos);     // anchor
  // Names as name keys, with the words they came from: DeepSeek in both,
  // London in katakana (ロンドン) and in Latin letters.
  EXPECT_NE(r.out.find("~dpsk"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(name: deepseek)"), std::string::npos);
  EXPECT_NE(r.out.find("(name: \xE3\x83\xAD\xE3\x83\xB3\xE3\x83\x89\xE3\x83\xB3 / london)"),
            std::string::npos);
  // Looked up by id in a corpus, with IDF from it.
  r = RunCli("explain --input " + kSeeds + " 000_7dc76a8ccd74af40.txt 004_09d0fca17295f493.txt", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("IDF from 5 documents of the input and "), std::string::npos) << r.out;
  // 004 is another story about the same company: related, not the story.
  EXPECT_NE(r.out.find("a story link needs 2.00 -> below story level"), std::string::npos) << r.out;
  // With a corpus, each one's best matches in the other's language: the
  // translation pair 000-002 is each other's best by the margin (002 has
  // no other German document; 000's next Japanese match is 003, at 0.058).
  r = RunCli("explain --input " + kSeeds + " 000_7dc76a8ccd74af40.txt 002_a648bb00cbac0b4d.txt", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("best match:   A's in de: 002_a648bb00cbac0b4d.txt"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("best match:   B's in ja: 000_7dc76a8ccd74af40.txt"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("next 003_72d4e36795caebc5.txt"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("each other's best match, by the margin"), std::string::npos) << r.out;
  // 001 (Italian) and 004 (Japanese, the other story): 001's best Japanese
  // match is 000, so the pair is not linked.
  r = RunCli("explain --input " + kSeeds + " 001_ed91e4747c4b6de3.txt 004_09d0fca17295f493.txt", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("best match:   A's in ja: 000_7dc76a8ccd74af40.txt"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("not each other's best match"), std::string::npos) << r.out;
  // Two releases of one template: their numbers disagree (7.4 / 7.5, 2014,
  // 1,250 / 1.480, 120 / 135), so no translation link; a translation's
  // numbers agree (1,250 and 1.250 are one number).
  const std::string r74 = dir.Write(
      "r74.txt", "Debian 7.4 was released on 8 February 2014 with 1,250 fixes for 120 packages.");
  const std::string r75 = dir.Write(
      "r75.txt", "Debian 7.5 wurde am 26. April 2014 mit 1.480 Korrekturen f\xC3\xBCr 135 Pakete "
                 "ver\xC3\xB6" "ffentlicht.");
  const std::string r74de = dir.Write(
      "r74de.txt", "Debian 7.4 wurde am 8. Februar 2014 mit 1.250 Korrekturen f\xC3\xBCr 120 "
                   "Pakete ver\xC3\xB6" "ffentlicht.");
  r = RunCli("explain " + r74 + " " + r75, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("numbers:      A writes 4, B 4, both 1 -> they disagree: no translation "
                       "link"),
            std::string::npos) << r.out;
  // Nor a story link: 2014 aside, 7.4, 1,250 and 120 against 7.5, 1.480, 135.
  EXPECT_NE(r.out.find("story:        numbers besides years: A writes 3, B 3 -> they disagree: "
                       "no story link"),
            std::string::npos) << r.out;
  r = RunCli("explain " + r74 + " " + r74de, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("numbers:      A writes 4, B 4, both 4 -> they agree"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("story:        numbers besides years: A writes 3, B 3 -> they agree"),
            std::string::npos) << r.out;
  // An unrelated pair of two background languages: below a translation link.
  const std::string en = dir.Write("en.txt",
            "Our project announced today that the community call will move to a new day. "
            "The team discussed the enterprise roadmap and the business model for hosted "
            "services. GitHub accounts of the project will be used for the release.");
  r = RunCli("explain " + kSeeds + "/004_09d0fca17295f493.txt " + en, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("ja-en pairs of the background sample; a translation link needs 1.50"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-> below translation level"), std::string::npos) << r.out;
  // A language the background lacks: its pooled pairs across languages,
  // and the text says so.
  const std::string sv = dir.Write("sv.txt",
            "V\xC3\xA5rt projekt meddelade i dag att gemenskapen kommer att m\xC3\xB6tas en "
            "ny dag. Teamet diskuterade planerna f\xC3\xB6r v\xC3\xA4rdtj\xC3\xA4nster.");
  r = RunCli("explain " + sv + " " + en, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("(sv, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unrelated pairs across languages of the background sample (it has "
                       "no sv-en pairs); a story link needs 2.00"),
            std::string::npos) << r.out;
  // Seed 000 against a text of NAME: explain's output holds each of `expected`.
  auto explains_against_000 = [&](const std::string& name, const std::string& text,
                                  const std::vector<std::string>& expected) {
    const Result e =
        RunCli("explain " + kSeeds + "/000_7dc76a8ccd74af40.txt " + dir.Write(name, text), dir);
    EXPECT_EQ(e.code, 0) << e.err;
    for (const std::string& x : expected) EXPECT_NE(e.out.find(x), std::string::npos) << e.out;
  };
  // Portuguese is one of the background's languages (the Debian Edu
  // manual), so a Japanese-Portuguese link has a background level to reach.
  explains_against_000("pt.txt",
                       "A empresa anunciou um novo modelo de neg\xC3\xB3" "cio. O governo "
                       "tomou uma decis\xC3\xA3o sobre o mercado, e a procura pelos produtos "
                       "cresce.",
                       {"unrelated ja-pt pairs of the background sample; a translation link "
                        "needs 1.50"});
  // Ukrainian is not, but is judged against its pooled pairs
  // (CrossLingualOptions::pooled_background), and the text says so.
  explains_against_000("uk.txt",
                       "\xD0\x9A\xD0\xBE\xD0\xBC\xD0\xBF\xD0\xB0\xD0\xBD\xD1\x96\xD1\x8F "
                       "\xD0\xBE\xD0\xB3\xD0\xBE\xD0\xBB\xD0\xBE\xD1\x81\xD0\xB8\xD0\xBB\xD0\xB0 "
                       "\xD0\xBF\xD1\x80\xD0\xBE \xD0\xBD\xD0\xBE\xD0\xB2\xD1\x83 "
                       "\xD0\xBC\xD0\xBE\xD0\xB4\xD0\xB5\xD0\xBB\xD1\x8C "
                       "\xD0\xB1\xD1\x96\xD0\xB7\xD0\xBD\xD0\xB5\xD1\x81\xD1\x83.",
                       {"(uk, ",
                        "across languages of the background sample (it has no ja-uk pairs); "
                        "a translation link needs 1.50"});

  EXPECT_EQ(RunCli("explain --input " + kSeeds + " 000_7dc76a8ccd74af40.txt nope.txt", dir).code, 1);
  EXPECT_EQ(RunCli("explain onlyone.txt", dir).code, 2);
}

// explain --input gives a pair the calibrated score that a run of the same
// corpus writes in pairs.jsonl (against the input's random pairs of the
// two languages), and says whether it reaches --translation-input-z: on
// the seeds (too few pairs: the background's join them), and on 40
// made-up English and German texts (their own 400 pairs).
TEST(Cli, ExplainGivesTheScoreARunGivesThePair) {
  TempDir dir;
  // Every cross-language pair of `a` that the run scored: its score there
  // and explain's.
  auto check = [&](const std::string& corpus, const std::string& a,
                   const std::string& pairs_said) {
    const std::string out = (dir.path() / "run").string();
    Result r = RunCli("dedup " + corpus + " --all-pairs --out " + out, dir);
    ASSERT_EQ(r.code, 0) << r.err;
    std::map<std::string, double> run_score;  // by the other document
    for (const std::string& line : Lines(ReadFile(out + "/pairs.jsonl"))) {
      if (line.find("\"cross-language\"") == std::string::npos) continue;
      for (const char* key : {"\"a\":\"", "\"b\":\""}) {
        const size_t at = line.find(key) + 5;
        if (line.compare(at, a.size() + 1, a + "\"") != 0) continue;
        const char* other = key[1] == 'a' ? "\"b\":\"" : "\"a\":\"";
        const size_t from = line.find(other) + 5;
        run_score[line.substr(from, line.find('"', from) - from)] =
            std::stod(line.substr(line.find("\"score\":") + 8));
      }
    }
    ASSERT_GE(run_score.size(), 2u);
    for (const auto& [b, score] : run_score) {
      r = RunCli("explain --input " + corpus + " " + a + " " + b, dir);
      ASSERT_EQ(r.code, 0) << r.err;
      const size_t at = r.out.find("input:        z ");
      ASSERT_NE(at, std::string::npos) << r.out;
      EXPECT_NEAR(std::stod(r.out.substr(at + 16)), score, 0.006) << a << " " << b;
      EXPECT_NE(r.out.find(pairs_said), std::string::npos) << r.out;
      const bool above = score >= 0;
      EXPECT_NE(r.out.find(above ? "needs 0.00 -> above" : "needs 0.00 -> below"),
                std::string::npos)
          << r.out;
    }
  };
  check(kSeeds, "000_7dc76a8ccd74af40.txt",
        "pairs of the input together with the background's");
  // Sentences of common words, three of ten topics each, in both languages.
  const char* en[] = {"the cat sleeps in the garden", "the train leaves the station",
                      "the doctor visits the hospital", "children play football at school",
                      "the farmer sells milk at the market", "rain falls on the old bridge",
                      "the king lives in a castle", "a ship sails across the sea",
                      "the teacher reads a book", "the baker opens the shop early"};
  const char* de[] = {"die Katze schläft im Garten", "der Zug verlässt den Bahnhof",
                      "der Arzt besucht das Krankenhaus", "Kinder spielen Fußball in der Schule",
                      "der Bauer verkauft Milch auf dem Markt", "Regen fällt auf die alte Brücke",
                      "der König wohnt in einer Burg", "ein Schiff segelt über das Meer",
                      "der Lehrer liest ein Buch", "der Bäcker öffnet den Laden früh"};
  // Texts i and i + 10 differ in two sentences: no copies, which a run
  // would count once and explain every time.
  std::string jsonl;
  for (int i = 0; i < 20; ++i) {
    const int step = i < 10 ? 1 : 2;
    for (const auto& [lang, s] : {std::pair("en", en), std::pair("de", de)}) {
      absl::StrAppend(&jsonl, "{\"id\":\"", lang, i, "\",\"lang\":\"", lang,
                      "\",\"text\":\"", s[i % 10], ". ", s[(i + step) % 10], ". ",
                      s[(i + 3 * step) % 10], ".\"}\n");
    }
  }
  check(dir.Write("mix.jsonl", jsonl), "en0",
        "400 random en-de pairs of the input (pairs.jsonl's score)");
}

// The built lexicon's files linked into DIR/NAME (a lexicon folder of
// its own, without copying 120 MB), less the background features that
// `neardup prepare` put there: a lexicon not prepared for this build.
std::string UnpreparedLexicon(const TempDir& dir, const std::string& name = "lexicon") {
  const std::string built = DefaultLexiconDir();
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(built) / "MANIFEST"))
      << "the lexicon is built by scripts/build.sh (README quick start)";
  const std::filesystem::path lexicon = dir.path() / name;
  std::filesystem::create_directories(lexicon);
  for (const auto& e : std::filesystem::directory_iterator(built)) {
    const std::string file = e.path().filename().string();
    if (file.starts_with("background-")) continue;
    std::filesystem::create_symlink(std::filesystem::absolute(e.path()), lexicon / file);
  }
  return lexicon.string();
}

TEST(Cli, CacheDirKeepsTheBackgroundAndTheWordsAndChangesNoOutput) {
  TempDir dir;
  const std::string cache = (dir.path() / "cache").string();
  // A prepared lexicon would give the background's features itself.
  const std::string lexicon = " --lexicon " + UnpreparedLexicon(dir);
  auto files_in = [](const std::string& d) {
    std::set<std::string> names;
    if (!std::filesystem::exists(d)) return names;
    for (const auto& e : std::filesystem::directory_iterator(d)) {
      names.insert(e.path().filename().string());
    }
    return names;
  };
  ASSERT_EQ(RunCli(absl::StrCat("dedup ", kSeeds, lexicon, " --cache-dir none --all-pairs --out ",
                                (dir.path() / "none").string()),
                   dir).code, 0);
  for (const char* run : {"first", "second"}) {
    Result r = RunCli(absl::StrCat("dedup ", kSeeds, lexicon, " --cache-dir ", cache,
                                   " --all-pairs --out ", (dir.path() / run).string()),
                      dir);
    ASSERT_EQ(r.code, 0) << r.err;
    // The background's features and the words read, one file each.
    const std::set<std::string> names = files_in(cache);
    ASSERT_EQ(names.size(), 2u) << run;
    EXPECT_TRUE(names.begin()->starts_with("background-")) << *names.begin();
    EXPECT_TRUE(names.rbegin()->starts_with("words-")) << *names.rbegin();
    for (const char* file : {"documents.jsonl", "pairs.jsonl", "groups.jsonl"}) {
      EXPECT_EQ(ReadFile((dir.path() / run / file).string()),
                ReadFile((dir.path() / "none" / file).string()))
          << run << " " << file;
    }
  }
  // explain reads the same file, and explains alike.
  const std::string pair = absl::StrCat(kSeeds, "/000_7dc76a8ccd74af40.txt ", kSeeds,
                                        "/003_72d4e36795caebc5.txt");
  Result uncached = RunCli(absl::StrCat("explain ", pair, lexicon, " --cache-dir none"), dir);
  Result cached_explain =
      RunCli(absl::StrCat("explain ", pair, lexicon, " --cache-dir ", cache), dir);
  ASSERT_EQ(uncached.code, 0) << uncached.err;
  ASSERT_EQ(cached_explain.code, 0) << cached_explain.err;
  EXPECT_NE(uncached.out.find("calibrated:"), std::string::npos) << uncached.out;
  EXPECT_EQ(cached_explain.out, uncached.out);
  EXPECT_EQ(files_in(cache).size(), 2u);
}

TEST(Cli, CacheDirDefaultsToTheEnvironmentThenXdgThenHome) {
  auto with_env = [](std::map<std::string, const char*> env, const std::optional<std::string>& given) {
    std::map<std::string, std::optional<std::string>> saved;
    for (const auto& [k, v] : env) {
      const char* old = std::getenv(k.c_str());
      saved[k] = old ? std::optional<std::string>(old) : std::nullopt;
      if (v) {
        setenv(k.c_str(), v, 1);
      } else {
        unsetenv(k.c_str());
      }
    }
    const std::string dir = cli::ResolveCacheDir(given);
    for (const auto& [k, v] : saved) {
      if (v) {
        setenv(k.c_str(), v->c_str(), 1);
      } else {
        unsetenv(k.c_str());
      }
    }
    return dir;
  };
  const std::map<std::string, const char*> base = {
      {"NEARDUP_CACHE_DIR", nullptr}, {"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/home/u"}};
  EXPECT_EQ(with_env(base, std::nullopt), "/xdg/neardup");
  EXPECT_EQ(with_env(base, "/given"), "/given");
  EXPECT_EQ(with_env(base, "none"), "");
  auto env = base;
  env["NEARDUP_CACHE_DIR"] = "/env";
  EXPECT_EQ(with_env(env, std::nullopt), "/env");
  EXPECT_EQ(with_env(env, "/given"), "/given");
  env["NEARDUP_CACHE_DIR"] = "none";
  EXPECT_EQ(with_env(env, std::nullopt), "");
  env = base;
  env["XDG_CACHE_HOME"] = nullptr;
  EXPECT_EQ(with_env(env, std::nullopt), "/home/u/.cache/neardup");
  env["XDG_CACHE_HOME"] = "relative";  // not absolute: ignored, as XDG says
  EXPECT_EQ(with_env(env, std::nullopt), "/home/u/.cache/neardup");
  env["HOME"] = nullptr;
  EXPECT_EQ(with_env(env, std::nullopt), "");
}

// `neardup prepare` writes the background's features into the lexicon's
// folder, says so, and does nothing the second time; a run with
// --cache-dir none over that lexicon writes what one over a lexicon
// without the file writes. A wrong option exits 2, a missing lexicon 1.
TEST(Cli, PrepareWritesIntoTheLexiconOnceAndKeepsTheOutput) {
  TempDir dir;
  const std::filesystem::path lexicon = UnpreparedLexicon(dir);
  const std::string run = "dedup " + kSeeds + " --all-pairs --cache-dir none --quiet --lexicon " +
                          lexicon.string() + " --out ";
  const std::string before = (dir.path() / "before").string();
  ASSERT_EQ(RunCli(run + before, dir).code, 0);

  Result first = RunCli("prepare --threads 2 --lexicon " + lexicon.string(), dir);
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.out.find("background documents in " + lexicon.string() + "/background-"),
            std::string::npos)
      << first.out;
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(lexicon)) {
    files += e.path().filename().string().starts_with("background-");
  }
  EXPECT_EQ(files, 1u);
  Result second = RunCli("prepare --lexicon " + lexicon.string(), dir);
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_NE(second.out.find("already prepared"), std::string::npos) << second.out;
  Result quiet = RunCli("prepare --quiet --lexicon=" + lexicon.string(), dir);
  EXPECT_EQ(quiet.code, 0) << quiet.err;
  EXPECT_EQ(quiet.out, "");

  const std::string after = (dir.path() / "after").string();
  ASSERT_EQ(RunCli(run + after, dir).code, 0);
  for (const char* file : {"documents.jsonl", "pairs.jsonl", "groups.jsonl"}) {
    EXPECT_EQ(ReadFile(after + "/" + file), ReadFile(before + "/" + file)) << file;
  }
  EXPECT_NE(ReadFile(after + "/pairs.jsonl").find("cross-language"), std::string::npos);
  // explain reads the prepared file too (the cache test above explains
  // the same pair without it), and explains alike.
  const std::string pair = absl::StrCat(kSeeds, "/000_7dc76a8ccd74af40.txt ", kSeeds,
                                        "/003_72d4e36795caebc5.txt --cache-dir none --lexicon ");
  Result prepared = RunCli("explain " + pair + lexicon.string(), dir);
  ASSERT_EQ(prepared.code, 0) << prepared.err;
  EXPECT_NE(prepared.out.find("calibrated:"), std::string::npos) << prepared.out;
  EXPECT_EQ(prepared.out,
            RunCli("explain " + pair + UnpreparedLexicon(dir, "unprepared"), dir).out);

  EXPECT_EQ(RunCli("prepare --frobnicate", dir).code, 2);
  EXPECT_EQ(RunCli("prepare --threads 0", dir).code, 2);
  EXPECT_EQ(RunCli("prepare --threads=x", dir).code, 2);
  EXPECT_EQ(RunCli("prepare --lexicon", dir).code, 2);
  Result missing = RunCli("prepare --lexicon " + (dir.path() / "none").string(), dir);
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no lexicon"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace neardup
