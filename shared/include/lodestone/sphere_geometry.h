#pragma once
// Which points lie inside a sphere: the server's authoritative membership test for
// labelling, and the client's preview.
#include "lodestone/types.h"

#include <cstdint>
#include <span>
#include <vector>

namespace lodestone {

// Indices of the points inside (or on) the sphere, ascending.
std::vector<std::uint32_t> points_inside(std::span<const Vec3> points, Vec3 center, float radius);

}  // namespace lodestone
