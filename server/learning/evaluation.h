#pragma once
// How far labels spread: accuracy of the classifier and of k-nearest-neighbour voting,
// measured against ground truth the annotators never see.
#include "lodestone/types.h"

#include <cstdint>
#include <span>
#include <vector>

namespace lodestone::learning {

// k-NN over row-major points of `dims` floats: each query votes among its k nearest
// labelled points (a tie goes to the class that
// reached the count first, i.e. the nearer). Returns the fraction of queries whose
// vote equals their truth; NaN without queries or labelled points.
double knn_accuracy(std::span<const float> points, std::size_t dims,
                    std::span<const std::size_t> labelled, std::span<const int> labelled_class,
                    std::span<const std::size_t> queries, std::span<const int> query_truth, int k);

// Fraction of the items without a label but with ground truth whose `classes` entry
// (a prediction, a propagated label) equals their truth; NaN when there are none.
double unlabelled_agreement(std::span<const int> classes, std::span<const int> labels, std::span<const int> truth);

// Leave-one-out k-NN by true class: each item votes among its k nearest other items.
// NaN with fewer than two items.
double leave_one_out_knn_accuracy(std::span<const float> points, std::size_t dims, std::span<const int> truth, int k);

std::vector<float> flatten(std::span<const Vec3> points);

// `per_class` random items of each ground-truth class (an oracle annotator), as
// item indices; `truth` holds a class index per item, -1 for none.
std::vector<std::size_t> choose_per_class(std::span<const int> truth, int num_classes, int per_class,
                                          std::uint64_t seed);

}  // namespace lodestone::learning
