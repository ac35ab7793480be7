#include "neardup/cluster.h"

#include <algorithm>
#include <numeric>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace neardup {

absl::StatusOr<VerifyMode> ParseVerifyMode(std::string_view name) {
  if (name == "auto") return VerifyMode::kAuto;
  if (name == "estimate") return VerifyMode::kEstimate;
  if (name == "exact") return VerifyMode::kExact;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown verify mode '", std::string(name),
      "' (expected 'auto', 'estimate' or 'exact')"));
}

absl::StatusOr<KeepPolicy> ParseKeepPolicy(std::string_view name) {
  if (name == "longest") return KeepPolicy::kLongest;
  if (name == "first") return KeepPolicy::kFirst;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown keep policy '", std::string(name), "' (expected 'longest' or 'first')"));
}

std::string_view VerifyModeName(VerifyMode mode) {
  switch (mode) {
    case VerifyMode::kAuto: return "auto";
    case VerifyMode::kExact: return "exact";
    case VerifyMode::kEstimate: break;
  }
  return "estimate";
}

std::string_view KeepPolicyName(KeepPolicy policy) {
  return policy == KeepPolicy::kFirst ? "first" : "longest";
}

UnionFind::UnionFind(size_t n) : parent_(n), rank_(n, 0) {
  std::iota(parent_.begin(), parent_.end(), 0u);
}

uint32_t UnionFind::Find(uint32_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

void UnionFind::Union(uint32_t a, uint32_t b) {
  a = Find(a);
  b = Find(b);
  if (a == b) return;
  if (rank_[a] < rank_[b]) std::swap(a, b);
  parent_[b] = a;
  if (rank_[a] == rank_[b]) ++rank_[a];
}

std::vector<Group> BuildGroups(size_t num_docs,
                               std::span<const ScoredPair> pairs,
                               std::span<const uint64_t> text_bytes,
                               KeepPolicy policy,
                               std::span<const uint16_t> lang_of,
                               uint16_t unknown_lang,
                               std::span<const uint8_t> preferred,
                               bool preferred_takes_variants) {
  UnionFind uf(num_docs);
  std::vector<uint8_t> linked(num_docs, 0);
  for (const ScoredPair& p : pairs) {
    uf.Union(p.a, p.b);
    linked[p.a] = linked[p.b] = 1;
  }
  // Walk documents in order: a group's number is fixed by its first member.
  std::vector<int64_t> group_of_root(num_docs, -1);
  std::vector<Group> groups;
  for (uint32_t d = 0; d < num_docs; ++d) {
    if (!linked[d]) continue;
    const uint32_t root = uf.Find(d);
    if (group_of_root[root] < 0) {
      group_of_root[root] = static_cast<int64_t>(groups.size());
      groups.emplace_back();
    }
    groups[group_of_root[root]].members.push_back(d);
  }
  // The better of two candidates for keeping.
  auto better = [&](uint32_t x, uint32_t best) {
    if (!preferred.empty() && preferred[x] != preferred[best]) return preferred[x] != 0;
    return policy == KeepPolicy::kLongest && text_bytes[x] > text_bytes[best];
  };
  // Variant sets: components over all pairs but story pairs.
  UnionFind variants(lang_of.empty() ? 0 : num_docs);
  if (!lang_of.empty()) {
    for (const ScoredPair& p : pairs) {
      if (!p.story) variants.Union(p.a, p.b);
    }
  }
  for (Group& g : groups) {
    if (lang_of.empty()) {
      uint32_t rep = g.members.front();
      for (uint32_t m : g.members) {
        if (better(m, rep)) rep = m;
      }
      g.representative = rep;
      g.kept = {rep};
      g.kept_for.assign(g.members.size(), rep);
      continue;
    }
    // One per language and variant set, in order of first appearance.
    std::vector<uint32_t> kept;
    std::vector<size_t> slot(g.members.size());
    for (size_t i = 0; i < g.members.size(); ++i) {
      const uint32_t m = g.members[i];
      // Its language's slot first; else, with preferred_takes_variants, a
      // preferred member's slot (so a near-copy of a seen document is told
      // as that one's duplicate, not as another seen version's translation).
      auto it = std::find_if(kept.begin(), kept.end(), [&](uint32_t k) {
        return variants.Find(k) == variants.Find(m) &&
               (lang_of[k] == lang_of[m] || lang_of[k] == unknown_lang ||
                lang_of[m] == unknown_lang);
      });
      if (it == kept.end() && preferred_takes_variants && !preferred.empty() && !preferred[m]) {
        it = std::find_if(kept.begin(), kept.end(), [&](uint32_t k) {
          return variants.Find(k) == variants.Find(m) && preferred[k];
        });
      }
      slot[i] = it - kept.begin();
      if (it == kept.end()) {
        kept.push_back(m);
      } else if (better(m, *it)) {
        *it = m;
      }
    }
    g.representative = kept.front();
    for (size_t i = 0; i < g.members.size(); ++i) g.kept_for.push_back(kept[slot[i]]);
    std::sort(kept.begin(), kept.end());
    g.kept = std::move(kept);
  }
  return groups;
}

}  // namespace neardup
