// What the renderer is handed, checked without a GPU: per-item data rebuilt only when a
// new snapshot pair or label arrives, the time uniform that interpolates on the GPU, the
// colours labels give, and the shapes for spheres and avatars.
#include "core/cube_instances.h"
#include "core/frame_scene_builder.h"
#include "core/math3d.h"
#include "client/fake_channel.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace lodestone::client {
namespace {

SceneState small_scene() {
  SceneState scene;
  scene.me = Welcome{1, "ada", Role::Annotator, 0x3366FF, "test"};
  scene.dataset = DatasetDescription{1, "d", 3, 8, 8, 1, 0, 0, {{-2, 0.2f, -2}, {2, 2.6f, 2}}};
  scene.label_set.classes = {{11, "zero", 0xFF2010, 0}, {12, "one", 0x10FF20, 1}};
  return scene;
}

// The vertex shader's mix(previous, next, clamp(since / span, 0, 1)), on the CPU.
Vec3 shader_position(const CubeInstance& c, const FrameScene& f) {
  const float a = f.snapshot_span > 0 ? std::clamp(f.seconds_since_from / f.snapshot_span, 0.0f, 1.0f) : 0.0f;
  return lerp({c.previous[0], c.previous[1], c.previous[2]}, {c.next[0], c.next[1], c.next[2]}, a);
}

TEST(CubeInstances, RebuiltOnlyWhenTheSnapshotPairOrTheLabelsChange) {
  SnapshotBuffer buffer;
  buffer.add(1, 1.0, {{0, 1, 0}, {1, 1, 0}, {2, 1, 0}});
  buffer.add(2, 1.1, {{0, 2, 0}, {1, 2, 0}, {2, 2, 0}});
  SceneState scene = small_scene();
  CubeInstances cubes;
  EXPECT_TRUE(cubes.refresh(buffer.bracket(1.05), scene));
  EXPECT_FALSE(cubes.refresh(buffer.bracket(1.06), scene)) << "frames within one pair upload nothing";
  scene.labels[1] = 12;
  ++scene.labels_version;
  EXPECT_TRUE(cubes.refresh(buffer.bracket(1.07), scene));
  buffer.add(3, 1.2, {{0, 3, 0}, {1, 3, 0}, {2, 3, 0}});
  EXPECT_TRUE(cubes.refresh(buffer.bracket(1.15), scene));
  EXPECT_FALSE(cubes.refresh(buffer.bracket(1.16), scene));
}

// Past the cube budget the nearest items come first (drawn as cubes, the rest as points),
// each still carrying its own tile; walking away re-chooses them without a new snapshot.
TEST(CubeInstances, TheNearestItemsAreChosenAsCubesAndFollowTheViewer) {
  SnapshotBuffer buffer;
  std::vector<Vec3> line;
  for (int i = 0; i < 10; ++i) line.push_back({static_cast<float>(i), 1, 0});
  buffer.add(1, 1.0, line);
  SceneState scene = small_scene();
  scene.dataset->item_count = 10;
  CubeInstances cubes;
  ASSERT_TRUE(cubes.refresh(buffer.bracket(1.0), scene, {}, {0, 1, 0}, 3));
  ASSERT_EQ(cubes.near_count(), 3u);
  const auto tiles_of_first = [&](std::size_t n) {
    std::vector<std::uint32_t> tiles;
    for (std::size_t i = 0; i < n; ++i) tiles.push_back(cubes.instances()[i].thumbnail);
    std::sort(tiles.begin(), tiles.end());
    return tiles;
  };
  EXPECT_EQ(tiles_of_first(3), (std::vector<std::uint32_t>{0, 1, 2}));
  for (const auto& c : cubes.instances()) EXPECT_EQ(c.next[0], static_cast<float>(c.thumbnail)) << "tile and item stay together";
  EXPECT_FALSE(cubes.refresh(buffer.bracket(1.0), scene, {}, {0.1f, 1, 0}, 3)) << "a small step changes nothing";
  EXPECT_TRUE(cubes.refresh(buffer.bracket(1.0), scene, {}, {9, 1, 0}, 3)) << "walking to the other end";
  EXPECT_EQ(tiles_of_first(3), (std::vector<std::uint32_t>{7, 8, 9}));
  CubeInstances all;
  ASSERT_TRUE(all.refresh(buffer.bracket(1.0), scene, {}, {9, 1, 0}, 20));
  EXPECT_EQ(all.near_count(), 10u) << "within budget every item is a cube";
}

TEST(CubeInstances, LabelledItemsTakeTheirClassColourOthersGrey) {
  SnapshotBuffer buffer;
  buffer.add(1, 1.0, {{0, 1, 0}, {1, 1, 0}, {2, 1, 0}});
  SceneState scene = small_scene();
  scene.labels[0] = 11;
  scene.labels[2] = 12;
  CubeInstances cubes;
  ASSERT_TRUE(cubes.refresh(buffer.bracket(1.0), scene));
  const auto& c = cubes.instances();
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].rgba, 0xFF1020FFu);  // R8G8B8A8 in memory: 0xFF, 0x20, 0x10, 0xFF
  EXPECT_EQ(c[1].rgba, 0xFF8C8C8Cu);
  EXPECT_EQ(c[2].rgba, 0xFF20FF10u);
  EXPECT_EQ(c[2].thumbnail, 2u);
}

TEST(Interpolation, TheTimeUniformGivesTheSamePositionsAsTheSnapshotBuffer) {
  SnapshotBuffer buffer;
  buffer.add(1, 10.0, {{0, 0, 0}, {1, 1, 1}});
  buffer.add(2, 10.1, {{1, 0, 0}, {1, 1, 3}});
  buffer.add(3, 10.2, {{3, 0, 0}, {1, 1, 3}});
  SceneState scene = small_scene();
  CubeInstances cubes;
  for (double t : {9.9, 10.0, 10.03, 10.1, 10.17, 10.3}) {
    const auto bracket = buffer.bracket(t);
    cubes.refresh(bracket, scene);
    FrameScene frame;
    set_interpolation_time(frame, bracket, t);
    const auto expected = buffer.sample(t);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const Vec3 got = shader_position(cubes.instances()[i], frame);
      EXPECT_NEAR(got.x, expected[i].x, 1e-4) << "t=" << t;
      EXPECT_NEAR(got.z, expected[i].z, 1e-4) << "t=" << t;
    }
  }
}

TEST(FrameScene, TheSuggestionsPulseBeatsWithTheRenderTime) {
  SnapshotBuffer buffer;
  buffer.add(1, 0.0, {{0, 0, 0}});
  float lowest = 1, highest = 0;
  for (int k = 0; k < 40; ++k) {
    FrameScene frame;
    const double t = k / (40 * kPulseHz);  // one beat in 40 frames
    set_interpolation_time(frame, buffer.bracket(t), t);
    EXPECT_GE(frame.pulse, 0.0f);
    EXPECT_LE(frame.pulse, 1.0f);
    lowest = std::min(lowest, frame.pulse);
    highest = std::max(highest, frame.pulse);
  }
  EXPECT_LT(lowest, 0.05f) << "dims within a beat";
  EXPECT_GT(highest, 0.95f) << "and comes back to full";
}

TEST(FrameScene, SpheresInClassColourOrWhiteAndTheEditedOneHighlighted) {
  SceneState scene = small_scene();
  scene.spheres[1] = Sphere{1, 1, {0, 1, -1}, 0.3f, 11};
  scene.spheres[2] = Sphere{2, 1, {1, 1, -1}, 0.3f, kNoClass};
  FakeChannel channel;
  InteractionMachine machine(channel);
  FrameInput input;
  input.right.position = {1, 1, -1};  // touching sphere 2 selects it
  machine.update(input, scene);
  const FrameScene f = build_frame_scene(scene, machine, {}, {});
  ASSERT_EQ(f.spheres.size(), 2u);
  EXPECT_NEAR(f.spheres[0].rgba[0], 1.0f, 1e-6);
  EXPECT_NEAR(f.spheres[0].rgba[2], 0x10 / 255.0f, 1e-6);
  EXPECT_EQ(f.spheres[1].rgba[0], 1.0f);
  EXPECT_EQ(f.spheres[1].rgba[1], 1.0f);
  EXPECT_GT(f.spheres[1].rgba[3], f.spheres[0].rgba[3]) << "the edited sphere stands out";
  EXPECT_GT(f.spheres[1].rim, f.spheres[0].rim);
}

TEST(FrameScene, AnAvatarStandsWhereItsPoseSays) {
  SceneState scene = small_scene();
  Presence bob;
  bob.user_id = 2;
  bob.name = "bob";
  bob.color = 0x00FFFF;
  bob.head.position = {1, 1.7f, -2};
  bob.left_hand.position = {0.8f, 1.2f, -1.8f};
  bob.right_hand.position = {1.2f, 1.2f, -1.8f};
  scene.others[2] = bob;
  FakeChannel channel;
  InteractionMachine machine(channel);
  const FrameScene f = build_frame_scene(scene, machine, {}, {});
  int found = 0;
  for (const auto& b : f.boxes) {
    if (b.rgba[0] != 0 || b.rgba[1] != 1 || b.rgba[2] != 1) continue;
    const Vec3 c{b.center[0], b.center[1], b.center[2]};
    if (c == bob.head.position || c == bob.left_hand.position || c == bob.right_hand.position) ++found;
  }
  EXPECT_EQ(found, 3);
  EXPECT_FALSE(f.quads.empty()) << "the name is drawn";
}

TEST(Projection, APointStraightAheadLandsInTheMiddleAndUpIsUp) {
  const Mat4 vp = perspective(1.0f, 2.0f, 0.05f, 50) * look_at({0, 1, 2}, {0, 1, 0}, {0, 1, 0});
  const auto centre = project(vp, {0, 1, 0}, 200, 100);
  ASSERT_TRUE(centre.has_value());
  EXPECT_NEAR(centre->x, 100, 1e-3);
  EXPECT_NEAR(centre->y, 50, 1e-3);
  EXPECT_GT(centre->depth, 0);
  EXPECT_LT(centre->depth, 1);
  EXPECT_LT(project(vp, {0, 1.5f, 0}, 200, 100)->y, 50) << "higher in the world, higher on screen";
  EXPECT_GT(project(vp, {0.5f, 1, 0}, 200, 100)->x, 100);
  EXPECT_FALSE(project(vp, {0, 1, 5}, 200, 100).has_value()) << "behind the eye";
}

TEST(Projection, YawPitchLooksWhereItSays) {
  const Vec3 ahead = forward(yaw_pitch(0, 0));
  EXPECT_NEAR(ahead.z, -1, 1e-6);
  const Vec3 left = forward(yaw_pitch(1.5707963f, 0));
  EXPECT_NEAR(left.x, -1, 1e-5);
  const Vec3 up = forward(yaw_pitch(0, 0.5f));
  EXPECT_GT(up.y, 0);
}

}  // namespace
}  // namespace lodestone::client
