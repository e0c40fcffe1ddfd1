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

TEST(VrHeadless, AnUnreachableServerEndsWithAClearError) {
  const auto result = testing::run_command({LODESTONE_VR_BIN, "--headless", "--token", "x", "--port", "1",
                                            "--script", "/dev/null", "--out", "/tmp"});
  EXPECT_EQ(result.exit_code, 1);
}

}  // namespace
}  // namespace lodestone
