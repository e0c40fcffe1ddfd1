#pragma once
// Hands tracked without controllers (XR_EXT_hand_tracking), for one session: a tracker
// per hand, read each frame into the palm's pose and the thumb-tip to index-tip gap that
// the core's HandGestures turn into input.
#include "backends/xr_system.h"
#include "core/hand_gestures.h"

#include <array>
#include <optional>

namespace lodestone::xr {

class HeadsetHands {
 public:
  HeadsetHands(const HeadsetSystem& system, XrSession session);
  ~HeadsetHands();
  HeadsetHands(const HeadsetHands&) = delete;
  HeadsetHands& operator=(const HeadsetHands&) = delete;

  // Hand 0 left, 1 right, in `base` at `time`; nothing when the runtime does not track it now.
  std::optional<client::TrackedHand> locate(int hand, XrSpace base, XrTime time) const;

 private:
  PFN_xrDestroyHandTrackerEXT destroy_ = nullptr;
  PFN_xrLocateHandJointsEXT locate_ = nullptr;
  std::array<XrHandTrackerEXT, 2> trackers_{};
};

}  // namespace lodestone::xr
