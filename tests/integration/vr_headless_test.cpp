// lodestone-vr's headless mode against a real server process: it joins, draws a sphere
// with a scripted hand, gives it a class, and writes the pictures the script asks for.
// The labels it made are read back from the server's database.
#include "core/room_client.h"
#include "store/database.h"
#include "integration/stored_labels.h"
#include "support/server_process.h"
#include "integration/still_cloud.h"

#include <gtest/gtest.h>
#include <stb/stb_image.h>

#include <fstream>
#include <set>

namespace lodestone {
namespace {

using testing::ServerProcess;

TEST(VrHeadless, JoinsARealRoomLabelsWithScriptedGesturesAndWritesPictures) {
  ServerProcess server(400, 8);
  const auto token = server.make_token("ada", "annotator");
  const auto port = server.start();

  // Where item 0 is, seen through the same client core, with training paused so the
  // cloud stays there until the pictures are taken.
  testing::pause_training(port, server.make_token("lea", "lead"));
  std::uint32_t unused_colour = 0;
  const auto cloud = testing::read_still_cloud(port, server.make_token("probe", "viewer"), &unused_colour);
  ASSERT_FALSE(cloud.empty());
  const Vec3 item = cloud.at(0);
  const auto dir = server.data_dir() / "vr";
  std::filesystem::create_directories(dir);
  const auto script = dir / "script.txt";
  {
    std::ofstream s(script);
    s << "look " << item.x << ' ' << item.y << ' ' << item.z + 1.5f << ' ' << item.x << ' ' << item.y << ' ' << item.z
      << "\nshot before.png\n"
      // A sphere around item 0, which holds still with training paused.
      << "hand right " << item.x << ' ' << item.y << ' ' << item.z << "\ngrip right on\nhand right " << item.x + 0.3f
      << ' ' << item.y << ' ' << item.z << "\ngrip right off\nsettle 10\n"
      << "class 1\nsettle 10\nwait 0.5\nshot after.png\n";
  }
  const auto result = testing::run_command({LODESTONE_VR_BIN, "--headless", "--validation", "--token", token, "--port",
                                            std::to_string(port), "--script", script.string(), "--out", dir.string(),
                                            "--width", "320", "--height", "240"});
  ASSERT_EQ(result.exit_code, 0) << result.out;

  for (const char* name : {"before.png", "after.png"}) {
    int w = 0, h = 0, channels = 0;
    unsigned char* pixels = stbi_load((dir / name).string().c_str(), &w, &h, &channels, 4);
    ASSERT_NE(pixels, nullptr) << name;
    EXPECT_EQ(w, 320);
    EXPECT_EQ(h, 240);
    std::set<std::uint32_t> colours;
    for (int i = 0; i < w * h; ++i) {
      colours.insert(static_cast<std::uint32_t>(pixels[i * 4]) << 16 | static_cast<std::uint32_t>(pixels[i * 4 + 1]) << 8 |
                     pixels[i * 4 + 2]);
    }
    stbi_image_free(pixels);
    EXPECT_GT(colours.size(), 20u) << name << " is nearly blank";
  }

  // The gestures became intents the server stored: a sphere and labels of class 1.
  testing::wait_for_label_history(server.database());
  auto db = store::Database::open(server.database());
  auto spheres = db.prepare("SELECT COUNT(*) FROM spheres");
  ASSERT_TRUE(spheres.step());
  EXPECT_GE(spheres.int64(0), 1);
  auto labels = db.prepare("SELECT COUNT(*) FROM annotations WHERE class_id IS NOT NULL");
  ASSERT_TRUE(labels.step());
  EXPECT_GT(labels.int64(0), 0) << "the drawn sphere held items; the client said:\n" << result.out;
}

// The model's view, headless: the inspect panel prints what it shows and draws the item's
// image beside its cube; a sphere says what it holds; accepting labels its confident
// predictions, stored as accepted.
TEST(VrHeadless, InspectsAnItemAndAcceptsTheModelsPredictions) {
  ServerProcess server(400, 8);
  const auto token = server.make_token("ada", "annotator");
  const auto port = server.start();
  {
    // Two labelled regions by hand, then training until the model is confident somewhere.
    client::RoomClient bob({"127.0.0.1", port, server.make_token("bob", "annotator"), "bob"});
    ASSERT_TRUE(bob.connect()) << bob.error();
    ASSERT_TRUE(bob.poll_until([&] { return bob.scene().has_keyframe && !bob.scene().label_set.classes.empty(); },
                               testing::scaled_ms(15000)));
    // A sphere holding at most a fifth of the items: once the model has trained a while,
    // each of these two very different classes gathers tightly, and a fixed radius would
    // label nearly everything (how soon depends on how fast this client joins).
    const auto radius_around = [&](const Vec3& centre) {
      float radius = 0.25f;
      for (; radius > 0.01f; radius *= 0.7f) {
        std::size_t inside = 0;
        for (const auto& p : bob.newest_positions()) {
          const float dx = p.x - centre.x, dy = p.y - centre.y, dz = p.z - centre.z;
          inside += dx * dx + dy * dy + dz * dz <= radius * radius;
        }
        if (inside <= 80) break;
      }
      return radius;
    };
    const auto label = [&](std::size_t item, std::size_t position) {
      const auto centre = bob.newest_positions().at(item);
      const auto id = bob.send_intent({0, IntentKind::CreateSphere, 0, centre, radius_around(centre), kNoClass});
      std::optional<IntentResult> made;
      ASSERT_TRUE(bob.poll_until([&] { return (made = bob.result(id)).has_value(); }, testing::scaled_ms(10000)));
      const auto assign =
          bob.send_intent({0, IntentKind::AssignClass, made->sphere_id, {}, 0, bob.scene().label_set.classes.at(position).id});
      ASSERT_TRUE(bob.poll_until([&] { return bob.result(assign).has_value(); }, testing::scaled_ms(10000)));
    };
    label(0, 0);
    label(399, 1);
    const auto confident = [&] {
      std::size_t n = 0;
      for (const auto& p : bob.scene().predictions) {
        n += p.confidence >= confidence_byte(0.9f) && !bob.scene().labels.contains(p.item_index);
      }
      return n;
    };
    ASSERT_TRUE(bob.poll_until([&] { return confident() >= 50; }, testing::scaled_ms(60000)))
        << "the model never grew confident on 50 unlabelled items";
    bob.disconnect();
  }
  testing::pause_training(port, server.make_token("lea", "lead"));
  std::uint32_t unused_colour = 0;
  const auto cloud = testing::read_still_cloud(port, server.make_token("probe", "viewer"), &unused_colour);
  ASSERT_FALSE(cloud.empty());
  const Vec3 item = cloud.at(200);
  const auto dir = server.data_dir() / "vr";
  std::filesystem::create_directories(dir);
  const auto script = dir / "script.txt";
  {
    std::ofstream s(script);
    s << "look " << item.x << ' ' << item.y << ' ' << item.z + 1.5f << ' ' << item.x << ' ' << item.y << ' ' << item.z
      << "\nshot plain.png\ninspect 200\nshot inspected.png\n"
      << "uncertain\n"
      << "look " << item.x << ' ' << item.y << ' ' << item.z + 1.5f << ' ' << item.x << ' ' << item.y << ' ' << item.z
      << "\nhand right " << item.x << ' ' << item.y << ' ' << item.z << "\ngrip right on\nhand right " << item.x + 2.0f
      << ' ' << item.y << ' ' << item.z << "\ngrip right off\nsettle 10\naccept\nsettle 10\n";
  }
  const auto result = testing::run_command({LODESTONE_VR_BIN, "--headless", "--validation", "--token", token, "--port",
                                            std::to_string(port), "--script", script.string(), "--out", dir.string(),
                                            "--width", "320", "--height", "240", "--no-text"});
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("inspect: item 200 (id "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("inspect: model: "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("uncertain: the least certain items gather around"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("sphere: "), std::string::npos) << "the sphere's contents: " << result.out;
  EXPECT_NE(result.out.find("labelled with the model's predictions"), std::string::npos) << result.out;

  // The panel: the item's image, enlarged, beside its cube (right of the picture's centre,
  // where the cube is), and nothing else changed much.
  int w = 0, h = 0, channels = 0;
  unsigned char* plain = stbi_load((dir / "plain.png").string().c_str(), &w, &h, &channels, 4);
  unsigned char* panel = stbi_load((dir / "inspected.png").string().c_str(), &w, &h, &channels, 4);
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(panel, nullptr);
  int changed = 0, changed_right = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int i = (y * w + x) * 4;
      const bool differs = std::abs(plain[i] - panel[i]) + std::abs(plain[i + 1] - panel[i + 1]) +
                               std::abs(plain[i + 2] - panel[i + 2]) > 30;
      changed += differs;
      changed_right += differs && x > w / 2;
    }
  }
  stbi_image_free(plain);
  stbi_image_free(panel);
  EXPECT_GT(changed, 8 * 8 * 16) << "the panel shows the 8x8 image at far more than the cube's size";
  EXPECT_GT(changed_right, changed * 3 / 4) << "the panel is beside the cube, to its right";

  testing::wait_for_label_history(server.database());
  auto db = store::Database::open(server.database());
  auto accepted = db.prepare("SELECT COUNT(*) FROM annotations WHERE origin = 'accepted'");
  ASSERT_TRUE(accepted.step());
  EXPECT_GT(accepted.int64(0), 0) << result.out;
}

TEST(VrDesktop, TheWindowJoinsAndPresentsFramesUnderXvfb) {
  if (!std::filesystem::exists("/usr/bin/xvfb-run")) GTEST_SKIP() << "xvfb-run is not installed (package xvfb)";
  ServerProcess server(400, 8);
  const auto token = server.make_token("ada", "annotator");
  const auto port = server.start();
  const auto result = testing::run_command({"/usr/bin/xvfb-run", "-a", "-s", "-screen 0 800x600x24", LODESTONE_VR_BIN,
                                            "--desktop", "--validation", "--token", token, "--port", std::to_string(port),
                                            "--width", "640", "--height", "360", "--frames", "5"});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("first frame shown"), std::string::npos) << result.out;
}

// deploy/run.sh's headless camera labels a sphere with a fixed class whatever it holds:
// the demo must leave none of those labels in the dataset (it undoes them).
TEST(VrHeadless, TheDemoScriptLeavesNoLabelsBehind) {
  ServerProcess server(3000, 8);  // dense enough that the demo's sphere holds items
  const auto token = server.make_token("demo-camera", "annotator");
  const auto port = server.start();
  const auto dir = server.data_dir() / "demo";
  const auto result = testing::run_command({LODESTONE_VR_BIN, "--headless", "--token", token, "--port",
                                            std::to_string(port), "--script", LODESTONE_DEMO_SCRIPT, "--out",
                                            dir.string(), "--width", "160", "--height", "120"});
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("items labelled"), std::string::npos) << "the demo labels, then undoes:\n" << result.out;
  testing::wait_for_label_history(server.database());
  auto db = store::Database::open(server.database());
  auto standing = db.prepare(
      "SELECT COUNT(*) FROM annotations a WHERE a.id = (SELECT MAX(id) FROM annotations WHERE item_id = a.item_id)"
      " AND a.class_id IS NOT NULL");
  ASSERT_TRUE(standing.step());
  EXPECT_EQ(standing.int64(0), 0) << result.out;
  auto spheres = db.prepare("SELECT COUNT(*) FROM spheres WHERE deleted_at IS NULL");
  ASSERT_TRUE(spheres.step());
  EXPECT_EQ(spheres.int64(0), 0) << "the demo's sphere is deleted at the end";
}

// A returning annotator downloads no thumbnails: the first session keeps them on disk,
// the second names them in its hello and the server sends none; thumbnails altered on
// disk are not used, and the server sends them again.
TEST(VrHeadless, ASecondSessionTakesItsThumbnailsFromTheCache) {
  ServerProcess server(400, 8);
  const auto token = server.make_token("ada", "annotator");
  const auto port = server.start();
  const auto dir = server.data_dir() / "vr";
  const auto cache = server.data_dir() / "cache";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "script.txt") << "wait 0.3\nshot cubes.png\n";
  const auto run = [&] {
    return testing::run_command({LODESTONE_VR_BIN, "--headless", "--token", token, "--port", std::to_string(port),
                                 "--script", (dir / "script.txt").string(), "--out", dir.string(), "--width", "160",
                                 "--height", "120", "--cache-dir", cache.string()});
  };
  const auto first = run();
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("thumbnails: 25600 bytes from the server"), std::string::npos) << first.out;
  const auto second = run();
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("thumbnails: 25600 bytes from the cache"), std::string::npos) << second.out;

  for (const auto& entry : std::filesystem::directory_iterator(cache / "thumbnails")) {
    if (entry.path().extension() != ".bin") continue;
    std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(1000);
    f.put('\x55');
  }
  const auto third = run();
  ASSERT_EQ(third.exit_code, 0) << third.out;
  EXPECT_NE(third.out.find("thumbnails: 25600 bytes from the server"), std::string::npos) << third.out;
}

TEST(VrOptions, FlagsOutOfBoundsAreRefusedWithTheFlagAndTheValue) {
  const auto run = [](const std::string& flags) {
    return testing::run_command({"/bin/sh", "-c", std::string("'") + LODESTONE_VR_BIN + "' " + flags + " 2>&1"});
  };
  const auto port = run("--token t --headless --script /dev/null --port 70000");
  EXPECT_EQ(port.exit_code, 2) << port.out;
  EXPECT_NE(port.out.find("--port"), std::string::npos) << port.out;
  EXPECT_NE(port.out.find("70000"), std::string::npos) << port.out;
  const auto width = run("--token t --headless --script /dev/null --width 5");
  EXPECT_EQ(width.exit_code, 2) << width.out;
  EXPECT_NE(width.out.find("--width"), std::string::npos) << width.out;
  const auto both = run("--token t --xr --desktop");
  EXPECT_EQ(both.exit_code, 2) << both.out;
  const auto help = run("--help");
  EXPECT_EQ(help.exit_code, 0) << help.out;
  for (const char* option : {"--token", "--headless", "--script", "--xr", "--smooth-locomotion", "--frames"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option << " missing from:\n" << help.out;
  }
}

TEST(VrHeadless, AnUnreachableServerEndsWithAClearError) {
  const auto result = testing::run_command({LODESTONE_VR_BIN, "--headless", "--token", "x", "--port", "1",
                                            "--script", "/dev/null", "--out", "/tmp"});
  EXPECT_EQ(result.exit_code, 1);
}

}  // namespace
}  // namespace lodestone
