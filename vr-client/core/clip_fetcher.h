#pragma once
// The clips of a sound dataset's items as a client gets them: from the disk cache when it
// holds them, else asked of the server (one ClipRequest each) and kept in the cache once
// come. The newest few are kept decoded in memory.
#include "audio/clip_codec.h"
#include "core/clip_cache.h"
#include "core/room_client.h"

#include <deque>
#include <map>
#include <optional>
#include <string>

namespace lodestone::client {

struct ClipOutcome {
  std::optional<audio::MonoClip> clip;  // absent: `error` says why
  std::string error;
  bool from_cache = false;
};

class ClipFetcher {
 public:
  explicit ClipFetcher(RoomClient& room) : room_(room) {}
  void set_cache(ClipCache cache) { cache_ = std::move(cache); }

  // Starts getting `item`'s clip, unless it is come or on its way.
  void want(std::uint32_t item);
  // Takes what the server sent (each frame).
  void poll();
  // The clip or the error once known; null while it is on its way (or never wanted).
  const ClipOutcome* outcome(std::uint32_t item) const;

 private:
  void settle(std::uint32_t item, ClipOutcome outcome);
  // A dataset's clips are at most 30 s at 48 kHz (ClipData).
  static constexpr std::size_t kMaxClipSamples = 30 * 48000 + 48000;
  static constexpr std::size_t kKeptDecoded = 32;

  RoomClient& room_;
  ClipCache cache_;
  std::map<std::uint32_t, std::uint64_t> asked_;  // item → request id
  std::map<std::uint32_t, ClipOutcome> known_;
  std::deque<std::uint32_t> known_order_;  // oldest first, for forgetting
};

}  // namespace lodestone::client
