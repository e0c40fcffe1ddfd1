#include "learning/point_index.h"

#include <nanoflann.hpp>

#include <algorithm>
#include <numeric>

namespace lodestone::learning {

// nanoflann's dataset adaptor: the indexed points in the order they were given.
struct PointIndex::Tree {
  std::span<const Vec3> points;
  std::vector<std::size_t> members;

  std::size_t kdtree_get_point_count() const { return members.size(); }
  float kdtree_get_pt(std::size_t i, std::size_t dim) const {
    const auto& p = points[members[i]];
    return dim == 0 ? p.x : dim == 1 ? p.y : p.z;
  }
  template <class Box>
  bool kdtree_get_bbox(Box&) const { return false; }

  using Index = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<float, Tree>, Tree, 3, std::uint32_t>;
  std::unique_ptr<Index> index;
};

PointIndex::PointIndex(std::span<const Vec3> points, std::span<const std::size_t> members)
    : tree_(std::make_unique<Tree>()) {
  tree_->points = points;
  if (members.empty()) {
    tree_->members.resize(points.size());
    std::iota(tree_->members.begin(), tree_->members.end(), std::size_t{0});
  } else {
    tree_->members.assign(members.begin(), members.end());
  }
  tree_->index = std::make_unique<Tree::Index>(3, *tree_, nanoflann::KDTreeSingleIndexAdaptorParams(16));
}

PointIndex::~PointIndex() = default;

std::size_t PointIndex::size() const { return tree_->members.size(); }

std::vector<std::size_t> PointIndex::nearest(const Vec3& query, std::size_t k, std::int64_t except) const {
  const std::size_t want = std::min(k + (except >= 0 ? 1 : 0), size());
  std::vector<std::uint32_t> found(want);
  std::vector<float> distances(want);
  const float q[3] = {query.x, query.y, query.z};
  found.resize(tree_->index->knnSearch(q, want, found.data(), distances.data()));
  std::vector<std::size_t> out;
  out.reserve(found.size());
  for (const auto f : found) {
    const auto item = tree_->members[f];
    if (static_cast<std::int64_t>(item) != except && out.size() < k) out.push_back(item);
  }
  return out;
}

}  // namespace lodestone::learning
