#pragma once
// Nearest neighbours among 3-D points through a k-d tree (nanoflann), for the room's own
// coordinates: the metrics' 5-NN votes and the items near a new label. A brute-force
// search over every labelled item cost the trainer a sixth of its time at 10k items and
// grows with the square of the dataset. nanoflann stays inside point_index.cpp.
#include "lodestone/types.h"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace lodestone::learning {

class PointIndex {
 public:
  // Indexes `members` of `points` (all of them when `members` is empty). The points must
  // outlive the index.
  explicit PointIndex(std::span<const Vec3> points, std::span<const std::size_t> members = {});
  ~PointIndex();
  PointIndex(const PointIndex&) = delete;
  PointIndex& operator=(const PointIndex&) = delete;

  // The k indexed points nearest `query` (fewer when fewer are indexed), nearest first, as
  // indices into `points`; with `except`, that index is left out (leave-one-out).
  std::vector<std::size_t> nearest(const Vec3& query, std::size_t k, std::int64_t except = -1) const;
  std::size_t size() const;

 private:
  struct Tree;
  std::unique_ptr<Tree> tree_;
};

}  // namespace lodestone::learning
