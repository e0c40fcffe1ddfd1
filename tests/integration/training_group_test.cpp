// Data-parallel training across processes (c10d over Gloo, docs/SCALING.md): an offline
// `train` as rank 0 and a `train-worker`, each with half the batch, reach what one
// process reaches with the whole batch; a worker that cannot reach the store says so; a
// worker killed mid-run leaves rank 0 training alone to the end.
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace lodestone {
namespace {

std::string free_port() { return std::to_string(30000 + getpid() % 20000); }

struct Final {
  double reconstruction = -1, unlabelled = -1;
};

// The number after `key` in `line`, or -1.
double after(const std::string& line, const std::string& key) {
  const auto at = line.find(key);
  return at == std::string::npos ? -1 : std::stod(line.substr(at + key.size()));
}

// The figures of the last epoch's report.
Final final_figures(const std::string& log) {
  Final f;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" epoch ") == std::string::npos || line.find(" recon ") == std::string::npos) continue;
    f.reconstruction = after(line, " recon ");
    f.unlabelled = after(line, "unlabelled acc ");
  }
  return f;
}

// The toy digits' harder cousin: 12×12 images, so neither run is perfect after a few epochs.
const std::vector<std::string> kCommon = {"--epochs", "12", "--oracle-per-class", "3", "--threads", "1",
                                          "--seed", "3"};

TEST(TrainingGroup, TwoProcessesWithHalfTheBatchTrainAsOneWithTheWhole) {
  testing::ServerProcess server(1200, 12);
  auto alone = kCommon;
  alone.insert(alone.end(), {"--batch", "128", "--labelled-per-batch", "32"});
  const auto one = testing::run_command(testing::with_log_on_stdout(server.server([&] {
    std::vector<std::string> a{"train"};
    a.insert(a.end(), alone.begin(), alone.end());
    return a;
  }())));
  ASSERT_EQ(one.exit_code, 0) << one.out;

  const auto port = free_port();
  std::vector<std::string> half = kCommon;
  half.insert(half.end(), {"--batch", "64", "--labelled-per-batch", "16", "--world", "2", "--store",
                           "127.0.0.1:" + port});
  testing::CommandResult worker;
  std::thread worker_thread([&] {
    std::vector<std::string> a{"train-worker", "--rank", "1"};
    a.insert(a.end(), half.begin() + 4, half.end());  // the worker takes no --epochs or oracle labels
    worker = testing::run_command(testing::with_log_on_stdout(server.server(a)));
  });
  std::vector<std::string> lead{"train"};
  lead.insert(lead.end(), half.begin(), half.end());
  const auto group = testing::run_command(testing::with_log_on_stdout(server.server(lead)));
  worker_thread.join();
  ASSERT_EQ(group.exit_code, 0) << group.out;
  EXPECT_EQ(worker.exit_code, 0) << worker.out;
  EXPECT_NE(group.out.find("rank 0 of 2"), std::string::npos) << group.out;
  EXPECT_NE(worker.out.find("rank 0 ended the group"), std::string::npos) << worker.out;

  const auto a = final_figures(one.out), b = final_figures(group.out);
  std::printf("one process, batch 128: reconstruction %.2f, unlabelled %.3f; two ranks of 64: %.2f, %.3f\n",
              a.reconstruction, a.unlabelled, b.reconstruction, b.unlabelled);
  ASSERT_GT(a.reconstruction, 0) << one.out;
  ASSERT_GT(b.reconstruction, 0) << group.out;
  // The same steps with the same total batch: the same model, up to sampling noise.
  EXPECT_NEAR(b.reconstruction, a.reconstruction, 0.15 * a.reconstruction);
  EXPECT_GE(b.unlabelled, a.unlabelled - 0.05);
  EXPECT_GT(a.unlabelled, 0.6) << "the comparison means something only if training learned";
}

TEST(TrainingGroup, AWorkerWithoutAStoreSaysSoAndRankZeroGoesOnAloneWhenOneDies) {
  testing::ServerProcess server(400, 8);
  const auto nobody = testing::run_command(testing::with_log_on_stdout(server.server(
      {"train-worker", "--rank", "1", "--world", "2", "--store", "127.0.0.1:9", "--group-timeout", "2"})));
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_NE(nobody.out.find("cannot join the training group at 127.0.0.1:9 within 2 s"), std::string::npos)
      << nobody.out;

  const auto refused = testing::run_command(testing::with_log_on_stdout(server.server({"train-worker", "--rank", "2", "--world", "2",
                                                                   "--store", "127.0.0.1:9"})));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.out.find("--rank 2: expected a whole number from 1 to 1"), std::string::npos) << refused.out;

  // The worker is killed five seconds in (it joins within one or two); rank 0 trains its
  // ten seconds and saves.
  const auto port = free_port();
  std::thread worker_thread([&] {
    auto argv = server.server({"train-worker", "--rank", "1", "--world", "2", "--store", "127.0.0.1:" + port});
    argv.insert(argv.begin(), {"/usr/bin/timeout", "-s", "KILL", "5"});
    testing::run_command(argv);
  });
  const auto lead = testing::run_command(testing::with_log_on_stdout(server.server(
      {"train", "--seconds", "10", "--world", "2", "--store", "127.0.0.1:" + port, "--threads", "1"})));
  worker_thread.join();
  EXPECT_EQ(lead.exit_code, 0) << lead.out;
  EXPECT_NE(lead.out.find("training goes on alone"), std::string::npos) << lead.out;
  EXPECT_NE(lead.out.find("checkpoint 1 saved"), std::string::npos) << lead.out;
}

}  // namespace
}  // namespace lodestone
