#include "annotation/label_store.h"
#include "dataset/dataset_store.h"
#include "learning/checkpoint_store.h"
#include "store/migrations.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

namespace lodestone::annotation {
namespace {

using lodestone::testing::TempDir;

class LabelStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::Database>(store::Database::open(dir_ / "db"));
    store::apply_migrations(*db_, store::bundled_migrations());
    dataset::Dataset d{"toy", "idx", "/toy", 2, 2, 1, {}, 0};
    for (int i = 0; i < 6; ++i) {
      d.items.push_back({std::to_string(i), {std::uint8_t(i), 0, 0, 0}, i % 2 ? "odd" : "even", std::nullopt});
    }
    dataset_id_ = dataset::store_dataset(*db_, d).dataset_id;
    items_ = dataset::load_items(*db_, *dataset::find_dataset(*db_, dataset_id_)).item_ids;
  }
  TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::int64_t dataset_id_ = 0;
  std::vector<ItemId> items_;
};

TEST_F(LabelStoreTest, NewLabelSetTakesClassNamesButNoLabelsFromGroundTruth) {
  const auto set = ensure_label_set(*db_, dataset_id_);
  ASSERT_EQ(set.classes.size(), 2u);
  EXPECT_EQ(set.classes[0].name, "even");
  EXPECT_EQ(set.classes[1].name, "odd");
  EXPECT_TRUE(current_labels(*db_, dataset_id_).empty());
  EXPECT_EQ(ensure_label_set(*db_, dataset_id_).label_set_id, set.label_set_id);
}

TEST_F(LabelStoreTest, LaterAnnotationWinsAndHistoryStays) {
  const auto set = ensure_label_set(*db_, dataset_id_);
  const auto ada = ensure_user(*db_, "ada"), bob = ensure_user(*db_, "bob");
  EXPECT_EQ(write_annotations(*db_, ada, std::nullopt, {{items_[0], set.classes[0].id}}).size(), 1u);
  EXPECT_EQ(write_annotations(*db_, bob, std::nullopt, {{items_[0], set.classes[1].id}}).size(), 1u);
  EXPECT_EQ(current_labels(*db_, dataset_id_).at(items_[0]), set.classes[1].id);
  EXPECT_EQ(conflict_count(*db_, dataset_id_), 1u);
  auto q = db_->prepare("SELECT COUNT(*), MAX(supersedes_id) FROM annotations");
  q.step();
  EXPECT_EQ(q.int64(0), 2);
  EXPECT_FALSE(q.is_null(1));
}

TEST_F(LabelStoreTest, UnchangedLabelsAreNotWrittenAgainAndEraseRemoves) {
  const auto set = ensure_label_set(*db_, dataset_id_);
  const auto ada = ensure_user(*db_, "ada");
  write_annotations(*db_, ada, std::nullopt, {{items_[1], set.classes[1].id}});
  EXPECT_EQ(write_annotations(*db_, ada, std::nullopt, {{items_[1], set.classes[1].id}}).size(), 0u);
  EXPECT_EQ(write_annotations(*db_, ada, std::nullopt, {{items_[1], kNoClass}}).size(), 1u);
  EXPECT_TRUE(current_labels(*db_, dataset_id_).empty());
}

TEST_F(LabelStoreTest, CheckpointRetentionKeepsTheNewest) {
  for (std::uint64_t step = 1; step <= 4; ++step) {
    const auto folder = learning::checkpoint_folder(dataset_id_, step);
    std::filesystem::create_directories(dir_ / folder);
    learning::Metrics m;
    m.unlabelled_accuracy = std::numeric_limits<double>::quiet_NaN();
    learning::record_checkpoint(*db_, dataset_id_, folder, step, m);
  }
  EXPECT_EQ(learning::prune_checkpoints(*db_, dir_.path(), dataset_id_, 2), 2u);
  const auto left = learning::list_checkpoints(*db_, dataset_id_);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].step, 3u);
  EXPECT_TRUE(std::isnan(left[0].metrics.unlabelled_accuracy));
  EXPECT_EQ(learning::latest_checkpoint(*db_, dataset_id_)->step, 4u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_ / "checkpoints" / ("dataset-" + std::to_string(dataset_id_))),
                          std::filesystem::directory_iterator()), 2);
}

}  // namespace
}  // namespace lodestone::annotation
