#include "learning/evaluation.h"
#include "learning/point_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace lodestone::learning {
namespace {

std::vector<Vec3> random_points(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<Vec3> p(n);
  for (auto& v : p) v = {u(rng), u(rng), u(rng)};
  return p;
}

float squared(const Vec3& a, const Vec3& b) {
  return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z);
}

TEST(PointIndex, FindsTheNearestMembersNearestFirstAndLeavesOneOut) {
  const auto points = random_points(2000, 1);
  std::vector<std::size_t> members;
  for (std::size_t i = 0; i < points.size(); i += 3) members.push_back(i);
  const PointIndex index(points, members);
  ASSERT_EQ(index.size(), members.size());
  for (std::size_t q = 0; q < 50; ++q) {
    const auto& query = points[q * 7];
    auto brute = members;
    std::sort(brute.begin(), brute.end(),
              [&](std::size_t a, std::size_t b) { return squared(points[a], query) < squared(points[b], query); });
    const auto found = index.nearest(query, 5);
    ASSERT_EQ(found, std::vector<std::size_t>(brute.begin(), brute.begin() + 5)) << "query " << q * 7;
  }
  const auto all = PointIndex(points);
  const auto without_self = all.nearest(points[42], 4, 42);
  ASSERT_EQ(without_self.size(), 4u);
  EXPECT_EQ(std::count(without_self.begin(), without_self.end(), std::size_t{42}), 0);
  EXPECT_EQ(all.nearest(points[42], 1).front(), 42u) << "without `except`, a point is its own nearest";
  EXPECT_EQ(PointIndex(points, std::vector<std::size_t>{3, 9}).nearest(points[0], 5).size(), 2u)
      << "fewer indexed than asked: all of them";
}

// The room's metrics search a k-d tree in three dimensions and compare every pair in
// more: padding the same points with a zero fourth coordinate must give the same votes.
TEST(PointIndex, RoomKnnVotesAsComparingEveryPairDoes) {
  const auto points = random_points(3000, 2);
  std::mt19937 rng(3);
  std::vector<int> truth(points.size());
  // Classes by region, with noise, so votes are neither all right nor all wrong.
  for (std::size_t i = 0; i < points.size(); ++i) {
    truth[i] = (points[i].x > 0) + 2 * (points[i].y > 0);
    if (rng() % 5 == 0) truth[i] = static_cast<int>(rng() % 4);
  }
  std::vector<std::size_t> labelled, queries;
  std::vector<int> labelled_class, query_truth;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i % 4 == 0) {
      labelled.push_back(i), labelled_class.push_back(truth[i]);
    } else {
      queries.push_back(i), query_truth.push_back(truth[i]);
    }
  }
  const auto flat3 = flatten(points);
  std::vector<float> flat4;
  for (const auto& p : points) flat4.insert(flat4.end(), {p.x, p.y, p.z, 0.0f});
  const double tree = knn_accuracy(flat3, 3, labelled, labelled_class, queries, query_truth, 5);
  EXPECT_GT(tree, 0.6);
  EXPECT_LT(tree, 0.95);
  EXPECT_DOUBLE_EQ(tree, knn_accuracy(flat4, 4, labelled, labelled_class, queries, query_truth, 5));
  EXPECT_DOUBLE_EQ(leave_one_out_knn_accuracy(flat3, 3, truth, 5), leave_one_out_knn_accuracy(flat4, 4, truth, 5));
}

}  // namespace
}  // namespace lodestone::learning
