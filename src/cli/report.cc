#include "cli/report.h"

#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace neardup::cli {

void PrintSummary(const RunResult& r, const PipelineOptions& o, FILE* out) {
  const RunStats& s = r.stats;
  if (s.dropped_translations == 0) {
    absl::FPrintF(out,
                  "neardup: %d documents read: %d kept, %d dropped as "
                  "near-duplicates, %d rejected\n",
                  s.records, s.kept, s.duplicates, s.rejected);
  } else {
    absl::FPrintF(out,
                  "neardup: %d documents read: %d kept, %d dropped (%d as near-duplicates, %d "
                  "as translations), %d rejected\n",
                  s.records, s.kept, s.duplicates, s.duplicates - s.dropped_translations,
                  s.dropped_translations, s.rejected);
  }
  if (r.seen_inputs > 0) {
    absl::FPrintF(out,
                  "  matched against %d documents seen before (%d of their records "
                  "rejected%s), which are not reported\n",
                  s.seen_records - s.seen_rejected, s.seen_rejected,
                  o.seen_cache_dir.empty()
                      ? std::string()
                      : absl::StrFormat("; %d of %d seen inputs replayed from --seen-cache",
                                        s.seen_cached_inputs, r.seen_inputs));
  }
  absl::FPrintF(out,
                "  threshold %.2f, %d permutations, %s %d-grams, verify %s, "
                "keep %s\n",
                o.lsh.threshold, o.minhash.num_perm,
                o.shingle.unit == ShingleUnit::kWord ? "word" : "char",
                o.shingle.n, VerifyModeName(o.verify), KeepPolicyName(o.keep));
  absl::FPrintF(out, "  LSH %d bands x %d rows: a pair is found with probability",
                s.lsh.bands, s.lsh.rows);
  const char* sep = " ";
  for (double d : {-0.1, 0.0, 0.1}) {
    const double j = o.lsh.threshold + d;
    if (j <= 0 || j > 1 + 1e-9) continue;
    absl::FPrintF(out, "%s%.3f at J=%.2f", sep,
                  DetectionProbability(std::min(j, 1.0), s.lsh), j);
    sep = ", ";
  }
  absl::FPrintF(out, "\n  %d candidate pairs, %d verified, %d groups, %d "
                "identical signatures\n",
                s.candidate_pairs, s.verified_pairs, r.groups.size(),
                s.identical_signatures);
  if (s.crosslingual) {
    std::string langs;
    for (const auto& [lang, n] : s.languages) {
      absl::StrAppend(&langs, langs.empty() ? "" : ", ", lang, " ", n);
    }
    absl::FPrintF(out,
                  "  translations: %d candidate pairs, %d mutual best matches "
                  "(%d without a margin over the next best, %d below the input's "
                  "unrelated pairs, %d below the background's level, %d without their "
                  "groups' agreement, %d whose numbers disagree), %d linked (%d joining "
                  "versions of one text), %d story links (languages: %s)\n",
                  s.pivot_candidate_pairs, s.pivot_mutual_pairs, s.pivot_below_margin,
                  s.pivot_below_input, s.pivot_below_background, s.pivot_without_agreement,
                  s.pivot_numbers_disagree, s.pivot_linked_pairs, s.pivot_version_joins,
                  s.story_linked_pairs, langs);
  } else if (o.crosslingual.enabled) {
    // Documents of unknown language ("und") take no part.
    const size_t known = s.languages.size() - s.languages.count("und");
    absl::FPrintF(out, "  translations: not linked (%s)\n",
                  known < 2 ? "fewer than two known languages" : "no lexicon");
  }
  if (s.lang_tags_set_aside > 0) {
    absl::FPrintF(out,
                  "  %d language tags set aside for a guess: the script of the text "
                  "contradicts them (documents.jsonl: lang_given)\n",
                  s.lang_tags_set_aside);
  }
  absl::FPrintF(out,
                "  %.2f s (%.0f docs/s, %.1f MB/s) on %d threads, peak memory "
                "%.0f MiB\n",
                s.seconds_total,
                s.seconds_total > 0 ? (s.records + s.seen_records) / s.seconds_total : 0.0,
                s.seconds_total > 0 ? s.bytes_read / 1e6 / s.seconds_total : 0.0,
                s.threads, s.peak_rss_bytes / 1048576.0);
}

void PrintDetails(const RunResult& r, size_t max_groups, FILE* out) {
  // A document of the seen inputs is marked as one.
  auto name = [&r](uint32_t d) {
    return r.documents[d].seen ? absl::StrCat(r.documents[d].id, " [seen]") : r.documents[d].id;
  };
  if (!r.groups.empty()) {
    absl::FPrintF(out, "\nGroups (%d):\n", r.groups.size());
  }
  // Pairs are sorted by first document; index them by group.
  std::vector<std::vector<size_t>> pairs_of(r.groups.size());
  for (size_t i = 0; i < r.pairs.size(); ++i) {
    pairs_of[r.documents[r.pairs[i].a].group].push_back(i);
  }
  for (size_t g = 0; g < r.groups.size() && g < max_groups; ++g) {
    const Group& group = r.groups[g];
    std::string kept;
    for (uint32_t k : group.kept) {
      absl::StrAppend(&kept, kept.empty() ? "" : ", ", name(k));
    }
    absl::FPrintF(out, "  group %d: %d documents, keeps %s\n", g,
                  group.members.size(), kept);
    for (size_t i : pairs_of[g]) {
      const ScoredPair& p = r.pairs[i];
      const DocumentResult& a = r.documents[p.a];
      const DocumentResult& b = r.documents[p.b];
      if (p.channel == Channel::kPivot) {
        absl::FPrintF(out, "    %s (%s) ~ %s (%s)  %s, score %.3f\n", name(p.a), a.lang,
                      name(p.b), b.lang, p.story ? "story" : "translation", p.score);
        continue;
      }
      absl::FPrintF(out, "    %s ~ %s  jaccard %.3f", name(p.a), name(p.b),
                    p.estimated_jaccard);
      if (p.exact_jaccard) absl::FPrintF(out, " (exact %.3f)", *p.exact_jaccard);
      absl::FPrintF(out, "  containment %.3f / %.3f\n", p.a_in_b, p.b_in_a);
    }
  }
  if (r.groups.size() > max_groups) {
    absl::FPrintF(out, "  ... %d more groups (use --out DIR to get them all)\n",
                  r.groups.size() - max_groups);
  }
  if (r.stats.rejected > 0) {
    absl::FPrintF(out, "\nRejected (%d):\n", r.stats.rejected);
    for (const DocumentResult& d : r.documents) {
      if (d.outcome != Outcome::kRejected || d.seen) continue;
      absl::FPrintF(out, "  %s: %s\n", r.SourceOf(d), d.reason);
    }
  }
}

void PrintWarnings(const RunResult& r, size_t max_lines, FILE* out) {
  size_t shown = 0;
  for (const DocumentResult& d : r.documents) {
    if (d.outcome != Outcome::kRejected || d.seen) continue;
    if (shown++ < max_lines) {
      absl::FPrintF(out, "neardup: warning: %s: %s (rejected)\n", r.SourceOf(d),
                    d.reason);
    }
  }
  if (shown > max_lines) {
    absl::FPrintF(out,
                  "neardup: warning: %d more rejected records; each is listed "
                  "in documents.jsonl\n",
                  shown - max_lines);
  }
}

void PrintProgress(const Progress& p, FILE* out) {
  // On a terminal the line overwrites itself; in a log, one line each.
  const bool tty = isatty(fileno(out));
  absl::FPrintF(out, "%sneardup: %s: %d documents, %.1f MB, %.1f MB/s%s",
                tty ? "\r\x1b[K" : "", p.phase, p.records, p.bytes / 1e6,
                p.seconds > 0 ? p.bytes / 1e6 / p.seconds : 0.0,
                tty ? "" : "\n");
  std::fflush(out);
}

}  // namespace neardup::cli
