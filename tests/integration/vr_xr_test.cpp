// lodestone-vr --xr against the scripted OpenXR runtime in tests/xr_runtime (loaded
// through XR_RUNTIME_JSON, under the Khronos core validation layer and the Vulkan
// validation layer) and a real server process: the session lifecycle, labelling with
// scripted controllers, the submitted eye images, a lost session, and the messages for a
// machine without a runtime or headset.
#include "core/room_client.h"
#include "store/database.h"
#include "support/server_process.h"

#include <gtest/gtest.h>
#include <stb/stb_image.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

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
             const std::string& extra_env = "") {
  std::filesystem::create_directories(dir);
  const auto script_file = dir / "runtime-script.txt";
  std::ofstream(script_file) << script;
  const auto validation_file = dir / "xr-validation.txt";
  const std::string command =
      "XR_RUNTIME_JSON=" LODESTONE_XR_RUNTIME_JSON " XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation"
      " XR_CORE_VALIDATION_EXPORT_TYPE=text XR_CORE_VALIDATION_FILE_NAME=" + validation_file.string() +
      " LODESTONE_XR_SCRIPT=" + script_file.string() + " LODESTONE_XR_CAPTURE_DIR=" + dir.string() + " " + extra_env +
      " " LODESTONE_VR_BIN " --xr --validation --token " + server.make_token("ada", "annotator") +
      " --port " + std::to_string(port) + " 2>&1";
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

}  // namespace
}  // namespace lodestone
