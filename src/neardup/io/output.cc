#include "neardup/io/output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "neardup/io/byte_sink.h"
#include "neardup/io/json.h"
#include "neardup/io/reader.h"

namespace neardup {
namespace {

void Field(std::string* out, std::string_view name, bool first = false) {
  if (!first) out->push_back(',');
  AppendJsonString(out, name);
  out->push_back(':');
}

void StringField(std::string* out, std::string_view name, std::string_view v,
                 bool first = false) {
  Field(out, name, first);
  AppendJsonString(out, v);
}

void NumberField(std::string* out, std::string_view name, uint64_t v) {
  Field(out, name);
  absl::StrAppend(out, v);
}

// "name": {"key": count, ...}
void CountsField(std::string* out, std::string_view name,
                 const std::map<std::string, uint64_t>& counts) {
  Field(out, name);
  out->push_back('{');
  bool first = true;
  for (const auto& [key, n] : counts) {
    Field(out, key, first);
    first = false;
    absl::StrAppend(out, n);
  }
  out->push_back('}');
}

void ScoreField(std::string* out, std::string_view name, double v) {
  Field(out, name);
  AppendJsonScore(out, v);
}

absl::Status WriteFile(const std::filesystem::path& path,
                       const std::string& content) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(
        tmp.string(), ": cannot write: ", std::strerror(errno)));
  }
  const bool ok = std::fwrite(content.data(), 1, content.size(), f) ==
                      content.size() &&
                  std::fflush(f) == 0;
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed) {
    return absl::DataLossError(
        absl::StrCat(tmp.string(), ": write failed: ", std::strerror(errno)));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    return absl::DataLossError(
        absl::StrCat(path.string(), ": cannot rename: ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

std::string DocumentsJsonl(const RunResult& r) {
  std::string out;
  for (const DocumentResult& d : r.documents) {
    if (d.seen) continue;
    out.push_back('{');
    StringField(&out, "id", d.id, /*first=*/true);
    StringField(&out, "source", r.SourceOf(d));
    StringField(&out, "status", OutcomeName(d.outcome));
    Field(&out, "keep");
    out.append(d.outcome == Outcome::kKept ? "true" : "false");
    Field(&out, "group");
    if (d.group >= 0) {
      absl::StrAppend(&out, d.group);
    } else {
      out.append("null");
    }
    Field(&out, "reason");
    if (d.outcome == Outcome::kKept) {
      out.append("null");
    } else {
      AppendJsonString(&out, d.reason);
    }
    if (d.outcome == Outcome::kRejected) {
      StringField(&out, "code", RejectCodeName(d.reject));
    }
    if (!d.lang.empty()) {
      StringField(&out, "lang", d.lang);
      if (d.lang_guessed) {
        Field(&out, "lang_guessed");
        out.append("true");
      }
      if (!d.lang_given.empty()) StringField(&out, "lang_given", d.lang_given);
    }
    out.append("}\n");
  }
  return out;
}

std::string PairsJsonl(const RunResult& r) {
  std::string out;
  for (const auto* list : {&r.pairs, &r.unlinked_pairs})
  for (const ScoredPair& p : *list) {
    const DocumentResult& a = r.documents[p.a];
    const DocumentResult& b = r.documents[p.b];
    out.push_back('{');
    StringField(&out, "a", a.id, /*first=*/true);
    StringField(&out, "b", b.id);
    if (a.seen) {
      Field(&out, "a_seen");
      out.append("true");
    }
    if (b.seen) {
      Field(&out, "b_seen");
      out.append("true");
    }
    if (p.linked) {
      NumberField(&out, "group", static_cast<uint64_t>(a.group));
    } else {
      Field(&out, "linked");
      out.append("false");
    }
    const bool cross = a.lang != b.lang && a.lang != "und" && b.lang != "und";
    StringField(&out, "kind", cross ? "cross-language" : "same-language");
    StringField(&out, "lang_a", a.lang);
    StringField(&out, "lang_b", b.lang);
    if (p.linked) {
      StringField(&out, "via", p.channel == Channel::kSurface ? "surface"
                               : p.story                      ? "story"
                                                              : "translation");
    }
    ScoreField(&out, "score", p.score);
    if (p.channel == Channel::kPivot) ScoreField(&out, "pivot_jaccard", p.pivot_jaccard);
    ScoreField(&out, "estimated_jaccard", p.estimated_jaccard);
    if (p.channel == Channel::kSurface) {
      if (p.exact_jaccard) ScoreField(&out, "exact_jaccard", *p.exact_jaccard);
      ScoreField(&out, "containment_a_in_b", p.a_in_b);
      ScoreField(&out, "containment_b_in_a", p.b_in_a);
    }
    out.append("}\n");
  }
  return out;
}

std::string GroupsJsonl(const RunResult& r) {
  std::string out;
  for (size_t g = 0; g < r.groups.size(); ++g) {
    const Group& group = r.groups[g];
    out.push_back('{');
    Field(&out, "group", /*first=*/true);
    absl::StrAppend(&out, g);
    NumberField(&out, "size", group.members.size());
    StringField(&out, "representative", r.documents[group.representative].id);
    Field(&out, "kept");
    out.push_back('[');
    for (size_t i = 0; i < group.kept.size(); ++i) {
      if (i > 0) out.push_back(',');
      AppendJsonString(&out, r.documents[group.kept[i]].id);
    }
    out.push_back(']');
    Field(&out, "members");
    out.push_back('[');
    for (size_t i = 0; i < group.members.size(); ++i) {
      if (i > 0) out.push_back(',');
      AppendJsonString(&out, r.documents[group.members[i]].id);
    }
    out.push_back(']');
    if (r.seen_inputs > 0) {
      Field(&out, "seen");
      out.push_back('[');
      bool first = true;
      for (uint32_t m : group.members) {
        if (!r.documents[m].seen) continue;
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(&out, r.documents[m].id);
      }
      out.push_back(']');
    }
    out.append("}\n");
  }
  return out;
}

std::string SummaryJson(const RunResult& r, const PipelineOptions& o) {
  const RunStats& s = r.stats;
  std::string out = "{\n  \"counts\": {";
  Field(&out, "read", true);
  absl::StrAppend(&out, s.records);
  NumberField(&out, "kept", s.kept);
  NumberField(&out, "dropped", s.duplicates);
  NumberField(&out, "dropped_translations", s.dropped_translations);
  NumberField(&out, "rejected", s.rejected);
  if (r.seen_inputs > 0) {
    NumberField(&out, "seen", s.seen_records);
    NumberField(&out, "seen_rejected", s.seen_rejected);
    NumberField(&out, "seen_inputs_from_cache", s.seen_cached_inputs);
  }
  NumberField(&out, "groups", r.groups.size());
  NumberField(&out, "verified_pairs", s.verified_pairs);
  NumberField(&out, "candidate_pairs", s.candidate_pairs);
  NumberField(&out, "exact_rechecks", s.exact_rechecks);
  NumberField(&out, "identical_signatures", s.identical_signatures);
  NumberField(&out, "translation_candidate_pairs", s.pivot_candidate_pairs);
  NumberField(&out, "translation_mutual_best_pairs", s.pivot_mutual_pairs);
  NumberField(&out, "translation_below_margin", s.pivot_below_margin);
  NumberField(&out, "translation_below_background", s.pivot_below_background);
  NumberField(&out, "translation_below_input", s.pivot_below_input);
  NumberField(&out, "translation_without_agreement", s.pivot_without_agreement);
  NumberField(&out, "translation_numbers_disagree", s.pivot_numbers_disagree);
  NumberField(&out, "translation_linked_pairs", s.pivot_linked_pairs);
  NumberField(&out, "translation_version_joins", s.pivot_version_joins);
  NumberField(&out, "story_linked_pairs", s.story_linked_pairs);
  NumberField(&out, "date_story_pairs", s.date_story_pairs);
  NumberField(&out, "blank_lines", s.blank_lines);
  NumberField(&out, "lang_tags_set_aside", s.lang_tags_set_aside);
  NumberField(&out, "bytes_read", s.bytes_read);
  NumberField(&out, "text_bytes", s.text_bytes);
  CountsField(&out, "languages", s.languages);
  CountsField(&out, "rejected_by_code", s.rejected_by_code);
  out.append("},\n  \"parameters\": {");
  Field(&out, "threshold", true);
  AppendJsonScore(&out, o.lsh.threshold);
  NumberField(&out, "num_perm", static_cast<uint64_t>(o.minhash.num_perm));
  NumberField(&out, "seed", o.minhash.seed);
  StringField(&out, "shingle",
              o.shingle.unit == ShingleUnit::kWord ? "word" : "char");
  NumberField(&out, "ngram", static_cast<uint64_t>(o.shingle.n));
  NumberField(&out, "bands", static_cast<uint64_t>(s.lsh.bands));
  NumberField(&out, "rows", static_cast<uint64_t>(s.lsh.rows));
  StringField(&out, "verify", VerifyModeName(o.verify));
  StringField(&out, "keep", KeepPolicyName(o.keep));
  Field(&out, "cross_language");
  out.append(o.crosslingual.enabled ? "true" : "false");
  Field(&out, "cross_language_ran");
  out.append(s.crosslingual ? "true" : "false");
  ScoreField(&out, "translation_floor", o.crosslingual.floor);
  ScoreField(&out, "translation_margin", o.crosslingual.margin);
  ScoreField(&out, "translation_agreement", o.crosslingual.agreement);
  ScoreField(&out, "translation_numbers", o.crosslingual.numbers);
  ScoreField(&out, "translation_background_z", o.crosslingual.background_z);
  ScoreField(&out, "translation_input_z", o.crosslingual.input_z);
  Field(&out, "background_rule");
  out.append(o.crosslingual.background_rule ? "true" : "false");
  Field(&out, "join_versions");
  out.append(o.crosslingual.join_versions ? "true" : "false");
  Field(&out, "date_stories");
  out.append(o.crosslingual.date_stories ? "true" : "false");
  Field(&out, "thin_buckets");
  out.append(o.crosslingual.thin_buckets ? "true" : "false");
  NumberField(&out, "thin_max_kept", static_cast<uint64_t>(o.crosslingual.thin_max_kept));
  NumberField(&out, "pivot_num_perm", static_cast<uint64_t>(o.crosslingual.num_perm));
  NumberField(&out, "pivot_strongest_pairs", static_cast<uint64_t>(o.crosslingual.strongest_pairs));
  Field(&out, "keep_one_per_group");
  out.append(o.keep_one_per_group ? "true" : "false");
  Field(&out, "seen_drops_translations");
  out.append(o.seen_drops_translations ? "true" : "false");
  Field(&out, "fold_diacritics");
  out.append(o.normalize.fold_diacritics ? "true" : "false");
  Field(&out, "detection_probability");
  out.push_back('{');
  bool first = true;
  for (double d : {-0.1, 0.0, 0.1}) {
    const double j = o.lsh.threshold + d;
    if (j <= 0 || j > 1 + 1e-9) continue;
    std::string key;
    AppendJsonScore(&key, j);
    Field(&out, key, first);
    first = false;
    AppendJsonScore(&out, DetectionProbability(std::min(j, 1.0), s.lsh));
  }
  out.append("}},\n  \"inputs\": [");
  for (size_t i = r.seen_inputs; i < r.input_names.size(); ++i) {
    if (i > r.seen_inputs) out.push_back(',');
    AppendJsonString(&out, r.input_names[i]);
  }
  out.push_back(']');
  if (r.seen_inputs > 0) {
    out.append(",\n  \"seen_inputs\": [");
    for (size_t i = 0; i < r.seen_inputs; ++i) {
      if (i > 0) out.push_back(',');
      AppendJsonString(&out, r.input_names[i]);
    }
    out.push_back(']');
  }
  out.append(",\n  \"timings\": {");
  Field(&out, "read_and_sign_s", true);
  AppendJsonScore(&out, s.seconds_read);
  ScoreField(&out, "index_s", s.seconds_index);
  ScoreField(&out, "verify_s", s.seconds_verify);
  ScoreField(&out, "translations_s", s.seconds_crosslingual);
  ScoreField(&out, "group_s", s.seconds_group);
  ScoreField(&out, "total_s", s.seconds_total);
  ScoreField(&out, "docs_per_s",
             s.seconds_total > 0 ? (s.records + s.seen_records) / s.seconds_total : 0);
  ScoreField(&out, "mb_per_s",
             s.seconds_total > 0 ? s.bytes_read / 1e6 / s.seconds_total : 0);
  out.append("},\n  ");
  Field(&out, "threads", true);
  absl::StrAppend(&out, s.threads);
  out.append(",\n  ");
  Field(&out, "peak_rss_mib", true);
  AppendJsonScore(&out, s.peak_rss_bytes / 1048576.0);
  out.append("\n}\n");
  return out;
}

absl::Status WriteRecords(const std::string& path,
                          const std::vector<std::string>& inputs,
                          const InputOptions& options, size_t count,
                          const std::function<RecordChoice(size_t)>& choice) {
  auto reader = RecordReader::Open(inputs, options);
  if (!reader.ok()) return reader.status();
  auto sink = ByteSink::Open(path);
  if (!sink.ok()) return sink.status();
  std::vector<RawRecord> batch;
  std::string out;
  size_t k = 0;
  auto changed = [&](const RawRecord& rec) {
    return absl::DataLossError(absl::StrCat(
        (*reader)->input_names()[rec.input],
        ": changed since it was read; ", path, " is not written"));
  };
  while (true) {
    batch.clear();
    absl::StatusOr<bool> more = (*reader)->Next(4096, 16 << 20, &batch);
    if (!more.ok()) return more.status();
    if (!*more) break;
    out.clear();
    for (const RawRecord& rec : batch) {
      if (k >= count) return changed(rec);
      const RecordChoice c = choice(k++);
      const bool text_file = rec.format == RecordFormat::kTextFile;
      if (c.check && (c.input != rec.input || c.line != rec.line || c.offset != rec.offset ||
                      (text_file && c.name != rec.name))) {
        return changed(rec);
      }
      if (!c.write) continue;
      if (text_file) {
        out.append("{\"id\":");
        AppendJsonString(&out, rec.name);
        out.append(",\"text\":");
        AppendJsonString(&out, rec.bytes);
        out.append("}\n");
      } else {
        out.append(rec.bytes);
        out.push_back('\n');
      }
    }
    if (auto s = (*sink)->Write(out); !s.ok()) return s;
  }
  if (k != count) {
    return absl::DataLossError(absl::StrCat(
        "the inputs have fewer records than when they were read; ", path,
        " is not written"));
  }
  return (*sink)->Close();
}

absl::Status WriteKept(const std::string& path,
                       const std::vector<std::string>& inputs,
                       const InputOptions& options, const RunResult& result) {
  // The seen inputs' documents are not written, so those inputs are not
  // read again.
  const size_t first = result.FirstInputDocument();
  const std::vector<std::string> read(
      inputs.begin() + std::min<size_t>(result.seen_inputs, inputs.size()), inputs.end());
  return WriteRecords(path, read, options, result.documents.size() - first, [&](size_t k) {
    const DocumentResult& d = result.documents[first + k];
    return RecordChoice{d.input - result.seen_inputs, d.line, d.offset, d.id,
                        d.outcome == Outcome::kKept};
  });
}

absl::Status WriteTextFiles(
    const std::string& dir,
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::PermissionDeniedError(
        absl::StrCat(dir, ": cannot create folder: ", ec.message()));
  }
  const std::filesystem::path base(dir);
  for (const auto& [name, content] : files) {
    if (auto s = WriteFile(base / name, content); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status WriteOutputDir(const std::string& dir, const RunResult& result,
                            const PipelineOptions& options) {
  // One file's text at a time: documents.jsonl alone is about 150 bytes a
  // document.
  if (auto s = WriteTextFiles(dir, {}); !s.ok()) return s;
  const std::filesystem::path base(dir);
  if (auto s = WriteFile(base / "documents.jsonl", DocumentsJsonl(result)); !s.ok()) return s;
  if (auto s = WriteFile(base / "pairs.jsonl", PairsJsonl(result)); !s.ok()) return s;
  if (auto s = WriteFile(base / "groups.jsonl", GroupsJsonl(result)); !s.ok()) return s;
  return WriteFile(base / "summary.json", SummaryJson(result, options));
}

}  // namespace neardup
