#include "core/hand_gestures.h"

namespace lodestone::client {

void HandGestures::apply(const std::optional<TrackedHand>& left, const std::optional<TrackedHand>& right,
                         FrameInput& input) {
  if (right) {
    input.right.position = right->palm;
    input.right.pointing = right->pointing;
    input.right.grip = input.right.trigger = right_.update(right->pinch_gap);
  } else {
    right_.reset();
  }
  if (left) {
    const bool was = left_.pinched();
    input.left.position = left->palm;
    input.left.pointing = left->pointing;
    if (left_.update(left->pinch_gap) && !was) input.toggle_menu = true;  // on the pinch, once
  } else {
    left_.reset();
  }
}

}  // namespace lodestone::client
