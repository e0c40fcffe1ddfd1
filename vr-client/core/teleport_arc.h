#pragma once
// The teleport arc: a ballistic curve from the hand that ends where it meets the floor.
// A target off the floor's extent (or an arc that never comes down) is no target.
#include "lodestone/types.h"

#include <vector>

namespace lodestone::client {

// The walkable floor: the plane y = height within [min_x, max_x] × [min_z, max_z].
struct Floor {
  float height = 0;
  float min_x = -4, max_x = 4, min_z = -4, max_z = 4;
  bool contains(float x, float z) const { return x >= min_x && x <= max_x && z >= min_z && z <= max_z; }
};

// The floor under a room box: its footprint with `margin` metres around it, at y = 0.
Floor floor_around(const Box& room, float margin = 2.0f);

struct TeleportArc {
  std::vector<Vec3> points;  // the curve, from the hand to where it stops
  bool valid = false;        // it came down on the floor
  Vec3 target;               // where it met the floor (when valid)
};

// Launches at `speed` m/s along `direction` from `origin` under gravity; follows the arc
// until it crosses the floor plane or `max_seconds` pass.
TeleportArc compute_teleport_arc(Vec3 origin, Vec3 direction, const Floor& floor, float speed = 6.0f,
                                 float max_seconds = 2.0f);

}  // namespace lodestone::client
