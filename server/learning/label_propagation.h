#pragma once
// Graph-based label propagation: a k-nearest-neighbour graph over the items and Poisson
// learning on it (Calder, Cook, Thorpe, Slepčev, ICML 2020). The few labels an annotator
// gives spread along the graph to every item; the model then trains on those propagated
// labels, weighted by how clear each one is. Plain C++ (the neighbour search itself runs
// in LibTorch, in learner.cpp), so it is tested without the model.
#include <cstdint>
#include <span>
#include <vector>

namespace lodestone::learning {

// For each item, its k nearest other items and their squared distances, nearest first.
struct NeighbourLists {
  std::size_t items = 0;
  int k = 0;
  std::vector<std::int64_t> index;  // items × k
  std::vector<float> distance2;     // items × k
};

// Symmetric weighted graph in compressed rows. Weights are self-tuning Gaussians:
// w_ij = exp(-4 d²_ij / d²_k(i)), where d_k(i) is the distance from i to its k-th
// neighbour, so dense and sparse regions of the data get comparable degrees.
struct NeighbourGraph {
  std::vector<std::size_t> row_start;  // items + 1
  std::vector<std::uint32_t> column;
  std::vector<float> weight;
  std::vector<float> degree;
  std::size_t items() const { return row_start.empty() ? 0 : row_start.size() - 1; }
};

NeighbourGraph build_graph(const NeighbourLists& lists);

// Each item's propagated class and its weight in training, in [0, 1]: 1 for the
// labelled items themselves, and for the others the rank of their margin between the
// two best classes among all unlabelled items (the clearest get nearly 1, the most
// ambiguous nearly 0). A rank is used because Poisson scores have no natural scale.
struct PropagatedLabels {
  std::vector<int> class_index;  // -1 where nothing reached the item
  std::vector<float> weight;
  // Labelled items whose label their labelled neighbours contradict (see
  // contested_labels): not sources, and given the class their neighbours give them.
  std::vector<std::uint8_t> contested;
  std::vector<float> scores;     // items × classes: the solution, to warm-start the next one
};

// Edited nearest neighbours (Wilson 1972) on the graph: a labelled item is contested when
// at least three of its neighbours are labelled and those carrying one other class hold at
// least two thirds of the labelled neighbours' weight while its own class holds under a
// third. Where annotators label densely, this catches the few items of another class a
// sphere swept up; with sparse labels it never fires (too few labelled neighbours).
std::vector<std::uint8_t> contested_labels(const NeighbourGraph& graph, std::span<const int> labels, int num_classes);

// Poisson learning: solves L u = b on the graph by Jacobi iterations, with sources
// b_i = onehot(label_i) − mean of the labelled one-hots at the labelled items; each item
// takes the class of its largest score. `labels` holds a class index or -1 per item.
// `start`: a previous solution on the same graph and classes (items × classes), from
// which a few iterations suffice after a small change of labels; empty: start from zero.
PropagatedLabels propagate_labels(const NeighbourGraph& graph, std::span<const int> labels, int num_classes,
                                  int iterations = 200, std::span<const float> start = {});

}  // namespace lodestone::learning
