#pragma once
// What a bot does with its turn. Each policy proposes the next labelling act from what
// the client core knows; the bot then sends it as intents, as a headset would.
#include "core/room_client.h"

#include <optional>
#include <random>
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
// least 90% of them right). reviewer: the same, but
// first looks for a sphere whose confident predictions it would accept (at least 95% of
// them right, as a person checking the images would find) and accepts them in one gesture
// when that labels at least as many items as labelling by hand would.
enum class PolicyKind { Idle, Random, Oracle, Reviewer };
std::optional<PolicyKind> parse_policy(const std::string& name);

class Policy {
 public:
  Policy(PolicyKind kind, std::uint64_t seed, std::vector<std::optional<std::string>> truth);
  // The next sphere to place and label, or nullopt to wait (idle, or nothing found).
  std::optional<Proposal> next(const client::RoomClient& client);

 private:
  std::optional<Proposal> random_sphere(const client::RoomClient& client);
  std::optional<Proposal> oracle_sphere(const client::RoomClient& client);
  std::optional<Proposal> acceptable_sphere(const client::RoomClient& client);

  PolicyKind kind_;
  std::mt19937_64 rng_;
  std::vector<std::optional<std::string>> truth_;
};

}  // namespace lodestone::bot
