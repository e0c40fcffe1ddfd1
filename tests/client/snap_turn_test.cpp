// Snap turning turns the user about their own head: where they stand stays put, where
// they look turns by 45° a step, and everything else turns around them.
#include "core/snap_turn.h"

#include <gtest/gtest.h>

namespace lodestone {
namespace {

void expect_near(Vec3 a, Vec3 b) {
  EXPECT_NEAR(a.x, b.x, 1e-5f);
  EXPECT_NEAR(a.y, b.y, 1e-5f);
  EXPECT_NEAR(a.z, b.z, 1e-5f);
}

TEST(SnapTurn, ATurnKeepsTheHeadInPlaceAndTurnsTheGazeRight) {
  client::SnapTurn turn;
  const Pose head{{1, 1.6f, 2}, {}};
  turn.turn(+2, head.position);  // 90° to the right
  const Pose after = turn.apply(head);
  expect_near(after.position, head.position);
  expect_near(forward(after.orientation), {1, 0, 0});  // was −z; right of it is +x
  // A hand half a metre ahead of the head is now half a metre to its right.
  expect_near(turn.apply(Vec3{1, 1.4f, 1.5f}), {1.5f, 1.4f, 2});
}

TEST(SnapTurn, EachTurnPivotsAboutTheHeadWhereItIsThen) {
  client::SnapTurn turn;
  turn.turn(+1, {0, 1.6f, 0});
  const Vec3 walked{0.5f, 1.6f, -0.3f};  // the user walked, then turned back
  const Vec3 seen_before = turn.apply(walked);
  turn.turn(-1, walked);
  expect_near(turn.apply(walked), seen_before);
  expect_near(turn.apply_direction({0, 0, -1}), {0, 0, -1});  // back to the first heading
}

}  // namespace
}  // namespace lodestone
