#include "learning/evaluation.h"

#include "learning/point_index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>

namespace lodestone::learning {

namespace {

float squared_distance(const float* a, const float* b, std::size_t dims) {
  float d = 0;
  for (std::size_t j = 0; j < dims; ++j) d += (a[j] - b[j]) * (a[j] - b[j]);
  return d;
}

// The class the kk nearest of (distance, class) pairs vote for; a tie goes to the class
// that reached the count first, i.e. the nearer.
int vote_nearest_first(std::span<const int> classes) {
  std::map<int, int> votes;
  int best = classes.empty() ? -1 : classes[0], best_votes = 0;
  for (const int c : classes) {
    const int v = ++votes[c];
    if (v > best_votes) best = c, best_votes = v;
  }
  return best;
}

int vote(std::vector<std::pair<float, int>>& distances, std::size_t kk) {
  std::partial_sort(distances.begin(), distances.begin() + static_cast<std::ptrdiff_t>(kk), distances.end());
  std::vector<int> classes(kk);
  for (std::size_t i = 0; i < kk; ++i) classes[i] = distances[i].second;
  return vote_nearest_first(classes);
}

std::vector<Vec3> as_points(std::span<const float> xyz) {
  std::vector<Vec3> out(xyz.size() / 3);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = {xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]};
  return out;
}

}  // namespace

double knn_accuracy(std::span<const float> points, std::size_t dims,
                    std::span<const std::size_t> labelled, std::span<const int> labelled_class,
                    std::span<const std::size_t> queries, std::span<const int> query_truth, int k) {
  if (queries.empty() || labelled.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), labelled.size());
  std::size_t correct = 0;
  if (dims == 3) {  // the room: a k-d tree instead of every labelled item per query
    const auto points3 = as_points(points);
    std::vector<int> class_of(points3.size(), -1);
    for (std::size_t l = 0; l < labelled.size(); ++l) class_of[labelled[l]] = labelled_class[l];
    const PointIndex index(points3, labelled);
    std::vector<int> classes;
    for (std::size_t q = 0; q < queries.size(); ++q) {
      classes.clear();
      for (const auto n : index.nearest(points3[queries[q]], kk)) classes.push_back(class_of[n]);
      correct += vote_nearest_first(classes) == query_truth[q];
    }
    return static_cast<double>(correct) / static_cast<double>(queries.size());
  }
  std::vector<std::pair<float, int>> distances(labelled.size());
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const float* a = points.data() + queries[q] * dims;
    for (std::size_t l = 0; l < labelled.size(); ++l) {
      distances[l] = {squared_distance(a, points.data() + labelled[l] * dims, dims), labelled_class[l]};
    }
    correct += vote(distances, kk) == query_truth[q];
  }
  return static_cast<double>(correct) / static_cast<double>(queries.size());
}

double leave_one_out_knn_accuracy(std::span<const float> points, std::size_t dims, std::span<const int> truth, int k) {
  if (truth.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), truth.size() - 1);
  std::size_t correct = 0;
  if (dims == 3) {
    const auto points3 = as_points(points);
    const PointIndex index(points3);
    std::vector<int> classes;
    for (std::size_t q = 0; q < truth.size(); ++q) {
      classes.clear();
      for (const auto n : index.nearest(points3[q], kk, static_cast<std::int64_t>(q))) classes.push_back(truth[n]);
      correct += vote_nearest_first(classes) == truth[q];
    }
    return static_cast<double>(correct) / static_cast<double>(truth.size());
  }
  std::vector<std::pair<float, int>> distances;
  distances.reserve(truth.size() - 1);
  for (std::size_t q = 0; q < truth.size(); ++q) {
    distances.clear();
    for (std::size_t i = 0; i < truth.size(); ++i) {
      if (i != q) distances.push_back({squared_distance(points.data() + q * dims, points.data() + i * dims, dims), truth[i]});
    }
    correct += vote(distances, kk) == truth[q];
  }
  return static_cast<double>(correct) / static_cast<double>(truth.size());
}

double unlabelled_agreement(std::span<const int> classes, std::span<const int> labels, std::span<const int> truth) {
  std::size_t count = 0, right = 0;
  for (std::size_t i = 0; i < classes.size() && i < labels.size() && i < truth.size(); ++i) {
    if (labels[i] >= 0 || truth[i] < 0) continue;
    ++count;
    right += classes[i] == truth[i];
  }
  return count == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(right) / static_cast<double>(count);
}

std::vector<float> flatten(std::span<const Vec3> points) {
  std::vector<float> out;
  out.reserve(points.size() * 3);
  for (const auto& p : points) out.insert(out.end(), {p.x, p.y, p.z});
  return out;
}

std::vector<std::size_t> choose_per_class(std::span<const int> truth, int num_classes, int per_class,
                                          std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::size_t> chosen;
  for (int c = 0; c < num_classes; ++c) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < truth.size(); ++i) {
      if (truth[i] == c) members.push_back(i);
    }
    std::shuffle(members.begin(), members.end(), rng);
    const auto take = std::min<std::size_t>(static_cast<std::size_t>(per_class), members.size());
    chosen.insert(chosen.end(), members.begin(), members.begin() + static_cast<std::ptrdiff_t>(take));
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace lodestone::learning
