#pragma once
// An intent channel the test answers by hand: what the client sent, and the server's word.
#include "core/intent_channel.h"

#include <map>
#include <vector>

namespace lodestone::client {

class FakeChannel final : public IntentChannel {
 public:
  std::uint64_t send(const Intent& intent) override {
    sent.push_back(intent);
    sent.back().intent_id = sent.size();
    return sent.size();
  }
  std::optional<IntentResult> result(std::uint64_t id) const override {
    const auto it = answers.find(id);
    if (it == answers.end()) return std::nullopt;
    return it->second;
  }
  void accept(std::uint64_t id, SphereId sphere = 0) { answers[id] = {id, sphere, 0, std::nullopt}; }
  void refuse(std::uint64_t id, std::string why) { answers[id] = {id, 0, 0, Refusal{RefusalCode::Forbidden, std::move(why)}}; }

  std::vector<Intent> sent;
  std::map<std::uint64_t, IntentResult> answers;
};

}  // namespace lodestone::client
