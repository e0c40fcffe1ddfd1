// The room's labels: one representation (class ids), positions derived from the label set.
#include "room/room_labels.h"

#include <gtest/gtest.h>

namespace lodestone::room {
namespace {

LabelSet three_classes() {
  LabelSet set;
  set.label_set_id = 1;
  set.classes = {{10, "zero", 0xff0000, 0}, {20, "one", 0x00ff00, 1}, {30, "two", 0x0000ff, 2}};
  return set;
}

IndexedChange change(std::uint32_t item, ClassId id, annotation::LabelOrigin origin = annotation::LabelOrigin::Manual) {
  return {item, annotation::LabelChange{item + 100, id, origin}};
}

TEST(RoomLabels, LoadsPositionsAsIdsAndGivesThemBackAsPositions) {
  const RoomLabels labels(three_classes(), {0, -1, 2, 1}, {}, {}, {0, 1, 2, -1});
  EXPECT_EQ(labels.class_of(0), 10);
  EXPECT_EQ(labels.class_of(1), kNoClass);
  EXPECT_EQ(labels.class_of(2), 30);
  EXPECT_EQ(labels.positions(), (std::vector<int>{0, -1, 2, 1}));
  EXPECT_EQ(labels.labelled_count(), 3u);
  EXPECT_EQ(labels.per_class(), (std::vector<std::uint32_t>{1, 1, 1}));
  EXPECT_EQ(labels.labelled_by(0), 0u);  // nobody known: none given
  ASSERT_EQ(labels.all().size(), 3u);
  EXPECT_EQ(labels.all()[1].class_id, 30);
}

TEST(RoomLabels, StoredChangesComeBackForTheModelAndTheClients) {
  RoomLabels labels(three_classes(), {-1, -1, -1}, {}, {}, {});
  std::vector<ItemLabel> told;
  const auto updates = labels.apply(7, {change(0, 20), change(2, 30, annotation::LabelOrigin::Accepted)}, told);
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0].item, 0u);
  EXPECT_EQ(updates[0].class_index, 1);
  EXPECT_EQ(updates[1].class_index, 2);
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[1].class_id, 30);
  EXPECT_EQ(told[1].annotator_id, 7u);
  EXPECT_EQ(labels.origin(2), annotation::LabelOrigin::Accepted);
  EXPECT_EQ(labels.count_by(7), 2u);
  told.clear();
  const auto erased = labels.apply(8, {change(0, kNoClass)}, told);
  EXPECT_EQ(erased[0].class_index, -1);
  EXPECT_EQ(labels.labelled_count(), 1u);
}

TEST(RoomLabels, AMergeMovesLabelsAndTruthAndPositionsFollowTheNewOrder) {
  RoomLabels labels(three_classes(), {0, 1, 2}, {}, {}, {0, 1, 2});
  // "one" (20) merged into "two" (30): the set holds zero and two, at positions 0 and 1.
  LabelSet after;
  after.classes = {{10, "zero", 0xff0000, 0}, {30, "two", 0x0000ff, 1}};
  labels.change_label_set(after, {0, 1, 1}, 9, {change(1, 30)});
  EXPECT_EQ(labels.class_of(1), 30);
  EXPECT_EQ(labels.labelled_by(1), 9u);
  EXPECT_EQ(labels.positions(), (std::vector<int>{0, 1, 1}));
  EXPECT_EQ(labels.truth_position(1), 1);
  EXPECT_EQ(labels.truth_position(2), 1);
  EXPECT_FALSE(labels.knows(20));
}

}  // namespace
}  // namespace lodestone::room
