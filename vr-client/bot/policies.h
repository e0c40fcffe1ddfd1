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
};

enum class PolicyKind { Idle, Random, Oracle };
std::optional<PolicyKind> parse_policy(const std::string& name);

class Policy {
 public:
  Policy(PolicyKind kind, std::uint64_t seed, std::vector<std::optional<std::string>> truth);
  // The next sphere to place and label, or nullopt to wait (idle, or nothing found).
  std::optional<Proposal> next(const client::RoomClient& client);

 private:
  std::optional<Proposal> random_sphere(const client::RoomClient& client);
  std::optional<Proposal> oracle_sphere(const client::RoomClient& client);

  PolicyKind kind_;
  std::mt19937_64 rng_;
  std::vector<std::optional<std::string>> truth_;
};

}  // namespace lodestone::bot
