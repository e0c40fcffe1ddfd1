#pragma once
// The figures each refresh reports: losses, and how well labels spread (where ground
// truth exists).
#include "learning/learner.h"

#include <span>

namespace lodestone::learning {

struct Metrics {
  StepLosses losses;
  std::size_t labelled_count = 0;
  double labelled_accuracy = 0;    // classifier on the labelled items (NaN without labels)
  double unlabelled_accuracy = 0;  // classifier on unlabelled items with ground truth (NaN without)
  double knn_accuracy = 0;         // 5-NN in room coordinates among the labelled items (NaN without)
  // The dataset as it would be exported now, labels plus the model's predictions for the
  // rest, against ground truth (NaN without any).
  double whole_accuracy = 0;
  // Of the unlabelled items with ground truth, the share predicted with confidence at
  // least kConfidentPrediction, and how often those are right (NaN without any).
  double confident_share = 0;
  double confident_accuracy = 0;
};

inline constexpr float kConfidentPrediction = 0.9f;

// `predictions` (Learner::predict), `labels` and `truth` hold one entry per item; labels and
// truth a class index (kUnlabelled / -1 for none), in the same class numbering.
Metrics measure(std::span<const Prediction> predictions, std::span<const Vec3> room, std::span<const int> labels,
                std::span<const int> truth);

}  // namespace lodestone::learning
