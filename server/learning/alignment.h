#pragma once
// Keeps the room still between refreshes: a new embedding is rotated (or reflected),
// scaled and translated onto the previous one by orthogonal Procrustes, so retraining
// never spins or flips the cloud — only real change moves points.
#include "lodestone/types.h"

#include <span>
#include <vector>

namespace lodestone::learning {

struct Similarity {
  float rotation[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};  // orthogonal (det ±1)
  float scale = 1;
  Vec3 from_mean, to_mean;
};

// The similarity T minimising Σ |T(from_i) − to_i|². Degenerate input gives identity
// rotation with the means matched.
Similarity procrustes(std::span<const Vec3> from, std::span<const Vec3> to);
std::vector<Vec3> transform_points(const Similarity& transform, std::span<const Vec3> points);

}  // namespace lodestone::learning
