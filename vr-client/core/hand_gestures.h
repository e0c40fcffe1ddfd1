#pragma once
// Bare hands as input, for a headset that tracks them (OpenXR XR_EXT_hand_tracking) when
// no controller is held: the palm is where the hand is and where it points, and a pinch
// (thumb tip to index tip) is its button. The right pinch is select (draw or grab a
// sphere, pick in the menu), the left pinch opens and closes the class menu. A pinch
// closes under 2 cm and opens again over 4 cm, so a hand trembling at the edge does not
// click twice.
#include "core/interaction.h"

#include <optional>

namespace lodestone::client {

// One tracked hand, in tracking space.
struct TrackedHand {
  Vec3 palm;
  Vec3 pointing{0, 0, -1};
  float pinch_gap = 1;  // metres from thumb tip to index tip
};

class PinchDetector {
 public:
  static constexpr float kClose = 0.02f, kOpen = 0.04f;
  // Whether the hand pinches now, given its gap this frame.
  bool update(float gap) {
    pinched_ = pinched_ ? gap < kOpen : gap < kClose;
    return pinched_;
  }
  void reset() { pinched_ = false; }
  bool pinched() const { return pinched_; }

 private:
  bool pinched_ = false;
};

class HandGestures {
 public:
  // Writes the tracked hands into `input`. A hand not tracked this frame is left as the
  // controller read left it, and its pinch starts afresh when it is tracked again.
  void apply(const std::optional<TrackedHand>& left, const std::optional<TrackedHand>& right, FrameInput& input);

 private:
  PinchDetector left_, right_;
};

}  // namespace lodestone::client
