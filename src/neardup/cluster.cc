#include "neardup/cluster.h"

#include <algorithm>
#include <numeric>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace neardup {

absl::StatusOr<VerifyMode> ParseVerifyMode(std::string_view name) {
  if (name == "estimate") return VerifyMode::kEstimate;
  if (name == "exact") return VerifyMode::kExact;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown verify mode '", std::string(name), "' (expected 'estimate' or 'exact')"));
}

absl::StatusOr<KeepPolicy> ParseKeepPolicy(std::string_view name) {
  if (name == "longest") return KeepPolicy::kLongest;
  if (name == "first") return KeepPolicy::kFirst;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown keep policy '", std::string(name), "' (expected 'longest' or 'first')"));
}

std::string_view VerifyModeName(VerifyMode mode) {
  return mode == VerifyMode::kExact ? "exact" : "estimate";
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
                               KeepPolicy policy) {
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
  for (Group& g : groups) {
    g.representative = g.members.front();
    if (policy == KeepPolicy::kLongest) {
      for (uint32_t m : g.members) {
        if (text_bytes[m] > text_bytes[g.representative]) g.representative = m;
      }
    }
  }
  return groups;
}

}  // namespace neardup
