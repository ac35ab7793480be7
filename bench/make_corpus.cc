// make_corpus: writes a deterministic JSONL corpus with planted
// near-duplicates, for the demo, the end-to-end tests and the benchmarks.
//
//   make_corpus --n 100000 --seed 1 > corpus.jsonl
//
// Text is pseudo-English built from a fixed syllable vocabulary with Zipf
// word frequencies, so it needs no data files and is identical on every
// machine. A fraction (--dup-frac, default 0.2) of documents are planted
// near-duplicates of an earlier document, made with one edit:
//   exact        byte-identical copy
//   format       case, whitespace, line wrapping and full-width digits
//                (identical after normalization)
//   boilerplate  a header and/or footer paragraph added
//   token_edits  1-8 % of words substituted, inserted or deleted
//   truncate     a 75-97 % prefix kept
//   reorder      one paragraph moved
//   insert_para  a foreign paragraph inserted
// Each line: {"id","text","lang","edit","dup_of","cluster"}; "cluster" is the
// id of the original at the root of the chain. Uses its own PRNG (not
// <random>'s distributions, which differ between standard libraries).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double Uniform() { return (Next() >> 11) * 0x1.0p-53; }
  size_t Below(size_t n) { return static_cast<size_t>(Uniform() * n); }
  int Range(int lo, int hi) { return lo + static_cast<int>(Below(hi - lo + 1)); }
};

const char* kOnsets[] = {"b", "c", "d", "f", "g", "h", "j", "k", "l", "m",
                         "n", "p", "r", "s", "t", "v", "w", "z", "br", "ch",
                         "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr"};
const char* kVowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "ee"};
const char* kCodas[] = {"", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck"};

class Words {
 public:
  explicit Words(Rng& rng, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      std::string w;
      const int syllables = 1 + static_cast<int>(rng.Below(3));
      for (int k = 0; k < syllables; ++k) {
        w += kOnsets[rng.Below(std::size(kOnsets))];
        w += kVowels[rng.Below(std::size(kVowels))];
      }
      w += kCodas[rng.Below(std::size(kCodas))];
      words_.push_back(w);
    }
    // Zipf(1.1) cumulative weights.
    double total = 0;
    for (size_t i = 0; i < size; ++i) {
      total += 1.0 / std::pow(i + 1.0, 1.1);
      cdf_.push_back(total);
    }
    for (double& c : cdf_) c /= total;
  }
  const std::string& Pick(Rng& rng) const {
    const double u = rng.Uniform();
    size_t lo = 0, hi = cdf_.size() - 1;
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      if (cdf_[mid] < u) lo = mid + 1; else hi = mid;
    }
    return words_[lo];
  }

 private:
  std::vector<std::string> words_;
  std::vector<double> cdf_;
};

using Paragraph = std::vector<std::string>;  // words and punctuation
using Doc = std::vector<Paragraph>;

Paragraph MakeParagraph(Rng& rng, const Words& words, int min_words, int max_words) {
  Paragraph p;
  const int n = rng.Range(min_words, max_words);
  bool sentence_start = true;
  for (int i = 0; i < n; ++i) {
    std::string w = words.Pick(rng);
    if (rng.Below(40) == 0) w = std::to_string(rng.Below(100000));
    if (sentence_start && !w.empty() && w[0] >= 'a' && w[0] <= 'z') w[0] -= 32;
    sentence_start = false;
    if (i + 1 == n || rng.Below(14) == 0) {
      w += ".";
      sentence_start = true;
    } else if (rng.Below(12) == 0) {
      w += ",";
    }
    p.push_back(w);
  }
  return p;
}

Doc MakeDoc(Rng& rng, const Words& words) {
  Doc d;
  // Log-normal-ish length: most documents 100-600 words, some far longer.
  const int paragraphs = 1 + static_cast<int>(std::exp(rng.Uniform() * 2.3));
  for (int i = 0; i < paragraphs; ++i) d.push_back(MakeParagraph(rng, words, 25, 110));
  return d;
}

std::string Render(const Doc& d) {
  std::string out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i > 0) out += "\n\n";
    for (size_t k = 0; k < d[i].size(); ++k) {
      if (k > 0) out += ' ';
      out += d[i][k];
    }
  }
  return out;
}

// Case, whitespace, wrapping and full-width digit changes only.
std::string FormatVariant(Rng& rng, const Doc& d) {
  std::string out;
  const bool upper_titles = rng.Below(2);
  for (size_t i = 0; i < d.size(); ++i) {
    if (i > 0) out += rng.Below(2) ? "\n\n" : "\r\n\r\n   ";
    size_t col = 0;
    for (size_t k = 0; k < d[i].size(); ++k) {
      if (k > 0) {
        if (col > 60 && rng.Below(3) == 0) {
          out += "\n";
          col = 0;
        } else {
          out += rng.Below(10) == 0 ? "  " : " ";
        }
      }
      std::string w = d[i][k];
      if (upper_titles && k < 3) {
        for (char& c : w) if (c >= 'a' && c <= 'z') c -= 32;
      }
      std::string fw;
      for (char c : w) {
        if (c >= '0' && c <= '9') {  // U+FF10.. full-width digits
          fw += "\xEF\xBC";
          fw += static_cast<char>(0x90 + (c - '0'));
        } else {
          fw += c;
        }
      }
      col += w.size() + 1;
      out += fw;
    }
  }
  return out;
}

void JsonString(std::string* out, const std::string& s) {
  *out += '"';
  for (char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default: *out += c;
    }
  }
  *out += '"';
}

}  // namespace

int main(int argc, char** argv) {
  long n = 1000;
  uint64_t seed = 1;
  double dup_frac = 0.2;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--n" && i + 1 < argc) n = std::atol(argv[++i]);
    else if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--dup-frac" && i + 1 < argc) dup_frac = std::atof(argv[++i]);
    else {
      std::fprintf(stderr,
                   "usage: make_corpus [--n N] [--seed S] [--dup-frac F] > corpus.jsonl\n");
      return 2;
    }
  }
  Rng rng{seed};
  const Words words(rng, 20000);
  Rng boiler_rng{seed ^ 0xB0B0};
  const Paragraph header = MakeParagraph(boiler_rng, words, 15, 30);
  const Paragraph footer = MakeParagraph(boiler_rng, words, 20, 40);

  struct Entry { Doc doc; std::string id, cluster; };
  std::vector<Entry> made;
  made.reserve(n);
  static const char* kEdits[] = {"exact", "format", "boilerplate", "token_edits",
                                 "truncate", "reorder", "insert_para"};
  std::string line;
  for (long i = 0; i < n; ++i) {
    char id[32];
    std::snprintf(id, sizeof(id), "doc-%07ld", i);
    std::string edit = "original", dup_of, cluster = id, text;
    Doc doc;
    if (!made.empty() && rng.Uniform() < dup_frac) {
      const Entry& src = made[rng.Below(made.size())];
      dup_of = src.id;
      cluster = src.cluster;
      edit = kEdits[rng.Below(std::size(kEdits))];
      doc = src.doc;
      if (edit == "boilerplate") {
        if (rng.Below(2)) doc.insert(doc.begin(), header);
        doc.push_back(footer);
      } else if (edit == "token_edits") {
        const double rate = 0.01 + 0.07 * rng.Uniform();
        for (Paragraph& p : doc) {
          for (size_t k = 0; k < p.size(); ++k) {
            if (rng.Uniform() >= rate) continue;
            switch (rng.Below(3)) {
              case 0: p[k] = words.Pick(rng); break;
              case 1: p.insert(p.begin() + k, words.Pick(rng)); ++k; break;
              default: if (p.size() > 1) { p.erase(p.begin() + k); } break;
            }
          }
        }
      } else if (edit == "truncate") {
        size_t total = 0;
        for (const Paragraph& p : doc) total += p.size();
        size_t keep = static_cast<size_t>(total * (0.75 + 0.22 * rng.Uniform()));
        Doc cut;
        for (const Paragraph& p : doc) {
          if (keep == 0) break;
          Paragraph q(p.begin(), p.begin() + std::min(keep, p.size()));
          keep -= q.size();
          cut.push_back(q);
        }
        doc = cut;
      } else if (edit == "reorder" && doc.size() > 1) {
        const size_t from = rng.Below(doc.size());
        Paragraph p = doc[from];
        doc.erase(doc.begin() + from);
        doc.insert(doc.begin() + rng.Below(doc.size() + 1), p);
      } else if (edit == "insert_para") {
        doc.insert(doc.begin() + rng.Below(doc.size() + 1),
                   MakeParagraph(rng, words, 25, 60));
      }
      text = edit == "format" ? FormatVariant(rng, doc) : Render(doc);
    } else {
      doc = MakeDoc(rng, words);
      text = Render(doc);
    }
    line.clear();
    line += "{\"id\":";
    JsonString(&line, id);
    line += ",\"text\":";
    JsonString(&line, text);
    line += ",\"lang\":\"en\",\"edit\":";
    JsonString(&line, edit);
    line += ",\"dup_of\":";
    if (dup_of.empty()) line += "null"; else JsonString(&line, dup_of);
    line += ",\"cluster\":";
    JsonString(&line, cluster);
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
    made.push_back(Entry{std::move(doc), id, cluster});
  }
  return 0;
}
