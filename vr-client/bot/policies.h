#pragma once
// What a bot does with its turn. Each policy proposes the next labelling act from what
// the client core knows; the bot then sends it as intents, as a headset would.
#include "core/room_client.h"

#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace lodestone::bot {

struct Proposal {
  Vec3 center;
  float radius = 0;
  ClassId class_id = kNoClass;
  bool accept = false;  // accept the model's predictions inside instead of labelling class_id
  std::size_t labels = 0;  // items whose label the act would set or change (oracle and reviewer)
};

// idle: nothing. random: random spheres, random classes. oracle: labels by hand like a
// careful annotator, judging by ground truth the labels a sphere would set or change (at
// least 90% of them right). reviewer: in turn accepts the confident predictions of a
// sphere (the largest of a few where at least 95% of those are right, as a person checking
// the images would find) and corrects by hand where the model is least sure (a sphere
// around one of the glowing suggestions, its labels at least 95% right); by hand alone
// while nothing can be accepted.
enum class PolicyKind { Idle, Random, Oracle, Reviewer };
std::optional<PolicyKind> parse_policy(const std::string& name);

class Policy {
 public:
  Policy(PolicyKind kind, std::uint64_t seed, std::vector<std::optional<std::string>> truth);
  // The next sphere to place and label, or nullopt to wait (idle, or nothing found).
  std::optional<Proposal> next(const client::RoomClient& client);

 private:
  std::optional<Proposal> random_sphere(const client::RoomClient& client);
  std::optional<Proposal> oracle_sphere(const client::RoomClient& client, std::span<const std::uint32_t> seeds,
                                       double right_share);
  std::optional<Proposal> acceptable_sphere(const client::RoomClient& client);

  PolicyKind kind_;
  std::mt19937_64 rng_;
  std::vector<std::optional<std::string>> truth_;
  bool accepted_last_ = false;  // reviewer: the last act accepted predictions
};

// The share of the labels a sphere sets or changes that must be right: the oracle's, and
// the reviewer's, for the predictions it accepts and for its corrections alike.
inline constexpr double kOracleRightShare = 0.9;
inline constexpr double kReviewerRightShare = 0.95;

}  // namespace lodestone::bot
