// Headless renders of small known scenes on whatever Vulkan device there is (lavapipe in
// CI), checked pixel by pixel at positions computed from the scene: no golden images.
// Every test runs under the Khronos validation layer and fails on any message.
#include "backends/offscreen.h"
#include "client/fake_channel.h"
#include "core/cube_instances.h"
#include "core/frame_scene_builder.h"
#include "lodestone/item_predictions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <memory>

namespace lodestone {
namespace {

using client::CubeInstances;
using client::EyeView;
using client::FrameScene;
using client::SceneState;
using client::SnapshotBuffer;
using render::GpuContext;
using render::OffscreenRenderer;
using render::RgbaImage;

constexpr std::uint32_t kWidth = 480, kHeight = 360;
constexpr std::uint32_t kRed = 0xE03020, kGreen = 0x20C040, kBlue = 0x2040E0;
constexpr int kTolerance = 6;  // per channel, out of 255

struct Rgb {
  int r, g, b;
};
Rgb rgb(std::uint32_t c) { return {static_cast<int>(c >> 16), static_cast<int>((c >> 8) & 0xFF), static_cast<int>(c & 0xFF)}; }

::testing::AssertionResult near(std::array<std::uint8_t, 4> got, Rgb want, int tolerance = kTolerance) {
  if (std::abs(got[0] - want.r) <= tolerance && std::abs(got[1] - want.g) <= tolerance &&
      std::abs(got[2] - want.b) <= tolerance) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "pixel (" << int{got[0]} << ", " << int{got[1]} << ", " << int{got[2]}
                                       << ") is not near (" << want.r << ", " << want.g << ", " << want.b << ")";
}

class RenderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    gpu_ = std::make_unique<GpuContext>(render::GpuOptions{true, {}, {}});
    offscreen_ = std::make_unique<OffscreenRenderer>(*gpu_, kWidth, kHeight);
  }
  static void TearDownTestSuite() {
    offscreen_.reset();
    gpu_.reset();
  }
  void SetUp() override { messages_before_ = gpu_->validation_messages().size(); }
  void TearDown() override {
    EXPECT_EQ(gpu_->validation_messages().size(), messages_before_) << "the validation layer reported problems";
  }

  RenderTest() {
    scene_.me = Welcome{1, "ada", Role::Annotator, 0xFFFFFF, "test"};
    scene_.dataset = DatasetDescription{1, "d", 0, 4, 4, 1, 0, 0, {{-2, 0.2f, -2}, {2, 2.6f, 2}}};
    scene_.label_set.classes = {{11, "red", kRed, 0}, {12, "green", kGreen, 1}};
    const Vec3 eye{0, 1.5f, 1.5f};
    eye_.view = look_at(eye, {0, 1.5f, 0}, {0, 1, 0});
    eye_.projection = perspective(1.0f, static_cast<float>(kWidth) / kHeight, 0.05f, 50.0f);
    eye_.position = eye;
  }

  // Places the items, builds the frame the way the client does, renders it.
  RgbaImage render(const std::vector<Vec3>& positions, const std::vector<Vec3>& next = {}, double at = 0,
                   std::size_t most_cubes = client::kMostCubes) {
    scene_.dataset->item_count = static_cast<std::uint32_t>(positions.size());
    SnapshotBuffer buffer;
    buffer.add(1, 0.0, positions);
    if (!next.empty()) buffer.add(2, 1.0, next);
    const auto bracket = buffer.bracket(at);
    CubeInstances cubes;
    cubes.refresh(bracket, scene_, {}, eye_.position, most_cubes);
    offscreen_->renderer().set_cubes(cubes.instances(), cubes.near_count());
    client::FakeChannel channel;
    client::InteractionMachine machine(channel);
    frame_ = client::build_frame_scene(scene_, machine, {}, {});
    frame_.cube_half_size = 0.05f;
    client::set_interpolation_time(frame_, bracket, at);
    return offscreen_->render(frame_, eye_);
  }

  // The pixel under a world point.
  std::array<std::uint8_t, 4> pixel_at(const RgbaImage& image, Vec3 p) const {
    const auto px = project(eye_.projection * eye_.view, p, kWidth, kHeight);
    EXPECT_TRUE(px.has_value());
    return image.at(static_cast<std::uint32_t>(px->x), static_cast<std::uint32_t>(px->y));
  }

  // The front face of a cube sits half a cube nearer the eye than its centre.
  Vec3 front(Vec3 centre) const { return centre + Vec3{0, 0, frame_.cube_half_size}; }

  static std::unique_ptr<GpuContext> gpu_;
  static std::unique_ptr<OffscreenRenderer> offscreen_;
  std::size_t messages_before_ = 0;
  SceneState scene_;
  EyeView eye_;
  FrameScene frame_;
};

std::unique_ptr<GpuContext> RenderTest::gpu_;
std::unique_ptr<OffscreenRenderer> RenderTest::offscreen_;

TEST_F(RenderTest, LabelledCubesShowTheirClassColourUnlabelledOnesGrey) {
  const std::vector<Vec3> items = {{-0.5f, 1.5f, 0}, {0, 1.5f, 0}, {0.5f, 1.5f, 0}};
  scene_.labels = {{0, 11}, {2, 12}};
  const RgbaImage image = render(items);
  EXPECT_TRUE(near(pixel_at(image, front(items[0])), rgb(kRed)));
  EXPECT_TRUE(near(pixel_at(image, front(items[1])), rgb(client::kUnlabelledGrey)));
  EXPECT_TRUE(near(pixel_at(image, front(items[2])), rgb(kGreen)));
  // Between the cubes: the background.
  const auto bg = frame_.background;
  EXPECT_TRUE(near(pixel_at(image, {-0.25f, 1.5f, 0}),
                   {static_cast<int>(std::lround(bg[0] * 255)), static_cast<int>(std::lround(bg[1] * 255)),
                    static_cast<int>(std::lround(bg[2] * 255))}));
}

// Level of detail: past the cube budget the nearest items stay cubes with their thumbnail
// face and the far ones are points of their colour, about as wide as their cube would be.
TEST_F(RenderTest, FarItemsOfABigCloudArePointsOfTheirColour) {
  const std::vector<Vec3> items = {{-0.3f, 1.5f, 0.5f}, {0.3f, 1.5f, -1.5f}, {-0.3f, 1.5f, -1.5f}};
  scene_.labels = {{0, 11}, {1, 12}};  // near: red; far: green and grey
  const RgbaImage image = render(items, {}, 0, /*most_cubes=*/1);
  EXPECT_EQ(offscreen_->renderer().item_triangles(), 12u);
  EXPECT_EQ(offscreen_->renderer().point_count(), 2u);
  EXPECT_TRUE(near(pixel_at(image, front(items[0])), rgb(kRed)));
  // A point's colour is its face colour at a face's mean shade, through the fog of its distance.
  const auto far_green = pixel_at(image, items[1]);
  EXPECT_GT(far_green[1], far_green[0] + 40) << "the far labelled item is a green point";
  const auto far_grey = pixel_at(image, items[2]);
  EXPECT_LT(std::abs(far_grey[0] - far_grey[1]), 12) << "the far unlabelled item is a grey point";
  EXPECT_GT(far_grey[0], 60);
  // Everything within budget: all cubes, no points.
  render(items);
  EXPECT_EQ(offscreen_->renderer().item_triangles(), 36u);
  EXPECT_EQ(offscreen_->renderer().point_count(), 0u);
}

// The least certain unlabelled item glows, dimming and brightening with the pulse; a cube
// the model is sure of keeps its tint whatever the pulse.
TEST_F(RenderTest, ASuggestedCubesGlowPulses) {
  const std::vector<Vec3> items = {{-0.3f, 1.5f, 0}, {0.3f, 1.5f, 0}};
  scene_.predictions = {{0, 0, confidence_byte(0.3f)}, {1, 1, confidence_byte(0.99f)}};
  const auto at_pulse = [&](float pulse) {
    scene_.dataset->item_count = 2;
    SnapshotBuffer buffer;
    buffer.add(1, 0.0, items);
    CubeInstances cubes;
    cubes.refresh(buffer.bracket(0), scene_);
    offscreen_->renderer().set_cubes(cubes.instances());
    client::FakeChannel channel;
    client::InteractionMachine machine(channel);
    frame_ = client::build_frame_scene(scene_, machine, {}, {});
    frame_.cube_half_size = 0.05f;
    client::set_interpolation_time(frame_, buffer.bracket(0), 0);
    frame_.pulse = pulse;
    return offscreen_->render(frame_, eye_);
  };
  const auto full = at_pulse(1), dim = at_pulse(0);
  const auto glow = rgb(client::kSuggestionRgb);
  EXPECT_TRUE(near(pixel_at(full, front(items[0])), glow));
  EXPECT_TRUE(near(pixel_at(dim, front(items[0])), {glow.r / 2, glow.g / 2, glow.b / 2}));
  EXPECT_TRUE(near(pixel_at(dim, front(items[1])), [&] {
    const auto p = pixel_at(full, front(items[1]));
    return Rgb{p[0], p[1], p[2]};
  }())) << "a confident prediction does not pulse";
  scene_.predictions.clear();
}

TEST_F(RenderTest, EachCubeCarriesItsThumbnailOnItsFaces) {
  // Item 0 all ink, item 1 none: 4×4 grey thumbnails.
  std::vector<std::uint8_t> pixels(2 * 16, 0);
  std::fill(pixels.begin(), pixels.begin() + 16, std::uint8_t{255});
  offscreen_->renderer().set_thumbnails({pixels.data(), 2, 4, 4, 1});
  const std::vector<Vec3> items = {{-0.3f, 1.5f, 0}, {0.3f, 1.5f, 0}};
  const RgbaImage image = render(items);
  const int inked = 140 + static_cast<int>(std::lround(0.85 * (255 - 140)));
  EXPECT_TRUE(near(pixel_at(image, front(items[0])), {inked, inked, inked}));
  EXPECT_TRUE(near(pixel_at(image, front(items[1])), rgb(client::kUnlabelledGrey)));
  // The face's border keeps the face colour around the image.
  const float h = frame_.cube_half_size;
  EXPECT_TRUE(near(pixel_at(image, front(items[0]) + Vec3{0.95f * h, 0, 0}), rgb(client::kUnlabelledGrey)));
  offscreen_->renderer().set_thumbnails({pixels.data() + 16, 1, 4, 4, 1});  // back to blank for later tests
}

TEST_F(RenderTest, ASphereTintsWhatIsBehindIt) {
  const std::vector<Vec3> items = {{-0.4f, 1.5f, 0}, {0.4f, 1.5f, 0}};
  scene_.spheres[1] = Sphere{1, 1, items[1], 0.25f, 11};  // red sphere around the second grey cube
  const RgbaImage image = render(items);
  const auto plain = pixel_at(image, front(items[0]));
  const auto tinted = pixel_at(image, front(items[1]));
  EXPECT_TRUE(near(plain, rgb(client::kUnlabelledGrey)));
  // Seen through the sphere's front at its centre: grey blended with red by the sphere's opacity.
  const float a = frame_.spheres.at(0).rgba[3];
  const Rgb grey = rgb(client::kUnlabelledGrey), red = rgb(kRed);
  auto blend = [&](int under, int over) { return static_cast<int>(std::lround(under * (1.0 - a) + over * double{a})); };
  EXPECT_TRUE(near(tinted, {blend(grey.r, red.r), blend(grey.g, red.g), blend(grey.b, red.b)}));
  EXPECT_GT(tinted[0], plain[0] + 10) << "visibly redder";
  EXPECT_LT(tinted[2], plain[2] - 10);
}

TEST_F(RenderTest, AnAvatarIsWhereItsPoseSays) {
  Presence bob;
  bob.user_id = 2;
  bob.name = "bob";
  bob.color = kBlue;
  bob.head.position = {0.6f, 1.6f, -0.5f};
  bob.left_hand.position = {0.4f, 1.2f, -0.3f};
  bob.right_hand.position = {-0.6f, 1.3f, -0.3f};
  scene_.others[2] = bob;
  const RgbaImage image = render({});
  EXPECT_TRUE(near(pixel_at(image, bob.head.position + Vec3{0, 0, 0.09f}), rgb(kBlue)));
  EXPECT_TRUE(near(pixel_at(image, bob.left_hand.position + Vec3{0, 0, 0.04f}), rgb(kBlue)));
  EXPECT_TRUE(near(pixel_at(image, bob.right_hand.position + Vec3{0, 0, 0.04f}), rgb(kBlue)));
}

TEST_F(RenderTest, TheVertexShaderInterpolatesBetweenTheTwoSnapshots) {
  scene_.labels = {{0, 12}};
  const std::vector<Vec3> before = {{-0.6f, 1.5f, 0}}, after = {{0.6f, 1.5f, 0}};
  const RgbaImage image = render(before, after, 0.5);  // half way in time
  EXPECT_TRUE(near(pixel_at(image, front({0, 1.5f, 0})), rgb(kGreen)));
  EXPECT_FALSE(near(pixel_at(image, front(before[0])), rgb(kGreen)));
  EXPECT_FALSE(near(pixel_at(image, front(after[0])), rgb(kGreen)));
}

TEST(Validation, TheMessengerCatchesAnInvalidCall) {
  // Proves the harness would fail a test: a zero-sized buffer is invalid usage.
  GpuContext gpu(render::GpuOptions{true, {}, {}});
  auto info = render::vk_struct<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
  info.size = 0;
  info.usage = VK_BUFFER_USAGE_VERTEX_BUFFER_BIT;
  VkBuffer buffer = VK_NULL_HANDLE;
  vkCreateBuffer(gpu.device(), &info, nullptr, &buffer);
  EXPECT_FALSE(gpu.validation_messages().empty());
  if (buffer != VK_NULL_HANDLE) vkDestroyBuffer(gpu.device(), buffer, nullptr);
}

}  // namespace
}  // namespace lodestone
