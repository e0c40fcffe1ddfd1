// Poisson label propagation on small hand-made graphs: labels reach the items they are
// connected to, stay out of components they are not, and say how clear each item is.
#include "learning/label_propagation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace lodestone::learning {
namespace {

// Items on a line at the given positions; each lists its k nearest others.
NeighbourLists line_neighbours(const std::vector<float>& positions, int k) {
  NeighbourLists lists;
  lists.items = positions.size();
  lists.k = k;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    std::vector<std::pair<float, std::int64_t>> others;
    for (std::size_t j = 0; j < positions.size(); ++j) {
      if (j == i) continue;
      const float d = positions[i] - positions[j];
      others.push_back({d * d, static_cast<std::int64_t>(j)});
    }
    std::sort(others.begin(), others.end());
    for (int e = 0; e < k; ++e) {
      lists.index.push_back(others[static_cast<std::size_t>(e)].second);
      lists.distance2.push_back(others[static_cast<std::size_t>(e)].first);
    }
  }
  return lists;
}

// Two clusters of five: 0..4 near 0, 5..9 near 10.
std::vector<float> two_clusters() { return {0, 0.1f, 0.2f, 0.3f, 0.4f, 10, 10.1f, 10.2f, 10.3f, 10.4f}; }

TEST(LabelPropagation, TheGraphIsSymmetricWithPositiveDegrees) {
  const auto g = build_graph(line_neighbours(two_clusters(), 3));
  ASSERT_EQ(g.items(), 10u);
  for (std::size_t i = 0; i < g.items(); ++i) {
    EXPECT_GT(g.degree[i], 0.0f);
    for (std::size_t e = g.row_start[i]; e < g.row_start[i + 1]; ++e) {
      const auto j = g.column[e];
      const auto back = std::find(g.column.begin() + static_cast<std::ptrdiff_t>(g.row_start[j]),
                                  g.column.begin() + static_cast<std::ptrdiff_t>(g.row_start[j + 1]), i);
      ASSERT_NE(back, g.column.begin() + static_cast<std::ptrdiff_t>(g.row_start[j + 1])) << i << " -> " << j;
      EXPECT_FLOAT_EQ(g.weight[e], g.weight[static_cast<std::size_t>(back - g.column.begin())]);
    }
  }
}

TEST(LabelPropagation, OneLabelPerClusterReachesTheWholeCluster) {
  auto positions = two_clusters();
  positions.push_back(5.2f);  // a bridge item halfway between the clusters
  const auto g = build_graph(line_neighbours(positions, 4));
  std::vector<int> labels(positions.size(), -1);
  labels[0] = 1;
  labels[9] = 0;
  const auto p = propagate_labels(g, labels, 2);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(p.class_index[i], 1) << i;
  for (std::size_t i = 5; i < 10; ++i) EXPECT_EQ(p.class_index[i], 0) << i;
  EXPECT_EQ(p.weight[0], 1.0f);
  EXPECT_EQ(p.weight[9], 1.0f);
  // The bridge is the least clear of all.
  for (std::size_t i = 1; i < 9; ++i) {
    if (labels[i] < 0) {
      EXPECT_GT(p.weight[i], p.weight[10]) << i;
    }
  }
  for (float w : p.weight) EXPECT_TRUE(w >= 0.0f && w <= 1.0f);
}

TEST(LabelPropagation, AComponentWithoutLabelsGetsNoClass) {
  const auto g = build_graph(line_neighbours(two_clusters(), 3));  // 3-NN: the clusters never meet
  std::vector<int> labels(10, -1);
  labels[0] = 0;
  labels[1] = 1;
  const auto p = propagate_labels(g, labels, 2);
  for (std::size_t i = 5; i < 10; ++i) {
    EXPECT_EQ(p.class_index[i], -1) << i;
    EXPECT_EQ(p.weight[i], 0.0f) << i;
  }
}

TEST(LabelPropagation, OneLabelledClassPropagatesNothing) {
  const auto g = build_graph(line_neighbours(two_clusters(), 6));
  std::vector<int> labels(10, -1);
  labels[0] = 1;
  labels[2] = 1;
  const auto p = propagate_labels(g, labels, 3);
  EXPECT_EQ(p.class_index[0], 1);
  for (std::size_t i = 3; i < 10; ++i) EXPECT_EQ(p.class_index[i], -1) << i;
}

TEST(LabelPropagation, ClassesNobodyLabelledNeverWin) {
  const auto g = build_graph(line_neighbours(two_clusters(), 6));
  std::vector<int> labels(10, -1);
  labels[0] = 3;
  labels[9] = 1;
  const auto p = propagate_labels(g, labels, 5);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_TRUE(p.class_index[i] == 3 || p.class_index[i] == 1) << i;
}

TEST(LabelPropagation, AWarmStartFromTheLastSolutionKeepsItsAnswer) {
  const auto g = build_graph(line_neighbours(two_clusters(), 6));
  std::vector<int> labels(10, -1);
  labels[0] = 0;
  labels[9] = 1;
  const auto cold = propagate_labels(g, labels, 2, 200);
  ASSERT_EQ(cold.scores.size(), 20u);
  const auto warm = propagate_labels(g, labels, 2, 5, cold.scores);
  EXPECT_EQ(warm.class_index, cold.class_index);
}

TEST(LabelPropagation, ALabelItsLabelledNeighboursContradictIsContestedAndFollowsThem) {
  const auto g = build_graph(line_neighbours(two_clusters(), 4));
  std::vector<int> labels{0, 0, 1, 0, 0, 1, 1, 1, 1, 1};  // item 2: a sphere swept it up with the wrong class
  const auto p = propagate_labels(g, labels, 2);
  EXPECT_EQ(p.contested[2], 1);
  for (std::size_t i = 0; i < 10; ++i) {
    if (i != 2) {
      EXPECT_EQ(p.contested[i], 0) << i;
    }
  }
  EXPECT_EQ(p.class_index[2], 0);  // its neighbours' class, not its label
  EXPECT_LT(p.weight[2], 1.0f);
}

TEST(LabelPropagation, SparseLabelsAreNeverContested) {
  const auto g = build_graph(line_neighbours(two_clusters(), 4));
  std::vector<int> labels(10, -1);
  labels[0] = 0;
  labels[2] = 1;  // disagrees with item 0, but has one labelled neighbour, not three
  labels[9] = 1;
  const auto contested = contested_labels(g, labels, 2);
  for (auto c : contested) EXPECT_EQ(c, 0);
}

TEST(LabelPropagation, IdenticalItemsAndMismatchedInputs) {
  const auto g = build_graph(line_neighbours(std::vector<float>(6, 1.0f), 3));  // all distances 0
  for (float d : g.degree) EXPECT_GT(d, 0.0f);
  std::vector<int> labels(6, -1);
  labels[0] = 0;
  labels[1] = 1;
  const auto p = propagate_labels(g, labels, 2);
  for (float w : p.weight) EXPECT_TRUE(std::isfinite(w));
  EXPECT_THROW(propagate_labels(g, std::vector<int>(5, -1), 2), std::invalid_argument);
  NeighbourLists broken;
  broken.items = 3;
  broken.k = 2;
  EXPECT_THROW(build_graph(broken), std::invalid_argument);
}

}  // namespace
}  // namespace lodestone::learning

namespace lodestone::learning {
namespace {

// Accepting predictions labels thousands of one class beside a few of another: the many
// must not drown the few. Three clusters on a line, joined by bridge items; the first
// has 18 of its 20 items labelled, the others one label each.
TEST(LabelPropagation, AClassWithFewLabelsKeepsItsRegionBesideOneWithMany) {
  std::vector<float> positions;
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < 20; ++i) positions.push_back(10.0f * static_cast<float>(c) + 0.1f * static_cast<float>(i));
  }
  positions.push_back(6.0f);   // bridges
  positions.push_back(16.0f);
  const auto g = build_graph(line_neighbours(positions, 6));
  std::vector<int> labels(positions.size(), -1);
  for (int i = 0; i < 18; ++i) labels[static_cast<std::size_t>(i)] = 0;
  labels[20] = 1;  // the first item of the second cluster: next to the crowd
  labels[59] = 2;
  const auto p = propagate_labels(g, labels, 3);
  for (std::size_t i = 21; i < 40; ++i) EXPECT_EQ(p.class_index[i], 1) << i;
  for (std::size_t i = 40; i < 59; ++i) EXPECT_EQ(p.class_index[i], 2) << i;
  EXPECT_EQ(p.class_index[18], 0);
}

}  // namespace
}  // namespace lodestone::learning
