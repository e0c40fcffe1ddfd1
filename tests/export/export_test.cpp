#include "annotation/label_store.h"
#include "dataset/dataset_store.h"
#include "dataset/readers.h"
#include "export/export_writers.h"
#include "store/migrations.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

namespace lodestone::exporting {
namespace {

using lodestone::testing::TempDir;
namespace fs = std::filesystem;

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::Database>(store::Database::open(dir_ / "db"));
    store::apply_migrations(*db_, store::bundled_migrations());
    dataset::Dataset d{"toy", "idx", "/toy", 3, 2, 1, {}, 0};
    for (int i = 0; i < 12; ++i) {
      d.items.push_back({"item,\"" + std::to_string(i) + "\"",
                         std::vector<std::uint8_t>(6, static_cast<std::uint8_t>(i * 10)), std::to_string(i % 3), std::nullopt});
    }
    dataset_ = dataset::store_dataset(*db_, d).dataset_id;
    items_ = dataset::load_items(*db_, *dataset::find_dataset(*db_, dataset_)).item_ids;
    const auto set = annotation::ensure_label_set(*db_, dataset_);
    const auto ada = annotation::ensure_user(*db_, "ada"), bob = annotation::ensure_user(*db_, "bob");
    // ada labels items 0-5 as their truth; bob labels 6-7; item 6 is then erased.
    std::vector<annotation::LabelChange> by_ada, by_bob;
    for (int i = 0; i < 6; ++i) by_ada.push_back({items_[static_cast<std::size_t>(i)], set.classes[static_cast<std::size_t>(i % 3)].id});
    by_bob.push_back({items_[6], set.classes[0].id});
    by_bob.push_back({items_[7], set.classes[1].id});
    annotation::write_annotations(*db_, ada, std::nullopt, by_ada);
    annotation::write_annotations(*db_, bob, std::nullopt, by_bob);
    annotation::write_annotations(*db_, bob, std::nullopt, {{items_[6], kNoClass}});
  }
  ExportData rows(const ExportFilter& filter = {}) { return collect_rows(*db_, dataset_, filter, {}, std::nullopt); }

  TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::int64_t dataset_ = 0;
  std::vector<ItemId> items_;
};

std::size_t lines(const fs::path& p) {
  std::ifstream in(p);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

TEST_F(ExportTest, EveryFormatHoldsExactlyTheCurrentLabels) {
  const auto data = rows();
  ASSERT_EQ(data.rows.size(), 7u);  // 8 labelled, one erased
  EXPECT_EQ(write_export(data, Format::Csv, dir_ / "a.csv", false).items, 7u);
  EXPECT_EQ(lines(dir_ / "a.csv"), 8u);  // header + rows
  write_export(data, Format::JsonLines, dir_ / "a.jsonl", false);
  EXPECT_EQ(lines(dir_ / "a.jsonl"), 7u);
  const auto folders = write_export(data, Format::ImageFolder, dir_ / "tree", false);
  std::size_t pngs = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "tree")) pngs += e.path().extension() == ".png";
  EXPECT_EQ(pngs, 7u);
  EXPECT_EQ(folders.per_class.at("0"), 2u);  // items 0, 3 (item 6 erased)
  EXPECT_EQ(folders.per_class.at("1"), 3u);       // items 1, 4, 7
}

TEST_F(ExportTest, IdxRoundTripIsExact) {
  const auto data = rows();
  write_export(data, Format::Idx, dir_ / "idx", false);
  auto back = dataset::read_idx(dir_ / "idx" / "images-idx3-ubyte", dir_ / "idx" / "labels-idx1-ubyte");
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->items.size(), data.rows.size());
  EXPECT_EQ(back->width, 3);
  EXPECT_EQ(back->height, 2);
  for (std::size_t i = 0; i < data.rows.size(); ++i) {
    EXPECT_EQ(back->items[i].pixels, data.pixels[i]);
    EXPECT_EQ(*back->items[i].ground_truth, std::to_string(data.rows[i].class_index));
    EXPECT_EQ(data.class_names[static_cast<std::size_t>(data.rows[i].class_index)], data.rows[i].class_name);
  }
}

TEST_F(ExportTest, FiltersByClassAndAnnotator) {
  ExportFilter only_bob;
  only_bob.annotators = {"bob"};
  EXPECT_EQ(rows(only_bob).rows.size(), 1u);  // item 7 (item 6 erased)
  ExportFilter only_two;
  only_two.classes = {"2"};
  EXPECT_EQ(rows(only_two).rows.size(), 2u);
}

TEST_F(ExportTest, ConfidentPredictionsAreAddedOnlyWhenAskedAndMarked) {
  std::vector<Prediction> predictions(12, {2, 0.95f});
  predictions[9] = {1, 0.5f};  // not confident enough
  ExportFilter with;
  with.include_predictions = true;
  const auto data = collect_rows(*db_, dataset_, with, predictions, 42);
  std::size_t predicted = 0;
  for (const auto& r : data.rows) predicted += r.predicted;
  EXPECT_EQ(predicted, 4u);  // the unlabelled 6 (erased), 8, 10 and 11; 9 is below the threshold
  EXPECT_EQ(collect_rows(*db_, dataset_, {}, predictions, 42).rows.size(), 7u);
}

TEST_F(ExportTest, RefusesToOverwriteAndLeavesNothingOnFailure) {
  const auto data = rows();
  write_export(data, Format::Csv, dir_ / "a.csv", false);
  EXPECT_THROW(write_export(data, Format::Csv, dir_ / "a.csv", false), ExportError);
  EXPECT_NO_THROW(write_export(data, Format::Csv, dir_ / "a.csv", true));
  auto colour = data;
  colour.channels = 3;
  EXPECT_THROW(write_export(colour, Format::Idx, dir_ / "idx", false), ExportError);
  EXPECT_FALSE(fs::exists(dir_ / "idx"));
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(e.path().string().find(".partial"), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace lodestone::exporting

namespace lodestone::exporting {
namespace {

// JSON Lines that any JSON parser reads back exactly: quotes, backslashes, control
// characters and non-ASCII names survive; an unknown confidence is null.
TEST(JsonLinesExport, EveryRowParsesBackWithTheSameStrings) {
  TempDir dir;
  ExportData data;
  data.class_names = {"say \"hi\"", "back\\slash", "naïve 猫"};
  data.checkpoint_id = 7;
  ExportRow manual;
  manual.item_id = 1;
  manual.source = "a\tb\nc,\"d\".png";
  manual.class_index = 2;
  manual.class_name = data.class_names[2];
  manual.annotator = "zoë";
  manual.labelled_at = "2026-12-01T10:00:00Z";
  manual.origin = "accepted";
  manual.prediction = Prediction{0, std::numeric_limits<float>::quiet_NaN()};
  ExportRow predicted;
  predicted.item_id = 2;
  predicted.source = "plain";
  predicted.class_index = 1;
  predicted.class_name = data.class_names[1];
  predicted.predicted = true;
  predicted.origin = "predicted";
  predicted.prediction = Prediction{1, 0.93f};
  data.rows = {manual, predicted};
  data.pixels = {{0}, {0}};
  write_export(data, Format::JsonLines, dir / "rows.jsonl", false);

  std::ifstream in(dir / "rows.jsonl");
  std::vector<nlohmann::json> rows;
  for (std::string line; std::getline(in, line);) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["source"], "a\tb\nc,\"d\".png");
  EXPECT_EQ(rows[0]["class"], "naïve 猫");
  EXPECT_EQ(rows[0]["annotator"], "zoë");
  EXPECT_EQ(rows[0]["origin"], "accepted");
  EXPECT_TRUE(rows[0]["sphere_id"].is_null());
  EXPECT_EQ(rows[0]["predicted_class"], "say \"hi\"");
  EXPECT_TRUE(rows[0]["confidence"].is_null()) << "NaN is written as null";
  EXPECT_EQ(rows[0]["checkpoint_id"], 7);
  EXPECT_EQ(rows[1]["class"], "back\\slash");
  EXPECT_EQ(rows[1]["origin"], "predicted");
  EXPECT_FALSE(rows[1].contains("annotator")) << "a prediction has no annotator";
  EXPECT_NEAR(rows[1]["confidence"].get<double>(), 0.93, 1e-6);
}

}  // namespace
}  // namespace lodestone::exporting
