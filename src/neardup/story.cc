#include "neardup/story.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace neardup {

std::vector<StoryLink> LinkStories(
    std::span<const uint32_t> cluster_of, std::span<const uint8_t> multilingual,
    std::span<const uint16_t> lang_of, std::span<const StoryCandidate> candidates,
    const StoryScorer& score_all, const StoryOptions& options) {
  // Candidate pairs between a multilingual and a single-language cluster,
  // keyed by the ordered cluster pair (smaller cluster in the high half).
  // Only cluster pairs with a candidate at min_z or more are judged (most
  // candidates are not): their candidates are gathered, sorted by key and
  // then by place in `candidates`. Sorted runs and flat member lists, not
  // hash maps of lists: among a million documents, 3.7 million candidates
  // made 835,000 lists, and this function took 4.2-4.3 s, 1.8-2.5 s now
  // (most of it the scorer's).
  constexpr uint64_t kNone = UINT64_MAX;
  std::vector<uint64_t> key_of(candidates.size(), kNone);
  absl::flat_hash_set<uint64_t> judged_keys;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const StoryCandidate& c = candidates[i];
    const uint32_t p = cluster_of[c.a], q = cluster_of[c.b];
    if (multilingual[p] == multilingual[q]) continue;  // same cluster, or not one of each
    key_of[i] = uint64_t{std::min(p, q)} << 32 | std::max(p, q);
    if (c.z >= options.min_z) judged_keys.insert(key_of[i]);
  }
  struct Keyed {
    uint64_t key;
    uint32_t at;  // in candidates
  };
  // Arrays here are sized before they are filled: grown by doubling, they
  // touched about twice the fresh memory they end with (a million
  // documents: 4.4 million member pairs, 0.2 GB), which on a virtual
  // machine costs about 2 ms a MiB.
  // (Each candidate's key looked up once: the look-ups miss the cache.)
  size_t num_keyed = 0;
  for (uint64_t& key : key_of) {
    if (key == kNone) continue;
    if (judged_keys.contains(key)) {
      ++num_keyed;
    } else {
      key = kNone;
    }
  }
  std::vector<Keyed> keyed;
  keyed.reserve(num_keyed);
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (key_of[i] != kNone) keyed.push_back({key_of[i], static_cast<uint32_t>(i)});
  }
  std::vector<uint64_t>().swap(key_of);
  std::sort(keyed.begin(), keyed.end(), [](const Keyed& x, const Keyed& y) {
    return x.key != y.key ? x.key < y.key : x.at < y.at;
  });

  // The members of every cluster judged, in document order: those of the
  // cluster in slot s are member_list[begin[s]] to member_list[begin[s + 1] - 1].
  constexpr uint32_t kNoSlot = UINT32_MAX;
  std::vector<uint32_t> slot_of(cluster_of.size(), kNoSlot);
  uint32_t slots = 0;
  for (const Keyed& k : keyed) {
    for (const uint32_t c : {static_cast<uint32_t>(k.key >> 32), static_cast<uint32_t>(k.key)}) {
      if (slot_of[c] == kNoSlot) slot_of[c] = slots++;
    }
  }
  std::vector<uint32_t> begin(slots + 1, 0);
  for (const uint32_t c : cluster_of) {
    if (slot_of[c] != kNoSlot) ++begin[slot_of[c] + 1];
  }
  for (uint32_t s = 0; s < slots; ++s) begin[s + 1] += begin[s];
  std::vector<uint32_t> member_list(begin[slots]);
  {
    std::vector<uint32_t> fill(begin.begin(), begin.end() - 1);
    for (uint32_t d = 0; d < cluster_of.size(); ++d) {
      if (slot_of[cluster_of[d]] != kNoSlot) member_list[fill[slot_of[cluster_of[d]]]++] = d;
    }
  }
  auto members = [&](uint32_t c) {
    const uint32_t s = slot_of[c];
    return std::span<const uint32_t>(member_list).subspan(begin[s], begin[s + 1] - begin[s]);
  };

  // Evidence between each multilingual cluster P and single-language
  // cluster Q with a candidate pair at min_z or more: first the pairs to
  // score, then their mean.
  struct Evidence {
    uint32_t p = 0, q = 0;
    StoryLink link;
    size_t list_first = 0, list_last = 0;  // its candidates, in `keyed`
    size_t first = 0, last = 0;  // range in `member_z`, if all members are judged
  };
  std::vector<Evidence> evidence;
  std::vector<std::optional<double>> member_z;  // of every member pair judged
  std::vector<std::pair<uint32_t, uint32_t>> asked;  // those to score
  std::vector<size_t> asked_at;                      // their places in member_z
  // Where the run of cluster-pair keys that starts at `run` ends.
  auto end_of_run = [&](size_t run) {
    size_t end = run + 1;
    while (end < keyed.size() && keyed[end].key == keyed[run].key) ++end;
    return end;
  };
  {
    size_t runs = 0, pairs = 0;
    for (size_t run = 0; run < keyed.size();) {
      const size_t run_end = end_of_run(run);
      const uint32_t c1 = static_cast<uint32_t>(keyed[run].key >> 32);
      const uint32_t c2 = static_cast<uint32_t>(keyed[run].key);
      const uint64_t judged = uint64_t{members(c1).size()} * members(c2).size();
      if (judged <= options.max_pairs) pairs += judged;
      ++runs;
      run = run_end;
    }
    evidence.reserve(runs);
    member_z.reserve(pairs);
    asked.reserve(pairs);
    asked_at.reserve(pairs);
  }
  for (size_t run = 0; run < keyed.size();) {
    const size_t run_end = end_of_run(run);
    const std::span<const Keyed> list(keyed.data() + run, run_end - run);
    uint32_t p = static_cast<uint32_t>(list[0].key >> 32), q = static_cast<uint32_t>(list[0].key);
    if (!multilingual[p]) std::swap(p, q);
    const StoryCandidate* best = &candidates[list[0].at];
    for (const Keyed& k : list) {
      const StoryCandidate& c = candidates[k.at];
      if (c.z > best->z || (c.z == best->z && std::pair(c.a, c.b) < std::pair(best->a, best->b))) {
        best = &c;
      }
    }
    Evidence e;
    e.p = p;
    e.q = q;
    e.link.a = std::min(best->a, best->b);
    e.link.b = std::max(best->a, best->b);
    e.link.z = best->z;
    e.list_first = run;
    e.list_last = run_end;
    run = run_end;
    const auto mp = members(p);
    const auto mq = members(q);
    e.first = e.last = member_z.size();
    if (static_cast<uint64_t>(mp.size()) * mq.size() <= options.max_pairs) {
      for (uint32_t x : mp) {
        for (uint32_t y : mq) {
          const std::pair<uint32_t, uint32_t> xy(std::min(x, y), std::max(x, y));
          // A candidate pair's score may be known (lists are short).
          const auto known = std::find_if(list.begin(), list.end(), [&](const Keyed& k) {
            const StoryCandidate& c = candidates[k.at];
            return c.member_z && std::min(c.a, c.b) == xy.first && std::max(c.a, c.b) == xy.second;
          });
          if (known != list.end()) {
            member_z.push_back(candidates[known->at].member_z);
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
      for (size_t i = e.list_first; i < e.list_last; ++i) {
        sum += candidates[keyed[i].at].z;
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
    const Evidence*& bp = best_for_p[{e.p, lang_of[members(e.q)[0]]}];
    if (better(e, bp)) bp = &e;
  }
  std::vector<StoryLink> made;
  for (const Evidence& e : evidence) {
    if (best_for_q[e.q] == &e && best_for_p[{e.p, lang_of[members(e.q)[0]]}] == &e) {
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
