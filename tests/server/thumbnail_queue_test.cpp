// The order a client's thumbnails go in: nearest its viewer first, then item order, each once.
#include "room/thumbnail_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace lodestone::room {
namespace {

// Items 0..n-1 on a line: item i at x = i.
std::vector<Vec3> line(std::size_t n) {
  std::vector<Vec3> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = {static_cast<float>(i), 0, 0};
  return p;
}

TEST(ThumbnailQueue, WithoutAFocusItemsGoInItemOrder) {
  ThumbnailQueue q;
  q.start(5);
  EXPECT_EQ(q.take(3), (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(q.take(3), (std::vector<std::uint32_t>{3, 4}));
  EXPECT_EQ(q.left(), 0u);
  EXPECT_TRUE(q.take(3).empty());
}

TEST(ThumbnailQueue, AFocusSendsTheNearestFirstNearestFirstThenTheRestOnce) {
  ThumbnailQueue q;
  q.start(100);
  EXPECT_EQ(q.take(2), (std::vector<std::uint32_t>{0, 1}));
  q.focus(line(100), {60.2f, 0, 0}, 5);
  EXPECT_EQ(q.take(5), (std::vector<std::uint32_t>{60, 61, 59, 62, 58}));
  std::vector<std::uint32_t> rest;
  while (q.left() > 0) {
    const auto more = q.take(7);
    rest.insert(rest.end(), more.begin(), more.end());
  }
  EXPECT_EQ(rest.size(), 93u);
  EXPECT_TRUE(std::is_sorted(rest.begin(), rest.end()));  // the rest in item order
  std::set<std::uint32_t> all(rest.begin(), rest.end());
  EXPECT_EQ(all.size(), 93u);
  for (std::uint32_t sent : {0u, 1u, 58u, 59u, 60u, 61u, 62u}) EXPECT_FALSE(all.contains(sent)) << sent;
}

TEST(ThumbnailQueue, ANewFocusReplacesTheOldAndSkipsWhatWasSent) {
  ThumbnailQueue q;
  q.start(50);
  q.focus(line(50), {10, 0, 0}, 3);
  EXPECT_EQ(q.take(1), (std::vector<std::uint32_t>{10}));
  q.focus(line(50), {10.6f, 0, 0}, 3);  // 10 is sent: the nearest unsent are 11, 12, 9
  EXPECT_EQ(q.take(3), (std::vector<std::uint32_t>{11, 12, 9}));
  EXPECT_EQ(q.take(2), (std::vector<std::uint32_t>{0, 1}));
}

TEST(ThumbnailQueue, AFocusBeforeAnyPositionsKeepsItemOrder) {
  ThumbnailQueue q;
  q.start(4);
  q.focus({}, {0, 0, 0}, 10);
  EXPECT_EQ(q.take(4), (std::vector<std::uint32_t>{0, 1, 2, 3}));
}

TEST(ThumbnailQueue, AFinishedQueueSendsNothing) {
  ThumbnailQueue q;
  q.start(4);
  q.finish();
  EXPECT_EQ(q.left(), 0u);
  q.focus(line(4), {0, 0, 0}, 2);
  EXPECT_TRUE(q.take(4).empty());
}

}  // namespace
}  // namespace lodestone::room
