#include "bot/policies.h"

#include "core/cube_instances.h"
#include "lodestone/sphere_geometry.h"

#include <map>

namespace lodestone::bot {

std::optional<PolicyKind> parse_policy(const std::string& name) {
  if (name == "idle") return PolicyKind::Idle;
  if (name == "random") return PolicyKind::Random;
  if (name == "oracle") return PolicyKind::Oracle;
  if (name == "reviewer") return PolicyKind::Reviewer;
  return std::nullopt;
}

Policy::Policy(PolicyKind kind, std::uint64_t seed, std::vector<std::optional<std::string>> truth)
    : kind_(kind), rng_(seed), truth_(std::move(truth)) {}

std::optional<Proposal> Policy::next(const client::RoomClient& client) {
  if (!client.has_positions() || client.scene().label_set.classes.empty()) return std::nullopt;
  switch (kind_) {
    case PolicyKind::Idle: return std::nullopt;
    case PolicyKind::Random: return random_sphere(client);
    case PolicyKind::Oracle: return oracle_sphere(client, {}, kOracleRightShare);
    case PolicyKind::Reviewer: {
      // While nothing can be accepted, label by hand wherever. Then confirm a region and
      // correct where the model is least sure, in turn: accepting adds no right answer
      // the predictions did not already give, correcting does.
      auto accept = acceptable_sphere(client);
      if (!accept) return oracle_sphere(client, {}, kReviewerRightShare);
      if (accepted_last_) {
        auto fix = oracle_sphere(client, least_certain_items(client.scene()), kReviewerRightShare);
        if (fix) {
          accepted_last_ = false;
          return fix;
        }
      }
      accepted_last_ = true;
      return accept;
    }
  }
  return std::nullopt;
}

std::optional<Proposal> Policy::random_sphere(const client::RoomClient& client) {
  const auto& positions = client.newest_positions();
  std::uniform_int_distribution<std::size_t> item(0, positions.size() - 1);
  std::uniform_real_distribution<float> radius(0.05f, 0.2f);
  const auto& classes = client.scene().label_set.classes;
  std::uniform_int_distribution<std::size_t> cls(0, classes.size() - 1);
  return Proposal{positions[item(rng_)], radius(rng_), classes[cls(rng_)].id, false, 0};
}

// Like a careful annotator: start at an unlabelled point (one of `seeds`, or any), shrink
// the sphere until the labels it would change are at least `right_share` right (by ground
// truth), and label the class most of its unlabelled items are. Labelling a sphere
// relabels everything inside, so a careful person judges what the gesture changes, not
// the items already labelled so.
std::optional<Proposal> Policy::oracle_sphere(const client::RoomClient& client, std::span<const std::uint32_t> seeds,
                                              double right_share) {
  const auto& positions = client.newest_positions();
  const auto& scene = client.scene();
  if (truth_.size() != positions.size()) return std::nullopt;
  std::map<std::string, ClassId> class_by_name;
  for (const auto& c : scene.label_set.classes) class_by_name[c.name] = c.id;
  std::uniform_int_distribution<std::size_t> pick(0, (seeds.empty() ? positions.size() : seeds.size()) - 1);
  for (int attempt = 0; attempt < 50; ++attempt) {
    const std::size_t seed_item = seeds.empty() ? pick(rng_) : seeds[pick(rng_)];
    if (seed_item >= positions.size()) continue;
    if (!truth_[seed_item] || scene.labels.contains(static_cast<std::uint32_t>(seed_item))) continue;
    for (float radius = 0.25f; radius > 0.02f; radius *= 0.7f) {
      const auto inside = points_inside(positions, positions[seed_item], radius);
      std::map<std::string, std::size_t> votes;
      for (auto i : inside) {
        if (truth_[i] && !scene.labels.contains(i)) ++votes[*truth_[i]];
      }
      if (votes.empty()) break;
      const auto best = std::max_element(votes.begin(), votes.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
      const auto cls = class_by_name.find(best->first);
      if (cls == class_by_name.end()) break;
      std::size_t changed = 0, right = 0;
      for (auto i : inside) {
        if (!truth_[i]) continue;
        const auto label = scene.labels.find(i);
        if (label != scene.labels.end() && label->second == cls->second) continue;  // stays as it is
        ++changed;
        right += *truth_[i] == best->first;
      }
      if (static_cast<double>(right) >= right_share * static_cast<double>(changed)) {
        return Proposal{positions[seed_item], radius, cls->second, false, changed};
      }
    }
  }
  return std::nullopt;
}

// Like a careful reviewer: look at a few regions where the model is confident, and take
// the largest sphere in which the predictions accepting would label are right at least
// 95% of the time (judged by ground truth, as a person judges the images). The best of
// a few tries, by items it would label.
std::optional<Proposal> Policy::acceptable_sphere(const client::RoomClient& client) {
  constexpr int kSeeds = 12;
  const auto& positions = client.newest_positions();
  const auto& scene = client.scene();
  const auto& predicted = scene.predictions;
  if (truth_.size() != positions.size() || predicted.size() != positions.size()) return std::nullopt;
  const auto& classes = scene.label_set.classes;
  const auto threshold = confidence_byte(scene.acceptance_threshold);
  const auto acceptable = [&](std::uint32_t i) {
    return !scene.labels.contains(i) && predicted[i].class_position < classes.size() &&
           predicted[i].confidence >= threshold;
  };
  std::vector<std::uint32_t> candidates;
  for (std::uint32_t i = 0; i < positions.size(); ++i) {
    if (acceptable(i) && truth_[i]) candidates.push_back(i);
  }
  if (candidates.empty()) return std::nullopt;
  std::uniform_int_distribution<std::size_t> pick(0, candidates.size() - 1);
  std::optional<Proposal> best;
  std::size_t best_count = 0;
  for (int attempt = 0; attempt < kSeeds; ++attempt) {
    const auto seed_item = candidates[pick(rng_)];
    for (float radius = 0.8f; radius > 0.02f; radius *= 0.7f) {
      std::size_t would_label = 0, right = 0;
      for (auto i : points_inside(positions, positions[seed_item], radius)) {
        if (!acceptable(i) || !truth_[i]) continue;
        ++would_label;
        right += classes[predicted[i].class_position].name == *truth_[i];
      }
      if (would_label == 0) break;
      if (static_cast<double>(right) >= kReviewerRightShare * static_cast<double>(would_label)) {
        if (would_label > best_count) {
          best_count = would_label;
          best = Proposal{positions[seed_item], radius, kNoClass, true, would_label};
        }
        break;  // the largest sphere that passes, for this seed
      }
    }
  }
  return best;
}

}  // namespace lodestone::bot
