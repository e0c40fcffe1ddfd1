// Crash safety: bots label continuously while the server is killed with SIGKILL at
// random moments, several times. After each kill every acknowledged annotation must be in
// the store and the store must pass PRAGMA integrity_check; after each restart training
// resumes from the newest checkpoint.
#include "room_fixture.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lodestone {
namespace {

using namespace std::chrono_literals;

int spawn(const std::vector<std::string>& argv) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

void kill_and_reap(int pid) {  // only our own bot processes
  ::kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

// sphere id → annotations acknowledged for it, from the bots' --ack-log files.
std::map<std::int64_t, std::int64_t> read_acknowledged(const std::vector<std::filesystem::path>& logs) {
  std::map<std::int64_t, std::int64_t> acknowledged;
  for (const auto& log : logs) {
    std::ifstream in(log);
    std::int64_t sphere = 0, count = 0;
    while (in >> sphere >> count) acknowledged[sphere] += count;
  }
  return acknowledged;
}

std::int64_t newest_checkpoint(const std::filesystem::path& database) {
  return testing::count_rows(database, "SELECT COALESCE(MAX(id), 0) FROM checkpoints");
}

TEST(CrashSafety, SigkillAtRandomMomentsLosesNoAcknowledgedAnnotation) {
  constexpr int kKills = 3, kBots = 3;
  testing::ServerProcess server(1200, 8);
  std::vector<std::string> tokens;
  for (int b = 0; b < kBots; ++b) tokens.push_back(server.make_token("bot" + std::to_string(b), "annotator"));
  server.capture_log();
  const auto seed = static_cast<unsigned>(std::random_device{}());
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> after_ms(300, 2500);
  std::printf("crash test seed %u\n", seed);

  std::vector<std::filesystem::path> ack_logs;
  std::int64_t checkpoint_before_start = 0;
  for (int round = 0; round <= kKills; ++round) {
    // Checkpoints every 1.2 s, so kills land before, during and after them.
    server.start({"--checkpoint-minutes", "0.02"});
    const auto log_at_start = server.log();
    if (checkpoint_before_start > 0) {
      EXPECT_NE(log_at_start.find("resumed from checkpoint " + std::to_string(checkpoint_before_start) + " (step"),
                std::string::npos)
          << "round " << round << " did not resume from checkpoint " << checkpoint_before_start;
    }
    if (round == kKills) break;

    std::vector<int> bots;
    for (int b = 0; b < kBots; ++b) {
      ack_logs.push_back(server.data_dir() / ("acks-" + std::to_string(round) + "-" + std::to_string(b) + ".txt"));
      bots.push_back(spawn({LODESTONE_BOT_BIN, "--port", std::to_string(server.port()), "--token", tokens[static_cast<std::size_t>(b)],
                            "--name", "bot" + std::to_string(b), "--policy", "random", "--interval-ms", "20", "--seed",
                            std::to_string(seed + static_cast<unsigned>(round * kBots + b)), "--ack-log",
                            ack_logs.back().string()}));
    }
    // Wait for this run's first checkpoint (bounded), then kill at a random moment.
    for (int i = 0; i < 100 && newest_checkpoint(server.database()) <= checkpoint_before_start; ++i) {
      std::this_thread::sleep_for(100ms);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(after_ms(rng)));
    server.kill_hard();  // SIGKILL
    for (int pid : bots) kill_and_reap(pid);

    const auto acknowledged = read_acknowledged(ack_logs);
    std::int64_t acknowledged_total = 0, survived = 0;
    for (const auto& [sphere, count] : acknowledged) {
      // In the per-item history, or in a batch the next start writes there.
      const auto stored = testing::stored_annotations(server.database(), sphere);
      acknowledged_total += count;
      survived += std::min(stored, count);
      EXPECT_EQ(stored, count) << "sphere " << sphere;
    }
    const auto stored = testing::stored_annotations(server.database());
    std::printf("kill %d: %lld annotations acknowledged, %lld of them survived (%lld stored in all)\n",
                round + 1, static_cast<long long>(acknowledged_total), static_cast<long long>(survived),
                static_cast<long long>(stored));
    EXPECT_EQ(survived, acknowledged_total);
    EXPECT_GT(acknowledged_total, 0) << "the bots labelled nothing before the kill";
    EXPECT_EQ(testing::integrity(server.database()), "ok");
    checkpoint_before_start = newest_checkpoint(server.database());
    ASSERT_GT(checkpoint_before_start, 0);
  }
  // The restarted room serves exactly what was stored.
  auto lead_token = server.make_token("lea", "lead");
  auto lea = testing::join_room(server.port(), lead_token, "lea");
  const auto stored_items = testing::count_rows(
      server.database(), "SELECT COUNT(DISTINCT item_id) FROM annotations WHERE class_id IS NOT NULL");
  EXPECT_TRUE(lea->poll_until([&] { return static_cast<std::int64_t>(lea->scene().labels.size()) == stored_items; },
                              testing::kWaitMs))
      << lea->scene().labels.size() << " labels shown, " << stored_items << " stored";
  if (HasFailure()) std::fprintf(stderr, "server log:\n%s\n", server.log().c_str());
  EXPECT_EQ(server.terminate(), 0);
}

}  // namespace
}  // namespace lodestone
