// lodestone-vr --xr against the scripted OpenXR runtime in tests/xr_runtime (loaded
// through XR_RUNTIME_JSON, under the Khronos core validation layer and the Vulkan
// validation layer) and a real server process: the session lifecycle, labelling with
// scripted controllers (Touch, the simple controller, a switch to Index) and tracked
// hands, the submitted eye images checked pixel by pixel against the cloud, smooth
// locomotion, a lost session, and the messages for a machine without a runtime, without
// Vulkan support or without a headset.
#include "core/math3d.h"
#include "core/room_client.h"
#include "store/database.h"
#include "integration/stored_labels.h"
#include "support/server_process.h"
#include "integration/still_cloud.h"
#include "integration/room_fixture.h"
#include "lodestone/item_predictions.h"

#include <gtest/gtest.h>
#include <stb/stb_image.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <tuple>

namespace lodestone {
namespace {

using testing::ServerProcess;

// The runtime's eyes: 640×480, half-angle tangent 1 horizontally, 64 mm apart.
constexpr float kFocalPixels = 320.0f, kIpd = 0.064f;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// One run of lodestone-vr --xr with a runtime script; stdout and stderr together.
struct XrRun {
  int exit_code = -1;
  std::string out;
  std::string xr_validation;  // what the OpenXR core validation layer reported
};

XrRun run_xr(ServerProcess& server, std::uint16_t port, const std::string& script, const std::filesystem::path& dir,
             const std::string& extra_env = "", const std::string& extra_args = "") {
  std::filesystem::create_directories(dir);
  const auto script_file = dir / "runtime-script.txt";
  std::ofstream(script_file) << script;
  const auto validation_file = dir / "xr-validation.txt";
  const std::string command =
      "XR_RUNTIME_JSON=" LODESTONE_XR_RUNTIME_JSON " XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation"
      " XR_CORE_VALIDATION_EXPORT_TYPE=text XR_CORE_VALIDATION_FILE_NAME=" + validation_file.string() +
      " LODESTONE_XR_SCRIPT=" + script_file.string() + " LODESTONE_XR_CAPTURE_DIR=" + dir.string() + " " + extra_env +
      " " LODESTONE_VR_BIN " --xr --validation --token " + server.make_token("ada", "annotator") +
      " --port " + std::to_string(port) + " " + extra_args + " 2>&1";
  const auto result = testing::run_command({"/bin/sh", "-c", command});
  return {result.exit_code, result.out, read_file(validation_file)};
}

// No validation message from either layer, a clean exit.
void expect_clean(const XrRun& run) {
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out.find("validation error"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("validation warning"), std::string::npos) << run.out;
  // The layer ran (it announces its output mode) and wrote no VALID_ERROR / VALID_WARNING.
  EXPECT_NE(run.out.find("Core Validation output type: text"), std::string::npos) << run.out;
  EXPECT_EQ(run.xr_validation.find("VALID_"), std::string::npos) << run.xr_validation;
  EXPECT_EQ(run.xr_validation.find("VUID"), std::string::npos) << run.xr_validation;
}

const char* kStart =
    "0 head 0 1.6 2.5 0 0\n"
    "0 hand right 0.2 1.3 2.1 0 0 -1\n"
    "0 hand left -0.2 1.3 2.1 0 0 -1\n";

TEST(VrXr, GoesFromReadyToFocusedRendersFramesAndExitsWhenTheRuntimeStops) {
  ServerProcess server(400, 8);
  const auto port = server.start();
  const auto run = run_xr(server, port, std::string(kStart) + "250 exit\n", server.data_dir() / "xr");
  expect_clean(run);
  // The lifecycle in the order the runtime drives it.
  std::size_t at = 0;
  for (const char* state : {"xr: session READY", "xr: session SYNCHRONIZED", "xr: session VISIBLE",
                            "xr: session FOCUSED", "xr: session STOPPING", "xr: session IDLE", "xr: session EXITING"}) {
    at = run.out.find(state, at);
    ASSERT_NE(at, std::string::npos) << state << " missing or out of order:\n" << run.out;
  }
  EXPECT_NE(run.out.find("xr: 200 frames"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("projection layer submitted with depth"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("stage space"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("input through /interaction_profiles/oculus/touch_controller"), std::string::npos) << run.out;
}

// The gestures, frame by frame (the runtime paces frames at 90 Hz at most, so 60 frames
// are at least two thirds of a second: time for the server to answer).
// One sphere over the whole room, drawn with the right squeeze (the small test cloud
// regroups while it trains, so a sphere around one item could end up empty).
const std::string kSphereOverTheRoom =
    "20 hand right 0 1.4 0 0 0 -1\n"
    "25 value /user/hand/right/input/squeeze/value 1\n"
    "30 hand right 3.5 1.4 0 0 0 -1\n"
    "35 value /user/hand/right/input/squeeze/value 0\n";

const std::string kLabelAndTeleport = kSphereOverTheRoom +
    // The class menu on the left menu button; it opens 0.6 m ahead of the head. Point the
    // right hand at its first entry and pull the trigger.
    "100 value /user/hand/left/input/menu/click 1\n"
    "105 value /user/hand/left/input/menu/click 0\n"
    "110 hand right 0.2 1.3 2.1 -0.2 0.1875 -0.2\n"
    "115 value /user/hand/right/input/trigger/value 1\n"
    "120 value /user/hand/right/input/trigger/value 0\n"
    "200 hand right 0.2 1.3 2.1 0 0 -1\n"
    "240 capture labelled\n"
    // Teleport: right stick forward shows the arc toward the floor, release jumps.
    "250 hand right 0.2 1.3 2.1 0 -0.6 -1\n"
    "255 stick right 0 1\n"
    "275 stick right 0 0\n"
    "300 capture teleported\n"
    "320 exit\n";

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgba;
  std::array<int, 3> at(int x, int y) const {
    const auto i = static_cast<std::size_t>((y * width + x) * 4);
    return {rgba[i], rgba[i + 1], rgba[i + 2]};
  }
};

Image load(const std::filesystem::path& path) {
  Image image;
  int channels = 0;
  unsigned char* pixels = stbi_load(path.string().c_str(), &image.width, &image.height, &channels, 4);
  if (pixels == nullptr) return image;
  image.rgba.assign(pixels, pixels + image.width * image.height * 4);
  stbi_image_free(pixels);
  return image;
}

// How many pixels of two same-sized images differ visibly.
int changed_pixels(const Image& a, const Image& b) {
  int changed = 0;
  for (int y = 0; y < a.height; ++y)
    for (int x = 0; x < a.width; ++x) {
      const auto p = a.at(x, y), q = b.at(x, y);
      if (std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]) + std::abs(p[2] - q[2]) > 30) ++changed;
    }
  return changed;
}

// The cube colour test: the pixel's colourfulness points the class colour's way (the
// thumbnail's white ink and the fog pale a small far cube, but keep its hue); greys, the
// room's lines and the background have next to none.
bool class_coloured(const std::array<int, 3>& px, std::uint32_t rgb) {
  const int c[3] = {static_cast<int>(rgb >> 16 & 0xFF), static_cast<int>(rgb >> 8 & 0xFF), static_cast<int>(rgb & 0xFF)};
  const int pmin = std::min({px[0], px[1], px[2]}), cmin = std::min({c[0], c[1], c[2]});
  float dotp = 0, np = 0, nc = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    const auto a = static_cast<float>(px[k] - pmin), b = static_cast<float>(c[k] - cmin);
    dotp += a * b, np += a * a, nc += b * b;
  }
  return std::sqrt(np) > 30 && dotp / std::sqrt(np * nc) > 0.9f;
}

// Where the runtime's eye at (eye_x, 1.6, 2.5), looking along −z, sees a point: a plain
// pinhole with the runtime's field of view (320 px focal length), y down.
struct Projected {
  float x = 0, y = 0, depth = 0;
};
Projected project(Vec3 p, float eye_x) {
  const float depth = 2.5f - p.z;
  return {320 + kFocalPixels * (p.x - eye_x) / depth, 240 - kFocalPixels * (p.y - 1.6f) / depth, depth};
}


TEST(VrXr, LabelsASphereWithScriptedControllersTeleportsAndSubmitsStereoImages) {
  ServerProcess server(400, 8);
  const auto port = server.start();
  // Training paused, the cloud holds still: where each cube must appear is known.
  std::uint32_t class_rgb = 0;
  testing::pause_training(port, server.make_token("lea", "lead"));
  if (HasFatalFailure()) return;
  const std::vector<Vec3> items = testing::read_still_cloud(port, server.make_token("probe", "viewer"), &class_rgb);
  ASSERT_EQ(items.size(), 400u);

  const auto dir = server.data_dir() / "xr";
  const auto run = run_xr(server, port, std::string(kStart) + kLabelAndTeleport, dir);
  expect_clean(run);
  // The cloud held still through the run: the pictures show where `items` are.
  std::uint32_t unused = 0;
  const auto items_after = testing::read_still_cloud(port, server.make_token("probe2", "viewer"), &unused);
  ASSERT_EQ(items_after.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    ASSERT_LT(length(items_after[i] - items[i]), 0.01f) << "item " << i << " moved while training was paused";
  }
  EXPECT_NE(run.out.find("xr: sphere drawn"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("xr: class given"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("xr: teleported"), std::string::npos) << run.out;
  EXPECT_GE(count(run.out, "haptic pulse on /user/hand/right/output/haptic"), 3) << run.out;

  // The gestures became intents the server stored: a sphere and labels.
  testing::wait_for_label_history(server.database());
  auto db = store::Database::open(server.database());
  auto spheres = db.prepare("SELECT COUNT(*) FROM spheres");
  ASSERT_TRUE(spheres.step());
  EXPECT_GE(spheres.int64(0), 1);
  auto labels = db.prepare("SELECT COUNT(*) FROM annotations WHERE class_id IS NOT NULL");
  ASSERT_TRUE(labels.step());
  EXPECT_GT(labels.int64(0), 0) << run.out;

  // LODESTONE_XR_TEST_KEEP=DIR keeps the submitted images for a look.
  if (const char* keep = std::getenv("LODESTONE_XR_TEST_KEEP")) {
    std::filesystem::copy(dir, keep, std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  }
  const Image left = load(dir / "labelled-left.png"), right = load(dir / "labelled-right.png");
  ASSERT_EQ(left.width, 640);
  ASSERT_EQ(right.width, 640);
  ASSERT_EQ(left.height, 480);
  // Each labelled cube (well inside the sphere) that both eyes see away from the edges and
  // the hands shows its class colour where it projects, in each eye.
  auto coloured_near = [&](const Image& image, const Projected& p) {
    for (int dy = -3; dy <= 3; ++dy)
      for (int dx = -3; dx <= 3; ++dx) {
        if (class_coloured(image.at(static_cast<int>(p.x) + dx, static_cast<int>(p.y) + dy), class_rgb)) return true;
      }
    return false;
  };
  int visible = 0, seen_left = 0, seen_right = 0;
  float x0 = 640, x1 = 0, y0 = 480, y1 = 0, expected_sum = 0, weight_sum = 0;
  for (const Vec3& item : items) {
    const float dy = item.y - 1.4f;
    if (std::sqrt(item.x * item.x + dy * dy + item.z * item.z) > 3.3f) continue;
    const Projected l = project(item, -kIpd / 2), r = project(item, kIpd / 2);
    const bool inside = l.depth > 0.5f && l.depth < 6 && std::min(l.x, r.x) > 16 && std::max(l.x, r.x) < 624 &&
                        l.y > 16 && l.y < 400;
    if (!inside) continue;
    ++visible;
    seen_left += coloured_near(left, l) ? 1 : 0;
    seen_right += coloured_near(right, r) ? 1 : 0;
    x0 = std::min({x0, l.x, r.x}), x1 = std::max({x1, l.x, r.x}), y0 = std::min(y0, l.y), y1 = std::max(y1, l.y);
    // The disparity the eyes' 64 mm separation gives at this depth; a nearer cube covers
    // more pixels (∝ 1/depth²), so it weighs more in a centroid.
    const float weight = 1 / (l.depth * l.depth);
    expected_sum += weight * (l.x - r.x);
    weight_sum += weight;
  }
  ASSERT_GE(visible, 10) << "the script's head should see the cloud";
  EXPECT_GE(seen_left, visible * 9 / 10) << seen_left << " of " << visible;
  EXPECT_GE(seen_right, visible * 9 / 10) << seen_right << " of " << visible;
  if (HasFailure()) std::fprintf(stderr, "client output:\n%s\n", run.out.c_str());

  // Measured: the class-coloured pixels' centroids in one window shared by both eyes.
  auto centroid_x = [&](const Image& image) {
    double sum = 0;
    int n = 0;
    for (int y = static_cast<int>(y0) - 6; y <= static_cast<int>(y1) + 6; ++y)
      for (int x = static_cast<int>(x0) - 6; x <= static_cast<int>(x1) + 6; ++x) {
        if (class_coloured(image.at(x, y), class_rgb)) sum += x, ++n;
      }
    return n > 0 ? sum / n : 0.0;
  };
  const double expected = expected_sum / weight_sum;
  const double measured = centroid_x(left) - centroid_x(right);
  std::printf("labelled cubes seen where they project: left %d, right %d of %d; disparity %.2f px (expected %.2f)\n",
              seen_left, seen_right, visible, measured, expected);
  EXPECT_GT(expected, 2.0);
  EXPECT_NEAR(measured, expected, std::max(1.0, 0.3 * expected)) << "left eye sees the cloud further right";

  // The teleport moved the user: the same eye sees a different picture.
  const Image after = load(dir / "teleported-left.png");
  ASSERT_EQ(after.width, 640);
  EXPECT_GT(changed_pixels(left, after), 640 * 480 / 50);
}

// In the headset the right controller's ray inspects the cube it rests on: the panel (the
// item's image enlarged, its text) appears beside the cube, to its right, in the eye images.
TEST(VrXr, TheControllerRayInspectsACubeAndThePanelShowsBesideIt) {
  ServerProcess server(400, 8);
  const auto port = server.start();
  std::uint32_t class_rgb = 0;
  testing::pause_training(port, server.make_token("lea", "lead"));
  if (HasFatalFailure()) return;
  const std::vector<Vec3> items = testing::read_still_cloud(port, server.make_token("probe", "viewer"), &class_rgb);
  ASSERT_EQ(items.size(), 400u);
  // The item nearest the middle of the left eye's view, neither too near nor too far.
  std::size_t target = items.size();
  float best = 1e9f;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Projected p = project(items[i], -kIpd / 2);
    if (p.depth < 1.5f || p.depth > 4.0f) continue;
    const float off = std::abs(p.x - 280) + std::abs(p.y - 240);
    if (off < best) best = off, target = i;
  }
  ASSERT_LT(target, items.size()) << "no item in view";
  const Vec3 hand{0.2f, 1.3f, 2.1f};
  const Vec3 aim = normalize(items[target] - hand);
  std::ostringstream script;
  script << kStart << "40 capture before\n"
         << "45 hand right " << hand.x << ' ' << hand.y << ' ' << hand.z << ' ' << aim.x << ' ' << aim.y << ' ' << aim.z
         << "\n160 capture inspected\n170 exit\n";
  const auto dir = server.data_dir() / "xr-inspect";
  const auto run = run_xr(server, port, script.str(), dir);
  expect_clean(run);
  const Image before = load(dir / "before-left.png"), inspected = load(dir / "inspected-left.png");
  ASSERT_EQ(before.width, 640);
  ASSERT_EQ(inspected.width, 640);
  long changed = 0;
  double sum_x = 0;
  for (int y = 0; y < 480; ++y) {
    for (int x = 0; x < 640; ++x) {
      const auto a = before.at(x, y), b = inspected.at(x, y);
      if (std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]) > 30) ++changed, sum_x += x;
    }
  }
  const Projected at = project(items[target], -kIpd / 2);
  ASSERT_GT(changed, 8 * 8 * 16) << "the panel shows the 8x8 image far larger than its cube\n" << run.out;
  EXPECT_GT(sum_x / static_cast<double>(changed), at.x) << "the panel is beside the cube, to its right";
}

// The server stored what the gestures asked for: a sphere and labels of a class.
void expect_sphere_and_labels(ServerProcess& server, const XrRun& run) {
  testing::wait_for_label_history(server.database());
  auto db = store::Database::open(server.database());
  auto spheres = db.prepare("SELECT COUNT(*) FROM spheres");
  ASSERT_TRUE(spheres.step());
  EXPECT_GE(spheres.int64(0), 1) << run.out;
  auto labels = db.prepare("SELECT COUNT(*) FROM annotations WHERE class_id IS NOT NULL");
  ASSERT_TRUE(labels.step());
  EXPECT_GT(labels.int64(0), 0) << run.out;
}

// The Khronos simple controller has a select and a menu button, a pose and a haptic
// output: select draws a sphere and picks in the menu, the left menu button opens it.
// (No stick and no face buttons: no teleport, snap turn, stick resize, undo, erase or
// delete with it.)
TEST(VrXr, LabelsWithTheSimpleController) {
  ServerProcess server(400, 8);
  const auto port = server.start();
  const auto run = run_xr(server, port,
                          std::string("0 profile simple\n") + kStart +
                              "20 hand right 0 1.4 0 0 0 -1\n"
                              "25 value /user/hand/right/input/select/click 1\n"
                              "30 hand right 3.5 1.4 0 0 0 -1\n"
                              "35 value /user/hand/right/input/select/click 0\n"
                              "100 value /user/hand/left/input/menu/click 1\n"
                              "105 value /user/hand/left/input/menu/click 0\n"
                              "110 hand right 0.2 1.3 2.1 -0.2 0.1875 -0.2\n"
                              "115 value /user/hand/right/input/select/click 1\n"
                              "120 value /user/hand/right/input/select/click 0\n"
                              "200 exit\n",
                          server.data_dir() / "xr");
  expect_clean(run);
  EXPECT_NE(run.out.find("input through /interaction_profiles/khr/simple_controller"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("xr: sphere drawn"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("xr: class given"), std::string::npos) << run.out;
  EXPECT_GE(count(run.out, "haptic pulse on /user/hand/right/output/haptic"), 2) << run.out;
  expect_sphere_and_labels(server, run);
}

// The user picks up Valve Index controllers mid-session: the runtime says the profile
// changed, the client's Index bindings apply (left B: menu, right stick: teleport).
TEST(VrXr, FollowsAChangeToIndexControllers) {
  ServerProcess server(400, 8);
  const auto port = server.start();
  const auto run = run_xr(server, port,
                          std::string(kStart) +
                              "10 profile index\n" + kSphereOverTheRoom +
                              "100 value /user/hand/left/input/b/click 1\n"
                              "105 value /user/hand/left/input/b/click 0\n"
                              "110 hand right 0.2 1.3 2.1 -0.2 0.1875 -0.2\n"
                              "115 value /user/hand/right/input/trigger/value 1\n"
                              "120 value /user/hand/right/input/trigger/value 0\n"
                              "150 hand right 0.2 1.3 2.1 0 -0.6 -1\n"
                              "155 stick right 0 1\n"
                              "175 stick right 0 0\n"
                              "200 exit\n",
                          server.data_dir() / "xr");
  expect_clean(run);
  EXPECT_NE(run.out.find("xr: controllers: /interaction_profiles/valve/index_controller"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("xr: sphere drawn"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("xr: class given"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("xr: teleported"), std::string::npos) << run.out;
  expect_sphere_and_labels(server, run);
}

// Accepting the model's predictions in a sphere from the headset: Touch's left Y, Index's
// right stick click. Twenty items labelled before the room starts (`label --csv`: where
// the cloud lies does not matter), the room's threshold at its lowest (0.5), and a wait
// until the model is confident of some unlabelled item; then a sphere over the whole room
// and the button: the stored accepted labels show it reached the server.
void label_twenty(ServerProcess& server) {
  const auto csv = server.data_dir() / "twenty.csv";
  {
    std::ofstream rows(csv);
    // The test dataset: item ids from 1 in order, class i % 2, named by its digit.
    for (int i = 0; i < 20; ++i) rows << i + 1 << ',' << i % 2 << '\n';
  }
  const auto labelled = testing::run_command(server.server({"label", "--csv", csv.string()}));
  ASSERT_EQ(labelled.exit_code, 0) << labelled.out;
}

void wait_until_confident(std::uint16_t port, const std::string& token) {
  auto probe = testing::join_room(port, token, "probe");
  const auto confident = [&] {
    const auto threshold = confidence_byte(probe->scene().acceptance_threshold);
    return std::any_of(probe->scene().predictions.begin(), probe->scene().predictions.end(), [&](const auto& p) {
      return p.class_position != kNoPrediction && p.confidence >= threshold &&
             !probe->scene().labels.contains(p.item_index);
    });
  };
  ASSERT_TRUE(probe->poll_until(confident, 3 * testing::kWaitMs)) << "the model never grew confident";
}

TEST(VrXr, TheAcceptButtonLabelsASphereWithThePredictions) {
  for (const auto& [profile, press, release] :
       {std::tuple{"", "100 value /user/hand/left/input/y/click 1\n", "105 value /user/hand/left/input/y/click 0\n"},
        std::tuple{"10 profile index\n", "100 value /user/hand/right/input/thumbstick/click 1\n",
                   "105 value /user/hand/right/input/thumbstick/click 0\n"}}) {
    SCOPED_TRACE(*profile ? "Index" : "Touch");
    ServerProcess server(400, 8);
    label_twenty(server);
    if (HasFatalFailure()) return;
    const auto port = server.start({"--acceptance-threshold", "0.5"});
    wait_until_confident(port, server.make_token("probe", "annotator"));
    if (HasFatalFailure()) return;
    const auto run = run_xr(server, port,
                            std::string(kStart) + profile + kSphereOverTheRoom + press + release + "200 exit\n",
                            server.data_dir() / "xr-accept");
    expect_clean(run);
    EXPECT_NE(run.out.find("xr: sphere drawn"), std::string::npos) << run.out;
    testing::wait_for_label_history(server.database());
    EXPECT_GT(testing::count_rows(server.database(),
                                  "SELECT COUNT(*) FROM annotations WHERE origin = 'accepted' AND class_id IS NOT NULL"),
              0)
        << run.out;
  }
}

// Bare hands (XR_EXT_hand_tracking, no controllers held): the right pinch draws a sphere
// and picks in the menu, the left pinch opens the menu.
TEST(VrXr, DrawsAndLabelsWithPinchesOfTrackedHands) {
  ServerProcess server(400, 8);
  const auto port = server.start();
  const auto run = run_xr(server, port,
                          "0 profile none\n"
                          "0 head 0 1.6 2.5 0 0\n"
                          "0 tracked right 0.2 1.3 2.1 0 0 -1 0.08\n"
                          "0 tracked left -0.2 1.3 2.1 0 0 -1 0.08\n"
                          "20 tracked right 0 1.4 0 0 0 -1 0.08\n"
                          "25 tracked right 0 1.4 0 0 0 -1 0.01\n"
                          "30 tracked right 3.5 1.4 0 0 0 -1 0.01\n"
                          "35 tracked right 3.5 1.4 0 0 0 -1 0.08\n"
                          "100 tracked left -0.2 1.3 2.1 0 0 -1 0.01\n"
                          "105 tracked left -0.2 1.3 2.1 0 0 -1 0.08\n"
                          "110 tracked right 0.2 1.3 2.1 -0.2 0.1875 -0.2 0.08\n"
                          "115 tracked right 0.2 1.3 2.1 -0.2 0.1875 -0.2 0.01\n"
                          "120 tracked right 0.2 1.3 2.1 -0.2 0.1875 -0.2 0.08\n"
                          "200 exit\n",
                          server.data_dir() / "xr", "LODESTONE_XR_HAND_TRACKING=1");
  expect_clean(run);
  EXPECT_NE(run.out.find("xr: hand tracking"), std::string::npos) << run.out;
  EXPECT_EQ(count(run.out, "xr-test-runtime: hand tracker created"), 2) << run.out;
  EXPECT_EQ(run.out.find("input through"), std::string::npos) << "no controllers are held:\n" << run.out;
  EXPECT_NE(run.out.find("xr: sphere drawn"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("xr: class given"), std::string::npos) << run.out;
  expect_sphere_and_labels(server, run);
}

// With --smooth-locomotion the left stick walks: the same eye sees the room from
// elsewhere, with no teleport (training paused: nothing else moves).
TEST(VrXr, SmoothLocomotionWalksWithTheLeftStickWhenAskedFor) {
  ServerProcess server(400, 8);
  const auto port = server.start();
  testing::pause_training(port, server.make_token("lea", "lead"));
  if (HasFatalFailure()) return;
  const auto dir = server.data_dir() / "xr";
  const auto run = run_xr(server, port,
                          std::string(kStart) +
                              "25 capture still\n"
                              "30 capture before\n"
                              "40 stick left 0 1\n"
                              "100 stick left 0 0\n"
                              "120 capture walked\n"
                              "140 exit\n",
                          dir, "", "--smooth-locomotion");
  expect_clean(run);
  EXPECT_EQ(run.out.find("xr: teleported"), std::string::npos) << run.out;
  const Image still = load(dir / "still-left.png"), before = load(dir / "before-left.png"),
              walked = load(dir / "walked-left.png");
  ASSERT_EQ(still.width, 640);
  ASSERT_EQ(before.width, 640);
  ASSERT_EQ(walked.width, 640);
  EXPECT_LT(changed_pixels(still, before), 640 * 480 / 500) << "standing still, the view holds";
  EXPECT_GT(changed_pixels(before, walked), 640 * 480 / 50);
}

TEST(VrXr, FallsBackToTheLocalSpaceWhenTheHeadsetHasNoStage) {
  ServerProcess server(400, 8);
  const auto port = server.start();
  const auto run = run_xr(server, port, std::string(kStart) + "30 exit\n", server.data_dir() / "xr", "LODESTONE_XR_NO_STAGE=1");
  expect_clean(run);
  EXPECT_NE(run.out.find("local (the headset has no stage)"), std::string::npos) << run.out;
}

TEST(VrXr, RecreatesTheSessionWhenTheRuntimeLosesIt) {
  ServerProcess server(400, 8);
  const auto port = server.start();
  const auto run = run_xr(server, port, std::string(kStart) + "60 lose\n200 exit\n", server.data_dir() / "xr");
  expect_clean(run);
  EXPECT_NE(run.out.find("xr: session LOSS_PENDING"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("making a new one"), std::string::npos) << run.out;
  EXPECT_EQ(count(run.out, "xr-test-runtime: session created"), 2) << run.out;
  EXPECT_EQ(count(run.out, "xr: session FOCUSED"), 2) << run.out;
  EXPECT_NE(run.out.find("xr: session EXITING"), std::string::npos) << run.out;
}

TEST(VrXr, EndsWithAClearMessageWhenTheRuntimeGoesAway) {
  ServerProcess server(400, 8);
  const auto port = server.start();
  const auto run = run_xr(server, port, std::string(kStart) + "60 lose-instance\n", server.data_dir() / "xr");
  EXPECT_EQ(run.exit_code, 5) << run.out;
  EXPECT_NE(run.out.find("the OpenXR runtime went away"), std::string::npos) << run.out;
  EXPECT_EQ(run.xr_validation.find("VALID_"), std::string::npos) << run.xr_validation;
}

TEST(VrXr, WithoutARuntimeSaysSoAndSuggestsTheDesktopBackend) {
  const auto result = testing::run_command(
      {"/bin/sh", "-c", "XR_RUNTIME_JSON=/nonexistent/runtime.json " LODESTONE_VR_BIN " --xr --token x --port 1 2>&1"});
  EXPECT_EQ(result.exit_code, 4) << result.out;
  EXPECT_NE(result.out.find("no OpenXR runtime"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("without --xr"), std::string::npos) << result.out;
}

TEST(VrXr, WithoutAHeadsetSaysSoAndSuggestsTheDesktopBackend) {
  const auto result = testing::run_command({"/bin/sh", "-c",
                                            "XR_RUNTIME_JSON=" LODESTONE_XR_RUNTIME_JSON " LODESTONE_XR_NO_HEADSET=1 "
                                            LODESTONE_VR_BIN " --xr --token x --port 1 2>&1"});
  EXPECT_EQ(result.exit_code, 4) << result.out;
  EXPECT_NE(result.out.find("no headset is connected"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("without --xr"), std::string::npos) << result.out;
}

TEST(VrXr, WithARuntimeWithoutVulkanSaysSoAndSuggestsTheDesktopBackend) {
  const auto result = testing::run_command({"/bin/sh", "-c",
                                            "XR_RUNTIME_JSON=" LODESTONE_XR_RUNTIME_JSON " LODESTONE_XR_NO_VULKAN=1 "
                                            LODESTONE_VR_BIN " --xr --token x --port 1 2>&1"});
  EXPECT_EQ(result.exit_code, 4) << result.out;
  EXPECT_NE(result.out.find("the OpenXR runtime has no Vulkan support"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("XR_KHR_vulkan_enable2"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("without --xr"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace lodestone
