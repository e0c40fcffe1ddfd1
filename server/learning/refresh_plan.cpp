#include "learning/refresh_plan.h"

#include <algorithm>
#include <numeric>

namespace lodestone::learning {

RefreshPlan::RefreshPlan(std::size_t item_count, std::size_t slice_items, std::size_t focus_limit)
    : slice_items_(std::max<std::size_t>(slice_items, 1)), focus_limit_(focus_limit), waiting_(item_count, 0) {}

void RefreshPlan::focus(std::span<const std::size_t> items) {
  for (const auto i : items) {
    if (i >= waiting_.size() || waiting_[i]) continue;
    waiting_[i] = 1;
    queue_.push_back(i);
  }
}

void RefreshPlan::clear_focus() {
  for (std::size_t k = queue_head_; k < queue_.size(); ++k) waiting_[queue_[k]] = 0;
  queue_.clear();
  queue_head_ = 0;
}

std::vector<std::size_t> RefreshPlan::next() {
  const std::size_t n = waiting_.size();
  std::vector<std::size_t> out;
  if (n <= slice_items_) {  // the whole dataset costs no more than a slice
    out.resize(n);
    std::iota(out.begin(), out.end(), std::size_t{0});
    std::fill(waiting_.begin(), waiting_.end(), 0);
    queue_.clear();
    queue_head_ = 0;
    return out;
  }
  std::vector<std::uint8_t> taken;
  if (waiting() > 0) {
    taken.assign(n, 0);
    const std::size_t end = queue_head_ + std::min(focus_limit_, waiting());
    for (; queue_head_ < end; ++queue_head_) {
      const auto i = queue_[queue_head_];
      waiting_[i] = 0;
      taken[i] = 1;
      out.push_back(i);
    }
    // Taken entries are dropped once they are half the queue, so it never outgrows it.
    if (queue_head_ * 2 >= queue_.size()) {
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(queue_head_));
      queue_head_ = 0;
    }
  }
  const std::size_t slice_end = std::min(n, sweep_next_ + slice_items_);
  for (std::size_t i = sweep_next_; i < slice_end; ++i) {
    if (taken.empty() || !taken[i]) out.push_back(i);
  }
  sweep_next_ = slice_end == n ? 0 : slice_end;
  return out;
}

}  // namespace lodestone::learning
