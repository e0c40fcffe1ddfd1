#pragma once
// Where the interaction core sends intents and reads their results: the room connection
// in the client, a fake in tests.
#include "lodestone/messages.h"

#include <cstdint>
#include <optional>

namespace lodestone::client {

class IntentChannel {
 public:
  virtual ~IntentChannel() = default;
  // Sends an intent to the authority; returns the id its result will carry.
  virtual std::uint64_t send(const Intent& intent) = 0;
  // The authority's answer to an intent, once it has arrived.
  virtual std::optional<IntentResult> result(std::uint64_t intent_id) const = 0;
};

}  // namespace lodestone::client
