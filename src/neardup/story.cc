#include "neardup/story.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace neardup {

std::vector<StoryLink> LinkStories(
    std::span<const uint32_t> cluster_of, std::span<const uint8_t> multilingual,
    std::span<const uint16_t> lang_of, std::span<const StoryCandidate> candidates,
    const StoryScorer& score_all, const StoryOptions& options) {
  // Candidate pairs between a multilingual and a single-language cluster,
  // keyed by the ordered cluster pair.
  // Only cluster pairs with a candidate at min_z or more are judged (most
  // candidates are not), so their lists are gathered in a second pass.
  auto key_of = [&](const StoryCandidate& c) -> std::optional<std::pair<uint32_t, uint32_t>> {
    const uint32_t p = cluster_of[c.a], q = cluster_of[c.b];
    if (multilingual[p] == multilingual[q]) return std::nullopt;  // same cluster, or not one of each
    return std::pair(std::min(p, q), std::max(p, q));
  };
  absl::flat_hash_map<std::pair<uint32_t, uint32_t>, std::vector<StoryCandidate>> between;
  for (const StoryCandidate& c : candidates) {
    if (c.z < options.min_z) continue;
    if (const auto key = key_of(c)) between.try_emplace(*key);
  }
  for (const StoryCandidate& c : candidates) {
    const auto key = key_of(c);
    if (!key) continue;
    auto it = between.find(*key);
    if (it != between.end()) it->second.push_back(c);
  }
  std::vector<std::vector<uint32_t>> members_of;
  absl::flat_hash_map<uint32_t, uint32_t> slot;  // cluster → members_of index
  auto members = [&](uint32_t c) -> const std::vector<uint32_t>& {
    auto [it, inserted] = slot.try_emplace(c, static_cast<uint32_t>(members_of.size()));
    if (inserted) members_of.emplace_back();
    return members_of[it->second];
  };
  for (const auto& [key, list] : between) {
    members(key.first);
    members(key.second);
  }
  for (uint32_t d = 0; d < cluster_of.size(); ++d) {
    auto it = slot.find(cluster_of[d]);
    if (it != slot.end()) members_of[it->second].push_back(d);
  }

  // Evidence between each multilingual cluster P and single-language
  // cluster Q with a candidate pair at min_z or more: first the pairs to
  // score, then their mean.
  struct Evidence {
    uint32_t p = 0, q = 0;
    StoryLink link;
    const std::vector<StoryCandidate>* list = nullptr;
    size_t first = 0, last = 0;  // range in `member_z`, if all members are judged
  };
  std::vector<std::pair<uint32_t, uint32_t>> keys;
  keys.reserve(between.size());
  for (const auto& [key, list] : between) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  std::vector<Evidence> evidence;
  std::vector<std::optional<double>> member_z;  // of every member pair judged
  std::vector<std::pair<uint32_t, uint32_t>> asked;  // those to score
  std::vector<size_t> asked_at;                      // their places in member_z
  for (const auto& key : keys) {
    const std::vector<StoryCandidate>& list = between.at(key);
    uint32_t p = key.first, q = key.second;
    if (!multilingual[p]) std::swap(p, q);
    const StoryCandidate* best = &list.front();
    for (const StoryCandidate& c : list) {
      if (c.z > best->z || (c.z == best->z && std::pair(c.a, c.b) < std::pair(best->a, best->b))) {
        best = &c;
      }
    }
    if (best->z < options.min_z) continue;
    Evidence e;
    e.p = p;
    e.q = q;
    e.link.a = std::min(best->a, best->b);
    e.link.b = std::max(best->a, best->b);
    e.link.z = best->z;
    e.list = &list;
    const auto& mp = members(p);
    const auto& mq = members(q);
    e.first = e.last = member_z.size();
    if (static_cast<uint64_t>(mp.size()) * mq.size() <= options.max_pairs) {
      for (uint32_t x : mp) {
        for (uint32_t y : mq) {
          const std::pair<uint32_t, uint32_t> xy(std::min(x, y), std::max(x, y));
          // A candidate pair's score may be known (lists are short).
          const auto known = std::find_if(list.begin(), list.end(), [&](const StoryCandidate& c) {
            return c.member_z && std::min(c.a, c.b) == xy.first && std::max(c.a, c.b) == xy.second;
          });
          if (known != list.end()) {
            member_z.push_back(known->member_z);
          } else {
            asked_at.push_back(member_z.size());
            member_z.emplace_back();
            asked.push_back(xy);
          }
        }
      }
      e.last = member_z.size();
    }
    evidence.push_back(e);
  }
  std::vector<std::optional<double>> z(asked.size());
  if (!asked.empty()) score_all(asked, z);
  for (size_t i = 0; i < asked.size(); ++i) member_z[asked_at[i]] = z[i];
  std::erase_if(evidence, [&](Evidence& e) {
    double sum = 0;
    uint32_t n = 0;
    if (e.last > e.first) {
      for (size_t i = e.first; i < e.last; ++i) {
        if (member_z[i]) {
          sum += *member_z[i];
          ++n;
        }
      }
    } else {
      for (const StoryCandidate& c : *e.list) {
        sum += c.z;
        ++n;
      }
    }
    if (n < 2) return true;
    e.link.mean_z = sum / n;
    return e.link.mean_z < options.min_z;
  });
  // Mutual best: P is Q's best cluster, and Q is P's best among the
  // single-language clusters of Q's language. Ties: the smaller number.
  auto better = [](const Evidence& x, const Evidence* y) {
    return y == nullptr || x.link.mean_z > y->link.mean_z ||
           (x.link.mean_z == y->link.mean_z && std::pair(x.p, x.q) < std::pair(y->p, y->q));
  };
  absl::flat_hash_map<uint32_t, const Evidence*> best_for_q;
  absl::flat_hash_map<std::pair<uint32_t, uint16_t>, const Evidence*> best_for_p;
  for (const Evidence& e : evidence) {
    const Evidence*& bq = best_for_q[e.q];
    if (better(e, bq)) bq = &e;
    const Evidence*& bp = best_for_p[{e.p, lang_of[members(e.q).front()]}];
    if (better(e, bp)) bp = &e;
  }
  std::vector<StoryLink> made;
  for (const Evidence& e : evidence) {
    if (best_for_q[e.q] == &e && best_for_p[{e.p, lang_of[members(e.q).front()]}] == &e) {
      made.push_back(e.link);
    }
  }
  return made;
}

std::vector<StoryLink> LinkStories(
    std::span<const uint32_t> cluster_of, std::span<const uint8_t> multilingual,
    std::span<const uint16_t> lang_of, std::span<const StoryCandidate> candidates,
    const std::function<std::optional<double>(uint32_t, uint32_t)>& z_of,
    const StoryOptions& options) {
  return LinkStories(
      cluster_of, multilingual, lang_of, candidates,
      [&](std::span<const std::pair<uint32_t, uint32_t>> pairs,
          std::span<std::optional<double>> z) {
        for (size_t i = 0; i < pairs.size(); ++i) z[i] = z_of(pairs[i].first, pairs[i].second);
      },
      options);
}

}  // namespace neardup
