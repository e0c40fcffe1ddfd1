// The encoder width travels with the checkpoint: a room served with --encoder-channels N
// saves checkpoints N wide, and `embed` and `export --format embedding` build that model
// without being told, instead of a default-width one that would load only part of it.
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace lodestone {
namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CheckpointWidth, EmbedAndExportBuildTheEncoderTheCheckpointWasSavedWith) {
  testing::ServerProcess server;  // 400 items, two classes
  ASSERT_EQ(
      testing::run_command(server.server({"train", "--seconds", "2", "--threads", "1", "--encoder-channels", "8"}))
          .exit_code,
      0);
  const auto dir = server.data_dir();
  ASSERT_EQ(testing::run_command(server.server({"embed", "--out", (dir / "told.csv").string(), "--encoder-channels", "8"}))
                .exit_code,
            0);
  ASSERT_EQ(testing::run_command(server.server({"embed", "--out", (dir / "untold.csv").string()})).exit_code, 0);
  ASSERT_EQ(testing::run_command(server.server({"export", "--format", "embedding", "--out", (dir / "export.csv").string()}))
                .exit_code,
            0);
  const auto told = read_all(dir / "told.csv");
  ASSERT_GT(told.size(), 400u * 10);
  EXPECT_EQ(read_all(dir / "untold.csv"), told) << "embed without the flag used another width";
  const auto exported = read_all(dir / "export.csv");
  EXPECT_EQ(std::count(exported.begin(), exported.end(), '\n'), 401) << "a header and one row per item";

  // A reader told another width than the checkpoint's refuses instead of loading half a model.
  EXPECT_NE(testing::run_command(server.server({"embed", "--out", (dir / "wrong.csv").string(), "--encoder-channels",
                                                "16"}))
                .exit_code,
            0);
  EXPECT_FALSE(std::filesystem::exists(dir / "wrong.csv"));
}

}  // namespace
}  // namespace lodestone
