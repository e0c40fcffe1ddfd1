#pragma once
// Snap turning for a headset: flicking the stick turns the user in one step about the
// vertical through their head (smooth rotation the eyes see but the body does not feel
// makes many people ill). Applied to every tracked pose before the interaction core and
// the renderer see it, so the cloud stays where it is and the user's view turns.
#include "core/math3d.h"

namespace lodestone::client {

class SnapTurn {
 public:
  static constexpr float kStep = 0.7853982f;  // 45 degrees

  // Turns by `steps` × 45° (positive: to the right) about the head's tracked position.
  void turn(int steps, Vec3 head_tracked) {
    const Vec3 pivot = apply(head_tracked);
    const float angle = -kStep * static_cast<float>(steps);  // right = clockwise seen from above
    const Quat r{0, std::sin(angle / 2), 0, std::cos(angle / 2)};
    yaw_ = multiply(r, yaw_);
    translation_ = rotate(r, translation_ - pivot) + pivot;
  }
  Vec3 apply(Vec3 tracked) const { return rotate(yaw_, tracked) + translation_; }
  Vec3 apply_direction(Vec3 d) const { return rotate(yaw_, d); }
  Pose apply(const Pose& tracked) const { return {apply(tracked.position), multiply(yaw_, tracked.orientation)}; }

 private:
  static Quat multiply(Quat a, Quat b) {
    return {a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y, a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w, a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z};
  }
  Quat yaw_{};
  Vec3 translation_{};
};

}  // namespace lodestone::client
