// What clients are told of the model's predictions: everything first, then only what
// changed enough to be seen, and everything again when class positions change.
#include "room/prediction_board.h"

#include <gtest/gtest.h>

namespace lodestone::room {
namespace {

std::vector<learning::Prediction> all(int items, int cls, float confidence) {
  return std::vector<learning::Prediction>(static_cast<std::size_t>(items), learning::Prediction{cls, confidence});
}

TEST(PredictionBoard, TellsEverythingFirstThenOnlyVisibleChanges) {
  PredictionBoard board(0.9f);
  bool full = false;
  EXPECT_FALSE(board.take_changes(full)) << "nothing before the first verdicts";
  board.update(all(100, 3, 0.5f));
  auto first = board.take_changes(full);
  ASSERT_TRUE(first);
  EXPECT_TRUE(full);
  EXPECT_EQ(first->size(), 100u);
  EXPECT_EQ(board.told(), *first);

  auto next = all(100, 3, 0.5f);
  next[10].confidence = 0.52f;  // too small a step to be seen
  next[20].confidence = 0.6f;   // a visible step
  next[30].class_index = 4;     // another class
  next[40].class_index = -1;    // no verdict
  board.update(next);
  auto changes = board.take_changes(full);
  ASSERT_TRUE(changes);
  EXPECT_FALSE(full);
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].item_index, 20u);
  EXPECT_EQ((*changes)[1].item_index, 30u);
  EXPECT_EQ((*changes)[1].class_position, 4);
  EXPECT_EQ((*changes)[2].class_position, kNoPrediction);
  EXPECT_EQ(board.told()[10].confidence, confidence_byte(0.5f)) << "what was told, not the newest";
  board.update(next);
  EXPECT_FALSE(board.take_changes(full)) << "nothing new: nothing to send";
}

TEST(PredictionBoard, CrossingTheThresholdIsToldHoweverSmallTheStep) {
  PredictionBoard board(0.9f);
  bool full = false;
  board.update(all(3, 1, 0.89f));
  board.take_changes(full);
  auto next = all(3, 1, 0.89f);
  next[1].confidence = 0.905f;
  board.update(next);
  auto changes = board.take_changes(full);
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].item_index, 1u);
  // A new threshold needs no item told again: clients judge what they hold against it.
  board.set_threshold(0.85f);
  EXPECT_FALSE(board.take_changes(full));
}

TEST(PredictionBoard, ALabelSetChangeRetellsEverything) {
  PredictionBoard board(0.9f);
  bool full = false;
  board.update(all(5, 2, 0.95f));
  board.take_changes(full);
  board.retell_all();
  board.update(all(5, 2, 0.95f));
  auto again = board.take_changes(full);
  ASSERT_TRUE(again);
  EXPECT_TRUE(full);
  EXPECT_EQ(again->size(), 5u);
}

}  // namespace
}  // namespace lodestone::room
