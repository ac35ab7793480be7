#include "neardup/line_index.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "neardup/crosslingual.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::TempDir;

// A table like the lexicon's: keys that share prefixes, a repeated key,
// lines the index leaves out (no tab, nothing after it), no final newline.
constexpr char kTable[] =
    "ab\tfirst\n"
    "abc\tsecond word\n"
    "no tab here\n"
    "empty\t\n"
    "\tno key\n"
    "ab\tlater duplicate\n"
    "zz\tlast";

void ExpectLookups(const LineIndex& index) {
  EXPECT_EQ(index.Find("ab"), "first");
  EXPECT_EQ(index.Find("abc"), "second word");
  EXPECT_EQ(index.Find("zz"), "last");
  EXPECT_EQ(index.Find("a"), "");
  EXPECT_EQ(index.Find("abcd"), "");
  EXPECT_EQ(index.Find("empty"), "");
  EXPECT_EQ(index.Find("no tab here"), "");
  EXPECT_EQ(index.Find(""), "");
}

TEST(LineIndex, Crc32IsZlibs) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);  // the standard check value
  EXPECT_EQ(Crc32(""), 0u);
}

TEST(LineIndex, FindsEachKeyWithoutAnIndexFile) {
  TempDir dir;
  const auto index = LineIndex::Open(dir.Write("t.tsv", kTable));
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_FALSE(index->prebuilt());
  ExpectLookups(*index);
}

TEST(LineIndex, UsesAMatchingIndexFileAndIgnoresAStaleOne) {
  TempDir dir;
  const std::string path = dir.Write("t.tsv", kTable);
  dir.Write("t.tsv.idx", BuildLineIndex(kTable));
  auto index = LineIndex::Open(path);
  ASSERT_TRUE(index.ok());
  EXPECT_TRUE(index->prebuilt());
  ExpectLookups(*index);
  // The table changed after its index was written: rebuilt at load.
  dir.Write("t.tsv", std::string(kTable) + "\nnew\tword");
  index = LineIndex::Open(path);
  ASSERT_TRUE(index.ok());
  EXPECT_FALSE(index->prebuilt());
  EXPECT_EQ(index->Find("new"), "word");
  ExpectLookups(*index);
}

TEST(LineIndex, ADamagedIndexFileEndsTheSearch) {
  TempDir dir;
  const std::string path = dir.Write("t.tsv", kTable);
  // Right size, every slot taken (each the first line's slot, as the
  // index holds it): a search for an absent key must stop after one round.
  std::string bad = BuildLineIndex(kTable);
  std::string first;
  for (size_t i = 24; i + 4 <= bad.size() && first.empty(); i += 4) {
    uint32_t s;
    std::memcpy(&s, bad.data() + i, 4);
    if (s != 0 && (s & 0x7f) == 1) first = bad.substr(i, 4);  // 80 bytes: 7 offset bits
  }
  ASSERT_EQ(first.size(), 4u);
  for (size_t i = 24; i + 4 <= bad.size(); i += 4) bad.replace(i, 4, first);
  dir.Write("t.tsv.idx", bad);
  const auto index = LineIndex::Open(path);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->Find("absent"), "");
  EXPECT_EQ(index->Find("ab"), "first");
}

// Many keys, so that probes pass over other keys' slots by their tags:
// every key is found, with its own line, and absent ones are not.
TEST(LineIndex, ManyKeysFoundByTagAndText) {
  std::string table;
  for (int i = 0; i < 5000; ++i) table += "k" + std::to_string(i) + "\tv" + std::to_string(i) + "\n";
  TempDir dir;
  const std::string path = dir.Write("t.tsv", table);
  dir.Write("t.tsv.idx", BuildLineIndex(table));
  for (bool prebuilt : {true, false}) {
    if (!prebuilt) std::filesystem::remove(path + ".idx");
    const auto index = LineIndex::Open(path);
    ASSERT_TRUE(index.ok());
    ASSERT_EQ(index->prebuilt(), prebuilt);
    for (int i = 0; i < 5000; ++i) {
      ASSERT_EQ(index->Find("k" + std::to_string(i)), "v" + std::to_string(i)) << i;
      ASSERT_EQ(index->Find("x" + std::to_string(i)), "") << i;
      ASSERT_EQ(index->Find("k" + std::to_string(i) + "0000"), "") << i;
    }
  }
}

TEST(LineIndex, MissingAndEmptyFiles) {
  TempDir dir;
  EXPECT_FALSE(LineIndex::Open(dir.path() / "none.tsv").ok());
  const auto empty = LineIndex::Open(dir.Write("e.tsv", ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->Find("x"), "");
}

// scripts/build-lexicon.py writes the index files of the lexicon that the
// build made; they must be the bytes this library builds for each table.
TEST(LineIndex, TheBuiltLexiconsIndexesMatchTheLibrarys) {
  const std::filesystem::path dir = DefaultLexiconDir();
  if (!std::filesystem::exists(dir / "en.stop")) {
    GTEST_SKIP() << "no lexicon in " << dir << " (scripts/build.sh builds it)";
  }
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::filesystem::path p = entry.path();
    if (p.extension() != ".idx") continue;
    std::filesystem::path table = p;
    table.replace_extension();
    SCOPED_TRACE(table.string());
    EXPECT_EQ(testing::ReadFile(p), BuildLineIndex(testing::ReadFile(table)));
    const auto index = LineIndex::Open(table);
    ASSERT_TRUE(index.ok());
    EXPECT_TRUE(index->prebuilt());
    ++checked;
  }
  EXPECT_GE(checked, 14);  // de, es, fr, it, pt, ru: forms and stems; ja; zh
}

}  // namespace
}  // namespace neardup
