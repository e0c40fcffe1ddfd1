#include "core/snapshot_buffer.h"

#include <gtest/gtest.h>

namespace lodestone::client {
namespace {

TEST(SnapshotBuffer, InterpolatesBetweenTheSnapshotsAroundTheRenderTime) {
  SnapshotBuffer buffer;
  buffer.add(1, 10.0, {{0, 0, 0}, {1, 1, 1}});
  buffer.add(2, 10.1, {{1, 0, 0}, {1, 1, 3}});
  const auto mid = buffer.sample(10.025);
  ASSERT_EQ(mid.size(), 2u);
  EXPECT_NEAR(mid[0].x, 0.25f, 1e-5);
  EXPECT_NEAR(mid[1].z, 1.5f, 1e-5);
}

TEST(SnapshotBuffer, HoldsTheEndsOutsideTheBufferedTime) {
  SnapshotBuffer buffer;
  EXPECT_TRUE(buffer.sample(1.0).empty());
  buffer.add(1, 1.0, {{2, 0, 0}});
  buffer.add(2, 2.0, {{4, 0, 0}});
  EXPECT_EQ(buffer.sample(0.5)[0].x, 2.0f);
  EXPECT_EQ(buffer.sample(9.0)[0].x, 4.0f);
}

TEST(SnapshotBuffer, IgnoresLateAndDuplicateSnapshots) {
  SnapshotBuffer buffer;
  buffer.add(5, 1.0, {{5, 0, 0}});
  buffer.add(4, 0.9, {{4, 0, 0}});
  buffer.add(5, 1.0, {{6, 0, 0}});
  EXPECT_EQ(buffer.newest_seq(), 5u);
  EXPECT_EQ(buffer.newest()[0].x, 5.0f);
}

TEST(SnapshotBuffer, KeepsOnlyItsCapacity) {
  SnapshotBuffer buffer(3);
  for (std::uint64_t s = 1; s <= 10; ++s) buffer.add(s, static_cast<double>(s), {{static_cast<float>(s), 0, 0}});
  EXPECT_EQ(buffer.sample(0.0)[0].x, 8.0f);  // the oldest kept
}

}  // namespace
}  // namespace lodestone::client
