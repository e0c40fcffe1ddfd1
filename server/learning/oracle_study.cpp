#include "learning/oracle_study.h"

#include "learning/evaluation.h"
#include "learning/metrics.h"
#include "learning/room_mapping.h"

#include <algorithm>
#include <chrono>

namespace lodestone::learning {

std::vector<int> oracle_labels(std::span<const int> truth, int num_classes, int per_class, std::uint64_t seed) {
  std::vector<int> labels(truth.size(), kUnlabelled);
  for (auto i : choose_per_class(truth, num_classes, per_class, seed)) labels[i] = truth[i];
  return labels;
}

std::uint64_t train_for(Learner& learner, double seconds, std::uint64_t max_steps) {
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t taken = 0;
  while (taken < max_steps &&
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < seconds) {
    const auto slice = static_cast<int>(std::min<std::uint64_t>(20, max_steps - taken));
    learner.train(slice);
    taken += static_cast<std::uint64_t>(slice);
  }
  return taken;
}

SpreadFigures measure_spread(Learner& learner, std::span<const std::uint8_t> pixels, std::span<const int> labels,
                             std::span<const int> truth) {
  const auto output = learner.infer(0, learner.item_count());
  const auto room = map_to_room(output.latent, Box{{-2, 0.2f, -2}, {2, 2.6f, 2}});
  const auto& predictions = output.predictions;
  const auto m = measure(predictions, room, labels, truth);
  return SpreadFigures{m.labelled_count,      m.unlabelled_accuracy, m.knn_accuracy,
                       pixel_knn_accuracy(pixels, labels, truth), m.confident_share, m.confident_accuracy};
}

double pixel_knn_accuracy(std::span<const std::uint8_t> pixels, std::span<const int> labels,
                          std::span<const int> truth, int k) {
  std::vector<std::size_t> labelled, queries;
  std::vector<int> labelled_class, query_truth;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] >= 0) labelled.push_back(i), labelled_class.push_back(labels[i]);
    else if (truth[i] >= 0) queries.push_back(i), query_truth.push_back(truth[i]);
  }
  const std::vector<float> points(pixels.begin(), pixels.end());
  const std::size_t dims = labels.empty() ? 0 : pixels.size() / labels.size();
  return knn_accuracy(points, dims, labelled, labelled_class, queries, query_truth, k);
}

}  // namespace lodestone::learning
