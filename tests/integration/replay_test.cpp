// `train --replay-annotations` gives training the stored annotations in the order they
// were made, spread over the run, and ends with all of them given: a live session's
// training rerun offline. Without --epochs, or without annotations, it says what is missing.
#include "store/database.h"
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace lodestone {
namespace {

using testing::run_with_stderr;

std::int64_t first_item(const std::filesystem::path& database) {
  auto db = store::Database::open(database);
  auto q = db.prepare("SELECT MIN(id) FROM items");
  q.step();
  return q.int64(0);
}

// Labels items [first, first + count), half of them class 0, half class 1.
void label(const testing::ServerProcess& server, std::int64_t first, int count, const std::string& name) {
  const auto csv = server.data_dir() / (name + ".csv");
  {
    std::ofstream out(csv);
    out << "item_id,class\n";
    for (int k = 0; k < count; ++k) out << first + k << ',' << (k < count / 2 ? 0 : 1) << '\n';
  }
  ASSERT_EQ(testing::run_command(server.server({"label", "--csv", csv.string()})).exit_code, 0);
}

TEST(Replay, AnnotationsReachTrainingInTheOrderTheyWereMadeAndAllByTheEnd) {
  testing::ServerProcess server;  // 400 items: one step an epoch
  const auto first = first_item(server.database());
  label(server, first, 10, "early");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  label(server, first + 10, 10, "late");

  const auto run = run_with_stderr(server.server(
      {"train", "--replay-annotations", "--epochs", "4", "--threads", "1", "--no-checkpoint"}));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("replaying 20 annotations"), std::string::npos) << run.out;
  // Epochs 1-3 start before the late labels' time; the last ends with every label given.
  const auto early = run.out.find("replay: 10 of 20 annotations given");
  const auto all = run.out.find("replay: 20 of 20 annotations given");
  ASSERT_NE(early, std::string::npos) << run.out;
  ASSERT_NE(all, std::string::npos) << run.out;
  EXPECT_LT(early, all);
}

TEST(Replay, WithoutEpochsOrAnnotationsItSaysWhatIsMissing) {
  testing::ServerProcess server(40, 4);
  const auto none = run_with_stderr(server.server({"train", "--replay-annotations", "--epochs", "1"}));
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.out.find("no annotations to replay"), std::string::npos) << none.out;

  label(server, first_item(server.database()), 4, "some");
  const auto by_time = run_with_stderr(server.server({"train", "--replay-annotations", "--seconds", "1"}));
  EXPECT_NE(by_time.exit_code, 0);
  EXPECT_NE(by_time.out.find("needs --epochs"), std::string::npos) << by_time.out;
}

}  // namespace
}  // namespace lodestone
