#pragma once
// Which items a refresh passes through the encoder. First those whose label or training
// target just changed (a label's items and the items its propagation reached: the ones
// about to move), then the next slice of a sweep over every item. The room answers a
// label at the next refresh whatever the dataset's size, every item is refreshed within
// items / slice refreshes, and a refresh costs at most focus_limit + slice items of
// encoder time instead of the whole dataset's (0.1 s at 10k items, 1 s at 100k).
#include <cstdint>
#include <span>
#include <vector>

namespace lodestone::learning {

class RefreshPlan {
 public:
  RefreshPlan(std::size_t item_count, std::size_t slice_items, std::size_t focus_limit);

  // Items to refresh before the sweep's. An item already waiting keeps its place; past
  // focus_limit per refresh, the rest wait for the following refreshes.
  void focus(std::span<const std::size_t> items);
  // Forgets the items waiting (the trainer hands the touched ones over again, newest first).
  void clear_focus();
  // The next refresh's items: up to focus_limit waiting ones, then the sweep's next slice
  // (without the items already taken). Every item, in order, when the dataset is no
  // larger than the slice.
  std::vector<std::size_t> next();
  std::size_t waiting() const { return queue_.size() - queue_head_; }
  std::size_t item_count() const { return waiting_.size(); }

 private:
  std::size_t slice_items_, focus_limit_;
  std::vector<std::uint8_t> waiting_;  // one per item: 1 while it is in the queue
  std::vector<std::size_t> queue_;
  std::size_t queue_head_ = 0;
  std::size_t sweep_next_ = 0;
};

}  // namespace lodestone::learning
