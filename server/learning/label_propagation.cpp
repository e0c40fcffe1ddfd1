#include "learning/label_propagation.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace lodestone::learning {

NeighbourGraph build_graph(const NeighbourLists& lists) {
  const std::size_t n = lists.items;
  const auto k = static_cast<std::size_t>(lists.k);
  if (lists.index.size() != n * k || lists.distance2.size() != n * k) {
    throw std::invalid_argument("neighbour lists: " + std::to_string(lists.index.size()) + " entries for " +
                                std::to_string(n) + " items of " + std::to_string(k));
  }
  // Directed edges i → j with their self-tuned weights, then each mirrored (W + Wᵀ).
  struct Edge {
    std::uint32_t from, to;
    float weight;
  };
  std::vector<Edge> edges;
  edges.reserve(2 * n * k);
  for (std::size_t i = 0; i < n; ++i) {
    const float scale = k == 0 ? 0.0f : lists.distance2[i * k + k - 1];
    for (std::size_t e = 0; e < k; ++e) {
      const auto j = lists.index[i * k + e];
      if (j < 0 || static_cast<std::size_t>(j) >= n || static_cast<std::size_t>(j) == i) continue;
      const float d2 = lists.distance2[i * k + e];
      // Identical items (distance 0 to the k-th neighbour too) are fully connected.
      const float w = scale > 0 && std::isfinite(d2) ? std::exp(-4.0f * d2 / scale) : 1.0f;
      edges.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), w});
      edges.push_back({static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i), w});
    }
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    return a.from != b.from ? a.from < b.from : a.to < b.to;
  });
  NeighbourGraph g;
  g.row_start.assign(n + 1, 0);
  g.degree.assign(n, 0.0f);
  for (std::size_t e = 0; e < edges.size();) {
    // An edge found from both ends appears twice: its weights add, as in W + Wᵀ.
    std::size_t same = e;
    float w = 0;
    while (same < edges.size() && edges[same].from == edges[e].from && edges[same].to == edges[e].to) {
      w += edges[same++].weight;
    }
    g.column.push_back(edges[e].to);
    g.weight.push_back(w);
    g.degree[edges[e].from] += w;
    ++g.row_start[edges[e].from + 1];
    e = same;
  }
  std::partial_sum(g.row_start.begin(), g.row_start.end(), g.row_start.begin());
  return g;
}

std::vector<std::uint8_t> contested_labels(const NeighbourGraph& graph, std::span<const int> labels, int num_classes) {
  const std::size_t n = graph.items();
  const auto classes = static_cast<std::size_t>(std::max(num_classes, 1));
  std::vector<std::uint8_t> contested(n, 0);
  std::vector<float> by_class(classes);
  for (std::size_t i = 0; i < n && i < labels.size(); ++i) {
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= classes) continue;
    std::fill(by_class.begin(), by_class.end(), 0.0f);
    float total = 0;
    int labelled_neighbours = 0;
    for (std::size_t e = graph.row_start[i]; e < graph.row_start[i + 1]; ++e) {
      const int c = labels[graph.column[e]];
      if (c < 0 || static_cast<std::size_t>(c) >= classes) continue;
      by_class[static_cast<std::size_t>(c)] += graph.weight[e];
      total += graph.weight[e];
      ++labelled_neighbours;
    }
    if (labelled_neighbours < 3 || total <= 0) continue;
    const auto own = by_class[static_cast<std::size_t>(labels[i])];
    by_class[static_cast<std::size_t>(labels[i])] = 0;
    const auto other = *std::max_element(by_class.begin(), by_class.end());
    contested[i] = other >= total * (2.0f / 3.0f) && own < total / 3.0f;
  }
  return contested;
}

PropagatedLabels propagate_labels(const NeighbourGraph& graph, std::span<const int> labels, int num_classes,
                                  int iterations, std::span<const float> start) {
  const std::size_t n = graph.items();
  if (labels.size() != n) throw std::invalid_argument("propagate_labels: one label per item expected");
  const auto classes = static_cast<std::size_t>(std::max(num_classes, 1));
  PropagatedLabels out{std::vector<int>(n, -1), std::vector<float>(n, 0.0f), contested_labels(graph, labels, num_classes),
                       {}};

  std::vector<std::size_t> count(classes, 0);
  std::size_t labelled = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= classes || out.contested[i]) continue;
    out.class_index[i] = labels[i];
    out.weight[i] = 1.0f;
    ++count[static_cast<std::size_t>(labels[i])];
    ++labelled;
  }
  const auto present_classes = static_cast<std::size_t>(std::count_if(count.begin(), count.end(), [](auto k) { return k > 0; }));
  // With one class (or none) labelled there is nothing to tell apart: only the labels count.
  if (present_classes < 2) return out;

  // Sources at the labelled items; Jacobi iterations of u ← D⁻¹(W u + b). Every labelled
  // class injects the same mass, however many items carry it: a source weighs
  // labelled / (classes · its class's count), and takes 1/classes from every labelled class
  // (so each class's sources sum to zero, as Poisson learning needs). With labels spread
  // evenly this is Calder et al.'s source exactly; with thousands of one class accepted
  // in bulk beside a few of another, the many do not drown the few.
  const double per_class = static_cast<double>(labelled) / static_cast<double>(present_classes);
  const double share = 1.0 / static_cast<double>(present_classes);
  std::vector<float> source(n * classes, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    if (out.weight[i] == 0.0f) continue;  // unlabelled or contested
    const auto own = static_cast<std::size_t>(labels[i]);
    const double scale = per_class / static_cast<double>(count[own]);
    for (std::size_t c = 0; c < classes; ++c) {
      if (count[c] == 0) continue;
      source[i * classes + c] = static_cast<float>(scale * ((c == own ? 1.0 : 0.0) - share));
    }
  }
  std::vector<float> u(n * classes, 0.0f), next(n * classes, 0.0f);
  if (start.size() == u.size()) std::copy(start.begin(), start.end(), u.begin());
  for (int it = 0; it < iterations; ++it) {
    for (std::size_t i = 0; i < n; ++i) {
      float* row = next.data() + i * classes;
      std::copy_n(source.data() + i * classes, classes, row);
      for (std::size_t e = graph.row_start[i]; e < graph.row_start[i + 1]; ++e) {
        const float w = graph.weight[e];
        const float* neighbour = u.data() + static_cast<std::size_t>(graph.column[e]) * classes;
        for (std::size_t c = 0; c < classes; ++c) row[c] += w * neighbour[c];
      }
      const float inverse = graph.degree[i] > 0 ? 1.0f / graph.degree[i] : 0.0f;
      for (std::size_t c = 0; c < classes; ++c) row[c] *= inverse;
    }
    u.swap(next);
  }

  // Classes nobody labelled have no source and stay out of the vote.
  std::vector<std::pair<float, std::size_t>> margins;
  for (std::size_t i = 0; i < n; ++i) {
    if (out.weight[i] > 0.0f) continue;
    const float* row = u.data() + i * classes;
    int best = -1;
    float first = -INFINITY, second = -INFINITY;
    for (std::size_t c = 0; c < classes; ++c) {
      if (count[c] == 0) continue;
      if (row[c] > first) {
        second = first;
        first = row[c];
        best = static_cast<int>(c);
      } else if (row[c] > second) {
        second = row[c];
      }
    }
    if (best < 0 || first == second) continue;  // no label reached this item
    out.class_index[i] = best;
    margins.push_back({first - second, i});
  }
  std::sort(margins.begin(), margins.end());
  const double last = margins.size() > 1 ? static_cast<double>(margins.size() - 1) : 1.0;
  for (std::size_t r = 0; r < margins.size(); ++r) {
    out.weight[margins[r].second] = static_cast<float>(static_cast<double>(r) / last);
  }
  out.scores = std::move(u);
  return out;
}

}  // namespace lodestone::learning
