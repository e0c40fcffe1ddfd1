#pragma once
// The LibTorch half of label propagation: the features a neighbour graph is built on and
// the exact k-nearest-neighbour search (chunked matrix products). Only learner.cpp and
// neighbour_search.cpp include this header.
#include "learning/label_propagation.h"

#include <ATen/ATen.h>

namespace lodestone::learning {

// The rows of `x` (items × dims) projected on their `dims` leading principal components
// (all of them when the data has fewer); the covariance is estimated on at most
// `sample_rows` evenly spaced rows, so the cost stays bounded on large datasets.
at::Tensor principal_components(const at::Tensor& x, int dims, std::int64_t sample_rows = 20'000);

// Each row's k nearest other rows (squared Euclidean distance), nearest first; k is
// capped at rows − 1. Above `max_candidates` rows the neighbours are sought among that
// many evenly spaced rows only, so the search costs rows × max_candidates, not rows².
NeighbourLists nearest_neighbours(const at::Tensor& features, int k, std::int64_t max_candidates = 100'000);

}  // namespace lodestone::learning
