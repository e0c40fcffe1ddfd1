#include "core/teleport_arc.h"

#include "core/math3d.h"

#include <algorithm>

namespace lodestone::client {

Floor floor_around(const Box& room, float margin) {
  return {0.0f, room.min.x - margin, room.max.x + margin, room.min.z - margin, room.max.z + margin};
}

TeleportArc compute_teleport_arc(Vec3 origin, Vec3 direction, const Floor& floor, float speed,
                                 float max_seconds) {
  constexpr float kGravity = 9.81f;
  constexpr float kStep = 1.0f / 60;
  TeleportArc arc;
  Vec3 velocity = normalize(direction) * speed;
  Vec3 p = origin;
  arc.points.push_back(p);
  // A hand below the floor has nowhere to land.
  if (p.y < floor.height) return arc;
  for (float t = 0; t < max_seconds; t += kStep) {
    const Vec3 next = p + velocity * kStep;
    velocity.y -= kGravity * kStep;
    if (next.y <= floor.height) {
      const float f = (p.y - floor.height) / std::max(p.y - next.y, 1e-6f);
      const Vec3 hit = lerp(p, next, f);
      arc.points.push_back(hit);
      arc.valid = floor.contains(hit.x, hit.z);
      arc.target = hit;
      return arc;
    }
    p = next;
    arc.points.push_back(p);
  }
  return arc;
}

}  // namespace lodestone::client
