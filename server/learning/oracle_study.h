#pragma once
// An oracle annotator's study: labels drawn from ground truth, training for a time
// budget, and how far the labels spread — the classifier on the unlabelled items, 5-NN
// in room coordinates, and 5-NN on raw pixels with the same labels (the baseline a team
// would otherwise have). Shared by the learning-quality test and the label-efficiency
// benchmark so both measure the same thing.
#include "learning/learner.h"

#include <cstdint>
#include <span>
#include <vector>

namespace lodestone::learning {

struct SpreadFigures {
  std::size_t labelled = 0;
  double unlabelled_accuracy = 0;  // the classifier on items without a label
  double room_knn = 0;             // 5-NN in room coordinates among the labelled items
  double pixel_knn = 0;            // 5-NN on raw pixels, same labels
  // Calibration: of the unlabelled items, the share the classifier predicts with
  // confidence ≥ kConfidentPrediction (learning/metrics.h), and how often those
  // predictions are right (NaN when none).
  double confident_share = 0;
  double confident_accuracy = 0;
};

// One class per item: truth for `per_class` random items of each class (nested: the
// items chosen for n per class include those chosen for fewer, same seed), kUnlabelled
// elsewhere.
std::vector<int> oracle_labels(std::span<const int> truth, int num_classes, int per_class, std::uint64_t seed);

// Trains in slices of up to 20 steps until `seconds` have passed or `max_steps` were
// taken, whichever comes first; returns the steps taken.
std::uint64_t train_for(Learner& learner, double seconds, std::uint64_t max_steps = UINT64_MAX);

// Embeds every item, maps to the room and measures the spread of `labels` against
// `truth`; `pixels` are the learner's items (bytes, row-major).
SpreadFigures measure_spread(Learner& learner, std::span<const std::uint8_t> pixels, std::span<const int> labels,
                             std::span<const int> truth);

// k-NN on raw pixels: the unlabelled items with ground truth vote among the labelled
// ones. NaN without labels or queries.
double pixel_knn_accuracy(std::span<const std::uint8_t> pixels, std::span<const int> labels,
                          std::span<const int> truth, int k = 5);

}  // namespace lodestone::learning
