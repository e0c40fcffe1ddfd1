#include "lodestone/sphere_geometry.h"

#include <gtest/gtest.h>

#include <random>

namespace lodestone {
namespace {

std::vector<std::uint32_t> brute_force(const std::vector<Vec3>& points, Vec3 c, float r) {
  std::vector<std::uint32_t> inside;
  for (std::uint32_t i = 0; i < points.size(); ++i) {
    const double dx = double(points[i].x) - c.x, dy = double(points[i].y) - c.y,
                 dz = double(points[i].z) - c.z;
    if (dx * dx + dy * dy + dz * dz <= double(r) * r) inside.push_back(i);
  }
  return inside;
}

TEST(SphereGeometry, MatchesABruteForceReferenceOnRandomData) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> coord(-1.0f, 1.0f), radius(0.0f, 0.8f);
  std::vector<Vec3> points(20'000);
  for (auto& p : points) p = {coord(rng), coord(rng), coord(rng)};
  for (int trial = 0; trial < 50; ++trial) {
    const Vec3 c{coord(rng), coord(rng), coord(rng)};
    const float r = radius(rng);
    const auto got = points_inside(points, c, r);
    const auto want = brute_force(points, c, r);
    // Float and double may disagree only for a point on the surface itself.
    ASSERT_NEAR(static_cast<double>(got.size()), static_cast<double>(want.size()), 1.0)
        << "trial " << trial;
    std::size_t agree = 0;
    for (auto i : got) agree += std::binary_search(want.begin(), want.end(), i);
    EXPECT_GE(agree + 1, want.size()) << "trial " << trial;
  }
}

TEST(SphereGeometry, NegativeOrNanRadiusHoldsNothing) {
  const std::vector<Vec3> points{{0, 0, 0}};
  EXPECT_TRUE(points_inside(points, {0, 0, 0}, -1.0f).empty());
  EXPECT_TRUE(points_inside(points, {0, 0, 0}, NAN).empty());
  EXPECT_EQ(points_inside(points, {0, 0, 0}, 0.0f).size(), 1u);
}

}  // namespace
}  // namespace lodestone
