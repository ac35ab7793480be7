// The contamination check (neardup/check.h): containment of evaluation
// documents in a training corpus, found exactly whatever the sizes.
#include "neardup/check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "neardup/io/output.h"
#include "neardup/pipeline.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::Lines;
using testing::ReadFile;
using testing::TempDir;

// `n` words drawn from a 5,000-word vocabulary (distinct per seed).
std::string Words(uint64_t seed, int n) {
  std::string s;
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (int i = 0; i < n; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    absl::StrAppend(&s, i ? " " : "", "w", x % 5000);
  }
  return s;
}

std::string Line(const std::string& id, const std::string& text) {
  return absl::StrCat("{\"id\":\"", id, "\",\"text\":\"", text, "\"}\n");
}

struct Fixture {
  TempDir dir;
  std::string eval, train;
  Fixture() {
    // e0: inside a long training page; e1: copied whole; e2: half of it in
    // the corpus; e3: nowhere; e4: empty (rejected).
    const std::string e0 = Words(1, 60), e1 = Words(2, 80), e2 = Words(3, 100),
                      e3 = Words(4, 60);
    eval = dir.Write("eval.jsonl", Line("e0", e0) + Line("e1", e1) + Line("e2", e2) +
                                       Line("e3", e3) + Line("e4", " "));
    std::string t;
    for (int i = 0; i < 300; ++i) t += Line(absl::StrCat("t", i), Words(100 + i, 400));
    t += Line("page", Words(900, 1500) + " " + e0 + " " + Words(901, 1500));
    t += Line("copy", e1);
    t += Line("half", Words(902, 50) + " " + e2.substr(0, e2.size() / 2));
    t += Line("part", Words(1, 20));  // e0's first 20 words
    train = dir.Write("train.jsonl", t);
  }
};

const CheckedDocument& Doc(const CheckResult& r, const std::string& id) {
  for (const CheckedDocument& c : r.eval) {
    if (c.doc.id == id) return c;
  }
  ADD_FAILURE() << "no " << id;
  return r.eval[0];
}

// A test item inside a page 50 times its length is found whole, though its
// Jaccard with the page is about 0.02: dedup does not group them.
TEST(Check, FindsShortItemsInsideLongPages) {
  Fixture f;
  CheckOptions o;
  o.threads = 2;
  auto r = RunCheck({f.eval}, {f.train}, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->eval.size(), 5u);
  const CheckedDocument& e0 = Doc(*r, "e0");
  EXPECT_TRUE(e0.contaminated);
  EXPECT_DOUBLE_EQ(e0.containment, 1.0);
  ASSERT_EQ(e0.matches.size(), 2u);  // the page, then its first 20 words
  EXPECT_EQ(e0.matches[0].id, "page");
  EXPECT_DOUBLE_EQ(e0.matches[0].containment, 1.0);
  EXPECT_EQ(e0.matches[1].id, "part");
  EXPECT_EQ(e0.num_shingles, 53u);     // 60 words, 8-grams
  EXPECT_EQ(e0.matches[1].shared, 13u);  // 20 words
  EXPECT_EQ(e0.matches[0].source, f.train + ":301");

  PipelineOptions d;
  d.crosslingual.enabled = false;
  auto run = RunDedup({f.eval, f.train}, d);
  ASSERT_TRUE(run.ok());
  EXPECT_LT(run->documents[0].group, 0) << "dedup grouped a 60-word item with a 3,000-word page";
}

// Containment is the share found: a copy is 1, half a document about
// one half (clean at 0.7, contaminated at 0.4), an unseen one 0; an empty
// document is rejected, not clean.
TEST(Check, ContainmentIsTheShareOfNgramsFound) {
  Fixture f;
  CheckOptions o;
  auto r = RunCheck({f.eval}, {f.train}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(Doc(*r, "e1").contaminated);
  EXPECT_EQ(Doc(*r, "e1").matches[0].id, "copy");
  const CheckedDocument& e2 = Doc(*r, "e2");
  EXPECT_NEAR(e2.containment, 0.46, 0.05);  // 100 words, the first 50 (43 of 93 8-grams)
  EXPECT_FALSE(e2.contaminated);
  EXPECT_EQ(Doc(*r, "e3").containment, 0);
  EXPECT_FALSE(Doc(*r, "e3").contaminated);
  EXPECT_TRUE(Doc(*r, "e3").matches.empty());
  EXPECT_EQ(Doc(*r, "e4").doc.outcome, Outcome::kRejected);
  EXPECT_EQ(r->contaminated, 2u);
  EXPECT_EQ(r->eval_rejected, 1u);
  EXPECT_EQ(r->train_records, 304u);

  o.containment = 0.4;
  auto lower = RunCheck({f.eval}, {f.train}, o);
  ASSERT_TRUE(lower.ok());
  EXPECT_TRUE(Doc(*lower, "e2").contaminated);
  EXPECT_EQ(lower->contaminated, 3u);
}

// An item shorter than the n-gram (8 words) is found when a training
// document has all of it in a row, counted once however often; most of it
// in a row is not enough. Below --min-length (5) an item is rejected as too
// short, not reported clean; with a lower minimum it is checked whole.
TEST(Check, ItemsShorterThanTheNgramAreFoundWhole) {
  TempDir dir;
  const std::string s5 = Words(11, 5), s6 = Words(12, 6), s7 = Words(13, 7), s3 = Words(14, 3);
  const std::string eval = dir.Write(
      "eval.jsonl", Line("s5", s5) + Line("s6", s6) + Line("s7", s7) + Line("s3", s3) +
                        Line("long", Words(15, 40)));
  // s6 with a word between its fifth and sixth.
  const std::string s6_broken = s6.substr(0, s6.rfind(' ')) + " inserted" +
                                s6.substr(s6.rfind(' '));
  std::string t;
  for (int i = 0; i < 50; ++i) t += Line(absl::StrCat("t", i), Words(200 + i, 300));
  t += Line("page", Words(300, 500) + " " + s5 + " " + Words(301, 500));
  t += Line("broken", Words(302, 100) + " " + s6_broken + " " + Words(303, 100));
  t += Line("twice", s7 + " " + Words(304, 30) + " " + s7);
  t += Line("three", Words(305, 50) + " " + s3 + " " + Words(306, 50));
  const std::string train = dir.Write("train.jsonl", t);
  CheckOptions o;
  o.threads = 2;
  auto r = RunCheck({eval}, {train}, o);
  ASSERT_TRUE(r.ok()) << r.status();
  const CheckedDocument& c5 = Doc(*r, "s5");
  EXPECT_TRUE(c5.contaminated);
  EXPECT_EQ(c5.short_units, 5u);
  ASSERT_FALSE(c5.matches.empty());
  EXPECT_EQ(c5.matches[0].id, "page");
  EXPECT_EQ(c5.matches[0].shared, 1u);
  EXPECT_FALSE(Doc(*r, "s6").contaminated);
  EXPECT_EQ(Doc(*r, "s6").containment, 0);
  const CheckedDocument& c7 = Doc(*r, "s7");
  EXPECT_TRUE(c7.contaminated);
  EXPECT_DOUBLE_EQ(c7.matches[0].containment, 1.0);  // not 2: found twice, counted once
  EXPECT_EQ(Doc(*r, "s3").doc.reject, RejectCode::kTooShort);
  EXPECT_FALSE(Doc(*r, "s3").contaminated);
  EXPECT_EQ(Doc(*r, "long").short_units, 0u);
  EXPECT_FALSE(Doc(*r, "long").contaminated);
  EXPECT_EQ(r->eval_too_short, 1u);
  EXPECT_EQ(r->short_eval, 3u);
  // The page, "twice": the records that hold an item.
  EXPECT_EQ(r->train_containing.size(), 2u);
  const std::string jsonl = ContaminationJsonl(*r);
  EXPECT_NE(jsonl.find("\"id\":\"s5\",\"source\":\"" + eval + ":1\",\"status\":\"contaminated\""),
            std::string::npos);
  EXPECT_NE(jsonl.find("\"code\":\"too_short\""), std::string::npos);

  o.min_length = 1;
  auto all = RunCheck({eval}, {train}, o);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(Doc(*all, "s3").contaminated);
  EXPECT_EQ(Doc(*all, "s3").matches[0].id, "three");
  EXPECT_EQ(all->eval_too_short, 0u);

  // The default minimum is never above n: with 3-grams the 3-word item is
  // checked, not rejected as too short.
  o.min_length = 0;
  o.shingle.n = 3;
  auto three = RunCheck({eval}, {train}, o);
  ASSERT_TRUE(three.ok());
  EXPECT_TRUE(Doc(*three, "s3").contaminated);
  EXPECT_EQ(three->eval_too_short, 0u);

  // The same with character n-grams: a 5-word item is about 30 characters,
  // above the default minimum of 20 characters.
  o.min_length = 0;
  o.shingle = ShingleOptions{ShingleUnit::kChar, 64, 0};
  auto chars = RunCheck({eval}, {train}, o);
  ASSERT_TRUE(chars.ok());
  EXPECT_TRUE(Doc(*chars, "s5").contaminated);
  EXPECT_GT(Doc(*chars, "s5").short_units, 0u);
  EXPECT_FALSE(Doc(*chars, "s6").contaminated);
  EXPECT_TRUE(Doc(*chars, "s7").contaminated);
}

// The output does not depend on the number of threads.
TEST(Check, SameOutputWithOneAndThreeThreads) {
  Fixture f;
  CheckOptions one, three;
  one.threads = 1;
  three.threads = 3;
  auto a = RunCheck({f.eval}, {f.train}, one);
  auto b = RunCheck({f.eval}, {f.train}, three);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(ContaminationJsonl(*a), ContaminationJsonl(*b));
  EXPECT_EQ(Lines(ContaminationJsonl(*a)).size(), 5u);
}

// --clean's writer keeps exactly the evaluation lines found clean.
TEST(Check, CleanRecordsAreTheCleanLinesUnchanged) {
  Fixture f;
  auto r = RunCheck({f.eval}, {f.train}, CheckOptions{});
  ASSERT_TRUE(r.ok());
  const std::string clean = (f.dir.path() / "clean.jsonl").string();
  ASSERT_TRUE(WriteRecords(clean, {f.eval}, InputOptions{}, r->eval.size(), [&](size_t k) {
                const CheckedDocument& c = r->eval[k];
                return RecordChoice{c.doc.input, c.doc.line, c.doc.offset, c.doc.id,
                                    c.doc.outcome != Outcome::kRejected && !c.contaminated};
              }).ok());
  const auto in = Lines(ReadFile(f.eval));
  EXPECT_EQ(Lines(ReadFile(clean)), (std::vector<std::string>{in[2], in[3]}));
}

// The training records that hold an evaluation document by themselves
// (at least --containment of its n-grams): the page with e0 inside and
// the copy of e1; not the one with half of e2 (about 0.46), nor the one
// with e0's first 20 words (13 of its 53 8-grams). Listed with their
// places whatever --max-matches is.
TEST(Check, TrainingRecordsHoldingAnEvaluationDocument) {
  Fixture f;
  for (int max_matches : {3, 0}) {
    CheckOptions o;
    o.threads = 3;
    o.max_matches = max_matches;
    auto r = RunCheck({f.eval}, {f.train}, o);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->train_containing.size(), 2u);
    EXPECT_EQ(r->train_containing[0].record, 300u);  // "page"
    EXPECT_EQ(r->train_containing[1].record, 301u);  // "copy"
    EXPECT_EQ(r->train_containing[0].line, 301u);
    EXPECT_EQ(r->train_containing[1].line, 302u);
  }
  CheckOptions half;
  half.containment = 0.4;  // now "half" holds e2
  auto r = RunCheck({f.eval}, {f.train}, half);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->train_containing.size(), 3u);
  EXPECT_EQ(r->train_containing[2].record, 302u);
}

}  // namespace
}  // namespace neardup
