// One room box: `embed` and `export --format embedding` map the latent into the box the
// room is served with (--room-size, or room.size in the configuration file), not a
// default of their own.
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace lodestone {
namespace {

// The largest |room_x| and |room_z| in an embedding CSV (columns 5 and 7).
float widest(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  float widest = 0;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string field;
    for (int column = 0; std::getline(fields, field, ','); ++column) {
      if (column == 4 || column == 6) widest = std::max(widest, std::abs(std::stof(field)));
    }
  }
  return widest;
}

TEST(RoomBox, EmbedAndTheEmbeddingExportUseTheRoomSizeTheRoomIsServedWith) {
  testing::ServerProcess server;  // 400 items, two classes
  ASSERT_EQ(testing::run_command(server.server({"train", "--seconds", "2", "--threads", "1"})).exit_code, 0);
  const auto dir = server.data_dir();
  ASSERT_EQ(testing::run_command(server.server({"embed", "--out", (dir / "default.csv").string()})).exit_code, 0);
  ASSERT_EQ(testing::run_command(server.server({"embed", "--out", (dir / "wide.csv").string(), "--room-size", "20"}))
                .exit_code,
            0);
  {
    std::ofstream config(dir / "wide.toml");
    config << "[room]\nsize = 20\n";
  }
  ASSERT_EQ(testing::run_command(server.server({"export", "--format", "embedding", "--out", (dir / "export.csv").string(),
                                                "--config", (dir / "wide.toml").string()}))
                .exit_code,
            0);
  EXPECT_LE(widest(dir / "default.csv"), 2.0f);  // the default 4 m room
  EXPECT_GT(widest(dir / "wide.csv"), 2.5f);     // spread over the 20 m room
  EXPECT_LE(widest(dir / "wide.csv"), 10.0f);
  EXPECT_GT(widest(dir / "export.csv"), 2.5f);
  EXPECT_LE(widest(dir / "export.csv"), 10.0f);
  EXPECT_NE(testing::run_command(server.server({"embed", "--out", (dir / "x.csv").string(), "--room-size", "0.5"}))
                .exit_code,
            0);
}

}  // namespace
}  // namespace lodestone
