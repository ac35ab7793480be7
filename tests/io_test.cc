#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "neardup/io/byte_source.h"
#include "neardup/io/json.h"
#include "neardup/io/reader.h"
#include "compress_util.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::Gzip;
using testing::TempDir;
using testing::Zstd;

std::vector<RawRecord> ReadAll(const std::vector<std::string>& paths,
                               InputOptions options = {}) {
  auto reader = RecordReader::Open(paths, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  std::vector<RawRecord> out;
  while (true) {
    std::vector<RawRecord> batch;  // small batches exercise the resumption
    auto more = (*reader)->Next(3, 1 << 20, &batch);
    EXPECT_TRUE(more.ok());
    if (!*more) break;
    for (auto& r : batch) out.push_back(std::move(r));
  }
  return out;
}

TEST(Reader, JsonlLinesKeepTheirNumbersBlankLinesAreSkipped) {
  TempDir dir;
  const std::string path = dir.Write(
      "a.jsonl", "\xEF\xBB\xBF{\"id\":1}\n\n{\"id\":2}\r\n   \n{\"id\":3}");
  const auto recs = ReadAll({path});
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].line, 1u);
  EXPECT_EQ(recs[0].bytes, "{\"id\":1}");  // BOM stripped
  EXPECT_EQ(recs[1].line, 3u);
  EXPECT_EQ(recs[1].bytes, "{\"id\":2}");  // CR stripped
  EXPECT_EQ(recs[2].line, 5u);             // no final newline
}

TEST(Reader, LinesKnowTheirByteOffsets) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 5000; ++i) {  // several read buffers' worth
    content += "{\"id\":" + std::to_string(i) + ",\"text\":\"" +
               std::string(100 + i % 300, 'a' + i % 26) + "\"}\n";
    if (i % 7 == 0) content += "\n";
  }
  const std::string path = dir.Write("o.jsonl", content);
  const auto recs = ReadAll({path});
  ASSERT_EQ(recs.size(), 5000u);
  for (const RawRecord& r : recs) {
    ASSERT_EQ(content.compare(r.offset, r.bytes.size(), r.bytes), 0) << r.line;
  }
}

TEST(Reader, OversizedLinesAreRejectedNotHeld) {
  TempDir dir;
  const std::string big(5000, 'x');
  const std::string path =
      dir.Write("a.jsonl", "{\"id\":1}\n\"" + big + "\"\n{\"id\":3}\n");
  InputOptions o;
  o.max_doc_bytes = 1000;
  const auto recs = ReadAll({path}, o);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].problem, ReadProblem::kTooLarge);
  EXPECT_TRUE(recs[1].bytes.empty());
  EXPECT_NE(recs[1].error.find("5002 bytes"), std::string::npos) << recs[1].error;
  EXPECT_EQ(recs[2].line, 3u);
  EXPECT_EQ(recs[2].bytes, "{\"id\":3}");
}

TEST(Reader, FoldersAreReadRecursivelyInPathOrderByExtension) {
  TempDir dir;
  dir.Write("b.txt", "bee");
  dir.Write("a/z.txt", "zed");
  dir.Write("a/y.md", "markdown");
  dir.Write("c.txt", "");
  const auto recs = ReadAll({dir.path().string()});
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].name, "a/z.txt");
  EXPECT_EQ(recs[0].bytes, "zed");
  EXPECT_EQ(recs[1].name, "b.txt");
  EXPECT_EQ(recs[2].name, "c.txt");
  InputOptions all;
  all.extensions.clear();
  EXPECT_EQ(ReadAll({dir.path().string()}, all).size(), 4u);
}

// A file with a text extension given as an input is one document, named
// by its path as given; JSON extensions and other files stay JSONL, and
// so does everything when --ext is * (no extension marks text then).
TEST(Reader, TextFileInputsAreOneDocumentEach) {
  TempDir dir;
  const std::string a = dir.Write("a.txt", "{\"id\":1,\"text\":\"x\"}\nline two\n");
  const std::string j = dir.Write("b.jsonl", "{\"id\":2,\"text\":\"y\"}\n");
  const std::string m = dir.Write("c.md", "{\"id\":3,\"text\":\"z\"}\n");
  auto reader = RecordReader::Open({a, j, m}, InputOptions{});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->input_kinds(),
            (std::vector<InputKind>{InputKind::kTextFile, InputKind::kJsonl,
                                    InputKind::kJsonl}));
  const auto recs = ReadAll({a, j, m});
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].format, RecordFormat::kTextFile);
  EXPECT_EQ(recs[0].name, a);
  EXPECT_EQ(recs[0].bytes, "{\"id\":1,\"text\":\"x\"}\nline two\n");
  EXPECT_EQ(recs[1].format, RecordFormat::kJsonLine);
  EXPECT_EQ(recs[2].format, RecordFormat::kJsonLine);
  EXPECT_EQ(recs[2].line, 1u);

  InputOptions md;
  md.extensions = {"md", "jsonl"};
  const auto as_md = ReadAll({a, j, m}, md);
  ASSERT_EQ(as_md.size(), 4u);  // a.txt is JSONL now: two lines
  EXPECT_EQ(as_md[0].format, RecordFormat::kJsonLine);
  EXPECT_EQ(as_md[2].format, RecordFormat::kJsonLine);  // .jsonl stays JSONL
  EXPECT_EQ(as_md[3].format, RecordFormat::kTextFile);
  EXPECT_EQ(as_md[3].name, m);

  InputOptions any;
  any.extensions.clear();
  for (const RawRecord& r : ReadAll({a, j, m}, any)) {
    EXPECT_EQ(r.format, RecordFormat::kJsonLine);
  }
}

TEST(Reader, TooLargeTextFileInputIsARecordWithAProblem) {
  TempDir dir;
  const std::string a = dir.Write("big.txt", std::string(100, 'x'));
  InputOptions small;
  small.max_doc_bytes = 10;
  const auto recs = ReadAll({a}, small);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].problem, ReadProblem::kTooLarge);
  EXPECT_EQ(recs[0].name, a);
}

// Everything a ByteSource gives for `bytes` (written to a file), read
// `cap` bytes at a time, and the status it ended with.
std::pair<std::string, absl::Status> Drain(const std::string& bytes, size_t cap) {
  TempDir dir;
  const std::string path = dir.Write("in", bytes);
  const int fd = ::open(path.c_str(), O_RDONLY);
  ByteSource source(fd);
  std::string out;
  std::string buf(cap, '\0');
  absl::Status status;
  while (true) {
    absl::StatusOr<size_t> n = source.Read(buf.data(), cap);
    if (!n.ok()) {
      status = n.status();
      break;
    }
    if (*n == 0) break;
    out.append(buf, 0, *n);
  }
  ::close(fd);
  return {out, status};
}

// A few hundred KiB of JSONL-like text that does not compress to nothing.
std::string SampleText() {
  std::string s;
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 20000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    absl::StrAppend(&s, "{\"id\":", i, ",\"text\":\"word", x % 5000, " w", x % 77, "\"}\n");
  }
  return s;
}

TEST(ByteSource, PlainBytesPassThroughWhateverTheirLength) {
  for (const std::string& s : {std::string(), std::string("a"), std::string("{\"\n"),
                               SampleText()}) {
    for (size_t cap : {1u, 7u, 1u << 20}) {
      auto [out, status] = Drain(s, cap);
      EXPECT_TRUE(status.ok()) << status;
      EXPECT_EQ(out, s);
    }
  }
  EXPECT_EQ(SniffCompression("\x1f\x8b"), Compression::kGzip);
  EXPECT_EQ(SniffCompression(std::string("\x28\xb5\x2f\xfd", 4)), Compression::kZstd);
  EXPECT_EQ(SniffCompression("{\"id\""), Compression::kNone);
}

// Several members or frames (cat a.gz b.gz) are one stream; small reads
// and large ones give the same bytes.
TEST(ByteSource, GzipAndZstdMembersAndFramesAreDecompressedInOrder) {
  const std::string text = SampleText();
  const std::string a = text.substr(0, 1000), b = text.substr(1000);
  for (const std::string& packed :
       {Gzip(text), Gzip(a) + Gzip(b), Zstd(text), Zstd(a) + Zstd(b)}) {
    for (size_t cap : {13u, 4096u, 1u << 20}) {
      auto [out, status] = Drain(packed, cap);
      EXPECT_TRUE(status.ok()) << status;
      EXPECT_EQ(out.size(), text.size());
      EXPECT_TRUE(out == text);
    }
  }
}

// Zero bytes after a member (a tape-blocked or padded copy) end the data,
// as GNU gzip reads them, also between members; other bytes there are
// damage.
TEST(ByteSource, ZeroPaddingAfterAGzipMemberEndsTheData) {
  const std::string text = SampleText();
  const std::string a = text.substr(0, 1000), b = text.substr(1000);
  for (const std::string& packed :
       {Gzip(text) + std::string(10240, '\0'), Gzip(a) + std::string(3, '\0') + Gzip(b),
        Gzip(text) + std::string(1, '\0')}) {
    for (size_t cap : {13u, 1u << 20}) {
      auto [out, status] = Drain(packed, cap);
      EXPECT_TRUE(status.ok()) << status;
      EXPECT_TRUE(out == text);
    }
  }
  auto [out, status] = Drain(Gzip(text) + std::string(8, '\0') + "junk", 1 << 20);
  EXPECT_TRUE(absl::IsDataLoss(status)) << status;
  EXPECT_TRUE(out == text);
}

// Damage is DataLoss, after every byte that could be decompressed before it.
TEST(ByteSource, TruncatedOrCorruptDataIsDataLossAfterWhatCameBefore) {
  const std::string text = SampleText();
  for (const std::string& packed : {Gzip(text), Zstd(text)}) {
    auto [out, status] = Drain(packed.substr(0, packed.size() * 2 / 3), 4096);
    EXPECT_TRUE(absl::IsDataLoss(status)) << status;
    EXPECT_NE(status.message().find("ends in the middle"), std::string::npos) << status;
    EXPECT_GT(out.size(), text.size() / 3);
    EXPECT_EQ(out, text.substr(0, out.size()));
  }
  std::string bad_crc = Gzip(text);
  bad_crc[bad_crc.size() - 6] ^= 0x5a;  // the CRC-32 in the trailer
  auto [out, status] = Drain(bad_crc, 1 << 20);
  EXPECT_TRUE(absl::IsDataLoss(status)) << status;
  EXPECT_EQ(out, text);
}

// A damaged compressed input keeps the records before the damage and
// becomes one rejected record for the rest; the next input is read.
TEST(Reader, CompressedInputsAreReadAndDamageIsARecord) {
  TempDir dir;
  const std::string text = SampleText();
  const std::string gz = dir.Write("a.jsonl.gz", Gzip(text));
  const std::string packed = Zstd(text);
  const std::string cut = dir.Write("b.zst", packed.substr(0, packed.size() / 2));
  const std::string plain = dir.Write("c.jsonl", "{\"id\":\"last\",\"text\":\"x\"}\n");
  auto reader = RecordReader::Open({gz, cut, plain}, InputOptions{});
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->input_kinds(),
            (std::vector<InputKind>{InputKind::kCompressedJsonl,
                                    InputKind::kCompressedJsonl, InputKind::kJsonl}));
  const auto recs = ReadAll({gz, cut, plain});
  size_t from_gz = 0, from_cut = 0;
  for (const RawRecord& r : recs) {
    if (r.input == 0) ++from_gz;
    if (r.input == 1) {
      ++from_cut;
      EXPECT_EQ(r.line, from_cut);
    }
  }
  EXPECT_EQ(from_gz, 20000u);
  ASSERT_GT(from_cut, 1u);
  EXPECT_LT(from_cut, 20000u);
  const RawRecord& broken = recs[recs.size() - 2];
  EXPECT_EQ(broken.input, 1u);
  EXPECT_EQ(broken.problem, ReadProblem::kUnreadable);
  EXPECT_NE(broken.error.find("zstd data ends in the middle of a frame"), std::string::npos);
  EXPECT_EQ(recs.back().input, 2u);
  EXPECT_EQ(recs.back().bytes, "{\"id\":\"last\",\"text\":\"x\"}");
}

TEST(Reader, MissingInputsAreErrorsNamingThePath) {
  auto reader = RecordReader::Open({"/no/such/file.jsonl"}, InputOptions{});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("/no/such/file.jsonl"),
            std::string::npos);
}

TEST(Json, ParsesFieldsEscapesAndIdTypes) {
  JsonRecordParser parser(InputOptions{});
  JsonRecord r;
  std::string err;
  ASSERT_TRUE(parser.Parse(
      R"({"id":"x1","text":"caf\u00e9 \ud83d\ude00\n","lang":"fr","extra":[1,{"a":2}]})",
      &r, &err)) << err;
  EXPECT_EQ(r.id, "x1");
  EXPECT_EQ(r.text, "caf\xC3\xA9 \xF0\x9F\x98\x80\n");
  EXPECT_EQ(r.lang, "fr");
  ASSERT_TRUE(parser.Parse(R"({"id":42,"text":"t"})", &r, &err));
  EXPECT_EQ(r.id, "42");
  ASSERT_TRUE(parser.Parse(R"({"text":"t"})", &r, &err));
  EXPECT_FALSE(r.has_id);
}

TEST(Json, RenamedFields) {
  InputOptions o;
  o.id_field = "url";
  o.text_field = "content";
  JsonRecordParser parser(o);
  JsonRecord r;
  std::string err;
  ASSERT_TRUE(parser.Parse(R"({"url":"u","content":"c"})", &r, &err));
  EXPECT_EQ(r.id, "u");
  EXPECT_EQ(r.text, "c");
}

TEST(Json, BadLinesSayWhatIsWrong) {
  JsonRecordParser parser(InputOptions{});
  JsonRecord r;
  std::string err;
  EXPECT_FALSE(parser.Parse(R"({"id":1,"text":"unterminated)", &r, &err));
  EXPECT_TRUE(err.starts_with("invalid JSON")) << err;
  EXPECT_FALSE(parser.Parse("[1,2]", &r, &err));
  EXPECT_NE(err.find("not an object"), std::string::npos);
  EXPECT_FALSE(parser.Parse(R"({"id":1})", &r, &err));
  EXPECT_EQ(err, "missing text field \"text\"");
  EXPECT_FALSE(parser.Parse(R"({"id":1,"text":7})", &r, &err));
  EXPECT_EQ(err, "field \"text\" is not a string");
  EXPECT_FALSE(parser.Parse(R"({"id":[1],"text":"t"})", &r, &err));
  EXPECT_TRUE(err.starts_with("field \"id\"")) << err;
  EXPECT_FALSE(parser.Parse("{\"id\":1,\"text\":\"\xFF\"}", &r, &err));
  EXPECT_EQ(err, "invalid UTF-8 in JSON line");
}

TEST(Json, WritingEscapesAndRoundsScores) {
  std::string s;
  AppendJsonString(&s, "a\"b\\c\n\x01");
  EXPECT_EQ(s, R"("a\"b\\c\n\u0001")");
  std::string repaired;
  AppendJsonString(&repaired, "caf\xE9 ok \xE6\x97 end \xE6\x97\xA5");
  EXPECT_EQ(repaired, "\"caf\xEF\xBF\xBD ok \xEF\xBF\xBD end \xE6\x97\xA5\"");
  std::string n;
  AppendJsonScore(&n, 0.8);
  n += ' ';
  AppendJsonScore(&n, 1.0);
  n += ' ';
  AppendJsonScore(&n, 0.123456);
  n += ' ';
  AppendJsonScore(&n, 0.0);
  EXPECT_EQ(n, "0.8 1 0.1235 0");
}

}  // namespace
}  // namespace neardup
