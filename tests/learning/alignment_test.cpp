#include "learning/alignment.h"
#include "learning/room_mapping.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace lodestone::learning {
namespace {

std::vector<Vec3> gaussian_cloud(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g;
  std::vector<Vec3> p(n);
  for (auto& v : p) v = {g(rng) * 2.0f, g(rng), g(rng) * 0.5f};  // anisotropic
  return p;
}

// to = s · R·v + t with R a rotation about z, optionally mirrored in x.
std::vector<Vec3> transform(const std::vector<Vec3>& p, float angle, float s, Vec3 t, bool mirror) {
  std::vector<Vec3> out;
  const float c = std::cos(angle), sn = std::sin(angle);
  for (auto v : p) {
    if (mirror) v.x = -v.x;
    out.push_back({s * (c * v.x - sn * v.y) + t.x, s * (sn * v.x + c * v.y) + t.y, s * v.z + t.z});
  }
  return out;
}

float max_error(const std::vector<Vec3>& a, const std::vector<Vec3>& b) {
  float e = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    e = std::max({e, std::fabs(a[i].x - b[i].x), std::fabs(a[i].y - b[i].y), std::fabs(a[i].z - b[i].z)});
  }
  return e;
}

TEST(Procrustes, UndoesARotationScaleAndTranslation) {
  const auto previous = gaussian_cloud(2000, 1);
  const auto spun = transform(previous, 2.1f, 0.4f, {3, -1, 2}, false);
  const auto aligned = transform_points(procrustes(spun, previous), spun);
  EXPECT_LT(max_error(aligned, previous), 1e-3f);
}

TEST(Procrustes, UndoesAFlip) {
  const auto previous = gaussian_cloud(2000, 2);
  const auto flipped = transform(previous, 0.7f, 1.0f, {0, 0, 0}, true);
  const auto aligned = transform_points(procrustes(flipped, previous), flipped);
  EXPECT_LT(max_error(aligned, previous), 1e-3f);
}

TEST(Procrustes, DegenerateInputKeepsTheCloudAndMatchesMeans) {
  const std::vector<Vec3> same(10, Vec3{1, 2, 3});
  const std::vector<Vec3> target(10, Vec3{4, 5, 6});
  const auto moved = transform_points(procrustes(same, target), same);
  EXPECT_NEAR(moved[0].x, 4, 1e-5);
  EXPECT_NEAR(moved[0].z, 6, 1e-5);
}

TEST(RoomMapping, GaussianCloudFillsTheRoomEvenly) {
  const Box room{{-2, 0, -2}, {2, 3, 2}};
  const auto mapped = map_to_room(gaussian_cloud(20000, 3), room);
  std::vector<float> xs;
  for (const auto& p : mapped) {
    ASSERT_GE(p.x, room.min.x);
    ASSERT_LE(p.x, room.max.x);
    ASSERT_GE(p.y, room.min.y);
    ASSERT_LE(p.y, room.max.y);
    xs.push_back(p.x);
  }
  // The CDF of a Gaussian spreads it uniformly: quartiles near -1, 0, 1.
  std::sort(xs.begin(), xs.end());
  EXPECT_NEAR(xs[xs.size() / 4], -1.0f, 0.1f);
  EXPECT_NEAR(xs[xs.size() / 2], 0.0f, 0.1f);
  EXPECT_NEAR(xs[3 * xs.size() / 4], 1.0f, 0.1f);
}

// A few huge outliers (as a latent blow-up leaves) must not shrink the bulk of the cloud
// into the middle of the room: the room coordinates' inter-quartile range stays about half
// the room on every axis.
TEST(RoomMapping, FewHugeOutliersStillLetTheCloudFillTheRoom) {
  const Box room{{-2, 0, -2}, {2, 3, 2}};
  auto cloud = gaussian_cloud(20000, 4);
  for (std::size_t i = 0; i < 200; ++i) {
    const float far = (i % 2 ? 1.0f : -1.0f) * 3e5f;
    cloud[i * 100] = {far, -far, far};
  }
  const auto mapped = map_to_room(cloud, room);
  const auto iqr = [&](auto get, float extent) {
    std::vector<float> v;
    for (const auto& p : mapped) v.push_back(get(p));
    std::sort(v.begin(), v.end());
    return (v[3 * v.size() / 4] - v[v.size() / 4]) / extent;
  };
  EXPECT_GT(iqr([](const Vec3& p) { return p.x; }, 4.0f), 0.45f);
  EXPECT_GT(iqr([](const Vec3& p) { return p.y; }, 3.0f), 0.45f);
  EXPECT_GT(iqr([](const Vec3& p) { return p.z; }, 4.0f), 0.45f);
}

// When most points share one value (MAD 0) the mapping still separates the rest and stays
// finite and inside the room.
TEST(RoomMapping, MostlyIdenticalPointsStayFiniteAndSpread) {
  const Box room{{-2, 0, -2}, {2, 3, 2}};
  std::vector<Vec3> cloud(100, Vec3{1, 1, 1});
  cloud.push_back({5, 5, 5});
  const auto mapped = map_to_room(cloud, room);
  for (const auto& p : mapped) {
    ASSERT_TRUE(std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.z));
    ASSERT_GE(p.x, room.min.x);
    ASSERT_LE(p.x, room.max.x);
  }
  EXPECT_GT(mapped.back().x, mapped.front().x);
}

}  // namespace
}  // namespace lodestone::learning
