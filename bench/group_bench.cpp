// Training past one process: steps/s of an offline `train` alone and as rank 0 of a
// training group with 1 and 2 `train-worker`s (c10d over Gloo on loopback), on the MNIST
// digits, the same total batch each time (256 split over the ranks) and one training
// thread per rank (and one process on two threads, the whole machine). On a two-core machine the ranks share the cores, so no speed-up is
// expected: what it shows is the cost of the exchange, and the bytes a step sends, from
// which docs/SCALING.md works out what a network between machines allows.
//
//   group_bench [--seconds 20] [--items 10000]
// Prints a table and `RESULT group.<ranks>.<figure> value` lines.
#include "bench_flags.h"
#include "mnist_idx.h"
#include "support/server_process.h"

#include <cstdio>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <unistd.h>

namespace {

using namespace lodestone;

double figure(const std::string& log, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(log, m, std::regex(pattern)) ? std::stod(m[1]) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Flags flags("group_bench", "steps/s of training alone and in a group of processes",
                           {{"seconds", "20", "training time of each run", std::pair{2.0, 3600.0}},
                            {"items", "10000", "digits in the dataset", std::pair{100.0, 1'000'000.0}}},
                           argc, argv);
  const std::string seconds = flags.text("seconds");
  testing::TempDir data;
  bench::write_mnist_idx(data.path(), flags.integer("items"));
  testing::ServerProcess server(data / "images.idx", data / "labels.idx");
  std::printf("\n| ranks × threads | batch per rank | steps/s | samples/s, whole group | tensors sent per step and rank |\n"
              "| --- | --- | --- | --- | --- |\n");
  double alone = 0;
  // (ranks, threads per rank): one process on one core, the same on both cores, then groups.
  for (const auto& [world, threads] : std::vector<std::pair<int, int>>{{1, 1}, {1, 2}, {2, 1}, {3, 1}}) {
    const int batch = 256 / world;
    const std::string port = std::to_string(31000 + getpid() % 20000 + world);
    std::vector<std::string> common{"--batch", std::to_string(batch), "--labelled-per-batch", std::to_string(64 / world),
                                    "--threads", std::to_string(threads)};
    if (world > 1) common.insert(common.end(), {"--world", std::to_string(world), "--store", "127.0.0.1:" + port});
    std::vector<std::thread> workers;
    for (int rank = 1; rank < world; ++rank) {
      workers.emplace_back([&, rank] {
        std::vector<std::string> a{"train-worker", "--rank", std::to_string(rank)};
        a.insert(a.end(), common.begin(), common.end());
        testing::run_command(testing::with_log_on_stdout(server.server(a)));
      });
    }
    std::vector<std::string> lead{"train", "--seconds", seconds, "--oracle-per-class", "10", "--report-seconds", "3600"};
    lead.insert(lead.end(), common.begin(), common.end());
    const auto run = testing::run_command(testing::with_log_on_stdout(server.server(lead)));
    for (auto& w : workers) w.join();
    const double steps = figure(run.out, R"(([0-9.]+) steps/s)");
    const double mb_per_step = world > 1 ? figure(run.out, R"(\(([0-9.]+) MB a step\))") : 0;
    if (alone == 0) alone = steps;
    std::printf("| %d × %d | %d | %.2f (%.2f× one rank, one thread) | %.0f | %.2f MB |\n", world, threads, batch,
                steps, steps / alone, steps * batch * world, mb_per_step);
    std::printf("RESULT group.%dx%d.steps_per_s %.2f\nRESULT group.%dx%d.mb_per_step %.3f\n", world, threads, steps,
                world, threads, mb_per_step);
    std::fflush(stdout);
  }
  return 0;
}
