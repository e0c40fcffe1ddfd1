#include "learning/metrics.h"

#include "learning/evaluation.h"

#include <limits>

namespace lodestone::learning {

Metrics measure(std::span<const Prediction> predictions, std::span<const Vec3> room, std::span<const int> labels,
                std::span<const int> truth) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Metrics m;
  std::vector<std::size_t> labelled, queries;
  std::vector<int> labelled_class, query_truth;
  std::size_t labelled_right = 0, unlabelled_right = 0, known = 0, whole_right = 0, confident = 0, confident_right = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i < truth.size() && truth[i] >= 0) {
      ++known;
      whole_right += (labels[i] != kUnlabelled ? labels[i] : predictions[i].class_index) == truth[i];
    }
    if (labels[i] != kUnlabelled) {
      labelled.push_back(i);
      labelled_class.push_back(labels[i]);
      labelled_right += predictions[i].class_index == labels[i];
    } else if (i < truth.size() && truth[i] >= 0) {
      queries.push_back(i);
      query_truth.push_back(truth[i]);
      unlabelled_right += predictions[i].class_index == truth[i];
      if (predictions[i].confidence >= kConfidentPrediction) {
        ++confident;
        confident_right += predictions[i].class_index == truth[i];
      }
    }
  }
  m.labelled_count = labelled.size();
  m.labelled_accuracy = labelled.empty() ? kNaN : double(labelled_right) / double(labelled.size());
  m.unlabelled_accuracy = queries.empty() || labelled.empty() ? kNaN : double(unlabelled_right) / double(queries.size());
  m.whole_accuracy = known == 0 ? kNaN : double(whole_right) / double(known);
  m.confident_share = queries.empty() ? kNaN : double(confident) / double(queries.size());
  m.confident_accuracy = confident == 0 ? kNaN : double(confident_right) / double(confident);
  const auto flat = flatten(room);
  m.knn_accuracy = knn_accuracy(flat, 3, labelled, labelled_class, queries, query_truth, 5);
  return m;
}

}  // namespace lodestone::learning
