#include "lodestone/sphere_geometry.h"

namespace lodestone {

std::vector<std::uint32_t> points_inside(std::span<const Vec3> points, Vec3 center, float radius) {
  std::vector<std::uint32_t> inside;
  if (!(radius >= 0.0f)) return inside;  // also refuses NaN
  const float r2 = radius * radius;
  const auto n = static_cast<std::uint32_t>(points.size());
  // Branch-light loop the compiler vectorises; a sphere usually holds few points.
  for (std::uint32_t i = 0; i < n; ++i) {
    const float dx = points[i].x - center.x;
    const float dy = points[i].y - center.y;
    const float dz = points[i].z - center.z;
    if (dx * dx + dy * dy + dz * dz <= r2) inside.push_back(i);
  }
  return inside;
}

}  // namespace lodestone
