// Label batches on a real SQLite file: a batch is the acknowledged record of a label or an
// erase; current labels read it at once; its per-item history is written in chunks, in
// order, with the batch's time and the annotation each row supersedes, and a damaged
// batch is refused by name instead of being half applied.
#include "annotation/label_batches.h"

#include "annotation/sphere_store.h"
#include "dataset/dataset_store.h"
#include "store/migrations.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

namespace lodestone::annotation {
namespace {

using lodestone::testing::TempDir;

class LabelBatchesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::Database>(store::Database::open(dir_ / "db"));
    store::apply_migrations(*db_, store::bundled_migrations());
    dataset::Dataset d{"toy", "idx", "/toy", 2, 2, 1, {}, 0};
    for (int i = 0; i < kItems; ++i) {
      d.items.push_back({std::to_string(i), {std::uint8_t(i), 0, 0, 0}, i % 2 ? "odd" : "even", std::nullopt});
    }
    dataset_id_ = dataset::store_dataset(*db_, d).dataset_id;
    items_ = dataset::load_items(*db_, *dataset::find_dataset(*db_, dataset_id_)).item_ids;
    set_ = ensure_label_set(*db_, dataset_id_);
    ada_ = ensure_user(*db_, "ada");
    bob_ = ensure_user(*db_, "bob");
    sphere_ = create_sphere(*db_, dataset_id_, ada_, {0, 1, 0}, 0.5f).id;
  }

  // One acknowledged act, as the annotation writer stores it.
  void batch(UserId who, ClassId cls, std::vector<ItemId> items) {
    store::Transaction tx(*db_);
    const auto action = record_action(*db_, who, cls == kNoClass ? "label.erase" : "label.assign", "test");
    store_label_batch(*db_, dataset_id_, who, sphere_, cls, action, items);
    tx.commit();
  }

  std::int64_t count(const std::string& sql) {
    auto q = db_->prepare(sql);
    q.step();
    return q.int64(0);
  }

  static constexpr int kItems = 40;
  TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::int64_t dataset_id_ = 0;
  std::vector<ItemId> items_;
  LabelSet set_;
  UserId ada_ = 0, bob_ = 0;
  SphereId sphere_ = 0;
};

TEST_F(LabelBatchesTest, CurrentLabelsIncludeABatchBeforeItsHistoryIsWritten) {
  batch(ada_, set_.classes[0].id, {items_[0], items_[1], items_[2]});
  batch(bob_, kNoClass, {items_[1]});
  EXPECT_EQ(count("SELECT COUNT(*) FROM annotations"), 0);
  EXPECT_EQ(pending_label_items(*db_), 4u);
  const auto labels = current_labels(*db_, dataset_id_);
  EXPECT_EQ(labels, (std::map<ItemId, ClassId>{{items_[0], set_.classes[0].id}, {items_[2], set_.classes[0].id}}));
}

TEST_F(LabelBatchesTest, HistoryIsWrittenInChunksInOrderWithSupersededRowsAndTheBatchTime) {
  std::vector<ItemId> all(items_.begin(), items_.end());
  batch(ada_, set_.classes[0].id, all);
  batch(bob_, set_.classes[1].id, {items_[3], items_[4]});
  const auto acknowledged_at = [&] {
    auto q = db_->prepare("SELECT MIN(created_at) FROM label_batches");
    q.step();
    return q.text(0);
  }();

  // A chunk stops partway through the first batch; the next takes it up where it stopped.
  EXPECT_EQ(apply_label_batches(*db_, 25), 25u);
  EXPECT_EQ(pending_label_items(*db_), static_cast<std::size_t>(kItems - 25 + 2));
  EXPECT_EQ(current_labels(*db_, dataset_id_).at(items_[3]), set_.classes[1].id);
  EXPECT_EQ(apply_all_label_batches(*db_), static_cast<std::size_t>(kItems - 25 + 2));
  EXPECT_EQ(apply_label_batches(*db_, 25), 0u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM label_batches"), 0);

  EXPECT_EQ(count("SELECT COUNT(*) FROM annotations"), kItems + 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM annotations WHERE supersedes_id IS NOT NULL"), 2);
  auto bob_row = db_->prepare(
      "SELECT b.annotator_id, b.sphere_id, a.annotator_id FROM annotations b JOIN annotations a ON a.id = b.supersedes_id"
      " WHERE b.item_id = ?");
  bob_row.bind(1, items_[4]);
  ASSERT_TRUE(bob_row.step());
  EXPECT_EQ(bob_row.int64(0), bob_);
  EXPECT_EQ(bob_row.int64(1), sphere_);
  EXPECT_EQ(bob_row.int64(2), ada_);
  EXPECT_EQ(count("SELECT COUNT(*) FROM annotations WHERE created_at < '" + acknowledged_at + "'"), 0);
  auto first = db_->prepare("SELECT created_at FROM annotations ORDER BY id LIMIT 1");
  first.step();
  EXPECT_EQ(first.text(0), acknowledged_at) << "history rows carry the time the label was acknowledged";

  // The same labels as before the history existed, and the later annotator's wins.
  const auto labels = current_labels(*db_, dataset_id_);
  EXPECT_EQ(labels.size(), static_cast<std::size_t>(kItems));
  EXPECT_EQ(labels.at(items_[4]), set_.classes[1].id);
  EXPECT_EQ(labels.at(items_[5]), set_.classes[0].id);
  EXPECT_EQ(conflict_count(*db_, dataset_id_), 2u);
}

TEST_F(LabelBatchesTest, UndoAfterTheHistoryRestoresWhatTheBatchReplaced) {
  batch(ada_, set_.classes[0].id, {items_[0], items_[1]});
  batch(ada_, set_.classes[1].id, {items_[1], items_[2]});
  apply_all_label_batches(*db_);
  store::Transaction tx(*db_);
  const auto restored = undo_last_action(*db_, ada_);
  tx.commit();
  EXPECT_EQ(restored.size(), 2u);
  EXPECT_EQ(current_labels(*db_, dataset_id_),
            (std::map<ItemId, ClassId>{{items_[0], set_.classes[0].id}, {items_[1], set_.classes[0].id}}));
}

TEST_F(LabelBatchesTest, ADamagedBatchIsRefusedByNameAndNothingOfItIsWritten) {
  batch(ada_, set_.classes[0].id, {items_[0], items_[1]});
  db_->exec("UPDATE label_batches SET item_ids = x'0102030405'");
  try {
    apply_all_label_batches(*db_);
    FAIL() << "a damaged batch was applied";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("label batch"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM annotations"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM label_batches"), 1);
}

TEST_F(LabelBatchesTest, DeletingADatasetDeletesItsBatches) {
  batch(ada_, set_.classes[0].id, {items_[0]});
  db_->prepare("DELETE FROM datasets WHERE id = ?").bind(1, dataset_id_).run();
  EXPECT_EQ(count("SELECT COUNT(*) FROM label_batches"), 0);
  EXPECT_EQ(apply_all_label_batches(*db_), 0u);
}

}  // namespace
}  // namespace lodestone::annotation
