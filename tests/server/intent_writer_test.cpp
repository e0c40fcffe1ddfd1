// The annotation writer on a real SQLite file: outcomes come back in the order intents
// were handed over, each one already committed; a label covers the items inside the
// sphere on the positions shown when it arrived; a store that cannot take the rows
// refuses with a reason and keeps nothing.
#include "room/intent_writer.h"

#include "annotation/label_batches.h"
#include "annotation/sphere_store.h"
#include "dataset/dataset_store.h"
#include "store/migrations.h"

#include "result_checks.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

namespace lodestone::room {
namespace {

using lodestone::testing::TempDir;
using lodestone::testing::refusal_code;

constexpr Box kRoom{{-2.0f, 0.2f, -2.0f}, {2.0f, 2.6f, 2.0f}};

class IntentWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::Database>(store::Database::open(dir_ / "db"));
    store::apply_migrations(*db_, store::bundled_migrations());
    dataset::Dataset d{"toy", "idx", "/toy", 2, 2, 1, {}, 0};
    for (int i = 0; i < kItems; ++i) d.items.push_back({std::to_string(i), {std::uint8_t(i), 0, 0, 0}, "digit", std::nullopt});
    dataset_id_ = dataset::store_dataset(*db_, d).dataset_id;
    items_ = dataset::load_items(*db_, *dataset::find_dataset(*db_, dataset_id_)).item_ids;
    classes_ = annotation::ensure_label_set(*db_, dataset_id_);
    ada_ = annotation::ensure_user(*db_, "ada");
  }

  IntentWriter writer() { return IntentWriter(store::Database::open(dir_ / "db"), dataset_id_, items_, kRoom); }

  // Item i at x = i centimetres along a line through the room's middle.
  static std::shared_ptr<const std::vector<Vec3>> line(float offset) {
    std::vector<Vec3> points;
    for (int i = 0; i < kItems; ++i) points.push_back({offset + 0.01f * static_cast<float>(i), 1.0f, 0.0f});
    return std::make_shared<const std::vector<Vec3>>(std::move(points));
  }

  IntentJob job(Intent intent) { return {7, ada_, Role::Annotator, intent, std::nullopt, true, nullptr, std::nullopt}; }

  std::int64_t annotations() {
    auto q = db_->prepare("SELECT COUNT(*) FROM annotations");
    q.step();
    return q.int64(0);
  }

  static constexpr int kItems = 300;
  TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::int64_t dataset_id_ = 0;
  std::vector<ItemId> items_;
  LabelSet classes_;
  UserId ada_ = 0;
};

std::vector<IntentOutcome> finish(IntentWriter& writer) {
  writer.wait_idle();
  return writer.take_finished();
}

TEST_F(IntentWriterTest, OutcomesComeBackInOrderCommittedAndLabelsUseThePositionsShownOnArrival) {
  auto w = writer();
  w.submit(job({1, IntentKind::CreateSphere, 0, {0.0f, 1.0f, 0.0f}, 0.505f, kNoClass}));
  const auto created = finish(w);
  ASSERT_EQ(created.size(), 1u);
  ASSERT_TRUE(created[0].result.accepted());
  ASSERT_TRUE(created[0].sphere_changed);
  const SphereId sphere = created[0].result.sphere_id;

  // Shown when the label arrived: items 0..50 within 0.505 m of the centre (x = 0..0.5).
  // Where the points are later does not matter.
  auto label = job({2, IntentKind::AssignClass, sphere, {}, 0, classes_.classes[0].id});
  label.shown = line(0.0f);
  w.submit(label);
  auto limited = job({3, IntentKind::MoveSphere, sphere, {1.0f, 1.0f, 0.0f}, 0, kNoClass});
  limited.decided = IntentResult{3, sphere, 0, Refusal{RefusalCode::RateLimited, "too many intents"}};
  w.submit(limited);
  w.submit(job({4, IntentKind::MoveSphere, sphere, {1.5f, 1.0f, 0.0f}, 0, kNoClass}));
  w.submit(job({5, IntentKind::Undo, 0, {}, 0, kNoClass}));

  const auto outcomes = finish(w);
  ASSERT_EQ(outcomes.size(), 4u);
  for (std::size_t i = 0; i < outcomes.size(); ++i) EXPECT_EQ(outcomes[i].result.intent_id, i + 2);

  EXPECT_TRUE(outcomes[0].result.accepted());
  EXPECT_EQ(outcomes[0].result.items_affected, 51u);
  ASSERT_EQ(outcomes[0].written.size(), 51u);
  EXPECT_EQ(outcomes[0].written.front().item_id, items_[0]);
  EXPECT_EQ(outcomes[0].written.back().item_id, items_[50]);
  ASSERT_TRUE(outcomes[0].sphere_changed);
  EXPECT_EQ(outcomes[0].sphere_changed->class_id, classes_.classes[0].id);

  EXPECT_FALSE(outcomes[1].result.accepted());
  EXPECT_EQ(refusal_code(outcomes[1].result), RefusalCode::RateLimited);
  EXPECT_FALSE(outcomes[1].sphere_changed) << "a refused move has nothing to broadcast";

  EXPECT_TRUE(outcomes[2].result.accepted());
  ASSERT_TRUE(outcomes[2].sphere_changed);
  EXPECT_EQ(outcomes[2].sphere_changed->center.x, 1.5f);
  EXPECT_EQ(annotation::find_sphere(*db_, sphere)->center.x, 1.5f);

  EXPECT_TRUE(outcomes[3].result.accepted());
  EXPECT_EQ(outcomes[3].written.size(), 51u);
  // Handed back means committed: another connection sees the label and its undo.
  EXPECT_EQ(annotations(), 102);
}

TEST_F(IntentWriterTest, ForbiddenAndUnknownIntentsAreRefusedAndStoreNothing) {
  auto w = writer();
  auto viewer = job({1, IntentKind::CreateSphere, 0, {0.0f, 1.0f, 0.0f}, 0.5f, kNoClass});
  viewer.role = Role::Viewer;
  w.submit(viewer);
  w.submit(job({2, IntentKind::AssignClass, 999, {}, 0, classes_.classes[0].id}));
  const auto bob = annotation::ensure_user(*db_, "bob");
  const auto others = annotation::create_sphere(*db_, dataset_id_, bob, {0.0f, 1.0f, 0.0f}, 0.5f);
  auto stranger = job({3, IntentKind::AssignClass, others.id, {}, 0, classes_.classes[0].id});
  stranger.shown = line(0.0f);
  w.submit(stranger);
  auto own = job({4, IntentKind::CreateSphere, 0, {0.0f, 1.0f, 0.0f}, 0.5f, kNoClass});
  w.submit(own);
  const auto outcomes = finish(w);
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(refusal_code(outcomes[0].result), RefusalCode::Forbidden);
  EXPECT_EQ(refusal_code(outcomes[1].result), RefusalCode::NotFound);
  EXPECT_EQ(refusal_code(outcomes[2].result), RefusalCode::Forbidden);
  EXPECT_TRUE(outcomes[3].result.accepted());

  auto unknown_class = job({5, IntentKind::AssignClass, outcomes[3].result.sphere_id, {}, 0, 12345});
  unknown_class.class_known = false;
  unknown_class.shown = line(0.0f);
  w.submit(unknown_class);
  const auto refused = finish(w);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refusal_code(refused[0].result), RefusalCode::NotFound);
  EXPECT_EQ(annotations(), 0);
}

TEST_F(IntentWriterTest, AStoreThatIsFullRefusesWithAReasonAndKeepsNothingOfTheIntent) {
  const auto sphere = annotation::create_sphere(*db_, dataset_id_, ada_, {0.0f, 1.0f, 0.0f}, 3.0f);
  auto connection = store::Database::open(dir_ / "db");
  db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  std::int64_t pages = 0;
  {
    auto count = db_->prepare("PRAGMA page_count");
    count.step();
    pages = count.int64(0);
  }
  // Not one page more than the store has now: labels fit only while the free room in
  // those pages lasts. Labels and erases of all 300 items take turns, so each stores a batch.
  connection.prepare("PRAGMA max_page_count = " + std::to_string(pages)).step();
  IntentWriter w(std::move(connection), dataset_id_, items_, kRoom);
  std::optional<IntentOutcome> refused;
  std::int64_t accepted = 0, acknowledged_items = 0;
  for (std::uint64_t i = 1; i <= 200 && !refused; ++i) {
    auto label = i % 2 ? job({i, IntentKind::AssignClass, sphere.id, {}, 0, classes_.classes[0].id})
                       : job({i, IntentKind::EraseLabels, sphere.id, {}, 0, kNoClass});
    label.shown = line(-1.0f);
    w.submit(label);
    for (auto& outcome : finish(w)) {
      if (outcome.result.accepted()) {
        ++accepted;
        acknowledged_items += outcome.result.items_affected;
      } else {
        refused = std::move(outcome);
      }
    }
  }
  ASSERT_TRUE(refused) << "the capped store never filled";
  EXPECT_GT(accepted, 0);
  EXPECT_EQ(refusal_code(refused->result), RefusalCode::StorageFailure);
  EXPECT_NE(refused->result.reason().find("full"), std::string::npos) << refused->result.reason();
  EXPECT_EQ(refused->result.reason().find("INSERT"), std::string::npos) << "the client was shown the server's SQL";
  EXPECT_FALSE(refused->log_detail.empty()) << refused->log_detail;
  EXPECT_TRUE(refused->written.empty());
  EXPECT_FALSE(refused->sphere_changed);
  // Every acknowledged item is stored (its history written, or still in its batch), and
  // the refused intent left nothing, not even its audit row.
  EXPECT_EQ(annotations() + static_cast<std::int64_t>(annotation::pending_label_items(*db_)), acknowledged_items);
  auto actions = db_->prepare("SELECT COUNT(*) FROM audit_log WHERE action IN ('label.assign', 'label.erase')");
  actions.step();
  EXPECT_EQ(actions.int64(0), accepted) << "the refused intent's audit row must roll back with its batch";
}

}  // namespace
}  // namespace lodestone::room

namespace lodestone::room {
namespace {

// The model's verdict on the toy items (their label set has one class): confident on the
// even items below 100 only.
std::shared_ptr<const std::vector<learning::Prediction>> verdicts() {
  std::vector<learning::Prediction> v;
  for (int i = 0; i < 300; ++i) v.push_back({0, i < 100 && i % 2 == 0 ? 0.95f : 0.6f});
  return std::make_shared<const std::vector<learning::Prediction>>(std::move(v));
}

TEST_F(IntentWriterTest, AcceptingLabelsTheConfidentUnlabelledItemsWithTheirPredictedClassAsAccepted) {
  auto w = writer();
  w.submit(job({1, IntentKind::CreateSphere, 0, {0.0f, 1.0f, 0.0f}, 0.505f, kNoClass}));
  const SphereId sphere = finish(w)[0].result.sphere_id;
  // Items 0..9 labelled by hand first: accepting never overwrites a person's label.
  w.submit(job({2, IntentKind::CreateSphere, 0, {0.0f, 1.0f, 0.0f}, 0.095f, kNoClass}));
  const SphereId small = finish(w)[0].result.sphere_id;
  auto by_hand = job({3, IntentKind::AssignClass, small, {}, 0, classes_.classes[0].id});
  by_hand.shown = line(0.0f);
  w.submit(by_hand);
  ASSERT_TRUE(finish(w)[0].result.accepted());

  std::vector<ClassId> ids;
  for (const auto& c : classes_.classes) ids.push_back(c.id);
  auto accept = job({4, IntentKind::AcceptPredictions, sphere, {}, 0, kNoClass});
  accept.shown = line(0.0f);
  accept.accept = AcceptContext{verdicts(), 0.9f, ids};
  w.submit(accept);
  const auto outcome = finish(w);
  ASSERT_EQ(outcome.size(), 1u);
  ASSERT_TRUE(outcome[0].result.accepted()) << outcome[0].result.reason();
  // Inside: items 0..50; labelled by hand: 0..9; confident: the even ones, 10..50 → 21.
  EXPECT_EQ(outcome[0].result.items_affected, 21u);
  ASSERT_EQ(outcome[0].written.size(), 21u);
  for (const auto& change : outcome[0].written) {
    EXPECT_EQ(change.class_id, classes_.classes[0].id);
    EXPECT_EQ(change.origin, annotation::LabelOrigin::Accepted);
  }
  // Stored as accepted, in the history once it is written, and undone as one action.
  w.wait_idle();
  const auto origins = annotation::current_origins(*db_, dataset_id_);
  EXPECT_EQ(origins.at(items_[12]), annotation::LabelOrigin::Accepted);
  EXPECT_EQ(origins.at(items_[2]), annotation::LabelOrigin::Manual);
  EXPECT_FALSE(origins.contains(items_[13])) << "not confident enough: left for a person";
  EXPECT_EQ(annotation::item_history(*db_, items_[12], 10).at(0).origin, annotation::LabelOrigin::Accepted);
  w.submit(job({5, IntentKind::Undo, 0, {}, 0, kNoClass}));
  const auto undone = finish(w);
  ASSERT_TRUE(undone[0].result.accepted());
  EXPECT_EQ(undone[0].written.size(), 21u);
  EXPECT_EQ(annotation::current_labels(*db_, dataset_id_).size(), 10u) << "only the labels by hand stay";
}

TEST_F(IntentWriterTest, AcceptingIsRefusedWithAReasonWhenItWouldLabelNothing) {
  auto w = writer();
  w.submit(job({1, IntentKind::CreateSphere, 0, {0.0f, 1.0f, 0.0f}, 0.505f, kNoClass}));
  const SphereId sphere = finish(w)[0].result.sphere_id;
  w.submit(job({2, IntentKind::CreateSphere, 0, {-1.5f, 1.0f, 0.0f}, 0.1f, kNoClass}));
  const SphereId empty = finish(w)[0].result.sphere_id;
  std::vector<ClassId> ids;
  for (const auto& c : classes_.classes) ids.push_back(c.id);
  const auto accept = [&](std::uint64_t id, SphereId on, std::optional<AcceptContext> context, Role role) {
    auto j = job({id, IntentKind::AcceptPredictions, on, {}, 0, kNoClass});
    j.shown = line(0.0f);
    j.accept = std::move(context);
    j.role = role;
    return j;
  };
  w.submit(accept(3, sphere, AcceptContext{nullptr, 0.9f, ids}, Role::Annotator));      // no model yet
  w.submit(accept(4, empty, AcceptContext{verdicts(), 0.9f, ids}, Role::Annotator));     // nothing inside
  w.submit(accept(5, sphere, AcceptContext{verdicts(), 0.99f, ids}, Role::Annotator));   // nothing that confident
  w.submit(accept(6, sphere, AcceptContext{verdicts(), 0.9f, ids}, Role::Viewer));       // a viewer
  const auto outcomes = finish(w);
  ASSERT_EQ(outcomes.size(), 4u);
  for (const auto& o : outcomes) EXPECT_FALSE(o.result.accepted());
  EXPECT_NE(outcomes[0].result.reason().find("no predictions yet"), std::string::npos) << outcomes[0].result.reason();
  EXPECT_NE(outcomes[1].result.reason().find("holds no items"), std::string::npos) << outcomes[1].result.reason();
  EXPECT_NE(outcomes[2].result.reason().find("threshold of 0.99 (the most confident: 0.95)"), std::string::npos)
      << outcomes[2].result.reason();
  EXPECT_EQ(refusal_code(outcomes[3].result), RefusalCode::Forbidden);
  EXPECT_EQ(annotations(), 0);
  EXPECT_EQ(annotation::pending_label_items(*db_), 0u);
}

}  // namespace
}  // namespace lodestone::room
