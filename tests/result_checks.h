#pragma once
// Helpers for tests that check the answers to intents and console requests.
#include "lodestone/messages.h"

#include <optional>

namespace lodestone::testing {

// What a test takes for an answer that never came: a refusal, so a check that something
// was accepted (or done) fails on silence instead of passing on a default-made result.
inline IntentResult no_intent_answer() {
  return {0, 0, 0, Refusal{RefusalCode::Failed, "no answer from the server"}};
}
inline AdminResult no_admin_answer() { return {0, RefusalCode::Failed, "no answer from the server", ""}; }

// The code an intent was refused with; none when it was accepted.
inline std::optional<RefusalCode> refusal_code(const IntentResult& result) {
  if (!result.refusal) return std::nullopt;
  return result.refusal->code;
}

}  // namespace lodestone::testing
