// The oracle study the quality test and the label-efficiency benchmark share.
#include "learning/oracle_study.h"
#include "learning/toy_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace lodestone::learning {
namespace {

Toy toy_dataset(std::size_t n) { return learning::toy_dataset(n, 3); }

TEST(OracleStudy, MoreLabelsPerClassKeepTheEarlierOnes) {
  const auto toy = toy_dataset(100);
  const auto few = oracle_labels(toy.truth, 2, 3, 5), more = oracle_labels(toy.truth, 2, 10, 5);
  EXPECT_EQ(std::count(few.begin(), few.end(), 0), 3);
  EXPECT_EQ(std::count(few.begin(), few.end(), 1), 3);
  EXPECT_EQ(std::count(more.begin(), more.end(), kUnlabelled), 80);
  for (std::size_t i = 0; i < few.size(); ++i) {
    if (few[i] != kUnlabelled) {
      EXPECT_EQ(more[i], few[i]) << "item " << i;
    }
    if (more[i] != kUnlabelled) {
      EXPECT_EQ(more[i], toy.truth[i]) << "item " << i;
    }
  }
}

TEST(OracleStudy, PixelNeighboursTellTwoPlainClassesApart) {
  const auto toy = toy_dataset(60);
  const auto labels = oracle_labels(toy.truth, 2, 5, 1);
  EXPECT_DOUBLE_EQ(pixel_knn_accuracy(toy.pixels, labels, toy.truth), 1.0);
  const std::vector<int> none(toy.truth.size(), kUnlabelled);
  EXPECT_TRUE(std::isnan(pixel_knn_accuracy(toy.pixels, none, toy.truth)));
}

TEST(OracleStudy, TrainingStopsAtTheStepBudgetAndTheSpreadIsMeasured) {
  const auto toy = toy_dataset(64);
  ModelConfig config;
  config.width = config.height = 8;
  config.num_classes = 2;
  config.batch_size = 16;
  config.labelled_per_batch = 4;
  config.threads = 1;
  Learner learner(config, toy.pixels, 64);
  const auto labels = oracle_labels(toy.truth, 2, 4, 2);
  learner.set_labels(labels);
  EXPECT_EQ(train_for(learner, 600.0, 25), 25u);  // the step budget ends it, not the time
  EXPECT_EQ(learner.step(), 25u);
  const auto spread = measure_spread(learner, toy.pixels, labels, toy.truth);
  EXPECT_EQ(spread.labelled, 8u);
  EXPECT_GE(spread.unlabelled_accuracy, 0.0);
  EXPECT_LE(spread.unlabelled_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(spread.pixel_knn, 1.0);
}

}  // namespace
}  // namespace lodestone::learning
