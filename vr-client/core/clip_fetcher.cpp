#include "core/clip_fetcher.h"

#include <algorithm>

namespace lodestone::client {

void ClipFetcher::want(std::uint32_t item) {
  if (asked_.count(item)) return;
  if (const auto it = known_.find(item); it != known_.end()) {
    if (it->second.clip) return;
    known_.erase(it);  // an error: asked again, it may have passed
    std::erase(known_order_, item);
  }
  const auto& dataset = room_.scene().dataset;
  if (!dataset) return settle(item, {std::nullopt, "the room has not said what it shows yet", false});
  if (!dataset->is_sound()) return settle(item, {std::nullopt, "this room shows images: its items have no sound", false});
  if (auto bytes = cache_.load(*dataset, item)) {
    auto clip = audio::decode_clip(*bytes, kMaxClipSamples);
    if (clip) return settle(item, {std::move(*clip), {}, true});
    cache_.forget(*dataset, item);  // unreadable: ask again
  }
  asked_[item] = room_.send_request(ClipRequest{0, item});
}

void ClipFetcher::poll() {
  for (auto it = asked_.begin(); it != asked_.end();) {
    auto data = room_.take_clip(it->second);
    if (!data) {
      ++it;
      continue;
    }
    const auto item = it->first;
    it = asked_.erase(it);
    if (!data->error.empty()) {
      settle(item, {std::nullopt, data->error, false});
      continue;
    }
    auto clip = audio::decode_clip(data->flac, kMaxClipSamples);
    if (!clip) {
      settle(item, {std::nullopt, "the server sent a clip this client cannot play: " + clip.error(), false});
      continue;
    }
    if (room_.scene().dataset) cache_.store(*room_.scene().dataset, item, data->flac);
    settle(item, {std::move(*clip), {}, false});
  }
}

const ClipOutcome* ClipFetcher::outcome(std::uint32_t item) const {
  const auto it = known_.find(item);
  return it == known_.end() ? nullptr : &it->second;
}

void ClipFetcher::settle(std::uint32_t item, ClipOutcome outcome) {
  known_[item] = std::move(outcome);
  known_order_.push_back(item);
  while (known_order_.size() > kKeptDecoded) {
    known_.erase(known_order_.front());
    known_order_.pop_front();
  }
}

}  // namespace lodestone::client
