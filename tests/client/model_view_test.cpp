// The model's view on the client, without a GPU: unlabelled cubes tinted by their
// predicted class (stronger the more confident), the least certain marked, what a sphere
// holds and what accepting would label, and the inspect panel's text.
#include "core/cube_instances.h"
#include "core/model_view.h"

#include <gtest/gtest.h>

namespace lodestone::client {
namespace {

// Four items on a line: 0 labelled "zero"; 1 predicted "one" at 0.95; 2 predicted "zero"
// at 0.5; 3 predicted "one" at 0.7.
SceneState scene_with_predictions() {
  SceneState scene;
  scene.me = Welcome{1, "ada", Role::Annotator, 0x3366FF, "test"};
  scene.dataset = DatasetDescription{1, "d", 4, 8, 8, 1, 0, 0, {{-2, 0.2f, -2}, {2, 2.6f, 2}}};
  scene.label_set.classes = {{11, "zero", 0xFF0000, 0}, {12, "one", 0x00FF00, 1}};
  scene.labels[0] = 11;
  scene.predictions = {{0, 0, confidence_byte(0.99f)},
                       {1, 1, confidence_byte(0.95f)},
                       {2, 0, confidence_byte(0.5f)},
                       {3, 1, confidence_byte(0.7f)}};
  scene.acceptance_threshold = 0.9f;
  return scene;
}

std::vector<Vec3> line_positions() { return {{0, 1, 0}, {0.1f, 1, 0}, {0.2f, 1, 0}, {0.3f, 1, 0}}; }

int green(std::uint32_t rgb) { return static_cast<int>((rgb >> 8) & 0xFF); }

TEST(ModelView, UnlabelledCubesLeanTowardTheirPredictedClassByConfidence) {
  const auto scene = scene_with_predictions();
  EXPECT_EQ(cube_rgb(0, scene), 0xFF0000u) << "labelled: solid class colour";
  const auto confident = cube_rgb(1, scene), unsure = cube_rgb(3, scene);
  EXPECT_NE(confident, 0x00FF00u) << "a prediction is a tint, never the solid colour of a label";
  EXPECT_GT(green(confident), green(unsure)) << "the more confident, the stronger the tint";
  EXPECT_GT(green(unsure), green(kUnlabelledGrey));
  EXPECT_EQ(cube_rgb(1, scene, CubeStyle{false}), kUnlabelledGrey) << "predictions hidden: grey";
}

TEST(ModelView, TheLeastCertainUnlabelledItemsAreSuggestedAndTheirRegionFound) {
  auto scene = scene_with_predictions();
  const auto suggested = least_certain_items(scene);
  ASSERT_EQ(suggested.size(), 1u) << "at least one, at most a share of the unlabelled";
  EXPECT_EQ(suggested[0], 2u);
  SnapshotBuffer buffer;
  buffer.add(1, 1.0, line_positions());
  CubeInstances cubes;
  ASSERT_TRUE(cubes.refresh(buffer.bracket(1.0), scene));
  EXPECT_EQ(cubes.instances()[2].rgba & 0xFFFFFFu,
            ((kSuggestionRgb >> 16) & 0xFF) | (kSuggestionRgb & 0xFF00) | ((kSuggestionRgb & 0xFF) << 16));
  EXPECT_EQ(cubes.instances()[2].rgba >> 24, kSuggestionAlpha) << "a suggestion's glow pulses";
  EXPECT_EQ(cubes.instances()[1].rgba >> 24, kOpaqueAlpha) << "no other cube pulses";
  EXPECT_EQ(cubes.instances()[0].rgba >> 24, kOpaqueAlpha);
  ++scene.predictions_version;
  scene.predictions[2].confidence = confidence_byte(0.99f);
  EXPECT_TRUE(cubes.refresh(buffer.bracket(1.0), scene)) << "new predictions repaint the cubes";
  const auto region = densest_uncertain_region(scene, line_positions());
  ASSERT_TRUE(region);
  EXPECT_NEAR(region->x, 0.3f, 1e-5f) << "item 3 is now the least certain";
  EXPECT_FALSE(densest_uncertain_region(SceneState{}, {})) << "no verdicts, nowhere to go";
}

TEST(ModelView, ASphereSaysWhatItHoldsAndWhatAcceptingWouldLabel) {
  const auto scene = scene_with_predictions();
  const auto all = sphere_contents(scene, line_positions(), {0.15f, 1, 0}, 0.2f);
  EXPECT_EQ(all.items, 4u);
  EXPECT_EQ(all.unlabelled, 3u);
  EXPECT_EQ(all.acceptable, 1u) << "only item 1 reaches 0.9";
  ASSERT_EQ(all.predicted.size(), 2u);
  EXPECT_EQ(all.predicted[0], (std::pair<std::size_t, std::size_t>{1, 2})) << "one: items 1 and 3, most first";
  const auto lines = describe_sphere(scene, all);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "sphere: 4 items, 3 unlabelled");
  EXPECT_EQ(lines[1], "predicted: one 2, zero 1");
  EXPECT_EQ(lines[2], "accept labels 1 (confidence >= 0.90)");
}

TEST(ModelView, TheInspectPanelGivesTheLabelItsHistoryAndThePrediction) {
  const auto scene = scene_with_predictions();
  ItemDetails details{1, 0, true, "", 500, "train/0.png",
                      {{11, "ada", "2026-12-01T10:00:00Z", "accepted"}, {12, "bob", "2026-12-01T09:00:00Z", "manual"}}};
  const auto lines = describe_item(scene, 0, &details);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "item 0 (id 500): train/0.png");
  EXPECT_EQ(lines[1], "label: zero, accepted by ada at 2026-12-01T10:00:00Z");
  EXPECT_EQ(lines[2], "  before: one, manual by bob at 2026-12-01T09:00:00Z");
  EXPECT_EQ(lines[3], "model: zero at 0.99");
  ItemDetails missing{2, 9, false, "item 9 does not exist (the dataset holds 4 items)", 0, "", {}};
  EXPECT_EQ(describe_item(scene, 9, &missing)[1], missing.error);
  const auto waiting = describe_item(scene, 2, nullptr);
  EXPECT_EQ(waiting[1], "unlabelled");
  EXPECT_EQ(waiting[2], "model: zero at 0.50");
}

}  // namespace
}  // namespace lodestone::client
