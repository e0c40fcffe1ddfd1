#pragma once
// Which thumbnails one client still lacks, and the order they go in: the items nearest
// where its viewer stands first (ThumbnailFocus), then the rest in item order, each once.
// The client draws the nearest items as textured cubes and the far ones as points, so the
// nearest are what its first frames need; the rest complete its copy (and its disk cache).
#include "lodestone/types.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lodestone::room {

class ThumbnailQueue {
 public:
  // `count` items, none sent yet, in item order.
  void start(std::size_t count);
  // Nothing to send (the client holds them all).
  void finish();
  std::size_t left() const { return left_; }

  // Puts the `most` unsent items nearest `viewer` (by `positions`, room coordinates) at
  // the front, nearest first, before any focused earlier. Linear in the items, plus a sort
  // of the `most`.
  void focus(const std::vector<Vec3>& positions, Vec3 viewer, std::size_t most);
  // Up to `most` unsent items, the focused ones first, then item order; marks them sent.
  std::vector<std::uint32_t> take(std::size_t most);

 private:
  std::vector<std::uint8_t> sent_;
  std::vector<std::uint32_t> first_;  // focused items, nearest first
  std::size_t first_next_ = 0;
  std::size_t cursor_ = 0;  // the item-order walk
  std::size_t left_ = 0;
};

}  // namespace lodestone::room
